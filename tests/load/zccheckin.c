/* zccheckin: load generator for durable check-ins. Opens C connections (WebSocket
 * `checkin` messages, or HTTP/1.1 keep-alive POST /api/v1/me/checkins), each as
 * a seeded participant, keeps up to K check-ins in flight, and reports what the
 * node acknowledged per second, latency, and the node's CPU, RSS and commits. */
#include "loadcommon.h"
#include "timeutil.h"

#define MAX_INFLIGHT 32 /* the node's limit per WebSocket connection */
#define SLOTS	     64 /* refs are seq numbers; seq % SLOTS finds the send time */
#define LOST_US	     10000000u

enum mode { MODE_WS, MODE_HTTP };
enum cstate { C_IDLE, C_CONNECTING, C_HANDSHAKE, C_HELLO, C_RUN, C_DONE };

struct conn {
	struct lc_conn lc; /* first: the loop hands back &lc */
	enum cstate state;
	struct lc_session session;
	unsigned inflight;
	uint32_t seq;
	uint64_t sent_us[SLOTS];
};

static struct lc_opts common;
static struct {
	enum mode mode;
	size_t max_tokens;
	unsigned conns, inflight, per_participant;
} opt = {.mode = MODE_WS, .conns = 64, .inflight = 16};

static struct lc_loop loop;
static struct lc_catalogue cat;
static struct lc_tokens tokens;
static bool measuring, stopping;

static struct {
	uint64_t ok201, c409, other, status[6]; /* other statuses: 4xx, 5xx, ... */
	uint64_t err_frames, rate_limited, lost, conn_fail, closed, sessions, auth_fail;
	struct lc_lat lat;
} cnt;

/* ---- connections ---- */

static bool take_token(struct conn *c)
{
	if (!lc_session_take(&c->session, &tokens, &cat, opt.per_participant, &loop.rng))
		return false;
	cnt.sessions++;
	return true;
}

static void conn_close(struct conn *c)
{
	lc_conn_close(&loop, &c->lc);
	c->inflight = 0;
	memset(c->sent_us, 0, sizeof(c->sent_us));
	c->state = C_IDLE;
}

static void conn_start(struct conn *c, unsigned i)
{
	if (stopping || !take_token(c)) {
		c->state = C_DONE;
		return;
	}
	if (!lc_conn_open(&loop, &c->lc, i)) {
		cnt.conn_fail++;
		c->state = C_DONE;
		return;
	}
	c->state = C_CONNECTING;
}

static void send_one(struct conn *c)
{
	const struct lc_pair *p = &c->session.pairs[c->session.next++];
	uint32_t seq = c->seq++;
	if (opt.mode == MODE_WS) {
		char msg[512];
		int n = snprintf(msg, sizeof(msg),
				 "{\"type\":\"checkin\",\"ref\":\"%u\",\"action\":\"%s\",\"date\":"
				 "\"%s\"}",
				 seq, cat.actions[p->action].id, cat.days[p->day]);
		lc_conn_ws_send(&loop, &c->lc, msg, (size_t)n);
	} else {
		lc_checkin_post(&loop, &c->lc, c->session.token, &cat, p);
	}
	c->sent_us[seq % SLOTS] = lc_now_us();
	c->inflight++;
}

/* Keeps K in flight; when the participant has nothing left, moves on to the
 * next one (a new connection over WebSocket, the next token over HTTP). */
static void fill(struct conn *c, unsigned i)
{
	unsigned k = opt.mode == MODE_WS ? opt.inflight : 1;
	if (stopping)
		return;
	while (c->inflight < k && c->session.next < c->session.npairs)
		send_one(c);
	if (c->inflight || c->session.next < c->session.npairs)
		return;
	if (opt.mode == MODE_HTTP) {
		if (take_token(c))
			send_one(c);
		else
			c->state = C_DONE;
		return;
	}
	conn_close(c);
	conn_start(c, i);
}

static void record(struct conn *c, uint32_t seq, int status)
{
	uint64_t *slot = &c->sent_us[seq % SLOTS];
	if (!*slot)
		return; /* already counted as lost */
	uint64_t lat = lc_now_us() - *slot;
	*slot = 0;
	c->inflight--;
	if (!measuring)
		return;
	if (status == 201)
		cnt.ok201++;
	else if (status == 409)
		cnt.c409++;
	else {
		cnt.other++;
		cnt.status[status / 100 < 6 ? status / 100 : 0]++;
	}
	lc_lat_add(&cnt.lat, lat);
}

/* One complete text message from the node. */
static void ws_message(struct conn *c, unsigned i, const char *m, size_t n)
{
	uint64_t ref, status;
	if (n > 26 && memcmp(m, "{\"type\":\"checkin_result\"", 24) == 0) {
		if (lc_json_u64(m, n < 96 ? n : 96, "ref", &ref) &&
		    lc_json_u64(m, n < 96 ? n : 96, "status", &status))
			record(c, (uint32_t)ref, (int)status);
		fill(c, i);
	} else if (n > 17 && memcmp(m, "{\"type\":\"welcome\"", 17) == 0) {
		c->state = C_RUN;
		fill(c, i);
	} else if (n > 15 && memcmp(m, "{\"type\":\"error\"", 15) == 0) {
		if (measuring)
			cnt.err_frames++;
		if (memmem(m, n, "rate_limited", 12) && measuring)
			cnt.rate_limited++;
		if (memmem(m, n, "invalid_token", 13))
			cnt.auth_fail++;
	}
}

static void ws_input(struct conn *c, unsigned i)
{
	const char *m;
	size_t n;
	int r = LC_WS_MORE;
	if (c->state == C_HANDSHAKE) {
		r = lc_ws_handshake_done(&c->lc.in, c->lc.key);
		if (r == 0)
			return;
		if (r < 0) {
			cnt.conn_fail++;
			conn_close(c);
			c->state = C_DONE;
			return;
		}
		char hello[128];
		int hn = snprintf(hello, sizeof(hello), "{\"type\":\"hello\",\"token\":\"%s\"}",
				  c->session.token);
		lc_conn_ws_send(&loop, &c->lc, hello, (size_t)hn);
		c->state = C_HELLO;
	}
	while (c->lc.fd >= 0 && (r = lc_conn_ws_next(&loop, &c->lc, &m, &n)) == LC_WS_MESSAGE)
		ws_message(c, i, m, n);
	if (r == LC_WS_CLOSED)
		cnt.closed++;
	else if (r == LC_WS_ERROR)
		cnt.conn_fail++;
	else
		return;
	conn_close(c);
	conn_start(c, i);
}

static void http_input(struct conn *c, unsigned i)
{
	int status;
	bool closing;
	while (lc_http_next(&c->lc.in, &status, &closing)) {
		record(c, c->seq - 1, status);
		if (closing) {
			cnt.closed++;
			conn_close(c);
			conn_start(c, i);
			return;
		}
		fill(c, i);
	}
}

static void on_event(struct conn *c, unsigned i, uint32_t events)
{
	if (c->state == C_CONNECTING) {
		int r = lc_conn_connected(&c->lc, events);
		if (r < 0) {
			cnt.conn_fail++;
			conn_close(c);
			c->state = C_DONE;
			return;
		}
		if (r == 0)
			return;
		if (opt.mode == MODE_WS) {
			lc_conn_ws_start(&loop, &c->lc);
			c->state = C_HANDSHAKE;
		} else {
			c->state = C_RUN;
			fill(c, i);
		}
		return;
	}
	if (events & EPOLLOUT)
		lc_conn_mark_dirty(&loop, &c->lc);
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		if (!lc_conn_read(&c->lc)) {
			cnt.closed++;
			conn_close(c);
			conn_start(c, i);
			return;
		}
		if (opt.mode == MODE_WS)
			ws_input(c, i);
		else
			http_input(c, i);
	}
}

static void flush_dirty(void)
{
	struct lc_conn *failed;
	while ((failed = lc_loop_flush(&loop)) != NULL) {
		cnt.closed++;
		conn_close((struct conn *)failed);
	}
}

/* Results that never came (a message refused without a ref) are given up
 * after 10 s so the connection can go on. */
static void reap_lost(struct conn *conns, unsigned n)
{
	uint64_t now = lc_now_us();
	for (unsigned i = 0; i < n; i++) {
		struct conn *c = &conns[i];
		bool freed = false;
		for (unsigned s = 0; s < SLOTS; s++) {
			if (c->sent_us[s] && now - c->sent_us[s] > LOST_US) {
				c->sent_us[s] = 0;
				c->inflight--;
				cnt.lost++;
				freed = true;
			}
		}
		if (freed && c->state == C_RUN)
			fill(c, i);
	}
}

static void on_sigint(int sig)
{
	(void)sig;
	stopping = true;
}

static int usage(void)
{
	fputs("usage: zccheckin --port P --tokens FILE [--mode ws|http] [--connections C]\n"
	      "                 [--inflight K] [--duration S] [--warmup S] [--first N]\n"
	      "                 [--max-tokens N] [--per-participant M] [--sources S]\n"
	      "                 [--pid NODE_PID] [--host 127.0.0.1] [--timezone ZONE]\n"
	      "  Each connection is one participant (a token of FILE, from line N on) who checks\n"
	      "  in every distinct (action, period) of the last 8 days (or M of them), then the\n"
	      "  connection moves on to the next participant. K ≤ 32 (ws); http keeps 1 per\n"
	      "  connection. Defaults: ws, 64 connections, K 16, 3 s warm-up, 20 s measured.\n",
	      stderr);
	return 2;
}

static bool parse_args(int argc, char **argv)
{
	const char *mode = "ws";
	const struct lc_opt own[] = {{"mode", LC_OPT_STRING, &mode},
				     {"connections", LC_OPT_UNSIGNED, &opt.conns},
				     {"inflight", LC_OPT_UNSIGNED, &opt.inflight},
				     {"max-tokens", LC_OPT_SIZE, &opt.max_tokens},
				     {"per-participant", LC_OPT_UNSIGNED, &opt.per_participant},
				     {NULL, 0, NULL}};
	if (!lc_opts_parse(argc, argv, &common, own))
		return false;
	if (strcmp(mode, "ws") == 0)
		opt.mode = MODE_WS;
	else if (strcmp(mode, "http") == 0)
		opt.mode = MODE_HTTP;
	else
		return false;
	if (opt.inflight < 1)
		opt.inflight = 1;
	if (opt.inflight > MAX_INFLIGHT)
		opt.inflight = MAX_INFLIGHT;
	return common.port > 0 && common.tokens_path && opt.conns > 0 && common.duration > 0;
}

int main(int argc, char **argv)
{
	if (!parse_args(argc, argv))
		return usage();
	const char *why = lc_loop_init(&loop, &common, opt.conns);
	if (why)
		lc_die(why);
	signal(SIGINT, on_sigint);
	if (!lc_tokens_load(common.tokens_path, common.first, opt.max_tokens, &tokens))
		lc_die("no tokens in --tokens FILE (from --first on)");
	if (tokens.n < opt.conns)
		lc_die("fewer tokens than connections");
	why = lc_catalogue_load(common.host, common.port, &cat);
	if (why)
		lc_die(why);

	struct conn *conns = calloc(opt.conns, sizeof(*conns));
	if (!conns)
		abort();
	for (unsigned i = 0; i < opt.conns; i++) {
		conns[i].lc.fd = -1;
		conn_start(&conns[i], i);
	}

	uint64_t t_start = lc_now_us();
	uint64_t t_measure = t_start + (uint64_t)(common.warmup * 1e6);
	uint64_t t_end = t_measure + (uint64_t)(common.duration * 1e6);
	uint64_t next_reap = t_start + 1000000;
	struct lc_metrics m0 = {0}, m1 = {0};
	struct lc_proc p0 = {0}, p1 = {0};
	double self0 = 0, self1 = 0;
	uint64_t sessions0 = 0;
	struct epoll_event evs[512];

	for (;;) {
		int n = lc_loop_wait(&loop, evs, 512, 2);
		for (int e = 0; e < n; e++) {
			struct conn *c = evs[e].data.ptr;
			on_event(c, (unsigned)(c - conns), evs[e].events);
		}
		flush_dirty();
		uint64_t now = lc_now_us();
		if (!measuring && now >= t_measure) {
			m0 = lc_metrics_read(common.host, common.port);
			p0 = lc_proc_read(common.pid);
			self0 = lc_self_cpu();
			sessions0 = cnt.sessions;
			t_measure = lc_now_us();
			measuring = true;
		}
		if (now >= next_reap) {
			reap_lost(conns, opt.conns);
			next_reap = now + 1000000;
		}
		if ((measuring && now >= t_end) || stopping)
			break;
	}
	uint64_t t_stop = lc_now_us();
	measuring = false;
	p1 = lc_proc_read(common.pid);
	self1 = lc_self_cpu();
	m1 = lc_metrics_read(common.host, common.port);
	unsigned open_conns = 0;
	for (unsigned i = 0; i < opt.conns; i++)
		open_conns += conns[i].lc.fd >= 0;

	double secs = (double)(t_stop - t_measure) / 1e6;
	uint64_t acked = cnt.ok201 + cnt.c409;
	lc_lat_sort(&cnt.lat);
	printf("zccheckin: mode %s, %u connections (%u in flight each), %u source address%s, "
	       "%.0f s warm-up + %.1f s measured\n",
	       opt.mode == MODE_WS ? "ws" : "http", opt.conns,
	       opt.mode == MODE_WS ? opt.inflight : 1, common.sources ? common.sources : 1,
	       common.sources > 1 ? "es" : "", common.warmup, secs);
	printf("  acknowledged  %llu = %.0f/s (201: %.0f/s, 409: %.0f/s)\n",
	       (unsigned long long)acked, (double)acked / secs, (double)cnt.ok201 / secs,
	       (double)cnt.c409 / secs);
	printf("  other results %llu (4xx %llu, 5xx %llu), error frames %llu (rate_limited "
	       "%llu), lost %llu, connection failures %llu, closed by node %llu, bad tokens %llu\n",
	       (unsigned long long)cnt.other, (unsigned long long)cnt.status[4],
	       (unsigned long long)cnt.status[5], (unsigned long long)cnt.err_frames,
	       (unsigned long long)cnt.rate_limited, (unsigned long long)cnt.lost,
	       (unsigned long long)cnt.conn_fail, (unsigned long long)cnt.closed,
	       (unsigned long long)cnt.auth_fail);
	printf("  latency       p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (send → result, "
	       "%zu samples)\n",
	       lc_lat_pct(&cnt.lat, 50) / 1e3, lc_lat_pct(&cnt.lat, 90) / 1e3,
	       lc_lat_pct(&cnt.lat, 99) / 1e3, lc_lat_pct(&cnt.lat, 100) / 1e3, cnt.lat.n);
	printf("  participants  %llu used in the window (%zu tokens loaded, %zu taken), %u "
	       "connections open at the end\n",
	       (unsigned long long)(cnt.sessions - sessions0), tokens.n, tokens.taken, open_conns);
	double commits = 0, node_cpu = 0;
	if (m0.ok && m1.ok) {
		commits = m1.commits - m0.commits;
		printf(
		    "  commits       %.0f in the window = %.1f check-ins per commit, mean commit "
		    "%.2f ms (zcnode_commit_seconds)\n",
		    commits, commits > 0 ? (double)acked / commits : 0.0,
		    commits > 0 ? (m1.commit_sum_s - m0.commit_sum_s) / commits * 1e3 : 0.0);
		if (m0.batches >= 0 && m1.batches > m0.batches)
			printf("  group commits %.0f write-queue batches of %.1f jobs on average "
			       "(zcnode_batches_total, zcnode_batch_jobs_total)\n",
			       m1.batches - m0.batches,
			       (m1.batch_jobs - m0.batch_jobs) / (m1.batches - m0.batches));
	}
	if (p0.ok && p1.ok) {
		node_cpu = p1.cpu_s - p0.cpu_s;
		printf("  node          CPU %.2f s (user %.2f, sys %.2f) = %.0f %% of a core, "
		       "%.1f µs per acknowledged check-in; RSS %.1f MB; context switches "
		       "%lu voluntary, %lu involuntary\n",
		       node_cpu, p1.user_s - p0.user_s, p1.sys_s - p0.sys_s, node_cpu / secs * 100,
		       acked ? node_cpu / (double)acked * 1e6 : 0.0, (double)p1.rss_kb / 1024.0,
		       p1.vol_cs - p0.vol_cs, p1.invol_cs - p0.invol_cs);
	}
	printf("  load tool     CPU %.2f s = %.0f %% of a core\n", self1 - self0,
	       (self1 - self0) / secs * 100);
	printf("RESULT mode=%s conns=%u inflight=%u rate=%.0f ok201=%.0f c409=%.0f errors=%llu "
	       "p50_ms=%.2f p99_ms=%.2f max_ms=%.2f per_commit=%.1f node_cpu_us=%.1f rss_mb=%.1f "
	       "taken=%zu\n",
	       opt.mode == MODE_WS ? "ws" : "http", opt.conns,
	       opt.mode == MODE_WS ? opt.inflight : 1, (double)acked / secs,
	       (double)cnt.ok201 / secs, (double)cnt.c409 / secs,
	       (unsigned long long)(cnt.other + cnt.err_frames + cnt.lost + cnt.conn_fail),
	       lc_lat_pct(&cnt.lat, 50) / 1e3, lc_lat_pct(&cnt.lat, 99) / 1e3,
	       lc_lat_pct(&cnt.lat, 100) / 1e3, commits > 0 ? (double)acked / commits : 0.0,
	       acked && node_cpu > 0 ? node_cpu / (double)acked * 1e6 : 0.0,
	       (double)p1.rss_kb / 1024.0, tokens.taken);
	for (unsigned i = 0; i < opt.conns; i++) {
		lc_conn_fini(&conns[i].lc);
		free(conns[i].session.pairs);
	}
	free(conns);
	lc_loop_fini(&loop);
	free(cnt.lat.v);
	free(tokens.tok);
	return 0;
}

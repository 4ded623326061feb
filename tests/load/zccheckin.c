/* zccheckin: load generator for durable check-ins. Opens C connections (WebSocket
 * `checkin` messages, or HTTP/1.1 keep-alive POST /api/v1/me/checkins), each as
 * a seeded participant, keeps up to K check-ins in flight, and reports what the
 * node acknowledged per second, latency, and the node's CPU, RSS and commits. */
#include <getopt.h>
#include <signal.h>
#include <sys/epoll.h>

#include "loadcommon.h"
#include "timeutil.h"

#define MAX_INFLIGHT 32 /* the node's limit per WebSocket connection */
#define SLOTS	     64 /* refs are seq numbers; seq % SLOTS finds the send time */
#define LOST_US	     10000000u

enum mode { MODE_WS, MODE_HTTP };
enum cstate { C_IDLE, C_CONNECTING, C_HANDSHAKE, C_HELLO, C_RUN, C_DONE };

struct conn {
	int fd;
	enum cstate state;
	struct lc_buf in, out, frag;
	char key[32];
	size_t tok; /* index of the participant's token */
	struct lc_pair *pairs;
	size_t npairs, next;
	unsigned inflight;
	uint32_t seq;
	uint64_t sent_us[SLOTS];
	bool want_out, dirty;
	struct conn *next_dirty;
};

static struct {
	enum mode mode;
	const char *host;
	int port;
	const char *tokens_path;
	size_t first, max_tokens;
	unsigned conns, inflight, sources, per_participant;
	double duration, warmup;
	int pid;
	const char *timezone;
} opt = {.mode = MODE_WS,
	 .host = "127.0.0.1",
	 .conns = 64,
	 .inflight = 16,
	 .sources = 1,
	 .duration = 20,
	 .warmup = 3,
	 .timezone = "Europe/Paris"};

static struct lc_catalogue cat;
static struct lc_tokens tokens;
static size_t next_token;
static int ep;
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static struct conn *dirty_head;
static bool measuring, stopping;

static struct {
	uint64_t ok201, c409, other, status[6]; /* other statuses: 4xx, 5xx, ... */
	uint64_t err_frames, rate_limited, lost, conn_fail, closed, sessions, auth_fail;
	struct lc_lat lat;
} cnt;

static void die(const char *msg)
{
	fprintf(stderr, "zccheckin: %s\n", msg);
	exit(1);
}

/* ---- connections ---- */

static void mark_dirty(struct conn *c)
{
	if (!c->dirty) {
		c->dirty = true;
		c->next_dirty = dirty_head;
		dirty_head = c;
	}
}

static bool take_token(struct conn *c)
{
	if (next_token >= tokens.n)
		return false;
	c->tok = next_token++;
	c->npairs = lc_pairs_make(&cat, &c->pairs, opt.per_participant, &rng);
	c->next = 0;
	cnt.sessions++;
	return true;
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0) {
		epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	c->fd = -1;
	c->in.off = c->in.len = 0;
	c->out.off = c->out.len = 0;
	c->frag.off = c->frag.len = 0;
	c->inflight = 0;
	memset(c->sent_us, 0, sizeof(c->sent_us));
	c->want_out = false;
	c->state = C_IDLE;
}

static void conn_start(struct conn *c, unsigned i)
{
	char src[16];
	if (stopping || !take_token(c)) {
		c->state = C_DONE;
		return;
	}
	c->fd = lc_connect(opt.host, opt.port, lc_source(i, opt.sources, src));
	if (c->fd < 0) {
		cnt.conn_fail++;
		c->state = C_DONE;
		return;
	}
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
	epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
	c->want_out = true;
	c->state = C_CONNECTING;
}

static void send_one(struct conn *c)
{
	const struct lc_pair *p = &c->pairs[c->next++];
	char msg[512];
	uint32_t seq = c->seq++;
	if (opt.mode == MODE_WS) {
		int n = snprintf(msg, sizeof(msg),
				 "{\"type\":\"checkin\",\"ref\":\"%u\",\"action\":\"%s\",\"date\":"
				 "\"%s\"}",
				 seq, cat.actions[p->action].id, cat.days[p->day]);
		lc_ws_frame(&c->out, 1, msg, (size_t)n, &rng);
	} else {
		char body[160];
		int bl = snprintf(body, sizeof(body), "{\"action\":\"%s\",\"date\":\"%s\"}",
				  cat.actions[p->action].id, cat.days[p->day]);
		int n = snprintf(msg, sizeof(msg),
				 "POST /api/v1/me/checkins HTTP/1.1\r\nHost: %s:%d\r\n"
				 "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
				 "Content-Length: %d\r\n\r\n%s",
				 opt.host, opt.port, tokens.tok[c->tok], bl, body);
		lc_buf_put(&c->out, msg, (size_t)n);
	}
	c->sent_us[seq % SLOTS] = lc_now_us();
	c->inflight++;
	mark_dirty(c);
}

/* Keeps K in flight; when the participant has nothing left, moves on to the
 * next one (a new connection over WebSocket, the next token over HTTP). */
static void fill(struct conn *c, unsigned i)
{
	unsigned k = opt.mode == MODE_WS ? opt.inflight : 1;
	if (stopping)
		return;
	while (c->inflight < k && c->next < c->npairs)
		send_one(c);
	if (c->inflight || c->next < c->npairs)
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
	struct lc_ws_frame f;
	int r;
	if (c->state == C_HANDSHAKE) {
		r = lc_ws_handshake_done(&c->in, c->key);
		if (r == 0)
			return;
		if (r < 0) {
			cnt.conn_fail++;
			conn_close(c);
			c->state = C_DONE;
			return;
		}
		char hello[128];
		int n = snprintf(hello, sizeof(hello), "{\"type\":\"hello\",\"token\":\"%s\"}",
				 tokens.tok[c->tok]);
		lc_ws_frame(&c->out, 1, hello, (size_t)n, &rng);
		mark_dirty(c);
		c->state = C_HELLO;
	}
	while (c->fd >= 0 && (r = lc_ws_next(&c->in, &f)) == 1) {
		if (f.opcode == 8) { /* close */
			cnt.closed++;
			conn_close(c);
			conn_start(c, i);
			return;
		}
		if (f.opcode == 9) { /* ping */
			lc_ws_frame(&c->out, 10, f.payload, f.len, &rng);
			mark_dirty(c);
			continue;
		}
		if (f.opcode != 0 && f.opcode != 1)
			continue;
		if (!f.fin || lc_buf_used(&c->frag)) {
			lc_buf_put(&c->frag, f.payload, f.len);
			if (!f.fin)
				continue;
			ws_message(c, i, c->frag.p + c->frag.off, lc_buf_used(&c->frag));
			c->frag.off = c->frag.len = 0;
		} else {
			ws_message(c, i, f.payload, f.len);
		}
	}
	if (r < 0) {
		cnt.conn_fail++;
		conn_close(c);
		conn_start(c, i);
	}
}

static void http_input(struct conn *c, unsigned i)
{
	for (;;) {
		char *s = c->in.p + c->in.off;
		size_t n = lc_buf_used(&c->in);
		char *hend = lc_header_end(s, n);
		if (!hend)
			return;
		size_t hl = (size_t)(hend - s) + 4, cl = 0;
		const char *h = memmem(s, hl, "ontent-length:", 14);
		if (h)
			cl = strtoul(h + 14, NULL, 10);
		if (n < hl + cl)
			return;
		int status = n > 12 ? atoi(s + 9) : 0;
		c->in.off += hl + cl;
		record(c, c->seq - 1, status);
		if (memmem(s, hl, "onnection: close", 16)) {
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
		int err = 0;
		socklen_t el = sizeof(err);
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err || (events & (EPOLLERR | EPOLLHUP))) {
			cnt.conn_fail++;
			conn_close(c);
			c->state = C_DONE;
			return;
		}
		if (!(events & EPOLLOUT))
			return;
		if (opt.mode == MODE_WS) {
			lc_ws_handshake(&c->out, opt.host, opt.port, "zcnode.v1", c->key);
			c->state = C_HANDSHAKE;
			mark_dirty(c);
		} else {
			c->state = C_RUN;
			fill(c, i);
		}
		return;
	}
	if (events & EPOLLOUT)
		mark_dirty(c);
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		ssize_t r = lc_read(c->fd, &c->in);
		if (r == 0 || r == -1) {
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
	while (dirty_head) {
		struct conn *c = dirty_head;
		dirty_head = c->next_dirty;
		c->dirty = false;
		if (c->fd < 0)
			continue;
		if (!lc_flush(c->fd, &c->out)) {
			cnt.closed++;
			conn_close(c);
			continue;
		}
		bool need = lc_buf_used(&c->out) > 0;
		if (need != c->want_out) {
			struct epoll_event ev = {.events = EPOLLIN | (need ? EPOLLOUT : 0),
						 .data.ptr = c};
			epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
			c->want_out = need;
		}
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
	static const struct option lo[] = {{"port", 1, 0, 'p'},
					   {"tokens", 1, 0, 't'},
					   {"mode", 1, 0, 'm'},
					   {"connections", 1, 0, 'c'},
					   {"inflight", 1, 0, 'k'},
					   {"duration", 1, 0, 'd'},
					   {"warmup", 1, 0, 'w'},
					   {"first", 1, 0, 'f'},
					   {"max-tokens", 1, 0, 'x'},
					   {"sources", 1, 0, 's'},
					   {"pid", 1, 0, 'P'},
					   {"host", 1, 0, 'H'},
					   {"timezone", 1, 0, 'z'},
					   {"per-participant", 1, 0, 'M'},
					   {0, 0, 0, 0}};
	int ch;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'p':
			opt.port = atoi(optarg);
			break;
		case 't':
			opt.tokens_path = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "ws") == 0)
				opt.mode = MODE_WS;
			else if (strcmp(optarg, "http") == 0)
				opt.mode = MODE_HTTP;
			else
				return false;
			break;
		case 'c':
			opt.conns = (unsigned)atoi(optarg);
			break;
		case 'k':
			opt.inflight = (unsigned)atoi(optarg);
			break;
		case 'd':
			opt.duration = atof(optarg);
			break;
		case 'w':
			opt.warmup = atof(optarg);
			break;
		case 'f':
			opt.first = strtoul(optarg, NULL, 10);
			break;
		case 'x':
			opt.max_tokens = strtoul(optarg, NULL, 10);
			break;
		case 's':
			opt.sources = (unsigned)atoi(optarg);
			break;
		case 'P':
			opt.pid = atoi(optarg);
			break;
		case 'H':
			opt.host = optarg;
			break;
		case 'z':
			opt.timezone = optarg;
			break;
		case 'M':
			opt.per_participant = (unsigned)atoi(optarg);
			break;
		default:
			return false;
		}
	}
	if (opt.inflight < 1)
		opt.inflight = 1;
	if (opt.inflight > MAX_INFLIGHT)
		opt.inflight = MAX_INFLIGHT;
	return opt.port > 0 && opt.tokens_path && opt.conns > 0 && opt.duration > 0;
}

int main(int argc, char **argv)
{
	if (!parse_args(argc, argv))
		return usage();
	if (sodium_init() < 0)
		return 1;
	setenv("TZ", opt.timezone, 1);
	tzset();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_sigint);
	unsigned long nofile = lc_raise_nofile();
	if (opt.conns + 16 > nofile)
		die("more connections than this process may open files");
	if (!lc_tokens_load(opt.tokens_path, opt.first, opt.max_tokens, &tokens))
		die("no tokens in --tokens FILE (from --first on)");
	if (tokens.n < opt.conns)
		die("fewer tokens than connections");
	randombytes_buf(&rng, sizeof(rng));
	rng |= 1;
	const char *why = lc_catalogue_load(opt.host, opt.port, &cat);
	if (why)
		die(why);

	ep = epoll_create1(EPOLL_CLOEXEC);
	struct conn *conns = calloc(opt.conns, sizeof(*conns));
	if (!conns)
		abort();
	for (unsigned i = 0; i < opt.conns; i++) {
		conns[i].fd = -1;
		conn_start(&conns[i], i);
	}

	uint64_t t_start = lc_now_us();
	uint64_t t_measure = t_start + (uint64_t)(opt.warmup * 1e6);
	uint64_t t_end = t_measure + (uint64_t)(opt.duration * 1e6);
	uint64_t next_reap = t_start + 1000000;
	struct lc_metrics m0 = {0}, m1 = {0};
	struct lc_proc p0 = {0}, p1 = {0};
	double self0 = 0, self1 = 0;
	uint64_t sessions0 = 0;
	struct epoll_event evs[512];

	for (;;) {
		int n = epoll_wait(ep, evs, 512, 2);
		for (int e = 0; e < n; e++) {
			struct conn *c = evs[e].data.ptr;
			on_event(c, (unsigned)(c - conns), evs[e].events);
		}
		flush_dirty();
		uint64_t now = lc_now_us();
		if (!measuring && now >= t_measure) {
			m0 = lc_metrics_read(opt.host, opt.port);
			p0 = lc_proc_read(opt.pid);
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
	p1 = lc_proc_read(opt.pid);
	self1 = lc_self_cpu();
	m1 = lc_metrics_read(opt.host, opt.port);
	unsigned open_conns = 0;
	for (unsigned i = 0; i < opt.conns; i++)
		open_conns += conns[i].fd >= 0;

	double secs = (double)(t_stop - t_measure) / 1e6;
	uint64_t acked = cnt.ok201 + cnt.c409;
	lc_lat_sort(&cnt.lat);
	printf("zccheckin: mode %s, %u connections (%u in flight each), %u source address%s, "
	       "%.0f s warm-up + %.1f s measured\n",
	       opt.mode == MODE_WS ? "ws" : "http", opt.conns,
	       opt.mode == MODE_WS ? opt.inflight : 1, opt.sources ? opt.sources : 1,
	       opt.sources > 1 ? "es" : "", opt.warmup, secs);
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
	       (unsigned long long)(cnt.sessions - sessions0), tokens.n, next_token, open_conns);
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
	       (double)p1.rss_kb / 1024.0, next_token);
	for (unsigned i = 0; i < opt.conns; i++) {
		if (conns[i].fd >= 0)
			close(conns[i].fd);
		lc_buf_free(&conns[i].in);
		lc_buf_free(&conns[i].out);
		lc_buf_free(&conns[i].frag);
		free(conns[i].pairs);
	}
	free(conns);
	free(cnt.lat.v);
	free(tokens.tok);
	return 0;
}

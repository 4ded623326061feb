/* zcsubs: leaderboard snapshot fan-out. N WebSocket guests subscribe to a
 * leaderboard while a paced HTTP driver checks in so it changes; reports
 * snapshots per subscriber per second, the spread of receive times of a
 * version, node CPU per delivered frame, and node RSS per connection. */
#include "loadcommon.h"

#define VERSIONS 4096 /* versions tracked at once (a ring) */

enum sstate { S_IDLE, S_CONNECTING, S_HANDSHAKE, S_HELLO, S_READY, S_SUBSCRIBING, S_LIVE, S_DEAD };

struct sub {
	struct lc_conn lc; /* first: the loop hands back &lc */
	enum sstate state;
	uint64_t last_version;
	uint32_t received; /* snapshots in the measured window */
	bool is_driver;
	/* driver only */
	struct lc_session session;
	bool busy;
};

static struct lc_opts common;
static struct {
	const char *channel;
	unsigned subs, drivers, ramp;
	double baseline, rate;
} opt = {.channel = "leaderboard:points:individual",
	 .subs = 5000,
	 .drivers = 2,
	 .ramp = 200,
	 .baseline = 10,
	 .rate = 200};

static struct lc_loop loop;
static struct lc_catalogue cat;
static struct lc_tokens tokens;
static bool measuring, stopping;
static unsigned connecting, ready, live, dead;

static struct {
	uint64_t first_us[VERSIONS], version[VERSIONS];
	uint64_t frames, versions_seen, errors, closed, conn_fail, skipped;
	uint64_t drv_ok, drv_other;
	struct lc_lat spread;
} st;

static void sub_close(struct sub *s, enum sstate to)
{
	lc_conn_close(&loop, &s->lc);
	if (!s->is_driver) {
		if (s->state == S_LIVE)
			live--;
		else if (s->state == S_READY || s->state == S_SUBSCRIBING)
			ready--;
		else if (s->state >= S_CONNECTING && s->state < S_READY)
			connecting--;
	}
	s->state = to;
	if (to == S_DEAD && !s->is_driver)
		dead++;
}

static bool sub_start(struct sub *s, unsigned i)
{
	if (!lc_conn_open(&loop, &s->lc, i)) {
		st.conn_fail++;
		s->state = S_DEAD;
		if (!s->is_driver)
			dead++;
		return false;
	}
	s->state = S_CONNECTING;
	if (!s->is_driver)
		connecting++;
	return true;
}

/* ---- the driver: paced check-ins over HTTP keep-alive ---- */

static bool driver_send(struct sub *d)
{
	struct lc_session *s = &d->session;
	if (s->next >= s->npairs && !lc_session_take(s, &tokens, &cat, 0, &loop.rng))
		return false;
	lc_checkin_post(&loop, &d->lc, s->token, &cat, &s->pairs[s->next++]);
	d->busy = true;
	return true;
}

static void driver_input(struct sub *d)
{
	int status;
	while (lc_http_next(&d->lc.in, &status, NULL)) {
		if (status == 201 || status == 409)
			st.drv_ok++;
		else
			st.drv_other++;
		d->busy = false;
	}
}

/* ---- subscribers ---- */

static void on_snapshot(struct sub *s, const char *m, size_t n)
{
	uint64_t v, now = lc_now_us();
	if (!lc_json_u64(m, n < 160 ? n : 160, "version", &v))
		return;
	if (s->last_version && v > s->last_version + 1 && measuring)
		st.skipped += v - s->last_version - 1;
	s->last_version = v;
	size_t slot = v % VERSIONS;
	if (st.version[slot] != v) {
		st.version[slot] = v;
		st.first_us[slot] = now;
		if (measuring)
			st.versions_seen++;
	}
	if (!measuring)
		return;
	s->received++;
	st.frames++;
	lc_lat_add(&st.spread, now - st.first_us[slot]);
}

static void ws_message(struct sub *s, const char *m, size_t n)
{
	if (n > 18 && memcmp(m, "{\"type\":\"snapshot\"", 18) == 0) {
		on_snapshot(s, m, n);
	} else if (n > 17 && memcmp(m, "{\"type\":\"welcome\"", 17) == 0) {
		s->state = S_READY;
		connecting--;
		ready++;
	} else if (n > 20 && memcmp(m, "{\"type\":\"subscribed\"", 20) == 0) {
		s->state = S_LIVE;
		ready--;
		live++;
	} else if (n > 15 && memcmp(m, "{\"type\":\"error\"", 15) == 0) {
		st.errors++;
		if (st.errors <= 3)
			fprintf(stderr, "zcsubs: node says %.*s\n", (int)(n > 200 ? 200 : n), m);
	}
}

static void subscribe(struct sub *s)
{
	char f[200];
	int l = snprintf(f, sizeof(f), "{\"type\":\"subscribe\",\"channel\":\"%s\"}", opt.channel);
	lc_conn_ws_send(&loop, &s->lc, f, (size_t)l);
	s->state = S_SUBSCRIBING;
}

static void ws_input(struct sub *s)
{
	const char *m;
	size_t n;
	int r = LC_WS_MORE;
	if (s->state == S_HANDSHAKE) {
		r = lc_ws_handshake_done(&s->lc.in, s->lc.key);
		if (r == 0)
			return;
		if (r < 0) {
			st.conn_fail++;
			sub_close(s, S_DEAD);
			return;
		}
		static const char hello[] = "{\"type\":\"hello\"}";
		lc_conn_ws_send(&loop, &s->lc, hello, sizeof(hello) - 1);
		s->state = S_HELLO;
	}
	while (s->lc.fd >= 0 && (r = lc_conn_ws_next(&loop, &s->lc, &m, &n)) == LC_WS_MESSAGE)
		ws_message(s, m, n);
	if (r == LC_WS_CLOSED)
		st.closed++;
	else if (r == LC_WS_ERROR)
		st.conn_fail++;
	else
		return;
	sub_close(s, S_DEAD);
}

static void on_event(struct sub *s, uint32_t events)
{
	if (s->state == S_CONNECTING) {
		int r = lc_conn_connected(&s->lc, events);
		if (r < 0) {
			st.conn_fail++;
			sub_close(s, S_DEAD);
			return;
		}
		if (r == 0)
			return;
		if (s->is_driver) {
			s->state = S_LIVE;
		} else {
			lc_conn_ws_start(&loop, &s->lc);
			s->state = S_HANDSHAKE;
		}
		return;
	}
	if (events & EPOLLOUT)
		lc_conn_mark_dirty(&loop, &s->lc);
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		if (!lc_conn_read(&s->lc)) {
			/* an idle driver's keep-alive may time out: it reopens */
			st.closed += !s->is_driver;
			sub_close(s, S_DEAD);
			return;
		}
		if (s->is_driver)
			driver_input(s);
		else
			ws_input(s);
	}
}

static void flush_dirty(void)
{
	struct lc_conn *failed;
	while ((failed = lc_loop_flush(&loop)) != NULL) {
		st.closed++;
		sub_close((struct sub *)failed, S_DEAD);
	}
}

/* ---- the run ---- */

static struct sub *subs, *drivers;
static uint64_t next_send_us, send_interval_us;

/* Serves events for `us` microseconds, opening subscribers (at most
 * opt.ramp in their handshake at once) while `open_more`, and pacing the
 * driver. */
static void serve(uint64_t us, bool open_more, unsigned *opened)
{
	struct epoll_event evs[512];
	uint64_t end = lc_now_us() + us;
	while (!stopping) {
		uint64_t now = lc_now_us();
		if (now >= end)
			break;
		while (open_more && *opened < opt.subs && connecting < opt.ramp) {
			unsigned i = (*opened)++;
			sub_start(&subs[i], i);
		}
		if (send_interval_us && now >= next_send_us) {
			/* the check-ins that are due, each from an idle driver */
			for (unsigned d = 0; d < opt.drivers && now >= next_send_us; d++) {
				struct sub *x = &drivers[d];
				if (x->state == S_DEAD) {
					/* the node closed it: open another */
					x->busy = false;
					sub_start(x, d);
				}
				if (x->state == S_LIVE && !x->busy && driver_send(x))
					next_send_us += send_interval_us;
			}
			if (next_send_us + 100000 < now)
				next_send_us = now; /* behind by 100 ms: do not burst to catch up */
		}
		int n = lc_loop_wait(&loop, evs, 512, 1);
		for (int e = 0; e < n; e++)
			on_event(evs[e].data.ptr, evs[e].events);
		flush_dirty();
	}
}

static void on_sigint(int sig)
{
	(void)sig;
	stopping = true;
}

static int usage(void)
{
	fputs("usage: zcsubs --port P --tokens FILE [--subscribers N] [--channel NAME]\n"
	      "              [--rate R] [--drivers D] [--first F] [--baseline S]\n"
	      "              [--warmup S] [--duration S] [--sources S] [--ramp N]\n"
	      "              [--pid NODE_PID] [--host 127.0.0.1] [--timezone ZONE]\n"
	      "  Defaults: 5000 guests on leaderboard:points:individual; the driver checks in\n"
	      "  R=200 times a second over D=2 HTTP connections with the tokens of FILE (from\n"
	      "  line F on); 10 s baseline without subscribers, 3 s warm-up, 20 s measured.\n",
	      stderr);
	return 2;
}

static bool parse_args(int argc, char **argv)
{
	const struct lc_opt own[] = {{"subscribers", LC_OPT_UNSIGNED, &opt.subs},
				     {"channel", LC_OPT_STRING, &opt.channel},
				     {"rate", LC_OPT_DOUBLE, &opt.rate},
				     {"drivers", LC_OPT_UNSIGNED, &opt.drivers},
				     {"baseline", LC_OPT_DOUBLE, &opt.baseline},
				     {"ramp", LC_OPT_UNSIGNED, &opt.ramp},
				     {NULL, 0, NULL}};
	if (!lc_opts_parse(argc, argv, &common, own))
		return false;
	if (opt.drivers < 1)
		opt.drivers = 1;
	if (opt.ramp < 1)
		opt.ramp = 1;
	return common.port > 0 && common.tokens_path && common.duration > 0 &&
	       strlen(opt.channel) < 100;
}

int main(int argc, char **argv)
{
	if (!parse_args(argc, argv))
		return usage();
	const char *why = lc_loop_init(&loop, &common, opt.subs + opt.drivers);
	if (why)
		lc_die(why);
	signal(SIGINT, on_sigint);
	if (!lc_tokens_load(common.tokens_path, common.first, 0, &tokens))
		lc_die("no tokens in --tokens FILE (from --first on)");
	why = lc_catalogue_load(common.host, common.port, &cat);
	if (why)
		lc_die(why);

	subs = calloc(opt.subs ? opt.subs : 1, sizeof(*subs));
	drivers = calloc(opt.drivers, sizeof(*drivers));
	if (!subs || !drivers)
		abort();
	for (unsigned d = 0; d < opt.drivers; d++) {
		drivers[d].lc.fd = -1;
		drivers[d].is_driver = true;
		sub_start(&drivers[d], d);
	}
	for (unsigned i = 0; i < opt.subs; i++)
		subs[i].lc.fd = -1;
	send_interval_us = opt.rate > 0 ? (uint64_t)(1e6 / opt.rate) : 0;
	next_send_us = lc_now_us();
	unsigned opened = 0;

	/* 1. baseline: the driver alone */
	serve(1000000, false, &opened); /* settle */
	struct lc_proc b0 = lc_proc_read(common.pid);
	struct lc_metrics bm0 = lc_metrics_read(common.host, common.port);
	uint64_t tb0 = lc_now_us(), drv0 = st.drv_ok;
	serve((uint64_t)(opt.baseline * 1e6), false, &opened);
	uint64_t tb1 = lc_now_us();
	struct lc_proc b1 = lc_proc_read(common.pid);
	struct lc_metrics bm1 = lc_metrics_read(common.host, common.port);
	double base_s = (double)(tb1 - tb0) / 1e6;
	double base_cpu_rate = b1.cpu_s - b0.cpu_s;
	base_cpu_rate = base_s > 0 ? base_cpu_rate / base_s : 0;
	double base_drv_rate = (double)(st.drv_ok - drv0) / base_s;

	/* 2. subscribers connect and say hello, but do not subscribe yet: the
	 * driver's cost with N idle connections on the loop */
	uint64_t tc0 = lc_now_us();
	while (!stopping && (opened < opt.subs || connecting) && lc_now_us() - tc0 < 120000000)
		serve(100000, true, &opened);
	double connect_s = (double)(lc_now_us() - tc0) / 1e6;
	serve(1000000, false, &opened);
	struct lc_proc i0 = lc_proc_read(common.pid);
	uint64_t ti0 = lc_now_us(), drv_i0 = st.drv_ok;
	serve((uint64_t)(opt.baseline * 1e6), false, &opened);
	uint64_t ti1 = lc_now_us();
	struct lc_proc i1 = lc_proc_read(common.pid);
	double idle_s = (double)(ti1 - ti0) / 1e6;
	double idle_cpu_rate = idle_s > 0 ? (i1.cpu_s - i0.cpu_s) / idle_s : 0;
	double idle_drv_rate = (double)(st.drv_ok - drv_i0) / idle_s;

	/* 3. everyone subscribes; warm-up, then the measured window */
	uint64_t ts0 = lc_now_us();
	for (unsigned i = 0; i < opt.subs; i++)
		if (subs[i].state == S_READY)
			subscribe(&subs[i]);
	while (!stopping && ready && lc_now_us() - ts0 < 60000000)
		serve(100000, false, &opened);
	double subscribe_s = (double)(lc_now_us() - ts0) / 1e6;
	serve((uint64_t)(common.warmup * 1e6), false, &opened);
	struct lc_proc m0 = lc_proc_read(common.pid);
	struct lc_metrics mm0 = lc_metrics_read(common.host, common.port);
	double self0 = lc_self_cpu();
	uint64_t tm0 = lc_now_us(), drv1 = st.drv_ok;
	measuring = true;
	serve((uint64_t)(common.duration * 1e6), false, &opened);
	measuring = false;
	uint64_t tm1 = lc_now_us();
	double self1 = lc_self_cpu();
	struct lc_proc m1 = lc_proc_read(common.pid);
	struct lc_metrics mm1 = lc_metrics_read(common.host, common.port);
	double secs = (double)(tm1 - tm0) / 1e6;

	uint32_t rmin = UINT32_MAX, rmax = 0, silent = 0;
	for (unsigned i = 0; i < opt.subs; i++) {
		if (subs[i].state != S_LIVE)
			continue;
		uint32_t r = subs[i].received;
		rmin = r < rmin ? r : rmin;
		rmax = r > rmax ? r : rmax;
		silent += r == 0;
	}
	if (rmin == UINT32_MAX)
		rmin = 0;
	lc_lat_sort(&st.spread);
	double cpu = m1.cpu_s - m0.cpu_s;
	double fan_cpu = cpu - idle_cpu_rate * secs;
	double out_frames = mm0.ok && mm1.ok ? mm1.ws_out - mm0.ws_out : 0;

	double drv_rate = (double)(st.drv_ok - drv1) / secs;
	printf("zcsubs: %u subscribers on %s (%u live, %u failed), driver %.0f check-ins/s "
	       "over %u HTTP connection%s\n",
	       opt.subs, opt.channel, live, dead, opt.rate, opt.drivers,
	       opt.drivers > 1 ? "s" : "");
	printf("  connect       %u connected and welcomed in %.1f s (at most %u handshakes at "
	       "once), all subscribed %.1f s later\n",
	       live, connect_s, opt.ramp, subscribe_s);
	printf("  baseline      driver alone (%.0f s): node CPU %.1f %% of a core, %.0f "
	       "acknowledged/s, %.0f commits/s\n",
	       base_s, base_cpu_rate * 100, base_drv_rate,
	       bm0.ok && bm1.ok ? (bm1.commits - bm0.commits) / base_s : 0.0);
	printf("  idle conns    driver with %u idle connections (%.0f s): node CPU %.1f %% of a "
	       "core, %.0f acknowledged/s = +%.1f µs of node CPU per check-in for the idle "
	       "connections\n",
	       ready + live, idle_s, idle_cpu_rate * 100, idle_drv_rate,
	       idle_drv_rate > 0 ? (idle_cpu_rate - base_cpu_rate) / idle_drv_rate * 1e6 : 0.0);
	printf("  snapshots     %llu received in %.1f s = %.2f per subscriber per second "
	       "(min %.2f, max %.2f; %u silent), %llu versions, %llu skipped by slow "
	       "subscribers\n",
	       (unsigned long long)st.frames, secs, live ? (double)st.frames / live / secs : 0.0,
	       (double)rmin / secs, (double)rmax / secs, silent,
	       (unsigned long long)st.versions_seen, (unsigned long long)st.skipped);
	printf("  spread        receive time after the version's first receipt: p50 %.2f ms, "
	       "p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
	       lc_lat_pct(&st.spread, 50) / 1e3, lc_lat_pct(&st.spread, 90) / 1e3,
	       lc_lat_pct(&st.spread, 99) / 1e3, lc_lat_pct(&st.spread, 100) / 1e3);
	printf(
	    "  node CPU      %.2f s in the window (%.0f %% of a core); minus the idle-connection "
	    "phase: %.2f s for %llu delivered frames = %.2f µs per delivered frame\n",
	    cpu, cpu / secs * 100, fan_cpu, (unsigned long long)st.frames,
	    st.frames ? fan_cpu / (double)st.frames * 1e6 : 0.0);
	printf("  node frames   zcnode_ws_messages_out_total +%.0f in the window\n", out_frames);
	printf("  node RSS      %.1f MB before the connections, %.1f MB with them = %.2f KiB per "
	       "connection; %.1f MB at the end\n",
	       (double)b1.rss_kb / 1024, (double)i0.rss_kb / 1024,
	       ready + live ? ((double)i0.rss_kb - (double)b1.rss_kb) / (ready + live) : 0.0,
	       (double)m1.rss_kb / 1024);
	printf("  driver        %.0f acknowledged/s in the window (%llu other statuses)\n",
	       drv_rate, (unsigned long long)st.drv_other);
	printf("  load tool     CPU %.2f s = %.0f %% of a core; error frames %llu, closed %llu, "
	       "connection failures %llu\n",
	       self1 - self0, (self1 - self0) / secs * 100, (unsigned long long)st.errors,
	       (unsigned long long)st.closed, (unsigned long long)st.conn_fail);
	printf(
	    "RESULT subs=%u live=%u per_sub_per_s=%.2f spread_p50_ms=%.2f spread_p99_ms=%.2f "
	    "spread_max_ms=%.2f us_per_frame=%.2f rss_kib_per_conn=%.2f idle_us_per_checkin=%.1f "
	    "taken=%zu\n",
	    opt.subs, live, live ? (double)st.frames / live / secs : 0.0,
	    lc_lat_pct(&st.spread, 50) / 1e3, lc_lat_pct(&st.spread, 99) / 1e3,
	    lc_lat_pct(&st.spread, 100) / 1e3, st.frames ? fan_cpu / (double)st.frames * 1e6 : 0.0,
	    ready + live ? ((double)i0.rss_kb - (double)b1.rss_kb) / (ready + live) : 0.0,
	    idle_drv_rate > 0 ? (idle_cpu_rate - base_cpu_rate) / idle_drv_rate * 1e6 : 0.0,
	    tokens.taken);
	for (unsigned i = 0; i < opt.subs; i++)
		lc_conn_fini(&subs[i].lc);
	for (unsigned d = 0; d < opt.drivers; d++) {
		lc_conn_fini(&drivers[d].lc);
		free(drivers[d].session.pairs);
	}
	free(subs);
	free(drivers);
	lc_loop_fini(&loop);
	free(st.spread.v);
	free(tokens.tok);
	return 0;
}

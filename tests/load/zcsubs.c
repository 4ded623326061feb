/* zcsubs: leaderboard snapshot fan-out. N WebSocket guests subscribe to a
 * leaderboard while a paced HTTP driver checks in so it changes; reports
 * snapshots per subscriber per second, the spread of receive times of a
 * version, node CPU per delivered frame, and node RSS per connection. */
#include <getopt.h>
#include <signal.h>
#include <sys/epoll.h>

#include "loadcommon.h"

#define VERSIONS 4096 /* versions tracked at once (a ring) */

enum sstate { S_IDLE, S_CONNECTING, S_HANDSHAKE, S_HELLO, S_READY, S_SUBSCRIBING, S_LIVE, S_DEAD };

struct sub {
	int fd;
	enum sstate state;
	struct lc_buf in, out, frag;
	char key[32];
	uint64_t last_version;
	uint32_t received; /* snapshots in the measured window */
	bool want_out, dirty, is_driver;
	struct sub *next_dirty;
	/* driver only */
	size_t tok;
	struct lc_pair *pairs;
	size_t npairs, next;
	bool busy;
};

static struct {
	const char *host, *channel, *tokens_path;
	int port, pid;
	unsigned subs, sources, drivers, ramp;
	double duration, warmup, baseline, rate;
	size_t first;
	const char *timezone;
} opt = {.host = "127.0.0.1",
	 .channel = "leaderboard:points:individual",
	 .subs = 5000,
	 .sources = 1,
	 .drivers = 2,
	 .ramp = 200,
	 .duration = 20,
	 .warmup = 3,
	 .baseline = 10,
	 .rate = 200,
	 .timezone = "Europe/Paris"};

static int ep;
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static struct sub *dirty_head;
static struct lc_catalogue cat;
static struct lc_tokens tokens;
static size_t next_token;
static bool measuring, stopping;
static unsigned connecting, ready, live, dead;

static struct {
	uint64_t first_us[VERSIONS], version[VERSIONS];
	uint64_t frames, versions_seen, errors, closed, conn_fail, skipped;
	uint64_t drv_ok, drv_other;
	struct lc_lat spread;
} st;

static void die(const char *msg)
{
	fprintf(stderr, "zcsubs: %s\n", msg);
	exit(1);
}

static void mark_dirty(struct sub *s)
{
	if (!s->dirty) {
		s->dirty = true;
		s->next_dirty = dirty_head;
		dirty_head = s;
	}
}

static void sub_close(struct sub *s, enum sstate to)
{
	if (s->fd >= 0) {
		epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
		close(s->fd);
	}
	if (!s->is_driver) {
		if (s->state == S_LIVE)
			live--;
		else if (s->state == S_READY || s->state == S_SUBSCRIBING)
			ready--;
		else if (s->state >= S_CONNECTING && s->state < S_READY)
			connecting--;
	}
	s->fd = -1;
	s->state = to;
	s->in.off = s->in.len = s->out.off = s->out.len = s->frag.off = s->frag.len = 0;
	if (to == S_DEAD && !s->is_driver)
		dead++;
}

static bool sub_start(struct sub *s, unsigned i)
{
	char src[16];
	s->fd = lc_connect(opt.host, opt.port, lc_source(i, opt.sources, src));
	if (s->fd < 0) {
		st.conn_fail++;
		s->state = S_DEAD;
		if (!s->is_driver)
			dead++;
		return false;
	}
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = s};
	epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev);
	s->want_out = true;
	s->state = S_CONNECTING;
	if (!s->is_driver)
		connecting++;
	return true;
}

/* ---- the driver: paced check-ins over HTTP keep-alive ---- */

static bool driver_send(struct sub *d)
{
	if (d->next >= d->npairs) {
		if (next_token >= tokens.n)
			return false;
		d->tok = next_token++;
		d->npairs = lc_pairs_make(&cat, &d->pairs, 0, &rng);
		d->next = 0;
	}
	const struct lc_pair *p = &d->pairs[d->next++];
	char body[160], req[512];
	int bl = snprintf(body, sizeof(body), "{\"action\":\"%s\",\"date\":\"%s\"}",
			  cat.actions[p->action].id, cat.days[p->day]);
	int n = snprintf(req, sizeof(req),
			 "POST /api/v1/me/checkins HTTP/1.1\r\nHost: %s:%d\r\n"
			 "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
			 "Content-Length: %d\r\n\r\n%s",
			 opt.host, opt.port, tokens.tok[d->tok], bl, body);
	lc_buf_put(&d->out, req, (size_t)n);
	d->busy = true;
	mark_dirty(d);
	return true;
}

static void driver_input(struct sub *d)
{
	for (;;) {
		char *s = d->in.p + d->in.off;
		size_t n = lc_buf_used(&d->in);
		char *hend = lc_header_end(s, n);
		if (!hend)
			return;
		size_t hl = (size_t)(hend - s) + 4, cl = 0;
		const char *h = memmem(s, hl, "ontent-length:", 14);
		if (h)
			cl = strtoul(h + 14, NULL, 10);
		if (n < hl + cl)
			return;
		int status = atoi(s + 9);
		d->in.off += hl + cl;
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
	lc_ws_frame(&s->out, 1, f, (size_t)l, &rng);
	mark_dirty(s);
	s->state = S_SUBSCRIBING;
}

static void ws_input(struct sub *s)
{
	struct lc_ws_frame f;
	int r;
	if (s->state == S_HANDSHAKE) {
		r = lc_ws_handshake_done(&s->in, s->key);
		if (r == 0)
			return;
		if (r < 0) {
			st.conn_fail++;
			sub_close(s, S_DEAD);
			return;
		}
		static const char hello[] = "{\"type\":\"hello\"}";
		lc_ws_frame(&s->out, 1, hello, sizeof(hello) - 1, &rng);
		mark_dirty(s);
		s->state = S_HELLO;
	}
	while (s->fd >= 0 && (r = lc_ws_next(&s->in, &f)) == 1) {
		if (f.opcode == 8) {
			st.closed++;
			sub_close(s, S_DEAD);
			return;
		}
		if (f.opcode == 9) {
			lc_ws_frame(&s->out, 10, f.payload, f.len, &rng);
			mark_dirty(s);
			continue;
		}
		if (f.opcode != 0 && f.opcode != 1)
			continue;
		if (!f.fin || lc_buf_used(&s->frag)) {
			lc_buf_put(&s->frag, f.payload, f.len);
			if (!f.fin)
				continue;
			ws_message(s, s->frag.p + s->frag.off, lc_buf_used(&s->frag));
			s->frag.off = s->frag.len = 0;
		} else {
			ws_message(s, f.payload, f.len);
		}
	}
	if (r < 0) {
		st.conn_fail++;
		sub_close(s, S_DEAD);
	}
}

static void on_event(struct sub *s, uint32_t events)
{
	if (s->state == S_CONNECTING) {
		int err = 0;
		socklen_t el = sizeof(err);
		getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err || (events & (EPOLLERR | EPOLLHUP))) {
			st.conn_fail++;
			sub_close(s, S_DEAD);
			return;
		}
		if (!(events & EPOLLOUT))
			return;
		if (s->is_driver) {
			s->state = S_LIVE;
		} else {
			lc_ws_handshake(&s->out, opt.host, opt.port, "zcnode.v1", s->key);
			s->state = S_HANDSHAKE;
			mark_dirty(s);
		}
		return;
	}
	if (events & EPOLLOUT)
		mark_dirty(s);
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		ssize_t r = lc_read(s->fd, &s->in);
		if (r == 0 || r == -1) {
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
	while (dirty_head) {
		struct sub *s = dirty_head;
		dirty_head = s->next_dirty;
		s->dirty = false;
		if (s->fd < 0)
			continue;
		if (!lc_flush(s->fd, &s->out)) {
			st.closed++;
			sub_close(s, S_DEAD);
			continue;
		}
		bool need = lc_buf_used(&s->out) > 0;
		if (need != s->want_out) {
			struct epoll_event ev = {.events = EPOLLIN | (need ? EPOLLOUT : 0),
						 .data.ptr = s};
			epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev);
			s->want_out = need;
		}
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
		int n = epoll_wait(ep, evs, 512, 1);
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
	static const struct option lo[] = {{"port", 1, 0, 'p'},	       {"tokens", 1, 0, 't'},
					   {"subscribers", 1, 0, 'n'}, {"channel", 1, 0, 'c'},
					   {"rate", 1, 0, 'r'},	       {"drivers", 1, 0, 'D'},
					   {"first", 1, 0, 'f'},       {"baseline", 1, 0, 'b'},
					   {"warmup", 1, 0, 'w'},      {"duration", 1, 0, 'd'},
					   {"sources", 1, 0, 's'},     {"ramp", 1, 0, 'R'},
					   {"pid", 1, 0, 'P'},	       {"host", 1, 0, 'H'},
					   {"timezone", 1, 0, 'z'},    {0, 0, 0, 0}};
	int ch;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'p':
			opt.port = atoi(optarg);
			break;
		case 't':
			opt.tokens_path = optarg;
			break;
		case 'n':
			opt.subs = (unsigned)atoi(optarg);
			break;
		case 'c':
			opt.channel = optarg;
			break;
		case 'r':
			opt.rate = atof(optarg);
			break;
		case 'D':
			opt.drivers = (unsigned)atoi(optarg);
			break;
		case 'f':
			opt.first = strtoul(optarg, NULL, 10);
			break;
		case 'b':
			opt.baseline = atof(optarg);
			break;
		case 'w':
			opt.warmup = atof(optarg);
			break;
		case 'd':
			opt.duration = atof(optarg);
			break;
		case 's':
			opt.sources = (unsigned)atoi(optarg);
			break;
		case 'R':
			opt.ramp = (unsigned)atoi(optarg);
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
		default:
			return false;
		}
	}
	if (opt.drivers < 1)
		opt.drivers = 1;
	if (opt.ramp < 1)
		opt.ramp = 1;
	return opt.port > 0 && opt.tokens_path && opt.duration > 0 && strlen(opt.channel) < 100;
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
	if (opt.subs + opt.drivers + 16 > nofile)
		die("more connections than this process may open files");
	if (!lc_tokens_load(opt.tokens_path, opt.first, 0, &tokens))
		die("no tokens in --tokens FILE (from --first on)");
	randombytes_buf(&rng, sizeof(rng));
	rng |= 1;
	const char *why = lc_catalogue_load(opt.host, opt.port, &cat);
	if (why)
		die(why);

	ep = epoll_create1(EPOLL_CLOEXEC);
	subs = calloc(opt.subs ? opt.subs : 1, sizeof(*subs));
	drivers = calloc(opt.drivers, sizeof(*drivers));
	if (!subs || !drivers)
		abort();
	for (unsigned d = 0; d < opt.drivers; d++) {
		drivers[d].fd = -1;
		drivers[d].is_driver = true;
		sub_start(&drivers[d], d);
	}
	for (unsigned i = 0; i < opt.subs; i++)
		subs[i].fd = -1;
	send_interval_us = opt.rate > 0 ? (uint64_t)(1e6 / opt.rate) : 0;
	next_send_us = lc_now_us();
	unsigned opened = 0;

	/* 1. baseline: the driver alone */
	serve(1000000, false, &opened); /* settle */
	struct lc_proc b0 = lc_proc_read(opt.pid);
	struct lc_metrics bm0 = lc_metrics_read(opt.host, opt.port);
	uint64_t tb0 = lc_now_us(), drv0 = st.drv_ok;
	serve((uint64_t)(opt.baseline * 1e6), false, &opened);
	uint64_t tb1 = lc_now_us();
	struct lc_proc b1 = lc_proc_read(opt.pid);
	struct lc_metrics bm1 = lc_metrics_read(opt.host, opt.port);
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
	struct lc_proc i0 = lc_proc_read(opt.pid);
	uint64_t ti0 = lc_now_us(), drv_i0 = st.drv_ok;
	serve((uint64_t)(opt.baseline * 1e6), false, &opened);
	uint64_t ti1 = lc_now_us();
	struct lc_proc i1 = lc_proc_read(opt.pid);
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
	serve((uint64_t)(opt.warmup * 1e6), false, &opened);
	struct lc_proc m0 = lc_proc_read(opt.pid);
	struct lc_metrics mm0 = lc_metrics_read(opt.host, opt.port);
	double self0 = lc_self_cpu();
	uint64_t tm0 = lc_now_us(), drv1 = st.drv_ok;
	measuring = true;
	serve((uint64_t)(opt.duration * 1e6), false, &opened);
	measuring = false;
	uint64_t tm1 = lc_now_us();
	double self1 = lc_self_cpu();
	struct lc_proc m1 = lc_proc_read(opt.pid);
	struct lc_metrics mm1 = lc_metrics_read(opt.host, opt.port);
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
	    next_token);
	for (unsigned i = 0; i < opt.subs; i++) {
		if (subs[i].fd >= 0)
			close(subs[i].fd);
		lc_buf_free(&subs[i].in);
		lc_buf_free(&subs[i].out);
		lc_buf_free(&subs[i].frag);
	}
	for (unsigned d = 0; d < opt.drivers; d++) {
		if (drivers[d].fd >= 0)
			close(drivers[d].fd);
		lc_buf_free(&drivers[d].in);
		lc_buf_free(&drivers[d].out);
		free(drivers[d].pairs);
	}
	free(subs);
	free(drivers);
	free(st.spread.v);
	free(tokens.tok);
	return 0;
}

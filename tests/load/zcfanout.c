/* zcfanout: live-workshop fan-out. N participants (tokens from zcseed) or
 * guests subscribe to one event-log channel from several worker processes, each
 * well under the open-file limit, while a paced publisher sends events stamped
 * with their send time; prints connections held, deliveries, losses, latency
 * percentiles, node CPU per delivered frame and per delivery, and node memory
 * per idle connection. Plain or TLS. */
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "loadcommon.h"

#define PER_PROC_AUTO  9000 /* subscribers per worker with --procs 0 */
#define PROCS_MAX      16
#define SCRATCH	       (256 * 1024) /* one read from the node */
#define PUB_HTTP_CONNS 32	    /* debug publisher: requests in flight at most */
#define MARK	       "zcf:"	    /* an event's "zcf:<number>:<send time, µs>" */
#define MARK_LEN       4

/* ---- latency histogram: 1 µs buckets up to 1 ms, then 512 per power of two ---- */

#define HIST_LINEAR  1024
#define HIST_SUB     512
#define HIST_BUCKETS (HIST_LINEAR + 22 * HIST_SUB)

static unsigned hist_index(uint64_t v)
{
	if (v < HIST_LINEAR)
		return (unsigned)v;
	unsigned p = 63u - (unsigned)__builtin_clzll(v);
	if (p > 31)
		return HIST_BUCKETS - 1;
	unsigned shift = p - 9;
	return HIST_LINEAR + (p - 10) * HIST_SUB + (unsigned)((v >> shift) - HIST_SUB);
}

/* The middle of bucket i, µs. */
static double hist_value(unsigned i)
{
	if (i < HIST_LINEAR)
		return i;
	unsigned k = i - HIST_LINEAR, p = 10 + k / HIST_SUB, shift = p - 9;
	return (double)((uint64_t)(HIST_SUB + k % HIST_SUB) << shift) + (double)(1ull << shift) / 2;
}

static double hist_pct(const uint64_t *h, uint64_t total, double pct)
{
	if (!total)
		return 0;
	uint64_t want = (uint64_t)(pct / 100.0 * (double)total + 0.999999), seen = 0;
	if (want < 1)
		want = 1;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		seen += h[i];
		if (seen >= want)
			return hist_value(i);
	}
	return hist_value(HIST_BUCKETS - 1);
}

/* ---- what the processes share (one anonymous shared mapping) ---- */

enum phase { PH_CONNECT, PH_MEASURE, PH_DRAIN, PH_STOP };

/* One worker's figures. Progress fields are written with relaxed atomics while
 * it runs; the rest once, before `done`. */
struct wstat {
	uint32_t opened, live, dead, complete, ready, done, stalled;
	uint64_t frames, event_frames, batch_frames, deliveries, bytes;
	uint64_t lost, dups, gaps, errors, closed, conn_fail, lagging;
	uint64_t lat_max, lat_count;
	double cpu_window_s, cpu_total_s;
	uint64_t hist[HIST_BUCKETS];
};

struct shared {
	uint32_t phase;
	uint32_t published; /* numbered events, 1..published, once publishing ended */
	struct wstat w[PROCS_MAX];
};

static struct shared *shm;

#define LOAD(x)	    __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* ---- options ---- */

static struct lc_opts common;
static struct {
	unsigned subs, procs, ramp, guests, tls, burst, pad, ws_start, stalled;
	const char *channel, *publisher, *admin_user, *admin_password, *admin_token;
	double rate, settle, hold, drain, connect_timeout;
} opt = {.subs = 1000,
	 .ramp = 200,
	 .burst = 1,
	 .pad = 100,
	 .ws_start = 1,
	 .channel = "test:events",
	 .publisher = "debug",
	 .admin_user = "admin",
	 .rate = 10,
	 .settle = 2,
	 .drain = 10,
	 .connect_timeout = 180};

static SSL_CTX *tls_ctx; /* NULL: plain */

/* ---- connections, plain or TLS, on one epoll set ---- */

enum cstate { C_CONNECTING, C_TLS, C_HANDSHAKE, C_HELLO, C_SUBSCRIBING, C_LIVE, C_DEAD };

struct conn {
	struct lc_conn lc; /* first: epoll hands back its address */
	SSL *ssl;
	enum cstate state;
	bool ws;	    /* a WebSocket follows the TCP (and TLS) handshake */
	const char *proto;  /* its subprotocol; NULL: LC_WS_PROTOCOL */
	bool tls_wants_out; /* OpenSSL waits for the socket to take bytes */
};

static struct lc_loop loop;
static char *scratch;

static void conn_interest(struct conn *c)
{
	bool need = c->state == C_CONNECTING || lc_buf_used(&c->lc.out) || c->tls_wants_out;
	if (need != c->lc.want_out && c->lc.fd >= 0) {
		struct epoll_event ev = {.events = EPOLLIN | (need ? EPOLLOUT : 0), .data.ptr = c};
		epoll_ctl(loop.ep, EPOLL_CTL_MOD, c->lc.fd, &ev);
		c->lc.want_out = need;
	}
}

static bool conn_open(struct conn *c, unsigned i, bool ws)
{
	c->ws = ws;
	c->tls_wants_out = false;
	if (!lc_conn_open(&loop, &c->lc, i)) {
		c->state = C_DEAD;
		return false;
	}
	c->state = C_CONNECTING;
	return true;
}

static void conn_close(struct conn *c)
{
	if (c->ssl)
		SSL_free(c->ssl);
	c->ssl = NULL;
	lc_conn_close(&loop, &c->lc);
	c->state = C_DEAD;
}

/* Sends what c->lc.out holds; false on a hard error. */
static bool conn_flush(struct conn *c)
{
	struct lc_buf *b = &c->lc.out;
	c->tls_wants_out = false;
	while (lc_buf_used(b)) {
		int n = (int)(lc_buf_used(b) > INT_MAX ? INT_MAX : lc_buf_used(b));
		ssize_t w;
		if (c->ssl) {
			w = SSL_write(c->ssl, b->p + b->off, n);
			if (w <= 0) {
				int e = SSL_get_error(c->ssl, (int)w);
				if (e != SSL_ERROR_WANT_WRITE && e != SSL_ERROR_WANT_READ)
					return false;
				c->tls_wants_out = e == SSL_ERROR_WANT_WRITE;
				break;
			}
		} else {
			w = send(c->lc.fd, b->p + b->off, (size_t)n, MSG_NOSIGNAL);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				if (errno != EAGAIN && errno != EWOULDBLOCK)
					return false;
				break;
			}
		}
		b->off += (size_t)w;
	}
	if (!lc_buf_used(b))
		b->off = b->len = 0;
	conn_interest(c);
	return true;
}

static bool conn_send(struct conn *c, const void *p, size_t n)
{
	lc_buf_put(&c->lc.out, p, n);
	return conn_flush(c);
}

static bool conn_ws_send(struct conn *c, const char *m, size_t n)
{
	lc_ws_frame(&c->lc.out, 1, m, n, &loop.rng);
	return conn_flush(c);
}

/* Reads into buf: bytes read, 0 at the end, -1 on error, -2 when nothing is
 * there yet. */
static ssize_t conn_read(struct conn *c, char *buf, size_t cap)
{
	if (c->ssl) {
		int r = SSL_read(c->ssl, buf, (int)cap);
		if (r > 0)
			return r;
		int e = SSL_get_error(c->ssl, r);
		if (e == SSL_ERROR_WANT_READ)
			return -2;
		if (e == SSL_ERROR_WANT_WRITE) {
			c->tls_wants_out = true;
			conn_interest(c);
			return -2;
		}
		return e == SSL_ERROR_ZERO_RETURN ? 0 : -1;
	}
	ssize_t r = recv(c->lc.fd, buf, cap, 0);
	if (r < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -2 : -1;
	return r;
}

/* The transport is up: start the WebSocket, or say the connection is usable. */
static bool conn_transport_ready(struct conn *c)
{
	if (!c->ws) {
		c->state = C_LIVE;
		conn_interest(c);
		return true;
	}
	lc_ws_handshake(&c->lc.out, loop.host, loop.port, c->proto ? c->proto : LC_WS_PROTOCOL,
			c->lc.key);
	c->state = C_HANDSHAKE;
	return conn_flush(c);
}

static int conn_tls_step(struct conn *c)
{
	int r = SSL_do_handshake(c->ssl);
	if (r == 1) {
		c->tls_wants_out = false;
		return conn_transport_ready(c) ? 1 : -1;
	}
	int e = SSL_get_error(c->ssl, r);
	if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
		return -1;
	c->tls_wants_out = e == SSL_ERROR_WANT_WRITE;
	conn_interest(c);
	return 0;
}

/* Drives connect and TLS handshakes. Returns 1 when c is past them (the
 * event may carry data to read), 0 when waiting, -1 when it failed. */
static int conn_progress(struct conn *c, uint32_t events)
{
	if (c->state == C_CONNECTING) {
		int r = lc_conn_connected(&c->lc, events);
		if (r <= 0)
			return r;
		if (!tls_ctx)
			return conn_transport_ready(c) ? 0 : -1;
		c->ssl = SSL_new(tls_ctx);
		if (!c->ssl || SSL_set_fd(c->ssl, c->lc.fd) != 1)
			return -1;
		SSL_set_connect_state(c->ssl);
		c->state = C_TLS;
		return conn_tls_step(c) < 0 ? -1 : 0;
	}
	if (c->state == C_TLS)
		return conn_tls_step(c) < 0 ? -1 : 0;
	if ((events & EPOLLOUT) && (lc_buf_used(&c->lc.out) || c->tls_wants_out))
		if (!conn_flush(c))
			return -1;
	return 1;
}

/* Reads everything available and hands it to `take` (which consumes what it
 * can from the buffer it is given); leftovers wait in c->lc.in. Returns false
 * when the connection ended or `take` closed it. */
static bool conn_input(struct conn *c, bool (*take)(struct conn *, struct lc_buf *))
{
	for (;;) {
		ssize_t r = conn_read(c, scratch, SCRATCH);
		if (r == -2)
			return true;
		if (r <= 0)
			return false;
		bool ok;
		if (lc_buf_used(&c->lc.in)) {
			lc_buf_put(&c->lc.in, scratch, (size_t)r);
			ok = take(c, &c->lc.in);
		} else {
			/* Most reads hold whole frames: parse them where they landed. */
			struct lc_buf v = {.p = scratch, .len = (size_t)r, .cap = SCRATCH};
			ok = take(c, &v);
			if (ok && lc_buf_used(&v))
				lc_buf_put(&c->lc.in, v.p + v.off, lc_buf_used(&v));
		}
		if (!ok)
			return false;
		if (!c->ssl && (size_t)r < SCRATCH)
			return true; /* level-triggered: a short read emptied the socket */
	}
}

/* Takes the complete WebSocket messages at the front of b, joining fragments
 * and answering pings; calls on_message for each. LC_WS_* like
 * lc_conn_ws_next. */
static int ws_messages(struct conn *c, struct lc_buf *b,
		       void (*on_message)(struct conn *, const char *, size_t))
{
	struct lc_ws_frame f;
	int r = 0;
	while (c->state != C_DEAD && (r = lc_ws_next(b, &f)) == 1) {
		if (f.opcode == 8)
			return LC_WS_CLOSED;
		if (f.opcode == 9) {
			lc_ws_frame(&c->lc.out, 10, f.payload, f.len, &loop.rng);
			if (!conn_flush(c))
				return LC_WS_ERROR;
			continue;
		}
		if (f.opcode != 0 && f.opcode != 1)
			continue;
		if (f.fin && !lc_buf_used(&c->lc.frag)) {
			on_message(c, f.payload, f.len);
			continue;
		}
		lc_buf_put(&c->lc.frag, f.payload, f.len);
		if (!f.fin)
			continue;
		on_message(c, c->lc.frag.p + c->lc.frag.off, lc_buf_used(&c->lc.frag));
		c->lc.frag.off = c->lc.frag.len = 0;
	}
	return c->state == C_DEAD ? LC_WS_CLOSED : r < 0 ? LC_WS_ERROR : LC_WS_MORE;
}

/* True when message m starts with {"type":"<type>". */
#define MSG_IS(m, n, type)                                                                         \
	((n) >= sizeof("{\"type\":\"" type "\"") - 1 &&                                            \
	 memcmp((m), "{\"type\":\"" type "\"", sizeof("{\"type\":\"" type "\"") - 1) == 0)

/* ---- workers: the subscribers ---- */

struct sub {
	struct conn c;	   /* first */
	uint32_t got;	   /* numbered events received */
	uint64_t last_seq; /* the channel's seq of the last event received */
	bool stalled;	   /* stopped reading once subscribed (--stalled) */
};

static struct {
	struct wstat *st;
	struct sub *subs;
	unsigned first, count; /* global index of subs[0]; how many */
	unsigned opened, connecting, live;
	struct lc_tokens tokens;
	bool measuring;
	uint64_t now;
} wk;

static void sub_dead(struct sub *s, bool was_live)
{
	if (s->c.state == C_DEAD)
		return;
	if (was_live)
		wk.live--;
	else
		wk.connecting--;
	conn_close(&s->c);
	STORE(wk.st->dead, LOAD(wk.st->dead) + 1);
}

static uint64_t digits(const char **p, const char *end)
{
	uint64_t x = 0;
	for (; *p < end && **p >= '0' && **p <= '9'; (*p)++)
		x = x * 10 + (uint64_t)(**p - '0');
	return x;
}

/* The events of an event or batch frame, in the channel's order: gaps and
 * repeats by seq (the publisher's connections may reorder its numbers), and
 * latency from the send time stamped in each of ours. */
static void sub_events(struct sub *s, const char *m, size_t n, bool batch)
{
	static const char seq_key[] = "\"seq\":";
	const char *end = m + n, *p = m;
	struct wstat *st = wk.st;
	bool skip = false; /* a repeated event: its stamp is not counted */
	if (wk.measuring) {
		st->frames++;
		st->bytes += n;
		if (batch)
			st->batch_frames++;
		else
			st->event_frames++;
	}
	for (;;) {
		const char *q = memmem(p, (size_t)(end - p), seq_key, sizeof(seq_key) - 1);
		const char *mk = memmem(p, (size_t)(end - p), MARK, MARK_LEN);
		if (!q && !mk)
			break;
		if (q && (!mk || q < mk)) {
			p = q + sizeof(seq_key) - 1;
			uint64_t seq = digits(&p, end);
			skip = s->last_seq && seq <= s->last_seq;
			if (skip)
				st->dups++;
			else if (s->last_seq && seq > s->last_seq + 1)
				st->gaps += seq - s->last_seq - 1;
			if (!skip)
				s->last_seq = seq;
			continue;
		}
		p = mk + MARK_LEN;
		uint64_t num = digits(&p, end);
		if (p >= end || *p != ':')
			continue;
		p++;
		uint64_t t = digits(&p, end);
		if (num == 0 || skip)
			continue; /* warm-up */
		s->got++;
		st->deliveries++;
		uint64_t lat = wk.now > t ? wk.now - t : 0;
		st->hist[hist_index(lat)]++;
		st->lat_count++;
		if (lat > st->lat_max)
			st->lat_max = lat;
	}
}

static void sub_subscribe(struct sub *s)
{
	char f[200];
	int l = snprintf(f, sizeof(f), "{\"type\":\"subscribe\",\"channel\":\"%s\"}", opt.channel);
	s->c.state = C_SUBSCRIBING;
	if (!conn_ws_send(&s->c, f, (size_t)l)) {
		STORE(wk.st->conn_fail, LOAD(wk.st->conn_fail) + 1);
		sub_dead(s, false);
	}
}

static void sub_message(struct conn *c, const char *m, size_t n)
{
	struct sub *s = (struct sub *)c;
	if (MSG_IS(m, n, "event")) {
		sub_events(s, m, n, false);
	} else if (MSG_IS(m, n, "batch")) {
		sub_events(s, m, n, true);
	} else if (MSG_IS(m, n, "welcome") && c->state == C_HELLO) {
		sub_subscribe(s);
	} else if (MSG_IS(m, n, "subscribed") && c->state == C_SUBSCRIBING) {
		c->state = C_LIVE;
		wk.connecting--;
		if ((size_t)(s - wk.subs) + wk.first < opt.stalled) {
			/* Never read again: the node's buffers for it fill up. */
			epoll_ctl(loop.ep, EPOLL_CTL_DEL, c->lc.fd, NULL);
			s->stalled = true;
			STORE(wk.st->stalled, LOAD(wk.st->stalled) + 1);
			return;
		}
		wk.live++;
	} else if (MSG_IS(m, n, "error")) {
		uint64_t e = LOAD(wk.st->errors) + 1;
		STORE(wk.st->errors, e);
		if (memmem(m, n, "\"lagging\"", 9))
			wk.st->lagging++;
		if (e <= 3)
			fprintf(stderr, "zcfanout: node says %.*s\n", (int)(n > 200 ? 200 : n), m);
	}
}

static bool sub_take(struct conn *c, struct lc_buf *b)
{
	struct sub *s = (struct sub *)c;
	if (c->state == C_HANDSHAKE) {
		int r = lc_ws_handshake_done(b, c->lc.key);
		if (r == 0)
			return true;
		if (r < 0) {
			STORE(wk.st->conn_fail, LOAD(wk.st->conn_fail) + 1);
			sub_dead(s, false);
			return false;
		}
		char hello[128];
		size_t i = (size_t)(s - wk.subs) + wk.first;
		int l = opt.guests ? snprintf(hello, sizeof(hello), "{\"type\":\"hello\"}")
				   : snprintf(hello, sizeof(hello),
					      "{\"type\":\"hello\",\"token\":\"%s\"}",
					      wk.tokens.tok[i % wk.tokens.n]);
		c->state = C_HELLO;
		if (!conn_ws_send(c, hello, (size_t)l)) {
			STORE(wk.st->conn_fail, LOAD(wk.st->conn_fail) + 1);
			sub_dead(s, false);
			return false;
		}
	}
	bool was_live = c->state == C_LIVE;
	int r = ws_messages(c, b, sub_message);
	if (r == LC_WS_MORE)
		return true;
	if (c->state != C_DEAD) {
		if (r == LC_WS_CLOSED)
			wk.st->closed++;
		else
			STORE(wk.st->conn_fail, LOAD(wk.st->conn_fail) + 1);
		sub_dead(s, was_live);
	}
	return false;
}

static void sub_event(struct sub *s, uint32_t events)
{
	wk.now = lc_now_us();
	bool was_live = s->c.state == C_LIVE;
	int r = conn_progress(&s->c, events);
	if (r < 0) {
		STORE(wk.st->conn_fail, LOAD(wk.st->conn_fail) + 1);
		sub_dead(s, false);
		return;
	}
	if (r == 0 || !(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	if (!conn_input(&s->c, sub_take) && s->c.state != C_DEAD) {
		wk.st->closed++;
		sub_dead(s, was_live);
	}
}

static void worker_publish_progress(void)
{
	STORE(wk.st->opened, wk.opened);
	STORE(wk.st->live, wk.live);
	STORE(wk.st->ready, wk.opened == wk.count && wk.connecting == 0);
}

static bool sub_live(const struct sub *s)
{
	return s->c.state == C_LIVE && !s->stalled;
}

static uint32_t worker_complete(uint32_t published)
{
	uint32_t n = 0;
	for (unsigned i = 0; i < wk.count; i++)
		n += sub_live(&wk.subs[i]) && wk.subs[i].got >= published;
	return n;
}

/* Serves this worker's subscribers until the parent says stop, then writes its
 * figures. */
static void worker_run(unsigned k, unsigned first, unsigned count)
{
	struct epoll_event evs[512];
	uint64_t last_progress = lc_now_us(), last_check = 0;
	unsigned last_settled = 0;
	double cpu0 = 0;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	wk.st = &shm->w[k];
	wk.first = first;
	wk.count = count;
	const char *why = lc_loop_init(&loop, &common, count);
	if (why)
		lc_die(why);
	wk.subs = calloc(count ? count : 1, sizeof(*wk.subs));
	if (!wk.subs)
		abort();
	for (unsigned i = 0; i < count; i++)
		wk.subs[i].c.lc.fd = -1;
	while (LOAD(shm->phase) != PH_STOP) {
		wk.now = lc_now_us();
		while (wk.opened < count && wk.connecting < opt.ramp) {
			struct sub *s = &wk.subs[wk.opened];
			wk.opened++;
			wk.connecting++;
			if (!conn_open(&s->c, first + wk.opened - 1, true)) {
				STORE(wk.st->conn_fail, LOAD(wk.st->conn_fail) + 1);
				wk.connecting--;
				STORE(wk.st->dead, LOAD(wk.st->dead) + 1);
			}
		}
		int n = lc_loop_wait(&loop, evs, 512, 5);
		wk.now = lc_now_us();
		for (int e = 0; e < n; e++)
			sub_event(evs[e].data.ptr, evs[e].events);
		uint32_t phase = LOAD(shm->phase);
		if (!wk.measuring && phase >= PH_MEASURE) {
			wk.measuring = true;
			cpu0 = lc_self_cpu();
		}
		worker_publish_progress();
		/* Handshakes that stall (no answer for a long time) count as failed. */
		unsigned settled = wk.opened - wk.connecting;
		if (settled != last_settled || wk.opened < count) {
			last_settled = settled;
			last_progress = wk.now;
		} else if (wk.connecting && wk.now - last_progress > 30000000) {
			for (unsigned i = 0; i < count; i++)
				if (wk.subs[i].c.state != C_LIVE && wk.subs[i].c.state != C_DEAD) {
					STORE(wk.st->conn_fail, LOAD(wk.st->conn_fail) + 1);
					sub_dead(&wk.subs[i], false);
				}
		}
		if (phase == PH_DRAIN && wk.now - last_check > 20000) {
			last_check = wk.now;
			STORE(wk.st->complete, worker_complete(LOAD(shm->published)));
		}
	}
	uint32_t published = LOAD(shm->published);
	struct wstat *st = wk.st;
	st->cpu_window_s = wk.measuring ? lc_self_cpu() - cpu0 : 0;
	st->cpu_total_s = lc_self_cpu();
	for (unsigned i = 0; i < count; i++) {
		struct sub *s = &wk.subs[i];
		if (sub_live(s) && published > s->got)
			st->lost += published - s->got;
	}
	STORE(st->live, wk.live);
	STORE(st->complete, worker_complete(published));
	__atomic_store_n(&st->done, 1, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < count; i++) {
		if (wk.subs[i].c.ssl)
			SSL_free(wk.subs[i].c.ssl);
		lc_conn_fini(&wk.subs[i].c.lc);
	}
	free(wk.subs);
	lc_loop_fini(&loop);
}

/* ---- the parent: publisher and sampler ---- */

struct pub {
	struct conn c; /* first */
	bool busy;     /* debug: a request is waiting for its answer */
	bool welcomed; /* ws: after welcome (and the start command) */
};

static struct {
	bool ws;
	struct pub conns[PUB_HTTP_CONNS];
	unsigned nconns;
	char token[128];
	char pad[16384];
	/* pacing */
	double rate;
	unsigned burst;
	uint64_t next_us, interval_us;
	uint32_t num;  /* number of the next event; 0 marks warm-up events */
	uint32_t left; /* events to send in this phase */
	uint64_t sent, ok, errors, late, reopened;
	uint64_t max_behind_us;
} pb;

static bool stopping;

static void on_sigint(int sig)
{
	(void)sig;
	stopping = true;
}

static void pub_message(struct conn *c, const char *m, size_t n)
{
	struct pub *p = (struct pub *)c;
	if (MSG_IS(m, n, "welcome")) {
		if (opt.ws_start) {
			char f[256];
			int l = snprintf(f, sizeof(f),
					 "{\"type\":\"publish\",\"channel\":\"%s\",\"action\":"
					 "\"start\"}",
					 opt.channel);
			conn_ws_send(c, f, (size_t)l);
		}
		p->welcomed = true;
	} else if (MSG_IS(m, n, "ack")) {
		pb.ok++;
	} else if (MSG_IS(m, n, "error")) {
		/* The start command may find the workshop already live. */
		if (!pb.sent && opt.ws_start)
			return;
		if (++pb.errors <= 3)
			fprintf(stderr, "zcfanout: publisher: node says %.*s\n",
				(int)(n > 200 ? 200 : n), m);
	}
}

static bool pub_take(struct conn *c, struct lc_buf *b)
{
	struct pub *p = (struct pub *)c;
	if (!pb.ws) {
		int status;
		bool closing = false;
		while (lc_http_next(b, &status, &closing)) {
			p->busy = false;
			if (status == 202) {
				pb.ok++;
			} else if (++pb.errors <= 3) {
				fprintf(stderr, "zcfanout: publisher: HTTP %d\n", status);
			}
			if (closing)
				return false;
		}
		return true;
	}
	if (c->state == C_HANDSHAKE) {
		int r = lc_ws_handshake_done(b, c->lc.key);
		if (r == 0)
			return true;
		if (r < 0)
			return false;
		char hello[200];
		int l = snprintf(hello, sizeof(hello), "{\"type\":\"hello\",\"token\":\"%s\"}",
				 pb.token);
		c->state = C_LIVE;
		if (!conn_ws_send(c, hello, (size_t)l))
			return false;
	}
	return ws_messages(c, b, pub_message) == LC_WS_MORE;
}

static void pub_open(struct pub *p, unsigned i)
{
	p->busy = p->welcomed = false;
	/* The animator's console speaks the staff subprotocol (larger reads). */
	p->c.proto = pb.ws ? "zcnode.v1.presenter" : NULL;
	if (!conn_open(&p->c, i, pb.ws))
		lc_die("cannot open the publisher's connection");
}

static void pub_event(struct pub *p, uint32_t events)
{
	int r = conn_progress(&p->c, events);
	if (r == 0)
		return;
	if (r > 0 && !(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	if (r > 0 && conn_input(&p->c, pub_take))
		return;
	/* The node closed a keep-alive connection (or it failed): reopen it; an
	 * answer it still owed is lost and counted. */
	if (p->busy)
		pb.errors++;
	conn_close(&p->c);
	if (pb.ws)
		lc_die("the publisher's WebSocket closed");
	pb.reopened++;
	pub_open(p, (unsigned)(p - pb.conns));
}

static bool pub_ready(void)
{
	for (unsigned i = 0; i < pb.nconns; i++)
		if (pb.conns[i].c.state != C_LIVE || (pb.ws && !pb.conns[i].welcomed))
			return false;
	return true;
}

/* Sends one event stamped now; false when no connection can take it yet. */
static bool pub_send(void)
{
	char text[16500], body[16800], req[17200];
	struct pub *p = NULL;
	for (unsigned i = 0; i < pb.nconns && !p; i++)
		if (pb.conns[i].c.state == C_LIVE && !pb.conns[i].busy &&
		    (!pb.ws || pb.conns[i].welcomed))
			p = &pb.conns[i];
	if (!p)
		return false;
	uint64_t now = lc_now_us();
	snprintf(text, sizeof(text), MARK "%u:%llu%s%s", pb.num, (unsigned long long)now,
		 pb.pad[0] ? " " : "", pb.pad);
	if (pb.ws) {
		int l = snprintf(body, sizeof(body),
				 "{\"type\":\"publish\",\"channel\":\"%s\",\"action\":\"announce\","
				 "\"text\":\"%s\"}",
				 opt.channel, text);
		conn_ws_send(&p->c, body, (size_t)l);
	} else {
		int bl = snprintf(
		    body, sizeof(body),
		    "{\"channel\":\"%s\",\"data\":{\"kind\":\"announce\",\"text\":\"%s\"}}",
		    opt.channel, text);
		int l = snprintf(req, sizeof(req),
				 "POST /api/v1/admin/debug/publish HTTP/1.1\r\nHost: %s:%d\r\n"
				 "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
				 "Content-Length: %d\r\n\r\n%s",
				 loop.host, loop.port, pb.token, bl, body);
		p->busy = true;
		conn_send(&p->c, req, (size_t)l);
	}
	pb.sent++;
	if (pb.num)
		pb.num++;
	return true;
}

/* Publishes what is due (bursts of pb.burst every pb.interval_us). */
static void pub_pace(uint64_t now)
{
	while (pb.left && now >= pb.next_us) {
		unsigned b = pb.burst < pb.left ? pb.burst : pb.left;
		unsigned sent = 0;
		while (sent < b && pub_send())
			sent++;
		pb.left -= sent;
		if (sent < b) {
			pb.late++; /* every connection is waiting: try again soon */
			break;
		}
		if (now - pb.next_us > pb.max_behind_us)
			pb.max_behind_us = now - pb.next_us;
		pb.next_us += pb.interval_us;
	}
}

/* Serves the publisher's connections for `us` µs, or until `until` says so. */
static void parent_serve(uint64_t us, bool (*until)(void))
{
	struct epoll_event evs[16];
	uint64_t end = lc_now_us() + us;
	while (!stopping) {
		uint64_t now = lc_now_us();
		if (now >= end || (until && until()))
			break;
		if (pb.nconns)
			pub_pace(now);
		int timeout = 2;
		if (pb.left && pb.next_us > now && pb.next_us - now < 2000)
			timeout = 0;
		int n = lc_loop_wait(&loop, evs, 16, timeout);
		for (int e = 0; e < n; e++)
			pub_event(evs[e].data.ptr, evs[e].events);
	}
}

/* Starts a publishing phase: `events` events at opt.rate, numbered from
 * `first_num` (0: warm-up, unnumbered). */
static void pub_phase(uint32_t events, uint32_t first_num)
{
	pb.left = events;
	pb.num = first_num;
	pb.next_us = lc_now_us();
}

static bool pub_idle(void)
{
	if (pb.left)
		return false;
	for (unsigned i = 0; i < pb.nconns; i++)
		if (pb.conns[i].busy)
			return false;
	return true;
}

/* ---- the admin login, over the same connections ---- */

static struct {
	bool done;
	char token[128];
} login;

static bool login_take(struct conn *c, struct lc_buf *b)
{
	(void)c;
	const char *s = b->p + b->off;
	size_t before = b->off;
	int status;
	if (!lc_http_next(b, &status, NULL))
		return true;
	const char *end = s + (b->off - before);
	const char *t = memmem(s, (size_t)(end - s), "\"token\":\"", 9);
	const char *q = t ? memchr(t + 9, '"', (size_t)(end - t - 9)) : NULL;
	if (status == 200 && q && (size_t)(q - t - 9) < sizeof(login.token))
		memcpy(login.token, t + 9, (size_t)(q - t - 9));
	login.done = true;
	return true;
}

/* Logs in as --admin-user (in the parent, before any publisher connection). */
static void admin_login(void)
{
	struct epoll_event ev;
	struct conn c = {.lc.fd = -1};
	char body[512], req[1024];
	uint64_t deadline = lc_now_us() + 10000000;
	if (opt.admin_token) {
		snprintf(pb.token, sizeof(pb.token), "%s", opt.admin_token);
		return;
	}
	if (!opt.admin_password)
		lc_die("publishing needs --admin-password (or --admin-token)");
	int bl = snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}",
			  opt.admin_user, opt.admin_password);
	int rl = snprintf(req, sizeof(req),
			  "POST /api/v1/admin/login HTTP/1.1\r\nHost: %s:%d\r\n"
			  "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			  loop.host, loop.port, bl, body);
	bool sent = false;
	if (!conn_open(&c, 0, false))
		lc_die("cannot connect to the node");
	while (!login.done && c.state != C_DEAD && lc_now_us() < deadline) {
		if (c.state == C_LIVE && !sent)
			sent = conn_send(&c, req, (size_t)rl);
		if (lc_loop_wait(&loop, &ev, 1, 10) != 1)
			continue;
		int r = conn_progress(&c, ev.events);
		if (r < 0 || (r > 0 && (ev.events & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
			      !conn_input(&c, login_take)))
			break;
	}
	conn_close(&c);
	lc_conn_fini(&c.lc);
	if (!login.token[0])
		lc_die("admin login failed");
	memcpy(pb.token, login.token, sizeof(pb.token));
}

/* ---- the node through /proc ---- */

struct node_mem {
	unsigned long rss_kb, anon_kb;
};

static struct node_mem node_mem(int pid)
{
	struct node_mem m = {0};
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	FILE *f = pid > 0 ? fopen(path, "r") : NULL;
	if (!f)
		return m;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			m.rss_kb = strtoul(line + 6, NULL, 10);
		else if (strncmp(line, "RssAnon:", 8) == 0)
			m.anon_kb = strtoul(line + 8, NULL, 10);
	}
	fclose(f);
	return m;
}

/* Open WebSocket connections by the node's own count (/metrics); -1 if unknown. */
static double node_ws_connections(void)
{
	char *body;
	size_t len;
	double v = -1;
	if (tls_ctx)
		return v;
	if (lc_http_get(common.host, common.port, "/metrics", NULL, &body, &len, 5000) == 200)
		v = lc_metric(body, "zcnode_ws_connections");
	free(body);
	return v;
}

/* The kernel's memory for TCP buffers, KiB (/proc/net/sockstat counts pages). */
static double tcp_mem_kib(void)
{
	char line[256];
	double kib = 0;
	FILE *f = fopen("/proc/net/sockstat", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		const char *m = strncmp(line, "TCP:", 4) == 0 ? strstr(line, " mem ") : NULL;
		if (m)
			kib = strtod(m + 5, NULL) * (double)sysconf(_SC_PAGESIZE) / 1024;
	}
	fclose(f);
	return kib;
}

/* ---- the run ---- */

static unsigned nprocs;
static pid_t pids[PROCS_MAX];

static uint32_t sum_field(size_t off)
{
	uint32_t s = 0;
	for (unsigned k = 0; k < nprocs; k++)
		s += __atomic_load_n((uint32_t *)((char *)&shm->w[k] + off), __ATOMIC_RELAXED);
	return s;
}

#define SUM(field) sum_field(offsetof(struct wstat, field))

static bool all_ready(void)
{
	return SUM(ready) == nprocs;
}

static bool all_complete(void)
{
	return SUM(complete) >= SUM(live);
}

static int usage(void)
{
	fputs("usage: zcfanout --port P --pid NODE_PID (--tokens FILE [--first F] | --guests 1)\n"
	      "                [--subscribers N] [--procs K] [--sources S] [--ramp R]\n"
	      "                [--channel NAME] [--publisher debug|ws] [--rate EV_PER_S]\n"
	      "                [--burst B] [--pad BYTES] [--warmup S] [--duration S]\n"
	      "                [--drain S] [--settle S] [--hold S] [--tls 1]\n"
	      "                [--admin-user U] (--admin-password PW | --admin-token T)\n"
	      "                [--ws-start 0|1] [--stalled K] [--host 127.0.0.1]\n"
	      "  N subscribers (participants with the tokens of FILE from line F, or guests)\n"
	      "  over K worker processes (0: one per 9,000), source addresses 127.0.0.1..S;\n"
	      "  after --settle s idle (memory measured), --hold s more, then events at\n"
	      "  EV_PER_S (bursts of B) for --warmup s unmeasured and --duration s measured,\n"
	      "  and at most --drain s for the last deliveries. --publisher debug posts to\n"
	      "  /api/v1/admin/debug/publish (test_hooks, channel test:events); ws sends\n"
	      "  `publish` `announce` from a staff WebSocket (a workshop channel; --ws-start 1\n"
	      "  sends `start` first). --rate 0: connections and memory only. The first K\n"
	      "  subscribers stop reading once subscribed (not counted as deliveries).\n",
	      stderr);
	return 2;
}

static bool parse_args(int argc, char **argv)
{
	const struct lc_opt own[] = {{"subscribers", LC_OPT_UNSIGNED, &opt.subs},
				     {"procs", LC_OPT_UNSIGNED, &opt.procs},
				     {"ramp", LC_OPT_UNSIGNED, &opt.ramp},
				     {"guests", LC_OPT_UNSIGNED, &opt.guests},
				     {"tls", LC_OPT_UNSIGNED, &opt.tls},
				     {"channel", LC_OPT_STRING, &opt.channel},
				     {"publisher", LC_OPT_STRING, &opt.publisher},
				     {"admin-user", LC_OPT_STRING, &opt.admin_user},
				     {"admin-password", LC_OPT_STRING, &opt.admin_password},
				     {"admin-token", LC_OPT_STRING, &opt.admin_token},
				     {"rate", LC_OPT_DOUBLE, &opt.rate},
				     {"burst", LC_OPT_UNSIGNED, &opt.burst},
				     {"pad", LC_OPT_UNSIGNED, &opt.pad},
				     {"ws-start", LC_OPT_UNSIGNED, &opt.ws_start},
				     {"settle", LC_OPT_DOUBLE, &opt.settle},
				     {"hold", LC_OPT_DOUBLE, &opt.hold},
				     {"drain", LC_OPT_DOUBLE, &opt.drain},
				     {"connect-timeout", LC_OPT_DOUBLE, &opt.connect_timeout},
				     {"stalled", LC_OPT_UNSIGNED, &opt.stalled},
				     {NULL, 0, NULL}};
	if (!lc_opts_parse(argc, argv, &common, own))
		return false;
	if (opt.ramp < 1)
		opt.ramp = 1;
	if (opt.burst < 1)
		opt.burst = 1;
	if (opt.pad >= sizeof(pb.pad))
		opt.pad = sizeof(pb.pad) - 1;
	if (common.warmup < 0)
		common.warmup = 0;
	return common.port > 0 && opt.subs > 0 && (opt.guests || common.tokens_path) &&
	       strlen(opt.channel) < 100 && opt.rate >= 0 && common.duration > 0 &&
	       (strcmp(opt.publisher, "debug") == 0 || strcmp(opt.publisher, "ws") == 0);
}

static SSL_CTX *tls_client_ctx(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx)
		lc_die("SSL_CTX_new failed");
	/* A loopback benchmark against the node's own (often self-signed) certificate. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
				  SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	return ctx;
}

int main(int argc, char **argv)
{
	if (!parse_args(argc, argv))
		return usage();
	nprocs = opt.procs ? opt.procs : (opt.subs + PER_PROC_AUTO - 1) / PER_PROC_AUTO;
	if (nprocs > PROCS_MAX || nprocs > opt.subs)
		lc_die("--procs: at most 16, and at most one per subscriber");
	if (opt.tls)
		tls_ctx = tls_client_ctx();
	scratch = malloc(SCRATCH);
	if (!scratch)
		abort();
	struct lc_tokens tokens = {0};
	if (!opt.guests && !lc_tokens_load(common.tokens_path, common.first, opt.subs, &tokens))
		lc_die("no tokens in --tokens FILE (from --first on)");
	if (!opt.guests && tokens.n < opt.subs)
		fprintf(stderr, "zcfanout: only %zu tokens: some participants connect twice\n",
			tokens.n);
	pb.ws = strcmp(opt.publisher, "ws") == 0;
	pb.rate = opt.rate;
	pb.burst = opt.burst;
	memset(pb.pad, 'x', opt.pad);

	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		lc_die("mmap failed");
	memset(shm, 0, sizeof(*shm));
	struct node_mem m0 = node_mem(common.pid);
	double tcp0 = tcp_mem_kib();
	fflush(NULL);
	unsigned per = opt.subs / nprocs, extra = opt.subs % nprocs, first = 0;
	for (unsigned k = 0; k < nprocs; k++) {
		unsigned count = per + (k < extra);
		pid_t pid = fork();
		if (pid < 0)
			lc_die("fork failed");
		if (pid == 0) {
			wk.tokens = tokens;
			worker_run(k, first, count);
			_exit(0);
		}
		pids[k] = pid;
		first += count;
	}
	free(tokens.tok);
	signal(SIGINT, on_sigint);
	const char *why = lc_loop_init(&loop, &common, PUB_HTTP_CONNS);
	if (why)
		lc_die(why);
	if (opt.rate > 0)
		admin_login();

	/* 1. connect, hello, subscribe */
	uint64_t t0 = lc_now_us(), next_note = t0 + 5000000;
	while (!stopping && !all_ready() &&
	       lc_now_us() - t0 < (uint64_t)(opt.connect_timeout * 1e6)) {
		parent_serve(100000, all_ready);
		if (lc_now_us() > next_note) {
			next_note += 5000000;
			fprintf(stderr, "zcfanout: %u opened, %u subscribed, %u failed\n",
				SUM(opened), SUM(live), SUM(dead));
		}
	}
	double connect_s = (double)(lc_now_us() - t0) / 1e6;
	uint32_t live0 = SUM(live);

	/* 2. idle: memory per connection, the node's idle CPU */
	parent_serve((uint64_t)(opt.settle * 1e6), NULL);
	struct node_mem m1 = node_mem(common.pid);
	double tcp1 = tcp_mem_kib();
	struct lc_proc i0 = lc_proc_read(common.pid);
	uint64_t ti0 = lc_now_us();
	parent_serve((uint64_t)((opt.hold > 2 ? opt.hold : 2) * 1e6), NULL);
	struct lc_proc i1 = lc_proc_read(common.pid);
	double idle_s = (double)(lc_now_us() - ti0) / 1e6;
	double idle_cpu = idle_s > 0 ? (i1.cpu_s - i0.cpu_s) / idle_s : 0;
	uint32_t held = SUM(live);

	/* 3. publish: warm-up, the measured events, the drain */
	uint32_t events = (uint32_t)(opt.rate * common.duration + 0.5);
	double measure_s = 0, drain_s = 0;
	struct lc_proc c1 = {0}, c2 = {0};
	struct node_mem m2 = {0};
	double self0 = 0, self1 = 0;
	if (opt.rate > 0 && events > 0) {
		pb.nconns = pb.ws ? 1 : PUB_HTTP_CONNS;
		pb.interval_us = (uint64_t)(1e6 * pb.burst / opt.rate);
		for (unsigned i = 0; i < pb.nconns; i++)
			pub_open(&pb.conns[i], i);
		uint64_t tp = lc_now_us();
		while (!stopping && !pub_ready() && lc_now_us() - tp < 10000000)
			parent_serve(100000, pub_ready);
		if (!pub_ready())
			lc_die("the publisher could not connect (or was not welcomed)");
		parent_serve(200000, NULL); /* the start command, if any, settles */
		pub_phase((uint32_t)(opt.rate * common.warmup + 0.5), 0);
		parent_serve((uint64_t)(common.warmup * 1e6) + 5000000, pub_idle);
		parent_serve(500000, NULL);
		c1 = lc_proc_read(common.pid);
		self0 = lc_self_cpu();
		uint64_t tm0 = lc_now_us();
		STORE(shm->phase, PH_MEASURE);
		pub_phase(events, 1);
		parent_serve((uint64_t)(common.duration * 1e6) * 3, pub_idle);
		measure_s = (double)(lc_now_us() - tm0) / 1e6;
		STORE(shm->published, events - pb.left);
		STORE(shm->phase, PH_DRAIN);
		uint64_t td = lc_now_us();
		parent_serve((uint64_t)(opt.drain * 1e6), all_complete);
		drain_s = (double)(lc_now_us() - td) / 1e6;
		c2 = lc_proc_read(common.pid);
		m2 = node_mem(common.pid);
		self1 = lc_self_cpu();
	} else {
		/* Nothing published: the node's CPU while its connections are idle. */
		c1 = lc_proc_read(common.pid);
		self0 = lc_self_cpu();
		uint64_t tm0 = lc_now_us();
		parent_serve((uint64_t)(common.duration * 1e6), NULL);
		measure_s = (double)(lc_now_us() - tm0) / 1e6;
		c2 = lc_proc_read(common.pid);
		m2 = node_mem(common.pid);
		self1 = lc_self_cpu();
	}
	double tcp2 = tcp_mem_kib(), node_ws = node_ws_connections();
	STORE(shm->phase, PH_STOP);
	for (unsigned k = 0; k < nprocs; k++) {
		int status;
		waitpid(pids[k], &status, 0);
	}

	/* 4. the figures */
	static uint64_t hist[HIST_BUCKETS];
	struct wstat t = {0};
	double gen_cpu = self1 - self0;
	for (unsigned k = 0; k < nprocs; k++) {
		const struct wstat *w = &shm->w[k];
		if (!__atomic_load_n(&w->done, __ATOMIC_ACQUIRE))
			fprintf(stderr, "zcfanout: worker %u did not finish\n", k);
		t.live += w->live;
		t.dead += w->dead;
		t.stalled += w->stalled;
		t.complete += w->complete;
		t.frames += w->frames;
		t.event_frames += w->event_frames;
		t.batch_frames += w->batch_frames;
		t.deliveries += w->deliveries;
		t.bytes += w->bytes;
		t.lost += w->lost;
		t.dups += w->dups;
		t.gaps += w->gaps;
		t.errors += w->errors;
		t.closed += w->closed;
		t.conn_fail += w->conn_fail;
		t.lagging += w->lagging;
		t.lat_count += w->lat_count;
		t.lat_max = w->lat_max > t.lat_max ? w->lat_max : t.lat_max;
		gen_cpu += w->cpu_window_s;
		for (unsigned i = 0; i < HIST_BUCKETS; i++)
			hist[i] += w->hist[i];
	}
	uint32_t published = shm->published;
	double node_cpu = c2.cpu_s - c1.cpu_s, window_s = measure_s + drain_s;
	double us_frame = t.frames ? node_cpu / (double)t.frames * 1e6 : 0;
	double us_delivery = t.deliveries ? node_cpu / (double)t.deliveries * 1e6 : 0;
	double rss_conn = live0 ? ((double)m1.rss_kb - (double)m0.rss_kb) / live0 : 0;
	double anon_conn = live0 ? ((double)m1.anon_kb - (double)m0.anon_kb) / live0 : 0;
	double p50 = hist_pct(hist, t.lat_count, 50) / 1e3,
	       p99 = hist_pct(hist, t.lat_count, 99) / 1e3;
	double lat_max = (double)t.lat_max / 1e3;

	printf("zcfanout: %u %s on %s over %u process%s%s, %s publisher, %.0f events/s "
	       "(bursts of %u)\n",
	       opt.subs, opt.guests ? "guests" : "participants", opt.channel, nprocs,
	       nprocs > 1 ? "es" : "", opt.tls ? ", TLS" : "", opt.publisher, opt.rate, opt.burst);
	printf("  connections   %u subscribed in %.1f s (%llu failed to connect, at most %u "
	       "handshakes at once per process); %u held after %.0f s idle; %u at the end "
	       "(%llu closed by the node)\n",
	       live0, connect_s, (unsigned long long)t.conn_fail, opt.ramp, held,
	       opt.settle + idle_s, t.live, (unsigned long long)t.closed);
	printf("  node memory   RSS %.1f MB before, %.1f MB with the connections idle = %.2f KiB "
	       "per connection (anonymous memory: %.2f KiB); %.1f MB after publishing\n",
	       (double)m0.rss_kb / 1024, (double)m1.rss_kb / 1024, rss_conn, anon_conn,
	       (double)m2.rss_kb / 1024);
	printf("  node idle     %.2f %% of a core with %u idle connections\n", idle_cpu * 100,
	       held);
	printf(
	    "  kernel        TCP buffers %.0f KiB before, %.0f KiB idle, %.0f KiB at the end; the "
	    "node counts %.0f WebSocket connections at the end",
	    tcp0, tcp1, tcp2, node_ws);
	if (opt.stalled)
		printf(" (%u stalled subscribers stopped reading)", t.stalled);
	printf("\n");
	if (published) {
		printf("  events        %u published in %.1f s (%llu accepted, %llu publisher "
		       "errors, %llu times no connection was free, at most %.1f ms behind)\n",
		       published, measure_s, (unsigned long long)pb.ok,
		       (unsigned long long)pb.errors, (unsigned long long)pb.late,
		       (double)pb.max_behind_us / 1e3);
		printf("  deliveries    %llu of %llu expected to the %u connected at the end: "
		       "%llu lost (%llu missing seqs, %llu repeated); %u complete after %.2f s of "
		       "drain; %llu error frames (%llu lagging)\n",
		       (unsigned long long)t.deliveries, (unsigned long long)published * t.live,
		       t.live, (unsigned long long)t.lost, (unsigned long long)t.gaps,
		       (unsigned long long)t.dups, t.complete, drain_s,
		       (unsigned long long)t.errors, (unsigned long long)t.lagging);
		printf("  frames        %llu (%llu event, %llu batch) = %.2f events per frame, "
		       "%.0f bytes per frame\n",
		       (unsigned long long)t.frames, (unsigned long long)t.event_frames,
		       (unsigned long long)t.batch_frames,
		       t.frames ? (double)t.deliveries / (double)t.frames : 0.0,
		       t.frames ? (double)t.bytes / (double)t.frames : 0.0);
		printf("  latency       send to receipt: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
		       p50, p99, lat_max);
		printf(
		    "  node CPU      %.2f s in %.1f s (%.0f %% of a core) = %.2f µs per delivered "
		    "frame, %.2f µs per delivery\n",
		    node_cpu, window_s, window_s > 0 ? node_cpu / window_s * 100 : 0.0, us_frame,
		    us_delivery);
		printf("  load tool     %.2f s of CPU in the window (%.0f %% of a core)\n", gen_cpu,
		       window_s > 0 ? gen_cpu / window_s * 100 : 0.0);
	}
	printf("RESULT subs=%u procs=%u tls=%u live=%u held=%u end_live=%u rate=%.0f events=%u "
	       "deliveries=%llu lost=%llu frames=%llu events_per_frame=%.2f p50_ms=%.2f "
	       "p99_ms=%.2f max_ms=%.2f us_per_frame=%.2f us_per_delivery=%.3f "
	       "node_cpu_pct=%.1f rss_kib_per_conn=%.2f anon_kib_per_conn=%.2f closed=%llu "
	       "errors=%llu conn_fail=%llu\n",
	       opt.subs, nprocs, opt.tls, live0, held, t.live, opt.rate, published,
	       (unsigned long long)t.deliveries, (unsigned long long)t.lost,
	       (unsigned long long)t.frames,
	       t.frames ? (double)t.deliveries / (double)t.frames : 0.0, p50, p99, lat_max,
	       us_frame, us_delivery, window_s > 0 ? node_cpu / window_s * 100 : 0.0, rss_conn,
	       anon_conn, (unsigned long long)t.closed, (unsigned long long)t.errors,
	       (unsigned long long)t.conn_fail);
	for (unsigned i = 0; i < pb.nconns; i++) {
		if (pb.conns[i].c.ssl)
			SSL_free(pb.conns[i].c.ssl);
		lc_conn_fini(&pb.conns[i].c.lc);
	}
	lc_loop_fini(&loop);
	munmap(shm, sizeof(*shm));
	free(scratch);
	if (tls_ctx)
		SSL_CTX_free(tls_ctx);
	return 0;
}

/* Shared pieces of the load tools (header-only, every function static inline
 * so each tool keeps only what it uses): options, byte buffers, non-blocking
 * loopback sockets, a minimal WebSocket client (handshake, masked frames, frame
 * parsing), client connections on one epoll set, a blocking HTTP GET, /metrics
 * and /proc sampling, percentiles, the check-ins a participant may send. */
#ifndef ZC_LOADCOMMON_H
#define ZC_LOADCOMMON_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "timeutil.h"

/* Prints "tool: msg" on stderr and exits with status 1. */
_Noreturn static inline void lc_die(const char *msg)
{
	fprintf(stderr, "%s: %s\n", program_invocation_short_name, msg);
	exit(1);
}

/* ---- command-line options ---- */

enum lc_opt_kind { LC_OPT_INT, LC_OPT_UNSIGNED, LC_OPT_SIZE, LC_OPT_DOUBLE, LC_OPT_STRING };

/* One `--name VALUE` option and where its value goes (an int, unsigned,
 * size_t, double or const char *, after kind). Tables end with a NULL name. */
struct lc_opt {
	const char *name;
	enum lc_opt_kind kind;
	void *at;
};

/* The options of every tool that drives a running node. */
struct lc_opts {
	const char *host;
	int port;
	int pid; /* the node's, for its CPU and RSS; 0: not sampled */
	const char *tokens_path;
	size_t first; /* tokens used from this line of the file on */
	unsigned sources;
	double duration, warmup; /* seconds */
	const char *timezone;	 /* the node's, for its days */
};

#define LC_OPTS_MAX 32

/* Stores the text v in the option's variable; false when it is no number of
 * the kind. */
static inline bool lc_opt_set(const struct lc_opt *o, const char *v)
{
	char *end = NULL;
	errno = 0;
	switch (o->kind) {
	case LC_OPT_STRING:
		*(const char **)o->at = v;
		return true;
	case LC_OPT_DOUBLE:
		*(double *)o->at = strtod(v, &end);
		break;
	case LC_OPT_INT: {
		long x = strtol(v, &end, 10);
		if (x < INT_MIN || x > INT_MAX)
			return false;
		*(int *)o->at = (int)x;
		break;
	}
	case LC_OPT_UNSIGNED:
	case LC_OPT_SIZE: {
		if (v[0] == '-')
			return false;
		unsigned long long x = strtoull(v, &end, 10);
		if (o->kind == LC_OPT_SIZE)
			*(size_t *)o->at = (size_t)x;
		else if (x <= UINT_MAX)
			*(unsigned *)o->at = (unsigned)x;
		else
			return false;
		break;
	}
	}
	return end && end != v && *end == '\0' && errno == 0;
}

/* Sets o's defaults, then parses argv with getopt_long against the options of
 * o and the tool's table `own`; false on an unknown option or a bad value. */
static inline bool lc_opts_parse(int argc, char **argv, struct lc_opts *o, const struct lc_opt *own)
{
	const struct lc_opt common[] = {{"host", LC_OPT_STRING, &o->host},
					{"port", LC_OPT_INT, &o->port},
					{"pid", LC_OPT_INT, &o->pid},
					{"tokens", LC_OPT_STRING, &o->tokens_path},
					{"first", LC_OPT_SIZE, &o->first},
					{"sources", LC_OPT_UNSIGNED, &o->sources},
					{"duration", LC_OPT_DOUBLE, &o->duration},
					{"warmup", LC_OPT_DOUBLE, &o->warmup},
					{"timezone", LC_OPT_STRING, &o->timezone},
					{NULL, 0, NULL}};
	const struct lc_opt *all[LC_OPTS_MAX];
	struct option lo[LC_OPTS_MAX + 1];
	size_t n = 0;
	*o = (struct lc_opts){.host = "127.0.0.1",
			      .sources = 1,
			      .duration = 20,
			      .warmup = 3,
			      .timezone = "Europe/Paris"};
	for (const struct lc_opt *t = common; t->name && n < LC_OPTS_MAX; t++, n++)
		all[n] = t;
	for (const struct lc_opt *t = own; t->name && n < LC_OPTS_MAX; t++, n++)
		all[n] = t;
	for (size_t i = 0; i < n; i++)
		/* values above any getopt_long answers ('?', ':') */
		lo[i] = (struct option){all[i]->name, required_argument, NULL, 256 + (int)i};
	lo[n] = (struct option){0};
	int ch;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1)
		if (ch < 256 || (size_t)(ch - 256) >= n || !lc_opt_set(all[ch - 256], optarg))
			return false;
	return true;
}

/* ---- time ---- */

static inline uint64_t lc_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static inline void *lc_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fprintf(stderr, "out of memory\n");
		abort();
	}
	return q;
}

/* ---- a fast generator for masks and shuffles (xorshift64*) ---- */

static inline uint64_t lc_rand(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* ---- byte buffers: data lives in [off, len) ---- */

struct lc_buf {
	char *p;
	size_t off, len, cap;
};

static inline void lc_buf_reserve(struct lc_buf *b, size_t n)
{
	if (b->off && b->off == b->len)
		b->off = b->len = 0;
	if (b->len + n <= b->cap)
		return;
	if (b->off) {
		memmove(b->p, b->p + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
		if (b->len + n <= b->cap)
			return;
	}
	size_t cap = b->cap ? b->cap : 1024;
	while (cap < b->len + n)
		cap *= 2;
	b->p = lc_xrealloc(b->p, cap);
	b->cap = cap;
}

static inline void lc_buf_put(struct lc_buf *b, const void *d, size_t n)
{
	lc_buf_reserve(b, n);
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static inline size_t lc_buf_used(const struct lc_buf *b)
{
	return b->len - b->off;
}

static inline void lc_buf_free(struct lc_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* The end of an HTTP header block ("\r\n\r\n") in s[0..n), or NULL. (A loop
 * rather than memmem, whose nonnull attribute trips GCC's sanitizer builds.) */
static inline char *lc_header_end(char *s, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if (s[i] == '\r' && s[i + 1] == '\n' && s[i + 2] == '\r' && s[i + 3] == '\n')
			return s + i;
	return NULL;
}

/* ---- sockets ---- */

/* Starts a non-blocking TCP connection to host:port from source address
 * `src` (NULL: any); returns the fd or -1. */
static inline int lc_connect(const char *host, int port, const char *src)
{
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1;
	if (inet_pton(AF_INET, host, &to.sin_addr) != 1)
		return -1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (src) {
		struct sockaddr_in from = {.sin_family = AF_INET};
		if (inet_pton(AF_INET, src, &from.sin_addr) != 1)
			goto fail;
#ifdef IP_BIND_ADDRESS_NO_PORT
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
#endif
		if (bind(fd, (struct sockaddr *)&from, sizeof(from)) != 0)
			goto fail;
	}
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0 && errno != EINPROGRESS)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/* Source address number i of `sources` spread over 127.0.0.1 … 127.0.0.250. */
static inline const char *lc_source(unsigned i, unsigned sources, char out[16])
{
	if (sources <= 1)
		return NULL;
	snprintf(out, 16, "127.0.0.%u", 1 + (i % sources) % 250);
	return out;
}

/* Writes what the buffer holds; false on a hard error. Leaves the rest. */
static inline bool lc_flush(int fd, struct lc_buf *b)
{
	while (lc_buf_used(b)) {
		ssize_t w = send(fd, b->p + b->off, lc_buf_used(b), MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK;
		}
		b->off += (size_t)w;
	}
	b->off = b->len = 0;
	return true;
}

/* Reads what is available into b; returns bytes read, 0 on EOF, -1 on error
 * (EAGAIN gives -2). */
static inline ssize_t lc_read(int fd, struct lc_buf *b)
{
	lc_buf_reserve(b, 65536);
	ssize_t r = recv(fd, b->p + b->len, b->cap - b->len, 0);
	if (r > 0)
		b->len += (size_t)r;
	else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return -2;
	return r;
}

/* Raises the soft limit of open files to the hard one; returns the limit. */
static inline unsigned long lc_raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 0;
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	return (unsigned long)rl.rlim_cur;
}

/* ---- WebSocket client (RFC 6455) ---- */

#define LC_WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

/* Appends the opening handshake; key receives the Sec-WebSocket-Key (25 bytes). */
static inline void lc_ws_handshake(struct lc_buf *b, const char *host, int port,
				   const char *protocol, char key[32])
{
	unsigned char raw[16];
	char req[512];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(key, 32, raw, sizeof(raw), sodium_base64_VARIANT_ORIGINAL);
	int n = snprintf(req, sizeof(req),
			 "GET /ws HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
			 "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
			 "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: %s\r\n\r\n",
			 host, port, key, protocol);
	lc_buf_put(b, req, (size_t)n);
}

/* Looks for the end of the server's handshake in b. Returns 1 when it is a
 * valid 101 for key (consumed from b), 0 when incomplete, -1 when refused. */
static inline int lc_ws_handshake_done(struct lc_buf *b, const char *key)
{
	char *start = b->p + b->off;
	size_t n = lc_buf_used(b);
	char *end = memmem(start, n, "\r\n\r\n", 4);
	if (!end)
		return n > 8192 ? -1 : 0;
	size_t hl = (size_t)(end - start) + 4;
	if (n < 12 || memcmp(start, "HTTP/1.1 101", 12) != 0)
		return -1;
	/* Sec-WebSocket-Accept = base64(SHA-1(key + GUID)) */
	char cat[64], expect[40];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int cl = snprintf(cat, sizeof(cat), "%s%s", key, LC_WS_GUID);
	if (!EVP_Digest(cat, (size_t)cl, md, &mdlen, EVP_sha1(), NULL))
		return -1;
	sodium_bin2base64(expect, sizeof(expect), md, mdlen, sodium_base64_VARIANT_ORIGINAL);
	bool ok = false;
	for (char *p = start; p < end;) {
		char *eol = memmem(p, (size_t)(end - p) + 2, "\r\n", 2);
		if (!eol)
			break;
		if ((size_t)(eol - p) > 22 && strncasecmp(p, "sec-websocket-accept:", 21) == 0) {
			char *v = p + 21;
			while (*v == ' ')
				v++;
			ok = (size_t)(eol - v) == strlen(expect) &&
			     memcmp(v, expect, strlen(expect)) == 0;
		}
		p = eol + 2;
	}
	b->off += hl;
	return ok ? 1 : -1;
}

/* Appends one masked client frame (FIN set) with the given opcode. */
static inline void lc_ws_frame(struct lc_buf *b, unsigned opcode, const void *payload, size_t n,
			       uint64_t *rng)
{
	unsigned char h[14];
	size_t hl = 0;
	h[hl++] = (unsigned char)(0x80 | opcode);
	if (n < 126) {
		h[hl++] = (unsigned char)(0x80 | n);
	} else if (n < 65536) {
		h[hl++] = 0x80 | 126;
		h[hl++] = (unsigned char)(n >> 8);
		h[hl++] = (unsigned char)n;
	} else {
		h[hl++] = 0x80 | 127;
		for (int i = 7; i >= 0; i--)
			h[hl++] = (unsigned char)((uint64_t)n >> (8 * i));
	}
	uint32_t mask = (uint32_t)lc_rand(rng);
	unsigned char m[4];
	memcpy(m, &mask, 4);
	memcpy(h + hl, m, 4);
	hl += 4;
	lc_buf_reserve(b, hl + n);
	unsigned char *dst = (unsigned char *)b->p + b->len;
	memcpy(dst, h, hl);
	const unsigned char *src = payload;
	for (size_t i = 0; i < n; i++)
		dst[hl + i] = src[i] ^ m[i & 3];
	b->len += hl + n;
}

struct lc_ws_frame {
	unsigned opcode;
	bool fin;
	const char *payload;
	size_t len;
};

/* Parses one server frame at the front of b. Returns 1 (frame in *f,
 * consumed), 0 (incomplete) or -1 (protocol error: masked or oversized). */
static inline int lc_ws_next(struct lc_buf *b, struct lc_ws_frame *f)
{
	const unsigned char *p = (const unsigned char *)b->p + b->off;
	size_t n = lc_buf_used(b), hl = 2;
	if (n < 2)
		return 0;
	if (p[1] & 0x80)
		return -1; /* servers never mask */
	uint64_t len = p[1] & 0x7f;
	if (len == 126) {
		if (n < 4)
			return 0;
		len = (uint64_t)p[2] << 8 | p[3];
		hl = 4;
	} else if (len == 127) {
		if (n < 10)
			return 0;
		len = 0;
		for (int i = 0; i < 8; i++)
			len = len << 8 | p[2 + i];
		hl = 10;
		if (len > (1u << 26))
			return -1;
	}
	if (n < hl + len)
		return 0;
	f->fin = (p[0] & 0x80) != 0;
	f->opcode = p[0] & 0x0f;
	f->payload = (const char *)p + hl;
	f->len = (size_t)len;
	b->off += hl + (size_t)len;
	return 1;
}

/* ---- client connections on one epoll set ---- */

#define LC_WS_PROTOCOL "zcnode.v1"

/* What every connection of a tool holds. Tools embed it as the first member
 * of their own connection struct: the pointers lc_loop_wait and
 * lc_loop_flush hand back can be cast to it. */
struct lc_conn {
	int fd; /* -1 when closed */
	struct lc_buf in, out;
	struct lc_buf frag; /* a fragmented WebSocket message so far */
	char key[32];	    /* our Sec-WebSocket-Key */
	bool want_out;	    /* EPOLLOUT asked for */
	bool dirty;	    /* on the loop's list of output to send */
	struct lc_conn *next_dirty;
};

/* The node's address, the epoll set, the connections with output to send, and
 * the generator for frame masks and shuffles. */
struct lc_loop {
	const char *host;
	int port;
	unsigned sources; /* source addresses to spread connections over */
	int ep;
	uint64_t rng;
	struct lc_conn *dirty;
};

/* Readies a tool that opens up to `conns` connections to the node of o:
 * libsodium, TZ (the node's days), SIGPIPE ignored, the open-file limit, the
 * generator, the epoll set. NULL when ready, else why not. */
static inline const char *lc_loop_init(struct lc_loop *l, const struct lc_opts *o, unsigned conns)
{
	*l = (struct lc_loop){.host = o->host, .port = o->port, .sources = o->sources, .ep = -1};
	if (sodium_init() < 0)
		return "libsodium cannot start";
	setenv("TZ", o->timezone, 1);
	tzset();
	signal(SIGPIPE, SIG_IGN);
	if (conns + 16 > lc_raise_nofile())
		return "more connections than this process may open files";
	randombytes_buf(&l->rng, sizeof(l->rng));
	l->rng |= 1; /* xorshift never leaves 0 */
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	return l->ep < 0 ? "epoll_create1 failed" : NULL;
}

static inline void lc_loop_fini(struct lc_loop *l)
{
	if (l->ep >= 0)
		close(l->ep);
	l->ep = -1;
}

/* Waits at most timeout_ms for events; returns how many are in evs. */
static inline int lc_loop_wait(struct lc_loop *l, struct epoll_event *evs, int max, int timeout_ms)
{
	return epoll_wait(l->ep, evs, max, timeout_ms);
}

/* Queues c's output for the next lc_loop_flush. */
static inline void lc_conn_mark_dirty(struct lc_loop *l, struct lc_conn *c)
{
	if (!c->dirty) {
		c->dirty = true;
		c->next_dirty = l->dirty;
		l->dirty = c;
	}
}

/* Sends the queued output, asking for EPOLLOUT where some is left. Returns a
 * connection whose write failed (off the list; the caller closes it and calls
 * again), or NULL when all is sent or waiting. */
static inline struct lc_conn *lc_loop_flush(struct lc_loop *l)
{
	while (l->dirty) {
		struct lc_conn *c = l->dirty;
		l->dirty = c->next_dirty;
		c->dirty = false;
		if (c->fd < 0)
			continue;
		if (!lc_flush(c->fd, &c->out))
			return c;
		bool need = lc_buf_used(&c->out) > 0;
		if (need != c->want_out) {
			struct epoll_event ev = {.events = EPOLLIN | (need ? EPOLLOUT : 0),
						 .data.ptr = c};
			epoll_ctl(l->ep, EPOLL_CTL_MOD, c->fd, &ev);
			c->want_out = need;
		}
	}
	return NULL;
}

/* Starts connection number i (it picks the source address) to the node;
 * false when the socket could not even be opened. */
static inline bool lc_conn_open(struct lc_loop *l, struct lc_conn *c, unsigned i)
{
	char src[16];
	c->fd = lc_connect(l->host, l->port, lc_source(i, l->sources, src));
	if (c->fd < 0)
		return false;
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
	epoll_ctl(l->ep, EPOLL_CTL_ADD, c->fd, &ev);
	c->want_out = true;
	return true;
}

/* Closes c and empties its buffers (kept allocated for the next open). */
static inline void lc_conn_close(struct lc_loop *l, struct lc_conn *c)
{
	if (c->fd >= 0) {
		epoll_ctl(l->ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	c->fd = -1;
	c->in.off = c->in.len = 0;
	c->out.off = c->out.len = 0;
	c->frag.off = c->frag.len = 0;
	c->want_out = false;
}

/* Closes c and frees its buffers. */
static inline void lc_conn_fini(struct lc_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	lc_buf_free(&c->in);
	lc_buf_free(&c->out);
	lc_buf_free(&c->frag);
}

/* After the first events of a connection being opened: 1 when it is
 * connected and writable, 0 when not yet, -1 when it failed. */
static inline int lc_conn_connected(const struct lc_conn *c, uint32_t events)
{
	int err = 0;
	socklen_t el = sizeof(err);
	getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
	if (err || (events & (EPOLLERR | EPOLLHUP)))
		return -1;
	return (events & EPOLLOUT) ? 1 : 0;
}

/* Reads what the node sent into c->in; false when it closed the connection
 * or the read failed. */
static inline bool lc_conn_read(struct lc_conn *c)
{
	ssize_t r = lc_read(c->fd, &c->in);
	return r != 0 && r != -1;
}

/* Takes one complete HTTP response off the front of b: true with its status
 * (0 when unreadable) and, when closing is not NULL, whether the node closes
 * the connection after it; false while incomplete. */
static inline bool lc_http_next(struct lc_buf *b, int *status, bool *closing)
{
	char *s = b->p + b->off;
	size_t n = lc_buf_used(b);
	char *hend = lc_header_end(s, n);
	if (!hend)
		return false;
	size_t hl = (size_t)(hend - s) + 4, cl = 0;
	const char *h = memmem(s, hl, "ontent-length:", 14);
	if (h)
		cl = strtoul(h + 14, NULL, 10);
	if (n < hl + cl)
		return false;
	*status = n > 12 ? (int)strtol(s + 9, NULL, 10) : 0;
	if (closing)
		*closing = memmem(s, hl, "onnection: close", 16) != NULL;
	b->off += hl + cl;
	return true;
}

/* Appends the WebSocket opening handshake to c's output. */
static inline void lc_conn_ws_start(struct lc_loop *l, struct lc_conn *c)
{
	lc_ws_handshake(&c->out, l->host, l->port, LC_WS_PROTOCOL, c->key);
	lc_conn_mark_dirty(l, c);
}

/* Queues one text message to the node. */
static inline void lc_conn_ws_send(struct lc_loop *l, struct lc_conn *c, const char *m, size_t n)
{
	lc_ws_frame(&c->out, 1, m, n, &l->rng);
	lc_conn_mark_dirty(l, c);
}

enum { LC_WS_CLOSED = -2, LC_WS_ERROR = -1, LC_WS_MORE = 0, LC_WS_MESSAGE = 1 };

/* The next complete text message in c->in (after the handshake), answering
 * pings and joining fragments on the way: LC_WS_MESSAGE with it in m[0..n)
 * (valid until the next call on c), LC_WS_MORE when bytes are missing,
 * LC_WS_CLOSED when the node sent a close frame, LC_WS_ERROR on a protocol
 * error. */
static inline int lc_conn_ws_next(struct lc_loop *l, struct lc_conn *c, const char **m, size_t *n)
{
	struct lc_ws_frame f;
	int r;
	while ((r = lc_ws_next(&c->in, &f)) == 1) {
		if (f.opcode == 8)
			return LC_WS_CLOSED;
		if (f.opcode == 9) { /* ping */
			lc_ws_frame(&c->out, 10, f.payload, f.len, &l->rng);
			lc_conn_mark_dirty(l, c);
			continue;
		}
		if (f.opcode != 0 && f.opcode != 1)
			continue;
		if (f.fin && !lc_buf_used(&c->frag)) {
			*m = f.payload;
			*n = f.len;
			return LC_WS_MESSAGE;
		}
		lc_buf_put(&c->frag, f.payload, f.len);
		if (!f.fin)
			continue;
		/* emptied now, the bytes stay where they are until the next put */
		*m = c->frag.p + c->frag.off;
		*n = lc_buf_used(&c->frag);
		c->frag.off = c->frag.len = 0;
		return LC_WS_MESSAGE;
	}
	return r < 0 ? LC_WS_ERROR : LC_WS_MORE;
}

/* ---- tiny scanners for the fields the tools need ---- */

/* The unsigned integer after `"key":` (quoted or not) within s[0..n); false
 * when absent. */
static inline bool lc_json_u64(const char *s, size_t n, const char *key, uint64_t *out)
{
	size_t kl = strlen(key);
	const char *end = s + n;
	for (const char *p = s; (p = memmem(p, (size_t)(end - p), key, kl)) != NULL; p += kl) {
		if (p == s || p[-1] != '"' || p + kl + 2 > end || p[kl] != '"' || p[kl + 1] != ':')
			continue;
		const char *v = p + kl + 2;
		if (v < end && *v == '"')
			v++;
		if (v >= end || *v < '0' || *v > '9')
			return false;
		uint64_t x = 0;
		while (v < end && *v >= '0' && *v <= '9')
			x = x * 10 + (uint64_t)(*v++ - '0');
		*out = x;
		return true;
	}
	return false;
}

/* ---- blocking HTTP/1.1 GET (for /metrics, /api/v1/actions …) ---- */

/* GETs path; returns the status and fills body (NUL-terminated, caller
 * frees), or -1. Waits at most timeout_ms. */
static inline int lc_http_get(const char *host, int port, const char *path, const char *token,
			      char **body, size_t *blen, int timeout_ms)
{
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
	struct lc_buf b = {0};
	char req[1024];
	int status = -1;
	*body = NULL;
	*blen = 0;
	if (inet_pton(AF_INET, host, &to.sin_addr) != 1)
		return -1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0)
		goto out;
	int n = snprintf(req, sizeof(req),
			 "GET %s HTTP/1.1\r\nHost: %s:%d\r\n%s%s%sConnection: close\r\n\r\n", path,
			 host, port, token ? "Authorization: Bearer " : "", token ? token : "",
			 token ? "\r\n" : "");
	if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n)
		goto out;
	for (;;) {
		lc_buf_reserve(&b, 65536);
		ssize_t r = recv(fd, b.p + b.len, b.cap - b.len - 1, 0);
		if (r <= 0)
			break;
		b.len += (size_t)r;
		/* stop early once Content-Length bytes arrived */
		char *hend = memmem(b.p, b.len, "\r\n\r\n", 4);
		if (hend) {
			uint64_t cl;
			const char *h = memmem(b.p, (size_t)(hend - b.p), "ontent-length:", 14);
			if (!h)
				h = memmem(b.p, (size_t)(hend - b.p), "ONTENT-LENGTH:", 14);
			if (h) {
				cl = strtoull(h + 14, NULL, 10);
				if (b.len >= (size_t)(hend - b.p) + 4 + cl)
					break;
			}
		}
	}
	char *hend = b.p ? memmem(b.p, b.len, "\r\n\r\n", 4) : NULL;
	if (!hend || b.len < 12 || memcmp(b.p, "HTTP/1.", 7) != 0)
		goto out;
	status = (int)strtol(b.p + 9, NULL, 10);
	size_t off = (size_t)(hend - b.p) + 4;
	*blen = b.len - off;
	*body = malloc(*blen + 1);
	if (!*body)
		abort();
	memcpy(*body, b.p + off, *blen);
	(*body)[*blen] = '\0';
out:
	close(fd);
	lc_buf_free(&b);
	return status;
}

/* ---- the node's /metrics ---- */

struct lc_metrics {
	double commits, commit_sum_s, ws_in, ws_out, http_checkins;
	double batches, batch_jobs; /* the write queue's group commits; -1 when not exported */
	bool ok;
};

/* Value of the first sample line starting with name (labels included in
 * name when given); -1 when absent. */
static inline double lc_metric(const char *text, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = text; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t ll = eol ? (size_t)(eol - p) : strlen(p);
		if (strncmp(p, name, nl) == 0 && (p[nl] == ' ' || p[nl] == '{')) {
			const char *sp = memrchr(p, ' ', ll);
			return sp ? strtod(sp + 1, NULL) : -1;
		}
		p = eol ? eol + 1 : NULL;
	}
	return -1;
}

/* Sum of the samples of `name` whose label set contains `label`. */
static inline double lc_metric_sum(const char *text, const char *name, const char *label)
{
	size_t nl = strlen(name);
	double sum = 0;
	for (const char *p = text; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t ll = eol ? (size_t)(eol - p) : strlen(p);
		if (strncmp(p, name, nl) == 0 && p[nl] == '{' &&
		    memmem(p, ll, label, strlen(label))) {
			const char *sp = memrchr(p, ' ', ll);
			if (sp)
				sum += strtod(sp + 1, NULL);
		}
		p = eol ? eol + 1 : NULL;
	}
	return sum;
}

static inline struct lc_metrics lc_metrics_read(const char *host, int port)
{
	struct lc_metrics m = {0};
	char *body;
	size_t len;
	if (lc_http_get(host, port, "/metrics", NULL, &body, &len, 5000) != 200) {
		free(body);
		return m;
	}
	m.commits = lc_metric(body, "zcnode_commit_seconds_count");
	m.commit_sum_s = lc_metric(body, "zcnode_commit_seconds_sum");
	m.ws_in = lc_metric(body, "zcnode_ws_messages_in_total");
	m.ws_out = lc_metric(body, "zcnode_ws_messages_out_total");
	m.http_checkins =
	    lc_metric_sum(body, "zcnode_http_requests_total", "route=\"/api/v1/me/checkins\"");
	m.batches = lc_metric(body, "zcnode_batches_total");
	m.batch_jobs = lc_metric(body, "zcnode_batch_jobs_total");
	m.ok = m.commits >= 0;
	free(body);
	return m;
}

/* ---- a process seen through /proc ---- */

struct lc_proc {
	double cpu_s; /* user + system */
	double user_s, sys_s;
	unsigned long rss_kb;
	unsigned long vol_cs, invol_cs;
	bool ok;
};

static inline struct lc_proc lc_proc_read(int pid)
{
	struct lc_proc p = {0};
	char path[64], buf[4096];
	if (pid <= 0)
		return p;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return p;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *q = strrchr(buf, ')');
	if (!q)
		return p;
	/* fields after the name: state(3) ... utime(14) stime(15) */
	unsigned long ut = 0, st = 0;
	if (sscanf(q + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return p;
	double hz = (double)sysconf(_SC_CLK_TCK);
	p.user_s = (double)ut / hz;
	p.sys_s = (double)st / hz;
	p.cpu_s = p.user_s + p.sys_s;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (f) {
		while (fgets(buf, sizeof(buf), f)) {
			if (strncmp(buf, "VmRSS:", 6) == 0)
				p.rss_kb = strtoul(buf + 6, NULL, 10);
			else if (strncmp(buf, "voluntary_ctxt_switches:", 24) == 0)
				p.vol_cs = strtoul(buf + 24, NULL, 10);
			else if (strncmp(buf, "nonvoluntary_ctxt_switches:", 27) == 0)
				p.invol_cs = strtoul(buf + 27, NULL, 10);
		}
		fclose(f);
	}
	p.ok = true;
	return p;
}

/* This process's own CPU time in seconds. */
static inline double lc_self_cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* ---- latency samples ---- */

struct lc_lat {
	uint32_t *v; /* microseconds */
	size_t n, cap;
};

static inline void lc_lat_add(struct lc_lat *l, uint64_t us)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 65536;
		l->v = lc_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

static inline int lc_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorts the samples; then lc_lat_pct gives percentiles. */
static inline void lc_lat_sort(struct lc_lat *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), lc_u32_cmp);
}

static inline double lc_lat_pct(const struct lc_lat *l, double pct)
{
	if (!l->n)
		return 0;
	size_t i = (size_t)(pct / 100.0 * (double)(l->n - 1) + 0.5);
	return (double)l->v[i < l->n ? i : l->n - 1];
}

/* ---- bearer tokens written by zcseed ("index token id" per line) ---- */

struct lc_tokens {
	char (*tok)[48];
	size_t n;
	size_t taken; /* handed out by lc_session_take */
};

static inline bool lc_tokens_load(const char *path, size_t first, size_t max, struct lc_tokens *t)
{
	FILE *f = fopen(path, "r");
	char line[256];
	size_t lineno = 0, cap = 0;
	memset(t, 0, sizeof(*t));
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char tok[64];
		unsigned idx;
		if (sscanf(line, "%u %63s", &idx, tok) != 2 || strlen(tok) >= 48)
			continue;
		if (lineno++ < first)
			continue;
		if (max && t->n == max)
			break;
		if (t->n == cap) {
			cap = cap ? cap * 2 : 1024;
			t->tok = lc_xrealloc(t->tok, cap * sizeof(*t->tok));
		}
		memcpy(t->tok[t->n++], tok, strlen(tok) + 1);
	}
	fclose(f);
	return t->n > 0;
}

/* ---- what a participant may check in today: the catalogue and the window ---- */

#define LC_WINDOW_DAYS 8 /* today and the 7 days a check-in may be back-dated */
#define LC_MAX_ACTIONS 256

struct lc_action {
	char id[48];
	int frequency; /* 0 daily, 1 weekly, 2 once */
};

struct lc_catalogue {
	struct lc_action actions[LC_MAX_ACTIONS];
	size_t nactions;
	char days[LC_WINDOW_DAYS][TIME_DAY_LEN];
	uint32_t day_week[LC_WINDOW_DAYS];
	unsigned ndays;
};

/* One check-in to send: an action and a day of the window. */
struct lc_pair {
	uint16_t action;
	uint8_t day;
};

/* Reads GET /api/v1/actions and the season of GET /api/v1/city; the window is
 * the last 8 days (in the process's TZ) inside the season. NULL when fine,
 * else what went wrong. */
static inline const char *lc_catalogue_load(const char *host, int port, struct lc_catalogue *c)
{
	char *body;
	size_t len;
	int64_t start = 0, end = 1 << 30;
	memset(c, 0, sizeof(*c));
	if (lc_http_get(host, port, "/api/v1/actions", NULL, &body, &len, 5000) != 200) {
		free(body);
		return "GET /api/v1/actions failed (is the node running on --port?)";
	}
	cJSON *doc = cJSON_Parse(body), *a;
	cJSON *list = doc ? cJSON_GetObjectItem(doc, "actions") : NULL;
	cJSON_ArrayForEach(a, list)
	{
		cJSON *id = cJSON_GetObjectItem(a, "id"), *fr = cJSON_GetObjectItem(a, "frequency");
		if (!cJSON_IsString(id) || !cJSON_IsString(fr) || c->nactions == LC_MAX_ACTIONS ||
		    strlen(id->valuestring) >= sizeof(c->actions[0].id))
			continue;
		struct lc_action *x = &c->actions[c->nactions++];
		memcpy(x->id, id->valuestring, strlen(id->valuestring) + 1);
		x->frequency = strcmp(fr->valuestring, "daily") == 0	? 0
			       : strcmp(fr->valuestring, "weekly") == 0 ? 1
									: 2;
	}
	cJSON_Delete(doc);
	free(body);
	if (!c->nactions)
		return "the node lists no actions";
	if (lc_http_get(host, port, "/api/v1/city", NULL, &body, &len, 5000) != 200) {
		free(body);
		return "GET /api/v1/city failed";
	}
	doc = cJSON_Parse(body);
	cJSON *s = doc ? cJSON_GetObjectItem(doc, "season") : NULL;
	cJSON *from = s ? cJSON_GetObjectItem(s, "starts_on") : NULL;
	cJSON *to = s ? cJSON_GetObjectItem(s, "ends_on") : NULL;
	bool has = cJSON_IsString(from) && cJSON_IsString(to) &&
		   time_parse_day(from->valuestring, &start) &&
		   time_parse_day(to->valuestring, &end);
	cJSON_Delete(doc);
	free(body);
	if (!has)
		return "the node has no current season (zcnode admin load-demo)";
	int64_t today = time_local_day(time_now_s());
	for (int64_t d = today - (LC_WINDOW_DAYS - 1); d <= today; d++) {
		if (d < start || d > end)
			continue;
		time_format_day(d, c->days[c->ndays]);
		c->day_week[c->ndays++] = time_iso_week(d);
	}
	return c->ndays ? NULL : "no day of the back-dating window is inside the season";
}

/* Fills *pairs (reallocated) with every distinct (action, period) a
 * participant may check in today, shuffled; at most `limit` when not 0. */
static inline size_t lc_pairs_make(const struct lc_catalogue *c, struct lc_pair **pairs,
				   size_t limit, uint64_t *rng)
{
	size_t n = 0;
	*pairs = lc_xrealloc(*pairs, c->nactions * c->ndays * sizeof(**pairs));
	for (size_t a = 0; a < c->nactions; a++) {
		uint32_t seen_week = 0;
		for (unsigned d = 0; d < c->ndays; d++) {
			if (c->actions[a].frequency == 1 && c->day_week[d] == seen_week)
				continue;
			(*pairs)[n++] = (struct lc_pair){(uint16_t)a, (uint8_t)d};
			if (c->actions[a].frequency == 2)
				break;
			seen_week = c->day_week[d];
		}
	}
	for (size_t i = n; i > 1; i--) {
		size_t j = lc_rand(rng) % i;
		struct lc_pair t = (*pairs)[i - 1];
		(*pairs)[i - 1] = (*pairs)[j];
		(*pairs)[j] = t;
	}
	return limit && n > limit ? limit : n;
}

/* One participant's turn: its token and the check-ins left to send. */
struct lc_session {
	const char *token;
	struct lc_pair *pairs; /* reused from one participant to the next */
	size_t npairs, next;
};

/* Hands s the next token of t and, shuffled, every check-in its holder may
 * send today (at most limit when not 0); false when t is used up. */
static inline bool lc_session_take(struct lc_session *s, struct lc_tokens *t,
				   const struct lc_catalogue *c, size_t limit, uint64_t *rng)
{
	if (t->taken >= t->n)
		return false;
	s->token = t->tok[t->taken++];
	s->npairs = lc_pairs_make(c, &s->pairs, limit, rng);
	s->next = 0;
	return true;
}

/* Queues POST /api/v1/me/checkins of pair p for the holder of token. */
static inline void lc_checkin_post(struct lc_loop *l, struct lc_conn *c, const char *token,
				   const struct lc_catalogue *cat, const struct lc_pair *p)
{
	char body[160], req[512];
	int bl = snprintf(body, sizeof(body), "{\"action\":\"%s\",\"date\":\"%s\"}",
			  cat->actions[p->action].id, cat->days[p->day]);
	int n = snprintf(req, sizeof(req),
			 "POST /api/v1/me/checkins HTTP/1.1\r\nHost: %s:%d\r\n"
			 "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
			 "Content-Length: %d\r\n\r\n%s",
			 l->host, l->port, token, bl, body);
	lc_buf_put(&c->out, req, (size_t)n);
	lc_conn_mark_dirty(l, c);
}

#endif

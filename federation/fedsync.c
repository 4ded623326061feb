/* The federation sync thread: blocking HTTPS/1.1 requests to peers over
 * OpenSSL (one connection per request, Connection: close), with timeouts, a
 * pin check before a byte is sent, and per-peer backoff. Everything shared
 * with the loop is under one mutex; requests run without it. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sodium.h>

#include "canon.h"
#include "fedlog.h"
#include "fedsync.h"
#include "fedtls.h"
#include "log.h"

#define CONNECT_TIMEOUT_MS 5000
#define IO_TIMEOUT_S	   10
#define RESPONSE_MAX	   (FED_BODY_MAX + 16384)
#define QUEUE_MAX	   1000 /* envelopes waiting per peer; past it the oldest go (pull heals) */
#define PULL_PAGES_MAX	   50	/* pages per origin per round */

struct queued {
	struct queued *next;
	size_t len;
	char env[];
};

struct peer_state {
	struct queued *head, *tail;
	unsigned queued;
	unsigned failures;
	uint64_t next_attempt; /* monotonic µs; 0 = now */
	uint64_t next_pull;    /* monotonic µs */
	bool pull_now;
	int64_t last_ok; /* wall seconds, 0 = never */
	char last_error[128];
};

struct origin_head {
	char origin[CONFIG_ORIGIN_MAX];
	uint64_t seq;
};

struct fedsync {
	const struct zc_config *cfg;
	SSL_CTX *ctx;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	void (*wake)(void *arg);
	void *wake_arg;
	struct peer_state peer[CONFIG_PEERS_MAX];
	struct origin_head heads[CONFIG_PEERS_MAX + 1]; /* the peers', then ours */
	unsigned nheads;
	struct fedsync_page *pages, *pages_tail;
};

static uint64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* -- HTTPS client ------------------------------------------------------------------ */

static int dial(const char *host, int port, char *err, size_t errcap)
{
	struct addrinfo hints, *res = NULL;
	char portstr[8];
	int fd = -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	snprintf(portstr, sizeof(portstr), "%d", port);
	int rc = getaddrinfo(host, portstr, &hints, &res);
	if (rc) {
		snprintf(err, errcap, "resolve %.64s: %s", host, gai_strerror(rc));
		return -1;
	}
	for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    a->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, a->ai_addr, a->ai_addrlen) < 0 && errno != EINPROGRESS) {
			snprintf(err, errcap, "connect: %s", strerror(errno));
			close(fd);
			fd = -1;
			continue;
		}
		struct pollfd p = {fd, POLLOUT, 0};
		int soerr = 0;
		socklen_t sl = sizeof(soerr);
		if (poll(&p, 1, CONNECT_TIMEOUT_MS) != 1 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0 || soerr) {
			snprintf(err, errcap, "connect: %s", soerr ? strerror(soerr) : "timed out");
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd >= 0) {
		struct timeval tv = {IO_TIMEOUT_S, 0};
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	return fd;
}

static bool ssl_write_all(SSL *ssl, const char *p, size_t n)
{
	while (n) {
		int w = SSL_write(ssl, p, n > INT32_MAX ? INT32_MAX : (int)n);
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* The value of header `name` in the header block, or NULL. */
static const char *find_header(const char *head, size_t hl, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = head; p && p < head + hl;) {
		const char *eol = memchr(p, '\n', (size_t)(head + hl - p));
		if (!eol)
			break;
		if ((size_t)(eol - p) > nl + 1 && strncasecmp(p, name, nl) == 0 && p[nl] == ':')
			return p + nl + 1 + strspn(p + nl + 1, " \t");
		p = eol + 1;
	}
	return NULL;
}

/* One request to peer: returns the HTTP status (body in resp) or -1 with err. */
static int request(struct fedsync *s, int peer, const char *method, const char *path,
		   const char *body, size_t blen, struct jbuf *resp, char *err, size_t errcap)
{
	const struct zc_peer *p = &s->cfg->peers[peer];
	char host[256], head[1024];
	int port, status = -1;
	SSL *ssl = NULL;
	X509 *cert = NULL;
	if (!config_url_parse(p->url, host, sizeof(host), &port)) {
		snprintf(err, errcap, "bad url");
		return -1;
	}
	int fd = dial(host, port, err, errcap);
	if (fd < 0)
		return -1;
	ssl = SSL_new(s->ctx);
	if (!ssl || !SSL_set_fd(ssl, fd)) {
		snprintf(err, errcap, "tls setup failed");
		goto out;
	}
	SSL_set_tlsext_host_name(ssl, host);
	if (SSL_connect(ssl) != 1) {
		unsigned long e = ERR_get_error();
		snprintf(err, errcap, "tls handshake: %s",
			 e ? ERR_reason_error_string(e) : "closed");
		goto out;
	}
	/* The pin, before anything is sent: a CA-signed or unpinned key is not
	 * this city, whatever its name. */
	cert = SSL_get1_peer_certificate(ssl);
	if (!fedtls_cert_is_peer(s->cfg, peer, cert)) {
		snprintf(err, errcap, "certificate does not match the pinned key (or expired)");
		goto out;
	}
	int hl = snprintf(head, sizeof(head),
			  "%s %s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: zcnode\r\n"
			  "Accept: application/json\r\nConnection: close\r\n"
			  "%s%s",
			  method, path, host, port,
			  body ? "Content-Type: application/json\r\n" : "", "");
	if (body)
		hl +=
		    snprintf(head + hl, sizeof(head) - (size_t)hl, "Content-Length: %zu\r\n", blen);
	hl += snprintf(head + hl, sizeof(head) - (size_t)hl, "\r\n");
	if (!ssl_write_all(ssl, head, (size_t)hl) || (body && !ssl_write_all(ssl, body, blen))) {
		snprintf(err, errcap, "send failed");
		goto out;
	}
	/* Read the head, then Content-Length bytes of body (or up to the close). */
	struct jbuf in;
	jbuf_init(&in, 0);
	char buf[16384];
	long want = -1;
	size_t body_at = 0;
	for (;;) {
		int r = SSL_read(ssl, buf, sizeof(buf));
		if (r <= 0)
			break;
		jbuf_put(&in, buf, (size_t)r);
		if (in.len > RESPONSE_MAX) {
			snprintf(err, errcap, "response too large");
			jbuf_fini(&in);
			goto out;
		}
		if (!body_at) {
			char *d = memmem(jbuf_data(&in), in.len, "\r\n\r\n", 4);
			if (d) {
				body_at = (size_t)(d - jbuf_data(&in)) + 4;
				const char *cl =
				    find_header(jbuf_data(&in), body_at, "Content-Length");
				if (cl)
					want = strtol(cl, NULL, 10);
			}
		}
		if (body_at && want >= 0 && in.len >= body_at + (size_t)want)
			break;
	}
	if (!body_at || in.len < 12 || strncmp(jbuf_data(&in), "HTTP/1.", 7) != 0) {
		snprintf(err, errcap, "no HTTP response");
	} else if (want >= 0 && in.len < body_at + (size_t)want) {
		snprintf(err, errcap, "response cut short");
	} else {
		status = (int)strtol(jbuf_data(&in) + 9, NULL, 10);
		size_t bl = want >= 0 ? (size_t)want : in.len - body_at;
		jbuf_put(resp, jbuf_data(&in) + body_at, bl);
		if (status != 200)
			snprintf(err, errcap, "HTTP %d", status);
	}
	jbuf_fini(&in);
out:
	X509_free(cert);
	if (ssl) {
		SSL_shutdown(ssl);
		SSL_free(ssl);
	}
	close(fd);
	return status;
}

/* -- work ------------------------------------------------------------------------------ */

static void failed(struct fedsync *s, int peer, const char *why)
{
	struct peer_state *ps = &s->peer[peer];
	unsigned shift = ps->failures < 20 ? ps->failures : 20;
	uint64_t d = (uint64_t)s->cfg->fed_backoff_min_s << shift;
	if (d > s->cfg->fed_backoff_max_s)
		d = s->cfg->fed_backoff_max_s;
	d *= 1000000u;
	/* Uniform in [d/2, d]: peers that failed together do not retry together. */
	uint64_t jitter =
	    d / 2 ? randombytes_uniform((uint32_t)(d / 2 > UINT32_MAX ? UINT32_MAX : d / 2)) : 0;
	ps->failures++;
	ps->next_attempt = mono_us() + d / 2 + jitter;
	snprintf(ps->last_error, sizeof(ps->last_error), "%s", why);
	log_event(LOG_WARN, "federation_peer_failed",
		  "peer=%s failures=%u retry_in_s=%llu error=\"%s\"", s->cfg->peers[peer].origin,
		  ps->failures, (unsigned long long)((d / 2 + jitter) / 1000000u), why);
}

static void succeeded(struct fedsync *s, int peer)
{
	struct peer_state *ps = &s->peer[peer];
	ps->failures = 0;
	ps->next_attempt = 0;
	ps->last_ok = (int64_t)time(NULL);
	ps->last_error[0] = '\0';
}

/* Pushes up to FED_BATCH_MAX queued envelopes; false on a transport failure. */
static bool push(struct fedsync *s, int peer)
{
	struct peer_state *ps = &s->peer[peer];
	struct jbuf body, resp;
	char err[160] = "";
	unsigned n = 0;
	pthread_mutex_lock(&s->mu);
	jbuf_init(&body, 0);
	jbuf_puts(&body, "{\"envelopes\":[");
	for (struct queued *q = ps->head; q && n < FED_BATCH_MAX; q = q->next, n++) {
		if (n)
			jbuf_putc(&body, ',');
		jbuf_put(&body, q->env, q->len);
	}
	jbuf_puts(&body, "]}");
	pthread_mutex_unlock(&s->mu);
	if (!n) {
		jbuf_fini(&body);
		return true;
	}
	jbuf_init(&resp, 0);
	int status = request(s, peer, "POST", "/zcfed/1/inbox", jbuf_data(&body), body.len, &resp,
			     err, sizeof(err));
	jbuf_fini(&body);
	jbuf_fini(&resp);
	pthread_mutex_lock(&s->mu);
	bool ok = status == 200;
	if (ok) {
		/* Delivered: accepted, duplicate, conflict or rejected alike — a
		 * peer missing earlier entries pulls them (gap). */
		for (unsigned i = 0; i < n && ps->head; i++) {
			struct queued *q = ps->head;
			ps->head = q->next;
			free(q);
			ps->queued--;
		}
		if (!ps->head)
			ps->tail = NULL;
		succeeded(s, peer);
	} else {
		failed(s, peer, err);
	}
	pthread_mutex_unlock(&s->mu);
	return ok;
}

static uint64_t head_of(struct fedsync *s, const char *origin)
{
	for (unsigned i = 0; i < s->nheads; i++)
		if (strcmp(s->heads[i].origin, origin) == 0)
			return s->heads[i].seq;
	return 0;
}

/* Pulls every origin we pin from peer; false on a transport failure. */
static bool pull(struct fedsync *s, int peer)
{
	char err[160] = "", path[160];
	/* Every pinned origin, and our own: a node restored from an older backup
	 * takes back the statements it had already published, so it never signs
	 * a second statement for a seq its peers hold. */
	for (unsigned o = 0; o <= s->cfg->npeers; o++) {
		const char *origin =
		    o < s->cfg->npeers ? s->cfg->peers[o].origin : s->cfg->fed_origin;
		pthread_mutex_lock(&s->mu);
		uint64_t after = head_of(s, origin);
		pthread_mutex_unlock(&s->mu);
		for (unsigned page = 0; page < PULL_PAGES_MAX; page++) {
			struct jbuf resp;
			jbuf_init(&resp, 0);
			snprintf(path, sizeof(path), "/zcfed/1/log/%s/entries?after=%llu&limit=%d",
				 origin, (unsigned long long)after, FED_PAGE_MAX);
			int status =
			    request(s, peer, "GET", path, NULL, 0, &resp, err, sizeof(err));
			if (status == 404) { /* the peer does not follow that origin */
				jbuf_fini(&resp);
				break;
			}
			if (status != 200) {
				jbuf_fini(&resp);
				pthread_mutex_lock(&s->mu);
				failed(s, peer, err);
				pthread_mutex_unlock(&s->mu);
				return false;
			}
			/* Find how far this page goes, to ask for the next one. */
			struct canon_doc *d = NULL;
			size_t count = 0;
			uint64_t last = after;
			if (canon_parse(jbuf_data(&resp), resp.len, &d, NULL) == CANON_OK) {
				const struct canon_value *e = canon_get(canon_root(d), "entries");
				count = e ? canon_count(e) : 0;
				int64_t h;
				if (count && canon_get_int(canon_root(d), "head", &h))
					last = after + count;
			}
			canon_free(d);
			if (count) {
				struct fedsync_page *pg = malloc(sizeof(*pg) + resp.len + 1);
				if (!pg)
					abort();
				pg->next = NULL;
				pg->peer = peer;
				pg->len = resp.len;
				memcpy(pg->body, jbuf_data(&resp), resp.len);
				pg->body[resp.len] = '\0';
				pthread_mutex_lock(&s->mu);
				if (s->pages_tail)
					s->pages_tail->next = pg;
				else
					s->pages = pg;
				s->pages_tail = pg;
				pthread_mutex_unlock(&s->mu);
				s->wake(s->wake_arg);
			}
			jbuf_fini(&resp);
			if (count < FED_PAGE_MAX)
				break;
			after = last;
		}
	}
	pthread_mutex_lock(&s->mu);
	succeeded(s, peer);
	pthread_mutex_unlock(&s->mu);
	return true;
}

/* What peer ps owes now: pushes when its retry time has come; a pull when the
 * anti-entropy interval is up (pulls go on through a backoff, so a healed
 * partition converges within one interval) or one was asked for. */
static bool push_due(const struct peer_state *ps, uint64_t now)
{
	return ps->head && ps->next_attempt <= now;
}

static bool pull_due(const struct peer_state *ps, uint64_t now)
{
	return ps->next_pull <= now || (ps->pull_now && ps->next_attempt <= now);
}

static void *run(void *arg)
{
	struct fedsync *s = arg;
	const uint64_t interval = (uint64_t)s->cfg->fed_pull_interval_s * 1000000u;
	pthread_mutex_lock(&s->mu);
	while (!s->stop) {
		uint64_t now = mono_us(), due = now + 3600000000u;
		int work = -1;
		for (unsigned i = 0; i < s->cfg->npeers && work < 0; i++) {
			struct peer_state *ps = &s->peer[i];
			if (push_due(ps, now) || pull_due(ps, now)) {
				work = (int)i;
				break;
			}
			if (ps->head && ps->next_attempt < due)
				due = ps->next_attempt;
			if (ps->pull_now && ps->next_attempt < due)
				due = ps->next_attempt;
			if (ps->next_pull < due)
				due = ps->next_pull;
		}
		if (work < 0) {
			struct timespec ts;
			uint64_t wait = due > now ? due - now : 0;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			uint64_t ns = (uint64_t)ts.tv_nsec + (wait % 1000000u) * 1000u;
			ts.tv_sec += (time_t)(wait / 1000000u + ns / 1000000000u);
			ts.tv_nsec = (long)(ns % 1000000000u);
			pthread_cond_timedwait(&s->cv, &s->mu, &ts);
			continue;
		}
		struct peer_state *ps = &s->peer[work];
		bool do_push = push_due(ps, now), do_pull = pull_due(ps, now);
		pthread_mutex_unlock(&s->mu);
		bool ok = !do_push || push(s, work);
		if (do_pull) {
			bool pulled = ok && pull(s, work);
			pthread_mutex_lock(&s->mu);
			uint64_t t = mono_us();
			if (pulled) {
				ps->pull_now = false;
				ps->next_pull = t + interval;
			} else {
				/* Through the backoff, but never longer than the interval. */
				uint64_t retry = ps->next_attempt > t ? ps->next_attempt : t;
				ps->next_pull = retry < t + interval ? retry : t + interval;
			}
			pthread_mutex_unlock(&s->mu);
		}
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

struct fedsync *fedsync_start(const struct zc_config *cfg, const char *cert, const char *key,
			      void (*wake)(void *arg), void *arg)
{
	struct fedsync *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->cfg = cfg;
	s->wake = wake;
	s->wake_arg = arg;
	s->ctx = SSL_CTX_new(TLS_client_method());
	if (!s->ctx || !SSL_CTX_set_min_proto_version(s->ctx, TLS1_2_VERSION) ||
	    SSL_CTX_use_certificate_chain_file(s->ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(s->ctx, key, SSL_FILETYPE_PEM) != 1) {
		log_event(LOG_ERROR, "federation_tls_failed", "cert=%s", cert);
		SSL_CTX_free(s->ctx);
		free(s);
		return NULL;
	}
	/* The server's key is checked against its pin after the handshake
	 * (request()), so OpenSSL's CA verification is not used. */
	SSL_CTX_set_verify(s->ctx, SSL_VERIFY_NONE, NULL);
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	for (unsigned i = 0; i < cfg->npeers; i++) {
		snprintf(s->heads[i].origin, sizeof(s->heads[i].origin), "%s",
			 cfg->peers[i].origin);
		s->peer[i].pull_now = true; /* catch up at start */
	}
	snprintf(s->heads[cfg->npeers].origin, sizeof(s->heads[0].origin), "%s", cfg->fed_origin);
	s->nheads = cfg->npeers + 1;
	if (pthread_create(&s->thread, NULL, run, s) != 0)
		abort();
	return s;
}

void fedsync_stop(struct fedsync *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	for (unsigned i = 0; i < CONFIG_PEERS_MAX; i++)
		while (s->peer[i].head) {
			struct queued *q = s->peer[i].head;
			s->peer[i].head = q->next;
			free(q);
		}
	for (struct fedsync_page *p = s->pages, *nx; p; p = nx) {
		nx = p->next;
		free(p);
	}
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	SSL_CTX_free(s->ctx);
	free(s);
}

void fedsync_push(struct fedsync *s, const char *env, size_t len, int except)
{
	pthread_mutex_lock(&s->mu);
	for (unsigned i = 0; i < s->cfg->npeers; i++) {
		struct peer_state *ps = &s->peer[i];
		if ((int)i == except)
			continue;
		if (ps->queued == QUEUE_MAX) {
			struct queued *old = ps->head;
			ps->head = old->next;
			if (!ps->head)
				ps->tail = NULL;
			free(old);
			ps->queued--;
		}
		struct queued *q = malloc(sizeof(*q) + len);
		if (!q)
			abort();
		q->next = NULL;
		q->len = len;
		memcpy(q->env, env, len);
		if (ps->tail)
			ps->tail->next = q;
		else
			ps->head = q;
		ps->tail = q;
		ps->queued++;
	}
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void fedsync_set_head(struct fedsync *s, const char *origin, uint64_t seq)
{
	pthread_mutex_lock(&s->mu);
	for (unsigned i = 0; i < s->nheads; i++)
		if (strcmp(s->heads[i].origin, origin) == 0 && seq > s->heads[i].seq)
			s->heads[i].seq = seq;
	pthread_mutex_unlock(&s->mu);
}

void fedsync_poke(struct fedsync *s, int peer, bool pull_too)
{
	if (peer < 0 || (unsigned)peer >= s->cfg->npeers)
		return;
	pthread_mutex_lock(&s->mu);
	struct peer_state *ps = &s->peer[peer];
	if (ps->failures || pull_too) {
		ps->failures = 0;
		ps->next_attempt = 0;
	}
	if (pull_too)
		ps->pull_now = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

struct fedsync_page *fedsync_take(struct fedsync *s)
{
	pthread_mutex_lock(&s->mu);
	struct fedsync_page *p = s->pages;
	s->pages = s->pages_tail = NULL;
	pthread_mutex_unlock(&s->mu);
	return p;
}

void fedsync_status_json(struct fedsync *s, struct jbuf *out)
{
	uint64_t now = mono_us();
	pthread_mutex_lock(&s->mu);
	jbuf_putc(out, '[');
	for (unsigned i = 0; i < s->cfg->npeers; i++) {
		const struct peer_state *ps = &s->peer[i];
		if (i)
			jbuf_putc(out, ',');
		jbuf_puts(out, "{\"origin\":");
		jbuf_json_str(out, s->cfg->peers[i].origin);
		jbuf_puts(out, ",\"url\":");
		jbuf_json_str(out, s->cfg->peers[i].url);
		jbuf_printf(out,
			    ",\"last_ok\":%lld,\"failures\":%u,\"next_attempt_in_s\":%llu,"
			    "\"queued\":%u,\"last_error\":",
			    (long long)ps->last_ok, ps->failures,
			    (unsigned long long)(ps->next_attempt > now
						     ? (ps->next_attempt - now) / 1000000u
						     : 0),
			    ps->queued);
		jbuf_json_str(out, ps->last_error);
		jbuf_putc(out, '}');
	}
	jbuf_putc(out, ']');
	pthread_mutex_unlock(&s->mu);
}

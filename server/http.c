/* HTTP request handling on the event loop. A request's body is refused with
 * 413 as soon as its declared or received size passes the cap, before any
 * parsing. An HTTP/1.1 response of up to HTTP_ONE_WRITE bytes leaves in one
 * write, headers and body together; larger ones, and every h2 response, go
 * one chunk per writable callback so h2 streams and slow clients never block
 * the loop. */
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "fedtls.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "node.h"
#include "timeutil.h"
#include "wq.h"

#define HTTP_CHUNK     8192  /* below h2's default 16 KiB frame size */
#define HTTP_HEAD_MAX  1024  /* response headers */
#define HTTP_ONE_WRITE 65536 /* h1 bodies sent with their headers in one write */

struct http_txn {
	struct api_req req;
	struct lws *wsi;
	struct jbuf body;
	struct jbuf resp;
	size_t sent;
	uint64_t started_us;
	bool headers_sent;
	bool body_sent;	   /* h2: the last chunk was written; complete next time */
	bool ready;	   /* response computed */
	bool body_refused; /* body over the cap: ignore the rest, close after */
	size_t body_cap;   /* bytes this route's body may have */
};

struct http_pss {
	struct http_txn *txn;
};

static struct node *node_of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

static void txn_free(struct http_pss *pss)
{
	if (!pss || !pss->txn)
		return;
	/* A deferred answer must not come back to freed memory. */
	if (pss->txn->req.pending)
		pss->txn->req.pending->owner = NULL;
	jbuf_fini(&pss->txn->body);
	jbuf_fini(&pss->txn->resp);
	free(pss->txn);
	pss->txn = NULL;
	metrics_gauge_add(METRICS_HTTP_CONNECTIONS, -1);
}

static enum api_method method_of(int m)
{
	switch (m) {
	case LWSHUMETH_GET:
		return API_GET;
	case LWSHUMETH_POST:
		return API_POST;
	case LWSHUMETH_PUT:
		return API_PUT;
	case LWSHUMETH_PATCH:
		return API_PATCH;
	case LWSHUMETH_DELETE:
		return API_DELETE;
	case LWSHUMETH_HEAD:
		return API_HEAD;
	default:
		return API_OTHER;
	}
}

static const char *method_name(enum api_method m)
{
	static const char *const names[] = {"GET",    "POST", "PUT",  "PATCH",
					    "DELETE", "HEAD", "OTHER"};
	return names[m];
}

/* Copies a header into out; "" when absent or too long. */
static void header(struct lws *wsi, enum lws_token_indexes h, char *out, size_t cap)
{
	out[0] = '\0';
	if (lws_hdr_total_length(wsi, h) >= (int)cap || lws_hdr_copy(wsi, out, (int)cap, h) < 0)
		out[0] = '\0';
}

/* Copies the query's fragments (lws splits it at '&' and URL-decodes it) into
 * r->query back to back, each NUL-terminated, an empty one last. */
static void read_query(struct lws *wsi, struct api_req *r)
{
	size_t o = 0, cap = sizeof(r->query);
	r->query[0] = '\0';
	for (int i = 0;; i++) {
		int len = lws_hdr_fragment_length(wsi, WSI_TOKEN_HTTP_URI_ARGS, i);
		if (len <= 0) {
			if (lws_hdr_copy_fragment(wsi, r->query + o, (int)(cap - o),
						  WSI_TOKEN_HTTP_URI_ARGS, i) < 0)
				break; /* no fragment i */
			continue;      /* an empty one ("a=1&&b=2") */
		}
		/* The fragment, its NUL and the final empty string must fit. */
		if (o + (size_t)len + 2 > cap) {
			r->query_overflow = true;
			r->query[o] = '\0';
			return;
		}
		if (lws_hdr_copy_fragment(wsi, r->query + o, (int)(cap - o),
					  WSI_TOKEN_HTTP_URI_ARGS, i) != len)
			break;
		o += (size_t)len + 1;
		r->query[o] = '\0';
	}
}

static void read_peer(struct lws *wsi, const struct node *n, char *out, size_t cap)
{
	char fwd[256];
	if (n->cfg.trust_proxy) {
		header(wsi, WSI_TOKEN_X_FORWARDED_FOR, fwd, sizeof(fwd));
		if (fwd[0]) {
			/* The proxy appends the address it saw: the last entry. */
			const char *last = strrchr(fwd, ',');
			last = last ? last + 1 : fwd;
			while (*last == ' ')
				last++;
			/* An address never fills the buffer; cut anything longer. */
			size_t l = strnlen(last, cap - 1);
			memcpy(out, last, l);
			out[l] = '\0';
			return;
		}
	}
	if (!lws_get_peer_simple(wsi, out, cap))
		snprintf(out, cap, "unknown");
}

/* The media type of a Content-Type value, lowercase, without parameters; ""
 * unless it is printable ASCII that fits (handlers may quote it). */
static void media_type(const char *ctype, char *out, size_t cap)
{
	size_t n = strcspn(ctype, "; \t");
	out[0] = '\0';
	if (n >= cap)
		return;
	for (size_t i = 0; i < n; i++) {
		if (ctype[i] <= ' ' || ctype[i] > '~')
			return;
		out[i] = (char)tolower((unsigned char)ctype[i]);
	}
	out[n] = '\0';
}

/* The response is complete: count it, log it, send it. */
static void respond(struct http_txn *t)
{
	struct api_req *r = &t->req;
	t->ready = true;
	metrics_http_request(r->route, r->status);
	if (log_enabled(LOG_INFO))
		log_event(LOG_INFO, "http_request", "method=%s route=%s status=%d us=%llu",
			  method_name(r->method), r->route, r->status,
			  (unsigned long long)(time_mono_us() - t->started_us));
	lws_callback_on_writable(t->wsi);
}

/* A deferred request's answer arrived (after its commit). */
static void resume(struct api_req *r)
{
	struct http_txn *t = (struct http_txn *)((char *)r - offsetof(struct http_txn, req));
	r->pending = NULL;
	respond(t);
}

static void finish(struct lws *wsi, struct http_txn *t)
{
	struct api_req *r = &t->req;
	(void)wsi;
	r->resume = resume;
	if (r->status == 0)
		api_dispatch(r);
	if (r->pending)
		return; /* resume() answers once the write queue has committed */
	respond(t);
}

static void refuse_body(struct lws *wsi, struct http_txn *t)
{
	t->body_refused = true;
	t->req.route = "body";
	api_error(&t->req, 413, "body_too_large", "the body is over the %zu-byte cap", t->body_cap);
	finish(wsi, t);
}

static int begin(struct lws *wsi, struct http_pss *pss)
{
	struct node *n = node_of(wsi);
	struct http_txn *t;
	char *uri = NULL, ctype[128], auth[200], clen[32];
	int uri_len = 0, m;

	txn_free(pss);
	t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	pss->txn = t;
	metrics_gauge_add(METRICS_HTTP_CONNECTIONS, 1);
	t->started_us = time_mono_us();
	jbuf_init(&t->body, 0);
	jbuf_init(&t->resp, LWS_PRE + HTTP_HEAD_MAX);
	t->wsi = wsi;
	t->req.node = n;
	t->req.resp = &t->resp;
	t->req.body = "";
	m = lws_http_get_uri_and_method(wsi, &uri, &uri_len);
	t->req.method = method_of(m);
	if (!uri || uri_len <= 0 || (size_t)uri_len >= sizeof(t->req.path)) {
		api_error(&t->req, 404, "not_found", "no such route");
		finish(wsi, t);
		return 0;
	}
	memcpy(t->req.path, uri, (size_t)uri_len);
	t->req.path[uri_len] = '\0';
	t->body_cap = api_body_cap(n, t->req.path);
	read_query(wsi, &t->req);
	read_peer(wsi, n, t->req.peer, sizeof(t->req.peer));
	/* The federation port: which pinned peer is calling (the TLS layer let
	 * no one else in). */
	t->req.via_fed = strcmp(lws_get_vhost_name(lws_get_vhost(wsi)), "zcfed") == 0;
	t->req.fed_peer = t->req.via_fed
			      ? fedtls_peer_of_ssl(&n->cfg, lws_get_ssl(lws_get_network_wsi(wsi)))
			      : -1;
	header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION, auth, sizeof(auth));
	if (strncasecmp(auth, "Bearer ", 7) == 0)
		snprintf(t->req.token, sizeof(t->req.token), "%.159s", auth + 7);
	else if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION) >= (int)sizeof(auth))
		/* Too long to be one of ours, but a token was sent: say it is invalid,
		 * not missing. */
		snprintf(t->req.token, sizeof(t->req.token), "oversized");
	header(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE, ctype, sizeof(ctype));
	media_type(ctype, t->req.body_type, sizeof(t->req.body_type));
	t->req.body_json = strcmp(t->req.body_type, "application/json") == 0;

	if (t->req.method != API_POST && t->req.method != API_PUT && t->req.method != API_PATCH) {
		finish(wsi, t);
		return 0;
	}
	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0) {
		/* lws 4.1 decodes request bodies by Content-Length only: refuse a
		 * chunked body at once rather than wait for an end that never comes. */
		api_error(&t->req, 411, "length_required",
			  "request bodies need a Content-Length (chunked bodies are not accepted)");
		t->body_refused = true;
		finish(wsi, t);
		return 0;
	}
	header(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, clen, sizeof(clen));
	if (clen[0]) {
		char *end;
		unsigned long long len = strtoull(clen, &end, 10);
		if (*end || clen[0] == '-') {
			api_error(&t->req, 400, "bad_request", "invalid Content-Length");
			t->body_refused = true;
			finish(wsi, t);
			return 0;
		}
		if (len > t->body_cap) {
			refuse_body(wsi, t);
			return 0;
		}
		if (len == 0) {
			finish(wsi, t);
			return 0;
		}
		jbuf_reserve(&t->body, (size_t)len);
	} else {
		/* Without Content-Length an h1 request has no body. lws 4.1 does not
		 * tell an h2 handler that the stream ended with the headers, so an h2
		 * request without Content-Length is taken as bodiless too: browsers
		 * always send one for POST/PUT/PATCH (the Fetch standard sends "0" for
		 * an empty body), and so do curl and Python. */
		finish(wsi, t);
	}
	return 0;
}

/* Builds the response headers between *p and end (not yet terminated). */
static int add_headers(struct lws *wsi, const struct api_req *r, size_t body_len, unsigned char **p,
		       unsigned char *end)
{
	char ra[16];
	/* API answers are never cached, but for content-addressed ones (slide
	 * images), whose name changes with their bytes. */
	const char *cache = r->immutable ? "public, max-age=31536000, immutable" : "no-store";
	if (lws_add_http_common_headers(wsi, (unsigned)r->status, r->content_type,
					(lws_filepos_t)body_len, p, end) ||
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"cache-control:",
					(const unsigned char *)cache, (int)strlen(cache), p, end))
		return -1;
	if (r->retry_after) {
		int l = snprintf(ra, sizeof(ra), "%u", r->retry_after);
		if (lws_add_http_header_by_name(wsi, (const unsigned char *)"retry-after:",
						(const unsigned char *)ra, l, p, end))
			return -1;
	}
	if (r->attachment) {
		static const char cd[] = "attachment; filename=\"zcnode-export.json\"";
		if (lws_add_http_header_by_name(wsi, (const unsigned char *)"content-disposition:",
						(const unsigned char *)cd, (int)sizeof(cd) - 1, p,
						end))
			return -1;
	}
	return 0;
}

/* The transaction is answered: free it, and keep the connection for the next
 * request unless the body was refused (its rest is still on the wire). */
static int completed(struct lws *wsi, struct http_txn *t)
{
	bool close_now = t->body_refused;
	txn_free(lws_wsi_user(wsi));
	if (close_now)
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* The response body with writable headroom in front of it. A response
 * without a body (a 204) never allocated its jbuf, whose data is then a shared
 * static "": lws must not write its framing before that, so the caller's
 * spare buffer stands in (LWS_PRE bytes, plus the headers laid before the
 * body when they go in the same write). */
static unsigned char *resp_body(struct http_txn *t, unsigned char *spare, size_t spare_len)
{
	if (!t->resp.mem)
		return spare + spare_len;
	return (unsigned char *)jbuf_data(&t->resp);
}

/* HTTP/1.1 with a body that fits HTTP_ONE_WRITE: headers and body leave in
 * one write (one syscall, one loop pass). The headers are laid in the
 * response buffer's headroom, just before the body. */
static int write_h1_at_once(struct lws *wsi, struct http_txn *t, size_t total)
{
	unsigned char head[HTTP_HEAD_MAX], *p = head, *end = head + sizeof(head);
	if (add_headers(wsi, &t->req, t->resp.len, &p, end) ||
	    lws_finalize_http_header(wsi, &p, end))
		return -1;
	size_t hlen = (size_t)(p - head);
	unsigned char bare[LWS_PRE + HTTP_HEAD_MAX];
	unsigned char *out = resp_body(t, bare, sizeof(bare)) - hlen;
	memcpy(out, head, hlen);
	if (lws_write(wsi, out, hlen + total, LWS_WRITE_HTTP_FINAL) < (int)(hlen + total))
		return -1;
	return completed(wsi, t);
}

static int write_response(struct lws *wsi, struct http_txn *t)
{
	struct api_req *r = &t->req;
	/* HEAD gets the headers GET would, Content-Length included, and no body. */
	size_t total = r->method == API_HEAD ? 0 : t->resp.len;
	bool h2 = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_COLON_PATH) > 0;

	if (t->body_sent)
		return completed(wsi, t);
	if (!t->headers_sent && !h2 && total <= HTTP_ONE_WRITE)
		return write_h1_at_once(wsi, t, total);
	if (!t->headers_sent) {
		unsigned char buf[LWS_PRE + HTTP_HEAD_MAX], *start = buf + LWS_PRE, *p = start,
							    *end = buf + sizeof(buf) - 1;
		if (add_headers(wsi, r, t->resp.len, &p, end) ||
		    lws_finalize_write_http_header(wsi, start, &p, end))
			return -1;
		t->headers_sent = true;
		lws_callback_on_writable(wsi);
		return 0;
	}

	size_t left = total - t->sent, n = left > HTTP_CHUNK ? HTTP_CHUNK : left;
	bool last = n == left;
	/* Bytes before the chunk were already sent (or are the jbuf headroom), so
	 * lws may use them as its LWS_PRE area. */
	unsigned char bare[LWS_PRE];
	unsigned char *chunk = resp_body(t, bare, sizeof(bare)) + t->sent;
	if (lws_write(wsi, chunk, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) < (int)n)
		return -1;
	t->sent += n;
	/* lws 4.1 puts at most pt_serv_buf_size bytes on the socket per write and
	 * keeps the rest of the frame, sent before the next writable callback. An
	 * h2 stream completed now would never send that tail (the client waits
	 * for the last bytes forever): complete it on the next callback. */
	if (!last || h2) {
		t->body_sent = last;
		lws_callback_on_writable(wsi);
		return 0;
	}
	return completed(wsi, t);
}

static int callback_http(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
			 size_t len)
{
	struct http_pss *pss = user;
	struct http_txn *t = pss ? pss->txn : NULL;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return begin(wsi, pss);

	case LWS_CALLBACK_HTTP_BODY:
		if (!t || t->ready || t->body_refused)
			return 0;
		if (t->body.len + len > t->body_cap) {
			refuse_body(wsi, t);
			return 0;
		}
		jbuf_put(&t->body, in, len);
		/* h2: give the peer back the stream credit this DATA used. lws 4.1
		 * does not always do it for DATA that arrived before the stream was
		 * bound to this protocol, and uploads then stalled at the initial
		 * 256 KiB window (about 7 % of 300 KiB uploads; 0 of 200 with this). */
		if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_COLON_PATH) > 0)
			lws_h2_update_peer_txcredit(wsi, LWS_H2_STREAM_SID, (int)len);
		return 0;

	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (!t || t->ready)
			return 0;
		t->req.body = jbuf_data(&t->body);
		t->req.body_len = t->body.len;
		finish(wsi, t);
		return 0;

	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (!t || !t->ready)
			return 0;
		return write_response(wsi, t);

	case LWS_CALLBACK_OPENSSL_PERFORM_CLIENT_CERT_VERIFICATION:
		/* Only the federation vhost asks for client certificates. lws
		 * accepts when this returns 0, so 0 only for a pinned peer. */
		return fedtls_verify_client(&node_of(wsi)->cfg, user) ? 0 : 1;

	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		/* A WebSocket upgrade without our subprotocol lands on this, the
		 * first protocol: refuse it, or it would be a silent socket. */
		return 1;

	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
	case LWS_CALLBACK_CLOSED_HTTP:
		txn_free(pss);
		return 0;

	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

const struct lws_protocols http_protocol = {
    .name = HTTP_PROTOCOL_NAME,
    .callback = callback_http,
    .per_session_data_size = sizeof(struct http_pss),
};

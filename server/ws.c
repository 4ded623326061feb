/* WebSocket connections. A writable callback sends either the connection's
 * own replies (welcome, acks, errors: as many as the socket takes, up to
 * WS_WRITES_PER_PASS) or one broadcast frame from its subscriptions in
 * round-robin, each already encoded once for everyone (or coalesced into one
 * batch when the client is behind). Memory per idle connection is this struct;
 * subscriptions are allocated on first use. */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "admins.h"
#include "bcast.h"
#include "channels.h"
#include "checkins.h"
#include "log.h"
#include "metrics.h"
#include "node.h"
#include "participants.h"
#include "timeutil.h"
#include "ws.h"
#include "wlive.h"
#include "wsmsg.h"

#define WS_CTRL_MAX	   64	 /* queued replies before a client is cut off */
#define WS_BATCH_MAX	   65536 /* bytes in one coalesced frame */
#define WS_HELLO_TIMEOUT_S 10
#define WS_WRITES_PER_PASS 32		/* replies written in one writable callback */
#define WS_SNDBUF	   (256 * 1024) /* kernel send buffer per connection, bytes */

enum ws_role { WS_NONE, WS_GUEST, WS_PARTICIPANT, WS_STAFF };

struct ws_ctrl {
	struct ws_ctrl *next;
	size_t len;
	unsigned char buf[]; /* LWS_PRE headroom, then the frame */
};

/* A connection as its pending check-ins see it: outlives the connection until
 * the last of them completes, and says whether anyone is still there. */
struct ws_handle {
	struct ws_conn *c; /* NULL once the connection closed */
	unsigned refs;	   /* check-ins in flight */
};

/* One check-in in flight. */
struct ws_pending {
	struct ws_handle *h;
	char ref[WSMSG_REF_MAX * 4 + 1];
	bool has_ref;
	char channel[BCAST_NAME_MAX + 1]; /* workshop frames: echoed in errors */
};

struct ws_conn {
	struct lws *wsi;
	enum ws_role role;
	unsigned staff_role;
	struct bcast_sub *subs; /* cfg.ws_max_subscriptions entries, allocated lazily */
	unsigned rr;		/* round-robin start for the next send */
	struct ws_ctrl *ctrl_head, *ctrl_tail; /* replies to send, in order */
	unsigned ctrl_n;
	struct ws_handle *handle;	     /* allocated by the first check-in */
	unsigned char pid[SECRETS_ID_BYTES]; /* the participant, after hello */
	char *rx;			     /* reassembly of a fragmented message */
	size_t rx_len;
	bool rx_discard; /* the current message went over the cap */
	bool close_after_flush;
	uint16_t close_status;
	uint32_t msg_tokens; /* message rate limit, in 1/1000 of a message */
	uint64_t msg_refill_us;
};

static struct node *node_of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

void ws_wake(void *owner, void *arg)
{
	(void)arg;
	struct ws_conn *c = owner;
	lws_callback_on_writable(c->wsi);
}

static void queue(struct ws_conn *c, const struct jbuf *frame)
{
	if (c->ctrl_n == WS_CTRL_MAX) {
		/* A client that does not read its replies is not worth more memory. */
		c->close_after_flush = true;
		c->close_status = LWS_CLOSE_STATUS_POLICY_VIOLATION;
		return;
	}
	struct ws_ctrl *m = malloc(sizeof(*m) + LWS_PRE + frame->len);
	if (!m)
		abort();
	m->next = NULL;
	m->len = frame->len;
	memcpy(m->buf + LWS_PRE, jbuf_data(frame), frame->len);
	if (c->ctrl_tail)
		c->ctrl_tail->next = m;
	else
		c->ctrl_head = m;
	c->ctrl_tail = m;
	c->ctrl_n++;
	lws_callback_on_writable(c->wsi);
}

/* An error frame; `ref` (may be NULL) echoes the request's reference and
 * `status` (0: none) gives the HTTP-like status. */
static void send_error_ref(struct ws_conn *c, const char *code, const char *message,
			   const char *channel, const char *ref, int status)
{
	struct jbuf f;
	jbuf_init(&f, 0);
	jbuf_puts(&f, "{\"type\":\"error\",\"error\":{\"code\":");
	jbuf_json_str(&f, code);
	jbuf_json_key(&f, "message");
	jbuf_json_str(&f, message);
	if (status) {
		jbuf_json_key(&f, "status");
		jbuf_json_int(&f, status);
	}
	jbuf_putc(&f, '}');
	if (ref && ref[0]) {
		jbuf_json_key(&f, "ref");
		jbuf_json_str(&f, ref);
	}
	if (channel) {
		jbuf_json_key(&f, "channel");
		jbuf_json_str(&f, channel);
	}
	jbuf_putc(&f, '}');
	queue(c, &f);
	jbuf_fini(&f);
}

static void send_error(struct ws_conn *c, const char *code, const char *message,
		       const char *channel)
{
	send_error_ref(c, code, message, channel, NULL, 0);
}

static void close_after(struct ws_conn *c, uint16_t status)
{
	c->close_after_flush = true;
	c->close_status = status;
	lws_callback_on_writable(c->wsi);
}

/* Bound to the staff consoles' subprotocol (lws copies the protocol table,
 * so compare by name). */
static bool is_presenter(struct lws *wsi)
{
	return strcmp(lws_get_protocol(wsi)->name, WS_PRESENTER_PROTOCOL_NAME) == 0;
}

static void do_hello(struct ws_conn *c, struct node *n, const struct wsmsg *m)
{
	struct jbuf f;
	char id[SECRETS_ID_HEX] = "";
	const char *role = "guest";

	if (c->role != WS_NONE) {
		send_error(c, "conflict", "hello was already sent", NULL);
		return;
	}
	if (is_presenter(c->wsi) && strncmp(m->token, "zca_", 4) != 0) {
		send_error(c, "forbidden", WS_PRESENTER_PROTOCOL_NAME " is for staff sessions",
			   NULL);
		close_after(c, LWS_CLOSE_STATUS_POLICY_VIOLATION);
		return;
	}
	if (strncmp(m->token, "zcp_", 4) == 0) {
		struct participant p;
		enum zc_err err = participants_auth(n, m->token, &p);
		if (err) {
			send_error(c, "invalid_token", "unknown or revoked token", NULL);
			close_after(c, LWS_CLOSE_STATUS_POLICY_VIOLATION);
			return;
		}
		c->role = WS_PARTICIPANT;
		role = "participant";
		memcpy(c->pid, p.id, SECRETS_ID_BYTES);
		secrets_id_hex(p.id, id);
	} else if (strncmp(m->token, "zca_", 4) == 0) {
		struct admin_session s;
		enum zc_err err = admins_session_check(n, m->token, &s);
		if (err) {
			send_error(c, err == ZC_ERR_EXPIRED ? "token_expired" : "invalid_token",
				   "unknown, revoked or expired staff session", NULL);
			close_after(c, LWS_CLOSE_STATUS_POLICY_VIOLATION);
			return;
		}
		c->role = WS_STAFF;
		c->staff_role = s.role;
		role = rec_role_name(s.role);
	} else if (m->token[0]) {
		send_error(c, "invalid_token", "unknown token format", NULL);
		close_after(c, LWS_CLOSE_STATUS_POLICY_VIOLATION);
		return;
	} else {
		c->role = WS_GUEST;
	}
	lws_set_timeout(c->wsi, NO_PENDING_TIMEOUT, 0);
	jbuf_init(&f, 0);
	jbuf_puts(&f, "{\"type\":\"welcome\",\"role\":");
	jbuf_json_str(&f, role);
	if (id[0]) {
		jbuf_json_key(&f, "id");
		jbuf_json_str(&f, id);
	}
	jbuf_putc(&f, '}');
	queue(c, &f);
	jbuf_fini(&f);
}

static struct bcast_sub *find_sub(struct ws_conn *c, unsigned max, const char *channel)
{
	if (!c->subs)
		return NULL;
	for (unsigned i = 0; i < max; i++)
		if (c->subs[i].ch && strcmp(bcast_channel_name(c->subs[i].ch), channel) == 0)
			return &c->subs[i];
	return NULL;
}

static bool is_workshop(const struct bcast_channel *ch)
{
	return strncmp(bcast_channel_name(ch), "workshop:", 9) == 0;
}

/* Ends a subscription (presence in a workshop ends with it). */
static void sub_end(struct ws_conn *c, struct node *n, struct bcast_sub *s)
{
	if (s->ch && is_workshop(s->ch))
		wlive_left(n, s->ch, c->role == WS_PARTICIPANT ? c->pid : NULL);
	bcast_unsubscribe(s);
}

static void do_subscribe(struct ws_conn *c, struct node *n, const struct wsmsg *m)
{
	unsigned max = n->cfg.ws_max_subscriptions;
	struct bcast_channel *ch = channels_find(n->channels, m->channel);
	struct bcast_sub *slot = NULL;
	struct jbuf f;
	if (!ch)
		ch = wlive_channel(n, m->channel);

	if (!ch) {
		send_error(c, "unknown_channel", "no such channel", m->channel);
		return;
	}
	if (find_sub(c, max, m->channel)) {
		send_error(c, "conflict", "already subscribed", m->channel);
		return;
	}
	if (!c->subs) {
		c->subs = calloc(max, sizeof(*c->subs));
		if (!c->subs)
			abort();
	}
	for (unsigned i = 0; i < max && !slot; i++)
		if (!c->subs[i].ch)
			slot = &c->subs[i];
	if (!slot) {
		send_error(c, "too_many_channels", "subscription limit reached", m->channel);
		return;
	}
	if (bcast_subscribe(ch, slot, c, m->has_after, m->after) != ZC_OK) {
		send_error(c, "lagging",
			   "events after this seq are no longer held; "
			   "reload the channel's state",
			   m->channel);
		return;
	}
	jbuf_init(&f, 0);
	jbuf_puts(&f, "{\"type\":\"subscribed\",\"channel\":");
	jbuf_json_str(&f, m->channel);
	if (bcast_channel_kind(ch) == BCAST_STATE) {
		jbuf_json_key(&f, "version");
		jbuf_json_int(&f, (int64_t)bcast_head(ch));
	} else {
		jbuf_json_key(&f, "seq");
		jbuf_json_int(&f, (int64_t)bcast_head(ch) - 1);
	}
	if (is_workshop(ch)) {
		const unsigned char *pid = c->role == WS_PARTICIPANT ? c->pid : NULL;
		wlive_joined(n, ch, pid);
		wlive_subscribed_json(n, ch, pid, c->role == WS_STAFF, !m->has_after, &f);
	}
	jbuf_putc(&f, '}');
	queue(c, &f);
	jbuf_fini(&f);
}

static void do_unsubscribe(struct ws_conn *c, struct node *n, const struct wsmsg *m)
{
	struct bcast_sub *s = find_sub(c, n->cfg.ws_max_subscriptions, m->channel);
	struct jbuf f;
	if (!s) {
		send_error(c, "unknown_channel", "not subscribed to this channel", m->channel);
		return;
	}
	sub_end(c, n, s);
	jbuf_init(&f, 0);
	jbuf_puts(&f, "{\"type\":\"unsubscribed\",\"channel\":");
	jbuf_json_str(&f, m->channel);
	jbuf_putc(&f, '}');
	queue(c, &f);
	jbuf_fini(&f);
}

/* Sends {"type":"checkin_result","ref","status","data"} (data: the check-in,
 * or an error object). */
static void checkin_result(struct ws_conn *c, const char *ref, int status, const char *code,
			   const char *message, const struct jbuf *body)
{
	struct jbuf f;
	jbuf_init(&f, 0);
	jbuf_puts(&f, "{\"type\":\"checkin_result\",\"ref\":");
	jbuf_json_str(&f, ref);
	jbuf_json_key(&f, "status");
	jbuf_json_int(&f, status);
	jbuf_json_key(&f, "data");
	if (body && body->len) {
		jbuf_put(&f, jbuf_data(body), body->len);
	} else {
		jbuf_puts(&f, "{\"error\":{\"code\":");
		jbuf_json_str(&f, code);
		jbuf_json_key(&f, "message");
		jbuf_json_str(&f, message);
		jbuf_puts(&f, "}}");
	}
	jbuf_putc(&f, '}');
	queue(c, &f);
	jbuf_fini(&f);
}

/* A check-in's batch committed (or failed). */
static void checkin_done(void *owner, int status, const char *code, const struct jbuf *body)
{
	struct ws_pending *p = owner;
	struct ws_handle *h = p->h;
	if (h->c) {
		const char *message =
		    !code				 ? ""
		    : strcmp(code, "storage_full") == 0	 ? "the node's storage is full"
		    : strcmp(code, "invalid_token") == 0 ? "unknown or revoked token"
							 : "internal error";
		checkin_result(h->c, p->ref, status, code, message, body);
	}
	if (--h->refs == 0 && !h->c)
		free(h);
	free(p);
}

/* A request that will be answered after its commit; the connection's
 * handle (made on first use) tells the answer whether anyone is still there. */
static struct ws_pending *pending_new(struct ws_conn *c)
{
	if (!c->handle) {
		c->handle = calloc(1, sizeof(*c->handle));
		if (!c->handle)
			abort();
		c->handle->c = c;
	}
	struct ws_pending *p = calloc(1, sizeof(*p));
	if (!p)
		abort();
	p->h = c->handle;
	c->handle->refs++;
	return p;
}

static void do_checkin(struct ws_conn *c, struct node *n, const struct wsmsg *m)
{
	struct checkin_req q;
	struct checkin_problem why;
	if (c->role != WS_PARTICIPANT) {
		checkin_result(c, m->ref, 403, "forbidden", "only participants check in", NULL);
		return;
	}
	if (c->handle && c->handle->refs >= n->cfg.ws_max_pending) {
		checkin_result(c, m->ref, 429, "too_many_pending",
			       "wait for results before sending more check-ins", NULL);
		return;
	}
	if (!checkins_validate(n, c->pid, m->action, m->date[0] ? m->date : NULL, &q, &why)) {
		checkin_result(c, m->ref, why.status, why.code, why.message, NULL);
		return;
	}
	struct ws_pending *p = pending_new(c);
	snprintf(p->ref, sizeof(p->ref), "%s", m->ref);
	checkins_submit(n, &q, checkin_done, p);
}

/* A workshop frame's answer: {"type":"ack","ref"?,"channel","data"} or an
 * error frame with the same ref. */
static void workshop_done(void *owner, int status, const char *code, const char *message,
			  const struct jbuf *data)
{
	struct ws_pending *p = owner;
	struct ws_handle *h = p->h;
	struct ws_conn *c = h->c;
	if (c) {
		struct jbuf f;
		jbuf_init(&f, 0);
		if (status == 200) {
			jbuf_puts(&f, "{\"type\":\"ack\"");
		} else {
			jbuf_puts(&f, "{\"type\":\"error\",\"error\":{\"code\":");
			jbuf_json_str(&f, code);
			jbuf_json_key(&f, "message");
			jbuf_json_str(&f, message);
			jbuf_json_key(&f, "status");
			jbuf_json_int(&f, status);
			jbuf_putc(&f, '}');
		}
		if (p->has_ref) {
			jbuf_json_key(&f, "ref");
			jbuf_json_str(&f, p->ref);
		}
		jbuf_json_key(&f, "channel");
		jbuf_json_str(&f, p->channel);
		if (status == 200) {
			jbuf_json_key(&f, "data");
			if (data && data->len)
				jbuf_put(&f, jbuf_data(data), data->len);
			else
				jbuf_puts(&f, "{}");
		}
		jbuf_putc(&f, '}');
		queue(c, &f);
		jbuf_fini(&f);
	}
	if (--h->refs == 0 && !h->c)
		free(h);
	free(p);
}

static void do_workshop(struct ws_conn *c, struct node *n, const struct wsmsg *m)
{
	if (strncmp(m->channel, "workshop:", 9) != 0) {
		send_error(c, "unknown_channel", "workshop frames go to a workshop:<id> channel",
			   m->channel);
		return;
	}
	if (c->handle && c->handle->refs >= n->cfg.ws_max_pending) {
		send_error(c, "too_many_pending", "wait for acks before sending more", m->channel);
		return;
	}
	struct ws_pending *p = pending_new(c);
	p->has_ref = m->has_ref;
	snprintf(p->ref, sizeof(p->ref), "%s", m->ref);
	snprintf(p->channel, sizeof(p->channel), "%s", m->channel);
	struct wlive_actor who = {
	    .pid = c->role == WS_PARTICIPANT ? c->pid : NULL,
	    .staff_role = c->role == WS_STAFF ? c->staff_role : 0,
	};
	wlive_message(n, m, &who, workshop_done, p);
}

/* Token bucket on client messages, in thousandths so refill needs no floats. */
static bool take_message_token(struct ws_conn *c, const struct zc_config *cfg)
{
	uint64_t now = time_mono_us();
	uint64_t add = (now - c->msg_refill_us) * cfg->ws_messages_per_second / 1000;
	uint64_t burst = 2ull * cfg->ws_messages_per_second * 1000u;
	c->msg_refill_us = now;
	uint64_t t = c->msg_tokens + add;
	c->msg_tokens = (uint32_t)(t > burst ? burst : t);
	if (c->msg_tokens < 1000)
		return false;
	c->msg_tokens -= 1000;
	return true;
}

static void handle_message(struct ws_conn *c, struct node *n, const char *buf, size_t len)
{
	struct wsmsg m;
	struct jdec_error e;

	metrics_ws_in(1);
	if (!take_message_token(c, &n->cfg)) {
		send_error(c, "rate_limited", "too many messages", NULL);
		return;
	}
	if (!wsmsg_decode(buf, len, &m, &e)) {
		/* Echo what can be read of the frame's ref and channel, so a
		 * client matches the error to its request. */
		char ref[WSMSG_REF_MAX + 1], channel[BCAST_NAME_MAX + 1];
		bool has_channel = jdec_peek_string(buf, len, "channel", channel, sizeof(channel));
		jdec_peek_string(buf, len, "ref", ref, sizeof(ref));
		send_error_ref(c, wsmsg_error_code(&e), e.message, has_channel ? channel : NULL,
			       ref, jdec_http_status(e.status));
		return;
	}
	if (m.type != WSMSG_HELLO && c->role == WS_NONE) {
		send_error(c, "hello_required", "the first message must be hello", NULL);
		close_after(c, LWS_CLOSE_STATUS_POLICY_VIOLATION);
		return;
	}
	switch (m.type) {
	case WSMSG_HELLO:
		do_hello(c, n, &m);
		break;
	case WSMSG_SUBSCRIBE:
		do_subscribe(c, n, &m);
		break;
	case WSMSG_UNSUBSCRIBE:
		do_unsubscribe(c, n, &m);
		break;
	case WSMSG_CHECKIN:
		do_checkin(c, n, &m);
		break;
	case WSMSG_ANSWER:
	case WSMSG_ASK:
	case WSMSG_VOTE:
	case WSMSG_CHAT:
	case WSMSG_REACT:
	case WSMSG_PUBLISH:
		do_workshop(c, n, &m);
		break;
	case WSMSG_PING: {
		struct jbuf f;
		jbuf_init(&f, 0);
		jbuf_puts(&f, "{\"type\":\"pong\"}");
		queue(c, &f);
		jbuf_fini(&f);
		break;
	}
	}
}

static int receive(struct ws_conn *c, struct node *n, const char *in, size_t len)
{
	struct lws *wsi = c->wsi;
	size_t cap = n->cfg.ws_max_message;

	if (lws_frame_is_binary(wsi)) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE,
				 (unsigned char *)"text frames only", 16);
		return -1;
	}
	if (lws_is_first_fragment(wsi)) {
		c->rx_len = 0;
		c->rx_discard = false;
	}
	if (!c->rx_discard) {
		if (c->rx_len + len > cap) {
			c->rx_discard = true;
			free(c->rx);
			c->rx = NULL;
			c->rx_len = 0;
			send_error(c, "message_too_large", "message over the size cap", NULL);
			close_after(c, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE);
		} else {
			char *grown = realloc(c->rx, c->rx_len + len + 1);
			if (!grown)
				abort();
			c->rx = grown;
			memcpy(c->rx + c->rx_len, in, len);
			c->rx_len += len;
			c->rx[c->rx_len] = '\0';
		}
	}
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
		return 0;
	if (!c->rx_discard && c->rx)
		handle_message(c, n, c->rx, c->rx_len);
	/* Idle connections keep no receive buffer. */
	free(c->rx);
	c->rx = NULL;
	c->rx_len = 0;
	return 0;
}

static bool any_pending(const struct ws_conn *c, unsigned max)
{
	if (c->ctrl_n)
		return true;
	if (c->subs)
		for (unsigned i = 0; i < max; i++)
			if (c->subs[i].ch && bcast_pending(&c->subs[i]))
				return true;
	return false;
}

static int writeable(struct ws_conn *c, struct node *n)
{
	unsigned max = n->cfg.ws_max_subscriptions;
	struct lws *wsi = c->wsi;

	if (c->ctrl_n) {
		/* Replies go out together while the socket takes them: a client
		 * with many check-ins in flight gets all its results in one pass,
		 * not one per turn of the loop. */
		unsigned sent = 0;
		do {
			struct ws_ctrl *m = c->ctrl_head;
			c->ctrl_head = m->next;
			if (!c->ctrl_head)
				c->ctrl_tail = NULL;
			c->ctrl_n--;
			int w = lws_write(wsi, m->buf + LWS_PRE, m->len, LWS_WRITE_TEXT);
			free(m);
			if (w < 0)
				return -1;
			sent++;
		} while (c->ctrl_n && sent < WS_WRITES_PER_PASS && !lws_send_pipe_choked(wsi));
		metrics_ws_out(sent);
	} else if (c->close_after_flush) {
		lws_close_reason(wsi, (enum lws_close_status)c->close_status, NULL, 0);
		return -1;
	} else if (c->subs) {
		for (unsigned k = 0; k < max; k++) {
			struct bcast_sub *s = &c->subs[(c->rr + k) % max];
			unsigned char *frame;
			size_t len;
			if (!s->ch || !bcast_pending(s))
				continue;
			c->rr = (c->rr + k + 1) % max;
			enum bcast_next r = bcast_next(s, WS_BATCH_MAX, &frame, &len);
			if (r == BCAST_LAGGING) {
				const char *name = bcast_channel_name(s->ch);
				send_error(c, "lagging",
					   "fell behind the channel; reconnect with after", name);
				sub_end(c, n, s);
				close_after(c, LWS_CLOSE_STATUS_POLICY_VIOLATION);
				break;
			}
			if (r == BCAST_FRAME) {
				if (lws_write(wsi, frame, len, LWS_WRITE_TEXT) < (int)len)
					return -1;
				metrics_ws_out(1);
			}
			break;
		}
	}
	if (any_pending(c, max) || c->close_after_flush)
		lws_callback_on_writable(wsi);
	return 0;
}

static void conn_fini(struct ws_conn *c, struct node *n)
{
	if (c->subs) {
		for (unsigned i = 0; i < n->cfg.ws_max_subscriptions; i++)
			sub_end(c, n, &c->subs[i]);
		free(c->subs);
		c->subs = NULL;
	}
	while (c->ctrl_head) {
		struct ws_ctrl *m = c->ctrl_head;
		c->ctrl_head = m->next;
		free(m);
	}
	c->ctrl_tail = NULL;
	c->ctrl_n = 0;
	free(c->rx);
	c->rx = NULL;
	if (c->handle) {
		/* Check-ins still in flight will find nobody to answer. */
		c->handle->c = NULL;
		if (c->handle->refs == 0)
			free(c->handle);
		c->handle = NULL;
	}
}

/* A client that stops reading must not hold the node's memory: its socket's
 * send buffer is bounded, and the kernel drops the connection once data (or
 * zero-window probes) went unacknowledged for ws_stall_timeout_s; lws then
 * closes it like any broken connection. A client that reads slowly but reads
 * stays (the ring's lagging rule handles it). */
static void stall_limits(int fd, const struct zc_config *cfg)
{
	unsigned ms = cfg->ws_stall_timeout_s * 1000u;
	int sndbuf = WS_SNDBUF;
	if (fd < 0)
		return;
	setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof(ms));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
}

static bool path_is_ws(struct lws *wsi)
{
	char *uri = NULL;
	int len = 0;
	if (lws_http_get_uri_and_method(wsi, &uri, &len) < 0 || !uri)
		return false;
	return len == 3 && memcmp(uri, "/ws", 3) == 0;
}

/* True when the client asked for the subprotocol lws bound the connection to
 * (this guards against a protocol list that names others). */
static bool asked_zcnode(struct lws *wsi)
{
	char list[256];
	const char *name = lws_get_protocol(wsi)->name;
	size_t nl = strlen(name);
	if (lws_hdr_total_length(wsi, WSI_TOKEN_PROTOCOL) >= (int)sizeof(list) ||
	    lws_hdr_copy(wsi, list, sizeof(list), WSI_TOKEN_PROTOCOL) <= 0)
		return false;
	for (char *p = list; *p;) {
		p += strspn(p, ", ");
		size_t l = strcspn(p, ", ");
		if (l == nl && strncmp(p, name, l) == 0)
			return true;
		p += l;
	}
	return false;
}

static int callback_ws(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		       size_t len)
{
	struct ws_conn *c = user;
	struct node *n;

	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return path_is_ws(wsi) && asked_zcnode(wsi) ? 0 : 1;

	case LWS_CALLBACK_ESTABLISHED:
		n = node_of(wsi);
		memset(c, 0, sizeof(*c));
		c->wsi = wsi;
		c->msg_tokens = 2u * n->cfg.ws_messages_per_second * 1000u;
		c->msg_refill_us = time_mono_us();
		lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, WS_HELLO_TIMEOUT_S);
		metrics_gauge_add(METRICS_WS_CONNECTIONS, 1);
		stall_limits(lws_get_socket_fd(wsi), &n->cfg);
		return 0;

	case LWS_CALLBACK_RECEIVE:
		return receive(c, node_of(wsi), in, len);

	case LWS_CALLBACK_SERVER_WRITEABLE:
		return writeable(c, node_of(wsi));

	case LWS_CALLBACK_CLOSED:
		conn_fini(c, node_of(wsi));
		metrics_gauge_add(METRICS_WS_CONNECTIONS, -1);
		return 0;

	default:
		return 0;
	}
}

const struct lws_protocols ws_protocol = {
    .name = WS_PROTOCOL_NAME,
    .callback = callback_ws,
    .per_session_data_size = sizeof(struct ws_conn),
    /* lws allocates the receive buffer for every connection when it opens and
     * reads at most this much per pass: small, for idle memory; receive()
     * joins the pieces of longer messages (up to ws_max_message). */
    .rx_buffer_size = 512,
    /* Without it lws cuts each write at rx_buffer_size and copies the rest
     * aside for later passes: a batch frame goes out in one write. */
    .tx_packet_size = WS_BATCH_MAX + 64,
};

const struct lws_protocols ws_presenter_protocol = {
    .name = WS_PRESENTER_PROTOCOL_NAME,
    .callback = callback_ws,
    .per_session_data_size = sizeof(struct ws_conn),
    /* A few consoles: a buffer that takes a burst of commands in one pass. */
    .rx_buffer_size = 4096,
    .tx_packet_size = WS_BATCH_MAX + 64,
};

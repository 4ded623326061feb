/* Live workshop sessions. State lives in memory for the loaded sessions and
 * in the store (STORE_WS_ITEMS: the session header, questions, chat messages;
 * STORE_WS_PART: a participant's answers, votes, mute, authored items;
 * STORE_WS_EVENTS: the event log). A message is validated and applied inside
 * the write queue's transaction (rows, events, then the in-memory state); its
 * job's done() publishes the events and acknowledges. A failed commit reloads
 * the session from the store, so memory never runs ahead of what is durable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "checkins.h"
#include "board.h"
#include "log.h"
#include "participants.h"
#include "ratelimit.h"
#include "recio.h"
#include "secrets.h"
#include "store.h"
#include "timeutil.h"
#include "utf8.h"
#include "wlive.h"
#include "workshops.h"
#include "wq.h"

#define CHAT_KEEP     50   /* visible chat messages in the state */
#define QUESTIONS_MAX 1000 /* questions per session */
#define ASK_MAX	      280  /* code points of a question */
#define QUIZ_TOP      10
#define ROW_ANSWER    'A'
#define ROW_VOTE      'V'
#define ROW_MUTE      'M'
#define ROW_AUTHORED  'E'
#define ITEM_HEADER   'S'
#define ITEM_QUESTION 'Q'
#define ITEM_CHAT     'C'
#define F_HIDDEN      1
#define F_PINNED      2
#define F_ANSWERED    4
#define F_REMOVED     8

static const char *const reactions[] = {"clap", "heart", "idea", "wow", "laugh", "thumbs_up"};
#define NREACTIONS 6

/* One participant as a session knows them. */
struct pent {
	unsigned char pid[16];
	bool used, muted, recorded, named;
	uint16_t subs;	  /* subscriptions open now */
	int64_t since_us; /* present (and counted) since, while live; 0 otherwise */
	char nickname[REC_NICKNAME_BYTES];
	int16_t poll_item, quiz_item; /* the item their current answer is for, -1 none */
	uint8_t poll_mask, quiz_mask;
	uint16_t quiz_pending; /* points of the current quiz answer, until revealed */
	uint32_t quiz_total;   /* revealed quiz points this session */
};

struct question {
	uint32_t id, votes;
	uint64_t seq;
	uint8_t flags;
	unsigned char author[16];
	char *text, *nickname;
	int64_t at;
};

struct chatmsg {
	uint32_t id;
	uint64_t seq;
	uint8_t flags;
	char *text, *nickname;
	int64_t at;
};

struct wsess {
	uint32_t id;
	struct workshop w;
	struct bcast_channel *ch;
	uint64_t next_seq;
	/* header (persisted) */
	int32_t step, poll_item, quiz_item;
	bool poll_open, quiz_open_flag;
	int64_t quiz_opened_ms, quiz_closes_ms;
	uint64_t revealed[2]; /* bit per quiz item */
	uint32_t next_qid, next_mid;
	/* derived */
	uint32_t poll_counts[WS_OPTIONS_MAX], poll_voters;
	uint32_t quiz_counts[WS_OPTIONS_MAX], quiz_answers;
	struct question *qs;
	size_t nqs, capqs;
	struct chatmsg chat[CHAT_KEEP]; /* ring of the last visible messages */
	size_t chat_head, nchat;
	/* participants */
	struct pent *pents;
	size_t pcap, pcount;
	uint32_t online, guests;
	uint32_t react[NREACTIONS];	  /* since the last tally */
	uint32_t react_total[NREACTIONS]; /* this run of the session (not stored) */
	/* what the next tally carries */
	bool d_poll, d_quiz, d_votes, d_react, d_presence;
	int64_t checkpoint_us; /* when open presence was last written to attendance */
	struct wsess *next;
};

struct wlive {
	struct node *n;
	size_t headroom;
	bcast_wake_fn wake;
	void *wake_arg;
	struct wsess *sessions;
	struct ratelimit *chat_limit;
};

static int64_t now_ms(void)
{
	return time_now_us() / 1000;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		abort();
	return d;
}

/* ---- participants of a session (open addressing on the id) ---- */

static size_t phash(const unsigned char *pid, size_t cap)
{
	uint64_t h;
	memcpy(&h, pid, sizeof(h)); /* ids are random */
	return (size_t)(h & (cap - 1));
}

static struct pent *pfind(struct wsess *s, const unsigned char *pid, bool create)
{
	if (create && (s->pcount + 1) * 4 > s->pcap * 3) {
		size_t ncap = s->pcap ? s->pcap * 2 : 64;
		struct pent *np = calloc(ncap, sizeof(*np));
		if (!np)
			abort();
		for (size_t i = 0; i < s->pcap; i++) {
			if (!s->pents[i].used)
				continue;
			size_t j = phash(s->pents[i].pid, ncap);
			while (np[j].used)
				j = (j + 1) & (ncap - 1);
			np[j] = s->pents[i];
		}
		free(s->pents);
		s->pents = np;
		s->pcap = ncap;
	}
	if (!s->pcap)
		return NULL;
	size_t i = phash(pid, s->pcap);
	while (s->pents[i].used) {
		if (memcmp(s->pents[i].pid, pid, 16) == 0)
			return &s->pents[i];
		i = (i + 1) & (s->pcap - 1);
	}
	if (!create)
		return NULL;
	struct pent *p = &s->pents[i];
	memset(p, 0, sizeof(*p));
	memcpy(p->pid, pid, 16);
	p->used = true;
	p->poll_item = p->quiz_item = -1;
	s->pcount++;
	return p;
}

static const char *pname(struct wsess *s, struct pent *p, struct node *n)
{
	(void)s;
	if (!p->named) {
		struct participant pp;
		if (participants_get(n, p->pid, &pp) == ZC_OK)
			snprintf(p->nickname, sizeof(p->nickname), "%s", pp.nickname);
		p->named = true;
	}
	return p->nickname;
}

/* ---- rows ---- */

static void item_key(uint32_t id, unsigned kind, uint32_t num, unsigned char k[9])
{
	bytes_put_be32(k, id);
	k[4] = (unsigned char)kind;
	bytes_put_be32(k + 5, num);
}

static void part_key(uint32_t id, const unsigned char *pid, unsigned kind, uint32_t num,
		     unsigned char k[25])
{
	workshops_key_idpid(id, pid, k);
	k[20] = (unsigned char)kind;
	bytes_put_be32(k + 21, num);
}

static void header_encode(const struct wsess *s, struct jbuf *b)
{
	recio_put_u8(b, RECIO_FMT_V1);
	recio_put_u32(b, (uint32_t)s->step);
	recio_put_u32(b, (uint32_t)s->poll_item);
	recio_put_u8(b, s->poll_open);
	recio_put_u32(b, (uint32_t)s->quiz_item);
	recio_put_u8(b, s->quiz_open_flag);
	recio_put_i64(b, s->quiz_opened_ms);
	recio_put_i64(b, s->quiz_closes_ms);
	recio_put_i64(b, (int64_t)s->revealed[0]);
	recio_put_i64(b, (int64_t)s->revealed[1]);
	recio_put_u32(b, s->next_qid);
	recio_put_u32(b, s->next_mid);
}

static bool header_decode(struct wsess *s, const void *v, size_t n)
{
	struct recio_reader r;
	if (!recio_start(&r, v, n))
		return false;
	s->step = (int32_t)recio_get_u32(&r);
	s->poll_item = (int32_t)recio_get_u32(&r);
	s->poll_open = recio_get_u8(&r);
	s->quiz_item = (int32_t)recio_get_u32(&r);
	s->quiz_open_flag = recio_get_u8(&r);
	s->quiz_opened_ms = recio_get_i64(&r);
	s->quiz_closes_ms = recio_get_i64(&r);
	s->revealed[0] = (uint64_t)recio_get_i64(&r);
	s->revealed[1] = (uint64_t)recio_get_i64(&r);
	s->next_qid = recio_get_u32(&r);
	s->next_mid = recio_get_u32(&r);
	return recio_finish(&r);
}

/* A question or chat row. */
struct itemrec {
	uint64_t seq;
	unsigned char author[16];
	char nickname[REC_NICKNAME_BYTES];
	char text[WSMSG_TEXT_MAX * 4 + 1];
	uint8_t flags;
	int64_t at;
};

static void itemrec_encode(const struct itemrec *r, struct jbuf *b)
{
	recio_put_u8(b, RECIO_FMT_V1);
	recio_put_i64(b, (int64_t)r->seq);
	jbuf_put(b, (const char *)r->author, 16);
	recio_put_str(b, r->nickname);
	recio_put_str(b, r->text);
	recio_put_u8(b, r->flags);
	recio_put_i64(b, r->at);
}

static bool itemrec_decode(const void *v, size_t n, struct itemrec *r)
{
	struct recio_reader rd;
	if (!recio_start(&rd, v, n))
		return false;
	r->seq = (uint64_t)recio_get_i64(&rd);
	recio_get_bytes(&rd, r->author, 16);
	recio_get_str(&rd, r->nickname, sizeof(r->nickname));
	recio_get_str(&rd, r->text, sizeof(r->text));
	r->flags = recio_get_u8(&rd);
	r->at = recio_get_i64(&rd);
	return recio_finish(&rd);
}

static enum zc_err put_buf(struct store_txn *txn, enum store_db db, const void *k, size_t kl,
			   const struct jbuf *b)
{
	return store_put(txn, db, k, kl, jbuf_data(b), b->len, false);
}

static enum zc_err put_header(struct store_txn *txn, const struct wsess *s)
{
	unsigned char k[9];
	struct jbuf b;
	jbuf_init(&b, 0);
	header_encode(s, &b);
	item_key(s->id, ITEM_HEADER, 0, k);
	enum zc_err err = put_buf(txn, STORE_WS_ITEMS, k, sizeof(k), &b);
	jbuf_fini(&b);
	return err;
}

static enum zc_err put_item(struct store_txn *txn, uint32_t id, unsigned kind, uint32_t num,
			    const struct itemrec *r)
{
	unsigned char k[9];
	struct jbuf b;
	jbuf_init(&b, 0);
	itemrec_encode(r, &b);
	item_key(id, kind, num, k);
	enum zc_err err = put_buf(txn, STORE_WS_ITEMS, k, sizeof(k), &b);
	jbuf_fini(&b);
	return err;
}

static enum zc_err get_item(struct store_txn *txn, uint32_t id, unsigned kind, uint32_t num,
			    struct itemrec *r)
{
	unsigned char k[9];
	const void *v;
	size_t n;
	item_key(id, kind, num, k);
	enum zc_err err = store_get(txn, STORE_WS_ITEMS, k, sizeof(k), &v, &n);
	if (err)
		return err;
	return itemrec_decode(v, n, r) ? ZC_OK : ZC_ERR_STORE;
}

/* ---- JSON pieces ---- */

static void counts_json(const uint32_t *c, unsigned n, struct jbuf *out)
{
	jbuf_putc(out, '[');
	for (unsigned i = 0; i < n; i++) {
		if (i)
			jbuf_putc(out, ',');
		jbuf_json_int(out, c[i]);
	}
	jbuf_putc(out, ']');
}

static void mask_json(uint8_t mask, struct jbuf *out)
{
	bool first = true;
	jbuf_putc(out, '[');
	for (unsigned o = 0; o < 8; o++) {
		if (!(mask & (1u << o)))
			continue;
		if (!first)
			jbuf_putc(out, ',');
		first = false;
		jbuf_json_int(out, o);
	}
	jbuf_putc(out, ']');
}

static void reactions_json(const uint32_t *counts, struct jbuf *out)
{
	jbuf_putc(out, '{');
	for (unsigned r = 0; r < NREACTIONS; r++) {
		if (r)
			jbuf_putc(out, ',');
		jbuf_json_str(out, reactions[r]);
		jbuf_putc(out, ':');
		jbuf_json_int(out, counts[r]);
	}
	jbuf_putc(out, '}');
}

static void ms_json(int64_t ms, struct jbuf *out)
{
	char t[TIME_RFC3339_LEN];
	time_rfc3339(ms / 1000, t);
	jbuf_json_str(out, t);
}

static const struct ws_item *item_at(const struct wsess *s, int32_t i)
{
	return i >= 0 && i < s->w.nitems ? &s->w.items[i] : NULL;
}

static bool quiz_is_open(const struct wsess *s, int64_t now)
{
	return s->quiz_open_flag && now < s->quiz_closes_ms;
}

static bool revealed(const struct wsess *s, int32_t item)
{
	return item >= 0 && item < 128 && (s->revealed[item / 64] >> (item % 64)) & 1;
}

static void question_json(const struct question *q, struct jbuf *out)
{
	jbuf_puts(out, "{\"id\":");
	jbuf_json_int(out, q->id);
	jbuf_json_key(out, "text");
	jbuf_json_str(out, q->text);
	jbuf_json_key(out, "nickname");
	jbuf_json_str(out, q->nickname);
	jbuf_json_key(out, "votes");
	jbuf_json_int(out, q->votes);
	jbuf_json_key(out, "pinned");
	jbuf_json_bool(out, q->flags & F_PINNED);
	jbuf_json_key(out, "answered");
	jbuf_json_bool(out, q->flags & F_ANSWERED);
	jbuf_putc(out, '}');
}

static void chat_json(const struct chatmsg *c, struct jbuf *out)
{
	jbuf_puts(out, "{\"id\":");
	jbuf_json_int(out, c->id);
	jbuf_json_key(out, "text");
	jbuf_json_str(out, c->text);
	jbuf_json_key(out, "nickname");
	jbuf_json_str(out, c->nickname);
	jbuf_json_key(out, "at");
	ms_json(c->at, out);
	jbuf_putc(out, '}');
}

/* The quiz leaderboard of the session (revealed points), top QUIZ_TOP. */
static void quiz_top_json(struct wsess *s, struct node *n, struct jbuf *out)
{
	struct pent *top[QUIZ_TOP];
	size_t nt = 0;
	for (size_t i = 0; i < s->pcap; i++) {
		struct pent *p = &s->pents[i];
		if (!p->used || p->quiz_total == 0)
			continue;
		size_t j = nt < QUIZ_TOP ? nt++ : QUIZ_TOP;
		if (j == QUIZ_TOP) {
			if (p->quiz_total <= top[QUIZ_TOP - 1]->quiz_total)
				continue;
			j = QUIZ_TOP - 1;
		}
		while (j > 0 && top[j - 1]->quiz_total < p->quiz_total) {
			top[j] = top[j - 1];
			j--;
		}
		top[j] = p;
	}
	jbuf_putc(out, '[');
	for (size_t i = 0; i < nt; i++) {
		if (i)
			jbuf_putc(out, ',');
		jbuf_puts(out, "{\"nickname\":");
		jbuf_json_str(out, pname(s, top[i], n));
		jbuf_json_key(out, "points");
		jbuf_json_int(out, top[i]->quiz_total);
		jbuf_putc(out, '}');
	}
	jbuf_putc(out, ']');
}

static void state_json(struct wsess *s, struct node *n, struct jbuf *out)
{
	int64_t now = now_ms();
	const struct ws_item *it;
	jbuf_puts(out, "{\"status\":");
	jbuf_json_str(out, workshop_status_name(s->w.status));
	jbuf_json_key(out, "step");
	if ((it = item_at(s, s->step)) != NULL) {
		jbuf_puts(out, "{\"item\":");
		jbuf_json_int(out, s->step);
		jbuf_json_key(out, "slide");
		workshop_item_json(it, (unsigned)s->step, false, out);
		jbuf_putc(out, '}');
	} else {
		jbuf_puts(out, "null");
	}
	jbuf_json_key(out, "poll");
	if ((it = item_at(s, s->poll_item)) != NULL && it->kind == WSI_POLL) {
		workshop_item_json(it, (unsigned)s->poll_item, false, out);
		out->len--; /* reopen the object */
		jbuf_json_key(out, "open");
		jbuf_json_bool(out, s->poll_open);
		jbuf_json_key(out, "counts");
		counts_json(s->poll_counts, it->noptions, out);
		jbuf_json_key(out, "voters");
		jbuf_json_int(out, s->poll_voters);
		jbuf_putc(out, '}');
	} else {
		jbuf_puts(out, "null");
	}
	jbuf_json_key(out, "quiz");
	if ((it = item_at(s, s->quiz_item)) != NULL && it->kind == WSI_QUIZ) {
		bool rev = revealed(s, s->quiz_item);
		workshop_item_json(it, (unsigned)s->quiz_item, false, out);
		out->len--;
		jbuf_json_key(out, "open");
		jbuf_json_bool(out, quiz_is_open(s, now));
		jbuf_json_key(out, "closes_at");
		ms_json(s->quiz_closes_ms, out);
		jbuf_json_key(out, "answers");
		jbuf_json_int(out, s->quiz_answers);
		jbuf_json_key(out, "correct");
		if (rev)
			mask_json(it->correct, out);
		else
			jbuf_puts(out, "null");
		if (rev) {
			jbuf_json_key(out, "counts");
			counts_json(s->quiz_counts, it->noptions, out);
		}
		jbuf_putc(out, '}');
	} else {
		jbuf_puts(out, "null");
	}
	jbuf_json_key(out, "quiz_top");
	quiz_top_json(s, n, out);
	jbuf_json_key(out, "questions");
	jbuf_putc(out, '[');
	bool first = true;
	for (size_t i = 0; i < s->nqs; i++) {
		if (s->qs[i].flags & (F_HIDDEN | F_REMOVED))
			continue;
		if (!first)
			jbuf_putc(out, ',');
		first = false;
		question_json(&s->qs[i], out);
	}
	jbuf_puts(out, "],\"chat\":[");
	for (size_t i = 0; i < s->nchat; i++) {
		if (i)
			jbuf_putc(out, ',');
		chat_json(&s->chat[(s->chat_head + i) % CHAT_KEEP], out);
	}
	jbuf_puts(out, "],\"presence\":{\"online\":");
	jbuf_json_int(out, s->online + s->guests);
	jbuf_puts(out, "},\"reactions\":");
	reactions_json(s->react_total, out);
	jbuf_putc(out, '}');
}

/* ---- loading ---- */

static void chat_push(struct wsess *s, const struct chatmsg *c)
{
	if (s->nchat == CHAT_KEEP) {
		struct chatmsg *old = &s->chat[s->chat_head];
		free(old->text);
		free(old->nickname);
		s->chat_head = (s->chat_head + 1) % CHAT_KEEP;
		s->nchat--;
	}
	s->chat[(s->chat_head + s->nchat) % CHAT_KEEP] = *c;
	s->nchat++;
}

static void chat_remove(struct wsess *s, uint32_t id)
{
	for (size_t i = 0; i < s->nchat; i++) {
		struct chatmsg *c = &s->chat[(s->chat_head + i) % CHAT_KEEP];
		if (c->id != id)
			continue;
		free(c->text);
		free(c->nickname);
		for (size_t j = i; j + 1 < s->nchat; j++)
			s->chat[(s->chat_head + j) % CHAT_KEEP] =
			    s->chat[(s->chat_head + j + 1) % CHAT_KEEP];
		s->nchat--;
		return;
	}
}

/* Appends question `id` (ids are given densely from 1, so the index stays
 * id - 1; a missing one becomes a removed placeholder). */
static void question_push(struct wsess *s, uint32_t id, const struct itemrec *r)
{
	while (s->nqs < id) {
		if (s->nqs == s->capqs) {
			s->capqs = s->capqs ? s->capqs * 2 : 16;
			s->qs = realloc(s->qs, s->capqs * sizeof(*s->qs));
			if (!s->qs)
				abort();
		}
		struct question *q = &s->qs[s->nqs++];
		memset(q, 0, sizeof(*q));
		q->id = (uint32_t)s->nqs;
		if (q->id != id) {
			q->flags = F_REMOVED;
			q->text = xstrdup("");
			q->nickname = xstrdup("");
			continue;
		}
		q->seq = r->seq;
		q->flags = r->flags;
		memcpy(q->author, r->author, 16);
		q->text = xstrdup(r->text);
		q->nickname = xstrdup(r->nickname);
		q->at = r->at;
	}
}

static struct question *question_find(struct wsess *s, uint32_t id)
{
	/* Ids are given in order from 1: a binary search would do, but a
	 * scrubbed or hidden one stays in place, so the index is id - 1. */
	if (id == 0 || id > s->nqs)
		return NULL;
	return s->qs[id - 1].id == id ? &s->qs[id - 1] : NULL;
}

static void state_clear(struct wsess *s)
{
	for (size_t i = 0; i < s->nqs; i++) {
		free(s->qs[i].text);
		free(s->qs[i].nickname);
	}
	free(s->qs);
	s->qs = NULL;
	s->nqs = s->capqs = 0;
	while (s->nchat) {
		free(s->chat[s->chat_head].text);
		free(s->chat[s->chat_head].nickname);
		s->chat_head = (s->chat_head + 1) % CHAT_KEEP;
		s->nchat--;
	}
	s->chat_head = 0;
	workshop_free(&s->w);
}

/* Reads the session from the store into s (presence is kept by the caller). */
static enum zc_err session_read(struct node *n, struct wsess *s)
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	unsigned char pre[5];
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = workshops_get_txn(txn, s->id, &s->w);
	if (err)
		goto out;
	s->step = s->poll_item = s->quiz_item = -1;
	s->poll_open = s->quiz_open_flag = false;
	s->quiz_opened_ms = s->quiz_closes_ms = 0;
	s->revealed[0] = s->revealed[1] = 0;
	s->next_qid = s->next_mid = 1;
	memset(s->poll_counts, 0, sizeof(s->poll_counts));
	memset(s->quiz_counts, 0, sizeof(s->quiz_counts));
	s->poll_voters = s->quiz_answers = 0;
	/* Items: header, questions, chat (the last CHAT_KEEP visible ones). */
	bytes_put_be32(pre, s->id);
	err = store_iter_new(txn, STORE_WS_ITEMS, pre, 4, false, &it);
	if (err)
		goto out;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK && kl == 9 &&
	       memcmp(k, pre, 4) == 0) {
		const unsigned char *kb = k;
		uint32_t num = bytes_get_be32(kb + 5);
		struct itemrec r;
		if (kb[4] == ITEM_HEADER) {
			if (!header_decode(s, v, vl))
				log_event(LOG_WARN, "workshop_header_bad", "id=%u", s->id);
			continue;
		}
		if (!itemrec_decode(v, vl, &r))
			continue;
		if (kb[4] == ITEM_QUESTION) {
			question_push(s, num, &r);
		} else if (kb[4] == ITEM_CHAT && !(r.flags & (F_HIDDEN | F_REMOVED))) {
			struct chatmsg c = {.id = num,
					    .seq = r.seq,
					    .flags = r.flags,
					    .text = xstrdup(r.text),
					    .nickname = xstrdup(r.nickname),
					    .at = r.at};
			chat_push(s, &c);
		}
	}
	store_iter_free(it);
	/* Participants' rows: answers, votes, mutes. */
	err = store_iter_new(txn, STORE_WS_PART, pre, 4, false, &it);
	if (err)
		goto out;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK && kl >= 4 &&
	       memcmp(k, pre, 4) == 0) {
		const unsigned char *kb = k;
		if (kl != 25)
			continue; /* authored rows */
		struct pent *p = pfind(s, kb + 4, true);
		uint32_t num = bytes_get_be32(kb + 21);
		if (kb[20] == ROW_MUTE) {
			p->muted = true;
		} else if (kb[20] == ROW_VOTE) {
			struct question *q = question_find(s, num);
			if (q)
				q->votes++;
		} else if (kb[20] == ROW_ANSWER && vl >= 11) {
			const unsigned char *vb = v;
			uint8_t mask = vb[0];
			uint16_t pts = (uint16_t)(vb[9] | vb[10] << 8);
			const struct ws_item *wi = item_at(s, (int32_t)num);
			if (!wi)
				continue;
			if ((int32_t)num == s->poll_item && wi->kind == WSI_POLL) {
				p->poll_item = (int16_t)num;
				p->poll_mask = mask;
				s->poll_voters++;
				for (unsigned o = 0; o < wi->noptions; o++)
					if (mask & (1u << o))
						s->poll_counts[o]++;
			}
			if (wi->kind == WSI_QUIZ) {
				if (revealed(s, (int32_t)num))
					p->quiz_total += pts;
				if ((int32_t)num == s->quiz_item) {
					p->quiz_item = (int16_t)num;
					p->quiz_mask = mask;
					p->quiz_pending = pts;
					s->quiz_answers++;
					for (unsigned o = 0; o < wi->noptions; o++)
						if (mask & (1u << o))
							s->quiz_counts[o]++;
				}
			}
		}
	}
	store_iter_free(it);
	/* The next event's seq. */
	unsigned char last[4];
	bytes_put_be32(last, s->id + 1); /* reverse from the next workshop's first key */
	s->next_seq = 1;
	err = store_iter_new(txn, STORE_WS_EVENTS, last, 4, true, &it);
	if (err)
		goto out;
	if (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK && kl == 12 && memcmp(k, pre, 4) == 0)
		s->next_seq = bytes_get_be64((const unsigned char *)k + 4) + 1;
	store_iter_free(it);
	err = ZC_OK;
out:
	store_abort(txn);
	return err;
}

static struct wsess *find(struct wlive *l, uint32_t id)
{
	for (struct wsess *s = l->sessions; s; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

static struct wsess *find_ch(struct wlive *l, const struct bcast_channel *ch)
{
	for (struct wsess *s = l->sessions; s; s = s->next)
		if (s->ch == ch)
			return s;
	return NULL;
}

/* Rebuilds a loaded session from the store, keeping who is present. */
static void session_reload(struct node *n, struct wsess *s)
{
	struct pent *keep = NULL;
	size_t nkeep = 0;
	for (size_t i = 0; i < s->pcap; i++)
		if (s->pents[i].used && s->pents[i].subs)
			nkeep++;
	if (nkeep) {
		keep = calloc(nkeep, sizeof(*keep));
		if (!keep)
			abort();
		nkeep = 0;
		for (size_t i = 0; i < s->pcap; i++)
			if (s->pents[i].used && s->pents[i].subs)
				keep[nkeep++] = s->pents[i];
	}
	free(s->pents);
	s->pents = NULL;
	s->pcap = s->pcount = 0;
	state_clear(s);
	if (session_read(n, s) != ZC_OK)
		log_event(LOG_ERROR, "workshop_reload_failed", "id=%u", s->id);
	for (size_t i = 0; i < nkeep; i++) {
		struct pent *p = pfind(s, keep[i].pid, true);
		p->subs = keep[i].subs;
		p->since_us = keep[i].since_us;
		p->recorded = keep[i].recorded;
		p->named = keep[i].named;
		memcpy(p->nickname, keep[i].nickname, sizeof(p->nickname));
	}
	free(keep);
	uint64_t head = bcast_head(s->ch);
	if (s->next_seq != head)
		log_event(LOG_WARN, "workshop_seq_mismatch", "id=%u stored=%llu channel=%llu",
			  s->id, (unsigned long long)s->next_seq, (unsigned long long)head);
}

struct wlive *wlive_new(struct node *n, size_t headroom, bcast_wake_fn wake, void *wake_arg)
{
	struct wlive *l = calloc(1, sizeof(*l));
	if (!l)
		abort();
	l->n = n;
	l->headroom = headroom;
	l->wake = wake;
	l->wake_arg = wake_arg;
	l->chat_limit = ratelimit_new(5, 2000, 65536);
	return l;
}

static bool parse_id(const char *name, uint32_t *id)
{
	const char *p = name + 9;
	uint64_t v = 0;
	if (strncmp(name, "workshop:", 9) != 0 || !*p || *p == '0')
		return false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > 0xffffffffull / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v == 0 || v > 0xffffffffull)
		return false;
	*id = (uint32_t)v;
	return true;
}

/* Calls fn for each stored event of s from seq `from` on, in order. */
static void log_each(struct node *n, struct wsess *s, uint64_t from,
		     void (*fn)(struct wsess *s, uint64_t seq, const void *data, size_t len))
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	unsigned char start[12];
	if (store_begin(n->store, false, &txn) != ZC_OK)
		return;
	bytes_put_be32(start, s->id);
	bytes_put_be64(start + 4, from);
	if (store_iter_new(txn, STORE_WS_EVENTS, start, sizeof(start), false, &it) == ZC_OK) {
		while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK && kl == 12 &&
		       memcmp(k, start, 4) == 0)
			fn(s, bytes_get_be64((const unsigned char *)k + 4), v, vl);
		store_iter_free(it);
	}
	store_abort(txn);
}

static void refill_one(struct wsess *s, uint64_t seq, const void *data, size_t len)
{
	(void)seq;
	bcast_publish(s->ch, data, len);
}

/* Loads the last events of the log into the ring, so that `after` works
 * across a restart for clients that were not far behind. */
static void ring_refill(struct node *n, struct wsess *s)
{
	uint64_t keep = n->cfg.ws_ring_size, first = 1;
	if (s->next_seq > keep + 1)
		first = s->next_seq - keep;
	bcast_set_head(s->ch, first);
	log_each(n, s, first, refill_one);
	if (bcast_head(s->ch) != s->next_seq) {
		/* A gap in the log: start the ring at the head instead. */
		log_event(LOG_WARN, "workshop_log_gap", "id=%u", s->id);
	}
}

struct bcast_channel *wlive_channel(struct node *n, const char *name)
{
	struct wlive *l = n->wlive;
	uint32_t id;
	if (!l || !parse_id(name, &id))
		return NULL;
	struct wsess *s = find(l, id);
	if (s)
		return s->w.status == WS_CANCELLED ? NULL : s->ch;
	s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->id = id;
	if (session_read(n, s) != ZC_OK || s->w.status == WS_CANCELLED) {
		state_clear(s);
		free(s->pents);
		free(s);
		return NULL;
	}
	char cname[BCAST_NAME_MAX + 1];
	snprintf(cname, sizeof(cname), "workshop:%u", id);
	s->ch = bcast_channel_new(cname, BCAST_EVENT_LOG, n->cfg.ws_ring_size, l->headroom, l->wake,
				  l->wake_arg);
	if (!s->ch)
		abort();
	ring_refill(n, s);
	s->next = l->sessions;
	l->sessions = s;
	return s->ch;
}

/* ---- jobs ---- */

enum op {
	OP_ANSWER,
	OP_ASK,
	OP_VOTE,
	OP_CHAT,
	OP_PUBLISH,
	OP_TALLY,
	OP_ATTEND,
	OP_CHECKPOINT,
};

enum pub {
	PUB_ANNOUNCE,
	PUB_START,
	PUB_END,
	PUB_STEP,
	PUB_POLL_OPEN,
	PUB_POLL_CLOSE,
	PUB_QUIZ_OPEN,
	PUB_QUIZ_REVEAL,
	PUB_Q_ANSWERED,
	PUB_Q_HIDE,
	PUB_Q_PIN,
	PUB_CHAT_HIDE,
	PUB_MUTE,
	PUB_UNMUTE,
};

static const struct {
	const char *name;
	enum pub pub;
	bool moderator; /* moderators may use it */
} pubs[] = {
    {"announce", PUB_ANNOUNCE, false},
    {"start", PUB_START, false},
    {"end", PUB_END, false},
    {"step", PUB_STEP, false},
    {"poll_open", PUB_POLL_OPEN, false},
    {"poll_close", PUB_POLL_CLOSE, false},
    {"quiz_open", PUB_QUIZ_OPEN, false},
    {"quiz_reveal", PUB_QUIZ_REVEAL, false},
    {"question_answered", PUB_Q_ANSWERED, true},
    {"question_hide", PUB_Q_HIDE, true},
    {"question_pin", PUB_Q_PIN, true},
    {"chat_hide", PUB_CHAT_HIDE, true},
    {"mute", PUB_MUTE, true},
    {"unmute", PUB_UNMUTE, true},
};

struct award {
	unsigned char pid[16];
	uint32_t points;
};

struct wl_job {
	struct wq_job base;
	struct node *n;
	struct wsess *s;
	enum op op;
	enum pub pub;
	unsigned char pid[16];
	bool has_pid;
	int64_t item, question, message;
	uint8_t mask;
	bool value;
	char text[WSMSG_TEXT_MAX * 4 + 1];
	unsigned char target[16]; /* mute/unmute */
	bool has_target;
	uint32_t seconds;
	int64_t at;
	wlive_reply_fn reply;
	/* results */
	char code[32], msg[160];
	int status;
	struct jbuf ack;
	struct jbuf evs;
	size_t ev_off[4], ev_len[4];
	int nev;
	struct award *awards;
	size_t nawards;
};

static enum zc_err job_refuse(struct wl_job *j, int status, const char *code, const char *msg)
{
	j->status = status;
	snprintf(j->code, sizeof(j->code), "%s", code);
	snprintf(j->msg, sizeof(j->msg), "%s", msg);
	return ZC_ERR_INVALID;
}

/* Stores one event of the job's session and keeps it for publishing. */
static enum zc_err emit(struct wl_job *j, struct store_txn *txn, const struct jbuf *data)
{
	struct wsess *s = j->s;
	unsigned char k[12];
	if (j->nev == 4 || data->len > BCAST_DATA_MAX)
		return ZC_ERR_TOO_LARGE;
	bytes_put_be32(k, s->id);
	bytes_put_be64(k + 4, s->next_seq);
	enum zc_err err =
	    store_put(txn, STORE_WS_EVENTS, k, sizeof(k), jbuf_data(data), data->len, true);
	if (err)
		return err;
	s->next_seq++;
	j->ev_off[j->nev] = j->evs.len;
	j->ev_len[j->nev] = data->len;
	jbuf_put(&j->evs, jbuf_data(data), data->len);
	j->nev++;
	return ZC_OK;
}

static enum zc_err put_part(struct store_txn *txn, struct wsess *s, const unsigned char *pid,
			    unsigned kind, uint32_t num, const void *v, size_t vl)
{
	unsigned char k[25];
	part_key(s->id, pid, kind, num, k);
	enum zc_err err = store_put(txn, STORE_WS_PART, k, sizeof(k), v, vl, false);
	return err ? err : workshops_mark(txn, pid, s->id);
}

/* What a participant wrote (kind 'Q' or 'C', number), for erasure. */
static enum zc_err put_authored(struct store_txn *txn, struct wsess *s, const unsigned char *pid,
				unsigned kind, uint32_t num)
{
	unsigned char k[26];
	workshops_key_idpid(s->id, pid, k);
	k[20] = ROW_AUTHORED;
	k[21] = (unsigned char)kind;
	bytes_put_be32(k + 22, num);
	enum zc_err err = store_put(txn, STORE_WS_PART, k, sizeof(k), "", 0, false);
	return err ? err : workshops_mark(txn, pid, s->id);
}

static bool has_part(struct store_txn *txn, struct wsess *s, const unsigned char *pid,
		     unsigned kind, uint32_t num)
{
	unsigned char k[25];
	const void *v;
	size_t vl;
	part_key(s->id, pid, kind, num, k);
	return store_get(txn, STORE_WS_PART, k, sizeof(k), &v, &vl) == ZC_OK;
}

static enum zc_err apply_answer(struct wl_job *j, struct store_txn *txn)
{
	struct wsess *s = j->s;
	int64_t now = now_ms();
	const struct ws_item *it = item_at(s, (int32_t)j->item);
	bool is_poll = it && it->kind == WSI_POLL && s->poll_item == j->item && s->poll_open;
	bool is_quiz = it && it->kind == WSI_QUIZ && s->quiz_item == j->item &&
		       quiz_is_open(s, now) && !revealed(s, (int32_t)j->item);
	if (!is_poll && !is_quiz)
		return job_refuse(j, 409, "not_open",
				  "no poll or quiz question is open with this item");
	unsigned bits = 0;
	for (unsigned o = 0; o < 8; o++)
		bits += (j->mask >> o) & 1;
	if (j->mask == 0 || j->mask >= (1u << it->noptions) ||
	    (bits > 1 && !(is_poll && it->multiple)))
		return job_refuse(
		    j, 422, "invalid_choice",
		    "choose one of the options (several only in a multiple-choice poll)");
	unsigned char rk[25];
	const void *v;
	size_t vl;
	part_key(s->id, j->pid, ROW_ANSWER, (uint32_t)j->item, rk);
	bool had = store_get(txn, STORE_WS_PART, rk, sizeof(rk), &v, &vl) == ZC_OK && vl >= 11;
	uint8_t old = had ? ((const unsigned char *)v)[0] : 0;
	if (is_quiz && had)
		return job_refuse(j, 409, "already_answered", "a quiz answer is final");
	uint16_t pts = 0;
	if (is_quiz && j->mask == it->correct) {
		int64_t span = s->quiz_closes_ms - s->quiz_opened_ms;
		int64_t left = s->quiz_closes_ms - now;
		if (left < 0)
			left = 0;
		pts = (uint16_t)(it->points + (span > 0 ? it->points * left / span : 0));
	}
	unsigned char row[11];
	row[0] = j->mask;
	for (int i = 0; i < 8; i++)
		row[1 + i] = (unsigned char)((uint64_t)now >> (8 * i));
	row[9] = (unsigned char)pts;
	row[10] = (unsigned char)(pts >> 8);
	enum zc_err err = put_part(txn, s, j->pid, ROW_ANSWER, (uint32_t)j->item, row, sizeof(row));
	if (err)
		return err;
	/* Durable: now the tallies. */
	struct pent *p = pfind(s, j->pid, true);
	if (is_poll) {
		if (had) {
			for (unsigned o = 0; o < it->noptions; o++)
				if (old & (1u << o))
					s->poll_counts[o]--;
		} else {
			s->poll_voters++;
		}
		for (unsigned o = 0; o < it->noptions; o++)
			if (j->mask & (1u << o))
				s->poll_counts[o]++;
		p->poll_item = (int16_t)j->item;
		p->poll_mask = j->mask;
		s->d_poll = true;
	} else {
		for (unsigned o = 0; o < it->noptions; o++)
			if (j->mask & (1u << o))
				s->quiz_counts[o]++;
		s->quiz_answers++;
		p->quiz_item = (int16_t)j->item;
		p->quiz_mask = j->mask;
		p->quiz_pending = pts;
		s->d_quiz = true;
	}
	jbuf_puts(&j->ack, "{\"item\":");
	jbuf_json_int(&j->ack, j->item);
	jbuf_json_key(&j->ack, "choices");
	mask_json(j->mask, &j->ack);
	jbuf_putc(&j->ack, '}');
	return ZC_OK;
}

/* A question or chat message from a participant. */
static enum zc_err apply_post(struct wl_job *j, struct store_txn *txn, bool question)
{
	struct wsess *s = j->s;
	struct pent *p = pfind(s, j->pid, true);
	if (p->muted)
		return job_refuse(j, 403, "muted", "a moderator muted you for this workshop");
	if (question && s->nqs >= QUESTIONS_MAX)
		return job_refuse(j, 409, "too_many_questions",
				  "this session has enough questions");
	struct itemrec r;
	memset(&r, 0, sizeof(r));
	uint32_t num = question ? s->next_qid : s->next_mid;
	r.seq = s->next_seq;
	memcpy(r.author, j->pid, 16);
	snprintf(r.nickname, sizeof(r.nickname), "%s", pname(s, p, j->n));
	snprintf(r.text, sizeof(r.text), "%s", j->text);
	r.at = now_ms();
	unsigned kind = question ? ITEM_QUESTION : ITEM_CHAT;
	enum zc_err err = put_item(txn, s->id, kind, num, &r);
	if (!err)
		err = put_authored(txn, s, j->pid, kind, num);
	struct jbuf ev;
	jbuf_init(&ev, 0);
	if (question) {
		jbuf_puts(&ev, "{\"kind\":\"question\",\"id\":");
		jbuf_json_int(&ev, num);
		jbuf_json_key(&ev, "text");
		jbuf_json_str(&ev, r.text);
		jbuf_json_key(&ev, "nickname");
		jbuf_json_str(&ev, r.nickname);
		jbuf_puts(&ev, ",\"votes\":0,\"pinned\":false,\"answered\":false}");
	} else {
		jbuf_puts(&ev, "{\"kind\":\"chat\",\"id\":");
		jbuf_json_int(&ev, num);
		jbuf_json_key(&ev, "text");
		jbuf_json_str(&ev, r.text);
		jbuf_json_key(&ev, "nickname");
		jbuf_json_str(&ev, r.nickname);
		jbuf_json_key(&ev, "at");
		ms_json(r.at, &ev);
		jbuf_putc(&ev, '}');
	}
	if (!err)
		err = emit(j, txn, &ev);
	jbuf_fini(&ev);
	if (!err) {
		if (question)
			s->next_qid++;
		else
			s->next_mid++;
		err = put_header(txn, s);
		if (err) {
			if (question)
				s->next_qid--;
			else
				s->next_mid--;
		}
	}
	if (err)
		return err;
	if (question) {
		question_push(s, num, &r);
		jbuf_puts(&j->ack, "{\"question\":");
	} else {
		struct chatmsg c = {.id = num,
				    .seq = r.seq,
				    .text = xstrdup(r.text),
				    .nickname = xstrdup(r.nickname),
				    .at = r.at};
		chat_push(s, &c);
		jbuf_puts(&j->ack, "{\"message\":");
	}
	jbuf_json_int(&j->ack, num);
	jbuf_putc(&j->ack, '}');
	return ZC_OK;
}

static enum zc_err apply_vote(struct wl_job *j, struct store_txn *txn)
{
	struct wsess *s = j->s;
	struct question *q = question_find(s, (uint32_t)j->question);
	if (!q || (q->flags & (F_HIDDEN | F_REMOVED)))
		return job_refuse(j, 404, "not_found", "no such question");
	bool had = has_part(txn, s, j->pid, ROW_VOTE, q->id);
	if (had != j->value) {
		unsigned char k[25];
		part_key(s->id, j->pid, ROW_VOTE, q->id, k);
		enum zc_err err = j->value ? put_part(txn, s, j->pid, ROW_VOTE, q->id, "", 0)
					   : store_del(txn, STORE_WS_PART, k, sizeof(k));
		if (err)
			return err;
		if (j->value)
			q->votes++;
		else if (q->votes)
			q->votes--;
		s->d_votes = true;
	}
	jbuf_puts(&j->ack, "{\"question\":");
	jbuf_json_int(&j->ack, q->id);
	jbuf_json_key(&j->ack, "up");
	jbuf_json_bool(&j->ack, j->value);
	jbuf_json_key(&j->ack, "votes");
	jbuf_json_int(&j->ack, q->votes);
	jbuf_putc(&j->ack, '}');
	return ZC_OK;
}

/* Marks an item as used in the live session (its plan entry is frozen). */
static enum zc_err use_item(struct store_txn *txn, struct wsess *s, int32_t item)
{
	if (s->w.items[item].used)
		return ZC_OK;
	s->w.items[item].used = true;
	enum zc_err err = workshops_put_txn(txn, &s->w);
	if (err)
		s->w.items[item].used = false;
	return err;
}

/* Whole seconds p has been present in the live session by now_us (0 when not
 * counted). */
static uint32_t present_secs(const struct pent *p, int64_t now_us)
{
	return p->used && p->since_us ? (uint32_t)((now_us - p->since_us) / 1000000) : 0;
}

/* The minutes of everyone present so far go into attendance, and their
 * intervals restart from now (keeping the fraction of a second), so a crash
 * loses at most one checkpoint period of presence. Memory moves only once
 * every write succeeded. */
static enum zc_err apply_checkpoint(struct wl_job *j, struct store_txn *txn)
{
	struct wsess *s = j->s;
	int64_t now_us = time_now_us();
	for (size_t i = 0; i < s->pcap; i++) {
		uint32_t secs = present_secs(&s->pents[i], now_us);
		enum zc_err err = secs ? workshops_attend_online(txn, s->id, s->pents[i].pid,
								 now_us / 1000000, secs)
				       : ZC_OK;
		if (err)
			return err;
	}
	for (size_t i = 0; i < s->pcap; i++)
		s->pents[i].since_us += (int64_t)present_secs(&s->pents[i], now_us) * 1000000;
	return ZC_OK;
}

/* Open and closing presence intervals at start and end, into attendance. */
static enum zc_err presence_all(struct wsess *s, struct store_txn *txn, bool starting)
{
	int64_t now_us = time_now_us();
	for (size_t i = 0; i < s->pcap; i++) {
		struct pent *p = &s->pents[i];
		if (!p->used || !p->subs)
			continue;
		uint32_t secs = starting ? 0 : present_secs(p, now_us);
		enum zc_err err =
		    workshops_attend_online(txn, s->id, p->pid, now_us / 1000000, secs);
		if (err)
			return err;
	}
	for (size_t i = 0; i < s->pcap; i++) {
		struct pent *p = &s->pents[i];
		if (p->used && p->subs) {
			p->since_us = starting ? now_us : 0;
			p->recorded = true;
		}
	}
	return ZC_OK;
}

static enum zc_err apply_publish(struct wl_job *j, struct store_txn *txn)
{
	struct wsess *s = j->s;
	struct jbuf ev;
	enum zc_err err = ZC_OK;
	int64_t now = now_ms();
	const struct ws_item *it = NULL;
	bool needs_item = j->pub == PUB_STEP || j->pub == PUB_POLL_OPEN ||
			  j->pub == PUB_POLL_CLOSE || j->pub == PUB_QUIZ_OPEN ||
			  j->pub == PUB_QUIZ_REVEAL;
	if (needs_item) {
		static const int want[] = {[PUB_STEP] = WSI_SLIDE,
					   [PUB_POLL_OPEN] = WSI_POLL,
					   [PUB_POLL_CLOSE] = WSI_POLL,
					   [PUB_QUIZ_OPEN] = WSI_QUIZ,
					   [PUB_QUIZ_REVEAL] = WSI_QUIZ};
		it = item_at(s, (int32_t)j->item);
		if (!it || it->kind != want[j->pub])
			return job_refuse(j, 422, "invalid_field",
					  "item does not name a plan item of the right kind");
	}
	if (s->w.status == WS_ENDED && j->pub != PUB_CHAT_HIDE && j->pub != PUB_Q_HIDE &&
	    j->pub != PUB_MUTE && j->pub != PUB_UNMUTE)
		return job_refuse(j, 409, "workshop_closed", "the session has ended");
	jbuf_init(&ev, 0);
	switch (j->pub) {
	case PUB_ANNOUNCE:
		jbuf_puts(&ev, "{\"kind\":\"announce\",\"text\":");
		jbuf_json_str(&ev, j->text);
		jbuf_putc(&ev, '}');
		err = emit(j, txn, &ev);
		break;
	case PUB_START:
		if (s->w.status == WS_LIVE) {
			job_refuse(j, 409, "conflict", "the session is already live");
			err = ZC_ERR_INVALID;
			break;
		}
		s->w.status = WS_LIVE;
		s->w.live_since = now / 1000;
		err = workshops_put_txn(txn, &s->w);
		if (!err)
			err = presence_all(s, txn, true);
		jbuf_puts(&ev, "{\"kind\":\"status\",\"status\":\"live\"}");
		if (!err)
			err = emit(j, txn, &ev);
		break;
	case PUB_END:
		if (s->w.status != WS_LIVE) {
			job_refuse(j, 409, "conflict", "the session is not live");
			err = ZC_ERR_INVALID;
			break;
		}
		err = presence_all(s, txn, false);
		s->w.status = WS_ENDED;
		s->w.ended_at = now / 1000;
		s->poll_open = false;
		s->quiz_open_flag = false;
		if (!err)
			err = workshops_put_txn(txn, &s->w);
		if (!err)
			err = put_header(txn, s);
		jbuf_puts(&ev, "{\"kind\":\"status\",\"status\":\"ended\"}");
		if (!err)
			err = emit(j, txn, &ev);
		break;
	case PUB_STEP:
		err = use_item(txn, s, (int32_t)j->item);
		s->step = (int32_t)j->item;
		if (!err)
			err = put_header(txn, s);
		jbuf_puts(&ev, "{\"kind\":\"step\",\"item\":");
		jbuf_json_int(&ev, j->item);
		jbuf_json_key(&ev, "slide");
		workshop_item_json(it, (unsigned)j->item, false, &ev);
		jbuf_putc(&ev, '}');
		if (!err)
			err = emit(j, txn, &ev);
		break;
	case PUB_POLL_OPEN:
		if (s->poll_open && s->poll_item == j->item) {
			job_refuse(j, 409, "conflict", "this poll is already open");
			err = ZC_ERR_INVALID;
			break;
		}
		if (s->poll_item != j->item) {
			/* A new poll: its answers start from nothing (a reopened
			 * poll keeps them). */
			bool again = it->used;
			memset(s->poll_counts, 0, sizeof(s->poll_counts));
			s->poll_voters = 0;
			if (again) {
				/* Count its stored answers from the participants' cache. */
				for (size_t i = 0; i < s->pcap; i++) {
					struct pent *p = &s->pents[i];
					if (!p->used || p->poll_item != j->item)
						continue;
					s->poll_voters++;
					for (unsigned o = 0; o < it->noptions; o++)
						if (p->poll_mask & (1u << o))
							s->poll_counts[o]++;
				}
			}
		}
		err = use_item(txn, s, (int32_t)j->item);
		s->poll_item = (int32_t)j->item;
		s->poll_open = true;
		if (!err)
			err = put_header(txn, s);
		jbuf_puts(&ev, "{\"kind\":\"poll_open\",\"item\":");
		jbuf_json_int(&ev, j->item);
		workshop_item_fields(it, false, &ev);
		jbuf_puts(&ev, ",\"counts\":");
		counts_json(s->poll_counts, it->noptions, &ev);
		jbuf_json_key(&ev, "voters");
		jbuf_json_int(&ev, s->poll_voters);
		jbuf_putc(&ev, '}');
		if (!err)
			err = emit(j, txn, &ev);
		break;
	case PUB_POLL_CLOSE:
		if (!s->poll_open || s->poll_item != j->item) {
			job_refuse(j, 409, "not_open", "this poll is not open");
			err = ZC_ERR_INVALID;
			break;
		}
		s->poll_open = false;
		err = put_header(txn, s);
		jbuf_puts(&ev, "{\"kind\":\"poll_close\",\"item\":");
		jbuf_json_int(&ev, j->item);
		jbuf_json_key(&ev, "counts");
		counts_json(s->poll_counts, it->noptions, &ev);
		jbuf_json_key(&ev, "voters");
		jbuf_json_int(&ev, s->poll_voters);
		jbuf_putc(&ev, '}');
		if (!err)
			err = emit(j, txn, &ev);
		s->d_poll = false;
		break;
	case PUB_QUIZ_OPEN:
		if (it->used) {
			job_refuse(j, 409, "item_in_use", "this quiz question was already asked");
			err = ZC_ERR_INVALID;
			break;
		}
		err = use_item(txn, s, (int32_t)j->item);
		s->quiz_item = (int32_t)j->item;
		s->quiz_open_flag = true;
		s->quiz_opened_ms = now;
		s->quiz_closes_ms = now + (int64_t)it->seconds * 1000;
		s->quiz_answers = 0;
		memset(s->quiz_counts, 0, sizeof(s->quiz_counts));
		if (!err)
			err = put_header(txn, s);
		jbuf_puts(&ev, "{\"kind\":\"quiz_open\",\"item\":");
		jbuf_json_int(&ev, j->item);
		workshop_item_fields(it, false, &ev);
		jbuf_puts(&ev, ",\"closes_at\":");
		ms_json(s->quiz_closes_ms, &ev);
		jbuf_putc(&ev, '}');
		if (!err)
			err = emit(j, txn, &ev);
		break;
	case PUB_QUIZ_REVEAL: {
		if (s->quiz_item != j->item || revealed(s, (int32_t)j->item)) {
			job_refuse(j, 409, "not_open",
				   "reveal the quiz question that was asked last, once");
			err = ZC_ERR_INVALID;
			break;
		}
		/* Points to the challenge: every answer to this item. */
		size_t na = 0;
		for (size_t i = 0; i < s->pcap; i++)
			if (s->pents[i].used && s->pents[i].quiz_item == j->item &&
			    s->pents[i].quiz_pending)
				na++;
		j->awards = na ? calloc(na, sizeof(*j->awards)) : NULL;
		if (na && !j->awards)
			abort();
		for (size_t i = 0; i < s->pcap && !err; i++) {
			struct pent *p = &s->pents[i];
			if (!p->used || p->quiz_item != j->item || !p->quiz_pending)
				continue;
			err = checkins_bonus(j->n, txn, p->pid, p->quiz_pending);
			memcpy(j->awards[j->nawards].pid, p->pid, 16);
			j->awards[j->nawards++].points = p->quiz_pending;
		}
		if (err)
			break;
		s->revealed[j->item / 64] |= 1ull << (j->item % 64);
		s->quiz_open_flag = false;
		err = put_header(txn, s);
		if (err) {
			s->revealed[j->item / 64] &= ~(1ull << (j->item % 64));
			break;
		}
		for (size_t i = 0; i < s->pcap; i++) {
			struct pent *p = &s->pents[i];
			if (p->used && p->quiz_item == j->item)
				p->quiz_total += p->quiz_pending;
		}
		jbuf_puts(&ev, "{\"kind\":\"quiz_reveal\",\"item\":");
		jbuf_json_int(&ev, j->item);
		jbuf_json_key(&ev, "correct");
		mask_json(it->correct, &ev);
		jbuf_json_key(&ev, "counts");
		counts_json(s->quiz_counts, it->noptions, &ev);
		jbuf_json_key(&ev, "answers");
		jbuf_json_int(&ev, s->quiz_answers);
		jbuf_json_key(&ev, "top");
		quiz_top_json(s, j->n, &ev);
		jbuf_putc(&ev, '}');
		err = emit(j, txn, &ev);
		break;
	}
	case PUB_Q_ANSWERED:
	case PUB_Q_HIDE:
	case PUB_Q_PIN: {
		struct question *q = question_find(s, (uint32_t)j->question);
		struct itemrec r;
		if (!q || (q->flags & F_REMOVED)) {
			job_refuse(j, 404, "not_found", "no such question");
			err = ZC_ERR_INVALID;
			break;
		}
		uint8_t bit = j->pub == PUB_Q_ANSWERED ? F_ANSWERED
			      : j->pub == PUB_Q_HIDE   ? F_HIDDEN
						       : F_PINNED;
		uint8_t flags = j->value ? (uint8_t)(q->flags | bit) : (uint8_t)(q->flags & ~bit);
		err = get_item(txn, s->id, ITEM_QUESTION, q->id, &r);
		if (!err) {
			r.flags = flags;
			err = put_item(txn, s->id, ITEM_QUESTION, q->id, &r);
		}
		jbuf_puts(&ev, "{\"kind\":\"question_update\",\"id\":");
		jbuf_json_int(&ev, q->id);
		jbuf_json_key(&ev, j->pub == PUB_Q_ANSWERED ? "answered"
				   : j->pub == PUB_Q_HIDE   ? "hidden"
							    : "pinned");
		jbuf_json_bool(&ev, j->value);
		jbuf_putc(&ev, '}');
		if (!err)
			err = emit(j, txn, &ev);
		if (!err)
			q->flags = flags;
		break;
	}
	case PUB_CHAT_HIDE: {
		struct itemrec r;
		if (j->message <= 0 || j->message >= s->next_mid ||
		    get_item(txn, s->id, ITEM_CHAT, (uint32_t)j->message, &r) != ZC_OK) {
			job_refuse(j, 404, "not_found", "no such message");
			err = ZC_ERR_INVALID;
			break;
		}
		r.flags |= F_HIDDEN;
		err = put_item(txn, s->id, ITEM_CHAT, (uint32_t)j->message, &r);
		jbuf_puts(&ev, "{\"kind\":\"chat_hide\",\"id\":");
		jbuf_json_int(&ev, j->message);
		jbuf_putc(&ev, '}');
		if (!err)
			err = emit(j, txn, &ev);
		if (!err)
			chat_remove(s, (uint32_t)j->message);
		break;
	}
	case PUB_MUTE:
	case PUB_UNMUTE: {
		unsigned char k[25];
		if (!j->has_target) {
			struct itemrec r;
			struct question *q =
			    j->question ? question_find(s, (uint32_t)j->question) : NULL;
			if (q && !(q->flags & F_REMOVED)) {
				memcpy(j->target, q->author, 16);
			} else if (!j->question && j->message > 0 &&
				   get_item(txn, s->id, ITEM_CHAT, (uint32_t)j->message, &r) ==
				       ZC_OK &&
				   !(r.flags & F_REMOVED)) {
				memcpy(j->target, r.author, 16);
			} else {
				job_refuse(j, 404, "not_found", "no such question or message");
				err = ZC_ERR_INVALID;
				break;
			}
		}
		part_key(s->id, j->target, ROW_MUTE, 0, k);
		err = j->pub == PUB_MUTE ? put_part(txn, s, j->target, ROW_MUTE, 0, "", 0)
					 : store_del(txn, STORE_WS_PART, k, sizeof(k));
		if (err == ZC_ERR_NOT_FOUND)
			err = ZC_OK;
		if (!err)
			pfind(s, j->target, true)->muted = j->pub == PUB_MUTE;
		break;
	}
	}
	jbuf_fini(&ev);
	if (err == ZC_OK && j->ack.len == 0)
		jbuf_puts(&j->ack, "{}");
	return err;
}

static enum zc_err apply_tally(struct wl_job *j, struct store_txn *txn)
{
	struct wsess *s = j->s;
	struct jbuf ev;
	const struct ws_item *it;
	jbuf_init(&ev, 0);
	jbuf_puts(&ev, "{\"kind\":\"tally\"");
	if (s->d_poll && (it = item_at(s, s->poll_item)) != NULL) {
		jbuf_puts(&ev, ",\"poll\":{\"item\":");
		jbuf_json_int(&ev, s->poll_item);
		jbuf_json_key(&ev, "counts");
		counts_json(s->poll_counts, it->noptions, &ev);
		jbuf_json_key(&ev, "voters");
		jbuf_json_int(&ev, s->poll_voters);
		jbuf_putc(&ev, '}');
	}
	if (s->d_quiz) {
		jbuf_puts(&ev, ",\"quiz\":{\"item\":");
		jbuf_json_int(&ev, s->quiz_item);
		jbuf_json_key(&ev, "answers");
		jbuf_json_int(&ev, s->quiz_answers);
		jbuf_putc(&ev, '}');
	}
	if (s->d_votes) {
		bool first = true;
		jbuf_puts(&ev, ",\"votes\":{");
		for (size_t i = 0; i < s->nqs; i++) {
			if (s->qs[i].flags & (F_HIDDEN | F_REMOVED))
				continue;
			char id[16];
			snprintf(id, sizeof(id), "%u", s->qs[i].id);
			if (!first)
				jbuf_putc(&ev, ',');
			first = false;
			jbuf_json_str(&ev, id);
			jbuf_putc(&ev, ':');
			jbuf_json_int(&ev, s->qs[i].votes);
		}
		jbuf_putc(&ev, '}');
	}
	if (s->d_react) {
		jbuf_puts(&ev, ",\"reactions\":");
		reactions_json(s->react, &ev);
	}
	if (s->d_presence) {
		jbuf_puts(&ev, ",\"presence\":{\"online\":");
		jbuf_json_int(&ev, s->online + s->guests);
		jbuf_putc(&ev, '}');
	}
	jbuf_putc(&ev, '}');
	enum zc_err err = emit(j, txn, &ev);
	jbuf_fini(&ev);
	if (!err) {
		s->d_poll = s->d_quiz = s->d_votes = s->d_presence = false;
		if (s->d_react) {
			memset(s->react, 0, sizeof(s->react));
			s->d_react = false;
		}
	}
	return err;
}

static enum zc_err apply(struct wq_job *base, struct store_txn *txn)
{
	struct wl_job *j = (struct wl_job *)base;
	switch (j->op) {
	case OP_ANSWER:
		return apply_answer(j, txn);
	case OP_ASK:
		return apply_post(j, txn, true);
	case OP_CHAT:
		return apply_post(j, txn, false);
	case OP_VOTE:
		return apply_vote(j, txn);
	case OP_PUBLISH:
		return apply_publish(j, txn);
	case OP_TALLY:
		return apply_tally(j, txn);
	case OP_ATTEND:
		return workshops_attend_online(txn, j->s->id, j->pid, j->at, j->seconds);
	case OP_CHECKPOINT:
		return apply_checkpoint(j, txn);
	}
	return ZC_ERR_INVALID;
}

static void done(struct wq_job *base, enum zc_err err)
{
	struct wl_job *j = (struct wl_job *)base;
	struct wsess *s = j->s;
	if (err == ZC_OK) {
		for (int i = 0; i < j->nev; i++)
			bcast_publish(s->ch, jbuf_data(&j->evs) + j->ev_off[i], j->ev_len[i]);
		for (size_t i = 0; i < j->nawards; i++)
			board_scores_add(j->n->board, j->awards[i].pid, j->awards[i].points, 0, 0);
		if (j->reply && j->base.owner)
			j->reply(j->base.owner, 200, NULL, NULL, &j->ack);
	} else {
		if (err != ZC_ERR_INVALID || j->nev)
			session_reload(j->n, s); /* memory may be ahead of the store */
		else if (bcast_head(s->ch) != s->next_seq)
			session_reload(j->n, s);
		if (j->reply && j->base.owner) {
			if (err == ZC_ERR_INVALID)
				j->reply(j->base.owner, j->status, j->code, j->msg, NULL);
			else if (err == ZC_ERR_STORE_FULL)
				j->reply(j->base.owner, 507, "storage_full",
					 "the node's storage is full", NULL);
			else
				j->reply(j->base.owner, 500, "internal_error", "internal error",
					 NULL);
		}
	}
	jbuf_fini(&j->ack);
	jbuf_fini(&j->evs);
	free(j->awards);
	free(j);
}

static struct wl_job *job_new(struct node *n, struct wsess *s, enum op op)
{
	struct wl_job *j = calloc(1, sizeof(*j));
	if (!j)
		abort();
	j->base.apply = apply;
	j->base.done = done;
	j->n = n;
	j->s = s;
	j->op = op;
	j->value = true;
	jbuf_init(&j->ack, 0);
	jbuf_init(&j->evs, 0);
	return j;
}

/* ---- the loop's side ---- */

void wlive_joined(struct node *n, struct bcast_channel *ch, const unsigned char *pid)
{
	struct wsess *s = n->wlive ? find_ch(n->wlive, ch) : NULL;
	if (!s)
		return;
	s->d_presence = true;
	if (!pid) {
		s->guests++;
		return;
	}
	struct pent *p = pfind(s, pid, true);
	if (p->subs++ > 0)
		return;
	s->online++;
	if (s->w.status != WS_LIVE)
		return;
	p->since_us = time_now_us();
	if (!p->recorded) {
		struct wl_job *j = job_new(n, s, OP_ATTEND);
		memcpy(j->pid, pid, 16);
		j->at = time_now_s();
		p->recorded = true;
		wq_submit(n->wq, &j->base);
	}
}

void wlive_left(struct node *n, struct bcast_channel *ch, const unsigned char *pid)
{
	struct wsess *s = n->wlive ? find_ch(n->wlive, ch) : NULL;
	if (!s)
		return;
	s->d_presence = true;
	if (!pid) {
		if (s->guests)
			s->guests--;
		return;
	}
	struct pent *p = pfind(s, pid, false);
	if (!p || !p->subs || --p->subs > 0)
		return;
	if (s->online)
		s->online--;
	if (p->since_us) {
		struct wl_job *j = job_new(n, s, OP_ATTEND);
		memcpy(j->pid, pid, 16);
		j->at = time_now_s();
		j->seconds = present_secs(p, time_now_us());
		p->since_us = 0;
		wq_submit(n->wq, &j->base);
	}
}

/* ,"muted":[{"participant","nickname"}…]: who is muted in this session. */
static void muted_json(struct wsess *s, struct node *n, struct jbuf *out)
{
	bool first = true;
	jbuf_json_key(out, "muted");
	jbuf_putc(out, '[');
	for (size_t i = 0; i < s->pcap; i++) {
		struct pent *p = &s->pents[i];
		if (!p->used || !p->muted)
			continue;
		char hex[SECRETS_ID_HEX];
		secrets_id_hex(p->pid, hex);
		if (!first)
			jbuf_putc(out, ',');
		first = false;
		jbuf_puts(out, "{\"participant\":");
		jbuf_json_str(out, hex);
		jbuf_json_key(out, "nickname");
		jbuf_json_str(out, pname(s, p, n));
		jbuf_putc(out, '}');
	}
	jbuf_putc(out, ']');
}

void wlive_subscribed_json(struct node *n, struct bcast_channel *ch, const unsigned char *pid,
			   bool moderator, bool state, struct jbuf *out)
{
	struct wsess *s = n->wlive ? find_ch(n->wlive, ch) : NULL;
	if (!s)
		return;
	if (state) {
		jbuf_json_key(out, "state");
		state_json(s, n, out);
		if (moderator)
			muted_json(s, n, out);
	}
	if (!pid)
		return;
	/* The participant's own rows. */
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	unsigned char pre[WS_KEY_IDPID];
	uint32_t total = 0;
	struct pent *p = pfind(s, pid, false);
	jbuf_puts(out, ",\"me\":{\"answers\":[");
	workshops_key_idpid(s->id, pid, pre);
	bool first = true;
	struct jbuf votes;
	jbuf_init(&votes, 0);
	if (store_begin(n->store, false, &txn) == ZC_OK) {
		if (store_iter_new(txn, STORE_WS_PART, pre, sizeof(pre), false, &it) == ZC_OK) {
			while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK && kl >= 25 &&
			       memcmp(k, pre, sizeof(pre)) == 0) {
				const unsigned char *kb = k, *vb = v;
				uint32_t num = bytes_get_be32(kb + 21);
				if (kb[20] == ROW_VOTE) {
					if (votes.len)
						jbuf_putc(&votes, ',');
					jbuf_json_int(&votes, num);
					continue;
				}
				if (kb[20] != ROW_ANSWER || vl < 11)
					continue;
				const struct ws_item *wi = item_at(s, (int32_t)num);
				uint16_t pts = (uint16_t)(vb[9] | vb[10] << 8);
				if (!first)
					jbuf_putc(out, ',');
				first = false;
				jbuf_puts(out, "{\"item\":");
				jbuf_json_int(out, num);
				jbuf_json_key(out, "choices");
				mask_json(vb[0], out);
				if (wi && wi->kind == WSI_QUIZ) {
					jbuf_json_key(out, "points");
					if (revealed(s, (int32_t)num)) {
						jbuf_json_int(out, pts);
						total += pts;
					} else {
						jbuf_puts(out, "null");
					}
				}
				jbuf_putc(out, '}');
			}
			store_iter_free(it);
		}
		store_abort(txn);
	}
	jbuf_puts(out, "],\"votes\":[");
	jbuf_put(out, jbuf_data(&votes), votes.len);
	jbuf_fini(&votes);
	jbuf_puts(out, "],\"quiz_points\":");
	jbuf_json_int(out, total);
	jbuf_json_key(out, "muted");
	jbuf_json_bool(out, p && p->muted);
	jbuf_putc(out, '}');
}

static void reply_now(wlive_reply_fn reply, void *owner, int status, const char *code,
		      const char *msg)
{
	reply(owner, status, code, msg, NULL);
}

void wlive_message(struct node *n, const struct wsmsg *m, const struct wlive_actor *who,
		   wlive_reply_fn reply, void *owner)
{
	struct bcast_channel *ch = wlive_channel(n, m->channel);
	struct wsess *s = ch ? find_ch(n->wlive, ch) : NULL;
	if (!s) {
		reply_now(reply, owner, 404, "unknown_channel", "no such workshop");
		return;
	}
	bool staff = who->staff_role != 0;
	if (m->type == WSMSG_PUBLISH) {
		size_t i;
		for (i = 0; i < sizeof(pubs) / sizeof(pubs[0]); i++)
			if (strcmp(pubs[i].name, m->action) == 0)
				break;
		if (!staff) {
			reply_now(reply, owner, 403, "forbidden", "only staff publish");
			return;
		}
		if (i == sizeof(pubs) / sizeof(pubs[0])) {
			reply_now(reply, owner, 422, "invalid_field", "action: unknown action");
			return;
		}
		if (who->staff_role == ROLE_MODERATOR && !pubs[i].moderator) {
			reply_now(reply, owner, 403, "forbidden",
				  "moderators hide, pin, answer and mute only");
			return;
		}
		struct wl_job *j = job_new(n, s, OP_PUBLISH);
		j->pub = pubs[i].pub;
		const char *missing = NULL;
		switch (j->pub) {
		case PUB_ANNOUNCE:
			if (!m->has_text) {
				missing = "text";
			} else if (!utf8_text_ok(m->text, ASK_MAX, false)) {
				free(j);
				reply_now(reply, owner, 422, "invalid_field",
					  "text must be readable text of 1 to 280 characters");
				return;
			}
			break;
		case PUB_STEP:
		case PUB_POLL_OPEN:
		case PUB_POLL_CLOSE:
		case PUB_QUIZ_OPEN:
		case PUB_QUIZ_REVEAL:
			if (!m->has_item)
				missing = "item";
			break;
		case PUB_Q_ANSWERED:
		case PUB_Q_HIDE:
		case PUB_Q_PIN:
			if (!m->has_question)
				missing = "question";
			break;
		case PUB_CHAT_HIDE:
			if (!m->has_message)
				missing = "message";
			break;
		case PUB_MUTE:
		case PUB_UNMUTE:
			/* Whom: a participant id, or the author of a question or
			 * chat message (what a moderator sees). */
			if (m->has_participant) {
				if (!secrets_id_parse(m->participant, j->target)) {
					free(j);
					reply_now(reply, owner, 422, "invalid_field",
						  "participant must be a participant id");
					return;
				}
				j->has_target = true;
			} else if (!m->has_question && !m->has_message) {
				missing = "participant, question or message";
			}
			break;
		case PUB_START:
		case PUB_END:
			break;
		}
		if (missing) {
			char msg[200];
			snprintf(msg, sizeof(msg), "%.40s needs '%s'", m->action, missing);
			free(j);
			reply_now(reply, owner, 422, "missing_field", msg);
			return;
		}
		j->item = m->item;
		j->question = m->question;
		j->message = m->message;
		j->value = m->has_value ? m->value : true;
		snprintf(j->text, sizeof(j->text), "%s", m->text);
		j->reply = reply;
		j->base.owner = owner;
		wq_submit(n->wq, &j->base);
		return;
	}
	if (!who->pid) {
		reply_now(reply, owner, 403, "forbidden", "only participants take part");
		return;
	}
	if (s->w.status == WS_ENDED || s->w.status == WS_CANCELLED) {
		reply_now(reply, owner, 409, "workshop_closed", "the session has ended");
		return;
	}
	if (m->type == WSMSG_REACT) {
		unsigned r;
		for (r = 0; r < NREACTIONS; r++)
			if (strcmp(reactions[r], m->reaction) == 0)
				break;
		if (r == NREACTIONS) {
			reply_now(reply, owner, 422, "invalid_field",
				  "reaction: clap, heart, idea, wow, laugh or thumbs_up");
			return;
		}
		s->react[r]++;
		s->react_total[r]++;
		s->d_react = true;
		struct jbuf ack;
		jbuf_init(&ack, 0);
		jbuf_puts(&ack, "{}");
		reply(owner, 200, NULL, NULL, &ack);
		jbuf_fini(&ack);
		return;
	}
	enum op op = m->type == WSMSG_ANSWER ? OP_ANSWER
		     : m->type == WSMSG_ASK  ? OP_ASK
		     : m->type == WSMSG_VOTE ? OP_VOTE
					     : OP_CHAT;
	if (op == OP_ASK || op == OP_CHAT) {
		size_t max = op == OP_ASK ? ASK_MAX : WSMSG_TEXT_MAX;
		if (!utf8_text_ok(m->text, (long)max, false)) {
			char msg[80];
			snprintf(msg, sizeof(msg),
				 "text must be readable text of 1 to %zu characters", max);
			reply_now(reply, owner, 422, "invalid_field", msg);
			return;
		}
		char key[48], hex[SECRETS_ID_HEX];
		secrets_id_hex(who->pid, hex);
		snprintf(key, sizeof(key), "%u:%s", s->id, hex);
		if (ratelimit_take(n->wlive->chat_limit, key, time_mono_us() / 1000)) {
			reply_now(reply, owner, 429, "rate_limited",
				  "at most 5 messages in 10 seconds");
			return;
		}
	}
	struct wl_job *j = job_new(n, s, op);
	memcpy(j->pid, who->pid, 16);
	j->has_pid = true;
	j->item = m->item;
	j->question = m->question;
	j->value = m->has_up ? m->up : true;
	if (op == OP_ANSWER) {
		for (size_t c = 0; c < m->nchoices; c++) {
			if (m->choices[c] >= WS_OPTIONS_MAX) {
				free(j);
				reply_now(reply, owner, 422, "invalid_choice", "no such option");
				return;
			}
			j->mask |= (uint8_t)(1u << m->choices[c]);
		}
	}
	snprintf(j->text, sizeof(j->text), "%s", m->text);
	j->reply = reply;
	j->base.owner = owner;
	wq_submit(n->wq, &j->base);
}

static bool sess_dirty(const struct wsess *s)
{
	return s->d_poll || s->d_quiz || s->d_votes || s->d_react || s->d_presence;
}

void wlive_tick(struct node *n)
{
	if (!n->wlive)
		return;
	for (struct wsess *s = n->wlive->sessions; s; s = s->next)
		if (sess_dirty(s))
			wq_submit(n->wq, &job_new(n, s, OP_TALLY)->base);
}

void wlive_checkpoint(struct node *n, int64_t period_us)
{
	if (!n->wlive)
		return;
	int64_t now = time_now_us();
	for (struct wsess *s = n->wlive->sessions; s; s = s->next) {
		if (s->w.status != WS_LIVE || s->online == 0) {
			s->checkpoint_us = now;
			continue;
		}
		if (now - s->checkpoint_us < period_us)
			continue;
		s->checkpoint_us = now;
		wq_submit(n->wq, &job_new(n, s, OP_CHECKPOINT)->base);
	}
}

bool wlive_dirty(const struct node *n)
{
	if (!n->wlive)
		return false;
	for (const struct wsess *s = n->wlive->sessions; s; s = s->next)
		if (sess_dirty(s))
			return true;
	return false;
}

void wlive_workshop_changed(struct node *n, uint32_t id)
{
	struct wsess *s = n->wlive ? find(n->wlive, id) : NULL;
	if (s)
		session_reload(n, s);
}

enum zc_err wlive_scrub_item(struct store_txn *txn, uint32_t id, unsigned kind, uint32_t num)
{
	struct itemrec r;
	enum zc_err err = get_item(txn, id, kind, num, &r);
	if (err == ZC_ERR_NOT_FOUND)
		return ZC_OK;
	if (err)
		return err;
	r.text[0] = '\0';
	r.nickname[0] = '\0';
	memset(r.author, 0, sizeof(r.author));
	r.flags |= F_REMOVED;
	err = put_item(txn, id, kind, num, &r);
	if (err)
		return err;
	/* The stored event that carried it. */
	unsigned char k[12];
	struct jbuf ev;
	bytes_put_be32(k, id);
	bytes_put_be64(k + 4, r.seq);
	jbuf_init(&ev, 0);
	jbuf_puts(&ev, kind == ITEM_QUESTION ? "{\"kind\":\"question\",\"id\":"
					     : "{\"kind\":\"chat\",\"id\":");
	jbuf_json_int(&ev, num);
	jbuf_puts(&ev, ",\"removed\":true}");
	const void *v;
	size_t vl;
	if (store_get(txn, STORE_WS_EVENTS, k, sizeof(k), &v, &vl) == ZC_OK)
		err = store_put(txn, STORE_WS_EVENTS, k, sizeof(k), jbuf_data(&ev), ev.len, false);
	jbuf_fini(&ev);
	return err;
}

static void scrub_one(struct wsess *s, uint64_t seq, const void *data, size_t len)
{
	/* Only scrubbed events are short and say "removed". */
	if (len < 64 && memmem(data, len, "\"removed\":true", 14))
		bcast_replace(s->ch, seq, data, len);
}

/* After an erasure: the ring of every loaded session gets the scrubbed
 * version of the events the store now holds, for the seqs it still keeps. */
static void ring_scrub(struct node *n, struct wsess *s)
{
	log_each(n, s, bcast_oldest(s->ch), scrub_one);
}

void wlive_forget(struct node *n, const unsigned char *pid)
{
	(void)pid;
	if (!n->wlive)
		return;
	for (struct wsess *s = n->wlive->sessions; s; s = s->next) {
		session_reload(n, s);
		ring_scrub(n, s);
	}
}

void wlive_free(struct wlive *l)
{
	if (!l)
		return;
	struct node *n = l->n;
	/* Presence still open goes into attendance. */
	struct store_txn *txn;
	if (store_begin(n->store, true, &txn) == ZC_OK) {
		enum zc_err err = ZC_OK;
		int64_t now = time_now_us();
		for (struct wsess *s = l->sessions; s && !err; s = s->next)
			for (size_t i = 0; i < s->pcap && !err; i++) {
				struct pent *p = &s->pents[i];
				if (p->used && p->since_us)
					err = workshops_attend_online(txn, s->id, p->pid,
								      now / 1000000,
								      present_secs(p, now));
			}
		if (err)
			store_abort(txn);
		else
			store_commit(txn);
	}
	while (l->sessions) {
		struct wsess *s = l->sessions;
		l->sessions = s->next;
		state_clear(s);
		free(s->pents);
		bcast_channel_free(s->ch);
		free(s);
	}
	ratelimit_free(l->chat_limit);
	free(l);
}

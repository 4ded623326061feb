/* Workshops in the store. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "participants.h"
#include "recio.h"
#include "secrets.h"
#include "store.h"
#include "timeutil.h"
#include "wlive.h"
#include "workshops.h"

#define CHECKIN_EARLY_S 3600 /* the room's code works from an hour before the start */
#define CODE_ALPHABET	"ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

/* Rows of STORE_WS_PART (kind byte after workshop id | participant id). */
#define PART_AUTHORED 'E'

void workshops_key_id(uint32_t id, unsigned char out[WS_KEY_ID])
{
	bytes_put_be32(out, id);
}

void workshops_key_idpid(uint32_t id, const unsigned char *pid, unsigned char out[WS_KEY_IDPID])
{
	bytes_put_be32(out, id);
	memcpy(out + 4, pid, 16);
}

/* ---- registration and attendance records ---- */

struct reg_rec {
	uint8_t reg;
	int64_t at_us;
};

struct attend_rec {
	int64_t online_first; /* seconds; 0 = never joined online */
	uint32_t online_seconds;
	int64_t physical_at; /* seconds; 0 = not checked in */
};

static void reg_encode(const struct reg_rec *r, struct jbuf *b)
{
	recio_put_u8(b, RECIO_FMT_V1);
	recio_put_u8(b, r->reg);
	recio_put_i64(b, r->at_us);
}

static bool reg_decode(const void *v, size_t n, struct reg_rec *r)
{
	struct recio_reader rd;
	if (!recio_start(&rd, v, n))
		return false;
	r->reg = recio_get_u8(&rd);
	r->at_us = recio_get_i64(&rd);
	return recio_finish(&rd) && r->reg >= WS_REG_ROOM && r->reg <= WS_REG_WAITLISTED;
}

static void attend_encode(const struct attend_rec *a, struct jbuf *b)
{
	recio_put_u8(b, RECIO_FMT_V1);
	recio_put_i64(b, a->online_first);
	recio_put_u32(b, a->online_seconds);
	recio_put_i64(b, a->physical_at);
}

static bool attend_decode(const void *v, size_t n, struct attend_rec *a)
{
	struct recio_reader rd;
	if (!recio_start(&rd, v, n))
		return false;
	a->online_first = recio_get_i64(&rd);
	a->online_seconds = recio_get_u32(&rd);
	a->physical_at = recio_get_i64(&rd);
	return recio_finish(&rd);
}

static enum zc_err put_rec(struct store_txn *txn, enum store_db db, const void *key, size_t klen,
			   const struct jbuf *b)
{
	return store_put(txn, db, key, klen, jbuf_data(b), b->len, false);
}

/* The row of pid in workshop id of a table keyed workshop | participant. */
static enum zc_err get_row(struct store_txn *txn, enum store_db db, uint32_t id,
			   const unsigned char *pid, const void **v, size_t *n)
{
	unsigned char k[WS_KEY_IDPID];
	workshops_key_idpid(id, pid, k);
	return store_get(txn, db, k, sizeof(k), v, n);
}

/* Stores pid's row in such a table, and notes the workshop for erasure. */
static enum zc_err put_row(struct store_txn *txn, enum store_db db, uint32_t id,
			   const unsigned char *pid, const struct jbuf *b)
{
	unsigned char k[WS_KEY_IDPID];
	workshops_key_idpid(id, pid, k);
	enum zc_err err = put_rec(txn, db, k, sizeof(k), b);
	return err ? err : workshops_mark(txn, pid, id);
}

enum zc_err workshops_mark(struct store_txn *txn, const unsigned char *pid, uint32_t id)
{
	unsigned char bk[16 + 4];
	memcpy(bk, pid, 16);
	bytes_put_be32(bk + 16, id);
	return store_put(txn, STORE_WS_BY_PID, bk, sizeof(bk), "", 0, false);
}

static enum zc_err get_reg(struct store_txn *txn, uint32_t id, const unsigned char *pid,
			   struct reg_rec *r)
{
	const void *v;
	size_t n;
	enum zc_err err = get_row(txn, STORE_WS_REGS, id, pid, &v, &n);
	if (err)
		return err;
	return reg_decode(v, n, r) ? ZC_OK : ZC_ERR_STORE;
}

static enum zc_err get_attend(struct store_txn *txn, uint32_t id, const unsigned char *pid,
			      struct attend_rec *a)
{
	const void *v;
	size_t n;
	memset(a, 0, sizeof(*a));
	enum zc_err err = get_row(txn, STORE_WS_ATTEND, id, pid, &v, &n);
	if (err)
		return err;
	return attend_decode(v, n, a) ? ZC_OK : ZC_ERR_STORE;
}

static enum zc_err put_attend(struct store_txn *txn, uint32_t id, const unsigned char *pid,
			      const struct attend_rec *a)
{
	struct jbuf b;
	jbuf_init(&b, 0);
	attend_encode(a, &b);
	enum zc_err err = put_row(txn, STORE_WS_ATTEND, id, pid, &b);
	jbuf_fini(&b);
	return err;
}

static void wait_key(uint32_t id, int64_t at_us, const unsigned char *pid, unsigned char k[28])
{
	bytes_put_be32(k, id);
	bytes_put_be64(k + 4, (uint64_t)at_us);
	memcpy(k + 12, pid, 16);
}

/* ---- workshops ---- */

enum zc_err workshops_get_txn(struct store_txn *txn, uint32_t id, struct workshop *w)
{
	unsigned char k[WS_KEY_ID];
	const void *v;
	size_t n;
	workshops_key_id(id, k);
	enum zc_err err = store_get(txn, STORE_WORKSHOPS, k, sizeof(k), &v, &n);
	if (err)
		return err;
	return workshop_decode(v, n, w) ? ZC_OK : ZC_ERR_STORE;
}

enum zc_err workshops_get(struct node *n, uint32_t id, struct workshop *w)
{
	struct store_txn *txn;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = workshops_get_txn(txn, id, w);
	store_abort(txn);
	return err;
}

enum zc_err workshops_put_txn(struct store_txn *txn, const struct workshop *w)
{
	unsigned char k[WS_KEY_ID];
	struct jbuf b;
	jbuf_init(&b, 0);
	workshop_encode(w, &b);
	workshops_key_id(w->id, k);
	enum zc_err err = put_rec(txn, STORE_WORKSHOPS, k, sizeof(k), &b);
	jbuf_fini(&b);
	return err;
}

enum zc_err workshops_create(struct node *n, struct workshop *w)
{
	struct store_txn *txn;
	const void *key;
	size_t klen;
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = store_last(txn, STORE_WORKSHOPS, &key, &klen);
	if (err == ZC_OK && klen == WS_KEY_ID)
		w->id = bytes_get_be32(key) + 1;
	else if (err == ZC_ERR_NOT_FOUND)
		w->id = 1;
	else
		goto fail;
	for (unsigned i = 0; i < WS_CODE_LEN; i++)
		w->checkin_code[i] = CODE_ALPHABET[randombytes_uniform(sizeof(CODE_ALPHABET) - 1)];
	w->checkin_code[WS_CODE_LEN] = '\0';
	w->created_at = time_now_s();
	w->status = WS_SCHEDULED;
	w->room = w->waitlisted = w->online = 0;
	err = workshops_put_txn(txn, w);
	if (err)
		goto fail;
	return store_commit(txn);
fail:
	store_abort(txn);
	return err ? err : ZC_ERR_STORE;
}

/* Seats free places from the waitlist, oldest registration first. */
static enum zc_err promote(struct store_txn *txn, struct workshop *w)
{
	enum zc_err err = ZC_OK;
	while (w->room < w->capacity && w->waitlisted > 0) {
		struct store_iter *it;
		const void *k, *v;
		size_t kl, vl;
		unsigned char start[WS_KEY_ID], wk[28];
		workshops_key_id(w->id, start);
		err = store_iter_new(txn, STORE_WS_WAITLIST, start, sizeof(start), false, &it);
		if (err)
			return err;
		err = store_iter_next(it, &k, &kl, &v, &vl);
		bool found = err == ZC_OK && kl == 28 && memcmp(k, start, 4) == 0;
		if (found)
			memcpy(wk, k, 28);
		store_iter_free(it);
		if (!found) {
			w->waitlisted = 0; /* counters and rows disagree: trust the rows */
			return ZC_OK;
		}
		const unsigned char *pid = wk + 12;
		struct reg_rec r;
		err = get_reg(txn, w->id, pid, &r);
		if (err == ZC_OK) {
			r.reg = WS_REG_ROOM;
			struct jbuf b;
			unsigned char rk[WS_KEY_IDPID];
			jbuf_init(&b, 0);
			reg_encode(&r, &b);
			workshops_key_idpid(w->id, pid, rk);
			err = put_rec(txn, STORE_WS_REGS, rk, sizeof(rk), &b);
			jbuf_fini(&b);
			if (err)
				return err;
			w->room++;
		}
		err = store_del(txn, STORE_WS_WAITLIST, wk, sizeof(wk));
		if (err)
			return err;
		w->waitlisted--;
	}
	return err;
}

enum zc_err workshops_update(struct node *n, struct workshop *w)
{
	struct store_txn *txn;
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = promote(txn, w);
	if (!err)
		err = workshops_put_txn(txn, w);
	if (err) {
		store_abort(txn);
		return err;
	}
	return store_commit(txn);
}

/* Ended for participants: cancelled, ended by the animator, or past its end. */
static bool closed(const struct workshop *w, int64_t now)
{
	return w->status == WS_CANCELLED || w->status == WS_ENDED || now >= w->ends_at;
}

enum zc_err workshops_me(struct store_txn *txn, const struct workshop *w, const unsigned char *pid,
			 struct ws_me *me)
{
	struct reg_rec r;
	struct attend_rec a;
	memset(me, 0, sizeof(*me));
	enum zc_err err = get_reg(txn, w->id, pid, &r);
	if (err == ZC_OK) {
		me->reg = r.reg;
		if (r.reg == WS_REG_WAITLISTED) {
			/* Position: waitlist entries up to and including ours. */
			unsigned char start[WS_KEY_ID], mine[28];
			struct store_iter *it;
			const void *k, *v;
			size_t kl, vl;
			workshops_key_id(w->id, start);
			wait_key(w->id, r.at_us, pid, mine);
			err = store_iter_new(txn, STORE_WS_WAITLIST, start, sizeof(start), false,
					     &it);
			if (err)
				return err;
			while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK && kl == 28 &&
			       memcmp(k, start, 4) == 0 && memcmp(k, mine, 28) <= 0)
				me->position++;
			store_iter_free(it);
		}
	} else if (err != ZC_ERR_NOT_FOUND) {
		return err;
	}
	err = get_attend(txn, w->id, pid, &a);
	if (err == ZC_OK) {
		me->physical = a.physical_at != 0;
		me->online = a.online_first != 0;
	} else if (err != ZC_ERR_NOT_FOUND) {
		return err;
	}
	return ZC_OK;
}

static const char *reg_name(uint8_t reg)
{
	switch (reg) {
	case WS_REG_ROOM:
		return "room";
	case WS_REG_ONLINE:
		return "online";
	case WS_REG_WAITLISTED:
		return "waitlisted";
	}
	return NULL;
}

static void me_json(const struct ws_me *me, struct jbuf *out)
{
	jbuf_puts(out, "{\"registration\":");
	jbuf_json_str(out, reg_name(me->reg));
	jbuf_json_key(out, "waitlist_position");
	if (me->position)
		jbuf_json_int(out, me->position);
	else
		jbuf_puts(out, "null");
	jbuf_json_key(out, "checked_in");
	jbuf_json_bool(out, me->physical);
	jbuf_putc(out, '}');
}

enum zc_err workshops_me_json(struct node *n, const struct workshop *w, const unsigned char *pid,
			      struct jbuf *out)
{
	struct store_txn *txn;
	struct ws_me me;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = workshops_me(txn, w, pid, &me);
	store_abort(txn);
	if (err)
		return err;
	jbuf_json_key(out, "me");
	me_json(&me, out);
	return ZC_OK;
}

enum zc_err workshops_list_json(struct node *n, enum ws_when when, unsigned limit, bool staff,
				const unsigned char *pid, struct jbuf *out)
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	int64_t now = time_now_s();
	/* Workshops are few (a city runs tens a year): read them all, keep the
	 * matching ones, sort by start. */
	struct workshop *all = NULL;
	size_t nall = 0, cap = 0;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = store_iter_new(txn, STORE_WORKSHOPS, NULL, 0, false, &it);
	if (err)
		goto out;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		struct workshop w;
		if (!workshop_decode(v, vl, &w))
			continue;
		bool past = w.status == WS_ENDED || now >= w.ends_at;
		if ((when == WS_WHEN_UPCOMING && past) || (when == WS_WHEN_PAST && !past)) {
			workshop_free(&w);
			continue;
		}
		if (nall == cap) {
			cap = cap ? cap * 2 : 16;
			all = realloc(all, cap * sizeof(*all));
			if (!all)
				abort();
		}
		all[nall++] = w;
	}
	store_iter_free(it);
	/* Insertion sort by start (ascending; past: descending). */
	for (size_t i = 1; i < nall; i++) {
		struct workshop x = all[i];
		size_t j = i;
		while (j > 0 && (when == WS_WHEN_PAST ? all[j - 1].starts_at < x.starts_at
						      : all[j - 1].starts_at > x.starts_at)) {
			all[j] = all[j - 1];
			j--;
		}
		all[j] = x;
	}
	jbuf_puts(out, "{\"workshops\":[");
	for (size_t i = 0; i < nall && i < limit; i++) {
		if (i)
			jbuf_putc(out, ',');
		workshop_json(&all[i], staff, staff, out);
		if (pid) {
			struct ws_me me;
			err = workshops_me(txn, &all[i], pid, &me);
			if (err)
				goto out;
			jbuf_json_key(out, "me");
			me_json(&me, out);
		}
		jbuf_putc(out, '}');
	}
	jbuf_puts(out, "]}");
out:
	for (size_t i = 0; i < nall; i++)
		workshop_free(&all[i]);
	free(all);
	store_abort(txn);
	return err;
}

/* ---- registration ---- */

static bool refuse(struct ws_problem *why, int status, const char *code, const char *message)
{
	why->status = status;
	snprintf(why->code, sizeof(why->code), "%s", code);
	snprintf(why->message, sizeof(why->message), "%s", message);
	return false;
}

static enum zc_err put_reg(struct store_txn *txn, uint32_t id, const unsigned char *pid,
			   const struct reg_rec *r)
{
	struct jbuf b;
	jbuf_init(&b, 0);
	reg_encode(r, &b);
	enum zc_err err = put_row(txn, STORE_WS_REGS, id, pid, &b);
	jbuf_fini(&b);
	return err;
}

/* Takes pid's registration out of the counters (and the waitlist). */
static enum zc_err drop_reg(struct store_txn *txn, struct workshop *w, const unsigned char *pid,
			    const struct reg_rec *r)
{
	if (r->reg == WS_REG_ROOM && w->room)
		w->room--;
	else if (r->reg == WS_REG_ONLINE && w->online)
		w->online--;
	else if (r->reg == WS_REG_WAITLISTED) {
		unsigned char wk[28];
		wait_key(w->id, r->at_us, pid, wk);
		enum zc_err err = store_del(txn, STORE_WS_WAITLIST, wk, sizeof(wk));
		if (err && err != ZC_ERR_NOT_FOUND)
			return err;
		if (w->waitlisted)
			w->waitlisted--;
	}
	return ZC_OK;
}

static int fail_store(struct store_txn *txn, enum zc_err err, struct ws_problem *why);

/* Ends a participant's change: reads *me, then commits (a change) or leaves
 * the store as it was (status 200: nothing changed); frees w. */
static int conclude(struct store_txn *txn, struct workshop *w, const unsigned char *pid,
		    struct ws_me *me, int status, struct ws_problem *why)
{
	enum zc_err err = workshops_me(txn, w, pid, me);
	workshop_free(w);
	if (err)
		return fail_store(txn, err, why);
	if (status == 200) {
		store_abort(txn);
		return 200;
	}
	err = store_commit(txn);
	return err ? fail_store(NULL, err, why) : status;
}

static int fail_store(struct store_txn *txn, enum zc_err err, struct ws_problem *why)
{
	store_abort(txn);
	if (err == ZC_ERR_NOT_FOUND)
		return refuse(why, 404, "not_found", "no such workshop"), 404;
	if (err == ZC_ERR_STORE_FULL)
		return refuse(why, 507, "storage_full", "the node's storage is full"), 507;
	return refuse(why, 500, "internal_error", "internal error"), 500;
}

int workshops_register(struct node *n, uint32_t id, const unsigned char *pid, bool room,
		       struct ws_me *me, struct ws_problem *why)
{
	struct store_txn *txn;
	struct workshop w;
	struct reg_rec old;
	int status = 201;
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return fail_store(NULL, err, why);
	err = workshops_get_txn(txn, id, &w);
	if (err)
		return fail_store(txn, err, why);
	if (closed(&w, time_now_s())) {
		status = 409;
		refuse(why, 409, "workshop_closed", "this workshop has ended or was cancelled");
		goto abort;
	}
	if (room && w.kind == WS_ONLINE) {
		status = 422;
		refuse(why, 422, "invalid_field", "mode: this workshop is online only");
		goto abort;
	}
	if (!room && w.kind == WS_PHYSICAL) {
		status = 422;
		refuse(why, 422, "invalid_field", "mode: this workshop takes place in a room only");
		goto abort;
	}
	err = get_reg(txn, id, pid, &old);
	bool had = err == ZC_OK;
	if (err && err != ZC_ERR_NOT_FOUND)
		goto store_fail;
	if (had && ((room && old.reg != WS_REG_ONLINE) || (!room && old.reg == WS_REG_ONLINE))) {
		status = 200; /* already so */
	} else {
		if (had) {
			err = drop_reg(txn, &w, pid, &old);
			if (err)
				goto store_fail;
		}
		struct reg_rec r = {.at_us = time_now_us()};
		if (!room) {
			r.reg = WS_REG_ONLINE;
			w.online++;
		} else if (w.room < w.capacity && w.waitlisted == 0) {
			r.reg = WS_REG_ROOM;
			w.room++;
		} else {
			unsigned char wk[28];
			r.reg = WS_REG_WAITLISTED;
			wait_key(id, r.at_us, pid, wk);
			err = store_put(txn, STORE_WS_WAITLIST, wk, sizeof(wk), "", 0, false);
			if (err)
				goto store_fail;
			w.waitlisted++;
		}
		err = put_reg(txn, id, pid, &r);
		if (!err && had && old.reg == WS_REG_ROOM)
			err = promote(txn, &w);
		if (!err)
			err = workshops_put_txn(txn, &w);
		if (err)
			goto store_fail;
	}
	return conclude(txn, &w, pid, me, status, why);
store_fail:
	workshop_free(&w);
	return fail_store(txn, err, why);
abort:
	workshop_free(&w);
	store_abort(txn);
	return status;
}

int workshops_unregister(struct node *n, uint32_t id, const unsigned char *pid,
			 struct ws_problem *why)
{
	struct store_txn *txn;
	struct workshop w;
	struct reg_rec old;
	unsigned char k[WS_KEY_IDPID];
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return fail_store(NULL, err, why);
	err = workshops_get_txn(txn, id, &w);
	if (err)
		return fail_store(txn, err, why);
	err = get_reg(txn, id, pid, &old);
	if (err == ZC_ERR_NOT_FOUND) {
		workshop_free(&w);
		store_abort(txn);
		refuse(why, 404, "not_found", "you are not registered to this workshop");
		return 404;
	}
	if (!err)
		err = drop_reg(txn, &w, pid, &old);
	workshops_key_idpid(id, pid, k);
	if (!err)
		err = store_del(txn, STORE_WS_REGS, k, sizeof(k));
	if (!err && old.reg == WS_REG_ROOM)
		err = promote(txn, &w);
	if (!err)
		err = workshops_put_txn(txn, &w);
	workshop_free(&w);
	if (err)
		return fail_store(txn, err, why);
	err = store_commit(txn);
	return err ? fail_store(NULL, err, why) : 204;
}

int workshops_checkin(struct node *n, uint32_t id, const unsigned char *pid, const char *code,
		      struct ws_me *me, struct ws_problem *why)
{
	struct store_txn *txn;
	struct workshop w;
	struct attend_rec a;
	char norm[WS_CODE_LEN + 1];
	size_t len = 0;
	int64_t now = time_now_s();
	/* The code as typed: case and spaces do not matter. */
	for (const char *c = code; *c; c++) {
		if (*c == ' ' || *c == '-')
			continue;
		if (len == WS_CODE_LEN) {
			len++;
			break;
		}
		norm[len++] = (*c >= 'a' && *c <= 'z') ? (char)(*c - 32) : *c;
	}
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return fail_store(NULL, err, why);
	err = workshops_get_txn(txn, id, &w);
	if (err)
		return fail_store(txn, err, why);
	int status = 0;
	if (w.kind == WS_ONLINE) {
		status = 422;
		refuse(why, 422, "invalid_field", "an online workshop has no room to check in to");
	} else if (w.status == WS_CANCELLED) {
		status = 409;
		refuse(why, 409, "workshop_closed", "this workshop was cancelled");
	} else if (now < w.starts_at - CHECKIN_EARLY_S || now >= w.ends_at ||
		   w.status == WS_ENDED) {
		status = 409;
		refuse(why, 409, "checkin_closed",
		       "the room's code works from an hour before the start to the end");
	} else if (len != WS_CODE_LEN || sodium_memcmp(norm, w.checkin_code, WS_CODE_LEN) != 0) {
		status = 422;
		refuse(why, 422, "invalid_code", "this is not the code shown in the room");
	}
	if (status) {
		workshop_free(&w);
		store_abort(txn);
		return status;
	}
	err = get_attend(txn, id, pid, &a);
	if (err && err != ZC_ERR_NOT_FOUND)
		goto store_fail;
	status = a.physical_at ? 200 : 201;
	if (!a.physical_at) {
		a.physical_at = now;
		err = put_attend(txn, id, pid, &a);
		if (err)
			goto store_fail;
	}
	return conclude(txn, &w, pid, me, status, why);
store_fail:
	workshop_free(&w);
	return fail_store(txn, err, why);
}

/* ---- attendance ---- */

enum zc_err workshops_attend_online(struct store_txn *txn, uint32_t id, const unsigned char *pid,
				    int64_t at, uint32_t seconds)
{
	struct attend_rec a;
	enum zc_err err = get_attend(txn, id, pid, &a);
	if (err && err != ZC_ERR_NOT_FOUND)
		return err;
	if (!a.online_first)
		a.online_first = at;
	a.online_seconds += seconds;
	return put_attend(txn, id, pid, &a);
}

static const char *mode_name(const struct attend_rec *a)
{
	if (a->online_first && a->physical_at)
		return "both";
	return a->physical_at ? "physical" : "online";
}

enum zc_err workshops_attendance_json(struct node *n, uint32_t id, struct jbuf *out)
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	unsigned char start[WS_KEY_ID];
	uint64_t online = 0, physical = 0, both = 0, total = 0;
	struct workshop w;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = workshops_get_txn(txn, id, &w);
	if (err)
		goto out;
	workshop_free(&w);
	workshops_key_id(id, start);
	jbuf_puts(out, "{\"workshop\":");
	jbuf_json_int(out, id);
	jbuf_puts(out, ",\"rows\":[");
	err = store_iter_new(txn, STORE_WS_ATTEND, start, sizeof(start), false, &it);
	if (err)
		goto out;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		struct attend_rec a;
		struct reg_rec r = {0};
		struct participant p;
		char hex[SECRETS_ID_HEX];
		if (kl != WS_KEY_IDPID || memcmp(k, start, 4) != 0)
			break;
		const unsigned char *pid = (const unsigned char *)k + 4;
		if (!attend_decode(v, vl, &a))
			continue;
		if (get_reg(txn, id, pid, &r) != ZC_OK)
			r.reg = WS_REG_NONE;
		if (total)
			jbuf_putc(out, ',');
		total++;
		if (a.online_first && a.physical_at)
			both++;
		else if (a.physical_at)
			physical++;
		else
			online++;
		secrets_id_hex(pid, hex);
		jbuf_puts(out, "{\"participant\":");
		jbuf_json_str(out, hex);
		jbuf_json_key(out, "nickname");
		jbuf_json_str(out, participants_get(n, pid, &p) == ZC_OK ? p.nickname : NULL);
		jbuf_json_key(out, "registration");
		jbuf_json_str(out, reg_name(r.reg));
		jbuf_json_key(out, "online");
		jbuf_json_bool(out, a.online_first != 0);
		jbuf_json_key(out, "online_minutes");
		jbuf_json_int(out, a.online_seconds / 60);
		jbuf_json_key(out, "online_seconds");
		jbuf_json_int(out, a.online_seconds);
		jbuf_json_key(out, "physical");
		jbuf_json_bool(out, a.physical_at != 0);
		jbuf_json_key(out, "mode");
		jbuf_json_str(out, mode_name(&a));
		jbuf_putc(out, '}');
	}
	store_iter_free(it);
	jbuf_puts(out, "],\"totals\":{\"online\":");
	jbuf_json_int(out, (int64_t)online);
	jbuf_json_key(out, "physical");
	jbuf_json_int(out, (int64_t)physical);
	jbuf_json_key(out, "both");
	jbuf_json_int(out, (int64_t)both);
	jbuf_json_key(out, "participants");
	jbuf_json_int(out, (int64_t)total);
	jbuf_puts(out, "}}");
out:
	store_abort(txn);
	return err;
}

/* CSV field: quoted when it holds the separator, a quote or a line break. */
static void csv_field(struct jbuf *out, const char *s)
{
	if (!strpbrk(s, ";\"\n\r")) {
		jbuf_puts(out, s);
		return;
	}
	jbuf_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			jbuf_putc(out, '"');
		jbuf_putc(out, *s);
	}
	jbuf_putc(out, '"');
}

enum zc_err workshops_week_attendees(struct store_txn *txn, uint32_t week,
				     void (*fn)(const unsigned char *pid, bool online,
						bool physical, void *arg),
				     void *arg)
{
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	enum zc_err err = store_iter_new(txn, STORE_WORKSHOPS, NULL, 0, false, &it);
	if (err)
		return err;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		struct workshop w;
		if (!workshop_decode(v, vl, &w))
			continue;
		uint32_t wk = time_iso_week(time_local_day(w.starts_at));
		uint32_t id = w.id;
		workshop_free(&w);
		if (wk != week)
			continue;
		unsigned char start[WS_KEY_ID];
		struct store_iter *ai;
		const void *ak, *av;
		size_t akl, avl;
		workshops_key_id(id, start);
		if (store_iter_new(txn, STORE_WS_ATTEND, start, sizeof(start), false, &ai) != ZC_OK)
			continue;
		while (store_iter_next(ai, &ak, &akl, &av, &avl) == ZC_OK && akl == WS_KEY_IDPID &&
		       memcmp(ak, start, WS_KEY_ID) == 0) {
			struct attend_rec a;
			if (!attend_decode(av, avl, &a) || (!a.online_first && !a.physical_at))
				continue;
			/* Present in the room and online at one workshop: the room. */
			fn((const unsigned char *)ak + WS_KEY_ID, !a.physical_at,
			   a.physical_at != 0, arg);
		}
		store_iter_free(ai);
	}
	store_iter_free(it);
	return ZC_OK;
}

enum zc_err workshops_dataset(struct node *n, uint32_t from, uint32_t to, bool csv,
			      struct jbuf *out)
{
	static const char *const cols[] = {"week",
					   "workshop",
					   "title",
					   "kind",
					   "status",
					   "room_registered",
					   "waitlisted",
					   "online_registered",
					   "attended_online",
					   "attended_physical",
					   "attended_both",
					   "participants",
					   "online_minutes_mean"};
	const size_t ncols = sizeof(cols) / sizeof(cols[0]);
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	size_t rows = 0;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	if (csv) {
		for (size_t c = 0; c < ncols; c++) {
			if (c)
				jbuf_putc(out, ';');
			jbuf_puts(out, cols[c]);
		}
		jbuf_puts(out, "\r\n");
	} else {
		jbuf_puts(out, "{\"rows\":[");
	}
	err = store_iter_new(txn, STORE_WORKSHOPS, NULL, 0, false, &it);
	if (err)
		goto out;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		struct workshop w;
		if (!workshop_decode(v, vl, &w))
			continue;
		uint32_t week = time_iso_week(time_local_day(w.starts_at));
		if ((from && week < from) || (to && week > to)) {
			workshop_free(&w);
			continue;
		}
		/* Attendance rows of this workshop. */
		uint64_t on = 0, ph = 0, both = 0, secs = 0, online_people = 0;
		unsigned char start[WS_KEY_ID];
		struct store_iter *ai;
		const void *ak, *av;
		size_t akl, avl;
		workshops_key_id(w.id, start);
		if (store_iter_new(txn, STORE_WS_ATTEND, start, sizeof(start), false, &ai) ==
		    ZC_OK) {
			while (store_iter_next(ai, &ak, &akl, &av, &avl) == ZC_OK &&
			       akl == WS_KEY_IDPID && memcmp(ak, start, 4) == 0) {
				struct attend_rec a;
				if (!attend_decode(av, avl, &a))
					continue;
				if (a.online_first && a.physical_at)
					both++;
				else if (a.physical_at)
					ph++;
				else
					on++;
				if (a.online_first) {
					secs += a.online_seconds;
					online_people++;
				}
			}
			store_iter_free(ai);
		}
		char wk[TIME_WEEK_LEN];
		time_format_week(week, wk);
		int64_t mean = online_people ? (int64_t)(secs / online_people / 60) : 0;
		int64_t nums[] = {w.room,
				  w.waitlisted,
				  w.online,
				  (int64_t)on,
				  (int64_t)ph,
				  (int64_t)both,
				  (int64_t)(on + ph + both),
				  mean};
		if (csv) {
			char num[24];
			jbuf_puts(out, wk);
			jbuf_putc(out, ';');
			snprintf(num, sizeof(num), "%u", w.id);
			jbuf_puts(out, num);
			jbuf_putc(out, ';');
			csv_field(out, w.title.fr);
			jbuf_putc(out, ';');
			jbuf_puts(out, workshop_kind_name(w.kind));
			jbuf_putc(out, ';');
			jbuf_puts(out, workshop_status_name(w.status));
			for (size_t c = 0; c < sizeof(nums) / sizeof(nums[0]); c++) {
				snprintf(num, sizeof(num), ";%lld", (long long)nums[c]);
				jbuf_puts(out, num);
			}
			jbuf_puts(out, "\r\n");
		} else {
			if (rows)
				jbuf_putc(out, ',');
			jbuf_puts(out, "{\"week\":");
			jbuf_json_str(out, wk);
			jbuf_json_key(out, "workshop");
			jbuf_json_int(out, w.id);
			jbuf_json_key(out, "title");
			jbuf_json_str(out, w.title.fr);
			jbuf_json_key(out, "kind");
			jbuf_json_str(out, workshop_kind_name(w.kind));
			jbuf_json_key(out, "status");
			jbuf_json_str(out, workshop_status_name(w.status));
			for (size_t c = 0; c < sizeof(nums) / sizeof(nums[0]); c++) {
				jbuf_json_key(out, cols[5 + c]);
				jbuf_json_int(out, nums[c]);
			}
			jbuf_putc(out, '}');
		}
		rows++;
		workshop_free(&w);
	}
	store_iter_free(it);
	if (!csv)
		jbuf_puts(out, "]}");
out:
	store_abort(txn);
	return err;
}

/* ---- slide images ---- */

#define IMAGE_HASH crypto_hash_sha256_BYTES
#define IMAGE_KEY  (WS_KEY_ID + IMAGE_HASH)

static const struct {
	const char *mime, *ext;
} image_kinds[] = {
    [WS_IMAGE_PNG] = {"image/png", ".png"},
    [WS_IMAGE_JPEG] = {"image/jpeg", ".jpg"},
    [WS_IMAGE_WEBP] = {"image/webp", ".webp"},
};

enum ws_image workshops_image_sniff(const void *data, size_t len)
{
	static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	static const unsigned char jpeg[3] = {0xff, 0xd8, 0xff};
	const unsigned char *b = data;
	if (len >= sizeof(png) && memcmp(b, png, sizeof(png)) == 0)
		return WS_IMAGE_PNG;
	if (len >= sizeof(jpeg) && memcmp(b, jpeg, sizeof(jpeg)) == 0)
		return WS_IMAGE_JPEG;
	if (len >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0) {
		/* The RIFF size counts every byte after itself: a truncated or padded
		 * file is not the image it claims to be. */
		uint64_t riff = (uint64_t)b[4] | (uint64_t)b[5] << 8 | (uint64_t)b[6] << 16 |
				(uint64_t)b[7] << 24;
		if (riff + 8 == len)
			return WS_IMAGE_WEBP;
	}
	return WS_IMAGE_NONE;
}

const char *workshops_image_mime(enum ws_image type)
{
	return type == WS_IMAGE_NONE ? NULL : image_kinds[type].mime;
}

static void image_key(uint32_t id, const unsigned char hash[IMAGE_HASH],
		      unsigned char out[IMAGE_KEY])
{
	bytes_put_be32(out, id);
	memcpy(out + WS_KEY_ID, hash, IMAGE_HASH);
}

/* The hash and type behind a name; false unless the node could have given
 * that exact name (lowercase hex, a known extension). */
static bool image_parse(const char *name, unsigned char hash[IMAGE_HASH], enum ws_image *type)
{
	const char *ext = ws_image_name_ext(name);
	if (!ext)
		return false;
	for (enum ws_image t = WS_IMAGE_PNG; t <= WS_IMAGE_WEBP; t++) {
		if (strcmp(ext, image_kinds[t].ext) == 0) {
			*type = t;
			return sodium_hex2bin(hash, IMAGE_HASH, name, 2 * IMAGE_HASH, NULL, NULL,
					      NULL) == 0;
		}
	}
	return false;
}

int workshops_image_put(struct node *n, uint32_t id, enum ws_image type, const void *data,
			size_t len, char name[WS_IMAGE_NAME_CAP], struct ws_problem *why)
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	unsigned char hash[IMAGE_HASH], key[IMAGE_KEY];
	unsigned count = 0;
	struct jbuf row;

	crypto_hash_sha256(hash, data, len);
	sodium_bin2hex(name, 2 * IMAGE_HASH + 1, hash, IMAGE_HASH);
	snprintf(name + 2 * IMAGE_HASH, WS_IMAGE_NAME_CAP - 2 * IMAGE_HASH, "%s",
		 image_kinds[type].ext);
	image_key(id, hash, key);
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return fail_store(NULL, err, why);
	err = store_get(txn, STORE_WORKSHOPS, key, WS_KEY_ID, &v, &vl);
	if (err)
		return fail_store(txn, err, why);
	err = store_get(txn, STORE_WS_IMAGES, key, sizeof(key), &v, &vl);
	if (err == ZC_OK) {
		store_abort(txn);
		return 200; /* the same bytes, already stored under the same name */
	}
	if (err != ZC_ERR_NOT_FOUND)
		return fail_store(txn, err, why);
	err = store_iter_new(txn, STORE_WS_IMAGES, key, WS_KEY_ID, false, &it);
	if (err)
		return fail_store(txn, err, why);
	while (count < WS_IMAGES_MAX && store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK &&
	       kl == IMAGE_KEY && memcmp(k, key, WS_KEY_ID) == 0)
		count++;
	store_iter_free(it);
	if (count >= WS_IMAGES_MAX) {
		store_abort(txn);
		refuse(why, 409, "too_many_images", "a workshop holds at most 200 images");
		return 409;
	}
	jbuf_init(&row, 0);
	jbuf_putc(&row, (char)type);
	jbuf_put(&row, data, len);
	err = put_rec(txn, STORE_WS_IMAGES, key, sizeof(key), &row);
	jbuf_fini(&row);
	if (err)
		return fail_store(txn, err, why);
	err = store_commit(txn);
	return err ? fail_store(NULL, err, why) : 201;
}

enum zc_err workshops_image_get(struct node *n, uint32_t id, const char *name, enum ws_image *type,
				struct jbuf *out)
{
	struct store_txn *txn;
	const void *v;
	size_t vl;
	unsigned char hash[IMAGE_HASH], key[IMAGE_KEY];
	enum ws_image want;
	if (!image_parse(name, hash, &want))
		return ZC_ERR_NOT_FOUND;
	image_key(id, hash, key);
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = store_get(txn, STORE_WS_IMAGES, key, sizeof(key), &v, &vl);
	/* The same bytes under another extension: not a name the node gave. */
	if (err == ZC_OK && (vl < 1 || *(const unsigned char *)v != want))
		err = ZC_ERR_NOT_FOUND;
	if (err == ZC_OK) {
		*type = want;
		jbuf_put(out, (const unsigned char *)v + 1, vl - 1);
	}
	store_abort(txn);
	return err;
}

/* ---- erasure ---- */

enum zc_err workshops_erase(struct store_txn *txn, const unsigned char *pid)
{
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	uint32_t ids[256];
	size_t nids = 0;
	enum zc_err err;
	/* The workshops the participant has rows in (batches of 256). */
	for (;;) {
		nids = 0;
		err = store_iter_new(txn, STORE_WS_BY_PID, pid, 16, false, &it);
		if (err)
			return err;
		while (nids < 256 && store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK && kl == 20 &&
		       memcmp(k, pid, 16) == 0)
			ids[nids++] = bytes_get_be32((const unsigned char *)k + 16);
		store_iter_free(it);
		if (nids == 0)
			return ZC_OK;
		for (size_t i = 0; i < nids; i++) {
			uint32_t id = ids[i];
			unsigned char kp[WS_KEY_IDPID], bk[20];
			struct reg_rec r;
			struct workshop w;
			workshops_key_idpid(id, pid, kp);
			err = get_reg(txn, id, pid, &r);
			if (err == ZC_OK && workshops_get_txn(txn, id, &w) == ZC_OK) {
				err = drop_reg(txn, &w, pid, &r);
				if (!err)
					err = store_del(txn, STORE_WS_REGS, kp, sizeof(kp));
				if (!err && r.reg == WS_REG_ROOM)
					err = promote(txn, &w);
				if (!err)
					err = workshops_put_txn(txn, &w);
				workshop_free(&w);
				if (err)
					return err;
			} else if (err && err != ZC_ERR_NOT_FOUND) {
				return err;
			}
			err = store_del(txn, STORE_WS_ATTEND, kp, sizeof(kp));
			if (err && err != ZC_ERR_NOT_FOUND)
				return err;
			/* What they wrote in live sessions loses its text and author. */
			unsigned char pre[WS_KEY_IDPID + 1];
			memcpy(pre, kp, sizeof(kp));
			pre[WS_KEY_IDPID] = PART_AUTHORED;
			err = store_iter_new(txn, STORE_WS_PART, pre, sizeof(pre), false, &it);
			if (err)
				return err;
			while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK &&
			       kl == sizeof(pre) + 5 && memcmp(k, pre, sizeof(pre)) == 0) {
				const unsigned char *tail = (const unsigned char *)k + sizeof(pre);
				err = wlive_scrub_item(txn, id, tail[0], bytes_get_be32(tail + 1));
				if (err) {
					store_iter_free(it);
					return err;
				}
			}
			store_iter_free(it);
			err = store_del_prefix(txn, STORE_WS_PART, kp, sizeof(kp), NULL);
			if (err)
				return err;
			memcpy(bk, pid, 16);
			bytes_put_be32(bk + 16, id);
			err = store_del(txn, STORE_WS_BY_PID, bk, sizeof(bk));
			if (err && err != ZC_ERR_NOT_FOUND)
				return err;
		}
	}
}

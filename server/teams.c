/* Team storage. A team's rows: its record, its name in the per-kind name
 * index, its invite in the token index, and one member row per member (team |
 * participant) mirrored by (participant | kind) so "my team of this kind" is
 * one lookup. Every operation is one write transaction on the loop; the boards
 * follow after the commit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "checkins.h"
#include "denylist.h"
#include "nickname.h"
#include "node.h"
#include "recio.h"
#include "store.h"
#include "teams.h"
#include "timeutil.h"

#define INVITE_ALPHABET "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#define MEMBER_KEY	(REC_TEAM_ID_BYTES + SECRETS_ID_BYTES)

void teams_id_hex(const unsigned char id[REC_TEAM_ID_BYTES], char out[2 * REC_TEAM_ID_BYTES + 1])
{
	for (int i = 0; i < REC_TEAM_ID_BYTES; i++)
		snprintf(out + 2 * i, 3, "%02x", id[i]);
}

bool teams_id_parse(const char *hex, unsigned char id[REC_TEAM_ID_BYTES])
{
	if (strlen(hex) != 2 * REC_TEAM_ID_BYTES)
		return false;
	for (int i = 0; i < REC_TEAM_ID_BYTES; i++) {
		unsigned v = 0;
		for (int j = 0; j < 2; j++) {
			char c = hex[2 * i + j];
			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (unsigned)(c - 'a' + 10);
			else
				return false;
		}
		id[i] = (unsigned char)v;
	}
	return true;
}

unsigned teams_capacity(enum team_kind kind)
{
	static const unsigned cap[TEAM_KIND__COUNT] = {20, 500, 1000};
	return cap[kind];
}

static enum zc_err refuse(struct team_problem *why, int status, const char *code,
			  const char *message)
{
	*why = (struct team_problem){status, code, message};
	return ZC_ERR_INVALID;
}

/* Checks a team name's characters and folds it into out (TEAM_NAME_MAX * 2 + 1
 * bytes) for the unique index; false with why filled in when it is refused. */
static bool fold_team_name(const char *name, char *out, struct team_problem *why)
{
	size_t len = strlen(name);
	if (nickname_check_name(name, len, TEAM_NAME_MIN, TEAM_NAME_MAX) == NICKNAME_OK &&
	    nickname_fold(name, len, out, TEAM_NAME_MAX * 2 + 1) > 0)
		return true;
	refuse(why, 422, "invalid_field",
	       "name must be 3 to 40 letters, digits, spaces, hyphens, underscores, dots or "
	       "apostrophes, starting and ending with a letter or digit");
	return false;
}

static size_t member_key(const unsigned char *team, const unsigned char *pid,
			 unsigned char out[MEMBER_KEY])
{
	memcpy(out, team, REC_TEAM_ID_BYTES);
	memcpy(out + REC_TEAM_ID_BYTES, pid, SECRETS_ID_BYTES);
	return MEMBER_KEY;
}

static size_t mine_key(const unsigned char *pid, uint8_t kind,
		       unsigned char out[SECRETS_ID_BYTES + 1])
{
	memcpy(out, pid, SECRETS_ID_BYTES);
	out[SECRETS_ID_BYTES] = kind;
	return SECRETS_ID_BYTES + 1;
}

static enum zc_err load_team(struct store_txn *txn, const unsigned char *id, struct rec_team *t)
{
	const void *v;
	size_t vl;
	enum zc_err err = store_get(txn, STORE_TEAMS, id, REC_TEAM_ID_BYTES, &v, &vl);
	if (err)
		return err;
	return rec_team_decode(v, vl, t) ? ZC_OK : ZC_ERR_STORE;
}

static enum zc_err put_team(struct store_txn *txn, const struct rec_team *t)
{
	struct jbuf rec;
	jbuf_init(&rec, 0);
	rec_team_encode(t, &rec);
	enum zc_err err =
	    store_put(txn, STORE_TEAMS, t->id, REC_TEAM_ID_BYTES, jbuf_data(&rec), rec.len, false);
	jbuf_fini(&rec);
	return err;
}

/* Keyed hash of a normalised code, the key of its row in the token index. */
static void invite_hash(struct node *n, const char code[REC_INVITE_LEN],
			unsigned char out[SECRETS_HASH_BYTES])
{
	secrets_hash(n->secrets, SECRETS_DOMAIN_INVITE, code, REC_INVITE_LEN, out);
}

/* Normalises user input ("abcd-efgh") to the 8 code characters. */
static bool invite_normalise(const char *in, char out[REC_INVITE_LEN])
{
	size_t o = 0;
	for (const char *p = in; *p; p++) {
		char c = *p;
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (o == REC_INVITE_LEN || !strchr(INVITE_ALPHABET, c))
			return false;
		out[o++] = c;
	}
	return o == REC_INVITE_LEN;
}

/* Gives the team a fresh code: sealed in the record, indexed by hash. */
static enum zc_err new_code(struct node *n, struct store_txn *txn, struct rec_team *t)
{
	char code[REC_INVITE_LEN];
	unsigned char hash[SECRETS_HASH_BYTES], v[1 + SECRETS_ID_BYTES] = {TOKEN_INVITE};
	for (int i = 0; i < REC_INVITE_LEN; i++)
		code[i] = INVITE_ALPHABET[randombytes_uniform(sizeof(INVITE_ALPHABET) - 1)];
	secrets_seal(n->secrets, SECRETS_DOMAIN_INVITE, code, REC_INVITE_LEN, t->invite_box);
	invite_hash(n, code, hash);
	memcpy(v + 1, t->id, REC_TEAM_ID_BYTES);
	sodium_memzero(code, sizeof(code));
	return store_put(txn, STORE_TOKENS, hash, sizeof(hash), v, sizeof(v), true);
}

/* The team's code as shown, "ABCD-EFGH"; "" when it cannot be opened. */
static void code_text(struct node *n, const struct rec_team *t, char out[16])
{
	char code[REC_INVITE_LEN];
	out[0] = '\0';
	if (!secrets_open_box(n->secrets, SECRETS_DOMAIN_INVITE, t->invite_box, REC_INVITE_BOX,
			      code))
		return;
	snprintf(out, 16, "%.4s-%.4s", code, code + 4);
	sodium_memzero(code, sizeof(code));
}

static enum zc_err drop_code(struct node *n, struct store_txn *txn, const struct rec_team *t)
{
	char code[REC_INVITE_LEN];
	unsigned char hash[SECRETS_HASH_BYTES];
	if (!secrets_open_box(n->secrets, SECRETS_DOMAIN_INVITE, t->invite_box, REC_INVITE_BOX,
			      code))
		return ZC_OK;
	invite_hash(n, code, hash);
	sodium_memzero(code, sizeof(code));
	enum zc_err err = store_del(txn, STORE_TOKENS, hash, sizeof(hash));
	return err == ZC_ERR_NOT_FOUND ? ZC_OK : err;
}

static enum zc_err count_members(struct store_txn *txn, const unsigned char *team, size_t *out)
{
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	*out = 0;
	enum zc_err err =
	    store_iter_new(txn, STORE_TEAM_MEMBERS, team, REC_TEAM_ID_BYTES, false, &it);
	if (err)
		return err;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK && kl == MEMBER_KEY &&
	       memcmp(k, team, REC_TEAM_ID_BYTES) == 0)
		(*out)++;
	store_iter_free(it);
	return ZC_OK;
}

static enum zc_err add_member(struct store_txn *txn, const unsigned char *team, uint8_t kind,
			      const unsigned char *pid)
{
	unsigned char mk[MEMBER_KEY], yk[SECRETS_ID_BYTES + 1];
	struct jbuf rec;
	jbuf_init(&rec, 0);
	recio_put_u8(&rec, RECIO_FMT_V1);
	recio_put_i64(&rec, time_now_us());
	enum zc_err err = store_put(txn, STORE_TEAM_MEMBERS, mk, member_key(team, pid, mk),
				    jbuf_data(&rec), rec.len, true);
	jbuf_fini(&rec);
	if (!err)
		err = store_put(txn, STORE_MEMBER_TEAMS, yk, mine_key(pid, kind, yk), team,
				REC_TEAM_ID_BYTES, true);
	return err;
}

/* The team of this kind the participant is in; ZC_ERR_NOT_FOUND when none. */
static enum zc_err team_of(struct store_txn *txn, const unsigned char *pid, uint8_t kind,
			   unsigned char team[REC_TEAM_ID_BYTES])
{
	unsigned char yk[SECRETS_ID_BYTES + 1];
	const void *v;
	size_t vl;
	enum zc_err err = store_get(txn, STORE_MEMBER_TEAMS, yk, mine_key(pid, kind, yk), &v, &vl);
	if (err)
		return err;
	if (vl != REC_TEAM_ID_BYTES)
		return ZC_ERR_STORE;
	memcpy(team, v, REC_TEAM_ID_BYTES);
	return ZC_OK;
}

static size_t name_key(uint8_t kind, const char *folded, unsigned char *out)
{
	size_t l = strlen(folded);
	out[0] = kind;
	memcpy(out + 1, folded, l);
	return l + 1;
}

enum zc_err teams_create(struct node *n, const unsigned char *pid, const char *name,
			 enum team_kind kind, unsigned char team[REC_TEAM_ID_BYTES],
			 struct team_problem *why)
{
	char folded[TEAM_NAME_MAX * 2 + 1];
	unsigned char nk[TEAM_NAME_MAX * 2 + 2], other[REC_TEAM_ID_BYTES];
	struct store_txn *txn;
	struct rec_team t;
	enum zc_err err;

	if (!fold_team_name(name, folded, why))
		return ZC_ERR_INVALID;
	err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	if (denylist_match(txn, folded)) {
		err = refuse(why, 422, "invalid_field", "name is not allowed");
		goto fail;
	}
	err = team_of(txn, pid, (uint8_t)kind, other);
	if (err == ZC_OK) {
		err = refuse(why, 409, "already_in_team", "you already have a team of this kind");
		goto fail;
	}
	if (err != ZC_ERR_NOT_FOUND)
		goto fail;
	memset(&t, 0, sizeof(t));
	const void *v;
	size_t vl;
	do
		randombytes_buf(t.id, sizeof(t.id));
	while (store_get(txn, STORE_TEAMS, t.id, sizeof(t.id), &v, &vl) == ZC_OK);
	snprintf(t.name, sizeof(t.name), "%s", name);
	t.kind = (uint8_t)kind;
	memcpy(t.captain, pid, SECRETS_ID_BYTES);
	t.created_at = time_now_s();
	err = store_put(txn, STORE_TEAM_NAMES, nk, name_key(t.kind, folded, nk), t.id, sizeof(t.id),
			true);
	if (err == ZC_ERR_EXISTS) {
		err = refuse(why, 409, "name_taken", "a team of this kind already has this name");
		goto fail;
	}
	if (!err)
		err = new_code(n, txn, &t);
	if (!err)
		err = put_team(txn, &t);
	if (!err)
		err = add_member(txn, t.id, t.kind, pid);
	if (!err)
		err = checkins_progress_event(n, txn, pid, PROGRESS_TEAM);
	if (err)
		goto fail;
	err = store_commit(txn);
	if (err)
		return err;
	board_team_add(n->board, t.id, kind, t.name);
	board_member_join(n->board, t.id, pid);
	memcpy(team, t.id, REC_TEAM_ID_BYTES);
	return ZC_OK;
fail:
	store_abort(txn);
	return err;
}

enum zc_err teams_join(struct node *n, const unsigned char *pid, const char *code,
		       unsigned char team[REC_TEAM_ID_BYTES], struct team_problem *why)
{
	char norm[REC_INVITE_LEN];
	unsigned char hash[SECRETS_HASH_BYTES], other[REC_TEAM_ID_BYTES];
	struct store_txn *txn;
	struct rec_team t;
	const void *v;
	size_t vl, members;
	enum zc_err err;

	if (!invite_normalise(code, norm))
		return refuse(why, 404, "unknown_invite", "no team has this invite code");
	invite_hash(n, norm, hash);
	sodium_memzero(norm, sizeof(norm));
	err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = store_get(txn, STORE_TOKENS, hash, sizeof(hash), &v, &vl);
	if (err == ZC_ERR_NOT_FOUND ||
	    (err == ZC_OK &&
	     (vl != 1 + SECRETS_ID_BYTES || ((const unsigned char *)v)[0] != TOKEN_INVITE))) {
		err = refuse(why, 404, "unknown_invite", "no team has this invite code");
		goto fail;
	}
	if (err)
		goto fail;
	memcpy(team, (const unsigned char *)v + 1, REC_TEAM_ID_BYTES);
	err = load_team(txn, team, &t);
	if (err == ZC_ERR_NOT_FOUND) {
		err = refuse(why, 404, "unknown_invite", "no team has this invite code");
		goto fail;
	}
	if (err)
		goto fail;
	err = team_of(txn, pid, t.kind, other);
	if (err == ZC_OK) {
		err = refuse(why, 409, "already_in_team", "you already have a team of this kind");
		goto fail;
	}
	if (err != ZC_ERR_NOT_FOUND)
		goto fail;
	err = count_members(txn, team, &members);
	if (err)
		goto fail;
	if (members >= teams_capacity((enum team_kind)t.kind)) {
		err = refuse(why, 409, "team_full", "this team is full");
		goto fail;
	}
	err = add_member(txn, team, t.kind, pid);
	if (!err)
		err = checkins_progress_event(n, txn, pid, PROGRESS_TEAM);
	if (err)
		goto fail;
	err = store_commit(txn);
	if (!err)
		board_member_join(n->board, team, pid);
	return err;
fail:
	store_abort(txn);
	return err;
}

/* The earliest member other than `except`; false when there is none. */
static bool earliest_member(struct store_txn *txn, const unsigned char *team,
			    const unsigned char *except, unsigned char out[SECRETS_ID_BYTES])
{
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	int64_t best = INT64_MAX;
	bool found = false;
	if (store_iter_new(txn, STORE_TEAM_MEMBERS, team, REC_TEAM_ID_BYTES, false, &it) != ZC_OK)
		return false;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK && kl == MEMBER_KEY &&
	       memcmp(k, team, REC_TEAM_ID_BYTES) == 0) {
		const unsigned char *who = (const unsigned char *)k + REC_TEAM_ID_BYTES;
		struct recio_reader r;
		if (memcmp(who, except, SECRETS_ID_BYTES) == 0 || !recio_start(&r, v, vl))
			continue;
		int64_t at = recio_get_i64(&r);
		if (recio_finish(&r) && at < best) {
			best = at;
			memcpy(out, who, SECRETS_ID_BYTES);
			found = true;
		}
	}
	store_iter_free(it);
	return found;
}

/* Removes a member's rows; hands the captaincy over or deletes the emptied
 * team (*deleted). */
static enum zc_err drop_member(struct node *n, struct store_txn *txn, struct rec_team *t,
			       const unsigned char *pid, bool *deleted)
{
	unsigned char mk[MEMBER_KEY], yk[SECRETS_ID_BYTES + 1], next[SECRETS_ID_BYTES];
	*deleted = false;
	enum zc_err err = store_del(txn, STORE_TEAM_MEMBERS, mk, member_key(t->id, pid, mk));
	if (!err)
		err = store_del(txn, STORE_MEMBER_TEAMS, yk, mine_key(pid, t->kind, yk));
	if (err)
		return err;
	if (memcmp(t->captain, pid, SECRETS_ID_BYTES) != 0)
		return ZC_OK;
	if (earliest_member(txn, t->id, pid, next)) {
		memcpy(t->captain, next, SECRETS_ID_BYTES);
		return put_team(txn, t);
	}
	/* The last member left: the team goes, with its name and its invite. */
	char folded[TEAM_NAME_MAX * 2 + 1];
	unsigned char nk[TEAM_NAME_MAX * 2 + 2];
	*deleted = true;
	if (nickname_fold(t->name, strlen(t->name), folded, sizeof(folded)) > 0) {
		err = store_del(txn, STORE_TEAM_NAMES, nk, name_key(t->kind, folded, nk));
		if (err && err != ZC_ERR_NOT_FOUND)
			return err;
	}
	err = drop_code(n, txn, t);
	if (!err)
		err = store_del(txn, STORE_TEAMS, t->id, REC_TEAM_ID_BYTES);
	return err;
}

static enum zc_err is_member(struct store_txn *txn, const unsigned char *team,
			     const unsigned char *pid)
{
	unsigned char mk[MEMBER_KEY];
	const void *v;
	size_t vl;
	return store_get(txn, STORE_TEAM_MEMBERS, mk, member_key(team, pid, mk), &v, &vl);
}

/* Opens a write transaction and loads a team the participant is in (and, with
 * captain, captains). */
static enum zc_err begin_as(struct node *n, const unsigned char *pid, const unsigned char *team,
			    bool captain, struct store_txn **txn, struct rec_team *t,
			    struct team_problem *why)
{
	enum zc_err err = store_begin(n->store, true, txn);
	if (err)
		return err;
	err = load_team(*txn, team, t);
	if (err == ZC_OK)
		err = is_member(*txn, team, pid);
	if (err == ZC_ERR_NOT_FOUND)
		err = refuse(why, 404, "not_found", "no such team among yours");
	else if (!err && captain && memcmp(t->captain, pid, SECRETS_ID_BYTES) != 0)
		err = refuse(why, 403, "not_captain", "only the team's captain may do this");
	if (err)
		store_abort(*txn);
	return err;
}

enum zc_err teams_leave(struct node *n, const unsigned char *pid,
			const unsigned char team[REC_TEAM_ID_BYTES], struct team_problem *why)
{
	struct store_txn *txn;
	struct rec_team t;
	bool deleted;
	enum zc_err err = begin_as(n, pid, team, false, &txn, &t, why);
	if (err)
		return err;
	err = drop_member(n, txn, &t, pid, &deleted);
	if (err) {
		store_abort(txn);
		return err;
	}
	err = store_commit(txn);
	if (err)
		return err;
	board_member_leave(n->board, team, pid);
	if (deleted)
		board_team_remove(n->board, team);
	return ZC_OK;
}

enum zc_err teams_new_invite(struct node *n, const unsigned char *pid,
			     const unsigned char team[REC_TEAM_ID_BYTES], char code[16],
			     struct team_problem *why)
{
	struct store_txn *txn;
	struct rec_team t;
	enum zc_err err = begin_as(n, pid, team, true, &txn, &t, why);
	if (err)
		return err;
	err = drop_code(n, txn, &t);
	if (!err)
		err = new_code(n, txn, &t);
	if (!err)
		err = put_team(txn, &t);
	if (err) {
		store_abort(txn);
		return err;
	}
	err = store_commit(txn);
	if (!err)
		code_text(n, &t, code);
	return err;
}

enum zc_err teams_set_captain(struct node *n, const unsigned char *pid,
			      const unsigned char team[REC_TEAM_ID_BYTES],
			      const unsigned char *member, struct team_problem *why)
{
	struct store_txn *txn;
	struct rec_team t;
	enum zc_err err = begin_as(n, pid, team, true, &txn, &t, why);
	if (err)
		return err;
	err = is_member(txn, team, member);
	if (err == ZC_ERR_NOT_FOUND)
		err = refuse(why, 422, "not_a_member", "member is not in this team");
	if (!err) {
		memcpy(t.captain, member, SECRETS_ID_BYTES);
		err = put_team(txn, &t);
	}
	if (err) {
		store_abort(txn);
		return err;
	}
	return store_commit(txn);
}

enum zc_err teams_remove_member(struct node *n, const unsigned char *pid,
				const unsigned char team[REC_TEAM_ID_BYTES],
				const unsigned char *member, struct team_problem *why)
{
	struct store_txn *txn;
	struct rec_team t;
	bool deleted;
	if (memcmp(pid, member, SECRETS_ID_BYTES) == 0)
		return refuse(why, 409, "conflict", "leave the team instead of removing yourself");
	enum zc_err err = begin_as(n, pid, team, true, &txn, &t, why);
	if (err)
		return err;
	err = is_member(txn, team, member);
	if (err == ZC_ERR_NOT_FOUND)
		err = refuse(why, 404, "not_found", "member is not in this team");
	if (!err)
		err = drop_member(n, txn, &t, member, &deleted);
	if (err) {
		store_abort(txn);
		return err;
	}
	err = store_commit(txn);
	if (!err)
		board_member_leave(n->board, team, member);
	return err;
}

struct joined {
	unsigned char pid[SECRETS_ID_BYTES];
	int64_t at;
};

static int by_join(const void *a, const void *b)
{
	const struct joined *x = a, *y = b;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* The team's members sorted by the time they joined (malloc'd into *out). */
static void collect_members(struct store_txn *txn, const unsigned char *team, struct joined **out,
			    size_t *count)
{
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl, cap = 0;
	*out = NULL;
	*count = 0;
	if (store_iter_new(txn, STORE_TEAM_MEMBERS, team, REC_TEAM_ID_BYTES, false, &it) != ZC_OK)
		return;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK && kl == MEMBER_KEY &&
	       memcmp(k, team, REC_TEAM_ID_BYTES) == 0) {
		struct recio_reader r;
		if (!recio_start(&r, v, vl))
			continue;
		int64_t at = recio_get_i64(&r);
		if (!recio_finish(&r))
			continue;
		if (*count == cap) {
			cap = cap ? cap * 2 : 16;
			struct joined *grown = realloc(*out, cap * sizeof(**out));
			if (!grown)
				abort();
			*out = grown;
		}
		memcpy((*out)[*count].pid, (const unsigned char *)k + REC_TEAM_ID_BYTES,
		       SECRETS_ID_BYTES);
		(*out)[(*count)++].at = at;
	}
	store_iter_free(it);
	if (*count > 1)
		qsort(*out, *count, sizeof(**out), by_join);
}

/* The team object; with_private adds the code, the viewer's role and the
 * member list. */
static void team_object(struct node *n, struct store_txn *txn, const struct rec_team *t,
			const unsigned char *viewer, bool with_private, struct jbuf *out)
{
	char id[2 * REC_TEAM_ID_BYTES + 1], code[16];
	uint32_t members = 0;
	uint64_t pavg = 0, cavg = 0;
	board_team_stats(n->board, t->id, &members, &pavg, &cavg);
	teams_id_hex(t->id, id);
	jbuf_puts(out, "{\"id\":");
	jbuf_json_str(out, id);
	jbuf_json_key(out, "name");
	jbuf_json_str(out, t->name);
	jbuf_json_key(out, "kind");
	jbuf_json_str(out, board_team_kind_name((enum team_kind)t->kind));
	jbuf_json_key(out, "members");
	jbuf_json_int(out, members);
	jbuf_json_key(out, "capacity");
	jbuf_json_int(out, teams_capacity((enum team_kind)t->kind));
	jbuf_json_key(out, "points_avg");
	jbuf_json_int(out, (int64_t)pavg);
	jbuf_json_key(out, "co2e_avg_g");
	jbuf_json_int(out, (int64_t)cavg);
	if (with_private) {
		bool captain = memcmp(t->captain, viewer, SECRETS_ID_BYTES) == 0;
		code_text(n, t, code);
		jbuf_json_key(out, "role");
		jbuf_json_str(out, captain ? "captain" : "member");
		jbuf_json_key(out, "invite_code");
		jbuf_json_str(out, code);
		jbuf_puts(out, ",\"member_list\":[");
		/* In the order they joined: the captaincy passes down this list. */
		struct joined *list = NULL;
		size_t count = 0;
		collect_members(txn, t->id, &list, &count);
		for (size_t i = 0; i < count; i++) {
			const void *pv;
			size_t pl;
			struct participant p;
			char pid[SECRETS_ID_HEX];
			if (store_get(txn, STORE_PARTICIPANTS, list[i].pid, SECRETS_ID_BYTES, &pv,
				      &pl) != ZC_OK ||
			    !rec_participant_decode(pv, pl, &p))
				continue;
			secrets_id_hex(list[i].pid, pid);
			if (i)
				jbuf_putc(out, ',');
			jbuf_puts(out, "{\"id\":");
			jbuf_json_str(out, pid);
			jbuf_json_key(out, "nickname");
			jbuf_json_str(out, p.nickname);
			jbuf_json_key(out, "role");
			jbuf_json_str(out, memcmp(list[i].pid, t->captain, SECRETS_ID_BYTES) == 0
					       ? "captain"
					       : "member");
			jbuf_putc(out, '}');
		}
		free(list);
		jbuf_putc(out, ']');
	}
	jbuf_putc(out, '}');
}

enum zc_err teams_json(struct node *n, const unsigned char team[REC_TEAM_ID_BYTES],
		       const unsigned char *viewer, struct jbuf *out)
{
	struct store_txn *txn;
	struct rec_team t;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = load_team(txn, team, &t);
	if (!err) {
		bool in = viewer && is_member(txn, team, viewer) == ZC_OK;
		team_object(n, txn, &t, viewer, in, out);
	}
	store_abort(txn);
	return err;
}

enum zc_err teams_mine_json(struct node *n, const unsigned char *pid, struct jbuf *out)
{
	struct store_txn *txn;
	unsigned char team[REC_TEAM_ID_BYTES];
	struct rec_team t;
	bool first = true;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	jbuf_puts(out, "{\"teams\":[");
	for (uint8_t kind = 0; kind < TEAM_KIND__COUNT; kind++) {
		if (team_of(txn, pid, kind, team) != ZC_OK || load_team(txn, team, &t) != ZC_OK)
			continue;
		if (!first)
			jbuf_putc(out, ',');
		first = false;
		team_object(n, txn, &t, pid, true, out);
	}
	jbuf_puts(out, "]}");
	store_abort(txn);
	return ZC_OK;
}

enum zc_err teams_erase(struct node *n, struct store_txn *txn, const unsigned char *pid,
			unsigned char left[TEAM_KIND__COUNT][REC_TEAM_ID_BYTES], bool deleted[],
			int *count)
{
	*count = 0;
	for (uint8_t kind = 0; kind < TEAM_KIND__COUNT; kind++) {
		unsigned char team[REC_TEAM_ID_BYTES];
		struct rec_team t;
		enum zc_err err = team_of(txn, pid, kind, team);
		if (err == ZC_ERR_NOT_FOUND)
			continue;
		if (!err)
			err = load_team(txn, team, &t);
		if (!err)
			err = drop_member(n, txn, &t, pid, &deleted[*count]);
		if (err)
			return err;
		memcpy(left[(*count)++], team, REC_TEAM_ID_BYTES);
	}
	return ZC_OK;
}

/* Staff moderation. */

/* Opens a write transaction on an existing team for staff moderation; on any
 * failure nothing is left open. */
static enum zc_err begin_on_team(struct node *n, const unsigned char *team, struct store_txn **txn,
				 struct rec_team *t, struct team_problem *why)
{
	enum zc_err err = store_begin(n->store, true, txn);
	if (err)
		return err;
	err = load_team(*txn, team, t);
	if (err == ZC_ERR_NOT_FOUND)
		err = refuse(why, 404, "not_found", "no such team");
	if (err)
		store_abort(*txn);
	return err;
}

enum zc_err teams_rename(struct node *n, const unsigned char team[REC_TEAM_ID_BYTES],
			 const char *name, struct team_problem *why, bool *changed)
{
	char folded[TEAM_NAME_MAX * 2 + 1], old_folded[TEAM_NAME_MAX * 2 + 1];
	unsigned char nk[TEAM_NAME_MAX * 2 + 2];
	struct store_txn *txn;
	struct rec_team t;
	*changed = false;
	if (!fold_team_name(name, folded, why))
		return ZC_ERR_INVALID;
	enum zc_err err = begin_on_team(n, team, &txn, &t, why);
	if (err)
		return err;
	if (strcmp(t.name, name) == 0) {
		store_abort(txn);
		return ZC_OK;
	}
	if (denylist_match(txn, folded)) {
		err = refuse(why, 422, "invalid_field", "name is not allowed");
		goto fail;
	}
	if (nickname_fold(t.name, strlen(t.name), old_folded, sizeof(old_folded)) > 0 &&
	    strcmp(old_folded, folded) != 0) {
		err = store_put(txn, STORE_TEAM_NAMES, nk, name_key(t.kind, folded, nk), t.id,
				sizeof(t.id), true);
		if (err == ZC_ERR_EXISTS)
			err = refuse(why, 409, "name_taken", "a team of this kind has this name");
		if (!err)
			err =
			    store_del(txn, STORE_TEAM_NAMES, nk, name_key(t.kind, old_folded, nk));
		if (err)
			goto fail;
	}
	snprintf(t.name, sizeof(t.name), "%s", name);
	err = put_team(txn, &t);
	if (err)
		goto fail;
	err = store_commit(txn);
	if (!err) {
		*changed = true;
		board_team_renamed(n->board, team, t.name);
	}
	return err;
fail:
	store_abort(txn);
	return err;
}

enum zc_err teams_delete(struct node *n, const unsigned char team[REC_TEAM_ID_BYTES],
			 struct team_problem *why)
{
	struct store_txn *txn;
	struct rec_team t;
	struct joined *list = NULL;
	size_t count = 0;
	bool deleted = false;
	enum zc_err err = begin_on_team(n, team, &txn, &t, why);
	if (err)
		return err;
	/* Every member leaves; the last one's departure deletes the team. */
	collect_members(txn, team, &list, &count);
	for (size_t i = 0; i < count && !err; i++)
		err = drop_member(n, txn, &t, list[i].pid, &deleted);
	if (!err && !deleted)
		err = ZC_ERR_STORE; /* the member rows and the list disagree */
	if (err)
		goto fail;
	err = store_commit(txn);
	if (!err) {
		for (size_t i = 0; i < count; i++)
			board_member_leave(n->board, team, list[i].pid);
		board_team_remove(n->board, team);
	}
	free(list);
	return err;
fail:
	free(list);
	store_abort(txn);
	return err;
}

enum zc_err teams_list_json(struct node *n, const char *q, size_t limit, struct jbuf *out)
{
	char prefix[TEAM_NAME_MAX * 2 + 1] = "";
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl, shown = 0;
	struct rec_team t;
	if (q && nickname_fold(q, strlen(q), prefix, sizeof(prefix)) < 1)
		return ZC_ERR_INVALID; /* nothing to search by */
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	jbuf_puts(out, "{\"teams\":[");
	/* By name within each kind: the name index is kind | folded name. */
	for (uint8_t kind = 0; kind < TEAM_KIND__COUNT && shown < limit; kind++) {
		unsigned char start[TEAM_NAME_MAX * 2 + 2];
		size_t sl = name_key(kind, prefix, start);
		if (store_iter_new(txn, STORE_TEAM_NAMES, start, sl, false, &it) != ZC_OK)
			continue;
		while (shown < limit && store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
			if (kl < sl || memcmp(k, start, sl) != 0)
				break;
			if (vl != REC_TEAM_ID_BYTES || load_team(txn, v, &t) != ZC_OK)
				continue;
			if (shown++)
				jbuf_putc(out, ',');
			team_object(n, txn, &t, NULL, false, out);
		}
		store_iter_free(it);
	}
	jbuf_puts(out, "]}");
	store_abort(txn);
	return ZC_OK;
}

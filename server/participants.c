/* Participant lifecycle over the store. Every operation is one short
 * transaction; the caller acknowledges only after store_commit returned. */
#include <string.h>

#include <sodium.h>

#include "board.h"
#include "checkins.h"
#include "city.h"
#include "commitments.h"
#include "denylist.h"
#include "footprint.h"
#include "game.h"
#include "metrics.h"
#include "nickname.h"
#include "participants.h"
#include "store.h"
#include "teams.h"
#include "wlive.h"
#include "workshops.h"
#include "timeutil.h"
#include "utf8.h"
#include "waste.h"

#define TOKEN_PREFIX "zcp_"

static void problem(struct participant_problem *why, const char *field, const char *msg)
{
	if (!why)
		return;
	why->field = field;
	snprintf(why->message, sizeof(why->message), "%s", msg);
}

static enum zc_err check_nickname_txn(struct store_txn *txn, const char *nickname, char *folded,
				      size_t cap, struct participant_problem *why)
{
	enum nickname_status st = nickname_check(nickname, strlen(nickname));
	if (st == NICKNAME_OK && nickname_fold(nickname, strlen(nickname), folded, cap) < 0)
		st = NICKNAME_CHARS;
	if (st == NICKNAME_OK && denylist_match(txn, folded))
		st = NICKNAME_DENIED;
	if (st != NICKNAME_OK) {
		problem(why, "nickname", nickname_message(st));
		return ZC_ERR_INVALID;
	}
	return ZC_OK;
}

enum zc_err participants_check_nickname(struct node *n, const char *nickname, char *folded,
					size_t cap, struct participant_problem *why)
{
	struct store_txn *txn;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = check_nickname_txn(txn, nickname, folded, cap, why);
	store_abort(txn);
	return err;
}

static bool known_neighbourhood(const struct node *n, const char *name)
{
	for (unsigned i = 0; i < n->city.n_neighbourhoods; i++)
		if (strcmp(n->city.neighbourhoods[i], name) == 0)
			return true;
	return false;
}

/* Field checks that need no store access. */
static enum zc_err check_edit(const struct node *n, const struct participant_edit *in,
			      struct participant_problem *why)
{
	if (in->set_neighbourhood && in->neighbourhood &&
	    !known_neighbourhood(n, in->neighbourhood)) {
		problem(why, "neighbourhood", "neighbourhood is not one of the city's list");
		return ZC_ERR_INVALID;
	}
	if (in->household_size != 0 && (in->household_size < 1 || in->household_size > 20)) {
		problem(why, "household_size", "household_size must be between 1 and 20");
		return ZC_ERR_INVALID;
	}
	if (in->lang && strcmp(in->lang, "fr") != 0 && strcmp(in->lang, "en") != 0) {
		problem(why, "lang", "lang must be \"fr\" or \"en\"");
		return ZC_ERR_INVALID;
	}
	return ZC_OK;
}

static void apply_edit(struct participant *p, const struct participant_edit *in)
{
	if (in->nickname)
		snprintf(p->nickname, sizeof(p->nickname), "%s", in->nickname);
	if (in->set_neighbourhood)
		snprintf(p->neighbourhood, sizeof(p->neighbourhood), "%s",
			 in->neighbourhood ? in->neighbourhood : "");
	if (in->household_size)
		p->household_size = (uint8_t)in->household_size;
	if (in->lang)
		snprintf(p->lang, sizeof(p->lang), "%s", in->lang);
	if (in->hidden >= 0)
		p->hidden = in->hidden != 0;
	if (in->weekly_goal)
		p->weekly_goal = (uint8_t)in->weekly_goal;
}

static void issue_secrets(struct node *n, struct participant *p, struct participant_secrets *sec)
{
	unsigned char raw[SECRETS_TOKEN_RAW];
	char code[21];
	secrets_new_token(TOKEN_PREFIX, sec->token, raw);
	secrets_hash(n->secrets, SECRETS_DOMAIN_TOKEN, raw, sizeof(raw), p->token_hash);
	secrets_new_recovery(sec->recovery);
	secrets_normalise_recovery(sec->recovery, code);
	secrets_hash(n->secrets, SECRETS_DOMAIN_RECOVERY, code, 20, p->recovery_hash);
	sodium_memzero(raw, sizeof(raw));
}

enum zc_err participants_put_token(struct store_txn *txn, const unsigned char *hash,
				   enum rec_token_kind kind, const unsigned char *id)
{
	unsigned char v[1 + SECRETS_ID_BYTES];
	v[0] = (unsigned char)kind;
	memcpy(v + 1, id, SECRETS_ID_BYTES);
	return store_put(txn, STORE_TOKENS, hash, SECRETS_HASH_BYTES, v, sizeof(v), true);
}

static enum zc_err put_record(struct store_txn *txn, const struct participant *p)
{
	struct jbuf rec;
	jbuf_init(&rec, 0);
	rec_participant_encode(p, &rec);
	enum zc_err err = store_put(txn, STORE_PARTICIPANTS, p->id, sizeof(p->id), jbuf_data(&rec),
				    rec.len, false);
	jbuf_fini(&rec);
	return err;
}

enum zc_err participants_register(struct node *n, const struct participant_edit *in,
				  struct participant *out, struct participant_secrets *sec,
				  struct participant_problem *why)
{
	char folded[NICKNAME_FOLD_CAP];
	struct store_txn *txn = NULL;
	struct participant p;
	enum zc_err err;

	if (!in->nickname) {
		problem(why, "nickname", "nickname is required");
		return ZC_ERR_INVALID;
	}
	err = check_edit(n, in, why);
	if (err)
		return err;
	memset(&p, 0, sizeof(p));
	secrets_new_id(p.id);
	p.created_at = time_now_s();
	p.household_size = 1;
	p.weekly_goal = GAME_GOAL_DEFAULT;
	memcpy(p.lang, "fr", 3);
	apply_edit(&p, in);
	issue_secrets(n, &p, sec);

	err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = check_nickname_txn(txn, p.nickname, folded, sizeof(folded), why);
	if (err)
		goto fail;
	err = store_put(txn, STORE_NICKNAMES, folded, strlen(folded), p.id, sizeof(p.id), true);
	if (err == ZC_ERR_EXISTS)
		problem(why, "nickname", "nickname is already taken");
	if (err)
		goto fail;
	err = put_record(txn, &p);
	if (!err)
		err = participants_put_token(txn, p.token_hash, TOKEN_PARTICIPANT, p.id);
	if (!err)
		err = participants_put_token(txn, p.recovery_hash, TOKEN_RECOVERY, p.id);
	if (err)
		goto fail;
	err = store_commit(txn);
	if (err)
		return err;
	board_participant_add(n->board, p.id, p.hidden,
			      city_neighbourhood_index(n, p.neighbourhood));
	n->participants++;
	metrics_gauge_set(METRICS_PARTICIPANTS, (int64_t)n->participants);
	*out = p;
	return ZC_OK;
fail:
	store_abort(txn);
	sodium_memzero(sec, sizeof(*sec));
	return err;
}

static enum zc_err load(struct store_txn *txn, const unsigned char *id, struct participant *out)
{
	const void *v;
	size_t vl;
	enum zc_err err = store_get(txn, STORE_PARTICIPANTS, id, SECRETS_ID_BYTES, &v, &vl);
	if (err)
		return err;
	return rec_participant_decode(v, vl, out) ? ZC_OK : ZC_ERR_STORE;
}

/* Finds the id behind a token hash of the given kind. */
static enum zc_err lookup_hash(struct store_txn *txn, const unsigned char *hash,
			       enum rec_token_kind kind, unsigned char *id)
{
	const void *v;
	size_t vl;
	enum zc_err err = store_get(txn, STORE_TOKENS, hash, SECRETS_HASH_BYTES, &v, &vl);
	if (err)
		return err == ZC_ERR_NOT_FOUND ? ZC_ERR_DENIED : err;
	if (vl != 1 + SECRETS_ID_BYTES || ((const unsigned char *)v)[0] != kind)
		return ZC_ERR_DENIED;
	memcpy(id, (const unsigned char *)v + 1, SECRETS_ID_BYTES);
	return ZC_OK;
}

enum zc_err participants_auth(struct node *n, const char *token, struct participant *out)
{
	unsigned char raw[SECRETS_TOKEN_RAW], hash[SECRETS_HASH_BYTES], id[SECRETS_ID_BYTES];
	struct store_txn *txn;
	enum zc_err err;

	if (!secrets_parse_token(TOKEN_PREFIX, token, raw))
		return ZC_ERR_DENIED;
	secrets_hash(n->secrets, SECRETS_DOMAIN_TOKEN, raw, sizeof(raw), hash);
	sodium_memzero(raw, sizeof(raw));
	err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = lookup_hash(txn, hash, TOKEN_PARTICIPANT, id);
	if (!err)
		err = load(txn, id, out);
	if (err == ZC_ERR_NOT_FOUND)
		err = ZC_ERR_DENIED;
	if (!err && sodium_memcmp(out->token_hash, hash, sizeof(hash)) != 0)
		err = ZC_ERR_DENIED;
	store_abort(txn);
	return err;
}

enum zc_err participants_get(struct node *n, const unsigned char *id, struct participant *out)
{
	struct store_txn *txn;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = load(txn, id, out);
	store_abort(txn);
	return err;
}

enum zc_err participants_update(struct node *n, struct participant *p,
				const struct participant_edit *in, struct participant_problem *why)
{
	char old_folded[NICKNAME_FOLD_CAP], new_folded[NICKNAME_FOLD_CAP];
	struct store_txn *txn;
	struct participant cur;
	enum zc_err err = check_edit(n, in, why);
	if (err)
		return err;
	err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = load(txn, p->id, &cur);
	if (err)
		goto fail;
	if (in->nickname && strcmp(in->nickname, cur.nickname) != 0) {
		err = check_nickname_txn(txn, in->nickname, new_folded, sizeof(new_folded), why);
		if (err)
			goto fail;
		if (nickname_fold(cur.nickname, strlen(cur.nickname), old_folded,
				  sizeof(old_folded)) < 0) {
			err = ZC_ERR_STORE;
			goto fail;
		}
		if (strcmp(old_folded, new_folded) != 0) {
			err = store_put(txn, STORE_NICKNAMES, new_folded, strlen(new_folded),
					cur.id, sizeof(cur.id), true);
			if (err == ZC_ERR_EXISTS)
				problem(why, "nickname", "nickname is already taken");
			if (err)
				goto fail;
			err = store_del(txn, STORE_NICKNAMES, old_folded, strlen(old_folded));
			if (err && err != ZC_ERR_NOT_FOUND)
				goto fail;
		}
	}
	apply_edit(&cur, in);
	err = put_record(txn, &cur);
	if (err)
		goto fail;
	err = store_commit(txn);
	if (err == ZC_OK) {
		bool renamed = strcmp(p->nickname, cur.nickname) != 0;
		*p = cur;
		board_participant_profile(n->board, cur.id, cur.hidden,
					  city_neighbourhood_index(n, cur.neighbourhood));
		if (renamed)
			board_participant_renamed(n->board, cur.id);
	}
	return err;
fail:
	store_abort(txn);
	return err;
}

enum zc_err participants_recover(struct node *n, const char *code, struct participant *out,
				 struct participant_secrets *sec)
{
	unsigned char hash[SECRETS_HASH_BYTES], id[SECRETS_ID_BYTES];
	char norm[21];
	struct store_txn *txn;
	struct participant p;
	enum zc_err err;

	if (!secrets_normalise_recovery(code, norm))
		return ZC_ERR_DENIED;
	secrets_hash(n->secrets, SECRETS_DOMAIN_RECOVERY, norm, 20, hash);
	err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = lookup_hash(txn, hash, TOKEN_RECOVERY, id);
	if (!err)
		err = load(txn, id, &p);
	if (err == ZC_ERR_NOT_FOUND)
		err = ZC_ERR_DENIED;
	if (err)
		goto fail;
	store_del(txn, STORE_TOKENS, p.token_hash, sizeof(p.token_hash));
	store_del(txn, STORE_TOKENS, p.recovery_hash, sizeof(p.recovery_hash));
	issue_secrets(n, &p, sec);
	err = put_record(txn, &p);
	if (!err)
		err = participants_put_token(txn, p.token_hash, TOKEN_PARTICIPANT, p.id);
	if (!err)
		err = participants_put_token(txn, p.recovery_hash, TOKEN_RECOVERY, p.id);
	if (err)
		goto fail;
	err = store_commit(txn);
	if (err == ZC_OK)
		*out = p;
	return err;
fail:
	store_abort(txn);
	return err;
}

enum zc_err participants_erase(struct node *n, const unsigned char *id)
{
	char folded[NICKNAME_FOLD_CAP];
	struct store_txn *txn;
	struct participant p;
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = load(txn, id, &p);
	if (err)
		goto fail;
	if (nickname_fold(p.nickname, strlen(p.nickname), folded, sizeof(folded)) >= 0)
		store_del(txn, STORE_NICKNAMES, folded, strlen(folded));
	store_del(txn, STORE_TOKENS, p.token_hash, sizeof(p.token_hash));
	store_del(txn, STORE_TOKENS, p.recovery_hash, sizeof(p.recovery_hash));
	/* Every row keyed by the participant goes in the same transaction, and
	 * their teams are left (a captaincy handed over, an emptied team deleted). */
	unsigned char left[TEAM_KIND__COUNT][REC_TEAM_ID_BYTES];
	bool deleted[TEAM_KIND__COUNT] = {false};
	int nleft = 0;
	err = store_del(txn, STORE_PARTICIPANTS, p.id, sizeof(p.id));
	if (!err)
		err = checkins_erase(txn, p.id);
	if (!err)
		err = commitments_erase(txn, p.id);
	if (!err)
		err = footprint_erase(txn, p.id);
	if (!err)
		err = waste_erase(txn, p.id);
	if (!err)
		err = teams_erase(n, txn, p.id, left, deleted, &nleft);
	if (!err)
		err = workshops_erase(txn, p.id);
	if (err)
		goto fail;
	err = store_commit(txn);
	if (err == ZC_OK) {
		/* Their contribution leaves every aggregate from now on. */
		board_participant_remove(n->board, p.id);
		wlive_forget(n, p.id);
		for (int i = 0; i < nleft; i++)
			if (deleted[i])
				board_team_remove(n->board, left[i]);
		if (n->participants > 0)
			n->participants--;
		metrics_gauge_set(METRICS_PARTICIPANTS, (int64_t)n->participants);
	}
	sodium_memzero(&p, sizeof(p));
	return err;
fail:
	store_abort(txn);
	return err;
}

void participants_profile_json(const struct participant *p, struct jbuf *out)
{
	char id[SECRETS_ID_HEX], created[TIME_RFC3339_LEN];
	secrets_id_hex(p->id, id);
	time_rfc3339(p->created_at, created);
	jbuf_putc(out, '{');
	jbuf_json_key(out, "id");
	jbuf_json_str(out, id);
	jbuf_json_key(out, "nickname");
	jbuf_json_str(out, p->nickname);
	jbuf_json_key(out, "neighbourhood");
	jbuf_json_str(out, p->neighbourhood[0] ? p->neighbourhood : NULL);
	jbuf_json_key(out, "household_size");
	jbuf_json_int(out, p->household_size);
	jbuf_json_key(out, "lang");
	jbuf_json_str(out, p->lang);
	jbuf_json_key(out, "hidden");
	jbuf_json_bool(out, p->hidden);
	jbuf_json_key(out, "weekly_goal");
	jbuf_json_int(out, p->weekly_goal);
	jbuf_json_key(out, "created_at");
	jbuf_json_str(out, created);
	jbuf_putc(out, '}');
}

/* Appends `"key":` and a document a module writes, or null when it fails. */
static void export_part(struct jbuf *out, const char *key,
			enum zc_err (*write)(struct node *, const unsigned char *, struct jbuf *),
			struct node *n, const unsigned char *id)
{
	struct jbuf part;
	jbuf_init(&part, 0);
	jbuf_json_key(out, key);
	if (write(n, id, &part) == ZC_OK)
		jbuf_put(out, jbuf_data(&part), part.len);
	else
		jbuf_puts(out, "null");
	jbuf_fini(&part);
}

static enum zc_err all_checkins(struct node *n, const unsigned char *id, struct jbuf *out)
{
	return checkins_list_json(n, id, 0, 0, out);
}

void participants_export_json(struct node *n, const struct participant *p, struct jbuf *out)
{
	char now[TIME_RFC3339_LEN];
	time_rfc3339(time_now_s(), now);
	jbuf_puts(out, "{\"format\":\"zcnode-export/1\"");
	jbuf_json_key(out, "exported_at");
	jbuf_json_str(out, now);
	jbuf_json_key(out, "city");
	jbuf_json_str(out, n->city.name[0] ? n->city.name : NULL);
	jbuf_json_key(out, "participant");
	participants_profile_json(p, out);
	/* Everything else the node keeps about the participant, as the API shows it. */
	export_part(out, "progress", checkins_progress_json, n, p->id);
	export_part(out, "checkins", all_checkins, n, p->id);
	export_part(out, "commitments", commitments_list_json, n, p->id);
	export_part(out, "footprint", footprint_json, n, p->id);
	export_part(out, "waste", waste_json, n, p->id);
	export_part(out, "teams", teams_mine_json, n, p->id);
	jbuf_json_key(out, "note");
	jbuf_json_str(out, "Token and recovery code are stored only as keyed hashes and "
			   "cannot be exported. Footprint questionnaire answers never left your "
			   "device.");
	jbuf_putc(out, '}');
}

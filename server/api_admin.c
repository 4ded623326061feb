/* Staff routes: login and sessions, accounts, moderation, city settings,
 * audit, and the test hook that feeds WebSocket channels. Each change is
 * written to the audit log after its commit. */
#include <string.h>

#include <sodium.h>

#include "admins.h"
#include "api.h"
#include "bcast.h"
#include "board.h"
#include "channels.h"
#include "city.h"
#include "denylist.h"
#include "log.h"
#include "nickname.h"
#include "participants.h"
#include "ratelimit.h"
#include "store.h"
#include "timeutil.h"

void api_admin_login(struct api_req *r)
{
	char username[64], password[ADMINS_PASSWORD_MAX * 4 + 1];
	struct admin_account a;
	struct admin_login login;
	char expires[TIME_RFC3339_LEN];
	const struct jdec_field fields[] = {
	    {.name = "username",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 32,
	     .out = username,
	     .out_cap = sizeof(username)},
	    {.name = "password",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = ADMINS_PASSWORD_MAX,
	     .out = password,
	     .out_cap = sizeof(password)},
	};
	if (!api_decode(r, fields, 2))
		goto out;
	/* Rate-limit before hashing: Argon2id is deliberately expensive. */
	if (!api_rate_limit(r, r->node->login_limit))
		goto out;
	enum zc_err err = admins_verify(r->node, username, password, &a);
	if (err == ZC_ERR_DENIED) {
		log_event(LOG_WARN, "admin_login_failed", "peer=%s", r->peer);
		api_error(r, 401, "invalid_credentials", "wrong username or password");
		goto out;
	}
	unsigned purged;
	/* Expired sessions are otherwise only removed when presented again. */
	admins_sessions_purge(r->node->store, time_now_s(), &purged);
	if (!api_store_ok(r, err) || !api_store_ok(r, admins_session_open(r->node, &a, &login)))
		goto out;
	time_rfc3339(login.expires_at, expires);
	r->status = 200;
	jbuf_putc(r->resp, '{');
	jbuf_json_key(r->resp, "token");
	jbuf_json_str(r->resp, login.token);
	jbuf_json_key(r->resp, "role");
	jbuf_json_str(r->resp, rec_role_name(login.role));
	jbuf_json_key(r->resp, "username");
	jbuf_json_str(r->resp, a.username);
	jbuf_json_key(r->resp, "expires_at");
	jbuf_json_str(r->resp, expires);
	jbuf_putc(r->resp, '}');
	admins_audit(r->node->store, a.username, "login", "");
out:
	sodium_memzero(password, sizeof(password));
	sodium_memzero(&login, sizeof(login));
	sodium_memzero(&a, sizeof(a));
}

void api_admin_logout(struct api_req *r)
{
	if (!api_store_ok(r, admins_session_close(r->node, r->token)))
		return;
	r->status = 204;
	admins_audit(r->node->store, r->session.username, "logout", "");
}

void api_admin_session(struct api_req *r)
{
	char expires[TIME_RFC3339_LEN];
	time_rfc3339(r->session.expires_at, expires);
	r->status = 200;
	jbuf_putc(r->resp, '{');
	jbuf_json_key(r->resp, "username");
	jbuf_json_str(r->resp, r->session.username);
	jbuf_json_key(r->resp, "role");
	jbuf_json_str(r->resp, rec_role_name(r->session.role));
	jbuf_json_key(r->resp, "expires_at");
	jbuf_json_str(r->resp, expires);
	jbuf_putc(r->resp, '}');
}

/* Registrations per day and participants per neighbourhood, from one scan. */
static enum zc_err participant_breakdown(struct node *n, struct jbuf *out)
{
	enum { MAX_DAYS = 400 };
	static struct {
		char day[TIME_DAY_LEN];
		uint64_t count;
	} days[MAX_DAYS];
	uint64_t per_hood[REC_MAX_NEIGHBOURHOODS] = {0};
	size_t ndays = 0;
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	struct participant p;
	char day[TIME_DAY_LEN];
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = store_iter_new(txn, STORE_PARTICIPANTS, NULL, 0, false, &it);
	if (err) {
		store_abort(txn);
		return err;
	}
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (!rec_participant_decode(v, vl, &p))
			continue;
		for (unsigned i = 0; i < n->city.n_neighbourhoods; i++)
			if (strcmp(p.neighbourhood, n->city.neighbourhoods[i]) == 0)
				per_hood[i]++;
		time_format_day(time_local_day(p.created_at), day);
		size_t d = 0;
		while (d < ndays && strcmp(days[d].day, day) != 0)
			d++;
		if (d == ndays && ndays < MAX_DAYS) {
			memcpy(days[ndays].day, day, sizeof(day));
			days[ndays++].count = 0;
		}
		if (d < ndays)
			days[d].count++;
	}
	store_iter_free(it);
	store_abort(txn);
	jbuf_json_key(out, "neighbourhoods");
	jbuf_putc(out, '{');
	for (unsigned i = 0; i < n->city.n_neighbourhoods; i++) {
		jbuf_json_key(out, n->city.neighbourhoods[i]);
		jbuf_json_int(out, (int64_t)per_hood[i]);
	}
	jbuf_putc(out, '}');
	jbuf_json_key(out, "registrations_by_day");
	jbuf_putc(out, '{');
	for (size_t d = 0; d < ndays; d++) {
		jbuf_json_key(out, days[d].day);
		jbuf_json_int(out, (int64_t)days[d].count);
	}
	jbuf_putc(out, '}');
	return ZC_OK;
}

void api_admin_stats(struct api_req *r)
{
	uint64_t accounts = 0, sessions = 0, used, map;
	if (!api_store_ok(r, admins_counts(r->node->store, &accounts, &sessions)))
		return;
	store_size(r->node->store, &used, &map);
	jbuf_putc(r->resp, '{');
	jbuf_json_key(r->resp, "participants");
	jbuf_json_int(r->resp, (int64_t)r->node->participants);
	jbuf_json_key(r->resp, "admins");
	jbuf_json_int(r->resp, (int64_t)accounts);
	jbuf_json_key(r->resp, "sessions");
	jbuf_json_int(r->resp, (int64_t)sessions);
	jbuf_json_key(r->resp, "lmdb_size_bytes");
	jbuf_json_int(r->resp, (int64_t)used);
	if (!api_store_ok(r, participant_breakdown(r->node, r->resp)))
		return;
	jbuf_putc(r->resp, '}');
	r->status = 200;
}

void api_admin_accounts_list(struct api_req *r)
{
	if (api_store_ok(r, admins_list_json(r->node->store, r->resp)))
		r->status = 200;
}

void api_admin_accounts_create(struct api_req *r)
{
	char username[64], role_name[16], password[ADMINS_GENERATED_PASSWORD];
	enum rec_role role;
	const struct jdec_field fields[] = {
	    {.name = "username",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 3,
	     .max_len = 32,
	     .out = username,
	     .out_cap = sizeof(username)},
	    {.name = "role",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 12,
	     .out = role_name,
	     .out_cap = sizeof(role_name)},
	};
	if (!api_decode(r, fields, 2))
		return;
	if (!admins_username_valid(username)) {
		api_error(r, 422, "invalid_field",
			  "username must be 3 to 32 characters among a-z 0-9 . _ -");
		return;
	}
	if (!rec_role_parse(role_name, &role)) {
		api_error(r, 422, "invalid_field", "role must be admin, animator or moderator");
		return;
	}
	admins_generate_password(password);
	enum zc_err err = admins_create(r->node->store, username, role, password);
	if (err == ZC_ERR_EXISTS) {
		api_error(r, 409, "username_taken", "an account with this username exists");
		goto out;
	}
	if (!api_store_ok(r, err))
		goto out;
	r->status = 201;
	jbuf_putc(r->resp, '{');
	jbuf_json_key(r->resp, "username");
	jbuf_json_str(r->resp, username);
	jbuf_json_key(r->resp, "role");
	jbuf_json_str(r->resp, role_name);
	jbuf_json_key(r->resp, "password");
	jbuf_json_str(r->resp, password);
	jbuf_putc(r->resp, '}');
	admins_audit(r->node->store, r->session.username, "account_create", username);
out:
	sodium_memzero(password, sizeof(password));
}

void api_admin_accounts_delete(struct api_req *r)
{
	if (strcmp(r->param, r->session.username) == 0) {
		api_error(r, 409, "conflict", "you cannot delete your own account");
		return;
	}
	enum zc_err err = admins_delete(r->node, r->param);
	if (err == ZC_ERR_NOT_FOUND) {
		api_error(r, 404, "not_found", "no such account");
		return;
	}
	if (!api_store_ok(r, err))
		return;
	r->status = 204;
	admins_audit(r->node->store, r->session.username, "account_delete", r->param);
}

void api_admin_accounts_patch(struct api_req *r)
{
	char role_name[16];
	enum rec_role role;
	const struct jdec_field fields[] = {
	    {.name = "role",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 12,
	     .out = role_name,
	     .out_cap = sizeof(role_name)},
	};
	if (!api_decode(r, fields, 1))
		return;
	if (!rec_role_parse(role_name, &role)) {
		api_error(r, 422, "invalid_field", "role must be admin, animator or moderator");
		return;
	}
	if (strcmp(r->param, r->session.username) == 0) {
		/* The last admin must not lock the city out of its own node. */
		api_error(r, 409, "conflict", "you cannot change your own role");
		return;
	}
	enum zc_err err = admins_set_role(r->node, r->param, role);
	if (err == ZC_ERR_NOT_FOUND) {
		api_error(r, 404, "not_found", "no such account");
		return;
	}
	if (!api_store_ok(r, err))
		return;
	r->status = 200;
	jbuf_putc(r->resp, '{');
	jbuf_json_key(r->resp, "username");
	jbuf_json_str(r->resp, r->param);
	jbuf_json_key(r->resp, "role");
	jbuf_json_str(r->resp, rec_role_name(role));
	jbuf_putc(r->resp, '}');
	char target[sizeof(r->param) + 16];
	snprintf(target, sizeof(target), "%s:%s", r->param, rec_role_name(role));
	admins_audit(r->node->store, r->session.username, "account_role", target);
}

void api_admin_password(struct api_req *r)
{
	char current[ADMINS_PASSWORD_MAX * 4 + 1], fresh[ADMINS_PASSWORD_MAX * 4 + 1];
	struct admin_account a;
	const struct jdec_field fields[] = {
	    {.name = "current_password",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = ADMINS_PASSWORD_MAX,
	     .out = current,
	     .out_cap = sizeof(current)},
	    {.name = "new_password",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = ADMINS_PASSWORD_MIN,
	     .max_len = ADMINS_PASSWORD_MAX,
	     .out = fresh,
	     .out_cap = sizeof(fresh)},
	};
	if (!api_decode(r, fields, 2) || !api_rate_limit(r, r->node->login_limit))
		goto out;
	enum zc_err err = admins_verify(r->node, r->session.username, current, &a);
	if (err == ZC_ERR_DENIED) {
		api_error(r, 401, "invalid_credentials", "the current password is wrong");
		goto out;
	}
	/* Other sessions end (a stolen one among them); the caller's goes on. */
	if (!api_store_ok(r, err) ||
	    !api_store_ok(r, admins_set_password(r->node, r->session.username, fresh, r->token)))
		goto out;
	r->status = 204;
	admins_audit(r->node->store, r->session.username, "password_change", "");
out:
	sodium_memzero(current, sizeof(current));
	sodium_memzero(fresh, sizeof(fresh));
	sodium_memzero(&a, sizeof(a));
}

/* One row of the moderation list. */
static void participant_row(struct jbuf *out, const struct participant *p)
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
	jbuf_json_key(out, "created_at");
	jbuf_json_str(out, created);
	jbuf_json_key(out, "hidden");
	jbuf_json_bool(out, p->hidden);
	jbuf_putc(out, '}');
}

/* Participants whose folded nickname starts with the folded query, in nickname
 * order, through the nickname index: a moderator finds "Élodie" by "elo". */
static void participants_search(struct api_req *r, const char *q, long limit)
{
	char prefix[NICKNAME_FOLD_CAP];
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v, *pv;
	size_t kl, vl, pl;
	struct participant p;
	long n = 0;

	long pl_len = nickname_fold(q, strlen(q), prefix, sizeof(prefix));
	if (pl_len < 1) {
		api_error(r, 422, "invalid_field", "q must hold at least one letter or digit");
		return;
	}
	if (!api_store_ok(r, store_begin(r->node->store, false, &txn)))
		return;
	if (!api_store_ok(
		r, store_iter_new(txn, STORE_NICKNAMES, prefix, (size_t)pl_len, false, &it))) {
		store_abort(txn);
		return;
	}
	jbuf_puts(r->resp, "{\"participants\":[");
	while (n < limit && store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (kl < (size_t)pl_len || memcmp(k, prefix, (size_t)pl_len) != 0)
			break;
		if (vl != SECRETS_ID_BYTES ||
		    store_get(txn, STORE_PARTICIPANTS, v, vl, &pv, &pl) != ZC_OK ||
		    !rec_participant_decode(pv, pl, &p))
			continue;
		if (n++)
			jbuf_putc(r->resp, ',');
		participant_row(r->resp, &p);
	}
	jbuf_puts(r->resp, "],\"next\":null}");
	store_iter_free(it);
	store_abort(txn);
	r->status = 200;
}

void api_admin_participants_list(struct api_req *r)
{
	char arg[40], q[NICKNAME_MAX * 4 + 1], id[SECRETS_ID_HEX];
	unsigned char after[SECRETS_ID_BYTES];
	long limit = 50;
	bool has_after = false;
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	struct participant p;
	long n = 0;

	bool has_q;
	if (!api_query_limit(r, 100, &limit) || !api_query_arg(r, "q", q, sizeof(q), &has_q))
		return;
	if (has_q) {
		participants_search(r, q, limit);
		return;
	}
	if (api_query(r, "after", arg, sizeof(arg))) {
		if (!secrets_id_parse(arg, after)) {
			api_error(r, 422, "invalid_field", "after must be a participant id");
			return;
		}
		has_after = true;
	}
	if (!api_store_ok(r, store_begin(r->node->store, false, &txn)))
		return;
	if (!api_store_ok(r, store_iter_new(txn, STORE_PARTICIPANTS, has_after ? after : NULL,
					    has_after ? sizeof(after) : 0, false, &it))) {
		store_abort(txn);
		return;
	}
	jbuf_puts(r->resp, "{\"participants\":[");
	bool more = false;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (has_after && kl == sizeof(after) && memcmp(k, after, kl) == 0)
			continue;
		if (!rec_participant_decode(v, vl, &p))
			continue;
		if (n == limit) {
			more = true;
			break;
		}
		if (n++)
			jbuf_putc(r->resp, ',');
		participant_row(r->resp, &p);
		secrets_id_hex(p.id, id);
	}
	jbuf_puts(r->resp, "],\"next\":");
	jbuf_json_str(r->resp, more ? id : NULL);
	jbuf_putc(r->resp, '}');
	store_iter_free(it);
	store_abort(txn);
	r->status = 200;
}

void api_admin_participants_patch(struct api_req *r)
{
	unsigned char id[SECRETS_ID_BYTES];
	char nickname[REC_NICKNAME_BYTES];
	struct participant p;
	struct participant_edit e = {.hidden = -1};
	struct participant_problem why = {0};
	const struct jdec_field fields[] = {
	    {.name = "nickname",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = NICKNAME_MAX,
	     .out = nickname,
	     .out_cap = sizeof(nickname)},
	};
	if (!secrets_id_parse(r->param, id)) {
		api_error(r, 404, "not_found", "no such participant");
		return;
	}
	if (!api_decode(r, fields, 1))
		return;
	enum zc_err err = participants_get(r->node, id, &p);
	if (err == ZC_ERR_NOT_FOUND) {
		api_error(r, 404, "not_found", "no such participant");
		return;
	}
	if (!api_store_ok(r, err))
		return;
	e.nickname = nickname;
	err = participants_update(r->node, &p, &e, &why);
	if (err == ZC_ERR_INVALID) {
		api_error(r, 422, "invalid_field", "%s", why.message);
		return;
	}
	if (err == ZC_ERR_EXISTS) {
		api_error(r, 409, "nickname_taken", "%s", why.message);
		return;
	}
	if (!api_store_ok(r, err))
		return;
	r->status = 200;
	participant_row(r->resp, &p);
	admins_audit(r->node->store, r->session.username, "participant_rename", r->param);
}

void api_admin_participants_delete(struct api_req *r)
{
	unsigned char id[SECRETS_ID_BYTES];
	if (!secrets_id_parse(r->param, id)) {
		api_error(r, 404, "not_found", "no such participant");
		return;
	}
	enum zc_err err = participants_erase(r->node, id);
	if (err == ZC_ERR_NOT_FOUND) {
		api_error(r, 404, "not_found", "no such participant");
		return;
	}
	if (!api_store_ok(r, err))
		return;
	r->status = 204;
	admins_audit(r->node->store, r->session.username, "participant_erase", r->param);
}

void api_admin_denylist_list(struct api_req *r)
{
	if (api_store_ok(r, denylist_list_json(r->node->store, r->resp)))
		r->status = 200;
}

void api_admin_denylist_add(struct api_req *r)
{
	char word[DENYLIST_WORD_MAX * 4 + 1], folded[DENYLIST_WORD_MAX * 2 + 2];
	const struct jdec_field fields[] = {
	    {.name = "word",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 2,
	     .max_len = DENYLIST_WORD_MAX,
	     .out = word,
	     .out_cap = sizeof(word)},
	};
	if (!api_decode(r, fields, 1))
		return;
	enum zc_err err = denylist_add(r->node->store, word, folded, sizeof(folded));
	if (err == ZC_ERR_INVALID) {
		api_error(r, 422, "invalid_field",
			  "word must keep 2 to 32 letters or digits once folded");
		return;
	}
	if (!api_store_ok(r, err))
		return;
	r->status = 201;
	jbuf_puts(r->resp, "{\"word\":");
	jbuf_json_str(r->resp, folded);
	jbuf_putc(r->resp, '}');
	admins_audit(r->node->store, r->session.username, "denylist_add", folded);
}

void api_admin_denylist_delete(struct api_req *r)
{
	enum zc_err err = denylist_remove(r->node->store, r->param);
	if (err == ZC_ERR_NOT_FOUND) {
		api_error(r, 404, "not_found", "no such word");
		return;
	}
	if (!api_store_ok(r, err))
		return;
	r->status = 204;
	admins_audit(r->node->store, r->session.username, "denylist_remove", r->param);
}

static void city_settings_json(const struct city *c, struct jbuf *out)
{
	jbuf_putc(out, '{');
	jbuf_json_key(out, "name");
	jbuf_json_str(out, c->name[0] ? c->name : NULL);
	jbuf_json_key(out, "population");
	jbuf_json_int(out, c->population);
	jbuf_json_key(out, "neighbourhoods");
	jbuf_putc(out, '[');
	for (unsigned i = 0; i < c->n_neighbourhoods; i++) {
		if (i)
			jbuf_putc(out, ',');
		jbuf_json_str(out, c->neighbourhoods[i]);
	}
	jbuf_puts(out, "]}");
}

void api_admin_city_get(struct api_req *r)
{
	r->status = 200;
	city_settings_json(&r->node->city, r->resp);
}

void api_admin_city_put(struct api_req *r)
{
	struct city c;
	char list[REC_MAX_NEIGHBOURHOODS * REC_NAME_BYTES];
	size_t count = 0;
	int64_t population = 0;
	const struct jdec_field fields[] = {
	    {.name = "name",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 32,
	     .out = c.name,
	     .out_cap = sizeof(c.name)},
	    {.name = "population",
	     .type = JDEC_INT,
	     .required = true,
	     .min = 1,
	     .max = 100000000,
	     .out = &population},
	    {.name = "neighbourhoods",
	     .type = JDEC_STRING_ARRAY,
	     .required = true,
	     .min_len = 1,
	     .max_len = 32,
	     .max = REC_MAX_NEIGHBOURHOODS,
	     .out = list,
	     .out_cap = REC_NAME_BYTES,
	     .count = &count},
	};
	memset(&c, 0, sizeof(c));
	if (!api_decode(r, fields, 3))
		return;
	c.population = (uint32_t)population;
	c.n_neighbourhoods = (unsigned)count;
	for (size_t i = 0; i < count; i++)
		memcpy(c.neighbourhoods[i], list + i * REC_NAME_BYTES, REC_NAME_BYTES);
	enum zc_err err = city_save(r->node, &c);
	if (err == ZC_ERR_INVALID) {
		api_error(r, 422, "invalid_field", "neighbourhood names must be distinct");
		return;
	}
	if (!api_store_ok(r, err))
		return;
	/* The boards hold neighbourhoods by their place in the list: rebuild them. */
	const struct season *s = city_season_today(r->node);
	if (!api_store_ok(r, board_load(r->node, s ? s->id : NULL)))
		return;
	r->status = 200;
	city_settings_json(&r->node->city, r->resp);
	admins_audit(r->node->store, r->session.username, "city_update", c.name);
}

void api_admin_seasons_create(struct api_req *r)
{
	struct season s;
	const struct jdec_field fields[] = {
	    {.name = "id",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 32,
	     .out = s.id,
	     .out_cap = sizeof(s.id)},
	    {.name = "name",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 32,
	     .out = s.name,
	     .out_cap = sizeof(s.name)},
	    {.name = "starts_on",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 10,
	     .max_len = 10,
	     .out = s.starts_on,
	     .out_cap = sizeof(s.starts_on)},
	    {.name = "ends_on",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 10,
	     .max_len = 10,
	     .out = s.ends_on,
	     .out_cap = sizeof(s.ends_on)},
	};
	memset(&s, 0, sizeof(s));
	if (!api_decode(r, fields, 4))
		return;
	enum zc_err err = city_season_put(r->node, &s);
	if (err == ZC_ERR_INVALID) {
		api_error(r, 422, "invalid_field",
			  "id must be a-z 0-9 -, dates real YYYY-MM-DD with starts_on <= ends_on, "
			  "at most 64 weeks");
		return;
	}
	if (!api_store_ok(r, err))
		return;
	r->status = 201;
	city_season_json(&s, r->resp);
	admins_audit(r->node->store, r->session.username, "season_put", s.id);
}

void api_admin_seasons_list(struct api_req *r)
{
	if (api_store_ok(r, city_seasons_json(r->node, r->resp)))
		r->status = 200;
}

void api_admin_seasons_delete(struct api_req *r)
{
	enum zc_err err = city_season_delete(r->node, r->param);
	if (err == ZC_ERR_NOT_FOUND) {
		api_error(r, 404, "not_found", "no such season");
		return;
	}
	if (!api_store_ok(r, err))
		return;
	r->status = 204;
	admins_audit(r->node->store, r->session.username, "season_delete", r->param);
}

void api_admin_audit(struct api_req *r)
{
	long limit = 100;
	if (!api_query_limit(r, 1000, &limit))
		return;
	if (api_store_ok(r, admins_audit_json(r->node->store, (unsigned)limit, r->resp)))
		r->status = 200;
}

void api_admin_debug_publish(struct api_req *r)
{
	char channel[BCAST_NAME_MAX + 1];
	struct jbuf data;
	struct bcast_channel *ch;
	const struct jdec_field fields[] = {
	    {.name = "channel",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = BCAST_NAME_MAX,
	     .out = channel,
	     .out_cap = sizeof(channel)},
	    {.name = "data", .type = JDEC_OBJECT_RAW, .required = true, .out = &data},
	};
	if (!r->node->cfg.test_hooks) {
		api_error(r, 404, "not_found", "no such route");
		return;
	}
	jbuf_init(&data, 0);
	if (!api_decode(r, fields, 2))
		goto out;
	/* Test data goes to test channels only, never to the real boards. */
	ch = strncmp(channel, "test:", 5) == 0 ? channels_find(r->node->channels, channel) : NULL;
	if (!ch) {
		api_error(r, 404, "unknown_channel", "no such channel");
		goto out;
	}
	uint64_t n = bcast_publish(ch, jbuf_data(&data), data.len);
	if (n == 0) {
		api_error(r, 413, "body_too_large", "data is over the channel's cap");
		goto out;
	}
	r->status = 202;
	jbuf_putc(r->resp, '{');
	jbuf_json_key(r->resp, bcast_channel_kind(ch) == BCAST_STATE ? "version" : "seq");
	jbuf_json_int(r->resp, (int64_t)n);
	jbuf_putc(r->resp, '}');
out:
	jbuf_fini(&data);
}

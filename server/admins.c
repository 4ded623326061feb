/* Staff accounts and sessions. Password hashing uses libsodium's Argon2id with
 * its interactive limits; login attempts are rate-limited per address by the
 * HTTP layer, which bounds the CPU an attacker can make the loop spend here. */
#include <string.h>

#include <sodium.h>

#include "admins.h"
#include "log.h"
#include "store.h"
#include "timeutil.h"

#define SESSION_PREFIX	  "zca_"
#define PASSWORD_ALPHABET "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

bool admins_username_valid(const char *u)
{
	size_t n = strlen(u);
	if (n < 3 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = u[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

void admins_generate_password(char out[ADMINS_GENERATED_PASSWORD])
{
	const uint32_t n = sizeof(PASSWORD_ALPHABET) - 1;
	for (int i = 0; i < ADMINS_GENERATED_PASSWORD - 1; i++)
		out[i] = PASSWORD_ALPHABET[randombytes_uniform(n)];
	out[ADMINS_GENERATED_PASSWORD - 1] = '\0';
}

static enum zc_err hash_password(const char *password, char out[REC_PWHASH_BYTES])
{
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return ZC_ERR_CRYPTO;
	return ZC_OK;
}

static enum zc_err put_account(struct store_txn *txn, const struct admin_account *a, bool unique)
{
	struct jbuf rec;
	jbuf_init(&rec, 0);
	rec_admin_encode(a, &rec);
	enum zc_err err = store_put(txn, STORE_ADMINS, a->username, strlen(a->username),
				    jbuf_data(&rec), rec.len, unique);
	jbuf_fini(&rec);
	return err;
}

enum zc_err admins_create(struct store *st, const char *username, enum rec_role role,
			  const char *password)
{
	struct admin_account a;
	struct store_txn *txn;
	enum zc_err err;

	if (!admins_username_valid(username) || strlen(password) < ADMINS_PASSWORD_MIN ||
	    strlen(password) > ADMINS_PASSWORD_MAX)
		return ZC_ERR_INVALID;
	memset(&a, 0, sizeof(a));
	snprintf(a.username, sizeof(a.username), "%s", username);
	a.role = role;
	a.created_at = time_now_s();
	err = hash_password(password, a.pwhash);
	if (err)
		return err;
	err = store_begin(st, true, &txn);
	if (err)
		return err;
	err = put_account(txn, &a, true);
	if (err) {
		store_abort(txn);
		return err;
	}
	return store_commit(txn);
}

static enum zc_err load_account(struct store_txn *txn, const char *username,
				struct admin_account *out)
{
	const void *v;
	size_t vl;
	enum zc_err err = store_get(txn, STORE_ADMINS, username, strlen(username), &v, &vl);
	if (err)
		return err;
	return rec_admin_decode(v, vl, out) ? ZC_OK : ZC_ERR_STORE;
}

/* Deletes every session of username, or with a NULL username every session
 * expired at `now`, except the one whose hash is `keep` (may be NULL).
 * Sessions are few (staff, not citizens): a scan is fine. */
static enum zc_err drop_sessions(struct store_txn *txn, const char *username, int64_t now,
				 const unsigned char *keep, unsigned *dropped)
{
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	unsigned char doomed[64][SECRETS_HASH_BYTES];
	size_t nd = 0;
	struct admin_session s;
	enum zc_err err;

	do {
		nd = 0;
		err = store_iter_new(txn, STORE_SESSIONS, NULL, 0, false, &it);
		if (err)
			return err;
		while (nd < 64 && store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
			if (kl != SECRETS_HASH_BYTES || !rec_session_decode(v, vl, &s))
				continue;
			if (keep && memcmp(k, keep, SECRETS_HASH_BYTES) == 0)
				continue;
			if (username ? strcmp(s.username, username) == 0 : s.expires_at <= now)
				memcpy(doomed[nd++], k, SECRETS_HASH_BYTES);
		}
		store_iter_free(it);
		for (size_t i = 0; i < nd; i++) {
			err = store_del(txn, STORE_SESSIONS, doomed[i], SECRETS_HASH_BYTES);
			if (err)
				return err;
		}
		if (dropped)
			*dropped += (unsigned)nd;
	} while (nd == 64);
	return ZC_OK;
}

enum zc_err admins_sessions_purge(struct store *st, int64_t now, unsigned *purged)
{
	struct store_txn *txn;
	*purged = 0;
	enum zc_err err = store_begin(st, true, &txn);
	if (err)
		return err;
	err = drop_sessions(txn, NULL, now, NULL, purged);
	if (err || *purged == 0) {
		store_abort(txn);
		return err;
	}
	return store_commit(txn);
}

enum zc_err admins_set_role(struct node *n, const char *username, enum rec_role role)
{
	struct admin_account a;
	struct store_txn *txn;
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = load_account(txn, username, &a);
	if (err)
		goto fail;
	a.role = role;
	err = put_account(txn, &a, false);
	/* Sessions carry the role they were opened with: the holder logs in again. */
	if (!err)
		err = drop_sessions(txn, username, 0, NULL, NULL);
	if (err)
		goto fail;
	sodium_memzero(&a, sizeof(a));
	return store_commit(txn);
fail:
	sodium_memzero(&a, sizeof(a));
	store_abort(txn);
	return err;
}

static bool session_hash(struct node *n, const char *token, unsigned char hash[SECRETS_HASH_BYTES]);

enum zc_err admins_set_password(struct node *n, const char *username, const char *password,
				const char *keep_token)
{
	struct admin_account a;
	struct store_txn *txn;
	char hash[REC_PWHASH_BYTES];
	unsigned char keep[SECRETS_HASH_BYTES];
	bool keeping = keep_token && session_hash(n, keep_token, keep);
	enum zc_err err;

	if (strlen(password) < ADMINS_PASSWORD_MIN || strlen(password) > ADMINS_PASSWORD_MAX)
		return ZC_ERR_INVALID;
	err = hash_password(password, hash);
	if (err)
		return err;
	err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = load_account(txn, username, &a);
	if (err)
		goto fail;
	memcpy(a.pwhash, hash, sizeof(hash));
	err = put_account(txn, &a, false);
	if (!err)
		err = drop_sessions(txn, username, 0, keeping ? keep : NULL, NULL);
	if (err)
		goto fail;
	return store_commit(txn);
fail:
	store_abort(txn);
	return err;
}

enum zc_err admins_verify(struct node *n, const char *username, const char *password,
			  struct admin_account *out)
{
	struct store_txn *txn;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = load_account(txn, username, out);
	store_abort(txn);
	if (err == ZC_ERR_NOT_FOUND) {
		/* Spend the same effort as a real check so timing does not reveal which
		 * usernames exist. */
		char dummy[REC_PWHASH_BYTES];
		hash_password(password, dummy);
		return ZC_ERR_DENIED;
	}
	if (err)
		return err;
	if (crypto_pwhash_str_verify(out->pwhash, password, strlen(password)) != 0)
		return ZC_ERR_DENIED;
	return ZC_OK;
}

enum zc_err admins_session_open(struct node *n, const struct admin_account *a,
				struct admin_login *out)
{
	unsigned char raw[SECRETS_TOKEN_RAW], hash[SECRETS_HASH_BYTES];
	struct admin_session s;
	struct store_txn *txn;
	struct jbuf rec;
	enum zc_err err;

	memset(&s, 0, sizeof(s));
	snprintf(s.username, sizeof(s.username), "%s", a->username);
	s.role = a->role;
	s.expires_at = time_now_s() + (int64_t)n->cfg.admin_session_hours * 3600;
	secrets_new_token(SESSION_PREFIX, out->token, raw);
	secrets_hash(n->secrets, SECRETS_DOMAIN_SESSION, raw, sizeof(raw), hash);
	sodium_memzero(raw, sizeof(raw));
	out->expires_at = s.expires_at;
	out->role = s.role;
	jbuf_init(&rec, 0);
	rec_session_encode(&s, &rec);
	err = store_begin(n->store, true, &txn);
	if (!err) {
		err = store_put(txn, STORE_SESSIONS, hash, sizeof(hash), jbuf_data(&rec), rec.len,
				true);
		if (err)
			store_abort(txn);
		else
			err = store_commit(txn);
	}
	jbuf_fini(&rec);
	return err;
}

static bool session_hash(struct node *n, const char *token, unsigned char hash[SECRETS_HASH_BYTES])
{
	unsigned char raw[SECRETS_TOKEN_RAW];
	if (!secrets_parse_token(SESSION_PREFIX, token, raw))
		return false;
	secrets_hash(n->secrets, SECRETS_DOMAIN_SESSION, raw, sizeof(raw), hash);
	sodium_memzero(raw, sizeof(raw));
	return true;
}

enum zc_err admins_session_check(struct node *n, const char *token, struct admin_session *out)
{
	unsigned char hash[SECRETS_HASH_BYTES];
	struct store_txn *txn;
	const void *v;
	size_t vl;
	enum zc_err err;

	if (!session_hash(n, token, hash))
		return ZC_ERR_DENIED;
	err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = store_get(txn, STORE_SESSIONS, hash, sizeof(hash), &v, &vl);
	if (err == ZC_OK && !rec_session_decode(v, vl, out))
		err = ZC_ERR_STORE;
	store_abort(txn);
	if (err == ZC_ERR_NOT_FOUND)
		return ZC_ERR_DENIED;
	if (err)
		return err;
	if (out->expires_at <= time_now_s()) {
		admins_session_close(n, token);
		return ZC_ERR_EXPIRED;
	}
	return ZC_OK;
}

enum zc_err admins_session_close(struct node *n, const char *token)
{
	unsigned char hash[SECRETS_HASH_BYTES];
	struct store_txn *txn;
	enum zc_err err;
	if (!session_hash(n, token, hash))
		return ZC_ERR_DENIED;
	err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = store_del(txn, STORE_SESSIONS, hash, sizeof(hash));
	if (err) {
		store_abort(txn);
		return err;
	}
	return store_commit(txn);
}

enum zc_err admins_delete(struct node *n, const char *username)
{
	struct store_txn *txn;
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = store_del(txn, STORE_ADMINS, username, strlen(username));
	if (!err)
		err = drop_sessions(txn, username, 0, NULL, NULL);
	if (err) {
		store_abort(txn);
		return err;
	}
	return store_commit(txn);
}

enum zc_err admins_list_json(struct store *st, struct jbuf *out)
{
	struct store_txn *txn;
	struct store_iter *it;
	struct admin_account a;
	const void *k, *v;
	size_t kl, vl;
	bool first = true;
	char created[TIME_RFC3339_LEN];
	enum zc_err err = store_begin(st, false, &txn);
	if (err)
		return err;
	err = store_iter_new(txn, STORE_ADMINS, NULL, 0, false, &it);
	if (err) {
		store_abort(txn);
		return err;
	}
	jbuf_puts(out, "{\"accounts\":[");
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (!rec_admin_decode(v, vl, &a))
			continue;
		if (!first)
			jbuf_putc(out, ',');
		first = false;
		time_rfc3339(a.created_at, created);
		jbuf_putc(out, '{');
		jbuf_json_key(out, "username");
		jbuf_json_str(out, a.username);
		jbuf_json_key(out, "role");
		jbuf_json_str(out, rec_role_name(a.role));
		jbuf_json_key(out, "created_at");
		jbuf_json_str(out, created);
		jbuf_putc(out, '}');
	}
	jbuf_puts(out, "]}");
	sodium_memzero(&a, sizeof(a));
	store_iter_free(it);
	store_abort(txn);
	return ZC_OK;
}

enum zc_err admins_counts(struct store *st, uint64_t *accounts, uint64_t *sessions)
{
	struct store_txn *txn;
	enum zc_err err = store_begin(st, false, &txn);
	if (err)
		return err;
	err = store_count(txn, STORE_ADMINS, accounts);
	if (!err)
		err = store_count(txn, STORE_SESSIONS, sessions);
	store_abort(txn);
	return err;
}

static void put_be64(unsigned char out[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		out[i] = (unsigned char)v;
		v >>= 8;
	}
}

static uint64_t get_be64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

void admins_audit(struct store *st, const char *actor, const char *action, const char *target)
{
	struct store_txn *txn;
	const void *k;
	size_t kl;
	unsigned char key[8];
	uint64_t seq = 1;
	char at[TIME_RFC3339_LEN];
	struct jbuf e;
	enum zc_err err;

	if (store_begin(st, true, &txn) != ZC_OK)
		return;
	if (store_last(txn, STORE_AUDIT, &k, &kl) == ZC_OK && kl == 8)
		seq = get_be64(k) + 1;
	put_be64(key, seq);
	time_rfc3339(time_now_s(), at);
	jbuf_init(&e, 0);
	jbuf_puts(&e, "{\"seq\":");
	jbuf_json_int(&e, (int64_t)seq);
	jbuf_json_key(&e, "at");
	jbuf_json_str(&e, at);
	jbuf_json_key(&e, "actor");
	jbuf_json_str(&e, actor);
	jbuf_json_key(&e, "action");
	jbuf_json_str(&e, action);
	jbuf_json_key(&e, "target");
	jbuf_json_str(&e, target);
	jbuf_putc(&e, '}');
	err = store_put(txn, STORE_AUDIT, key, sizeof(key), jbuf_data(&e), e.len, true);
	if (err)
		store_abort(txn);
	else
		err = store_commit(txn);
	if (err)
		log_event(LOG_ERROR, "audit_failed", "action=%s error=\"%s\"", action,
			  zc_strerror(err));
	else
		log_event(LOG_INFO, "audit", "seq=%llu actor=%s action=%s", (unsigned long long)seq,
			  actor, action);
	jbuf_fini(&e);
}

enum zc_err admins_audit_json(struct store *st, unsigned limit, struct jbuf *out)
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	unsigned n = 0;
	enum zc_err err = store_begin(st, false, &txn);
	if (err)
		return err;
	err = store_iter_new(txn, STORE_AUDIT, NULL, 0, true, &it);
	if (err) {
		store_abort(txn);
		return err;
	}
	jbuf_puts(out, "{\"entries\":[");
	while (n < limit && store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (n++)
			jbuf_putc(out, ',');
		jbuf_put(out, v, vl); /* entries are stored as JSON we wrote ourselves */
	}
	jbuf_puts(out, "]}");
	store_iter_free(it);
	store_abort(txn);
	return ZC_OK;
}

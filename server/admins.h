/* Staff accounts (admin, animator, moderator): Argon2id password hashes,
 * session tokens with an expiry kept as keyed hashes, and the audit log of
 * every change an account makes. */
#ifndef ZC_ADMINS_H
#define ZC_ADMINS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "jbuf.h"
#include "node.h"
#include "records.h"

#define ADMINS_PASSWORD_MIN	  12
#define ADMINS_PASSWORD_MAX	  128
#define ADMINS_GENERATED_PASSWORD 25 /* 24 characters + NUL */

struct admin_login {
	char token[SECRETS_TOKEN_MAX];
	int64_t expires_at;
	enum rec_role role;
};

/* True when username is 3–32 characters of [a-z0-9._-]. */
bool admins_username_valid(const char *username);
/* Fills out with a random password of 24 characters (≈ 140 bits). */
void admins_generate_password(char out[ADMINS_GENERATED_PASSWORD]);

/* Creates an account (ZC_ERR_EXISTS when the username is taken). */
enum zc_err admins_create(struct store *st, const char *username, enum rec_role role,
			  const char *password);
/* Sets a new password and revokes every session of the account but the one
 * holding keep_token (NULL: revoke them all). */
enum zc_err admins_set_password(struct node *n, const char *username, const char *password,
				const char *keep_token);
/* Checks a password against the account's hash (ZC_ERR_DENIED when wrong or no account). */
enum zc_err admins_verify(struct node *n, const char *username, const char *password,
			  struct admin_account *out);
/* Opens a session for a verified account. */
enum zc_err admins_session_open(struct node *n, const struct admin_account *a,
				struct admin_login *out);
/* Resolves a session token: ZC_ERR_DENIED when unknown, ZC_ERR_EXPIRED when old
 * (the expired session is removed). */
enum zc_err admins_session_check(struct node *n, const char *token, struct admin_session *out);
/* Revokes the session holding this token. */
enum zc_err admins_session_close(struct node *n, const char *token);
/* Changes an account's role and ends its sessions (ZC_ERR_NOT_FOUND when none). */
enum zc_err admins_set_role(struct node *n, const char *username, enum rec_role role);
/* Deletes the sessions expired at `now`; *purged receives how many. */
enum zc_err admins_sessions_purge(struct store *st, int64_t now, unsigned *purged);
/* Deletes an account and its sessions. */
enum zc_err admins_delete(struct node *n, const char *username);
/* Appends {"accounts":[…]} to out. */
enum zc_err admins_list_json(struct store *st, struct jbuf *out);
/* Number of accounts and of open sessions. */
enum zc_err admins_counts(struct store *st, uint64_t *accounts, uint64_t *sessions);

/* Appends an audit entry (actor, action, target) in its own transaction. */
void admins_audit(struct store *st, const char *actor, const char *action, const char *target);
/* Appends {"entries":[…]} with the newest `limit` entries to out. */
enum zc_err admins_audit_json(struct store *st, unsigned limit, struct jbuf *out);

#endif

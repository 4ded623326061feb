/* Pseudonymous participants: registration, token authentication, profile
 * edits, recovery, erasure and export. No name, e-mail or phone number exists
 * in this model; tokens and recovery codes are kept only as keyed hashes. */
#ifndef ZC_PARTICIPANTS_H
#define ZC_PARTICIPANTS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "jbuf.h"
#include "node.h"
#include "records.h"

/* A profile change or a registration; unset fields are left alone. */
struct participant_edit {
	const char *nickname; /* NULL = unchanged */
	bool set_neighbourhood;
	const char *neighbourhood; /* with set_neighbourhood: NULL clears it */
	int household_size;	   /* 0 = unchanged */
	const char *lang;	   /* NULL = unchanged */
	int hidden;		   /* -1 = unchanged, else 0/1 */
	int weekly_goal;	   /* 0 = unchanged, else 1–21 */
};

/* What a new or recovered participant receives once. */
struct participant_secrets {
	char token[SECRETS_TOKEN_MAX];
	char recovery[SECRETS_RECOVERY_LEN];
};

/* Outcome detail for the HTTP layer: which field and why. */
struct participant_problem {
	const char *field;
	char message[160];
};

/* Registers a participant. ZC_ERR_INVALID (see *why), ZC_ERR_EXISTS (nickname
 * taken), ZC_ERR_STORE_FULL. */
enum zc_err participants_register(struct node *n, const struct participant_edit *in,
				  struct participant *out, struct participant_secrets *sec,
				  struct participant_problem *why);
/* Finds the participant holding a bearer token; ZC_ERR_DENIED when unknown. */
enum zc_err participants_auth(struct node *n, const char *token, struct participant *out);
/* Applies an edit to the participant with p->id; p is updated. */
enum zc_err participants_update(struct node *n, struct participant *p,
				const struct participant_edit *in, struct participant_problem *why);
/* Replaces token and recovery code of the holder of a recovery code. */
enum zc_err participants_recover(struct node *n, const char *code, struct participant *out,
				 struct participant_secrets *sec);
/* Erases every row of the participant with this id. */
enum zc_err participants_erase(struct node *n, const unsigned char *id);
/* Loads one participant by id. */
enum zc_err participants_get(struct node *n, const unsigned char *id, struct participant *out);

/* Appends the public profile object {"id",…} to out. */
void participants_profile_json(const struct participant *p, struct jbuf *out);
/* Appends the export document of p to out. */
void participants_export_json(struct node *n, const struct participant *p, struct jbuf *out);

/* Checks nickname form and deny-list and folds it (cap ≥ NICKNAME_FOLD_CAP). */
enum zc_err participants_check_nickname(struct node *n, const char *nickname, char *folded,
					size_t cap, struct participant_problem *why);

/* Maps a token hash to participant or admin `id`, inside the caller's write
 * transaction (refused if the hash exists). */
struct store_txn;
enum zc_err participants_put_token(struct store_txn *txn, const unsigned char *hash,
				   enum rec_token_kind kind, const unsigned char *id);

#endif

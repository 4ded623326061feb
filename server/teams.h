/* Teams: households, associations and neighbourhood teams. Create, invite by
 * code, join, leave, hand over the captaincy, remove a member. A participant
 * is in at most one team of each kind. Invite codes are stored sealed with a
 * key derived from the node secret (members see them again) and found by a
 * keyed hash. Every change is mirrored in the boards after its commit. */
#ifndef ZC_TEAMS_H
#define ZC_TEAMS_H

#include <stdbool.h>

#include "board.h"
#include "err.h"
#include "jbuf.h"
#include "records_challenge.h"

struct node;
struct store_txn;

#define TEAM_NAME_MIN 3
#define TEAM_NAME_MAX 40

/* Why a team operation was refused: an HTTP status and an error code. */
struct team_problem {
	int status;
	const char *code;
	const char *message;
};

/* Team ids on the wire: 16 lowercase hex characters. */
void teams_id_hex(const unsigned char id[REC_TEAM_ID_BYTES], char out[2 * REC_TEAM_ID_BYTES + 1]);
bool teams_id_parse(const char *hex, unsigned char id[REC_TEAM_ID_BYTES]);
/* Members of a team of this kind at most. */
unsigned teams_capacity(enum team_kind kind);

/* Each returns ZC_OK, or ZC_ERR_INVALID with *why filled, or a store error. */
enum zc_err teams_create(struct node *n, const unsigned char *pid, const char *name,
			 enum team_kind kind, unsigned char team[REC_TEAM_ID_BYTES],
			 struct team_problem *why);
enum zc_err teams_join(struct node *n, const unsigned char *pid, const char *code,
		       unsigned char team[REC_TEAM_ID_BYTES], struct team_problem *why);
enum zc_err teams_leave(struct node *n, const unsigned char *pid,
			const unsigned char team[REC_TEAM_ID_BYTES], struct team_problem *why);
/* Captain only: a fresh invite code (the old one stops working). */
enum zc_err teams_new_invite(struct node *n, const unsigned char *pid,
			     const unsigned char team[REC_TEAM_ID_BYTES], char code[16],
			     struct team_problem *why);
enum zc_err teams_set_captain(struct node *n, const unsigned char *pid,
			      const unsigned char team[REC_TEAM_ID_BYTES],
			      const unsigned char *member, struct team_problem *why);
enum zc_err teams_remove_member(struct node *n, const unsigned char *pid,
				const unsigned char team[REC_TEAM_ID_BYTES],
				const unsigned char *member, struct team_problem *why);

/* Staff moderation: rename a team (name rules, deny-list, unique per kind;
 * *changed is false when it already had this exact name) or delete it with all
 * its memberships. */
enum zc_err teams_rename(struct node *n, const unsigned char team[REC_TEAM_ID_BYTES],
			 const char *name, struct team_problem *why, bool *changed);
enum zc_err teams_delete(struct node *n, const unsigned char team[REC_TEAM_ID_BYTES],
			 struct team_problem *why);
/* Appends {"teams":[…]}: teams whose folded name starts with q ("" or NULL:
 * all), by kind then name, at most limit. */
enum zc_err teams_list_json(struct node *n, const char *q, size_t limit, struct jbuf *out);

/* A team as JSON; members of it (viewer in it) also get the member list and
 * the invite code. ZC_ERR_NOT_FOUND for an unknown team. */
enum zc_err teams_json(struct node *n, const unsigned char team[REC_TEAM_ID_BYTES],
		       const unsigned char *viewer, struct jbuf *out);
/* Appends {"teams":[…]} of the participant's teams to out. */
enum zc_err teams_mine_json(struct node *n, const unsigned char *pid, struct jbuf *out);
/* Takes a participant out of all their teams (erasure), inside the caller's
 * transaction; *left receives the teams (at most TEAM_KIND__COUNT) and
 * *deleted which of them were deleted, for the boards after the commit. */
enum zc_err teams_erase(struct node *n, struct store_txn *txn, const unsigned char *pid,
			unsigned char left[TEAM_KIND__COUNT][REC_TEAM_ID_BYTES], bool deleted[],
			int *count);

#endif

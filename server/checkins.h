/* Check-ins: validated on the loop (action in use, date in the season, not in
 * the future, at most 7 days back), then written through the write queue —
 * idempotent per action and period, credited under the week's caps, counted
 * into the season's progress — and acknowledged only after the batch commit.
 * Also the participant's progress and check-in history as JSON. */
#ifndef ZC_CHECKINS_H
#define ZC_CHECKINS_H

#include <stdbool.h>
#include <stdint.h>

#include "actions.h"
#include "err.h"
#include "jbuf.h"
#include "records.h"

struct node;
struct store_txn;
struct wq_job;

#define CHECKINS_MAX_AGE_DAYS 7

/* A validated check-in, ready to queue. */
struct checkin_req {
	unsigned char pid[SECRETS_ID_BYTES];
	struct action action;
	int64_t day;
	char season[REC_SEASON_ID_BYTES];
	int64_t season_start;  /* the season's first day */
	int64_t season_monday; /* Monday of the season's first ISO week */
};

/* Why a check-in was refused before queueing. */
struct checkin_problem {
	int status;	  /* HTTP status */
	const char *code; /* error code */
	const char *message;
};

/* Called on the loop once the check-in's batch committed (or failed): the
 * HTTP status, an error code for failures, and the body (the check-in, or
 * for 409 the existing one). */
typedef void (*checkin_reply_fn)(void *owner, int status, const char *code,
				 const struct jbuf *body);

/* Checks a check-in request; date NULL means today. */
bool checkins_validate(struct node *n, const unsigned char *pid, const char *action_id,
		       const char *date, struct checkin_req *out, struct checkin_problem *why);
/* Queues a validated check-in; reply(owner, …) runs after its commit unless
 * the returned job's owner was cleared meanwhile. */
struct wq_job *checkins_submit(struct node *n, const struct checkin_req *req,
			       checkin_reply_fn reply, void *owner);

/* Appends the participant's progress object (GET /me/progress) to out. */
enum zc_err checkins_progress_json(struct node *n, const unsigned char *pid, struct jbuf *out);
/* Appends {"checkins":[…]} newest first: the week's (week != 0) or all, at
 * most limit (0: no limit, for the export). */
enum zc_err checkins_list_json(struct node *n, const unsigned char *pid, uint32_t week,
			       size_t limit, struct jbuf *out);
/* Deletes every check-in, week and progress row of a participant (erasure),
 * inside the caller's write transaction. */
enum zc_err checkins_erase(struct store_txn *txn, const unsigned char *pid);
/* Marks a season-wide achievement (a footprint saved, a weigh-in week, a team
 * joined) in the participant's progress, inside the caller's transaction. */
enum progress_event { PROGRESS_FOOTPRINT, PROGRESS_WEIGHED_WEEK, PROGRESS_TEAM };
enum zc_err checkins_progress_event(struct node *n, struct store_txn *txn, const unsigned char *pid,
				    enum progress_event ev);
/* Awards the badges progress p now deserves, dated `now`; returns the new ones.
 * The seeder of tests/load uses it to replay a season as the node would. */
struct rec_progress;
uint32_t checkins_award(struct rec_progress *p, int64_t now);
/* Adds points earned elsewhere (a workshop quiz) to pid's progress of the
 * current season, inside txn; nothing when there is no current season. The
 * caller moves the boards (board_scores_add) once txn committed. */
enum zc_err checkins_bonus(struct node *n, struct store_txn *txn, const unsigned char *pid,
			   uint32_t points);

#endif

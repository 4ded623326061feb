/* The node's side of zcfed/1 (design §6): its signing identity, its weekly
 * statements (privacy mechanisms in dp.c), the logs it holds (fedlog.c), the
 * peers it talks to (fedsync.c) and the inter-city leaderboard computed from
 * verified statements. Runs on the loop; only fedsync's thread runs beside
 * it. Disabled (every entry point a no-op or 404) when fed_origin is "". */
#ifndef ZC_FEDERATION_H
#define ZC_FEDERATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "jbuf.h"

struct node;

/* Loads the identity key when federation is configured (n->fed stays NULL
 * otherwise, and the intercity board shows no city). */
enum zc_err fed_open(struct node *n);
/* Starts talking to peers (needs n->lws_context, to be woken). */
void fed_start(struct node *n);
/* Stops the sync thread (before the lws context goes). */
void fed_stop(struct node *n);
void fed_close(struct node *n);
bool fed_enabled(const struct node *n);

/* Every second: publishes the last closed ISO week if it is not yet. */
void fed_tick(struct node *n);
/* After each loop pass: verifies and stores what the sync thread pulled. */
void fed_drain(struct node *n);

/* After each loop pass: republishes the intercity channel when statements
 * were stored since the last time. */
void fed_board_refresh(struct node *n);

/* The paths of the federation TLS certificate and key. */
void fed_tls_paths(const struct node *n, char *cert, char *key, size_t cap);

/* Handlers; each returns the HTTP status and fills out (a body, or the error's
 * code and message when the status is not 2xx). */
struct fed_answer {
	const char *code;
	char message[160];
};
/* POST /zcfed/1/inbox from peer index `peer`. */
int fed_inbox(struct node *n, int peer, const char *body, size_t len, struct jbuf *out,
	      struct fed_answer *why);
/* GET /zcfed/1/log/{origin}/entries?after=&limit= from peer index `peer`. */
int fed_log_page(struct node *n, int peer, const char *origin, uint64_t after, unsigned limit,
		 struct jbuf *out, struct fed_answer *why);
/* Publishes ISO week `week` (year*100+week), a closed week, on an admin's
 * request: 201 with the statement, or 409 already_published /
 * privacy_budget_exhausted, 422 week_not_closed / population_unset. */
int fed_publish(struct node *n, uint32_t week, struct jbuf *out, struct fed_answer *why);
/* The inter-city leaderboard (GET /api/v1/intercity, channel `intercity`). */
void fed_intercity_json(struct node *n, struct jbuf *out);
/* The federation's state for admins: identity, peers, heads, ledger, proofs. */
enum zc_err fed_status_json(struct node *n, struct jbuf *out);

#endif

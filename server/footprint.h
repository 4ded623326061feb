/* Footprint snapshots: the totals the participant's device computed with the
 * Nos Gestes Climat model (the answers never reach the node), checked for
 * ranges and consistency, kept over time (the last FOOTPRINT_KEEP). */
#ifndef ZC_FOOTPRINT_H
#define ZC_FOOTPRINT_H

#include "err.h"
#include "jbuf.h"
#include "records_challenge.h"

struct node;
struct store_txn;

#define FOOTPRINT_KEEP	      100
#define FOOTPRINT_TOTAL_MIN_G 100000	/* 0.1 t a year */
#define FOOTPRINT_TOTAL_MAX_G 100000000 /* 100 t a year */
#define FOOTPRINT_SUM_SLACK_G 5		/* rounding of five categories */

/* The categories in the order of the API and of rec_footprint.cat_g. */
extern const char *const footprint_categories[REC_FOOTPRINT_CATS];

/* Checks and stores a snapshot (f->at_us is set); ZC_ERR_INVALID with *why. */
enum zc_err footprint_add(struct node *n, const unsigned char *pid, struct rec_footprint *f,
			  const char **why);
/* Appends {"latest":…,"history":[…]} to out. */
enum zc_err footprint_json(struct node *n, const unsigned char *pid, struct jbuf *out);
/* Appends one snapshot object to out. */
void footprint_snapshot_json(const struct rec_footprint *f, struct jbuf *out);
/* Deletes every snapshot of a participant inside the caller's transaction. */
enum zc_err footprint_erase(struct store_txn *txn, const unsigned char *pid);

#endif

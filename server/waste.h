/* The waste log: one weigh-in per household, stream and ISO week (a second one
 * replaces the first and counts as an edit), per-person figures from the
 * household size of the time, the participant's own baseline and change, and
 * the reference figures an administrator keeps up to date. */
#ifndef ZC_WASTE_H
#define ZC_WASTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "jbuf.h"
#include "records_challenge.h"

struct node;
struct store_txn;

#define WASTE_STREAM_MAX_G     100000 /* 100 kg per household and week */
#define WASTE_BASELINE_WEEKS   3
#define WASTE_RECENT_WEEKS     3 /* compared with the baseline */
#define WASTE_PROJECTION_WEEKS 4 /* projected to a year */

extern const char
    *const waste_streams[REC_WASTE_STREAMS]; /* residual, recyclables, glass, biowaste */

/* One weighed week, for the summary. */
struct waste_week {
	uint32_t week;
	uint32_t total_g;
	uint8_t household_size;
};

struct waste_summary {
	bool has_baseline;
	uint32_t baseline_per_person_g; /* mean per-person week of the first 3 weeks */
	bool has_change;
	int32_t change_pct; /* last weeks after the baseline vs the baseline */
	bool has_projection;
	uint32_t per_person_year_kg; /* last 4 weeks, projected to 52 */
};

/* The participant's summary from weeks in chronological order. Pure. */
void waste_summary(const struct waste_week *weeks, size_t n, struct waste_summary *out);

/* Records a weigh-in; streams[i] is REC_NO_WEIGHT when not given. *created
 * tells a new week from an edit. ZC_ERR_INVALID with *why and the error *code
 * (invalid_field, date_in_future or outside_season). */
enum zc_err waste_record(struct node *n, const unsigned char *pid, uint32_t week,
			 const uint32_t streams[REC_WASTE_STREAMS], bool *created, const char **why,
			 const char **code);
/* Appends one week object (as in GET /me/waste) for `week` to out. */
enum zc_err waste_week_json(struct node *n, const unsigned char *pid, uint32_t week,
			    struct jbuf *out);
/* Appends the whole log with summary and references to out. */
enum zc_err waste_json(struct node *n, const unsigned char *pid, struct jbuf *out);
/* Deletes a participant's weigh-ins inside the caller's transaction. */
enum zc_err waste_erase(struct store_txn *txn, const unsigned char *pid);

/* Reference figures: the public list, one created or replaced, one deleted,
 * and the defaults added by the schema migration. */
enum zc_err waste_references_json(struct node *n, struct jbuf *out);
enum zc_err waste_reference_put(struct node *n, const struct rec_reference *r, const char **why);
enum zc_err waste_reference_delete(struct node *n, const char *id);
enum zc_err waste_references_seed(struct store_txn *txn);

#endif

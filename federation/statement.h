/* zcfed/1 weekly statements: the payload a city signs once per ISO week (its
 * noisy aggregates and how they were made), as canonical JSON. Pure: no
 * store, no network. The wire format is docs/federation.md §Statements. */
#ifndef ZC_STATEMENT_H
#define ZC_STATEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "dp.h"
#include "dsse.h"
#include "jbuf.h"

#define STMT_VERSION	 1
#define STMT_HASH_BYTES	 32
#define STMT_CITY_MAX	 129
#define STMT_SEASON_MAX	 33
#define STMT_PAYLOAD_MAX 8192 /* a statement's payload, bytes (ours are ~700) */

struct fed_stmt {
	char origin[CONFIG_ORIGIN_MAX];
	char city[STMT_CITY_MAX];	     /* display name, e.g. "Issy-les-Moulineaux" */
	uint64_t seq;			     /* 1, 2, … per origin */
	unsigned char prev[STMT_HASH_BYTES]; /* SHA-256 of the previous payload; zeros at seq 1 */
	int64_t issued_at;		     /* Unix seconds */
	char keyid[DSSE_KEYID_LEN + 1];
	char season[STMT_SEASON_MAX]; /* the city's season of that week, "" when none */
	uint32_t week;		      /* ISO week, year * 100 + week */
	uint32_t population;
	bool suppressed; /* noisy active count under suppress_below: no metrics */
	int64_t metric[DP_METRICS];
	struct dp_metric privacy[DP_METRICS]; /* clip and ε of each metric */
	uint32_t suppress_below;
};

/* The canonical payload of s (appended to out). */
bool stmt_encode(const struct fed_stmt *s, struct jbuf *out);
/* Parses and checks a payload: canonical JSON with exactly the fields of
 * version 1, each of the right type and range. NULL when good, else the
 * rejection code (e.g. "payload_not_canonical", "bad_statement"); *detail
 * (may be NULL) names the field. */
const char *stmt_decode(const unsigned char *payload, size_t n, struct fed_stmt *out,
			const char **detail);
/* SHA-256 of payload bytes: what the next statement's prev holds. */
void stmt_hash(const unsigned char *payload, size_t n, unsigned char out[STMT_HASH_BYTES]);

#endif

/* The statement logs a node holds: its own city's and every peer city's,
 * each an append-only hash chain (seq 1, 2, … each naming the SHA-256 of the
 * previous payload). Offering an envelope verifies it completely — canonical
 * envelope and payload, a pinned key of its origin, the signature, the
 * chain — and stores it, or says why not. The same path stores the node's own
 * statements, so ours are checked exactly as a peer will check them. */
#ifndef ZC_FEDLOG_H
#define ZC_FEDLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "canon.h"
#include "config.h"
#include "err.h"
#include "jbuf.h"
#include "statement.h"

struct store;
struct store_txn;

#define FED_FUTURE_SKEW_S 300 /* issued_at may be at most this far ahead */
#define FED_PAGE_MAX	  100 /* entries per log page */
#define FED_BATCH_MAX	  100 /* envelopes per inbox request */
#define FED_BODY_MAX	  (1u << 20)

/* Who may sign for which origin: our own key for our origin, the pinned keys
 * of each configured peer for theirs. */
struct fed_trust {
	const struct zc_config *cfg;
	unsigned char own_pk[32];
	/* Our other keys during and after a rotation: the next one (statements
	 * are then signed by both) and the previous one (our older statements). */
	unsigned char own_other[2][32];
	unsigned n_own_other;
};

enum fed_result { FED_ACCEPTED, FED_DUPLICATE, FED_CONFLICT, FED_REJECTED };

struct fed_outcome {
	enum fed_result result;
	const char *code;   /* why, for conflict and rejected ("gap", "bad_signature"…) */
	const char *detail; /* for a payload refused: the field, or the canonical-JSON
			       error; NULL or "" otherwise (static strings) */
	char origin[CONFIG_ORIGIN_MAX];
	uint64_t seq;
	uint32_t week;
};

/* An origin's head: the highest seq held (all below it are held too). */
struct fed_head {
	char origin[CONFIG_ORIGIN_MAX];
	uint64_t seq;
	unsigned char hash[STMT_HASH_BYTES]; /* of the head payload */
	int64_t updated_at;		     /* when the head last moved (our clock) */
	bool equivocated;		     /* it signed two different statements for one seq
						or week: shown to admins */
};

const char *fed_result_name(enum fed_result r);

/* Verifies envelope env (a parsed canonical value) and stores it in txn.
 * Never fails for bad input: the outcome says what happened. ZC_OK unless the
 * store failed. A conflict stores the proof (both envelopes) and flags the
 * origin. */
enum zc_err fedlog_offer(struct store_txn *txn, const struct fed_trust *trust,
			 const struct canon_value *env, int64_t now, struct fed_outcome *out);

/* The head of origin (seq 0 and a zero hash when none). */
enum zc_err fedlog_head(struct store_txn *txn, const char *origin, struct fed_head *out);
/* Calls fn for every origin the node holds a log of, by name. */
enum zc_err fedlog_heads(struct store_txn *txn, void (*fn)(const struct fed_head *h, void *arg),
			 void *arg);
/* Appends {"entries":[envelope…],"head":N,"origin":"…"} — canonical — with at
 * most limit entries of origin after seq `after`. */
enum zc_err fedlog_page(struct store_txn *txn, const char *origin, uint64_t after, unsigned limit,
			struct jbuf *out);
/* The envelope bytes of (origin, seq), appended to out; ZC_ERR_NOT_FOUND. */
enum zc_err fedlog_entry(struct store_txn *txn, const char *origin, uint64_t seq, struct jbuf *out);
/* Calls fn with every statement of origin, in seq order. */
enum zc_err fedlog_each(struct store_txn *txn, const char *origin,
			void (*fn)(const struct fed_stmt *s, void *arg), void *arg);
/* Appends the equivocation proofs as a JSON array of
 * {"origin","seq","envelopes":[a,b]}. */
enum zc_err fedlog_equivocations_json(struct store_txn *txn, struct jbuf *out);

/* The privacy ledger: ε (thousandths) spent on releases dated in ISO year. */
enum zc_err fedlog_ledger_get(struct store_txn *txn, uint32_t year, uint64_t *spent_milli);
enum zc_err fedlog_ledger_add(struct store_txn *txn, uint32_t year, uint64_t milli);
/* The seq of origin's statement for ISO week `week`, ZC_ERR_NOT_FOUND when none. */
enum zc_err fedlog_week_seq(struct store_txn *txn, const char *origin, uint32_t week,
			    uint64_t *seq);

#endif

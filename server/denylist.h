/* The nickname deny-list: folded words kept in the store, seeded at init with
 * the default list, extended and trimmed by moderators. */
#ifndef ZC_DENYLIST_H
#define ZC_DENYLIST_H

#include <stdbool.h>

#include "err.h"
#include "jbuf.h"

struct store;
struct store_txn;

#define DENYLIST_WORD_MIN 2
#define DENYLIST_WORD_MAX 32

/* True when the folded nickname contains a deny-listed word. */
bool denylist_match(struct store_txn *txn, const char *folded);
/* Adds the default words (inside an open write transaction). */
enum zc_err denylist_seed(struct store_txn *txn);
/* Folds word and adds it; `folded` (≥ 66 bytes) receives the stored form. A
 * word starting with '=' matches only a whole nickname; any other matches as a
 * part of one. ZC_ERR_INVALID when it folds to fewer than 2 or more than 32
 * characters. */
enum zc_err denylist_add(struct store *st, const char *word, char *folded, size_t cap);
/* Removes a word (folded first); ZC_ERR_NOT_FOUND when absent. */
enum zc_err denylist_remove(struct store *st, const char *word);
/* Appends {"words":[…]} to out. */
enum zc_err denylist_list_json(struct store *st, struct jbuf *out);

#endif

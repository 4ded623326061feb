/* An ordered index for leaderboards: entries (score, 16-byte key) kept in
 * descending score order, ties by ascending key, in a treap whose nodes count
 * their subtree, so insert, remove, rank and the n-th entry all take O(log n).
 * Pure: no store, no libwebsockets. */
#ifndef ZC_LBINDEX_H
#define ZC_LBINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LBINDEX_KEY 16

struct lbindex;

struct lbindex_entry {
	int64_t score;
	unsigned char key[LBINDEX_KEY];
	size_t rank; /* 1-based; equal scores share a rank (1, 1, 3) */
};

struct lbindex *lbindex_new(void);
void lbindex_free(struct lbindex *ix);

/* Adds (score, key); false when exactly that entry is already there. */
bool lbindex_insert(struct lbindex *ix, int64_t score, const unsigned char key[LBINDEX_KEY]);
/* Removes (score, key); false when it is not there. */
bool lbindex_remove(struct lbindex *ix, int64_t score, const unsigned char key[LBINDEX_KEY]);
/* Number of entries. */
size_t lbindex_count(const struct lbindex *ix);
/* The rank a score has (1 + entries with a strictly higher score), whether or
 * not an entry with it is in the index. */
size_t lbindex_rank(const struct lbindex *ix, int64_t score);
/* Fills out[0..n) with the entries of positions [from, from + n) in order
 * (0 = first); returns how many were filled. */
size_t lbindex_range(const struct lbindex *ix, size_t from, size_t n, struct lbindex_entry *out);

#endif

/* Treap over a node pool addressed by 32-bit indices (fewer pointers, one
 * allocation that grows by doubling). Priorities come from a xorshift
 * generator: the shape is random, so no insertion order degrades it. */
#include <stdlib.h>
#include <string.h>

#include "lbindex.h"

#define NIL UINT32_MAX

struct node {
	int64_t score;
	unsigned char key[LBINDEX_KEY];
	uint32_t prio;
	uint32_t left, right;
	uint32_t size; /* nodes in this subtree */
};

struct lbindex {
	struct node *pool;
	uint32_t cap, used;
	uint32_t free_list; /* through .left */
	uint32_t root;
	uint32_t rng;
};

struct lbindex *lbindex_new(void)
{
	struct lbindex *ix = calloc(1, sizeof(*ix));
	if (!ix)
		abort();
	ix->root = NIL;
	ix->free_list = NIL;
	ix->rng = 0x9e3779b9u;
	return ix;
}

void lbindex_free(struct lbindex *ix)
{
	if (!ix)
		return;
	free(ix->pool);
	free(ix);
}

static uint32_t next_prio(struct lbindex *ix)
{
	uint32_t x = ix->rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	ix->rng = x;
	return x;
}

/* Order: higher score first, then lower key. <0 when (s, k) comes before n. */
static int cmp(int64_t s, const unsigned char *k, const struct node *n)
{
	if (s != n->score)
		return s > n->score ? -1 : 1;
	return memcmp(k, n->key, LBINDEX_KEY);
}

static uint32_t size_of(const struct lbindex *ix, uint32_t i)
{
	return i == NIL ? 0 : ix->pool[i].size;
}

static void fix(struct lbindex *ix, uint32_t i)
{
	struct node *n = &ix->pool[i];
	n->size = 1 + size_of(ix, n->left) + size_of(ix, n->right);
}

/* Splits t into (< (s,k)) and (≥ (s,k)). */
static void split(struct lbindex *ix, uint32_t t, int64_t s, const unsigned char *k, uint32_t *l,
		  uint32_t *r)
{
	if (t == NIL) {
		*l = *r = NIL;
		return;
	}
	if (cmp(s, k, &ix->pool[t]) <= 0) {
		split(ix, ix->pool[t].left, s, k, l, &ix->pool[t].left);
		*r = t;
	} else {
		split(ix, ix->pool[t].right, s, k, &ix->pool[t].right, r);
		*l = t;
	}
	fix(ix, t);
}

static uint32_t merge(struct lbindex *ix, uint32_t l, uint32_t r)
{
	if (l == NIL)
		return r;
	if (r == NIL)
		return l;
	if (ix->pool[l].prio > ix->pool[r].prio) {
		ix->pool[l].right = merge(ix, ix->pool[l].right, r);
		fix(ix, l);
		return l;
	}
	ix->pool[r].left = merge(ix, l, ix->pool[r].left);
	fix(ix, r);
	return r;
}

static bool contains(const struct lbindex *ix, int64_t s, const unsigned char *k)
{
	uint32_t t = ix->root;
	while (t != NIL) {
		int c = cmp(s, k, &ix->pool[t]);
		if (c == 0)
			return true;
		t = c < 0 ? ix->pool[t].left : ix->pool[t].right;
	}
	return false;
}

static uint32_t alloc_node(struct lbindex *ix)
{
	if (ix->free_list != NIL) {
		uint32_t i = ix->free_list;
		ix->free_list = ix->pool[i].left;
		return i;
	}
	if (ix->used == ix->cap) {
		uint32_t cap = ix->cap ? ix->cap * 2 : 256;
		if (cap <= ix->cap || cap >= NIL)
			abort();
		struct node *p = realloc(ix->pool, (size_t)cap * sizeof(*p));
		if (!p)
			abort();
		ix->pool = p;
		ix->cap = cap;
	}
	return ix->used++;
}

bool lbindex_insert(struct lbindex *ix, int64_t score, const unsigned char key[LBINDEX_KEY])
{
	uint32_t l, r, i;
	if (contains(ix, score, key))
		return false;
	i = alloc_node(ix);
	struct node *n = &ix->pool[i];
	n->score = score;
	memcpy(n->key, key, LBINDEX_KEY);
	n->prio = next_prio(ix);
	n->left = n->right = NIL;
	n->size = 1;
	split(ix, ix->root, score, key, &l, &r);
	ix->root = merge(ix, merge(ix, l, i), r);
	return true;
}

/* Removes the node equal to (s, k) from subtree t; returns the new subtree. */
static uint32_t erase(struct lbindex *ix, uint32_t t, int64_t s, const unsigned char *k,
		      bool *found)
{
	if (t == NIL)
		return NIL;
	int c = cmp(s, k, &ix->pool[t]);
	if (c == 0) {
		uint32_t rest = merge(ix, ix->pool[t].left, ix->pool[t].right);
		ix->pool[t].left = ix->free_list;
		ix->free_list = t;
		*found = true;
		return rest;
	}
	if (c < 0)
		ix->pool[t].left = erase(ix, ix->pool[t].left, s, k, found);
	else
		ix->pool[t].right = erase(ix, ix->pool[t].right, s, k, found);
	fix(ix, t);
	return t;
}

bool lbindex_remove(struct lbindex *ix, int64_t score, const unsigned char key[LBINDEX_KEY])
{
	bool found = false;
	ix->root = erase(ix, ix->root, score, key, &found);
	return found;
}

size_t lbindex_count(const struct lbindex *ix)
{
	return size_of(ix, ix->root);
}

size_t lbindex_rank(const struct lbindex *ix, int64_t score)
{
	size_t above = 0;
	uint32_t t = ix->root;
	while (t != NIL) {
		const struct node *n = &ix->pool[t];
		if (n->score > score) {
			above += 1 + size_of(ix, n->left);
			t = n->right;
		} else {
			t = n->left;
		}
	}
	return above + 1;
}

/* The node at position pos (0-based) in order. */
static uint32_t nth(const struct lbindex *ix, size_t pos)
{
	uint32_t t = ix->root;
	while (t != NIL) {
		size_t ls = size_of(ix, ix->pool[t].left);
		if (pos < ls) {
			t = ix->pool[t].left;
		} else if (pos == ls) {
			return t;
		} else {
			pos -= ls + 1;
			t = ix->pool[t].right;
		}
	}
	return NIL;
}

size_t lbindex_range(const struct lbindex *ix, size_t from, size_t n, struct lbindex_entry *out)
{
	size_t got = 0;
	for (; got < n && from + got < lbindex_count(ix); got++) {
		const struct node *nd = &ix->pool[nth(ix, from + got)];
		out[got].score = nd->score;
		memcpy(out[got].key, nd->key, LBINDEX_KEY);
		/* Ties share the rank of the first entry with that score. */
		if (got > 0 && out[got - 1].score == nd->score)
			out[got].rank = out[got - 1].rank;
		else
			out[got].rank = lbindex_rank(ix, nd->score);
	}
	return got;
}

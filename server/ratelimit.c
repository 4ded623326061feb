/* Token buckets per client address. The table is bounded: a hash index over a
 * pool of entries with an LRU list, so an attacker cycling through addresses
 * costs a fixed amount of memory and only pushes out the idlest keys. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"

#define NIL UINT32_MAX

struct rl_entry {
	char key[RATELIMIT_KEY_MAX];
	uint64_t milli;	  /* tokens × 1000, so refill needs no floating point */
	uint64_t last_ms; /* when milli was last brought up to date */
	uint32_t chain;	  /* next entry in the same hash bucket */
	uint32_t newer, older;
};

struct ratelimit {
	unsigned burst;
	uint64_t interval_ms;
	size_t max_keys, used, cap;
	struct rl_entry *pool;
	uint32_t *buckets;
	size_t nbuckets; /* power of two */
	uint32_t newest, oldest;
};

struct ratelimit *ratelimit_new(unsigned burst, uint64_t interval_ms, size_t max_keys)
{
	struct ratelimit *rl;
	if (burst == 0 || interval_ms == 0 || max_keys == 0 || max_keys >= NIL)
		return NULL;
	rl = calloc(1, sizeof(*rl));
	if (!rl)
		abort();
	rl->burst = burst;
	rl->interval_ms = interval_ms;
	rl->max_keys = max_keys;
	rl->nbuckets = 16;
	while (rl->nbuckets < max_keys)
		rl->nbuckets *= 2;
	rl->buckets = malloc(rl->nbuckets * sizeof(*rl->buckets));
	if (!rl->buckets)
		abort();
	for (size_t i = 0; i < rl->nbuckets; i++)
		rl->buckets[i] = NIL;
	rl->newest = rl->oldest = NIL;
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	free(rl->pool);
	free(rl->buckets);
	free(rl);
}

static size_t bucket_of(const struct ratelimit *rl, const char *key)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)(h & (rl->nbuckets - 1));
}

static void lru_unlink(struct ratelimit *rl, uint32_t i)
{
	struct rl_entry *e = &rl->pool[i];
	if (e->newer != NIL)
		rl->pool[e->newer].older = e->older;
	else
		rl->newest = e->older;
	if (e->older != NIL)
		rl->pool[e->older].newer = e->newer;
	else
		rl->oldest = e->newer;
}

static void lru_push(struct ratelimit *rl, uint32_t i)
{
	struct rl_entry *e = &rl->pool[i];
	e->newer = NIL;
	e->older = rl->newest;
	if (rl->newest != NIL)
		rl->pool[rl->newest].newer = i;
	rl->newest = i;
	if (rl->oldest == NIL)
		rl->oldest = i;
}

static void bucket_remove(struct ratelimit *rl, uint32_t i)
{
	uint32_t *link = &rl->buckets[bucket_of(rl, rl->pool[i].key)];
	while (*link != NIL && *link != i)
		link = &rl->pool[*link].chain;
	if (*link == i)
		*link = rl->pool[i].chain;
}

/* A fresh entry for key: a new slot while the pool may grow, else the LRU one. */
static uint32_t entry_new(struct ratelimit *rl, const char *key, uint64_t now_ms)
{
	uint32_t i;
	if (rl->used < rl->max_keys) {
		if (rl->used == rl->cap) {
			size_t cap = rl->cap ? rl->cap * 2 : 64;
			if (cap > rl->max_keys)
				cap = rl->max_keys;
			struct rl_entry *pool = realloc(rl->pool, cap * sizeof(*pool));
			if (!pool)
				abort();
			rl->pool = pool;
			rl->cap = cap;
		}
		i = (uint32_t)rl->used++;
	} else {
		i = rl->oldest;
		bucket_remove(rl, i);
		lru_unlink(rl, i);
	}
	struct rl_entry *e = &rl->pool[i];
	memset(e, 0, sizeof(*e));
	size_t l = strlen(key);
	if (l >= sizeof(e->key))
		l = sizeof(e->key) - 1;
	memcpy(e->key, key, l);
	e->milli = (uint64_t)rl->burst * 1000;
	e->last_ms = now_ms;
	size_t b = bucket_of(rl, e->key);
	e->chain = rl->buckets[b];
	rl->buckets[b] = i;
	lru_push(rl, i);
	return i;
}

static uint64_t use(struct ratelimit *rl, const char *key, uint64_t now_ms, bool take)
{
	char k[RATELIMIT_KEY_MAX];
	size_t l = strlen(key);
	if (l >= sizeof(k))
		l = sizeof(k) - 1;
	memcpy(k, key, l);
	k[l] = '\0';

	uint32_t i = rl->buckets[bucket_of(rl, k)];
	while (i != NIL && strcmp(rl->pool[i].key, k) != 0)
		i = rl->pool[i].chain;
	if (i == NIL) {
		i = entry_new(rl, k, now_ms);
	} else {
		lru_unlink(rl, i);
		lru_push(rl, i);
	}
	struct rl_entry *e = &rl->pool[i];
	uint64_t full = (uint64_t)rl->burst * 1000;
	if (now_ms > e->last_ms) {
		uint64_t add = (now_ms - e->last_ms) * 1000 / rl->interval_ms;
		e->milli = e->milli + add > full ? full : e->milli + add;
		/* Keep the remainder of a partial token for the next call. */
		if (e->milli < full)
			e->last_ms += add * rl->interval_ms / 1000;
		else
			e->last_ms = now_ms;
	}
	if (e->milli >= 1000) {
		if (take)
			e->milli -= 1000;
		return 0;
	}
	uint64_t wait = ((1000 - e->milli) * rl->interval_ms + 999) / 1000;
	return wait ? wait : 1;
}

uint64_t ratelimit_take(struct ratelimit *rl, const char *key, uint64_t now_ms)
{
	return use(rl, key, now_ms, true);
}

uint64_t ratelimit_peek(struct ratelimit *rl, const char *key, uint64_t now_ms)
{
	return use(rl, key, now_ms, false);
}

/* Token-bucket rate limits per key (a client address), with a bounded number of
 * keys: when the table is full the least recently used key is forgotten. */
#ifndef ZC_RATELIMIT_H
#define ZC_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#define RATELIMIT_KEY_MAX 64 /* longer keys are truncated */

struct ratelimit;

/* A limiter granting `burst` requests at once and one more every
 * `interval_ms`, remembering at most `max_keys` keys. */
struct ratelimit *ratelimit_new(unsigned burst, uint64_t interval_ms, size_t max_keys);
void ratelimit_free(struct ratelimit *rl);

/* Takes one token for key at time now_ms: returns 0 when allowed, otherwise the
 * milliseconds until a token will be available (nothing is taken). */
uint64_t ratelimit_take(struct ratelimit *rl, const char *key, uint64_t now_ms);
/* As ratelimit_take, without taking: 0 when a token is there. */
uint64_t ratelimit_peek(struct ratelimit *rl, const char *key, uint64_t now_ms);

#endif

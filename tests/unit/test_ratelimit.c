/* Unit tests for the per-address token buckets and their bounded key table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "ratelimit.h"

static void burst_then_refill(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(3, 1000, 16);
	assert_non_null(rl);
	uint64_t t = 5000;
	for (int i = 0; i < 3; i++)
		assert_int_equal(ratelimit_take(rl, "10.0.0.1", t), 0);
	uint64_t wait = ratelimit_take(rl, "10.0.0.1", t);
	assert_int_equal(wait, 1000);
	assert_int_equal(ratelimit_take(rl, "10.0.0.1", t + 400), 600);
	assert_int_equal(ratelimit_take(rl, "10.0.0.1", t + 1000), 0);
	/* Another address has its own bucket. */
	assert_int_equal(ratelimit_take(rl, "10.0.0.2", t), 0);
	/* A long idle period refills only up to the burst. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(ratelimit_take(rl, "10.0.0.1", t + 100000), 0);
	assert_true(ratelimit_take(rl, "10.0.0.1", t + 100000) > 0);
	ratelimit_free(rl);
}

static void bounded_keys_evict_least_recent(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(1, 60000, 4);
	char key[32];
	assert_int_equal(ratelimit_take(rl, "keep", 0), 0);
	for (int i = 0; i < 3; i++) {
		snprintf(key, sizeof(key), "a%d", i);
		assert_int_equal(ratelimit_take(rl, key, 1), 0);
	}
	/* Touch "keep" so it is the most recent, then push in new keys. */
	assert_true(ratelimit_take(rl, "keep", 2) > 0);
	for (int i = 0; i < 3; i++) {
		snprintf(key, sizeof(key), "b%d", i);
		assert_int_equal(ratelimit_take(rl, key, 3), 0);
	}
	/* "keep" survived eviction: still empty. a0 was evicted: fresh again. */
	assert_true(ratelimit_take(rl, "keep", 4) > 0);
	assert_int_equal(ratelimit_take(rl, "a0", 4), 0);
	/* Many distinct keys never grow the table past its bound. */
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "flood%d", i);
		ratelimit_take(rl, key, 5);
	}
	ratelimit_free(rl);
}

static void invalid_parameters(void **state)
{
	(void)state;
	assert_null(ratelimit_new(0, 1000, 4));
	assert_null(ratelimit_new(1, 0, 4));
	assert_null(ratelimit_new(1, 1000, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(burst_then_refill),
	    cmocka_unit_test(bounded_keys_evict_least_recent),
	    cmocka_unit_test(invalid_parameters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

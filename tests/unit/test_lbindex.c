/* Unit tests for the leaderboard index: order, shared ranks for ties, removals,
 * and a randomized comparison with a brute-force sorted array. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lbindex.h"

static void key_of(unsigned v, unsigned char k[LBINDEX_KEY])
{
	memset(k, 0, LBINDEX_KEY);
	k[12] = (unsigned char)(v >> 24);
	k[13] = (unsigned char)(v >> 16);
	k[14] = (unsigned char)(v >> 8);
	k[15] = (unsigned char)v;
}

static void ties_share_rank(void **state)
{
	(void)state;
	struct lbindex *ix = lbindex_new();
	unsigned char k[LBINDEX_KEY];
	const int64_t scores[] = {50, 80, 80, 10, 80, 50};
	for (unsigned i = 0; i < 6; i++) {
		key_of(i, k);
		assert_true(lbindex_insert(ix, scores[i], k));
	}
	key_of(1, k);
	assert_false(lbindex_insert(ix, 80, k)); /* the very same entry */
	assert_int_equal(lbindex_count(ix), 6);
	struct lbindex_entry e[6];
	assert_int_equal(lbindex_range(ix, 0, 6, e), 6);
	/* 80, 80, 80 (keys 1, 2, 4), 50, 50 (keys 0, 5), 10 */
	const int64_t want_score[] = {80, 80, 80, 50, 50, 10};
	const unsigned want_key[] = {1, 2, 4, 0, 5, 3};
	const size_t want_rank[] = {1, 1, 1, 4, 4, 6};
	for (int i = 0; i < 6; i++) {
		unsigned char w[LBINDEX_KEY];
		key_of(want_key[i], w);
		assert_int_equal(e[i].score, want_score[i]);
		assert_memory_equal(e[i].key, w, LBINDEX_KEY);
		assert_int_equal(e[i].rank, want_rank[i]);
	}
	assert_int_equal(lbindex_rank(ix, 80), 1);
	assert_int_equal(lbindex_rank(ix, 79), 4);
	assert_int_equal(lbindex_rank(ix, 1000), 1);
	assert_int_equal(lbindex_rank(ix, 0), 7);
	/* Removing one of the 80s moves the 50s up to rank 3. */
	key_of(2, k);
	assert_true(lbindex_remove(ix, 80, k));
	assert_false(lbindex_remove(ix, 80, k));
	key_of(3, k);
	assert_false(lbindex_remove(ix, 11, k)); /* wrong score: not that entry */
	assert_int_equal(lbindex_rank(ix, 50), 3);
	assert_int_equal(lbindex_range(ix, 4, 10, e), 1);
	assert_int_equal(e[0].score, 10);
	assert_int_equal(e[0].rank, 5);
	lbindex_free(ix);
}

struct ref {
	int64_t score;
	unsigned key;
	int live;
};

static int ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static void random_against_reference(void **state)
{
	(void)state;
	enum { N = 3000 };
	static struct ref ref[N], sorted[N];
	struct lbindex *ix = lbindex_new();
	unsigned char k[LBINDEX_KEY];
	srand(12345);
	for (unsigned i = 0; i < N; i++) {
		ref[i] = (struct ref){rand() % 200, i, 1};
		key_of(i, k);
		assert_true(lbindex_insert(ix, ref[i].score, k));
	}
	/* Score changes as a leaderboard makes them: remove, then insert anew. */
	for (int round = 0; round < 20000; round++) {
		unsigned i = (unsigned)rand() % N;
		key_of(i, k);
		if (ref[i].live && rand() % 10 == 0) {
			assert_true(lbindex_remove(ix, ref[i].score, k));
			ref[i].live = 0;
		} else if (ref[i].live) {
			assert_true(lbindex_remove(ix, ref[i].score, k));
			ref[i].score += rand() % 50;
			assert_true(lbindex_insert(ix, ref[i].score, k));
		} else {
			ref[i].live = 1;
			assert_true(lbindex_insert(ix, ref[i].score, k));
		}
	}
	size_t live = 0;
	for (unsigned i = 0; i < N; i++)
		if (ref[i].live)
			sorted[live++] = ref[i];
	qsort(sorted, live, sizeof(sorted[0]), ref_cmp);
	assert_int_equal(lbindex_count(ix), live);
	static struct lbindex_entry e[N];
	assert_int_equal(lbindex_range(ix, 0, N, e), live);
	for (size_t i = 0; i < live; i++) {
		key_of(sorted[i].key, k);
		assert_int_equal(e[i].score, sorted[i].score);
		assert_memory_equal(e[i].key, k, LBINDEX_KEY);
		size_t above = 0;
		while (above < live && sorted[above].score > sorted[i].score)
			above++;
		assert_int_equal(e[i].rank, above + 1);
	}
	lbindex_free(ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ties_share_rank),
	    cmocka_unit_test(random_against_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for the write queue: one commit per flush, a failing job rolled
 * back alone, completions after the commit and in submission order. Uses a
 * real LMDB environment in a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store.h"
#include "wq.h"

struct job {
	struct wq_job base;
	char key[16];
	bool fail;  /* apply writes, then fails */
	int *order; /* where done() records its turn */
	int *turn;
	enum zc_err got;
	struct store *st; /* to check visibility from done() */
	bool visible;	  /* the key was readable when done() ran */
};

static enum zc_err apply(struct wq_job *base, struct store_txn *txn)
{
	struct job *j = (struct job *)base;
	enum zc_err err = store_put(txn, STORE_META, j->key, strlen(j->key), "v", 1, true);
	if (err)
		return err;
	return j->fail ? ZC_ERR_INVALID : ZC_OK;
}

static void done(struct wq_job *base, enum zc_err err)
{
	struct job *j = (struct job *)base;
	struct store_txn *txn;
	const void *v;
	size_t vl;
	j->got = err;
	*j->order = (*j->turn)++;
	/* Acknowledged only after the commit: a fresh reader already sees it. */
	if (store_begin(j->st, false, &txn) == ZC_OK) {
		j->visible = store_get(txn, STORE_META, j->key, strlen(j->key), &v, &vl) == ZC_OK;
		store_abort(txn);
	}
}

/* A job writing key <prefix><i>, recording its turn in order[i]. */
static void job_init(struct job *j, char prefix, int i, int *order, int *turn, struct store *st)
{
	memset(j, 0, sizeof(*j));
	j->base.apply = apply;
	j->base.done = done;
	snprintf(j->key, sizeof(j->key), "%c%d", prefix, i);
	j->order = &order[i];
	j->turn = turn;
	j->st = st;
	order[i] = -1;
}

static char dir[64];

static int setup(void **state)
{
	struct store *st;
	snprintf(dir, sizeof(dir), "/tmp/zcwq-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	if (store_open(dir, 16u << 20, &st) != ZC_OK)
		return -1;
	*state = st;
	return 0;
}

static int teardown(void **state)
{
	char path[128];
	store_close(*state);
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/lock.mdb", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

static void batch_and_isolation(void **state)
{
	struct store *st = *state;
	struct wq *q = wq_new(st, 1000);
	struct job jobs[5];
	int order[5], turn = 0;
	unsigned long long njobs, batches;
	for (int i = 0; i < 5; i++) {
		job_init(&jobs[i], 'k', i, order, &turn, st);
		jobs[i].fail = i == 2;
		jobs[i].got = ZC_ERR__COUNT;
		wq_submit(q, &jobs[i].base);
	}
	/* Nothing completes before the flush. */
	assert_int_equal(jobs[0].got, ZC_ERR__COUNT);
	assert_true(wq_pending(q));
	assert_int_equal(wq_flush(q), 5);
	assert_false(wq_pending(q));
	wq_stats(q, &njobs, &batches);
	assert_int_equal(njobs, 5);
	assert_int_equal(batches, 1);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(order[i], i);
		assert_int_equal(jobs[i].got, i == 2 ? ZC_ERR_INVALID : ZC_OK);
		/* The failed job's write was rolled back; the others committed. */
		assert_int_equal(jobs[i].visible, i != 2);
	}
	/* A job failing on a duplicate key does not disturb the batch either. */
	turn = 0;
	jobs[0].got = jobs[1].got = ZC_ERR__COUNT;
	jobs[0].fail = false;
	snprintf(jobs[1].key, sizeof(jobs[1].key), "k9");
	wq_submit(q, &jobs[0].base); /* k0 again: exists */
	wq_submit(q, &jobs[1].base);
	assert_int_equal(wq_flush(q), 2);
	assert_int_equal(jobs[0].got, ZC_ERR_EXISTS);
	assert_int_equal(jobs[1].got, ZC_OK);
	assert_true(jobs[1].visible);
	wq_free(q);
}

static void early_flush_at_max_batch(void **state)
{
	struct store *st = *state;
	struct wq *q = wq_new(st, 3);
	struct job jobs[4];
	int order[4], turn = 0;
	unsigned long long njobs, batches;
	for (int i = 0; i < 4; i++) {
		job_init(&jobs[i], 'm', i, order, &turn, st);
		wq_submit(q, &jobs[i].base);
	}
	/* The third submit reached max_batch and flushed; the fourth waits. */
	wq_stats(q, &njobs, &batches);
	assert_int_equal(njobs, 3);
	assert_int_equal(batches, 1);
	assert_true(wq_pending(q));
	wq_free(q); /* flushes the rest */
	assert_true(jobs[3].visible);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(batch_and_isolation, setup, teardown),
	    cmocka_unit_test_setup_teardown(early_flush_at_max_batch, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

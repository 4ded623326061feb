/* Unit tests for the write queue: one commit per flush, a failing job rolled
 * back alone, completions after the commit and in submission order. Uses a
 * real LMDB environment in a temporary directory. */
#include <pthread.h>
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

/* The writer thread: wq_flush returns once the batch is applied (apply ran,
 * nothing completed yet); the writer commits, wakes the loop, and the next
 * wq_flush completes the batch, durable, in order. */
static pthread_mutex_t wake_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cv = PTHREAD_COND_INITIALIZER;
static int wakes;

static void on_wake(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&wake_mu);
	wakes++;
	pthread_cond_signal(&wake_cv);
	pthread_mutex_unlock(&wake_mu);
}

static void wait_wakes(int n)
{
	pthread_mutex_lock(&wake_mu);
	while (wakes < n)
		pthread_cond_wait(&wake_cv, &wake_mu);
	pthread_mutex_unlock(&wake_mu);
}

static void writer_thread(void **state)
{
	struct store *st = *state;
	struct wq *q = wq_new(st, 2); /* max_batch does not flush early here */
	struct job jobs[5];
	int order[5], turn = 0;
	unsigned long long njobs, batches;
	wakes = 0;
	wq_start_writer(q, on_wake, NULL);
	for (int i = 0; i < 5; i++) {
		job_init(&jobs[i], 'w', i, order, &turn, st);
		jobs[i].fail = i == 1;
		if (i < 3)
			wq_submit(q, &jobs[i].base);
	}
	assert_int_equal(wq_flush(q), 0); /* applied, not yet durable */
	assert_int_equal(turn, 0);
	assert_true(wq_pending(q));
	/* Queued while the first batch is with the writer: the next batch. */
	wq_submit(q, &jobs[3].base);
	wq_submit(q, &jobs[4].base);
	wait_wakes(1);
	assert_int_equal(wq_flush(q), 3); /* completes the first, hands the second */
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 1);
	assert_int_equal(order[2], 2);
	assert_int_equal(jobs[0].got, ZC_OK);
	assert_int_equal(jobs[1].got, ZC_ERR_INVALID);
	assert_int_equal(jobs[2].got, ZC_OK);
	assert_true(jobs[0].visible && jobs[2].visible);
	assert_false(jobs[1].visible); /* rolled back alone */
	assert_int_equal(order[3], -1);
	wait_wakes(2);
	assert_int_equal(wq_flush(q), 2);
	assert_true(jobs[3].visible && jobs[4].visible);
	assert_false(wq_pending(q));
	wq_stats(q, &njobs, &batches);
	assert_int_equal(njobs, 5);
	assert_int_equal(batches, 2);
	wq_free(q);
}

/* Stopping the writer completes the batch in flight; later flushes are
 * synchronous again. */
static void writer_stop_completes(void **state)
{
	struct store *st = *state;
	struct wq *q = wq_new(st, 100);
	struct job jobs[2];
	int order[2], turn = 0;
	wakes = 0;
	wq_start_writer(q, on_wake, NULL);
	for (int i = 0; i < 2; i++) {
		job_init(&jobs[i], 's', i, order, &turn, st);
	}
	wq_submit(q, &jobs[0].base);
	assert_int_equal(wq_flush(q), 0);
	wq_stop_writer(q);
	assert_int_equal(turn, 1);
	assert_true(jobs[0].visible);
	wq_submit(q, &jobs[1].base);
	assert_int_equal(wq_flush(q), 1); /* synchronous */
	assert_true(jobs[1].visible);
	wq_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(batch_and_isolation, setup, teardown),
	    cmocka_unit_test_setup_teardown(early_flush_at_max_batch, setup, teardown),
	    cmocka_unit_test_setup_teardown(writer_thread, setup, teardown),
	    cmocka_unit_test_setup_teardown(writer_stop_completes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

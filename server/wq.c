/* Group commit. The loop calls wq_flush after each service pass, so a batch is
 * whatever arrived during one pass: under load many jobs share one fsync, and
 * when idle a single job commits at once without waiting for company.
 *
 * Without a writer thread (tests, command-line tools) wq_flush applies,
 * commits and completes a batch before it returns. With one (the server), a
 * batch goes through three steps:
 *   1. the loop hands the batch to the writer and waits while the writer
 *      applies it (so apply may read and change the loop's memory: the loop
 *      is parked, and the mutex hand-over orders the memory accesses);
 *   2. the writer commits — the fsync — while the loop serves everyone else;
 *   3. the writer wakes the loop, and the loop completes the batch (done():
 *      acknowledge, publish) at its next wq_flush.
 * LMDB ties a write transaction to the thread that began it, so the writer
 * thread both applies and commits. One batch is in flight at a time; jobs
 * queued meanwhile form the next batch. */
#include <pthread.h>
#include <stdlib.h>

#include "log.h"
#include "metrics.h"
#include "store.h"
#include "wq.h"

struct batch {
	struct wq_job *jobs;
	size_t count;
	enum zc_err *errs; /* apply's result per job */
	enum zc_err commit_err;
};

struct wq {
	struct store *st;
	size_t max_batch;
	/* the loop's side */
	struct wq_job *head, **tail;
	size_t queued;
	unsigned long long jobs, batches;
	bool flushing;
	/* the writer (all below under mu once it runs) */
	bool threaded;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch work;    /* handed to the writer (count 0: none) */
	bool applied;	      /* the writer is done applying work */
	struct batch durable; /* committed, to complete on the loop (count 0: none) */
	bool busy;	      /* a batch is with the writer */
	bool stop;
	void (*wake)(void *arg);
	void *wake_arg;
};

struct wq *wq_new(struct store *st, size_t max_batch)
{
	struct wq *q = calloc(1, sizeof(*q));
	if (!q)
		abort();
	q->st = st;
	q->max_batch = max_batch ? max_batch : 1;
	q->tail = &q->head;
	return q;
}

bool wq_pending(const struct wq *q)
{
	bool inflight = false;
	if (q->threaded) {
		pthread_mutex_t *mu = (pthread_mutex_t *)&q->mu;
		pthread_mutex_lock(mu);
		inflight = q->busy || q->durable.count;
		pthread_mutex_unlock(mu);
	}
	return q->head != NULL || inflight;
}

void wq_submit(struct wq *q, struct wq_job *job)
{
	job->next = NULL;
	*q->tail = job;
	q->tail = &job->next;
	/* A done() callback may submit more: they join the next batch. With a
	 * writer, batches leave only from wq_flush (a handler may hold a write
	 * transaction the writer would wait for). */
	if (++q->queued >= q->max_batch && !q->flushing && !q->threaded)
		wq_flush(q);
}

/* Applies one job in its own nested transaction. */
static enum zc_err apply_one(struct store_txn *parent, struct wq_job *job)
{
	struct store_txn *child;
	enum zc_err err = store_begin_nested(parent, &child);
	if (err)
		return err;
	err = job->apply(job, child);
	if (err) {
		store_abort(child);
		return err;
	}
	return store_commit(child);
}

/* Begins the batch's transaction and applies its jobs; *txn is NULL when the
 * transaction could not begin (then b->commit_err says why). */
static void apply_batch(struct wq *q, struct batch *b, struct store_txn **txn)
{
	b->commit_err = store_begin(q->st, true, txn);
	if (b->commit_err) {
		*txn = NULL;
		return;
	}
	size_t i = 0;
	for (struct wq_job *j = b->jobs; j; j = j->next)
		b->errs[i++] = apply_one(*txn, j);
}

static void commit_batch(struct batch *b, struct store_txn *txn)
{
	if (txn)
		b->commit_err = store_commit(txn);
	if (b->commit_err)
		log_event(LOG_ERROR, "batch_failed", "jobs=%zu error=\"%s\"", b->count,
			  zc_strerror(b->commit_err));
}

/* Acknowledges a batch that is durable (or certainly lost): on the loop. */
static size_t complete(struct wq *q, struct batch *b)
{
	struct wq_job *j, *next;
	size_t i = 0;
	q->batches++;
	metrics_batch(b->count);
	for (j = b->jobs; j; j = next) {
		next = j->next;
		j->done(j, b->commit_err ? b->commit_err : b->errs[i]);
		i++;
	}
	q->jobs += i;
	free(b->errs);
	*b = (struct batch){0};
	return i;
}

/* Takes the queued jobs as a batch; false when none. */
static bool take(struct wq *q, struct batch *b)
{
	if (!q->head)
		return false;
	b->jobs = q->head;
	b->count = q->queued;
	b->errs = calloc(b->count, sizeof(*b->errs));
	b->commit_err = ZC_OK;
	if (!b->errs)
		abort();
	q->head = NULL;
	q->tail = &q->head;
	q->queued = 0;
	return true;
}

static void *writer_main(void *arg)
{
	struct wq *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->work.count && !q->stop)
			pthread_cond_wait(&q->cv, &q->mu);
		if (!q->work.count)
			break;
		struct batch b = q->work;
		struct store_txn *txn;
		/* The loop waits on cv meanwhile: apply may use its memory. */
		apply_batch(q, &b, &txn);
		q->applied = true;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
		commit_batch(&b, txn); /* the fsync, while the loop serves */
		pthread_mutex_lock(&q->mu);
		q->work = (struct batch){0};
		q->durable = b;
		q->busy = false;
		pthread_cond_broadcast(&q->cv); /* wq_stop_writer may wait for it */
		if (q->wake)
			q->wake(q->wake_arg);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

void wq_start_writer(struct wq *q, void (*wake)(void *arg), void *wake_arg)
{
	q->wake = wake;
	q->wake_arg = wake_arg;
	if (pthread_mutex_init(&q->mu, NULL) || pthread_cond_init(&q->cv, NULL) ||
	    pthread_create(&q->thread, NULL, writer_main, q))
		abort();
	q->threaded = true;
}

size_t wq_flush(struct wq *q)
{
	size_t n = 0;
	struct batch b = {0};

	if (q->flushing)
		return 0;
	q->flushing = true;
	if (!q->threaded) {
		if (take(q, &b)) {
			struct store_txn *txn;
			apply_batch(q, &b, &txn);
			commit_batch(&b, txn);
			n = complete(q, &b);
		}
		q->flushing = false;
		return n;
	}
	pthread_mutex_lock(&q->mu);
	if (q->durable.count) {
		b = q->durable;
		q->durable = (struct batch){0};
	}
	pthread_mutex_unlock(&q->mu);
	if (b.count)
		n = complete(q, &b); /* may queue more: they go next */
	pthread_mutex_lock(&q->mu);
	if (!q->busy && take(q, &q->work)) {
		q->busy = true;
		q->applied = false;
		pthread_cond_broadcast(&q->cv);
		while (!q->applied)
			pthread_cond_wait(&q->cv, &q->mu);
	}
	pthread_mutex_unlock(&q->mu);
	q->flushing = false;
	return n;
}

void wq_stop_writer(struct wq *q)
{
	if (!q->threaded)
		return;
	/* Finish the batch in flight and complete it; what is still queued is
	 * committed by later flushes, synchronously. */
	pthread_mutex_lock(&q->mu);
	while (q->busy)
		pthread_cond_wait(&q->cv, &q->mu);
	q->stop = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->thread, NULL);
	q->threaded = false;
	pthread_cond_destroy(&q->cv);
	pthread_mutex_destroy(&q->mu);
	if (q->durable.count) {
		struct batch b = q->durable;
		q->durable = (struct batch){0};
		q->flushing = true;
		complete(q, &b);
		q->flushing = false;
	}
}

void wq_free(struct wq *q)
{
	if (!q)
		return;
	wq_stop_writer(q);
	while (q->head)
		wq_flush(q);
	free(q);
}

void wq_stats(const struct wq *q, unsigned long long *jobs, unsigned long long *batches)
{
	*jobs = q->jobs;
	*batches = q->batches;
}

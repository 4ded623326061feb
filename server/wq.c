/* Group commit. The loop calls wq_flush after each service pass, so a batch is
 * whatever arrived during one pass: under load many jobs share one fsync, and
 * when idle a single job commits at once without waiting for company. */
#include <stdlib.h>

#include "log.h"
#include "metrics.h"
#include "store.h"
#include "wq.h"

struct wq {
	struct store *st;
	size_t max_batch;
	struct wq_job *head, **tail;
	size_t queued;
	unsigned long long jobs, batches;
	bool flushing;
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

void wq_free(struct wq *q)
{
	if (!q)
		return;
	wq_flush(q);
	free(q);
}

bool wq_pending(const struct wq *q)
{
	return q->head != NULL;
}

void wq_submit(struct wq *q, struct wq_job *job)
{
	job->next = NULL;
	*q->tail = job;
	q->tail = &job->next;
	/* A done() callback may submit more: they join the next batch. */
	if (++q->queued >= q->max_batch && !q->flushing)
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

size_t wq_flush(struct wq *q)
{
	struct wq_job *batch = q->head, *j, *next;
	struct store_txn *txn = NULL;
	enum zc_err commit_err;
	size_t n = 0;

	if (!batch || q->flushing)
		return 0;
	q->flushing = true;
	q->head = NULL;
	q->tail = &q->head;
	q->queued = 0;

	enum zc_err *errs = NULL;
	size_t count = 0;
	for (j = batch; j; j = j->next)
		count++;
	errs = calloc(count, sizeof(*errs));
	if (!errs)
		abort();
	commit_err = store_begin(q->st, true, &txn);
	if (!commit_err) {
		size_t i = 0;
		for (j = batch; j; j = j->next)
			errs[i++] = apply_one(txn, j);
		commit_err = store_commit(txn);
	}
	if (commit_err)
		log_event(LOG_ERROR, "batch_failed", "jobs=%zu error=\"%s\"", count,
			  zc_strerror(commit_err));
	q->batches++;
	metrics_batch(count);
	/* Acknowledge only now that the batch is durable (or certainly lost). */
	size_t i = 0;
	for (j = batch; j; j = next) {
		next = j->next;
		j->done(j, commit_err ? commit_err : errs[i]);
		i++;
		n++;
	}
	q->jobs += n;
	free(errs);
	q->flushing = false;
	return n;
}

void wq_stats(const struct wq *q, unsigned long long *jobs, unsigned long long *batches)
{
	*jobs = q->jobs;
	*batches = q->batches;
}

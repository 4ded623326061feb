/* The write queue: group commit on the event loop. Jobs submitted while the
 * loop serves one batch of events are applied together, each in a nested
 * transaction of one write transaction, committed with a single fsync, and only
 * then completed (commit, then acknowledge, then publish). A job whose apply
 * fails is rolled back alone; a failed commit fails every job of the batch. */
#ifndef ZC_WQ_H
#define ZC_WQ_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct store;
struct store_txn;

struct wq_job {
	struct wq_job *next; /* private to wq */
	/* Runs inside the batch's transaction, in a nested one of its own. */
	enum zc_err (*apply)(struct wq_job *job, struct store_txn *txn);
	/* Runs after the batch committed, with apply's error or the commit's.
	 * Owns the job from then on (frees it). */
	void (*done)(struct wq_job *job, enum zc_err err);
	/* Whoever waits for the result (an HTTP request, a WebSocket); set to
	 * NULL when it goes away, so done() answers no one. */
	void *owner;
};

struct wq;

/* A queue writing to st; a batch is committed early when it reaches max_batch. */
struct wq *wq_new(struct store *st, size_t max_batch);
/* Flushes what is queued, then frees the queue. */
void wq_free(struct wq *q);
/* Queues a job; it completes at the next flush. */
void wq_submit(struct wq *q, struct wq_job *job);
/* True when jobs wait for a flush. */
bool wq_pending(const struct wq *q);
/* Applies, commits and completes every queued job; returns how many. */
size_t wq_flush(struct wq *q);
/* Jobs and batches completed so far (for metrics and benchmarks). */
void wq_stats(const struct wq *q, unsigned long long *jobs, unsigned long long *batches);

#endif

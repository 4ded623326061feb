/* Talking to peer nodes (zcfed/1): one thread that pushes new statements to
 * every peer and pulls the logs they hold, over mutual TLS with pinned keys
 * (fedtls.h). It never touches the store or the loop's memory: the loop
 * hands it envelopes to push and the heads it holds, and takes back the pages
 * it pulled (fed_drain in federation.c), woken by lws_cancel_service.
 *
 * Per peer: a queue of envelopes to push, a pull due every
 * fed_pull_interval_s (and at start, and when asked), and on failure a
 * backoff of fed_backoff_min_s doubling to fed_backoff_max_s with jitter
 * (uniform in [d/2, d]); an inbound request from the peer retries at once. */
#ifndef ZC_FEDSYNC_H
#define ZC_FEDSYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "jbuf.h"

struct fedsync;

/* A page pulled from a peer, for the loop to verify and store. */
struct fedsync_page {
	struct fedsync_page *next;
	int peer;
	size_t len;
	char body[]; /* canonical {"entries":[…],"head":N,"origin":"…"} */
};

/* Starts the thread; wake(arg) is called (from the thread) when pages wait. */
struct fedsync *fedsync_start(const struct zc_config *cfg, const char *cert, const char *key,
			      void (*wake)(void *arg), void *arg);
/* Stops and joins the thread, freeing what it held. */
void fedsync_stop(struct fedsync *s);
/* Queues envelope bytes for every peer but `except` (-1: all). */
void fedsync_push(struct fedsync *s, const char *env, size_t len, int except);
/* The loop's head for origin (what a pull asks for after). */
void fedsync_set_head(struct fedsync *s, const char *origin, uint64_t seq);
/* An inbound request from peer: retry its queue now; with pull, pull from it too. */
void fedsync_poke(struct fedsync *s, int peer, bool pull);
/* Takes every pulled page (a list, oldest first; free each with free()). */
struct fedsync_page *fedsync_take(struct fedsync *s);
/* Appends a JSON array of each peer's state (origin, url, last_ok, failures,
 * next_attempt_in_s, queued, last_error). */
void fedsync_status_json(struct fedsync *s, struct jbuf *out);

#endif

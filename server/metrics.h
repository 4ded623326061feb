/* Process-wide counters, gauges and a latency histogram, rendered in the
 * Prometheus text format. Single-threaded: called from the event loop only. */
#ifndef ZC_METRICS_H
#define ZC_METRICS_H

#include <stdint.h>

#include "jbuf.h"

enum metrics_gauge {
	METRICS_HTTP_CONNECTIONS, /* zcnode_http_connections */
	METRICS_WS_CONNECTIONS,	  /* zcnode_ws_connections */
	METRICS_LMDB_SIZE,	  /* zcnode_lmdb_size_bytes */
	METRICS_LMDB_MAP_SIZE,	  /* zcnode_lmdb_map_size_bytes */
	METRICS_PARTICIPANTS,	  /* zcnode_participants */
	METRICS_GAUGE__COUNT
};

/* Resets every metric to zero and records the start time (seconds). */
void metrics_init(int64_t now_s);
/* Adds delta to a gauge. */
void metrics_gauge_add(enum metrics_gauge g, int64_t delta);
/* Sets a gauge. */
void metrics_gauge_set(enum metrics_gauge g, int64_t value);
/* Counts one HTTP request; `route` is a route template with static storage
 * (e.g. "/api/v1/me"); at most 256 distinct (route, status) pairs are kept,
 * later ones are counted under route "other". */
void metrics_http_request(const char *route, int status);
/* Counts WebSocket messages received / sent. */
void metrics_ws_in(uint64_t n);
void metrics_ws_out(uint64_t n);
/* Counts one committed batch of the write queue holding `jobs` jobs. */
void metrics_batch(uint64_t jobs);
/* Records one LMDB commit latency in microseconds (buckets from 100 µs to 10 s). */
void metrics_commit_observe(uint64_t usec);
/* Appends all metrics in Prometheus text format 0.0.4 to out. */
void metrics_render(struct jbuf *out, int64_t now_s);

#endif

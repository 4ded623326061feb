/* Counters, gauges and the commit-latency histogram behind /metrics. Plain
 * integers updated on the event loop; rendering walks fixed-size tables, so
 * scraping costs the same whatever the load. */
#include <string.h>

#include "metrics.h"

#define ROUTES_MAX 256

static const char *const gauge_names[METRICS_GAUGE__COUNT][2] = {
    [METRICS_HTTP_CONNECTIONS] = {"zcnode_http_connections", "HTTP requests in flight"},
    [METRICS_WS_CONNECTIONS] = {"zcnode_ws_connections", "Open WebSocket connections"},
    [METRICS_LMDB_SIZE] = {"zcnode_lmdb_size_bytes", "LMDB pages in use times page size"},
    [METRICS_LMDB_MAP_SIZE] = {"zcnode_lmdb_map_size_bytes", "LMDB map size"},
    [METRICS_PARTICIPANTS] = {"zcnode_participants", "Registered participants"},
};

/* Upper bounds of the commit histogram buckets, in microseconds. */
static const uint64_t commit_bounds_us[] = {100,     250,     500,     1000,	2500,	5000,
					    10000,   25000,   50000,   100000,	250000, 500000,
					    1000000, 2500000, 5000000, 10000000};
#define COMMIT_BUCKETS (sizeof(commit_bounds_us) / sizeof(commit_bounds_us[0]))

struct route_count {
	const char *route;
	int status;
	uint64_t n;
};

static struct {
	int64_t started_s;
	int64_t gauges[METRICS_GAUGE__COUNT];
	struct route_count routes[ROUTES_MAX];
	size_t nroutes;
	uint64_t ws_in, ws_out;
	uint64_t batches, batch_jobs;
	uint64_t commit_buckets[COMMIT_BUCKETS];
	uint64_t commit_count, commit_sum_us;
} m;

void metrics_init(int64_t now_s)
{
	memset(&m, 0, sizeof(m));
	m.started_s = now_s;
}

void metrics_gauge_add(enum metrics_gauge g, int64_t delta)
{
	m.gauges[g] += delta;
}

void metrics_gauge_set(enum metrics_gauge g, int64_t value)
{
	m.gauges[g] = value;
}

void metrics_http_request(const char *route, int status)
{
	for (size_t i = 0; i < m.nroutes; i++) {
		if (m.routes[i].status == status && strcmp(m.routes[i].route, route) == 0) {
			m.routes[i].n++;
			return;
		}
	}
	if (m.nroutes >= ROUTES_MAX - 1 && strcmp(route, "other") != 0) {
		/* The last slot is kept for the overflow, counted as "other". */
		metrics_http_request("other", status);
		return;
	}
	if (m.nroutes == ROUTES_MAX)
		return; /* only a second overflow status could get here */
	m.routes[m.nroutes++] = (struct route_count){route, status, 1};
}

void metrics_ws_in(uint64_t n)
{
	m.ws_in += n;
}

void metrics_ws_out(uint64_t n)
{
	m.ws_out += n;
}

void metrics_batch(uint64_t jobs)
{
	m.batches++;
	m.batch_jobs += jobs;
}

void metrics_commit_observe(uint64_t usec)
{
	for (size_t i = 0; i < COMMIT_BUCKETS; i++)
		if (usec <= commit_bounds_us[i])
			m.commit_buckets[i]++;
	m.commit_count++;
	m.commit_sum_us += usec;
}

static void header(struct jbuf *out, const char *name, const char *help, const char *type)
{
	jbuf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void metrics_render(struct jbuf *out, int64_t now_s)
{
	for (int g = 0; g < METRICS_GAUGE__COUNT; g++) {
		header(out, gauge_names[g][0], gauge_names[g][1], "gauge");
		jbuf_printf(out, "%s %lld\n", gauge_names[g][0], (long long)m.gauges[g]);
	}
	header(out, "zcnode_uptime_seconds", "Seconds since the node started", "gauge");
	jbuf_printf(out, "zcnode_uptime_seconds %lld\n", (long long)(now_s - m.started_s));

	header(out, "zcnode_http_requests_total", "HTTP requests by route template and status",
	       "counter");
	for (size_t i = 0; i < m.nroutes; i++)
		/* Route templates are our own constants: no label escaping needed. */
		jbuf_printf(out, "zcnode_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
			    m.routes[i].route, m.routes[i].status,
			    (unsigned long long)m.routes[i].n);

	header(out, "zcnode_ws_messages_in_total", "WebSocket messages received", "counter");
	jbuf_printf(out, "zcnode_ws_messages_in_total %llu\n", (unsigned long long)m.ws_in);
	header(out, "zcnode_ws_messages_out_total", "WebSocket frames sent", "counter");
	jbuf_printf(out, "zcnode_ws_messages_out_total %llu\n", (unsigned long long)m.ws_out);

	header(out, "zcnode_batches_total", "Group commits of the write queue (check-ins)",
	       "counter");
	jbuf_printf(out, "zcnode_batches_total %llu\n", (unsigned long long)m.batches);
	header(out, "zcnode_batch_jobs_total",
	       "Check-ins those batches carried, refused ones included", "counter");
	jbuf_printf(out, "zcnode_batch_jobs_total %llu\n", (unsigned long long)m.batch_jobs);
	header(out, "zcnode_commit_seconds", "LMDB write transaction commit latency", "histogram");
	for (size_t i = 0; i < COMMIT_BUCKETS; i++)
		jbuf_printf(out, "zcnode_commit_seconds_bucket{le=\"%llu.%06llu\"} %llu\n",
			    (unsigned long long)(commit_bounds_us[i] / 1000000),
			    (unsigned long long)(commit_bounds_us[i] % 1000000),
			    (unsigned long long)m.commit_buckets[i]);
	jbuf_printf(out, "zcnode_commit_seconds_bucket{le=\"+Inf\"} %llu\n",
		    (unsigned long long)m.commit_count);
	jbuf_printf(out, "zcnode_commit_seconds_sum %llu.%06llu\n",
		    (unsigned long long)(m.commit_sum_us / 1000000),
		    (unsigned long long)(m.commit_sum_us % 1000000));
	jbuf_printf(out, "zcnode_commit_seconds_count %llu\n", (unsigned long long)m.commit_count);
}

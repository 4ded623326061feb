/* Unit tests for the Prometheus rendering of counters, gauges and histogram. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "metrics.h"

static void renders_families(void **state)
{
	(void)state;
	struct jbuf b;
	metrics_init(1000);
	metrics_gauge_add(METRICS_WS_CONNECTIONS, 3);
	metrics_gauge_add(METRICS_WS_CONNECTIONS, -1);
	metrics_http_request("/api/v1/me", 200);
	metrics_http_request("/api/v1/me", 200);
	metrics_http_request("/api/v1/me", 401);
	metrics_ws_in(5);
	metrics_commit_observe(80);
	metrics_commit_observe(3000);
	jbuf_init(&b, 0);
	metrics_render(&b, 1042);
	const char *t = jbuf_data(&b);
	assert_non_null(strstr(t, "# TYPE zcnode_ws_connections gauge\nzcnode_ws_connections 2\n"));
	assert_non_null(
	    strstr(t, "zcnode_http_requests_total{route=\"/api/v1/me\",status=\"200\"} 2\n"));
	assert_non_null(
	    strstr(t, "zcnode_http_requests_total{route=\"/api/v1/me\",status=\"401\"} 1\n"));
	assert_non_null(strstr(t, "zcnode_ws_messages_in_total 5\n"));
	assert_non_null(strstr(t, "zcnode_uptime_seconds 42\n"));
	assert_non_null(strstr(t, "zcnode_commit_seconds_bucket{le=\"0.000100\"} 1\n"));
	assert_non_null(strstr(t, "zcnode_commit_seconds_bucket{le=\"0.005000\"} 2\n"));
	assert_non_null(strstr(t, "zcnode_commit_seconds_bucket{le=\"+Inf\"} 2\n"));
	assert_non_null(strstr(t, "zcnode_commit_seconds_count 2\n"));
	assert_non_null(strstr(t, "zcnode_commit_seconds_sum 0.003080\n"));
	jbuf_fini(&b);
}

static void route_table_bounded(void **state)
{
	(void)state;
	struct jbuf b;
	static char names[400][16];
	metrics_init(0);
	for (int i = 0; i < 400; i++) {
		snprintf(names[i], sizeof(names[i]), "/r%d", i);
		metrics_http_request(names[i], 200);
	}
	jbuf_init(&b, 0);
	metrics_render(&b, 0);
	assert_non_null(strstr(jbuf_data(&b), "route=\"other\",status=\"200\"} 145\n"));
	assert_null(strstr(jbuf_data(&b), "route=\"/r399\""));
	jbuf_fini(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(renders_families),
	    cmocka_unit_test(route_table_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

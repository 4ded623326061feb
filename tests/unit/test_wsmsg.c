/* Unit tests for WebSocket client frame decoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wsmsg.h"

static bool dec(const char *s, struct wsmsg *m, struct jdec_error *e)
{
	return wsmsg_decode(s, strlen(s), m, e);
}

static void valid_frames(void **state)
{
	(void)state;
	struct wsmsg m;
	struct jdec_error e;
	assert_true(dec("{\"type\":\"hello\",\"token\":\"zcp_abc\"}", &m, &e));
	assert_int_equal(m.type, WSMSG_HELLO);
	assert_string_equal(m.token, "zcp_abc");
	assert_true(dec("{\"type\":\"hello\"}", &m, &e));
	assert_string_equal(m.token, "");
	assert_true(
	    dec("{\"type\":\"subscribe\",\"channel\":\"test:events\",\"after\":12}", &m, &e));
	assert_int_equal(m.type, WSMSG_SUBSCRIBE);
	assert_true(m.has_after);
	assert_int_equal(m.after, 12);
	assert_true(dec("{\"channel\":\"x\",\"type\":\"unsubscribe\"}", &m, &e));
	assert_int_equal(m.type, WSMSG_UNSUBSCRIBE);
	assert_true(dec("{\"type\":\"ping\"}", &m, &e));
}

static void refused_frames(void **state)
{
	(void)state;
	struct wsmsg m;
	struct jdec_error e;
	static const char *const cases[][2] = {
	    {"{\"type\":\"shout\"}", "unknown_type"},
	    {"{\"type\":\"subscribe\"}", "missing_field"},
	    {"{\"type\":\"subscribe\",\"channel\":\"x\",\"token\":\"t\"}", "unknown_field"},
	    {"{\"type\":\"hello\",\"channel\":\"x\"}", "unknown_field"},
	    {"{\"type\":\"subscribe\",\"channel\":\"x\",\"after\":-1}", "invalid_field"},
	    {"{\"type\":\"subscribe\",\"channel\":\"x\",\"after\":\"3\"}", "wrong_type"},
	    {"{\"type\":\"ping\",\"x\":1}", "unknown_field"},
	    {"{\"type\":\"ping\"", "malformed_json"},
	    {"[\"ping\"]", "malformed_json"},
	    {"{\"type\":\"ping\",\"type\":\"ping\"}", "malformed_json"},
	    {"{}", "missing_field"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_false(dec(cases[i][0], &m, &e));
		if (strcmp(wsmsg_error_code(&e), cases[i][1]) != 0)
			fail_msg("case %zu: %s gave %s", i, cases[i][0], wsmsg_error_code(&e));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(valid_frames),
	    cmocka_unit_test(refused_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

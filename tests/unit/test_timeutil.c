/* Unit tests for date parsing and formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "timeutil.h"

static void parse_day(void **state)
{
	(void)state;
	int64_t d;
	assert_true(time_parse_day("2026-11-22", &d));
	assert_int_equal(d, 20779); /* 2026-11-22 is day 20779 after 1970-01-01 */
	assert_true(time_parse_day("2028-02-29", &d));
	assert_false(time_parse_day("2027-02-29", &d));
	assert_true(time_parse_day("2000-02-29", &d));
	assert_false(time_parse_day("2026-13-01", &d));
	assert_false(time_parse_day("2026-04-31", &d));
	assert_false(time_parse_day("2026-1-01", &d));
	assert_false(time_parse_day("2026-01-01T", &d));
	assert_false(time_parse_day("1999-12-31", &d));
	assert_false(time_parse_day("", &d));
}

static void format(void **state)
{
	(void)state;
	char s[TIME_RFC3339_LEN], day[TIME_DAY_LEN];
	time_rfc3339(0, s);
	assert_string_equal(s, "1970-01-01T00:00:00Z");
	time_rfc3339(1795000000, s);
	assert_string_equal(s, "2026-11-18T11:06:40Z");
	time_day(1795000000, day);
	assert_string_equal(day, "2026-11-18");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parse_day),
	    cmocka_unit_test(format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

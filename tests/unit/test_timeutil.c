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

static void iso_weeks(void **state)
{
	(void)state;
	int64_t d;
	char w[TIME_WEEK_LEN], day[TIME_DAY_LEN];
	uint32_t wk;
	/* Known ISO weeks: 2026-11-22 is a Sunday in week 47; 2026-11-23 starts 48. */
	assert_true(time_parse_day("2026-11-22", &d));
	assert_int_equal(time_iso_week(d), 202647);
	assert_int_equal(time_iso_week(d + 1), 202648);
	/* Year boundaries: 2021-01-03 belongs to 2020-W53, 2024-12-30 to 2025-W01,
	 * 2026-12-31 (a Thursday) to 2026-W53. */
	assert_true(time_parse_day("2021-01-03", &d));
	assert_int_equal(time_iso_week(d), 202053);
	assert_true(time_parse_day("2024-12-30", &d));
	assert_int_equal(time_iso_week(d), 202501);
	assert_true(time_parse_day("2026-12-31", &d));
	assert_int_equal(time_iso_week(d), 202653);
	time_format_day(time_week_monday(202648), day);
	assert_string_equal(day, "2026-11-23");
	time_format_day(time_week_monday(202501), day);
	assert_string_equal(day, "2024-12-30");
	time_format_week(202648, w);
	assert_string_equal(w, "2026-W48");
	assert_true(time_parse_week("2026-W53", &wk));
	assert_int_equal(wk, 202653);
	assert_false(time_parse_week("2025-W53", &wk)); /* 2025 has 52 weeks */
	assert_false(time_parse_week("2026-W00", &wk));
	assert_false(time_parse_week("2026-w48", &wk));
	assert_false(time_parse_week("2026-W4", &wk));
	assert_false(time_parse_week("1999-W10", &wk));
	/* Every day of 2026 maps to a week whose Monday is at most 6 days before it. */
	assert_true(time_parse_day("2026-01-01", &d));
	for (int i = 0; i < 365; i++) {
		int64_t mon = time_week_monday(time_iso_week(d + i));
		assert_true(d + i - mon >= 0 && d + i - mon <= 6);
	}
}

static void day_round_trip(void **state)
{
	(void)state;
	char day[TIME_DAY_LEN];
	int64_t d, back;
	for (d = 10957; d < 10957 + 3000; d += 7) { /* from 2000-01-01 */
		time_format_day(d, day);
		assert_true(time_parse_day(day, &back));
		assert_int_equal(back, d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parse_day),
	    cmocka_unit_test(format),
	    cmocka_unit_test(iso_weeks),
	    cmocka_unit_test(day_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

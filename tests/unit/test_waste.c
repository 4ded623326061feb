/* Unit tests for the waste summary: baseline, change and yearly projection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "waste.h"

static void nothing_before_data(void **state)
{
	(void)state;
	struct waste_summary s;
	waste_summary(NULL, 0, &s);
	assert_false(s.has_baseline);
	assert_false(s.has_change);
	assert_false(s.has_projection);
}

static void baseline_change_projection(void **state)
{
	(void)state;
	/* A household of 2 weighs 10, 12, 8 kg (baseline 5 kg/person/week), then
	 * grows to 4 people and weighs 14, 16 kg (3.5 and 4 kg per person). */
	const struct waste_week w[] = {{202640, 10000, 2},
				       {202641, 12000, 2},
				       {202642, 8000, 2},
				       {202643, 14000, 4},
				       {202644, 16000, 4}};
	struct waste_summary s;
	waste_summary(w, 3, &s);
	assert_true(s.has_baseline);
	assert_int_equal(s.baseline_per_person_g, 5000);
	assert_false(s.has_change);
	waste_summary(w, 5, &s);
	/* Recent weeks after the baseline: 3500 and 4000, mean 3750: −25 %. */
	assert_true(s.has_change);
	assert_int_equal(s.change_pct, -25);
	/* Projection from the last 4 weeks: 6000, 4000, 3500, 4000 → mean 4375 g
	 * × 52 = 227.5 kg, rounded to 228. */
	assert_true(s.has_projection);
	assert_int_equal(s.per_person_year_kg, 228);
}

static void change_rounds_and_caps_recent_weeks(void **state)
{
	(void)state;
	struct waste_week w[10];
	struct waste_summary s;
	for (int i = 0; i < 10; i++)
		w[i] = (struct waste_week){(uint32_t)(202640 + i), 3000, 1};
	w[9].total_g = 2000; /* only the last 3 weeks count: (3000+3000+2000)/3 */
	waste_summary(w, 10, &s);
	assert_int_equal(s.baseline_per_person_g, 3000);
	assert_int_equal(s.change_pct, -11); /* 2666 vs 3000: −11.1 % */
	w[9].total_g = 4000;
	waste_summary(w, 10, &s);
	assert_int_equal(s.change_pct, 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(nothing_before_data),
	    cmocka_unit_test(baseline_change_projection),
	    cmocka_unit_test(change_rounds_and_caps_recent_weeks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

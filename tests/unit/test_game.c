/* Unit tests for the challenge rules: caps, weekly goal, streaks, badges, levels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "game.h"

static void caps_per_week(void **state)
{
	(void)state;
	struct game_week w = {0};
	struct game_credit c;
	/* 4.2 kg per vegetarian meal: the third reaches the 10 kg cap. */
	game_credit(&w, 99, 10, 4200, 0, &c);
	assert_int_equal(c.co2e_g, 4200);
	assert_false(c.capped);
	game_credit(&w, 99, 10, 4200, 0, &c);
	game_credit(&w, 99, 10, 4200, 0, &c);
	assert_int_equal(c.co2e_g, 10000 - 8400);
	assert_true(c.capped);
	game_credit(&w, 99, 10, 4200, 300, &c);
	assert_int_equal(c.co2e_g, 0);
	assert_int_equal(c.waste_g, 300);
	assert_true(c.capped);
	assert_int_equal(w.co2e_g, GAME_CAP_CO2E_G);
	assert_int_equal(w.checkins, 4);
	/* Waste and points have their own caps. */
	struct game_week v = {0};
	for (int i = 0; i < 30; i++)
		game_credit(&v, 99, 40, 0, 400, &c);
	assert_int_equal(v.waste_g, GAME_CAP_WASTE_G);
	assert_int_equal(v.points, GAME_CAP_POINTS);
	assert_int_equal(c.points, 0);
	assert_true(c.capped);
}

static void weekly_goal_bonus_once(void **state)
{
	(void)state;
	struct game_week w = {0};
	struct game_credit c;
	game_credit(&w, 2, 10, 0, 0, &c);
	assert_false(c.goal_now);
	assert_int_equal(c.points, 10);
	game_credit(&w, 2, 10, 0, 0, &c);
	assert_true(c.goal_now);
	assert_int_equal(c.points, 10 + GAME_GOAL_BONUS);
	game_credit(&w, 2, 10, 0, 0, &c);
	assert_false(c.goal_now);
	assert_int_equal(w.points, 30 + GAME_GOAL_BONUS);
	/* The bonus does not use up the cap: 500 points of actions and the bonus. */
	struct game_week w2 = {0};
	for (int i = 0; i < 7; i++)
		game_credit(&w2, 3, 100, 0, 0, &c);
	assert_int_equal(w2.points, GAME_CAP_POINTS + GAME_GOAL_BONUS);
	/* The bonus is paid even when the points cap is reached. */
	struct game_week full = {.points = GAME_CAP_POINTS};
	game_credit(&full, 1, 10, 0, 0, &c);
	assert_true(c.goal_now);
	assert_int_equal(c.points, GAME_GOAL_BONUS);
}

static void streak_rule(void **state)
{
	(void)state;
	struct game_streak s;
	/* Weeks 0-3 active, 4 empty, 5-6 active; this week is 7, still empty. */
	uint64_t active = 0x0f | (1u << 5) | (1u << 6);
	game_streak(active, 7, &s);
	assert_int_equal(s.current, 2); /* week 7 in progress: the run ending week 6 */
	assert_int_equal(s.best, 4);
	game_streak(active | (1u << 7), 7, &s);
	assert_int_equal(s.current, 3);
	game_streak(active, 8, &s); /* week 7 passed empty: the streak is broken */
	assert_int_equal(s.current, 0);
	assert_int_equal(s.best, 4);
	game_streak(0, 0, &s);
	assert_int_equal(s.current, 0);
	game_streak(1, 0, &s);
	assert_int_equal(s.current, 1);
	game_streak(UINT64_MAX, 63, &s);
	assert_int_equal(s.current, 64);
	assert_int_equal(s.best, 64);
	game_streak(UINT64_MAX, 200, &s); /* clamped to the last week */
	assert_int_equal(s.best, 64);
}

static void badges(void **state)
{
	(void)state;
	struct game_stats st = {0};
	assert_int_equal(game_badges(&st), 0);
	st.checkins = 1;
	assert_int_equal(game_badges(&st), 1u << BADGE_PREMIER_PAS);
	st.checkins = 10;
	st.co2e_g = 100000;
	st.categories = 0x1f;
	st.best_streak = 4;
	uint32_t b = game_badges(&st);
	assert_true(b & (1u << BADGE_DIX_GESTES));
	assert_true(b & (1u << BADGE_CENT_KILOS));
	assert_true(b & (1u << BADGE_TOUCHE_A_TOUT));
	assert_true(b & (1u << BADGE_SERIE_4));
	assert_false(b & (1u << BADGE_SERIE_12));
	assert_false(b & (1u << BADGE_UNE_TONNE));
	st.categories = 0x0f;
	assert_false(game_badges(&st) & (1u << BADGE_TOUCHE_A_TOUT));
	assert_string_equal(game_badge_id(BADGE_PESEUR), "peseur");
	assert_null(game_badge_id(BADGE__COUNT));
}

static void levels(void **state)
{
	(void)state;
	uint32_t next;
	assert_string_equal(game_level(0, &next)->id, "graine");
	assert_int_equal(next, 50);
	assert_string_equal(game_level(49, &next)->id, "graine");
	assert_string_equal(game_level(50, &next)->id, "pousse");
	assert_int_equal(next, 150);
	assert_string_equal(game_level(1999, &next)->name_fr, "Arbre");
	assert_string_equal(game_level(2000, &next)->name_fr, "Forêt");
	assert_int_equal(next, 0);
	assert_string_equal(game_level(UINT64_MAX, &next)->id, "foret");
}

static void rules_json(void **state)
{
	(void)state;
	struct jbuf b;
	jbuf_init(&b, 0);
	game_rules_json(&b);
	const char *t = jbuf_data(&b);
	assert_non_null(strstr(t, "\"caps\":{\"co2e_g\":10000,\"waste_g\":5000,\"points\":500}"));
	assert_non_null(strstr(t, "\"id\":\"touche-a-tout\""));
	assert_non_null(strstr(t, "\"min_points\":2000"));
	assert_non_null(strstr(t, "\"streak_rule\":{\"fr\":"));
	jbuf_fini(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(caps_per_week), cmocka_unit_test(weekly_goal_bonus_once),
	    cmocka_unit_test(streak_rule),   cmocka_unit_test(badges),
	    cmocka_unit_test(levels),	     cmocka_unit_test(rules_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for the LMDB record codecs: round trips and refusal of damaged rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "records.h"

static void participant_round_trip(void **state)
{
	(void)state;
	struct participant p, q;
	struct jbuf b;
	memset(&p, 0, sizeof(p));
	for (int i = 0; i < 16; i++)
		p.id[i] = (unsigned char)(i * 7);
	snprintf(p.nickname, sizeof(p.nickname), "Élodie-92");
	snprintf(p.neighbourhood, sizeof(p.neighbourhood), "Les Épinettes");
	p.household_size = 4;
	memcpy(p.lang, "en", 3);
	p.hidden = true;
	p.weekly_goal = 5;
	p.created_at = 1795000000;
	memset(p.token_hash, 0xab, sizeof(p.token_hash));
	memset(p.recovery_hash, 0xcd, sizeof(p.recovery_hash));
	jbuf_init(&b, 0);
	rec_participant_encode(&p, &b);
	assert_true(rec_participant_decode(jbuf_data(&b), b.len, &q));
	assert_memory_equal(p.id, q.id, 16);
	assert_string_equal(q.nickname, "Élodie-92");
	assert_string_equal(q.neighbourhood, "Les Épinettes");
	assert_int_equal(q.household_size, 4);
	assert_string_equal(q.lang, "en");
	assert_true(q.hidden);
	assert_int_equal(q.weekly_goal, 5);
	assert_int_equal(q.created_at, 1795000000);
	assert_memory_equal(p.token_hash, q.token_hash, 32);
	assert_memory_equal(p.recovery_hash, q.recovery_hash, 32);
	jbuf_fini(&b);
}

static void truncated_and_trailing_refused(void **state)
{
	(void)state;
	struct participant p, q;
	struct jbuf b;
	memset(&p, 0, sizeof(p));
	snprintf(p.nickname, sizeof(p.nickname), "abc");
	memcpy(p.lang, "fr", 3);
	p.weekly_goal = 7;
	jbuf_init(&b, 0);
	rec_participant_encode(&p, &b);
	/* Without its last byte a row is the layout from before the weekly goal:
	 * it decodes, with the default goal. Every other cut is refused. */
	for (size_t cut = 0; cut + 1 < b.len; cut++)
		assert_false(rec_participant_decode(jbuf_data(&b), cut, &q));
	assert_true(rec_participant_decode(jbuf_data(&b), b.len - 1, &q));
	assert_int_equal(q.weekly_goal, 3);
	jbuf_data(&b)[b.len - 1] = 0; /* a goal of 0 is not a goal */
	assert_false(rec_participant_decode(jbuf_data(&b), b.len, &q));
	jbuf_data(&b)[b.len - 1] = 7;
	jbuf_putc(&b, 'x');
	assert_false(rec_participant_decode(jbuf_data(&b), b.len, &q));
	jbuf_fini(&b);
}

static void unknown_format_refused(void **state)
{
	(void)state;
	struct admin_account a, out;
	struct jbuf b;
	memset(&a, 0, sizeof(a));
	snprintf(a.username, sizeof(a.username), "marie");
	a.role = ROLE_MODERATOR;
	snprintf(a.pwhash, sizeof(a.pwhash), "$argon2id$v=19$m=65536,t=2,p=1$x$y");
	jbuf_init(&b, 0);
	rec_admin_encode(&a, &b);
	assert_true(rec_admin_decode(jbuf_data(&b), b.len, &out));
	assert_int_equal(out.role, ROLE_MODERATOR);
	assert_string_equal(out.pwhash, a.pwhash);
	jbuf_data(&b)[0] = 9; /* a format this build does not know */
	assert_false(rec_admin_decode(jbuf_data(&b), b.len, &out));
	jbuf_fini(&b);
}

static void string_length_overflow_refused(void **state)
{
	(void)state;
	struct session_case {
		unsigned char bytes[16];
	};
	/* format 1, then a username length far beyond the buffer */
	unsigned char evil[] = {1, 0xff, 0xff, 0xff, 0x7f, 'a', 'b'};
	struct admin_session s;
	assert_false(rec_session_decode(evil, sizeof(evil), &s));
	assert_string_equal(s.username, "");
}

static void city_round_trip_and_cap(void **state)
{
	(void)state;
	struct city c, d;
	struct jbuf b;
	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "Issy-les-Moulineaux");
	c.population = 70000;
	c.n_neighbourhoods = 2;
	snprintf(c.neighbourhoods[0], sizeof(c.neighbourhoods[0]), "Centre-Ville");
	snprintf(c.neighbourhoods[1], sizeof(c.neighbourhoods[1]), "Île Saint-Germain");
	jbuf_init(&b, 0);
	rec_city_encode(&c, &b);
	assert_true(rec_city_decode(jbuf_data(&b), b.len, &d));
	assert_int_equal(d.population, 70000);
	assert_int_equal(d.n_neighbourhoods, 2);
	assert_string_equal(d.neighbourhoods[1], "Île Saint-Germain");
	/* A damaged row claiming more neighbourhoods than the cap is refused: the
	 * count follows the format byte, the name and the population. */
	unsigned char *count = (unsigned char *)jbuf_data(&b) + 1 + 4 + strlen(c.name) + 4;
	assert_int_equal(count[0], 2);
	count[0] = REC_MAX_NEIGHBOURHOODS + 1;
	assert_false(rec_city_decode(jbuf_data(&b), b.len, &d));
	jbuf_fini(&b);
}

static void roles(void **state)
{
	(void)state;
	enum rec_role r;
	assert_true(rec_role_parse("animator", &r));
	assert_int_equal(r, ROLE_ANIMATOR);
	assert_false(rec_role_parse("root", &r));
	assert_false(rec_role_parse("", &r));
	assert_string_equal(rec_role_name(ROLE_ADMIN), "admin");
	assert_null(rec_role_name((enum rec_role)42));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(participant_round_trip),
	    cmocka_unit_test(truncated_and_trailing_refused),
	    cmocka_unit_test(unknown_format_refused),
	    cmocka_unit_test(string_length_overflow_refused),
	    cmocka_unit_test(city_round_trip_and_cap),
	    cmocka_unit_test(roles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for strict UTF-8: every class of invalid sequence is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

static void valid_text(void **state)
{
	(void)state;
	const char *s = "Zéro carbone ✓ 🌍";
	assert_true(utf8_valid(s, strlen(s)));
	assert_int_equal(utf8_count(s, strlen(s)), 16);
	assert_true(utf8_valid("", 0));
}

static void invalid_sequences(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "\xc0\xaf",		/* overlong '/' */
	    "\xe0\x80\xaf",	/* overlong */
	    "\xed\xa0\x80",	/* surrogate U+D800 */
	    "\xf4\x90\x80\x80", /* above U+10FFFF */
	    "\x80",		/* lone continuation */
	    "\xc3",		/* truncated */
	    "\xe2\x82",		/* truncated */
	    "\xff",		/* never valid */
	    "a\xc3(",		/* bad continuation */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(utf8_valid(bad[i], strlen(bad[i])));
		assert_int_equal(utf8_count(bad[i], strlen(bad[i])), -1);
	}
	/* A NUL byte is refused by utf8_valid (strings are C strings downstream). */
	assert_false(utf8_valid("a\0b", 3));
}

static void readable_text(void **state)
{
	(void)state;
	assert_true(utf8_text_ok("Vélo", 4, false));
	assert_false(utf8_text_ok("Vélos", 4, false)); /* 5 code points */
	assert_false(utf8_text_ok("", 10, false));
	assert_false(utf8_text_ok("   ", 10, false));
	assert_false(utf8_text_ok("\xc2\xa0\xe2\x80\xaf\t", 10, true)); /* NBSP, NNBSP, tab */
	assert_true(utf8_text_ok(" a ", 10, false));
	assert_false(utf8_text_ok("ligne\nligne", 20, false));
	assert_true(utf8_text_ok("ligne\nligne", 20, true));
	assert_false(utf8_text_ok("a\rb", 20, true));
	assert_false(utf8_text_ok("a\x7f", 20, false));	   /* DEL */
	assert_false(utf8_text_ok("a\xc2\x85", 20, true)); /* C1 control NEL */
	assert_false(utf8_text_ok("a\xc3", 20, false));	   /* truncated */
}

static void encode_round_trip(void **state)
{
	(void)state;
	const uint32_t cps[] = {0x41,	0xe9,	 0x7ff,	  0x800,   0x20ac,
				0xffff, 0x10000, 0x1f30d, 0x10ffff};
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		char buf[4];
		size_t n = utf8_encode(cps[i], buf), pos = 0;
		assert_true(n >= 1 && n <= 4);
		assert_int_equal(utf8_next(buf, n, &pos), (int32_t)cps[i]);
		assert_int_equal(pos, n);
	}
	char buf[4];
	assert_int_equal(utf8_encode(0xd800, buf), 0);
	assert_int_equal(utf8_encode(0x110000, buf), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(valid_text),
	    cmocka_unit_test(invalid_sequences),
	    cmocka_unit_test(encode_round_trip),
	    cmocka_unit_test(readable_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

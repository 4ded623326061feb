/* Unit tests for nickname rules, folding and deny-list matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nickname.h"

static enum nickname_status check(const char *s)
{
	return nickname_check(s, strlen(s));
}

static void form_rules(void **state)
{
	(void)state;
	assert_int_equal(check("Élodie 92"), NICKNAME_OK);
	assert_int_equal(check("Jean-Marc_du.Fort"), NICKNAME_OK);
	assert_int_equal(check("L'écolo"), NICKNAME_OK);
	assert_int_equal(check("L’écolo"), NICKNAME_OK);
	assert_int_equal(check("Œdipe"), NICKNAME_OK);
	assert_int_equal(check("ab"), NICKNAME_LENGTH);
	assert_int_equal(check("abcdefghijklmnopqrstuvwxy"), NICKNAME_LENGTH);
	assert_int_equal(check("ééé"), NICKNAME_OK); /* counted in characters, not bytes */
	assert_int_equal(check("a@b.fr"), NICKNAME_CHARS);
	assert_int_equal(check("abc🌍"), NICKNAME_CHARS);
	assert_int_equal(check("2×3"), NICKNAME_CHARS);
	assert_int_equal(check("-abc"), NICKNAME_FORM);
	assert_int_equal(check("abc."), NICKNAME_FORM);
	assert_int_equal(check("a  bc"), NICKNAME_FORM);
	assert_int_equal(check("ab\xc3"), NICKNAME_BAD_UTF8);
	assert_non_null(strstr(nickname_message(NICKNAME_LENGTH), "3 to 24"));
}

static void folding(void **state)
{
	(void)state;
	char out[NICKNAME_FOLD_CAP];
	assert_int_equal(nickname_fold("Élodie", strlen("Élodie"), out, sizeof(out)), 6);
	assert_string_equal(out, "elodie");
	nickname_fold("E.LO-die 9", strlen("E.LO-die 9"), out, sizeof(out));
	assert_string_equal(out, "elodie9");
	nickname_fold("Œuf Æther Straße", strlen("Œuf Æther Straße"), out, sizeof(out));
	assert_string_equal(out, "oeufaetherstrasse");
	nickname_fold("Łódź Ğ", strlen("Łódź Ğ"), out, sizeof(out));
	assert_string_equal(out, "lodzg");
	/* The longest nickname of two-letter folds still fits the documented cap. */
	const char *ae24 = "ææææææææææææææææææææææææ";
	assert_int_equal(nickname_fold(ae24, strlen(ae24), out, sizeof(out)), 48);
	char tiny[4];
	assert_int_equal(nickname_fold("abcdef", 6, tiny, sizeof(tiny)), -1);
	assert_int_equal(nickname_fold("a\xff", 2, out, sizeof(out)), -1);
}

static void deny_list(void **state)
{
	(void)state;
	char out[NICKNAME_FOLD_CAP];
	size_t n = 0;
	while (nickname_default_denylist[n])
		n++;
	assert_true(n > 10);
	nickname_fold("Le.Con-nard", strlen("Le.Con-nard"), out, sizeof(out));
	assert_true(nickname_denied(out, nickname_default_denylist, n));
	nickname_fold("Àdministrateur", strlen("Àdministrateur"), out, sizeof(out));
	assert_true(nickname_denied(out, nickname_default_denylist, n));
	/* No Scunthorpe problem for ordinary names. */
	static const char *const fine[] = {"Constance", "Badminton 92", "Technique",
					   "Unique",	"Computer",	"Retraité"};
	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		nickname_fold(fine[i], strlen(fine[i]), out, sizeof(out));
		assert_false(nickname_denied(out, nickname_default_denylist, n));
	}
	/* Every default word is already folded, or it could never match. */
	for (size_t i = 0; i < n; i++) {
		char f[64];
		const char *w = nickname_default_denylist[i];
		w += w[0] == '=';
		assert_int_equal(nickname_fold(w, strlen(w), f, sizeof(f)), (long)strlen(w));
		assert_string_equal(f, w);
	}
}

static void whole_nickname_words(void **state)
{
	(void)state;
	char out[NICKNAME_FOLD_CAP];
	size_t n = 0;
	while (nickname_default_denylist[n])
		n++;
	nickname_fold("A.d.m.i.n", strlen("A.d.m.i.n"), out, sizeof(out));
	assert_true(nickname_denied(out, nickname_default_denylist, n));
	nickname_fold("Àdmin", strlen("Àdmin"), out, sizeof(out));
	assert_true(nickname_denied(out, nickname_default_denylist, n));
	nickname_fold("Admin92", strlen("Admin92"), out, sizeof(out));
	assert_false(nickname_denied(out, nickname_default_denylist, n));
	assert_true(nickname_word_matches("admin", "=admin"));
	assert_false(nickname_word_matches("badminton", "=admin"));
	assert_true(nickname_word_matches("badminton", "admin"));
	assert_false(nickname_word_matches("abc", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(form_rules),
	    cmocka_unit_test(folding),
	    cmocka_unit_test(deny_list),
	    cmocka_unit_test(whole_nickname_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

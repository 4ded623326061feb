/* Nickname rules and folding. Folding maps every nickname to the key used for
 * uniqueness and deny-list matching, so "Élodie", "elodie" and "E.lodie" are
 * one name and "Àdmin-istrateur" is caught like "administrateur". */
#include <string.h>

#include "nickname.h"
#include "utf8.h"

/* Base letters of U+00C0..U+017F (Latin-1 Supplement letters and Latin
 * Extended-A); NULL for the two symbols in that range (× and ÷). */
static const char *const latin_fold[0x180 - 0xc0] = {
    "a", "a", "a",  "a",  "a", "a", "ae", "c",	"e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o",  "o",  "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a",  "a",  "a", "a", "ae", "c",	"e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o",  "o",  "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", "th", "y",
    "a", "a", "a",  "a",  "a", "a", "c",  "c",	"c", "c", "c", "c", "c", "c", "d",  "d",
    "d", "d", "e",  "e",  "e", "e", "e",  "e",	"e", "e", "e", "e", "g", "g", "g",  "g",
    "g", "g", "g",  "g",  "h", "h", "h",  "h",	"i", "i", "i", "i", "i", "i", "i",  "i",
    "i", "i", "ij", "ij", "j", "j", "k",  "k",	"k", "l", "l", "l", "l", "l", "l",  "l",
    "l", "l", "l",  "n",  "n", "n", "n",  "n",	"n", "n", "n", "n", "o", "o", "o",  "o",
    "o", "o", "oe", "oe", "r", "r", "r",  "r",	"r", "r", "s", "s", "s", "s", "s",  "s",
    "s", "s", "t",  "t",  "t", "t", "t",  "t",	"u", "u", "u", "u", "u", "u", "u",  "u",
    "u", "u", "u",  "u",  "w", "w", "y",  "y",	"y", "z", "z", "z", "z", "z", "z",  "s",
};

const char *const nickname_default_denylist[] = {
    /* Names that would let a participant pass for the organisers: as parts of
     * a nickname, and (with '=') short ones only as the whole nickname, so
     * "Badminton" stays allowed while "Admin" is not. */
    "administrat", "moderateur", "moderatrice", "moderator", "animateur", "animatrice", "animator",
    "zcnode", "officiel", "official", "webmaster", "superuser", "=admin", "=moderation", "=support",
    "=root", "=system", "=staff", "=mairie", "=equipe",
    /* Common insults and hate terms, French then English. Short words are left
     * out on purpose: matching is by substring, and "con" is in "Constance". */
    "connard", "connasse", "encule", "salope", "salopard", "enfoire", "batard", "pouffiasse",
    "tapette", "bougnoul", "youpin", "negre", "pedophile", "nazi", "hitler", "putain", "fuck",
    "motherf", "asshole", "bitch", "nigger", "faggot", "whore", NULL};

static bool is_letter(int32_t cp)
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
		return true;
	return cp >= 0xc0 && cp < 0x180 && latin_fold[cp - 0xc0] != NULL;
}

static bool is_digit(int32_t cp)
{
	return cp >= '0' && cp <= '9';
}

/* Separators allowed inside a nickname; U+2019 is the apostrophe phones type. */
static bool is_separator(int32_t cp)
{
	return cp == ' ' || cp == '-' || cp == '_' || cp == '.' || cp == '\'' || cp == 0x2019;
}

enum nickname_status nickname_check(const char *nick, size_t n)
{
	return nickname_check_name(nick, n, NICKNAME_MIN, NICKNAME_MAX);
}

enum nickname_status nickname_check_name(const char *nick, size_t n, long min, long max)
{
	size_t pos = 0;
	long count = 0;
	int32_t cp = 0, prev = 0, first = -1;

	if (!utf8_valid(nick, n))
		return NICKNAME_BAD_UTF8;
	count = utf8_count(nick, n);
	if (count < min || count > max)
		return NICKNAME_LENGTH;
	while (pos < n) {
		cp = utf8_next(nick, n, &pos);
		if (!is_letter(cp) && !is_digit(cp) && !is_separator(cp))
			return NICKNAME_CHARS;
		if (first < 0)
			first = cp;
		if (cp == ' ' && prev == ' ')
			return NICKNAME_FORM;
		prev = cp;
	}
	if (is_separator(first) || is_separator(cp))
		return NICKNAME_FORM;
	return NICKNAME_OK;
}

long nickname_fold(const char *nick, size_t n, char *out, size_t cap)
{
	size_t pos = 0, o = 0;
	while (pos < n) {
		int32_t cp = utf8_next(nick, n, &pos);
		const char *add = NULL;
		char one[2] = {0, 0};
		if (cp < 0)
			return -1;
		if ((cp >= 'a' && cp <= 'z') || is_digit(cp)) {
			one[0] = (char)cp;
			add = one;
		} else if (cp >= 'A' && cp <= 'Z') {
			one[0] = (char)(cp - 'A' + 'a');
			add = one;
		} else if (cp >= 0xc0 && cp < 0x180) {
			add = latin_fold[cp - 0xc0];
		}
		if (!add)
			continue;
		size_t l = strlen(add);
		if (o + l + 1 > cap)
			return -1;
		memcpy(out + o, add, l);
		o += l;
	}
	if (cap == 0)
		return -1;
	out[o] = '\0';
	return (long)o;
}

bool nickname_word_matches(const char *folded, const char *word)
{
	if (word[0] == '=')
		return strcmp(folded, word + 1) == 0;
	return word[0] && strstr(folded, word) != NULL;
}

bool nickname_denied(const char *folded, const char *const *words, size_t nwords)
{
	for (size_t i = 0; i < nwords; i++)
		if (nickname_word_matches(folded, words[i]))
			return true;
	return false;
}

const char *nickname_message(enum nickname_status st)
{
	switch (st) {
	case NICKNAME_OK:
		return "nickname is valid";
	case NICKNAME_BAD_UTF8:
		return "nickname is not valid UTF-8";
	case NICKNAME_LENGTH:
		return "nickname must be 3 to 24 characters";
	case NICKNAME_CHARS:
		return "nickname may only hold letters, digits, spaces and - _ . '";
	case NICKNAME_FORM:
		return "nickname must start and end with a letter or digit, without two spaces "
		       "in a row";
	case NICKNAME_DENIED:
		return "nickname is not allowed";
	}
	return "nickname is not valid";
}

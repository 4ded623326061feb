/* Public nicknames: validation of the allowed form, folding to a comparison key
 * (lowercase, accents removed, separators dropped) used for uniqueness and for
 * the deny-list. Pure: no allocation, no I/O. */
#ifndef ZC_NICKNAME_H
#define ZC_NICKNAME_H

#include <stdbool.h>
#include <stddef.h>

#define NICKNAME_MIN 3	/* code points */
#define NICKNAME_MAX 24 /* code points */
/* Folded keys are ASCII [a-z0-9] only, so at most NICKNAME_MAX*2 bytes + NUL
 * (a few Latin letters fold to two: æ→ae, œ→oe, ß→ss). */
#define NICKNAME_FOLD_CAP (NICKNAME_MAX * 2 + 1)

enum nickname_status {
	NICKNAME_OK = 0,
	NICKNAME_BAD_UTF8, /* not strict UTF-8 */
	NICKNAME_LENGTH,   /* fewer than MIN or more than MAX code points */
	NICKNAME_CHARS,	   /* a character outside letters, digits, " -_.'" */
	NICKNAME_FORM,	   /* must start and end with a letter or digit, no double space */
	NICKNAME_DENIED,   /* contains a deny-listed word */
};

/* Checks the form of nick[0..n) (not the deny-list). */
enum nickname_status nickname_check(const char *nick, size_t n);
/* The same rules for another name (a team's) of min to max code points. */
enum nickname_status nickname_check_name(const char *nick, size_t n, long min, long max);

/* Folds nick[0..n) into out (cap bytes, NUL-terminated): ASCII letters lowercased,
 * Latin accented letters (U+00C0–U+017F) mapped to their base letters, digits kept,
 * everything else dropped. Returns the folded length, or -1 on invalid UTF-8 or
 * when out is too small. */
long nickname_fold(const char *nick, size_t n, char *out, size_t cap);

/* True when the deny-list word matches the folded nickname: a word starting
 * with '=' must equal the whole nickname, any other is matched as a substring. */
bool nickname_word_matches(const char *folded, const char *word);
/* True when any of the words matches the folded nickname. */
bool nickname_denied(const char *folded, const char *const *words, size_t nwords);

/* Human text (English) for a status, for error messages. */
const char *nickname_message(enum nickname_status st);

/* The deny-list every node starts with (reserved role names and common French
 * and English insults), folded, '=' marking whole-nickname words; NULL-ended. */
extern const char *const nickname_default_denylist[];

#endif

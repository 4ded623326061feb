/* Strict UTF-8 validation and code-point iteration (RFC 3629: no overlongs,
 * no surrogates, nothing above U+10FFFF). Pure: no allocation. */
#ifndef ZC_UTF8_H
#define ZC_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..n) is strict UTF-8 and contains no NUL byte. */
bool utf8_valid(const char *s, size_t n);

/* Decodes the code point at s[*pos], advances *pos; returns -1 on invalid input. */
int32_t utf8_next(const char *s, size_t n, size_t *pos);

/* Number of code points in valid UTF-8 s[0..n), or -1 when invalid. */
long utf8_count(const char *s, size_t n);

/* Encodes cp into out (at least 4 bytes); returns the byte count, 0 if cp invalid. */
size_t utf8_encode(uint32_t cp, char *out);

/* True when s is a text people can read: 1 to max code points, at least one
 * of them not white space, and no control character (a line feed is allowed
 * when multiline). */
bool utf8_text_ok(const char *s, long max, bool multiline);

#endif

/* Strict UTF-8 (RFC 3629). Every byte sequence is decoded through one function,
 * so validation, counting and iteration cannot disagree about what is valid. */
#include <string.h>

#include "utf8.h"

int32_t utf8_next(const char *s, size_t n, size_t *pos)
{
	const unsigned char *p = (const unsigned char *)s + *pos;
	size_t left = n - *pos;
	uint32_t cp, min;
	size_t len;

	if (left == 0)
		return -1;
	if (p[0] < 0x80) {
		*pos += 1;
		return p[0];
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		cp = p[0] & 0x1f;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		cp = p[0] & 0x0f;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	if (left < len)
		return -1;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*pos += len;
	return (int32_t)cp;
}

bool utf8_valid(const char *s, size_t n)
{
	size_t pos = 0;
	while (pos < n) {
		int32_t cp = utf8_next(s, n, &pos);
		if (cp <= 0)
			return false;
	}
	return true;
}

long utf8_count(const char *s, size_t n)
{
	size_t pos = 0;
	long count = 0;
	while (pos < n) {
		if (utf8_next(s, n, &pos) < 0)
			return -1;
		count++;
	}
	return count;
}

size_t utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp > 0x10ffff)
		return 0;
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* White space as people see it: the ASCII blanks, no-break spaces, the
 * typographic spaces of U+2000–U+200B, line and paragraph separators, the
 * ideographic space. A text made only of these looks empty. */
static bool is_blank(int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0xa0 ||
	       cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200b) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x202f || cp == 0x205f || cp == 0x3000 || cp == 0xfeff;
}

bool utf8_text_ok(const char *s, long max, bool multiline)
{
	size_t n = strlen(s), pos = 0;
	long count = 0;
	bool visible = false;
	while (pos < n) {
		int32_t cp = utf8_next(s, n, &pos);
		if (cp < 0 || ++count > max)
			return false;
		if ((cp < 0x20 && !(multiline && cp == '\n')) || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0))
			return false;
		if (!is_blank(cp))
			visible = true;
	}
	return visible;
}

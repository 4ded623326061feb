/* Strict unpadded base64url. The decoder is the strict one federation needs:
 * one canonical text per byte string, so a signature cannot be malleated by
 * re-encoding. */
#include <stdint.h>

#include "b64url.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int value_of(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

size_t b64url_encoded_len(size_t n)
{
	return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

size_t b64url_encode(const unsigned char *in, size_t n, char *out, size_t cap)
{
	size_t len = b64url_encoded_len(n), o = 0, i = 0;
	if (cap < len + 1)
		return 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = alphabet[v >> 18];
		out[o++] = alphabet[(v >> 12) & 63];
		out[o++] = alphabet[(v >> 6) & 63];
		out[o++] = alphabet[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;
		out[o++] = alphabet[v >> 18];
		out[o++] = alphabet[(v >> 12) & 63];
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = alphabet[v >> 18];
		out[o++] = alphabet[(v >> 12) & 63];
		out[o++] = alphabet[(v >> 6) & 63];
	}
	out[o] = '\0';
	return o;
}

long b64url_decode(const char *s, size_t n, unsigned char *out, size_t cap)
{
	size_t o = 0, i = 0;
	if (n % 4 == 1)
		return -1;
	size_t need = n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0);
	if (need > cap)
		return -1;
	for (; i + 4 <= n; i += 4) {
		int a = value_of(s[i]), b = value_of(s[i + 1]), c = value_of(s[i + 2]),
		    d = value_of(s[i + 3]);
		if ((a | b | c | d) < 0)
			return -1;
		uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
		out[o++] = (unsigned char)(v >> 16);
		out[o++] = (unsigned char)(v >> 8);
		out[o++] = (unsigned char)v;
	}
	if (n - i == 2) {
		int a = value_of(s[i]), b = value_of(s[i + 1]);
		/* The unused low 4 bits must be zero, or two texts decode alike. */
		if ((a | b) < 0 || (b & 15))
			return -1;
		out[o++] = (unsigned char)(a << 2 | b >> 4);
	} else if (n - i == 3) {
		int a = value_of(s[i]), b = value_of(s[i + 1]), c = value_of(s[i + 2]);
		if ((a | b | c) < 0 || (c & 3))
			return -1;
		out[o++] = (unsigned char)(a << 2 | b >> 4);
		out[o++] = (unsigned char)((b & 15) << 4 | c >> 2);
	}
	return (long)o;
}

/* Record primitives. Readers never trust a length: every read is checked
 * against what is left, and the first failure poisons the reader. */
#include <string.h>

#include "recio.h"

void recio_put_u8(struct jbuf *b, uint8_t v)
{
	jbuf_put(b, &v, 1);
}

void recio_put_u16(struct jbuf *b, uint16_t v)
{
	unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
	jbuf_put(b, x, 2);
}

void recio_put_u32(struct jbuf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 24)};
	jbuf_put(b, x, 4);
}

void recio_put_i64(struct jbuf *b, int64_t sv)
{
	uint64_t v = (uint64_t)sv;
	unsigned char x[8];
	for (int i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	jbuf_put(b, x, 8);
}

void recio_put_str(struct jbuf *b, const char *s)
{
	size_t n = strlen(s);
	recio_put_u32(b, (uint32_t)n);
	jbuf_put(b, s, n);
}

static const unsigned char *take(struct recio_reader *r, size_t n)
{
	if (!r->ok || r->left < n) {
		r->ok = false;
		return NULL;
	}
	const unsigned char *p = r->p;
	r->p += n;
	r->left -= n;
	return p;
}

uint8_t recio_get_u8(struct recio_reader *r)
{
	const unsigned char *p = take(r, 1);
	return p ? p[0] : 0;
}

uint16_t recio_get_u16(struct recio_reader *r)
{
	const unsigned char *p = take(r, 2);
	return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

uint32_t recio_get_u32(struct recio_reader *r)
{
	const unsigned char *p = take(r, 4);
	return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		       (uint32_t)p[3] << 24
		 : 0;
}

int64_t recio_get_i64(struct recio_reader *r)
{
	const unsigned char *p = take(r, 8);
	uint64_t v = 0;
	if (!p)
		return 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return (int64_t)v;
}

void recio_get_str(struct recio_reader *r, char *out, size_t cap)
{
	size_t n;
	const char *s = recio_get_strview(r, cap - 1, &n);
	if (!s || memchr(s, 0, n)) {
		r->ok = false;
		out[0] = '\0';
		return;
	}
	memcpy(out, s, n);
	out[n] = '\0';
}

const char *recio_get_strview(struct recio_reader *r, size_t max, size_t *len)
{
	uint32_t n = recio_get_u32(r);
	*len = 0;
	if (!r->ok || n > max) {
		r->ok = false;
		return NULL;
	}
	const unsigned char *p = take(r, n);
	if (!p)
		return NULL;
	*len = n;
	return (const char *)p;
}

void recio_get_bytes(struct recio_reader *r, void *out, size_t n)
{
	const unsigned char *p = take(r, n);
	if (p)
		memcpy(out, p, n);
}

bool recio_start(struct recio_reader *r, const void *buf, size_t len)
{
	r->p = buf;
	r->left = len;
	r->ok = true;
	return recio_get_u8(r) == RECIO_FMT_V1;
}

bool recio_finish(const struct recio_reader *r)
{
	return r->ok && r->left == 0;
}

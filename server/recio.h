/* The primitives every stored record is made of: a format byte, little-endian
 * integers and length-prefixed strings, read back with bounds checks so that a
 * damaged row is refused instead of overrunning a buffer. Pure. */
#ifndef ZC_RECIO_H
#define ZC_RECIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jbuf.h"

#define RECIO_FMT_V1 1

struct recio_reader {
	const unsigned char *p;
	size_t left;
	bool ok; /* false from the first out-of-bounds or malformed read on */
};

void recio_put_u8(struct jbuf *b, uint8_t v);
void recio_put_u16(struct jbuf *b, uint16_t v);
void recio_put_u32(struct jbuf *b, uint32_t v);
void recio_put_i64(struct jbuf *b, int64_t v);
/* A string as a u32 length and its bytes (no NUL). */
void recio_put_str(struct jbuf *b, const char *s);

/* Starts reading buf[0..len); false unless the format byte is RECIO_FMT_V1. */
bool recio_start(struct recio_reader *r, const void *buf, size_t len);
/* True when every read succeeded and nothing is left over. */
bool recio_finish(const struct recio_reader *r);
uint8_t recio_get_u8(struct recio_reader *r);
uint16_t recio_get_u16(struct recio_reader *r);
uint32_t recio_get_u32(struct recio_reader *r);
int64_t recio_get_i64(struct recio_reader *r);
/* Copies a string into out (cap bytes, NUL-terminated); refuses one that does
 * not fit or holds a NUL. */
void recio_get_str(struct recio_reader *r, char *out, size_t cap);
/* A string borrowed from the buffer (not NUL-terminated), at most max bytes. */
const char *recio_get_strview(struct recio_reader *r, size_t max, size_t *len);
void recio_get_bytes(struct recio_reader *r, void *out, size_t n);

#endif

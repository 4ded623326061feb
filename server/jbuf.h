/* A growable byte buffer with an optional reserved headroom in front (for
 * libwebsockets' LWS_PRE) and helpers that append correctly escaped JSON.
 * Out-of-memory aborts. */
#ifndef ZC_JBUF_H
#define ZC_JBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jbuf {
	char *mem;	 /* allocation: headroom bytes, then data */
	size_t headroom; /* bytes reserved before data */
	size_t len;	 /* bytes of data */
	size_t cap;	 /* bytes available for data (excluding headroom) */
};

/* Prepares an empty buffer with `headroom` bytes reserved before the data. */
void jbuf_init(struct jbuf *b, size_t headroom);
/* Frees the buffer's memory and resets it to empty. */
void jbuf_fini(struct jbuf *b);
/* Empties the buffer, keeping its memory. */
void jbuf_reset(struct jbuf *b);
/* Pointer to the data (after the headroom); always NUL-terminated. */
char *jbuf_data(const struct jbuf *b);
/* Makes room for n more data bytes. */
void jbuf_reserve(struct jbuf *b, size_t n);

void jbuf_put(struct jbuf *b, const void *p, size_t n);
void jbuf_puts(struct jbuf *b, const char *s);
void jbuf_putc(struct jbuf *b, char c);
void jbuf_printf(struct jbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends s[0..n) as a quoted JSON string; the input must be valid UTF-8
 * (control characters, quote and backslash are escaped, '<' '>' '&' too so the
 * output is safe inside HTML, U+2028/2029 escaped). */
void jbuf_json_strn(struct jbuf *b, const char *s, size_t n);
/* As jbuf_json_strn for a NUL-terminated string; NULL appends `null`. */
void jbuf_json_str(struct jbuf *b, const char *s);
/* Appends a JSON integer. */
void jbuf_json_int(struct jbuf *b, int64_t v);
/* Appends `true` or `false`. */
void jbuf_json_bool(struct jbuf *b, bool v);
/* Appends `"key":` (the key is escaped), preceded by ',' unless the previous
 * data byte is '{'. */
void jbuf_json_key(struct jbuf *b, const char *key);

#endif

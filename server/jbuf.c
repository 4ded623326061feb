/* Growable buffers and the JSON writer every response and frame goes through.
 * The escaping rules live here once, so no handler can emit invalid JSON or a
 * string that breaks out of an HTML context. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jbuf.h"
#include "utf8.h"

void jbuf_init(struct jbuf *b, size_t headroom)
{
	b->mem = NULL;
	b->headroom = headroom;
	b->len = 0;
	b->cap = 0;
}

void jbuf_fini(struct jbuf *b)
{
	free(b->mem);
	b->mem = NULL;
	b->len = 0;
	b->cap = 0;
}

void jbuf_reset(struct jbuf *b)
{
	b->len = 0;
	if (b->mem)
		b->mem[b->headroom] = '\0';
}

void jbuf_reserve(struct jbuf *b, size_t n)
{
	/* One byte beyond len is always kept for the terminating NUL. */
	if (b->mem && b->len + n + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1) {
		if (cap > SIZE_MAX / 2)
			abort();
		cap *= 2;
	}
	char *mem = realloc(b->mem, b->headroom + cap);
	if (!mem)
		abort();
	b->mem = mem;
	b->cap = cap;
	b->mem[b->headroom + b->len] = '\0';
}

char *jbuf_data(const struct jbuf *b)
{
	static char empty[1];
	if (!b->mem) {
		empty[0] = '\0';
		return empty;
	}
	return b->mem + b->headroom;
}

void jbuf_put(struct jbuf *b, const void *p, size_t n)
{
	jbuf_reserve(b, n);
	if (n)
		memcpy(b->mem + b->headroom + b->len, p, n);
	b->len += n;
	b->mem[b->headroom + b->len] = '\0';
}

void jbuf_puts(struct jbuf *b, const char *s)
{
	jbuf_put(b, s, strlen(s));
}

void jbuf_putc(struct jbuf *b, char c)
{
	jbuf_put(b, &c, 1);
}

void jbuf_printf(struct jbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	jbuf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->mem + b->headroom + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void jbuf_json_strn(struct jbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t pos = 0, run = 0;
	jbuf_reserve(b, n + 2);
	jbuf_putc(b, '"');
	while (pos < n) {
		size_t at = pos;
		int32_t cp = utf8_next(s, n, &pos);
		const char *esc = NULL;
		char u[7];
		if (cp < 0) {
			/* Callers promise UTF-8; should one slip, emit U+FFFD, never raw bytes. */
			pos = at + 1;
			esc = "\\ufffd";
		} else if (cp == '"') {
			esc = "\\\"";
		} else if (cp == '\\') {
			esc = "\\\\";
		} else if (cp == '\n') {
			esc = "\\n";
		} else if (cp == '\r') {
			esc = "\\r";
		} else if (cp == '\t') {
			esc = "\\t";
		} else if (cp < 0x20 || cp == '<' || cp == '>' || cp == '&' || cp == 0x2028 ||
			   cp == 0x2029) {
			u[0] = '\\';
			u[1] = 'u';
			u[2] = hex[(cp >> 12) & 15];
			u[3] = hex[(cp >> 8) & 15];
			u[4] = hex[(cp >> 4) & 15];
			u[5] = hex[cp & 15];
			u[6] = '\0';
			esc = u;
		}
		if (!esc) {
			run += pos - at;
			continue;
		}
		jbuf_put(b, s + at - run, run);
		run = 0;
		jbuf_puts(b, esc);
	}
	jbuf_put(b, s + n - run, run);
	jbuf_putc(b, '"');
}

void jbuf_json_str(struct jbuf *b, const char *s)
{
	if (!s) {
		jbuf_puts(b, "null");
		return;
	}
	jbuf_json_strn(b, s, strlen(s));
}

void jbuf_json_int(struct jbuf *b, int64_t v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	jbuf_put(b, tmp, (size_t)n);
}

void jbuf_json_bool(struct jbuf *b, bool v)
{
	jbuf_puts(b, v ? "true" : "false");
}

void jbuf_json_key(struct jbuf *b, const char *key)
{
	if (b->len && b->mem[b->headroom + b->len - 1] != '{')
		jbuf_putc(b, ',');
	jbuf_json_str(b, key);
	jbuf_putc(b, ':');
}

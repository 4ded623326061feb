/* Canonical JSON: the strict zcfed/1 parser, the value tree it builds in a
 * per-document arena, and the writer. The parser is iterative with an explicit
 * stack of at most CANON_MAX_DEPTH frames, so hostile nesting costs no C stack,
 * and every value lives in the document's arena, so an error path frees one list. */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "jbuf.h"
#include "utf8.h"

struct canon_member {
	const char *key;
	size_t key_len;
	struct canon_value *val;
};

struct canon_value {
	enum canon_type type;
	union {
		bool b;
		int64_t i;
		struct {
			char *s;
			size_t len;
		} str;
		struct {
			struct canon_value **items;
			size_t count, cap;
		} arr;
		struct {
			struct canon_member *m; /* always sorted by key bytes, keys unique */
			size_t count, cap;
		} obj;
	} u;
};

/* Arena: values and strings are never freed one by one, only with their document. */
struct chunk {
	struct chunk *next;
	size_t used, cap;
};

#define CHUNK_HDR   ((sizeof(struct chunk) + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1))
#define CHUNK_FIRST 1024
#define CHUNK_MAX   (64 * 1024)

struct canon_doc {
	struct chunk *chunks; /* the head is the chunk small allocations come from */
	size_t next_cap;
	struct canon_value *root;
};

static const char *const err_names[CANON_ERR__COUNT] = {
    [CANON_OK] = "ok",
    [CANON_ERR_SYNTAX] = "syntax",
    [CANON_ERR_WHITESPACE] = "not_canonical_whitespace",
    [CANON_ERR_BOM] = "byte_order_mark",
    [CANON_ERR_TRAILING] = "trailing_data",
    [CANON_ERR_KEY_ORDER] = "not_canonical_key_order",
    [CANON_ERR_DUPLICATE] = "duplicate_key",
    [CANON_ERR_NUMBER] = "not_canonical_number",
    [CANON_ERR_RANGE] = "integer_out_of_range",
    [CANON_ERR_FLOAT] = "float_not_allowed",
    [CANON_ERR_ESCAPE] = "not_canonical_escape",
    [CANON_ERR_CONTROL] = "control_character",
    [CANON_ERR_UTF8] = "invalid_utf8",
    [CANON_ERR_NUL] = "nul_in_string",
    [CANON_ERR_TOO_DEEP] = "too_deep",
    [CANON_ERR_TOO_LARGE] = "too_large",
    [CANON_ERR_STRING_LONG] = "string_too_long",
    [CANON_ERR_TOO_MANY] = "too_many_items",
};

const char *canon_err_name(enum canon_err e)
{
	if ((unsigned)e >= CANON_ERR__COUNT)
		return "unknown";
	return err_names[e];
}

static void *doc_alloc(struct canon_doc *d, size_t n, size_t align)
{
	struct chunk *c = d->chunks, *nc;
	if (n > SIZE_MAX / 2)
		abort();
	if (c) {
		size_t at = (c->used + align - 1) & ~(align - 1);
		if (at <= c->cap && c->cap - at >= n) {
			c->used = at + n;
			return (char *)c + CHUNK_HDR + at;
		}
	}
	if (c && n >= d->next_cap / 2) {
		/* A large block gets a chunk of its own behind the head, whose free space
		 * stays in use for the small values that follow. */
		nc = malloc(CHUNK_HDR + n);
		if (!nc)
			abort();
		nc->cap = n;
		nc->next = c->next;
		c->next = nc;
	} else {
		size_t cap = n > d->next_cap ? n : d->next_cap;
		nc = malloc(CHUNK_HDR + cap);
		if (!nc)
			abort();
		nc->cap = cap;
		nc->next = c;
		d->chunks = nc;
		if (d->next_cap < CHUNK_MAX)
			d->next_cap *= 2;
	}
	nc->used = n;
	return (char *)nc + CHUNK_HDR;
}

static struct canon_value *new_value(struct canon_doc *d, enum canon_type t)
{
	struct canon_value *v = doc_alloc(d, sizeof(*v), alignof(struct canon_value));
	memset(v, 0, sizeof(*v));
	v->type = t;
	return v;
}

static char *doc_strdup(struct canon_doc *d, const char *s, size_t n)
{
	char *p = doc_alloc(d, n + 1, 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

struct canon_doc *canon_new(void)
{
	struct canon_doc *d = calloc(1, sizeof(*d));
	if (!d)
		abort();
	d->next_cap = CHUNK_FIRST;
	return d;
}

void canon_free(struct canon_doc *d)
{
	if (!d)
		return;
	struct chunk *c = d->chunks;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	free(d);
}

const struct canon_value *canon_root(const struct canon_doc *d)
{
	return d ? d->root : NULL;
}

void canon_set_root(struct canon_doc *d, struct canon_value *v)
{
	if (d)
		d->root = v;
}

/* Bytewise order of keys, a prefix before the longer key (the canonical order). */
static int key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);
	if (r)
		return r;
	return alen < blen ? -1 : alen > blen;
}

/* Index of the first member whose key is not below key; *found when it is equal. */
static size_t member_search(const struct canon_member *m, size_t count, const char *key,
			    size_t klen, bool *found)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key_cmp(m[mid].key, m[mid].key_len, key, klen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < count && key_cmp(m[lo].key, m[lo].key_len, key, klen) == 0;
	return lo;
}

/* ---- parser ---- */

struct frame {
	bool is_obj;
	size_t base;	 /* first slot of this container in the scratch stack */
	const char *key; /* object: the key waiting for its value */
	size_t key_len;
};

struct parser {
	const char *buf;
	size_t len, pos;
	struct canon_doc *doc;
	/* Items of every open container, innermost last; copied into the arena when the
	 * container closes, so the whole parse does O(n) copying. */
	struct canon_member *slots;
	size_t top, cap;
	struct frame stack[CANON_MAX_DEPTH];
	size_t depth;
	size_t err_at;
};

static enum canon_err fail(struct parser *p, enum canon_err e, size_t at)
{
	p->err_at = at;
	return e;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Checks the \u escape at buf[i] (the backslash): only \u00xx with lowercase hex for a
 * control character that has no short form is canonical. */
static enum canon_err check_u_escape(struct parser *p, size_t i)
{
	const char *h = p->buf + i + 2;
	if (p->len - i < 6)
		return fail(p, CANON_ERR_SYNTAX, i);
	int cp = 0;
	bool upper = false;
	for (int k = 0; k < 4; k++) {
		int x = hex_value(h[k]);
		if (x < 0)
			return fail(p, CANON_ERR_SYNTAX, i);
		upper |= h[k] >= 'A' && h[k] <= 'F';
		cp = cp << 4 | x;
	}
	if (cp == 0)
		return fail(p, CANON_ERR_NUL, i);
	if (cp >= 0x20 || upper || cp == '\b' || cp == '\t' || cp == '\n' || cp == '\f' ||
	    cp == '\r')
		return fail(p, CANON_ERR_ESCAPE, i);
	return CANON_OK;
}

/* Parses the string at p->pos (its opening quote) into a NUL-terminated arena copy. Two
 * passes: the first validates and measures, so nothing is allocated for a refused
 * string and the copy is exactly as long as the decoded text. */
static enum canon_err parse_string(struct parser *p, char **out, size_t *out_len)
{
	const char *b = p->buf;
	size_t start = p->pos, i = start + 1, dlen = 0;
	enum canon_err e;

	for (;;) {
		if (i >= p->len)
			return fail(p, CANON_ERR_SYNTAX, i);
		unsigned char c = (unsigned char)b[i];
		if (c == '"')
			break;
		if (c == '\\') {
			if (i + 1 >= p->len)
				return fail(p, CANON_ERR_SYNTAX, i);
			switch (b[i + 1]) {
			case '"':
			case '\\':
			case 'b':
			case 't':
			case 'n':
			case 'f':
			case 'r':
				i += 2;
				break;
			case 'u':
				if ((e = check_u_escape(p, i)) != CANON_OK)
					return e;
				i += 6;
				break;
			case '/':
				return fail(p, CANON_ERR_ESCAPE, i);
			default:
				return fail(p, CANON_ERR_SYNTAX, i);
			}
			dlen++;
		} else if (c < 0x20) {
			return fail(p, c == 0 ? CANON_ERR_NUL : CANON_ERR_CONTROL, i);
		} else if (c < 0x80) {
			i++;
			dlen++;
		} else {
			size_t q = i;
			if (utf8_next(b, p->len, &q) < 0)
				return fail(p, CANON_ERR_UTF8, i);
			dlen += q - i;
			i = q;
		}
		if (dlen > CANON_MAX_STRING)
			return fail(p, CANON_ERR_STRING_LONG, start);
	}

	size_t end = i, o = 0;
	char *s = doc_alloc(p->doc, dlen + 1, 1);
	for (i = start + 1; i < end;) {
		if (b[i] != '\\') {
			s[o++] = b[i++];
			continue;
		}
		switch (b[i + 1]) {
		case 'b':
			s[o++] = '\b';
			break;
		case 't':
			s[o++] = '\t';
			break;
		case 'n':
			s[o++] = '\n';
			break;
		case 'f':
			s[o++] = '\f';
			break;
		case 'r':
			s[o++] = '\r';
			break;
		case 'u':
			s[o++] = (char)(hex_value(b[i + 4]) << 4 | hex_value(b[i + 5]));
			i += 4;
			break;
		default: /* the quote or the backslash itself */
			s[o++] = b[i + 1];
			break;
		}
		i += 2;
	}
	s[o] = '\0';
	p->pos = end + 1;
	*out = s;
	*out_len = o;
	return CANON_OK;
}

static enum canon_err parse_number(struct parser *p, struct canon_value **out)
{
	const char *b = p->buf;
	size_t start = p->pos, i = start;
	bool neg = false, plus = false, fraction = false, exponent = false;

	if (b[i] == '-')
		neg = true, i++;
	else if (b[i] == '+')
		plus = true, i++;
	if (i >= p->len || !is_digit(b[i]))
		return fail(p, CANON_ERR_SYNTAX, start);
	size_t digits = i;
	while (i < p->len && is_digit(b[i]))
		i++;
	size_t ndigits = i - digits;
	if (i < p->len && b[i] == '.') {
		i++;
		if (i >= p->len || !is_digit(b[i]))
			return fail(p, CANON_ERR_SYNTAX, i);
		while (i < p->len && is_digit(b[i]))
			i++;
		fraction = true;
	}
	if (i < p->len && (b[i] == 'e' || b[i] == 'E')) {
		i++;
		if (i < p->len && (b[i] == '+' || b[i] == '-'))
			i++;
		if (i >= p->len || !is_digit(b[i]))
			return fail(p, CANON_ERR_SYNTAX, i);
		while (i < p->len && is_digit(b[i]))
			i++;
		exponent = true;
	}
	if (fraction || exponent)
		return fail(p, CANON_ERR_FLOAT, start);
	if (plus || (b[digits] == '0' && (ndigits > 1 || neg)))
		return fail(p, CANON_ERR_NUMBER, start);
	/* 2^53-1 has 16 digits: anything longer is out of range without arithmetic. */
	if (ndigits > 16)
		return fail(p, CANON_ERR_RANGE, start);
	uint64_t m = 0;
	for (size_t k = digits; k < digits + ndigits; k++)
		m = m * 10 + (uint64_t)(b[k] - '0');
	if (m > (uint64_t)CANON_MAX_INT)
		return fail(p, CANON_ERR_RANGE, start);
	struct canon_value *v = new_value(p->doc, CANON_INT);
	v->u.i = neg ? -(int64_t)m : (int64_t)m;
	p->pos = i;
	*out = v;
	return CANON_OK;
}

static bool match_word(const struct parser *p, const char *w, size_t n)
{
	return p->len - p->pos >= n && memcmp(p->buf + p->pos, w, n) == 0;
}

static enum canon_err parse_scalar(struct parser *p, struct canon_value **out)
{
	char c = p->buf[p->pos];
	struct canon_value *v;
	if (c == '"') {
		char *s;
		size_t n;
		enum canon_err e = parse_string(p, &s, &n);
		if (e != CANON_OK)
			return e;
		v = new_value(p->doc, CANON_STRING);
		v->u.str.s = s;
		v->u.str.len = n;
	} else if (c == '-' || c == '+' || is_digit(c)) {
		return parse_number(p, out);
	} else if (match_word(p, "true", 4) || match_word(p, "false", 5)) {
		v = new_value(p->doc, CANON_BOOL);
		v->u.b = c == 't';
		p->pos += c == 't' ? 4 : 5;
	} else if (match_word(p, "null", 4)) {
		v = new_value(p->doc, CANON_NULL);
		p->pos += 4;
	} else {
		return fail(p, CANON_ERR_SYNTAX, p->pos);
	}
	*out = v;
	return CANON_OK;
}

static void push_slot(struct parser *p, const char *key, size_t key_len, struct canon_value *v)
{
	if (p->top == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct canon_member *s = realloc(p->slots, cap * sizeof(*s));
		if (!s)
			abort();
		p->slots = s;
		p->cap = cap;
	}
	p->slots[p->top].key = key;
	p->slots[p->top].key_len = key_len;
	p->slots[p->top].val = v;
	p->top++;
}

/* Closes the innermost container: its items move from the scratch stack to the arena. */
static struct canon_value *close_frame(struct parser *p)
{
	struct frame *f = &p->stack[--p->depth];
	size_t n = p->top - f->base;
	struct canon_value *v;
	if (f->is_obj) {
		v = new_value(p->doc, CANON_OBJECT);
		if (n) {
			v->u.obj.m = doc_alloc(p->doc, n * sizeof(struct canon_member),
					       alignof(struct canon_member));
			memcpy(v->u.obj.m, p->slots + f->base, n * sizeof(struct canon_member));
		}
		v->u.obj.count = v->u.obj.cap = n;
	} else {
		v = new_value(p->doc, CANON_ARRAY);
		if (n) {
			v->u.arr.items = doc_alloc(p->doc, n * sizeof(struct canon_value *),
						   alignof(struct canon_value *));
			for (size_t k = 0; k < n; k++)
				v->u.arr.items[k] = p->slots[f->base + k].val;
		}
		v->u.arr.count = v->u.arr.cap = n;
	}
	p->top = f->base;
	return v;
}

/* A key must sort after every earlier key of its object. The earlier keys are sorted
 * (or the parse would have stopped), so a binary search tells a duplicate that is not
 * adjacent from a key that is merely out of order. */
static enum canon_err check_key(struct parser *p, const char *key, size_t klen, size_t at)
{
	const struct frame *f = &p->stack[p->depth - 1];
	size_t n = p->top - f->base;
	if (n == 0)
		return CANON_OK;
	const struct canon_member *m = p->slots + f->base;
	int r = key_cmp(key, klen, m[n - 1].key, m[n - 1].key_len);
	if (r > 0)
		return CANON_OK;
	if (r == 0)
		return fail(p, CANON_ERR_DUPLICATE, at);
	bool found;
	member_search(m, n - 1, key, klen, &found);
	return fail(p, found ? CANON_ERR_DUPLICATE : CANON_ERR_KEY_ORDER, at);
}

enum state { ST_VALUE, ST_KEY, ST_AFTER };

/* The error for a byte that is not the one expected at p->pos: white space is valid
 * JSON there, only not canonical. */
static enum canon_err wrong_byte(struct parser *p)
{
	if (p->pos >= p->len)
		return fail(p, CANON_ERR_SYNTAX, p->pos);
	return fail(p, is_ws(p->buf[p->pos]) ? CANON_ERR_WHITESPACE : CANON_ERR_SYNTAX, p->pos);
}

static bool at_byte(const struct parser *p, char c)
{
	return p->pos < p->len && p->buf[p->pos] == c;
}

static enum canon_err run(struct parser *p, struct canon_value **root)
{
	enum state st = ST_VALUE;
	struct canon_value *v = NULL;
	enum canon_err e;

	for (;;) {
		if (st == ST_VALUE) {
			if (p->pos >= p->len || is_ws(p->buf[p->pos]))
				return wrong_byte(p);
			char c = p->buf[p->pos];
			if (c == '{' || c == '[') {
				if (p->depth == CANON_MAX_DEPTH)
					return fail(p, CANON_ERR_TOO_DEEP, p->pos);
				struct frame *f = &p->stack[p->depth++];
				f->is_obj = c == '{';
				f->base = p->top;
				f->key = NULL;
				f->key_len = 0;
				p->pos++;
				char close = f->is_obj ? '}' : ']';
				if (at_byte(p, close)) {
					p->pos++;
					v = close_frame(p);
					st = ST_AFTER;
				} else {
					st = f->is_obj ? ST_KEY : ST_VALUE;
				}
				continue;
			}
			if ((e = parse_scalar(p, &v)) != CANON_OK)
				return e;
			st = ST_AFTER;
			continue;
		}

		if (st == ST_KEY) {
			struct frame *f = &p->stack[p->depth - 1];
			size_t at = p->pos;
			char *key;
			size_t klen;
			if (!at_byte(p, '"'))
				return wrong_byte(p);
			if ((e = parse_string(p, &key, &klen)) != CANON_OK)
				return e;
			if ((e = check_key(p, key, klen, at)) != CANON_OK)
				return e;
			if (!at_byte(p, ':'))
				return wrong_byte(p);
			p->pos++;
			f->key = key;
			f->key_len = klen;
			st = ST_VALUE;
			continue;
		}

		/* ST_AFTER: v is complete. */
		if (p->depth == 0) {
			if (p->pos < p->len)
				return fail(p,
					    is_ws(p->buf[p->pos]) ? CANON_ERR_WHITESPACE
								  : CANON_ERR_TRAILING,
					    p->pos);
			*root = v;
			return CANON_OK;
		}
		struct frame *f = &p->stack[p->depth - 1];
		push_slot(p, f->key, f->key_len, v);
		if (at_byte(p, ',')) {
			p->pos++;
			if (p->top - f->base == CANON_MAX_ITEMS)
				return fail(p, CANON_ERR_TOO_MANY, p->pos);
			st = f->is_obj ? ST_KEY : ST_VALUE;
		} else if (at_byte(p, f->is_obj ? '}' : ']')) {
			p->pos++;
			v = close_frame(p);
		} else {
			return wrong_byte(p);
		}
	}
}

enum canon_err canon_parse(const char *buf, size_t len, struct canon_doc **out, size_t *err_at)
{
	struct parser p = {.buf = buf, .len = len};
	struct canon_value *root = NULL;
	enum canon_err e;

	if (out)
		*out = NULL;
	if (len > CANON_MAX_INPUT) {
		e = fail(&p, CANON_ERR_TOO_LARGE, CANON_MAX_INPUT);
		goto out;
	}
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		e = fail(&p, CANON_ERR_BOM, 0);
		goto out;
	}
	p.doc = canon_new();
	e = run(&p, &root);
out:
	free(p.slots);
	if (e == CANON_OK && out) {
		p.doc->root = root;
		*out = p.doc;
	} else {
		canon_free(p.doc);
	}
	if (err_at)
		*err_at = e == CANON_OK ? 0 : p.err_at;
	return e;
}

/* ---- reading ---- */

enum canon_type canon_type(const struct canon_value *v)
{
	return v ? v->type : CANON_ABSENT;
}

const struct canon_value *canon_get(const struct canon_value *obj, const char *key)
{
	if (!obj || obj->type != CANON_OBJECT || !key)
		return NULL;
	bool found;
	size_t i = member_search(obj->u.obj.m, obj->u.obj.count, key, strlen(key), &found);
	return found ? obj->u.obj.m[i].val : NULL;
}

bool canon_get_int(const struct canon_value *obj, const char *key, int64_t *out)
{
	return canon_int(canon_get(obj, key), out);
}

const char *canon_get_str(const struct canon_value *obj, const char *key, size_t *len)
{
	return canon_str(canon_get(obj, key), len);
}

bool canon_bool(const struct canon_value *v, bool *out)
{
	if (!v || v->type != CANON_BOOL)
		return false;
	if (out)
		*out = v->u.b;
	return true;
}

bool canon_int(const struct canon_value *v, int64_t *out)
{
	if (!v || v->type != CANON_INT)
		return false;
	if (out)
		*out = v->u.i;
	return true;
}

const char *canon_str(const struct canon_value *v, size_t *len)
{
	if (!v || v->type != CANON_STRING)
		return NULL;
	if (len)
		*len = v->u.str.len;
	return v->u.str.s;
}

size_t canon_count(const struct canon_value *v)
{
	if (!v)
		return 0;
	if (v->type == CANON_ARRAY)
		return v->u.arr.count;
	if (v->type == CANON_OBJECT)
		return v->u.obj.count;
	return 0;
}

const struct canon_value *canon_item(const struct canon_value *v, size_t i)
{
	if (!v || i >= canon_count(v))
		return NULL;
	return v->type == CANON_ARRAY ? v->u.arr.items[i] : v->u.obj.m[i].val;
}

const char *canon_key(const struct canon_value *obj, size_t i)
{
	if (!obj || obj->type != CANON_OBJECT || i >= obj->u.obj.count)
		return NULL;
	return obj->u.obj.m[i].key;
}

const char *canon_unknown_key(const struct canon_value *obj, const char *const *allowed, size_t n)
{
	if (!obj || obj->type != CANON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->u.obj.count; i++) {
		const char *k = obj->u.obj.m[i].key;
		size_t j = 0;
		while (j < n && strcmp(k, allowed[j]) != 0)
			j++;
		if (j == n)
			return k;
	}
	return NULL;
}

/* ---- building ---- */

struct canon_value *canon_new_object(struct canon_doc *d)
{
	return d ? new_value(d, CANON_OBJECT) : NULL;
}

struct canon_value *canon_new_array(struct canon_doc *d)
{
	return d ? new_value(d, CANON_ARRAY) : NULL;
}

static bool text_ok(const char *s, size_t len)
{
	return (s || len == 0) && len <= CANON_MAX_STRING && utf8_valid(s, len);
}

struct canon_value *canon_new_str(struct canon_doc *d, const char *s, size_t len)
{
	if (!d || !text_ok(s, len))
		return NULL;
	struct canon_value *v = new_value(d, CANON_STRING);
	v->u.str.s = doc_strdup(d, s, len);
	v->u.str.len = len;
	return v;
}

struct canon_value *canon_new_int(struct canon_doc *d, int64_t i)
{
	if (!d || i > CANON_MAX_INT || i < -CANON_MAX_INT)
		return NULL;
	struct canon_value *v = new_value(d, CANON_INT);
	v->u.i = i;
	return v;
}

struct canon_value *canon_new_bool(struct canon_doc *d, bool b)
{
	if (!d)
		return NULL;
	struct canon_value *v = new_value(d, CANON_BOOL);
	v->u.b = b;
	return v;
}

struct canon_value *canon_new_null(struct canon_doc *d)
{
	return d ? new_value(d, CANON_NULL) : NULL;
}

/* Grows an arena array to hold one more element; the old block stays in the arena
 * (doubling keeps that waste below the final size). */
static void *grow(struct canon_doc *d, void *old, size_t count, size_t *cap, size_t size,
		  size_t align)
{
	if (count < *cap)
		return old;
	size_t ncap = *cap ? *cap * 2 : 4;
	if (ncap > CANON_MAX_ITEMS)
		ncap = CANON_MAX_ITEMS;
	void *p = doc_alloc(d, ncap * size, align);
	if (count)
		memcpy(p, old, count * size);
	*cap = ncap;
	return p;
}

bool canon_set(struct canon_doc *d, struct canon_value *obj, const char *key,
	       struct canon_value *child)
{
	if (!d || !obj || obj->type != CANON_OBJECT || !key || !child)
		return false;
	size_t klen = strlen(key);
	if (!text_ok(key, klen))
		return false;
	bool found;
	size_t at = member_search(obj->u.obj.m, obj->u.obj.count, key, klen, &found);
	if (found || obj->u.obj.count >= CANON_MAX_ITEMS)
		return false;
	obj->u.obj.m = grow(d, obj->u.obj.m, obj->u.obj.count, &obj->u.obj.cap,
			    sizeof(struct canon_member), alignof(struct canon_member));
	struct canon_member *m = obj->u.obj.m;
	memmove(m + at + 1, m + at, (obj->u.obj.count - at) * sizeof(*m));
	m[at].key = doc_strdup(d, key, klen);
	m[at].key_len = klen;
	m[at].val = child;
	obj->u.obj.count++;
	return true;
}

/* The typed setters check the object and key before creating the value, so a refused
 * call leaves nothing behind in the arena. */
static bool can_set(const struct canon_doc *d, const struct canon_value *obj, const char *key)
{
	if (!d || !obj || obj->type != CANON_OBJECT || !key)
		return false;
	size_t klen = strlen(key);
	bool found;
	if (!text_ok(key, klen) || obj->u.obj.count >= CANON_MAX_ITEMS)
		return false;
	member_search(obj->u.obj.m, obj->u.obj.count, key, klen, &found);
	return !found;
}

bool canon_set_int(struct canon_doc *d, struct canon_value *obj, const char *key, int64_t v)
{
	return can_set(d, obj, key) && canon_set(d, obj, key, canon_new_int(d, v));
}

bool canon_set_str(struct canon_doc *d, struct canon_value *obj, const char *key, const char *s,
		   size_t len)
{
	return can_set(d, obj, key) && canon_set(d, obj, key, canon_new_str(d, s, len));
}

bool canon_set_bool(struct canon_doc *d, struct canon_value *obj, const char *key, bool v)
{
	return can_set(d, obj, key) && canon_set(d, obj, key, canon_new_bool(d, v));
}

bool canon_set_null(struct canon_doc *d, struct canon_value *obj, const char *key)
{
	return can_set(d, obj, key) && canon_set(d, obj, key, canon_new_null(d));
}

bool canon_push(struct canon_doc *d, struct canon_value *arr, struct canon_value *child)
{
	if (!d || !arr || arr->type != CANON_ARRAY || !child || arr->u.arr.count >= CANON_MAX_ITEMS)
		return false;
	arr->u.arr.items = grow(d, arr->u.arr.items, arr->u.arr.count, &arr->u.arr.cap,
				sizeof(struct canon_value *), alignof(struct canon_value *));
	arr->u.arr.items[arr->u.arr.count++] = child;
	return true;
}

/* Recursion is bounded by CANON_MAX_DEPTH; *budget bounds the total work, since a built
 * value may share children and so describe a tree far larger than its memory. */
static struct canon_value *copy_value(struct canon_doc *d, const struct canon_value *v,
				      size_t depth, size_t *budget)
{
	if (*budget == 0)
		return NULL;
	(*budget)--;
	struct canon_value *c = new_value(d, v->type);
	switch (v->type) {
	case CANON_ABSENT: /* never the type of a stored value */
		return NULL;
	case CANON_NULL:
		break;
	case CANON_BOOL:
		c->u.b = v->u.b;
		break;
	case CANON_INT:
		c->u.i = v->u.i;
		break;
	case CANON_STRING:
		c->u.str.s = doc_strdup(d, v->u.str.s, v->u.str.len);
		c->u.str.len = v->u.str.len;
		break;
	case CANON_ARRAY: {
		size_t n = v->u.arr.count;
		if (depth == CANON_MAX_DEPTH)
			return NULL;
		if (n)
			c->u.arr.items = doc_alloc(d, n * sizeof(struct canon_value *),
						   alignof(struct canon_value *));
		for (size_t i = 0; i < n; i++) {
			c->u.arr.items[i] = copy_value(d, v->u.arr.items[i], depth + 1, budget);
			if (!c->u.arr.items[i])
				return NULL;
		}
		c->u.arr.count = c->u.arr.cap = n;
		break;
	}
	case CANON_OBJECT: {
		size_t n = v->u.obj.count;
		if (depth == CANON_MAX_DEPTH)
			return NULL;
		if (n)
			c->u.obj.m = doc_alloc(d, n * sizeof(struct canon_member),
					       alignof(struct canon_member));
		for (size_t i = 0; i < n; i++) {
			const struct canon_member *m = &v->u.obj.m[i];
			c->u.obj.m[i].key = doc_strdup(d, m->key, m->key_len);
			c->u.obj.m[i].key_len = m->key_len;
			c->u.obj.m[i].val = copy_value(d, m->val, depth + 1, budget);
			if (!c->u.obj.m[i].val)
				return NULL;
		}
		c->u.obj.count = c->u.obj.cap = n;
		break;
	}
	}
	return c;
}

struct canon_value *canon_copy(struct canon_doc *d, const struct canon_value *v)
{
	/* Every value takes at least one byte of canonical text, so a copyable value has at
	 * most CANON_MAX_INPUT of them. */
	size_t budget = CANON_MAX_INPUT;
	if (!d || !v)
		return NULL;
	return copy_value(d, v, 0, &budget);
}

/* ---- writing ---- */

static void write_string(struct jbuf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;
	jbuf_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6] = {'\\', 0, 0, 0, 0, 0};
		size_t elen = 2;
		if (c == '"' || c == '\\') {
			esc[1] = (char)c;
		} else if (c == '\b') {
			esc[1] = 'b';
		} else if (c == '\t') {
			esc[1] = 't';
		} else if (c == '\n') {
			esc[1] = 'n';
		} else if (c == '\f') {
			esc[1] = 'f';
		} else if (c == '\r') {
			esc[1] = 'r';
		} else if (c < 0x20) {
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		} else {
			run++;
			continue;
		}
		jbuf_put(out, s + i - run, run);
		run = 0;
		jbuf_put(out, esc, elen);
	}
	jbuf_put(out, s + n - run, run);
	jbuf_putc(out, '"');
}

static bool write_value(const struct canon_value *v, struct jbuf *out, size_t start, size_t depth)
{
	if (out->len - start > CANON_MAX_INPUT)
		return false;
	switch (v->type) {
	case CANON_ABSENT: /* never the type of a stored value */
		return false;
	case CANON_NULL:
		jbuf_puts(out, "null");
		break;
	case CANON_BOOL:
		jbuf_json_bool(out, v->u.b);
		break;
	case CANON_INT:
		jbuf_json_int(out, v->u.i);
		break;
	case CANON_STRING:
		write_string(out, v->u.str.s, v->u.str.len);
		break;
	case CANON_ARRAY:
		if (depth == CANON_MAX_DEPTH)
			return false;
		jbuf_putc(out, '[');
		for (size_t i = 0; i < v->u.arr.count; i++) {
			if (i)
				jbuf_putc(out, ',');
			if (!write_value(v->u.arr.items[i], out, start, depth + 1))
				return false;
		}
		jbuf_putc(out, ']');
		break;
	case CANON_OBJECT:
		if (depth == CANON_MAX_DEPTH)
			return false;
		jbuf_putc(out, '{');
		for (size_t i = 0; i < v->u.obj.count; i++) {
			const struct canon_member *m = &v->u.obj.m[i];
			if (i)
				jbuf_putc(out, ',');
			write_string(out, m->key, m->key_len);
			jbuf_putc(out, ':');
			if (!write_value(m->val, out, start, depth + 1))
				return false;
		}
		jbuf_putc(out, '}');
		break;
	}
	return out->len - start <= CANON_MAX_INPUT;
}

bool canon_write(const struct canon_value *v, struct jbuf *out)
{
	if (!v || !out)
		return false;
	size_t start = out->len;
	if (write_value(v, out, start, 0))
		return true;
	out->len = start;
	jbuf_data(out)[start] = '\0';
	return false;
}

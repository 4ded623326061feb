/* Strict JSON request decoding, written by hand rather than on cJSON because
 * cJSON keeps duplicate keys, accepts 1e2 as an integer and loses precision
 * above 2^53. Two passes over the (capped) body: the first checks the whole
 * grammar, depth and duplicate keys, so a malformed body is always reported as
 * malformed; the second fills the caller's fields. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jbuf.h"
#include "jdec.h"
#include "utf8.h"

#define JDEC_MAX_DEPTH 8
#define JDEC_MAX_KEYS  64 /* keys per object: a request needs far fewer */
#define JDEC_KEY_MAX   64 /* bytes of a key we compare; longer keys are unknown */

struct parser {
	const char *s;
	size_t n, pos;
	struct jdec_error *err;
};

static bool fail(struct parser *p, enum jdec_status st, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records the first error only; always returns false so callers can return it. */
static bool fail(struct parser *p, enum jdec_status st, const char *field, const char *fmt, ...)
{
	va_list ap;
	if (p->err->status != JDEC_OK)
		return false;
	p->err->status = st;
	snprintf(p->err->field, sizeof(p->err->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
	va_end(ap);
	return false;
}

static bool malformed(struct parser *p, const char *what)
{
	return fail(p, JDEC_MALFORMED, NULL, "malformed JSON: %s at byte %zu", what, p->pos);
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->n) {
		char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static bool literal(struct parser *p, const char *word)
{
	size_t l = strlen(word);
	if (p->n - p->pos < l || memcmp(p->s + p->pos, word, l) != 0)
		return malformed(p, "invalid literal");
	p->pos += l;
	return true;
}

static int hex4(const char *s)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* Reads a string at p->pos (which is at '"'). The decoded UTF-8 goes to out
 * (cap bytes incl. NUL) when out is non-NULL; *bytes and *cps receive its
 * length in bytes and code points; *overflow is set when it did not fit. */
static bool string(struct parser *p, char *out, size_t cap, size_t *bytes, size_t *cps,
		   bool *overflow)
{
	size_t o = 0, count = 0;
	bool over = false;
	p->pos++; /* opening quote */
	for (;;) {
		char enc[4];
		size_t enc_len;
		if (p->pos >= p->n)
			return malformed(p, "unterminated string");
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c < 0x20)
			return malformed(p, "control character in string");
		if (c == '\\') {
			if (p->pos + 1 >= p->n)
				return malformed(p, "unterminated escape");
			char e = p->s[p->pos + 1];
			p->pos += 2;
			uint32_t cp;
			switch (e) {
			case '"':
				cp = '"';
				break;
			case '\\':
				cp = '\\';
				break;
			case '/':
				cp = '/';
				break;
			case 'b':
				cp = '\b';
				break;
			case 'f':
				cp = '\f';
				break;
			case 'n':
				cp = '\n';
				break;
			case 'r':
				cp = '\r';
				break;
			case 't':
				cp = '\t';
				break;
			case 'u': {
				int hi = p->n - p->pos >= 4 ? hex4(p->s + p->pos) : -1;
				if (hi < 0)
					return malformed(p, "invalid \\u escape");
				p->pos += 4;
				cp = (uint32_t)hi;
				if (cp >= 0xdc00 && cp <= 0xdfff)
					return malformed(p, "lone surrogate");
				if (cp >= 0xd800 && cp <= 0xdbff) {
					int lo = -1;
					if (p->n - p->pos >= 6 && p->s[p->pos] == '\\' &&
					    p->s[p->pos + 1] == 'u')
						lo = hex4(p->s + p->pos + 2);
					if (lo < 0xdc00 || lo > 0xdfff)
						return malformed(p, "lone surrogate");
					p->pos += 6;
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					     ((uint32_t)lo - 0xdc00);
				}
				if (cp == 0)
					return fail(p, JDEC_INVALID_UTF8, NULL,
						    "NUL characters are not allowed");
				break;
			}
			default:
				return malformed(p, "invalid escape");
			}
			enc_len = utf8_encode(cp, enc);
		} else {
			size_t at = p->pos;
			/* The whole body was validated as UTF-8 beforehand. */
			if (utf8_next(p->s, p->n, &p->pos) < 0)
				return fail(p, JDEC_INVALID_UTF8, NULL, "invalid UTF-8");
			enc_len = p->pos - at;
			memcpy(enc, p->s + at, enc_len);
		}
		count++;
		if (out && !over) {
			if (o + enc_len + 1 > cap) {
				over = true;
			} else {
				memcpy(out + o, enc, enc_len);
				o += enc_len;
			}
		} else if (!out) {
			o += enc_len;
		}
	}
	if (out && cap)
		out[over ? 0 : o] = '\0';
	if (bytes)
		*bytes = o;
	if (cps)
		*cps = count;
	if (overflow)
		*overflow = over;
	return true;
}

/* Reads a number; *is_int tells whether it had the strict integer form. */
static bool number(struct parser *p, bool *is_int)
{
	size_t start = p->pos;
	bool integral = true;
	if (p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->n)
		return malformed(p, "invalid number");
	if (p->s[p->pos] == '0') {
		p->pos++;
	} else if (p->s[p->pos] >= '1' && p->s[p->pos] <= '9') {
		while (p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
	} else {
		return malformed(p, "invalid number");
	}
	if (p->pos < p->n && p->s[p->pos] == '.') {
		integral = false;
		p->pos++;
		size_t d = p->pos;
		while (p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
		if (p->pos == d)
			return malformed(p, "invalid number");
	}
	if (p->pos < p->n && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		integral = false;
		p->pos++;
		if (p->pos < p->n && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		size_t d = p->pos;
		while (p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
		if (p->pos == d)
			return malformed(p, "invalid number");
	}
	/* "-0" is an integer lexically but not a canonical one. */
	if (integral && p->pos - start == 2 && p->s[start] == '-' && p->s[start + 1] == '0')
		integral = false;
	*is_int = integral;
	return true;
}

/* Validates any value at p->pos; with copy, appends its compact form. */
static bool value(struct parser *p, int depth, struct jbuf *copy);

static bool object(struct parser *p, int depth, struct jbuf *copy)
{
	char keys[JDEC_MAX_KEYS][JDEC_KEY_MAX + 1];
	size_t nkeys = 0;
	if (depth > JDEC_MAX_DEPTH)
		return malformed(p, "nesting too deep");
	p->pos++;
	if (copy)
		jbuf_putc(copy, '{');
	skip_ws(p);
	if (p->pos < p->n && p->s[p->pos] == '}') {
		p->pos++;
		if (copy)
			jbuf_putc(copy, '}');
		return true;
	}
	for (;;) {
		char key[JDEC_KEY_MAX + 1];
		size_t kb, kstart;
		bool over;
		skip_ws(p);
		if (p->pos >= p->n || p->s[p->pos] != '"')
			return malformed(p, "expected a key");
		kstart = p->pos;
		if (!string(p, key, sizeof(key), &kb, NULL, &over))
			return false;
		if (over)
			return fail(p, JDEC_UNKNOWN_FIELD, "", "a key is longer than %d bytes",
				    JDEC_KEY_MAX);
		if (nkeys == JDEC_MAX_KEYS)
			return fail(p, JDEC_INVALID_FIELD, "", "more than %d keys in one object",
				    JDEC_MAX_KEYS);
		for (size_t i = 0; i < nkeys; i++)
			if (strcmp(keys[i], key) == 0)
				return fail(p, JDEC_DUPLICATE, key, "duplicate field '%s'", key);
		memcpy(keys[nkeys++], key, kb + 1);
		if (copy)
			jbuf_put(copy, p->s + kstart, p->pos - kstart);
		skip_ws(p);
		if (p->pos >= p->n || p->s[p->pos] != ':')
			return malformed(p, "expected ':'");
		p->pos++;
		if (copy)
			jbuf_putc(copy, ':');
		skip_ws(p);
		if (!value(p, depth + 1, copy))
			return false;
		skip_ws(p);
		if (p->pos < p->n && p->s[p->pos] == ',') {
			p->pos++;
			if (copy)
				jbuf_putc(copy, ',');
			continue;
		}
		if (p->pos < p->n && p->s[p->pos] == '}') {
			p->pos++;
			if (copy)
				jbuf_putc(copy, '}');
			return true;
		}
		return malformed(p, "expected ',' or '}'");
	}
}

static bool array(struct parser *p, int depth, struct jbuf *copy)
{
	if (depth > JDEC_MAX_DEPTH)
		return malformed(p, "nesting too deep");
	p->pos++;
	if (copy)
		jbuf_putc(copy, '[');
	skip_ws(p);
	if (p->pos < p->n && p->s[p->pos] == ']') {
		p->pos++;
		if (copy)
			jbuf_putc(copy, ']');
		return true;
	}
	for (;;) {
		skip_ws(p);
		if (!value(p, depth + 1, copy))
			return false;
		skip_ws(p);
		if (p->pos < p->n && p->s[p->pos] == ',') {
			p->pos++;
			if (copy)
				jbuf_putc(copy, ',');
			continue;
		}
		if (p->pos < p->n && p->s[p->pos] == ']') {
			p->pos++;
			if (copy)
				jbuf_putc(copy, ']');
			return true;
		}
		return malformed(p, "expected ',' or ']'");
	}
}

static bool value(struct parser *p, int depth, struct jbuf *copy)
{
	size_t start = p->pos;
	bool ok, is_int;
	if (p->pos >= p->n)
		return malformed(p, "unexpected end");
	switch (p->s[p->pos]) {
	case '{':
		return object(p, depth, copy);
	case '[':
		return array(p, depth, copy);
	case '"':
		ok = string(p, NULL, 0, NULL, NULL, NULL);
		break;
	case 't':
		ok = literal(p, "true");
		break;
	case 'f':
		ok = literal(p, "false");
		break;
	case 'n':
		ok = literal(p, "null");
		break;
	default:
		ok = number(p, &is_int);
		break;
	}
	if (ok && copy)
		jbuf_put(copy, p->s + start, p->pos - start);
	return ok;
}

static const char *type_name(enum jdec_type t)
{
	switch (t) {
	case JDEC_STRING:
		return "a string";
	case JDEC_INT:
		return "an integer";
	case JDEC_BOOL:
		return "a boolean";
	case JDEC_STRING_NULL:
		return "a string or null";
	case JDEC_OBJECT_RAW:
		return "an object";
	case JDEC_STRING_ARRAY:
		return "an array of strings";
	case JDEC_INT_ARRAY:
		return "an array of integers";
	case JDEC_ARRAY_RAW:
		return "an array";
	}
	return "?";
}

static bool wrong_type(struct parser *p, const struct jdec_field *f)
{
	return fail(p, JDEC_WRONG_TYPE, f->name, "%s must be %s", f->name, type_name(f->type));
}

static bool bad_length(struct parser *p, const struct jdec_field *f, const char *what)
{
	return fail(p, JDEC_INVALID_FIELD, f->name, "%s%s must be %zu to %zu characters", f->name,
		    what, f->min_len, f->max_len);
}

/* Decodes one string into out[cap] with the field's length bounds. */
static bool bounded_string(struct parser *p, const struct jdec_field *f, char *out, size_t cap,
			   const char *what)
{
	size_t bytes, cps;
	bool over;
	if (!string(p, out, cap, &bytes, &cps, &over))
		return false;
	if (over || cps < f->min_len || cps > f->max_len)
		return bad_length(p, f, what);
	return true;
}

static bool integer(struct parser *p, const struct jdec_field *f)
{
	size_t start = p->pos;
	bool is_int, neg;
	uint64_t mag = 0;
	if (!number(p, &is_int))
		return false;
	if (!is_int)
		return wrong_type(p, f);
	neg = p->s[start] == '-';
	for (size_t i = start + (neg ? 1 : 0); i < p->pos; i++) {
		unsigned d = (unsigned)(p->s[i] - '0');
		if (mag > (UINT64_MAX - d) / 10) {
			mag = UINT64_MAX;
			break;
		}
		mag = mag * 10 + d;
	}
	/* Anything beyond ±2^63 is out of every field's range anyway. */
	int64_t v;
	if (mag > (uint64_t)INT64_MAX)
		v = neg ? INT64_MIN : INT64_MAX;
	else
		v = neg ? -(int64_t)mag : (int64_t)mag;
	if (v < f->min || v > f->max) {
		return fail(p, JDEC_INVALID_FIELD, f->name, "%s must be between %lld and %lld",
			    f->name, (long long)f->min, (long long)f->max);
	}
	*(int64_t *)f->out = v;
	return true;
}

static bool string_array(struct parser *p, const struct jdec_field *f)
{
	char *out = f->out;
	size_t count = 0;
	p->pos++; /* '[' */
	skip_ws(p);
	if (p->s[p->pos] == ']') {
		p->pos++;
		*f->count = 0;
		return true;
	}
	for (;;) {
		skip_ws(p);
		if (p->s[p->pos] != '"')
			return wrong_type(p, f);
		if (count == (size_t)f->max) {
			return fail(p, JDEC_INVALID_FIELD, f->name,
				    "%s may hold at most %lld items", f->name, (long long)f->max);
		}
		if (!bounded_string(p, f, out + count * f->out_cap, f->out_cap, " items"))
			return false;
		count++;
		skip_ws(p);
		if (p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		p->pos++; /* ']' (grammar already checked) */
		break;
	}
	*f->count = count;
	return true;
}

static bool int_array(struct parser *p, const struct jdec_field *f)
{
	int64_t *out = f->out;
	size_t count = 0;
	p->pos++; /* '[' */
	skip_ws(p);
	if (p->s[p->pos] == ']') {
		p->pos++;
		*f->count = 0;
		return true;
	}
	for (;;) {
		skip_ws(p);
		char c = p->s[p->pos];
		if (c != '-' && (c < '0' || c > '9'))
			return wrong_type(p, f);
		if (count == f->max_len)
			return fail(p, JDEC_INVALID_FIELD, f->name, "%s may hold at most %zu items",
				    f->name, f->max_len);
		struct jdec_field one = *f;
		one.out = &out[count];
		if (!integer(p, &one))
			return false;
		count++;
		skip_ws(p);
		if (p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		p->pos++; /* ']' (grammar already checked) */
		break;
	}
	*f->count = count;
	return true;
}

static bool array_raw(struct parser *p, const struct jdec_field *f)
{
	jbuf_reset(f->out);
	if (!array(p, 1, f->out))
		return false;
	/* Count the items of the copy (compact, so cheap to walk). */
	size_t n = jdec_array_items(jbuf_data(f->out), ((struct jbuf *)f->out)->len, NULL, NULL,
				    (size_t)-1);
	if (n > f->max_len)
		return fail(p, JDEC_INVALID_FIELD, f->name, "%s may hold at most %zu items",
			    f->name, f->max_len);
	return true;
}

size_t jdec_array_items(const char *arr, size_t len, const char **starts, size_t *lens, size_t max)
{
	size_t n = 0, i = 1, start = 1;
	int depth = 0;
	bool in_str = false, any = false;
	if (len < 2 || arr[0] != '[')
		return 0;
	for (; i < len; i++) {
		char c = arr[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"') {
			in_str = true;
			any = true;
		} else if (c == '{' || c == '[') {
			depth++;
			any = true;
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		} else if ((c == ',' || c == ']') && depth == 0) {
			if (!any)
				break; /* the empty array */
			if (n < max && starts) {
				starts[n] = arr + start;
				lens[n] = i - start;
			}
			n++;
			start = i + 1;
			if (c == ']')
				break;
		} else if (c != ' ') {
			any = true;
		}
	}
	return n;
}

static bool field(struct parser *p, const struct jdec_field *f)
{
	char c = p->s[p->pos];
	switch (f->type) {
	case JDEC_STRING_NULL:
		if (c == 'n') {
			p->pos += 4;
			if (f->is_null)
				*f->is_null = true;
			return true;
		}
		if (f->is_null)
			*f->is_null = false;
		/* fall through */
	case JDEC_STRING:
		if (c != '"')
			return wrong_type(p, f);
		return bounded_string(p, f, f->out, f->out_cap, "");
	case JDEC_INT:
		if (c != '-' && (c < '0' || c > '9'))
			return wrong_type(p, f);
		return integer(p, f);
	case JDEC_BOOL:
		if (c == 't') {
			p->pos += 4;
			*(bool *)f->out = true;
			return true;
		}
		if (c == 'f') {
			p->pos += 5;
			*(bool *)f->out = false;
			return true;
		}
		return wrong_type(p, f);
	case JDEC_OBJECT_RAW:
		if (c != '{')
			return wrong_type(p, f);
		jbuf_reset(f->out);
		return object(p, 1, f->out);
	case JDEC_STRING_ARRAY:
		if (c != '[')
			return wrong_type(p, f);
		return string_array(p, f);
	case JDEC_INT_ARRAY:
		if (c != '[')
			return wrong_type(p, f);
		return int_array(p, f);
	case JDEC_ARRAY_RAW:
		if (c != '[')
			return wrong_type(p, f);
		return array_raw(p, f);
	}
	return wrong_type(p, f);
}

enum jdec_status jdec_object(const char *body, size_t len, const struct jdec_field *fields,
			     size_t nfields, struct jdec_error *err)
{
	struct parser p = {body, len, 0, err};
	bool seen[64] = {false};

	memset(err, 0, sizeof(*err));
	if (nfields > sizeof(seen) / sizeof(seen[0])) {
		fail(&p, JDEC_MALFORMED, NULL, "too many fields in the table");
		return err->status;
	}
	if (!utf8_valid(body, len)) {
		fail(&p, JDEC_INVALID_UTF8, NULL,
		     "the body is not valid UTF-8 (or holds a NUL byte)");
		return err->status;
	}
	/* Pass 1: grammar, depth, duplicates, nothing after the value. */
	skip_ws(&p);
	if (p.pos >= len) {
		fail(&p, JDEC_MALFORMED, NULL, "malformed JSON: empty body");
		return err->status;
	}
	if (body[p.pos] != '{') {
		if (value(&p, 1, NULL))
			fail(&p, JDEC_NOT_OBJECT, NULL, "the body must be a JSON object");
		return err->status;
	}
	if (!object(&p, 1, NULL))
		return err->status;
	skip_ws(&p);
	if (p.pos != len) {
		malformed(&p, "trailing bytes after the object");
		return err->status;
	}

	/* Pass 2: the fields. */
	p.pos = 0;
	skip_ws(&p);
	p.pos++; /* '{' */
	for (;;) {
		char key[JDEC_KEY_MAX + 1];
		size_t i;
		bool over;
		skip_ws(&p);
		if (body[p.pos] == '}')
			break;
		string(&p, key, sizeof(key), NULL, NULL, &over);
		for (i = 0; i < nfields; i++)
			if (!over && strcmp(fields[i].name, key) == 0)
				break;
		if (i == nfields) {
			fail(&p, JDEC_UNKNOWN_FIELD, over ? "" : key, "unknown field '%s'",
			     over ? "(too long)" : key);
			return err->status;
		}
		skip_ws(&p);
		p.pos++; /* ':' */
		skip_ws(&p);
		if (!field(&p, &fields[i]))
			return err->status;
		seen[i] = true;
		if (fields[i].present)
			*fields[i].present = true;
		skip_ws(&p);
		if (body[p.pos] == ',')
			p.pos++;
	}
	for (size_t i = 0; i < nfields; i++) {
		if (fields[i].required && !seen[i]) {
			fail(&p, JDEC_MISSING_FIELD, fields[i].name, "missing field '%s'",
			     fields[i].name);
			return err->status;
		}
	}
	return JDEC_OK;
}

bool jdec_peek_string(const char *body, size_t len, const char *key, char *out, size_t cap)
{
	struct jdec_error e;
	struct parser p = {body, len, 0, &e};
	out[0] = '\0';
	if (!utf8_valid(body, len))
		return false;
	skip_ws(&p);
	if (p.pos >= len || body[p.pos] != '{' || !object(&p, 1, NULL))
		return false;
	p.pos = 0;
	skip_ws(&p);
	p.pos++; /* '{' */
	for (;;) {
		char k[JDEC_KEY_MAX + 1];
		bool over;
		skip_ws(&p);
		if (body[p.pos] == '}')
			return false;
		string(&p, k, sizeof(k), NULL, NULL, &over);
		skip_ws(&p);
		p.pos++; /* ':' */
		skip_ws(&p);
		if (!over && strcmp(k, key) == 0 && body[p.pos] == '"') {
			size_t bytes;
			bool too_long;
			return string(&p, out, cap, &bytes, NULL, &too_long) && !too_long;
		}
		value(&p, 1, NULL);
		skip_ws(&p);
		if (body[p.pos] == ',')
			p.pos++;
	}
}

const char *jdec_code(enum jdec_status st)
{
	switch (st) {
	case JDEC_OK:
		return "ok";
	case JDEC_INVALID_UTF8:
		return "invalid_utf8";
	case JDEC_MALFORMED:
		return "malformed_json";
	case JDEC_NOT_OBJECT:
		return "not_an_object";
	case JDEC_DUPLICATE:
		return "duplicate_field";
	case JDEC_UNKNOWN_FIELD:
		return "unknown_field";
	case JDEC_MISSING_FIELD:
		return "missing_field";
	case JDEC_WRONG_TYPE:
		return "wrong_type";
	case JDEC_INVALID_FIELD:
		return "invalid_field";
	}
	return "malformed_json";
}

int jdec_http_status(enum jdec_status st)
{
	switch (st) {
	case JDEC_UNKNOWN_FIELD:
	case JDEC_MISSING_FIELD:
	case JDEC_WRONG_TYPE:
	case JDEC_INVALID_FIELD:
		return 422;
	default:
		return 400;
	}
}

/* Unit tests for canonical JSON: what the writer produces parses back to the same
 * bytes, and every other spelling is refused with the code of the rule it breaks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "canon.h"
#include "jbuf.h"

/* Refuses text[0..len) with `want`; returns the reported offset. */
static size_t refuse_n(const char *text, size_t len, enum canon_err want)
{
	struct canon_doc *d = (struct canon_doc *)1;
	size_t at = SIZE_MAX;
	enum canon_err got = canon_parse(text, len, &d, &at);
	if (got != want)
		fail_msg("input \"%.*s\": got %s, want %s", (int)(len > 80 ? 80 : len), text,
			 canon_err_name(got), canon_err_name(want));
	assert_null(d);
	assert_true(at <= len || want == CANON_ERR_TOO_LARGE);
	return at;
}

#define REFUSE(lit, code) refuse_n(lit, sizeof(lit) - 1, code)

/* Parses text[0..len), checks that writing it back gives the same bytes. */
static void round_trip_n(const char *text, size_t len)
{
	struct canon_doc *d = NULL;
	size_t at = 0;
	enum canon_err e = canon_parse(text, len, &d, &at);
	if (e != CANON_OK)
		fail_msg("input \"%.*s\": %s at %zu", (int)(len > 80 ? 80 : len), text,
			 canon_err_name(e), at);
	struct jbuf out;
	jbuf_init(&out, 0);
	assert_true(canon_write(canon_root(d), &out));
	assert_int_equal(out.len, len);
	assert_memory_equal(jbuf_data(&out), text, len);
	jbuf_fini(&out);
	canon_free(d);
}

#define ACCEPT(lit) round_trip_n(lit, sizeof(lit) - 1)

static char *repeat(const char *head, const char *unit, size_t n, const char *tail, size_t *len)
{
	struct jbuf b;
	jbuf_init(&b, 0);
	jbuf_puts(&b, head);
	for (size_t i = 0; i < n; i++)
		jbuf_puts(&b, unit);
	jbuf_puts(&b, tail);
	*len = b.len;
	return b.mem; /* headroom 0: the data is the allocation */
}

static void canonical_texts_round_trip(void **state)
{
	(void)state;
	ACCEPT("{}");
	ACCEPT("[]");
	ACCEPT("{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"x\"}}");
	ACCEPT("\"text\"");
	ACCEPT("0");
	ACCEPT("-1");
	ACCEPT("true");
	ACCEPT("null");
	ACCEPT("9007199254740991");
	ACCEPT("-9007199254740991");
	ACCEPT("{\"\":0,\"a\":1}");
	ACCEPT("[[],{},[[]],\"\"]");
	ACCEPT("\"\\\"\\\\\\b\\t\\n\\f\\r\\u0001\\u001f\\u000b\"");
	ACCEPT("\"/\x7f\"");					 /* slash and DEL are written raw */
	ACCEPT("\"Z\xc3\xa9ro \xe2\x9c\x93 \xf0\x9f\x8c\x8d\""); /* 2-, 3- and 4-byte UTF-8 */
	ACCEPT("\"\xef\xbb\xbf\"");				 /* U+FEFF inside a string */
	ACCEPT("\"\xf4\x8f\xbf\xbf\"");				 /* U+10FFFF */
	ACCEPT("{\"a\":{\"b\":{\"c\":[1,-2,3]}},\"b\":\"\"}");
}

static void integer_bounds(void **state)
{
	(void)state;
	struct canon_doc *d;
	int64_t v;
	assert_int_equal(canon_parse("9007199254740991", 16, &d, NULL), CANON_OK);
	assert_true(canon_int(canon_root(d), &v));
	assert_true(v == INT64_C(9007199254740991));
	canon_free(d);
	assert_int_equal(canon_parse("-9007199254740991", 17, &d, NULL), CANON_OK);
	assert_true(canon_int(canon_root(d), &v));
	assert_true(v == -INT64_C(9007199254740991));
	canon_free(d);
	REFUSE("9007199254740992", CANON_ERR_RANGE);
	REFUSE("-9007199254740992", CANON_ERR_RANGE);
	REFUSE("[10000000000000000]", CANON_ERR_RANGE);
	REFUSE("99999999999999999999999999999", CANON_ERR_RANGE);
	REFUSE("{\"a\":-18446744073709551616}", CANON_ERR_RANGE);
}

/* Inserting white space at any position between tokens is refused there. */
static void whitespace_anywhere(void **state)
{
	(void)state;
	static const char text[] = "{\"a b\":[1,-2,{}],\"c\":{\"d\":true,\"e\":null},\"f\":\"g\"}";
	static const char ws[] = {' ', '\t', '\n', '\r'};
	size_t n = sizeof(text) - 1, tried = 0;
	char buf[sizeof(text) + 1];
	bool in_string = false, escaped = false;
	for (size_t i = 0; i <= n; i++) {
		/* Inside a number or literal ("- 2", "tr ue") the text is no longer JSON. */
		bool in_token = i > 0 && i < n && strchr("-0123456789truefalsn", text[i - 1]) &&
				strchr("-0123456789truefalsn", text[i]);
		for (size_t k = 0; k < sizeof(ws) && !in_string; k++) {
			memcpy(buf, text, i);
			buf[i] = ws[k];
			memcpy(buf + i + 1, text + i, n - i);
			if (in_token) {
				assert_int_not_equal(canon_parse(buf, n + 1, NULL, NULL), CANON_OK);
				continue;
			}
			assert_int_equal(refuse_n(buf, n + 1, CANON_ERR_WHITESPACE), i);
			tried++;
		}
		if (i == n)
			break;
		/* Track whether position i+1 is inside a string. */
		if (escaped)
			escaped = false;
		else if (in_string && text[i] == '\\')
			escaped = true;
		else if (text[i] == '"')
			in_string = !in_string;
	}
	assert_true(tried >= 4 * 20);
	/* Inside a string a space is text, a raw tab a control character. */
	ACCEPT("{\"a b\":\" \"}");
	REFUSE("{\"a\":\"\t\"}", CANON_ERR_CONTROL);
}

static void bom_refused(void **state)
{
	(void)state;
	assert_int_equal(REFUSE("\xef\xbb\xbf{}", CANON_ERR_BOM), 0);
	REFUSE("\xef\xbb\xbf", CANON_ERR_BOM);
	REFUSE("[\xef\xbb\xbf]", CANON_ERR_SYNTAX);
	REFUSE("\xef\xbb", CANON_ERR_SYNTAX);
}

static void empty_and_syntax(void **state)
{
	(void)state;
	struct canon_doc *d = NULL;
	assert_int_equal(canon_parse("", 0, &d, NULL), CANON_ERR_SYNTAX);
	assert_null(d);
	assert_int_equal(canon_parse(NULL, 0, &d, NULL), CANON_ERR_SYNTAX);
	static const char *const bad[] = {
	    "{",	  "[",		 "}",	    "]",	 "{\"a\"}",	"{\"a\":}",
	    "[1,]",	  "{\"a\":1,}",	 "[1}",	    "{\"a\":1]", "tru",		"nul",
	    "True",	  "'a'",	 "{a:1}",   "\"abc",	 "-",		"--1",
	    "1.",	  "1e",		 ".5",	    "[,1]",	 "[1,,2]",	"{\"a\"1}",
	    "{\"a\"::1}", "{,}",	 "\"\\x\"", "\"\\u12\"", "\"\\u00g1\"", "\"\\'\"",
	    "[1:2]",	  "{1:2}",	 "\"\\",    "-a",	 "\x80",	"NaN",
	    "Infinity",	  "[truefalse]", "[true,]",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refuse_n(bad[i], strlen(bad[i]), CANON_ERR_SYNTAX);
}

static void trailing_data(void **state)
{
	(void)state;
	assert_int_equal(REFUSE("{}x", CANON_ERR_TRAILING), 2);
	REFUSE("{}{}", CANON_ERR_TRAILING);
	REFUSE("\"a\"\"b\"", CANON_ERR_TRAILING);
	REFUSE("truex", CANON_ERR_TRAILING);
	REFUSE("0,1", CANON_ERR_TRAILING);
	REFUSE("[]]", CANON_ERR_TRAILING);
	refuse_n("{}\0", 3, CANON_ERR_TRAILING);
	/* Trailing white space is white space. */
	REFUSE("{} ", CANON_ERR_WHITESPACE);
	REFUSE("1\n", CANON_ERR_WHITESPACE);
}

static void key_order(void **state)
{
	(void)state;
	assert_int_equal(REFUSE("{\"b\":1,\"a\":2}", CANON_ERR_KEY_ORDER), 7);
	REFUSE("{\"aa\":1,\"a\":2}", CANON_ERR_KEY_ORDER); /* a prefix sorts first */
	ACCEPT("{\"a\":2,\"aa\":1}");
	REFUSE("{\"x\":{\"y\":1,\"x\":2}}", CANON_ERR_KEY_ORDER);
	REFUSE("[{\"a\":1},{\"c\":1,\"b\":2}]", CANON_ERR_KEY_ORDER);
	REFUSE("{\"a\":1,\"c\":2,\"b\":3}", CANON_ERR_KEY_ORDER);
	/* Bytewise, not by code point class or case: "Z" < "a" < "z" < "é" (C3 A9). */
	ACCEPT("{\"Z\":1,\"a\":2}");
	REFUSE("{\"a\":1,\"B\":2}", CANON_ERR_KEY_ORDER);
	ACCEPT("{\"z\":1,\"\xc3\xa9\":2}");
	REFUSE("{\"\xc3\xa9\":1,\"z\":2}", CANON_ERR_KEY_ORDER);
	/* U+00E9 (C3 A9) < U+1F30D (F0 9F 8C 8D) < ... bytewise equals code point order. */
	ACCEPT("{\"\xc3\xa9\":1,\"\xe2\x9c\x93\":2,\"\xf0\x9f\x8c\x8d\":3}");
	REFUSE("{\"\xe2\x9c\x93\":1,\"\xc3\xa9\":2}", CANON_ERR_KEY_ORDER);
	/* Escaped keys compare by their decoded bytes: "\n" (0A) < "\u001f"... < " ". */
	ACCEPT("{\"\\n\":1,\"\\u001f\":2,\" \":3}");
	REFUSE("{\"\\u001f\":1,\"\\n\":2}", CANON_ERR_KEY_ORDER);
}

static void duplicate_keys(void **state)
{
	(void)state;
	assert_int_equal(REFUSE("{\"a\":1,\"a\":2}", CANON_ERR_DUPLICATE), 7);
	REFUSE("{\"a\":1,\"a\":1}", CANON_ERR_DUPLICATE);
	/* Not adjacent: found by the search of earlier keys, not mistaken for bad order. */
	REFUSE("{\"a\":1,\"b\":2,\"a\":3}", CANON_ERR_DUPLICATE);
	REFUSE("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"b\":5}", CANON_ERR_DUPLICATE);
	REFUSE("{\"k\":{\"a\":1,\"b\":{},\"c\":[],\"a\":null}}", CANON_ERR_DUPLICATE);
	REFUSE("{\"\":1,\"\":2}", CANON_ERR_DUPLICATE);
	/* The same key in different objects is fine. */
	ACCEPT("{\"a\":{\"a\":1},\"b\":{\"a\":2}}");
}

static void non_canonical_numbers(void **state)
{
	(void)state;
	REFUSE("-0", CANON_ERR_NUMBER);
	REFUSE("[-0]", CANON_ERR_NUMBER);
	REFUSE("01", CANON_ERR_NUMBER);
	REFUSE("-01", CANON_ERR_NUMBER);
	REFUSE("00", CANON_ERR_NUMBER);
	REFUSE("+1", CANON_ERR_NUMBER);
	REFUSE("{\"a\":+0}", CANON_ERR_NUMBER);
	REFUSE("{\"a\":007}", CANON_ERR_NUMBER);
}

static void floats_refused(void **state)
{
	(void)state;
	REFUSE("1.0", CANON_ERR_FLOAT);
	REFUSE("1e3", CANON_ERR_FLOAT);
	REFUSE("1E3", CANON_ERR_FLOAT);
	REFUSE("1e+3", CANON_ERR_FLOAT);
	REFUSE("1e-3", CANON_ERR_FLOAT);
	REFUSE("-1.5", CANON_ERR_FLOAT);
	REFUSE("0.0", CANON_ERR_FLOAT);
	REFUSE("-0.0", CANON_ERR_FLOAT);
	REFUSE("[1,2.5]", CANON_ERR_FLOAT);
	REFUSE("{\"a\":9007199254740993.0}", CANON_ERR_FLOAT);
}

static void escapes(void **state)
{
	(void)state;
	REFUSE("\"\\/\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\u0041\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\u00E9\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\u00e9\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\u001F\"", CANON_ERR_ESCAPE); /* uppercase hex */
	REFUSE("\"\\u000B\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\u0009\"", CANON_ERR_ESCAPE); /* has the short form \t */
	REFUSE("\"\\u000a\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\u0008\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\u000c\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\u000d\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\u0020\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\u007f\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\u0022\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\u005c\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\ud800\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\uD83D\\uDE00\"", CANON_ERR_ESCAPE);
	REFUSE("\"\\u2028\"", CANON_ERR_ESCAPE);
	assert_int_equal(REFUSE("{\"\\u0041\":1}", CANON_ERR_ESCAPE), 2);
	ACCEPT("{\"\\u0001\":\"\\u001e\"}");
}

static void raw_control_characters(void **state)
{
	(void)state;
	assert_int_equal(REFUSE("\"a\tb\"", CANON_ERR_CONTROL), 2);
	REFUSE("\"\n\"", CANON_ERR_CONTROL);
	REFUSE("\"\r\"", CANON_ERR_CONTROL);
	REFUSE("\"\x01\"", CANON_ERR_CONTROL);
	REFUSE("\"\x1f\"", CANON_ERR_CONTROL);
	REFUSE("{\"\x1b\":1}", CANON_ERR_CONTROL);
	ACCEPT("\"\x7f\"");
}

static void invalid_utf8(void **state)
{
	(void)state;
	assert_int_equal(REFUSE("\"\xc0\xaf\"", CANON_ERR_UTF8), 1); /* overlong '/' */
	REFUSE("\"\xe0\x80\xaf\"", CANON_ERR_UTF8);		     /* overlong, 3 bytes */
	REFUSE("\"\xf0\x80\x80\xaf\"", CANON_ERR_UTF8);		     /* overlong, 4 bytes */
	REFUSE("\"\xed\xa0\x80\"", CANON_ERR_UTF8);		     /* surrogate U+D800 */
	REFUSE("\"\xed\xbf\xbf\"", CANON_ERR_UTF8);		     /* surrogate U+DFFF */
	REFUSE("\"\xf4\x90\x80\x80\"", CANON_ERR_UTF8);		     /* above U+10FFFF */
	REFUSE("\"\xf5\x80\x80\x80\"", CANON_ERR_UTF8);
	REFUSE("\"\xc3\"", CANON_ERR_UTF8); /* truncated before the quote */
	REFUSE("\"\xe2\x82\"", CANON_ERR_UTF8);
	REFUSE("\"\xf0\x9f\x8c\"", CANON_ERR_UTF8);
	REFUSE("\"\xc3", CANON_ERR_UTF8); /* truncated at the end of input */
	REFUSE("\"\xf0\x9f", CANON_ERR_UTF8);
	REFUSE("\"\x80\"", CANON_ERR_UTF8); /* lone continuation */
	REFUSE("\"\xff\"", CANON_ERR_UTF8);
	REFUSE("\"a\xc3(\"", CANON_ERR_UTF8);
	REFUSE("{\"\xc0\xaf\":1}", CANON_ERR_UTF8);
}

static void nul_refused(void **state)
{
	(void)state;
	REFUSE("\"\\u0000\"", CANON_ERR_NUL);
	assert_int_equal(REFUSE("\"a\\u0000b\"", CANON_ERR_NUL), 2);
	REFUSE("{\"\\u0000\":1}", CANON_ERR_NUL);
	refuse_n("\"a\0b\"", 5, CANON_ERR_NUL);
	refuse_n("{\"\0\":1}", 7, CANON_ERR_NUL);
}

static void depth_limit(void **state)
{
	(void)state;
	size_t len;
	char *ok = repeat("", "[", CANON_MAX_DEPTH, "", &len);
	char *deep;
	struct jbuf b;
	jbuf_init(&b, 0);
	jbuf_puts(&b, ok);
	for (int i = 0; i < CANON_MAX_DEPTH; i++)
		jbuf_putc(&b, ']');
	round_trip_n(jbuf_data(&b), b.len);
	jbuf_fini(&b);
	free(ok);

	jbuf_init(&b, 0);
	for (int i = 0; i < CANON_MAX_DEPTH + 1; i++)
		jbuf_putc(&b, '[');
	for (int i = 0; i < CANON_MAX_DEPTH + 1; i++)
		jbuf_putc(&b, ']');
	assert_int_equal(refuse_n(jbuf_data(&b), b.len, CANON_ERR_TOO_DEEP), CANON_MAX_DEPTH);
	jbuf_fini(&b);

	/* Objects count too, mixed with arrays. */
	jbuf_init(&b, 0);
	for (int i = 0; i < 8; i++)
		jbuf_puts(&b, "{\"a\":[");
	jbuf_puts(&b, "{}");
	for (int i = 0; i < 8; i++)
		jbuf_puts(&b, "]}");
	refuse_n(jbuf_data(&b), b.len, CANON_ERR_TOO_DEEP);
	jbuf_fini(&b);

	/* Hostile nesting stops at the limit without walking the rest. */
	deep = repeat("", "[", 100000, "", &len);
	assert_int_equal(refuse_n(deep, len, CANON_ERR_TOO_DEEP), CANON_MAX_DEPTH);
	free(deep);
}

static void size_limits(void **state)
{
	(void)state;
	size_t len;
	char *s;

	/* Input: exactly 1 MiB is parsed (16 strings near the string cap), one more byte is
	 * refused before any parsing. */
	struct jbuf b;
	jbuf_init(&b, 0);
	jbuf_putc(&b, '[');
	for (int i = 0; i < 16; i++) {
		size_t n = i < 15 ? 65533 : 65532;
		jbuf_puts(&b, i ? ",\"" : "\"");
		jbuf_reserve(&b, n);
		memset(jbuf_data(&b) + b.len, 'a', n);
		b.len += n;
		jbuf_putc(&b, '"');
	}
	jbuf_putc(&b, ']');
	assert_int_equal(b.len, CANON_MAX_INPUT);
	round_trip_n(jbuf_data(&b), b.len);
	jbuf_putc(&b, ' ');
	refuse_n(jbuf_data(&b), b.len, CANON_ERR_TOO_LARGE);
	jbuf_fini(&b);

	/* Strings: the cap is on decoded bytes. */
	s = repeat("\"", "a", CANON_MAX_STRING, "\"", &len);
	round_trip_n(s, len);
	free(s);
	s = repeat("\"", "a", CANON_MAX_STRING + 1, "\"", &len);
	assert_int_equal(refuse_n(s, len, CANON_ERR_STRING_LONG), 0);
	free(s);
	s = repeat("\"", "\\n", CANON_MAX_STRING, "\"", &len);
	round_trip_n(s, len);
	free(s);
	s = repeat("{\"", "\xc3\xa9", CANON_MAX_STRING / 2 + 1, "\":1}", &len);
	refuse_n(s, len, CANON_ERR_STRING_LONG);
	free(s);

	/* Containers: 10,000 items, not one more. */
	s = repeat("[0", ",0", CANON_MAX_ITEMS - 1, "]", &len);
	round_trip_n(s, len);
	free(s);
	s = repeat("[0", ",0", CANON_MAX_ITEMS, "]", &len);
	refuse_n(s, len, CANON_ERR_TOO_MANY);
	free(s);
	for (int extra = 0; extra <= 1; extra++) {
		jbuf_init(&b, 0);
		jbuf_putc(&b, '{');
		for (int i = 0; i < CANON_MAX_ITEMS + extra; i++)
			jbuf_printf(&b, "%s\"k%05d\":%d", i ? "," : "", i, i);
		jbuf_putc(&b, '}');
		if (extra)
			refuse_n(jbuf_data(&b), b.len, CANON_ERR_TOO_MANY);
		else
			round_trip_n(jbuf_data(&b), b.len);
		jbuf_fini(&b);
	}
}

static void builder_writes_canonical_text(void **state)
{
	(void)state;
	struct canon_doc *d = canon_new();
	struct canon_value *root = canon_new_object(d), *arr = canon_new_array(d);
	struct canon_value *inner = canon_new_object(d);
	assert_true(canon_set_str(d, root, "origin", "issy", 4));
	assert_true(canon_set_int(d, root, "seq", 42));
	assert_true(canon_set_bool(d, root, "final", false));
	assert_true(canon_set_null(d, root, "prev"));
	assert_true(canon_set_int(d, inner, "z", -9007199254740991));
	assert_true(canon_set_int(d, inner, "\xc3\xa9", 1));
	assert_true(canon_set_int(d, inner, "a", 0));
	assert_true(canon_push(d, arr, canon_new_int(d, 3)));
	assert_true(canon_push(d, arr, canon_new_str(d, "x\"y", 3)));
	assert_true(canon_push(d, arr, canon_new_bool(d, true)));
	assert_true(canon_push(d, arr, canon_new_null(d)));
	assert_true(canon_set(d, root, "metrics", inner));
	assert_true(canon_set(d, root, "list", arr));
	assert_true(canon_set_str(d, root, "", "", 0));
	canon_set_root(d, root);

	static const char want[] = "{\"\":\"\",\"final\":false,\"list\":[3,\"x\\\"y\",true,null],"
				   "\"metrics\":{\"a\":0,\"z\":-9007199254740991,\"\xc3\xa9\":1},"
				   "\"origin\":\"issy\",\"prev\":null,\"seq\":42}";
	struct jbuf out;
	jbuf_init(&out, 0);
	jbuf_puts(&out, "prefix:");
	assert_true(canon_write(canon_root(d), &out));
	assert_memory_equal(jbuf_data(&out), "prefix:", 7);
	assert_int_equal(out.len, 7 + sizeof(want) - 1);
	assert_memory_equal(jbuf_data(&out) + 7, want, sizeof(want) - 1);
	round_trip_n(jbuf_data(&out) + 7, out.len - 7);

	/* Members come back in key order. */
	assert_string_equal(canon_key(root, 0), "");
	assert_string_equal(canon_key(root, 1), "final");
	assert_string_equal(canon_key(root, 6), "seq");
	assert_null(canon_key(root, 7));
	jbuf_fini(&out);
	canon_free(d);
}

static void builder_refusals(void **state)
{
	(void)state;
	struct canon_doc *d = canon_new();
	struct canon_value *o = canon_new_object(d), *a = canon_new_array(d);
	assert_true(canon_set_int(d, o, "a", 1));
	assert_false(canon_set_int(d, o, "a", 2)); /* duplicate */
	assert_false(canon_set_str(d, o, "a", "x", 1));
	assert_false(canon_set(d, o, "a", canon_new_null(d)));
	assert_false(canon_set_int(d, o, "b", INT64_C(9007199254740992)));
	assert_false(canon_set_int(d, o, "b", -INT64_C(9007199254740992)));
	assert_false(canon_set_int(d, o, "b", INT64_MIN));
	assert_null(canon_new_int(d, INT64_MAX));
	assert_false(canon_set_str(d, o, "b", "\xc0\xaf", 2));
	assert_false(canon_set_str(d, o, "b", "\xed\xa0\x80", 3));
	assert_false(canon_set_str(d, o, "b", "a\0b", 3)); /* NUL */
	assert_false(canon_set_str(d, o, "\xff", "x", 1)); /* key not UTF-8 */
	assert_false(canon_set_str(d, o, "b", NULL, 1));
	assert_null(canon_new_str(d, "a\0", 2));
	assert_false(canon_set(d, a, "b", canon_new_null(d))); /* not an object */
	assert_false(canon_push(d, o, canon_new_null(d)));     /* not an array */
	assert_false(canon_push(d, a, NULL));
	assert_false(canon_set(d, o, "b", NULL));
	assert_false(canon_set_int(d, o, NULL, 1));
	/* Refused calls changed nothing. */
	assert_int_equal(canon_count(o), 1);
	assert_int_equal(canon_count(a), 0);

	char *big = malloc(CANON_MAX_STRING + 1);
	memset(big, 'x', CANON_MAX_STRING + 1);
	assert_null(canon_new_str(d, big, CANON_MAX_STRING + 1));
	assert_non_null(canon_new_str(d, big, CANON_MAX_STRING));
	big[CANON_MAX_STRING] = '\0';
	assert_true(canon_set_int(d, o, big, 1)); /* a 64 KiB key is allowed */
	big[CANON_MAX_STRING] = 'x';
	free(big);

	for (int i = 0; i < CANON_MAX_ITEMS; i++)
		assert_true(canon_push(d, a, canon_new_int(d, i)));
	assert_false(canon_push(d, a, canon_new_int(d, 0)));
	assert_int_equal(canon_count(a), CANON_MAX_ITEMS);
	struct canon_value *full = canon_new_object(d);
	char key[16];
	for (int i = CANON_MAX_ITEMS - 1; i >= 0; i--) {
		snprintf(key, sizeof(key), "%05d", i);
		assert_true(canon_set_int(d, full, key, i));
	}
	assert_false(canon_set_int(d, full, "x", 0));
	assert_string_equal(canon_key(full, 0), "00000");
	assert_string_equal(canon_key(full, CANON_MAX_ITEMS - 1), "09999");
	canon_free(d);
}

/* Every control character: the five short forms, \u00xx in lowercase for the rest. */
static void writer_escapes_controls(void **state)
{
	(void)state;
	struct canon_doc *d = canon_new();
	struct jbuf out;
	jbuf_init(&out, 0);
	for (int c = 1; c < 0x20; c++) {
		char s[3] = {'a', (char)c, 'b'}, want[16];
		const char *shortform = c == '\b'   ? "\\b"
					: c == '\t' ? "\\t"
					: c == '\n' ? "\\n"
					: c == '\f' ? "\\f"
					: c == '\r' ? "\\r"
						    : NULL;
		if (shortform)
			snprintf(want, sizeof(want), "\"a%sb\"", shortform);
		else
			snprintf(want, sizeof(want), "\"a\\u00%02xb\"", (unsigned)c);
		jbuf_reset(&out);
		assert_true(canon_write(canon_new_str(d, s, 3), &out));
		assert_string_equal(jbuf_data(&out), want);
		round_trip_n(jbuf_data(&out), out.len);
	}
	jbuf_reset(&out);
	assert_true(canon_write(canon_new_str(d, "\"\\/\x7f<>&\xe2\x80\xa8", 10), &out));
	/* Quote and backslash escaped; slash, DEL, HTML characters and U+2028 raw. */
	assert_string_equal(jbuf_data(&out), "\"\\\"\\\\/\x7f<>&\xe2\x80\xa8\"");
	round_trip_n(jbuf_data(&out), out.len);
	/* Keys are escaped the same way. */
	struct canon_value *o = canon_new_object(d);
	assert_true(canon_set_int(d, o, "\x1f\"", 1));
	jbuf_reset(&out);
	assert_true(canon_write(o, &out));
	assert_string_equal(jbuf_data(&out), "{\"\\u001f\\\"\":1}");
	jbuf_fini(&out);
	canon_free(d);
}

static void writer_refusals(void **state)
{
	(void)state;
	struct canon_doc *d = canon_new();
	struct jbuf out;
	jbuf_init(&out, 0);
	jbuf_puts(&out, "keep");

	/* Depth 17 built by hand: the parser would refuse it, so the writer does too. */
	struct canon_value *top = canon_new_array(d), *cur = top;
	for (int i = 1; i < CANON_MAX_DEPTH + 1; i++) {
		struct canon_value *next = canon_new_array(d);
		assert_true(canon_push(d, cur, next));
		cur = next;
	}
	assert_false(canon_write(top, &out));
	assert_string_equal(jbuf_data(&out), "keep");
	assert_null(canon_copy(d, top));
	assert_true(canon_write(canon_item(top, 0), &out)); /* depth 16 is fine */

	/* A loop. */
	struct canon_value *loop = canon_new_object(d);
	assert_true(canon_set(d, loop, "self", loop));
	jbuf_reset(&out);
	assert_false(canon_write(loop, &out));
	assert_int_equal(out.len, 0);
	assert_null(canon_copy(d, loop));

	/* Shared children describing a tree far larger than 1 MiB: refused quickly. */
	struct canon_value *level = canon_new_str(d, "0123456789", 10);
	for (int i = 0; i < 8; i++) {
		struct canon_value *wide = canon_new_array(d);
		for (int k = 0; k < 100; k++)
			assert_true(canon_push(d, wide, level));
		level = wide;
	}
	assert_false(canon_write(level, &out));
	assert_int_equal(out.len, 0);
	assert_null(canon_copy(d, level));
	assert_false(canon_write(NULL, &out));
	jbuf_fini(&out);
	canon_free(d);
}

static void readers(void **state)
{
	(void)state;
	static const char text[] =
	    "{\"a\":[1,\"two\",true,null,{}],\"b\":false,\"n\":-5,\"s\":\"x\\ny\",\"t\":true}";
	struct canon_doc *d;
	assert_int_equal(canon_parse(text, sizeof(text) - 1, &d, NULL), CANON_OK);
	const struct canon_value *r = canon_root(d), *a = canon_get(r, "a");
	int64_t i = 0;
	bool b = true;
	size_t len = 0;
	assert_int_equal(canon_type(r), CANON_OBJECT);
	assert_int_equal(canon_count(r), 5);
	assert_int_equal(canon_type(a), CANON_ARRAY);
	assert_int_equal(canon_count(a), 5);
	assert_true(canon_int(canon_item(a, 0), &i));
	assert_int_equal(i, 1);
	assert_string_equal(canon_str(canon_item(a, 1), &len), "two");
	assert_int_equal(len, 3);
	assert_int_equal(canon_type(canon_item(a, 3)), CANON_NULL);
	assert_int_equal(canon_type(canon_item(a, 4)), CANON_OBJECT);
	assert_null(canon_item(a, 5));
	assert_true(canon_get_int(r, "n", &i));
	assert_int_equal(i, -5);
	assert_false(canon_get_int(r, "s", &i));
	assert_false(canon_get_int(r, "zz", &i));
	assert_string_equal(canon_get_str(r, "s", &len), "x\ny");
	assert_int_equal(len, 3);
	assert_null(canon_get_str(r, "n", &len));
	assert_true(canon_bool(canon_get(r, "b"), &b));
	assert_false(b);
	assert_false(canon_bool(canon_get(r, "n"), &b));
	assert_int_equal(canon_type(canon_get(r, "missing")), CANON_ABSENT);
	assert_null(canon_get(a, "a")); /* not an object */
	assert_null(canon_key(a, 0));
	assert_string_equal(canon_key(r, 4), "t");
	assert_int_equal(canon_type(canon_item(r, 4)), CANON_BOOL);
	assert_int_equal(canon_count(canon_get(r, "n")), 0);

	static const char *const allowed[] = {"a", "b", "n", "s", "t"};
	assert_null(canon_unknown_key(r, allowed, 5));
	assert_string_equal(canon_unknown_key(r, allowed, 4), "t");
	assert_string_equal(canon_unknown_key(r, allowed + 1, 4), "a");
	assert_null(canon_unknown_key(canon_item(a, 4), allowed, 0));
	canon_free(d);

	/* Validate only. */
	assert_int_equal(canon_parse(text, sizeof(text) - 1, NULL, NULL), CANON_OK);
	assert_int_equal(canon_parse("[1 ]", 4, NULL, NULL), CANON_ERR_WHITESPACE);
}

static void copy_embeds_parsed_values(void **state)
{
	(void)state;
	static const char env[] = "{\"payload\":\"e30\",\"signatures\":[{\"keyid\":\"k\"}]}";
	struct canon_doc *src;
	assert_int_equal(canon_parse(env, sizeof(env) - 1, &src, NULL), CANON_OK);
	struct canon_doc *d = canon_new();
	struct canon_value *batch = canon_new_object(d), *items = canon_new_array(d);
	assert_true(canon_push(d, items, canon_copy(d, canon_root(src))));
	assert_true(canon_push(d, items, canon_copy(d, canon_root(src))));
	canon_free(src); /* the copies own their memory */
	assert_true(canon_set(d, batch, "envelopes", items));
	struct jbuf out;
	jbuf_init(&out, 0);
	assert_true(canon_write(batch, &out));
	assert_string_equal(
	    jbuf_data(&out),
	    "{\"envelopes\":[{\"payload\":\"e30\",\"signatures\":[{\"keyid\":\"k\"}]},"
	    "{\"payload\":\"e30\",\"signatures\":[{\"keyid\":\"k\"}]}]}");
	/* A copied object still finds its keys (sorted order is kept). */
	assert_string_equal(canon_get_str(canon_item(items, 1), "payload", NULL), "e30");
	jbuf_fini(&out);
	canon_free(d);
	assert_null(canon_copy(NULL, NULL));
}

static void error_names(void **state)
{
	(void)state;
	assert_string_equal(canon_err_name(CANON_OK), "ok");
	assert_string_equal(canon_err_name(CANON_ERR_WHITESPACE), "not_canonical_whitespace");
	assert_string_equal(canon_err_name(CANON_ERR_KEY_ORDER), "not_canonical_key_order");
	assert_string_equal(canon_err_name(CANON_ERR_DUPLICATE), "duplicate_key");
	assert_string_equal(canon_err_name(CANON_ERR_NUMBER), "not_canonical_number");
	assert_string_equal(canon_err_name(CANON_ERR_RANGE), "integer_out_of_range");
	assert_string_equal(canon_err_name(CANON_ERR_FLOAT), "float_not_allowed");
	assert_string_equal(canon_err_name(CANON_ERR_ESCAPE), "not_canonical_escape");
	assert_string_equal(canon_err_name(CANON_ERR_UTF8), "invalid_utf8");
	assert_string_equal(canon_err_name(CANON_ERR_NUL), "nul_in_string");
	assert_string_equal(canon_err_name(CANON_ERR_TOO_DEEP), "too_deep");
	assert_string_equal(canon_err_name(CANON_ERR_TOO_LARGE), "too_large");
	assert_string_equal(canon_err_name(CANON_ERR_SYNTAX), "syntax");
	assert_string_equal(canon_err_name(CANON_ERR_TRAILING), "trailing_data");
	assert_string_equal(canon_err_name(CANON_ERR__COUNT), "unknown");
	/* Every code has its own name. */
	for (int i = 0; i < CANON_ERR__COUNT; i++) {
		const char *n = canon_err_name((enum canon_err)i);
		assert_non_null(n);
		assert_true(strspn(n, "abcdefghijklmnopqrstuvwxyz_0123456789") == strlen(n));
		for (int k = 0; k < i; k++)
			assert_string_not_equal(n, canon_err_name((enum canon_err)k));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(canonical_texts_round_trip),
	    cmocka_unit_test(integer_bounds),
	    cmocka_unit_test(whitespace_anywhere),
	    cmocka_unit_test(bom_refused),
	    cmocka_unit_test(empty_and_syntax),
	    cmocka_unit_test(trailing_data),
	    cmocka_unit_test(key_order),
	    cmocka_unit_test(duplicate_keys),
	    cmocka_unit_test(non_canonical_numbers),
	    cmocka_unit_test(floats_refused),
	    cmocka_unit_test(escapes),
	    cmocka_unit_test(raw_control_characters),
	    cmocka_unit_test(invalid_utf8),
	    cmocka_unit_test(nul_refused),
	    cmocka_unit_test(depth_limit),
	    cmocka_unit_test(size_limits),
	    cmocka_unit_test(builder_writes_canonical_text),
	    cmocka_unit_test(builder_refusals),
	    cmocka_unit_test(writer_escapes_controls),
	    cmocka_unit_test(writer_refusals),
	    cmocka_unit_test(readers),
	    cmocka_unit_test(copy_embeds_parsed_values),
	    cmocka_unit_test(error_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

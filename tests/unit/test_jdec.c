/* Unit tests for the strict request decoder: each refusal class and its status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jbuf.h"
#include "jdec.h"

struct body {
	char nick[97];
	char hood[129];
	bool hood_null, has_hood, has_size;
	int64_t size;
	bool flag;
	struct jbuf raw;
	char list[4][64];
	size_t count;
};

static enum jdec_status decode(const char *json, struct body *b, struct jdec_error *e)
{
	const struct jdec_field fields[] = {
	    {.name = "nickname",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 3,
	     .max_len = 24,
	     .out = b->nick,
	     .out_cap = sizeof(b->nick)},
	    {.name = "neighbourhood",
	     .type = JDEC_STRING_NULL,
	     .min_len = 1,
	     .max_len = 32,
	     .out = b->hood,
	     .out_cap = sizeof(b->hood),
	     .present = &b->has_hood,
	     .is_null = &b->hood_null},
	    {.name = "household_size",
	     .type = JDEC_INT,
	     .min = 1,
	     .max = 20,
	     .out = &b->size,
	     .present = &b->has_size},
	    {.name = "hidden", .type = JDEC_BOOL, .out = &b->flag},
	    {.name = "data", .type = JDEC_OBJECT_RAW, .out = &b->raw},
	    {.name = "list",
	     .type = JDEC_STRING_ARRAY,
	     .min_len = 1,
	     .max_len = 8,
	     .max = 4,
	     .out = b->list,
	     .out_cap = 64,
	     .count = &b->count},
	};
	return jdec_object(json, strlen(json), fields, sizeof(fields) / sizeof(fields[0]), e);
}

static int setup(void **state)
{
	static struct body b;
	memset(&b, 0, sizeof(b));
	jbuf_init(&b.raw, 0);
	*state = &b;
	return 0;
}

static int teardown(void **state)
{
	struct body *b = *state;
	jbuf_fini(&b->raw);
	return 0;
}

static void accepts_valid(void **state)
{
	struct body *b = *state;
	struct jdec_error e;
	assert_int_equal(decode(" {\"nickname\":\"\\u00c9lodie\",\"household_size\":20,"
				"\"neighbourhood\":null,\"hidden\":true,"
				"\"data\":{ \"a\" : [1, 2.5, \"x y\"], \"b\":{}},"
				"\"list\":[\"un\",\"deux\"]}\n",
				b, &e),
			 JDEC_OK);
	assert_string_equal(b->nick, "Élodie");
	assert_int_equal(b->size, 20);
	assert_true(b->has_hood);
	assert_true(b->hood_null);
	assert_true(b->flag);
	assert_string_equal(jbuf_data(&b->raw), "{\"a\":[1,2.5,\"x y\"],\"b\":{}}");
	assert_int_equal(b->count, 2);
	assert_string_equal(b->list[1], "deux");
}

static void surrogate_pair_and_lengths(void **state)
{
	struct body *b = *state;
	struct jdec_error e;
	/* 3 code points, one of them outside the BMP, counts as 3 characters. */
	assert_int_equal(decode("{\"nickname\":\"a\\ud83c\\udf0db\"}", b, &e), JDEC_OK);
	assert_string_equal(b->nick, "a\xf0\x9f\x8c\x8d"
				     "b");
	assert_int_equal(decode("{\"nickname\":\"ab\"}", b, &e), JDEC_INVALID_FIELD);
	assert_string_equal(e.field, "nickname");
	assert_int_equal(decode("{\"nickname\":\"abcdefghijklmnopqrstuvwxy\"}", b, &e),
			 JDEC_INVALID_FIELD);
	assert_int_equal(decode("{\"nickname\":\"\\ud83c\"}", b, &e), JDEC_MALFORMED);
	assert_int_equal(decode("{\"nickname\":\"ab\\u0000c\"}", b, &e), JDEC_INVALID_UTF8);
}

struct refusal {
	const char *json;
	enum jdec_status status;
	int http;
};

static void refusals(void **state)
{
	struct body *b = *state;
	struct jdec_error e;
	static const struct refusal cases[] = {
	    {"", JDEC_MALFORMED, 400},
	    {"   ", JDEC_MALFORMED, 400},
	    {"{\"nickname\":\"abc\"", JDEC_MALFORMED, 400},
	    {"{\"nickname\":\"abc\",}", JDEC_MALFORMED, 400},
	    {"{'nickname':'abc'}", JDEC_MALFORMED, 400},
	    {"{\"nickname\":\"abc\"} x", JDEC_MALFORMED, 400},
	    {"{\"nickname\":\"abc\"}{}", JDEC_MALFORMED, 400},
	    {"{\"nickname\":\"a\tb\"}", JDEC_MALFORMED, 400},
	    {"{\"nickname\":\"abc\",\"household_size\":01}", JDEC_MALFORMED, 400},
	    {"{\"nickname\":\"abc\",\"household_size\":+1}", JDEC_MALFORMED, 400},
	    {"{\"nickname\":\"abc\",\"hidden\":tru}", JDEC_MALFORMED, 400},
	    {"{\"nickname\":\"abc\",\"data\":{\"a\":[[[[[[[[[1]]]]]]]]]}}", JDEC_MALFORMED, 400},
	    {"[1,2]", JDEC_NOT_OBJECT, 400},
	    {"\"abc\"", JDEC_NOT_OBJECT, 400},
	    {"{\"nickname\":\"abc\",\"nickname\":\"abd\"}", JDEC_DUPLICATE, 400},
	    {"{\"nickname\":\"abc\",\"data\":{\"x\":1,\"x\":2}}", JDEC_DUPLICATE, 400},
	    {"{\"nickname\":\"abc\",\"email\":\"a@b.fr\"}", JDEC_UNKNOWN_FIELD, 422},
	    {"{\"household_size\":2}", JDEC_MISSING_FIELD, 422},
	    {"{\"nickname\":42}", JDEC_WRONG_TYPE, 422},
	    {"{\"nickname\":\"abc\",\"household_size\":\"2\"}", JDEC_WRONG_TYPE, 422},
	    {"{\"nickname\":\"abc\",\"household_size\":2.5}", JDEC_WRONG_TYPE, 422},
	    {"{\"nickname\":\"abc\",\"household_size\":1e1}", JDEC_WRONG_TYPE, 422},
	    {"{\"nickname\":\"abc\",\"household_size\":-0}", JDEC_WRONG_TYPE, 422},
	    {"{\"nickname\":\"abc\",\"household_size\":21}", JDEC_INVALID_FIELD, 422},
	    {"{\"nickname\":\"abc\",\"household_size\":99999999999999999999999}",
	     JDEC_INVALID_FIELD, 422},
	    {"{\"nickname\":\"abc\",\"hidden\":\"true\"}", JDEC_WRONG_TYPE, 422},
	    {"{\"nickname\":\"abc\",\"neighbourhood\":3}", JDEC_WRONG_TYPE, 422},
	    {"{\"nickname\":\"abc\",\"data\":[1]}", JDEC_WRONG_TYPE, 422},
	    {"{\"nickname\":\"abc\",\"list\":[1]}", JDEC_WRONG_TYPE, 422},
	    {"{\"nickname\":\"abc\",\"list\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}", JDEC_INVALID_FIELD,
	     422},
	    {"{\"nickname\":null}", JDEC_WRONG_TYPE, 422},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum jdec_status st = decode(cases[i].json, b, &e);
		if (st != cases[i].status)
			fail_msg("case %zu (%s): got %s, want %s", i, cases[i].json, jdec_code(st),
				 jdec_code(cases[i].status));
		assert_int_equal(jdec_http_status(st), cases[i].http);
		assert_true(e.message[0] != '\0');
	}
}

static void invalid_utf8_body(void **state)
{
	struct body *b = *state;
	struct jdec_error e;
	assert_int_equal(decode("{\"nickname\":\"ab\xc3\x28\"}", b, &e), JDEC_INVALID_UTF8);
	assert_string_equal(jdec_code(e.status), "invalid_utf8");
	const char with_nul[] = "{\"nickname\":\"a\0bc\"}";
	assert_int_equal(jdec_object(with_nul, sizeof(with_nul) - 1, NULL, 0, &e),
			 JDEC_INVALID_UTF8);
}

static void error_names_field(void **state)
{
	struct body *b = *state;
	struct jdec_error e;
	decode("{\"nickname\":\"abc\",\"telephone\":\"0600000000\"}", b, &e);
	assert_string_equal(e.field, "telephone");
	assert_non_null(strstr(e.message, "telephone"));
	decode("{\"nickname\":\"abc\",\"household_size\":0}", b, &e);
	assert_non_null(strstr(e.message, "between 1 and 20"));
}

/* Integer arrays: bounds per item and on the count; raw arrays split into
 * their top-level items, nested ones included. */
static void arrays(void **state)
{
	(void)state;
	int64_t ints[3];
	size_t n = 99;
	struct jbuf raw;
	struct jdec_error e;
	jbuf_init(&raw, 0);
	const struct jdec_field f[] = {
	    {.name = "c",
	     .type = JDEC_INT_ARRAY,
	     .min = 0,
	     .max = 7,
	     .max_len = 3,
	     .out = ints,
	     .count = &n},
	    {.name = "items", .type = JDEC_ARRAY_RAW, .max_len = 3, .out = &raw},
	};
	const char *ok = "{\"c\":[0, 7,3],\"items\":[{\"a\":[1,\"],\"]},\"x,y\",[2,[3]]]}";
	assert_int_equal(jdec_object(ok, strlen(ok), f, 2, &e), JDEC_OK);
	assert_int_equal(n, 3);
	assert_int_equal(ints[0], 0);
	assert_int_equal(ints[1], 7);
	assert_int_equal(ints[2], 3);
	const char *starts[4];
	size_t lens[4];
	size_t k = jdec_array_items(jbuf_data(&raw), raw.len, starts, lens, 4);
	assert_int_equal(k, 3);
	assert_memory_equal(starts[0], "{\"a\":[1,\"],\"]}", lens[0]);
	assert_memory_equal(starts[1], "\"x,y\"", lens[1]);
	assert_memory_equal(starts[2], "[2,[3]]", lens[2]);
	assert_int_equal(jdec_array_items("[]", 2, starts, lens, 4), 0);

	static const struct {
		const char *json;
		enum jdec_status st;
	} bad[] = {
	    {"{\"c\":[8]}", JDEC_INVALID_FIELD},	   {"{\"c\":[-1]}", JDEC_INVALID_FIELD},
	    {"{\"c\":[1,2,3,4]}", JDEC_INVALID_FIELD},	   {"{\"c\":[1.5]}", JDEC_WRONG_TYPE},
	    {"{\"c\":[\"1\"]}", JDEC_WRONG_TYPE},	   {"{\"c\":1}", JDEC_WRONG_TYPE},
	    {"{\"items\":[1,2,3,4]}", JDEC_INVALID_FIELD}, {"{\"items\":{}}", JDEC_WRONG_TYPE},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(jdec_object(bad[i].json, strlen(bad[i].json), f, 2, &e),
				 bad[i].st);
	jbuf_fini(&raw);
}

/* A key's string read from any well-formed object, unknown keys and all. */
static void peek(void **state)
{
	(void)state;
	char out[8];
	const char *j = "{\"type\":\"dance\",\"x\":{\"ref\":\"no\"},\"ref\":\"r1\",\"n\":[1]}";
	assert_true(jdec_peek_string(j, strlen(j), "ref", out, sizeof(out)));
	assert_string_equal(out, "r1");
	assert_false(jdec_peek_string(j, strlen(j), "n", out, sizeof(out)));
	assert_false(jdec_peek_string(j, strlen(j), "missing", out, sizeof(out)));
	const char *longer = "{\"ref\":\"123456789\"}";
	assert_false(jdec_peek_string(longer, strlen(longer), "ref", out, sizeof(out)));
	const char *broken = "{\"ref\":\"r1\"";
	assert_false(jdec_peek_string(broken, strlen(broken), "ref", out, sizeof(out)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(accepts_valid, setup, teardown),
	    cmocka_unit_test_setup_teardown(surrogate_pair_and_lengths, setup, teardown),
	    cmocka_unit_test_setup_teardown(refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(invalid_utf8_body, setup, teardown),
	    cmocka_unit_test_setup_teardown(error_names_field, setup, teardown),
	    cmocka_unit_test(arrays),
	    cmocka_unit_test(peek),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

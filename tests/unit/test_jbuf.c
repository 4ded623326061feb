/* Unit tests for the buffer and JSON writer: headroom, growth, escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jbuf.h"

static void headroom_and_growth(void **state)
{
	(void)state;
	struct jbuf b;
	jbuf_init(&b, 16);
	assert_string_equal(jbuf_data(&b), "");
	for (int i = 0; i < 1000; i++)
		jbuf_puts(&b, "abcdefghij");
	assert_int_equal(b.len, 10000);
	assert_ptr_equal(jbuf_data(&b), b.mem + 16);
	assert_int_equal(jbuf_data(&b)[b.len], '\0');
	jbuf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(jbuf_data(&b), "");
	jbuf_printf(&b, "%d-%s", 42, "x");
	assert_string_equal(jbuf_data(&b), "42-x");
	jbuf_fini(&b);
}

static void json_escaping(void **state)
{
	(void)state;
	struct jbuf b;
	jbuf_init(&b, 0);
	jbuf_json_str(&b, "a\"b\\c\n\t\x01</script>&\xe2\x80\xa8é");
	assert_string_equal(jbuf_data(&b),
			    "\"a\\\"b\\\\c\\n\\t\\u0001\\u003c/script\\u003e\\u0026\\u2028é\"");
	jbuf_reset(&b);
	jbuf_json_str(&b, NULL);
	assert_string_equal(jbuf_data(&b), "null");
	jbuf_reset(&b);
	/* Invalid UTF-8 never reaches the output raw. */
	jbuf_json_strn(&b,
		       "a\xff"
		       "b",
		       3);
	assert_string_equal(jbuf_data(&b), "\"a\\ufffdb\"");
	jbuf_fini(&b);
}

static void json_object(void **state)
{
	(void)state;
	struct jbuf b;
	jbuf_init(&b, 0);
	jbuf_putc(&b, '{');
	jbuf_json_key(&b, "n");
	jbuf_json_int(&b, -9007199254740991LL);
	jbuf_json_key(&b, "ok");
	jbuf_json_bool(&b, true);
	jbuf_json_key(&b, "s");
	jbuf_json_str(&b, "x");
	jbuf_putc(&b, '}');
	assert_string_equal(jbuf_data(&b), "{\"n\":-9007199254740991,\"ok\":true,\"s\":\"x\"}");
	jbuf_fini(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(headroom_and_growth),
	    cmocka_unit_test(json_escaping),
	    cmocka_unit_test(json_object),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

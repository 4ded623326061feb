/* Unit tests for strict unpadded base64url (RFC 4648 §10 vectors, refusals). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "b64url.h"

static void rfc4648_vectors(void **state)
{
	(void)state;
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const enc[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
	for (size_t i = 0; i < 7; i++) {
		char out[16];
		unsigned char back[16];
		size_t n = strlen(plain[i]);
		assert_int_equal(b64url_encoded_len(n), strlen(enc[i]));
		assert_int_equal(
		    b64url_encode((const unsigned char *)plain[i], n, out, sizeof(out)),
		    strlen(enc[i]));
		assert_string_equal(out, enc[i]);
		assert_int_equal(b64url_decode(enc[i], strlen(enc[i]), back, sizeof(back)),
				 (long)n);
		assert_memory_equal(back, plain[i], n);
	}
}

static void url_alphabet(void **state)
{
	(void)state;
	const unsigned char bytes[] = {0xfb, 0xff, 0xbf};
	char out[8];
	unsigned char back[4];
	b64url_encode(bytes, 3, out, sizeof(out));
	assert_string_equal(out, "-_-_");
	assert_int_equal(b64url_decode("-_-_", 4, back, sizeof(back)), 3);
	assert_memory_equal(back, bytes, 3);
}

static void strict_refusals(void **state)
{
	(void)state;
	unsigned char out[16];
	assert_int_equal(b64url_decode("Zg==", 4, out, sizeof(out)), -1);   /* padding */
	assert_int_equal(b64url_decode("Zm9v+g", 6, out, sizeof(out)), -1); /* std alphabet */
	assert_int_equal(b64url_decode("Zh", 2, out, sizeof(out)), -1);	    /* non-zero tail bits */
	assert_int_equal(b64url_decode("Zm8", 3, out, sizeof(out)), 2);
	assert_int_equal(b64url_decode("Zm9", 3, out, sizeof(out)), -1); /* tail bits */
	assert_int_equal(b64url_decode("Zm-", 3, out, sizeof(out)), -1); /* tail bits */
	assert_int_equal(b64url_decode("Z", 1, out, sizeof(out)), -1);	 /* impossible length */
	assert_int_equal(b64url_decode("Zm 9v", 5, out, sizeof(out)), -1);
	assert_int_equal(b64url_decode("Zm9vYmFy", 8, out, 5), -1); /* out too small */
	char small[4];
	assert_int_equal(b64url_encode((const unsigned char *)"foo", 3, small, sizeof(small)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rfc4648_vectors),
	    cmocka_unit_test(url_alphabet),
	    cmocka_unit_test(strict_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

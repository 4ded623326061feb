/* libFuzzer target: DSSE envelopes. An accepted envelope, rebuilt from the fields read,
 * must be the same bytes (nothing is normalised on the way in), and verification and
 * the payload check must run cleanly on it. The key is RFC 8032's first test key, which
 * signed the seed envelope, so the verifying path is reached too. */
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "canon.h"
#include "dsse.h"
#include "jbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char seed[32] = {
    0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4,
    0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char pk[32], sk[64];
	static int ready;
	if (!ready) {
		if (sodium_init() < 0)
			__builtin_trap();
		crypto_sign_seed_keypair(pk, sk, seed);
		ready = 1;
	}

	struct dsse_env e;
	enum dsse_err r = dsse_parse((const char *)data, size, &e);
	if (r != DSSE_OK) {
		if (e.payload || e.nsig || strcmp(dsse_err_name(r), "unknown") == 0)
			__builtin_trap();
		return 0;
	}
	if (e.nsig < 1 || e.nsig > 2 || e.payload_len < 1 || e.payload_len > DSSE_PAYLOAD_MAX)
		__builtin_trap();

	struct canon_doc *d = canon_new();
	struct jbuf out;
	jbuf_init(&out, 0);
	if (!canon_write(dsse_to_value(d, &e), &out) || out.len != size ||
	    memcmp(jbuf_data(&out), data, size) != 0)
		__builtin_trap();
	jbuf_fini(&out);
	canon_free(d);

	enum dsse_err v = dsse_check(&e, pk);
	if (v != DSSE_OK && v != DSSE_ERR_UNKNOWN_KEY && v != DSSE_ERR_BAD_SIGNATURE)
		__builtin_trap();
	struct canon_doc *payload = NULL;
	if (dsse_payload_parse(&e, &payload, NULL) == DSSE_OK && !payload)
		__builtin_trap();
	canon_free(payload);
	dsse_env_free(&e);
	return 0;
}

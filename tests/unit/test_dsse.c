/* Unit tests for DSSE envelopes: a known-answer envelope computed independently (Python
 * hashlib, base64 and cryptography's Ed25519 on RFC 8032's first test key), PAE vectors
 * worked out by hand, and every malformed or tampered envelope refused with its code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "b64url.h"
#include "canon.h"
#include "dsse.h"
#include "jbuf.h"

/* RFC 8032 section 7.1, TEST 1. */
static const unsigned char rfc_seed[32] = {
    0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4,
    0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60};
static const unsigned char rfc_pk[32] = {
    0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
    0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a};

/* Computed with Python: base64url(sha256(rfc_pk)) and the Ed25519 signature by the RFC key
 * of PAE(DSSE_TYPE_STATEMENT, GOLD_PAYLOAD). */
#define GOLD_PAYLOAD	 "{\"origin\":\"issy\",\"seq\":1}"
#define GOLD_PAYLOAD_B64 "eyJvcmlnaW4iOiJpc3N5Iiwic2VxIjoxfQ"
#define GOLD_KEYID	 "If4x36FUomFia_hUBG_SJxt77UtqvkWqWId-9H-XIbk"
#define GOLD_SIG                                                                                   \
	"xGJFTQ4H9DRD2XCCa3nhKDW_dzo0mvjJlWzNfVcwiPyosNBXl5mTUt8bg2tv3f68aUwmSWkJmg1ZwjhtDGu1BA"
#define GOLD_ENVELOPE                                                                              \
	"{\"payload\":\"" GOLD_PAYLOAD_B64 "\",\"payloadType\":\"" DSSE_TYPE_STATEMENT             \
	"\",\"signatures\":[{\"keyid\":\"" GOLD_KEYID "\",\"sig\":\"" GOLD_SIG "\"}]}"

struct keys {
	unsigned char pk[32], sk[64];
};

static void seeded_keys(struct keys *k, unsigned char fill)
{
	unsigned char seed[32];
	memset(seed, fill, sizeof(seed));
	crypto_sign_seed_keypair(k->pk, k->sk, seed);
}

static int setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

/* Composes an envelope text; every part is given as it should appear in the JSON. */
static char *env_text(const char *payload, const char *type, const char *sigs, const char *extra)
{
	struct jbuf b;
	jbuf_init(&b, 0);
	jbuf_printf(&b, "{\"payload\":\"%s\",\"payloadType\":\"%s\",\"signatures\":[%s]%s}",
		    payload, type, sigs, extra);
	return b.mem;
}

static char *sig_text(const char *keyid, const char *sig)
{
	struct jbuf b;
	jbuf_init(&b, 0);
	jbuf_printf(&b, "{\"keyid\":\"%s\",\"sig\":\"%s\"}", keyid, sig);
	return b.mem;
}

static void expect_parse(const char *text, enum dsse_err want)
{
	struct dsse_env e;
	enum dsse_err got = dsse_parse(text, strlen(text), &e);
	if (got != want)
		fail_msg("%s: got %s, want %s", text, dsse_err_name(got), dsse_err_name(want));
	if (want != DSSE_OK) {
		assert_null(e.payload);
		assert_int_equal(e.nsig, 0);
	}
	dsse_env_free(&e);
}

/* Builds an envelope from parts and checks the parse result. */
static void expect_env(const char *payload, const char *type, const char *sigs, const char *extra,
		       enum dsse_err want)
{
	char *t = env_text(payload, type, sigs, extra);
	expect_parse(t, want);
	free(t);
}

static void expect_sig(const char *keyid, const char *sig, enum dsse_err want)
{
	char *s = sig_text(keyid, sig);
	expect_env(GOLD_PAYLOAD_B64, DSSE_TYPE_STATEMENT, s, "", want);
	free(s);
}

static char *b64(const unsigned char *in, size_t n)
{
	char *out = malloc(b64url_encoded_len(n) + 1);
	b64url_encode(in, n, out, b64url_encoded_len(n) + 1);
	return out;
}

static void known_answer_envelope(void **state)
{
	(void)state;
	struct keys k;
	crypto_sign_seed_keypair(k.pk, k.sk, rfc_seed);
	assert_memory_equal(k.pk, rfc_pk, 32);

	struct canon_doc *d = canon_new();
	struct canon_value *env =
	    dsse_sign(d, DSSE_TYPE_STATEMENT, (const unsigned char *)GOLD_PAYLOAD,
		      strlen(GOLD_PAYLOAD), k.sk);
	assert_non_null(env);
	struct jbuf out;
	jbuf_init(&out, 0);
	assert_true(canon_write(env, &out));
	assert_string_equal(jbuf_data(&out), GOLD_ENVELOPE);
	jbuf_fini(&out);
	canon_free(d);

	struct dsse_env e;
	assert_int_equal(dsse_parse(GOLD_ENVELOPE, strlen(GOLD_ENVELOPE), &e), DSSE_OK);
	assert_int_equal(e.payload_len, strlen(GOLD_PAYLOAD));
	assert_memory_equal(e.payload, GOLD_PAYLOAD, e.payload_len);
	assert_string_equal(e.type, DSSE_TYPE_STATEMENT);
	assert_int_equal(e.nsig, 1);
	assert_string_equal(e.sig[0].keyid, GOLD_KEYID);
	assert_int_equal(dsse_check(&e, rfc_pk), DSSE_OK);
	assert_true(dsse_verify(&e, rfc_pk));

	/* Relaying: the value rebuilt from the parsed envelope is the same text. */
	d = canon_new();
	jbuf_init(&out, 0);
	assert_true(canon_write(dsse_to_value(d, &e), &out));
	assert_string_equal(jbuf_data(&out), GOLD_ENVELOPE);
	jbuf_fini(&out);
	canon_free(d);
	dsse_env_free(&e);
	assert_null(e.payload);
	dsse_env_free(&e); /* twice is harmless */
}

/* base64url without padding, written out bit by bit here so the key id is checked
 * against something other than server/b64url.c. */
static void hand_b64url(const unsigned char *in, size_t n, char *out)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t bits = n * 8, o = 0;
	for (size_t bit = 0; bit < bits; bit += 6) {
		unsigned v = 0;
		for (size_t k = 0; k < 6; k++) {
			size_t at = bit + k;
			unsigned b = at < bits ? (in[at / 8] >> (7 - at % 8)) & 1 : 0;
			v = v << 1 | b;
		}
		out[o++] = abc[v];
	}
	out[o] = '\0';
}

static void keyid_of_known_keys(void **state)
{
	(void)state;
	char kid[DSSE_KEYID_LEN + 1];
	dsse_keyid(rfc_pk, kid);
	assert_string_equal(kid, GOLD_KEYID);
	assert_int_equal(strlen(kid), DSSE_KEYID_LEN);
	for (int i = 0; i < 20; i++) {
		struct keys k;
		unsigned char h[32];
		char want[64];
		crypto_sign_keypair(k.pk, k.sk);
		crypto_hash_sha256(h, k.pk, sizeof(k.pk));
		hand_b64url(h, sizeof(h), want);
		dsse_keyid(k.pk, kid);
		assert_string_equal(kid, want);
	}
}

static void pae_vectors(void **state)
{
	(void)state;
	struct jbuf b;
	jbuf_init(&b, 0);
	assert_true(dsse_pae("a", (const unsigned char *)"hi", 2, &b));
	assert_string_equal(jbuf_data(&b), "DSSEv1 1 a 2 hi");
	jbuf_reset(&b);
	assert_true(dsse_pae("a", NULL, 0, &b));
	assert_string_equal(jbuf_data(&b), "DSSEv1 1 a 0 ");
	jbuf_reset(&b);
	assert_true(dsse_pae("http://example.com/HelloWorld", (const unsigned char *)"hello world",
			     11, &b));
	assert_string_equal(jbuf_data(&b),
			    "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
	/* Lengths, not separators, delimit: spaces and NUL bytes in the payload are data. */
	jbuf_reset(&b);
	jbuf_puts(&b, ">");
	assert_true(dsse_pae("t y", (const unsigned char *)"a \0b", 4, &b));
	assert_int_equal(b.len, 1 + 19);
	assert_memory_equal(jbuf_data(&b), ">DSSEv1 3 t y 4 a \0b", 20);
	jbuf_reset(&b);
	assert_true(dsse_pae(DSSE_TYPE_STATEMENT, (const unsigned char *)"{}", 2, &b));
	assert_string_equal(jbuf_data(&b), "DSSEv1 36 application/vnd.zcfed.statement+json 2 {}");
	assert_false(dsse_pae(NULL, (const unsigned char *)"x", 1, &b));
	assert_false(dsse_pae("a", NULL, 1, &b));
	jbuf_fini(&b);
}

/* Signs, writes, parses and verifies; the caller frees *e. */
static void signed_env(const struct keys *k, const char *payload, struct dsse_env *e)
{
	struct canon_doc *d = canon_new();
	struct jbuf out;
	jbuf_init(&out, 0);
	assert_true(canon_write(dsse_sign(d, DSSE_TYPE_STATEMENT, (const unsigned char *)payload,
					  strlen(payload), k->sk),
				&out));
	assert_int_equal(dsse_parse(jbuf_data(&out), out.len, e), DSSE_OK);
	jbuf_fini(&out);
	canon_free(d);
}

static void sign_then_verify(void **state)
{
	(void)state;
	for (int i = 0; i < 10; i++) {
		struct keys k;
		unsigned char payload[300];
		size_t n = 1 + randombytes_uniform(sizeof(payload));
		crypto_sign_keypair(k.pk, k.sk);
		randombytes_buf(payload, n);
		struct canon_doc *d = canon_new();
		struct jbuf out;
		struct dsse_env e;
		jbuf_init(&out, 0);
		assert_true(
		    canon_write(dsse_sign(d, "application/octet-stream", payload, n, k.sk), &out));
		assert_int_equal(dsse_parse(jbuf_data(&out), out.len, &e), DSSE_OK);
		assert_int_equal(e.payload_len, n);
		assert_memory_equal(e.payload, payload, n);
		assert_string_equal(e.type, "application/octet-stream");
		assert_true(dsse_verify(&e, k.pk));

		/* Check the signature against a PAE assembled here, with libsodium directly. */
		char head[64];
		int hl = snprintf(head, sizeof(head), "DSSEv1 24 application/octet-stream %zu ", n);
		unsigned char msg[400];
		memcpy(msg, head, (size_t)hl);
		memcpy(msg + hl, payload, n);
		assert_int_equal(
		    crypto_sign_verify_detached(e.sig[0].sig, msg, (size_t)hl + n, k.pk), 0);
		dsse_env_free(&e);
		jbuf_fini(&out);
		canon_free(d);
	}
}

static void tampering_detected(void **state)
{
	(void)state;
	struct keys a, b;
	struct dsse_env e;
	crypto_sign_seed_keypair(a.pk, a.sk, rfc_seed);
	seeded_keys(&b, 0xbb);

	/* A flipped payload bit, signature bit, or a different payload type. */
	assert_int_equal(dsse_parse(GOLD_ENVELOPE, strlen(GOLD_ENVELOPE), &e), DSSE_OK);
	e.payload[3] ^= 1;
	assert_int_equal(dsse_check(&e, a.pk), DSSE_ERR_BAD_SIGNATURE);
	assert_false(dsse_verify(&e, a.pk));
	e.payload[3] ^= 1;
	assert_true(dsse_verify(&e, a.pk));
	e.sig[0].sig[10] ^= 0x80;
	assert_int_equal(dsse_check(&e, a.pk), DSSE_ERR_BAD_SIGNATURE);
	e.sig[0].sig[10] ^= 0x80;
	e.type[0] = 'b';
	assert_int_equal(dsse_check(&e, a.pk), DSSE_ERR_BAD_SIGNATURE);
	e.type[0] = 'a';
	assert_true(dsse_verify(&e, a.pk));
	e.payload_len--; /* a truncated payload */
	assert_false(dsse_verify(&e, a.pk));
	e.payload_len++;

	/* Wrong key: no signature carries its key id. */
	assert_int_equal(dsse_check(&e, b.pk), DSSE_ERR_UNKNOWN_KEY);
	assert_false(dsse_verify(&e, b.pk));

	/* Swapped key id: A's signature labelled as B's verifies under neither. */
	dsse_keyid(b.pk, e.sig[0].keyid);
	assert_int_equal(dsse_check(&e, b.pk), DSSE_ERR_BAD_SIGNATURE);
	assert_int_equal(dsse_check(&e, a.pk), DSSE_ERR_UNKNOWN_KEY);
	dsse_env_free(&e);

	/* The same through the text: one changed character in the payload or signature. */
	char *t = env_text("fyJvcmlnaW4iOiJpc3N5Iiwic2VxIjoxfQ", DSSE_TYPE_STATEMENT,
			   "{\"keyid\":\"" GOLD_KEYID "\",\"sig\":\"" GOLD_SIG "\"}", "");
	assert_int_equal(dsse_parse(t, strlen(t), &e), DSSE_OK);
	assert_int_equal(dsse_check(&e, a.pk), DSSE_ERR_BAD_SIGNATURE);
	dsse_env_free(&e);
	free(t);
	char *s = sig_text(GOLD_KEYID, "yGJFTQ4H9DRD2XCCa3nhKDW_dzo0mvjJlWzNfVcwiPyosNBXl5mTUt8bg2t"
				       "v3f68aUwmSWkJmg1ZwjhtDGu1BA");
	t = env_text(GOLD_PAYLOAD_B64, DSSE_TYPE_STATEMENT, s, "");
	assert_int_equal(dsse_parse(t, strlen(t), &e), DSSE_OK);
	assert_int_equal(dsse_check(&e, a.pk), DSSE_ERR_BAD_SIGNATURE);
	dsse_env_free(&e);
	free(t);
	free(s);

	/* Another statement signed by B with A's key id on it. */
	signed_env(&b, GOLD_PAYLOAD, &e);
	dsse_keyid(a.pk, e.sig[0].keyid);
	assert_int_equal(dsse_check(&e, a.pk), DSSE_ERR_BAD_SIGNATURE);
	dsse_env_free(&e);
}

static void two_signatures(void **state)
{
	(void)state;
	struct keys a, b, c;
	seeded_keys(&a, 0xaa);
	seeded_keys(&b, 0xbb);
	seeded_keys(&c, 0xcc);
	struct canon_doc *d = canon_new();
	struct jbuf out;
	struct dsse_env e;
	jbuf_init(&out, 0);
	assert_true(canon_write(
	    dsse_sign2(d, DSSE_TYPE_STATEMENT, (const unsigned char *)"{}", 2, a.sk, b.sk), &out));
	assert_int_equal(dsse_parse(jbuf_data(&out), out.len, &e), DSSE_OK);
	assert_int_equal(e.nsig, 2);
	assert_true(dsse_verify(&e, a.pk));
	assert_true(dsse_verify(&e, b.pk));
	assert_int_equal(dsse_check(&e, c.pk), DSSE_ERR_UNKNOWN_KEY);
	/* The old key's signature tampered: the new key's still stands, the old one fails. */
	e.sig[0].sig[0] ^= 1;
	assert_false(dsse_verify(&e, a.pk));
	assert_true(dsse_verify(&e, b.pk));
	dsse_env_free(&e);
	jbuf_fini(&out);
	/* Two signatures by one key would be refused by readers, so are not made. */
	assert_null(dsse_sign2(d, DSSE_TYPE_STATEMENT, (const unsigned char *)"{}", 2, a.sk, a.sk));
	canon_free(d);

	char *s = sig_text(GOLD_KEYID, GOLD_SIG);
	struct jbuf two;
	jbuf_init(&two, 0);
	jbuf_printf(&two, "%s,%s", s, s);
	expect_env(GOLD_PAYLOAD_B64, DSSE_TYPE_STATEMENT, jbuf_data(&two), "",
		   DSSE_ERR_DUPLICATE_KEYID);
	jbuf_fini(&two);
	free(s);
}

static void signature_count(void **state)
{
	(void)state;
	char *s = sig_text(GOLD_KEYID, GOLD_SIG);
	struct jbuf sigs;
	expect_env(GOLD_PAYLOAD_B64, DSSE_TYPE_STATEMENT, "", "", DSSE_ERR_SIG_COUNT);
	expect_env(GOLD_PAYLOAD_B64, DSSE_TYPE_STATEMENT, s, "", DSSE_OK);
	jbuf_init(&sigs, 0);
	for (int i = 0; i < 3; i++) {
		unsigned char fake[32];
		char kid[DSSE_KEYID_LEN + 1];
		memset(fake, i, sizeof(fake));
		b64url_encode(fake, sizeof(fake), kid, sizeof(kid));
		jbuf_printf(&sigs, "%s{\"keyid\":\"%s\",\"sig\":\"%s\"}", i ? "," : "", kid,
			    GOLD_SIG);
	}
	expect_env(GOLD_PAYLOAD_B64, DSSE_TYPE_STATEMENT, jbuf_data(&sigs), "", DSSE_ERR_SIG_COUNT);
	jbuf_fini(&sigs);
	free(s);
}

static void strict_base64url(void **state)
{
	(void)state;
	char *s = sig_text(GOLD_KEYID, GOLD_SIG);
	/* Padding, the standard alphabet, white space, non-zero trailing bits. */
	expect_env(GOLD_PAYLOAD_B64 "==", DSSE_TYPE_STATEMENT, s, "", DSSE_ERR_BASE64URL);
	expect_env("eyJvcmlnaW4iOiJpc3N5Iiwic2VxIjoxfQ=", DSSE_TYPE_STATEMENT, s, "",
		   DSSE_ERR_BASE64URL);
	expect_env("eyJvcmlnaW4iOiJpc3N5Iiwic2VxIjoxf+", DSSE_TYPE_STATEMENT, s, "",
		   DSSE_ERR_BASE64URL);
	expect_env("eyJvcmlnaW4iOiJpc3N5Iiwic2VxIjoxfR", DSSE_TYPE_STATEMENT, s, "",
		   DSSE_ERR_BASE64URL);
	expect_env("eyJv cmlnaW4iOiJpc3N5Iiwic2VxIjoxfQ", DSSE_TYPE_STATEMENT, s, "",
		   DSSE_ERR_BASE64URL);
	expect_sig(GOLD_KEYID "=", GOLD_SIG, DSSE_ERR_BASE64URL);
	expect_sig("If4x36FUomFia/hUBG/SJxt77UtqvkWqWId+9H+XIbk", GOLD_SIG, DSSE_ERR_BASE64URL);
	expect_sig("If4x36FUomFia_hUBG_SJxt77UtqvkWqWId-9H-XIbl", GOLD_SIG, DSSE_ERR_BASE64URL);
	expect_sig(GOLD_KEYID, GOLD_SIG "==", DSSE_ERR_BASE64URL);
	expect_sig(
	    GOLD_KEYID,
	    "xGJFTQ4H9DRD2XCCa3nhKDW/dzo0mvjJlWzNfVcwiPyosNBXl5mTUt8bg2tv3f68aUwmSWkJmg1ZwjhtD"
	    "Gu1BA",
	    DSSE_ERR_BASE64URL);
	expect_sig(
	    GOLD_KEYID,
	    "xGJFTQ4H9DRD2XCCa3nhKDW_dzo0mvjJlWzNfVcwiPyosNBXl5mTUt8bg2tv3f68aUwmSWkJmg1ZwjhtD"
	    "Gu1BB",
	    DSSE_ERR_BASE64URL);
	free(s);
}

static void unknown_fields(void **state)
{
	(void)state;
	char *s = sig_text(GOLD_KEYID, GOLD_SIG);
	expect_env(GOLD_PAYLOAD_B64, DSSE_TYPE_STATEMENT, s, ",\"x\":1", DSSE_ERR_UNKNOWN_FIELD);
	expect_env(GOLD_PAYLOAD_B64, DSSE_TYPE_STATEMENT, s, ",\"signed\":true",
		   DSSE_ERR_UNKNOWN_FIELD);
	expect_parse("{\"a\":1,\"payload\":\"" GOLD_PAYLOAD_B64
		     "\",\"payloadType\":\"" DSSE_TYPE_STATEMENT
		     "\",\"signatures\":[{\"keyid\":\"" GOLD_KEYID "\",\"sig\":\"" GOLD_SIG "\"}]}",
		     DSSE_ERR_UNKNOWN_FIELD);
	expect_env(GOLD_PAYLOAD_B64, DSSE_TYPE_STATEMENT,
		   "{\"alg\":\"ed25519\",\"keyid\":\"" GOLD_KEYID "\",\"sig\":\"" GOLD_SIG "\"}",
		   "", DSSE_ERR_UNKNOWN_FIELD);
	expect_env(GOLD_PAYLOAD_B64, DSSE_TYPE_STATEMENT,
		   "{\"keyid\":\"" GOLD_KEYID "\",\"sig\":\"" GOLD_SIG "\",\"z\":null}", "",
		   DSSE_ERR_UNKNOWN_FIELD);
	free(s);
}

static void field_sizes(void **state)
{
	(void)state;
	unsigned char bytes[200];
	char *t;
	memset(bytes, 0x5a, sizeof(bytes));
	static const size_t sig_sizes[] = {0, 1, 63, 65, 96, 150};
	for (size_t i = 0; i < sizeof(sig_sizes) / sizeof(sig_sizes[0]); i++) {
		t = b64(bytes, sig_sizes[i]);
		expect_sig(GOLD_KEYID, t, DSSE_ERR_SIG_SIZE);
		free(t);
	}
	t = b64(bytes, 64);
	expect_sig(GOLD_KEYID, t, DSSE_OK); /* the right size parses; it would not verify */
	free(t);
	static const size_t kid_sizes[] = {0, 31, 33, 64, 150};
	for (size_t i = 0; i < sizeof(kid_sizes) / sizeof(kid_sizes[0]); i++) {
		t = b64(bytes, kid_sizes[i]);
		expect_sig(t, GOLD_SIG, DSSE_ERR_KEYID);
		free(t);
	}

	/* Payload: 1 byte at least. */
	char *s = sig_text(GOLD_KEYID, GOLD_SIG);
	expect_env("", DSSE_TYPE_STATEMENT, s, "", DSSE_ERR_PAYLOAD_SIZE);
	expect_env("AA", DSSE_TYPE_STATEMENT, s, "", DSSE_OK);

	/* Payload type: 1 to 95 bytes of printable ASCII. */
	char type[DSSE_TYPE_MAX + 2];
	memset(type, 't', sizeof(type));
	type[DSSE_TYPE_MAX] = '\0';
	expect_env(GOLD_PAYLOAD_B64, type, s, "", DSSE_OK);
	type[DSSE_TYPE_MAX] = 't';
	type[DSSE_TYPE_MAX + 1] = '\0';
	expect_env(GOLD_PAYLOAD_B64, type, s, "", DSSE_ERR_PAYLOAD_TYPE);
	expect_env(GOLD_PAYLOAD_B64, "", s, "", DSSE_ERR_PAYLOAD_TYPE);
	expect_env(GOLD_PAYLOAD_B64, "a\\u0001", s, "", DSSE_ERR_PAYLOAD_TYPE);
	expect_env(GOLD_PAYLOAD_B64, "a\\n", s, "", DSSE_ERR_PAYLOAD_TYPE);
	expect_env(GOLD_PAYLOAD_B64, "t\xc3\xa9", s, "", DSSE_ERR_PAYLOAD_TYPE);
	expect_env(GOLD_PAYLOAD_B64, "a\x7f", s, "", DSSE_ERR_PAYLOAD_TYPE);
	free(s);
}

static void envelope_shape(void **state)
{
	(void)state;
	char *s = sig_text(GOLD_KEYID, GOLD_SIG);
	expect_parse("[]", DSSE_ERR_ENVELOPE);
	expect_parse("\"x\"", DSSE_ERR_ENVELOPE);
	expect_parse("{}", DSSE_ERR_ENVELOPE);
	expect_parse("{\"payload\":\"AA\",\"payloadType\":\"a\"}", DSSE_ERR_ENVELOPE);
	expect_parse("{\"payload\":1,\"payloadType\":\"a\",\"signatures\":[]}", DSSE_ERR_ENVELOPE);
	expect_parse("{\"payload\":\"AA\",\"payloadType\":null,\"signatures\":[]}",
		     DSSE_ERR_ENVELOPE);
	expect_parse("{\"payload\":\"AA\",\"payloadType\":\"a\",\"signatures\":{}}",
		     DSSE_ERR_ENVELOPE);
	expect_env(GOLD_PAYLOAD_B64, DSSE_TYPE_STATEMENT, "\"sig\"", "", DSSE_ERR_ENVELOPE);
	expect_env(GOLD_PAYLOAD_B64, DSSE_TYPE_STATEMENT, "{\"keyid\":\"" GOLD_KEYID "\"}", "",
		   DSSE_ERR_ENVELOPE);
	expect_env(GOLD_PAYLOAD_B64, DSSE_TYPE_STATEMENT, "{\"keyid\":1,\"sig\":\"" GOLD_SIG "\"}",
		   "", DSSE_ERR_ENVELOPE);
	/* Not canonical JSON at all. */
	expect_parse("{\"payload\": \"AA\"}", DSSE_ERR_NOT_CANONICAL);
	expect_parse("{\"payloadType\":\"a\",\"payload\":\"AA\",\"signatures\":[]}",
		     DSSE_ERR_NOT_CANONICAL);
	expect_parse("", DSSE_ERR_NOT_CANONICAL);
	char *t = env_text(GOLD_PAYLOAD_B64, DSSE_TYPE_STATEMENT, s, "");
	size_t n = strlen(t);
	t[n - 1] = ' ';
	expect_parse(t, DSSE_ERR_NOT_CANONICAL);
	free(t);
	free(s);
}

static void payload_must_be_canonical(void **state)
{
	(void)state;
	struct keys k;
	struct dsse_env e;
	struct canon_doc *doc;
	enum canon_err why;
	int64_t v;
	seeded_keys(&k, 0x11);

	signed_env(&k, "{\"a\":1}", &e);
	assert_int_equal(dsse_payload_parse(&e, &doc, &why), DSSE_OK);
	assert_int_equal(why, CANON_OK);
	assert_true(canon_get_int(canon_root(doc), "a", &v));
	assert_int_equal(v, 1);
	canon_free(doc);
	assert_int_equal(dsse_payload_parse(&e, NULL, NULL), DSSE_OK);
	dsse_env_free(&e);

	static const struct {
		const char *payload;
		enum dsse_err want;
		enum canon_err why;
	} cases[] = {
	    {"{\"a\": 1}", DSSE_ERR_PAYLOAD_NOT_CANON, CANON_ERR_WHITESPACE},
	    {"{\"b\":1,\"a\":2}", DSSE_ERR_PAYLOAD_NOT_CANON, CANON_ERR_KEY_ORDER},
	    {"{\"a\":1,\"a\":1}", DSSE_ERR_PAYLOAD_NOT_CANON, CANON_ERR_DUPLICATE},
	    {"{\"a\":1.0}", DSSE_ERR_PAYLOAD_NOT_CANON, CANON_ERR_FLOAT},
	    {"{\"a\":1}\n", DSSE_ERR_PAYLOAD_NOT_CANON, CANON_ERR_WHITESPACE},
	    {"[1]", DSSE_ERR_PAYLOAD_NOT_OBJECT, CANON_OK},
	    {"7", DSSE_ERR_PAYLOAD_NOT_OBJECT, CANON_OK},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		signed_env(&k, cases[i].payload, &e);
		assert_true(dsse_verify(&e, k.pk)); /* signed correctly, refused for its form */
		doc = (struct canon_doc *)1;
		assert_int_equal(dsse_payload_parse(&e, &doc, &why), cases[i].want);
		assert_int_equal(why, cases[i].why);
		assert_null(doc);
		dsse_env_free(&e);
	}
}

static void signing_limits(void **state)
{
	(void)state;
	struct keys k;
	seeded_keys(&k, 0x22);
	size_t big = CANON_MAX_STRING / 4 * 3; /* the largest payload whose text is a string */
	unsigned char *p = malloc(big + 1);
	memset(p, 'x', big + 1);
	struct canon_doc *d = canon_new();
	struct canon_value *env = dsse_sign(d, "a", p, big, k.sk);
	assert_non_null(env);
	struct jbuf out;
	struct dsse_env e;
	jbuf_init(&out, 0);
	assert_true(canon_write(env, &out));
	assert_int_equal(dsse_parse(jbuf_data(&out), out.len, &e), DSSE_OK);
	assert_int_equal(e.payload_len, big);
	assert_true(dsse_verify(&e, k.pk));
	dsse_env_free(&e);
	jbuf_fini(&out);
	assert_null(dsse_sign(d, "a", p, big + 1, k.sk));
	assert_null(dsse_sign(d, "a", p, 0, k.sk));
	assert_null(dsse_sign(d, "a", NULL, 1, k.sk));
	assert_null(dsse_sign(d, "", p, 1, k.sk));
	assert_null(dsse_sign(d, "a\n", p, 1, k.sk));
	assert_null(dsse_sign(d, NULL, p, 1, k.sk));
	assert_null(dsse_sign(d, "a", p, 1, NULL));
	canon_free(d);
	free(p);
}

/* An inbox batch holds several envelopes: built into one document, read item by item. */
static void batch_of_envelopes(void **state)
{
	(void)state;
	struct keys a, b;
	seeded_keys(&a, 0x31);
	seeded_keys(&b, 0x32);
	struct canon_doc *src;
	assert_int_equal(canon_parse(GOLD_ENVELOPE, strlen(GOLD_ENVELOPE), &src, NULL), CANON_OK);

	struct canon_doc *d = canon_new();
	struct canon_value *batch = canon_new_object(d), *items = canon_new_array(d);
	assert_true(canon_push(
	    d, items,
	    dsse_sign(d, DSSE_TYPE_STATEMENT, (const unsigned char *)"{\"w\":1}", 7, a.sk)));
	assert_true(canon_push(
	    d, items,
	    dsse_sign(d, DSSE_TYPE_STATEMENT, (const unsigned char *)"{\"w\":2}", 7, b.sk)));
	assert_true(canon_push(d, items, canon_copy(d, canon_root(src))));
	canon_free(src);
	assert_true(canon_set(d, batch, "envelopes", items));
	struct jbuf out;
	jbuf_init(&out, 0);
	assert_true(canon_write(batch, &out));
	canon_free(d);

	struct canon_doc *in;
	assert_int_equal(canon_parse(jbuf_data(&out), out.len, &in, NULL), CANON_OK);
	const struct canon_value *list = canon_get(canon_root(in), "envelopes");
	assert_int_equal(canon_count(list), 3);
	const unsigned char *pks[3] = {a.pk, b.pk, rfc_pk};
	for (size_t i = 0; i < 3; i++) {
		struct dsse_env e;
		assert_int_equal(dsse_from_value(canon_item(list, i), &e), DSSE_OK);
		assert_true(dsse_verify(&e, pks[i]));
		assert_false(dsse_verify(&e, pks[(i + 1) % 3]));
		dsse_env_free(&e);
	}
	struct dsse_env e;
	assert_int_equal(dsse_from_value(list, &e), DSSE_ERR_ENVELOPE);
	assert_int_equal(dsse_from_value(NULL, &e), DSSE_ERR_ENVELOPE);
	canon_free(in);
	jbuf_fini(&out);
}

static void error_names(void **state)
{
	(void)state;
	assert_string_equal(dsse_err_name(DSSE_OK), "ok");
	assert_string_equal(dsse_err_name(DSSE_ERR_ENVELOPE), "bad_envelope");
	assert_string_equal(dsse_err_name(DSSE_ERR_BASE64URL), "bad_base64url");
	assert_string_equal(dsse_err_name(DSSE_ERR_SIG_COUNT), "bad_signature_count");
	assert_string_equal(dsse_err_name(DSSE_ERR_PAYLOAD_NOT_CANON), "payload_not_canonical");
	assert_string_equal(dsse_err_name(DSSE_ERR_BAD_SIGNATURE), "bad_signature");
	assert_string_equal(dsse_err_name(DSSE_ERR_UNKNOWN_FIELD), "unknown_field");
	assert_string_equal(dsse_err_name(DSSE_ERR__COUNT), "unknown");
	for (int i = 0; i < DSSE_ERR__COUNT; i++) {
		const char *n = dsse_err_name((enum dsse_err)i);
		assert_non_null(n);
		assert_true(strspn(n, "abcdefghijklmnopqrstuvwxyz_0123456789") == strlen(n));
		for (int k = 0; k < i; k++)
			assert_string_not_equal(n, dsse_err_name((enum dsse_err)k));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(known_answer_envelope), cmocka_unit_test(keyid_of_known_keys),
	    cmocka_unit_test(pae_vectors),	     cmocka_unit_test(sign_then_verify),
	    cmocka_unit_test(tampering_detected),    cmocka_unit_test(two_signatures),
	    cmocka_unit_test(signature_count),	     cmocka_unit_test(strict_base64url),
	    cmocka_unit_test(unknown_fields),	     cmocka_unit_test(field_sizes),
	    cmocka_unit_test(envelope_shape),	     cmocka_unit_test(payload_must_be_canonical),
	    cmocka_unit_test(signing_limits),	     cmocka_unit_test(batch_of_envelopes),
	    cmocka_unit_test(error_names),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}

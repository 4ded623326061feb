/* DSSE envelopes: reading one from canonical JSON with every field checked, signing,
 * and verifying. Signatures cover the pre-authentication encoding (PAE) of the DSSE
 * protocol (github.com/secure-systems-lab/dsse, protocol.md), so the payload type is
 * signed too and no byte string can be read as two different (type, payload) pairs. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "b64url.h"
#include "dsse.h"
#include "jbuf.h"

static const char *const err_names[DSSE_ERR__COUNT] = {
    [DSSE_OK] = "ok",
    [DSSE_ERR_NOT_CANONICAL] = "envelope_not_canonical",
    [DSSE_ERR_ENVELOPE] = "bad_envelope",
    [DSSE_ERR_UNKNOWN_FIELD] = "unknown_field",
    [DSSE_ERR_BASE64URL] = "bad_base64url",
    [DSSE_ERR_PAYLOAD_SIZE] = "bad_payload_size",
    [DSSE_ERR_PAYLOAD_TYPE] = "bad_payload_type",
    [DSSE_ERR_SIG_COUNT] = "bad_signature_count",
    [DSSE_ERR_KEYID] = "bad_keyid",
    [DSSE_ERR_SIG_SIZE] = "bad_signature_size",
    [DSSE_ERR_DUPLICATE_KEYID] = "duplicate_keyid",
    [DSSE_ERR_PAYLOAD_NOT_CANON] = "payload_not_canonical",
    [DSSE_ERR_PAYLOAD_NOT_OBJECT] = "payload_not_object",
    [DSSE_ERR_UNKNOWN_KEY] = "unknown_key",
    [DSSE_ERR_BAD_SIGNATURE] = "bad_signature",
};

static const char *const envelope_fields[] = {"payload", "payloadType", "signatures"};
static const char *const signature_fields[] = {"keyid", "sig"};

const char *dsse_err_name(enum dsse_err e)
{
	if ((unsigned)e >= DSSE_ERR__COUNT)
		return "unknown";
	return err_names[e];
}

void dsse_keyid(const unsigned char pk[32], char out[DSSE_KEYID_LEN + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, pk, 32);
	b64url_encode(h, sizeof(h), out, DSSE_KEYID_LEN + 1);
}

bool dsse_pae(const char *type, const unsigned char *payload, size_t n, struct jbuf *out)
{
	if (!type || !out || (!payload && n))
		return false;
	size_t tlen = strlen(type);
	jbuf_printf(out, "DSSEv1 %zu ", tlen);
	jbuf_put(out, type, tlen);
	jbuf_printf(out, " %zu ", n);
	jbuf_put(out, payload, n);
	return true;
}

/* A media type: printable ASCII only, so the type reads the same in logs and PAE. */
static bool type_ok(const char *s, size_t n)
{
	if (n == 0 || n > DSSE_TYPE_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

/* Decodes a short base64url field that must hold exactly `want` bytes. Validity is
 * judged before size, so a padded value is reported as bad base64url. */
static enum dsse_err decode_fixed(const char *s, size_t n, unsigned char *out, size_t want,
				  enum dsse_err size_err)
{
	unsigned char tmp[96];
	if (n > 128)
		return size_err;
	long got = b64url_decode(s, n, tmp, sizeof(tmp));
	if (got < 0)
		return DSSE_ERR_BASE64URL;
	if ((size_t)got != want)
		return size_err;
	memcpy(out, tmp, want);
	return DSSE_OK;
}

static enum dsse_err read_sig(const struct canon_value *v, struct dsse_sig *out)
{
	unsigned char kid[32];
	size_t klen, slen;
	enum dsse_err e;
	if (canon_type(v) != CANON_OBJECT)
		return DSSE_ERR_ENVELOPE;
	if (canon_unknown_key(v, signature_fields, 2))
		return DSSE_ERR_UNKNOWN_FIELD;
	const char *keyid = canon_get_str(v, "keyid", &klen);
	const char *sig = canon_get_str(v, "sig", &slen);
	if (!keyid || !sig)
		return DSSE_ERR_ENVELOPE;
	if ((e = decode_fixed(keyid, klen, kid, sizeof(kid), DSSE_ERR_KEYID)) != DSSE_OK)
		return e;
	/* 32 bytes in strict unpadded base64url are always 43 characters. */
	memcpy(out->keyid, keyid, DSSE_KEYID_LEN + 1);
	return decode_fixed(sig, slen, out->sig, sizeof(out->sig), DSSE_ERR_SIG_SIZE);
}

enum dsse_err dsse_from_value(const struct canon_value *v, struct dsse_env *out)
{
	size_t plen, tlen, nsig;
	unsigned char *payload = NULL;
	enum dsse_err e;

	memset(out, 0, sizeof(*out));
	if (canon_type(v) != CANON_OBJECT)
		return DSSE_ERR_ENVELOPE;
	if (canon_unknown_key(v, envelope_fields, 3))
		return DSSE_ERR_UNKNOWN_FIELD;
	const char *p64 = canon_get_str(v, "payload", &plen);
	const char *type = canon_get_str(v, "payloadType", &tlen);
	const struct canon_value *sigs = canon_get(v, "signatures");
	if (!p64 || !type || canon_type(sigs) != CANON_ARRAY)
		return DSSE_ERR_ENVELOPE;

	/* The length is capped before anything is allocated. */
	if (plen == 0 || plen > b64url_encoded_len(DSSE_PAYLOAD_MAX))
		return DSSE_ERR_PAYLOAD_SIZE;
	size_t cap = plen / 4 * 3 + 3;
	payload = malloc(cap);
	if (!payload)
		abort();
	long got = b64url_decode(p64, plen, payload, cap);
	if (got < 0) {
		e = DSSE_ERR_BASE64URL;
		goto out;
	}
	if (!type_ok(type, tlen)) {
		e = DSSE_ERR_PAYLOAD_TYPE;
		goto out;
	}
	nsig = canon_count(sigs);
	if (nsig < 1 || nsig > DSSE_MAX_SIGS) {
		e = DSSE_ERR_SIG_COUNT;
		goto out;
	}
	for (size_t i = 0; i < nsig; i++)
		if ((e = read_sig(canon_item(sigs, i), &out->sig[i])) != DSSE_OK)
			goto out;
	if (nsig == 2 && strcmp(out->sig[0].keyid, out->sig[1].keyid) == 0) {
		e = DSSE_ERR_DUPLICATE_KEYID;
		goto out;
	}
	memcpy(out->type, type, tlen + 1);
	out->nsig = (unsigned)nsig;
	out->payload = payload;
	out->payload_len = (size_t)got;
	payload = NULL;
	e = DSSE_OK;
out:
	free(payload);
	if (e != DSSE_OK)
		memset(out, 0, sizeof(*out));
	return e;
}

enum dsse_err dsse_parse(const char *buf, size_t len, struct dsse_env *out)
{
	struct canon_doc *doc;
	memset(out, 0, sizeof(*out));
	if (canon_parse(buf, len, &doc, NULL) != CANON_OK)
		return DSSE_ERR_NOT_CANONICAL;
	enum dsse_err e = dsse_from_value(canon_root(doc), out);
	canon_free(doc);
	return e;
}

void dsse_env_free(struct dsse_env *e)
{
	if (!e)
		return;
	free(e->payload);
	memset(e, 0, sizeof(*e));
}

enum dsse_err dsse_check(const struct dsse_env *e, const unsigned char pk[32])
{
	char kid[DSSE_KEYID_LEN + 1];
	dsse_keyid(pk, kid);
	for (unsigned i = 0; i < e->nsig && i < DSSE_MAX_SIGS; i++) {
		if (strcmp(e->sig[i].keyid, kid) != 0)
			continue;
		struct jbuf pae;
		jbuf_init(&pae, 0);
		dsse_pae(e->type, e->payload, e->payload_len, &pae);
		int r = crypto_sign_verify_detached(
		    e->sig[i].sig, (const unsigned char *)jbuf_data(&pae), pae.len, pk);
		jbuf_fini(&pae);
		return r == 0 ? DSSE_OK : DSSE_ERR_BAD_SIGNATURE;
	}
	return DSSE_ERR_UNKNOWN_KEY;
}

bool dsse_verify(const struct dsse_env *e, const unsigned char pk[32])
{
	return dsse_check(e, pk) == DSSE_OK;
}

enum dsse_err dsse_payload_parse(const struct dsse_env *e, struct canon_doc **out,
				 enum canon_err *why)
{
	struct canon_doc *doc;
	if (out)
		*out = NULL;
	enum canon_err ce = canon_parse((const char *)e->payload, e->payload_len, &doc, NULL);
	if (why)
		*why = ce;
	if (ce != CANON_OK)
		return DSSE_ERR_PAYLOAD_NOT_CANON;
	if (canon_type(canon_root(doc)) != CANON_OBJECT) {
		canon_free(doc);
		return DSSE_ERR_PAYLOAD_NOT_OBJECT;
	}
	if (out)
		*out = doc;
	else
		canon_free(doc);
	return DSSE_OK;
}

/* Sets key to the base64url text of in[0..n); false when the text would be longer than a
 * canonical string may be. */
static bool set_b64(struct canon_doc *d, struct canon_value *obj, const char *key,
		    const unsigned char *in, size_t n)
{
	size_t len = b64url_encoded_len(n);
	if (len > CANON_MAX_STRING)
		return false;
	char *text = malloc(len + 1);
	if (!text)
		abort();
	b64url_encode(in, n, text, len + 1);
	bool ok = canon_set_str(d, obj, key, text, len);
	free(text);
	return ok;
}

static struct canon_value *build(struct canon_doc *d, const char *type,
				 const unsigned char *payload, size_t n,
				 const struct dsse_sig *sigs, size_t nsig)
{
	if (!d || !type || !payload || n == 0 || n > DSSE_PAYLOAD_MAX ||
	    !type_ok(type, strlen(type)) || nsig < 1 || nsig > DSSE_MAX_SIGS)
		return NULL;
	struct canon_value *env = canon_new_object(d), *arr = canon_new_array(d);
	if (!set_b64(d, env, "payload", payload, n) ||
	    !canon_set_str(d, env, "payloadType", type, strlen(type)))
		return NULL;
	for (size_t i = 0; i < nsig; i++) {
		struct canon_value *s = canon_new_object(d);
		if (!canon_set_str(d, s, "keyid", sigs[i].keyid, strlen(sigs[i].keyid)) ||
		    !set_b64(d, s, "sig", sigs[i].sig, sizeof(sigs[i].sig)) ||
		    !canon_push(d, arr, s))
			return NULL;
	}
	if (!canon_set(d, env, "signatures", arr))
		return NULL;
	return env;
}

struct canon_value *dsse_to_value(struct canon_doc *d, const struct dsse_env *e)
{
	if (!e)
		return NULL;
	return build(d, e->type, e->payload, e->payload_len, e->sig, e->nsig);
}

static struct canon_value *sign_with(struct canon_doc *d, const char *type,
				     const unsigned char *payload, size_t n,
				     const unsigned char *const *sks, size_t nkeys)
{
	struct dsse_sig sigs[DSSE_MAX_SIGS];
	struct jbuf pae;
	if (!type || !payload || n == 0 || n > DSSE_PAYLOAD_MAX || !type_ok(type, strlen(type)))
		return NULL;
	jbuf_init(&pae, 0);
	dsse_pae(type, payload, n, &pae);
	for (size_t i = 0; i < nkeys; i++) {
		unsigned char pk[crypto_sign_PUBLICKEYBYTES];
		crypto_sign_ed25519_sk_to_pk(pk, sks[i]);
		dsse_keyid(pk, sigs[i].keyid);
		crypto_sign_detached(sigs[i].sig, NULL, (const unsigned char *)jbuf_data(&pae),
				     pae.len, sks[i]);
	}
	jbuf_fini(&pae);
	/* Two signatures by one key would make an envelope the reader refuses. */
	if (nkeys == 2 && strcmp(sigs[0].keyid, sigs[1].keyid) == 0)
		return NULL;
	return build(d, type, payload, n, sigs, nkeys);
}

struct canon_value *dsse_sign(struct canon_doc *d, const char *type, const unsigned char *payload,
			      size_t n, const unsigned char sk[64])
{
	const unsigned char *keys[1] = {sk};
	return sk ? sign_with(d, type, payload, n, keys, 1) : NULL;
}

struct canon_value *dsse_sign2(struct canon_doc *d, const char *type, const unsigned char *payload,
			       size_t n, const unsigned char sk[64], const unsigned char sk2[64])
{
	const unsigned char *keys[2] = {sk, sk2};
	return sk && sk2 ? sign_with(d, type, payload, n, keys, 2) : NULL;
}

/* DSSE-style envelopes for zcfed/1 statements: Ed25519 (libsodium) over the
 * pre-authentication encoding of the payload type and the exact payload bytes.
 * The envelope is itself canonical JSON:
 *   {"payload":"<b64url>","payloadType":"<type>",
 *    "signatures":[{"keyid":"<b64url sha256(pk)>","sig":"<b64url 64 bytes>"}]}
 * with one or two signatures (two during a key rotation) and no other fields.
 *
 * Error names (stable: the node sends them in federation error replies):
 *   ok, envelope_not_canonical, bad_envelope, unknown_field, bad_base64url,
 *   bad_payload_size, bad_payload_type, bad_signature_count, bad_keyid,
 *   bad_signature_size, duplicate_keyid, payload_not_canonical, payload_not_object,
 *   unknown_key, bad_signature */
#ifndef ZC_DSSE_H
#define ZC_DSSE_H

#include <stdbool.h>
#include <stddef.h>

#include "canon.h"

struct jbuf;

#define DSSE_TYPE_STATEMENT "application/vnd.zcfed.statement+json"
#define DSSE_KEYID_LEN	    43 /* unpadded base64url of a 32-byte SHA-256 */
#define DSSE_TYPE_MAX	    95 /* bytes of printable ASCII, so it fits dsse_env.type */
#define DSSE_MAX_SIGS	    2
/* Decoded payload bytes: the most whose base64url text (a canonical string, at most
 * CANON_MAX_STRING = 65,536 characters) fits. */
#define DSSE_PAYLOAD_MAX 49152

enum dsse_err {
	DSSE_OK = 0,
	DSSE_ERR_NOT_CANONICAL,	     /* envelope_not_canonical: the bytes are not canonical JSON */
	DSSE_ERR_ENVELOPE,	     /* bad_envelope: not an object, field missing or mistyped */
	DSSE_ERR_UNKNOWN_FIELD,	     /* unknown_field: in the envelope or a signature */
	DSSE_ERR_BASE64URL,	     /* bad_base64url: padding, other alphabet, trailing bits */
	DSSE_ERR_PAYLOAD_SIZE,	     /* bad_payload_size: empty or above DSSE_PAYLOAD_MAX */
	DSSE_ERR_PAYLOAD_TYPE,	     /* bad_payload_type: empty, too long, not printable ASCII */
	DSSE_ERR_SIG_COUNT,	     /* bad_signature_count: not 1 or 2 signatures */
	DSSE_ERR_KEYID,		     /* bad_keyid: not the base64url of 32 bytes */
	DSSE_ERR_SIG_SIZE,	     /* bad_signature_size: not 64 bytes */
	DSSE_ERR_DUPLICATE_KEYID,    /* duplicate_keyid: two signatures by one key */
	DSSE_ERR_PAYLOAD_NOT_CANON,  /* payload_not_canonical: see dsse_payload_parse */
	DSSE_ERR_PAYLOAD_NOT_OBJECT, /* payload_not_object: canonical, but not an object */
	DSSE_ERR_UNKNOWN_KEY,	     /* unknown_key: no signature by the key asked for */
	DSSE_ERR_BAD_SIGNATURE,	     /* bad_signature: that key's signature does not verify */
	DSSE_ERR__COUNT
};

/* The stable snake_case name of an error ("bad_signature"; never NULL). */
const char *dsse_err_name(enum dsse_err e);

/* The key id of an Ed25519 public key: unpadded base64url of its SHA-256. */
void dsse_keyid(const unsigned char pk[32], char out[DSSE_KEYID_LEN + 1]);

/* Appends PAE(type, payload) to out: "DSSEv1 <len(type)> <type> <n> <payload>" with byte
 * lengths in decimal; false if type is NULL or payload is NULL with n > 0. */
bool dsse_pae(const char *type, const unsigned char *payload, size_t n, struct jbuf *out);

struct dsse_sig {
	char keyid[DSSE_KEYID_LEN + 1];
	unsigned char sig[64];
};

struct dsse_env {
	unsigned char *payload; /* malloc'd, owned: free with dsse_env_free */
	size_t payload_len;
	char type[DSSE_TYPE_MAX + 1];
	unsigned nsig;
	struct dsse_sig sig[DSSE_MAX_SIGS];
};

/* Reads an envelope from an already parsed canonical value (e.g. one item of an inbox
 * batch). On error *out is left empty (dsse_env_free on it is a no-op). */
enum dsse_err dsse_from_value(const struct canon_value *v, struct dsse_env *out);
/* Reads an envelope from bytes (canon_parse, then dsse_from_value). */
enum dsse_err dsse_parse(const char *buf, size_t len, struct dsse_env *out);
/* Frees the payload and empties *e. */
void dsse_env_free(struct dsse_env *e);

/* DSSE_OK when the signature whose keyid is pk's verifies over PAE(type, payload);
 * DSSE_ERR_UNKNOWN_KEY when no signature carries that keyid, else DSSE_ERR_BAD_SIGNATURE. */
enum dsse_err dsse_check(const struct dsse_env *e, const unsigned char pk[32]);
/* True when a signature whose keyid matches pk verifies over PAE(type, payload). */
bool dsse_verify(const struct dsse_env *e, const unsigned char pk[32]);

/* Parses the payload as canonical JSON whose root is an object; on success *out is a new
 * document (free with canon_free). On DSSE_ERR_PAYLOAD_NOT_CANON, *why (may be NULL) is
 * the canonical-JSON error. */
enum dsse_err dsse_payload_parse(const struct dsse_env *e, struct canon_doc **out,
				 enum canon_err *why);

/* Signs payload[0..n) with the 64-byte libsodium secret key sk (public key inside) and
 * builds the envelope value in d, for the caller to embed or make the root and write.
 * NULL when type is not 1..DSSE_TYPE_MAX printable ASCII or n is 0 or too large. */
struct canon_value *dsse_sign(struct canon_doc *d, const char *type, const unsigned char *payload,
			      size_t n, const unsigned char sk[64]);
/* As dsse_sign with two signatures, sk first then sk2 (a key rotation overlap). */
struct canon_value *dsse_sign2(struct canon_doc *d, const char *type, const unsigned char *payload,
			       size_t n, const unsigned char sk[64], const unsigned char sk2[64]);
/* Builds the envelope value of e in d, fields as they were read (for relaying). */
struct canon_value *dsse_to_value(struct canon_doc *d, const struct dsse_env *e);

#endif

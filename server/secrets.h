/* The node's secrets: the 32-byte node secret (0600 file, held in
 * sodium_malloc memory) that keys every pseudonymising hash, and the random
 * identifiers, bearer tokens and recovery codes the node hands out. */
#ifndef ZC_SECRETS_H
#define ZC_SECRETS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define SECRETS_KEY_BYTES    32
#define SECRETS_HASH_BYTES   32
#define SECRETS_ID_BYTES     16
#define SECRETS_ID_HEX	     33 /* 32 hex + NUL */
#define SECRETS_TOKEN_RAW    32
#define SECRETS_TOKEN_MAX    48 /* "zcp_" + 43 base64url + NUL */
#define SECRETS_RECOVERY_LEN 25 /* "XXXX-XXXX-XXXX-XXXX-XXXX" + NUL */

/* Hash domains (BLAKE2b personalisation), so one secret keys unrelated uses. */
#define SECRETS_DOMAIN_TOKEN	"zcnode-token-v1"
#define SECRETS_DOMAIN_RECOVERY "zcnode-recov-v1"
#define SECRETS_DOMAIN_SESSION	"zcnode-sessn-v1"
#define SECRETS_DOMAIN_MATCH	"zcnode-match-v1"
#define SECRETS_DOMAIN_INVITE	"zcnode-invit-v1"
#define SECRETS_BOX_OVERHEAD	40 /* secretbox nonce (24) + MAC (16) */

struct secrets;

/* Creates DIR/node.secret and the Ed25519 identity (DIR/identity.key, 0600,
 * and DIR/identity.pub) with fresh random bytes; refuses to overwrite. */
enum zc_err secrets_create(const char *dir);
/* Creates an Ed25519 identity DIR/<name>.key (the 32-byte seed, 0600) and
 * DIR/<name>.pub (base64url of the public key); refuses to overwrite. */
enum zc_err secrets_create_identity(const char *dir, const char *name);
/* Reads a public key file as secrets_create_identity writes it: its base64url
 * text (without the newline) into text (80 bytes) and the 32 bytes into pk;
 * false when the file is absent or is not such a key. */
bool secrets_read_public(const char *path, char text[80], unsigned char pk[32]);
/* Loads the node secret from DIR/node.secret into locked memory; refuses a file
 * readable by group or others. */
enum zc_err secrets_open(const char *dir, struct secrets **out);
/* Wipes and frees the secret. */
void secrets_close(struct secrets *s);

/* out = BLAKE2b-256(key = node secret, personal = domain, in). */
void secrets_hash(const struct secrets *s, const char *domain, const void *in, size_t n,
		  unsigned char out[SECRETS_HASH_BYTES]);

/* A fresh random participant id. */
void secrets_new_id(unsigned char id[SECRETS_ID_BYTES]);
/* Lowercase hex of an id. */
void secrets_id_hex(const unsigned char id[SECRETS_ID_BYTES], char out[SECRETS_ID_HEX]);
/* Parses 32 lowercase hex characters. */
bool secrets_id_parse(const char *hex, unsigned char id[SECRETS_ID_BYTES]);

/* A fresh bearer token: prefix + base64url of 32 random bytes; raw gets the bytes. */
void secrets_new_token(const char *prefix, char out[SECRETS_TOKEN_MAX],
		       unsigned char raw[SECRETS_TOKEN_RAW]);
/* Parses a token with the given prefix back into its 32 bytes. */
bool secrets_parse_token(const char *prefix, const char *token,
			 unsigned char raw[SECRETS_TOKEN_RAW]);

/* A fresh recovery code "XXXX-XXXX-XXXX-XXXX-XXXX" over an unambiguous alphabet. */
void secrets_new_recovery(char out[SECRETS_RECOVERY_LEN]);
/* Normalises user input (case, dashes, spaces) to the 20 code characters;
 * false when it cannot be a recovery code. */
bool secrets_normalise_recovery(const char *in, char out[21]);

/* Encrypts in[0..n) for storage with a key derived from the node secret for
 * `domain`: out receives n + SECRETS_BOX_OVERHEAD bytes. */
void secrets_seal(const struct secrets *s, const char *domain, const void *in, size_t n,
		  unsigned char *out);
/* Decrypts what secrets_seal wrote (n bytes) into out; false when forged. */
bool secrets_open_box(const struct secrets *s, const char *domain, const unsigned char *in,
		      size_t n, void *out);

/* Writes n bytes to path with mode 0600, refusing to replace an existing file,
 * and syncs it. */
enum zc_err secrets_write_file(const char *path, const void *data, size_t n);

#endif

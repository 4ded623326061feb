/* Node secret handling and the random values the node hands out. The secret
 * lives in sodium_malloc memory (guard pages, mlock) and is wiped on close. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "b64url.h"
#include "log.h"
#include "secrets.h"

#define RECOVERY_ALPHABET "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

struct secrets {
	unsigned char key[SECRETS_KEY_BYTES];
};

enum zc_err secrets_write_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? ZC_ERR_EXISTS : ZC_ERR_IO;
	enum zc_err err = ZC_OK;
	const unsigned char *p = data;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			err = ZC_ERR_IO;
			goto out;
		}
		p += w;
		n -= (size_t)w;
	}
	if (fsync(fd) != 0)
		err = ZC_ERR_IO;
out:
	close(fd);
	return err;
}

static enum zc_err write_public_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wx");
	if (!f)
		return errno == EEXIST ? ZC_ERR_EXISTS : ZC_ERR_IO;
	fputs(text, f);
	return fclose(f) == 0 ? ZC_OK : ZC_ERR_IO;
}

enum zc_err secrets_create_identity(const char *dir, const char *name)
{
	char path[1024];
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	unsigned char seed[crypto_sign_SEEDBYTES];
	char pk_text[64];
	enum zc_err err;

	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	snprintf(path, sizeof(path), "%s/%s.key", dir, name);
	err = secrets_write_file(path, seed, sizeof(seed));
	if (err)
		goto out;
	b64url_encode(pk, sizeof(pk), pk_text, sizeof(pk_text) - 1);
	size_t len = strlen(pk_text);
	pk_text[len] = '\n';
	pk_text[len + 1] = '\0';
	snprintf(path, sizeof(path), "%s/%s.pub", dir, name);
	err = write_public_file(path, pk_text);
out:
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	return err;
}

bool secrets_read_public(const char *path, char text[80], unsigned char pk[32])
{
	FILE *f = fopen(path, "r");
	text[0] = '\0';
	if (!f)
		return false;
	bool ok = fgets(text, 80, f) != NULL;
	fclose(f);
	text[strcspn(text, "\r\n")] = '\0';
	if (!ok || b64url_decode(text, strlen(text), pk, 32) != 32) {
		text[0] = '\0';
		return false;
	}
	return true;
}

enum zc_err secrets_create(const char *dir)
{
	char path[1024];
	unsigned char key[SECRETS_KEY_BYTES];
	enum zc_err err;

	randombytes_buf(key, sizeof(key));
	snprintf(path, sizeof(path), "%s/node.secret", dir);
	err = secrets_write_file(path, key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	return err ? err : secrets_create_identity(dir, "identity");
}

enum zc_err secrets_open(const char *dir, struct secrets **out)
{
	char path[1024];
	struct stat st;
	struct secrets *s = NULL;
	enum zc_err err = ZC_OK;
	int fd;

	snprintf(path, sizeof(path), "%s/node.secret", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_event(LOG_ERROR, "secret_missing", "path=%s errno=%d", path, errno);
		return ZC_ERR_IO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		err = ZC_ERR_IO;
		goto out;
	}
	if (st.st_mode & 077) {
		log_event(LOG_ERROR, "secret_permissions", "path=%s hint=\"chmod 600 the file\"",
			  path);
		err = ZC_ERR_DENIED;
		goto out;
	}
	if (st.st_size != SECRETS_KEY_BYTES) {
		log_event(LOG_ERROR, "secret_invalid", "path=%s size=%lld", path,
			  (long long)st.st_size);
		err = ZC_ERR_INVALID;
		goto out;
	}
	s = sodium_malloc(sizeof(*s));
	if (!s)
		abort();
	if (read(fd, s->key, sizeof(s->key)) != (ssize_t)sizeof(s->key)) {
		err = ZC_ERR_IO;
		goto out;
	}
	sodium_mprotect_readonly(s);
	*out = s;
	s = NULL;
out:
	if (s)
		sodium_free(s);
	close(fd);
	return err;
}

void secrets_close(struct secrets *s)
{
	if (s)
		sodium_free(s); /* sodium_free wipes the memory */
}

void secrets_hash(const struct secrets *s, const char *domain, const void *in, size_t n,
		  unsigned char out[SECRETS_HASH_BYTES])
{
	unsigned char personal[crypto_generichash_blake2b_PERSONALBYTES] = {0};
	size_t dl = strlen(domain);
	memcpy(personal, domain, dl < sizeof(personal) ? dl : sizeof(personal));
	crypto_generichash_blake2b_salt_personal(out, SECRETS_HASH_BYTES, in, n, s->key,
						 sizeof(s->key), NULL, personal);
}

void secrets_new_id(unsigned char id[SECRETS_ID_BYTES])
{
	randombytes_buf(id, SECRETS_ID_BYTES);
}

void secrets_id_hex(const unsigned char id[SECRETS_ID_BYTES], char out[SECRETS_ID_HEX])
{
	sodium_bin2hex(out, SECRETS_ID_HEX, id, SECRETS_ID_BYTES);
}

bool secrets_id_parse(const char *hex, unsigned char id[SECRETS_ID_BYTES])
{
	size_t bin_len = 0;
	if (strlen(hex) != 2 * SECRETS_ID_BYTES)
		return false;
	for (const char *p = hex; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return sodium_hex2bin(id, SECRETS_ID_BYTES, hex, 2 * SECRETS_ID_BYTES, NULL, &bin_len,
			      NULL) == 0 &&
	       bin_len == SECRETS_ID_BYTES;
}

void secrets_new_token(const char *prefix, char out[SECRETS_TOKEN_MAX],
		       unsigned char raw[SECRETS_TOKEN_RAW])
{
	size_t pl = strlen(prefix);
	randombytes_buf(raw, SECRETS_TOKEN_RAW);
	memcpy(out, prefix, pl);
	b64url_encode(raw, SECRETS_TOKEN_RAW, out + pl, SECRETS_TOKEN_MAX - pl);
}

bool secrets_parse_token(const char *prefix, const char *token,
			 unsigned char raw[SECRETS_TOKEN_RAW])
{
	size_t pl = strlen(prefix), tl = strlen(token);
	if (tl != pl + b64url_encoded_len(SECRETS_TOKEN_RAW) || strncmp(token, prefix, pl) != 0)
		return false;
	return b64url_decode(token + pl, tl - pl, raw, SECRETS_TOKEN_RAW) == SECRETS_TOKEN_RAW;
}

void secrets_new_recovery(char out[SECRETS_RECOVERY_LEN])
{
	const uint32_t n = sizeof(RECOVERY_ALPHABET) - 1;
	size_t o = 0;
	for (int i = 0; i < 20; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = RECOVERY_ALPHABET[randombytes_uniform(n)];
	}
	out[o] = '\0';
}

bool secrets_normalise_recovery(const char *in, char out[21])
{
	size_t o = 0;
	for (const char *p = in; *p; p++) {
		char c = *p;
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!strchr(RECOVERY_ALPHABET, c) || o >= 20)
			return false;
		out[o++] = c;
	}
	out[o] = '\0';
	return o == 20;
}

/* A secretbox key for one purpose, derived from the node secret. */
static void box_key(const struct secrets *s, const char *domain,
		    unsigned char key[crypto_secretbox_KEYBYTES])
{
	secrets_hash(s, domain, "box-key", 7, key);
}

void secrets_seal(const struct secrets *s, const char *domain, const void *in, size_t n,
		  unsigned char *out)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	box_key(s, domain, key);
	randombytes_buf(out, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, in, n, out, key);
	sodium_memzero(key, sizeof(key));
}

bool secrets_open_box(const struct secrets *s, const char *domain, const unsigned char *in,
		      size_t n, void *out)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	if (n < SECRETS_BOX_OVERHEAD)
		return false;
	box_key(s, domain, key);
	int rc = crypto_secretbox_open_easy(out, in + crypto_secretbox_NONCEBYTES,
					    n - crypto_secretbox_NONCEBYTES, in, key);
	sodium_memzero(key, sizeof(key));
	return rc == 0;
}

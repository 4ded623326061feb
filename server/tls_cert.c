/* Self-signed certificate generation with OpenSSL 3. The key file is created
 * 0600 before any key byte is written to it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "log.h"
#include "tls_cert.h"

static bool add_ext(X509 *cert, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return false;
	int ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok == 1;
}

static FILE *open_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

enum zc_err tls_cert_create(const char *key_path, const char *cert_path, const char *host, int days)
{
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	FILE *kf = NULL, *cf = NULL;
	unsigned char serial[16];
	char san[512];
	enum zc_err err = ZC_ERR_CRYPTO;

	key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	cert = X509_new();
	if (!key || !cert || RAND_bytes(serial, sizeof(serial)) != 1)
		goto out;
	serial[0] &= 0x7f; /* a positive serial number */
	BIGNUM *bn = BN_bin2bn(serial, sizeof(serial), NULL);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert))) {
		BN_free(bn);
		goto out;
	}
	BN_free(bn);
	X509_set_version(cert, 2);
	X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(cert), (long)days * 86400L);
	X509_set_pubkey(cert, key);
	X509_NAME *name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)"zcnode", -1,
				   -1, 0);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
				   (const unsigned char *)(host && *host ? host : "localhost"), -1,
				   -1, 0);
	X509_set_issuer_name(cert, name);
	if (host && *host && strcmp(host, "localhost") != 0)
		snprintf(san, sizeof(san), "DNS:localhost,IP:127.0.0.1,IP:::1,DNS:%s", host);
	else
		snprintf(san, sizeof(san), "DNS:localhost,IP:127.0.0.1,IP:::1");
	if (!add_ext(cert, NID_basic_constraints, "critical,CA:FALSE") ||
	    !add_ext(cert, NID_key_usage, "critical,digitalSignature") ||
	    !add_ext(cert, NID_ext_key_usage, "serverAuth,clientAuth") ||
	    !add_ext(cert, NID_subject_key_identifier, "hash") ||
	    !add_ext(cert, NID_subject_alt_name, san))
		goto out;
	if (!X509_sign(cert, key, EVP_sha256()))
		goto out;

	err = ZC_ERR_IO;
	kf = open_private(key_path);
	if (!kf)
		goto out;
	if (!PEM_write_PrivateKey(kf, key, NULL, NULL, 0, NULL, NULL))
		goto out;
	cf = fopen(cert_path, "wx");
	if (!cf || !PEM_write_X509(cf, cert))
		goto out;
	err = ZC_OK;
out:
	if (kf && fclose(kf) != 0)
		err = ZC_ERR_IO;
	if (cf && fclose(cf) != 0)
		err = ZC_ERR_IO;
	if (err)
		log_event(LOG_ERROR, "tls_cert_failed", "key=%s cert=%s error=\"%s\"", key_path,
			  cert_path, zc_strerror(err));
	X509_free(cert);
	EVP_PKEY_free(key);
	return err;
}

/* Pins for federation TLS: the SPKI SHA-256 of a certificate, and the checks
 * both directions of a peer connection make with it. */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>

#include "fedtls.h"

bool fedtls_spki_pin(X509 *cert, unsigned char out[FEDTLS_PIN_BYTES])
{
	unsigned char *der = NULL;
	int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	if (len <= 0)
		return false;
	crypto_hash_sha256(out, der, (unsigned long long)len);
	OPENSSL_free(der);
	return true;
}

bool fedtls_spki_pin_file(const char *path, unsigned char out[FEDTLS_PIN_BYTES])
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	X509 *cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!cert)
		return false;
	bool ok = fedtls_spki_pin(cert, out);
	X509_free(cert);
	return ok;
}

bool fedtls_cert_current(X509 *cert)
{
	return X509_cmp_current_time(X509_get0_notBefore(cert)) < 0 &&
	       X509_cmp_current_time(X509_get0_notAfter(cert)) > 0;
}

bool fedtls_cert_is_peer(const struct zc_config *cfg, int peer, X509 *cert)
{
	unsigned char pin[FEDTLS_PIN_BYTES];
	if (peer < 0 || (unsigned)peer >= cfg->npeers || !cert || !fedtls_cert_current(cert) ||
	    !fedtls_spki_pin(cert, pin))
		return false;
	const struct zc_peer *p = &cfg->peers[peer];
	for (unsigned i = 0; i < p->npins; i++)
		if (sodium_memcmp(pin, p->pin[i], FEDTLS_PIN_BYTES) == 0)
			return true;
	return false;
}

int fedtls_peer_of_cert(const struct zc_config *cfg, X509 *cert)
{
	for (unsigned i = 0; i < cfg->npeers; i++)
		if (fedtls_cert_is_peer(cfg, (int)i, cert))
			return (int)i;
	return -1;
}

bool fedtls_verify_client(const struct zc_config *cfg, X509_STORE_CTX *ctx)
{
	/* Only the leaf matters: it is pinned, and a chain above it adds nothing
	 * (no CA may mint a city). The leaf is always presented at depth 0. */
	if (X509_STORE_CTX_get_error_depth(ctx) > 0)
		return true;
	return fedtls_peer_of_cert(cfg, X509_STORE_CTX_get_current_cert(ctx)) >= 0;
}

int fedtls_peer_of_ssl(const struct zc_config *cfg, SSL *ssl)
{
	if (!ssl)
		return -1;
	X509 *cert = SSL_get1_peer_certificate(ssl);
	if (!cert)
		return -1;
	int peer = fedtls_peer_of_cert(cfg, cert);
	X509_free(cert);
	return peer;
}

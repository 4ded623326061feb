/* TLS between city nodes (zcfed/1): pins, not CAs. A node trusts a peer's
 * certificate when the SHA-256 of its DER SubjectPublicKeyInfo is one of the
 * pins configured for that peer, and the certificate is inside its validity
 * window. Used by the federation port's client-certificate check and by the
 * sync thread's outgoing connections. */
#ifndef ZC_FEDTLS_H
#define ZC_FEDTLS_H

#include <stdbool.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "config.h"

#define FEDTLS_PIN_BYTES 32

/* SHA-256 of cert's DER SubjectPublicKeyInfo. */
bool fedtls_spki_pin(X509 *cert, unsigned char out[FEDTLS_PIN_BYTES]);
/* The same for the first certificate of a PEM file. */
bool fedtls_spki_pin_file(const char *path, unsigned char out[FEDTLS_PIN_BYTES]);
/* True when now is inside cert's notBefore..notAfter. */
bool fedtls_cert_current(X509 *cert);
/* The index of the configured peer that pins cert, or -1. */
int fedtls_peer_of_cert(const struct zc_config *cfg, X509 *cert);
/* Whether peer `peer` pins cert (and it is current). */
bool fedtls_cert_is_peer(const struct zc_config *cfg, int peer, X509 *cert);
/* The verification decision for one certificate of a client's chain as
 * OpenSSL presents it (lws' LWS_CALLBACK_OPENSSL_PERFORM_CLIENT_CERT_VERIFICATION):
 * true only for a leaf that a configured peer pins and that is current; a CA
 * signature is never enough, and nothing is accepted by default. */
bool fedtls_verify_client(const struct zc_config *cfg, X509_STORE_CTX *ctx);
/* The peer at the other end of an accepted federation connection (the SSL of
 * the connection), or -1. */
int fedtls_peer_of_ssl(const struct zc_config *cfg, SSL *ssl);

#endif

/* Creation of the node's TLS key pair and self-signed certificate (ECDSA
 * P-256; SAN localhost, 127.0.0.1, ::1 plus an optional host name). Peers pin
 * the certificate's public key, so no CA is involved. */
#ifndef ZC_TLS_CERT_H
#define ZC_TLS_CERT_H

#include "err.h"

/* Writes key_path (0600) and cert_path, valid for `days`; refuses to overwrite. */
enum zc_err tls_cert_create(const char *key_path, const char *cert_path, const char *host,
			    int days);

#endif

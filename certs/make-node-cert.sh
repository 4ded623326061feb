#!/bin/sh
# Makes a TLS key (ECDSA P-256, mode 0600) and a self-signed certificate for a
# zcnode, e.g. to renew DATA_DIR/tls/ or to serve under the city's host name.
# `zcnode init` makes the same pair itself; this script is for renewals and for
# administrators who prefer the openssl command line.
#   usage: certs/make-node-cert.sh OUT_DIR [HOST] [DAYS]
set -eu
out=${1:?usage: make-node-cert.sh OUT_DIR [HOST] [DAYS]}
host=${2:-localhost}
days=${3:-825}
mkdir -p "$out"
chmod 700 "$out"
if [ -e "$out/node.key" ] || [ -e "$out/node.crt" ]; then
	echo "make-node-cert: $out/node.key or node.crt exists; move it away first" >&2
	exit 1
fi
san="DNS:localhost,IP:127.0.0.1,IP:::1"
[ "$host" != localhost ] && san="$san,DNS:$host"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
	-days "$days" -subj "/O=zcnode/CN=$host" \
	-addext "basicConstraints=critical,CA:FALSE" \
	-addext "keyUsage=critical,digitalSignature" \
	-addext "extendedKeyUsage=serverAuth,clientAuth" \
	-addext "subjectAltName=$san" \
	-keyout "$out/node.key" -out "$out/node.crt" 2>/dev/null
chmod 600 "$out/node.key"
chmod 644 "$out/node.crt"
echo "make-node-cert: wrote $out/node.key and $out/node.crt for $host, valid $days days"
# The pin a peer city records: SHA-256 of the DER SubjectPublicKeyInfo, in
# unpadded base64url as zcfed/1 peer lines write it (docs/federation.md § 2).
printf 'make-node-cert: SPKI pin (zcfed/1 peer line) %s\n' "$(openssl x509 -in "$out/node.crt" -pubkey -noout |
	openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | openssl base64 -A |
	tr '+/' '-_' | tr -d '=')"

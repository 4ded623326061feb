#!/bin/sh
# Installs the Debian 12 packages zcnode needs to build, test and run, and only
# those that are missing. Uses sudo when not root. Safe to run again.
set -eu

PKGS="build-essential pkg-config git ca-certificates openssl
libwebsockets-dev liblmdb-dev lmdb-utils libsodium-dev libcjson-dev libssl-dev
libcmocka-dev valgrind clang libclang-rt-14-dev
python3 python3-pytest python3-websockets python3-cryptography faketime curl tzdata
chromium fonts-dejavu-core"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
# Node.js: any node >= 18 already on PATH will do; otherwise Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi

if [ -z "$missing" ]; then
	exit 0
fi

echo "install-deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing

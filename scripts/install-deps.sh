#!/bin/sh
# Install the Debian 12 packages the build, the tests and the benchmarks
# need. Idempotent: packages already present are skipped, so a second run
# costs one dpkg query. Uses sudo when not root.
set -eu

PACKAGES="
build-essential pkg-config git ca-certificates curl
libmicrohttpd-dev libsqlite3-dev sqlite3 libssl-dev libpq-dev libpcre2-dev libidn2-dev libcurl4-openssl-dev
libcmocka-dev
python3 python3-pytest python3-requests python3-avro python3-confluent-kafka python3-prometheus-client python3-yaml
nodejs npm
clang llvm libclang-rt-14-dev
wrk nginx-light
postgresql-15
golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev
valgrind
"

missing=""
for p in $PACKAGES; do
	# A Node.js package that bundles npm (the machine's Node.js 20) conflicts
	# with Debian's npm package: an npm already on PATH is enough.
	if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then
		continue
	fi
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing

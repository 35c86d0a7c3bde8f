#!/bin/sh
# Build the container image and check it end to end: the server starts,
# the smoke test passes against it, backup-runner writes a backup inside
# it, psql and the AWS CLI are there, and SIGTERM stops it with status 0.
#
# usage: scripts/image-test.sh [TAG]      (default localhost/schema-registry:test)
# environment:
#   ENGINE  docker or podman (default: whichever answers `ENGINE info`)
#   BASE    the Debian 12 base image (default debian:12-slim); where no
#           registry is reachable, a local one, e.g. built with debootstrap
#           and `podman import` (docs/runbooks/container-image.md)
#   PORT    host port for the check (default 18081; the container shares
#           the host's network)
set -eu
cd "$(dirname "$0")/.."
TAG=${1:-localhost/schema-registry:test}
BASE=${BASE:-debian:12-slim}
PORT=${PORT:-18081}
if [ -z "${ENGINE:-}" ]; then
	for e in docker podman; do
		if command -v "$e" >/dev/null 2>&1 && "$e" info >/dev/null 2>&1; then ENGINE=$e; break; fi
	done
fi
[ -n "${ENGINE:-}" ] || { echo "image-test: no working docker or podman" >&2; exit 1; }
NAME="sr-image-test-$$"
trap '"$ENGINE" rm -f "$NAME" >/dev/null 2>&1 || true' EXIT

"$ENGINE" build --build-arg DEBIAN="$BASE" \
	--build-arg COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" -t "$TAG" .
"$ENGINE" run -d --name "$NAME" --network host \
	-e SCHEMA_REGISTRY_LISTEN="127.0.0.1:$PORT" "$TAG" >/dev/null
i=0
until curl -fsS "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 100 ] || { "$ENGINE" logs "$NAME"; echo "image-test: not ready" >&2; exit 1; }
	sleep 0.1
done
sh scripts/smoke-test.sh "http://127.0.0.1:$PORT"
"$ENGINE" exec "$NAME" /usr/local/bin/backup-runner --manual
"$ENGINE" exec "$NAME" psql --version
"$ENGINE" exec "$NAME" aws --version
"$ENGINE" exec "$NAME" schema-registry version
"$ENGINE" stop -t 30 "$NAME" >/dev/null
status=$("$ENGINE" inspect "$NAME" --format '{{.State.ExitCode}}')
[ "$status" = 0 ] || { "$ENGINE" logs "$NAME"; echo "image-test: exit status $status after SIGTERM" >&2; exit 1; }
echo "image-test: $TAG passed ($(
	"$ENGINE" image inspect "$TAG" --format '{{.Size}}' | awk '{ printf "%.0f MB", $1 / 1e6 }'))"

#!/bin/sh
# Run a command beside a throwaway PostgreSQL 15 server, for the tests.
#
# usage: scripts/with-postgres.sh COMMAND [ARG...]
#
# Creates a cluster in a temporary directory (initdb), starts it on a free
# loopback port with trust authentication, exports
#   SR_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/postgres
# runs COMMAND, then stops the server and removes the directory, also when
# COMMAND fails or the script is interrupted. Exits with COMMAND's status.
#
# The server refuses to run as root: as root it runs as the `postgres`
# user (runuser). PG_BIN overrides /usr/lib/postgresql/15/bin. When no
# PostgreSQL is installed the command runs without SR_TEST_POSTGRES_URL,
# unless CI=true, where that is an error.
set -eu

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

if [ ! -x "$PG_BIN/initdb" ]; then
	if [ "${CI:-}" = true ]; then
		echo "with-postgres: $PG_BIN/initdb not found (install postgresql-15)" >&2
		exit 1
	fi
	echo "with-postgres: no PostgreSQL at $PG_BIN; PostgreSQL tests are skipped" >&2
	exec "$@"
fi

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

DIR=$(mktemp -d "${TMPDIR:-/tmp}/sr-pg-XXXXXX")
chmod 755 "$DIR"
[ "$(id -u)" -eq 0 ] && chown postgres "$DIR"

cleanup() {
	as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_pg "$PG_BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
	>"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }

PORT=""
for _ in 1 2 3 4 5; do
	PORT=$(free_port)
	if as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
		-o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200" \
		start >/dev/null 2>&1; then
		break
	fi
	PORT=""
done
if [ -z "$PORT" ]; then
	echo "with-postgres: the server did not start:" >&2
	cat "$DIR/server.log" >&2 || true
	exit 1
fi

SR_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
export SR_TEST_POSTGRES_URL
echo "with-postgres: PostgreSQL on 127.0.0.1:$PORT" >&2
status=0
"$@" || status=$?
exit $status

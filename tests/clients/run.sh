#!/bin/sh
# Copyright (c) the LLM Schema Registry authors.
# SPDX-License-Identifier: Apache-2.0
#
# Wire compatibility with real third-party clients we did not write.
#
# Starts the server binary $SR_BIN (default build/schema-registry) on a free
# loopback port with an SQLite database in a temporary directory, runs
#   - the npm clients (node's built-in test runner, test/*.test.js):
#       @confluentinc/schemaregistry and @kafkajs/confluent-schema-registry,
#   - Debian's python3-confluent-kafka (pytest under /usr/bin/python3,
#       python/test_*.py),
# against it, then stops the server with SIGTERM and requires exit status 0
# and no sanitizer report in its log (SR_BIN may be a SANITIZER= build).
# The npm packages are installed with `npm ci` into tests/clients/node_modules
# when that is missing or older than package.json / package-lock.json.
#
# Environment: SR_BIN, NODE (default node), NPM (default npm),
# PYTHON (default /usr/bin/python3), CLIENTS_KEEP_TMP=1 keeps the temporary
# directory (database and server log) for a post-mortem.
# Exit status: 0 when every suite passed and the server stopped cleanly.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SR_BIN=${SR_BIN:-$REPO/build/schema-registry}
NODE=${NODE:-node}
NPM=${NPM:-npm}
PYTHON=${PYTHON:-/usr/bin/python3}
START_TIMEOUT=20	# seconds until the port file and /health answer
STOP_TIMEOUT=30		# seconds the server may take after SIGTERM

say() { printf 'clients: %s\n' "$*"; }
die() { printf 'clients: error: %s\n' "$*" >&2; exit 2; }

# ---- preconditions -------------------------------------------------------

[ -x "$SR_BIN" ] || die "server binary '$SR_BIN' not found or not executable (run make, or set SR_BIN)"
command -v "$NODE" >/dev/null 2>&1 || die "'$NODE' not found (sh scripts/install-deps.sh installs nodejs)"
command -v "$NPM" >/dev/null 2>&1 || die "'$NPM' not found (sh scripts/install-deps.sh installs npm)"
node_major=$("$NODE" -p 'process.versions.node.split(".")[0]') || die "cannot run $NODE"
[ "$node_major" -ge 20 ] || die "Node.js >= 20 needed, found $("$NODE" --version)"

# ---- npm dependencies ----------------------------------------------------

# npm ci when node_modules is missing or either manifest is newer than the
# last successful install (npm's own node_modules/.package-lock.json).
stamp="$HERE/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$HERE/package.json" -nt "$stamp" ] ||
	[ "$HERE/package-lock.json" -nt "$stamp" ]; then
	say "installing npm packages (npm ci)"
	(cd "$HERE" && "$NPM" ci --ignore-scripts --no-audit --no-fund --loglevel=error) ||
		die "npm ci failed"
	touch "$stamp"
fi

# ---- server --------------------------------------------------------------

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sr-clients.XXXXXX") || die "mktemp failed"
PID=""

cleanup() {
	if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
		kill -KILL "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
	fi
	if [ "${CLIENTS_KEEP_TMP:-0}" = 1 ]; then
		say "kept $TMP"
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

log_tail() {
	printf -- '---- server log (last 40 lines) ----\n' >&2
	tail -n 40 "$TMP/server.log" >&2 2>/dev/null
	printf -- '------------------------------------\n' >&2
}

# Nothing inherited may configure the server: only what is set here.
for v in $(env | sed -n 's/^\(SCHEMA_REGISTRY_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$v"
done
(
	cd "$TMP" || exit 1
	exec env DATABASE_URL="sqlite:$TMP/registry.db" \
		SCHEMA_REGISTRY_LISTEN=127.0.0.1:0 \
		SCHEMA_REGISTRY_PORT_FILE="$TMP/port" \
		SCHEMA_REGISTRY_LOG_LEVEL=info \
		"$SR_BIN" serve
) </dev/null >"$TMP/server.log" 2>&1 &
PID=$!

# Wait for the port file, then for GET /health to answer 200.
deadline=$(($(date +%s) + START_TIMEOUT))
while :; do
	if ! kill -0 "$PID" 2>/dev/null; then
		wait "$PID"
		rc=$?
		PID=""
		log_tail
		die "server exited with status $rc before it was healthy"
	fi
	# Read again each round: a read may race the server writing the file.
	port=""
	if [ -s "$TMP/port" ]; then
		port=$(tr -dc '0-9' <"$TMP/port")
	fi
	if [ -n "$port" ] && "$NODE" -e '
		fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
			.then(r => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1));
	' "http://127.0.0.1:$port/health" 2>/dev/null; then
		break
	fi
	if [ "$(date +%s)" -ge "$deadline" ]; then
		log_tail
		die "server not healthy after ${START_TIMEOUT}s"
	fi
	sleep 0.1
done
SR_URL="http://127.0.0.1:$port"
export SR_URL
say "server $SR_BIN (pid $PID) at $SR_URL"

# ---- suites --------------------------------------------------------------

node_rc=0
say "npm clients: node --test"
(cd "$HERE" && "$NODE" --test --test-reporter=spec "$HERE"/test/*.test.js) || node_rc=$?

py_rc=0
say "python3-confluent-kafka: pytest"
(cd "$HERE/python" && "$PYTHON" -m pytest -q -p no:cacheprovider .) || py_rc=$?

# ---- stop ----------------------------------------------------------------

stop_rc=0
kill -TERM "$PID" 2>/dev/null
waited=0
while kill -0 "$PID" 2>/dev/null && [ "$waited" -lt $((STOP_TIMEOUT * 10)) ]; do
	sleep 0.1
	waited=$((waited + 1))
done
if kill -0 "$PID" 2>/dev/null; then
	log_tail
	say "server did not exit within ${STOP_TIMEOUT}s of SIGTERM"
	stop_rc=1
else
	wait "$PID"
	stop_rc=$?
	PID=""
	if [ "$stop_rc" -ne 0 ]; then
		log_tail
		say "server exited with status $stop_rc after SIGTERM (want 0)"
	fi
fi

# A sanitizer build (SANITIZER=...) reports into the log; any report fails.
if grep -q -E 'ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:' "$TMP/server.log"; then
	grep -E -A 20 'ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:' "$TMP/server.log" | head -n 60 >&2
	say "sanitizer report in the server log"
	stop_rc=1
fi

# ---- summary -------------------------------------------------------------

verdict() { [ "$1" -eq 0 ] && echo ok || echo "FAILED (status $1)"; }
line() { printf 'clients:   %-78s %s\n' "$1" "$(verdict "$2")"; }
say "summary:"
line "npm clients (@confluentinc/schemaregistry, @kafkajs/confluent-schema-registry)" "$node_rc"
line "python3-confluent-kafka" "$py_rc"
line "server stop on SIGTERM (exit 0, no sanitizer report)" "$stop_rc"
if [ "$node_rc" -ne 0 ] || [ "$py_rc" -ne 0 ]; then
	log_tail
fi
if [ "$node_rc" -ne 0 ] || [ "$py_rc" -ne 0 ] || [ "$stop_rc" -ne 0 ]; then
	exit 1
fi
exit 0

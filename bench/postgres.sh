#!/bin/sh
# Registration on PostgreSQL: new versions per second through one replica
# and through two replicas at once, beside the raw durable commit rate of
# the same PostgreSQL server (pgbench, one connection, one single-row
# INSERT per transaction) as the peer that bounds it.
#
# usage: sh bench/postgres.sh        (from the repository's top directory)
# environment: ROUNDS (3), DURATION (10 s), CONNS (16 per replica), B (build)
#
# Runs beside a throwaway PostgreSQL 15 server (scripts/with-postgres.sh).
# Every registration is a new BACKWARD-compatible version (bench/register.lua):
# writer lock, catch-up query, compatibility check, the rows, the change
# log, NOTIFY, one durable COMMIT.
set -eu
NAME=bench-postgres
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CONNS=${CONNS:-16}
B=${B:-build}

if [ -z "${SR_TEST_POSTGRES_URL:-}" ]; then
	exec sh scripts/with-postgres.sh sh "$0" "$@"
fi
command -v wrk >/dev/null || { echo "$NAME: wrk is missing" >&2; exit 1; }
make -s B="$B" build >/dev/null
BIN="$PWD/$B/schema-registry"
PGBIN=/usr/lib/postgresql/15/bin
T=$(mktemp -d /tmp/bench-postgres.XXXXXX)
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT

psql_admin() { psql "$SR_TEST_POSTGRES_URL" -qAtc "$1"; }

# start_replica DBURL NAME: a server on a free port; echoes its URL.
start_replica() {
	"$BIN" serve --database-url "$1" --listen 127.0.0.1:0 --port-file "$T/$2.port" \
		--threads 1 --log-level warn >"$T/$2.log" 2>&1 &
	PIDS="$PIDS $!"
	i=0
	until [ -s "$T/$2.port" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || { cat "$T/$2.log" >&2; exit 1; }
		sleep 0.1
	done
	echo "http://127.0.0.1:$(cat "$T/$2.port")"
}

# wrk_rate URL NONCE: registrations/s of one wrk run (non-2xx counted out).
wrk_rate() {
	wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency -s bench/register.lua "$1" -- "$2" 1000 |
		awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			ok = v["requests"] - v["err_status"]; printf "%.0f %d %d\n", ok / (v["duration_us"] / 1e6), v["p50_us"], v["p99_us"] }'
}

raw_rate() {
	psql_admin "DROP TABLE IF EXISTS bench_raw; CREATE TABLE bench_raw (id bigserial PRIMARY KEY, body text)"
	echo "INSERT INTO bench_raw (body) VALUES (repeat('x', 600));" >"$T/raw.sql"
	"$PGBIN/pgbench" -n -c 1 -T "$DURATION" -f "$T/raw.sql" "$SR_TEST_POSTGRES_URL" 2>/dev/null |
		sed -n 's/^tps = \([0-9.]*\).*/\1/p' | cut -d. -f1
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

psql_admin "CREATE DATABASE bench_one"
psql_admin "CREATE DATABASE bench_two"
BASE=${SR_TEST_POSTGRES_URL%/*}
ONE=$(start_replica "$BASE/bench_one" one)
A=$(start_replica "$BASE/bench_two" a)
Bx=$(start_replica "$BASE/bench_two" b)

: >"$T/one" ; : >"$T/two" ; : >"$T/raw"
for r in $(seq "$ROUNDS"); do
	raw=$(raw_rate)
	echo "$raw" >>"$T/raw"
	set -- $(wrk_rate "$ONE" "one$r")
	echo "$1" >>"$T/one"
	echo "round $r: raw PostgreSQL commits ${raw}/s; one replica $1/s (p50 $2 us, p99 $3 us)"
	wrk_rate "$A" "a$r" >"$T/a.out" &
	wa=$!
	wrk_rate "$Bx" "b$r" >"$T/b.out"
	wait $wa
	two=$(( $(cut -d' ' -f1 "$T/a.out") + $(cut -d' ' -f1 "$T/b.out") ))
	echo "$two" >>"$T/two"
	echo "round $r: two replicas together $two/s (A: $(cat "$T/a.out"), B: $(cat "$T/b.out"))"
done
# The two replicas agree on what they registered.
sleep 2
[ "$(curl -s "$A/schemas?deleted=true" | md5sum)" = "$(curl -s "$Bx/schemas?deleted=true" | md5sum)" ] ||
	{ echo "$NAME: the replicas disagree" >&2; exit 1; }

RAW=$(median <"$T/raw")
ONE_M=$(median <"$T/one")
TWO_M=$(median <"$T/two")
echo "RESULT raw_commits_per_s=$RAW one_replica_per_s=$ONE_M two_replicas_per_s=$TWO_M" \
	"one_vs_raw=$(awk "BEGIN { printf \"%.2f\", $ONE_M / $RAW }")" \
	"rounds=$ROUNDS duration_s=$DURATION conns_per_replica=$CONNS"

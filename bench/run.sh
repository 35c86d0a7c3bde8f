#!/bin/sh
# Copyright (c) the LLM Schema Registry authors.
# SPDX-License-Identifier: Apache-2.0
#
# The registry's benchmarks, each against its peer in the same run:
#   reads         GET /schemas/ids/{id}, GET /subjects/{s}/versions/latest
#                 vs nginx serving the byte-identical bodies from files
#   registration  new versions/s with durable SQLite commits, vs the raw
#                 SQLite durable commit rate (bench/storage.c) for context
#   re-register   idempotent POST of an already registered schema (the
#                 stored bytes, and the same schemas pretty-printed)
# Rounds alternate ours/peer (ABBA order); the summary quotes medians and
# the min-max spread, and docs/benchmarks.md gets the results block.
#
#   make bench                     (or: make B=build-x bench)
#   sh bench/run.sh                builds first with make B=$B
#
# Settings (environment): B=build, ROUNDS=5, DURATION=10 (s per wrk run),
# CONNS=64, WRK_THREADS=1, THREADS=1 (our HTTP threads = nginx workers),
# SERVER_CPUS and WRK_CPUS (taskset CPU lists; default empty = no pinning),
# SCHEMAS=1000, STORAGE_CALLS=2000, UPDATE_DOC=1 (0 = print only).
set -eu

B=${B:-build}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
WRK_THREADS=${WRK_THREADS:-1}
THREADS=${THREADS:-1}
SERVER_CPUS=${SERVER_CPUS-}
WRK_CPUS=${WRK_CPUS-}
SCHEMAS=${SCHEMAS:-1000}
STORAGE_CALLS=${STORAGE_CALLS:-2000}
UPDATE_DOC=${UPDATE_DOC:-1}
PY=/usr/bin/python3

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

die() {
	echo "bench: $*" >&2
	exit 1
}

for tool in wrk nginx taskset curl "$PY"; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: run sh scripts/install-deps.sh"
done

# ---- build ------------------------------------------------------------------
make -s B="$B" build >/dev/null
BIN="$ROOT/$B/schema-registry"
STORAGE_BIN="$ROOT/$B/bench-storage"
cc -std=c17 -D_GNU_SOURCE -O2 -Isrc -o "$STORAGE_BIN" bench/storage.c "$B/libsr.a" \
	-lmicrohttpd -lsqlite3 -lcrypto -lpthread -lm

# ---- temp dir, processes, cleanup on every exit path ------------------------
T=$(mktemp -d /tmp/sr-bench.XXXXXX)
chmod 755 "$T" # nginx workers run as nobody and read $T/data/www
SR_PID=""
NGINX_PID=""

stop_pid() {
	if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
		kill "$1" 2>/dev/null || true
		wait "$1" 2>/dev/null || true
	fi
}

cleanup() {
	stop_pid "$SR_PID"
	stop_pid "$NGINX_PID"
	SR_PID=""
	NGINX_PID=""
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Prefixes that pin a command to a CPU list (empty: no pinning). Plain
# words, not a function, so that "$PIN_SERVER cmd &" leaves the server's
# own pid in $! (taskset execs the command).
PIN_SERVER=""
PIN_WRK=""
[ -z "$SERVER_CPUS" ] || PIN_SERVER="taskset -c $SERVER_CPUS"
[ -z "$WRK_CPUS" ] || PIN_WRK="taskset -c $WRK_CPUS"

free_port() {
	$PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_http() {
	i=0
	until curl -s -o /dev/null "http://127.0.0.1:$1/"; do
		i=$((i + 1))
		[ $i -lt 100 ] || die "nothing answers on port $1"
		sleep 0.1
	done
}

# CPU seconds used so far by the given processes (all their threads).
cpu_ticks() {
	for p in "$@"; do
		awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0
	done | awk '{ s += $1 } END { print s + 0 }'
}
TICKS=$(getconf CLK_TCK)

# ---- machine and versions -----------------------------------------------------
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
NPROC=$(nproc)
CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
KERNEL=$(uname -r)
# BENCH_COMMIT names the commit when running outside a git work tree (an
# export: git archive HEAD | tar -x -C DIR).
if [ -n "${BENCH_COMMIT:-}" ]; then
	COMMIT=$BENCH_COMMIT
else
	COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	DIRTY=$(git status --porcelain -- src 2>/dev/null | head -1)
	[ -z "$DIRTY" ] || COMMIT="$COMMIT + uncommitted changes in src/"
fi
WRK_VERSION=$(wrk -v 2>&1 | sed -n '1s/^wrk \([^ ]*\).*/\1/p')
NGINX_VERSION=$(nginx -v 2>&1 | sed 's/^nginx version: //')
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -n "${MAKELEVEL:-}" ]; then
	COMMAND="make B=$B bench"
else
	COMMAND="sh bench/run.sh"
fi
for v in STORAGE_CALLS SCHEMAS WRK_CPUS SERVER_CPUS THREADS WRK_THREADS CONNS DURATION ROUNDS; do
	if env | grep -q "^$v="; then
		COMMAND="$v=$(eval "echo \$$v") $COMMAND"
	fi
done
case "$COMMAND" in *"B=$B"*) ;; *) [ "$B" = build ] || COMMAND="B=$B $COMMAND" ;; esac

echo "bench: $DATE, $NPROC x $CPU_MODEL, load average $LOAD_START"
echo "bench: $ROUNDS rounds of ${DURATION}s, wrk -t$WRK_THREADS -c$CONNS on CPU ${WRK_CPUS:-any}," \
	"server $THREADS thread(s) / nginx $THREADS worker(s) on CPU ${SERVER_CPUS:-any}"

# ---- our server and the data set ------------------------------------------------
$PIN_SERVER "$BIN" serve --database-url "sqlite:$T/registry.db" \
	--listen 127.0.0.1:0 --port-file "$T/port" --threads "$THREADS" \
	--log-level warn >"$T/server.log" 2>&1 &
SR_PID=$!
i=0
until [ -s "$T/port" ]; do
	i=$((i + 1))
	kill -0 "$SR_PID" 2>/dev/null || { cat "$T/server.log" >&2; die "the server did not start"; }
	[ $i -lt 100 ] || die "the server wrote no port file"
	sleep 0.1
done
SR_PORT=$(cat "$T/port")
OURS="http://127.0.0.1:$SR_PORT"
mkdir -p "$T/data"
$PY bench/dataset.py register "$OURS" "$T/data" "$SCHEMAS"

# ---- nginx with the same bodies at the same paths ----------------------------------
NGINX_PORT=$(free_port)
mkdir -p "$T/nginx"
cat >"$T/nginx/nginx.conf" <<EOF
worker_processes $THREADS;
daemon off;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log warn;
events {
	worker_connections 4096;
}
http {
	access_log off;
	server_tokens off;
	etag off;
	types { }
	default_type $(cat "$T/data/content-type.txt");
	# sendfile off: with these 0.5-4 KB bodies nginx answers faster from
	# one writev than from writev + sendfile (measured: ~1.35x).
	sendfile off;
	open_file_cache max=4096 inactive=60s;
	keepalive_timeout 75s;
	keepalive_requests 1000000000;
	client_body_temp_path $T/nginx/body;
	proxy_temp_path $T/nginx/proxy;
	fastcgi_temp_path $T/nginx/fastcgi;
	uwsgi_temp_path $T/nginx/uwsgi;
	scgi_temp_path $T/nginx/scgi;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $T/data/www;
	}
}
EOF
$PIN_SERVER nginx -c "$T/nginx/nginx.conf" -p "$T/nginx" >"$T/nginx/out.log" 2>&1 &
NGINX_PID=$!
wait_http "$NGINX_PORT"
PEER="http://127.0.0.1:$NGINX_PORT"
$PY bench/dataset.py verify "$PEER" "$T/data"
NGINX_PIDS="$NGINX_PID $(ps -o pid= --ppid "$NGINX_PID" | tr '\n' ' ')"

# ---- one wrk run -----------------------------------------------------------------
RESULTS="$T/results.tsv"
: >"$RESULTS"

# run_wrk TEST SIDE ROUND URL "PIDS" SCRIPT ARGS...: one wrk run, one line in
# $RESULTS: test side round rps p50_us p99_us cpu% errors requests.
run_wrk() {
	test=$1 side=$2 round=$3 url=$4 pids=$5 script=$6
	shift 6
	c0=$(cpu_ticks $pids)
	out=$($PIN_WRK wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency \
		-s "$script" "$url" -- "$@" 2>&1) || die "wrk failed: $out"
	c1=$(cpu_ticks $pids)
	line=$(printf '%s\n' "$out" | sed -n 's/^RESULT //p')
	[ -n "$line" ] || die "no result from wrk: $out"
	eval "$(printf '%s\n' "$line" | sed 's/\([a-z_0-9]*\)=\([0-9]*\)/r_\1=\2/g')"
	# shellcheck disable=SC2154
	errors=$((r_err_connect + r_err_read + r_err_write + r_err_status + r_err_timeout))
	# shellcheck disable=SC2154
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$test" "$side" "$round" \
		"$(awk -v n="$r_requests" -v d="$r_duration_us" 'BEGIN { printf "%.1f", n / (d / 1e6) }')" \
		"$r_p50_us" "$r_p99_us" \
		"$(awk -v c="$((c1 - c0))" -v t="$TICKS" -v d="$r_duration_us" \
			'BEGIN { printf "%.0f", 100 * c / t / (d / 1e6) }')" \
		"$errors" "$r_requests" >>"$RESULTS"
	printf '  %-12s %-6s round %s: %s\n' "$test" "$side" "$round" "$(tail -1 "$RESULTS" |
		awk -F'\t' '{ printf "%9.0f req/s  p50 %.2f ms  p99 %.2f ms  cpu %s%%  errors %s", $4, $5 / 1000, $6 / 1000, $7, $8 }')"
}

# ---- 1. reads vs nginx ---------------------------------------------------------------
echo "bench: reads, ours vs nginx (same bodies, same wrk settings)"
for ep in ids latest; do
	paths="$T/data/paths-$ep.txt"
	# warm-up, not recorded
	$PIN_WRK wrk -t"$WRK_THREADS" -c"$CONNS" -d2s -s bench/read.lua "$OURS" -- "$paths" >/dev/null
	$PIN_WRK wrk -t"$WRK_THREADS" -c"$CONNS" -d2s -s bench/read.lua "$PEER" -- "$paths" >/dev/null
	r=1
	while [ $r -le "$ROUNDS" ]; do
		if [ $((r % 2)) -eq 1 ]; then
			run_wrk "read-$ep" ours $r "$OURS" "$SR_PID" bench/read.lua "$paths"
			run_wrk "read-$ep" nginx $r "$PEER" "$NGINX_PIDS" bench/read.lua "$paths"
		else
			run_wrk "read-$ep" nginx $r "$PEER" "$NGINX_PIDS" bench/read.lua "$paths"
			run_wrk "read-$ep" ours $r "$OURS" "$SR_PID" bench/read.lua "$paths"
		fi
		r=$((r + 1))
	done
done
stop_pid "$NGINX_PID"
NGINX_PID=""

# ---- 2. registration vs raw SQLite commits ---------------------------------------------
# The highest schema id so far, read by registering one more probe schema
# (PROBE is counted by the caller: this runs in a subshell).
PROBE=0
probe_id() {
	body="{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Probe$PROBE\\\",\\\"fields\\\":[{\\\"name\\\":\\\"p\\\",\\\"type\\\":\\\"int\\\"}]}\"}"
	curl -s -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
		-d "$body" "$OURS/subjects/bench.probe-$PROBE-value/versions" |
		sed -n 's/.*"id":\([0-9]*\).*/\1/p'
}

run_storage() {
	round=$1
	out=$($PIN_SERVER "$STORAGE_BIN" "$T/storage" "$STORAGE_CALLS" 10 2>&1) ||
		die "bench-storage failed: $out"
	rate=$(printf '%s\n' "$out" | sed -n '1s/.*= \([0-9.]*\) applies\/s.*/\1/p')
	[ -n "$rate" ] || die "no rate from bench-storage: $out"
	printf 'register\tsqlite\t%s\t%s\t\t\t\t0\t%s\n' "$round" "$rate" "$STORAGE_CALLS" >>"$RESULTS"
	printf '  %-12s %-6s round %s: %9.0f commits/s (%s single-change transactions)\n' \
		register sqlite "$round" "$rate" "$STORAGE_CALLS"
}

run_register() {
	round=$1
	PROBE=$((PROBE + 1))
	before=$(probe_id)
	run_wrk register ours "$round" "$OURS" "$SR_PID" bench/register.lua "r$round" 1000
	PROBE=$((PROBE + 1))
	after=$(probe_id)
	[ -n "$before" ] && [ -n "$after" ] || die "probe registration failed"
	ok=$(tail -1 "$RESULTS" | awk -F'\t' '{ print $9 - $8 }')
	made=$((after - before - 1))
	# wrk does not count the requests still in flight when it stops.
	if [ "$made" -lt "$ok" ] || [ "$made" -gt $((ok + CONNS)) ]; then
		die "registration round $round: $ok answered OK but $made new schema ids"
	fi
}

echo "bench: registration of new versions (durable SQLite), raw SQLite commits for context"
r=1
while [ $r -le "$ROUNDS" ]; do
	if [ $((r % 2)) -eq 1 ]; then
		run_register $r
		run_storage $r
	else
		run_storage $r
		run_register $r
	fi
	r=$((r + 1))
done

# ---- 3. idempotent re-registration -------------------------------------------------
# "stored": the exact bytes that were registered (what Avro's Schema.toString()
# sends); "pretty": the same schemas pretty-printed, as an .avsc file is.
echo "bench: idempotent re-registration"
r=1
while [ $r -le "$ROUNDS" ]; do
	if [ $((r % 2)) -eq 1 ]; then
		run_wrk rereg-stored ours $r "$OURS" "$SR_PID" bench/reregister.lua "$T/data/reregister.txt"
		run_wrk rereg-pretty ours $r "$OURS" "$SR_PID" bench/reregister.lua "$T/data/reregister-pretty.txt"
	else
		run_wrk rereg-pretty ours $r "$OURS" "$SR_PID" bench/reregister.lua "$T/data/reregister-pretty.txt"
		run_wrk rereg-stored ours $r "$OURS" "$SR_PID" bench/reregister.lua "$T/data/reregister.txt"
	fi
	r=$((r + 1))
done

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- summary and docs ----------------------------------------------------------------
export BENCH_DATE="$DATE" BENCH_NPROC="$NPROC" BENCH_CPU="$CPU_MODEL" BENCH_KERNEL="$KERNEL" \
	BENCH_COMMIT="$COMMIT" BENCH_WRK="$WRK_VERSION" BENCH_NGINX="$NGINX_VERSION" \
	BENCH_COMMAND="$COMMAND" BENCH_LOAD="$LOAD_START -> $LOAD_END" BENCH_ROUNDS="$ROUNDS" \
	BENCH_DURATION="$DURATION" BENCH_CONNS="$CONNS" BENCH_WRK_THREADS="$WRK_THREADS" \
	BENCH_THREADS="$THREADS" BENCH_SERVER_CPUS="${SERVER_CPUS:-any}" \
	BENCH_WRK_CPUS="${WRK_CPUS:-any}" BENCH_SCHEMAS="$SCHEMAS" \
	BENCH_DATASET="$(cat "$T/data/summary.txt")"
if [ "$UPDATE_DOC" = 1 ]; then
	$PY bench/report.py "$RESULTS" docs/benchmarks.md
else
	$PY bench/report.py "$RESULTS"
fi

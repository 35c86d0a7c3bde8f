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
# the min-max spread, and docs/benchmarks.md gets the results block. Then
# bench/validation/run.sh (JSON Schema validation, ours vs ajv, and the
# validate endpoint) runs with the same environment and rewrites its own
# section of the doc.
#
#   make bench                     (or: make B=build-x bench)
#   sh bench/run.sh                builds first with make B=$B
#
# Settings (environment): B=build, ROUNDS=5, DURATION=10 (s per wrk run),
# CONNS=64, WRK_THREADS=1, THREADS=1 (our HTTP threads = nginx workers),
# SERVER_CPUS and WRK_CPUS (taskset CPU lists; default empty = no pinning),
# SCHEMAS=1000, STORAGE_CALLS=2000, UPDATE_DOC=1 (0 = print only),
# SKIP_VALIDATION=0 (1 = not bench/validation/run.sh, whose own settings
# are listed at its top). Defaults of the shared ones: bench/lib.sh.
set -eu

NAME=bench
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/lib.sh
. bench/lib.sh
SCHEMAS=${SCHEMAS:-1000}
STORAGE_CALLS=${STORAGE_CALLS:-2000}
SKIP_VALIDATION=${SKIP_VALIDATION:-0}

need wrk nginx taskset curl "$PY"

# ---- build ------------------------------------------------------------------
build
STORAGE_BIN="$ROOT/$B/bench-storage"
# shellcheck disable=SC2046 # the library list is words
cc -std=c17 -D_GNU_SOURCE -O2 -Isrc -o "$STORAGE_BIN" bench/storage.c "$B/libsr.a" \
	$(make -s print-libs)

make_temp sr-bench

# ---- machine and versions -----------------------------------------------------
describe_machine
NGINX_VERSION=$(nginx -v 2>&1 | sed 's/^nginx version: //')
bench_command bench/run.sh ROUNDS DURATION CONNS WRK_THREADS THREADS SERVER_CPUS WRK_CPUS \
	SCHEMAS STORAGE_CALLS

echo "bench: $DATE, $NPROC x $CPU_MODEL, load average $LOAD_START"
echo "bench: $ROUNDS rounds of ${DURATION}s, wrk -t$WRK_THREADS -c$CONNS on CPU ${WRK_CPUS:-any}," \
	"server $THREADS thread(s) / nginx $THREADS worker(s) on CPU ${SERVER_CPUS:-any}"

# ---- our server and the data set ------------------------------------------------
# shellcheck disable=SC2086 # PIN_SERVER: words or nothing
start_server "$T/server.log" 100 $PIN_SERVER
OURS=$SR_URL
mkdir -p "$T/data"
$PY bench/dataset.py register "$OURS" "$T/data" "$SCHEMAS"

# ---- nginx with the same bodies at the same paths ----------------------------------
# shellcheck disable=SC2086
start_nginx "$THREADS" on "$T/nginx/out.log" 100 $PIN_SERVER
PEER=$NGINX_URL
$PY bench/dataset.py verify "$PEER" "$T/data"

# ---- one wrk run -----------------------------------------------------------------
RESULTS="$T/results.tsv"
: >"$RESULTS"

# run_wrk TEST SIDE ROUND URL "PIDS" SCRIPT ARGS...: one wrk run, one line in
# $RESULTS: test side round rps p50_us p99_us cpu% errors requests.
run_wrk() {
	test=$1 side=$2 round=$3 url=$4 pids=$5 script=$6
	shift 6
	wrk_run "$pids" "$url" "$script" "$@"
	# shellcheck disable=SC2154
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$test" "$side" "$round" "$WRK_RPS" \
		"$r_p50_us" "$r_p99_us" "$WRK_CPU" "$WRK_ERRORS" "$r_requests" >>"$RESULTS"
	printf '  %-12s %-6s round %s: %s\n' "$test" "$side" "$round" "$(tail -1 "$RESULTS" |
		awk -F'\t' '{ printf "%9.0f req/s  p50 %.2f ms  p99 %.2f ms  cpu %s%%  errors %s", $4, $5 / 1000, $6 / 1000, $7, $8 }')"
}

# ---- 1. reads vs nginx ---------------------------------------------------------------
echo "bench: reads, ours vs nginx (same bodies, same wrk settings)"
for ep in ids latest; do
	paths="$T/data/paths-$ep.txt"
	wrk_warmup "$OURS" bench/read.lua "$paths"
	wrk_warmup "$PEER" bench/read.lua "$paths"
	# shellcheck disable=SC2016 # in_turn evaluates the commands
	for r in $(seq "$ROUNDS"); do
		in_turn "$r" 'run_wrk "read-$ep" ours $r "$OURS" "$SR_PID" bench/read.lua "$paths"' \
			'run_wrk "read-$ep" nginx $r "$PEER" "$NGINX_PIDS" bench/read.lua "$paths"'
	done
done
stop_nginx

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
# shellcheck disable=SC2016
for r in $(seq "$ROUNDS"); do
	in_turn "$r" 'run_register $r' 'run_storage $r'
done

# ---- 3. idempotent re-registration -------------------------------------------------
# "stored": the exact bytes that were registered (what Avro's Schema.toString()
# sends); "pretty": the same schemas pretty-printed, as an .avsc file is.
echo "bench: idempotent re-registration"
# shellcheck disable=SC2016
for r in $(seq "$ROUNDS"); do
	in_turn "$r" \
		'run_wrk rereg-stored ours $r "$OURS" "$SR_PID" bench/reregister.lua "$T/data/reregister.txt"' \
		'run_wrk rereg-pretty ours $r "$OURS" "$SR_PID" bench/reregister.lua "$T/data/reregister-pretty.txt"'
done

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- summary and docs ----------------------------------------------------------------
(
	BENCH_DATASET=$(cat "$T/data/summary.txt")
	export BENCH_NGINX="$NGINX_VERSION" BENCH_SCHEMAS="$SCHEMAS" BENCH_DATASET
	write_report bench/report.py "$RESULTS"
)

# ---- 4. validation (bench/validation/run.sh, its own section of the doc) ----------------
if [ "$SKIP_VALIDATION" != 1 ]; then
	cleanup
	trap - EXIT
	sh bench/validation/run.sh
fi

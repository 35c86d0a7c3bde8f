#!/bin/sh
# Copyright (c) the LLM Schema Registry authors.
# SPDX-License-Identifier: Apache-2.0
#
# Validation benchmarks, on the corpora in bench/validation/corpora/:
#   library  documents/s, JSON text in, verdict out: ours (sr_json_parse +
#            the JSON format's validate op, bench-validate built from
#            validate.c against $B/libsr.a) vs ajv 8 + ajv-formats
#            (JSON.parse + the compiled function, ajv.js), alternating,
#            both pinned to the same core one after the other
#   http     POST /schemas/ids/{id}/validate on the tool-call corpus with
#            wrk (keep-alive, a random document per request, every answer
#            checked against the file the document came from)
# and the "Validation" section of docs/benchmarks.md rewritten.
#
#   sh bench/validation/run.sh            builds first with make B=$B
#
# Settings (environment): B=build, ROUNDS=5, MEASURE=1 (s per library
# measurement), WARMUP=2 (s of ajv JIT warm-up per process), CPU=1 (core
# both library benchmarks are pinned to; empty = not pinned), DURATION=10
# (s per wrk run), CONNS=64, WRK_THREADS=1, THREADS=1 (server HTTP
# threads), SERVER_CPUS and WRK_CPUS (taskset lists for the HTTP run;
# default empty = not pinned), OUTPUTS="basic flag" (the endpoint's output
# modes measured; basic is the default, with the errors), SKIP_HTTP=0,
# SKIP_LIB=0, PROFILE=1 (instruction profile of our side and of the
# endpoint under callgrind, bench/validation/profile.py; 0 = skip),
# UPDATE_DOC=1 (0 = print only).
set -eu

B=${B:-build}
ROUNDS=${ROUNDS:-5}
MEASURE=${MEASURE:-1}
WARMUP=${WARMUP:-2}
CPU=${CPU-1}
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
WRK_THREADS=${WRK_THREADS:-1}
THREADS=${THREADS:-1}
SERVER_CPUS=${SERVER_CPUS-}
WRK_CPUS=${WRK_CPUS-}
OUTPUTS=${OUTPUTS:-basic flag}
SKIP_HTTP=${SKIP_HTTP:-0}
SKIP_LIB=${SKIP_LIB:-0}
PROFILE=${PROFILE:-1}
UPDATE_DOC=${UPDATE_DOC:-1}
PY=/usr/bin/python3
CORPORA="tool-call extraction large"
HTTP_CORPUS=tool-call

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/validation"
cd "$ROOT"

die() {
	echo "bench-validation: $*" >&2
	exit 1
}

for tool in node npm wrk taskset curl "$PY"; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: run sh scripts/install-deps.sh"
done

# ---- build ---------------------------------------------------------------------
make -s B="$B" build >/dev/null
BIN="$ROOT/$B/schema-registry"
VBIN="$ROOT/$B/bench-validate"
cc -std=c17 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Isrc -o "$VBIN" "$HERE/validate.c" \
	"$B/libsr.a" -lmicrohttpd -lsqlite3 -lcrypto -lpcre2-8 -lidn2 -lpthread -lm
if [ ! -d "$HERE/node_modules/ajv" ] || [ ! -d "$HERE/node_modules/ajv-formats" ]; then
	(cd "$HERE" && npm ci --no-audit --no-fund --silent) || die "npm ci failed"
fi

# ---- temp dir, server, cleanup on every exit path ------------------------------------
T=$(mktemp -d /tmp/sr-bench-validation.XXXXXX)
SR_PID=""

stop_pid() {
	if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
		kill "$1" 2>/dev/null || true
		wait "$1" 2>/dev/null || true
	fi
}

cleanup() {
	stop_pid "$SR_PID"
	SR_PID=""
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PIN_LIB=""
PIN_SERVER=""
PIN_WRK=""
[ -z "$CPU" ] || PIN_LIB="taskset -c $CPU"
[ -z "$SERVER_CPUS" ] || PIN_SERVER="taskset -c $SERVER_CPUS"
[ -z "$WRK_CPUS" ] || PIN_WRK="taskset -c $WRK_CPUS"

cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
TICKS=$(getconf CLK_TCK)

# ---- machine and versions ----------------------------------------------------------------
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
NPROC=$(nproc)
CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
KERNEL=$(uname -r)
if [ -n "${BENCH_COMMIT:-}" ]; then
	COMMIT=$BENCH_COMMIT
else
	COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	DIRTY=$(git status --porcelain -- src 2>/dev/null | head -1)
	[ -z "$DIRTY" ] || COMMIT="$COMMIT + uncommitted changes in src/"
fi
NODE_VERSION=$(node --version)
AJV_VERSION=$(node -p "require('$HERE/node_modules/ajv/package.json').version")
AJV_FORMATS_VERSION=$(node -p "require('$HERE/node_modules/ajv-formats/package.json').version")
WRK_VERSION=$(wrk -v 2>&1 | sed -n '1s/^wrk \([^ ]*\).*/\1/p')
CC_VERSION=$(cc --version | head -1)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
COMMAND="sh bench/validation/run.sh"
for v in UPDATE_DOC PROFILE SKIP_LIB SKIP_HTTP OUTPUTS WRK_CPUS SERVER_CPUS THREADS WRK_THREADS CONNS \
	DURATION CPU WARMUP MEASURE ROUNDS B; do
	if env | grep -q "^$v="; then
		COMMAND="$v=\"$(eval "echo \$$v")\" $COMMAND"
	fi
done
COMMAND=$(printf '%s' "$COMMAND" | sed 's/="\([A-Za-z0-9_.,-]*\)"/=\1/g')

echo "bench-validation: $DATE, $NPROC x $CPU_MODEL, load average $LOAD_START"

RESULTS="$T/results.tsv"
: >"$RESULTS"

# ---- 1. library: ours vs ajv -----------------------------------------------------------
# run_lib SIDE CORPUS ROUND: one process, four measurements (flag/full x
# valid/invalid), lines "lib corpus side round mode class docs wall_us cpu_us".
run_lib() {
	side=$1 corpus=$2 round=$3
	dir="$HERE/corpora/$corpus"
	if [ "$side" = ours ]; then
		out=$($PIN_LIB "$VBIN" -t "$MEASURE" "$dir/schema.json" "$dir/valid.jsonl" \
			"$dir/invalid.jsonl" 2>&1) || die "bench-validate failed on $corpus: $out"
	else
		out=$($PIN_LIB node "$HERE/ajv.js" -t "$MEASURE" -w "$WARMUP" "$dir/schema.json" \
			"$dir/valid.jsonl" "$dir/invalid.jsonl" 2>&1) || die "ajv.js failed on $corpus: $out"
	fi
	printf '%s\n' "$out" | sed -n 's/^RESULT //p' | while read -r mode class docs wall cpu; do
		printf 'lib\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$corpus" "$side" "$round" \
			"${mode#mode=}" "${class#class=}" "${docs#docs=}" "${wall#wall_us=}" \
			"${cpu#cpu_us=}" >>"$RESULTS"
	done
	[ "$(grep -c "^lib	$corpus	$side	$round	" "$RESULTS")" -eq 4 ] ||
		die "no results from $side on $corpus: $out"
	printf '  %-10s %-4s round %s: %s\n' "$corpus" "$side" "$round" "$(grep "^lib	$corpus	$side	$round	" "$RESULTS" |
		awk -F'\t' '{ printf "%s/%s %7.0f/s  ", $5, $6, $7 / ($8 / 1e6) }')"
}

if [ "$SKIP_LIB" != 1 ]; then
	echo "bench-validation: library, ours vs ajv $AJV_VERSION (node $NODE_VERSION)," \
		"$ROUNDS rounds of ${MEASURE}s per measurement, CPU ${CPU:-any}"
	r=1
	while [ $r -le "$ROUNDS" ]; do
		for corpus in $CORPORA; do
			if [ $((r % 2)) -eq 1 ]; then
				run_lib ours "$corpus" $r
				run_lib ajv "$corpus" $r
			else
				run_lib ajv "$corpus" $r
				run_lib ours "$corpus" $r
			fi
		done
		r=$((r + 1))
	done
fi

# ---- 2. HTTP validate endpoint ---------------------------------------------------------------
if [ "$SKIP_HTTP" != 1 ]; then
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
	URL="http://127.0.0.1:$(cat "$T/port")"
	dir="$HERE/corpora/$HTTP_CORPUS"
	$PY -c 'import json, sys; print(json.dumps({"schemaType": "JSON", "schema": open(sys.argv[1]).read()}))' \
		"$dir/schema.json" >"$T/register.json"
	SCHEMA_ID=$(curl -s -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
		--data-binary @"$T/register.json" "$URL/subjects/bench-$HTTP_CORPUS-value/versions" |
		sed -n 's/.*"id":\([0-9]*\).*/\1/p')
	[ -n "$SCHEMA_ID" ] || die "registering the $HTTP_CORPUS schema failed"

	# run_wrk OUTPUT ROUND: one wrk run, one line "http corpus output round rps
	# p50_us p99_us cpu% requests sent_valid sent_invalid ok_valid ok_invalid".
	run_wrk() {
		output=$1 round=$2
		path="/schemas/ids/$SCHEMA_ID/validate?formatAssertion=true"
		[ "$output" = basic ] || path="$path&output=$output"
		c0=$(cpu_ticks "$SR_PID")
		out=$($PIN_WRK wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency \
			-s "$HERE/validate.lua" "$URL" -- "$path" "$dir/valid.jsonl" \
			"$dir/invalid.jsonl" 2>&1) || die "wrk failed: $out"
		c1=$(cpu_ticks "$SR_PID")
		line=$(printf '%s\n' "$out" | sed -n 's/^RESULT //p')
		[ -n "$line" ] || die "no result from wrk: $out"
		eval "$(printf '%s\n' "$line" | sed 's/\([a-z_0-9]*\)=\([0-9]*\)/r_\1=\2/g')"
		# shellcheck disable=SC2154
		errors=$((r_err_connect + r_err_read + r_err_write + r_err_status + r_err_timeout))
		# shellcheck disable=SC2154
		if [ "$errors" -ne 0 ] || [ "$r_wrong" -ne 0 ] || [ "$r_not_200" -ne 0 ]; then
			die "round $round ($output): $errors socket/status errors, $r_not_200 answers" \
				"not 200, $r_wrong wrong verdicts: $out"
		fi
		# Every answer was checked; the answers must also account for every
		# request sent, but those still in flight when wrk stopped (and the
		# one request each wrk thread builds at its start to probe the script).
		# shellcheck disable=SC2154
		if [ $((r_ok_valid + r_ok_invalid)) -ne "$r_requests" ] ||
			[ $((r_sent_valid - r_ok_valid)) -lt 0 ] ||
			[ $((r_sent_invalid - r_ok_invalid)) -lt 0 ] ||
			[ $((r_sent_valid + r_sent_invalid - r_requests)) -gt $((CONNS + WRK_THREADS)) ]; then
			die "round $round ($output): answers do not match the requests: $line"
		fi
		printf 'http\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$HTTP_CORPUS" "$output" \
			"$round" \
			"$(awk -v n="$r_requests" -v d="$r_duration_us" 'BEGIN { printf "%.1f", n / (d / 1e6) }')" \
			"$r_p50_us" "$r_p99_us" \
			"$(awk -v c="$((c1 - c0))" -v t="$TICKS" -v d="$r_duration_us" \
				'BEGIN { printf "%.0f", 100 * c / t / (d / 1e6) }')" \
			"$r_requests" "$r_sent_valid" "$r_sent_invalid" "$r_ok_valid" "$r_ok_invalid" >>"$RESULTS"
		printf '  %-10s %-5s round %s: %s\n' "$HTTP_CORPUS" "$output" "$round" "$(tail -1 "$RESULTS" |
			awk -F'\t' '{ printf "%8.0f req/s  p50 %.2f ms  p99 %.2f ms  server cpu %s%%  valid %s invalid %s (all checked)", $5, $6 / 1000, $7 / 1000, $8, $12, $13 }')"
	}

	echo "bench-validation: POST /schemas/ids/$SCHEMA_ID/validate ($HTTP_CORPUS), wrk" \
		"-t$WRK_THREADS -c$CONNS on CPU ${WRK_CPUS:-any}, server $THREADS thread(s) on CPU ${SERVER_CPUS:-any}"
	# warm-up, not recorded
	$PIN_WRK wrk -t"$WRK_THREADS" -c"$CONNS" -d2s -s "$HERE/validate.lua" "$URL" -- \
		"/schemas/ids/$SCHEMA_ID/validate?formatAssertion=true" "$dir/valid.jsonl" \
		"$dir/invalid.jsonl" >/dev/null
	r=1
	while [ $r -le "$ROUNDS" ]; do
		if [ $((r % 2)) -eq 1 ]; then
			for o in $OUTPUTS; do run_wrk "$o" $r; done
		else
			for o in $(printf '%s\n' $OUTPUTS | tac); do run_wrk "$o" $r; done
		fi
		r=$((r + 1))
	done
	stop_pid "$SR_PID"
	SR_PID=""
fi

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- 3. where our time goes (instruction counts, not timed) ------------------------------
BENCH_PROFILE=""
if [ "$PROFILE" = 1 ]; then
	command -v valgrind >/dev/null 2>&1 || die "valgrind is missing: run sh scripts/install-deps.sh (or PROFILE=0)"
	echo "bench-validation: instruction profile of our side (callgrind)"
	if [ "$SKIP_HTTP" = 1 ]; then
		$PY "$HERE/profile.py" "$VBIN" "$HERE/corpora" "$T/profile.md" >/dev/null ||
			die "profile.py failed"
	else
		$PY "$HERE/profile.py" --server "$BIN" "$VBIN" "$HERE/corpora" "$T/profile.md" \
			>/dev/null || die "profile.py failed"
	fi
	BENCH_PROFILE="$T/profile.md"
fi

# ---- summary and docs -------------------------------------------------------------------------
export BENCH_DATE="$DATE" BENCH_NPROC="$NPROC" BENCH_CPU="$CPU_MODEL" BENCH_KERNEL="$KERNEL" \
	BENCH_COMMIT="$COMMIT" BENCH_COMMAND="$COMMAND" BENCH_LOAD="$LOAD_START -> $LOAD_END" \
	BENCH_ROUNDS="$ROUNDS" BENCH_MEASURE="$MEASURE" BENCH_WARMUP="$WARMUP" \
	BENCH_LIB_CPU="${CPU:-any}" BENCH_DURATION="$DURATION" BENCH_CONNS="$CONNS" \
	BENCH_WRK_THREADS="$WRK_THREADS" BENCH_THREADS="$THREADS" \
	BENCH_SERVER_CPUS="${SERVER_CPUS:-any}" BENCH_WRK_CPUS="${WRK_CPUS:-any}" \
	BENCH_NODE="$NODE_VERSION" BENCH_AJV="$AJV_VERSION" BENCH_AJV_FORMATS="$AJV_FORMATS_VERSION" \
	BENCH_WRK="$WRK_VERSION" BENCH_CC="$CC_VERSION" BENCH_HTTP_CORPUS="$HTTP_CORPUS" \
	BENCH_CORPORA_DIR="$HERE/corpora" BENCH_PROFILE="$BENCH_PROFILE"
if [ "$UPDATE_DOC" = 1 ]; then
	$PY "$HERE/report.py" "$RESULTS" docs/benchmarks.md
else
	$PY "$HERE/report.py" "$RESULTS"
fi

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
#   make bench                            runs it too, after bench/run.sh
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
# UPDATE_DOC=1 (0 = print only). Defaults of the settings bench/run.sh
# shares: bench/lib.sh.
set -eu

NAME=bench-validation
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/validation"
cd "$ROOT"
# shellcheck source=bench/lib.sh
. bench/lib.sh
MEASURE=${MEASURE:-1}
WARMUP=${WARMUP:-2}
CPU=${CPU-1}
OUTPUTS=${OUTPUTS:-basic flag}
SKIP_HTTP=${SKIP_HTTP:-0}
SKIP_LIB=${SKIP_LIB:-0}
PROFILE=${PROFILE:-1}
CORPORA="tool-call extraction large"
HTTP_CORPUS=tool-call

need node npm wrk taskset curl "$PY"

# ---- build ---------------------------------------------------------------------
build
VBIN="$ROOT/$B/bench-validate"
# shellcheck disable=SC2046 # the library list is words
cc -std=c17 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Isrc -o "$VBIN" "$HERE/validate.c" \
	"$B/libsr.a" $(make -s print-libs)
if [ ! -d "$HERE/node_modules/ajv" ] || [ ! -d "$HERE/node_modules/ajv-formats" ]; then
	(cd "$HERE" && npm ci --no-audit --no-fund --silent) || die "npm ci failed"
fi

make_temp sr-bench-validation
PIN_LIB=$(pin_to "$CPU")

# ---- machine and versions ----------------------------------------------------------------
describe_machine
NODE_VERSION=$(node --version)
AJV_VERSION=$(node -p "require('$HERE/node_modules/ajv/package.json').version")
AJV_FORMATS_VERSION=$(node -p "require('$HERE/node_modules/ajv-formats/package.json').version")
CC_VERSION=$(cc --version | head -1)
bench_command bench/validation/run.sh ROUNDS MEASURE WARMUP CPU DURATION CONNS WRK_THREADS \
	THREADS SERVER_CPUS WRK_CPUS OUTPUTS SKIP_HTTP SKIP_LIB PROFILE UPDATE_DOC

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
	# shellcheck disable=SC2016 # in_turn evaluates the commands
	for r in $(seq "$ROUNDS"); do
		for corpus in $CORPORA; do
			in_turn "$r" 'run_lib ours "$corpus" $r' 'run_lib ajv "$corpus" $r'
		done
	done
fi

# ---- 2. HTTP validate endpoint ---------------------------------------------------------------
if [ "$SKIP_HTTP" != 1 ]; then
	# shellcheck disable=SC2086 # PIN_SERVER: words or nothing
	start_server "$T/server.log" 100 $PIN_SERVER
	URL=$SR_URL
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
		wrk_run "$SR_PID" "$URL" "$HERE/validate.lua" "$path" "$dir/valid.jsonl" \
			"$dir/invalid.jsonl"
		# shellcheck disable=SC2154
		if [ "$WRK_ERRORS" -ne 0 ] || [ "$r_wrong" -ne 0 ] || [ "$r_not_200" -ne 0 ]; then
			die "round $round ($output): $WRK_ERRORS socket/status errors, $r_not_200 answers" \
				"not 200, $r_wrong wrong verdicts: $WRK_OUT"
		fi
		# Every answer was checked; the answers must also account for every
		# request sent, but those still in flight when wrk stopped (and the
		# one request each wrk thread builds at its start to probe the script).
		# shellcheck disable=SC2154
		if [ $((r_ok_valid + r_ok_invalid)) -ne "$r_requests" ] ||
			[ $((r_sent_valid - r_ok_valid)) -lt 0 ] ||
			[ $((r_sent_invalid - r_ok_invalid)) -lt 0 ] ||
			[ $((r_sent_valid + r_sent_invalid - r_requests)) -gt $((CONNS + WRK_THREADS)) ]; then
			die "round $round ($output): answers do not match the requests: $WRK_LINE"
		fi
		# shellcheck disable=SC2154
		printf 'http\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$HTTP_CORPUS" "$output" \
			"$round" "$WRK_RPS" "$r_p50_us" "$r_p99_us" "$WRK_CPU" \
			"$r_requests" "$r_sent_valid" "$r_sent_invalid" "$r_ok_valid" "$r_ok_invalid" >>"$RESULTS"
		printf '  %-10s %-5s round %s: %s\n' "$HTTP_CORPUS" "$output" "$round" "$(tail -1 "$RESULTS" |
			awk -F'\t' '{ printf "%8.0f req/s  p50 %.2f ms  p99 %.2f ms  server cpu %s%%  valid %s invalid %s (all checked)", $5, $6 / 1000, $7 / 1000, $8, $12, $13 }')"
	}

	echo "bench-validation: POST /schemas/ids/$SCHEMA_ID/validate ($HTTP_CORPUS), wrk" \
		"-t$WRK_THREADS -c$CONNS on CPU ${WRK_CPUS:-any}, server $THREADS thread(s) on CPU ${SERVER_CPUS:-any}"
	wrk_warmup "$URL" "$HERE/validate.lua" "/schemas/ids/$SCHEMA_ID/validate?formatAssertion=true" \
		"$dir/valid.jsonl" "$dir/invalid.jsonl"
	# The output modes in the order given in odd rounds, reversed in even ones.
	for r in $(seq "$ROUNDS"); do
		if [ $((r % 2)) -eq 1 ]; then
			for o in $OUTPUTS; do run_wrk "$o" "$r"; done
		else
			# shellcheck disable=SC2086 # OUTPUTS: a list
			for o in $(printf '%s\n' $OUTPUTS | tac); do run_wrk "$o" "$r"; done
		fi
	done
	stop_server
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
(
	export BENCH_MEASURE="$MEASURE" BENCH_WARMUP="$WARMUP" BENCH_LIB_CPU="${CPU:-any}" \
		BENCH_NODE="$NODE_VERSION" BENCH_AJV="$AJV_VERSION" BENCH_AJV_FORMATS="$AJV_FORMATS_VERSION" \
		BENCH_CC="$CC_VERSION" BENCH_HTTP_CORPUS="$HTTP_CORPUS" BENCH_CORPORA_DIR="$HERE/corpora" \
		BENCH_PROFILE="$BENCH_PROFILE"
	write_report "$HERE/report.py" "$RESULTS"
)

#!/bin/sh
# Copyright (c) the LLM Schema Registry authors.
# SPDX-License-Identifier: Apache-2.0
#
# Instruction profiles of the benchmark workloads: the server (and, for the
# read workload, nginx) under valgrind --tool=callgrind, instrumented only
# while wrk runs. Instruction counts do not depend on what else the machine
# is doing, so they are comparable between runs where req/s are not. Prints
# instructions per request and the top functions by self cost; the
# callgrind files stay in OUT (default $B/profile) for callgrind_annotate.
#
#   sh bench/profile.sh            settings: B=build, DURATION=10 (s per
#                                  workload), CONNS=8, SCHEMAS=1000, TOP=15
# User-space instructions only: the kernel's share (system calls, loopback
# TCP) is not counted.
set -eu

NAME=profile
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CONNS=${CONNS:-8}
# shellcheck source=bench/lib.sh
. bench/lib.sh
SCHEMAS=${SCHEMAS:-1000}
TOP=${TOP:-15}
OUT=${OUT:-$ROOT/$B/profile}
THREADS=1 # our server; nginx runs one worker and no master
# nginx under valgrind has been seen to stay after TERM: INT and KILL
# follow after 20 s each.
STOP_GRACE=20

need valgrind callgrind_control callgrind_annotate wrk nginx curl "$PY"

build
mkdir -p "$OUT"
make_temp sr-profile

# The data set, registered by the server running natively.
start_server "$T/server.log" 300
mkdir -p "$T/data"
$PY bench/dataset.py register "$SR_URL" "$T/data" "$SCHEMAS"
stop_server

# instr_total FILE: the Ir total recorded in a callgrind output file.
instr_total() {
	sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$1" | head -1
}

report() {
	name=$1 file=$2 requests=$3
	total=$(instr_total "$file")
	[ -n "$total" ] && [ "${requests:-0}" -gt 0 ] || die "$name: no profile data"
	printf '\n== %s: %s requests, %s instructions, %s per request (self cost, top %s)\n' \
		"$name" "$requests" "$total" "$((total / requests))" "$TOP"
	callgrind_annotate --inclusive=no "$file" 2>/dev/null |
		awk -v top="$TOP" -v n="$requests" '
			/^-+$/ { dash++; next }
			dash == 6 && $1 ~ /^[0-9,]+$/ && shown < top {
				ir = $1; gsub(",", "", ir)
				pct = $0; sub(/^[^(]*\( */, "", pct); sub(/%.*/, "", pct)
				loc = $0; sub(/^[^)]*\) +/, "", loc)
				obj = loc; sub(/^[^[]*\[/, "", obj); sub(/\].*/, "", obj); sub(/.*\//, "", obj)
				sub(/ \[.*/, "", loc)
				fn = loc; sub(/.*:/, "", fn)
				src = loc; sub(/:[^:]*$/, "", src); sub(/.*\//, "", src)
				printf "%9.0f /req %5s%%  %s (%s) [%s]\n", ir / n, pct, fn, src, obj
				shown++
			}'
	printf 'by object:'
	callgrind_annotate --inclusive=no --threshold=100 "$file" 2>/dev/null |
		awk -v n="$requests" '
			/^-+$/ { dash++; next }
			dash == 6 && $1 ~ /^[0-9,]+$/ {
				ir = $1; gsub(",", "", ir)
				obj = $0; sub(/^[^[]*\[/, "", obj); sub(/\].*/, "", obj); sub(/.*\//, "", obj)
				sum[obj] += ir; total += ir
			}
			END {
				for (o in sum)
					if (sum[o] * 100 >= total)
						printf " %s %.0f%% (%.0f/req);", o, 100 * sum[o] / total, sum[o] / n
				printf "\n"
			}'
}

# profile NAME SCRIPT ARGS...: our server under callgrind for one workload.
profile() {
	name=$1 script=$2
	shift 2
	start_server "$T/valgrind.log" 300 valgrind --tool=callgrind --dump-instr=no \
		--instr-atstart=no --callgrind-out-file="$OUT/ours-$name.callgrind"
	callgrind_control -i on "$SR_PID" >/dev/null
	out=$(wrk -t1 -c"$CONNS" -d"${DURATION}s" -s "$script" "$SR_URL" -- "$@")
	callgrind_control -i off "$SR_PID" >/dev/null
	stop_server
	line=$(printf '%s\n' "$out" | sed -n 's/^RESULT //p')
	requests=$(printf '%s\n' "$line" | sed -n 's/.*requests=\([0-9]*\).*/\1/p')
	errors=$(printf '%s\n' "$line" | sed -n 's/.*err_status=\([0-9]*\).*/\1/p')
	[ "${errors:-1}" -eq 0 ] || die "$name: $errors failed requests"
	report "ours $name" "$OUT/ours-$name.callgrind" "$requests"
}

profile read-ids bench/read.lua "$T/data/paths-ids.txt"
profile read-latest bench/read.lua "$T/data/paths-latest.txt"
profile rereg-stored bench/reregister.lua "$T/data/reregister.txt"
profile rereg-pretty bench/reregister.lua "$T/data/reregister-pretty.txt"
profile register bench/register.lua p 1000

# nginx, one process (no master), the same bodies, the read-ids workload.
start_nginx 1 off "$T/valgrind-nginx.log" 300 valgrind --tool=callgrind --dump-instr=no \
	--instr-atstart=no --callgrind-out-file="$OUT/nginx-read-ids.callgrind"
callgrind_control -i on "$NGINX_PID" >/dev/null
out=$(wrk -t1 -c"$CONNS" -d"${DURATION}s" -s bench/read.lua "$NGINX_URL" -- "$T/data/paths-ids.txt")
callgrind_control -i off "$NGINX_PID" >/dev/null
stop_nginx
requests=$(printf '%s\n' "$out" | sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p')
report "nginx read-ids" "$OUT/nginx-read-ids.callgrind" "$requests"
echo
echo "profile: callgrind files in $OUT (callgrind_annotate --inclusive=yes FILE for call trees)"

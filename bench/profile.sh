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

B=${B:-build}
DURATION=${DURATION:-10}
CONNS=${CONNS:-8}
SCHEMAS=${SCHEMAS:-1000}
TOP=${TOP:-15}
PY=/usr/bin/python3

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${OUT:-$ROOT/$B/profile}

die() {
	echo "profile: $*" >&2
	exit 1
}

for tool in valgrind callgrind_control callgrind_annotate wrk nginx curl "$PY"; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: run sh scripts/install-deps.sh"
done

make -s B="$B" build >/dev/null
BIN="$ROOT/$B/schema-registry"
mkdir -p "$OUT"

T=$(mktemp -d /tmp/sr-profile.XXXXXX)
chmod 755 "$T" # nginx started by root runs as nobody and reads $T/data/www
PID=""

# Stop the process under test: TERM, then INT and KILL from a watchdog if
# it is still there after 20 s (nginx under valgrind has been seen to stay).
stop() {
	if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
		kill "$PID" 2>/dev/null || true
		(sleep 20; kill -s INT "$PID"; sleep 20; kill -s KILL "$PID") 2>/dev/null &
		dog=$!
		wait "$PID" 2>/dev/null || true
		kill "$dog" 2>/dev/null || true
	fi
	PID=""
}
cleanup() {
	stop
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_port_file() {
	i=0
	until [ -s "$1" ]; do
		i=$((i + 1))
		kill -0 "$PID" 2>/dev/null || die "the server did not start"
		[ $i -lt 300 ] || die "no port file after 30 s"
		sleep 0.1
	done
}

# The data set, registered by the server running natively.
"$BIN" serve --database-url "sqlite:$T/registry.db" --listen 127.0.0.1:0 \
	--port-file "$T/port" --threads 1 --log-level warn >"$T/server.log" 2>&1 &
PID=$!
wait_port_file "$T/port"
mkdir -p "$T/data"
$PY bench/dataset.py register "http://127.0.0.1:$(cat "$T/port")" "$T/data" "$SCHEMAS"
stop

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
	rm -f "$T/port"
	valgrind --tool=callgrind --dump-instr=no --instr-atstart=no \
		--callgrind-out-file="$OUT/ours-$name.callgrind" \
		"$BIN" serve --database-url "sqlite:$T/registry.db" --listen 127.0.0.1:0 \
		--port-file "$T/port" --threads 1 --log-level warn >"$T/valgrind.log" 2>&1 &
	PID=$!
	wait_port_file "$T/port"
	callgrind_control -i on "$PID" >/dev/null
	out=$(wrk -t1 -c"$CONNS" -d"${DURATION}s" -s "$script" \
		"http://127.0.0.1:$(cat "$T/port")" -- "$@")
	callgrind_control -i off "$PID" >/dev/null
	stop
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
NGINX_PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$T/nginx"
cat >"$T/nginx/nginx.conf" <<EOF
worker_processes 1;
master_process off;
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
	sendfile off;
	open_file_cache max=4096 inactive=60s;
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
valgrind --tool=callgrind --dump-instr=no --instr-atstart=no \
	--callgrind-out-file="$OUT/nginx-read-ids.callgrind" \
	nginx -c "$T/nginx/nginx.conf" -p "$T/nginx" >"$T/valgrind-nginx.log" 2>&1 &
PID=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/"; do
	i=$((i + 1))
	[ $i -lt 300 ] || die "nginx did not start"
	sleep 0.1
done
callgrind_control -i on "$PID" >/dev/null
out=$(wrk -t1 -c"$CONNS" -d"${DURATION}s" -s bench/read.lua "http://127.0.0.1:$NGINX_PORT" -- \
	"$T/data/paths-ids.txt")
callgrind_control -i off "$PID" >/dev/null
stop
requests=$(printf '%s\n' "$out" | sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p')
report "nginx read-ids" "$OUT/nginx-read-ids.callgrind" "$requests"
echo
echo "profile: callgrind files in $OUT (callgrind_annotate --inclusive=yes FILE for call trees)"

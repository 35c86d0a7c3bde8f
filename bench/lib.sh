# Copyright (c) the LLM Schema Registry authors.
# SPDX-License-Identifier: Apache-2.0
#
# What the benchmark scripts share (bench/run.sh, bench/validation/run.sh,
# bench/profile.sh), sourced after the script has set NAME (the prefix of
# its messages) and changed to the repository's top directory:
#   - the settings common to the wrk benchmarks (environment, defaults below)
#   - die, need, build
#   - a temp dir $T, removed with every server still running on every exit
#   - our server and nginx started on free ports, waited for and stopped
#   - CPU time of processes, one measured wrk run, ABBA order
#   - the machine, versions and command line a results block names
#   - handing the results to a report script
# POSIX sh: the functions' own variables start with "_" so that they do not
# clobber the caller's.
# shellcheck shell=sh disable=SC2034 # the variables set here are the callers'

# ---- settings (environment) ---------------------------------------------------
B=${B:-build}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
WRK_THREADS=${WRK_THREADS:-1}
THREADS=${THREADS:-1}
SERVER_CPUS=${SERVER_CPUS-}
WRK_CPUS=${WRK_CPUS-}
UPDATE_DOC=${UPDATE_DOC:-1}
PY=/usr/bin/python3

# Prefixes that pin a command to a CPU list (empty: no pinning). Plain
# words, not a function, so that "$PIN_SERVER cmd &" leaves the server's
# own pid in $! (taskset execs the command).
pin_to() {
	[ -z "$1" ] || echo "taskset -c $1"
}
PIN_SERVER=$(pin_to "$SERVER_CPUS")
PIN_WRK=$(pin_to "$WRK_CPUS")

die() {
	echo "$NAME: $*" >&2
	exit 1
}

# need TOOL...: stop unless every tool is installed.
need() {
	for _tool in "$@"; do
		command -v "$_tool" >/dev/null 2>&1 || die "$_tool is missing: run sh scripts/install-deps.sh"
	done
}

# build: the server and libsr.a in $B; BIN is the server.
build() {
	make -s B="$B" build >/dev/null
	BIN="$PWD/$B/schema-registry"
}

# ---- temp dir, processes, cleanup on every exit path ---------------------------
SR_PID=""
NGINX_PID=""
# STOP_GRACE: seconds a process may take to stop after TERM before it gets
# INT, then as long again before KILL (empty: wait as long as it takes).
STOP_GRACE=${STOP_GRACE-}

# stop_pid PID: TERM it and wait for it.
stop_pid() {
	if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
		kill "$1" 2>/dev/null || true
		if [ -n "$STOP_GRACE" ]; then
			(sleep "$STOP_GRACE"; kill -s INT "$1"; sleep "$STOP_GRACE"; kill -s KILL "$1") 2>/dev/null &
			_dog=$!
			wait "$1" 2>/dev/null || true
			kill "$_dog" 2>/dev/null || true
		else
			wait "$1" 2>/dev/null || true
		fi
	fi
}

stop_server() {
	stop_pid "$SR_PID"
	SR_PID=""
}

stop_nginx() {
	stop_pid "$NGINX_PID"
	NGINX_PID=""
}

cleanup() {
	stop_server
	stop_nginx
	rm -rf "$T"
}

# make_temp PREFIX: T, a new directory /tmp/PREFIX.XXXXXX, removed (and
# the servers stopped) on every exit path.
make_temp() {
	T=$(mktemp -d "/tmp/$1.XXXXXX")
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

free_port() {
	$PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server LOG TRIES [WRAPPER...]: our server in the background (SR_PID;
# WRAPPER, e.g. taskset or valgrind, must exec it) on $T/registry.db with
# THREADS threads, listening on a free port; waits up to TRIES tenths of a
# second for it and sets SR_URL.
start_server() {
	_log=$1 _tries=$2
	shift 2
	rm -f "$T/port"
	"$@" "$BIN" serve --database-url "sqlite:$T/registry.db" \
		--listen 127.0.0.1:0 --port-file "$T/port" --threads "$THREADS" \
		--log-level warn >"$_log" 2>&1 &
	SR_PID=$!
	_i=0
	until [ -s "$T/port" ]; do
		_i=$((_i + 1))
		kill -0 "$SR_PID" 2>/dev/null || { cat "$_log" >&2; die "the server did not start"; }
		[ $_i -lt "$_tries" ] || die "the server wrote no port file"
		sleep 0.1
	done
	SR_URL="http://127.0.0.1:$(cat "$T/port")"
}

# wait_http PORT TRIES: until something answers on PORT, at most TRIES
# tenths of a second.
wait_http() {
	_i=0
	until curl -s -o /dev/null "http://127.0.0.1:$1/"; do
		_i=$((_i + 1))
		[ $_i -lt "$2" ] || die "nothing answers on port $1"
		sleep 0.1
	done
}

# start_nginx WORKERS MASTER LOG TRIES [WRAPPER...]: nginx in the background
# (NGINX_PID; with its workers NGINX_PIDS) serving $T/data/www, the bodies
# bench/dataset.py saved, with the Content-Type it saved, on a free port
# (NGINX_URL); WORKERS worker processes, master_process MASTER (on|off).
start_nginx() {
	_workers=$1 _master=$2 _log=$3 _tries=$4
	shift 4
	chmod 755 "$T" # nginx started by root runs its workers as nobody: they read $T/data/www
	_port=$(free_port)
	mkdir -p "$T/nginx"
	cat >"$T/nginx/nginx.conf" <<EOF
worker_processes $_workers;
master_process $_master;
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
		listen 127.0.0.1:$_port;
		root $T/data/www;
	}
}
EOF
	"$@" nginx -c "$T/nginx/nginx.conf" -p "$T/nginx" >"$_log" 2>&1 &
	NGINX_PID=$!
	wait_http "$_port" "$_tries"
	NGINX_URL="http://127.0.0.1:$_port"
	NGINX_PIDS="$NGINX_PID $(ps -o pid= --ppid "$NGINX_PID" | tr '\n' ' ')"
}

# ---- measuring -------------------------------------------------------------------
# cpu_ticks PID...: clock ticks of CPU time (user + system, all threads)
# the processes have used so far.
cpu_ticks() {
	for _p in "$@"; do
		awk '{ print $14 + $15 }' "/proc/$_p/stat" 2>/dev/null || echo 0
	done | awk '{ s += $1 } END { print s + 0 }'
}
TICKS=$(getconf CLK_TCK)

# wrk_run "PIDS" URL SCRIPT ARGS...: one wrk run of DURATION seconds
# (-tWRK_THREADS -cCONNS --latency, pinned by PIN_WRK) with the wrk script
# SCRIPT and its ARGS. Sets WRK_OUT (what wrk printed), WRK_LINE (the
# fields of the script's RESULT line), r_NAME for every NAME=number in it,
# WRK_ERRORS (socket errors + non-2xx answers), WRK_RPS (requests/s) and
# WRK_CPU (% of one core the processes PIDS used meanwhile).
wrk_run() {
	_pids=$1 _url=$2 _script=$3
	shift 3
	# shellcheck disable=SC2086
	_c0=$(cpu_ticks $_pids)
	WRK_OUT=$($PIN_WRK wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency \
		-s "$_script" "$_url" -- "$@" 2>&1) || die "wrk failed: $WRK_OUT"
	# shellcheck disable=SC2086
	_c1=$(cpu_ticks $_pids)
	WRK_LINE=$(printf '%s\n' "$WRK_OUT" | sed -n 's/^RESULT //p')
	[ -n "$WRK_LINE" ] || die "no result from wrk: $WRK_OUT"
	eval "$(printf '%s\n' "$WRK_LINE" | sed 's/\([a-z_0-9]*\)=\([0-9]*\)/r_\1=\2/g')"
	# shellcheck disable=SC2154
	WRK_ERRORS=$((r_err_connect + r_err_read + r_err_write + r_err_status + r_err_timeout))
	# shellcheck disable=SC2154
	WRK_RPS=$(awk -v n="$r_requests" -v d="$r_duration_us" 'BEGIN { printf "%.1f", n / (d / 1e6) }')
	WRK_CPU=$(awk -v c="$((_c1 - _c0))" -v t="$TICKS" -v d="$r_duration_us" \
		'BEGIN { printf "%.0f", 100 * c / t / (d / 1e6) }')
}

# wrk_warmup URL SCRIPT ARGS...: 2 s of the same load, not recorded.
wrk_warmup() {
	_url=$1 _script=$2
	shift 2
	$PIN_WRK wrk -t"$WRK_THREADS" -c"$CONNS" -d2s -s "$_script" "$_url" -- "$@" >/dev/null
}

# in_turn ROUND 'A' 'B': evaluates the commands A and B, A first in odd
# rounds and B first in even ones (ABBA order over the rounds).
in_turn() {
	if [ $(($1 % 2)) -eq 1 ]; then
		eval "$2"
		eval "$3"
	else
		eval "$3"
		eval "$2"
	fi
}

# ---- the run's facts ---------------------------------------------------------------
# describe_machine: DATE, NPROC, CPU_MODEL, KERNEL, COMMIT, WRK_VERSION,
# LOAD_START. BENCH_COMMIT names the commit when running outside a git work
# tree (an export: git archive HEAD | tar -x -C DIR).
describe_machine() {
	DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
	NPROC=$(nproc)
	CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
	KERNEL=$(uname -r)
	if [ -n "${BENCH_COMMIT:-}" ]; then
		COMMIT=$BENCH_COMMIT
	else
		COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
		_dirty=$(git status --porcelain -- src 2>/dev/null | head -1)
		[ -z "$_dirty" ] || COMMIT="$COMMIT + uncommitted changes in src/"
	fi
	WRK_VERSION=$(wrk -v 2>&1 | sed -n '1s/^wrk \([^ ]*\).*/\1/p')
	LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
}

# bench_command SCRIPT VAR...: COMMAND, the command line that reproduces
# this run: "make B=$B bench" under make, else "sh SCRIPT" (with B=$B when
# B is not the default), after VAR=value for each VAR set in the
# environment (quoted when the value needs it).
bench_command() {
	_script=$1
	shift
	if [ -n "${MAKELEVEL:-}" ]; then
		COMMAND="make B=$B bench"
		_pre=""
	else
		COMMAND="sh $_script"
		_pre=""
		[ "$B" = build ] || _pre="B=$B "
	fi
	for _v in "$@"; do
		if env | grep -q "^$_v="; then
			_val=$(eval "printf '%s' \"\$$_v\"")
			case $_val in *[!A-Za-z0-9_.,-]*) _val="\"$_val\"" ;; esac
			_pre="$_pre$_v=$_val "
		fi
	done
	COMMAND="$_pre$COMMAND"
}

# write_report SCRIPT RESULTS: the report script SCRIPT summarises RESULTS
# and, with UPDATE_DOC=1, rewrites its block of docs/benchmarks.md. The
# run's facts go to it as BENCH_* environment variables: the common ones
# here (LOAD_END is the caller's), the script's own exported by the caller.
# Call it in a subshell, so that they do not reach a later script.
write_report() {
	export BENCH_DATE="$DATE" BENCH_NPROC="$NPROC" BENCH_CPU="$CPU_MODEL" BENCH_KERNEL="$KERNEL" \
		BENCH_COMMIT="$COMMIT" BENCH_WRK="$WRK_VERSION" BENCH_COMMAND="$COMMAND" \
		BENCH_LOAD="$LOAD_START -> $LOAD_END" BENCH_ROUNDS="$ROUNDS" \
		BENCH_DURATION="$DURATION" BENCH_CONNS="$CONNS" BENCH_WRK_THREADS="$WRK_THREADS" \
		BENCH_THREADS="$THREADS" BENCH_SERVER_CPUS="${SERVER_CPUS:-any}" \
		BENCH_WRK_CPUS="${WRK_CPUS:-any}"
	if [ "$UPDATE_DOC" = 1 ]; then
		$PY "$1" "$2" docs/benchmarks.md
	else
		$PY "$1" "$2"
	fi
}

#!/bin/sh
# Smoke test of a running LLM Schema Registry: liveness, readiness, the
# main read and write paths (Avro and JSON Schema), compatibility,
# validation of a model output, and the metrics endpoint. Writes go to a
# subject of its own (smoke-test-<time>-<pid>), which it deletes
# permanently at the end, also when a step fails.
#
# usage: scripts/smoke-test.sh [--read-only] [URL]
#   URL          default $SCHEMA_REGISTRY_URL, else http://localhost:8081
#   --read-only  skip every write (for a registry in READONLY mode)
# environment:
#   SMOKE_CURL_OPTS  extra curl options, e.g. "--cacert ca.pem" or "-u user:pass"
#
# Exit status: 0 when every check passed, 1 otherwise. Needs curl only.
set -u

READ_ONLY=0
URL="${SCHEMA_REGISTRY_URL:-http://localhost:8081}"
for arg in "$@"; do
	case "$arg" in
	--read-only) READ_ONLY=1 ;;
	-h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "smoke-test: unknown option $arg" >&2; exit 2 ;;
	*) URL="$arg" ;;
	esac
done
URL="${URL%/}"
CT="Content-Type: application/vnd.schemaregistry.v1+json"
SUBJECT="smoke-test-$(date +%s)-$$"
FAILED=0
BODY=""
STATUS=""

# call METHOD PATH [DATA [CONTENT-TYPE]]: sets STATUS and BODY.
call() {
	out=$(curl -sS --max-time 10 ${SMOKE_CURL_OPTS:-} -X "$1" \
		-H "${4:-$CT}" ${3:+--data-binary "$3"} \
		-w '\n%{http_code}' "$URL$2" 2>&1)
	STATUS=$(printf '%s' "$out" | tail -n 1)
	BODY=$(printf '%s' "$out" | sed '$d')
}

pass() { echo "ok    $1"; }
fail() {
	echo "FAIL  $1 (HTTP $STATUS): $(printf '%s' "$BODY" | head -c 300)"
	FAILED=1
}

# expect NAME STATUS [PATTERN]: the last call answered STATUS and its body matches PATTERN.
expect() {
	if [ "$STATUS" = "$2" ] && { [ -z "${3:-}" ] || printf '%s' "$BODY" | grep -q -- "$3"; }; then
		pass "$1"
	else
		fail "$1"
	fi
}

field() { printf '%s' "$BODY" | sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" | head -n 1; }

cleanup() {
	[ "$READ_ONLY" = 1 ] && return
	for s in "$SUBJECT" "$SUBJECT-json"; do
		call DELETE "/subjects/$s" && call DELETE "/subjects/$s?permanent=true"
	done
}

echo "smoke test of $URL"
call GET /health
expect "GET /health" 200
call GET /ready
expect "GET /ready" 200
call GET /schemas/types
expect "GET /schemas/types lists AVRO and JSON" 200 '"AVRO".*"JSON"\|"JSON".*"AVRO"'
call GET /subjects
expect "GET /subjects" 200 '^\['
call GET /config
expect "GET /config" 200 compatibilityLevel
call GET /mode
expect "GET /mode" 200 '"mode"'

if [ "$READ_ONLY" = 0 ] && [ "$FAILED" = 0 ]; then
	trap cleanup EXIT
	avro='{"schema":"{\"type\":\"record\",\"name\":\"Smoke\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}"}'
	call POST "/subjects/$SUBJECT/versions" "$avro"
	expect "register an Avro schema" 200 '"id":'
	id=$(field id)
	call GET "/schemas/ids/${id:-0}"
	expect "GET /schemas/ids/$id" 200 Smoke
	call GET "/subjects/$SUBJECT/versions/latest"
	expect "GET the latest version" 200 '"version":1'
	call POST "/subjects/$SUBJECT/versions" "$avro"
	expect "re-register: same id" 200 "\"id\":$id[,}]"
	evolved='{"schema":"{\"type\":\"record\",\"name\":\"Smoke\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}]}"}'
	call POST "/compatibility/subjects/$SUBJECT/versions/latest" "$evolved"
	expect "compatible evolution accepted" 200 '"is_compatible":true'
	broken='{"schema":"{\"type\":\"record\",\"name\":\"Smoke\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}"}'
	call POST "/compatibility/subjects/$SUBJECT/versions/latest" "$broken"
	expect "incompatible change detected" 200 '"is_compatible":false'

	json='{"schemaType":"JSON","schema":"{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"}'
	call POST "/subjects/$SUBJECT-json/versions" "$json"
	expect "register a JSON schema" 200 '"id":'
	call POST "/subjects/$SUBJECT-json/versions/latest/validate" \
		'Here you go: ```json
{"city": "Oslo"}
```' "Content-Type: text/plain"
	expect "validate a model output (valid)" 200 '"valid":true'
	call POST "/subjects/$SUBJECT-json/versions/latest/validate" '{"town":"Oslo"}' \
		"Content-Type: application/json"
	expect "validate a document (invalid)" 200 '"valid":false'

	trap - EXIT
	cleanup
	call GET "/subjects/$SUBJECT/versions"
	expect "the smoke subjects are gone" 404 40401
fi

call GET /metrics "" "Accept: text/plain"
expect "GET /metrics has schema_registry_http_requests_total" 200 schema_registry_http_requests_total

if [ "$FAILED" = 0 ]; then
	echo "smoke test passed"
	exit 0
fi
echo "smoke test FAILED"
exit 1

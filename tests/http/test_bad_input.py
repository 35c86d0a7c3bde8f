"""Hostile and malformed input: every case is answered with the right status
and a JSON error body, the server stays up, and nothing stored is lost
(DESIGN §3: "Hitting one is a clean 4xx, never a crash or an abort").

One server for the module with small limits; after every case the test
checks /health and re-reads a schema registered at the start.
"""

import json
import socket
import threading
import time

import pytest
import requests

import helpers as h
from conftest import Server, fail_on

MAX_BODY = 4 * 1024 * 1024
CONN_TIMEOUT = 2
THREADS = 2


@pytest.fixture(scope="module")
def srv():
	s = Server("bad-input", env={
		"SCHEMA_REGISTRY_MAX_BODY_BYTES": str(MAX_BODY),
		"SCHEMA_REGISTRY_CONNECTION_TIMEOUT": str(CONN_TIMEOUT),
		"SCHEMA_REGISTRY_THREADS": str(THREADS),
	})
	problems = []
	try:
		s.start()
		yield s
	finally:
		problems = s.cleanup()
	fail_on(problems)


@pytest.fixture(scope="module")
def canary(srv):
	subj = h.subject("canary")
	schema = h.unique_schema(3)
	sid = h.register_ok(srv, subj, schema)
	return subj, schema, sid


def still_fine(srv, canary):
	"""The server is up and the canary is intact."""
	try:
		h.assert_healthy(srv)
	except requests.ConnectionError:
		# A pooled keep-alive connection the server closed after its 2 s idle
		# timeout, reused at that very moment: ask again on a new one (a
		# server that is down fails this second request too).
		srv.session.close()
		h.assert_healthy(srv)
	subj, schema, sid = canary
	b = h.ok(h.get_version(srv, subj, 1))
	assert b["id"] == sid and h.same_schema(b["schema"], schema)
	assert h.versions(srv, subj) == [1]


def reg_path(subj=None):
	return f"/subjects/{h.q(subj or h.subject())}/versions"


def post_bytes(srv, path, data, ct=h.V1):
	return srv.post(path, data=data, headers={"Content-Type": ct})


# ---- malformed JSON ---------------------------------------------------------------

@pytest.mark.parametrize("data", [
	b'{"schema": ',
	b'{schema: "x"}',
	b"not json",
	b'{"schema": "\\"int\\"",}',
	b"{'schema': '\"int\"'}",
	b'{"schema": "\\"int\\"" "x"}',
	b'{"schema": "unterminated}',
	b'{"schema": "\\u12"}',
	b'\x00\x01\x02',
], ids=["truncated", "unquoted-key", "bare-word", "trailing-comma", "single-quotes", "missing-colon-comma",
	"unterminated-string", "bad-escape", "binary"])
def test_malformed_json(srv, canary, data):
	# Jackson parse errors are container-level: HTTP 400 with error_code = the
	# status (API §2.4 last row).
	for path in (reg_path(), f"/subjects/{h.q(canary[0])}", f"/compatibility/subjects/{h.q(canary[0])}/versions"):
		h.assert_error(post_bytes(srv, path, data), 400, 400)
	h.assert_error(srv.put("/config", data=data, headers={"Content-Type": h.V1}), 400, 400)
	h.assert_error(srv.put("/mode", data=data, headers={"Content-Type": h.V1}), 400, 400)
	still_fine(srv, canary)


@pytest.mark.parametrize("data", [b"", b"[]", b'"schema"', b"null", b"42", b"{}"])
def test_body_not_a_request_object(srv, canary, data):
	subj = h.subject()
	h.assert_client_error(post_bytes(srv, reg_path(subj), data))
	h.assert_error(srv.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401)
	still_fine(srv, canary)


@pytest.mark.parametrize("value", [{"type": "string"}, 123, None, True, ["int"]])
def test_schema_not_a_string(srv, canary, value):
	subj = h.subject()
	# 42201 or a 400-class JSON error (Jackson mapping error in Confluent)
	h.assert_client_error(srv.post(reg_path(subj), json={"schema": value}))
	h.assert_error(srv.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401)
	still_fine(srv, canary)


@pytest.mark.parametrize("t", ["XML", "json-schema", "PROTOBUF3"])
def test_unknown_schema_type(srv, canary, t):
	h.assert_error(srv.post(reg_path(), json={"schema": h.unique_schema(), "schemaType": t}), 422, 42201)
	still_fine(srv, canary)


@pytest.mark.parametrize("value", [1, {"x": 1}, ["AVRO"]])
def test_schema_type_not_a_string(srv, canary, value):
	h.assert_client_error(srv.post(reg_path(), json={"schema": h.unique_schema(), "schemaType": value}))
	still_fine(srv, canary)


def test_references_of_wrong_shape(srv, canary):
	for refs in ("x", [1], [{"name": 1, "subject": "a", "version": 1}], {"a": 1}):
		h.assert_client_error(srv.post(reg_path(), json={"schema": h.unique_schema(), "references": refs}))
	still_fine(srv, canary)


# ---- invalid UTF-8 -------------------------------------------------------------------

@pytest.mark.parametrize("data", [
	b'{"schema": "\xff\xfe"}',
	b'{"schema": "{\\"type\\":\\"record\\",\\"name\\":\\"R\\",\\"doc\\":\\"\xc3\\",\\"fields\\":[]}"}',
	b'{"sch\xe9ma": "\\"int\\""}',
	b'{"schema": "\\"int\\"", "x": "\xed\xa0\x80"}',  # an encoded surrogate
	b'{"schema": "\\"int\\"", "x": "\xc0\xaf"}',  # overlong encoding of '/'
], ids=["in-schema-value", "in-schema-doc", "in-key", "surrogate", "overlong"])
def test_invalid_utf8_body(srv, canary, data):
	subj = h.subject()
	h.assert_client_error(post_bytes(srv, reg_path(subj), data))
	h.assert_error(srv.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401)
	still_fine(srv, canary)


def test_invalid_utf8_in_path(srv, canary):
	r = srv.post("/subjects/%FF%FEbad/versions", json={"schema": h.unique_schema()})
	h.assert_client_error(r)
	still_fine(srv, canary)


# ---- size limits ------------------------------------------------------------------------

def test_body_over_limit(srv, canary):
	body = b'{"schema": "' + b"x" * (MAX_BODY + 1024) + b'"}'
	head = (f"POST {reg_path()} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {h.V1}\r\n"
		f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
	resp = h.parse_raw_response(h.raw_exchange(srv.port, head + body, timeout=20))
	# DESIGN §3: 413 beyond the body limit (error_code 413, or Confluent's 42209)
	h.raw_assert_error(resp, 413, (413, 42209))
	still_fine(srv, canary)


def test_announced_body_over_limit(srv, canary):
	# Content-Length alone says too much: answer 413 without waiting for the body.
	head = (f"POST {reg_path()} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {h.V1}\r\n"
		f"Content-Length: 10000000000\r\n\r\n").encode()
	t0 = time.monotonic()
	resp = h.parse_raw_response(h.raw_exchange(srv.port, head + b'{"schema":', timeout=10))
	h.raw_assert_error(resp, 413, (413, 42209))
	assert time.monotonic() - t0 < 5
	still_fine(srv, canary)


def test_chunked_body_over_limit(srv, canary):
	chunk = b"x" * 65536
	parts = [b'{"schema": "']
	total = 0
	while total <= MAX_BODY:
		parts.append(chunk)
		total += len(chunk)
	parts.append(b'"}')
	body = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"
	head = (f"POST {reg_path()} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {h.V1}\r\n"
		f"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode()
	resp = h.parse_raw_response(h.raw_exchange(srv.port, head + body, timeout=20))
	h.raw_assert_error(resp, 413, (413, 42209))
	still_fine(srv, canary)


def test_chunked_body_under_limit_is_fine(srv, canary):
	subj = h.subject()
	data = h.compact({"schema": h.unique_schema()}).encode()
	body = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in (data[:10], data[10:])) + b"0\r\n\r\n"
	st, _, resp = h.raw_request(srv.port, "POST", reg_path(subj), body,
		headers={"Transfer-Encoding": "chunked", "Content-Type": h.V1, "Content-Length": None})
	assert st == 200, resp
	assert h.versions(srv, subj) == [1]
	still_fine(srv, canary)


def test_schema_over_schema_limit(make_server):
	s = make_server(env={"SCHEMA_REGISTRY_MAX_SCHEMA_BYTES": "2048"})
	small = h.unique_schema()
	subj = h.subject()
	h.register_ok(s, subj, small)
	big = h.record([h.field("a", "int")], doc="d" * 4096)
	# DESIGN §6 table: 422 / 42209 schema too large
	h.assert_error(h.register(s, h.subject(), big), 422, 42209)
	h.assert_error(s.post(f"/compatibility/subjects/{h.q(subj)}/versions", json={"schema": big}), 422, 42209)
	h.assert_healthy(s)
	assert h.versions(s, subj) == [1]


# ---- deep nesting ------------------------------------------------------------------------

DEPTH = 100_000


def test_deep_nesting_body(srv, canary):
	for data in (b"[" * DEPTH + b"]" * DEPTH, b'{"a":' * DEPTH + b"1" + b"}" * DEPTH):
		h.assert_client_error(post_bytes(srv, reg_path(), data))
	still_fine(srv, canary)


def test_deep_nesting_in_an_ignored_field(srv, canary):
	subj = h.subject()
	data = (b'{"schema": ' + json.dumps(h.unique_schema()).encode() + b', "extra": '
		+ b"[" * DEPTH + b"]" * DEPTH + b"}")
	h.assert_client_error(post_bytes(srv, reg_path(subj), data))
	h.assert_error(srv.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401)
	still_fine(srv, canary)


def test_deep_nesting_in_schema_string(srv, canary):
	avro = '{"type":"array","items":' * DEPTH + '"int"' + "}" * DEPTH
	unions = "[" * DEPTH + '"int"' + "]" * DEPTH
	for schema in (avro, unions):
		subj = h.subject()
		r = srv.post(reg_path(subj), json={"schema": schema})
		h.assert_error(r, 422, (42201, 42209))
		r = srv.post(f"/compatibility/subjects/{h.q(canary[0])}/versions/latest", json={"schema": schema})
		h.assert_error(r, 422, (42201, 42209))
		h.assert_error(srv.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401)
	still_fine(srv, canary)


def test_configured_json_depth(make_server):
	s = make_server(env={"SCHEMA_REGISTRY_MAX_JSON_DEPTH": "32"})
	shallow = '{"type":"array","items":' * 5 + '"int"' + "}" * 5
	deep = '{"type":"array","items":' * 100 + '"int"' + "}" * 100
	h.register_ok(s, h.subject(), shallow)
	h.assert_error(h.register(s, h.subject(), deep), 422, (42201, 42209))
	h.assert_client_error(s.post(reg_path(), data=b"[" * 100 + b"]" * 100, headers={"Content-Type": h.V1}))
	h.assert_healthy(s)


# ---- names, versions, routes, methods, content types --------------------------------------

def test_invalid_subject_names(srv, canary):
	for name in ("a\x01b", "x\x00y", "\x7f"):
		h.assert_error(srv.post(reg_path(name), json={"schema": h.unique_schema()}), 422, 42208)
	still_fine(srv, canary)


def test_invalid_versions(srv, canary):
	subj = canary[0]
	for v in ("0", "abc", "2147483648", "-5", "%20", "1e3"):
		h.assert_error(srv.get(f"/subjects/{h.q(subj)}/versions/{v}"), 422, 42202)
		h.assert_error(srv.delete(f"/subjects/{h.q(subj)}/versions/{v}"), 422, 42202)
	still_fine(srv, canary)


@pytest.mark.parametrize("method,path", [
	("DELETE", "/"),
	("PUT", "/subjects"),
	("POST", "/subjects"),
	("DELETE", "/schemas/types"),
	("POST", "/schemas/ids/1"),
	("PUT", "/schemas/ids/1/schema"),
	("PATCH", "/config"),
	("POST", "/config"),
	("POST", "/mode"),
	("PUT", "/subjects/x/versions"),
	("PUT", "/subjects/x/versions/1"),
	("POST", "/subjects/x/versions/1/referencedby"),
	("GET", "/compatibility/subjects/x/versions/1"),
	("GET", "/compatibility/subjects/x/versions"),
	("DELETE", "/v1/metadata/version"),
])
def test_wrong_method(srv, canary, method, path):
	r = srv.request(method, path, data=b"{}", headers={"Content-Type": h.V1})
	h.assert_error(r, 405, 405)
	still_fine(srv, canary)


@pytest.mark.parametrize("method,path", [
	("GET", "/nope"),
	("GET", "/subjectsx"),
	("GET", "/subjects/x/versions/1/nope"),
	("GET", "/subjects/x/nope"),
	("GET", "/schemas/ids"),
	("GET", "/schemas/ids/1/nope"),
	("GET", "/config/a/b"),
	("GET", "/v2/subjects"),
	("POST", "/nope"),
	("DELETE", "/nope/deeper/still"),
])
def test_unknown_route(srv, canary, method, path):
	r = srv.request(method, path, data=b"{}" if method == "POST" else None,
		headers={"Content-Type": h.V1} if method == "POST" else None)
	h.assert_error(r, 404, 404)
	still_fine(srv, canary)


@pytest.mark.parametrize("ct", ["text/plain", "application/xml", "image/png", "garbage"])
def test_unsupported_content_type(srv, canary, ct):
	h.assert_error(post_bytes(srv, reg_path(), h.compact({"schema": h.unique_schema()}).encode(), ct), 415, 415)
	still_fine(srv, canary)


def test_garbage_request_line(srv, canary):
	for raw in (b"HELLO\r\n\r\n", b"GET\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64):
		data = h.raw_exchange(srv.port, raw, timeout=5, shutdown_write=True)
		if data:  # answering at all is optional; answering with garbage is not
			st, _, _ = h.parse_raw_response(data)
			assert 400 <= st < 600
	still_fine(srv, canary)


# ---- slow and stalled clients ---------------------------------------------------------------

def _stalled_body_socket(port):
	s = socket.create_connection(("127.0.0.1", port), timeout=15)
	s.sendall((f"POST {reg_path()} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {h.V1}\r\n"
		"Content-Length: 1000\r\n\r\n").encode() + b'{"schema":')
	return s


def _stalled_header_socket(port):
	s = socket.create_connection(("127.0.0.1", port), timeout=15)
	s.sendall(b"GET /subjects HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
	return s


def _closed_by(s, deadline):
	"""Read until EOF/reset; True if the server closed the socket before `deadline`."""
	while True:
		left = deadline - time.monotonic()
		if left <= 0:
			return False
		s.settimeout(left)
		try:
			chunk = s.recv(65536)
		except socket.timeout:
			return False
		except (ConnectionResetError, BrokenPipeError):
			return True
		if not chunk:
			return True


def test_stalled_clients_are_timed_out_and_others_served(srv, canary):
	n = THREADS * 3
	t0 = time.monotonic()
	socks = [_stalled_body_socket(srv.port) for _ in range(n)] + \
		[_stalled_header_socket(srv.port) for _ in range(n)]
	try:
		# while they stall, other clients are served promptly
		for _ in range(3):
			t = time.monotonic()
			subj = h.subject()
			sid = h.register_ok(srv, subj, h.unique_schema())
			assert h.ok(srv.get(f"/schemas/ids/{sid}"))["schemaType"] == "AVRO"
			h.assert_healthy(srv)
			# and on a brand-new connection too
			r = requests.get(srv.url(f"/subjects/{h.q(subj)}/versions"), timeout=10)
			assert r.status_code == 200 and r.json() == [1]
			assert time.monotonic() - t < 2.0, "a normal request waited behind stalled clients"
			time.sleep(0.3)
		# and the stalled ones are closed within a few seconds of the timeout
		deadline = t0 + CONN_TIMEOUT + 6
		still_open = [i for i, s in enumerate(socks) if not _closed_by(s, deadline)]
		assert not still_open, f"{len(still_open)} stalled connections still open after {deadline - t0:.0f}s"
	finally:
		for s in socks:
			s.close()
	still_fine(srv, canary)


def test_many_idle_connections(srv, canary):
	# Connections that never send a byte hold no worker thread.
	socks = [socket.create_connection(("127.0.0.1", srv.port), timeout=10) for _ in range(32)]
	try:
		t = time.monotonic()
		still_fine(srv, canary)
		assert time.monotonic() - t < 2.0
	finally:
		for s in socks:
			s.close()


def test_slow_but_steady_client_is_served(srv, canary):
	# Bytes trickling in faster than the timeout keep the connection alive.
	subj = h.subject()
	body = h.compact({"schema": h.unique_schema()}).encode()
	head = (f"POST {reg_path(subj)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {h.V1}\r\n"
		f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
	s = socket.create_connection(("127.0.0.1", srv.port), timeout=15)
	try:
		s.sendall(head)
		pieces = [body[i:i + len(body) // 4 + 1] for i in range(0, len(body), len(body) // 4 + 1)]
		for p in pieces:
			time.sleep(CONN_TIMEOUT * 0.5)
			s.sendall(p)
		st, _, resp = h.parse_raw_response(h.read_response(s, 10))
	finally:
		s.close()
	assert st == 200, resp
	assert h.versions(srv, subj) == [1]
	still_fine(srv, canary)


def test_concurrent_bad_and_good_clients(srv, canary):
	errors = []
	bad_bodies = [b"{", b"[" * 5000, b'{"schema": 1}', b'{"schema": "\xff"}', b'{"schema":"{\\"type\\":\\"nope\\"}"}']

	def bad():
		sess = requests.Session()
		try:
			for i in range(40):
				r = sess.post(srv.url(reg_path()), data=bad_bodies[i % len(bad_bodies)],
					headers={"Content-Type": h.V1}, timeout=30)
				if not 400 <= r.status_code < 500:
					errors.append(f"bad request answered {r.status_code}")
		except Exception as e:  # report whatever went wrong
			errors.append(repr(e))
		finally:
			sess.close()

	def good():
		sess = requests.Session()
		try:
			for _ in range(20):
				body = h.compact({"schema": h.unique_schema()}).encode()
				r = sess.post(srv.url(reg_path()), data=body, headers={"Content-Type": h.V1}, timeout=30)
				if r.status_code != 200:
					errors.append(f"good request answered {r.status_code}: {r.content[:200]!r}")
		except Exception as e:
			errors.append(repr(e))
		finally:
			sess.close()

	threads = [threading.Thread(target=bad) for _ in range(3)] + [threading.Thread(target=good) for _ in range(2)]
	for t in threads:
		t.start()
	for t in threads:
		t.join(120)
	assert not any(t.is_alive() for t in threads), "clients still running after 120s"
	assert not errors, errors[:5]
	still_fine(srv, canary)

"""Small helpers shared by the black-box HTTP tests.

The contract these tests check is Confluent Schema Registry 8.1 wire
behaviour as written down in DESIGN.md §1, §3, §6 and in
research/confluent-api.md §2 (referred to below as "API §2.x").
"""

import json
import socket
import time
import urllib.parse
import uuid

V1 = "application/vnd.schemaregistry.v1+json"
ANY_SR = "application/vnd.schemaregistry+json"

_MISSING = object()


def uid():
	return uuid.uuid4().hex[:12]


def subject(prefix="s"):
	"""A subject name no other test uses."""
	return f"{prefix}-{uid()}"


def q(name):
	"""Percent-encode a subject name as one path segment (also '/' and '%')."""
	return urllib.parse.quote(name, safe="")


def compact(obj):
	return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def field(name, type_, default=_MISSING, **extra):
	f = {"name": name, "type": type_}
	if default is not _MISSING:
		f["default"] = default
	f.update(extra)
	return f


def record_obj(fields, name=None, namespace=None, **extra):
	r = {"type": "record", "name": f"R_{uid()}" if name is None else name}
	if namespace:
		r["namespace"] = namespace
	r["fields"] = list(fields)
	r.update(extra)
	return r


def record(fields, name=None, namespace=None, **extra):
	"""An Avro record schema as compact JSON text (the form Confluent stores)."""
	return compact(record_obj(fields, name, namespace, **extra))


def unique_schema(nfields=1):
	"""A valid Avro record schema no other test registers."""
	return record([field(f"f{i}", "int") for i in range(nfields)])


def body_json(resp):
	"""Decode a response body that must be JSON."""
	try:
		return json.loads(resp.content.decode("utf-8"))
	except (ValueError, UnicodeDecodeError) as e:
		raise AssertionError(
			f"{resp.request.method} {resp.request.url} -> {resp.status_code}: "
			f"body is not JSON: {resp.content[:300]!r}") from e


def assert_v1_content_type(resp):
	ct = resp.headers.get("Content-Type", "")
	assert ct.split(";")[0].strip().lower() == V1, (
		f"{resp.request.method} {resp.request.url}: Content-Type {ct!r}, want {V1}")


def ok(resp, status=200):
	"""Assert a successful response with the v1 content type; return its JSON."""
	assert resp.status_code == status, (
		f"{resp.request.method} {resp.request.url} -> {resp.status_code}, want {status}: "
		f"{resp.content[:500]!r}")
	assert_v1_content_type(resp)
	return body_json(resp)


def assert_error(resp, status, code=None, message=None, content_type=True):
	"""Assert a Confluent error body {"error_code": N, "message": "..."}.

	`code` may be one value or a tuple of accepted values; None accepts any
	integer. `message` is compared exactly when given.
	"""
	where = f"{resp.request.method} {resp.request.url}"
	if isinstance(status, tuple):
		assert resp.status_code in status, (
			f"{where} -> {resp.status_code}, want one of {status}: {resp.content[:500]!r}")
	else:
		assert resp.status_code == status, (
			f"{where} -> {resp.status_code}, want {status}: {resp.content[:500]!r}")
	if content_type:
		assert_v1_content_type(resp)
	body = body_json(resp)
	assert isinstance(body, dict), f"{where}: error body is not an object: {body!r}"
	assert isinstance(body.get("error_code"), int) and not isinstance(body.get("error_code"), bool), (
		f"{where}: error_code missing or not an integer: {body!r}")
	assert isinstance(body.get("message"), str), f"{where}: message missing: {body!r}"
	if code is not None:
		codes = code if isinstance(code, tuple) else (code,)
		assert body["error_code"] in codes, f"{where}: error_code {body['error_code']}, want {code}: {body!r}"
	if message is not None:
		assert body["message"] == message, f"{where}: message {body['message']!r}, want {message!r}"
	return body


def assert_client_error(resp):
	"""Any 4xx answered with a JSON error body (for inputs where Confluent's exact code is not fixed)."""
	assert 400 <= resp.status_code < 500, (
		f"{resp.request.method} {resp.request.url} -> {resp.status_code}, want 4xx: {resp.content[:300]!r}")
	return assert_error(resp, resp.status_code)


def assert_subset(expected, actual, path="$"):
	"""Every key/value in `expected` is in `actual` (recursively); lists element-wise."""
	if isinstance(expected, dict):
		assert isinstance(actual, dict), f"{path}: want object, got {actual!r}"
		for k, v in expected.items():
			assert k in actual, f"{path}: key {k!r} missing in {actual!r}"
			assert_subset(v, actual[k], f"{path}.{k}")
	elif isinstance(expected, list):
		assert isinstance(actual, list) and len(actual) == len(expected), (
			f"{path}: want {expected!r}, got {actual!r}")
		for i, (e, a) in enumerate(zip(expected, actual)):
			assert_subset(e, a, f"{path}[{i}]")
	else:
		assert expected == actual, f"{path}: want {expected!r}, got {actual!r}"


def same_schema(a, b):
	"""Two schema texts denote the same JSON (whitespace-insensitive)."""
	return json.loads(a) == json.loads(b)


# ---- domain shortcuts -------------------------------------------------------

def register(srv, subj, schema, params=None, **fields):
	"""POST /subjects/{subj}/versions; returns the response."""
	body = {"schema": schema}
	body.update(fields)
	return srv.post(f"/subjects/{q(subj)}/versions", json=body, params=params)


def register_ok(srv, subj, schema, params=None, **fields):
	"""Register and return the id (asserting a 200 with an integer id)."""
	r = register(srv, subj, schema, params=params, **fields)
	b = ok(r)
	assert isinstance(b.get("id"), int) and b["id"] > 0, f"register response without id: {b!r}"
	return b["id"]


def versions(srv, subj, **params):
	return ok(srv.get(f"/subjects/{q(subj)}/versions", params=params or None))


def get_version(srv, subj, v, **params):
	return srv.get(f"/subjects/{q(subj)}/versions/{v}", params=params or None)


def set_subject_config(srv, subj, level):
	b = ok(srv.put(f"/config/{q(subj)}", json={"compatibility": level}))
	assert b.get("compatibility") == level, b
	return b


def delete_version(srv, subj, v, permanent=False):
	params = {"permanent": "true"} if permanent else None
	return srv.delete(f"/subjects/{q(subj)}/versions/{v}", params=params)


def delete_subject(srv, subj, permanent=False):
	params = {"permanent": "true"} if permanent else None
	return srv.delete(f"/subjects/{q(subj)}", params=params)


def assert_healthy(srv):
	r = srv.get("/health")
	assert r.status_code == 200, f"/health -> {r.status_code}: {r.content[:200]!r}"


# ---- raw sockets ------------------------------------------------------------

def raw_exchange(port, data, timeout=10.0, shutdown_write=False):
	"""Send raw bytes, read until the server closes or `timeout`; return the bytes read.

	Tolerates the server answering (and closing) before it has read all of
	`data`.
	"""
	s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
	try:
		try:
			s.sendall(data)
			if shutdown_write:
				s.shutdown(socket.SHUT_WR)
		except OSError:
			# the server answered (and maybe closed) before reading it all,
			# or stopped reading: what it said is still in our receive buffer
			pass
		return read_response(s, timeout)
	finally:
		s.close()


def read_response(s, timeout):
	"""Read one HTTP response (head + Content-Length body) or until EOF."""
	deadline = time.monotonic() + timeout
	buf = b""
	while True:
		head_end = buf.find(b"\r\n\r\n")
		if head_end >= 0:
			head = buf[:head_end].decode("latin-1")
			length = None
			for line in head.split("\r\n")[1:]:
				k, _, v = line.partition(":")
				if k.strip().lower() == "content-length":
					length = int(v.strip())
			if length is not None and len(buf) >= head_end + 4 + length:
				return buf[:head_end + 4 + length]
		left = deadline - time.monotonic()
		if left <= 0:
			return buf
		s.settimeout(left)
		try:
			chunk = s.recv(65536)
		except (socket.timeout, ConnectionResetError):
			return buf
		if not chunk:
			return buf
		buf += chunk


def parse_raw_response(data):
	"""(status, headers dict lower-cased, body bytes) of a raw HTTP response."""
	assert data, "no response from the server"
	head, _, body = data.partition(b"\r\n\r\n")
	lines = head.decode("latin-1").split("\r\n")
	parts = lines[0].split(" ", 2)
	assert parts[0].startswith("HTTP/1."), f"not an HTTP response: {data[:200]!r}"
	headers = {}
	for line in lines[1:]:
		k, _, v = line.partition(":")
		headers[k.strip().lower()] = v.strip()
	return int(parts[1]), headers, body


def raw_request(port, method, path, body=b"", headers=None, timeout=10.0):
	"""One request over a fresh raw socket with exact bytes; returns (status, headers, body).

	A header given as None is left out.
	"""
	h = {"Host": f"127.0.0.1:{port}", "Connection": "close"}
	if body or method in ("POST", "PUT"):
		h["Content-Length"] = str(len(body))
	h.update(headers or {})
	head = f"{method} {path} HTTP/1.1\r\n" + "".join(
		f"{k}: {v}\r\n" for k, v in h.items() if v is not None) + "\r\n"
	return parse_raw_response(raw_exchange(port, head.encode("latin-1") + body, timeout))


def raw_assert_error(resp, status, code=None):
	"""assert_error for a raw_request() result; returns the decoded body."""
	st, headers, body = resp
	assert st == status, f"status {st}, want {status}: {body[:300]!r}"
	ct = headers.get("content-type", "")
	assert ct.split(";")[0].strip().lower() == V1, f"Content-Type {ct!r}, want {V1}"
	try:
		b = json.loads(body.decode("utf-8"))
	except (ValueError, UnicodeDecodeError) as e:
		raise AssertionError(f"error body is not JSON: {body[:300]!r}") from e
	assert isinstance(b, dict) and isinstance(b.get("error_code"), int) and isinstance(b.get("message"), str), b
	if code is not None:
		codes = code if isinstance(code, tuple) else (code,)
		assert b["error_code"] in codes, f"error_code {b['error_code']}, want {code}: {b!r}"
	return b


def evolution(n, name=None):
	"""`n` schemas of one record, each adding an optional field: every step is
	compatible under every level (the new field has a default)."""
	name = name or f"E_{uid()}"
	out = []
	fields = [field("a", "int")]
	for i in range(n):
		out.append(record(fields, name=name))
		fields = fields + [field(f"o{i}", "string", default="")]
	return out

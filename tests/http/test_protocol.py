"""HTTP/1.1 details real clients rely on: keep-alive, pipelining, HTTP/1.0,
Expect: 100-continue (curl sends it for bodies over 1 KiB)."""

import json
import socket

import helpers as h


def _read_one(s, buf=b""):
	"""Read exactly one Content-Length-framed response from `s`; return (response, rest)."""
	while b"\r\n\r\n" not in buf:
		chunk = s.recv(65536)
		assert chunk, f"connection closed mid-response: {buf!r}"
		buf += chunk
	head, _, rest = buf.partition(b"\r\n\r\n")
	length = 0
	for line in head.decode("latin-1").split("\r\n")[1:]:
		k, _, v = line.partition(":")
		if k.strip().lower() == "content-length":
			length = int(v.strip())
	while len(rest) < length:
		chunk = s.recv(65536)
		assert chunk, "connection closed mid-body"
		rest += chunk
	return h.parse_raw_response(head + b"\r\n\r\n" + rest[:length]), rest[length:]


def test_keep_alive_and_pipelining(server):
	subj = h.subject()
	sid = h.register_ok(server, subj, h.unique_schema())
	paths = ["/subjects/%s/versions" % h.q(subj), "/schemas/ids/%d" % sid, "/nope", "/"]
	req = b"".join(f"GET {p} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode() for p in paths)
	s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
	try:
		s.sendall(req)
		rest = b""
		got = []
		for _ in paths:
			(st, headers, body), rest = _read_one(s, rest)
			got.append((st, json.loads(body)))
	finally:
		s.close()
	assert got[0] == (200, [1])
	assert got[1][0] == 200 and got[1][1]["schemaType"] == "AVRO"
	assert got[2][0] == 404 and got[2][1]["error_code"] == 404
	assert got[3] == (200, {})


def test_http_1_0(server):
	s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
	try:
		s.sendall(b"GET /schemas/types HTTP/1.0\r\n\r\n")
		data = h.read_response(s, 10)
	finally:
		s.close()
	st, headers, body = h.parse_raw_response(data)
	assert st == 200
	assert "AVRO" in json.loads(body)


def test_expect_100_continue(server):
	subj = h.subject()
	body = h.compact({"schema": h.record([h.field("a", "int")], doc="x" * 2048)}).encode()
	head = (f"POST /subjects/{h.q(subj)}/versions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {h.V1}\r\n"
		f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n").encode()
	s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
	try:
		s.sendall(head)
		interim = b""
		while b"\r\n\r\n" not in interim:
			chunk = s.recv(4096)
			assert chunk, "closed before 100 Continue"
			interim += chunk
		assert interim.startswith(b"HTTP/1.1 100"), interim
		_, _, rest = interim.partition(b"\r\n\r\n")
		s.sendall(body)
		(st, _, resp), _ = _read_one(s, rest)
	finally:
		s.close()
	assert st == 200, resp
	assert h.versions(server, subj) == [1]

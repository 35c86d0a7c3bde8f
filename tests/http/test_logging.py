"""Logs: one JSON object per line on stderr, filtered by SCHEMA_REGISTRY_LOG_LEVEL."""

import json

import helpers as h


def log_records(srv):
	with open(srv.log_path, encoding="utf-8") as f:
		lines = f.read().splitlines()
	records = []
	for line in lines:
		if line.startswith("---- start #"):  # the test harness's own marker
			continue
		try:
			rec = json.loads(line)
		except ValueError as e:
			raise AssertionError(f"log line is not JSON: {line!r}") from e
		assert isinstance(rec, dict), line
		assert isinstance(rec.get("level"), str), f"log line without level: {line!r}"
		records.append(rec)
	return records


def _traffic(srv):
	subj = h.subject()
	h.register_ok(srv, subj, h.unique_schema())
	h.assert_error(srv.get("/nope"), 404, 404)
	h.assert_error(srv.post("/subjects/x/versions", data=b"{", headers={"Content-Type": h.V1}), 400, 400)
	h.assert_error(h.register(srv, "bad\x01name", h.unique_schema()), 422, 42208)


def test_log_lines_are_json(make_server):
	srv = make_server(env={"SCHEMA_REGISTRY_LOG_LEVEL": "debug"})
	_traffic(srv)
	assert srv.stop() == 0
	records = log_records(srv)
	assert records, "the server logged nothing"


def test_log_level_error_hides_info(make_server):
	srv = make_server(env={"SCHEMA_REGISTRY_LOG_LEVEL": "error"})
	_traffic(srv)
	assert srv.stop() == 0
	for rec in log_records(srv):
		assert rec["level"].upper() not in ("DEBUG", "INFO"), rec

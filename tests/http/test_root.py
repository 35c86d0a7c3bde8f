"""GET|POST /, /v1/metadata/*, /health, /ready (API §2.2; DESIGN §10)."""

import os
import time

import helpers as h
from conftest import REPO


def test_get_root_is_empty_object(server):
	assert h.ok(server.get("/")) == {}


def test_post_root_accepts_any_map(server):
	assert h.ok(server.post("/", json={})) == {}
	assert h.ok(server.post("/", json={"a": 1, "b": {"c": [1, 2]}})) == {}


def test_metadata_id(server):
	b = h.ok(server.get("/v1/metadata/id"))
	# API §2.2: {"scope": ..., "id": ...}
	assert isinstance(b, dict)
	assert "id" in b and "scope" in b, b


def test_metadata_version(server):
	b = h.ok(server.get("/v1/metadata/version"))
	assert isinstance(b, dict)
	assert "version" in b and "commitId" in b, b
	with open(os.path.join(REPO, "VERSION")) as f:
		assert b["version"] == f.read().strip()


def test_health(server):
	r = server.get("/health")
	assert r.status_code == 200


def test_ready_when_loaded(server):
	r = server.get("/ready")
	assert r.status_code == 200


def test_ready_right_after_start_of_a_loaded_store(make_server):
	srv = make_server()
	subj = h.subject()
	h.register_ok(srv, subj, h.unique_schema())
	srv.restart()
	# /health is liveness only; /ready turns 200 once the store is loaded
	# (DESIGN §10). A tiny store loads at once, so allow a few seconds.
	deadline = time.monotonic() + 10
	while True:
		r = srv.get("/ready")
		if r.status_code == 200 or time.monotonic() > deadline:
			break
		time.sleep(0.05)
	assert r.status_code == 200
	assert h.versions(srv, subj) == [1]

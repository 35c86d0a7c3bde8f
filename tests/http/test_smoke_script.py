"""scripts/smoke-test.sh, which the deployment runbook runs after a deploy
and after a rollback, against the real server."""

import os
import subprocess

import helpers as h
from conftest import REPO

SCRIPT = os.path.join(REPO, "scripts", "smoke-test.sh")


def run(*args, env=None):
	e = {k: v for k, v in os.environ.items() if k != "SCHEMA_REGISTRY_URL"}
	e.update(env or {})
	return subprocess.run(["sh", SCRIPT, *args], capture_output=True, text=True, timeout=120, env=e)


def test_passes_against_a_healthy_server_and_leaves_nothing_behind(fresh_server):
	p = run(fresh_server.url(""))
	assert p.returncode == 0, p.stdout + p.stderr
	assert "FAIL" not in p.stdout
	assert p.stdout.count("\nok ") >= 15, p.stdout
	assert h.ok(fresh_server.get("/subjects?deleted=true")) == []


def test_url_from_the_environment(fresh_server):
	p = run(env={"SCHEMA_REGISTRY_URL": fresh_server.url("/")})
	assert p.returncode == 0, p.stdout + p.stderr


def test_read_only_mode(fresh_server):
	h.ok(fresh_server.put("/mode", json={"mode": "READONLY"}))
	p = run("--read-only", fresh_server.url(""))
	assert p.returncode == 0, p.stdout + p.stderr
	assert "register" not in p.stdout
	# Without --read-only the writes are refused and the script says so.
	p = run(fresh_server.url(""))
	assert p.returncode == 1
	assert "FAIL  register an Avro schema" in p.stdout


def test_fails_when_nothing_listens(make_server):
	srv = make_server()
	url = srv.url("")
	assert srv.stop() == 0
	p = run(url)
	assert p.returncode == 1
	assert "FAIL  GET /health" in p.stdout and "smoke test FAILED" in p.stdout

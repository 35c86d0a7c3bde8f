"""The command line: `version`, `migrate` (the harness contract)."""

import os
import subprocess
import tempfile

import helpers as h
from conftest import REPO, clean_env, sr_bin


def run(args, env, timeout=60):
	return subprocess.run([sr_bin()] + args, env=clean_env(env), stdin=subprocess.DEVNULL,
		capture_output=True, timeout=timeout)


def test_version_prints_the_version():
	with open(os.path.join(REPO, "VERSION")) as f:
		version = f.read().strip()
	p = run(["version"], {})
	assert p.returncode == 0, p.stderr
	assert version in p.stdout.decode(), p.stdout


def test_migrate_is_idempotent_and_serve_uses_the_result(make_server):
	with tempfile.TemporaryDirectory(prefix="sr-http-migrate-") as d:
		url = f"sqlite:{os.path.join(d, 'registry.db')}"
		for _ in range(2):
			p = run(["migrate"], {"DATABASE_URL": url})
			assert p.returncode == 0, p.stderr.decode(errors="replace")
		assert os.path.exists(os.path.join(d, "registry.db"))
		srv = make_server(db_url=url)
		subj = h.subject()
		sid = h.register_ok(srv, subj, h.unique_schema())
		rc = srv.stop()
		assert rc == 0
		# migrating again a database that holds data loses nothing
		p = run(["migrate"], {"DATABASE_URL": url})
		assert p.returncode == 0, p.stderr.decode(errors="replace")
		srv.start()
		assert h.ok(h.get_version(srv, subj, 1))["id"] == sid
		assert srv.stop() == 0


def test_one_server_per_sqlite_database(make_server, tmp_path):
	# The registry serves from memory and is the only writer of its SQLite
	# file: a second server, or a migrate beside the running one, is refused
	# with the reason instead of diverging silently.
	srv = make_server(db_url=f"sqlite:{tmp_path}/registry.db")
	sid = h.register_ok(srv, h.subject(), h.unique_schema())
	for args in (["serve"], ["migrate"]):
		env = {"DATABASE_URL": srv.db_url, "SCHEMA_REGISTRY_LISTEN": "127.0.0.1:0"}
		p = run(args, env)
		assert p.returncode != 0
		assert b"in use by another process" in p.stderr, p.stderr
	h.ok(srv.get(f"/schemas/ids/{sid}"))
	h.register_ok(srv, h.subject(), h.unique_schema())


def test_a_port_in_use_is_refused_with_the_reason(fresh_server):
	env = {"DATABASE_URL": "mem:", "SCHEMA_REGISTRY_LISTEN": f"127.0.0.1:{fresh_server.port}"}
	p = run(["serve"], env)
	assert p.returncode != 0
	assert b"Address already in use" in p.stderr, p.stderr
	assert fresh_server.get("/health").status_code == 200


def test_listen_on_ipv6_in_brackets(make_server):
	srv = make_server(env={"SCHEMA_REGISTRY_LISTEN": "[::1]:0"}, start=False)
	try:
		srv.start()
	except RuntimeError as e:
		if "Cannot assign requested address" in str(e) or "not available" in str(e):
			import pytest
			pytest.skip("no IPv6 loopback on this machine")
		raise
	assert srv.url("/health").startswith("http://[::1]:")
	assert srv.get("/health").status_code == 200


def test_the_logged_configuration_masks_database_passwords():
	url = "postgres://registry:s3cret@127.0.0.1:1/db?sslmode=disable&password=alsosecret"
	p = run(["serve"], {"DATABASE_URL": url, "SCHEMA_REGISTRY_LISTEN": "127.0.0.1:0"})
	log = p.stderr.decode(errors="replace")
	assert "effective configuration" in log
	assert "s3cret" not in log and "alsosecret" not in log, log
	assert "postgres://registry:****@127.0.0.1:1/db?sslmode=disable&password=****" in log

"""PostgreSQL as the store (DATABASE_URL=postgres://...): what differs from
SQLite. The whole suite also runs on PostgreSQL (SR_TEST_HTTP_STORE=postgres,
`make http-postgres`); these cases cover the server itself going away."""

import os
import subprocess

import pytest

import helpers as h
from conftest import REPO, drop_postgres_database, postgres_database, psql


@pytest.fixture
def pg(make_server):
	name, url = postgres_database()
	try:
		yield name, url
	finally:
		for srv in make_server.servers:
			srv.kill()
		drop_postgres_database(name)


def test_registry_on_postgres_survives_a_restart(make_server, pg):
	_, url = pg
	srv = make_server(db_url=url)
	subj = h.subject()
	sid = h.register_ok(srv, subj, h.unique_schema())
	srv.restart()
	assert h.ok(h.get_version(srv, subj, 1))["id"] == sid
	assert "postgres" in srv.log_tail(200)


def test_a_second_server_on_the_same_database_is_refused(make_server, pg):
	_, url = pg
	srv = make_server(db_url=url)
	second = make_server(db_url=url, start=False)
	with pytest.raises(RuntimeError) as e:
		second.start()
	assert "in use by another process" in str(e.value)
	assert srv.get("/ready").status_code == 200


def test_database_unavailable_reads_continue_writes_fail_fast_then_recover(make_server, pg):
	name, url = pg
	srv = make_server(db_url=url)
	subj = h.subject()
	sid = h.register_ok(srv, subj, h.unique_schema())
	psql(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
	psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
	try:
		# Reads are served from memory.
		assert h.ok(srv.get(f"/schemas/ids/{sid}"))["schema"]
		# Readiness and writes report the store, in JSON, quickly.
		r = srv.get("/ready")
		assert r.status_code == 503 and r.json()["error_code"] == 503, r.text
		r = h.register(srv, h.subject(), h.unique_schema())
		assert r.status_code == 500 and r.json()["error_code"] == 50001, r.text
		assert "postgres" in r.json()["message"]
		assert r.elapsed.total_seconds() < 10
	finally:
		psql(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
	# Back: the next calls reconnect.
	assert srv.get("/ready").status_code == 200
	h.register_ok(srv, h.subject(), h.unique_schema())
	srv.restart()
	assert h.ok(h.get_version(srv, subj, 1))["id"] == sid


def test_migrate_then_serve(make_server, pg):
	_, url = pg
	env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMA_REGISTRY_")}
	env["DATABASE_URL"] = url
	from conftest import sr_bin
	for _ in range(2):
		p = subprocess.run([sr_bin(), "migrate"], env=env, capture_output=True, timeout=60)
		assert p.returncode == 0, p.stderr
	srv = make_server(db_url=url)
	h.register_ok(srv, h.subject(), h.unique_schema())


def test_smoke_script_on_postgres(make_server, pg):
	_, url = pg
	srv = make_server(db_url=url)
	p = subprocess.run(["sh", os.path.join(REPO, "scripts", "smoke-test.sh"), srv.url("")],
		capture_output=True, text=True, timeout=120)
	assert p.returncode == 0, p.stdout + p.stderr

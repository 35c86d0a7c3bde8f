"""PostgreSQL as the store (DATABASE_URL=postgres://...): what differs from
SQLite — several replicas serving one database, and the database going
away. The whole suite also runs on PostgreSQL (SR_TEST_HTTP_STORE=postgres,
`make http-postgres`)."""

import os
import socket
import subprocess
import threading
import time
import urllib.parse

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


def eventually(check, timeout=5.0):
	"""Replicas converge within about a second; allow for a busy machine."""
	deadline = time.monotonic() + timeout
	while True:
		try:
			check()
			return
		except AssertionError:
			if time.monotonic() > deadline:
				raise
		time.sleep(0.05)


def test_replicas_see_each_others_writes(make_server, pg):
	_, url = pg
	a, b = make_server(db_url=url), make_server(db_url=url)
	subj = h.subject()
	sid = h.register_ok(a, subj, h.unique_schema())
	eventually(lambda: h.ok(h.get_version(b, subj, 1))["id"] == sid or None)
	eventually(lambda: h.ok(b.get(f"/schemas/ids/{sid}")))
	h.ok(b.put(f"/config/{h.q(subj)}", json={"compatibility": "NONE"}))
	eventually(lambda: assert_eq(a.get(f"/config/{h.q(subj)}").json().get("compatibilityLevel"), "NONE"))
	h.ok(b.put("/mode", json={"mode": "READONLY"}))
	eventually(lambda: assert_eq(h.ok(a.get("/mode"))["mode"], "READONLY"))
	h.ok(a.put("/mode", json={"mode": "READWRITE"}))
	h.ok(b.delete(f"/subjects/{h.q(subj)}"))
	h.ok(b.delete(f"/subjects/{h.q(subj)}?permanent=true"))
	eventually(lambda: assert_eq(a.get(f"/subjects/{h.q(subj)}/versions").status_code, 404))
	eventually(lambda: assert_eq(a.get(f"/schemas/ids/{sid}").status_code, 404))


def assert_eq(a, b):
	assert a == b, (a, b)


def test_writes_through_both_replicas_stay_consistent(make_server, pg):
	"""Registrations through two replicas at once: ids unique, versions
	dense, one identity per schema, and both replicas agree afterwards."""
	_, url = pg
	a, b = make_server(db_url=url), make_server(db_url=url)
	shared = h.subject("shared")
	h.ok(a.put(f"/config/{h.q(shared)}", json={"compatibility": "NONE"}))
	common = h.unique_schema()
	results, errors = [], []

	def work(srv, n):
		try:
			for i in range(n):
				results.append(("own", h.register_ok(srv, h.subject(), h.unique_schema())))
				results.append(("shared", h.register_ok(srv, shared, h.unique_schema())))
				results.append(("common", h.register_ok(srv, h.subject(), common)))
		except Exception as e:  # noqa: BLE001 - reported below
			errors.append(e)

	threads = [threading.Thread(target=work, args=(srv, 15)) for srv in (a, b, a, b)]
	for t in threads:
		t.start()
	for t in threads:
		t.join(120)
	assert not errors, errors[:3]
	own = [i for k, i in results if k in ("own", "shared")]
	assert len(set(own)) == len(own), "two schemas got the same id"
	assert len({i for k, i in results if k == "common"}) == 1, "one schema got two ids"
	assert h.versions(a, shared) == list(range(1, 61))

	def same():
		assert_eq(h.ok(a.get("/schemas?deleted=true")), h.ok(b.get("/schemas?deleted=true")))
		assert_eq(h.ok(a.get("/subjects?deleted=true")), h.ok(b.get("/subjects?deleted=true")))
		assert_eq(h.versions(b, shared), list(range(1, 61)))
	eventually(same)


def test_a_replica_started_later_loads_everything(make_server, pg):
	_, url = pg
	a = make_server(db_url=url)
	subj = h.subject()
	sid = h.register_ok(a, subj, h.unique_schema())
	b = make_server(db_url=url)
	assert h.ok(h.get_version(b, subj, 1))["id"] == sid
	# and B's next write continues after A's ids
	assert h.register_ok(b, h.subject(), h.unique_schema()) > sid


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
	# Back: the next calls reconnect (a connection retries at most once a
	# second, so within about a second).
	eventually(lambda: assert_eq(srv.get("/ready").status_code, 200))
	eventually(lambda: assert_eq(h.register(srv, h.subject(), h.unique_schema()).status_code, 200))
	srv.restart()
	assert h.ok(h.get_version(srv, subj, 1))["id"] == sid



class SilentProxy:
	"""Forwards to PostgreSQL until silence(): then it drops every session and
	accepts new ones without ever answering, like a host that went away."""

	def __init__(self, url):
		u = urllib.parse.urlsplit(url)
		self.target = (u.hostname, u.port)
		self.lsock = socket.socket()
		self.lsock.bind(("127.0.0.1", 0))
		self.lsock.listen(64)
		self.url = url.replace(f":{u.port}/", f":{self.lsock.getsockname()[1]}/")
		self.silent = False
		self.socks = []
		threading.Thread(target=self.accept, daemon=True).start()

	def accept(self):
		while True:
			try:
				c, _ = self.lsock.accept()
			except OSError:
				return
			self.socks.append(c)
			if self.silent:
				continue
			u = socket.create_connection(self.target)
			self.socks.append(u)
			for a, b in ((c, u), (u, c)):
				threading.Thread(target=self.pump, args=(a, b), daemon=True).start()

	def pump(self, a, b):
		try:
			while True:
				data = a.recv(65536)
				if not data:
					break
				b.sendall(data)
		except OSError:
			pass
		self.close(a, b)

	@staticmethod
	def close(*socks):
		for s in socks:
			try:
				s.shutdown(socket.SHUT_RDWR)
			except OSError:
				pass

	def silence(self):
		self.silent = True
		self.close(*self.socks)


def test_a_silent_database_fails_a_write_within_one_connect_timeout(make_server, pg):
	"""A connection found broken (here by the follower) is reconnected once:
	a write waits one connect timeout (5 s), not two."""
	_, url = pg
	proxy = SilentProxy(url)
	srv = make_server(db_url=proxy.url)
	h.register_ok(srv, h.subject(), h.unique_schema())
	proxy.silence()
	time.sleep(1.5)  # the follower's tail finds the writer's connection broken
	r = h.register(srv, h.subject(), h.unique_schema())
	assert r.status_code == 500 and r.json()["error_code"] == 50001, r.text
	assert r.elapsed.total_seconds() < 8
	proxy.lsock.close()

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

"""`schema-registry backup` and `restore`: a logical dump taken beside a
running server, restored into an empty store of either backend, serves the
same answers."""

import json
import os
import subprocess

import pytest

import helpers as h
from conftest import clean_env, drop_postgres_database, postgres_database, sr_bin


def run(args, db_url, **kw):
	env = clean_env({"DATABASE_URL": db_url})
	return subprocess.run([sr_bin()] + args, env=env, capture_output=True, timeout=120, **kw)


def populate(srv):
	"""A registry with something of everything a dump must carry."""
	base, user = h.subject("base"), h.subject("user")
	h.register_ok(srv, base, h.record([h.field("a", "string")], name="Base"))
	h.register_ok(srv, base, h.record([h.field("a", "string"), h.field("b", "int", 0)], name="Base"))
	h.register_ok(srv, user, h.record([h.field("ref", "Base")], name="User"),
		references=[{"name": "Base", "subject": base, "version": 1}],
		metadata={"properties": {"owner": "team-a"}},
		ruleSet={"domainRules": [{"name": "r", "kind": "CONDITION", "type": "CEL", "expr": "true"}]})
	js = h.subject("json")
	h.register_ok(srv, js, json.dumps({"type": "object", "properties": {"x": {"type": "integer"}}}),
		schemaType="JSON")
	gone = h.subject("gone")
	h.register_ok(srv, gone, h.unique_schema())
	h.ok(srv.delete(f"/subjects/{h.q(gone)}"))                     # soft-deleted
	h.ok(srv.put(f"/config/{h.q(js)}", json={"compatibility": "FULL"}))
	h.ok(srv.put("/config", json={"compatibility": "FORWARD"}))
	h.ok(srv.put(f"/mode/{h.q(gone)}", json={"mode": "READONLY"}))


def snapshot(srv):
	"""Everything the API shows of the registry."""
	out = {"subjects": h.ok(srv.get("/subjects?deleted=true")),
		"schemas": h.ok(srv.get("/schemas?deleted=true")),
		"config": h.ok(srv.get("/config")), "mode": h.ok(srv.get("/mode"))}
	for s in out["subjects"]:
		qs = h.q(s)
		out[s] = {"versions": h.ok(srv.get(f"/subjects/{qs}/versions?deleted=true")),
			"config": srv.get(f"/config/{qs}").json(), "mode": srv.get(f"/mode/{qs}").json()}
		for v in out[s]["versions"]:
			out[s][v] = h.ok(srv.get(f"/subjects/{qs}/versions/{v}?deleted=true"))
	return out


def backup(srv, tmp_path):
	path = str(tmp_path / "registry.dump")
	p = run(["backup", path], srv.db_url)
	assert p.returncode == 0, p.stderr
	assert [f for f in os.listdir(tmp_path) if ".tmp" in f] == []
	return path


def restore_and_compare(make_server, before, path, db_url):
	p = run(["restore", path], db_url)
	assert p.returncode == 0, p.stderr
	assert b"restored from" in p.stderr
	srv = make_server(db_url=db_url)
	assert snapshot(srv) == before
	# New ids continue after the restored ones.
	top = max(s["id"] for s in before["schemas"])
	assert h.register_ok(srv, h.subject(), h.unique_schema()) > top
	return srv


def test_backup_while_serving_then_restore_into_sqlite(make_server, tmp_path):
	src = make_server()
	populate(src)
	before = snapshot(src)
	path = backup(src, tmp_path)                 # the server keeps running
	h.register_ok(src, h.subject(), h.unique_schema())
	restore_and_compare(make_server, before, path, f"sqlite:{tmp_path}/restored.db")


def test_sqlite_to_postgres_and_back(make_server, tmp_path):
	name, pg_url = postgres_database()
	try:
		src = make_server(db_url=f"sqlite:{tmp_path}/src.db")
		populate(src)
		before = snapshot(src)
		pg = restore_and_compare(make_server, before, backup(src, tmp_path), pg_url)
		after_pg = snapshot(pg)
		back = tmp_path / "back"
		back.mkdir()
		path = backup(pg, back)
		pg.stop()
		restore_and_compare(make_server, after_pg, path, f"sqlite:{tmp_path}/back.db")
	finally:
		for srv in make_server.servers:
			srv.kill()
		drop_postgres_database(name)


def test_backup_to_stdout(fresh_server):
	populate(fresh_server)
	p = run(["backup", "-"], fresh_server.db_url)
	assert p.returncode == 0, p.stderr
	lines = [json.loads(line) for line in p.stdout.decode().splitlines()]
	assert lines[0]["type"] == "header" and lines[-1]["type"] == "end"
	assert lines[-1]["schemas"] == sum(1 for l in lines if l["type"] == "schema")


def test_restore_refuses_a_store_that_is_not_empty(fresh_server, tmp_path):
	populate(fresh_server)
	path = backup(fresh_server, tmp_path)
	target = f"sqlite:{tmp_path}/t.db"
	assert run(["restore", path], target).returncode == 0
	p = run(["restore", path], target)
	assert p.returncode == 1
	assert b"restore needs an empty store" in p.stderr


def test_restore_refuses_the_database_of_a_running_server(make_server, tmp_path):
	srv = make_server(db_url=f"sqlite:{tmp_path}/registry.db")
	populate(srv)
	path = backup(srv, tmp_path)
	p = run(["restore", path], srv.db_url)
	assert p.returncode == 1
	assert b"in use by another process" in p.stderr


@pytest.mark.parametrize("damage", ["truncated", "miscounted", "not a dump", "bad row"])
def test_a_damaged_dump_restores_nothing(make_server, tmp_path, damage):
	src = make_server()
	populate(src)
	with open(backup(src, tmp_path), "rb") as f:
		lines = f.read().splitlines(keepends=True)
	if damage == "truncated":
		data = b"".join(lines[:-1])
	elif damage == "miscounted":
		data = b"".join(lines[:2] + lines[3:])
	elif damage == "not a dump":
		data = b'{"type":"header","format":"something else","version":1}\n' + b"".join(lines[1:])
	else:
		data = b"".join(lines[:2]) + b'{"type":"version","subject":"x"}\n' + b"".join(lines[2:])
	bad = tmp_path / "bad.dump"
	bad.write_bytes(data)
	target = f"sqlite:{tmp_path}/t.db"
	p = run(["restore", str(bad)], target)
	assert p.returncode == 1, p.stderr
	assert b"dump" in p.stderr
	srv = make_server(db_url=target)
	assert h.ok(srv.get("/subjects?deleted=true")) == []
	assert h.ok(srv.get("/schemas?deleted=true")) == []


def test_backup_of_a_missing_database_fails_without_leaving_files(tmp_path):
	out = tmp_path / "x.dump"
	p = run(["backup", str(out)], f"sqlite:{tmp_path}/nothing-here.db")
	assert p.returncode == 1
	assert os.listdir(tmp_path) == []


def test_usage_without_a_file():
	p = run(["backup"], "sqlite:/nonexistent/x.db")
	assert p.returncode == 2
	assert b"usage: schema-registry backup FILE" in p.stderr

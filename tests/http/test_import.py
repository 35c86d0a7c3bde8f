"""IMPORT mode: explicit ids and versions (API §2.5 "Explicit version and id"; DESIGN §6)."""

import helpers as h


def import_mode(srv):
	assert h.ok(srv.put("/mode", json={"mode": "IMPORT"}, params={"force": "true"})) == {"mode": "IMPORT"}


def test_import_honours_id_and_version(fresh_server):
	srv = fresh_server
	import_mode(srv)
	subj = h.subject()
	schema = h.unique_schema()
	b = h.ok(h.register(srv, subj, schema, id=100, version=5))
	assert b["id"] == 100
	assert h.versions(srv, subj) == [5]
	v = h.ok(h.get_version(srv, subj, 5))
	assert (v["id"], v["version"], v["subject"]) == (100, 5, subj)
	assert h.same_schema(v["schema"], schema)
	assert h.same_schema(h.ok(srv.get("/schemas/ids/100"))["schema"], schema)
	assert h.ok(h.get_version(srv, subj, "latest"))["version"] == 5


def test_import_same_schema_same_id_other_subject(fresh_server):
	srv = fresh_server
	import_mode(srv)
	schema = h.unique_schema()
	s1, s2 = h.subject(), h.subject()
	assert h.register_ok(srv, s1, schema, id=7, version=1) == 7
	assert h.register_ok(srv, s2, schema, id=7, version=3) == 7
	assert sorted(h.ok(srv.get("/schemas/ids/7/subjects"))) == sorted([s1, s2])


def test_import_id_of_a_different_schema(fresh_server):
	srv = fresh_server
	import_mode(srv)
	h.register_ok(srv, h.subject(), h.unique_schema(), id=42, version=1)
	subj = h.subject()
	h.assert_error(h.register(srv, subj, h.unique_schema(), id=42, version=1), 422, 42207)
	h.assert_error(srv.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401)


def test_import_without_version_takes_the_next(fresh_server):
	srv = fresh_server
	import_mode(srv)
	subj = h.subject()
	s = h.evolution(2)
	h.register_ok(srv, subj, s[0], id=10, version=4)
	h.register_ok(srv, subj, s[1], id=11)
	assert h.versions(srv, subj) == [4, 5]


def test_import_skips_compatibility(fresh_server):
	srv = fresh_server
	import_mode(srv)
	subj = h.subject()
	n = f"I_{h.uid()}"
	h.register_ok(srv, subj, h.record([h.field("a", "int")], name=n), id=1, version=1)
	# incompatible under the default BACKWARD, accepted in IMPORT (API §2.5 step 7)
	h.register_ok(srv, subj, h.record([h.field("b", "string")], name=n), id=2, version=2)
	assert h.versions(srv, subj) == [1, 2]


def test_import_without_id(fresh_server):
	# API §2.5 step 2: without an id, the mode must be READWRITE.
	srv = fresh_server
	import_mode(srv)
	h.assert_error(h.register(srv, h.subject(), h.unique_schema()), 422, 42205)


def test_ids_after_import_continue_above_imported(fresh_server):
	srv = fresh_server
	import_mode(srv)
	h.register_ok(srv, h.subject(), h.unique_schema(), id=500, version=1)
	h.register_ok(srv, h.subject(), h.unique_schema(), id=3, version=1)
	h.ok(srv.put("/mode", json={"mode": "READWRITE"}))
	# API §2.5 step 5: new ids are max(id)+1, never an imported one
	new = h.register_ok(srv, h.subject(), h.unique_schema())
	assert new > 500


def test_explicit_id_outside_import(server):
	subj = h.subject()
	h.assert_error(h.register(server, subj, h.unique_schema(), id=123456), 422, 42205)
	h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401)


def test_subject_level_import(fresh_server):
	# Subject-level IMPORT allows explicit ids for that subject only.
	server = fresh_server
	h.register_ok(server, h.subject(), h.unique_schema())
	subj = h.subject()
	assert h.ok(server.put(f"/mode/{h.q(subj)}", json={"mode": "IMPORT"})) == {"mode": "IMPORT"}
	schema = h.unique_schema()
	wanted = 1000
	assert h.register_ok(server, subj, schema, id=wanted, version=2) == wanted
	assert h.versions(server, subj) == [2]
	h.assert_error(h.register(server, h.subject(), h.unique_schema(), id=wanted + 1), 422, 42205)

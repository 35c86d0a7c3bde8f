"""GET|PUT|DELETE /mode and /mode/{s} (API §2.2, §2.5; DESIGN §6)."""

import pytest

import helpers as h

MODES = ["READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT"]


def mode_of(srv, subj=None, **params):
	path = "/mode" if subj is None else f"/mode/{h.q(subj)}"
	return h.ok(srv.get(path, params=params or None))["mode"]


def put_mode(srv, mode, subj=None, force=False):
	path = "/mode" if subj is None else f"/mode/{h.q(subj)}"
	return srv.put(path, json={"mode": mode}, params={"force": "true"} if force else None)


def test_default_mode(fresh_server):
	assert mode_of(fresh_server) == "READWRITE"


@pytest.mark.parametrize("mode", MODES)
def test_put_global_mode(fresh_server, mode):
	srv = fresh_server
	assert h.ok(put_mode(srv, mode)) == {"mode": mode}
	assert mode_of(srv) == mode


@pytest.mark.parametrize("bad", ["NOPE", "", "READ_WRITE", "WRITEONLY"])
def test_put_invalid_mode(fresh_server, bad):
	srv = fresh_server
	h.assert_error(put_mode(srv, bad), 422, 42204)
	assert mode_of(srv) == "READWRITE"
	subj = h.subject()
	h.assert_error(put_mode(srv, bad, subj), 422, 42204)
	h.assert_error(srv.get(f"/mode/{h.q(subj)}"), 404, 40409)


def test_readonly_blocks_writes_not_reads(fresh_server):
	srv = fresh_server
	subj = h.subject()
	v1, v2 = h.evolution(2)
	sid = h.register_ok(srv, subj, v1)
	h.ok(put_mode(srv, "READONLY"))
	h.assert_error(h.register(srv, subj, v2), 422, 42205)
	h.assert_error(h.register(srv, h.subject(), h.unique_schema()), 422, 42205)
	# API §2.2: deletes are refused too (42205 in READONLY)
	h.assert_error(h.delete_subject(srv, subj), 422, 42205)
	# reads and lookups still work
	assert h.versions(srv, subj) == [1]
	assert h.ok(srv.get(f"/schemas/ids/{sid}"))["schemaType"] == "AVRO"
	assert h.ok(srv.post(f"/subjects/{h.q(subj)}", json={"schema": v1}))["id"] == sid
	h.ok(put_mode(srv, "READWRITE"))
	h.register_ok(srv, subj, v2)
	assert h.versions(srv, subj) == [1, 2]


def test_readonly_override_blocks_writes(fresh_server):
	srv = fresh_server
	h.ok(put_mode(srv, "READONLY_OVERRIDE"))
	assert mode_of(srv) == "READONLY_OVERRIDE"
	h.assert_error(h.register(srv, h.subject(), h.unique_schema()), 422, 42205)


def test_subject_mode_wins_over_global_except_readonly_override(fresh_server):
	srv = fresh_server
	subj, other = h.subject(), h.subject()
	s = h.evolution(3)
	h.ok(put_mode(srv, "READWRITE", subj))
	h.ok(put_mode(srv, "READONLY"))
	# the subject's own READWRITE applies under a global READONLY ...
	h.register_ok(srv, subj, s[0])
	h.assert_error(h.register(srv, other, h.unique_schema()), 422, 42205)
	# ... but READONLY_OVERRIDE overrides subject-level modes
	# (CSR getModeInScope: a global READONLY_OVERRIDE wins over the subject's mode)
	h.ok(put_mode(srv, "READONLY_OVERRIDE"))
	h.assert_error(h.register(srv, subj, s[1]), 422, 42205)
	h.ok(put_mode(srv, "READWRITE"))
	h.register_ok(srv, subj, s[1])


def test_subject_mode(server):
	subj, other = h.subject(), h.subject()
	s = h.evolution(2)
	h.register_ok(server, subj, s[0])
	assert h.ok(put_mode(server, "READONLY", subj)) == {"mode": "READONLY"}
	assert mode_of(server, subj) == "READONLY"
	h.assert_error(h.register(server, subj, s[1]), 422, 42205)
	h.register_ok(server, other, h.unique_schema())
	b = h.ok(server.delete(f"/mode/{h.q(subj)}"))
	assert b["mode"] == "READONLY"
	h.register_ok(server, subj, s[1])


def test_get_subject_mode_without_one(server):
	subj = h.subject()
	h.register_ok(server, subj, h.unique_schema())
	h.assert_error(server.get(f"/mode/{h.q(subj)}"), 404, 40409)
	assert mode_of(server, subj, defaultToGlobal="true") == "READWRITE"


def test_delete_subject_mode(server):
	subj = h.subject()
	h.ok(put_mode(server, "READONLY", subj))
	assert h.ok(server.delete(f"/mode/{h.q(subj)}")) == {"mode": "READONLY"}
	h.assert_error(server.get(f"/mode/{h.q(subj)}"), 404, 40409)
	# API §2.2: DELETE /mode/{s} without a subject mode -> 40401
	h.assert_error(server.delete(f"/mode/{h.q(subj)}"), 404, 40401)


def test_delete_global_mode(fresh_server):
	srv = fresh_server
	h.ok(put_mode(srv, "READONLY"))
	b = h.ok(srv.delete("/mode"))
	assert b["mode"] == "READONLY"
	assert mode_of(srv) == "READWRITE"
	h.register_ok(srv, h.subject(), h.unique_schema())


def test_import_needs_force_with_existing_subjects(fresh_server):
	srv = fresh_server
	h.register_ok(srv, h.subject(), h.unique_schema())
	h.assert_error(put_mode(srv, "IMPORT"), 422, 42205)
	assert mode_of(srv) == "READWRITE"
	assert h.ok(put_mode(srv, "IMPORT", force=True)) == {"mode": "IMPORT"}
	assert mode_of(srv) == "IMPORT"


def test_import_on_empty_registry_needs_no_force(fresh_server):
	srv = fresh_server
	assert h.ok(put_mode(srv, "IMPORT")) == {"mode": "IMPORT"}


def test_import_with_only_soft_deleted_subjects(fresh_server):
	# API §2.5: IMPORT needs no *live* subjects in scope.
	srv = fresh_server
	subj = h.subject()
	h.register_ok(srv, subj, h.unique_schema())
	h.ok(h.delete_subject(srv, subj))
	h.ok(put_mode(srv, "IMPORT"))
	assert mode_of(srv) == "IMPORT"


def test_subject_import_needs_force_when_it_has_versions(server):
	subj = h.subject()
	h.register_ok(server, subj, h.unique_schema())
	h.assert_error(put_mode(server, "IMPORT", subj), 422, 42205)
	h.assert_error(server.get(f"/mode/{h.q(subj)}"), 404, 40409)
	h.ok(put_mode(server, "IMPORT", subj, force=True))
	assert mode_of(server, subj) == "IMPORT"
	empty = h.subject()
	h.ok(put_mode(server, "IMPORT", empty))
	assert mode_of(server, empty) == "IMPORT"


def test_mode_survives_soft_delete_and_goes_with_hard_delete(server):
	subj = h.subject()
	h.register_ok(server, subj, h.unique_schema())
	h.ok(put_mode(server, "READWRITE", subj))
	h.ok(h.delete_subject(server, subj))
	assert mode_of(server, subj) == "READWRITE"
	h.ok(h.delete_subject(server, subj, permanent=True))
	# API §2.5: hard delete removes the subject's config and mode
	h.assert_error(server.get(f"/mode/{h.q(subj)}"), 404, 40409)

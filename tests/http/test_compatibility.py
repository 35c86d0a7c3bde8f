"""POST /compatibility/subjects/{s}/versions[/{v}] and compatibility on registration.

Avro resolution rules (API §3.2): BACKWARD = the new schema reads data
written with the old one; FORWARD = the old reads the new; FULL = both.
"""

import pytest

import helpers as h

LEVELS = ["NONE", "BACKWARD", "FORWARD", "FULL", "BACKWARD_TRANSITIVE", "FORWARD_TRANSITIVE", "FULL_TRANSITIVE"]


def rec(name, *fields, **extra):
	return h.record(list(fields), name=name, **extra)


def enum(name, symbols):
	return {"type": "enum", "name": name, "symbols": symbols}


# (id, old(name), new(name), backward_ok, forward_ok)
PAIRS = [
	("add-field-with-default",
		lambda n: rec(n, h.field("a", "int")),
		lambda n: rec(n, h.field("a", "int"), h.field("b", "string", default="")), True, True),
	("add-field-without-default",
		lambda n: rec(n, h.field("a", "int")),
		lambda n: rec(n, h.field("a", "int"), h.field("b", "string")), False, True),
	("remove-field-without-default",
		lambda n: rec(n, h.field("a", "int"), h.field("c", "string")),
		lambda n: rec(n, h.field("a", "int")), True, False),
	("remove-field-with-default",
		lambda n: rec(n, h.field("a", "int"), h.field("c", "string", default="x")),
		lambda n: rec(n, h.field("a", "int")), True, True),
	("promote-int-to-long",
		lambda n: rec(n, h.field("a", "int")),
		lambda n: rec(n, h.field("a", "long")), True, False),
	("string-to-int",
		lambda n: rec(n, h.field("a", "string")),
		lambda n: rec(n, h.field("a", "int")), False, False),
	("int-to-nullable-union",
		lambda n: rec(n, h.field("a", "int")),
		lambda n: rec(n, h.field("a", ["null", "int"], default=None)), True, False),
	("enum-symbol-added",
		lambda n: rec(n, h.field("e", enum(n + "_E", ["A", "B"]))),
		lambda n: rec(n, h.field("e", enum(n + "_E", ["A", "B", "C"]))), True, False),
	("record-renamed",
		lambda n: rec(n, h.field("a", "int")),
		lambda n: rec(n + "_X", h.field("a", "int")), False, False),
	("record-renamed-with-alias",
		lambda n: rec(n, h.field("a", "int")),
		lambda n: rec(n + "_X", h.field("a", "int"), aliases=[n]), True, False),
	("field-renamed-with-alias",
		lambda n: rec(n, h.field("a", "int")),
		lambda n: rec(n, h.field("a2", "int", aliases=["a"])), True, False),
	("string-bytes",
		lambda n: rec(n, h.field("a", "string")),
		lambda n: rec(n, h.field("a", "bytes")), True, True),
]


def expected(level, backward_ok, forward_ok):
	base = level.replace("_TRANSITIVE", "")
	return {"NONE": True, "BACKWARD": backward_ok, "FORWARD": forward_ok,
		"FULL": backward_ok and forward_ok}[base]


def check(srv, subj, schema, version=None, verbose=False):
	path = f"/compatibility/subjects/{h.q(subj)}/versions"
	if version is not None:
		path += f"/{version}"
	params = {"verbose": "true"} if verbose else None
	b = h.ok(srv.post(path, json={"schema": schema}, params=params))
	assert isinstance(b.get("is_compatible"), bool), b
	return b


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("pair", PAIRS, ids=[p[0] for p in PAIRS])
def test_pair_at_level(server, level, pair):
	_, old, new, bw, fw = pair
	name = f"C_{h.uid()}"
	old_s, new_s = old(name), new(name)
	want = expected(level, bw, fw)
	subj = h.subject()
	h.set_subject_config(server, subj, level)
	h.register_ok(server, subj, old_s)
	for v in ("latest", "1", "-1", None):
		got = check(server, subj, new_s, v)
		assert got["is_compatible"] is want, f"version {v}: {got}"
		# messages only with verbose=true (API §2.2)
		assert not got.get("messages"), got
	# the check registers nothing
	assert h.versions(server, subj) == [1]
	r = h.register(server, subj, new_s)
	if want:
		h.ok(r)
		assert h.versions(server, subj) == [1, 2]
	else:
		b = h.assert_error(r, 409, 409)
		assert "incompatible" in b["message"].lower(), b
		assert h.versions(server, subj) == [1]


def test_incompatible_registration_lists_differences(server):
	subj = h.subject()
	name = f"C_{h.uid()}"
	h.register_ok(server, subj, rec(name, h.field("a", "int")))
	r = h.register(server, subj, rec(name, h.field("a", "int"), h.field("newField", "string")))
	# DESIGN §1: HTTP 409 with error_code 409 (8.1); the message lists the
	# differences, with Confluent-style error types (DESIGN §5).
	b = h.assert_error(r, 409, 409)
	assert "READER_FIELD_MISSING_DEFAULT_VALUE" in b["message"], b
	assert "newField" in b["message"], b


def test_verbose_messages(server):
	subj = h.subject()
	name = f"C_{h.uid()}"
	h.register_ok(server, subj, rec(name, h.field("a", "int")))
	bad = rec(name, h.field("a", "int"), h.field("newField", "string"))
	for v in ("latest", None):
		b = check(server, subj, bad, v, verbose=True)
		assert b["is_compatible"] is False
		msgs = b.get("messages")
		assert isinstance(msgs, list) and msgs, b
		assert all(isinstance(m, str) for m in msgs), b
		assert any("READER_FIELD_MISSING_DEFAULT_VALUE" in m for m in msgs), b
	good = rec(name, h.field("a", "int"), h.field("newField", "string", default=""))
	b = check(server, subj, good, "latest", verbose=True)
	assert b["is_compatible"] is True


def _trio(server, level, schemas):
	subj = h.subject()
	h.set_subject_config(server, subj, level)
	for s in schemas:
		h.register_ok(server, subj, s)
	return subj


def test_backward_transitive(server):
	n = f"T_{h.uid()}"
	v1 = rec(n, h.field("a", "int"))
	v2 = rec(n, h.field("a", "int"), h.field("b", "string", default="x"))
	x = rec(n, h.field("a", "int"), h.field("b", "string"))  # reads v2 data, not v1 data
	subj = _trio(server, "BACKWARD", [v1, v2])
	assert check(server, subj, x)["is_compatible"] is True
	h.set_subject_config(server, subj, "BACKWARD_TRANSITIVE")
	assert check(server, subj, x)["is_compatible"] is False
	# the {v} form checks only that version, even under a transitive level
	# (API §3.1, CompatibilityResource Collections.singletonList)
	assert check(server, subj, x, "latest")["is_compatible"] is True
	assert check(server, subj, x, 2)["is_compatible"] is True
	assert check(server, subj, x, 1)["is_compatible"] is False
	h.assert_error(h.register(server, subj, x), 409, 409)
	# only live versions count: with v1 soft-deleted, x is acceptable
	h.ok(h.delete_version(server, subj, 1))
	assert check(server, subj, x)["is_compatible"] is True
	h.register_ok(server, subj, x)
	assert h.versions(server, subj) == [2, 3]


def test_forward_transitive(server):
	n = f"T_{h.uid()}"
	v1 = rec(n, h.field("a", "int"), h.field("b", "string"))
	v2 = rec(n, h.field("a", "int"), h.field("b", "string", default="x"))
	x = rec(n, h.field("a", "int"))  # v2 reads x data (default), v1 cannot
	subj = _trio(server, "FORWARD", [v1, v2])
	assert check(server, subj, x)["is_compatible"] is True
	h.set_subject_config(server, subj, "FORWARD_TRANSITIVE")
	assert check(server, subj, x)["is_compatible"] is False
	assert check(server, subj, x, 2)["is_compatible"] is True
	assert check(server, subj, x, 1)["is_compatible"] is False
	h.assert_error(h.register(server, subj, x), 409, 409)


def test_full_transitive(server):
	n = f"T_{h.uid()}"
	v1 = rec(n, h.field("a", "int"), h.field("b", "string"))
	v2 = rec(n, h.field("a", "int"), h.field("b", "string", default="x"))
	x = rec(n, h.field("a", "int"))
	subj = _trio(server, "FULL", [v1, v2])
	assert check(server, subj, x)["is_compatible"] is True
	h.set_subject_config(server, subj, "FULL_TRANSITIVE")
	assert check(server, subj, x)["is_compatible"] is False
	assert check(server, subj, x, "latest")["is_compatible"] is True
	assert check(server, subj, x, 1)["is_compatible"] is False
	h.assert_error(h.register(server, subj, x), 409, 409)


def test_non_transitive_checks_latest_live_version_only(server):
	n = f"T_{h.uid()}"
	v1 = rec(n, h.field("a", "int"))
	v2 = rec(n, h.field("a", "int"), h.field("b", "string", default="x"))
	x = rec(n, h.field("a", "int"), h.field("b", "int", default=0))  # fine after v1, not after v2
	subj = _trio(server, "BACKWARD", [v1, v2])
	assert check(server, subj, x)["is_compatible"] is False
	assert check(server, subj, x, 1)["is_compatible"] is True
	h.ok(h.delete_version(server, subj, 2))
	assert check(server, subj, x)["is_compatible"] is True
	assert check(server, subj, x, "latest")["is_compatible"] is True
	h.register_ok(server, subj, x)
	assert h.versions(server, subj) == [1, 3]


def test_fast_path_skips_the_check(server):
	n = f"F_{h.uid()}"
	v1 = rec(n, h.field("a", "int"))
	v2 = rec(n, h.field("b", "string"))  # incompatible with v1 both ways
	subj = _trio(server, "NONE", [v1, v2])
	h.set_subject_config(server, subj, "FULL_TRANSITIVE")
	# DESIGN §6: already live under the subject -> returned, no check, no write
	assert h.register_ok(server, subj, v1) == h.ok(h.get_version(server, subj, 1))["id"]
	assert h.versions(server, subj) == [1, 2]


def test_no_version_form_on_unknown_subject(server):
	# No previous schema: compatible (API §2.2 lists no 40401 for this form).
	b = check(server, h.subject(), h.unique_schema())
	assert b["is_compatible"] is True


def test_errors(server):
	subj = h.subject()
	schema = h.unique_schema()
	unknown = h.subject()
	h.assert_error(server.post(f"/compatibility/subjects/{h.q(unknown)}/versions/1", json={"schema": schema}),
		404, 40401, message=f"Subject '{unknown}' not found.")
	h.register_ok(server, subj, schema)
	h.assert_error(server.post(f"/compatibility/subjects/{h.q(subj)}/versions/9", json={"schema": schema}),
		404, 40402, message="Version 9 not found.")
	for v in ("latest", None):
		path = f"/compatibility/subjects/{h.q(subj)}/versions" + (f"/{v}" if v else "")
		h.assert_error(server.post(path, json={"schema": '{"type":"record","name":"x"}'}), 422, 42201)
		h.assert_error(server.post(path, json={"schema": "not json"}), 422, 42201)


def test_check_against_soft_deleted_version(server):
	subj = h.subject()
	v1, v2 = h.evolution(2)
	h.register_ok(server, subj, v1)
	h.register_ok(server, subj, v2)
	h.ok(h.delete_version(server, subj, 1))
	# "Don't check compatibility against deleted schema" (CompatibilityResource)
	h.assert_error(server.post(f"/compatibility/subjects/{h.q(subj)}/versions/1", json={"schema": v2}),
		404, 40402)


def test_subject_config_overrides_global(server):
	# The session server keeps the global default BACKWARD.
	n = f"O_{h.uid()}"
	v1 = rec(n, h.field("a", "int"))
	bad = rec(n, h.field("a", "int"), h.field("b", "string"))
	subj = h.subject()
	h.register_ok(server, subj, v1)
	assert check(server, subj, bad)["is_compatible"] is False
	h.set_subject_config(server, subj, "FORWARD")
	assert check(server, subj, bad)["is_compatible"] is True
	h.register_ok(server, subj, bad)


def test_soft_deleted_subject_has_nothing_to_be_compatible_with(server):
	n = f"S_{h.uid()}"
	subj = h.subject()
	h.register_ok(server, subj, rec(n, h.field("a", "int")))
	bad = rec(n, h.field("a", "string"))
	assert check(server, subj, bad)["is_compatible"] is False
	h.ok(h.delete_subject(server, subj))
	# only live versions are compared (DESIGN §6)
	assert check(server, subj, bad)["is_compatible"] is True
	h.register_ok(server, subj, bad)
	assert h.versions(server, subj) == [2]

"""/subjects, POST /subjects/{s} (lookup), DELETE /subjects/{s}, subject names (API §2.2, §2.5)."""

import json

import pytest

import helpers as h


def _family(server, n=3):
	prefix = f"sf-{h.uid()}-"
	subjects = [f"{prefix}{i}" for i in range(n)]
	for s in subjects:
		h.register_ok(server, s, h.unique_schema())
	return prefix, subjects


# ---- GET /subjects ------------------------------------------------------------

def test_list_subjects_includes_registered(server):
	subj = h.subject()
	h.register_ok(server, subj, h.unique_schema())
	got = h.ok(server.get("/subjects"))
	assert isinstance(got, list)
	assert subj in got


def test_list_subjects_prefix(server):
	prefix, subjects = _family(server)
	h.register_ok(server, "x" + prefix, h.unique_schema())
	got = h.ok(server.get("/subjects", params={"subjectPrefix": prefix}))
	assert sorted(got) == sorted(subjects)


def test_list_subjects_deleted_and_deleted_only(server):
	prefix, subjects = _family(server)
	h.ok(h.delete_subject(server, subjects[1]))
	got = h.ok(server.get("/subjects", params={"subjectPrefix": prefix}))
	assert sorted(got) == sorted([subjects[0], subjects[2]])
	got = h.ok(server.get("/subjects", params={"subjectPrefix": prefix, "deleted": "true"}))
	assert sorted(got) == sorted(subjects)
	got = h.ok(server.get("/subjects", params={"subjectPrefix": prefix, "deletedOnly": "true"}))
	assert got == [subjects[1]]
	# deletedOnly without deleted is enough on its own
	got = h.ok(server.get("/subjects", params={"deletedOnly": "true"}))
	assert subjects[1] in got and subjects[0] not in got


def test_list_subjects_offset_limit(server):
	prefix, subjects = _family(server, 4)
	full = h.ok(server.get("/subjects", params={"subjectPrefix": prefix}))
	assert sorted(full) == sorted(subjects)
	assert h.ok(server.get("/subjects", params={"subjectPrefix": prefix, "offset": 1, "limit": 2})) == full[1:3]
	assert h.ok(server.get("/subjects", params={"subjectPrefix": prefix, "offset": 2})) == full[2:]
	assert h.ok(server.get("/subjects", params={"subjectPrefix": prefix, "limit": 3})) == full[:3]
	assert h.ok(server.get("/subjects", params={"subjectPrefix": prefix, "offset": 9})) == []
	assert h.ok(server.get("/subjects", params={"subjectPrefix": prefix, "limit": -1})) == full


def test_hard_deleted_subject_is_gone_from_every_list(server):
	prefix, subjects = _family(server, 2)
	h.ok(h.delete_subject(server, subjects[0]))
	h.ok(h.delete_subject(server, subjects[0], permanent=True))
	got = h.ok(server.get("/subjects", params={"subjectPrefix": prefix, "deleted": "true"}))
	assert got == [subjects[1]]


# ---- POST /subjects/{s}: lookup ----------------------------------------------

def test_lookup_finds_registered_schema(server):
	subj = h.subject()
	schema = h.unique_schema(2)
	sid = h.register_ok(server, subj, schema)
	b = h.ok(server.post(f"/subjects/{h.q(subj)}", json={"schema": schema}))
	assert b["subject"] == subj
	assert b["version"] == 1
	assert b["id"] == sid
	assert h.same_schema(b["schema"], schema)
	assert b["schemaType"] == "AVRO"


def test_lookup_ignores_whitespace(server):
	subj = h.subject()
	obj = h.record_obj([h.field("a", "int")])
	sid = h.register_ok(server, subj, h.compact(obj))
	spaced = json.dumps(obj, indent=2)
	b = h.ok(server.post(f"/subjects/{h.q(subj)}", json={"schema": spaced}))
	assert b["id"] == sid and b["version"] == 1


def test_lookup_finds_the_right_version(server):
	subj = h.subject()
	name = f"L_{h.uid()}"
	v1 = h.record([h.field("a", "int")], name=name)
	v2 = h.record([h.field("a", "int"), h.field("b", "int", default=0)], name=name)
	h.register_ok(server, subj, v1)
	id2 = h.register_ok(server, subj, v2)
	b = h.ok(server.post(f"/subjects/{h.q(subj)}", json={"schema": v2}))
	assert (b["version"], b["id"]) == (2, id2)


def test_lookup_unknown_subject(server):
	subj = h.subject()
	h.assert_error(server.post(f"/subjects/{h.q(subj)}", json={"schema": h.unique_schema()}),
		404, 40401, message=f"Subject '{subj}' not found.")


def test_lookup_schema_not_under_subject(server):
	subj, other = h.subject(), h.subject()
	h.register_ok(server, subj, h.unique_schema())
	elsewhere = h.unique_schema()
	h.register_ok(server, other, elsewhere)
	# API §2.5: no match under an existing subject -> 40403, also when the
	# schema exists under another subject.
	h.assert_error(server.post(f"/subjects/{h.q(subj)}", json={"schema": elsewhere}), 404, 40403)
	h.assert_error(server.post(f"/subjects/{h.q(subj)}", json={"schema": h.unique_schema()}), 404, 40403)


def test_lookup_soft_deleted_version_needs_deleted(server):
	subj = h.subject()
	name = f"D_{h.uid()}"
	v1 = h.record([h.field("a", "int")], name=name)
	v2 = h.record([h.field("a", "int"), h.field("b", "int", default=0)], name=name)
	id1 = h.register_ok(server, subj, v1)
	h.register_ok(server, subj, v2)
	h.ok(h.delete_version(server, subj, 1))
	h.assert_error(server.post(f"/subjects/{h.q(subj)}", json={"schema": v1}), 404, 40403)
	b = h.ok(server.post(f"/subjects/{h.q(subj)}", json={"schema": v1}, params={"deleted": "true"}))
	assert (b["version"], b["id"]) == (1, id1)


def test_lookup_invalid_schema(server):
	subj = h.subject()
	h.register_ok(server, subj, h.unique_schema())
	h.assert_error(server.post(f"/subjects/{h.q(subj)}", json={"schema": '{"type":"nope"}'}), 422, 42201)


# ---- normalize ------------------------------------------------------------------

def _prop_orders():
	"""The same record with two custom properties in two orders.

	Confluent's canonical string keeps property order; normalize=true sorts
	simple properties (API §4 table, AvroSchemaUtils.toNormalizedString).
	"""
	name = f"N_{h.uid()}"
	fields = '[{"name":"a","type":"int"}]'
	a = '{"type":"record","name":"%s","fields":%s,"pb":"1","pa":"2"}' % (name, fields)
	b = '{"type":"record","name":"%s","fields":%s,"pa":"2","pb":"1"}' % (name, fields)
	return a, b


def test_without_normalize_property_order_makes_a_new_schema(server):
	subj = h.subject()
	a, b = _prop_orders()
	ida = h.register_ok(server, subj, a)
	idb = h.register_ok(server, subj, b)
	assert ida != idb
	assert h.versions(server, subj) == [1, 2]


def test_register_and_lookup_with_normalize(server):
	subj = h.subject()
	a, b = _prop_orders()
	ida = h.register_ok(server, subj, a, params={"normalize": "true"})
	idb = h.register_ok(server, subj, b, params={"normalize": "true"})
	assert ida == idb
	assert h.versions(server, subj) == [1]
	for s in (a, b):
		got = h.ok(server.post(f"/subjects/{h.q(subj)}", json={"schema": s}, params={"normalize": "true"}))
		assert (got["version"], got["id"]) == (1, ida)


# ---- DELETE /subjects/{s} ----------------------------------------------------------

def _two_versions(server):
	subj = h.subject()
	name = f"V_{h.uid()}"
	v1 = h.record([h.field("a", "int")], name=name)
	v2 = h.record([h.field("a", "int"), h.field("b", "int", default=0)], name=name)
	ids = [h.register_ok(server, subj, v1), h.register_ok(server, subj, v2)]
	return subj, [v1, v2], ids


def test_soft_delete_subject(server):
	subj, schemas, ids = _two_versions(server)
	assert h.ok(h.delete_subject(server, subj)) == [1, 2]
	h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401,
		message=f"Subject '{subj}' not found.")
	assert subj not in h.ok(server.get("/subjects"))
	assert h.ok(server.get(f"/subjects/{h.q(subj)}/versions", params={"deleted": "true"})) == [1, 2]
	b = h.ok(h.get_version(server, subj, 2, deleted="true"))
	assert b["id"] == ids[1]
	assert h.same_schema(b["schema"], schemas[1])


def test_soft_delete_subject_twice(server):
	subj, _, _ = _two_versions(server)
	h.ok(h.delete_subject(server, subj))
	h.assert_error(h.delete_subject(server, subj), 404, 40404)


def test_permanent_delete_subject_needs_soft_delete_first(server):
	subj, _, _ = _two_versions(server)
	h.assert_error(h.delete_subject(server, subj, permanent=True), 404, 40405)
	# nothing happened
	assert h.versions(server, subj) == [1, 2]


def test_permanent_delete_subject(server):
	subj, _, ids = _two_versions(server)
	h.ok(h.delete_subject(server, subj))
	assert h.ok(h.delete_subject(server, subj, permanent=True)) == [1, 2]
	h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions", params={"deleted": "true"}), 404, 40401)
	h.assert_error(h.get_version(server, subj, 1, deleted="true"), 404, (40401, 40402))
	# a second permanent delete finds nothing
	h.assert_error(h.delete_subject(server, subj, permanent=True), 404, 40401)


def test_delete_unknown_subject(server):
	subj = h.subject()
	h.assert_error(h.delete_subject(server, subj), 404, 40401, message=f"Subject '{subj}' not found.")
	h.assert_error(h.delete_subject(server, subj, permanent=True), 404, 40401)


def test_delete_subject_with_some_versions_already_deleted(server):
	subj, _, _ = _two_versions(server)
	h.ok(h.delete_version(server, subj, 1))
	# only the versions that were live are returned (Confluent returns the
	# versions the delete acted on)
	assert h.ok(h.delete_subject(server, subj)) == [2]
	assert h.ok(h.delete_subject(server, subj, permanent=True)) == [1, 2]


# ---- subject names ------------------------------------------------------------------

@pytest.mark.parametrize("name", [
	"ünïcode/with slash%2F",
	"with space and ?query#frag&x=y",
	"日本語-テスト",
	"dots.and:colons",
	"emoji-\U0001F600",
])
def test_subject_name_round_trip(server, name):
	subj = f"{name}-{h.uid()}"
	schema = h.unique_schema()
	sid = h.register_ok(server, subj, schema)
	assert subj in h.ok(server.get("/subjects"))
	assert h.versions(server, subj) == [1]
	b = h.ok(h.get_version(server, subj, 1))
	assert b["subject"] == subj and b["id"] == sid
	b = h.ok(server.post(f"/subjects/{h.q(subj)}", json={"schema": schema}))
	assert b["subject"] == subj
	assert subj in h.ok(server.get(f"/schemas/ids/{sid}/subjects"))
	assert {"subject": subj, "version": 1} in h.ok(server.get(f"/schemas/ids/{sid}/versions"))
	h.set_subject_config(server, subj, "FULL")
	assert h.ok(server.get(f"/config/{h.q(subj)}"))["compatibilityLevel"] == "FULL"
	assert h.ok(h.delete_subject(server, subj)) == [1]


# API §2.2/§2.4: 42208 for an invalid subject; CSR rejects empty names and
# names with ISO control characters (CharMatcher.javaIsoControl: U+0000-U+001F,
# U+007F-U+009F) on register and on PUT /config/{s} and /mode/{s}.
INVALID_NAMES = ["a\x01b", "line\nbreak", "nul\x00byte", "del\x7f", "c1\u0085control", "tab\there"]


@pytest.mark.parametrize("name", INVALID_NAMES)
def test_register_invalid_subject_name(server, name):
	h.assert_error(h.register(server, name, h.unique_schema()), 422, 42208)
	assert name not in h.ok(server.get("/subjects", params={"deleted": "true"}))


def test_register_empty_subject_name(server):
	h.assert_error(server.post("/subjects//versions", json={"schema": h.unique_schema()}), 422, 42208)


@pytest.mark.parametrize("name", INVALID_NAMES[:3])
def test_config_and_mode_invalid_subject_name(server, name):
	h.assert_error(server.put(f"/config/{h.q(name)}", json={"compatibility": "NONE"}), 422, 42208)
	h.assert_error(server.put(f"/mode/{h.q(name)}", json={"mode": "READONLY"}), 422, 42208)


def test_unknown_request_fields_are_ignored(server):
	subj = h.subject()
	schema = h.unique_schema()
	sid = h.register_ok(server, subj, schema, someNewField=1, nested={"x": [1, {"y": None}]},
		schemaTagsToAdd=[], propagateSchemaTags=False)
	b = h.ok(server.post(f"/subjects/{h.q(subj)}", json={"schema": schema, "whatever": True}))
	assert b["id"] == sid
	b = h.ok(server.put(f"/config/{h.q(subj)}", json={"compatibility": "FORWARD", "unknownKnob": "x"}))
	assert b["compatibility"] == "FORWARD"
	r = server.post(f"/compatibility/subjects/{h.q(subj)}/versions/latest",
		json={"schema": schema, "extra": {"deep": [1]}})
	assert h.ok(r)["is_compatible"] is True


def test_lookup_in_soft_deleted_subject(server):
	subj = h.subject()
	schema = h.unique_schema()
	sid = h.register_ok(server, subj, schema)
	h.ok(h.delete_subject(server, subj))
	# API §2.5: no live versions -> 40401; deleted=true finds it
	h.assert_error(server.post(f"/subjects/{h.q(subj)}", json={"schema": schema}), 404, 40401)
	b = h.ok(server.post(f"/subjects/{h.q(subj)}", json={"schema": schema}, params={"deleted": "true"}))
	assert (b["id"], b["version"]) == (sid, 1)

"""/schemas, /schemas/types, /schemas/ids/{id}[/schema|/subjects|/versions] (API §2.2)."""

import json

import pytest

import helpers as h

UNKNOWN_ID = 2000000000


def test_types_lists_avro_and_unsupported_types_are_refused(server):
	types = h.ok(server.get("/schemas/types"))
	assert isinstance(types, list)
	assert "AVRO" in types
	assert set(types) <= {"AVRO", "JSON", "PROTOBUF"}, types
	assert len(set(types)) == len(types)
	samples = {
		"JSON": '{"type":"object","properties":{"a":{"type":"string"}}}',
		"PROTOBUF": 'syntax = "proto3";\nmessage M { string a = 1; }\n',
	}
	for t, schema in samples.items():
		r = h.register(server, h.subject(), schema, schemaType=t)
		if t in types:
			h.ok(r)
		else:
			# Not supported yet: 42201 and a message saying so (the brief).
			b = h.assert_error(r, 422, 42201)
			msg = b["message"].lower()
			assert "support" in msg and t.lower() in msg, b


def test_get_by_id(server):
	subj = h.subject()
	schema = h.unique_schema(2)
	sid = h.register_ok(server, subj, schema)
	b = h.ok(server.get(f"/schemas/ids/{sid}"))
	assert h.same_schema(b["schema"], schema)
	# 8.x: schemaType is always present, also for AVRO (API §2.6).
	assert b["schemaType"] == "AVRO"
	assert not b.get("references")


def test_get_by_id_with_subject(server):
	subj = h.subject()
	schema = h.unique_schema()
	sid = h.register_ok(server, subj, schema)
	b = h.ok(server.get(f"/schemas/ids/{sid}", params={"subject": subj}))
	assert h.same_schema(b["schema"], schema)
	assert b["schemaType"] == "AVRO"
	# 8.x adds subject/version when ?subject= is given (API §2.6).
	assert (b["subject"], b["version"]) == (subj, 1)


def test_get_by_id_fetch_max_id(fresh_server):
	srv = fresh_server
	a = h.register_ok(srv, h.subject(), h.unique_schema())
	b = h.register_ok(srv, h.subject(), h.unique_schema())
	assert a != b
	body = h.ok(srv.get(f"/schemas/ids/{a}", params={"fetchMaxId": "true"}))
	assert body["maxId"] == max(a, b)


def test_get_by_id_unknown(server):
	h.assert_error(server.get(f"/schemas/ids/{UNKNOWN_ID}"), 404, 40403,
		message=f"Schema {UNKNOWN_ID} not found")


@pytest.mark.parametrize("suffix", ["/schema", "/subjects", "/versions"])
def test_id_subresources_unknown_id(server, suffix):
	h.assert_error(server.get(f"/schemas/ids/{UNKNOWN_ID}{suffix}"), 404, 40403)


def test_get_by_id_not_a_number(server):
	# JAX-RS answers a path parameter that does not convert with 404.
	h.assert_error(server.get("/schemas/ids/abc"), 404, (404, 40403))


def test_get_raw_schema_by_id(server):
	subj = h.subject()
	schema = h.unique_schema(3)
	sid = h.register_ok(server, subj, schema)
	r = server.get(f"/schemas/ids/{sid}/schema")
	assert r.status_code == 200
	h.assert_v1_content_type(r)
	assert json.loads(r.content) == json.loads(schema)


def test_schema_readable_by_id_after_soft_delete(server):
	subj = h.subject()
	schema = h.unique_schema()
	sid = h.register_ok(server, subj, schema)
	h.ok(h.delete_subject(server, subj))
	# "the schema ID remains intact making it still possible to decode data" (API §2.5)
	b = h.ok(server.get(f"/schemas/ids/{sid}"))
	assert h.same_schema(b["schema"], schema)


def test_subjects_and_versions_of_an_id(server):
	s1, s2, s3 = h.subject("a"), h.subject("b"), h.subject("c")
	schema = h.unique_schema()
	ids = {h.register_ok(server, s, schema) for s in (s1, s2)}
	assert len(ids) == 1
	sid = ids.pop()
	h.set_subject_config(server, s3, "NONE")
	h.register_ok(server, s3, h.unique_schema())
	assert h.register_ok(server, s3, schema) == sid  # s3 version 2
	h.ok(h.delete_version(server, s2, 1))

	subjects = h.ok(server.get(f"/schemas/ids/{sid}/subjects"))
	assert sorted(subjects) == sorted([s1, s3])
	subjects = h.ok(server.get(f"/schemas/ids/{sid}/subjects", params={"deleted": "true"}))
	assert sorted(subjects) == sorted([s1, s2, s3])

	def key(sv):
		return (sv["subject"], sv["version"])

	vs = h.ok(server.get(f"/schemas/ids/{sid}/versions"))
	assert sorted(vs, key=key) == sorted([{"subject": s1, "version": 1}, {"subject": s3, "version": 2}], key=key)
	vs = h.ok(server.get(f"/schemas/ids/{sid}/versions", params={"deleted": "true"}))
	assert sorted(vs, key=key) == sorted([{"subject": s1, "version": 1}, {"subject": s2, "version": 1},
		{"subject": s3, "version": 2}], key=key)


def _register_family(server):
	"""Two subjects under one fresh prefix, two versions each (compatible)."""
	prefix = f"fam-{h.uid()}-"
	name_a, name_b = f"A_{h.uid()}", f"B_{h.uid()}"
	subjects = {}
	for subj, name in ((prefix + "a", name_a), (prefix + "b", name_b)):
		v1 = h.record([h.field("x", "int")], name=name)
		v2 = h.record([h.field("x", "int"), h.field("y", "string", default="")], name=name)
		subjects[subj] = [(h.register_ok(server, subj, v1), v1), (h.register_ok(server, subj, v2), v2)]
	return prefix, subjects


def test_list_schemas_subject_prefix(server):
	prefix, subjects = _register_family(server)
	h.register_ok(server, "other-" + prefix, h.unique_schema())
	got = h.ok(server.get("/schemas", params={"subjectPrefix": prefix}))
	assert isinstance(got, list)
	seen = set()
	for e in got:
		assert e["subject"] in subjects, e
		sid, schema = subjects[e["subject"]][e["version"] - 1]
		assert e["id"] == sid
		assert h.same_schema(e["schema"], schema)
		assert e["schemaType"] == "AVRO"
		seen.add((e["subject"], e["version"]))
	assert seen == {(s, v) for s in subjects for v in (1, 2)}


def test_list_schemas_latest_only(server):
	prefix, subjects = _register_family(server)
	got = h.ok(server.get("/schemas", params={"subjectPrefix": prefix, "latestOnly": "true"}))
	assert sorted((e["subject"], e["version"], e["id"]) for e in got) == sorted(
		(s, 2, subjects[s][1][0]) for s in subjects)


def test_list_schemas_deleted(server):
	prefix, subjects = _register_family(server)
	subj_a = prefix + "a"
	h.ok(h.delete_version(server, subj_a, 2))
	got = h.ok(server.get("/schemas", params={"subjectPrefix": prefix}))
	assert sorted((e["subject"], e["version"]) for e in got) == sorted(
		[(subj_a, 1), (prefix + "b", 1), (prefix + "b", 2)])
	got = h.ok(server.get("/schemas", params={"subjectPrefix": prefix, "deleted": "true"}))
	assert sorted((e["subject"], e["version"]) for e in got) == sorted(
		[(subj_a, 1), (subj_a, 2), (prefix + "b", 1), (prefix + "b", 2)])


def test_list_schemas_offset_limit(server):
	prefix, _ = _register_family(server)
	full = h.ok(server.get("/schemas", params={"subjectPrefix": prefix}))
	assert len(full) == 4
	assert h.ok(server.get("/schemas", params={"subjectPrefix": prefix, "offset": 1, "limit": 2})) == full[1:3]
	assert h.ok(server.get("/schemas", params={"subjectPrefix": prefix, "offset": 3})) == full[3:]
	assert h.ok(server.get("/schemas", params={"subjectPrefix": prefix, "limit": 1})) == full[:1]
	assert h.ok(server.get("/schemas", params={"subjectPrefix": prefix, "offset": 10})) == []
	# API §2.2: a limit <= 0 is ignored.
	assert h.ok(server.get("/schemas", params={"subjectPrefix": prefix, "limit": 0})) == full


def test_list_schemas_without_prefix_includes_new_schema(server):
	subj = h.subject()
	sid = h.register_ok(server, subj, h.unique_schema())
	# page through everything (the default page is 1000 schemas, API §2.2)
	found, offset = False, 0
	while not found:
		page = h.ok(server.get("/schemas", params={"offset": offset} if offset else None))
		if not page:
			break
		found = any(e["subject"] == subj and e["id"] == sid for e in page)
		offset += len(page)
	assert found


def test_get_by_guid(server):
	# 8.x: every response carries the schema's guid, and the serdes' header
	# framing (magic byte 1) fetches the schema back by it.
	subj = h.subject()
	schema = h.unique_schema()
	sid = h.register_ok(server, subj, schema)
	by_id = h.ok(server.get(f"/schemas/ids/{sid}"))
	guid = by_id["guid"]
	by_guid = h.ok(server.get(f"/schemas/guids/{guid}"))
	assert by_guid == by_id
	assert h.ok(server.get(f"/schemas/guids/{guid}/ids")) == [{"context": ".", "id": sid}]
	h.assert_error(server.get("/schemas/guids/00000000-0000-0000-0000-000000000000"), 404, 40403)

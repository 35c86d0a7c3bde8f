"""/subjects/{s}/versions[/{v}[/schema|/referencedby]]: register, read, delete (API §2.2, §2.5)."""

import json

import pytest

import helpers as h


# ---- register ------------------------------------------------------------------

def test_register_response(server):
	subj = h.subject()
	schema = h.unique_schema()
	b = h.ok(h.register(server, subj, schema))
	assert isinstance(b["id"], int) and b["id"] > 0
	# 7.5+/8.x add version, schema, schemaType (API §2.6); check them when present.
	if "version" in b:
		assert b["version"] == 1
	if "schema" in b:
		assert h.same_schema(b["schema"], schema)
	if "schemaType" in b:
		assert b["schemaType"] == "AVRO"


def test_register_is_idempotent(server):
	subj = h.subject()
	schema = h.unique_schema()
	first = h.register_ok(server, subj, schema)
	for _ in range(3):
		assert h.register_ok(server, subj, schema) == first
	assert h.versions(server, subj) == [1]


def test_reregister_older_version_returns_it(server):
	subj = h.subject()
	v1, v2 = h.evolution(2)
	id1 = h.register_ok(server, subj, v1)
	id2 = h.register_ok(server, subj, v2)
	assert id1 != id2
	# fast path: already live under the subject -> that version, no new one
	assert h.register_ok(server, subj, v1) == id1
	assert h.versions(server, subj) == [1, 2]


def test_same_schema_other_subject_same_id(server):
	schema = h.unique_schema()
	ids = {h.register_ok(server, h.subject(), schema) for _ in range(3)}
	assert len(ids) == 1


def test_whitespace_does_not_change_identity(server):
	obj = h.record_obj([h.field("a", "int"), h.field("b", "string")])
	a = h.register_ok(server, h.subject(), h.compact(obj))
	b = h.register_ok(server, h.subject(), json.dumps(obj, indent=4))
	assert a == b


def test_different_schemas_different_ids(server):
	ids = {h.register_ok(server, h.subject(), h.unique_schema()) for _ in range(3)}
	assert len(ids) == 3


def test_doc_is_part_of_identity(server):
	# API §4: ids are keyed on the stored string, so a doc change is a new schema.
	name = f"Doc_{h.uid()}"
	a = h.register_ok(server, h.subject(), h.record([h.field("a", "int")], name=name))
	b = h.register_ok(server, h.subject(), h.record([h.field("a", "int")], name=name, doc="hello"))
	assert a != b


def test_primitive_schema(server):
	subj = h.subject()
	sid = h.register_ok(server, subj, '"string"')
	b = h.ok(h.get_version(server, subj, 1))
	assert json.loads(b["schema"]) == "string"
	assert b["id"] == sid
	# {"type":"string"} is the same primitive: Confluent's canonical string is
	# Apache Avro's Schema.toString(), which prints it as "string" (API §4).
	assert h.ok(server.post(f"/subjects/{h.q(subj)}", json={"schema": '{"type":"string"}'}))["id"] == sid


# ---- explicit version outside IMPORT ---------------------------------------------

def test_explicit_version_outside_import(server):
	subj = h.subject()
	v1, v2 = h.evolution(2)
	# API §2.5: a request version is legal outside IMPORT only when it is the
	# next one; otherwise 42201 "Version is not one more than previous version".
	assert h.register_ok(server, subj, v1, version=1) > 0
	h.assert_error(h.register(server, subj, v2, version=5), 422, 42201)
	assert h.versions(server, subj) == [1]
	h.register_ok(server, subj, v2, version=2)
	assert h.versions(server, subj) == [1, 2]


# ---- GET versions -------------------------------------------------------------------

def test_list_versions(server):
	subj = h.subject()
	for s in h.evolution(3):
		h.register_ok(server, subj, s)
	assert h.versions(server, subj) == [1, 2, 3]


def test_list_versions_unknown_subject(server):
	subj = h.subject()
	h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401,
		message=f"Subject '{subj}' not found.")


def test_list_versions_filters(server):
	subj = h.subject()
	for s in h.evolution(4):
		h.register_ok(server, subj, s)
	h.ok(h.delete_version(server, subj, 2))
	h.ok(h.delete_version(server, subj, 4))
	assert h.versions(server, subj) == [1, 3]
	assert h.versions(server, subj, deleted="true") == [1, 2, 3, 4]
	assert h.versions(server, subj, deletedOnly="true") == [2, 4]
	assert h.versions(server, subj, deleted="true", offset=1, limit=2) == [2, 3]
	assert h.versions(server, subj, offset=1) == [3]
	assert h.versions(server, subj, limit=1) == [1]
	assert h.versions(server, subj, offset=5) == []


@pytest.mark.parametrize("v", ["1", "latest", "-1", "LATEST", "Latest"])
def test_get_version_forms_single(server, v):
	subj = h.subject()
	schema = h.unique_schema()
	sid = h.register_ok(server, subj, schema)
	b = h.ok(h.get_version(server, subj, v))
	assert b["subject"] == subj
	assert b["version"] == 1
	assert b["id"] == sid
	assert h.same_schema(b["schema"], schema)
	assert b["schemaType"] == "AVRO"
	assert not b.get("references")


def test_get_version_latest_is_highest_live(server):
	subj = h.subject()
	schemas = h.evolution(3)
	ids = [h.register_ok(server, subj, s) for s in schemas]
	for v in ("latest", "-1"):
		b = h.ok(h.get_version(server, subj, v))
		assert (b["version"], b["id"]) == (3, ids[2])
	b = h.ok(h.get_version(server, subj, 2))
	assert (b["version"], b["id"]) == (2, ids[1])
	assert h.same_schema(b["schema"], schemas[1])
	h.ok(h.delete_version(server, subj, 3))
	b = h.ok(h.get_version(server, subj, "latest"))
	assert (b["version"], b["id"]) == (2, ids[1])


def test_get_raw_schema_by_version(server):
	subj = h.subject()
	v1, v2 = h.evolution(2)
	h.register_ok(server, subj, v1)
	h.register_ok(server, subj, v2)
	for v, want in (("1", v1), ("2", v2), ("latest", v2), ("-1", v2)):
		r = server.get(f"/subjects/{h.q(subj)}/versions/{v}/schema")
		assert r.status_code == 200, r.content
		h.assert_v1_content_type(r)
		assert json.loads(r.content) == json.loads(want)


def test_get_version_not_found(server):
	subj = h.subject()
	h.register_ok(server, subj, h.unique_schema())
	h.assert_error(h.get_version(server, subj, 99), 404, 40402, message="Version 99 not found.")
	h.assert_error(h.get_version(server, subj, 2147483647), 404, 40402)
	h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions/99/schema"), 404, 40402)
	h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions/99/referencedby"), 404, 40402)


def test_get_version_unknown_subject(server):
	subj = h.subject()
	for path in ("/versions/1", "/versions/latest", "/versions/1/schema", "/versions/1/referencedby"):
		h.assert_error(server.get(f"/subjects/{h.q(subj)}{path}"), 404, 40401,
			message=f"Subject '{subj}' not found.")


# API §2.2 (VersionId.java): 1..2^31-1 or "latest" (-1 = latest); anything else 42202.
INVALID_VERSIONS = ["0", "abc", "2147483648", "-2", "1.5", "99999999999999999999", "latest1"]


@pytest.mark.parametrize("v", INVALID_VERSIONS)
def test_invalid_version(server, v):
	subj = h.subject()
	schema = h.unique_schema()
	h.register_ok(server, subj, schema)
	base = f"/subjects/{h.q(subj)}/versions/{v}"
	h.assert_error(server.get(base), 422, 42202)
	h.assert_error(server.get(base + "/schema"), 422, 42202)
	h.assert_error(server.get(base + "/referencedby"), 422, 42202)
	h.assert_error(server.delete(base), 422, 42202)
	h.assert_error(server.delete(base, params={"permanent": "true"}), 422, 42202)
	h.assert_error(server.post(f"/compatibility/subjects/{h.q(subj)}/versions/{v}", json={"schema": schema}),
		422, 42202)
	assert h.versions(server, subj) == [1]


def test_get_soft_deleted_version(server):
	subj = h.subject()
	v1, v2 = h.evolution(2)
	h.register_ok(server, subj, v1)
	id2 = h.register_ok(server, subj, v2)
	h.ok(h.delete_version(server, subj, 1))
	h.assert_error(h.get_version(server, subj, 1), 404, 40402)
	h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions/1/schema"), 404, 40402)
	b = h.ok(h.get_version(server, subj, 1, deleted="true"))
	assert b["version"] == 1
	assert h.same_schema(b["schema"], v1)
	r = server.get(f"/subjects/{h.q(subj)}/versions/1/schema", params={"deleted": "true"})
	assert r.status_code == 200 and json.loads(r.content) == json.loads(v1)
	assert h.ok(h.get_version(server, subj, 2))["id"] == id2


# ---- DELETE versions ----------------------------------------------------------------

def test_delete_version_soft_then_permanent(server):
	subj = h.subject()
	v1, v2 = h.evolution(2)
	h.register_ok(server, subj, v1)
	h.register_ok(server, subj, v2)
	assert h.ok(h.delete_version(server, subj, 1)) == 1
	h.assert_error(h.delete_version(server, subj, 1), 404, 40406)
	assert h.ok(h.delete_version(server, subj, 1, permanent=True)) == 1
	h.assert_error(h.get_version(server, subj, 1, deleted="true"), 404, 40402)
	assert h.versions(server, subj, deleted="true") == [2]
	# gone for good: both deletes now find nothing
	h.assert_error(h.delete_version(server, subj, 1), 404, 40402)
	h.assert_error(h.delete_version(server, subj, 1, permanent=True), 404, 40402)


def test_delete_version_permanent_needs_soft_first(server):
	subj = h.subject()
	h.register_ok(server, subj, h.unique_schema())
	h.assert_error(h.delete_version(server, subj, 1, permanent=True), 404, 40407)
	assert h.versions(server, subj) == [1]


@pytest.mark.parametrize("v", ["latest", "-1"])
def test_delete_latest_returns_its_number(server, v):
	subj = h.subject()
	for s in h.evolution(3):
		h.register_ok(server, subj, s)
	assert h.ok(h.delete_version(server, subj, v)) == 3
	assert h.ok(h.delete_version(server, subj, v)) == 2
	assert h.versions(server, subj) == [1]


def test_delete_version_unknown(server):
	subj = h.subject()
	h.assert_error(h.delete_version(server, subj, 1), 404, 40401, message=f"Subject '{subj}' not found.")
	h.register_ok(server, subj, h.unique_schema())
	h.assert_error(h.delete_version(server, subj, 7), 404, 40402, message="Version 7 not found.")


def test_delete_last_version_hides_subject(server):
	subj = h.subject()
	h.register_ok(server, subj, h.unique_schema())
	h.ok(h.delete_version(server, subj, 1))
	assert subj not in h.ok(server.get("/subjects"))
	assert subj in h.ok(server.get("/subjects", params={"deleted": "true"}))


# ---- version numbering -------------------------------------------------------------

def test_versions_continue_after_soft_delete_of_a_version(server):
	subj = h.subject()
	s = h.evolution(3)
	h.register_ok(server, subj, s[0])
	h.register_ok(server, subj, s[1])
	h.ok(h.delete_version(server, subj, 2))
	h.register_ok(server, subj, s[2])
	# DESIGN §6: max(existing incl. soft-deleted) + 1
	assert h.versions(server, subj) == [1, 3]
	assert h.versions(server, subj, deleted="true") == [1, 2, 3]


def test_versions_continue_after_soft_delete_of_the_subject(server):
	subj = h.subject()
	s = h.evolution(3)
	h.register_ok(server, subj, s[0])
	h.register_ok(server, subj, s[1])
	h.ok(h.delete_subject(server, subj))
	h.register_ok(server, subj, s[2])
	assert h.versions(server, subj) == [3]


def test_versions_restart_after_permanent_subject_delete(server):
	subj = h.subject()
	s = h.evolution(3)
	h.register_ok(server, subj, s[0])
	h.register_ok(server, subj, s[1])
	h.ok(h.delete_subject(server, subj))
	h.ok(h.delete_subject(server, subj, permanent=True))
	h.register_ok(server, subj, s[2])
	assert h.versions(server, subj) == [1]
	assert h.ok(h.get_version(server, subj, 1))["version"] == 1


def test_version_after_hard_delete_of_the_top_version(server):
	subj = h.subject()
	s = h.evolution(4)
	for x in s[:3]:
		h.register_ok(server, subj, x)
	h.ok(h.delete_version(server, subj, 3))
	h.ok(h.delete_version(server, subj, 3, permanent=True))
	h.register_ok(server, subj, s[3])
	# the hard-deleted version no longer exists: max(1, 2) + 1
	assert h.versions(server, subj, deleted="true") == [1, 2, 3]


def test_same_id_survives_soft_delete_and_reregistration(server):
	subj = h.subject()
	s = h.evolution(2)
	id1 = h.register_ok(server, subj, s[0])
	h.register_ok(server, subj, s[1])
	h.ok(h.delete_version(server, subj, 1))
	# the id is global: registering the same text elsewhere reuses it
	assert h.register_ok(server, h.subject(), s[0]) == id1


# ---- referencedby (no references) --------------------------------------------------

def test_referencedby_empty(server):
	subj = h.subject()
	h.register_ok(server, subj, h.unique_schema())
	assert h.ok(server.get(f"/subjects/{h.q(subj)}/versions/1/referencedby")) == []
	assert h.ok(server.get(f"/subjects/{h.q(subj)}/versions/latest/referencedby")) == []


# ---- metadata and ruleSet ------------------------------------------------------------

METADATA = {"properties": {"owner": "team-a", "domain": "llm"}, "tags": {"f0": ["PII"]},
	"sensitive": ["s3cret"]}
RULESET = {"domainRules": [{"name": "checkF0", "kind": "CONDITION", "mode": "WRITE", "type": "CEL",
	"expr": "message.f0 > 0", "params": {"k": "v"}, "onFailure": "ERROR"}]}


def test_metadata_and_ruleset_are_stored_and_returned(server):
	subj = h.subject()
	schema = h.unique_schema()
	sid = h.register_ok(server, subj, schema, metadata=METADATA, ruleSet=RULESET)
	b = h.ok(h.get_version(server, subj, 1))
	assert b["id"] == sid
	h.assert_subset(METADATA, b["metadata"])
	h.assert_subset(RULESET, b["ruleSet"])
	b = h.ok(server.get(f"/schemas/ids/{sid}"))
	h.assert_subset(METADATA, b["metadata"])
	h.assert_subset(RULESET, b["ruleSet"])
	# and found again by lookup with the same metadata
	b = h.ok(server.post(f"/subjects/{h.q(subj)}", json={"schema": schema, "metadata": METADATA,
		"ruleSet": RULESET}))
	assert b["id"] == sid


def test_metadata_and_ruleset_are_part_of_identity(server):
	schema = h.unique_schema()
	other_meta = {"properties": {"owner": "team-b"}}
	plain = h.register_ok(server, h.subject(), schema)
	with_meta = h.register_ok(server, h.subject(), schema, metadata=METADATA)
	with_other_meta = h.register_ok(server, h.subject(), schema, metadata=other_meta)
	with_rules = h.register_ok(server, h.subject(), schema, ruleSet=RULESET)
	assert len({plain, with_meta, with_other_meta, with_rules}) == 4
	# the same text with the same metadata dedups to the same id
	assert h.register_ok(server, h.subject(), schema, metadata=METADATA) == with_meta
	assert h.register_ok(server, h.subject(), schema, ruleSet=RULESET) == with_rules


def test_metadata_change_makes_a_new_version(server):
	subj = h.subject()
	schema = h.unique_schema()
	id1 = h.register_ok(server, subj, schema, metadata={"properties": {"owner": "a"}})
	id2 = h.register_ok(server, subj, schema, metadata={"properties": {"owner": "b"}})
	assert id1 != id2
	assert h.versions(server, subj) == [1, 2]
	assert h.ok(h.get_version(server, subj, 2))["metadata"]["properties"]["owner"] == "b"


def test_reregistration_after_hard_delete_reuses_the_id(server):
	# API §2.5: re-registering a schema after a hard delete reuses its old id
	# (Confluent's hash -> id map keeps it; Karapace asserts the same, KAR #283).
	subj = h.subject()
	schema = h.unique_schema()
	sid = h.register_ok(server, subj, schema)
	h.ok(h.delete_subject(server, subj))
	h.ok(h.delete_subject(server, subj, permanent=True))
	assert h.register_ok(server, subj, schema) == sid
	assert h.versions(server, subj) == [1]

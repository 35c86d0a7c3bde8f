"""Registering JSON Schemas (`schemaType: "JSON"`): the draft chosen by
`$schema` (draft-07 without it, configurable), meta-schema validation with
42201 naming the failing place, references to other subjects (Confluent
references, name = the `$ref` URI), no network fetches, the canonical and
the normalized forms, ids and lookup.

Contract: the issue text of the JSON Schema capability, docs/conformance.md
("Behaviour worth knowing"), DESIGN §5 and §6, research/confluent-api.md §2
and §4 (Confluent keeps the key order in the canonical string and sorts keys
with normalize=true).
"""

import json

import pytest

import helpers as h

D4 = "http://json-schema.org/draft-04/schema#"
D6 = "http://json-schema.org/draft-06/schema#"
D7 = "http://json-schema.org/draft-07/schema#"
D2019 = "https://json-schema.org/draft/2019-09/schema"
D2020 = "https://json-schema.org/draft/2020-12/schema"


def reg(srv, subj, schema, params=None, **fields):
	text = schema if isinstance(schema, str) else h.compact(schema)
	return h.register(srv, subj, text, params=params, schemaType="JSON", **fields)


def reg_ok(srv, subj, schema, params=None, **fields):
	b = h.ok(reg(srv, subj, schema, params=params, **fields))
	assert isinstance(b.get("id"), int) and b["id"] > 0, b
	assert b.get("schemaType") == "JSON", b
	return b


def with_schema(dialect, schema):
	out = {"$schema": dialect} if dialect else {}
	out.update(schema)
	return out


def validate(srv, subj, doc, version="latest", **params):
	r = srv.post(f"/subjects/{h.q(subj)}/versions/{version}/validate", data=json.dumps(doc),
		headers={"Content-Type": "application/json"}, params=params or None)
	return h.ok(r)


def assert_valid(srv, subj, doc, want):
	b = validate(srv, subj, doc)
	assert b["valid"] is want, f"{doc!r} against {subj}: {b}"


def assert_invalid_schema(resp, *fragments):
	"""42201 whose message names each fragment (the failing place)."""
	b = h.assert_error(resp, 422, 42201)
	for f in fragments:
		assert f in b["message"], f"42201 message does not name {f!r}: {b['message']!r}"
	return b


# ---- drafts -----------------------------------------------------------------------

# (dialect, schema, document, valid under this draft, a draft where the same
#  keywords mean something else, valid there). Each pair shows that $schema
# selected the draft: the keyword is new in (or changed by) that draft.
DRAFT_SEMANTICS = [
	# draft-04: exclusiveMaximum is a boolean modifier of maximum
	(D4, {"type": "number", "maximum": 5, "exclusiveMaximum": True}, 5, False, None, None),
	# draft-06: exclusiveMaximum is a number of its own
	(D6, {"type": "number", "exclusiveMaximum": 5}, 5, False, None, None),
	# draft-07: if/then/else (draft-06 ignores them)
	(D7, {"if": {"properties": {"k": {"const": "a"}}}, "then": {"required": ["x"]}}, {"k": "a"}, False, D6, True),
	# 2019-09: dependentRequired (draft-07 ignores it)
	(D2019, {"dependentRequired": {"a": ["b"]}}, {"a": 1}, False, D7, True),
	# 2020-12: prefixItems (2019-09 ignores it)
	(D2020, {"prefixItems": [{"type": "string"}]}, [1], False, D2019, True),
]


@pytest.mark.parametrize("dialect,schema,doc,valid,other,other_valid", DRAFT_SEMANTICS,
	ids=["draft-04", "draft-06", "draft-07", "2019-09", "2020-12"])
def test_schema_keyword_selects_the_draft(server, dialect, schema, doc, valid, other, other_valid):
	subj = h.subject("js-draft")
	reg_ok(server, subj, with_schema(dialect, schema))
	assert_valid(server, subj, doc, valid)
	if other:
		subj2 = h.subject("js-draft")
		reg_ok(server, subj2, with_schema(other, schema))
		assert_valid(server, subj2, doc, other_valid)


def test_draft_04_and_06_disagree_on_exclusive_maximum(server):
	# the draft-04 boolean form is invalid against the draft-06 meta-schema and
	# the draft-06 number form against the draft-04 one
	assert_invalid_schema(reg(server, h.subject(), {"$schema": D6, "maximum": 5, "exclusiveMaximum": True}),
		"#/exclusiveMaximum")
	assert_invalid_schema(reg(server, h.subject(), {"$schema": D4, "exclusiveMaximum": 5}),
		"#/exclusiveMaximum")
	# so is the array form of items in 2020-12, valid in 2019-09
	reg_ok(server, h.subject(), {"$schema": D2019, "items": [{"type": "string"}]})
	assert_invalid_schema(reg(server, h.subject(), {"$schema": D2020, "items": [{"type": "string"}]}), "#/items")


@pytest.mark.parametrize("dialect", [
	"http://json-schema.org/draft-07/schema",
	"https://json-schema.org/draft-07/schema#",
	"http://json-schema.org/draft-04/schema",
	"https://json-schema.org/draft/2020-12/schema#",
])
def test_dialect_uri_spellings(server, dialect):
	"""http or https, with or without the empty fragment (docs/conformance.md)."""
	reg_ok(server, h.subject(), {"$schema": dialect, "type": "string"})


def test_without_schema_keyword_the_default_is_draft_07(server):
	subj = h.subject("js-default")
	# if/then applies: at least draft-07
	reg_ok(server, subj, {"if": {"properties": {"k": {"const": "a"}}}, "then": {"required": ["x"]}})
	assert_valid(server, subj, {"k": "a"}, False)
	assert_valid(server, subj, {"k": "a", "x": 1}, True)
	# dependentRequired and prefixItems do not: before 2019-09
	subj2 = h.subject("js-default")
	reg_ok(server, subj2, {"dependentRequired": {"a": ["b"]}, "prefixItems": [{"type": "string"}]})
	assert_valid(server, subj2, {"a": 1}, True)
	assert_valid(server, subj2, [1], True)
	# the draft-04 boolean exclusiveMaximum is refused: after draft-04
	assert_invalid_schema(reg(server, h.subject(), {"maximum": 5, "exclusiveMaximum": True}), "#/exclusiveMaximum")
	# the draft-07 meta-schema is the one named
	assert_invalid_schema(reg(server, h.subject(), {"type": "int"}), "draft-07")


def test_default_draft_is_configurable(make_server):
	srv = make_server(env={"SCHEMA_REGISTRY_JSON_SCHEMA_DIALECT": D2020})
	subj = h.subject("js-dialect")
	reg_ok(srv, subj, {"prefixItems": [{"type": "string"}]})
	assert_valid(srv, subj, [1], False)
	assert_valid(srv, subj, ["a", 1], True)
	# an explicit $schema still wins
	subj2 = h.subject("js-dialect")
	reg_ok(srv, subj2, {"$schema": D7, "prefixItems": [{"type": "string"}]})
	assert_valid(srv, subj2, [1], True)


def test_unknown_schema_dialect_is_refused(server):
	b = assert_invalid_schema(reg(server, h.subject(), {"$schema": "http://example.com/my-meta#", "type": "string"}),
		"$schema")
	assert "http://example.com/my-meta#" in b["message"]
	assert_invalid_schema(reg(server, h.subject(), {"$schema": 7, "type": "string"}), "$schema")


# ---- meta-schema validation -----------------------------------------------------------

@pytest.mark.parametrize("schema,location", [
	({"type": "int"}, "#/type"),
	({"type": "object", "properties": {"age": {"type": "int"}}}, "#/properties/age/type"),
	({"type": "object", "required": "a"}, "#/required"),
	({"type": "string", "minLength": -1}, "#/minLength"),
	({"type": "array", "items": {"type": "object", "properties": {"a": {"maxItems": "3"}}}},
		"#/items/properties/a/maxItems"),
	({"$schema": D2020, "$defs": {"x": {"enum": "a"}}}, "#/$defs/x/enum"),
	({"$schema": D2019, "type": "object", "properties": {"a": {"type": ["string", "strin"]}}},
		"#/properties/a/type"),
], ids=["type", "nested-type", "required", "minLength", "deep-maxItems", "defs-enum", "type-array"])
def test_schema_invalid_against_its_meta_schema(server, schema, location):
	subj = h.subject("js-invalid")
	b = assert_invalid_schema(reg(server, subj, schema), location)
	assert b["message"].startswith("Invalid schema"), b
	# nothing registered; the compatibility check refuses it the same way
	h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401)
	other = h.subject("js-invalid")
	reg_ok(server, other, {"type": "string"})
	assert_invalid_schema(server.post(f"/compatibility/subjects/{h.q(other)}/versions/latest",
		json={"schema": h.compact(schema), "schemaType": "JSON"}), location)


@pytest.mark.parametrize("text", ['{"type": "string"', "[]", "42", '"string"', "null", ""],
	ids=["truncated", "array", "number", "string", "null", "empty"])
def test_schema_text_that_is_no_schema(server, text):
	h.assert_error(reg(server, h.subject(), text), 422, 42201)


def test_boolean_schemas(server):
	subj = h.subject("js-bool")
	reg_ok(server, subj, "true")
	assert_valid(server, subj, {"anything": [1, 2]}, True)
	subj2 = h.subject("js-bool")
	reg_ok(server, subj2, "false")
	assert_valid(server, subj2, 1, False)


def test_schema_types_lists_json(server):
	assert "JSON" in h.ok(server.get("/schemas/types"))


# ---- references -----------------------------------------------------------------------

ADDRESS = {"$id": "https://example.com/schemas/address.json", "type": "object",
	"properties": {"city": {"type": "string"}, "zip": {"type": "string", "pattern": "^[0-9]{5}$"}},
	"required": ["city"]}


def register_address(srv):
	subj = h.subject("js-address")
	b = reg_ok(srv, subj, ADDRESS)
	return subj, b["id"]


def test_reference_by_absolute_uri_resolves(server):
	addr_subj, addr_id = register_address(server)
	person = {"type": "object", "properties": {
		"name": {"type": "string"},
		"home": {"$ref": "https://example.com/schemas/address.json"}}}
	refs = [{"name": "https://example.com/schemas/address.json", "subject": addr_subj, "version": 1}]
	subj = h.subject("js-person")
	b = reg_ok(server, subj, person, references=refs)
	assert b["references"] == refs, b
	# the stored schema keeps the $ref as written; the reference travels beside it
	got = h.ok(server.get(f"/schemas/ids/{b['id']}"))
	assert got["schemaType"] == "JSON" and got["references"] == refs and json.loads(got["schema"]) == person
	# validation goes through the referenced schema
	assert_valid(server, subj, {"name": "Ada", "home": {"city": "Paris"}}, True)
	bad = validate(server, subj, {"name": "Ada", "home": {"zip": "7501"}})
	assert bad["valid"] is False
	locs = {(e["instanceLocation"], e["keywordLocation"].split("/")[-1]) for e in bad["errors"]}
	assert ("/home", "required") in locs and ("/home/zip", "pattern") in locs, bad
	# the referenced version knows who uses it, and cannot be deleted under it (42206)
	assert h.ok(server.get(f"/subjects/{h.q(addr_subj)}/versions/1/referencedby")) == [b["id"]]
	h.assert_error(h.delete_version(server, addr_subj, 1), 422, 42206)
	assert addr_id != b["id"]


def test_reference_by_plain_name_and_pointer_fragment(server):
	money = h.subject("js-money")
	reg_ok(server, money, {"$defs": {"amount": {"type": "number", "multipleOf": 0.01, "minimum": 0}}})
	order = {"type": "object", "properties": {"total": {"$ref": "money.json#/$defs/amount"}}}
	subj = h.subject("js-order")
	reg_ok(server, subj, order, references=[{"name": "money.json", "subject": money, "version": 1}])
	assert_valid(server, subj, {"total": 12.5}, True)
	b = validate(server, subj, {"total": 1.005})
	assert b["valid"] is False and b["errors"][0]["instanceLocation"] == "/total", b
	assert b["errors"][0]["keywordLocation"].endswith("/multipleOf"), b


def test_reference_chain_across_three_subjects(server):
	addr_subj, _ = register_address(server)
	person = h.subject("js-person")
	reg_ok(server, person, {"$id": "https://example.com/schemas/person.json", "type": "object",
		"properties": {"address": {"$ref": "address.json"}}},
		references=[{"name": "https://example.com/schemas/address.json", "subject": addr_subj, "version": 1}])
	team = h.subject("js-team")
	reg_ok(server, team, {"type": "array", "items": {"$ref": "https://example.com/schemas/person.json"}},
		references=[{"name": "https://example.com/schemas/person.json", "subject": person, "version": 1}])
	assert_valid(server, team, [{"address": {"city": "Rome"}}], True)
	assert_valid(server, team, [{"address": {"city": 1}}], False)


def test_unresolvable_references_are_42201(server):
	addr_subj, _ = register_address(server)
	schema = {"type": "object", "properties": {"a": {"$ref": "https://example.com/schemas/address.json"}}}
	# no reference given
	b = assert_invalid_schema(reg(server, h.subject(), schema), "#/properties/a/$ref")
	assert "https://example.com/schemas/address.json" in b["message"]
	# a reference to a subject or version that does not exist
	assert_invalid_schema(reg(server, h.subject(), schema, references=[
		{"name": "https://example.com/schemas/address.json", "subject": h.subject("missing"), "version": 1}]))
	assert_invalid_schema(reg(server, h.subject(), schema, references=[
		{"name": "https://example.com/schemas/address.json", "subject": addr_subj, "version": 7}]))
	# a reference under another name does not resolve a $ref (the referenced
	# document has no $id of its own to be known by)
	plain = h.subject("js-plain")
	reg_ok(server, plain, {"type": "integer"})
	assert_invalid_schema(reg(server, h.subject(), {"properties": {"a": {"$ref": "wanted.json"}}}, references=[
		{"name": "other.json", "subject": plain, "version": 1}]), "#/properties/a/$ref")
	# a pointer that leads nowhere in the referenced document
	assert_invalid_schema(reg(server, h.subject(), {"$ref": "address.json#/definitions/nope"}, references=[
		{"name": "address.json", "subject": addr_subj, "version": 1}]))
	# a local pointer that leads nowhere
	assert_invalid_schema(reg(server, h.subject(), {"properties": {"a": {"$ref": "#/$defs/missing"}}}),
		"#/properties/a/$ref")


@pytest.mark.parametrize("uri", [
	"https://example.com/schemas/address.json",
	"http://127.0.0.1:1/schema.json",
	"http://json-schema.org/draft-07/other#",
	"ftp://example.com/x.json#/a",
	"urn:example:not-registered",
])
def test_ref_to_a_network_url_is_never_fetched(server, uri):
	b = assert_invalid_schema(reg(server, h.subject(), {"type": "object", "properties": {"a": {"$ref": uri}}}),
		"#/properties/a/$ref")
	assert uri.split("#")[0] in b["message"], b
	h.assert_healthy(server)


def test_ref_to_an_official_meta_schema_resolves_offline(server):
	"""URIs of the official meta-schemas resolve to the embedded copies (docs/conformance.md)."""
	subj = h.subject("js-meta")
	reg_ok(server, subj, {"type": "object", "properties": {"schema": {"$ref": D7}}})
	assert_valid(server, subj, {"schema": {"type": "string"}}, True)
	assert_valid(server, subj, {"schema": {"type": "int"}}, False)


# ---- canonical string, normalize, ids, lookup ----------------------------------------------

SPELLED = '{ "type" : "object",\n\t"properties": {"n": {"type": "number", "maximum": 1.50, "minimum": 1e2},\n' \
	'"m": {"multipleOf": 0.010}}, "required" : ["n", "m"], "x-note": -0.0 }'
CANONICAL = '{"type":"object","properties":{"n":{"type":"number","maximum":1.50,"minimum":1e2},' \
	'"m":{"multipleOf":0.010}},"required":["n","m"],"x-note":-0.0}'
NORMALIZED = '{"properties":{"m":{"multipleOf":0.010},"n":{"maximum":1.50,"minimum":1e2,"type":"number"}},' \
	'"required":["n","m"],"type":"object","x-note":-0.0}'


def test_canonical_string_keeps_key_order_and_number_lexemes(server):
	subj = h.subject("js-canon")
	b = reg_ok(server, subj, SPELLED)
	assert b["schema"] == CANONICAL
	assert h.ok(server.get(f"/schemas/ids/{b['id']}"))["schema"] == CANONICAL
	assert h.ok(h.get_version(server, subj, 1))["schema"] == CANONICAL
	r = server.get(f"/subjects/{h.q(subj)}/versions/1/schema")
	assert r.status_code == 200 and r.text == CANONICAL
	# the same schema spelled compactly is the same schema: same id, no new version
	again = reg_ok(server, subj, CANONICAL)
	assert (again["id"], again["version"]) == (b["id"], 1)
	assert h.versions(server, subj) == [1]


def test_normalize_sorts_keys_and_unifies_spellings(server):
	subj = h.subject("js-norm")
	b = reg_ok(server, subj, SPELLED, params={"normalize": "true"})
	assert b["schema"] == NORMALIZED
	# arrays keep their order; numbers keep their lexemes
	assert json.loads(b["schema"])["required"] == ["n", "m"]
	# another key order of the same schema normalizes equal: same id, under any subject
	reordered = '{"x-note":-0.0,"required":["n","m"],"properties":{"m":{"multipleOf":0.010},' \
		'"n":{"minimum":1e2,"type":"number","maximum":1.50}},"type":"object"}'
	again = reg_ok(server, subj, reordered, params={"normalize": "true"})
	assert (again["id"], again["version"]) == (b["id"], 1)
	other = reg_ok(server, h.subject("js-norm"), reordered, params={"normalize": "true"})
	assert other["id"] == b["id"]
	# lookup with normalize=true finds it from either spelling
	for text in (SPELLED, reordered):
		found = h.ok(server.post(f"/subjects/{h.q(subj)}", json={"schema": text, "schemaType": "JSON"},
			params={"normalize": "true"}))
		assert (found["id"], found["version"]) == (b["id"], 1), found
	# without normalize the two spellings are two schemas
	plain = reg_ok(server, h.subject("js-norm"), reordered)
	assert plain["id"] != b["id"] and plain["schema"] == reordered


def test_normalize_from_subject_config(server):
	subj = h.subject("js-norm-cfg")
	h.ok(server.put(f"/config/{h.q(subj)}", json={"normalize": True}))
	assert reg_ok(server, subj, SPELLED)["schema"] == NORMALIZED


def test_same_schema_same_id_across_subjects(server):
	schema = {"type": "object", "properties": {"k": {"type": "string", "const": h.uid()}}}
	a = reg_ok(server, h.subject("js-id"), schema)
	b = reg_ok(server, h.subject("js-id"), h.compact(schema).replace(",", ", "))
	assert a["id"] == b["id"] and a["guid"] == b["guid"]


def test_lookup_by_equivalent_json(server):
	subj = h.subject("js-lookup")
	v1 = reg_ok(server, subj, {"type": "object", "properties": {"a": {"type": "string"}}})
	v2 = reg_ok(server, subj, {"type": "object", "properties": {"a": {"type": "string", "description": "d"}}})
	# whitespace and escapes differ, the JSON is the same
	text = '{\n  "type": "object",\n  "properties": {\n    "\\u0061": {"type": "string", "description": "\\u0064"}\n  }\n}'
	found = h.ok(server.post(f"/subjects/{h.q(subj)}", json={"schema": text, "schemaType": "JSON"}))
	assert (found["id"], found["version"], found["subject"]) == (v2["id"], 2, subj), found
	assert found["schemaType"] == "JSON"
	found1 = h.ok(server.post(f"/subjects/{h.q(subj)}",
		json={"schema": '{ "type":"object", "properties":{ "a":{ "type":"string" } } }', "schemaType": "JSON"}))
	assert (found1["id"], found1["version"]) == (v1["id"], 1)
	# a schema the subject does not have, and a subject that does not exist
	h.assert_error(server.post(f"/subjects/{h.q(subj)}",
		json={"schema": '{"type":"object"}', "schemaType": "JSON"}), 404, 40403)
	h.assert_error(server.post(f"/subjects/{h.q(h.subject())}",
		json={"schema": '{"type":"object"}', "schemaType": "JSON"}), 404, 40401)


def test_lookup_with_references(server):
	addr_subj, _ = register_address(server)
	refs = [{"name": "https://example.com/schemas/address.json", "subject": addr_subj, "version": 1}]
	schema = {"type": "object", "properties": {"home": {"$ref": "https://example.com/schemas/address.json"}}}
	subj = h.subject("js-lookup-ref")
	b = reg_ok(server, subj, schema, references=refs)
	found = h.ok(server.post(f"/subjects/{h.q(subj)}",
		json={"schema": h.compact(schema), "schemaType": "JSON", "references": refs}))
	assert found["id"] == b["id"] and found["references"] == refs


def test_json_and_avro_in_one_registry(server):
	"""A JSON subject and an Avro subject side by side; the type is reported on every read."""
	js = h.subject("js-mixed")
	av = h.subject("av-mixed")
	jb = reg_ok(server, js, {"type": "string"})
	ab = h.ok(h.register(server, av, h.unique_schema()))
	assert h.ok(server.get(f"/schemas/ids/{jb['id']}"))["schemaType"] == "JSON"
	assert h.ok(server.get(f"/schemas/ids/{ab['id']}"))["schemaType"] == "AVRO"
	assert h.ok(h.get_version(server, js, "latest"))["schemaType"] == "JSON"
	listed = h.ok(server.get("/schemas", params={"subjectPrefix": js}))
	assert [s["schemaType"] for s in listed] == ["JSON"]

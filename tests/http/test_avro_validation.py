"""Avro validation through the API: invalid schemas are 42201 (API §2.5 step 3; DESIGN §5)."""

import json

import pytest

import helpers as h


def rec(*fields, name="R", **extra):
	return h.record(list(fields), name=name, **extra)


INVALID = {
	"default-string-for-int": rec(h.field("a", "int", default="x")),
	"default-number-for-string": rec(h.field("a", "string", default=1)),
	"default-string-for-boolean": rec(h.field("a", "boolean", default="true")),
	"default-object-for-array": rec(h.field("a", {"type": "array", "items": "int"}, default={})),
	"default-missing-record-field": rec(h.field("a", {"type": "record", "name": "In",
		"fields": [{"name": "x", "type": "int"}]}, default={"y": 1})),
	"record-name-starts-with-digit": rec(h.field("a", "int"), name="1abc"),
	"record-name-with-dash": rec(h.field("a", "int"), name="a-b"),
	"record-name-empty": rec(h.field("a", "int"), name=""),
	"field-name-with-dash": rec(h.field("bad-name", "int")),
	"enum-symbol-invalid": rec(h.field("e", {"type": "enum", "name": "E", "symbols": ["A", "1B"]})),
	"enum-symbol-duplicate": rec(h.field("e", {"type": "enum", "name": "E", "symbols": ["A", "A"]})),
	"duplicate-field": rec(h.field("a", "int"), h.field("a", "string")),
	"unknown-named-type": rec(h.field("a", "com.nope.Missing")),
	"unknown-primitive": rec(h.field("a", "integer")),
	"unknown-type-keyword": '{"type":"nope"}',
	"fixed-without-size": rec(h.field("f", {"type": "fixed", "name": "F"})),
	"fixed-negative-size": rec(h.field("f", {"type": "fixed", "name": "F", "size": -1})),
	"record-without-fields": '{"type":"record","name":"R"}',
	"fields-not-a-list": '{"type":"record","name":"R","fields":{"a":"int"}}',
	"array-without-items": rec(h.field("a", {"type": "array"})),
	"map-without-values": rec(h.field("a", {"type": "map"})),
	"union-duplicate-branch": rec(h.field("a", ["int", "int"])),
	"union-nested": rec(h.field("a", ["null", ["int", "string"]])),
	"named-type-redefined": rec(
		h.field("a", {"type": "record", "name": "X", "fields": [{"name": "x", "type": "int"}]}),
		h.field("b", {"type": "record", "name": "X", "fields": [{"name": "y", "type": "int"}]})),
	"field-without-type": '{"type":"record","name":"R","fields":[{"name":"a"}]}',
	"not-json": "{not json",
	"truncated-json": '{"type":"record","name":"R","fields":[',
	"empty-string": "",
	"json-number": "42",
}

VALID = {
	"primitive": '"int"',
	"primitive-object": '{"type":"long"}',
	"map": '{"type":"map","values":"long"}',
	"array-of-union": '{"type":"array","items":["null","string"]}',
	"fixed": '{"type":"fixed","name":"F16","size":16}',
	"enum-with-default": '{"type":"enum","name":"Color","symbols":["RED","GREEN"],"default":"RED"}',
	"recursive": rec(h.field("next", ["null", "Node"], default=None), name="Node"),
	"logical-types": rec(
		h.field("d", {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}),
		h.field("u", {"type": "string", "logicalType": "uuid"}),
		h.field("t", {"type": "long", "logicalType": "timestamp-millis"}),
		h.field("dt", {"type": "int", "logicalType": "date"})),
	"defaults-of-every-kind": rec(
		h.field("i", "int", default=1), h.field("l", "long", default=2), h.field("f", "float", default=1.5),
		h.field("d", "double", default=-0.25), h.field("b", "boolean", default=True),
		h.field("s", "string", default="ü"), h.field("y", "bytes", default="\u00ff"),
		h.field("n", "null", default=None), h.field("a", {"type": "array", "items": "int"}, default=[1, 2]),
		h.field("m", {"type": "map", "values": "int"}, default={"k": 1}),
		h.field("u", ["null", "int"], default=None),
		h.field("e", {"type": "enum", "name": "E", "symbols": ["A", "B"]}, default="B"),
		h.field("fx", {"type": "fixed", "name": "F2", "size": 2}, default="ab")),
	"namespaced-fullname": rec(h.field("a", "int"), name="com.example.Full"),
	"unicode-doc-and-custom-props": rec(h.field("a", "int", doc="ünïcödé ✓"), doc="文書", **{"x-owner": "me"}),
	"aliases": rec(h.field("a", "int", aliases=["old_a"]), aliases=["OldR"]),
}


@pytest.mark.parametrize("schema", list(INVALID.values()), ids=list(INVALID.keys()))
def test_invalid_avro(server, schema):
	subj = h.subject()
	h.assert_error(h.register(server, subj, schema), 422, 42201)
	h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401)


@pytest.mark.parametrize("schema", list(VALID.values()), ids=list(VALID.keys()))
def test_valid_avro(server, schema):
	subj = h.subject()
	sid = h.register_ok(server, subj, schema)
	b = h.ok(h.get_version(server, subj, 1))
	assert b["id"] == sid
	# The returned text is the same schema. Apache Avro's printer (Confluent's
	# canonical string, API §4) may spell a primitive {"type":"long"} as "long"
	# and split a full name into name + namespace; otherwise the JSON is equal.
	got, sent = json.loads(b["schema"]), json.loads(schema)
	if isinstance(sent, dict) and set(sent) == {"type"}:
		assert got in (sent, sent["type"])
	elif isinstance(sent, dict) and "." in sent.get("name", ""):
		ns, _, short = sent["name"].rpartition(".")
		assert got in (sent, {**sent, "name": short, "namespace": ns})
	else:
		assert got == sent
	# and what it returns is found again as the same schema
	again = h.ok(server.post(f"/subjects/{h.q(subj)}", json={"schema": b["schema"]}))
	assert (again["id"], again["version"]) == (sid, 1)


def test_explicit_avro_schema_type(server):
	subj = h.subject()
	sid = h.register_ok(server, subj, h.unique_schema(), schemaType="AVRO")
	assert h.ok(server.get(f"/schemas/ids/{sid}"))["schemaType"] == "AVRO"


@pytest.mark.parametrize("t", ["XML", "avro2", "THRIFT"])
def test_unknown_schema_type(server, t):
	subj = h.subject()
	h.assert_error(h.register(server, subj, h.unique_schema(), schemaType=t), 422, 42201)

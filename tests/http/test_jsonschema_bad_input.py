"""Hostile JSON Schemas and documents: cyclic $refs, a 10,000-deep schema,
catastrophic-backtracking patterns, an enum of 100,000 members, invalid
$schema, $refs to network URLs, documents far over the body limit. Each gets
a clear error or a bounded answer, within a time bound, and the server stays
up (checked after every case).

Contract: the issue text of the JSON Schema capability ("each gets a clear
error or a bounded answer; the server stays up", "Recursive schemas
terminate and combinator matching is bounded"), DESIGN §3 ("Hitting one is a
clean 4xx, never a crash"), DESIGN §7 (recursion memoised, matching
budgeted), docs/conformance.md "Limits".

Time bounds stretch by $SR_TIME_FACTOR (e.g. for a sanitizer build).
"""

import json
import os
import time

import pytest
import requests

import helpers as h

FACTOR = float(os.environ.get("SR_TIME_FACTOR", "1"))
D4 = "http://json-schema.org/draft-04/schema#"


def bound(seconds):
	return seconds * FACTOR


class Timed:
	"""with Timed(5) as t: ... ; asserts the block took under 5 s (scaled)."""

	def __init__(self, seconds, what=""):
		self.limit = bound(seconds)
		self.what = what

	def __enter__(self):
		self.t0 = time.monotonic()
		return self

	def __exit__(self, *exc):
		self.elapsed = time.monotonic() - self.t0
		if exc[0] is None:
			assert self.elapsed < self.limit, f"{self.what}: took {self.elapsed:.2f}s, bound {self.limit:.1f}s"
		return False


def reg(srv, subj, schema, timeout=30, **fields):
	text = schema if isinstance(schema, str) else h.compact(schema)
	return srv.post(f"/subjects/{h.q(subj)}/versions", json={"schema": text, "schemaType": "JSON", **fields},
		timeout=bound(timeout))


def validate(srv, subj, body, version=1, timeout=30, ct="application/json", **params):
	data = body if isinstance(body, (str, bytes)) else json.dumps(body)
	return srv.post(f"/subjects/{h.q(subj)}/versions/{version}/validate", data=data,
		headers={"Content-Type": ct}, params=params or None, timeout=bound(timeout))


def compat(srv, subj, schema, timeout=30):
	text = schema if isinstance(schema, str) else h.compact(schema)
	return srv.post(f"/compatibility/subjects/{h.q(subj)}/versions/latest", params={"verbose": "true"},
		json={"schema": text, "schemaType": "JSON"}, timeout=bound(timeout))


def registered(srv, schema):
	subj = h.subject("jsbad")
	h.ok(reg(srv, subj, schema))
	return subj


def up(srv):
	r = srv.get("/health", timeout=5)
	assert r.status_code == 200, f"/health -> {r.status_code}"


def fails_within(srv, seconds, what, call):
	"""Run `call`; if the server has not answered within the bound, stop that
	server at once (its worker may stay busy for minutes) and fail."""
	try:
		with Timed(seconds, what):
			return call()
	except requests.exceptions.Timeout:
		srv.kill()
		pytest.fail(f"{what}: no answer within {bound(seconds):.0f}s (server stopped)", pytrace=False)


# ---- cyclic $refs ------------------------------------------------------------------------

@pytest.mark.parametrize("schema", [
	{"$ref": "#"},
	{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"},
	{"definitions": {"a": {"allOf": [{"$ref": "#/definitions/b"}]}, "b": {"anyOf": [{"$ref": "#/definitions/a"}]}},
		"$ref": "#/definitions/a"},
	{"$defs": {"a": {"not": {"$ref": "#/$defs/a"}}}, "$ref": "#/$defs/a"},
	{"$id": "urn:x", "$defs": {"a": {"$id": "urn:y", "$ref": "urn:x"}}, "$ref": "urn:y"},
	{"$schema": "https://json-schema.org/draft/2020-12/schema", "$dynamicAnchor": "n", "$dynamicRef": "#n"},
], ids=["self", "pair", "through-combinators", "through-not", "through-ids", "dynamic"])
def test_cycles_that_never_descend_answer_and_validation_terminates(server, schema):
	"""A $ref cycle that never enters the document: registration answers at
	once, with 42201 (docs/conformance.md "Cycles") or, if registered, a
	validation that terminates."""
	subj = h.subject("jsbad-cycle")
	with Timed(5, "registration of a cyclic schema"):
		r = reg(server, subj, schema, timeout=10)
	if r.status_code == 200:
		with Timed(5, "validation against a cyclic schema"):
			b = h.ok(validate(server, subj, {"a": [1, {"b": 2}]}, timeout=10))
		assert isinstance(b["valid"], bool)
	else:
		h.assert_error(r, 422, 42201)
	with Timed(5, "compatibility check of a cyclic schema"):
		other = registered(server, {"type": "object"})
		r = compat(server, other, schema, timeout=10)
	assert r.status_code in (200, 422), r.text[:300]
	up(server)


def test_recursive_data_schemas_terminate(server):
	tree = {"type": "object", "properties": {"v": {"type": "integer"}, "kids": {"type": "array", "items": {"$ref": "#"}}}}
	subj = registered(server, tree)
	ok_doc = {"v": 1, "kids": [{"v": 2, "kids": [{"v": 3}]}, {"v": 4}]}
	assert h.ok(validate(server, subj, ok_doc))["valid"] is True
	# a cycle that descends: as deep as the JSON depth limit allows, then bounded
	for depth in (100, 900, 5000, 20000):
		doc = '{"kids":[' * depth + '{"v":"x"}' + "]}" * depth
		with Timed(5, f"validation of a {depth}-deep document"):
			b = h.ok(validate(server, subj, doc, timeout=10))
		assert b["valid"] is False and len(b["errors"]) == 1, b
	# mutual recursion compared with itself and with a change, under FULL
	a = {"$defs": {"a": {"type": "object", "properties": {"b": {"$ref": "#/$defs/b"}}},
		"b": {"type": "object", "properties": {"a": {"$ref": "#/$defs/a"}, "n": {"type": "integer"}}}},
		"$ref": "#/$defs/a"}
	subj = registered(server, a)
	h.set_subject_config(server, subj, "FULL")
	b = json.loads(json.dumps(a))
	b["$defs"]["b"]["properties"]["n"]["type"] = "number"
	with Timed(5, "compatibility of mutually recursive schemas"):
		r = h.ok(compat(server, subj, b, timeout=10))
	assert r["is_compatible"] is False
	up(server)


# ---- 10,000-deep schemas --------------------------------------------------------------------

DEEP = 10_000
DEEP_SCHEMAS = {
	"items": '{"type":"array","items":' * DEEP + '{"type":"string"}' + "}" * DEEP,
	"properties": '{"properties":{"a":' * DEEP + "{}" + "}}" * DEEP,
	"allOf": '{"allOf":[' * DEEP + "{}" + "]}" * DEEP,
	"not": '{"not":' * DEEP + "{}" + "}" * DEEP,
	"enum-value": '{"enum":[' + "[" * DEEP + "]" * DEEP + "]}",
}


@pytest.mark.parametrize("name", list(DEEP_SCHEMAS))
def test_10000_deep_schema(server, name):
	schema = DEEP_SCHEMAS[name]
	subj = h.subject("jsbad-deep")
	with Timed(5, "registration of a 10,000-deep schema"):
		h.assert_error(reg(server, subj, schema, timeout=10), 422, (42201, 42209))
	h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401)
	other = registered(server, {"type": "string"})
	with Timed(5, "compatibility check of a 10,000-deep schema"):
		h.assert_error(compat(server, other, schema, timeout=10), 422, (42201, 42209))
	up(server)


def test_10000_deep_schema_with_the_json_depth_limit_raised(make_server):
	"""Past the JSON parser's limit, the compiler's own nesting limit answers."""
	srv = make_server(env={"SCHEMA_REGISTRY_MAX_JSON_DEPTH": "100000"})
	for name, schema in DEEP_SCHEMAS.items():
		with Timed(5, f"registration of a 10,000-deep schema ({name})"):
			b = h.assert_error(reg(srv, h.subject(), schema, timeout=10), 422, (42201, 42209))
		assert "deep" in b["message"] or "nest" in b["message"], b
		up(srv)
	# a recursive schema against a 10,000-deep document: the evaluation limit answers
	subj = registered(srv, {"type": "array", "items": {"$ref": "#"}})
	with Timed(5, "validation of a 10,000-deep document"):
		b = h.ok(validate(srv, subj, "[" * DEEP + "]" * DEEP, timeout=10))
	assert b["valid"] is False and len(b["errors"]) == 1, b
	assert "limit" in b["errors"][0]["error"] or "deep" in b["errors"][0]["error"], b
	up(srv)


# ---- catastrophic backtracking ---------------------------------------------------------------

EVIL = [
	("^(a+)+$", "a" * 100_000 + "!"),
	("^(a|aa)+$", "a" * 5_000 + "!"),
	("^(a|a?)+$", "a" * 5_000 + "!"),
	("^(\\w+\\s?)*$", "word " * 3_000 + "!"),
	("(x+x+)+y", "x" * 20_000),
	("^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
		"a" * 5_000 + "!"),
]


@pytest.mark.parametrize("pattern,text", EVIL, ids=["nested-plus", "alternation", "optional", "words", "xx-y", "email-regex"])
def test_catastrophic_backtracking_pattern_is_bounded(server, pattern, text):
	subj = registered(server, {"type": "string", "pattern": pattern})
	with Timed(5, f"validation against {pattern!r}"):
		b = h.ok(validate(server, subj, json.dumps(text), timeout=10))
	# the string does not match: invalid, by verdict or by the match limit
	assert b["valid"] is False and len(b["errors"]) == 1, b
	assert b["errors"][0]["keywordLocation"] == "/pattern", b
	# a short matching string still matches
	assert h.ok(validate(server, subj, json.dumps("a"), timeout=10))["valid"] in (True, False)
	up(server)


def test_catastrophic_pattern_over_many_values_is_bounded(server):
	"""Each value hits the match limit: the document as a whole stays bounded."""
	subj = registered(server, {"type": "object", "properties": {"v": {"type": "array", "items": {"pattern": "^(a+)+$"}}},
		"patternProperties": {"^(b+)+$": {"type": "integer"}}})
	doc = {"v": ["a" * 5_000 + "!"] * 500}
	doc.update({"b" * 2_000 + "!" + str(i): "x" for i in range(200)})
	with Timed(10, "a document with 700 catastrophic matches"):
		b = h.ok(validate(server, subj, doc, timeout=40))
	assert b["valid"] is False
	with Timed(10, "the same, flag only"):
		assert h.ok(validate(server, subj, doc, timeout=20, output="flag")) == {"valid": False}
	up(server)


def test_matching_pattern_still_matches_long_input(server):
	subj = registered(server, {"type": "string", "pattern": "^(a+)+$"})
	with Timed(5, "a long matching string"):
		assert h.ok(validate(server, subj, json.dumps("a" * 100_000), timeout=10))["valid"] is True


# ---- an enum of 100,000 members --------------------------------------------------------------

N_ENUM = 100_000


@pytest.mark.parametrize("kind", ["strings", "integers", "draft-04"])
def test_enum_of_100000_members_registers_and_validates(server, kind):
	members = list(range(N_ENUM)) if kind == "integers" else [f"member-{i}" for i in range(N_ENUM)]
	schema = {"enum": members}
	if kind == "draft-04":  # its meta-schema asks enum members to be unique
		schema["$schema"] = D4
	subj = h.subject("jsbad-enum")
	with Timed(10, "registration of a 100,000-member enum"):
		h.ok(reg(server, subj, schema, timeout=20))
	for member, valid in ((members[-1], True), (members[N_ENUM // 2], True), ("nope", False), (N_ENUM, False)):
		with Timed(5, "validation against a 100,000-member enum"):
			b = h.ok(validate(server, subj, json.dumps(member), timeout=10))
		assert b["valid"] is valid, (member, str(b)[:300])
	up(server)


def test_enum_of_100000_members_with_a_duplicate_in_draft_04(server):
	schema = {"$schema": D4, "enum": [f"m{i}" for i in range(N_ENUM)] + ["m7"]}
	with Timed(10, "registration of a 100,001-member draft-04 enum with a duplicate"):
		b = h.assert_error(reg(server, h.subject(), schema, timeout=20), 422, 42201)
	assert "#/enum" in b["message"], b
	up(server)


def test_array_of_100000_values_against_a_100000_member_enum(server):
	subj = registered(server, {"type": "array", "items": {"enum": [f"k{i}" for i in range(N_ENUM)]}})
	doc = [f"k{(i * 7919) % N_ENUM}" for i in range(N_ENUM)]
	with Timed(10, "100,000 lookups in a 100,000-member enum"):
		assert h.ok(validate(server, subj, doc, timeout=20, output="flag")) == {"valid": True}
	doc[-1] = "k-missing"
	with Timed(10, "the same with one miss"):
		b = h.ok(validate(server, subj, doc, timeout=40))
	assert b["valid"] is False and [e["instanceLocation"] for e in b["errors"]] == [f"/{N_ENUM - 1}"]
	up(server)


def member_list(kind, n, extra=False):
	names = [f"m{i}" for i in range(n)] + (["m-new"] if extra else [])
	if kind == "enum":
		return {"enum": names}
	if kind == "required":
		return {"type": "object", "required": names}
	if kind == "properties":
		return {"type": "object", "properties": {m: {"type": "string"} for m in names}, "additionalProperties": False}
	return {"type": "object", "dependencies": {"a": names}}


# kind -> verdict of adding one member (BACKWARD, DESIGN §7): enum extended,
# optional property added to a closed model: compatible; required or
# dependency array extended: incompatible.
EVOLVE = {"enum": True, "properties": True, "required": False, "dependencies": False}


@pytest.mark.parametrize("kind", list(EVOLVE))
def test_evolving_a_100000_member_list_is_checked_in_bounded_time(make_server, kind):
	"""Registering the next version runs the compatibility check over both
	member lists (ENUM_ARRAY_EXTENDED, OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
	REQUIRED_ATTRIBUTE_ADDED, DEPENDENCY_ARRAY_EXTENDED): it must answer in
	bounded time too, not in time quadratic in the list size."""
	srv = make_server()
	subj = h.subject(f"jsbad-{kind}-evolve")
	h.ok(reg(srv, subj, member_list(kind, N_ENUM), timeout=20))
	new = member_list(kind, N_ENUM, extra=True)
	r = fails_within(srv, 15, f"compatibility check of a 100,000-member {kind} list extended by one",
		lambda: compat(srv, subj, new, timeout=15))
	assert h.ok(r)["is_compatible"] is EVOLVE[kind]
	r = fails_within(srv, 15, f"registration of the extended {kind} list",
		lambda: reg(srv, subj, new, timeout=15))
	if EVOLVE[kind]:
		assert h.ok(r)["version"] == 2
	else:
		h.assert_error(r, 409, 409)
	up(srv)


@pytest.mark.parametrize("keyword", ["properties", "required"])
def test_object_with_100000_properties_registers_in_bounded_time(make_server, keyword):
	"""The same bound for the other large member lists of an object schema."""
	srv = make_server()
	names = [f"p{i}" for i in range(N_ENUM)]
	if keyword == "properties":
		schema = {"type": "object", "properties": {n: {"type": "string"} for n in names}}
	else:
		schema = {"type": "object", "required": names}
	subj = h.subject("jsbad-props")
	r = fails_within(srv, 10, f"registration of a schema with 100,000 {keyword}",
		lambda: reg(srv, subj, schema, timeout=10))
	h.ok(r)
	r = fails_within(srv, 10, f"first validation against 100,000 {keyword}",
		lambda: validate(srv, subj, {"p0": "x"}, timeout=10, output="flag"))
	assert h.ok(r)["valid"] is (keyword == "properties")
	up(srv)


def test_large_combinators_get_a_bounded_compatibility_answer(server):
	"""oneOf/anyOf matching is budgeted (DESIGN §7): a verdict or a clear
	"too complex" answer, quickly."""
	old = {"oneOf": [{"type": "object", "properties": {"k": {"const": i}}, "required": ["k"]} for i in range(2000)]}
	new = {"oneOf": list(reversed(old["oneOf"])) + [{"type": "null"}]}
	subj = registered(server, old)
	with Timed(20, "compatibility of 2000-member oneOfs"):
		b = h.ok(compat(server, subj, new, timeout=40))
	if not b["is_compatible"]:
		assert any("errorType" in m for m in b["messages"]), b
	# 40 levels of anyOf over shared $defs: 3^40 paths through the schema
	defs = {"d0": {"type": "integer"}}
	for i in range(1, 41):
		d = {"$ref": f"#/$defs/d{i - 1}"}
		defs[f"d{i}"] = {"anyOf": [d, {"type": "array", "items": d}, {"allOf": [d, {"minItems": 0}]}]}
	nested = {"$defs": defs, "$ref": "#/$defs/d40"}
	subj = registered(server, nested)
	changed = json.loads(json.dumps(nested).replace('"integer"', '"number"'))
	with Timed(20, "compatibility of 40 levels of nested anyOf"):
		h.ok(compat(server, subj, changed, timeout=40))
	for doc in ("[[[[1]]]]", "[[[[\"x\"]]]]", "[" * 30 + "true" + "]" * 30):
		with Timed(20, "validation against 40 levels of nested anyOf"):
			h.ok(validate(server, subj, doc, timeout=40))
	up(server)


# ---- invalid $schema, network $refs ----------------------------------------------------------

@pytest.mark.parametrize("value", [
	"http://example.com/schema", "not a uri", "", "http://json-schema.org/draft-05/schema#",
	"https://json-schema.org/draft/2021-01/schema", 42, None, ["http://json-schema.org/draft-07/schema#"],
])
def test_invalid_schema_keyword(server, value):
	b = h.assert_error(reg(server, h.subject(), {"$schema": value, "type": "string"}), 422, 42201)
	assert "$schema" in b["message"], b
	up(server)


@pytest.mark.parametrize("uri", [
	"http://127.0.0.1:9/x.json", "https://example.org/schemas/x.json#/definitions/a",
	"//example.org/x.json", "http://[::1]:1/x", "file:///etc/passwd",
])
def test_ref_to_a_network_url(server, uri):
	with Timed(5, "registration with a remote $ref"):
		b = h.assert_error(reg(server, h.subject(), {"properties": {"a": {"$ref": uri}}}, timeout=10), 422, 42201)
	assert "$ref" in b["message"], b
	up(server)


# ---- over the body limit ----------------------------------------------------------------------

def test_document_far_over_the_body_limit(server):
	"""The default limit is 16 MiB (docs/api.md: 413 beyond
	SCHEMA_REGISTRY_MAX_BODY_BYTES); a 64 MiB document is refused, not read."""
	subj = registered(server, {"type": "array"})
	size = 64 * 1024 * 1024
	path = f"/subjects/{h.q(subj)}/versions/1/validate"
	with Timed(10, "a 64 MiB document"):
		resp = h.raw_request(server.port, "POST", path, body=b"[" + b"0," * (size // 2) + b"0]",
			headers={"Content-Type": "application/json"}, timeout=bound(10))
	h.raw_assert_error(resp, 413, (413, 42209))
	# announced only: answered without waiting for the body
	with Timed(5, "a 64 MiB Content-Length"):
		data = h.raw_exchange(server.port, (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
			f"Content-Length: {size}\r\n\r\n").encode() + b"```json\n[", timeout=bound(5))
	h.raw_assert_error(h.parse_raw_response(data), 413, (413, 42209))
	up(server)


def test_document_over_a_configured_body_limit(make_server):
	srv = make_server(env={"SCHEMA_REGISTRY_MAX_BODY_BYTES": str(64 * 1024)})
	subj = registered(srv, {"type": "object"})
	doc = {"k": "x" * (1024 * 1024)}
	for ct in ("application/json", "text/plain"):
		r = validate(srv, subj, doc, ct=ct, timeout=10)
		h.assert_error(r, 413, (413, 42209))
	# just under the limit is fine
	assert h.ok(validate(srv, subj, {"k": "x" * 60_000}))["valid"] is True
	up(srv)

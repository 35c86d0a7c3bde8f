"""POST /subjects/{s}/versions/{v}/validate and /schemas/ids/{id}/validate
end to end with JSON Schemas: tool-call arguments and structured outputs,
valid and invalid documents, error locations, output=flag, raw model output
as text/plain (fenced, in prose, no JSON at all) and formatAssertion.

Contract: docs/api.md "Validating model outputs" and the issue text of the
JSON Schema capability; docs/conformance.md for format (an annotation
unless asserted) and exact numbers. The Avro side is in test_validate.py.
"""

import json

import pytest

import helpers as h

D2020 = "https://json-schema.org/draft/2020-12/schema"
TEXT = {"Content-Type": "text/plain"}

# The arguments of a function/tool call, as a model provider would declare them.
GET_WEATHER = {
	"$schema": D2020,
	"type": "object",
	"properties": {
		"city": {"type": "string", "minLength": 1},
		"unit": {"enum": ["celsius", "fahrenheit"]},
		"days": {"type": "integer", "minimum": 1, "maximum": 14},
	},
	"required": ["city", "unit"],
	"additionalProperties": False,
}

# A structured output with $defs, $ref and anyOf.
INVOICE = {
	"$schema": D2020,
	"$defs": {
		"line": {
			"type": "object",
			"properties": {
				"sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]+$"},
				"qty": {"type": "integer", "minimum": 1},
				"price": {"$ref": "#/$defs/money"},
			},
			"required": ["sku", "qty", "price"],
			"additionalProperties": False,
		},
		"money": {
			"type": "object",
			"properties": {"amount": {"type": "number", "multipleOf": 0.01}, "currency": {"enum": ["EUR", "USD"]}},
			"required": ["amount", "currency"],
		},
	},
	"type": "object",
	"properties": {
		"lines": {"type": "array", "items": {"$ref": "#/$defs/line"}, "minItems": 1},
		"total": {"$ref": "#/$defs/money"},
		"contact": {"anyOf": [{"type": "string", "format": "email"}, {"type": "null"}]},
	},
	"required": ["lines", "total"],
}

GOOD_INVOICE = {
	"lines": [{"sku": "ABC-1", "qty": 2, "price": {"amount": 9.99, "currency": "EUR"}}],
	"total": {"amount": 19.98, "currency": "EUR"},
	"contact": None,
}


def reg(srv, schema, subj=None, **fields):
	subj = subj or h.subject("vj")
	b = h.ok(h.register(srv, subj, h.compact(schema), schemaType="JSON", **fields))
	return subj, b["id"]


def post(srv, path, body, headers=None, params=None):
	hdrs = {"Content-Type": "application/json"}
	hdrs.update(headers or {})
	data = body if isinstance(body, (bytes, str)) else json.dumps(body)
	return srv.post(path, data=data, headers=hdrs, params=params)


def by_version(subj, v="latest"):
	return f"/subjects/{h.q(subj)}/versions/{v}/validate"


def by_id(sid):
	return f"/schemas/ids/{sid}/validate"


def check_error_shape(body):
	assert set(body) >= {"valid", "errors"}, body
	for e in body["errors"]:
		assert set(e) == {"instanceLocation", "keywordLocation", "error"}, e
		assert all(isinstance(e[k], str) for k in e), e
		assert e["error"], e
		for k in ("instanceLocation", "keywordLocation"):
			assert e[k] == "" or e[k].startswith("/"), f"{k} is not a JSON pointer: {e}"


def errors_at(body):
	"""{instanceLocation: [(keywordLocation, error)]}"""
	out = {}
	for e in body["errors"]:
		out.setdefault(e["instanceLocation"], []).append((e["keywordLocation"], e["error"]))
	return out


# ---- tool-call arguments ------------------------------------------------------------

def test_tool_call_arguments_valid(server):
	subj, sid = reg(server, GET_WEATHER)
	doc = {"city": "Paris", "unit": "celsius", "days": 3}
	for path in (by_version(subj, 1), by_version(subj, "latest"), by_id(sid)):
		assert h.ok(post(server, path, doc)) == {"valid": True, "errors": []}, path


def test_tool_call_arguments_invalid_with_every_error_located(server):
	subj, sid = reg(server, GET_WEATHER)
	doc = {"city": "", "unit": "kelvin", "days": "3", "country": "FR"}
	b = h.ok(post(server, by_id(sid), doc))
	assert b["valid"] is False
	check_error_shape(b)
	at = errors_at(b)
	assert [k for k, _ in at["/city"]] == ["/properties/city/minLength"], b
	assert [k for k, _ in at["/unit"]] == ["/properties/unit/enum"], b
	assert "kelvin" in at["/unit"][0][1], b
	assert [k for k, _ in at["/days"]] == ["/properties/days/type"], b
	assert "integer" in at["/days"][0][1], b
	assert [k for k, _ in at["/country"]] == ["/additionalProperties"], b
	assert "country" in at["/country"][0][1], b
	assert len(b["errors"]) == 4, b


def test_tool_call_missing_required_argument(server):
	subj, _ = reg(server, GET_WEATHER)
	b = h.ok(post(server, by_version(subj), {"city": "Oslo"}))
	assert b["valid"] is False
	assert [(e["instanceLocation"], e["keywordLocation"]) for e in b["errors"]] == [("", "/required")], b
	assert '"unit"' in b["errors"][0]["error"], b


def test_tool_call_arguments_of_the_wrong_json_type(server):
	subj, _ = reg(server, GET_WEATHER)
	for doc in ([], "Paris", 3, None, True):
		b = h.ok(post(server, by_version(subj), json.dumps(doc)))
		assert b["valid"] is False and b["errors"][0]["keywordLocation"] == "/type", (doc, b)
		assert b["errors"][0]["instanceLocation"] == "", b


# ---- structured output with $defs, $ref, anyOf ---------------------------------------------

def test_structured_output_valid(server):
	subj, sid = reg(server, INVOICE)
	assert h.ok(post(server, by_version(subj, 1), GOOD_INVOICE)) == {"valid": True, "errors": []}
	assert h.ok(post(server, by_id(sid), dict(GOOD_INVOICE, contact="billing@example.com")))["valid"] is True


def test_structured_output_errors_through_refs(server):
	_, sid = reg(server, INVOICE)
	doc = {
		"lines": [
			{"sku": "ABC-1", "qty": 1, "price": {"amount": 1.5, "currency": "EUR"}},
			{"sku": "abc", "qty": 0, "price": {"amount": 0.001, "currency": "GBP"}, "note": "x"},
		],
		"total": {"currency": "EUR"},
		"contact": 42,
	}
	b = h.ok(post(server, by_id(sid), doc))
	assert b["valid"] is False
	check_error_shape(b)
	at = errors_at(b)
	assert "/lines/0" not in at and "/lines/0/qty" not in at, b
	line = "/properties/lines/items/$ref"
	assert at["/lines/1/sku"] == [(f"{line}/properties/sku/pattern", at["/lines/1/sku"][0][1])], b
	assert at["/lines/1/qty"][0][0] == f"{line}/properties/qty/minimum", b
	assert at["/lines/1/price/amount"][0][0] == f"{line}/properties/price/$ref/properties/amount/multipleOf", b
	assert at["/lines/1/price/currency"][0][0] == f"{line}/properties/price/$ref/properties/currency/enum", b
	assert at["/lines/1/note"][0][0] == f"{line}/additionalProperties", b
	assert at["/total"][0][0] == "/properties/total/$ref/required", b
	assert "amount" in at["/total"][0][1], b
	assert all(k.startswith("/properties/contact/anyOf") for k, _ in at["/contact"]), b


def test_structured_output_empty_lines(server):
	subj, _ = reg(server, INVOICE)
	b = h.ok(post(server, by_version(subj), dict(GOOD_INVOICE, lines=[])))
	assert b["valid"] is False
	assert [(e["instanceLocation"], e["keywordLocation"]) for e in b["errors"]] == [("/lines", "/properties/lines/minItems")]


def test_recursive_structured_output(server):
	tree = {"$schema": D2020, "$defs": {"node": {"type": "object", "properties": {
		"label": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
		"required": ["label"]}}, "$ref": "#/$defs/node"}
	subj, _ = reg(server, tree)
	doc = {"label": "a", "children": [{"label": "b", "children": [{"label": "c"}, {"children": []}]}]}
	b = h.ok(post(server, by_version(subj), doc))
	assert b["valid"] is False
	assert [e["instanceLocation"] for e in b["errors"]] == ["/children/0/children/1"], b
	doc["children"][0]["children"][1]["label"] = "d"
	assert h.ok(post(server, by_version(subj), doc))["valid"] is True


# ---- output=flag|basic -------------------------------------------------------------------

def test_output_flag_and_basic(server):
	subj, sid = reg(server, GET_WEATHER)
	bad = {"city": 1}
	good = {"city": "Rome", "unit": "celsius"}
	assert h.ok(post(server, by_id(sid), bad, params={"output": "flag"})) == {"valid": False}
	assert h.ok(post(server, by_version(subj), good, params={"output": "flag"})) == {"valid": True}
	basic = h.ok(post(server, by_id(sid), bad, params={"output": "basic"}))
	assert basic == h.ok(post(server, by_id(sid), bad))
	assert basic["valid"] is False and len(basic["errors"]) == 2
	h.assert_error(post(server, by_id(sid), good, params={"output": "detailed"}), 400, 400)


# ---- versions, latest, ids, registry errors ------------------------------------------------

def test_each_version_validates_with_its_own_schema(server):
	subj, id1 = reg(server, {"type": "object", "properties": {"n": {"type": "integer"}}})
	h.set_subject_config(server, subj, "NONE")
	_, id2 = reg(server, {"type": "object", "properties": {"n": {"type": "string"}}}, subj=subj)
	assert id1 != id2
	doc = {"n": 5}
	assert h.ok(post(server, by_version(subj, 1), doc))["valid"] is True
	assert h.ok(post(server, by_id(id1), doc))["valid"] is True
	assert h.ok(post(server, by_version(subj, 2), doc))["valid"] is False
	assert h.ok(post(server, by_version(subj, "latest"), doc))["valid"] is False
	assert h.ok(post(server, by_version(subj, -1), doc))["valid"] is False
	assert h.ok(post(server, by_id(id2), doc))["valid"] is False


def test_registry_errors_keep_their_codes(server):
	subj, _ = reg(server, GET_WEATHER)
	doc = {"city": "x", "unit": "celsius"}
	h.assert_error(post(server, by_id(2_000_000_000), doc), 404, 40403)
	h.assert_error(post(server, by_version(h.subject()), doc), 404, 40401)
	h.assert_error(post(server, by_version(subj, 2), doc), 404, 40402)
	h.assert_error(post(server, by_version(subj, "earliest"), doc), 422, 42202)
	h.assert_error(post(server, by_version(subj, 1), doc, headers={"Content-Type": "image/png"}), 415, 415)


def test_soft_deleted_version_answers_like_a_read(server):
	"""A soft-deleted version is hidden from reads by version (DESIGN §6, GET
	answers 40402 without ?deleted=true); validating against it by version
	answers the same, while the schema stays usable by id."""
	subj, sid = reg(server, GET_WEATHER)
	h.set_subject_config(server, subj, "NONE")
	reg(server, {"type": "object"}, subj=subj)
	assert h.delete_version(server, subj, 1).status_code == 200
	doc = {"city": "x", "unit": "celsius"}
	h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions/1"), 404, 40402)
	h.assert_error(post(server, by_version(subj, 1), doc), 404, 40402)
	# "latest" is the latest live version
	assert h.ok(post(server, by_version(subj, "latest"), doc))["valid"] is True
	# by id the schema is still there (DESIGN §6: soft-deleted schemas stay readable by id)
	assert h.ok(post(server, by_id(sid), doc))["valid"] is True


def test_soft_deleted_subject_answers_like_a_read(server):
	"""After a soft delete of the subject, reads by version answer 40401
	(DESIGN §6 table); validation by version answers the same."""
	subj, sid = reg(server, GET_WEATHER)
	h.set_subject_config(server, subj, "NONE")
	reg(server, {"type": "object"}, subj=subj)
	doc = {"city": "x", "unit": "celsius"}
	assert h.delete_subject(server, subj).status_code == 200
	assert h.ok(post(server, by_id(sid), doc))["valid"] is True
	for v in ("latest", 2, 1):
		h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions/{v}"), 404, 40401)
		h.assert_error(post(server, by_version(subj, v), doc), 404, 40401)


def test_validation_through_a_referenced_subject(server):
	addr, _ = reg(server, {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]})
	subj, sid = reg(server, {"type": "object", "properties": {"ship_to": {"$ref": "address.json"}}},
		references=[{"name": "address.json", "subject": addr, "version": 1}])
	b = h.ok(post(server, by_id(sid), {"ship_to": {}}))
	assert b["valid"] is False
	assert (b["errors"][0]["instanceLocation"], b["errors"][0]["keywordLocation"]) == \
		("/ship_to", "/properties/ship_to/$ref/required"), b
	assert h.ok(post(server, by_version(subj), {"ship_to": {"city": "Lyon"}}))["valid"] is True


# ---- raw model output (text/plain) -------------------------------------------------------

def test_fenced_json_block(server):
	subj, sid = reg(server, GET_WEATHER)
	text = ("Sure! I will call the weather tool.\n\n"
		"```json\n{\"city\": \"Paris\", \"unit\": \"celsius\", \"days\": 2}\n```\n\nLet me know.")
	b = h.ok(post(server, by_id(sid), text, headers=TEXT))
	assert b["valid"] is True and b["errors"] == [], b
	f = b["found"]
	assert f["how"] == "fenced" and (f["line"], f["column"]) == (4, 1), f
	assert text[f["offset"]:f["offset"] + f["length"]] == '{"city": "Paris", "unit": "celsius", "days": 2}'


def test_fenced_block_that_does_not_parse_is_skipped(server):
	subj, _ = reg(server, GET_WEATHER)
	text = ("First try:\n```json\n{\"city\": \"Paris\", \"unit\": \n```\n"
		"Corrected:\n```json\n{\"city\": \"Paris\", \"unit\": \"kelvin\"}\n```\n")
	b = h.ok(post(server, by_version(subj), text, headers=TEXT))
	assert b["found"]["how"] == "fenced" and b["found"]["line"] == 7, b
	assert b["valid"] is False
	assert [e["instanceLocation"] for e in b["errors"]] == ["/unit"], b


def test_json_surrounded_by_prose(server):
	subj, sid = reg(server, INVOICE)
	doc = json.dumps(GOOD_INVOICE)
	text = f"Here is the invoice you asked for: {doc} -- tell me if the totals look right."
	b = h.ok(post(server, by_id(sid), text, headers=TEXT))
	assert b["valid"] is True, b
	f = b["found"]
	assert f["how"] == "embedded" and f["line"] == 1 and f["column"] == text.index("{") + 1, f
	assert text[f["offset"]:f["offset"] + f["length"]] == doc
	# an invalid one in prose is located inside the document, not the text
	bad = dict(GOOD_INVOICE, total={"amount": 1, "currency": "JPY"})
	b = h.ok(post(server, by_id(sid), f"Result:\n{json.dumps(bad)}\nDone.", headers=TEXT))
	assert b["valid"] is False and b["found"]["line"] == 2, b
	assert [e["instanceLocation"] for e in b["errors"]] == ["/total/currency"], b


def test_whole_text_that_is_json(server):
	subj, _ = reg(server, GET_WEATHER)
	text = '  {"city": "Nice", "unit": "fahrenheit"}\n'
	b = h.ok(post(server, by_version(subj), text, headers=TEXT))
	assert b["valid"] is True and b["found"]["how"] == "document", b


def test_text_without_json_is_a_failed_validation_with_line_and_column(server):
	subj, sid = reg(server, GET_WEATHER)
	for text in ("I'm sorry, I can't help with that.",
			"Line one.\nThe arguments are {city: Paris, unit: celsius}\n",
			"```json\nnot json at all\n```"):
		r = post(server, by_id(sid), text, headers=TEXT)
		b = h.ok(r)
		assert b["valid"] is False, (text, b)
		assert len(b["errors"]) == 1, b
		msg = b["errors"][0]["error"]
		assert "line" in msg and "column" in msg, (text, b)
	# the place of the closest attempt: the "{" on line 2 whose key is not quoted
	b = h.ok(post(server, by_id(sid), "Line one.\nThe arguments are {city: Paris}\n", headers=TEXT))
	assert "line 2 column" in b["errors"][0]["error"], b


# (text, how, line, column, the JSON text found, valid) for the schema A_INT
A_INT = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
EXTRACTION = [
	('Here:\r\n```json\r\n{"a": 1}\r\n```\r\n', "fenced", 3, 1, '{"a": 1}', True),
	('Here:\n```JSON\n{"a": "x"}\n```\n', "fenced", 3, 1, '{"a": "x"}', False),
	('Result:\n  ```json\n  {"a": 1}\n  ```\n', "fenced", 3, 3, '{"a": 1}', True),
	('Use {braces} with care. Result: {"a":1}', "embedded", 1, 33, '{"a":1}', True),
	('first {"a":1} then {"a":"x"}', "embedded", 1, 7, '{"a":1}', True),
	('{"a": 2} is my answer', "embedded", 1, 1, '{"a": 2}', True),
	('  [1, 2]  ', "document", 1, 3, "[1, 2]", False),
	("42", "document", 1, 1, "42", False),
]


@pytest.mark.parametrize("text,how,line,column,found,valid", EXTRACTION,
	ids=["crlf-fence", "upper-case-tag", "indented-fence", "braces-in-prose", "first-of-two", "leading", "array",
		"scalar"])
def test_where_the_json_is_found(server, text, how, line, column, found, valid):
	_, sid = reg(server, A_INT)
	b = h.ok(post(server, by_id(sid), text, headers=TEXT))
	f = b["found"]
	assert (f["how"], f["line"], f["column"]) == (how, line, column), b
	assert text[f["offset"]:f["offset"] + f["length"]] == found, b
	assert b["valid"] is valid, b


def test_found_offsets_are_bytes_of_the_body(server):
	"""With non-ASCII prose before it, offset and length still cut the JSON out
	of the request body as sent (UTF-8 bytes)."""
	_, sid = reg(server, A_INT)
	text = 'Voilà ☕ — résumé: {"a": "x"} fin'.encode("utf-8")
	b = h.ok(post(server, by_id(sid), text, headers={"Content-Type": "text/plain; charset=utf-8"}))
	f = b["found"]
	assert f["how"] == "embedded" and f["line"] == 1, b
	assert text[f["offset"]:f["offset"] + f["length"]] == b'{"a": "x"}', b
	assert b["valid"] is False and b["errors"][0]["instanceLocation"] == "/a", b


@pytest.mark.parametrize("text", ["", "   \n\t ", "```json\n{\"a\": 1, \"a\": 2}\n```", "{\"a\": 1,}"],
	ids=["empty", "blank", "duplicate-key", "trailing-comma"])
def test_text_with_no_readable_json(server, text):
	_, sid = reg(server, A_INT)
	b = h.ok(post(server, by_id(sid), text, headers=TEXT))
	assert b["valid"] is False and "found" not in b, b
	assert len(b["errors"]) == 1 and "line" in b["errors"][0]["error"], b


def test_text_plain_with_output_flag(server):
	_, sid = reg(server, GET_WEATHER)
	b = h.ok(post(server, by_id(sid), "nothing here", headers=TEXT, params={"output": "flag"}))
	assert b["valid"] is False and "errors" not in b


def test_malformed_json_body_is_a_failed_validation(server):
	_, sid = reg(server, GET_WEATHER)
	b = h.ok(post(server, by_id(sid), '{"city": "Paris",\n "unit": }'))
	assert b["valid"] is False
	assert "line 2" in b["errors"][0]["error"], b


# ---- format: annotation by default, assertion on request -----------------------------------

EMAIL = {"type": "object", "properties": {"to": {"type": "string", "format": "email"},
	"at": {"type": "string", "format": "date-time"}}}


def test_format_is_an_annotation_by_default(server):
	subj, sid = reg(server, EMAIL)
	doc = {"to": "x", "at": "yesterday"}
	assert h.ok(post(server, by_id(sid), doc))["valid"] is True
	assert h.ok(post(server, by_id(sid), doc, params={"formatAssertion": "false"}))["valid"] is True
	b = h.ok(post(server, by_version(subj), doc, params={"formatAssertion": "true"}))
	assert b["valid"] is False
	assert sorted((e["instanceLocation"], e["keywordLocation"]) for e in b["errors"]) == \
		[("/at", "/properties/at/format"), ("/to", "/properties/to/format")], b
	good = {"to": "ada@example.com", "at": "2024-02-29T12:00:00Z"}
	assert h.ok(post(server, by_id(sid), good, params={"formatAssertion": "true"}))["valid"] is True


def test_format_in_a_bare_string_schema(server):
	_, sid = reg(server, {"type": "string", "format": "email"})
	assert h.ok(post(server, by_id(sid), '"x"'))["valid"] is True
	assert h.ok(post(server, by_id(sid), '"x"', params={"formatAssertion": "true"}))["valid"] is False


def test_format_assertion_configured_on_the_server(make_server):
	srv = make_server(env={"SCHEMA_REGISTRY_FORMAT_ASSERTION": "true"})
	_, sid = reg(srv, EMAIL)
	assert h.ok(post(srv, by_id(sid), {"to": "x"}))["valid"] is False
	assert h.ok(post(srv, by_id(sid), {"to": "x"}, params={"formatAssertion": "false"}))["valid"] is True


def test_format_assertion_parameter_is_a_boolean_in_any_case(server):
	"""docs/api.md: boolean query parameters are true when they are `true` in any case."""
	_, sid = reg(server, EMAIL)
	assert h.ok(post(server, by_id(sid), {"to": "x"}, params={"formatAssertion": "TRUE"}))["valid"] is False
	assert h.ok(post(server, by_id(sid), {"to": "x"}, params={"formatAssertion": "no"}))["valid"] is True


# ---- values the validator must get exactly right ---------------------------------------------

@pytest.mark.parametrize("schema,doc,valid", [
	({"type": "integer", "maximum": 9007199254740993}, "9007199254740993", True),
	({"type": "integer", "maximum": 9007199254740993}, "9007199254740994", False),
	({"type": "number", "multipleOf": 0.01}, "0.07", True),
	({"type": "number", "multipleOf": 0.01}, "19.99", True),
	({"type": "number", "multipleOf": 0.01}, "0.075", False),
	({"type": "integer"}, "1.0", True),
	({"type": "integer"}, "1e400", True),
	({"type": "string", "maxLength": 2}, '"\\ud83d\\ude00\\ud83d\\ude00"', True),
	({"type": "string", "maxLength": 1}, '"\\u00e9\\u00e9"', False),
	({"type": "string", "pattern": "^\\p{Lu}"}, '"\\u00c9cole"', True),
	({"enum": [{"a": [1, 2]}, None]}, '{"a": [1, 2]}', True),
	({"enum": [{"a": [1, 2]}, None]}, '{"a": [2, 1]}', False),
	({"const": 1}, "1.0", True),
	({"uniqueItems": True}, "[1, 1.0]", False),
], ids=["big-int-max", "big-int-over", "multipleOf-0.07", "multipleOf-19.99", "multipleOf-0.075",
	"integer-1.0", "integer-1e400", "maxLength-code-points", "maxLength-2-chars", "pattern-unicode",
	"enum-object", "enum-object-order", "const-number", "unique-numbers"])
def test_exact_values(server, schema, doc, valid):
	_, sid = reg(server, schema)
	b = h.ok(post(server, by_id(sid), doc))
	assert b["valid"] is valid, (schema, doc, b)

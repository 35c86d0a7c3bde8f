"""POST /subjects/{s}/versions/{v}/validate and /schemas/ids/{id}/validate:
validating what a model produced, as JSON or as raw text (Avro datums here;
JSON Schema documents in test_validate_json.py once that format is on)."""

import helpers as h

ORDER = h.compact({
	"type": "record", "name": "Order", "namespace": "shop",
	"fields": [
		{"name": "id", "type": "long"},
		{"name": "size", "type": {"type": "enum", "name": "Size", "symbols": ["S", "M", "L"]}},
		{"name": "note", "type": ["null", "string"], "default": None},
	],
})

TEXT = {"Content-Type": "text/plain"}


def setup_order(srv):
	subj = h.subject()
	sid = h.register_ok(srv, subj, ORDER)
	return subj, sid


def post(srv, path, body, headers=None, params=None):
	hdrs = {"Content-Type": "application/json"}
	hdrs.update(headers or {})
	return srv.post(path, data=body if isinstance(body, (bytes, str)) else h.compact(body),
		headers=hdrs, params=params)


def test_valid_document_by_version_and_id(server):
	subj, sid = setup_order(server)
	doc = {"id": 7, "size": "M"}
	assert h.ok(post(server, f"/subjects/{h.q(subj)}/versions/1/validate", doc)) == \
		{"valid": True, "errors": []}
	assert h.ok(post(server, f"/subjects/{h.q(subj)}/versions/latest/validate", doc))["valid"]
	assert h.ok(post(server, f"/schemas/ids/{sid}/validate", doc))["valid"]


def test_invalid_document_lists_precise_errors(server):
	_, sid = setup_order(server)
	b = h.ok(post(server, f"/schemas/ids/{sid}/validate", {"id": "7", "size": "XL", "colour": 1}))
	assert b["valid"] is False
	by_loc = {e["instanceLocation"]: e for e in b["errors"]}
	assert by_loc["/id"]["keywordLocation"] == "/fields/0/type"
	assert "expected long" in by_loc["/id"]["error"]
	assert "XL" in by_loc["/size"]["error"] and "S, M, L" in by_loc["/size"]["error"]
	assert "unexpected field" in by_loc["/colour"]["error"]


def test_output_flag_gives_only_the_verdict(server):
	_, sid = setup_order(server)
	assert h.ok(post(server, f"/schemas/ids/{sid}/validate", {"id": "x"},
		params={"output": "flag"})) == {"valid": False}
	assert h.ok(post(server, f"/schemas/ids/{sid}/validate", {"id": 1, "size": "S"},
		params={"output": "flag"})) == {"valid": True}
	h.assert_error(post(server, f"/schemas/ids/{sid}/validate", {}, params={"output": "verbose"}),
		400, 400)


def test_text_with_fenced_json(server):
	_, sid = setup_order(server)
	text = 'Sure! Here is the order:\n```json\n{"id": 3, "size": "L"}\n```\nAnything else?'
	b = h.ok(post(server, f"/schemas/ids/{sid}/validate", text, headers=TEXT))
	assert b["valid"] is True
	assert b["found"]["how"] == "fenced"
	assert (b["found"]["line"], b["found"]["column"]) == (3, 1)
	assert text[b["found"]["offset"]:b["found"]["offset"] + b["found"]["length"]] == \
		'{"id": 3, "size": "L"}'


def test_text_with_json_in_prose(server):
	_, sid = setup_order(server)
	text = 'The order is {"id": 3, "size": "XS"} as you asked.'
	b = h.ok(post(server, f"/schemas/ids/{sid}/validate", text, headers=TEXT))
	assert b["valid"] is False
	assert b["found"]["how"] == "embedded"
	assert b["errors"][0]["instanceLocation"] == "/size"


def test_text_without_json_is_a_failed_validation(server):
	_, sid = setup_order(server)
	r = post(server, f"/schemas/ids/{sid}/validate", "I am sorry, I cannot do that.\nReally.",
		headers=TEXT)
	b = h.ok(r)
	assert b["valid"] is False
	assert "line 1 column 1" in b["errors"][0]["error"]


def test_malformed_json_body_is_a_failed_validation(server):
	_, sid = setup_order(server)
	b = h.ok(post(server, f"/schemas/ids/{sid}/validate", '{"id": 1,'))
	assert b["valid"] is False
	assert "not valid JSON" in b["errors"][0]["error"]


def test_registry_errors_keep_their_codes(server):
	subj, _ = setup_order(server)
	h.assert_error(post(server, "/schemas/ids/2000000000/validate", {}), 404, 40403)
	h.assert_error(post(server, f"/subjects/{h.q(h.subject())}/versions/1/validate", {}),
		404, 40401)
	h.assert_error(post(server, f"/subjects/{h.q(subj)}/versions/9/validate", {}), 404, 40402)
	h.assert_error(post(server, f"/subjects/{h.q(subj)}/versions/0/validate", {}), 422, 42202)
	h.assert_error(post(server, f"/subjects/{h.q(subj)}/versions/1/validate", {},
		headers={"Content-Type": "application/xml"}), 415, 415)


def test_text_plain_only_where_raw_output_is_expected(server):
	h.assert_error(post(server, f"/subjects/{h.q(h.subject())}/versions", "x", headers=TEXT),
		415, 415)

"""JSON Schema compatibility through the HTTP API: one case per rule of
DESIGN §7 with both verdicts, under the STRICT (default) and the LENIENT
policy, at every level, through POST /compatibility/... (verbose) and
through registration (409 when incompatible).

The cases are data: tests/cases/jsonschema-http/compat-rules.json (fields in
the README beside it). The expected difference types and JSON-pointer paths
use Confluent's names (json-schema-provider `diff/Difference.java`,
`SchemaDiff.COMPATIBLE_CHANGES_STRICT` / `_LENIENT`; research/confluent-api.md
§2.3 and §3.3 for the message shape `{errorType:"...", description:"..."}`).
"""

import json
import os
import re

import pytest

import helpers as h

CASES_FILE = os.path.join(os.path.dirname(__file__), "..", "cases", "jsonschema-http", "compat-rules.json")
with open(CASES_FILE, encoding="utf-8") as _f:
	CASES = json.load(_f)

LEVELS = {"NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"}
ERROR_TYPE = re.compile(r'errorType:\s*"([A-Z0-9_]+)"')
POINTER = re.compile(r"'(#[^']*)'")


def schema_text(s):
	return s if isinstance(s, str) else h.compact(s)


def js(schema):
	return {"schema": schema_text(schema), "schemaType": "JSON"}


def differences(messages):
	"""The "TYPE #/path" of every difference entry in a verbose message list."""
	out = []
	for m in messages:
		assert isinstance(m, str), f"message is not a string: {m!r}"
		t = ERROR_TYPE.search(m)
		if not t:
			continue
		p = POINTER.search(m[t.end():])
		assert p, f"difference message without a JSON-pointer path: {m!r}"
		out.append(f"{t.group(1)} {p.group(1)}")
	return sorted(out)


def previous_of(case):
	return case["previous"] if "previous" in case else [case["old"]]


def setup_subject(srv, case, policy):
	"""A subject holding the case's previous versions, configured with its level
	and policy (previous versions registered under NONE so any history can be built)."""
	subj = h.subject("jsc")
	h.set_subject_config(srv, subj, "NONE")
	for i, s in enumerate(previous_of(case)):
		b = h.ok(h.register(srv, subj, schema_text(s), schemaType="JSON"))
		assert b["version"] == i + 1, b
	h.set_subject_config(srv, subj, case["level"])
	if policy != "STRICT":
		# the policy on its own, as a client changing only it would send it
		b = h.ok(srv.put(f"/config/{h.q(subj)}", json={"compatibilityPolicy": policy}))
		assert b.get("compatibilityPolicy") == policy, b
	cfg = h.ok(srv.get(f"/config/{h.q(subj)}"))
	assert cfg.get("compatibilityLevel") == case["level"], cfg
	assert cfg.get("compatibilityPolicy", "STRICT") == policy, cfg
	return subj


def test_case_file_is_well_formed():
	names = set()
	rules = set()
	for c in CASES:
		assert c["name"] not in names, f"duplicate case name {c['name']!r}"
		names.add(c["name"])
		rules.add(c["rule"])
		assert c["level"] in LEVELS, c["name"]
		assert ("old" in c) != ("previous" in c), c["name"]
		assert isinstance(c["compatible"], bool) and isinstance(c["compatible_lenient"], bool), c["name"]
		# LENIENT only ever allows more (research/confluent-api.md §3.3)
		assert c["compatible_lenient"] or not c["compatible"], c["name"]
		if c["compatible"]:
			assert c["errors"] == [], c["name"]
	# every rule of DESIGN §7 has a case on each side
	for rule in rules:
		verdicts = {c["compatible"] for c in CASES if c["rule"] == rule}
		if rule != "annotations":
			assert verdicts == {True, False}, f"rule {rule!r} lacks a compatible or an incompatible case"
	# and the relaxations of LENIENT are shown
	assert any(c["compatible_lenient"] and not c["compatible"] for c in CASES)


def expected(case, policy):
	if policy == "STRICT":
		return case["compatible"], case["errors"]
	errs = case.get("errors_lenient", case["errors"])
	if case["compatible_lenient"]:
		errs = []
	return case["compatible_lenient"], errs


@pytest.mark.parametrize("policy", ["STRICT", "LENIENT"])
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule(server, case, policy):
	subj = setup_subject(server, case, policy)
	want, want_errors = expected(case, policy)
	new = js(case["new"])
	npre = len(previous_of(case))

	# the check registration would do
	r = server.post(f"/compatibility/subjects/{h.q(subj)}/versions", json=new, params={"verbose": "true"})
	b = h.ok(r)
	assert b["is_compatible"] is want, (
		f"{case['name']} [{policy} {case['level']}]: is_compatible {b['is_compatible']}, want {want}: {b}")
	got = differences(b.get("messages", []))
	if want:
		assert got == [], f"a compatible answer lists differences: {b}"
	elif want_errors is not None:
		assert got == sorted(want_errors), (
			f"{case['name']} [{policy} {case['level']}]: differences {got}, want {sorted(want_errors)}: {b}")

	# against the latest version only (transitive or not, DESIGN §6)
	if not case["level"].endswith("_TRANSITIVE"):
		b2 = h.ok(server.post(f"/compatibility/subjects/{h.q(subj)}/versions/latest", json=new,
			params={"verbose": "true"}))
		assert b2["is_compatible"] is want, b2
		if want_errors is not None:
			assert differences(b2.get("messages", [])) == sorted(want_errors), b2

	# registration agrees with the check
	r = h.register(server, subj, schema_text(case["new"]), schemaType="JSON")
	if want:
		reg = h.ok(r)
		assert reg["version"] == npre + 1, reg
		assert reg["schemaType"] == "JSON", reg
	else:
		err = h.assert_error(r, 409, 409)
		for e in want_errors or []:
			assert e.split()[0] in err["message"], f"409 message does not name {e}: {err}"
		assert h.versions(server, subj) == list(range(1, npre + 1))


def test_transitive_check_of_one_version_ignores_the_others(server):
	"""POST /compatibility/subjects/{s}/versions/{v} checks only that version,
	even under a transitive level (research/confluent-api.md §3.1)."""
	case = next(c for c in CASES if c["name"] == "BACKWARD_TRANSITIVE: every version counts")
	subj = setup_subject(server, case, "STRICT")
	new = js(case["new"])
	v1 = h.ok(server.post(f"/compatibility/subjects/{h.q(subj)}/versions/1", json=new, params={"verbose": "true"}))
	v2 = h.ok(server.post(f"/compatibility/subjects/{h.q(subj)}/versions/2", json=new, params={"verbose": "true"}))
	assert v1["is_compatible"] is False and differences(v1["messages"]) == ["REQUIRED_ATTRIBUTE_ADDED #/required/a"]
	assert v2["is_compatible"] is True, v2


def test_policy_switches_back_to_strict(server):
	"""The same pair flips verdict with the policy, and STRICT can be set explicitly."""
	old = {"type": "object", "properties": {"a": {"type": "string"}}}
	new = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}
	subj = h.subject("jsc-policy")
	h.register_ok(server, subj, h.compact(old), schemaType="JSON")
	path = f"/compatibility/subjects/{h.q(subj)}/versions/latest"
	assert h.ok(server.post(path, json=js(new)))["is_compatible"] is False
	h.ok(server.put(f"/config/{h.q(subj)}", json={"compatibilityPolicy": "LENIENT"}))
	assert h.ok(server.post(path, json=js(new)))["is_compatible"] is True
	b = h.ok(server.put(f"/config/{h.q(subj)}", json={"compatibilityPolicy": "STRICT"}))
	assert b.get("compatibilityPolicy") == "STRICT", b
	assert h.ok(server.post(path, json=js(new)))["is_compatible"] is False


def test_invalid_policy_is_refused(server):
	subj = h.subject("jsc-policy")
	# docs/api.md error table: 42203 for an invalid compatibilityPolicy value
	h.assert_error(server.put(f"/config/{h.q(subj)}", json={"compatibilityPolicy": "SLOPPY"}), 422, 42203)


def test_global_lenient_policy_applies_to_subjects_without_their_own(make_server):
	srv = make_server()
	old = {"type": "object", "properties": {"a": {"type": "string"}}}
	new = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}
	subj = h.subject("jsc-global")
	h.register_ok(srv, subj, h.compact(old), schemaType="JSON")
	h.assert_error(h.register(srv, subj, h.compact(new), schemaType="JSON"), 409, 409)
	b = h.ok(srv.put("/config", json={"compatibilityPolicy": "LENIENT"}))
	assert b.get("compatibilityPolicy") == "LENIENT", b
	assert h.ok(srv.get("/config")).get("compatibilityPolicy") == "LENIENT"
	assert h.ok(h.register(srv, subj, h.compact(new), schemaType="JSON"))["version"] == 2


def test_different_schema_type_is_incompatible(server):
	"""DESIGN §6: a different schemaType than the previous version is incompatible."""
	subj = h.subject("jsc-type")
	h.register_ok(server, subj, h.unique_schema())
	r = server.post(f"/compatibility/subjects/{h.q(subj)}/versions/latest", json=js({"type": "object"}))
	assert h.ok(r)["is_compatible"] is False
	h.assert_error(h.register(server, subj, '{"type":"object"}', schemaType="JSON"), 409, 409)


def test_references_are_followed_by_the_check(server):
	"""The check compares what a $ref through a Confluent reference points to:
	a referenced subject's newer version that narrows a property makes the
	referencing schema incompatible, one that widens it does not."""
	addr = h.subject("jsc-addr")
	h.set_subject_config(server, addr, "NONE")
	base = {"type": "object", "properties": {"zip": {"type": "string", "maxLength": 10}}}
	h.register_ok(server, addr, h.compact(base), schemaType="JSON")
	h.register_ok(server, addr, h.compact({"type": "object", "properties": {"zip": {"type": "string", "maxLength": 5}}}),
		schemaType="JSON")
	h.register_ok(server, addr, h.compact({"type": "object", "properties": {"zip": {"type": "string"}}}),
		schemaType="JSON")
	person = {"type": "object", "properties": {"home": {"$ref": "address.json"}}}

	def ref(v):
		return [{"name": "address.json", "subject": addr, "version": v}]

	subj = h.subject("jsc-person")
	h.register_ok(server, subj, h.compact(person), schemaType="JSON", references=ref(1))
	path = f"/compatibility/subjects/{h.q(subj)}/versions/latest"
	narrowed = h.ok(server.post(path, json={**js(person), "references": ref(2)}, params={"verbose": "true"}))
	assert narrowed["is_compatible"] is False
	assert differences(narrowed["messages"]) == ["MAX_LENGTH_DECREASED #/properties/home/properties/zip/maxLength"]
	widened = h.ok(server.post(path, json={**js(person), "references": ref(3)}, params={"verbose": "true"}))
	assert widened["is_compatible"] is True, widened
	h.assert_error(h.register(server, subj, h.compact(person), schemaType="JSON", references=ref(2)), 409, 409)
	assert h.ok(h.register(server, subj, h.compact(person), schemaType="JSON", references=ref(3)))["version"] == 2

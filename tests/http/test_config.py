"""GET|PUT|DELETE /config and /config/{s} (API §2.2, §2.3; DESIGN §6).

PUT takes "compatibility" and echoes the request; GET answers
"compatibilityLevel" (the asymmetry is Confluent's, API §2.3).
Tests that change the global config use a fresh server.
"""

import pytest

import helpers as h

LEVELS = ["NONE", "BACKWARD", "FORWARD", "FULL", "BACKWARD_TRANSITIVE", "FORWARD_TRANSITIVE", "FULL_TRANSITIVE"]


def test_global_default_is_backward(fresh_server):
	b = h.ok(fresh_server.get("/config"))
	assert b["compatibilityLevel"] == "BACKWARD"


@pytest.mark.parametrize("level", LEVELS)
def test_put_global(fresh_server, level):
	srv = fresh_server
	b = h.ok(srv.put("/config", json={"compatibility": level}))
	assert b["compatibility"] == level
	assert h.ok(srv.get("/config"))["compatibilityLevel"] == level


def test_global_config_applies_to_subjects_without_their_own(fresh_server):
	srv = fresh_server
	n = f"G_{h.uid()}"
	subj = h.subject()
	h.register_ok(srv, subj, h.record([h.field("a", "int")], name=n))
	bad = h.record([h.field("a", "int"), h.field("b", "string")], name=n)
	h.assert_error(h.register(srv, subj, bad), 409, 409)
	h.ok(srv.put("/config", json={"compatibility": "NONE"}))
	h.register_ok(srv, subj, bad)
	# GET /config/{s}?defaultToGlobal=true shows what applies
	assert h.ok(srv.get(f"/config/{h.q(subj)}", params={"defaultToGlobal": "true"}))["compatibilityLevel"] == "NONE"


def test_delete_global_returns_old_and_restores_default(fresh_server):
	srv = fresh_server
	h.ok(srv.put("/config", json={"compatibility": "FULL"}))
	b = h.ok(srv.delete("/config"))
	assert b["compatibilityLevel"] == "FULL"
	assert h.ok(srv.get("/config"))["compatibilityLevel"] == "BACKWARD"


def test_global_normalize_and_policy_fields(fresh_server):
	srv = fresh_server
	req = {"compatibility": "FULL", "normalize": True, "compatibilityPolicy": "LENIENT"}
	b = h.ok(srv.put("/config", json=req))
	assert b["compatibility"] == "FULL"
	assert b["normalize"] is True
	assert b["compatibilityPolicy"] == "LENIENT"
	b = h.ok(srv.get("/config"))
	assert b["compatibilityLevel"] == "FULL"
	assert b["normalize"] is True
	assert b["compatibilityPolicy"] == "LENIENT"


@pytest.mark.parametrize("bad", ["NOPE", "", "BACKWARDS", "FULL TRANSITIVE"])
def test_put_global_invalid_level(fresh_server, bad):
	srv = fresh_server
	h.assert_error(srv.put("/config", json={"compatibility": bad}), 422, 42203)
	assert h.ok(srv.get("/config"))["compatibilityLevel"] == "BACKWARD"


# ---- subject level (session server: only its own subjects) ------------------------

@pytest.mark.parametrize("level", LEVELS)
def test_put_get_subject(server, level):
	subj = h.subject()
	b = h.ok(server.put(f"/config/{h.q(subj)}", json={"compatibility": level}))
	assert b["compatibility"] == level
	b = h.ok(server.get(f"/config/{h.q(subj)}"))
	assert b["compatibilityLevel"] == level
	b = h.ok(server.get(f"/config/{h.q(subj)}", params={"defaultToGlobal": "true"}))
	assert b["compatibilityLevel"] == level


def test_get_subject_without_config(server):
	subj = h.subject()
	h.register_ok(server, subj, h.unique_schema())
	h.assert_error(server.get(f"/config/{h.q(subj)}"), 404, 40408)
	# a subject that does not exist at all answers the same
	h.assert_error(server.get(f"/config/{h.q(h.subject())}"), 404, 40408)
	b = h.ok(server.get(f"/config/{h.q(subj)}", params={"defaultToGlobal": "true"}))
	assert b["compatibilityLevel"] == "BACKWARD"  # the session server's global level


def test_delete_subject_config(server):
	subj = h.subject()
	h.set_subject_config(server, subj, "FORWARD_TRANSITIVE")
	b = h.ok(server.delete(f"/config/{h.q(subj)}"))
	assert b["compatibilityLevel"] == "FORWARD_TRANSITIVE"
	h.assert_error(server.get(f"/config/{h.q(subj)}"), 404, 40408)
	# API §2.2: DELETE /config/{s} without a subject config -> 40401
	h.assert_error(server.delete(f"/config/{h.q(subj)}"), 404, 40401)


def test_subject_normalize_and_policy_fields(server):
	subj = h.subject()
	req = {"compatibility": "BACKWARD", "normalize": True, "compatibilityPolicy": "LENIENT"}
	b = h.ok(server.put(f"/config/{h.q(subj)}", json=req))
	assert b["compatibility"] == "BACKWARD"
	assert b["normalize"] is True
	assert b["compatibilityPolicy"] == "LENIENT"
	b = h.ok(server.get(f"/config/{h.q(subj)}"))
	assert (b["compatibilityLevel"], b["normalize"], b["compatibilityPolicy"]) == ("BACKWARD", True, "LENIENT")


def test_subject_normalize_config_normalizes_registration(server):
	# API §2.5 step 3: normalize=true, or the subject's normalize config.
	subj = h.subject()
	h.ok(server.put(f"/config/{h.q(subj)}", json={"compatibility": "BACKWARD", "normalize": True}))
	name = f"N_{h.uid()}"
	a = '{"type":"record","name":"%s","fields":[{"name":"a","type":"int"}],"pb":"1","pa":"2"}' % name
	b = '{"type":"record","name":"%s","fields":[{"name":"a","type":"int"}],"pa":"2","pb":"1"}' % name
	assert h.register_ok(server, subj, a) == h.register_ok(server, subj, b)
	assert h.versions(server, subj) == [1]


@pytest.mark.parametrize("bad", ["NOPE", "backward-ish"])
def test_put_subject_invalid_level(server, bad):
	subj = h.subject()
	h.assert_error(server.put(f"/config/{h.q(subj)}", json={"compatibility": bad}), 422, 42203)
	h.assert_error(server.get(f"/config/{h.q(subj)}"), 404, 40408)


def test_subject_config_survives_soft_delete_and_goes_with_hard_delete(server):
	subj = h.subject()
	h.register_ok(server, subj, h.unique_schema())
	h.set_subject_config(server, subj, "FULL")
	h.ok(h.delete_subject(server, subj))
	assert h.ok(server.get(f"/config/{h.q(subj)}"))["compatibilityLevel"] == "FULL"
	h.ok(h.delete_subject(server, subj, permanent=True))
	# API §2.5: hard delete also deletes the subject's config and mode once no
	# versions remain.
	h.assert_error(server.get(f"/config/{h.q(subj)}"), 404, 40408)

"""Content negotiation (API §2.1; DESIGN §6).

Consumes: application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json,
application/json, application/octet-stream (also no Content-Type); anything
else is 415. Produces application/vnd.schemaregistry.v1+json (preferred),
application/vnd.schemaregistry+json, application/json; an Accept none of these
satisfies is 406. Errors are JSON bodies in every case.
"""

import pytest

import helpers as h

ACCEPTED = [h.V1, h.ANY_SR, "application/json", "application/octet-stream", None,
	"application/json; charset=utf-8", "APPLICATION/JSON"]
REFUSED = ["text/plain", "application/xml", "application/x-www-form-urlencoded",
	"multipart/form-data; boundary=xyz", "text/json"]


def _post_raw(srv, path, obj, content_type):
	headers = {} if content_type is None else {"Content-Type": content_type}
	return srv.post(path, data=h.compact(obj).encode(), headers=headers)


@pytest.mark.parametrize("ct", ACCEPTED)
def test_accepted_request_content_types(server, ct):
	subj = h.subject()
	schema = h.unique_schema()
	r = _post_raw(server, f"/subjects/{h.q(subj)}/versions", {"schema": schema}, ct)
	sid = h.ok(r)["id"]
	r = _post_raw(server, f"/subjects/{h.q(subj)}", {"schema": schema}, ct)
	assert h.ok(r)["id"] == sid
	r = server.put(f"/config/{h.q(subj)}", data=h.compact({"compatibility": "FULL"}).encode(),
		headers={} if ct is None else {"Content-Type": ct})
	assert h.ok(r)["compatibility"] == "FULL"


def test_no_content_type_header_at_all(server):
	# requests adds no Content-Type for bytes, but make sure on the wire.
	subj = h.subject()
	body = h.compact({"schema": h.unique_schema()}).encode()
	st, headers, resp = h.raw_request(server.port, "POST", f"/subjects/{h.q(subj)}/versions", body)
	assert st == 200, resp
	assert h.versions(server, subj) == [1]


@pytest.mark.parametrize("ct", REFUSED)
def test_unsupported_request_content_types(server, ct):
	subj = h.subject()
	r = _post_raw(server, f"/subjects/{h.q(subj)}/versions", {"schema": h.unique_schema()}, ct)
	h.assert_error(r, 415, 415)
	h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401)
	r = server.put(f"/config/{h.q(subj)}", data=b'{"compatibility":"FULL"}', headers={"Content-Type": ct})
	h.assert_error(r, 415, 415)
	h.assert_error(server.get(f"/config/{h.q(subj)}"), 404, 40408)


@pytest.mark.parametrize("path", ["/", "/subjects", "/schemas/types", "/config", "/mode"])
def test_response_content_type(server, path):
	r = server.get(path)
	h.ok(r)  # asserts application/vnd.schemaregistry.v1+json


def test_error_response_content_type(server):
	h.assert_error(server.get(f"/subjects/{h.q(h.subject())}/versions"), 404, 40401)


@pytest.mark.parametrize("accept,want", [
	("*/*", h.V1),
	(h.V1, h.V1),
	("application/*", h.V1),
	(h.ANY_SR, h.ANY_SR),
	("application/json", "application/json"),
	("text/html, application/json;q=0.5", "application/json"),
	(f"application/json;q=0.5, {h.V1}", h.V1),
])
def test_accept_negotiation(server, accept, want):
	r = server.get("/subjects", headers={"Accept": accept})
	assert r.status_code == 200, r.content
	got = r.headers.get("Content-Type", "").split(";")[0].strip().lower()
	assert got == want, f"Accept {accept!r}: Content-Type {got!r}, want {want!r}"
	assert isinstance(h.body_json(r), list)


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "image/png"])
def test_unacceptable_accept(server, accept):
	r = server.get("/subjects", headers={"Accept": accept})
	# the body is still a JSON error (clients parse it regardless)
	h.assert_error(r, 406, 406, content_type=False)
	subj = h.subject()
	r = server.post(f"/subjects/{h.q(subj)}/versions", json={"schema": h.unique_schema()},
		headers={"Accept": accept, "Content-Type": h.V1})
	h.assert_error(r, 406, 406, content_type=False)
	# negotiation fails before the handler runs: nothing was registered
	h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401)

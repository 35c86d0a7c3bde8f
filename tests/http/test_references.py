"""Schema references across subjects (API §2.5 "References"; DESIGN §6)."""

import helpers as h


def _type_schema(ns):
	return h.record([h.field("f", "int")], name="Type", namespace=ns)


def _outer_schema(ns_type, suffix=""):
	return h.record([h.field("t", f"{ns_type}.Type")], name="Outer" + suffix, namespace=f"com.y{h.uid()}")


def _setup(server):
	ns = f"com.x{h.uid()}"
	a, b = h.subject("refA"), h.subject("refB")
	id_a = h.register_ok(server, a, _type_schema(ns))
	refs = [{"name": f"{ns}.Type", "subject": a, "version": 1}]
	outer = _outer_schema(ns)
	id_b = h.register_ok(server, b, outer, references=refs)
	return ns, a, b, id_a, id_b, refs, outer


def test_register_with_reference_and_read_it_back(server):
	ns, a, b, id_a, id_b, refs, outer = _setup(server)
	assert id_a != id_b
	v = h.ok(h.get_version(server, b, 1))
	assert v["references"] == refs
	assert h.same_schema(v["schema"], outer)
	s = h.ok(server.get(f"/schemas/ids/{id_b}"))
	assert s["references"] == refs
	assert h.same_schema(s["schema"], outer)
	# the referenced schema itself has no references
	assert not h.ok(h.get_version(server, a, 1)).get("references")


def test_referencedby(server):
	ns, a, b, id_a, id_b, refs, outer = _setup(server)
	assert h.ok(server.get(f"/subjects/{h.q(a)}/versions/1/referencedby")) == [id_b]
	assert h.ok(server.get(f"/subjects/{h.q(a)}/versions/latest/referencedby")) == [id_b]
	assert h.ok(server.get(f"/subjects/{h.q(b)}/versions/1/referencedby")) == []
	# a second referrer
	c = h.subject("refC")
	id_c = h.register_ok(server, c, _outer_schema(ns, "2"), references=refs)
	assert sorted(h.ok(server.get(f"/subjects/{h.q(a)}/versions/1/referencedby"))) == sorted([id_b, id_c])


def test_lookup_with_references(server):
	ns, a, b, id_a, id_b, refs, outer = _setup(server)
	got = h.ok(server.post(f"/subjects/{h.q(b)}", json={"schema": outer, "references": refs}))
	assert (got["id"], got["version"]) == (id_b, 1)


def test_same_schema_and_references_dedup(server):
	ns, a, b, id_a, id_b, refs, outer = _setup(server)
	assert h.register_ok(server, h.subject(), outer, references=refs) == id_b
	# the same text resolved through another subject is another schema
	a2 = h.subject("refA2")
	h.register_ok(server, a2, _type_schema(ns))
	refs2 = [{"name": f"{ns}.Type", "subject": a2, "version": 1}]
	assert h.register_ok(server, h.subject(), outer, references=refs2) != id_b


def test_referenced_version_cannot_be_deleted(server):
	ns, a, b, id_a, id_b, refs, outer = _setup(server)
	h.assert_error(h.delete_version(server, a, 1), 422, 42206)
	h.assert_error(h.delete_version(server, a, "latest"), 422, 42206)
	h.assert_error(h.delete_subject(server, a), 422, 42206)
	assert h.versions(server, a) == [1]
	assert h.ok(h.get_version(server, a, 1))["id"] == id_a


def test_hard_delete_counts_soft_deleted_referrers(server):
	ns, a, b, id_a, id_b, refs, outer = _setup(server)
	h.ok(h.delete_version(server, b, 1))
	# API §2.5: soft deletes look at live referrers; hard delete also counts
	# references from soft-deleted referrers.
	assert h.ok(h.delete_version(server, a, 1)) == 1
	h.assert_error(h.delete_version(server, a, 1, permanent=True), 422, 42206)
	h.assert_error(h.delete_subject(server, a, permanent=True), 422, 42206)
	assert h.versions(server, a, deleted="true") == [1]
	h.ok(h.delete_version(server, b, 1, permanent=True))
	assert h.ok(h.delete_version(server, a, 1, permanent=True)) == 1


def test_unresolvable_references(server):
	ns = f"com.x{h.uid()}"
	a = h.subject("refA")
	h.register_ok(server, a, _type_schema(ns))
	outer = _outer_schema(ns)
	cases = [
		None,  # the type is used without a reference
		[{"name": f"{ns}.Type", "subject": h.subject("missing"), "version": 1}],
		[{"name": f"{ns}.Type", "subject": a, "version": 2}],
	]
	for refs in cases:
		extra = {} if refs is None else {"references": refs}
		subj = h.subject("refB")
		h.assert_error(h.register(server, subj, outer, **extra), 422, 42201)
		h.assert_error(server.get(f"/subjects/{h.q(subj)}/versions"), 404, 40401)


def test_reference_to_a_soft_deleted_subject_version_is_still_readable(server):
	ns, a, b, id_a, id_b, refs, outer = _setup(server)
	h.ok(h.delete_version(server, b, 1))
	h.ok(h.delete_version(server, a, 1))
	s = h.ok(server.get(f"/schemas/ids/{id_b}"))
	assert s["references"] == refs


def test_compatibility_with_references(server):
	ns, a, b, id_a, id_b, refs, outer = _setup(server)
	r = server.post(f"/compatibility/subjects/{h.q(b)}/versions/latest", json={"schema": outer, "references": refs})
	assert h.ok(r)["is_compatible"] is True


def test_referrers_survive_a_restart_whatever_the_subject_order(make_server):
	"""The model loads versions in subject order: a referencing subject that
	sorts before the subject it references must still be linked to it."""
	srv = make_server()
	ns = f"com.x{h.uid()}"
	target, early, late = h.subject("zz-target"), h.subject("aa-ref"), h.subject("zzz-ref")
	h.register_ok(srv, target, _type_schema(ns))
	refs = [{"name": f"{ns}.Type", "subject": target, "version": 1}]
	ids = sorted([h.register_ok(srv, early, _outer_schema(ns, "A"), references=refs),
		h.register_ok(srv, late, _outer_schema(ns, "Z"), references=refs)])
	path = f"/subjects/{h.q(target)}/versions/1/referencedby"
	assert sorted(h.ok(srv.get(path))) == ids
	srv.restart()
	assert sorted(h.ok(srv.get(path))) == ids
	h.assert_error(h.delete_version(srv, target, 1), 422, 42206)
	h.assert_error(h.delete_subject(srv, target), 422, 42206)

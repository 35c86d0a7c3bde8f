"""Durability across a SIGTERM and a restart on the same DATABASE_URL."""

import signal

import helpers as h


def cap(r):
	return (r.status_code, h.body_json(r))


def snapshot(srv, subjects, ids):
	"""Everything the API shows about the given subjects and ids: (status, body) per request."""
	snap = {
		"subjects": sorted(h.ok(srv.get("/subjects"))),
		"subjects_deleted": sorted(h.ok(srv.get("/subjects", params={"deleted": "true"}))),
		"config": cap(srv.get("/config")),
		"mode": cap(srv.get("/mode")),
	}
	for s in subjects:
		q = h.q(s)
		st, vs = snap[f"versions:{s}"] = cap(srv.get(f"/subjects/{q}/versions", params={"deleted": "true"}))
		snap[f"live:{s}"] = cap(srv.get(f"/subjects/{q}/versions"))
		for v in (vs if st == 200 else []):
			snap[f"v:{s}:{v}"] = cap(srv.get(f"/subjects/{q}/versions/{v}", params={"deleted": "true"}))
			snap[f"refby:{s}:{v}"] = cap(srv.get(f"/subjects/{q}/versions/{v}/referencedby"))
		for what in ("config", "mode"):
			snap[f"{what}:{s}"] = cap(srv.get(f"/{what}/{q}"))
	for i in ids:
		snap[f"id:{i}"] = cap(srv.get(f"/schemas/ids/{i}"))
		st, subs = cap(srv.get(f"/schemas/ids/{i}/subjects", params={"deleted": "true"}))
		snap[f"id-subjects:{i}"] = (st, sorted(subs) if st == 200 else subs)
	return snap


def populate(srv):
	subjects = [h.subject(p) for p in ("keep", "shared", "soft", "softv", "hard", "cfg", "ref", "uses-ref")]
	keep, shared, soft, softv, hard, cfg, ref, uses = subjects
	ids = set()
	keep_name = f"K_{h.uid()}"
	ev = h.evolution(3, keep_name)
	for s in ev:
		ids.add(h.register_ok(srv, keep, s))
	ids.add(h.register_ok(srv, shared, ev[0]))  # same id as keep v1
	ids.add(h.register_ok(srv, soft, h.unique_schema()))
	h.ok(h.delete_subject(srv, soft))
	ev2 = h.evolution(3)
	for s in ev2:
		ids.add(h.register_ok(srv, softv, s))
	h.ok(h.delete_version(srv, softv, 2))
	h.register_ok(srv, hard, h.unique_schema())
	h.ok(h.delete_subject(srv, hard))
	h.ok(h.delete_subject(srv, hard, permanent=True))
	ids.add(h.register_ok(srv, cfg, h.unique_schema(), metadata={"properties": {"k": "v"}},
		ruleSet={"domainRules": [{"name": "r", "kind": "CONDITION", "mode": "WRITE", "type": "CEL", "expr": "true"}]}))
	h.ok(srv.put(f"/config/{h.q(cfg)}", json={"compatibility": "FULL_TRANSITIVE", "normalize": True}))
	h.ok(srv.put(f"/mode/{h.q(cfg)}", json={"mode": "READONLY"}))
	ns = f"com.r{h.uid()}"
	ids.add(h.register_ok(srv, ref, h.record([h.field("f", "int")], name="T", namespace=ns)))
	ids.add(h.register_ok(srv, uses, h.record([h.field("t", f"{ns}.T")], name="U"),
		references=[{"name": f"{ns}.T", "subject": ref, "version": 1}]))
	h.ok(srv.put("/config", json={"compatibility": "FORWARD"}))
	return subjects, sorted(ids), keep_name


def test_restart_keeps_everything(make_server):
	srv = make_server()
	subjects, ids, keep_name = populate(srv)
	before = snapshot(srv, subjects, ids)
	# what populate() did is visible before the restart
	assert before[f"versions:{subjects[3]}"] == (200, [1, 2, 3])
	assert before[f"live:{subjects[3]}"] == (200, [1, 3])
	assert before[f"live:{subjects[2]}"][0] == 404
	assert before[f"versions:{subjects[4]}"][0] == 404
	assert before["config"][1]["compatibilityLevel"] == "FORWARD"
	rc = srv.stop()
	assert rc == 0, f"exit status {rc} after SIGTERM"
	srv.start()
	after = snapshot(srv, subjects, ids)
	assert after == before
	# ids and versions keep counting from where they were
	keep = subjects[0]
	new_id = h.register_ok(srv, keep, h.evolution(4, keep_name)[3])
	assert new_id > max(ids)
	assert h.versions(srv, keep) == [1, 2, 3, 4]
	# the hard-deleted subject starts again at 1
	hard = subjects[4]
	h.register_ok(srv, hard, h.unique_schema())
	assert h.versions(srv, hard) == [1]
	# the subject mode survived: still read-only
	h.assert_error(h.register(srv, subjects[5], h.unique_schema()), 422, 42205)


def test_restart_twice_and_double_sigterm(make_server):
	srv = make_server()
	subj = h.subject()
	sid = h.register_ok(srv, subj, h.unique_schema())
	for _ in range(2):
		srv.restart()
		assert h.ok(h.get_version(srv, subj, 1))["id"] == sid
	# a second SIGTERM while shutting down is harmless
	srv.signal(signal.SIGTERM)
	try:
		srv.signal(signal.SIGTERM)
	except ProcessLookupError:
		pass
	assert srv.wait_exit() == 0

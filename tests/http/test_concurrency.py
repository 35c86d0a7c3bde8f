"""Concurrent writers: one writer path (DESIGN §3) means no duplicate
versions, no duplicate ids, and idempotent registration under races."""

import threading

import requests

import helpers as h

THREADS = 8


def _parallel(fn, n=THREADS):
	"""Run fn(i, session) in n threads started together; return results by index."""
	results = [None] * n
	errors = []
	barrier = threading.Barrier(n)

	def run(i):
		sess = requests.Session()
		try:
			barrier.wait(10)
			results[i] = fn(i, sess)
		except Exception as e:  # report whatever went wrong in the thread
			errors.append(repr(e))
		finally:
			sess.close()

	threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
	for t in threads:
		t.start()
	for t in threads:
		t.join(60)
	assert not errors, errors
	return results


def _post(sess, srv, subj, schema):
	r = sess.post(srv.url(f"/subjects/{h.q(subj)}/versions"), data=h.compact({"schema": schema}).encode(),
		headers={"Content-Type": h.V1}, timeout=30)
	return r.status_code, r.json()


def test_same_schema_same_subject_races_to_one_version(server):
	subj = h.subject()
	schema = h.unique_schema()
	results = _parallel(lambda i, s: _post(s, server, subj, schema))
	assert all(st == 200 for st, _ in results), results
	assert len({b["id"] for _, b in results}) == 1
	assert h.versions(server, subj) == [1]


def test_same_schema_many_subjects_races_to_one_id(server):
	schema = h.unique_schema()
	subjects = [h.subject() for _ in range(THREADS)]
	results = _parallel(lambda i, s: _post(s, server, subjects[i], schema))
	assert all(st == 200 for st, _ in results), results
	assert len({b["id"] for _, b in results}) == 1
	for subj in subjects:
		assert h.versions(server, subj) == [1]


def test_different_schemas_same_subject_get_distinct_versions(server):
	subj = h.subject()
	h.set_subject_config(server, subj, "NONE")
	schemas = [h.unique_schema() for _ in range(THREADS)]
	results = _parallel(lambda i, s: _post(s, server, subj, schemas[i]))
	assert all(st == 200 for st, _ in results), results
	ids = [b["id"] for _, b in results]
	assert len(set(ids)) == THREADS
	assert h.versions(server, subj) == list(range(1, THREADS + 1))
	# every version holds the schema whose registration returned its id
	by_id = dict(zip(ids, schemas))
	for v in range(1, THREADS + 1):
		b = h.ok(h.get_version(server, subj, v))
		assert h.same_schema(b["schema"], by_id[b["id"]])


def test_concurrent_reads_and_writes(server):
	subj = h.subject()
	first = h.register_ok(server, subj, h.unique_schema())

	def work(i, sess):
		if i % 2:
			return _post(sess, server, h.subject(), h.unique_schema())
		out = []
		for _ in range(20):
			r = sess.get(server.url(f"/subjects/{h.q(subj)}/versions/1"), timeout=30)
			out.append((r.status_code, r.json()["id"]))
		return out

	results = _parallel(work)
	for i, res in enumerate(results):
		if i % 2:
			assert res[0] == 200, res
		else:
			assert all(x == (200, first) for x in res), res

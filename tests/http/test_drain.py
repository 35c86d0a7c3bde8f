"""SIGTERM under load: in-flight requests finish, every acknowledged write is
durable, and the process exits 0 (DESIGN §10: "rolling updates lose nothing")."""

import signal
import threading
import time

import requests

import helpers as h

WORKERS = 6
MAX_PER_WORKER = 2000


def test_sigterm_drains_and_loses_no_acknowledged_write(make_server):
	srv = make_server()
	base = srv.url("")
	acked = []  # (subject, schema, id) answered 200
	lock = threading.Lock()
	stop = threading.Event()
	odd = []  # answers that are neither 200 nor a clean refusal

	def worker():
		sess = requests.Session()
		try:
			for _ in range(MAX_PER_WORKER):
				if stop.is_set():
					return
				subj, schema = h.subject("drain"), h.unique_schema(2)
				try:
					r = sess.post(f"{base}/subjects/{h.q(subj)}/versions", data=h.compact({"schema": schema}).encode(),
						headers={"Content-Type": h.V1}, timeout=15)
				except requests.RequestException:
					return  # the server went away: expected after SIGTERM
				if r.status_code == 200:
					with lock:
						acked.append((subj, schema, r.json()["id"]))
				elif r.status_code != 503:
					with lock:
						odd.append((r.status_code, r.content[:200]))
		finally:
			sess.close()

	threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
	for t in threads:
		t.start()
	try:
		deadline = time.monotonic() + 60
		while len(acked) < 50 and time.monotonic() < deadline and any(t.is_alive() for t in threads):
			time.sleep(0.01)
		assert len(acked) >= 50, f"only {len(acked)} registrations before SIGTERM"
		srv.signal(signal.SIGTERM)
		rc = srv.wait_exit(timeout=60)
	finally:
		stop.set()
		for t in threads:
			t.join(60)
	assert rc == 0, f"exit status {rc} after SIGTERM:\n{srv.log_tail()}"
	assert not odd, odd[:5]

	srv.start()
	lost = []
	for subj, schema, sid in acked:
		r = h.get_version(srv, subj, 1)
		if r.status_code != 200:
			lost.append((subj, sid, r.status_code))
			continue
		b = r.json()
		if b["id"] != sid or not h.same_schema(b["schema"], schema):
			lost.append((subj, sid, b))
	assert not lost, f"{len(lost)} of {len(acked)} acknowledged registrations lost: {lost[:5]}"
	# and the ids stay unique
	assert len({sid for _, _, sid in acked}) == len(acked)

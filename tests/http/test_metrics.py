"""GET /metrics: the Prometheus text exposition, parsed by prometheus_client.

The deployment runbook checks `curl .../metrics | grep
schema_registry_http_requests_total`; Prometheus scrapes the same page.
Counts are checked on a fresh server so that other tests cannot move them.
"""

import re
import time

from prometheus_client.parser import text_string_to_metric_families

import helpers as h

PROMETHEUS_ACCEPT = ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
	"version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")


def scrape(srv, accept=PROMETHEUS_ACCEPT):
	r = srv.get("/metrics", headers={"Accept": accept})
	assert r.status_code == 200, r.text
	assert r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
	return {f.name: f for f in text_string_to_metric_families(r.text)}, r.text


def scrape_settled(srv, check, timeout=5.0):
	"""Scrape until `check(families)` holds. A request is counted when its
	answer has been sent, which may be just after the client read it."""
	deadline = time.monotonic() + timeout
	while True:
		fams, text = scrape(srv)
		if check(fams) or time.monotonic() > deadline:
			return fams, text
		time.sleep(0.02)


def sample_value(families, family, name, **labels):
	for s in families[family].samples:
		if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
			return s.value
	return None


def requests_total(families, **labels):
	return sample_value(families, "schema_registry_http_requests", "schema_registry_http_requests_total",
		**labels) or 0


def test_counts_requests_by_route_template_method_and_status(fresh_server):
	srv = fresh_server
	subj = h.subject()
	sid = h.register_ok(srv, subj, h.unique_schema())
	for _ in range(3):
		assert srv.get(f"/schemas/ids/{sid}").status_code == 200
	assert srv.get("/schemas/ids/999999").status_code == 404
	assert srv.get("/no/such/route").status_code == 404
	assert srv.request("PATCH", "/subjects").status_code == 405

	fams, text = scrape(srv)
	by_id = "/schemas/ids/{id}"
	assert requests_total(fams, method="GET", route=by_id, status="200") == 3
	assert requests_total(fams, method="GET", route=by_id, status="404") == 1
	assert requests_total(fams, method="POST", route="/subjects/{subject}/versions", status="200") == 1
	assert requests_total(fams, method="GET", route="unmatched", status="404") == 1
	assert requests_total(fams, method="OTHER", route="unmatched", status="405") == 1
	# Subject names and ids never become label values: the template does.
	assert subj not in text and f"/schemas/ids/{sid}" not in text
	# The runbook's check.
	assert re.search(r"^schema_registry_http_requests_total\{", text, re.M)


def test_latency_histogram_is_cumulative_and_matches_the_count(fresh_server):
	srv = fresh_server
	for _ in range(5):
		assert srv.get("/subjects").status_code == 200
	fams, _ = scrape(srv)
	fam = fams["schema_registry_http_request_duration_seconds"]
	assert fam.type == "histogram"
	buckets = [(s.labels["le"], s.value) for s in fam.samples
		if s.name.endswith("_bucket") and s.labels["route"] == "/subjects"]
	bounds = [float(le) for le, _ in buckets]
	counts = [v for _, v in buckets]
	assert bounds == sorted(bounds) and bounds[-1] == float("inf")
	assert counts == sorted(counts), "buckets must be cumulative"
	assert counts[-1] == 5
	count = sample_value(fams, fam.name, fam.name + "_count", route="/subjects", method="GET")
	total = sample_value(fams, fam.name, fam.name + "_sum", route="/subjects", method="GET")
	assert count == 5
	assert 0 < total < 60


def test_registry_sizes_and_build_info(fresh_server):
	srv = fresh_server
	a, b = h.subject(), h.subject()
	s1 = h.unique_schema()
	h.register_ok(srv, a, s1)
	h.register_ok(srv, b, s1)              # same schema, same id
	h.register_ok(srv, h.subject(), h.unique_schema())
	fams, _ = scrape(srv)
	assert sample_value(fams, "schema_registry_schemas", "schema_registry_schemas") == 2
	assert sample_value(fams, "schema_registry_subjects", "schema_registry_subjects") == 3
	assert sample_value(fams, "schema_registry_versions", "schema_registry_versions") == 3
	assert sample_value(fams, "schema_registry_max_schema_id", "schema_registry_max_schema_id") == 2
	version = h.ok(srv.get("/v1/metadata/version"))
	info = fams["schema_registry_build_info"].samples[0]
	assert info.labels == {"version": version["version"], "commit": version["commitId"]}
	assert info.value == 1


def test_process_metrics(fresh_server):
	fams, _ = scrape(fresh_server)
	rss = sample_value(fams, "process_resident_memory_bytes", "process_resident_memory_bytes")
	assert 1 << 20 < rss < 1 << 32
	assert sample_value(fams, "process_open_fds", "process_open_fds") > 2
	assert sample_value(fams, "process_start_time_seconds", "process_start_time_seconds") > 1.7e9
	assert sample_value(fams, "process_cpu_seconds", "process_cpu_seconds_total") >= 0


def test_plain_curl_and_text_plain_accept(server):
	for accept in (None, "*/*", "text/plain"):
		r = server.get("/metrics", headers={"Accept": accept} if accept else {})
		assert r.status_code == 200
		assert r.headers["Content-Type"].startswith("text/plain")


def test_json_only_client_gets_406_in_json(server):
	r = server.get("/metrics", headers={"Accept": "application/json"})
	assert r.status_code == 406
	assert r.json()["error_code"] == 406


def test_wrong_method_is_405(server):
	r = server.post("/metrics", json={})
	assert r.status_code == 405
	assert r.json()["error_code"] == 405


def test_concurrent_requests_are_all_counted(fresh_server):
	from concurrent.futures import ThreadPoolExecutor
	import requests

	url = fresh_server.url("/schemas/types")

	def worker(n):
		with requests.Session() as s:
			for _ in range(n):
				assert s.get(url, timeout=30).status_code == 200

	with ThreadPoolExecutor(max_workers=8) as pool:
		list(pool.map(worker, [100] * 8))
	fams, _ = scrape_settled(fresh_server, lambda f: requests_total(
		f, method="GET", route="/schemas/types", status="200") >= 800)
	assert requests_total(fams, method="GET", route="/schemas/types", status="200") == 800
	count = sample_value(fams, "schema_registry_http_request_duration_seconds",
		"schema_registry_http_request_duration_seconds_count", route="/schemas/types")
	assert count == 800

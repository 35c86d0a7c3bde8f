"""The Grafana dashboard (deploy/grafana) and the Prometheus alert rules
(deploy/prometheus) query only metrics and route templates the server
really exports."""

import json
import os
import re

import yaml
from prometheus_client.parser import text_string_to_metric_families

import helpers as h
from conftest import REPO

DASHBOARD = os.path.join(REPO, "deploy", "grafana", "schema-registry.json")
ALERTS = os.path.join(REPO, "deploy", "prometheus", "alerts.yml")
METRIC = re.compile(r"\b((?:schema_registry|process)_[a-z_]+)")
ROUTE = re.compile(r'route="([^"]+)"')
SUFFIXES = ("_bucket", "_sum", "_count")


def dashboard_exprs():
	with open(DASHBOARD) as f:
		d = json.load(f)
	assert d["uid"] == "schema-registry"  # the runbook's /d/schema-registry link
	exprs = [t["expr"] for p in d["panels"] for t in p["targets"]]
	exprs += [v["query"] for v in d["templating"]["list"] if v["type"] == "query"]
	return exprs


def alert_exprs():
	with open(ALERTS) as f:
		doc = yaml.safe_load(f)
	return [r["expr"] for g in doc["groups"] for r in g["rules"]]


def exported(srv):
	"""Sample names and route labels after one request to every route the queries name."""
	subj = h.subject()
	sid = h.register_ok(srv, subj, h.unique_schema())
	h.ok(srv.get(f"/schemas/ids/{sid}"))
	h.ok(srv.get(f"/subjects/{h.q(subj)}/versions/1"))
	h.ok(srv.post(f"/schemas/ids/{sid}/validate", data=b'{"f0": 1}',
		headers={"Content-Type": "application/json"}))
	text = srv.get("/metrics").text
	names, routes = set(), set()
	for fam in text_string_to_metric_families(text):
		for s in fam.samples:
			names.add(s.name)
			if "route" in s.labels:
				routes.add(s.labels["route"])
	return names, routes


def check(exprs, names, routes):
	assert exprs
	for expr in exprs:
		for m in METRIC.findall(expr):
			assert m in names or any(m + suf in names for suf in SUFFIXES), f"{m} in {expr!r}"
		for r in ROUTE.findall(expr):
			assert r in routes, f"route {r!r} in {expr!r} is not a route template the server reports"


def test_dashboard_queries_exported_metrics(fresh_server):
	names, routes = exported(fresh_server)
	check(dashboard_exprs(), names, routes)


def test_alert_rules_query_exported_metrics(fresh_server):
	names, routes = exported(fresh_server)
	check(alert_exprs(), names, routes)

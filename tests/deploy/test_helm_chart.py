"""The Helm chart (helm/schema-registry), rendered as `helm template` would
(tests/deploy/render.go: Go text/template + sprig, what Helm is built on)
with its defaults and with values-production.yaml, checked for what the
deployment runbook and the image rely on."""

import os
import re
import subprocess

import pytest
import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHART = os.path.join(REPO, "helm", "schema-registry")
PRODUCTION = os.path.join(CHART, "values-production.yaml")


def render(*args):
	env = dict(os.environ, GO111MODULE="off", GOPATH="/usr/share/gocode",
		GOCACHE=os.environ.get("GOCACHE", "/tmp/sr-gocache"), GOFLAGS="")
	p = subprocess.run(["go", "run", os.path.join(REPO, "tests", "deploy", "render.go"), CHART,
		"--strict", *args], capture_output=True, text=True, timeout=300, env=env)
	assert p.returncode == 0, p.stderr
	docs = [d for d in yaml.safe_load_all(p.stdout) if d]
	for d in docs:
		assert d["apiVersion"] and d["kind"], d
		assert d["metadata"]["namespace"] == "schema-registry", d["metadata"]
	return {(d["kind"], d["metadata"]["name"]): d for d in docs}


def container(obj):
	spec = obj["spec"]
	if obj["kind"] == "CronJob":
		spec = spec["jobTemplate"]["spec"]
	return spec["template"]["spec"]["containers"][0]


def env_of(c):
	return {e["name"]: e.get("value", e.get("valueFrom")) for e in c["env"]}


@pytest.fixture(scope="module")
def defaults():
	return render()


@pytest.fixture(scope="module")
def production():
	return render("-f", PRODUCTION, "--set", "image.tag=v1.2.3")


def test_runbook_names_and_labels(defaults):
	dep = defaults[("Deployment", "schema-registry")]       # kubectl get deployment schema-registry
	assert dep["spec"]["template"]["metadata"]["labels"]["app"] == "schema-registry"  # -l app=schema-registry
	assert dep["spec"]["selector"]["matchLabels"]["app"] == "schema-registry"
	assert ("Service", "schema-registry") in defaults
	# The database URL comes from the secret the runbook inspects.
	url = env_of(container(dep))["DATABASE_URL"]["secretKeyRef"]
	assert url == {"name": "schema-registry-db", "key": "url"}


def test_probes_ports_and_shutdown(defaults):
	dep = defaults[("Deployment", "schema-registry")]
	c = container(dep)
	assert c["livenessProbe"]["httpGet"]["path"] == "/health"
	assert c["readinessProbe"]["httpGet"]["path"] == "/ready"
	assert c["ports"][0]["containerPort"] == 8081
	env = env_of(c)
	assert env["SCHEMA_REGISTRY_LISTEN"] == "0.0.0.0:8081"
	# SIGTERM drains for up to the shutdown timeout, inside the grace period.
	assert int(env["SCHEMA_REGISTRY_SHUTDOWN_TIMEOUT"]) < dep["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
	# Rolling updates never drop below the replica count.
	assert dep["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
	pod = dep["spec"]["template"]["spec"]
	assert pod["securityContext"]["runAsUser"] == 10001   # the image's user
	assert c["securityContext"]["readOnlyRootFilesystem"] is True
	mounts = {m["mountPath"] for m in c["volumeMounts"]}
	assert {"/tmp", "/var/backups/schema-registry"} <= mounts  # backup-runner writes there


def test_migrations_run_as_a_hook_before_the_pods(defaults):
	job = defaults[("Job", "schema-registry-migrate")]
	assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
	assert container(job)["args"] == ["migrate"]
	sa = defaults[("ServiceAccount", "schema-registry")]
	assert int(sa["metadata"]["annotations"]["helm.sh/hook-weight"]) < int(
		job["metadata"]["annotations"]["helm.sh/hook-weight"])


def test_defaults_create_no_optional_objects(defaults):
	kinds = {k for k, _ in defaults}
	assert "CronJob" not in kinds and "ServiceMonitor" not in kinds and "Secret" not in kinds


def test_production_values(production):
	dep = production[("Deployment", "schema-registry")]
	assert dep["spec"]["replicas"] == 3
	c = container(dep)
	assert c["image"] == "registry.example.com/schema-registry:v1.2.3"   # --set image.tag=v1.2.3
	# backup-runner --manual from a serving pod uploads where the runbook lists.
	assert env_of(c)["BACKUP_S3_URI"] == "s3://schema-registry-backups/backups"
	cron = production[("CronJob", "schema-registry-backup")]
	assert container(cron)["command"] == ["/usr/local/bin/backup-runner"]
	assert env_of(container(cron))["BACKUP_S3_URI"] == "s3://schema-registry-backups/backups"
	sm = production[("ServiceMonitor", "schema-registry")]
	assert sm["spec"]["endpoints"][0]["path"] == "/metrics"
	assert production[("PodDisruptionBudget", "schema-registry")]["spec"]["minAvailable"] == 2


def test_the_chart_can_create_the_database_secret():
	objs = render("--set", "database.url=postgres://u:p@db:5432/registry")
	secret = objs[("Secret", "schema-registry-db")]
	assert secret["stringData"]["url"] == "postgres://u:p@db:5432/registry"
	assert "pre-install" in secret["metadata"]["annotations"]["helm.sh/hook"]


def test_the_image_has_what_the_chart_runs():
	with open(os.path.join(REPO, "Dockerfile")) as f:
		dockerfile = f.read()
	for path in ("/usr/local/bin/backup-runner", "/usr/local/bin/schema-registry"):
		assert path in dockerfile
	assert re.search(r"useradd .*--uid 10001", dockerfile)
	assert "EXPOSE 8081" in dockerfile

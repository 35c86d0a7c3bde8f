"""scripts/backup-runner, which the deployment runbook runs before a deploy
(`backup-runner --manual`), into a directory and into S3 (through the AWS
CLI; here a stand-in `aws` on PATH records what it was asked and keeps the
files, since no S3 is reachable from the tests)."""

import os
import re
import subprocess
import time

import helpers as h
from conftest import REPO, clean_env, sr_bin

RUNNER = os.path.join(REPO, "scripts", "backup-runner")

FAKE_AWS = r'''#!/bin/sh
# A stand-in for the AWS CLI: s3 cp and s3 ls against a directory.
echo "$*" >> "$FAKE_S3/calls"
[ "$1" = s3 ] || exit 2
case "$2" in
cp) shift 2; [ "$1" = --only-show-errors ] && shift
    key="${2#s3://}"; mkdir -p "$FAKE_S3/$(dirname "$key")"; cp "$1" "$FAKE_S3/$key" ;;
ls) key="${3#s3://}"; [ -f "$FAKE_S3/$key" ] && echo "2026-01-01 00:00:00 1 $(basename "$key")" ;;
*) exit 2 ;;
esac
'''


def run(srv, env, *args):
	e = clean_env({"DATABASE_URL": srv.db_url, "SCHEMA_REGISTRY_BIN": sr_bin(), **env})
	return subprocess.run(["sh", RUNNER, *args], env=e, capture_output=True, text=True, timeout=120)


def test_manual_backup_into_a_directory_restores(fresh_server, tmp_path, make_server):
	subj = h.subject()
	sid = h.register_ok(fresh_server, subj, h.unique_schema())
	p = run(fresh_server, {"BACKUP_DIR": str(tmp_path / "b")}, "--manual")
	assert p.returncode == 0, p.stdout + p.stderr
	files = os.listdir(tmp_path / "b" / "manual")
	assert len(files) == 1 and re.fullmatch(r"registry-\d{8}T\d{6}Z\.dump", files[0]), files
	target = f"sqlite:{tmp_path}/restored.db"
	r = subprocess.run([sr_bin(), "restore", str(tmp_path / "b" / "manual" / files[0])],
		env=clean_env({"DATABASE_URL": target}), capture_output=True, timeout=60)
	assert r.returncode == 0, r.stderr
	srv = make_server(db_url=target)
	assert h.ok(h.get_version(srv, subj, 1))["id"] == sid


def test_retention_keeps_the_newest(fresh_server, tmp_path):
	d = tmp_path / "b" / "scheduled"
	d.mkdir(parents=True)
	for i in range(5):
		(d / f"registry-2020010{i}T000000Z.dump").write_text("old")
	p = run(fresh_server, {"BACKUP_DIR": str(tmp_path / "b"), "BACKUP_KEEP": "3"})
	assert p.returncode == 0, p.stdout + p.stderr
	names = sorted(os.listdir(d))
	assert len(names) == 3
	assert names[:2] == ["registry-20200103T000000Z.dump", "registry-20200104T000000Z.dump"]
	assert not names[2].startswith("registry-2020")


def test_upload_to_s3_through_the_aws_cli(fresh_server, tmp_path):
	bindir, s3 = tmp_path / "bin", tmp_path / "s3"
	bindir.mkdir()
	s3.mkdir()
	aws = bindir / "aws"
	aws.write_text(FAKE_AWS)
	aws.chmod(0o755)
	h.register_ok(fresh_server, h.subject(), h.unique_schema())
	env = {"BACKUP_S3_URI": "s3://schema-registry-backups/backups/", "FAKE_S3": str(s3),
		"PATH": f"{bindir}:{os.environ['PATH']}"}
	p = run(fresh_server, env, "--manual")
	assert p.returncode == 0, p.stdout + p.stderr
	stored = os.listdir(s3 / "schema-registry-backups" / "backups" / "manual")
	assert len(stored) == 1
	assert "stored s3://schema-registry-backups/backups/manual/" + stored[0] in p.stdout
	calls = (s3 / "calls").read_text().splitlines()
	assert calls[0].startswith("s3 cp --only-show-errors ")
	assert calls[1].startswith("s3 ls s3://schema-registry-backups/backups/manual/registry-")


def test_a_failed_backup_stores_nothing(tmp_path, make_server):
	srv = make_server(start=False)          # its database does not exist
	p = run(srv, {"BACKUP_DIR": str(tmp_path / "b")}, "--manual")
	assert p.returncode != 0
	assert not (tmp_path / "b").exists()

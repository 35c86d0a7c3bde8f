"""Fixtures that run the real binary for the black-box HTTP tests.

The binary is $SR_BIN (default build/schema-registry in the repository).
Each server gets its own temporary directory holding the SQLite database,
the port file and the log (stderr, JSON lines). Servers listen on
127.0.0.1:0 and report the bound port through SCHEMA_REGISTRY_PORT_FILE.

Fixtures:
  server       one server for the whole session, for tests that only touch
               their own (uniquely named) subjects and never change global
               config or mode;
  fresh_server a new server with an empty registry for one test;
  make_server  a factory for tests that need their own settings or restarts.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest
import requests

import helpers as h

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
START_TIMEOUT = 20.0
STOP_TIMEOUT = 30.0
REQUEST_TIMEOUT = 30.0
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:", "WARNING: ThreadSanitizer")


def sr_bin():
	path = os.environ.get("SR_BIN") or os.path.join(REPO, "build", "schema-registry")
	if not os.path.isabs(path):
		path = os.path.join(REPO, path)
	return path


def clean_env(extra):
	"""The inherited environment minus anything that configures the server."""
	env = {k: v for k, v in os.environ.items()
		if not k.startswith("SCHEMA_REGISTRY_") and k != "DATABASE_URL"}
	env.update(extra)
	return env


POSTGRES_ADMIN_URL = os.environ.get("SR_TEST_POSTGRES_URL")
# SR_TEST_HTTP_STORE=postgres runs every server of the suite on a database
# of its own on SR_TEST_POSTGRES_URL's server instead of an SQLite file.
HTTP_STORE = os.environ.get("SR_TEST_HTTP_STORE", "sqlite")


def psql(sql, url=None):
	subprocess.run(["psql", url or POSTGRES_ADMIN_URL, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
		check=True, capture_output=True, timeout=60)


def postgres_database():
	"""A new, empty database on the test server; returns (name, url)."""
	if not POSTGRES_ADMIN_URL:
		if os.environ.get("CI") == "true":
			pytest.fail("SR_TEST_POSTGRES_URL is not set (run under scripts/with-postgres.sh)")
		pytest.skip("SR_TEST_POSTGRES_URL is not set (run under scripts/with-postgres.sh)")
	name = f"sr_http_{os.getpid()}_{next(_db_counter)}"
	psql(f"CREATE DATABASE {name}")
	return name, POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(name):
	psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


_db_counter = iter(range(1, 1 << 30))


class Server:
	"""One schema-registry process (restartable on the same database)."""

	def __init__(self, name, env=None, db_url=None, workdir=None):
		self.name = name
		self.own_dir = workdir is None
		self.dir = workdir or tempfile.mkdtemp(prefix="sr-http-")
		self.pg_database = None
		if db_url is None and HTTP_STORE == "postgres":
			self.pg_database, db_url = postgres_database()
		self.db_url = db_url or f"sqlite:{os.path.join(self.dir, 'registry.db')}"
		self.extra_env = dict(env or {})
		self.log_path = os.path.join(self.dir, "server.log")
		self.port_file = os.path.join(self.dir, "port")
		self.proc = None
		self.port = None
		self.session = None
		self.starts = 0

	# ---- lifecycle ------------------------------------------------------

	def env(self):
		e = {
			"DATABASE_URL": self.db_url,
			"SCHEMA_REGISTRY_LISTEN": "127.0.0.1:0",
			"SCHEMA_REGISTRY_PORT_FILE": self.port_file,
			"SCHEMA_REGISTRY_LOG_LEVEL": "info",
		}
		e.update(self.extra_env)
		return clean_env(e)

	def start(self):
		assert self.proc is None, "server already running"
		binary = sr_bin()
		if not os.access(binary, os.X_OK):
			pytest.fail(f"server binary {binary} not found or not executable (set SR_BIN or run make)",
				pytrace=False)
		if os.path.exists(self.port_file):
			os.unlink(self.port_file)
		self.starts += 1
		with open(self.log_path, "ab") as log:
			log.write(f"---- start #{self.starts} ----\n".encode())
			log.flush()
			self.proc = subprocess.Popen([binary, "serve"], env=self.env(), cwd=self.dir,
				stdin=subprocess.DEVNULL, stdout=log, stderr=log)
		try:
			self.port = self._wait_port()
			self.session = requests.Session()
			self._wait_health()
		except BaseException:
			self.kill()
			raise
		return self

	def _wait_port(self):
		deadline = time.monotonic() + START_TIMEOUT
		while time.monotonic() < deadline:
			if self.proc.poll() is not None:
				raise RuntimeError(f"server exited with {self.proc.returncode} before listening:\n"
					+ self.log_tail())
			try:
				with open(self.port_file) as f:
					text = f.read().strip()
				port = int(text)
				if 0 < port < 65536:
					return port
			except (OSError, ValueError):
				pass
			time.sleep(0.02)
		raise RuntimeError(f"no port in {self.port_file} after {START_TIMEOUT}s:\n" + self.log_tail())

	def _wait_health(self):
		deadline = time.monotonic() + START_TIMEOUT
		last = None
		while time.monotonic() < deadline:
			if self.proc.poll() is not None:
				raise RuntimeError(f"server exited with {self.proc.returncode}:\n" + self.log_tail())
			try:
				r = self.session.get(self.url("/health"), timeout=2)
				if r.status_code == 200:
					return
				last = r.status_code
			except requests.RequestException as e:
				last = e
			time.sleep(0.02)
		raise RuntimeError(f"/health not 200 after {START_TIMEOUT}s (last: {last}):\n" + self.log_tail())

	def signal(self, sig):
		self.proc.send_signal(sig)

	def stop(self, timeout=STOP_TIMEOUT):
		"""SIGTERM and wait; returns the exit status (negative = killed by a signal)."""
		if self.proc is None:
			return None
		if self.session is not None:
			self.session.close()
		if self.proc.poll() is None:
			self.proc.send_signal(signal.SIGTERM)
		try:
			rc = self.proc.wait(timeout=timeout)
		except subprocess.TimeoutExpired:
			self.proc.kill()
			self.proc.wait()
			self.proc = None
			raise AssertionError(f"server did not exit within {timeout}s of SIGTERM:\n" + self.log_tail())
		self.proc = None
		return rc

	def wait_exit(self, timeout=STOP_TIMEOUT):
		"""Wait for a process that was already signalled; returns the exit status."""
		try:
			rc = self.proc.wait(timeout=timeout)
		except subprocess.TimeoutExpired:
			self.kill()
			raise AssertionError(f"server did not exit within {timeout}s:\n" + self.log_tail())
		self.proc = None
		if self.session is not None:
			self.session.close()
		return rc

	def restart(self):
		rc = self.stop()
		assert rc == 0, f"server exited with {rc} on SIGTERM:\n" + self.log_tail()
		return self.start()

	def kill(self):
		if self.session is not None:
			self.session.close()
		if self.proc is not None:
			if self.proc.poll() is None:
				self.proc.kill()
			self.proc.wait()
			self.proc = None

	def cleanup(self):
		"""Stop with SIGTERM, remove the directory; return a list of problems seen.

		A server must exit 0 on SIGTERM, and a sanitizer build must have
		reported nothing in its log.
		"""
		problems = []
		try:
			if self.proc is not None and self.proc.poll() is None:
				try:
					rc = self.stop()
					if rc != 0:
						problems.append(f"{self.name}: exit status {rc} after SIGTERM")
				except AssertionError as e:
					problems.append(str(e))
			elif self.proc is not None:
				problems.append(f"{self.name}: exited by itself with status {self.proc.returncode}")
			self.kill()
			try:
				with open(self.log_path, "rb") as f:
					log = f.read().decode("utf-8", "replace")
				for marker in SANITIZER_MARKERS:
					if marker in log:
						problems.append(f"{self.name}: {marker!r} in the server log")
			except OSError:
				pass
			if problems:
				problems.append(self.log_tail(60))
		finally:
			if self.own_dir:
				shutil.rmtree(self.dir, ignore_errors=True)
			if self.pg_database:
				drop_postgres_database(self.pg_database)
		return problems

	def log_tail(self, lines=40):
		try:
			with open(self.log_path, "rb") as f:
				data = f.read()
		except OSError:
			return "(no log)"
		return "\n".join(data.decode("utf-8", "replace").splitlines()[-lines:])

	# ---- requests -------------------------------------------------------

	def url(self, path):
		listen = self.extra_env.get("SCHEMA_REGISTRY_LISTEN", "")
		host = listen[:listen.index("]") + 1] if listen.startswith("[") else "127.0.0.1"
		return f"http://{host}:{self.port}{path}"

	def request(self, method, path, json=None, data=None, headers=None, **kw):
		"""An HTTP request; `json=` is sent with the Content-Type Confluent's clients use."""
		hdrs = {}
		if json is not None:
			data = h.compact(json).encode("utf-8")
			hdrs["Content-Type"] = h.V1
		hdrs.update(headers or {})
		kw.setdefault("timeout", REQUEST_TIMEOUT)
		return self.session.request(method, self.url(path), data=data, headers=hdrs, **kw)

	def get(self, path, **kw):
		return self.request("GET", path, **kw)

	def post(self, path, **kw):
		return self.request("POST", path, **kw)

	def put(self, path, **kw):
		return self.request("PUT", path, **kw)

	def delete(self, path, **kw):
		return self.request("DELETE", path, **kw)


class ServerFactory:
	def __init__(self, prefix):
		self.prefix = prefix
		self.servers = []

	def __call__(self, env=None, db_url=None, start=True):
		srv = Server(f"{self.prefix}#{len(self.servers) + 1}", env=env, db_url=db_url)
		self.servers.append(srv)
		if start:
			srv.start()
		return srv

	def cleanup(self):
		problems = []
		for srv in self.servers:
			problems += srv.cleanup()
		return problems


def fail_on(problems):
	if problems:
		pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def server():
	srv = Server("session")
	problems = []
	try:
		srv.start()
		yield srv
	finally:
		problems = srv.cleanup()
	fail_on(problems)


@pytest.fixture
def make_server(request):
	factory = ServerFactory(request.node.name)
	problems = []
	try:
		yield factory
	finally:
		problems = factory.cleanup()
	fail_on(problems)


@pytest.fixture
def fresh_server(make_server):
	return make_server()


def _servers_of(item):
	found = []
	for value in getattr(item, "funcargs", {}).values():
		if isinstance(value, Server):
			found.append(value)
		elif isinstance(value, ServerFactory):
			found.extend(value.servers)
	seen, out = set(), []
	for s in found:
		if id(s) not in seen:
			seen.add(id(s))
			out.append(s)
	return out


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
	outcome = yield
	rep = outcome.get_result()
	if rep.failed:
		for srv in _servers_of(item):
			rep.sections.append((f"server log tail ({srv.name}, {srv.dir})", srv.log_tail()))

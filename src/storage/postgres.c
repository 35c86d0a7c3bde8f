/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */

/*
 * The PostgreSQL backend (libpq), selected by DATABASE_URL=postgres://...
 *
 * One registry process per database, as with SQLite: the registry serves
 * reads from memory and assumes it is the only writer, so the writer
 * connection holds a session-level advisory lock for the process's
 * lifetime and a second server (or a `migrate` beside a running server)
 * is refused. PostgreSQL frees the lock when the session ends, however it
 * ends.
 *
 * Durability: each batch is one transaction; synchronous_commit is set to
 * on for our sessions, so COMMIT returns after the WAL is flushed (and
 * replicated, where the server is configured for synchronous replicas).
 *
 * Connections: the writer's, used by one thread at a time (the storage
 * contract), and the ping connection, serialised by `ping_lock`, so that
 * /ready never waits behind a write. A connection found broken is reset
 * once per call; while the server is unreachable calls fail fast with
 * SR_EUNAVAILABLE (reads are served from memory meanwhile), and the next
 * call after it is back reconnects — and takes the lock again, or refuses
 * to write when another registry process took it in between.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "core/mem.h"
#include "storage/storage_backend.h"

/* The advisory lock that makes a database serve one registry process:
 * "LLMSR" in ASCII. */
#define REGISTRY_LOCK_KEY "327452546898"

/* The bookkeeping table belongs to the migration driver, not to any
 * numbered migration, so its shape is fixed by the code that reads it. */
static const char create_migrations_sql[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER NOT NULL PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" checksum TEXT NOT NULL,"
	" applied_at BIGINT NOT NULL)";

typedef struct pg_backend {
	sr_storage_backend parent; /* must be first */
	char *url;                 /* the whole URL, scheme included */
	PGconn *conn;              /* the writer's; holds the registry lock */
	bool reader;               /* opened to read beside a server: no lock */
	pthread_mutex_t ping_lock; /* guards ping_conn */
	PGconn *ping_conn;
} pg_backend;

/* ---- errors -------------------------------------------------------------- */

/* The SQLSTATE classes that mean "the store is unavailable": connection
 * exceptions, insufficient resources, operator intervention, and
 * serialization or deadlock failures (retrying later may succeed). */
static bool state_unavailable(const char *state)
{
	return strncmp(state, "08", 2) == 0 || strncmp(state, "53", 2) == 0 ||
	       strncmp(state, "57", 2) == 0 || strcmp(state, "40001") == 0 ||
	       strcmp(state, "40P01") == 0 || strcmp(state, "25006") == 0;
}

static int rc_of(PGconn *c, const PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	if (!c || PQstatus(c) != CONNECTION_OK)
		return SR_EUNAVAILABLE;
	if (!state)
		return SR_ERROR;
	if (strncmp(state, "23", 2) == 0)
		return SR_ECONFLICT; /* integrity constraint violation */
	return state_unavailable(state) ? SR_EUNAVAILABLE : SR_ERROR;
}

/* The first line of libpq's message (it may add context lines). */
static int fail(PGconn *c, const PGresult *r, const char *what, sr_err *err)
{
	const char *msg = r ? PQresultErrorMessage(r) : NULL;
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	int rc = rc_of(c, r);

	if (!msg || !*msg)
		msg = c ? PQerrorMessage(c) : "out of memory";
	sr_err_set(err, rc, SR_ERR_STORE, "postgres: %s: %.*s", what, (int)strcspn(msg, "\n"),
		   msg);
	if (state && strcmp(state, "42P01") == 0)
		sr_err_prefix(err, "is the database migrated? ");
	return rc;
}

/* ---- connections --------------------------------------------------------- */

/*
 * Connect with our defaults first, so that the URL's own parameters win:
 * a connect timeout (a dead server must not hang a start or a request for
 * long) and the application name seen in pg_stat_activity.
 */
static PGconn *connect_to(const char *url)
{
	static const char *const keys[] = { "connect_timeout", "application_name", "dbname",
					    NULL };
	const char *values[] = { "5", "schema-registry", url, NULL };

	return PQconnectdbParams(keys, values, 1);
}

static int exec_simple(PGconn *c, const char *sql, ExecStatusType want, const char *what,
		       sr_err *err)
{
	PGresult *r = PQexec(c, sql);
	int rc = 0;

	if (PQresultStatus(r) != want)
		rc = fail(c, r, what, err);
	PQclear(r);
	return rc;
}

/* Session settings: durable commits whatever the server's default. */
static int session_setup(PGconn *c, sr_err *err)
{
	return exec_simple(c, "SET synchronous_commit = on", PGRES_COMMAND_OK, "session setup",
			   err);
}

/*
 * The registry lock. A process that just stopped may still hold it for a
 * moment (its session ends asynchronously after the socket closes), so a
 * restart waits up to LOCK_WAIT_MS before it calls the database taken.
 */
#define LOCK_WAIT_MS 3000

static int try_registry_lock(PGconn *c, bool *taken, sr_err *err)
{
	PGresult *r = PQexec(c, "SELECT pg_try_advisory_lock(" REGISTRY_LOCK_KEY ")");
	int rc = 0;

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = fail(c, r, "lock", err);
	else
		*taken = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return rc;
}

static int take_registry_lock(PGconn *c, sr_err *err)
{
	struct timespec pause = { 0, 100 * 1000 * 1000 };
	bool taken = false;
	int waited, rc;

	for (waited = 0;; waited += 100) {
		rc = try_registry_lock(c, &taken, err);
		if (rc < 0 || taken)
			return rc;
		if (waited >= LOCK_WAIT_MS)
			break;
		nanosleep(&pause, NULL);
	}
	return sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE,
			  "postgres: the database %s on %s is in use by another process "
			  "(advisory lock " REGISTRY_LOCK_KEY " is held): a registry database "
			  "serves one registry process; stop the other one",
			  PQdb(c), PQhost(c));
}

/*
 * What every session of ours sets up: durable commits; for a reader,
 * read-only transactions; on the main connection of a server, the
 * registry lock.
 */
static int conn_setup(const pg_backend *q, PGconn *c, bool main_conn, sr_err *err)
{
	int rc = session_setup(c, err);

	if (rc == 0 && q->reader)
		rc = exec_simple(c, "SET default_transaction_read_only = on", PGRES_COMMAND_OK,
				 "session setup", err);
	if (rc == 0 && main_conn && !q->reader)
		rc = take_registry_lock(c, err);
	return rc;
}

static int open_conn(const pg_backend *q, PGconn **out, bool main_conn, sr_err *err)
{
	PGconn *c = connect_to(q->url);
	int rc;

	if (!c || PQstatus(c) != CONNECTION_OK) {
		/* libpq's message names host and port, never the password. */
		const char *msg = c ? PQerrorMessage(c) : "out of memory";

		rc = sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE, "postgres: cannot connect: %.*s",
				(int)strcspn(msg, "\n"), msg);
		PQfinish(c);
		return rc;
	}
	rc = conn_setup(q, c, main_conn, err);
	if (rc < 0) {
		PQfinish(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* A usable connection, reconnecting once if it broke. */
static int ensure_conn(const pg_backend *q, PGconn *c, bool main_conn, sr_err *err)
{
	if (PQstatus(c) == CONNECTION_OK)
		return 0;
	PQreset(c);
	if (PQstatus(c) != CONNECTION_OK)
		return sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE,
				  "postgres: connection lost: %.*s",
				  (int)strcspn(PQerrorMessage(c), "\n"), PQerrorMessage(c));
	return conn_setup(q, c, main_conn, err) < 0 ? SR_EUNAVAILABLE : 0;
}

/*
 * BEGIN on the main connection. A server restart or a terminated session
 * shows only when the connection is next used: if BEGIN finds it broken,
 * nothing was done yet, so reconnect and begin once more.
 */
static int begin(const pg_backend *q, const char *sql, sr_err *err)
{
	int rc = ensure_conn(q, q->conn, true, err);

	rc = rc < 0 ? rc : exec_simple(q->conn, sql, PGRES_COMMAND_OK, "begin", err);
	if (rc < 0 && PQstatus(q->conn) == CONNECTION_BAD) {
		sr_err_clear(err);
		rc = ensure_conn(q, q->conn, true, err);
		rc = rc < 0 ? rc : exec_simple(q->conn, sql, PGRES_COMMAND_OK, "begin", err);
	}
	return rc;
}

/* Undo an open transaction after a failure (keeps the first error). */
static void rollback(PGconn *c)
{
	if (PQtransactionStatus(c) != PQTRANS_IDLE && PQstatus(c) == CONNECTION_OK)
		PQclear(PQexec(c, "ROLLBACK"));
}

/* ---- apply --------------------------------------------------------------- */

static const char *const kind_names[] = {
	[SR_CHANGE_SCHEMA_PUT] = "SCHEMA_PUT",
	[SR_CHANGE_VERSION_PUT] = "VERSION_PUT",
	[SR_CHANGE_VERSION_DELETE] = "VERSION_DELETE",
	[SR_CHANGE_CONFIG_PUT] = "CONFIG_PUT",
	[SR_CHANGE_CONFIG_DELETE] = "CONFIG_DELETE",
	[SR_CHANGE_MODE_PUT] = "MODE_PUT",
	[SR_CHANGE_MODE_DELETE] = "MODE_DELETE",
};

static const char *const change_sql[] = {
	[SR_CHANGE_SCHEMA_PUT] = "INSERT INTO schemas (id, schema_type, schema, references_json, "
				 "metadata_json, rule_set_json, guid, created_at) "
				 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
	[SR_CHANGE_VERSION_PUT] = "INSERT INTO subject_versions (subject, version, schema_id, "
				  "deleted, created_ms) VALUES ($1, $2, $3, $4, $5) "
				  "ON CONFLICT (subject, version) DO UPDATE SET "
				  "schema_id = excluded.schema_id, deleted = excluded.deleted, "
				  "created_ms = excluded.created_ms",
	[SR_CHANGE_VERSION_DELETE] = "DELETE FROM subject_versions "
				     "WHERE subject = $1 AND version = $2",
	[SR_CHANGE_CONFIG_PUT] = "INSERT INTO configs (scope, config_json) VALUES ($1, $2) "
				 "ON CONFLICT (scope) DO UPDATE SET config_json = excluded.config_json",
	[SR_CHANGE_CONFIG_DELETE] = "DELETE FROM configs WHERE scope = $1",
	[SR_CHANGE_MODE_PUT] = "INSERT INTO modes (scope, mode) VALUES ($1, $2) "
			       "ON CONFLICT (scope) DO UPDATE SET mode = excluded.mode",
	[SR_CHANGE_MODE_DELETE] = "DELETE FROM modes WHERE scope = $1",
};

#define MAX_PARAMS 8

/* Parameters of one statement, in text format except where a length is
 * given (binary format of text = its bytes: no NUL terminator needed). */
typedef struct params {
	const char *value[MAX_PARAMS];
	int length[MAX_PARAMS];
	int format[MAX_PARAMS];
	char num[MAX_PARAMS][24];
	int n;
} params;

static void param_text(params *p, const char *s)
{
	p->value[p->n] = s;
	p->length[p->n] = 0;
	p->format[p->n++] = 0;
}

static void param_bytes(params *p, const char *s, size_t len)
{
	p->value[p->n] = s;
	p->length[p->n] = (int)len;
	p->format[p->n++] = 1;
}

static void param_int(params *p, long long v)
{
	snprintf(p->num[p->n], sizeof(p->num[0]), "%lld", v);
	param_text(p, p->num[p->n]);
}

/* The storage scope key: '' for the global scope (subject NULL). */
static const char *scope_of(const char *subject)
{
	return subject ? subject : "";
}

static int change_params(const sr_change *c, int64_t now_ms, params *p, sr_err *err)
{
	memset(p, 0, sizeof(*p));
	switch (c->kind) {
	case SR_CHANGE_SCHEMA_PUT: {
		const sr_st_schema *s = &c->u.schema;

		if (s->schema_len > (size_t)1 << 30)
			return sr_err_set(err, SR_ETOOBIG, SR_ERR_STORE,
					  "schema %lld is too large to store", (long long)s->id);
		param_int(p, s->id);
		param_text(p, s->schema_type);
		param_bytes(p, s->schema, s->schema_len);
		param_text(p, s->references);
		param_text(p, s->metadata);
		param_text(p, s->rule_set);
		param_text(p, s->guid);
		param_int(p, now_ms);
		return 0;
	}
	case SR_CHANGE_VERSION_PUT:
		param_text(p, c->u.version.subject);
		param_int(p, c->u.version.version);
		param_int(p, c->u.version.schema_id);
		param_text(p, c->u.version.deleted ? "true" : "false");
		param_int(p, c->u.version.created_ms);
		return 0;
	case SR_CHANGE_VERSION_DELETE:
		param_text(p, c->u.version.subject);
		param_int(p, c->u.version.version);
		return 0;
	case SR_CHANGE_CONFIG_PUT:
		param_text(p, scope_of(c->u.config.subject));
		param_text(p, c->u.config.config);
		return 0;
	case SR_CHANGE_MODE_PUT:
		param_text(p, scope_of(c->u.mode.subject));
		param_text(p, c->u.mode.mode);
		return 0;
	case SR_CHANGE_CONFIG_DELETE:
		param_text(p, scope_of(c->u.config.subject));
		return 0;
	case SR_CHANGE_MODE_DELETE:
		param_text(p, scope_of(c->u.mode.subject));
		return 0;
	}
	return sr_err_set(err, SR_EINVALID, SR_ERR_STORE, "unknown change kind %d", (int)c->kind);
}

static int apply_one(PGconn *c, const sr_change *ch, int64_t now_ms, sr_err *err)
{
	params p;
	PGresult *r;
	int rc = change_params(ch, now_ms, &p, err);

	if (rc < 0)
		return rc;
	r = PQexecParams(c, change_sql[ch->kind], p.n, NULL, p.value, p.length, p.format, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = fail(c, r, kind_names[ch->kind], err);
	PQclear(r);
	return rc;
}

static int pg_apply(sr_storage_backend *b, const sr_change *changes, size_t n, sr_err *err)
{
	pg_backend *q = (pg_backend *)b;
	int64_t now_ms = sr_storage__now_ms();
	size_t i;
	int rc;

	rc = begin(q, "BEGIN", err);
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++) {
		rc = apply_one(q->conn, &changes[i], now_ms, err);
		if (rc < 0) {
			sr_err_prefix(err, "change %zu: ", i);
			goto done;
		}
	}
	rc = exec_simple(q->conn, "COMMIT", PGRES_COMMAND_OK, "commit", err);
done:
	if (rc < 0)
		rollback(q->conn);
	return rc;
}

/* ---- load ---------------------------------------------------------------- */

static const char *col(const PGresult *r, int row, int i)
{
	return PQgetisnull(r, row, i) ? NULL : PQgetvalue(r, row, i);
}

static int deliver(const PGresult *r, int row, int table, const sr_storage_loader *l)
{
	switch (table) {
	case 0: {
		sr_st_schema s;

		s.id = strtoll(col(r, row, 0), NULL, 10);
		s.schema_type = col(r, row, 1);
		s.schema = col(r, row, 2);
		s.schema_len = (size_t)PQgetlength(r, row, 2);
		s.references = col(r, row, 3);
		s.metadata = col(r, row, 4);
		s.rule_set = col(r, row, 5);
		s.guid = col(r, row, 6);
		return l->schema ? l->schema(l->ctx, &s) : 0;
	}
	case 1: {
		sr_st_version v;

		v.subject = col(r, row, 0);
		v.version = (int32_t)strtol(col(r, row, 1), NULL, 10);
		v.schema_id = strtoll(col(r, row, 2), NULL, 10);
		v.deleted = strcmp(col(r, row, 3), "t") == 0;
		v.created_ms = strtoll(col(r, row, 4), NULL, 10);
		return l->version ? l->version(l->ctx, &v) : 0;
	}
	case 2: {
		sr_st_config c;

		c.subject = *col(r, row, 0) ? col(r, row, 0) : NULL;
		c.config = col(r, row, 1);
		return l->config ? l->config(l->ctx, &c) : 0;
	}
	default: {
		sr_st_mode m;

		m.subject = *col(r, row, 0) ? col(r, row, 0) : NULL;
		m.mode = col(r, row, 1);
		return l->mode ? l->mode(l->ctx, &m) : 0;
	}
	}
}

static const char *const load_sql[] = {
	"SELECT id, schema_type, schema, references_json, metadata_json, rule_set_json, guid "
	"FROM schemas ORDER BY id",
	"SELECT subject, version, schema_id, deleted, created_ms FROM subject_versions "
	"ORDER BY subject, version",
	"SELECT scope, config_json FROM configs ORDER BY scope",
	"SELECT scope, mode FROM modes ORDER BY scope",
};

static int load_table(PGconn *c, int table, const sr_storage_loader *l, sr_err *err)
{
	PGresult *r = PQexec(c, load_sql[table]);
	int row, rows, rc = 0;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = fail(c, r, "load", err);
		PQclear(r);
		return rc;
	}
	rows = PQntuples(r);
	for (row = 0; row < rows && rc == 0; row++)
		rc = deliver(r, row, table, l);
	PQclear(r);
	return rc;
}

static int pg_load(sr_storage_backend *b, const sr_storage_loader *l, sr_err *err)
{
	pg_backend *q = (pg_backend *)b;
	int table, rc;

	/* One snapshot for the four tables. */
	rc = begin(q, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
	if (rc < 0)
		return rc;
	for (table = 0; table < 4 && rc == 0; table++)
		rc = load_table(q->conn, table, l, err);
	if (rc == 0)
		rc = exec_simple(q->conn, "COMMIT", PGRES_COMMAND_OK, "commit", err);
	if (rc != 0)
		rollback(q->conn);
	return rc;
}

/* ---- migrations ---------------------------------------------------------- */

static int pg_migrations_applied(sr_storage_backend *b, sr_storage_migration_cb cb, void *ctx,
				 sr_err *err)
{
	pg_backend *q = (pg_backend *)b;
	PGresult *r;
	int row, rc;

	rc = ensure_conn(q, q->conn, true, err);
	if (rc < 0)
		return rc;
	r = PQexec(q->conn, "SELECT to_regclass('schema_migrations') IS NOT NULL");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = fail(q->conn, r, "read migrations", err);
		PQclear(r);
		return rc;
	}
	rc = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (!rc)
		return 0; /* a new database: nothing applied, nothing created */
	r = PQexec(q->conn, "SELECT version, name, checksum, applied_at FROM schema_migrations "
			    "ORDER BY version");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = fail(q->conn, r, "read migrations", err);
		PQclear(r);
		return rc;
	}
	rc = 0;
	for (row = 0; row < PQntuples(r) && rc == 0; row++) {
		sr_storage_migration m = { 0 };

		m.number = (int)strtol(PQgetvalue(r, row, 0), NULL, 10);
		m.name = PQgetvalue(r, row, 1);
		m.checksum = PQgetvalue(r, row, 2);
		m.applied_ms = strtoll(PQgetvalue(r, row, 3), NULL, 10);
		rc = cb(ctx, &m);
	}
	PQclear(r);
	return rc;
}

static int record_migration(PGconn *c, const sr_storage_migration *m, sr_err *err)
{
	params p = { 0 };
	PGresult *r;
	int rc = 0;

	param_int(&p, m->number);
	param_text(&p, m->name);
	param_text(&p, m->checksum);
	param_int(&p, sr_storage__now_ms());
	r = PQexecParams(c, "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
			    "VALUES ($1, $2, $3, $4)",
			 p.n, NULL, p.value, p.length, p.format, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = fail(c, r, "record migration", err);
	PQclear(r);
	return rc;
}

static int pg_migration_apply(sr_storage_backend *b, const sr_storage_migration *m,
			      sr_err *err)
{
	pg_backend *q = (pg_backend *)b;
	int rc;

	rc = begin(q, "BEGIN", err);
	if (rc < 0)
		return rc;
	rc = exec_simple(q->conn, create_migrations_sql, PGRES_COMMAND_OK,
			 "create schema_migrations", err);
	/* A duplicate number fails on the primary key: SR_ECONFLICT. The
	 * registry lock keeps two migrating processes apart anyway. */
	rc = rc < 0 ? rc : record_migration(q->conn, m, err);
	/* The script may hold several statements: the simple query protocol
	 * runs them all inside our transaction. */
	rc = rc < 0 ? rc : exec_simple(q->conn, m->sql, PGRES_COMMAND_OK, "migration", err);
	rc = rc < 0 ? rc : exec_simple(q->conn, "COMMIT", PGRES_COMMAND_OK, "commit", err);
	if (rc < 0)
		rollback(q->conn);
	return rc;
}

/* ---- ping ---------------------------------------------------------------- */

static int pg_ping(sr_storage_backend *b, sr_err *err)
{
	pg_backend *q = (pg_backend *)b;
	int rc;

	pthread_mutex_lock(&q->ping_lock);
	rc = ensure_conn(q, q->ping_conn, false, err);
	if (rc == 0)
		rc = exec_simple(q->ping_conn, "SELECT 1", PGRES_TUPLES_OK, "ping", err);
	if (rc < 0 && PQstatus(q->ping_conn) == CONNECTION_BAD) {
		sr_err_clear(err); /* a stale connection: once more, reconnected */
		rc = ensure_conn(q, q->ping_conn, false, err);
		if (rc == 0)
			rc = exec_simple(q->ping_conn, "SELECT 1", PGRES_TUPLES_OK, "ping", err);
	}
	pthread_mutex_unlock(&q->ping_lock);
	return rc < 0 ? SR_EUNAVAILABLE : 0;
}

/* ---- open and close ------------------------------------------------------ */

static void pg_free(sr_storage_backend *b)
{
	pg_backend *q = (pg_backend *)b;

	PQfinish(q->ping_conn);
	/* Unlock explicitly: the session's end would free the lock too, but
	 * only once the server noticed, which a restart may not wait for. */
	if (q->conn && !q->reader && PQstatus(q->conn) == CONNECTION_OK)
		PQclear(PQexec(q->conn, "SELECT pg_advisory_unlock(" REGISTRY_LOCK_KEY ")"));
	PQfinish(q->conn);
	pthread_mutex_destroy(&q->ping_lock);
	free(q->url);
	free(q);
}

int sr_storage_postgres_open(sr_storage_backend **out, const char *url, unsigned flags,
			     sr_err *err)
{
	bool reader = flags & SR_STORAGE_OPEN_READER;
	pg_backend *q = sr_calloc(1, sizeof(*q));
	int rc;

	*out = NULL;
	q->url = sr_strdup(url);
	pthread_mutex_init(&q->ping_lock, NULL);
	q->parent.version = SR_STORAGE_BACKEND_VERSION;
	q->parent.name = "postgres";
	q->parent.migrations_prefix = "storage/migrations/postgres/";
	q->parent.migrations_applied = pg_migrations_applied;
	q->parent.migration_apply = pg_migration_apply;
	q->parent.load = pg_load;
	q->parent.apply = pg_apply;
	q->parent.ping = pg_ping;
	q->parent.free = pg_free;

	q->reader = reader;
	rc = open_conn(q, &q->conn, true, err);
	rc = rc < 0 ? rc : open_conn(q, &q->ping_conn, false, err);
	if (rc < 0) {
		pg_free(&q->parent);
		return rc;
	}
	*out = &q->parent;
	return 0;
}

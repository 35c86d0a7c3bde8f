/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */

/*
 * The SQLite backend: the embedded default, one database file.
 *
 * Durability: WAL with synchronous=FULL, so COMMIT returns only after the
 * WAL is fsync'd; a batch is one BEGIN IMMEDIATE transaction.
 *
 * Connections: the writer connection is used by one thread at a time (the
 * storage contract) and opened without SQLite's own mutex. sr_storage_ping
 * may come from any thread while the writer is inside a transaction, so
 * it uses a second connection of its own, serialised by `ping_lock`; in
 * WAL mode its read never waits for the writer.
 *
 * Statements are prepared on first use and kept (SQLite re-prepares them
 * itself when a migration changes the schema).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/buf.h"
#include "core/mem.h"
#include "storage/storage_backend.h"

/* How long a statement waits for another process's lock (a concurrent
 * `migrate`, a backup) before the store counts as unavailable. */
#define WRITER_BUSY_MS 5000
#define PING_BUSY_MS 1000

enum stmt_id {
	ST_BEGIN_WRITE,
	ST_BEGIN_READ,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_SCHEMA_PUT,
	ST_VERSION_PUT,
	ST_VERSION_DELETE,
	ST_CONFIG_PUT,
	ST_CONFIG_DELETE,
	ST_MODE_PUT,
	ST_MODE_DELETE,
	ST_LOAD_SCHEMAS,
	ST_LOAD_VERSIONS,
	ST_LOAD_CONFIGS,
	ST_LOAD_MODES,
	ST_HAS_MIGRATIONS,
	ST_MIGRATIONS,
	ST_MIGRATION_RECORD,
	ST_MIGRATION_FIND,
	ST__COUNT
};

static const char *const stmt_sql[ST__COUNT] = {
	[ST_BEGIN_WRITE] = "BEGIN IMMEDIATE",
	[ST_BEGIN_READ] = "BEGIN",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_SCHEMA_PUT] = "INSERT INTO schemas (id, schema_type, schema, references_json, "
			  "metadata_json, rule_set_json, guid, created_at) "
			  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_VERSION_PUT] = "INSERT INTO subject_versions (subject, version, schema_id, deleted, "
			   "created_ms) VALUES (?1, ?2, ?3, ?4, ?5) "
			   "ON CONFLICT (subject, version) DO UPDATE SET "
			   "schema_id = excluded.schema_id, deleted = excluded.deleted, "
			   "created_ms = excluded.created_ms",
	[ST_VERSION_DELETE] = "DELETE FROM subject_versions WHERE subject = ?1 AND version = ?2",
	[ST_CONFIG_PUT] = "INSERT INTO configs (scope, config_json) VALUES (?1, ?2) "
			  "ON CONFLICT (scope) DO UPDATE SET config_json = excluded.config_json",
	[ST_CONFIG_DELETE] = "DELETE FROM configs WHERE scope = ?1",
	[ST_MODE_PUT] = "INSERT INTO modes (scope, mode) VALUES (?1, ?2) "
			"ON CONFLICT (scope) DO UPDATE SET mode = excluded.mode",
	[ST_MODE_DELETE] = "DELETE FROM modes WHERE scope = ?1",
	[ST_LOAD_SCHEMAS] = "SELECT id, schema_type, schema, references_json, metadata_json, "
			    "rule_set_json, guid FROM schemas ORDER BY id",
	[ST_LOAD_VERSIONS] = "SELECT subject, version, schema_id, deleted, created_ms "
			     "FROM subject_versions ORDER BY subject, version",
	[ST_LOAD_CONFIGS] = "SELECT scope, config_json FROM configs ORDER BY scope",
	[ST_LOAD_MODES] = "SELECT scope, mode FROM modes ORDER BY scope",
	[ST_HAS_MIGRATIONS] = "SELECT count(*) FROM sqlite_master "
			      "WHERE type = 'table' AND name = 'schema_migrations'",
	[ST_MIGRATIONS] = "SELECT version, name, checksum, applied_at FROM schema_migrations "
			  "ORDER BY version",
	[ST_MIGRATION_RECORD] = "INSERT INTO schema_migrations (version, name, checksum, "
				"applied_at) VALUES (?1, ?2, ?3, ?4)",
	[ST_MIGRATION_FIND] = "SELECT count(*) FROM schema_migrations WHERE version = ?1",
};

/* The bookkeeping table belongs to the migration driver, not to any
 * numbered migration, so its shape is fixed by the code that reads it. */
static const char create_migrations_sql[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER NOT NULL PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" checksum TEXT NOT NULL,"
	" applied_at INTEGER NOT NULL"
	") STRICT";

typedef struct sqlite_backend {
	sr_storage_backend parent; /* must be first */
	char *path;
	sqlite3 *db;               /* the writer's connection */
	sqlite3_stmt *stmt[ST__COUNT];
	pthread_mutex_t ping_lock; /* guards ping_db and ping_stmt */
	sqlite3 *ping_db;
	sqlite3_stmt *ping_stmt;
	dev_t dev;                 /* identity of the file opened */
	ino_t ino;
	int lock_fd;               /* PATH.lock, flock'ed for the process lifetime */
} sqlite_backend;

/* ---- errors -------------------------------------------------------------- */

static int rc_of(int sqlite_rc)
{
	switch (sqlite_rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return SR_ECONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PROTOCOL:
	case SQLITE_PERM:
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return SR_EUNAVAILABLE;
	}
	return SR_ERROR;
}

/* Record the connection's last error; `what` names the operation. */
static int fail(sqlite3 *db, int sqlite_rc, const char *what, sr_err *err)
{
	return sr_err_set(err, rc_of(sqlite_rc), SR_ERR_STORE, "sqlite: %s: %s", what,
			  db ? sqlite3_errmsg(db) : sqlite3_errstr(sqlite_rc));
}

/* ---- statements ---------------------------------------------------------- */

static int stmt_get(sqlite_backend *q, enum stmt_id id, sqlite3_stmt **out, sr_err *err)
{
	int rc;

	if (!q->stmt[id]) {
		rc = sqlite3_prepare_v3(q->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
					&q->stmt[id], NULL);
		if (rc != SQLITE_OK) {
			rc = fail(q->db, rc, "prepare", err);
			if (id >= ST_SCHEMA_PUT && id <= ST_LOAD_MODES)
				sr_err_prefix(err, "is the database migrated? ");
			return rc;
		}
	}
	*out = q->stmt[id];
	return 0;
}

/* Run a statement that returns no rows (transaction control, DML). */
static int run(sqlite_backend *q, enum stmt_id id, const char *what, sr_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = stmt_get(q, id, &st, err);
	if (rc < 0)
		return rc;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return fail(q->db, rc, what, err);
	return 0;
}

/* Undo an open transaction after a failure (keeps the first error). */
static void rollback(sqlite_backend *q)
{
	if (!sqlite3_get_autocommit(q->db))
		run(q, ST_ROLLBACK, "rollback", NULL);
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

/* The storage scope key: '' for the global scope (subject NULL). */
static const char *scope_of(const char *subject)
{
	return subject ? subject : "";
}

/* ---- apply --------------------------------------------------------------- */

/* Bind one change to its statement; returns the statement to step. */
static int bind_change(sqlite_backend *q, const sr_change *c, int64_t now_ms,
		       sqlite3_stmt **out, sr_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	switch (c->kind) {
	case SR_CHANGE_SCHEMA_PUT: {
		const sr_st_schema *s = &c->u.schema;

		if (s->schema_len > INT_MAX)
			return sr_err_set(err, SR_ETOOBIG, SR_ERR_STORE,
					  "schema %lld is too large to store", (long long)s->id);
		rc = stmt_get(q, ST_SCHEMA_PUT, &st, err);
		if (rc < 0)
			return rc;
		rc = sqlite3_bind_int64(st, 1, s->id);
		rc = rc ? rc : sqlite3_bind_text(st, 2, s->schema_type, -1, SQLITE_STATIC);
		rc = rc ? rc : sqlite3_bind_text(st, 3, s->schema, (int)s->schema_len, SQLITE_STATIC);
		rc = rc ? rc : bind_text(st, 4, s->references);
		rc = rc ? rc : bind_text(st, 5, s->metadata);
		rc = rc ? rc : bind_text(st, 6, s->rule_set);
		rc = rc ? rc : sqlite3_bind_text(st, 7, s->guid, -1, SQLITE_STATIC);
		rc = rc ? rc : sqlite3_bind_int64(st, 8, now_ms);
		break;
	}
	case SR_CHANGE_VERSION_PUT: {
		const sr_st_version *v = &c->u.version;

		rc = stmt_get(q, ST_VERSION_PUT, &st, err);
		if (rc < 0)
			return rc;
		rc = sqlite3_bind_text(st, 1, v->subject, -1, SQLITE_STATIC);
		rc = rc ? rc : sqlite3_bind_int(st, 2, v->version);
		rc = rc ? rc : sqlite3_bind_int64(st, 3, v->schema_id);
		rc = rc ? rc : sqlite3_bind_int(st, 4, v->deleted ? 1 : 0);
		rc = rc ? rc : sqlite3_bind_int64(st, 5, v->created_ms);
		break;
	}
	case SR_CHANGE_VERSION_DELETE:
		rc = stmt_get(q, ST_VERSION_DELETE, &st, err);
		if (rc < 0)
			return rc;
		rc = sqlite3_bind_text(st, 1, c->u.version.subject, -1, SQLITE_STATIC);
		rc = rc ? rc : sqlite3_bind_int(st, 2, c->u.version.version);
		break;
	case SR_CHANGE_CONFIG_PUT:
	case SR_CHANGE_MODE_PUT: {
		bool config = c->kind == SR_CHANGE_CONFIG_PUT;

		rc = stmt_get(q, config ? ST_CONFIG_PUT : ST_MODE_PUT, &st, err);
		if (rc < 0)
			return rc;
		rc = sqlite3_bind_text(st, 1, scope_of(config ? c->u.config.subject : c->u.mode.subject),
				       -1, SQLITE_STATIC);
		rc = rc ? rc
			: sqlite3_bind_text(st, 2, config ? c->u.config.config : c->u.mode.mode, -1,
					    SQLITE_STATIC);
		break;
	}
	case SR_CHANGE_CONFIG_DELETE:
	case SR_CHANGE_MODE_DELETE: {
		bool config = c->kind == SR_CHANGE_CONFIG_DELETE;

		rc = stmt_get(q, config ? ST_CONFIG_DELETE : ST_MODE_DELETE, &st, err);
		if (rc < 0)
			return rc;
		rc = sqlite3_bind_text(st, 1, scope_of(config ? c->u.config.subject : c->u.mode.subject),
				       -1, SQLITE_STATIC);
		break;
	}
	}
	if (!st)
		return sr_err_set(err, SR_EINVALID, SR_ERR_STORE, "unknown change kind %d",
				  (int)c->kind);
	if (rc != SQLITE_OK)
		return fail(q->db, rc, "bind", err);
	*out = st;
	return 0;
}

static int sqlite_apply(sr_storage_backend *b, const sr_change *changes, size_t n, sr_err *err)
{
	sqlite_backend *q = (sqlite_backend *)b;
	int64_t now_ms = sr_storage__now_ms();
	size_t i;
	int rc;

	rc = run(q, ST_BEGIN_WRITE, "begin", err);
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++) {
		sqlite3_stmt *st = NULL;
		int step;

		rc = bind_change(q, &changes[i], now_ms, &st, err);
		if (rc < 0)
			goto done;
		step = sqlite3_step(st);
		sqlite3_reset(st);
		if (step != SQLITE_DONE) {
			rc = fail(q->db, step, sr_change_kind_name(changes[i].kind), err);
			sr_err_prefix(err, "change %zu: ", i);
			goto done;
		}
	}
	/* With synchronous=FULL the WAL is fsync'd before COMMIT returns. */
	rc = run(q, ST_COMMIT, "commit", err);
done:
	if (rc < 0)
		rollback(q);
	return rc;
}

/* ---- load ---------------------------------------------------------------- */

static const char *col_text(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	return (const char *)sqlite3_column_text(st, i);
}

static int load_rows(sqlite_backend *q, enum stmt_id id, const sr_storage_loader *l, sr_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	rc = stmt_get(q, id, &st, err);
	if (rc < 0)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		switch (id) {
		case ST_LOAD_SCHEMAS: {
			sr_st_schema s;

			s.id = sqlite3_column_int64(st, 0);
			s.schema_type = col_text(st, 1);
			s.schema = col_text(st, 2);
			s.schema_len = (size_t)sqlite3_column_bytes(st, 2);
			s.references = col_text(st, 3);
			s.metadata = col_text(st, 4);
			s.rule_set = col_text(st, 5);
			s.guid = col_text(st, 6);
			rc = l->schema ? l->schema(l->ctx, &s) : 0;
			break;
		}
		case ST_LOAD_VERSIONS: {
			sr_st_version v;

			v.subject = col_text(st, 0);
			v.version = sqlite3_column_int(st, 1);
			v.schema_id = sqlite3_column_int64(st, 2);
			v.deleted = sqlite3_column_int(st, 3) != 0;
			v.created_ms = sqlite3_column_int64(st, 4);
			rc = l->version ? l->version(l->ctx, &v) : 0;
			break;
		}
		case ST_LOAD_CONFIGS: {
			sr_st_config c;

			c.subject = col_text(st, 0);
			if (c.subject && !*c.subject)
				c.subject = NULL;
			c.config = col_text(st, 1);
			rc = l->config ? l->config(l->ctx, &c) : 0;
			break;
		}
		default: {
			sr_st_mode m;

			m.subject = col_text(st, 0);
			if (m.subject && !*m.subject)
				m.subject = NULL;
			m.mode = col_text(st, 1);
			rc = l->mode ? l->mode(l->ctx, &m) : 0;
			break;
		}
		}
		if (rc != 0) {
			sqlite3_reset(st);
			return rc;
		}
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return fail(q->db, step, "load", err);
	return 0;
}

static int sqlite_load(sr_storage_backend *b, const sr_storage_loader *l, sr_err *err)
{
	sqlite_backend *q = (sqlite_backend *)b;
	static const enum stmt_id order[] = { ST_LOAD_SCHEMAS, ST_LOAD_VERSIONS, ST_LOAD_CONFIGS,
					      ST_LOAD_MODES };
	size_t i;
	int rc;

	/* One read transaction: the four tables come from one snapshot. */
	rc = run(q, ST_BEGIN_READ, "begin", err);
	if (rc < 0)
		return rc;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		rc = load_rows(q, order[i], l, err);
		if (rc != 0)
			goto done;
	}
	rc = run(q, ST_COMMIT, "commit", err);
done:
	if (rc != 0)
		rollback(q);
	return rc;
}

/* ---- migrations ---------------------------------------------------------- */

static int sqlite_migrations_applied(sr_storage_backend *b, sr_storage_migration_cb cb,
				     void *ctx, sr_err *err)
{
	sqlite_backend *q = (sqlite_backend *)b;
	sqlite3_stmt *st = NULL;
	int rc, step;
	bool exists;

	rc = stmt_get(q, ST_HAS_MIGRATIONS, &st, err);
	if (rc < 0)
		return rc;
	step = sqlite3_step(st);
	exists = step == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return fail(q->db, step, "read migrations", err);
	if (!exists)
		return 0; /* a new database: nothing applied, nothing created */
	rc = stmt_get(q, ST_MIGRATIONS, &st, err);
	if (rc < 0)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		sr_storage_migration m = { 0 };

		m.number = sqlite3_column_int(st, 0);
		m.name = col_text(st, 1);
		m.checksum = col_text(st, 2);
		m.applied_ms = sqlite3_column_int64(st, 3);
		rc = cb(ctx, &m);
		if (rc != 0) {
			sqlite3_reset(st);
			return rc;
		}
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return fail(q->db, step, "read migrations", err);
	return 0;
}

static int sqlite_migration_apply(sr_storage_backend *b, const sr_storage_migration *m,
				  sr_err *err)
{
	sqlite_backend *q = (sqlite_backend *)b;
	sqlite3_stmt *st = NULL;
	char *errmsg = NULL;
	bool found;
	int rc, step;

	rc = run(q, ST_BEGIN_WRITE, "begin", err);
	if (rc < 0)
		return rc;
	step = sqlite3_exec(q->db, create_migrations_sql, NULL, NULL, NULL);
	if (step != SQLITE_OK) {
		rc = fail(q->db, step, "create schema_migrations", err);
		goto done;
	}
	/* SQLite has no lock spanning several transactions: a second
	 * `migrate` that read the state before the first one finished gets
	 * here only after it committed. Say so rather than fail on the DDL. */
	rc = stmt_get(q, ST_MIGRATION_FIND, &st, err);
	if (rc < 0)
		goto done;
	step = sqlite3_bind_int(st, 1, m->number);
	step = step ? step : sqlite3_step(st);
	found = step == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_reset(st);
	if (step != SQLITE_ROW) {
		rc = fail(q->db, step, "read migrations", err);
		goto done;
	}
	if (found) {
		rc = sr_err_set(err, SR_ECONFLICT, SR_ERR_STORE,
				"already applied by another process meanwhile; run migrate again");
		goto done;
	}
	step = sqlite3_exec(q->db, m->sql, NULL, NULL, &errmsg);
	if (step != SQLITE_OK) {
		rc = sr_err_set(err, rc_of(step), SR_ERR_STORE, "sqlite: %s",
				errmsg ? errmsg : sqlite3_errstr(step));
		goto done;
	}
	rc = stmt_get(q, ST_MIGRATION_RECORD, &st, err);
	if (rc < 0)
		goto done;
	step = sqlite3_bind_int(st, 1, m->number);
	step = step ? step : sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
	step = step ? step : sqlite3_bind_text(st, 3, m->checksum, -1, SQLITE_STATIC);
	step = step ? step : sqlite3_bind_int64(st, 4, sr_storage__now_ms());
	step = step ? step : sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		rc = fail(q->db, step, "record migration", err);
		goto done;
	}
	rc = run(q, ST_COMMIT, "commit", err);
done:
	sqlite3_free(errmsg);
	if (rc < 0)
		rollback(q);
	return rc;
}

/* ---- ping ---------------------------------------------------------------- */

static int sqlite_ping(sr_storage_backend *b, sr_err *err)
{
	sqlite_backend *q = (sqlite_backend *)b;
	struct stat sb;
	int rc = 0, step;

	/* A file removed or replaced under a running server is not the store
	 * it loaded; the open connection would go on writing to the old one. */
	if (stat(q->path, &sb) != 0)
		return sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE, "sqlite: %s: %s", q->path,
				  strerror(errno));
	if (sb.st_dev != q->dev || sb.st_ino != q->ino)
		return sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE,
				  "sqlite: %s was replaced since it was opened; restart", q->path);
	pthread_mutex_lock(&q->ping_lock);
	step = sqlite3_step(q->ping_stmt);
	sqlite3_reset(q->ping_stmt);
	if (step != SQLITE_ROW)
		rc = fail(q->ping_db, step, "ping", err);
	pthread_mutex_unlock(&q->ping_lock);
	return rc;
}

/* ---- open and close ------------------------------------------------------ */

static void sqlite_free(sr_storage_backend *b)
{
	sqlite_backend *q = (sqlite_backend *)b;
	int i;

	for (i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(q->stmt[i]);
	sqlite3_finalize(q->ping_stmt);
	sqlite3_close(q->ping_db);
	sqlite3_close(q->db);
	pthread_mutex_destroy(&q->ping_lock);
	if (q->lock_fd >= 0)
		close(q->lock_fd); /* releases the flock */
	free(q->path);
	free(q);
}

/* mkdir -p of the directory part of `path`. */
static int make_parent_dirs(const char *path, sr_err *err)
{
	char *dir = sr_strdup(path);
	char *slash = strrchr(dir, '/');
	char *p;
	int rc = 0;

	if (!slash || slash == dir)
		goto done;
	*slash = '\0';
	for (p = dir + 1;; p++) {
		bool end = *p == '\0';

		if (*p != '/' && !end)
			continue;
		*p = '\0';
		if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
			rc = sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE,
					"sqlite: cannot create directory %s: %s", dir,
					strerror(errno));
			goto done;
		}
		if (end)
			break;
		*p = '/';
	}
done:
	free(dir);
	return rc;
}

/* Make the new file's directory entry durable (SQLite syncs its journal
 * and WAL entries itself, not the database file's). */
static void sync_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!slash)
		dir = sr_strdup(".");
	else
		dir = sr_strndup(path, slash == path ? 1 : (size_t)(slash - path));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/*
 * One process per database file. The registry serves reads from memory and
 * assumes it is the only writer; a second server on the same file would
 * diverge from it silently. So the backend holds an exclusive flock on a
 * lock file beside the database (not on the database file itself: closing
 * any descriptor of that file would drop SQLite's own POSIX locks). The
 * kernel releases it when the process ends, however it ends.
 */
static int lock_database(sqlite_backend *q, sr_err *err)
{
	sr_buf name = SR_BUF_INIT;
	char *lock_path;

	sr_buf_puts(&name, q->path);
	sr_buf_puts(&name, ".lock");
	lock_path = sr_buf_detach(&name, NULL);
	q->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (q->lock_fd < 0) {
		sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE, "sqlite: cannot open %s: %s",
			   lock_path, strerror(errno));
		free(lock_path);
		return SR_EUNAVAILABLE;
	}
	if (flock(q->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE,
			   "sqlite: %s is in use by another process (%s is locked): a SQLite "
			   "database serves one registry process; stop the other one, or run "
			   "replicas on PostgreSQL",
			   q->path, lock_path);
		free(lock_path);
		return SR_EUNAVAILABLE;
	}
	free(lock_path);
	return 0;
}

static int exec_sql(sqlite3 *db, const char *sql, sr_err *err)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return fail(db, rc, sql, err);
	return 0;
}

static int open_conn(sqlite3 **out, const char *path, int flags, int busy_ms, sr_err *err)
{
	int rc;

	rc = sqlite3_open_v2(path, out, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE, "sqlite: cannot open %s: %s",
				path, *out ? sqlite3_errmsg(*out) : sqlite3_errstr(rc));
		sqlite3_close(*out);
		*out = NULL;
		return rc;
	}
	sqlite3_extended_result_codes(*out, 1);
	sqlite3_busy_timeout(*out, busy_ms);
	return 0;
}

static int enable_wal(sqlite3 *db, sr_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(db, rc, "journal_mode", err);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW)
		rc = fail(db, step, "journal_mode", err);
	else if (sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") != 0)
		rc = sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE,
				"sqlite: cannot enable WAL mode (journal_mode is %s)",
				sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc;
}

/* A reader beside a running server: the existing file, read-only, no lock
 * and no settings changed (WAL mode is the writer's). */
static int open_reader(sqlite_backend *q, sr_err *err)
{
	int rc = open_conn(&q->db, q->path, SQLITE_OPEN_READONLY, WRITER_BUSY_MS, err);

	return rc < 0 ? rc : exec_sql(q->db, "PRAGMA query_only=ON", err);
}

static int open_writer(sqlite_backend *q, sr_err *err)
{
	int rc = make_parent_dirs(q->path, err);

	rc = rc < 0 ? rc : lock_database(q, err);
	rc = rc < 0 ? rc
		    : open_conn(&q->db, q->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
				WRITER_BUSY_MS, err);
	rc = rc < 0 ? rc : enable_wal(q->db, err);
	rc = rc < 0 ? rc : exec_sql(q->db, "PRAGMA synchronous=FULL", err);
	rc = rc < 0 ? rc : exec_sql(q->db, "PRAGMA foreign_keys=ON", err);
	rc = rc < 0 ? rc : exec_sql(q->db, "PRAGMA trusted_schema=OFF", err);
	if (rc == 0)
		sync_parent_dir(q->path);
	return rc;
}

int sr_storage_sqlite_open(sr_storage_backend **out, const char *location, unsigned flags,
			   sr_err *err)
{
	sqlite_backend *q = NULL;
	struct stat sb;
	int rc;

	*out = NULL;
	if (!location || !*location)
		return sr_err_set(err, SR_EINVALID, SR_ERR_STORE,
				  "the sqlite: storage URL needs a file path (sqlite:PATH)");
	if (location[0] == ':')
		return sr_err_set(err, SR_EINVALID, SR_ERR_STORE,
				  "sqlite:%s is not a file path; use mem: for a store in memory",
				  location);
	q = sr_calloc(1, sizeof(*q));
	q->path = sr_strdup(location);
	q->lock_fd = -1;
	pthread_mutex_init(&q->ping_lock, NULL);
	q->parent.version = SR_STORAGE_BACKEND_VERSION;
	q->parent.name = "sqlite";
	q->parent.migrations_prefix = "storage/migrations/sqlite/";
	q->parent.migrations_applied = sqlite_migrations_applied;
	q->parent.migration_apply = sqlite_migration_apply;
	q->parent.load = sqlite_load;
	q->parent.apply = sqlite_apply;
	q->parent.ping = sqlite_ping;
	q->parent.free = sqlite_free;

	rc = (flags & SR_STORAGE_OPEN_READER) ? open_reader(q, err) : open_writer(q, err);
	if (rc < 0)
		goto done;
	if (stat(q->path, &sb) != 0) {
		rc = sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE, "sqlite: %s: %s", q->path,
				strerror(errno));
		goto done;
	}
	q->dev = sb.st_dev;
	q->ino = sb.st_ino;

	/* The ping connection: a reader that never writes. */
	rc = open_conn(&q->ping_db, q->path, SQLITE_OPEN_READWRITE, PING_BUSY_MS, err);
	rc = rc < 0 ? rc : exec_sql(q->ping_db, "PRAGMA query_only=ON", err);
	if (rc < 0)
		goto done;
	rc = sqlite3_prepare_v3(q->ping_db, "SELECT count(*) FROM sqlite_master", -1,
				SQLITE_PREPARE_PERSISTENT, &q->ping_stmt, NULL);
	if (rc != SQLITE_OK) {
		rc = fail(q->ping_db, rc, "prepare ping", err);
		goto done;
	}
	*out = &q->parent;
	q = NULL;
	rc = 0;
done:
	if (q)
		sqlite_free(&q->parent);
	return rc;
}

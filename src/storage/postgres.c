/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */

/*
 * The PostgreSQL backend (libpq), selected by DATABASE_URL=postgres://...
 *
 * Several registry processes may serve one database (storage.h, replicas).
 * Every write is one transaction that takes a transaction-scoped advisory
 * lock (the store-wide writer lock), writes the rows, appends each change
 * to change_log and notifies channel schema_registry_changes; the lock
 * makes change_log.seq the commit order. `pos` is the last seq this
 * process's model reflects: set by the load's snapshot, by every change
 * `tail` delivers, and by this process's own writes made under
 * write_begin (which has tailed up to the lock first). A write applied
 * without write_begin (a restore) leaves `pos` alone; its changes come
 * back through `tail`, which the registry applies idempotently.
 *
 * Durability: synchronous_commit is set to on for our sessions, so COMMIT
 * returns after the WAL is flushed (and replicated, where the server is
 * configured for synchronous standbys).
 *
 * Connections: the writer's (one thread at a time: the storage contract),
 * the ping connection (serialised by `ping_lock`, so /ready never waits
 * behind a write) and the listening connection (the registry's tailer
 * thread only). A connection found broken is reset once per call; while
 * the server is unreachable calls fail fast with SR_EUNAVAILABLE (reads
 * are served from memory meanwhile), and the next call after it is back
 * reconnects.
 */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "core/mem.h"
#include "storage/storage_backend.h"

/* Advisory lock keys: the store-wide writer lock (transaction-scoped)
 * and the migration lock (session-scoped, while `migrate` runs); "LLMSR"
 * and "LLMSM" in ASCII. */
#define WRITER_LOCK_KEY "327452546898"
#define MIGRATE_LOCK_KEY "327452546893"
#define CHANNEL "schema_registry_changes"

/* The database's clock in ms since the epoch, as SQL. */
#define DB_NOW_MS "(extract(epoch from clock_timestamp()) * 1000)::bigint"

/* Change-log rows older than this are pruned, by every PRUNE_EVERY-th write. */
#define LOG_RETENTION_MS (24LL * 3600 * 1000)
#define PRUNE_EVERY 256

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
	PGconn *conn;              /* the writer's */
	bool reader;               /* read-only sessions (a backup) */
	bool in_write;             /* write_begin's transaction is open */
	int64_t pos;               /* last change-log seq the model reflects */
	unsigned writes;           /* for the pruning cadence */
	PGconn *listen_conn;       /* LISTEN CHANNEL; the tailer thread's */
	int64_t listen_retry_ms;   /* no reconnect attempt before this time */
	_Atomic int writer_pid;    /* server pid of `conn`, to skip our own NOTIFYs */
	_Atomic int64_t conn_retry_ms, ping_retry_ms; /* no reconnect before */
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
	       strcmp(state, "40P01") == 0 || strcmp(state, "25006") == 0 ||
	       strcmp(state, "55P03") == 0 || strcmp(state, "25P03") == 0;
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

static void ignore_notice(void *arg, const char *message)
{
}

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

	PGconn *c = PQconnectdbParams(keys, values, 1);

	/* Server notices ("... already exists, skipping") would go to stderr,
	 * between our JSON log lines. */
	if (c)
		PQsetNoticeProcessor(c, ignore_notice, NULL);
	return c;
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
/*
 * Session settings: durable commits whatever the server's default; a write
 * that waits for the writer lock longer than LOCK_TIMEOUT fails (503-like
 * 50001) instead of hanging; and a transaction left open by a process that
 * stopped (but kept its connection) is ended by the server, so it cannot
 * hold the writer lock of every replica for ever.
 */
#define LOCK_TIMEOUT "10s"
#define IDLE_IN_TRANSACTION_TIMEOUT "30s"

static int session_setup(PGconn *c, sr_err *err)
{
	return exec_simple(c, "SET synchronous_commit = on; SET lock_timeout = '" LOCK_TIMEOUT
			      "'; SET idle_in_transaction_session_timeout = '"
			      IDLE_IN_TRANSACTION_TIMEOUT "'",
			   PGRES_COMMAND_OK, "session setup", err);
}

/* What every session of ours sets up: durable commits; for a reader,
 * read-only transactions. */
static int conn_setup(const pg_backend *q, PGconn *c, sr_err *err)
{
	int rc = session_setup(c, err);

	if (rc == 0 && q->reader)
		rc = exec_simple(c, "SET default_transaction_read_only = on", PGRES_COMMAND_OK,
				 "session setup", err);
	return rc;
}

static int open_conn(const pg_backend *q, PGconn **out, sr_err *err)
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
	rc = conn_setup(q, c, err);
	if (rc < 0) {
		PQfinish(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* A usable connection, reconnecting once if it broke. */
/*
 * A usable connection, reconnecting if it broke — at most once a second
 * per connection: a caller arriving right after a failed attempt (the
 * follower's, say) fails at once instead of waiting for another connect
 * timeout.
 */
static int ensure_conn(pg_backend *q, PGconn *c, sr_err *err)
{
	_Atomic int64_t *retry = c == q->ping_conn ? &q->ping_retry_ms : &q->conn_retry_ms;
	int64_t now;

	if (PQstatus(c) == CONNECTION_OK)
		return 0;
	now = sr_storage__now_ms();
	if (now < *retry)
		return sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE,
				  "postgres: connection lost: %.*s (reconnecting)",
				  (int)strcspn(PQerrorMessage(c), "\n"), PQerrorMessage(c));
	PQreset(c);
	if (PQstatus(c) != CONNECTION_OK) {
		*retry = sr_storage__now_ms() + 1000;
		return sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE,
				  "postgres: connection lost: %.*s",
				  (int)strcspn(PQerrorMessage(c), "\n"), PQerrorMessage(c));
	}
	return conn_setup(q, c, err) < 0 ? SR_EUNAVAILABLE : 0;
}

/*
 * BEGIN on the main connection. A server restart or a terminated session
 * shows only when the connection is next used: if BEGIN finds it broken,
 * nothing was done yet, so reconnect and begin once more.
 */
static int begin_as(pg_backend *q, const char *sql, ExecStatusType want, sr_err *err)
{
	int rc = ensure_conn(q, q->conn, err);

	/* A reconnect that just failed is not tried again: that would double
	 * the wait for an unreachable server. */
	if (rc < 0)
		return rc;
	rc = exec_simple(q->conn, sql, want, "begin", err);
	if (rc < 0 && PQstatus(q->conn) == CONNECTION_BAD) {
		sr_err_clear(err);
		rc = ensure_conn(q, q->conn, err);
		rc = rc < 0 ? rc : exec_simple(q->conn, sql, want, "begin", err);
	}
	return rc;
}

static int begin(pg_backend *q, const char *sql, sr_err *err)
{
	return begin_as(q, sql, PGRES_COMMAND_OK, err);
}

/* Undo an open transaction after a failure (keeps the first error). */
static void rollback(PGconn *c)
{
	if (PQtransactionStatus(c) != PQTRANS_IDLE && PQstatus(c) == CONNECTION_OK)
		PQclear(PQexec(c, "ROLLBACK"));
}

/* ---- apply --------------------------------------------------------------- */

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

#define MAX_PARAMS 12 /* a schema put: 8, plus the change-log pair */

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
	if (p->n >= MAX_PARAMS)
		sr_fatal("postgres: more statement parameters than MAX_PARAMS");
	p->value[p->n] = s;
	p->length[p->n] = 0;
	p->format[p->n++] = 0;
}

static void param_bytes(params *p, const char *s, size_t len)
{
	if (p->n >= MAX_PARAMS)
		sr_fatal("postgres: more statement parameters than MAX_PARAMS");
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

/* Run a statement with `p` that returns no rows. */
static int exec_params(PGconn *c, const char *sql, const params *p, const char *what,
		       sr_err *err)
{
	PGresult *r = PQexecParams(c, sql, p->n, NULL, p->value, p->length, p->format, 0);
	int rc = 0;

	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = fail(c, r, what, err);
	PQclear(r);
	return rc;
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

/*
 * Write a change and append it to the change log in one statement (one
 * round trip): the change's own statement runs as a data-modifying WITH
 * clause. `*seq` receives its position in the log.
 */
static int write_and_log(PGconn *c, const sr_change *ch, int64_t now_ms, int64_t *seq,
			 sr_err *err)
{
	sr_buf json = SR_BUF_INIT, sql = SR_BUF_INIT;
	params p;
	PGresult *r;
	int rc = change_params(ch, now_ms, &p, err);

	if (rc < 0)
		return rc;
	sr_change_encode(&json, ch);
	/* The log's times are the database's: pruning must not depend on
	 * how well each replica's clock is set. */
	sr_buf_printf(&sql, "WITH w AS (%s) INSERT INTO change_log (change, created_ms) "
			    "VALUES ($%d, " DB_NOW_MS ") RETURNING seq",
		      change_sql[ch->kind], p.n + 1);
	param_bytes(&p, json.ptr, json.len);
	r = PQexecParams(c, sql.ptr, p.n, NULL, p.value, p.length, p.format, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = fail(c, r, sr_change_kind_name(ch->kind), err);
	else
		*seq = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	sr_buf_dispose(&sql);
	sr_buf_dispose(&json);
	return rc;
}

/* Drop log rows past the retention, remembering the highest dropped. */
static int prune_log(PGconn *c, sr_err *err)
{
	params p = { 0 };

	param_int(&p, LOG_RETENTION_MS);
	return exec_params(c, "WITH gone AS (DELETE FROM change_log WHERE created_ms < "
			      DB_NOW_MS " - $1 "
			      "RETURNING seq) UPDATE change_log_floor SET seq = GREATEST(seq, "
			      "(SELECT max(seq) FROM gone)) WHERE EXISTS (SELECT 1 FROM gone)",
			   &p, "prune the change log", err);
}

/* BEGIN and the store-wide writer lock, held until COMMIT or ROLLBACK. */
static int begin_locked(pg_backend *q, sr_err *err)
{
	/* One round trip: the simple protocol runs both statements. */
	int rc = begin_as(q, "BEGIN; SELECT pg_advisory_xact_lock(" WRITER_LOCK_KEY ")",
			  PGRES_TUPLES_OK, err);

	if (rc < 0)
		rollback(q->conn);
	else
		q->writer_pid = PQbackendPID(q->conn); /* it may have reconnected */
	return rc;
}

static int pg_apply(sr_storage_backend *b, const sr_change *changes, size_t n, sr_err *err)
{
	pg_backend *q = (pg_backend *)b;
	int64_t now_ms = sr_storage__now_ms(), seq = 0;
	bool joined = q->in_write;
	size_t i;
	int rc;

	if (q->in_write && PQtransactionStatus(q->conn) != PQTRANS_INTRANS)
		return sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE,
				  "postgres: the write's transaction was lost (connection reset?)");
	rc = joined ? 0 : begin_locked(q, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		rc = write_and_log(q->conn, &changes[i], now_ms, &seq, err);
		if (rc < 0)
			sr_err_prefix(err, "change %zu: ", i);
	}
	if (rc == 0 && ++q->writes % PRUNE_EVERY == 0)
		rc = prune_log(q->conn, err);
	/* The notification is delivered at commit; both in one round trip. */
	rc = rc < 0 ? rc
		    : exec_simple(q->conn, "NOTIFY " CHANNEL "; COMMIT", PGRES_COMMAND_OK, "commit",
				  err);
	if (rc < 0) {
		rollback(q->conn);
		return rc;
	}
	/* Under write_begin everything before the lock was tailed first, so
	 * our rows are the next ones: the model now reflects them. */
	if (joined)
		q->pos = seq;
	return 0;
}

/* ---- other writers ------------------------------------------------------- */

static int pg_write_begin(sr_storage_backend *b, sr_err *err)
{
	pg_backend *q = (pg_backend *)b;
	int rc = begin_locked(q, err);

	q->in_write = rc == 0;
	return rc;
}

static void pg_write_end(sr_storage_backend *b)
{
	pg_backend *q = (pg_backend *)b;

	if (q->in_write)
		rollback(q->conn); /* a no-op after apply committed */
	q->in_write = false;
}

/* The position a load's snapshot reflects: the newest logged change, or
 * the pruning floor when the log is empty. */
static int read_head(PGconn *c, int64_t *out, sr_err *err)
{
	PGresult *r = PQexec(c, "SELECT coalesce((SELECT max(seq) FROM change_log), "
				"(SELECT seq FROM change_log_floor), 0)");
	int rc = 0;

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = fail(c, r, "change log", err);
	else
		*out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return rc;
}

static int behind(sr_err *err)
{
	return sr_err_set(err, SR_ECONFLICT, SR_ERR_STORE,
			  "postgres: this process is further behind than the change log reaches "
			  "(it was cut off for over a day); restart it to load afresh");
}

static int deliver_changes(pg_backend *q, const PGresult *r, sr_storage_change_cb cb,
			   void *ctx, sr_err *err)
{
	int row, rc = 0;

	/* An arena per change: a catch-up after a long pause may be large. */
	for (row = 0; row < PQntuples(r) && rc == 0; row++) {
		sr_arena *a = sr_arena_new(4096);
		sr_change c;

		rc = sr_change_decode(a, PQgetvalue(r, row, 1), (size_t)PQgetlength(r, row, 1), &c,
				      err);
		rc = rc < 0 ? rc : cb(ctx, &c);
		if (rc == 0)
			q->pos = strtoll(PQgetvalue(r, row, 0), NULL, 10);
		sr_arena_free(a);
	}
	return rc;
}

static int pg_tail(sr_storage_backend *b, sr_storage_change_cb cb, void *ctx, sr_err *err)
{
	pg_backend *q = (pg_backend *)b;
	params p = { 0 };
	PGresult *r;
	int rc = q->in_write ? 0 : ensure_conn(q, q->conn, err);

	if (rc < 0)
		return rc;
	/* One round trip: the rows after our position, preceded by a row of
	 * seq -1 when the pruning floor passed it. */
	param_int(&p, q->pos);
	r = PQexecParams(q->conn, "SELECT -1 AS seq, '' AS change FROM change_log_floor "
				  "WHERE seq > $1 UNION ALL SELECT seq, change FROM change_log "
				  "WHERE seq > $1 ORDER BY seq",
			 p.n, NULL, p.value, p.length, p.format, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = fail(q->conn, r, "change log", err);
	else if (PQntuples(r) && strcmp(PQgetvalue(r, 0, 0), "-1") == 0)
		rc = behind(err);
	else
		rc = deliver_changes(q, r, cb, ctx, err);
	PQclear(r);
	return rc;
}

/* The listening connection, (re)connected at most once a second. */
static bool listening(pg_backend *q)
{
	int64_t now = sr_storage__now_ms();

	if (q->listen_conn && PQstatus(q->listen_conn) == CONNECTION_OK)
		return true;
	PQfinish(q->listen_conn);
	q->listen_conn = NULL;
	if (now < q->listen_retry_ms)
		return false;
	q->listen_retry_ms = now + 1000;
	q->listen_conn = connect_to(q->url);
	if (PQstatus(q->listen_conn) == CONNECTION_OK &&
	    exec_simple(q->listen_conn, "LISTEN " CHANNEL, PGRES_COMMAND_OK, "listen", NULL) == 0)
		return true;
	PQfinish(q->listen_conn);
	q->listen_conn = NULL;
	return false;
}

static int pg_wait(sr_storage_backend *b, int timeout_ms)
{
	pg_backend *q = (pg_backend *)b;
	struct pollfd pfd;
	PGnotify *n;
	int notified = 0;

	if (!listening(q)) {
		poll(NULL, 0, timeout_ms); /* down: the caller polls at this pace */
		return SR_EUNAVAILABLE;
	}
	pfd.fd = PQsocket(q->listen_conn);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, timeout_ms) > 0 && !PQconsumeInput(q->listen_conn))
		return SR_EUNAVAILABLE; /* reconnected on the next call */
	/* Our own writes are reflected already: waking up for them would only
	 * contend with the next write for the registry's writer mutex. The
	 * writer's pid is set by the writer thread after each (re)connect; a
	 * stale value costs one needless tail at most. */
	while ((n = PQnotifies(q->listen_conn))) {
		if (n->be_pid != q->writer_pid)
			notified = 1;
		PQfreemem(n);
	}
	return notified;
}

/* Replicas starting together must not apply a migration twice. */
static int pg_migrate_lock(sr_storage_backend *b, sr_err *err)
{
	pg_backend *q = (pg_backend *)b;
	int rc = ensure_conn(q, q->conn, err);

	return rc < 0 ? rc
		      : exec_simple(q->conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")",
				    PGRES_TUPLES_OK, "migration lock", err);
}

static void pg_migrate_unlock(sr_storage_backend *b)
{
	pg_backend *q = (pg_backend *)b;

	if (PQstatus(q->conn) == CONNECTION_OK)
		PQclear(PQexec(q->conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")"));
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
		rc = read_head(q->conn, &q->pos, err);
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

	rc = ensure_conn(q, q->conn, err);
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

	param_int(&p, m->number);
	param_text(&p, m->name);
	param_text(&p, m->checksum);
	param_int(&p, sr_storage__now_ms());
	return exec_params(c, "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
			      "VALUES ($1, $2, $3, $4)",
			   &p, "record migration", err);
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

static int ping_once(pg_backend *q, sr_err *err)
{
	int rc = ensure_conn(q, q->ping_conn, err);

	return rc < 0 ? rc : exec_simple(q->ping_conn, "SELECT 1", PGRES_TUPLES_OK, "ping", err);
}

static int pg_ping(sr_storage_backend *b, sr_err *err)
{
	pg_backend *q = (pg_backend *)b;
	bool looked_fine;
	int rc;

	pthread_mutex_lock(&q->ping_lock);
	looked_fine = PQstatus(q->ping_conn) == CONNECTION_OK;
	rc = ping_once(q, err);
	/* A stale connection: once more, reconnected. Not after a reconnect
	 * that just failed: that would double the wait for a silent server. */
	if (rc < 0 && looked_fine && PQstatus(q->ping_conn) == CONNECTION_BAD) {
		sr_err_clear(err);
		rc = ping_once(q, err);
	}
	pthread_mutex_unlock(&q->ping_lock);
	return rc < 0 ? SR_EUNAVAILABLE : 0;
}

/* ---- open and close ------------------------------------------------------ */

static void pg_free(sr_storage_backend *b)
{
	pg_backend *q = (pg_backend *)b;

	PQfinish(q->listen_conn);
	PQfinish(q->ping_conn);
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
	q->parent.migrate_lock = pg_migrate_lock;
	q->parent.migrate_unlock = pg_migrate_unlock;
	q->parent.write_begin = pg_write_begin;
	q->parent.write_end = pg_write_end;
	q->parent.tail = pg_tail;
	q->parent.wait = pg_wait;

	q->reader = reader;
	rc = open_conn(q, &q->conn, err);
	if (rc == 0)
		q->writer_pid = PQbackendPID(q->conn);
	rc = rc < 0 ? rc : open_conn(q, &q->ping_conn, err);
	if (rc < 0) {
		pg_free(&q->parent);
		return rc;
	}
	*out = &q->parent;
	return 0;
}

/*
 * What the PostgreSQL backend promises beyond the shared contract (see
 * contract.c): durability across reopen, the change log that lets several
 * processes serve one database, migration bookkeeping, and behaviour when
 * the connection is lost or the server refuses connections. Needs a server to use:
 * SR_TEST_POSTGRES_URL (scripts/with-postgres.sh starts one); without it
 * the tests are skipped, except under CI=true, where that fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "core/mem.h"
#include "storage/test_backend_helpers.c"

/* Each case gets a database of its own, created from the admin URL. */
typedef struct fixture {
	char admin_url[512];
	char url[600];
	char db[64];
	sr_storage *s;
	sr_buf dump;
	sr_err err;
} fixture;

static PGconn *admin_conn(const fixture *f)
{
	PGconn *c = PQconnectdb(f->admin_url);

	assert_int_equal(PQstatus(c), CONNECTION_OK);
	return c;
}

/* Run SQL on the admin connection; it must succeed. */
static void admin(const fixture *f, const char *fmt, ...)
{
	PGconn *c = admin_conn(f);
	char sql[512];
	PGresult *r;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
}

static int setup(void **state)
{
	fixture *f = sr_calloc(1, sizeof(*f));
	static int n;
	char *slash;

	f->err = (sr_err)SR_ERR_INIT;
	sr_buf_init(&f->dump, SIZE_MAX);
	snprintf(f->admin_url, sizeof(f->admin_url), "%s", getenv("SR_TEST_POSTGRES_URL"));
	snprintf(f->db, sizeof(f->db), "sr_unit_%d_%d", (int)getpid(), ++n);
	snprintf(f->url, sizeof(f->url), "%s", f->admin_url);
	slash = strrchr(f->url, '/');
	snprintf(slash + 1, sizeof(f->url) - (size_t)(slash + 1 - f->url), "%s", f->db);
	admin(f, "CREATE DATABASE %s", f->db);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	sr_storage_close(f->s);
	admin(f, "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->db);
	sr_buf_dispose(&f->dump);
	sr_err_dispose(&f->err);
	free(f);
	return 0;
}

static void open_migrated(fixture *f)
{
	int applied = -1;

	assert_int_equal(sr_storage_open(&f->s, f->url, &f->err), 0);
	assert_int_equal(sr_storage_migrate(f->s, &applied, &f->err), 0);
}

static int apply(fixture *f, const sr_change *c, size_t n)
{
	sr_err_clear(&f->err);
	return sr_storage_apply(f->s, c, n, &f->err);
}

static void seed(fixture *f, int64_t id)
{
	sr_change c[2];

	c[0] = sr_test_schema_put(id, "\"string\"", "g");
	c[1] = sr_test_version_put("s", (int32_t)id, id, false, 1000);
	assert_int_equal(apply(f, c, 2), 0);
}

static void test_rows_survive_reopen(void **state)
{
	fixture *f = *state;
	char *before;

	open_migrated(f);
	seed(f, 1);
	assert_int_equal(sr_test_dump(f->s, &f->dump), 0);
	before = sr_strdup(f->dump.ptr);
	sr_storage_close(f->s);
	f->s = NULL;
	assert_int_equal(sr_storage_open(&f->s, f->url, &f->err), 0);
	assert_int_equal(sr_storage_check_ready(f->s, &f->err), 0);
	sr_buf_clear(&f->dump);
	assert_int_equal(sr_test_dump(f->s, &f->dump), 0);
	assert_string_equal(f->dump.ptr, before);
	free(before);
}

/* Collects what sr_storage_tail delivers, one line per change. */
static int collect(void *ctx, const sr_change *c)
{
	sr_buf *out = ctx;

	sr_change_encode(out, c);
	sr_buf_putc(out, '\n');
	return 0;
}

static const char *tail(sr_storage *s, sr_buf *out)
{
	sr_err err = SR_ERR_INIT;

	sr_buf_clear(out);
	assert_int_equal(sr_storage_tail(s, collect, out, &err), 0);
	sr_err_dispose(&err);
	return out->ptr ? out->ptr : "";
}

static void write_locked(fixture *f, sr_storage *s, const sr_change *c, size_t n)
{
	assert_int_equal(sr_storage_write_begin(s, &f->err), 0);
	assert_int_equal(sr_storage_apply(s, c, n, &f->err), 0);
	sr_storage_write_end(s);
}

static void test_two_processes_follow_each_other(void **state)
{
	fixture *f = *state;
	sr_storage *other = NULL;
	sr_buf seen = SR_BUF_INIT;
	sr_change c[2];

	open_migrated(f);
	assert_true(sr_storage_replicated(f->s));
	assert_int_equal(sr_storage_open(&other, f->url, &f->err), 0);
	assert_int_equal(sr_test_dump(other, &f->dump), 0); /* loads: position 0 */

	c[0] = sr_test_schema_put(1, "\"string\"", "g1");
	c[1] = sr_test_version_put("s", 1, 1, false, 1000);
	write_locked(f, f->s, c, 2);
	/* The writer's own changes are reflected already; the other gets both. */
	assert_string_equal(tail(f->s, &seen), "");
	assert_non_null(strstr(tail(other, &seen), "{\"type\":\"schema\",\"id\":1,"));
	assert_non_null(strstr(seen.ptr, "{\"type\":\"version\",\"subject\":\"s\",\"version\":1,"));
	assert_string_equal(tail(other, &seen), "");

	c[0] = sr_test_config_put(NULL, "{\"compatibilityLevel\":\"NONE\"}");
	c[1] = sr_test_version_delete("s", 1);
	write_locked(f, other, c, 2);
	assert_string_equal(tail(f->s, &seen),
			    "{\"type\":\"config\",\"subject\":null,"
			    "\"config\":\"{\\\"compatibilityLevel\\\":\\\"NONE\\\"}\"}\n"
			    "{\"type\":\"version_delete\",\"subject\":\"s\",\"version\":1}\n");
	sr_storage_close(other);
	sr_buf_dispose(&seen);
}

static void test_a_write_without_write_begin_comes_back_through_tail(void **state)
{
	fixture *f = *state;
	sr_buf seen = SR_BUF_INIT;
	sr_change c = sr_test_mode_put("s", "READONLY");

	open_migrated(f);
	assert_int_equal(apply(f, &c, 1), 0); /* a restore writes like this */
	assert_string_equal(tail(f->s, &seen),
			    "{\"type\":\"mode\",\"subject\":\"s\",\"mode\":\"READONLY\"}\n");
	sr_buf_dispose(&seen);
}

static void test_a_change_is_announced(void **state)
{
	fixture *f = *state;
	sr_storage *other = NULL;
	sr_change c = sr_test_mode_put(NULL, "IMPORT");

	open_migrated(f);
	assert_int_equal(sr_storage_open(&other, f->url, &f->err), 0);
	assert_int_equal(sr_storage_wait(other, 10), 0); /* starts listening */
	write_locked(f, f->s, &c, 1);
	assert_int_equal(sr_storage_wait(other, 5000), 1);
	sr_storage_close(other);
}

static void test_a_process_behind_the_retention_is_told(void **state)
{
	fixture *f = *state;
	sr_buf seen = SR_BUF_INIT;
	PGconn *c;

	open_migrated(f);
	c = PQconnectdb(f->url);
	PQclear(PQexec(c, "UPDATE change_log_floor SET seq = 1000"));
	PQfinish(c);
	sr_err_clear(&f->err);
	assert_int_equal(sr_storage_tail(f->s, collect, &seen, &f->err), SR_ECONFLICT);
	assert_non_null(strstr(sr_err_message(&f->err), "restart it"));
	sr_buf_dispose(&seen);
}

static void test_migrations_are_recorded_and_newer_databases_refused(void **state)
{
	fixture *f = *state;
	sr_migration_status st;

	open_migrated(f);
	assert_int_equal(sr_storage_migration_status(f->s, &st, &f->err), 0);
	assert_true(st.known >= 1);
	assert_int_equal(st.applied, st.known);
	/* A later release migrated it: this one must refuse it. */
	sr_storage_close(f->s);
	f->s = NULL;
	{
		PGconn *c = PQconnectdb(f->url);
		PGresult *r = PQexec(c, "INSERT INTO schema_migrations VALUES (999, 'later', 'x', 0)");

		assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
		PQclear(r);
		PQfinish(c);
	}
	assert_int_equal(sr_storage_open(&f->s, f->url, &f->err), 0);
	assert_int_equal(sr_storage_check_ready(f->s, &f->err), SR_ECONFLICT);
	assert_non_null(strstr(sr_err_message(&f->err), "newer release"));
}

static void test_a_lost_session_reconnects(void **state)
{
	fixture *f = *state;

	open_migrated(f);
	seed(f, 1);
	admin(f, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
		 "WHERE datname = '%s' AND application_name = 'schema-registry'", f->db);
	/* The next write notices, reconnects and succeeds. */
	seed(f, 2);
	assert_int_equal(sr_storage_ping(f->s, &f->err), 0);
}

static int apply_ok(fixture *f, const void *arg)
{
	return apply(f, arg, 1);
}

static int ping_ok(fixture *f, const void *arg)
{
	sr_err_clear(&f->err);
	return sr_storage_ping(f->s, &f->err);
}

/* Call `fn` every 100 ms until it returns 0 or `seconds` pass. */
static int retry_for_seconds(fixture *f, int seconds, int (*fn)(fixture *, const void *),
			     const void *arg)
{
	struct timespec pause = { 0, 100 * 1000 * 1000 };
	int i, rc = -1;

	for (i = 0; i < seconds * 10 && rc != 0; i++) {
		rc = fn(f, arg);
		if (rc != 0)
			nanosleep(&pause, NULL);
	}
	return rc;
}

static void test_server_refusing_connections_fails_fast_then_recovers(void **state)
{
	fixture *f = *state;
	sr_change c = sr_test_schema_put(5, "\"int\"", "g5");
	struct timespec t0, t1;

	open_migrated(f);
	admin(f, "ALTER DATABASE %s ALLOW_CONNECTIONS false", f->db);
	admin(f, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s'",
	      f->db);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(apply(f, &c, 1), SR_EUNAVAILABLE);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 10);
	assert_non_null(strstr(sr_err_message(&f->err), "postgres"));
	assert_int_equal(sr_storage_ping(f->s, &f->err), SR_EUNAVAILABLE);
	admin(f, "ALTER DATABASE %s ALLOW_CONNECTIONS true", f->db);
	/* A connection retries at most once a second: back within a few. */
	assert_int_equal(retry_for_seconds(f, 5, apply_ok, &c), 0);
	assert_int_equal(retry_for_seconds(f, 5, ping_ok, NULL), 0);
	sr_buf_clear(&f->dump);
	assert_int_equal(sr_test_dump(f->s, &f->dump), 0);
	assert_non_null(strstr(f->dump.ptr, "schema 5 AVRO"));
}

static void test_an_unmigrated_database_says_so(void **state)
{
	fixture *f = *state;
	sr_change c = sr_test_schema_put(1, "\"int\"", "g1");

	assert_int_equal(sr_storage_open(&f->s, f->url, &f->err), 0);
	assert_int_equal(sr_storage_check_ready(f->s, &f->err), SR_ECONFLICT);
	assert_non_null(strstr(sr_err_message(&f->err), "schema-registry migrate"));
	assert_true(apply(f, &c, 1) < 0);
	assert_non_null(strstr(sr_err_message(&f->err), "migrated"));
}

static void test_unreachable_server_is_unavailable(void **state)
{
	fixture *f = *state;
	sr_storage *s = NULL;

	/* Port 1 on loopback: nothing listens; refused at once. */
	assert_int_equal(sr_storage_open(&s, "postgres://u:secret@127.0.0.1:1/db", &f->err),
			 SR_EUNAVAILABLE);
	assert_non_null(strstr(sr_err_message(&f->err), "cannot connect"));
	assert_null(strstr(sr_err_message(&f->err), "secret"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_rows_survive_reopen),
		T(test_two_processes_follow_each_other),
		T(test_a_write_without_write_begin_comes_back_through_tail),
		T(test_a_change_is_announced),
		T(test_a_process_behind_the_retention_is_told),
		T(test_migrations_are_recorded_and_newer_databases_refused),
		T(test_a_lost_session_reconnects),
		T(test_server_refusing_connections_fails_fast_then_recovers),
		T(test_an_unmigrated_database_says_so),
		T(test_unreachable_server_is_unavailable),
	};

	if (!getenv("SR_TEST_POSTGRES_URL")) {
		const char *ci = getenv("CI");

		printf("storage postgres: skipped (SR_TEST_POSTGRES_URL is not set)\n");
		return ci && strcmp(ci, "true") == 0;
	}
	return cmocka_run_group_tests_name("storage postgres", tests, NULL, NULL);
}

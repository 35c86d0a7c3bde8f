/*
 * What the SQLite backend promises beyond the shared contract (see
 * contract.c): durability across reopen, the database file's settings,
 * migration bookkeeping and refusals, and ping beside a busy writer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "core/embed.h"
#include "core/hash.h"
#include "core/mem.h"
#include "storage/test_backend_helpers.c"

typedef struct fixture {
	char *dir;
	char path[512];
	char url[600];
	sr_storage *s;
	sr_buf dump;
	sr_err err;
} fixture;

static int setup(void **state)
{
	fixture *f = sr_calloc(1, sizeof(*f));

	f->err = (sr_err)SR_ERR_INIT;
	sr_buf_init(&f->dump, SIZE_MAX);
	f->dir = sr_test_tmpdir();
	snprintf(f->path, sizeof(f->path), "%s/a/b/registry.db", f->dir);
	snprintf(f->url, sizeof(f->url), "sqlite:%s", f->path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	sr_storage_close(f->s);
	sr_test_rmdir(f->dir);
	sr_buf_dispose(&f->dump);
	sr_err_dispose(&f->err);
	free(f);
	return 0;
}

static void open_store(fixture *f)
{
	int rc = sr_storage_open(&f->s, f->url, &f->err);

	if (rc != 0)
		fail_msg("open %s: %s", f->url, sr_err_message(&f->err));
}

static void open_migrated(fixture *f)
{
	open_store(f);
	assert_int_equal(sr_storage_migrate(f->s, NULL, &f->err), 0);
}

static void reopen(fixture *f)
{
	sr_storage_close(f->s);
	f->s = NULL;
	open_store(f);
}

/* Run SQL on a separate connection, as an operator (or another process) would. */
static void raw_exec(fixture *f, const char *sql)
{
	sqlite3 *db = NULL;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

/* The first column of the first row of `sql`, as text ("" when no row). */
static char *raw_query(fixture *f, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *out;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		out = sr_strdup((const char *)sqlite3_column_text(st, 0));
	else
		out = sr_strdup("");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static void assert_query(fixture *f, const char *sql, const char *expected)
{
	char *got = raw_query(f, sql);

	assert_string_equal(got, expected);
	free(got);
}

static void seed(fixture *f)
{
	sr_change c[5];

	c[0] = sr_test_schema_put(1, "\"int\"", "g1");
	c[1] = sr_test_version_put("s", 1, 1, false, 1);
	c[2] = sr_test_config_put(NULL, "{\"compatibilityLevel\":\"FULL\"}");
	c[3] = sr_test_mode_put("s", "READONLY");
	c[4] = sr_test_schema_put(2, "\"long\"", "g2");
	c[4].u.schema.references = "[]";
	assert_int_equal(sr_storage_apply(f->s, c, 5, &f->err), 0);
}

static const char seeded[] =
	"schema 1 AVRO len=5 \"int\" refs=NULL meta=NULL rules=NULL guid=g1\n"
	"schema 2 AVRO len=6 \"long\" refs=[] meta=NULL rules=NULL guid=g2\n"
	"version s 1 -> 1 deleted=0 created=1\n"
	"config <global> {\"compatibilityLevel\":\"FULL\"}\n"
	"mode s READONLY\n";

/* ---- the file ------------------------------------------------------------ */

static void test_directory_is_created_and_settings_hold(void **state)
{
	fixture *f = *state;
	struct stat sb;

	open_migrated(f);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_string_equal(sr_storage_backend_name(f->s), "sqlite");
	/* WAL is a property of the file: another connection sees it. */
	assert_query(f, "PRAGMA journal_mode", "wal");
}

static void test_rows_survive_reopen(void **state)
{
	fixture *f = *state;

	open_migrated(f);
	seed(f);
	reopen(f);
	assert_int_equal(sr_storage_check_ready(f->s, &f->err), 0);
	assert_int_equal(sr_test_dump(f->s, &f->dump), 0);
	assert_string_equal(f->dump.ptr, seeded);
}

static void test_committed_batch_is_in_the_file(void **state)
{
	fixture *f = *state;

	open_migrated(f);
	seed(f);
	/* Visible to another connection while the store is still open. */
	assert_query(f, "SELECT group_concat(guid) FROM (SELECT guid FROM schemas ORDER BY id)",
		     "g1,g2");
	assert_query(f, "SELECT scope || '=' || config_json FROM configs",
		     "={\"compatibilityLevel\":\"FULL\"}");
}

static void test_not_a_database_is_unavailable(void **state)
{
	fixture *f = *state;
	char junk[4096];
	FILE *fp;

	memset(junk, 'j', sizeof(junk));
	snprintf(f->path, sizeof(f->path), "%s/junk.db", f->dir);
	snprintf(f->url, sizeof(f->url), "sqlite:%s", f->path);
	fp = fopen(f->path, "w");
	assert_non_null(fp);
	fwrite(junk, 1, sizeof(junk), fp);
	fclose(fp);
	assert_int_equal(sr_storage_open(&f->s, f->url, &f->err), SR_EUNAVAILABLE);
	assert_null(f->s);
	assert_non_null(strstr(sr_err_message(&f->err), "not a database"));
}

static void test_uncreatable_directory_is_unavailable(void **state)
{
	fixture *f = *state;
	char file[256];
	FILE *fp;

	snprintf(file, sizeof(file), "%s/plainfile", f->dir);
	fp = fopen(file, "w");
	assert_non_null(fp);
	fclose(fp);
	snprintf(f->url, sizeof(f->url), "sqlite:%s/sub/registry.db", file);
	assert_int_equal(sr_storage_open(&f->s, f->url, &f->err), SR_EUNAVAILABLE);
	assert_non_null(strstr(sr_err_message(&f->err), "cannot create directory"));
}

static void test_conflict_message_names_the_change(void **state)
{
	fixture *f = *state;
	sr_change c[2];

	open_migrated(f);
	c[0] = sr_test_schema_put(1, "\"int\"", "g1");
	c[1] = sr_test_schema_put(1, "\"long\"", "g2");
	assert_int_equal(sr_storage_apply(f->s, c, 2, &f->err), SR_ECONFLICT);
	assert_non_null(strstr(sr_err_message(&f->err), "change 1"));
	assert_non_null(strstr(sr_err_message(&f->err), "schemas.id"));
}

/* ---- migrations ---------------------------------------------------------- */

static void sha256_hex(char out[65], const void *data, size_t n)
{
	unsigned char md[32];
	unsigned int len = 0;

	assert_int_equal(EVP_Digest(data, n, md, &len, EVP_sha256(), NULL), 1);
	sr_hex(out, md, 32);
}

static void test_new_database_needs_migrate(void **state)
{
	fixture *f = *state;
	const sr_embedded_file *init = sr_embed_find("storage/migrations/sqlite/0001_init.sql");
	sr_migration_status st = { -1, -1 };
	sr_change c = sr_test_schema_put(1, "\"int\"", "g1");
	char checksum[65], expected[200], *applied_at;
	int applied = -1;
	long long now_s = (long long)time(NULL);

	assert_non_null(init);
	open_store(f);
	assert_int_equal(sr_storage_migration_status(f->s, &st, &f->err), 0);
	assert_int_equal(st.applied, 0);
	assert_true(st.known >= 1);
	/* Reading the state creates nothing. */
	assert_query(f, "SELECT count(*) FROM sqlite_master", "0");
	assert_int_equal(sr_storage_check_ready(f->s, &f->err), SR_ECONFLICT);
	snprintf(expected, sizeof(expected),
		 "the database is at migration 0, this release needs %d; run `schema-registry "
		 "migrate`",
		 st.known);
	assert_string_equal(sr_err_message(&f->err), expected);
	/* Writing before migrating fails and says why. */
	assert_int_equal(sr_storage_apply(f->s, &c, 1, &f->err), SR_ERROR);
	assert_non_null(strstr(sr_err_message(&f->err), "migrated"));

	assert_int_equal(sr_storage_migrate(f->s, &applied, &f->err), 0);
	assert_int_equal(applied, st.known);
	assert_int_equal(sr_storage_check_ready(f->s, &f->err), 0);
	assert_int_equal(sr_storage_migrate(f->s, &applied, &f->err), 0);
	assert_int_equal(applied, 0);

	/* Number, name, checksum of the file and the time it was applied. */
	sha256_hex(checksum, init->data, init->len);
	snprintf(expected, sizeof(expected), "1|init|%s", checksum);
	assert_query(f,
		     "SELECT version || '|' || name || '|' || checksum FROM schema_migrations "
		     "WHERE version = 1",
		     expected);
	applied_at = raw_query(f, "SELECT applied_at / 1000 FROM schema_migrations");
	assert_true(llabs(atoll(applied_at) - now_s) <= 60);
	free(applied_at);
	/* Usable after migrating. */
	assert_int_equal(sr_storage_apply(f->s, &c, 1, &f->err), 0);
}

static void test_refuses_database_from_newer_release(void **state)
{
	fixture *f = *state;
	sr_migration_status st;
	char expected[200];
	int applied = -1;

	open_migrated(f);
	seed(f);
	raw_exec(f, "INSERT INTO schema_migrations VALUES (9999, 'future', 'abc', 0)");
	assert_int_equal(sr_storage_migration_status(f->s, &st, &f->err), 0);
	assert_int_equal(st.applied, 9999);
	snprintf(expected, sizeof(expected),
		 "this database was migrated by a newer release (9999 > %d); run that release "
		 "or restore a backup",
		 st.known);
	assert_int_equal(sr_storage_check_ready(f->s, &f->err), SR_ECONFLICT);
	assert_string_equal(sr_err_message(&f->err), expected);
	assert_int_equal(sr_storage_migrate(f->s, &applied, &f->err), SR_ECONFLICT);
	assert_string_equal(sr_err_message(&f->err), expected);
	assert_int_equal(applied, 0);
	/* The data were not touched. */
	assert_int_equal(sr_test_dump(f->s, &f->dump), 0);
	assert_string_equal(f->dump.ptr, seeded);
}

static void test_refuses_changed_migration(void **state)
{
	fixture *f = *state;

	open_migrated(f);
	raw_exec(f, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
	assert_int_equal(sr_storage_check_ready(f->s, &f->err), SR_ECONFLICT);
	assert_non_null(strstr(sr_err_message(&f->err), "0001_init"));
	assert_non_null(strstr(sr_err_message(&f->err), "checksum mismatch"));
	assert_int_equal(sr_storage_migrate(f->s, NULL, &f->err), SR_ECONFLICT);
	assert_non_null(strstr(sr_err_message(&f->err), "checksum mismatch"));
}

static void test_failing_migration_applies_nothing(void **state)
{
	fixture *f = *state;
	sr_migration_status st;
	int applied = -1;

	open_migrated(f);
	/* Forget that 0001 ran: running it again fails (its tables exist),
	 * and the failed attempt must leave no trace. */
	raw_exec(f, "DELETE FROM schema_migrations");
	assert_int_equal(sr_storage_migrate(f->s, &applied, &f->err), SR_ERROR);
	assert_int_equal(applied, 0);
	assert_non_null(strstr(sr_err_message(&f->err), "migration 0001_init: "));
	assert_non_null(strstr(sr_err_message(&f->err), "already exists"));
	assert_int_equal(sr_storage_migration_status(f->s, &st, &f->err), 0);
	assert_int_equal(st.applied, 0);
	assert_query(f, "SELECT count(*) FROM schema_migrations", "0");
	/* The connection is not left inside a transaction. */
	seed(f);
}

static void test_second_open_is_refused_while_the_first_holds_it(void **state)
{
	fixture *f = *state;
	sr_storage *second = NULL;

	/* One registry process per SQLite file: a second server (or a migrate
	 * beside a running server) is refused with the reason, not left to
	 * diverge from the first one's in-memory state. */
	open_migrated(f);
	assert_int_equal(sr_storage_open(&second, f->url, &f->err), SR_EUNAVAILABLE);
	assert_null(second);
	assert_non_null(strstr(sr_err_message(&f->err), "in use by another process"));
	sr_storage_close(f->s);
	f->s = NULL;
	assert_int_equal(sr_storage_open(&second, f->url, &f->err), 0);
	assert_int_equal(sr_storage_check_ready(second, &f->err), 0);
	sr_storage_close(second);
}

/* ---- ping ---------------------------------------------------------------- */

static void test_ping_is_not_blocked_by_a_writer(void **state)
{
	fixture *f = *state;
	sqlite3 *other = NULL;

	open_migrated(f);
	/* Another connection holds the write lock mid-transaction. */
	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other,
				      "BEGIN IMMEDIATE; INSERT INTO modes VALUES ('x', 'READONLY')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sr_storage_ping(f->s, &f->err), 0);
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
}

typedef struct pinger {
	sr_storage *s;
	atomic_int stop;
	atomic_int pings, failures;
} pinger;

static void *ping_loop(void *arg)
{
	pinger *p = arg;
	sr_err err = SR_ERR_INIT;

	while (!p->stop) {
		if (sr_storage_ping(p->s, &err) != 0)
			p->failures++;
		p->pings++;
	}
	sr_err_dispose(&err);
	return NULL;
}

static void test_ping_from_other_threads_while_writing(void **state)
{
	fixture *f = *state;
	pinger p = { .s = NULL };
	pthread_t th[2];
	char guid[32];
	int i;

	open_migrated(f);
	p.s = f->s;
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, ping_loop, &p), 0);
	for (i = 1; i <= 200; i++) {
		sr_change c[2];

		snprintf(guid, sizeof(guid), "g%d", i);
		c[0] = sr_test_schema_put(i, "\"int\"", guid);
		c[1] = sr_test_version_put("s", i, i, false, i);
		assert_int_equal(sr_storage_apply(f->s, c, 2, &f->err), 0);
	}
	p.stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	assert_true(p.pings > 0);
	assert_int_equal(p.failures, 0);
	assert_query(f, "SELECT count(*) FROM subject_versions", "200");
}

static void test_ping_notices_a_removed_file(void **state)
{
	fixture *f = *state;

	open_migrated(f);
	assert_int_equal(sr_storage_ping(f->s, &f->err), 0);
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(sr_storage_ping(f->s, &f->err), SR_EUNAVAILABLE);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_directory_is_created_and_settings_hold),
		T(test_rows_survive_reopen),
		T(test_committed_batch_is_in_the_file),
		T(test_not_a_database_is_unavailable),
		T(test_uncreatable_directory_is_unavailable),
		T(test_conflict_message_names_the_change),
		T(test_new_database_needs_migrate),
		T(test_refuses_database_from_newer_release),
		T(test_refuses_changed_migration),
		T(test_failing_migration_applies_nothing),
		T(test_second_open_is_refused_while_the_first_holds_it),
		T(test_ping_is_not_blocked_by_a_writer),
		T(test_ping_from_other_threads_while_writing),
		T(test_ping_notices_a_removed_file),
	};

	return cmocka_run_group_tests_name("storage: sqlite", tests, NULL, NULL);
}

/*
 * src/storage/storage.c: URL dispatch, the batch checks and the migration
 * driver shared by every backend (driven here through the fake backend,
 * which takes a migration lock as a PostgreSQL backend will).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"
#include "storage/test_backend_helpers.c"

static void test_bad_urls_are_invalid(void **state)
{
	static const struct {
		const char *url;
		const char *says;
	} cases[] = {
		{ "", "empty storage URL" },
		{ "registry.db", "has no scheme" },
		{ "mysql://u:p@h/db", "unknown storage URL scheme 'mysql'" },
		{ "SQLITE:x.db", "unknown storage URL scheme 'SQLITE'" },
		{ "sqlite:", "needs a file path" },
		{ "sqlite://", "needs a file path" },
		{ "sqlite::memory:", "use mem:" },
		{ "mem:somewhere", "takes no location" },
	};
	sr_err err = SR_ERR_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sr_storage *s = (sr_storage *)&err; /* must be reset to NULL */

		assert_int_equal(sr_storage_open(&s, cases[i].url, &err), SR_EINVALID);
		assert_null(s);
		if (!strstr(sr_err_message(&err), cases[i].says))
			fail_msg("%s: '%s' does not say '%s'", cases[i].url, sr_err_message(&err),
				 cases[i].says);
	}
	assert_int_equal(sr_storage_open(&(sr_storage *){ NULL }, NULL, &err), SR_EINVALID);
	sr_err_dispose(&err);
}

static void test_postgres_urls_reach_the_postgres_backend(void **state)
{
	sr_err err = SR_ERR_INIT;
	sr_storage *s = NULL;
	/* Nothing listens on port 1: refused at once, without a server. */
	const char *urls[] = { "postgres://registry:s3cret@127.0.0.1:1/registry",
			       "postgresql://registry:s3cret@127.0.0.1:1/registry?sslmode=disable" };
	size_t i;

	for (i = 0; i < 2; i++) {
		assert_int_equal(sr_storage_open(&s, urls[i], &err), SR_EUNAVAILABLE);
		assert_null(s);
		assert_non_null(strstr(sr_err_message(&err), "postgres: cannot connect"));
		/* Never echo credentials. */
		assert_null(strstr(sr_err_message(&err), "s3cret"));
	}
	sr_err_dispose(&err);
}

static void test_unknown_scheme_does_not_echo_the_rest(void **state)
{
	sr_err err = SR_ERR_INIT;
	sr_storage *s = NULL;

	assert_int_equal(sr_storage_open(&s, "mongodb://admin:hunter2@h", &err), SR_EINVALID);
	assert_null(strstr(sr_err_message(&err), "hunter2"));
	sr_err_dispose(&err);
}

static void check_sqlite_url(const char *url, const char *file)
{
	sr_err err = SR_ERR_INIT;
	sr_storage *s = NULL;
	struct stat sb;

	if (sr_storage_open(&s, url, &err) != 0)
		fail_msg("%s: %s", url, sr_err_message(&err));
	assert_string_equal(sr_storage_backend_name(s), "sqlite");
	assert_int_equal(sr_storage_ping(s, &err), 0);
	sr_storage_close(s);
	assert_int_equal(stat(file, &sb), 0);
	sr_err_dispose(&err);
}

static void test_sqlite_url_forms(void **state)
{
	char *dir = sr_test_tmpdir();
	char cwd[PATH_MAX], url[PATH_MAX + 64], file[PATH_MAX + 64];

	/* sqlite:PATH and sqlite://PATH (so sqlite:///abs is absolute). */
	snprintf(url, sizeof(url), "sqlite:%s/one.db", dir);
	snprintf(file, sizeof(file), "%s/one.db", dir);
	check_sqlite_url(url, file);
	snprintf(url, sizeof(url), "sqlite://%s/two/two.db", dir);
	snprintf(file, sizeof(file), "%s/two/two.db", dir);
	check_sqlite_url(url, file);
	/* Relative paths are relative to the working directory. */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	check_sqlite_url("sqlite:./data/registry.db", "data/registry.db");
	check_sqlite_url("sqlite://rel/x.db", "rel/x.db");
	assert_int_equal(chdir(cwd), 0);
	sr_test_rmdir(dir);
}

static void test_mem_url(void **state)
{
	sr_err err = SR_ERR_INIT;
	sr_storage *s = NULL;
	sr_migration_status st = { -1, -1 };
	int applied = -1;

	assert_int_equal(sr_storage_open(&s, "mem:", &err), 0);
	assert_string_equal(sr_storage_backend_name(s), "mem");
	/* Always migrated. */
	assert_int_equal(sr_storage_migration_status(s, &st, &err), 0);
	assert_int_equal(st.applied, 0);
	assert_int_equal(st.known, 0);
	assert_int_equal(sr_storage_check_ready(s, &err), 0);
	assert_int_equal(sr_storage_migrate(s, &applied, &err), 0);
	assert_int_equal(applied, 0);
	sr_storage_close(s);
	sr_storage_close(NULL);
	sr_err_dispose(&err);
}

static void test_backend_of_unknown_version_is_refused(void **state)
{
	sr_fake_backend *f = sr_fake_backend_new(NULL);
	sr_err err = SR_ERR_INIT;
	sr_storage *s = NULL;

	f->parent.version = SR_STORAGE_BACKEND_VERSION + 1;
	/* Ownership passes even on failure: no leak under valgrind. */
	assert_int_equal(sr_storage_from_backend(&s, &f->parent, &err), SR_EINVALID);
	assert_null(s);
	assert_non_null(strstr(sr_err_message(&err), "unknown version"));
	f = sr_fake_backend_new("storage/migrations/sqlite/");
	f->parent.migration_apply = NULL;
	assert_int_equal(sr_storage_from_backend(&s, &f->parent, &err), SR_EINVALID);
	sr_err_dispose(&err);
}

static void test_migration_driver_locks_and_applies_in_order(void **state)
{
	sr_fake_backend *f = sr_fake_backend_new("storage/migrations/sqlite/");
	sr_err err = SR_ERR_INIT;
	sr_storage *s = NULL;
	sr_migration_status st;
	int applied = -1, i;

	assert_int_equal(sr_storage_from_backend(&s, &f->parent, &err), 0);
	assert_int_equal(sr_storage_migration_status(s, &st, &err), 0);
	assert_int_equal(st.applied, 0);
	assert_true(st.known >= 1);
	assert_int_equal(sr_storage_check_ready(s, &err), SR_ECONFLICT);
	assert_non_null(strstr(sr_err_message(&err), "run `schema-registry migrate`"));

	/* A failing migration: reported with its name, the lock released. */
	f->fail_migration = SR_EUNAVAILABLE;
	assert_int_equal(sr_storage_migrate(s, &applied, &err), SR_EUNAVAILABLE);
	assert_int_equal(applied, 0);
	assert_string_equal(sr_err_message(&err),
			    "migration 0001_init: fake backend: injected migration failure");
	assert_int_equal(f->locks, 1);
	assert_int_equal(f->unlocks, 1);

	f->fail_migration = 0;
	f->migrations = 0;
	assert_int_equal(sr_storage_migrate(s, &applied, &err), 0);
	assert_int_equal(applied, st.known);
	assert_int_equal(f->migrations, st.known);
	assert_int_equal(f->napplied, st.known);
	for (i = 0; i < f->napplied; i++) {
		assert_int_equal(f->applied[i].number, i + 1);
		assert_int_equal(strlen(f->applied[i].checksum), 64);
	}
	assert_string_equal(f->applied[0].name, "init");
	assert_int_equal(f->locks, 2);
	assert_int_equal(f->unlocks, 2);
	assert_int_equal(sr_storage_check_ready(s, &err), 0);

	/* Idempotent: nothing pending, the state is read under the lock. */
	assert_int_equal(sr_storage_migrate(s, &applied, &err), 0);
	assert_int_equal(applied, 0);
	assert_int_equal(f->locks, 3);
	assert_int_equal(f->unlocks, 3);

	/* A recorded number this release does not know. */
	f->applied[0].number = st.known + 1;
	assert_int_equal(sr_storage_check_ready(s, &err), SR_ECONFLICT);
	assert_non_null(strstr(sr_err_message(&err), "newer release"));
	sr_storage_close(s);
	sr_err_dispose(&err);
}

static void test_fake_backend_counts_and_fails_on_demand(void **state)
{
	sr_fake_backend *f = sr_fake_backend_new(NULL);
	sr_err err = SR_ERR_INIT;
	sr_storage *s = NULL;
	sr_buf dump = SR_BUF_INIT;
	sr_change c[2];

	assert_int_equal(sr_storage_from_backend(&s, &f->parent, &err), 0);
	assert_string_equal(sr_storage_backend_name(s), "fake");
	assert_ptr_equal(sr_storage_backend_of(s), &f->parent);
	c[0] = sr_test_schema_put(1, "\"int\"", "g1");
	c[1] = sr_test_version_put("s", 1, 1, false, 1);
	assert_int_equal(sr_storage_apply(s, c, 2, &err), 0);
	assert_int_equal(f->applies, 1);
	assert_int_equal(f->changes, 2);
	/* Checked batches never reach the backend. */
	c[1].u.version.subject = NULL;
	assert_int_equal(sr_storage_apply(s, c, 2, &err), SR_EINVALID);
	assert_int_equal(f->applies, 1);
	assert_int_equal(sr_storage_apply(s, c, 0, &err), 0);
	assert_int_equal(f->applies, 1);

	f->fail_apply = SR_EUNAVAILABLE;
	assert_int_equal(sr_storage_apply(s, c, 1, &err), SR_EUNAVAILABLE);
	assert_int_equal(err.code, SR_ERR_STORE);
	f->fail_ping = SR_EUNAVAILABLE;
	assert_int_equal(sr_storage_ping(s, &err), SR_EUNAVAILABLE);
	f->fail_ping = 0;
	assert_int_equal(sr_storage_ping(s, &err), 0);
	assert_int_equal(f->pings, 2);
	f->fail_load = SR_EUNAVAILABLE;
	assert_int_equal(sr_test_dump(s, &dump), SR_EUNAVAILABLE);
	f->fail_load = 0;
	assert_int_equal(sr_test_dump(s, &dump), 0);
	assert_string_equal(dump.ptr, "schema 1 AVRO len=5 \"int\" refs=NULL meta=NULL rules=NULL "
				      "guid=g1\nversion s 1 -> 1 deleted=0 created=1\n");
	assert_int_equal(f->loads, 2);
	sr_buf_dispose(&dump);
	sr_storage_close(s);
	sr_err_dispose(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_urls_are_invalid),
		cmocka_unit_test(test_postgres_urls_reach_the_postgres_backend),
		cmocka_unit_test(test_unknown_scheme_does_not_echo_the_rest),
		cmocka_unit_test(test_sqlite_url_forms),
		cmocka_unit_test(test_mem_url),
		cmocka_unit_test(test_backend_of_unknown_version_is_refused),
		cmocka_unit_test(test_migration_driver_locks_and_applies_in_order),
		cmocka_unit_test(test_fake_backend_counts_and_fails_on_demand),
	};

	return cmocka_run_group_tests_name("storage", tests, NULL, NULL);
}

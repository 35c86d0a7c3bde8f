/*
 * The storage contract (src/storage/storage.h), run unchanged against every
 * backend built in: each case opens a fresh, migrated store.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/mem.h"
#include "storage/test_backend_helpers.c"

/* The backend the current group runs against: "mem", "sqlite" or
 * "postgres" (when SR_TEST_POSTGRES_URL names a server to use). */
static const char *backend;

/* An empty database for the next case: drop everything ours. */
static int postgres_reset(const char *url)
{
	PGconn *c = PQconnectdb(url);
	PGresult *r = NULL;
	int rc = -1;

	if (PQstatus(c) == CONNECTION_OK) {
		r = PQexec(c, "SET client_min_messages = warning; "
			      "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
		rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
	}
	if (rc < 0)
		fprintf(stderr, "postgres reset: %s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return rc;
}

typedef struct fixture {
	char *dir;
	char url[512];
	sr_storage *s;
	sr_buf dump;
	sr_err err;
} fixture;

static int setup(void **state)
{
	fixture *f = sr_calloc(1, sizeof(*f));
	int applied = -1;

	sr_buf_init(&f->dump, SIZE_MAX);
	f->err = (sr_err)SR_ERR_INIT;
	if (strcmp(backend, "sqlite") == 0) {
		f->dir = sr_test_tmpdir();
		snprintf(f->url, sizeof(f->url), "sqlite:%s/data/registry.db", f->dir);
	} else if (strcmp(backend, "postgres") == 0) {
		snprintf(f->url, sizeof(f->url), "%s", getenv("SR_TEST_POSTGRES_URL"));
		if (postgres_reset(f->url) < 0)
			return -1;
	} else {
		snprintf(f->url, sizeof(f->url), "mem:");
	}
	if (sr_storage_open(&f->s, f->url, &f->err) != 0 ||
	    sr_storage_migrate(f->s, &applied, &f->err) != 0) {
		fprintf(stderr, "setup %s: %s\n", f->url, sr_err_message(&f->err));
		return -1;
	}
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

static int apply(fixture *f, const sr_change *c, size_t n)
{
	sr_err_clear(&f->err);
	return sr_storage_apply(f->s, c, n, &f->err);
}

static const char *dump(fixture *f)
{
	assert_int_equal(sr_test_dump(f->s, &f->dump), 0);
	return f->dump.ptr;
}

/* ---- rows ---------------------------------------------------------------- */

static void test_empty_store_loads_nothing(void **state)
{
	fixture *f = *state;

	assert_string_equal(dump(f), "");
	assert_string_equal(sr_storage_backend_name(f->s), backend);
}

static void test_schema_round_trip(void **state)
{
	fixture *f = *state;
	sr_change c[3];

	/* Out of id order, one with every optional field, two with none. */
	c[0] = sr_test_schema_put(9, "{\"type\":\"string\"}", "g9");
	c[1] = sr_test_schema_put(2, "\"int\"", "g2");
	c[1].u.schema.schema_type = "JSON";
	c[1].u.schema.references = "[{\"name\":\"r\",\"subject\":\"s\",\"version\":1}]";
	c[1].u.schema.metadata = "{\"properties\":{\"owner\":\"x\"}}";
	c[1].u.schema.rule_set = "{\"domainRules\":[]}";
	c[2] = sr_test_schema_put(5, "syntax = \"proto3\";\nmessage M {}\n", "g5");
	c[2].u.schema.schema_type = "PROTOBUF";
	assert_int_equal(apply(f, c, 3), 0);
	assert_string_equal(dump(f),
			    "schema 2 JSON len=5 \"int\" "
			    "refs=[{\"name\":\"r\",\"subject\":\"s\",\"version\":1}] "
			    "meta={\"properties\":{\"owner\":\"x\"}} rules={\"domainRules\":[]} "
			    "guid=g2\n"
			    "schema 5 PROTOBUF len=32 syntax = \"proto3\";\nmessage M {}\n "
			    "refs=NULL meta=NULL rules=NULL guid=g5\n"
			    "schema 9 AVRO len=17 {\"type\":\"string\"} refs=NULL meta=NULL "
			    "rules=NULL guid=g9\n");
}

static void test_schema_len_is_honoured(void **state)
{
	fixture *f = *state;
	/* The text is taken by length, not up to a NUL. */
	sr_change c = sr_test_schema_put(1, "\"string\"trailing", "g1");

	c.u.schema.schema_len = 8;
	assert_int_equal(apply(f, &c, 1), 0);
	assert_string_equal(dump(f), "schema 1 AVRO len=8 \"string\" refs=NULL meta=NULL "
				     "rules=NULL guid=g1\n");
}

static void test_large_schema_round_trip(void **state)
{
	fixture *f = *state;
	size_t n = 4 * 1024 * 1024;
	char *big = sr_malloc(n + 1);
	sr_change c;

	memset(big, 'x', n);
	big[0] = '"';
	big[n - 1] = '"';
	big[n] = '\0';
	c = sr_test_schema_put(1, big, "gbig");
	assert_int_equal(apply(f, &c, 1), 0);
	dump(f);
	assert_true(f->dump.len > n);
	assert_non_null(strstr(f->dump.ptr, "len=4194304 \"xxx"));
	assert_memory_equal(strstr(f->dump.ptr, "\"xxx"), big, n);
	free(big);
}

static void test_version_round_trip_and_order(void **state)
{
	fixture *f = *state;
	sr_change c[7];

	c[0] = sr_test_schema_put(1, "\"int\"", "g1");
	c[1] = sr_test_schema_put(2, "\"long\"", "g2");
	/* Subjects order bytewise ("Z" < "a" < "a-b" < "é"); versions
	 * numerically (2 before 10). */
	c[2] = sr_test_version_put("a", 10, 2, false, 1764316800123LL);
	c[3] = sr_test_version_put("\xc3\xa9", 1, 1, false, 1);
	c[4] = sr_test_version_put("a", 2, 1, true, 0);
	c[5] = sr_test_version_put("Z", 2147483647, 1, false, 5);
	c[6] = sr_test_version_put("a-b", 1, 2, false, 6);
	assert_int_equal(apply(f, c, 7), 0);
	dump(f);
	assert_non_null(strstr(f->dump.ptr, "version Z 2147483647 -> 1 deleted=0 created=5\n"
					    "version a 2 -> 1 deleted=1 created=0\n"
					    "version a 10 -> 2 deleted=0 created=1764316800123\n"
					    "version a-b 1 -> 2 deleted=0 created=6\n"
					    "version \xc3\xa9 1 -> 1 deleted=0 created=1\n"));
	/* Schemas come first. */
	assert_int_equal(strncmp(f->dump.ptr, "schema 1 ", 9), 0);
}

static void test_version_put_replaces(void **state)
{
	fixture *f = *state;
	sr_change c[4];

	c[0] = sr_test_schema_put(1, "\"int\"", "g1");
	c[1] = sr_test_schema_put(2, "\"long\"", "g2");
	c[2] = sr_test_version_put("s", 1, 1, false, 100);
	assert_int_equal(apply(f, c, 3), 0);
	c[3] = sr_test_version_put("s", 1, 2, true, 200);
	assert_int_equal(apply(f, &c[3], 1), 0);
	dump(f);
	assert_non_null(strstr(f->dump.ptr, "version s 1 -> 2 deleted=1 created=200\n"));
	assert_null(strstr(f->dump.ptr, "version s 1 -> 1"));
}

static void test_version_delete(void **state)
{
	fixture *f = *state;
	sr_change c[4];

	c[0] = sr_test_schema_put(1, "\"int\"", "g1");
	c[1] = sr_test_version_put("s", 1, 1, false, 1);
	c[2] = sr_test_version_put("s", 2, 1, false, 2);
	assert_int_equal(apply(f, c, 3), 0);
	c[0] = sr_test_version_delete("s", 1);
	assert_int_equal(apply(f, c, 1), 0);
	/* Deleting what is not there is a no-op, not an error. */
	c[0] = sr_test_version_delete("s", 1);
	c[1] = sr_test_version_delete("nope", 7);
	assert_int_equal(apply(f, c, 2), 0);
	dump(f);
	assert_null(strstr(f->dump.ptr, "version s 1 "));
	assert_non_null(strstr(f->dump.ptr, "version s 2 -> 1 deleted=0 created=2\n"));
}

static void test_version_may_use_schema_from_same_batch(void **state)
{
	fixture *f = *state;
	sr_change c[2];

	c[0] = sr_test_schema_put(7, "\"int\"", "g7");
	c[1] = sr_test_version_put("s", 1, 7, false, 1);
	assert_int_equal(apply(f, c, 2), 0);
	assert_non_null(strstr(dump(f), "version s 1 -> 7 "));
}

static void test_version_of_unknown_schema_conflicts(void **state)
{
	fixture *f = *state;
	sr_change c = sr_test_version_put("s", 1, 42, false, 1);

	assert_int_equal(apply(f, &c, 1), SR_ECONFLICT);
	assert_int_equal(f->err.code, SR_ERR_STORE);
	assert_string_equal(dump(f), "");
}

static void test_config_put_replace_delete(void **state)
{
	fixture *f = *state;
	sr_change c[3];

	c[0] = sr_test_config_put("s", "{\"compatibilityLevel\":\"FULL\"}");
	c[1] = sr_test_config_put(NULL, "{\"compatibilityLevel\":\"BACKWARD\"}");
	c[2] = sr_test_config_put("b", "{\"compatibilityLevel\":\"NONE\"}");
	assert_int_equal(apply(f, c, 3), 0);
	/* Global first, then by subject. */
	assert_string_equal(dump(f), "config <global> {\"compatibilityLevel\":\"BACKWARD\"}\n"
				     "config b {\"compatibilityLevel\":\"NONE\"}\n"
				     "config s {\"compatibilityLevel\":\"FULL\"}\n");
	c[0] = sr_test_config_put(NULL, "{\"compatibilityLevel\":\"FORWARD\"}");
	c[1] = sr_test_config_delete("b");
	c[2] = sr_test_config_delete("absent");
	assert_int_equal(apply(f, c, 3), 0);
	assert_string_equal(dump(f), "config <global> {\"compatibilityLevel\":\"FORWARD\"}\n"
				     "config s {\"compatibilityLevel\":\"FULL\"}\n");
	c[0] = sr_test_config_delete(NULL);
	assert_int_equal(apply(f, c, 1), 0);
	assert_string_equal(dump(f), "config s {\"compatibilityLevel\":\"FULL\"}\n");
	/* Deleting the absent global scope is a no-op too. */
	assert_int_equal(apply(f, c, 1), 0);
}

static void test_mode_put_replace_delete(void **state)
{
	fixture *f = *state;
	sr_change c[3];

	c[0] = sr_test_mode_put("s", "READONLY");
	c[1] = sr_test_mode_put(NULL, "READWRITE");
	assert_int_equal(apply(f, c, 2), 0);
	assert_string_equal(dump(f), "mode <global> READWRITE\nmode s READONLY\n");
	c[0] = sr_test_mode_put(NULL, "IMPORT");
	c[1] = sr_test_mode_put("s", "READONLY_OVERRIDE");
	assert_int_equal(apply(f, c, 2), 0);
	assert_string_equal(dump(f), "mode <global> IMPORT\nmode s READONLY_OVERRIDE\n");
	c[0] = sr_test_mode_delete("s");
	c[1] = sr_test_mode_delete(NULL);
	c[2] = sr_test_mode_delete("absent");
	assert_int_equal(apply(f, c, 3), 0);
	assert_string_equal(dump(f), "");
}

static void test_configs_and_modes_are_separate(void **state)
{
	fixture *f = *state;
	sr_change c[3];

	c[0] = sr_test_config_put("s", "{}");
	c[1] = sr_test_mode_put("s", "READONLY");
	c[2] = sr_test_config_delete("s");
	assert_int_equal(apply(f, c, 3), 0);
	assert_string_equal(dump(f), "mode s READONLY\n");
}

static void test_load_order_across_kinds(void **state)
{
	fixture *f = *state;
	sr_change c[4];

	c[0] = sr_test_mode_put(NULL, "READWRITE");
	c[1] = sr_test_config_put(NULL, "{}");
	c[2] = sr_test_schema_put(1, "\"int\"", "g1");
	c[3] = sr_test_version_put("s", 1, 1, false, 1);
	assert_int_equal(apply(f, c, 4), 0);
	assert_string_equal(dump(f), "schema 1 AVRO len=5 \"int\" refs=NULL meta=NULL rules=NULL "
				     "guid=g1\n"
				     "version s 1 -> 1 deleted=0 created=1\n"
				     "config <global> {}\n"
				     "mode <global> READWRITE\n");
}

/* ---- atomicity ----------------------------------------------------------- */

static const char state_before[] =
	"schema 1 AVRO len=5 \"int\" refs=NULL meta=NULL rules=NULL guid=g1\n"
	"version s 1 -> 1 deleted=0 created=1\n"
	"config <global> {\"compatibilityLevel\":\"FULL\"}\n"
	"mode s READONLY\n";

static void seed(fixture *f)
{
	sr_change c[4];

	c[0] = sr_test_schema_put(1, "\"int\"", "g1");
	c[1] = sr_test_version_put("s", 1, 1, false, 1);
	c[2] = sr_test_config_put(NULL, "{\"compatibilityLevel\":\"FULL\"}");
	c[3] = sr_test_mode_put("s", "READONLY");
	assert_int_equal(apply(f, c, 4), 0);
	assert_string_equal(dump(f), state_before);
}

/* Every kind of change before the failing one, replacing and deleting
 * rows that exist, so rolling back has to restore each of them. */
static size_t doomed_batch(sr_change *c, sr_change last)
{
	c[0] = sr_test_schema_put(2, "\"long\"", "g2");
	c[1] = sr_test_version_put("s", 1, 2, true, 9);
	c[2] = sr_test_version_put("s", 2, 2, false, 9);
	c[3] = sr_test_version_delete("s", 2);
	c[4] = sr_test_version_put("t", 1, 1, false, 9);
	c[5] = sr_test_config_put(NULL, "{\"compatibilityLevel\":\"NONE\"}");
	c[6] = sr_test_config_put("s", "{}");
	c[7] = sr_test_mode_delete("s");
	c[8] = sr_test_mode_put(NULL, "IMPORT");
	c[9] = sr_test_config_delete(NULL);
	c[10] = last;
	return 11;
}

static void test_schemas_may_share_a_guid(void **state)
{
	fixture *f = *state;
	sr_change c = sr_test_schema_put(3, "\"int\"", "g1");

	/* IMPORT mode can bring one schema under two ids. */
	seed(f);
	assert_int_equal(apply(f, &c, 1), 0);
	assert_non_null(strstr(dump(f), "schema 3 AVRO len=5 \"int\" refs=NULL meta=NULL "
				       "rules=NULL guid=g1"));
}

static void test_batch_with_duplicate_id_applies_nothing(void **state)
{
	fixture *f = *state;
	sr_change c[11];
	size_t n;

	seed(f);
	n = doomed_batch(c, sr_test_schema_put(1, "\"float\"", "g3"));
	assert_int_equal(apply(f, c, n), SR_ECONFLICT);
	assert_string_equal(dump(f), state_before);
}

static void test_duplicate_within_one_batch_conflicts(void **state)
{
	fixture *f = *state;
	sr_change c[2];

	c[0] = sr_test_schema_put(1, "\"int\"", "g1");
	c[1] = sr_test_schema_put(1, "\"long\"", "g2");
	assert_int_equal(apply(f, c, 2), SR_ECONFLICT);
	assert_string_equal(dump(f), "");
}

static void test_invalid_changes_are_refused(void **state)
{
	fixture *f = *state;
	sr_change ok = sr_test_schema_put(1, "\"int\"", "g1");
	sr_change bad[8];
	size_t i;

	bad[0] = sr_test_schema_put(0, "\"int\"", "g2");
	bad[1] = sr_test_schema_put(2, "\"int\"", NULL);
	bad[2] = sr_test_schema_put(2, "\"int\"", "g2");
	bad[2].u.schema.schema_type = NULL;
	bad[3] = sr_test_version_put("s", 0, 1, false, 1);
	bad[4] = sr_test_version_put("", 1, 1, false, 1);
	bad[5] = sr_test_config_put("", "{}");
	bad[6] = sr_test_mode_put("s", NULL);
	bad[7] = ok;
	bad[7].kind = (sr_change_kind)99;
	for (i = 0; i < 8; i++) {
		sr_change c[2] = { ok, bad[i] };

		assert_int_equal(apply(f, c, 2), SR_EINVALID);
		assert_true(f->err.msg.len > 0);
	}
	assert_string_equal(dump(f), "");
}

static void test_empty_batch_is_a_no_op(void **state)
{
	fixture *f = *state;

	assert_int_equal(apply(f, NULL, 0), 0);
	assert_string_equal(dump(f), "");
}

/* ---- load ---------------------------------------------------------------- */

static int stop_at_second(void *ctx, const sr_st_schema *s)
{
	int *seen = ctx;

	return ++*seen == 2 ? 7 : 0;
}

static int count_version(void *ctx, const sr_st_version *v)
{
	(*(int *)ctx)++;
	return 0;
}

static void test_loader_can_abort(void **state)
{
	fixture *f = *state;
	sr_storage_loader l = { stop_at_second, count_version, NULL, NULL, NULL };
	sr_change c[4];
	int seen = 0;

	c[0] = sr_test_schema_put(1, "\"int\"", "g1");
	c[1] = sr_test_schema_put(2, "\"long\"", "g2");
	c[2] = sr_test_schema_put(3, "\"float\"", "g3");
	c[3] = sr_test_version_put("s", 1, 1, false, 1);
	assert_int_equal(apply(f, c, 4), 0);
	l.ctx = &seen;
	assert_int_equal(sr_storage_load(f->s, &l, &f->err), 7);
	assert_int_equal(seen, 2); /* nothing after the abort */
	/* The store is usable after an aborted load: writes and a full load. */
	c[0] = sr_test_schema_put(4, "\"double\"", "g4");
	assert_int_equal(apply(f, c, 1), 0);
	assert_non_null(strstr(dump(f), "schema 4 "));
}

static void test_loader_callbacks_may_be_null(void **state)
{
	fixture *f = *state;
	sr_storage_loader l = { NULL, count_version, NULL, NULL, NULL };
	sr_change c[3];
	int versions = 0;

	c[0] = sr_test_schema_put(1, "\"int\"", "g1");
	c[1] = sr_test_version_put("s", 1, 1, false, 1);
	c[2] = sr_test_config_put(NULL, "{}");
	assert_int_equal(apply(f, c, 3), 0);
	l.ctx = &versions;
	assert_int_equal(sr_storage_load(f->s, &l, &f->err), 0);
	assert_int_equal(versions, 1);
}

/* ---- migrations and health ----------------------------------------------- */

static void test_migrate_is_idempotent(void **state)
{
	fixture *f = *state;
	sr_migration_status st;
	int applied = -1;

	/* setup migrated already: nothing is pending. */
	assert_int_equal(sr_storage_migrate(f->s, &applied, &f->err), 0);
	assert_int_equal(applied, 0);
	assert_int_equal(sr_storage_migrate(f->s, NULL, &f->err), 0);
	assert_int_equal(sr_storage_migration_status(f->s, &st, &f->err), 0);
	assert_int_equal(st.applied, st.known);
	if (strcmp(backend, "mem") != 0)
		assert_true(st.known >= 1);
	else
		assert_int_equal(st.known, 0);
	assert_int_equal(sr_storage_check_ready(f->s, &f->err), 0);
}

static void test_ping(void **state)
{
	fixture *f = *state;

	assert_int_equal(sr_storage_ping(f->s, &f->err), 0);
	seed(f);
	assert_int_equal(sr_storage_ping(f->s, &f->err), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_empty_store_loads_nothing),
		T(test_schema_round_trip),
		T(test_schema_len_is_honoured),
		T(test_large_schema_round_trip),
		T(test_version_round_trip_and_order),
		T(test_version_put_replaces),
		T(test_version_delete),
		T(test_version_may_use_schema_from_same_batch),
		T(test_version_of_unknown_schema_conflicts),
		T(test_config_put_replace_delete),
		T(test_mode_put_replace_delete),
		T(test_configs_and_modes_are_separate),
		T(test_load_order_across_kinds),
		T(test_schemas_may_share_a_guid),
		T(test_batch_with_duplicate_id_applies_nothing),
		T(test_duplicate_within_one_batch_conflicts),
		T(test_invalid_changes_are_refused),
		T(test_empty_batch_is_a_no_op),
		T(test_loader_can_abort),
		T(test_loader_callbacks_may_be_null),
		T(test_migrate_is_idempotent),
		T(test_ping),
	};
	int failed = 0;

	backend = "mem";
	failed += cmocka_run_group_tests_name("storage contract: mem", tests, NULL, NULL);
	backend = "sqlite";
	failed += cmocka_run_group_tests_name("storage contract: sqlite", tests, NULL, NULL);
	if (getenv("SR_TEST_POSTGRES_URL")) {
		backend = "postgres";
		failed += cmocka_run_group_tests_name("storage contract: postgres", tests, NULL,
						      NULL);
	} else {
		printf("storage contract: postgres skipped (SR_TEST_POSTGRES_URL is not set)\n");
	}
	return failed;
}

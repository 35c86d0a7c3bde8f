/* Unit tests for src/registry/: Confluent's registration, version, delete,
 * reference, config and mode rules, on the mem store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/registry.h"

#define REC_V1 "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}"
/* v2 adds a field with a default: BACKWARD compatible. */
#define REC_V2 "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"x\"}]}"
/* v3 adds a field without default: not BACKWARD compatible. */
#define REC_BAD "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"c\",\"type\":\"long\"}]}"

typedef struct fixture {
	sr_storage *store;
	sr_registry *r;
	sr_arena *a;
	sr_buf out;
	sr_err err;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	sr_registry_opts o = { { 1000, 1 << 20, NULL }, 100, 16, false };
	sr_err err = SR_ERR_INIT;

	assert_int_equal(sr_storage_open(&f->store, "mem:", &err), 0);
	assert_int_equal(sr_storage_migrate(f->store, NULL, &err), 0);
	assert_int_equal(sr_registry_open(&f->r, f->store, &o, &err), 0);
	f->a = sr_arena_new(0);
	sr_buf_init(&f->out, SIZE_MAX);
	f->err = (sr_err)SR_ERR_INIT;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	sr_registry_free(f->r);
	sr_storage_close(f->store);
	sr_arena_free(f->a);
	sr_buf_dispose(&f->out);
	sr_err_dispose(&f->err);
	free(f);
	return 0;
}

/* Register `schema` under `subject`; returns 0 or the error code. */
static int reg(fixture *f, const char *subject, const char *schema)
{
	sr_schema_request req = { schema, strlen(schema), NULL, NULL, NULL, NULL, 0, 0 };
	sr_schema_opts o = { false, false, false };

	sr_buf_clear(&f->out);
	sr_err_clear(&f->err);
	if (sr_registry_register(f->r, f->a, subject, &req, &o, &f->out, &f->err) < 0)
		return f->err.code;
	return 0;
}

/* The integer member `key` of the JSON in f->out. */
static long long member(fixture *f, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(f->out.ptr, pat);
	assert_non_null(p);
	return strtoll(p + strlen(pat), NULL, 10);
}

static void test_register_assigns_ids_and_versions(void **state)
{
	fixture *f = *state;

	assert_int_equal(reg(f, "s", REC_V1), 0);
	assert_int_equal(member(f, "id"), 1);
	assert_int_equal(member(f, "version"), 1);
	assert_int_equal(reg(f, "s", REC_V2), 0);
	assert_int_equal(member(f, "id"), 2);
	assert_int_equal(member(f, "version"), 2);
}

static void test_register_is_idempotent_and_dedups_across_subjects(void **state)
{
	fixture *f = *state;
	sr_registry_stats st;

	assert_int_equal(reg(f, "s", REC_V1), 0);
	/* Same schema with different whitespace: same id, no new version. */
	assert_int_equal(reg(f, "s", "{ \"type\": \"record\", \"name\": \"R\", \"fields\": "
				     "[ {\"name\": \"a\", \"type\": \"int\"} ] }"), 0);
	assert_int_equal(member(f, "id"), 1);
	assert_int_equal(member(f, "version"), 1);
	assert_int_equal(reg(f, "other", REC_V1), 0);
	assert_int_equal(member(f, "id"), 1);
	sr_registry_stats_get(f->r, &st);
	assert_int_equal(st.schemas, 1);
	assert_int_equal(st.versions, 2);
}

static void test_incompatible_is_rejected_with_details(void **state)
{
	fixture *f = *state;

	assert_int_equal(reg(f, "s", REC_V1), 0);
	assert_int_equal(reg(f, "s", REC_BAD), SR_ERR_INCOMPATIBLE);
	assert_non_null(strstr(sr_err_message(&f->err), "READER_FIELD_MISSING_DEFAULT_VALUE"));
	assert_non_null(strstr(sr_err_message(&f->err), "{oldSchemaVersion: 1}"));
}

static void test_invalid_schema_and_type(void **state)
{
	fixture *f = *state;
	sr_schema_request req = { "{}", 2, "PROTOBUF", NULL, NULL, NULL, 0, 0 };
	sr_schema_opts o = { false, false, false };

	assert_int_equal(reg(f, "s", "{\"type\":\"nope\"}"), SR_ERR_INVALID_SCHEMA);
	assert_int_equal(sr_registry_register(f->r, f->a, "s", &req, &o, &f->out, &f->err),
			 SR_EINVALID);
	assert_int_equal(f->err.code, SR_ERR_INVALID_SCHEMA);
	assert_non_null(strstr(sr_err_message(&f->err), "not support"));
}

static void test_versions_continue_after_soft_delete_restart_after_hard(void **state)
{
	fixture *f = *state;

	assert_int_equal(reg(f, "s", REC_V1), 0);
	assert_int_equal(reg(f, "s", REC_V2), 0);
	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_delete_version(f->r, "s", 2, false, &f->out, &f->err), 0);
	assert_string_equal(f->out.ptr, "2");
	/* Deleting it softly again: 40406; permanently deleting v1 first: 40407. */
	assert_int_equal(sr_registry_delete_version(f->r, "s", 2, false, &f->out, &f->err),
			 SR_ENOTFOUND);
	assert_int_equal(f->err.code, SR_ERR_VERSION_SOFT_DELETED);
	assert_int_equal(sr_registry_delete_version(f->r, "s", 1, true, &f->out, &f->err),
			 SR_ECONFLICT);
	assert_int_equal(f->err.code, SR_ERR_VERSION_NOT_SOFT_DELETED);
	/* Registering the soft-deleted schema again is a new version:
	 * max(incl. deleted) + 1, with the same id. */
	assert_int_equal(reg(f, "s", REC_V2), 0);
	assert_int_equal(member(f, "version"), 3);
	assert_int_equal(member(f, "id"), 2);
	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_delete_subject(f->r, "s", false, &f->out, &f->err), 0);
	assert_string_equal(f->out.ptr, "[1,3]");
	assert_int_equal(sr_registry_delete_subject(f->r, "s", false, &f->out, &f->err),
			 SR_ENOTFOUND);
	assert_int_equal(f->err.code, SR_ERR_SUBJECT_SOFT_DELETED);
	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_delete_subject(f->r, "s", true, &f->out, &f->err), 0);
	assert_string_equal(f->out.ptr, "[1,2,3]");
	assert_int_equal(sr_registry_schema_by_id(f->r, 2, NULL, false, &f->out, &f->err),
			 SR_ENOTFOUND);
	/* After a hard delete versions restart at 1 and the id is reused. */
	assert_int_equal(reg(f, "s", REC_V2), 0);
	assert_int_equal(member(f, "version"), 1);
	assert_int_equal(member(f, "id"), 2);
}

static void test_reads_and_lists(void **state)
{
	fixture *f = *state;
	sr_list_opts all = { NULL, false, false, false, 0, 0 };
	sr_list_opts deleted = { NULL, true, false, false, 0, 0 };

	assert_int_equal(reg(f, "b", REC_V1), 0);
	assert_int_equal(reg(f, "a", REC_V1), 0);
	assert_int_equal(reg(f, "a", REC_V2), 0);
	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_list_subjects(f->r, &all, &f->out, &f->err), 0);
	assert_string_equal(f->out.ptr, "[\"a\",\"b\"]");
	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_subjects_by_id(f->r, 1, &all, &f->out, &f->err), 0);
	assert_string_equal(f->out.ptr, "[\"a\",\"b\"]");
	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_versions_by_id(f->r, 1, &all, &f->out, &f->err), 0);
	assert_string_equal(f->out.ptr,
			    "[{\"subject\":\"a\",\"version\":1},{\"subject\":\"b\",\"version\":1}]");
	assert_int_equal(sr_registry_delete_subject(f->r, "b", false, &f->out, &f->err), 0);
	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_list_subjects(f->r, &all, &f->out, &f->err), 0);
	assert_string_equal(f->out.ptr, "[\"a\"]");
	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_list_subjects(f->r, &deleted, &f->out, &f->err), 0);
	assert_string_equal(f->out.ptr, "[\"a\",\"b\"]");
	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_get_version(f->r, "a", SR_VERSION_LATEST, false, &f->out,
						 &f->err), 0);
	assert_non_null(strstr(f->out.ptr, "\"version\":2"));
	assert_int_equal(sr_registry_get_version(f->r, "b", 1, false, &f->out, &f->err),
			 SR_ENOTFOUND);
	assert_int_equal(f->err.code, SR_ERR_SUBJECT_NOT_FOUND);
	assert_int_equal(sr_registry_get_version(f->r, "a", 7, false, &f->out, &f->err),
			 SR_ENOTFOUND);
	assert_int_equal(f->err.code, SR_ERR_VERSION_NOT_FOUND);
	assert_int_equal(sr_registry_schema_by_id(f->r, 99, NULL, false, &f->out, &f->err),
			 SR_ENOTFOUND);
	assert_int_equal(f->err.code, SR_ERR_SCHEMA_NOT_FOUND);
}

static void test_references_resolve_and_block_deletes(void **state)
{
	fixture *f = *state;
	sr_arena *a = f->a;
	sr_json *refs = NULL;
	const char *refs_text = "[{\"name\":\"com.x.Inner\",\"subject\":\"inner\",\"version\":1}]";
	const char *outer = "{\"type\":\"record\",\"name\":\"Outer\",\"namespace\":\"com.x\","
			    "\"fields\":[{\"name\":\"i\",\"type\":\"com.x.Inner\"}]}";
	sr_schema_request req = { outer, strlen(outer), NULL, NULL, NULL, NULL, 0, 0 };
	sr_schema_opts o = { false, false, false };
	sr_list_opts lo = { NULL, false, false, false, 0, 0 };

	assert_int_equal(reg(f, "inner", "{\"type\":\"record\",\"name\":\"Inner\",\"namespace\":"
					 "\"com.x\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"}]}"), 0);
	/* Without the reference the type is unknown. */
	assert_int_equal(reg(f, "outer", outer), SR_ERR_INVALID_SCHEMA);
	assert_int_equal(sr_json_parse(&refs, a, refs_text, strlen(refs_text), NULL, NULL), 0);
	req.references = refs;
	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_register(f->r, a, "outer", &req, &o, &f->out, &f->err), 0);
	assert_non_null(strstr(f->out.ptr, "\"references\":[{\"name\":\"com.x.Inner\""));
	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_referenced_by(f->r, "inner", 1, &lo, &f->out, &f->err), 0);
	assert_string_equal(f->out.ptr, "[2]");
	assert_int_equal(sr_registry_delete_version(f->r, "inner", 1, false, &f->out, &f->err),
			 SR_ECONFLICT);
	assert_int_equal(f->err.code, SR_ERR_REFERENCE_EXISTS);
	/* Lookup without references but with the type written out in place
	 * finds the version (Confluent's canLookup). */
	{
		const char *inlined = "{\"type\":\"record\",\"name\":\"Outer\",\"namespace\":"
				      "\"com.x\",\"fields\":[{\"name\":\"i\",\"type\":{\"type\":"
				      "\"record\",\"name\":\"Inner\",\"fields\":[{\"name\":\"v\","
				      "\"type\":\"int\"}]}}]}";
		sr_schema_request look = { inlined, strlen(inlined), NULL, NULL, NULL, NULL, 0, 0 };

		sr_buf_clear(&f->out);
		assert_int_equal(sr_registry_lookup(f->r, a, "outer", &look, &o, &f->out, &f->err), 0);
		assert_int_equal(member(f, "id"), 2);
		look.schema = "{\"type\":\"record\",\"name\":\"Outer\",\"namespace\":\"com.x\","
			      "\"fields\":[{\"name\":\"i\",\"type\":{\"type\":\"record\",\"name\":"
			      "\"Inner\",\"fields\":[{\"name\":\"v\",\"type\":\"long\"}]}}]}";
		look.schema_len = strlen(look.schema);
		assert_int_equal(sr_registry_lookup(f->r, a, "outer", &look, &o, &f->out, &f->err),
				 SR_ENOTFOUND);
		assert_int_equal(f->err.code, SR_ERR_SCHEMA_NOT_FOUND);
	}
	/* Once the referrer is soft-deleted a soft delete is allowed... */
	assert_int_equal(sr_registry_delete_subject(f->r, "outer", false, &f->out, &f->err), 0);
	assert_int_equal(sr_registry_delete_version(f->r, "inner", 1, false, &f->out, &f->err), 0);
	/* ...but a permanent one still counts the soft-deleted referrer. */
	assert_int_equal(sr_registry_delete_version(f->r, "inner", 1, true, &f->out, &f->err),
			 SR_ECONFLICT);
	assert_int_equal(f->err.code, SR_ERR_REFERENCE_EXISTS);
}

static void test_config_hierarchy_and_modes(void **state)
{
	fixture *f = *state;
	sr_arena *a = f->a;
	sr_json *none = NULL, *ro = NULL, *imp = NULL;

	sr_json_parse(&none, a, "{\"compatibility\":\"none\"}", 24, NULL, NULL);
	sr_json_parse(&ro, a, "{\"mode\":\"READONLY\"}", 19, NULL, NULL);
	sr_json_parse(&imp, a, "{\"mode\":\"IMPORT\"}", 17, NULL, NULL);

	assert_int_equal(reg(f, "s", REC_V1), 0);
	assert_int_equal(sr_registry_get_config(f->r, "s", false, &f->out, &f->err), SR_ENOTFOUND);
	assert_int_equal(f->err.code, SR_ERR_SUBJECT_CONFIG_NOT_FOUND);
	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_put_config(f->r, "s", none, &f->out, &f->err), 0);
	assert_string_equal(f->out.ptr, "{\"compatibility\":\"NONE\"}");
	assert_int_equal(reg(f, "s", REC_BAD), 0);
	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_get_config(f->r, NULL, false, &f->out, &f->err), 0);
	assert_string_equal(f->out.ptr, "{\"compatibilityLevel\":\"BACKWARD\"}");

	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_put_mode(f->r, "s", ro, false, &f->out, &f->err), 0);
	assert_int_equal(reg(f, "s", "\"int\""), SR_ERR_OPERATION_NOT_PERMITTED);
	/* The fast path still answers an already registered schema. */
	assert_int_equal(reg(f, "s", REC_V1), 0);
	assert_int_equal(sr_registry_put_mode(f->r, NULL, imp, false, &f->out, &f->err),
			 SR_ECONFLICT);
	assert_int_equal(f->err.code, SR_ERR_OPERATION_NOT_PERMITTED);
	assert_int_equal(sr_registry_put_mode(f->r, NULL, imp, true, &f->out, &f->err), 0);
}

static void test_import_mode_keeps_ids(void **state)
{
	fixture *f = *state;
	sr_json *imp = NULL;
	sr_schema_request req = { REC_V1, strlen(REC_V1), NULL, NULL, NULL, NULL, 42, 7 };
	sr_schema_request other = { "\"int\"", 5, NULL, NULL, NULL, NULL, 42, 1 };
	sr_schema_opts o = { false, false, false };

	sr_json_parse(&imp, f->a, "{\"mode\":\"IMPORT\"}", 17, NULL, NULL);
	assert_int_equal(sr_registry_register(f->r, f->a, "s", &req, &o, &f->out, &f->err),
			 SR_ECONFLICT);
	assert_int_equal(f->err.code, SR_ERR_OPERATION_NOT_PERMITTED);
	assert_int_equal(sr_registry_put_mode(f->r, NULL, imp, false, &f->out, &f->err), 0);
	sr_buf_clear(&f->out);
	assert_int_equal(sr_registry_register(f->r, f->a, "s", &req, &o, &f->out, &f->err), 0);
	assert_int_equal(member(f, "id"), 42);
	assert_int_equal(member(f, "version"), 7);
	assert_int_equal(sr_registry_register(f->r, f->a, "t", &other, &o, &f->out, &f->err),
			 SR_ECONFLICT);
	assert_int_equal(f->err.code, SR_ERR_ID_IN_USE);
}

static void test_subject_names(void **state)
{
	assert_true(sr_registry_subject_valid("orders-value", 12));
	assert_true(sr_registry_subject_valid("\xc3\xbcnic/ode", 9));
	assert_false(sr_registry_subject_valid("", 0));
	assert_false(sr_registry_subject_valid("a\x01", 2));
	assert_false(sr_registry_subject_valid("a\x7f", 2));
	assert_false(sr_registry_subject_valid("\xc2\x85", 2)); /* U+0085 */
	assert_false(sr_registry_subject_valid("\xff", 1));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_register_assigns_ids_and_versions),
		T(test_register_is_idempotent_and_dedups_across_subjects),
		T(test_incompatible_is_rejected_with_details),
		T(test_invalid_schema_and_type),
		T(test_versions_continue_after_soft_delete_restart_after_hard),
		T(test_reads_and_lists),
		T(test_references_resolve_and_block_deletes),
		T(test_config_hierarchy_and_modes),
		T(test_import_mode_keeps_ids),
		cmocka_unit_test(test_subject_names),
	};
	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}

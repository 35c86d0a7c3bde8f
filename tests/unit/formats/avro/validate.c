/* Unit tests for src/formats/avro/validate.c: datums in Avro's JSON encoding. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_avro_helpers.c"

#define SCHEMA                                                                          \
	"{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["          \
	"{\"name\":\"id\",\"type\":\"long\"},"                                              \
	"{\"name\":\"size\",\"type\":{\"type\":\"enum\",\"name\":\"Size\",\"symbols\":[\"S\",\"M\",\"L\"]}}," \
	"{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null},"            \
	"{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"},\"default\":[]}," \
	"{\"name\":\"hash\",\"type\":{\"type\":\"fixed\",\"name\":\"H\",\"size\":2}},"      \
	"{\"name\":\"qty\",\"type\":\"int\"}]}"

/* Validate `doc` against SCHEMA; returns the verdict, errors in *v. */
static bool run(sr_arena *a, const char *doc, sr_validation *v, bool flag_only)
{
	sr_parsed p;
	sr_err err = SR_ERR_INIT;
	sr_json *x = NULL;

	assert_int_equal(sr_format_avro.ops->parse(&p, a, SCHEMA, strlen(SCHEMA), NULL, 0,
						   &test_limits, &err), 0);
	assert_int_equal(sr_json_parse(&x, a, doc, strlen(doc), NULL, NULL), 0);
	memset(v, 0, sizeof(*v));
	v->arena = a;
	v->flag_only = flag_only;
	sr_err_dispose(&err);
	return sr_format_avro.ops->validate(&p, x, v);
}

static void test_valid_datums(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_validation v;

	assert_true(run(a, "{\"id\":1,\"size\":\"M\",\"hash\":\"ab\",\"qty\":3}", &v, false));
	assert_true(run(a, "{\"id\":1,\"size\":\"M\",\"hash\":\"\\u00ff\\u0000\",\"qty\":3,"
			   "\"note\":{\"string\":\"gift\"},\"tags\":[\"a\"]}", &v, false));
	/* A bare union value is accepted when it matches a branch. */
	assert_true(run(a, "{\"id\":1,\"size\":\"S\",\"hash\":\"ab\",\"qty\":3,\"note\":\"x\"}",
			&v, false));
	assert_int_equal(v.count, 0);
	sr_arena_free(a);
}

static void test_errors_name_locations(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_validation v;

	assert_false(run(a, "{\"id\":\"1\",\"size\":\"XL\",\"hash\":\"abc\",\"colour\":1,"
			    "\"note\":{\"int\":1}}", &v, false));
	assert_int_equal(v.count, 6);
	assert_string_equal(v.errors[0].instance_location, "/id");
	assert_string_equal(v.errors[0].keyword_location, "/fields/0/type");
	assert_string_equal(v.errors[0].message, "expected long, got string \"1\"");
	assert_string_equal(v.errors[1].instance_location, "/size");
	assert_non_null(strstr(v.errors[1].message, "\"XL\" is not a symbol of enum shop.Size"));
	assert_string_equal(v.errors[2].instance_location, "/note");
	assert_non_null(strstr(v.errors[2].message, "matches no branch"));
	assert_string_equal(v.errors[3].instance_location, "/hash");
	assert_string_equal(v.errors[3].message, "fixed shop.H needs exactly 2 bytes, got 3");
	assert_string_equal(v.errors[4].instance_location, "");
	assert_non_null(strstr(v.errors[4].message, "missing required field \"qty\""));
	assert_string_equal(v.errors[5].instance_location, "/colour");
	assert_non_null(strstr(v.errors[5].message, "unexpected field \"colour\""));
	sr_arena_free(a);
}

static void test_flag_only_stops_early(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_validation v;

	assert_false(run(a, "{\"id\":\"1\",\"size\":\"XL\"}", &v, true));
	assert_int_equal(v.count, 1);
	assert_false(run(a, "[]", &v, true));
	assert_non_null(strstr(v.errors[0].message, "expected record shop.Order (an object)"));
	sr_arena_free(a);
}

static void test_unexpected_field_and_int_range(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_validation v;

	assert_false(run(a, "{\"id\":1,\"size\":\"M\",\"hash\":\"ab\",\"qty\":2147483648,\"x/y\":0}",
			 &v, false));
	assert_int_equal(v.count, 2);
	assert_string_equal(v.errors[0].instance_location, "/qty");
	assert_non_null(strstr(v.errors[0].message, "not an integer in the int range"));
	assert_string_equal(v.errors[1].instance_location, "/x~1y");
	assert_non_null(strstr(v.errors[1].message, "unexpected field \"x/y\""));
	sr_arena_free(a);
}

static void test_nested_unions_are_bounded(void **state)
{
	/* A recursive record with a two-branch union at every level: a datum
	 * that almost matches at depth 40 must not cost 2^40 attempts. */
	const char *schema = "{\"type\":\"record\",\"name\":\"N\",\"fields\":[{\"name\":\"n\","
			     "\"type\":[\"null\",\"N\",{\"type\":\"map\",\"values\":\"N\"}]}]}";
	sr_arena *a = sr_arena_new(0);
	sr_buf doc = SR_BUF_INIT;
	sr_validation v;
	sr_parsed p;
	sr_err err = SR_ERR_INIT;
	sr_json *x = NULL;
	int i;

	for (i = 0; i < 40; i++)
		sr_buf_puts(&doc, "{\"n\":");
	sr_buf_puts(&doc, "7");
	for (i = 0; i < 40; i++)
		sr_buf_putc(&doc, '}');
	assert_int_equal(sr_format_avro.ops->parse(&p, a, schema, strlen(schema), NULL, 0,
						   &test_limits, &err), 0);
	assert_int_equal(sr_json_parse(&x, a, doc.ptr, doc.len, NULL, NULL), 0);
	memset(&v, 0, sizeof(v));
	v.arena = a;
	assert_false(sr_format_avro.ops->validate(&p, x, &v));
	assert_true(v.count >= 1);
	sr_buf_dispose(&doc);
	sr_err_dispose(&err);
	sr_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_datums),
		cmocka_unit_test(test_errors_name_locations),
		cmocka_unit_test(test_flag_only_stops_early),
		cmocka_unit_test(test_unexpected_field_and_int_range),
		cmocka_unit_test(test_nested_unions_are_bounded),
	};
	return cmocka_run_group_tests_name("formats/avro/validate", tests, NULL, NULL);
}

/*
 * Unit tests for src/formats/avro/canonical.c and value.c: the canonical
 * string against Apache Avro Java's Schema.toString() output recorded in
 * tests/cases/avro/canonical.json (see tests/cases/avro/oracle/), its
 * stability under re-parsing, and Jackson's number spelling.
 */
#include "test_avro_helpers.c"

#include <math.h>

#include "formats/avro/avro_internal.h"

static void test_oracle_cases(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const sr_json *doc = load_json(a, "tests/cases/avro/canonical.json");
	const sr_json *cases = sr_json_get(doc, "cases");
	size_t i, passed = 0, corrected = 0;

	for (i = 0; i < cases->len; i++) {
		const sr_json *c = cases->u.items[i];
		sr_parsed p = must_parse(a, jstr(c, "input")), q;
		const char *got = canonical_of(a, &p), *want = jstr(c, "canonical");

		if (strcmp(got, want) != 0)
			fail_msg("case %zu\n  input %s\n  got   %s\n  want  %s", i, jstr(c, "input"), got,
				 want);
		/* The canonical string parses to the same canonical string and PCF. */
		q = must_parse(a, got);
		assert_string_equal(canonical_of(a, &q), got);
		assert_string_equal(pcf_of(a, &q), pcf_of(a, &p));
		corrected += sr_json_get(c, "note") != NULL;
		passed++;
	}
	printf("tests/cases/avro/canonical.json: %zu/%zu passed (%zu with a documented correction)\n",
	       passed, cases->len, corrected);
	assert_true(cases->len >= 250);
	sr_arena_free(a);
}

static void expect_canonical(const char *in, const char *want)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p = must_parse(a, in);

	assert_string_equal(canonical_of(a, &p), want);
	sr_arena_free(a);
}

static void test_primitives_and_props(void **state)
{
	expect_canonical("{\"type\":\"int\"}", "\"int\"");
	expect_canonical("{\"type\":\"int\",\"logicalType\":\"date\"}",
			 "{\"type\":\"int\",\"logicalType\":\"date\"}");
	/* Reserved attributes of a primitive are dropped, others kept in order. */
	expect_canonical("{\"type\":\"long\",\"doc\":\"d\",\"z\":1,\"name\":\"n\",\"a\":\"x\"}",
			 "{\"type\":\"long\",\"z\":1,\"a\":\"x\"}");
	/* An invalid logical type stays as written. */
	expect_canonical("{\"type\":\"string\",\"logicalType\":\"date\"}",
			 "{\"type\":\"string\",\"logicalType\":\"date\"}");
}

static void test_numbers_as_jackson(void **state)
{
	expect_canonical("{\"type\":\"int\",\"a\":1e3,\"b\":-0,\"c\":-0.0,\"d\":0.00012,\"e\":1e7,\"f\":1e400,"
			 "\"g\":123456789012345678901234567890,\"h\":2.50}",
			 "{\"type\":\"int\",\"a\":1000.0,\"b\":0,\"c\":-0.0,\"d\":1.2E-4,\"e\":1.0E7,"
			 "\"f\":\"Infinity\",\"g\":123456789012345678901234567890,\"h\":2.5}");
	/* String defaults of float/double fields become doubles (Avro Java). */
	expect_canonical("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"double\","
			 "\"default\":\"NaN\"},{\"name\":\"b\",\"type\":\"float\",\"default\":\" 1.50 \"},"
			 "{\"name\":\"c\",\"type\":\"double\",\"default\":\"-Infinity\"}]}",
			 "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"double\","
			 "\"default\":\"NaN\"},{\"name\":\"b\",\"type\":\"float\",\"default\":1.5},"
			 "{\"name\":\"c\",\"type\":\"double\",\"default\":\"-Infinity\"}]}");
}

static void test_java_double(void **state)
{
	static const struct {
		double d;
		const char *s;
	} cases[] = {
		{ 1.0, "1.0" }, { 0.1, "0.1" }, { 100.0, "100.0" }, { 1e-3, "0.001" },
		{ 9.999e-4, "9.999E-4" }, { 1e7, "1.0E7" }, { 9999999.0, "9999999.0" },
		{ 1.5e300, "1.5E300" }, { -2.25, "-2.25" }, { 4.9e-324, "4.9E-324" },
		{ 1.7976931348623157e308, "1.7976931348623157E308" }, { 0.3, "0.3" },
		{ 123456.789, "123456.789" }, { -0.0, "-0.0" }, { 2e-3, "0.002" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sr_buf b = SR_BUF_INIT;
		assert_int_equal(sr_avro__put_java_double(&b, cases[i].d), 0);
		assert_string_equal(b.ptr, cases[i].s);
		sr_buf_dispose(&b);
	}
}

static void test_namespace_writing(void **state)
{
	/* namespace only when it differs; "" for null inside non-null. */
	expect_canonical("{\"type\":\"record\",\"name\":\"a.R\",\"fields\":[{\"name\":\"x\",\"type\":"
			 "{\"type\":\"fixed\",\"name\":\"F\",\"namespace\":\"a\",\"size\":1}},{\"name\":\"y\","
			 "\"type\":{\"type\":\"fixed\",\"name\":\"G\",\"namespace\":\"\",\"size\":1}},"
			 "{\"name\":\"z\",\"type\":{\"type\":\"fixed\",\"name\":\"b.H\",\"size\":1}},"
			 "{\"name\":\"w\",\"type\":[\"a.F\",\"G\",\"b.H\"]}]}",
			 "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"a\",\"fields\":[{\"name\":\"x\","
			 "\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":1}},{\"name\":\"y\",\"type\":"
			 "{\"type\":\"fixed\",\"name\":\"G\",\"namespace\":\"\",\"size\":1}},{\"name\":\"z\","
			 "\"type\":{\"type\":\"fixed\",\"name\":\"H\",\"namespace\":\"b\",\"size\":1}},"
			 "{\"name\":\"w\",\"type\":[\"F\",\"G\",\"b.H\"]}]}");
	/* Aliases relative to the type's own namespace. */
	expect_canonical("{\"type\":\"fixed\",\"name\":\"a.F\",\"size\":1,\"aliases\":[\"G\",\"a.H\",\"b.I\",\"G\"]}",
			 "{\"type\":\"fixed\",\"name\":\"F\",\"namespace\":\"a\",\"size\":1,"
			 "\"aliases\":[\"G\",\"H\",\"b.I\"]}");
}

static void test_error_and_enum_default(void **state)
{
	expect_canonical("{\"type\":\"error\",\"name\":\"E\",\"fields\":[]}",
			 "{\"type\":\"error\",\"name\":\"E\",\"fields\":[]}");
	expect_canonical("{\"p\":1,\"default\":\"A\",\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}",
			 "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"],\"default\":\"A\",\"p\":1}");
}

static void test_output_ceiling(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p = must_parse(a, "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\","
				    "\"type\":\"int\"}]}");
	sr_buf b;

	sr_buf_init(&b, 10);
	assert_int_equal(sr_format_avro.ops->canonical(&p, &b), SR_ETOOBIG);
	sr_buf_dispose(&b);
	sr_buf_init(&b, 10);
	assert_int_equal(sr_format_avro.ops->normalize(&p, &b), SR_ETOOBIG);
	sr_buf_dispose(&b);
	sr_buf_init(&b, 10);
	assert_int_equal(sr_avro_parsing_canonical_form(&p, &b), SR_ETOOBIG);
	sr_buf_dispose(&b);
	sr_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oracle_cases),
		cmocka_unit_test(test_primitives_and_props),
		cmocka_unit_test(test_numbers_as_jackson),
		cmocka_unit_test(test_java_double),
		cmocka_unit_test(test_namespace_writing),
		cmocka_unit_test(test_error_and_enum_default),
		cmocka_unit_test(test_output_ceiling),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

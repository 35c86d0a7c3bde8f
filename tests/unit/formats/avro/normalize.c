/*
 * Unit tests for src/formats/avro/normalize.c: the exact normalized form
 * for representative schemas, invariance under spellings that do not
 * change meaning, and that the form is itself a schema with the same
 * meaning (same Parsing Canonical Form) and a fixed point.
 */
#include "test_avro_helpers.c"

static const char *norm(sr_arena *a, const char *in)
{
	sr_parsed p = must_parse(a, in);

	return normalized_of(a, &p);
}

static void test_exact_form(void **state)
{
	sr_arena *a = sr_arena_new(0);

	assert_string_equal(norm(a, "{\"type\":\"int\"}"), "\"int\"");
	assert_string_equal(norm(a, "{\"type\":\"bytes\",\"scale\":2,\"precision\":4,\"logicalType\":\"decimal\"}"),
			    "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":4,\"scale\":2}");
	assert_string_equal(
		norm(a, "{\"namespace\":\"a\",\"type\":\"record\",\"name\":\"R\",\"doc\":\"d\",\"z\":{\"y\":1,\"x\":2},"
			"\"aliases\":[\"Q\",\"b.P\"],\"fields\":[{\"type\":{\"type\":\"enum\",\"name\":\"E\","
			"\"symbols\":[\"B\",\"A\"],\"default\":\"A\"},\"name\":\"e\",\"aliases\":[\"y\",\"x\"],"
			"\"order\":\"ignore\",\"default\":\"B\",\"doc\":\"fd\",\"p\":true},"
			"{\"name\":\"m\",\"type\":{\"values\":\"E\",\"type\":\"map\"},\"default\":{\"k2\":\"A\",\"k1\":\"B\"}},"
			"{\"name\":\"f\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"namespace\":\"\",\"size\":2}},"
			"{\"name\":\"d\",\"type\":\"double\",\"default\":1e1}]}"),
		"{\"name\":\"a.R\",\"type\":\"record\",\"doc\":\"d\",\"fields\":["
		"{\"name\":\"e\",\"type\":{\"name\":\"a.E\",\"type\":\"enum\",\"symbols\":[\"B\",\"A\"],\"default\":\"A\"},"
		"\"doc\":\"fd\",\"default\":\"B\",\"order\":\"ignore\",\"aliases\":[\"x\",\"y\"],\"p\":true},"
		"{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"a.E\"},\"default\":{\"k1\":\"B\",\"k2\":\"A\"}},"
		"{\"name\":\"f\",\"type\":{\"name\":\"F\",\"namespace\":\"\",\"type\":\"fixed\",\"size\":2}},"
		"{\"name\":\"d\",\"type\":\"double\",\"default\":10.0}],"
		"\"aliases\":[\"a.Q\",\"b.P\"],\"z\":{\"x\":2,\"y\":1}}");
	sr_arena_free(a);
}

static void test_invariance(void **state)
{
	sr_arena *a = sr_arena_new(0);
	static const char *const same[][2] = {
		/* namespace spelled three ways */
		{ "{\"type\":\"record\",\"name\":\"a.b.R\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}",
		  "{\"type\":\"record\",\"namespace\":\"a.b\",\"name\":\"R\",\"fields\":[{\"type\":\"int\",\"name\":\"x\"}]}" },
		/* key order, whitespace, prop order, alias order, number spelling */
		{ "{\"type\":\"fixed\",\"name\":\"F\",\"size\":1,\"p\":1.0,\"q\":[1],\"aliases\":[\"B\",\"A\"]}",
		  " { \"aliases\" : [\"A\",\"B\",\"A\"], \"q\":[1], \"p\":10e-1, \"size\":1, \"name\":\"F\", \"type\":\"fixed\" } " },
		/* references by short and full name */
		{ "{\"type\":\"record\",\"name\":\"n.R\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":1}},{\"name\":\"b\",\"type\":\"F\"}]}",
		  "{\"type\":\"record\",\"name\":\"n.R\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"fixed\",\"name\":\"n.F\",\"size\":1}},{\"name\":\"b\",\"type\":\"n.F\"}]}" },
		/* {"type":"int"} vs "int" */
		{ "[\"null\",{\"type\":\"int\"}]", "[\"null\",\"int\"]" },
	};
	static const char *const differ[][2] = {
		{ "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}",
		  "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"B\",\"A\"]}" },
		{ "{\"type\":\"fixed\",\"name\":\"F\",\"size\":1,\"doc\":\"x\"}",
		  "{\"type\":\"fixed\",\"name\":\"F\",\"size\":1}" },
		{ "[\"null\",\"int\"]", "[\"int\",\"null\"]" },
		{ "{\"type\":\"int\",\"logicalType\":\"date\"}", "\"int\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		assert_string_equal(norm(a, same[i][0]), norm(a, same[i][1]));
	for (i = 0; i < sizeof(differ) / sizeof(differ[0]); i++)
		assert_string_not_equal(norm(a, differ[i][0]), norm(a, differ[i][1]));
	sr_arena_free(a);
}

/* Over every schema of the oracle file: the normalized form re-parses, is a
 * fixed point, has the same PCF, and equals the normalized canonical string. */
static void test_round_trip_all(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const sr_json *doc = load_json(a, "tests/cases/avro/canonical.json");
	const sr_json *cases = sr_json_get(doc, "cases");
	size_t i;

	for (i = 0; i < cases->len; i++) {
		const sr_json *c = cases->u.items[i];
		sr_parsed p = must_parse(a, jstr(c, "input"));
		const char *n = normalized_of(a, &p);
		sr_parsed q = must_parse(a, n);
		sr_parsed r = must_parse(a, jstr(c, "canonical"));

		assert_string_equal(normalized_of(a, &q), n);
		assert_string_equal(pcf_of(a, &q), pcf_of(a, &p));
		assert_string_equal(normalized_of(a, &r), n);
	}
	printf("normalized round trip: %zu/%zu schemas\n", cases->len, cases->len);
	sr_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_form),
		cmocka_unit_test(test_invariance),
		cmocka_unit_test(test_round_trip_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

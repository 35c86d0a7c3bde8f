/*
 * Unit tests for src/formats/jsonschema/canonical.c: the canonical string
 * (compact, member order and number lexemes kept), the normalized form
 * (members sorted at every level) and the resolved form (references
 * bundled into $defs/definitions).
 */
#include "test_validator_helpers.c"

static void test_canonical_keeps_order_and_lexemes(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p = must_parse(a, "{\n  \"type\": \"object\",\n  \"properties\": {\n"
				    "    \"z\": {\"type\": \"number\", \"maximum\": 1.50, \"minimum\": 1e2},\n"
				    "    \"a\": {\"description\": \"caf\\u00e9 \\\"q\\\"\"}\n  }\n}");

	assert_string_equal(render(a, sr_format_jsonschema.ops->canonical, &p),
			    "{\"type\":\"object\",\"properties\":{\"z\":{\"type\":\"number\",\"maximum\":1.50,"
			    "\"minimum\":1e2},\"a\":{\"description\":\"caf\xc3\xa9 \\\"q\\\"\"}}}");
	assert_string_equal(render(a, sr_format_jsonschema.ops->normalize, &p),
			    "{\"properties\":{\"a\":{\"description\":\"caf\xc3\xa9 \\\"q\\\"\"},"
			    "\"z\":{\"maximum\":1.50,\"minimum\":1e2,\"type\":\"number\"}},\"type\":\"object\"}");
	sr_arena_free(a);
}

static void test_round_trip(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p = must_parse(a, "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
				    "\"$defs\":{\"b\":{\"type\":\"boolean\"}},\"properties\":{\"x\":{\"$ref\":\"#/$defs/b\"}}}");
	const char *canon = render(a, sr_format_jsonschema.ops->canonical, &p);
	const char *norm = render(a, sr_format_jsonschema.ops->normalize, &p);
	sr_parsed q = must_parse(a, canon), r = must_parse(a, norm);

	assert_string_equal(render(a, sr_format_jsonschema.ops->canonical, &q), canon);
	assert_string_equal(render(a, sr_format_jsonschema.ops->normalize, &r), norm);
	sr_arena_free(a);
}

static void test_resolved_bundles_references(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const char *address = "{\"type\":\"object\",\"properties\":{\"zip\":{\"type\":\"string\"}}}";
	const char *money = "{\"$id\":\"https://example.com/money.json\",\"type\":\"number\"}";
	sr_ref_source refs[2] = {
		{ "address.json", address, strlen(address) },
		{ "https://example.com/money.json", money, strlen(money) },
	};
	sr_parsed p, q;
	sr_err e = SR_ERR_INIT;
	const char *resolved;

	/* draft-07: bundled under "definitions", appended at the end */
	assert_int_equal(parse_schema(&p, a, "{\"properties\":{\"to\":{\"$ref\":\"address.json\"},"
					     "\"total\":{\"$ref\":\"https://example.com/money.json\"}}}",
				      refs, 2, &e),
			 0);
	resolved = render(a, sr_format_jsonschema.ops->canonical_resolved, &p);
	assert_string_equal(resolved,
			    "{\"properties\":{\"to\":{\"$ref\":\"address.json\"},"
			    "\"total\":{\"$ref\":\"https://example.com/money.json\"}},"
			    "\"definitions\":{\"address.json\":{\"$id\":\"address.json\",\"type\":\"object\","
			    "\"properties\":{\"zip\":{\"type\":\"string\"}}},"
			    "\"https://example.com/money.json\":{\"$id\":\"https://example.com/money.json\","
			    "\"type\":\"number\"}}}");
	/* the bundle is a valid schema on its own, with the same meaning */
	q = must_parse(a, resolved);
	assert_true(valid_flag(a, &q, "{\"to\":{\"zip\":\"1\"},\"total\":2}"));
	assert_false(valid_flag(a, &q, "{\"to\":{\"zip\":1}}"));
	assert_false(valid_flag(a, &q, "{\"total\":\"2\"}"));

	/* 2020-12: "$defs", merged into the existing member in its place */
	assert_int_equal(parse_schema(&p, a, "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
					     "\"$defs\":{\"own\":{\"type\":\"null\"}},\"$ref\":\"address.json\"}",
				      refs, 1, &e),
			 0);
	assert_string_equal(render(a, sr_format_jsonschema.ops->canonical_resolved, &p),
			    "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
			    "\"$defs\":{\"own\":{\"type\":\"null\"},\"address.json\":{\"$id\":\"address.json\","
			    "\"type\":\"object\",\"properties\":{\"zip\":{\"type\":\"string\"}}}},"
			    "\"$ref\":\"address.json\"}");

	/* no references: the canonical string */
	p = must_parse(a, "{\"type\":\"string\"}");
	assert_string_equal(render(a, sr_format_jsonschema.ops->canonical_resolved, &p), "{\"type\":\"string\"}");
	sr_err_dispose(&e);
	sr_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_keeps_order_and_lexemes),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_resolved_bundles_references),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

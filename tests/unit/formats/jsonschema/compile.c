/*
 * Unit tests for src/formats/jsonschema/compile.c (and parse.c): dialect
 * selection, meta-schema validation at registration, references ($ref
 * cycles, $id scoping, anchors, dynamic references, Confluent
 * references), and bad input: deep schemas, huge enums, unknown $schema,
 * remote $refs, invalid regexes, size limits.
 */
#include "test_validator_helpers.c"

#include <time.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- dialects -------------------------------------------------------------------- */

static void test_default_dialect_is_draft7(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p = must_parse(a, "{\"type\":\"integer\"}");
	const sr_jsonschema_document *docs;
	size_t n;

	sr_jsonschema__documents(&p, &docs, &n);
	assert_int_equal(n, 1);
	assert_int_equal(docs[0].draft, 7);
	/* draft-07: 1.0 is an integer */
	assert_true(valid_flag(a, &p, "1.0"));
	sr_arena_free(a);
}

static void test_configured_default_dialect(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_format_opts opts = { 1000, 1u << 24, "http://json-schema.org/draft-04/schema#" };
	const char *text = "{\"type\":\"integer\",\"exclusiveMinimum\":true,\"minimum\":5}";
	sr_parsed p;
	sr_err e = SR_ERR_INIT;
	const sr_jsonschema_document *docs;
	size_t n;

	assert_int_equal(sr_format_jsonschema.ops->parse(&p, a, text, strlen(text), NULL, 0, &opts, &e), 0);
	sr_jsonschema__documents(&p, &docs, &n);
	assert_int_equal(docs[0].draft, 4);
	assert_false(valid_flag(a, &p, "5"));
	assert_true(valid_flag(a, &p, "6"));
	/* draft-04 integers are lexemes without fraction or exponent */
	assert_false(valid_flag(a, &p, "6.0"));

	opts.default_dialect = "http://example.com/not-a-draft";
	assert_int_not_equal(sr_format_jsonschema.ops->parse(&p, a, text, strlen(text), NULL, 0, &opts, &e), 0);
	assert_int_equal(e.code, SR_ERR_INVALID_SCHEMA);
	assert_non_null(strstr(sr_err_message(&e), "default dialect"));
	sr_err_dispose(&e);
	sr_arena_free(a);
}

static void test_schema_selects_draft(void **state)
{
	static const struct {
		const char *uri;
		int draft;
	} cases[] = {
		{ "http://json-schema.org/draft-04/schema#", 4 },
		{ "http://json-schema.org/draft-06/schema", 6 },
		{ "https://json-schema.org/draft-07/schema#", 7 },
		{ "https://json-schema.org/draft/2019-09/schema", 2019 },
		{ "https://json-schema.org/draft/2020-12/schema#", 2020 },
	};
	sr_arena *a = sr_arena_new(0);
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[200];
		sr_parsed p;
		const sr_jsonschema_document *docs;
		size_t n;

		snprintf(text, sizeof(text), "{\"$schema\":\"%s\",\"type\":\"string\"}", cases[i].uri);
		p = must_parse(a, text);
		sr_jsonschema__documents(&p, &docs, &n);
		assert_int_equal(docs[0].draft, cases[i].draft);
	}
	sr_arena_free(a);
}

static void test_unknown_schema_rejected(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const char *msg = parse_error(a, "{\"$schema\":\"http://example.com/my-dialect\",\"type\":\"object\"}");

	assert_non_null(strstr(msg, "unknown $schema \"http://example.com/my-dialect\""));
	assert_non_null(strstr(msg, "#/$schema"));
	msg = parse_error(a, "{\"$schema\":5}");
	assert_non_null(strstr(msg, "$schema must be a string"));
	sr_arena_free(a);
}

/* ---- meta-validation ----------------------------------------------------------------- */

static void test_metaschema_errors_name_the_place(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const char *msg;

	msg = parse_error(a, "{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"int\"}}}");
	assert_non_null(strstr(msg, "Invalid schema: at #/properties/age/type"));
	assert_non_null(strstr(msg, "\"int\""));
	msg = parse_error(a, "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
			     "\"properties\":{\"a\":{\"minimum\":\"5\"}}}");
	assert_non_null(strstr(msg, "at #/properties/a/minimum: expected number, got string \"5\""));
	msg = parse_error(a, "{\"required\":\"a\"}");
	assert_non_null(strstr(msg, "#/required"));
	msg = parse_error(a, "{\"minLength\":-1}");
	assert_non_null(strstr(msg, "#/minLength"));
	/* draft-04: boolean exclusiveMaximum, so a number is an error */
	msg = parse_error(a, "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"exclusiveMaximum\":3}");
	assert_non_null(strstr(msg, "#/exclusiveMaximum"));
	sr_arena_free(a);
}

static void test_invalid_regex_rejected(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const char *msg = parse_error(a, "{\"properties\":{\"a\":{\"pattern\":\"([a-z\"}}}");

	assert_non_null(strstr(msg, "#/properties/a/pattern"));
	msg = parse_error(a, "{\"patternProperties\":{\"(\":{}}}");
	assert_non_null(strstr(msg, "patternProperties"));
	sr_arena_free(a);
}

static void test_bad_json_and_limits(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const char *msg = parse_error(a, "{\"type\": \"string\",}");
	sr_format_opts small = { 1000, 64, NULL };
	const char *big = "{\"description\":\"a schema longer than sixty-four bytes, which is the limit\"}";
	sr_parsed p;
	sr_err e = SR_ERR_INIT;

	assert_non_null(strstr(msg, "invalid JSON"));
	assert_non_null(strstr(msg, "line 1"));
	assert_int_equal(sr_format_jsonschema.ops->parse(&p, a, big, strlen(big), NULL, 0, &small, &e),
			 SR_ETOOBIG);
	assert_int_equal(e.code, SR_ERR_SCHEMA_TOO_LARGE);
	sr_err_dispose(&e);
	sr_arena_free(a);
}

static char *nested_schema(size_t depth)
{
	size_t unit = strlen("{\"items\":"), i;
	char *s = malloc(depth * (unit + 1) + 8);
	char *q = s;

	for (i = 0; i < depth; i++) {
		memcpy(q, "{\"items\":", unit);
		q += unit;
	}
	*q++ = '{';
	*q++ = '}';
	for (i = 0; i < depth; i++)
		*q++ = '}';
	*q = '\0';
	return s;
}

static void test_deep_schema(void **state)
{
	sr_arena *a = sr_arena_new(0);
	char *deep = nested_schema(10000);
	sr_format_opts roomy = { 100000, 1u << 26, NULL };
	sr_parsed p;
	sr_err e = SR_ERR_INIT;
	const char *msg = parse_error(a, deep);

	/* the configured JSON depth (1000 here) */
	assert_non_null(strstr(msg, "nests deeper than 1000"));
	/* a configured depth beyond the validator's own ceiling: still clean */
	assert_int_equal(sr_format_jsonschema.ops->parse(&p, a, deep, strlen(deep), NULL, 0, &roomy, &e),
			 SR_EINVALID);
	assert_int_equal(e.code, SR_ERR_INVALID_SCHEMA);
	assert_non_null(strstr(sr_err_message(&e), "nests deeper than 2000"));
	free(deep);
	/* 500 levels compile and validate */
	deep = nested_schema(500);
	p = must_parse(a, deep);
	assert_true(valid_flag(a, &p, "[[[[1]]]]"));
	free(deep);
	sr_err_dispose(&e);
	sr_arena_free(a);
}

static void test_huge_enum(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_buf b = SR_BUF_INIT;
	sr_parsed p;
	double t0, t1;
	size_t i;

	sr_buf_puts(&b, "{\"enum\":[");
	for (i = 0; i < 100000; i++)
		sr_buf_printf(&b, "%s\"value-%zu\"", i ? "," : "", i);
	sr_buf_puts(&b, ",1.5,{\"k\":[1,2]}]}");
	sr_buf_putc(&b, '\0');
	t0 = now_s();
	p = must_parse(a, b.ptr);
	for (i = 0; i < 20000; i++) {
		char doc[40];
		snprintf(doc, sizeof(doc), "\"value-%zu\"", i * 5);
		assert_true(valid_flag(a, &p, doc));
	}
	assert_false(valid_flag(a, &p, "\"value-100000\""));
	assert_true(valid_flag(a, &p, "1.50"));
	assert_true(valid_flag(a, &p, "{\"k\":[1,2.0]}"));
	assert_false(valid_flag(a, &p, "{\"k\":[2,1]}"));
	t1 = now_s();
	printf("100,000-member enum: compiled and 20,000 lookups in %.3f s\n", t1 - t0);
	/* linear lookups would take minutes; hashed ones take well under a second */
	assert_true(t1 - t0 < 10.0);
	sr_buf_dispose(&b);
	sr_arena_free(a);
}

/* ---- references -------------------------------------------------------------------------- */

static void test_cyclic_refs(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const char *msg;
	sr_parsed p;

	/* cycles that never descend into the document: rejected */
	msg = parse_error(a, "{\"$ref\":\"#\"}");
	assert_non_null(strstr(msg, "refers back to itself"));
	msg = parse_error(a, "{\"definitions\":{\"a\":{\"$ref\":\"#/definitions/b\"},"
			     "\"b\":{\"allOf\":[{\"$ref\":\"#/definitions/a\"}]}},\"$ref\":\"#/definitions/a\"}");
	assert_non_null(strstr(msg, "refers back to itself"));
	msg = parse_error(a, "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
			     "\"anyOf\":[{\"type\":\"string\"},{\"not\":{\"$ref\":\"#\"}}]}");
	assert_non_null(strstr(msg, "refers back to itself"));
	/* recursion through properties/items is fine and terminates */
	p = must_parse(a, "{\"type\":\"object\",\"properties\":{\"value\":{\"type\":\"integer\"},"
			  "\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}},"
			  "\"additionalProperties\":false}");
	assert_true(valid_flag(a, &p, "{\"value\":1,\"children\":[{\"value\":2,\"children\":[]},"
				      "{\"value\":3,\"children\":[{\"value\":4}]}]}"));
	assert_false(valid_flag(a, &p, "{\"value\":1,\"children\":[{\"value\":2,\"children\":[{\"x\":1}]}]}"));
	sr_arena_free(a);
}

static void test_id_scoping_and_anchors(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p;

	/* a nested $id changes the base for the refs below it */
	p = must_parse(a, "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
			  "\"$id\":\"http://example.com/root.json\","
			  "\"properties\":{"
			  " \"a\":{\"$ref\":\"item.json\"},"
			  " \"b\":{\"$id\":\"nested/\",\"properties\":{\"c\":{\"$ref\":\"item.json\"}}}},"
			  "\"$defs\":{"
			  " \"item\":{\"$id\":\"item.json\",\"type\":\"integer\"},"
			  " \"nested\":{\"$id\":\"nested/item.json\",\"type\":\"string\"}}}");
	assert_true(valid_flag(a, &p, "{\"a\":1,\"b\":{\"c\":\"x\"}}"));
	assert_false(valid_flag(a, &p, "{\"a\":\"x\"}"));
	assert_false(valid_flag(a, &p, "{\"b\":{\"c\":1}}"));

	/* $anchor, draft-07 "#name" ids, and pointers with escapes */
	p = must_parse(a, "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
			  "\"$defs\":{\"n\":{\"$anchor\":\"num\",\"type\":\"number\"},"
			  "\"a/b~c%d\":{\"type\":\"boolean\"}},"
			  "\"properties\":{\"x\":{\"$ref\":\"#num\"},\"y\":{\"$ref\":\"#/$defs/a~1b~0c%25d\"}}}");
	assert_true(valid_flag(a, &p, "{\"x\":1.5,\"y\":true}"));
	assert_false(valid_flag(a, &p, "{\"x\":\"1\"}"));
	assert_false(valid_flag(a, &p, "{\"y\":1}"));
	p = must_parse(a, "{\"definitions\":{\"s\":{\"$id\":\"#str\",\"type\":\"string\"}},"
			  "\"items\":{\"$ref\":\"#str\"}}");
	assert_true(valid_flag(a, &p, "[\"a\",\"b\"]"));
	assert_false(valid_flag(a, &p, "[\"a\",2]"));

	/* dangling references */
	assert_non_null(strstr(parse_error(a, "{\"$ref\":\"#/definitions/missing\"}"), "points to nothing"));
	assert_non_null(strstr(parse_error(a, "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
					      "\"$ref\":\"#nope\"}"),
			       "no anchor \"nope\""));
	sr_arena_free(a);
}

static void test_dynamic_refs(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_js_source docs[2];
	sr_js_compile_opts opts = { &test_limits, NULL, NULL, false };
	sr_js_schema *s = NULL;
	sr_err e = SR_ERR_INIT;
	sr_validation v;

	/* A generic tree whose node type a second schema extends through
	 * $dynamicAnchor: the strict tree rejects misspelled members. */
	docs[0].name = "";
	docs[0].text = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
		       "\"$id\":\"https://example.com/strict-tree\",\"$dynamicAnchor\":\"node\","
		       "\"$ref\":\"tree\",\"unevaluatedProperties\":false}";
	docs[0].len = strlen(docs[0].text);
	docs[1].name = "https://example.com/tree";
	docs[1].text = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
		       "\"$id\":\"https://example.com/tree\",\"$dynamicAnchor\":\"node\",\"type\":\"object\","
		       "\"properties\":{\"data\":true,\"children\":{\"type\":\"array\","
		       "\"items\":{\"$dynamicRef\":\"#node\"}}}}";
	docs[1].len = strlen(docs[1].text);
	assert_int_equal(sr_js__compile(&s, a, docs, 2, &opts, &e), 0);
	memset(&v, 0, sizeof(v));
	v.arena = a;
	assert_true(sr_js__validate(s, s->root, json_of(a, "{\"children\":[{\"data\":1,\"children\":[]}]}"), &v));
	memset(&v, 0, sizeof(v));
	v.arena = a;
	assert_false(sr_js__validate(s, s->root, json_of(a, "{\"children\":[{\"daat\":1}]}"), &v));
	assert_true(has_error(&v, "/children/0/daat", NULL, "unevaluated property \"daat\""));
	sr_err_dispose(&e);
	sr_arena_free(a);
}

static void test_recursive_ref(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p = must_parse(a, "{\"$schema\":\"https://json-schema.org/draft/2019-09/schema\","
				    "\"$recursiveAnchor\":true,\"type\":\"object\","
				    "\"properties\":{\"next\":{\"$recursiveRef\":\"#\"},\"v\":{\"type\":\"integer\"}}}");

	assert_true(valid_flag(a, &p, "{\"v\":1,\"next\":{\"v\":2,\"next\":{\"v\":3}}}"));
	assert_false(valid_flag(a, &p, "{\"v\":1,\"next\":{\"v\":2,\"next\":{\"v\":\"3\"}}}"));
	sr_arena_free(a);
}

static void test_remote_ref_unresolvable(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const char *msg = parse_error(a, "{\"properties\":{\"address\":{\"$ref\":"
					  "\"https://example.com/schemas/address.json\"}}}");

	assert_non_null(strstr(msg, "#/properties/address/$ref"));
	assert_non_null(strstr(msg, "cannot be resolved"));
	assert_non_null(strstr(msg, "never fetched"));
	msg = parse_error(a, "{\"$ref\":\"address.json#/definitions/zip\"}");
	assert_non_null(strstr(msg, "cannot be resolved"));
	/* meta-schema URIs resolve from the embedded copies */
	{
		sr_parsed p = must_parse(a, "{\"$ref\":\"http://json-schema.org/draft-07/schema#\"}");
		assert_true(valid_flag(a, &p, "{\"type\":\"string\"}"));
		assert_false(valid_flag(a, &p, "{\"type\":\"strin\"}"));
	}
	sr_arena_free(a);
}

static void test_confluent_references(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const char *zip = "{\"type\":\"string\",\"pattern\":\"^[0-9]{5}$\"}";
	const char *address = "{\"type\":\"object\",\"properties\":{\"street\":{\"type\":\"string\"},"
			      "\"zip\":{\"$ref\":\"zip.json\"}},\"required\":[\"street\"]}";
	const char *order = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\","
			    "\"type\":\"object\",\"properties\":{\"ship_to\":{\"$ref\":\"address.json\"},"
			    "\"bill_to\":{\"$ref\":\"address.json#/properties/street\"}}}";
	sr_ref_source refs[2] = {
		{ "zip.json", zip, strlen(zip) },
		{ "address.json", address, strlen(address) },
	};
	sr_parsed p;
	sr_err e = SR_ERR_INIT;
	sr_validation v;
	const sr_jsonschema_document *docs;
	size_t n;

	assert_int_equal(parse_schema(&p, a, order, refs, 2, &e), 0);
	assert_true(valid_flag(a, &p, "{\"ship_to\":{\"street\":\"Main St\",\"zip\":\"12345\"},\"bill_to\":\"x\"}"));
	assert_false(validate_text(a, &p, "{\"ship_to\":{\"zip\":\"1234\"}}", &v));
	assert_true(has_error(&v, "/ship_to", "/properties/ship_to/$ref/required",
			      "missing required property \"street\""));
	assert_true(has_error(&v, "/ship_to/zip", "/properties/ship_to/$ref/properties/zip/$ref/pattern",
			      "does not match the pattern"));
	sr_jsonschema__documents(&p, &docs, &n);
	assert_int_equal(n, 3);
	assert_string_equal(docs[1].uri, "zip.json");
	assert_string_equal(docs[2].uri, "address.json");

	/* a schema with an $id: names resolve against it, or verbatim */
	{
		const char *with_id = "{\"$id\":\"https://example.com/schemas/order.json\","
				      "\"properties\":{\"a\":{\"$ref\":\"address.json\"}}}";
		assert_int_equal(parse_schema(&p, a, with_id, refs, 2, &e), 0);
		assert_false(valid_flag(a, &p, "{\"a\":{}}"));
	}
	/* a reference that is not given */
	assert_int_not_equal(parse_schema(&p, a, order, refs, 1, &e), 0);
	assert_int_equal(e.code, SR_ERR_INVALID_SCHEMA);
	assert_non_null(strstr(sr_err_message(&e), "address.json"));
	/* a broken reference is reported as such */
	{
		sr_ref_source bad[1] = { { "address.json", "{\"type\":12}", 11 } };
		assert_int_not_equal(parse_schema(&p, a, "{\"$ref\":\"address.json\"}", bad, 1, &e), 0);
		assert_non_null(strstr(sr_err_message(&e), "in reference \"address.json\""));
	}
	sr_err_dispose(&e);
	sr_arena_free(a);
}

static void test_custom_metaschema_vocabularies(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const char *meta = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
			   "\"$id\":\"https://example.com/meta/no-validation\","
			   "\"$vocabulary\":{\"https://json-schema.org/draft/2020-12/vocab/core\":true,"
			   "\"https://json-schema.org/draft/2020-12/vocab/applicator\":true},"
			   "\"$dynamicAnchor\":\"meta\","
			   "\"allOf\":[{\"$ref\":\"https://json-schema.org/draft/2020-12/meta/core\"},"
			   "{\"$ref\":\"https://json-schema.org/draft/2020-12/meta/applicator\"}]}";
	const char *strict = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
			     "\"$id\":\"https://example.com/meta/strict\","
			     "\"$vocabulary\":{\"https://json-schema.org/draft/2020-12/vocab/core\":true,"
			     "\"https://example.com/vocab/unknown\":true}}";
	const char *text = "{\"$schema\":\"https://example.com/meta/no-validation\","
			   "\"properties\":{\"n\":{\"type\":\"number\",\"minimum\":10}}}";
	sr_ref_source refs[1] = { { "https://example.com/meta/no-validation", meta, strlen(meta) } };
	sr_ref_source refs2[1] = { { "https://example.com/meta/strict", strict, strlen(strict) } };
	sr_parsed p;
	sr_err e = SR_ERR_INIT;

	assert_int_equal(parse_schema(&p, a, text, refs, 1, &e), 0);
	/* the validation vocabulary is off: type and minimum assert nothing */
	assert_true(valid_flag(a, &p, "{\"n\":\"x\"}"));
	assert_int_not_equal(parse_schema(&p, a, "{\"$schema\":\"https://example.com/meta/strict\"}", refs2, 1, &e), 0);
	assert_non_null(strstr(sr_err_message(&e), "https://example.com/vocab/unknown"));
	sr_err_dispose(&e);
	sr_arena_free(a);
}

static void test_documents_for_compat(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const char *dep = "{\"$id\":\"https://example.com/dep.json\",\"type\":\"string\"}";
	sr_ref_source refs[1] = { { "dep.json", dep, strlen(dep) } };
	sr_parsed p;
	sr_err e = SR_ERR_INIT;
	const sr_jsonschema_document *docs;
	size_t n;

	assert_int_equal(parse_schema(&p, a, "{\"$schema\":\"https://json-schema.org/draft/2019-09/schema\","
					     "\"$ref\":\"dep.json\"}",
				      refs, 1, &e),
			 0);
	sr_jsonschema__documents(&p, &docs, &n);
	assert_int_equal(n, 2);
	assert_string_equal(docs[0].uri, "");
	assert_int_equal(docs[0].draft, 2019);
	assert_string_equal(docs[1].uri, "https://example.com/dep.json");
	/* a reference without $schema takes the referring schema's draft */
	assert_int_equal(docs[1].draft, 2019);
	assert_true(sr_json_is_object(docs[1].root));
	sr_err_dispose(&e);
	sr_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_dialect_is_draft7),
		cmocka_unit_test(test_configured_default_dialect),
		cmocka_unit_test(test_schema_selects_draft),
		cmocka_unit_test(test_unknown_schema_rejected),
		cmocka_unit_test(test_metaschema_errors_name_the_place),
		cmocka_unit_test(test_invalid_regex_rejected),
		cmocka_unit_test(test_bad_json_and_limits),
		cmocka_unit_test(test_deep_schema),
		cmocka_unit_test(test_huge_enum),
		cmocka_unit_test(test_cyclic_refs),
		cmocka_unit_test(test_id_scoping_and_anchors),
		cmocka_unit_test(test_dynamic_refs),
		cmocka_unit_test(test_recursive_ref),
		cmocka_unit_test(test_remote_ref_unresolvable),
		cmocka_unit_test(test_confluent_references),
		cmocka_unit_test(test_custom_metaschema_vocabularies),
		cmocka_unit_test(test_documents_for_compat),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

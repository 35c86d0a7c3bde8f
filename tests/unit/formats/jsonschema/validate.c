/*
 * Unit tests for src/formats/jsonschema/validate.c: error messages and
 * locations (instance and keyword pointers, through $ref), exact numbers,
 * flag-only mode, error limits, annotation collection for unevaluated*,
 * the depth, step and regex limits, and many threads on one schema.
 */
#include "test_validator_helpers.c"

#include <pthread.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *order_schema =
	"{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
	"\"properties\":{"
	"\"city\":{\"type\":\"string\"},"
	"\"size\":{\"enum\":[\"s\",\"m\",\"l\"]},"
	"\"qty\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
	"\"price\":{\"type\":\"number\",\"exclusiveMinimum\":0,\"multipleOf\":0.01},"
	"\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}$\",\"maxLength\":3},"
	"\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"uniqueItems\":true,\"maxItems\":3},"
	"\"ship\":{\"$ref\":\"#/$defs/address\"},"
	"\"a/b~c\":{\"type\":\"boolean\"}},"
	"\"required\":[\"city\",\"qty\"],\"additionalProperties\":false,"
	"\"$defs\":{\"address\":{\"type\":\"object\",\"properties\":{\"zip\":{\"type\":\"string\"}},"
	"\"required\":[\"zip\"]}}}";

static void test_messages_for_repair(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p = must_parse(a, order_schema);
	sr_validation v;

	assert_false(validate_text(a, &p,
				   "{\"qty\":\"3\",\"size\":\"xl\",\"colour\":\"red\",\"price\":1.005,"
				   "\"code\":\"ab\",\"tags\":[\"a\",\"b\",\"a\"],\"ship\":{\"zip\":5},\"a/b~c\":1}",
				   &v));
	assert_true(has_error(&v, "/qty", "/properties/qty/type", "expected integer, got string \"3\""));
	assert_true(has_error(&v, "", "/required", "missing required property \"city\""));
	assert_true(has_error(&v, "/size", "/properties/size/enum",
			      "value \"xl\" is not one of [\"s\",\"m\",\"l\"]"));
	assert_true(has_error(&v, "/colour", "/additionalProperties",
			      "additional property \"colour\" is not allowed"));
	assert_true(has_error(&v, "/price", "/properties/price/multipleOf",
			      "value 1.005 is not a multiple of 0.01"));
	assert_true(has_error(&v, "/code", "/properties/code/pattern",
			      "string \"ab\" does not match the pattern \"^[A-Z]{3}$\""));
	assert_true(has_error(&v, "/tags", "/properties/tags/uniqueItems", "array items 0 and 2 are equal"));
	assert_true(has_error(&v, "/ship/zip", "/properties/ship/$ref/properties/zip/type",
			      "expected string, got number 5"));
	assert_true(has_error(&v, "/a~1b~0c", "/properties/a~1b~0c/type", "expected boolean, got number 1"));
	assert_int_equal(v.count, 9);

	assert_false(validate_text(a, &p, "{\"city\":\"x\",\"qty\":11,\"price\":0,\"code\":\"ABCD\"}", &v));
	assert_true(has_error(&v, "/qty", "/properties/qty/maximum", "value 11 is greater than the maximum of 10"));
	assert_true(has_error(&v, "/price", "/properties/price/exclusiveMinimum",
			      "value 0 is not greater than the exclusive minimum of 0"));
	assert_true(has_error(&v, "/code", "/properties/code/maxLength",
			      "string \"ABCD\" has 4 characters, more than the maximum of 3"));
	assert_true(validate_text(a, &p, "{\"city\":\"x\",\"qty\":3,\"price\":19.99,\"code\":\"ABC\"}", &v));
	assert_int_equal(v.count, 0);
	sr_arena_free(a);
}

static void test_combinator_messages(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_validation v;
	sr_parsed p;

	p = must_parse(a, "{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]}");
	assert_false(validate_text(a, &p, "5", &v));
	assert_int_equal(v.count, 1);
	assert_true(has_error(&v, "", "/anyOf", "expected string or null, got number 5"));

	p = must_parse(a, "{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":2}]}");
	assert_false(validate_text(a, &p, "3", &v));
	assert_true(has_error(&v, "", "/oneOf", "matches more than one alternative of oneOf (0 and 1)"));
	assert_true(validate_text(a, &p, "1", &v));

	p = must_parse(a, "{\"anyOf\":[{\"type\":\"object\",\"required\":[\"a\"]},"
			  "{\"type\":\"object\",\"required\":[\"b\"]},{\"type\":\"string\"}]}");
	assert_false(validate_text(a, &p, "{}", &v));
	assert_true(has_error(&v, "", "/anyOf", "does not match any alternative of anyOf"));
	assert_true(has_error(&v, "", "/anyOf/0/required", "missing required property \"a\""));
	assert_true(has_error(&v, "", "/anyOf/1/required", "missing required property \"b\""));
	/* the branch that rejects the type is not explained */
	assert_false(has_error(&v, NULL, "/anyOf/2/type", NULL));

	/* a discriminated union: only the branch the "kind" selects is explained */
	p = must_parse(a, "{\"anyOf\":[{\"$ref\":\"#/$defs/circle\"},{\"type\":\"object\","
			  "\"properties\":{\"kind\":{\"const\":\"square\"},\"side\":{\"type\":\"number\"}},"
			  "\"required\":[\"kind\",\"side\"]}],\"$defs\":{\"circle\":{\"type\":\"object\","
			  "\"properties\":{\"kind\":{\"const\":\"circle\"},\"r\":{\"type\":\"number\"}},"
			  "\"required\":[\"kind\",\"r\"]}}}");
	assert_false(validate_text(a, &p, "{\"kind\":\"circle\",\"r\":\"5\"}", &v));
	assert_int_equal(v.count, 2);
	assert_true(has_error(&v, "/r", "/anyOf/0/$ref/properties/r/type", "expected number, got string \"5\""));
	/* no branch selected: all are explained */
	assert_false(validate_text(a, &p, "{\"kind\":\"triangle\"}", &v));
	assert_true(has_error(&v, "", "/anyOf/0/$ref/required", "missing required property \"r\""));
	assert_true(has_error(&v, "", "/anyOf/1/required", "missing required property \"side\""));

	p = must_parse(a, "{\"not\":{\"type\":\"string\"}}");
	assert_false(validate_text(a, &p, "\"x\"", &v));
	assert_true(has_error(&v, "", "/not", "must not match"));

	p = must_parse(a, "{\"if\":{\"properties\":{\"kind\":{\"const\":\"card\"}}},"
			  "\"then\":{\"required\":[\"number\"]},\"else\":{\"required\":[\"iban\"]}}");
	assert_false(validate_text(a, &p, "{\"kind\":\"card\"}", &v));
	assert_true(has_error(&v, "", "/then/required", "missing required property \"number\""));
	assert_false(validate_text(a, &p, "{\"kind\":\"bank\"}", &v));
	assert_true(has_error(&v, "", "/else/required", "missing required property \"iban\""));

	p = must_parse(a, "{\"properties\":{\"k\":{\"const\":{\"a\":[1,2]}}},\"propertyNames\":{\"maxLength\":2}}");
	assert_false(validate_text(a, &p, "{\"k\":{\"a\":[2,1]},\"long\":1}", &v));
	assert_true(has_error(&v, "/k", "/properties/k/const", "value {\"a\":[2,1]} is not the constant {\"a\":[1,2]}"));
	assert_true(has_error(&v, "", "/propertyNames", "property name \"long\""));
	assert_true(has_error(&v, "", "/propertyNames/maxLength", "has 4 characters"));
	sr_arena_free(a);
}

static void test_array_and_object_messages(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_validation v;
	sr_parsed p;

	p = must_parse(a, "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
			  "\"prefixItems\":[{\"type\":\"string\"}],\"items\":false,\"minItems\":2,"
			  "\"contains\":{\"type\":\"integer\"},\"maxContains\":1}");
	assert_false(validate_text(a, &p, "[\"a\",1,2]", &v));
	assert_true(has_error(&v, "", "/items", "array has 3 items, but only 1 is allowed"));
	assert_true(has_error(&v, "", "/maxContains", "more than the maximum of 1"));
	assert_false(validate_text(a, &p, "[\"a\"]", &v));
	assert_true(has_error(&v, "", "/minItems", "array has 1 item, fewer than the minimum of 2"));
	assert_true(has_error(&v, "", "/contains", "does not contain any item matching"));

	p = must_parse(a, "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
			  "\"properties\":{\"a\":true},\"dependentRequired\":{\"a\":[\"b\"]},"
			  "\"unevaluatedProperties\":false,\"minProperties\":2}");
	assert_false(validate_text(a, &p, "{\"a\":1,\"z\":2}", &v));
	assert_true(has_error(&v, "", "/dependentRequired/a", "property \"b\" is required when \"a\" is present"));
	assert_true(has_error(&v, "/z", "/unevaluatedProperties", "unevaluated property \"z\" is not allowed"));

	p = must_parse(a, "{\"properties\":{\"secret\":false}}");
	assert_false(validate_text(a, &p, "{\"secret\":1}", &v));
	assert_true(has_error(&v, "/secret", "/properties/secret", "property \"secret\" is not allowed"));
	sr_arena_free(a);
}

static void test_unevaluated_annotations(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p;
	char doc[20000];
	size_t i, o = 0;

	p = must_parse(a, "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
			  "\"properties\":{\"kind\":{\"enum\":[\"a\",\"b\"]}},"
			  "\"anyOf\":[{\"properties\":{\"x\":true}},{\"properties\":{\"y\":true}}],"
			  "\"unevaluatedProperties\":false}");
	assert_true(valid_flag(a, &p, "{\"kind\":\"a\",\"x\":1,\"y\":2}"));
	assert_false(valid_flag(a, &p, "{\"kind\":\"a\",\"x\":1,\"z\":2}"));

	/* annotation sets larger than the on-stack words */
	p = must_parse(a, "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
			  "\"allOf\":[{\"patternProperties\":{\"^p\":{\"type\":\"integer\"}}}],"
			  "\"unevaluatedProperties\":false}");
	o += (size_t)snprintf(doc + o, sizeof(doc) - o, "{");
	for (i = 0; i < 1000; i++)
		o += (size_t)snprintf(doc + o, sizeof(doc) - o, "%s\"p%zu\":%zu", i ? "," : "", i, i);
	snprintf(doc + o, sizeof(doc) - o, "}");
	assert_true(valid_flag(a, &p, doc));
	doc[o] = '\0';
	snprintf(doc + o, sizeof(doc) - o, ",\"q\":1}");
	assert_false(valid_flag(a, &p, doc));

	p = must_parse(a, "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
			  "\"prefixItems\":[true],\"contains\":{\"type\":\"string\"},\"unevaluatedItems\":false}");
	assert_true(valid_flag(a, &p, "[1,\"a\",\"b\"]"));
	assert_false(valid_flag(a, &p, "[1,\"a\",2]"));
	sr_arena_free(a);
}

static void test_discriminated_unions(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_validation v;
	sr_parsed p;
	const char *branches = "[{\"type\":\"object\",\"properties\":{\"kind\":{\"const\":\"a\"},"
			       "\"x\":{\"type\":\"integer\"}},\"required\":[\"kind\"]},"
			       "{\"$ref\":\"#/$defs/b\"},"
			       "{\"type\":\"object\",\"properties\":{\"kind\":{\"enum\":[\"c\"]},"
			       "\"z\":{\"type\":\"boolean\"}},\"required\":[\"kind\",\"z\"]}]";
	char text[1024];
	const char *kw[2] = { "anyOf", "oneOf" };
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(text, sizeof(text),
			 "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"%s\":%s,"
			 "\"$defs\":{\"b\":{\"type\":\"object\",\"properties\":{\"kind\":{\"const\":\"b\"},"
			 "\"y\":{\"type\":\"string\"}},\"required\":[\"kind\"]}},"
			 "\"unevaluatedProperties\":false}",
			 kw[i], branches);
		p = must_parse(a, text);
		assert_true(valid_flag(a, &p, "{\"kind\":\"a\",\"x\":1}"));
		assert_true(valid_flag(a, &p, "{\"kind\":\"b\",\"y\":\"s\"}"));
		assert_true(valid_flag(a, &p, "{\"kind\":\"c\",\"z\":true}"));
		/* annotations come from the selected branch only */
		assert_false(valid_flag(a, &p, "{\"kind\":\"a\",\"y\":\"s\"}"));
		assert_false(valid_flag(a, &p, "{\"kind\":\"a\",\"x\":\"1\"}"));
		assert_false(valid_flag(a, &p, "{\"kind\":\"c\"}"));
		assert_false(valid_flag(a, &p, "{\"kind\":\"d\"}"));
		assert_false(valid_flag(a, &p, "{\"kind\":1}"));
		assert_false(valid_flag(a, &p, "{\"x\":1}"));
		assert_false(valid_flag(a, &p, "[1]"));
		assert_false(valid_flag(a, &p, "\"a\""));
		assert_false(validate_text(a, &p, "{\"kind\":\"b\",\"y\":2}", &v));
		assert_true(has_error(&v, "/y", NULL, "expected string, got number 2"));
		assert_false(has_error(&v, NULL, NULL, "\"x\""));
	}
	/* not a discriminated union (a branch does not require the property):
	 * every branch is tried */
	p = must_parse(a, "{\"anyOf\":[{\"type\":\"object\",\"properties\":{\"kind\":{\"const\":\"a\"}}},"
			  "{\"type\":\"object\",\"properties\":{\"kind\":{\"const\":\"b\"}},\"required\":[\"kind\"]}]}");
	assert_true(valid_flag(a, &p, "{}"));
	assert_true(valid_flag(a, &p, "{\"kind\":\"b\"}"));
	assert_false(valid_flag(a, &p, "{\"kind\":\"c\"}"));
	sr_arena_free(a);
}

static void test_exact_numbers(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p;

	p = must_parse(a, "{\"maximum\":18446744073709551615}");
	assert_true(valid_flag(a, &p, "18446744073709551615"));
	assert_false(valid_flag(a, &p, "18446744073709551616"));
	assert_false(valid_flag(a, &p, "1e20"));
	p = must_parse(a, "{\"type\":\"integer\",\"minimum\":1e308}");
	assert_true(valid_flag(a, &p, "1e309"));
	assert_true(valid_flag(a, &p, "10e308"));
	assert_false(valid_flag(a, &p, "9.99e307"));
	p = must_parse(a, "{\"multipleOf\":0.0001}");
	assert_true(valid_flag(a, &p, "0.0075"));
	assert_false(valid_flag(a, &p, "0.00751"));
	p = must_parse(a, "{\"exclusiveMaximum\":0.1}");
	assert_false(valid_flag(a, &p, "0.1"));
	assert_false(valid_flag(a, &p, "0.10000000000000001"));
	assert_true(valid_flag(a, &p, "0.09999999999999999999999"));
	p = must_parse(a, "{\"type\":\"integer\"}");
	assert_true(valid_flag(a, &p, "12345678910111213141516171819202122232425262728293031"));
	assert_true(valid_flag(a, &p, "1.0e3"));
	assert_false(valid_flag(a, &p, "1.5"));
	p = must_parse(a, "{\"enum\":[1,\"1\",1e400]}");
	assert_true(valid_flag(a, &p, "1.00"));
	assert_true(valid_flag(a, &p, "10e399"));
	assert_false(valid_flag(a, &p, "true"));
	sr_arena_free(a);
}

static void test_flag_only_and_max_errors(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p = must_parse(a, "{\"items\":{\"type\":\"string\"}}");
	sr_validation v;
	const char *doc = "[1,2,3,4,5,6,7,8,9,10]";

	memset(&v, 0, sizeof(v));
	v.arena = a;
	v.flag_only = true;
	assert_false(sr_format_jsonschema.ops->validate(&p, json_of(a, doc), &v));
	assert_int_equal(v.count, 0);
	memset(&v, 0, sizeof(v));
	v.arena = a;
	v.max_errors = 3;
	assert_false(sr_format_jsonschema.ops->validate(&p, json_of(a, doc), &v));
	assert_int_equal(v.count, 3);
	assert_string_equal(v.errors[2].instance_location, "/2");
	assert_false(validate_text(a, &p, doc, &v));
	assert_int_equal(v.count, 10);
	sr_arena_free(a);
}

static void test_format_assertion(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p = must_parse(a, "{\"format\":\"date\"}");
	sr_validation v;

	/* an annotation by default */
	assert_true(validate_text(a, &p, "\"not a date\"", &v));
	memset(&v, 0, sizeof(v));
	v.arena = a;
	v.format_assertion = true;
	assert_false(sr_format_jsonschema.ops->validate(&p, json_of(a, "\"not a date\""), &v));
	assert_true(has_error(&v, "", "/format", "is not a valid date"));
	memset(&v, 0, sizeof(v));
	v.arena = a;
	v.format_assertion = true;
	assert_true(sr_format_jsonschema.ops->validate(&p, json_of(a, "\"2024-02-29\""), &v));
	sr_arena_free(a);
}

static char *deep_array(size_t depth)
{
	char *s = malloc(2 * depth + 1);

	memset(s, '[', depth);
	memset(s + depth, ']', depth);
	s[2 * depth] = '\0';
	return s;
}

static void test_depth_limit(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p = must_parse(a, "{\"items\":{\"$ref\":\"#\"}}");
	sr_validation v;
	char *doc = deep_array(1500);

	assert_true(valid_flag(a, &p, doc));
	free(doc);
	doc = deep_array(20000);
	assert_false(valid_flag(a, &p, doc));
	assert_false(validate_text(a, &p, doc, &v));
	assert_true(has_error(&v, NULL, NULL, "validation stopped: the document and the schema nest deeper"));
	free(doc);
	sr_arena_free(a);
}

static void test_step_budget_and_memo(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_buf b = SR_BUF_INIT;
	sr_validation v;
	sr_parsed p;
	double t0;
	int i;

	/* 2^40 paths through the same subschemas: remembered verdicts keep
	 * it linear */
	sr_buf_puts(&b, "{\"$ref\":\"#/definitions/a0\",\"definitions\":{");
	for (i = 0; i < 40; i++)
		sr_buf_printf(&b, "\"a%d\":{\"anyOf\":[{\"$ref\":\"#/definitions/a%d\"},"
			      "{\"allOf\":[{\"$ref\":\"#/definitions/a%d\"}]}]},", i, i + 1, i + 1);
	sr_buf_puts(&b, "\"a40\":{\"type\":\"string\"}}}");
	sr_buf_putc(&b, '\0');
	p = must_parse(a, b.ptr);
	t0 = now_s();
	assert_false(valid_flag(a, &p, "5"));
	assert_false(validate_text(a, &p, "5", &v));
	assert_true(valid_flag(a, &p, "\"s\""));
	assert_true(now_s() - t0 < 5.0);
	assert_true(has_error(&v, "", "/$ref/anyOf", "does not match any alternative of anyOf"));
	sr_buf_dispose(&b);
	sr_arena_free(a);
}

static void test_regex_limit(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p = must_parse(a, "{\"pattern\":\"^(a+)+$\"}");
	sr_validation v;
	char doc[200];
	double t0 = now_s();

	memset(doc, 'a', sizeof(doc));
	doc[0] = '"';
	doc[sizeof(doc) - 3] = 'b';
	doc[sizeof(doc) - 2] = '"';
	doc[sizeof(doc) - 1] = '\0';
	/* catastrophic backtracking is cut off: invalid, with a clear message */
	assert_false(validate_text(a, &p, doc, &v));
	assert_true(now_s() - t0 < 10.0);
	assert_int_equal(v.count, 1);
	printf("    %s\n", v.errors[0].message);
	assert_true(strstr(v.errors[0].message, "match limit") ||
		    strstr(v.errors[0].message, "does not match the pattern"));
	sr_arena_free(a);
}

/* ---- threads ---------------------------------------------------------------------------- */

typedef struct thread_arg {
	const sr_parsed *p;
	int valid, invalid;
} thread_arg;

static void *validate_many(void *arg)
{
	thread_arg *t = arg;
	int i;

	for (i = 0; i < 2000; i++) {
		sr_arena *a = sr_arena_new(0);
		sr_validation v;
		bool ok = validate_text(a, t->p, i % 2 ? "{\"city\":\"x\",\"qty\":3,\"code\":\"ABC\"}"
						      : "{\"city\":1,\"qty\":0,\"size\":\"xl\"}",
					&v);
		if (ok && v.count == 0)
			t->valid++;
		else if (!ok && v.count == 3)
			t->invalid++;
		sr_arena_free(a);
	}
	return NULL;
}

static void test_threads_share_one_schema(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p = must_parse(a, order_schema);
	pthread_t th[4];
	thread_arg args[4];
	int i;

	for (i = 0; i < 4; i++) {
		args[i].p = &p;
		args[i].valid = args[i].invalid = 0;
		assert_int_equal(pthread_create(&th[i], NULL, validate_many, &args[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(args[i].valid, 1000);
		assert_int_equal(args[i].invalid, 1000);
	}
	sr_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_messages_for_repair),
		cmocka_unit_test(test_combinator_messages),
		cmocka_unit_test(test_array_and_object_messages),
		cmocka_unit_test(test_unevaluated_annotations),
		cmocka_unit_test(test_discriminated_unions),
		cmocka_unit_test(test_exact_numbers),
		cmocka_unit_test(test_flag_only_and_max_errors),
		cmocka_unit_test(test_format_assertion),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_step_budget_and_memo),
		cmocka_unit_test(test_regex_limit),
		cmocka_unit_test(test_threads_share_one_schema),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

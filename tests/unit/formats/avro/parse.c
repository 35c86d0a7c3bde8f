/*
 * Unit tests for src/formats/avro/parse.c: Apache Avro's must-parse and
 * must-fail schemas (tests/data/avro/), the Python implementation's parse
 * examples, and our own cases for names, namespaces, defaults, logical
 * types, references, limits and error messages.
 */
#include "test_avro_helpers.c"

#include <dirent.h>

typedef struct verdicts {
	size_t total, passed;
} verdicts;

/* Every file of `dir` must parse (want_ok) or must be rejected. */
static verdicts run_dir(const char *dir, const char *suffix, bool want_ok)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	verdicts v = { 0, 0 };

	if (!d)
		fail_msg("cannot open %s (run the tests from the repository root)", dir);
	while ((e = readdir(d))) {
		char path[1024];
		size_t len = 0, sl = strlen(e->d_name);
		char *text;
		sr_arena *a;
		sr_parsed p;
		sr_err err = SR_ERR_INIT;
		int rc;

		if (e->d_name[0] == '.')
			continue;
		if (suffix && (sl < strlen(suffix) || strcmp(e->d_name + sl - strlen(suffix), suffix) != 0))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = read_file(path, &len);
		assert_non_null(text);
		a = sr_arena_new(0);
		rc = parse_avro(&p, a, text, len, NULL, 0, &err);
		v.total++;
		if ((rc == 0) == want_ok)
			v.passed++;
		else
			printf("  FAIL %s: %s\n", path, rc ? sr_err_message(&err) : "parsed");
		if (rc)
			assert_int_equal(err.code, SR_ERR_INVALID_SCHEMA);
		sr_err_dispose(&err);
		sr_arena_free(a);
		free(text);
	}
	closedir(d);
	return v;
}

static void test_c_pass(void **state)
{
	verdicts v = run_dir("tests/data/avro/raw/lang/c/tests/schema_tests/pass", NULL, true);

	printf("schema_tests/pass: %zu/%zu passed\n", v.passed, v.total);
	assert_int_equal(v.total, 28);
	assert_int_equal(v.passed, v.total);
}

static void test_c_fail(void **state)
{
	verdicts v = run_dir("tests/data/avro/raw/lang/c/tests/schema_tests/fail", NULL, false);

	printf("schema_tests/fail: %zu/%zu passed\n", v.passed, v.total);
	assert_int_equal(v.total, 12);
	assert_int_equal(v.passed, v.total);
}

static void test_share_schemas(void **state)
{
	verdicts v = run_dir("tests/data/avro/raw/share/test/schemas", ".avsc", true);

	printf("share/test/schemas/*.avsc: %zu/%zu passed\n", v.passed, v.total);
	assert_true(v.total >= 6);
	assert_int_equal(v.passed, v.total);
}

static void test_python_examples(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const sr_json *doc = load_json(a, "tests/data/avro/parse-examples-py.json");
	const sr_json *ex = sr_json_get(doc, "examples");
	size_t i, passed = 0;

	for (i = 0; i < ex->len; i++) {
		const sr_json *c = ex->u.items[i];
		const char *schema = jstr(c, "schema");
		bool want = sr_json_get(c, "valid")->type == SR_JSON_TRUE;
		int rc;
		const char *msg = parse_error(a, schema, &rc);

		if ((rc == 0) == want)
			passed++;
		else
			printf("  FAIL %s: %s\n", schema, rc ? msg : "parsed");
	}
	printf("parse-examples-py.json: %zu/%zu passed\n", passed, ex->len);
	assert_int_equal(ex->len, 96);
	assert_int_equal(passed, ex->len);
	sr_arena_free(a);
}

/* ---- our own cases ------------------------------------------------------- */

static void expect_ok(const char *schema)
{
	sr_arena *a = sr_arena_new(0);
	int rc;
	const char *msg = parse_error(a, schema, &rc);

	if (rc != 0)
		fail_msg("expected to parse: %s\n  error: %s", schema, msg);
	sr_arena_free(a);
}

/* Must fail with exactly `want` (or, if want is NULL, any message). */
static void expect_error(const char *schema, const char *want)
{
	sr_arena *a = sr_arena_new(0);
	int rc;
	const char *msg = parse_error(a, schema, &rc);

	if (rc == 0)
		fail_msg("expected an error: %s", schema);
	assert_int_equal(rc, SR_EINVALID);
	if (want && strcmp(msg, want) != 0)
		fail_msg("schema %s\n  got  %s\n  want %s", schema, msg, want);
	sr_arena_free(a);
}

#define REC(fields) "{\"type\":\"record\",\"name\":\"R\",\"fields\":[" fields "]}"
#define FIELD(type, def) "{\"name\":\"f\",\"type\":" type ",\"default\":" def "}"

static void test_error_message_format(void **state)
{
	expect_error("{\"type\":\"record\",\"name\":\"P\",\"fields\":[{\"name\":\"n\",\"type\":\"string\"},"
		     "{\"name\":\"b\",\"type\":\"boolean\"},{\"name\":\"age\",\"type\":\"int\",\"default\":\"x\"}]}",
		     "Invalid schema: field \"age\" default \"x\" is not a valid int at /fields/2/default");
	expect_error("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"array\","
		     "\"items\":\"Nope\"}}]}",
		     "Invalid schema: \"Nope\" is not a known type name (types must be defined before they "
		     "are used) at /fields/0/type/items");
	expect_error("\"Nope\"", "Invalid schema: \"Nope\" is not a known type name (types must be "
				 "defined before they are used) at the top level");
	expect_error("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\",\"A\"]}",
		     "Invalid schema: duplicate enum symbol \"A\" in enum E at /symbols/2");
	expect_error("{\"type\":\"record\",\"name\":\"R\"", NULL);
	expect_error("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
		     "{\"name\":\"a\",\"type\":\"long\"}]}",
		     "Invalid schema: duplicate field \"a\" in record R at /fields/1/name");
	expect_error("[\"int\",[\"null\"]]", "Invalid schema: a union may not contain a union at /1");
	expect_error("[\"int\",\"int\"]", "Invalid schema: the union contains int twice at /1");
	expect_error("{\"type\":\"fixed\",\"name\":\"F\",\"size\":-1}",
		     "Invalid schema: \"size\" of fixed F must be a non-negative int, not -1 at /size");
}

static void test_names_and_namespaces(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed p;

	/* A dotted name sets the namespace; nested types inherit it. */
	p = must_parse(a, "{\"type\":\"record\",\"name\":\"a.b.R\",\"namespace\":\"ignored\",\"fields\":["
			  "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"X\"]}},"
			  "{\"name\":\"g\",\"type\":\"a.b.E\"}]}");
	assert_string_equal(pcf_of(a, &p),
			    "{\"name\":\"a.b.R\",\"type\":\"record\",\"fields\":[{\"name\":\"e\",\"type\":"
			    "{\"name\":\"a.b.E\",\"type\":\"enum\",\"symbols\":[\"X\"]}},{\"name\":\"g\","
			    "\"type\":\"a.b.E\"}]}");
	/* "" is the null namespace; null (or absent) inherits. */
	p = must_parse(a, "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"n\",\"fields\":["
			  "{\"name\":\"a\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"namespace\":\"\",\"size\":1}},"
			  "{\"name\":\"b\",\"type\":{\"type\":\"fixed\",\"name\":\"G\",\"namespace\":null,\"size\":1}},"
			  "{\"name\":\"c\",\"type\":\"F\"},{\"name\":\"d\",\"type\":\"G\"}]}");
	assert_string_equal(pcf_of(a, &p),
			    "{\"name\":\"n.R\",\"type\":\"record\",\"fields\":[{\"name\":\"a\",\"type\":"
			    "{\"name\":\"F\",\"type\":\"fixed\",\"size\":1}},{\"name\":\"b\",\"type\":"
			    "{\"name\":\"n.G\",\"type\":\"fixed\",\"size\":1}},{\"name\":\"c\",\"type\":\"F\"},"
			    "{\"name\":\"d\",\"type\":\"n.G\"}]}");
	/* A type in the null namespace resets the namespace for its children. */
	p = must_parse(a, "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"n\",\"fields\":["
			  "{\"name\":\"a\",\"type\":{\"type\":\"record\",\"name\":\"I\",\"namespace\":\"\",\"fields\":["
			  "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"X\"]}}]}},"
			  "{\"name\":\"b\",\"type\":\"E\"}]}");
	assert_non_null(strstr(pcf_of(a, &p), "{\"name\":\"E\",\"type\":\"enum\""));
	/* Primitive names cannot be redefined, but ns.int is fine. */
	expect_error("{\"type\":\"fixed\",\"name\":\"int\",\"size\":1}", NULL);
	expect_error("{\"type\":\"fixed\",\"name\":\"F\",\"namespace\":\"\",\"size\":1,\"x\":0}"
		     "garbage", NULL);
	expect_ok("{\"type\":\"fixed\",\"name\":\"int\",\"namespace\":\"ns\",\"size\":1}");
	/* Grammar: ASCII letters, digits, underscore; no empty components. */
	expect_error("{\"type\":\"fixed\",\"name\":\"a-b\",\"size\":1}", NULL);
	expect_error("{\"type\":\"fixed\",\"name\":\"a..b\",\"size\":1}", NULL);
	expect_error("{\"type\":\"fixed\",\"name\":\"F\",\"namespace\":\"1x\",\"size\":1}", NULL);
	expect_error("{\"type\":\"fixed\",\"name\":\"\\u00e9\",\"size\":1}", NULL);
	expect_ok("{\"type\":\"fixed\",\"name\":\"_a9.B_\",\"size\":1}");
	/* Defined twice. */
	expect_error(REC("{\"name\":\"a\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":1}},"
			 "{\"name\":\"b\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}}"),
		     "Invalid schema: type \"F\" is defined twice at /fields/1/type/name");
	/* A reference resolves in the current namespace first, then the null one. */
	p = must_parse(a, "[{\"type\":\"fixed\",\"name\":\"F\",\"size\":1},{\"type\":\"record\",\"name\":\"R\","
			  "\"namespace\":\"n\",\"fields\":[{\"name\":\"a\",\"type\":\"F\"}]}]");
	assert_non_null(strstr(pcf_of(a, &p), "{\"name\":\"a\",\"type\":\"F\"}"));
	/* Recursive records and {"type": name} references. */
	expect_ok(REC("{\"name\":\"next\",\"type\":[\"null\",\"R\"]},{\"name\":\"again\",\"type\":{\"type\":\"R\"}}"));
	/* Aliases are validated. */
	expect_error("{\"type\":\"fixed\",\"name\":\"F\",\"size\":1,\"aliases\":[\"1a\"]}", NULL);
	expect_error(REC("{\"name\":\"f\",\"type\":\"int\",\"aliases\":[\"a.b\"]}"), NULL);
	expect_error(REC("{\"name\":\"f\",\"type\":\"int\",\"aliases\":\"a\"}"), NULL);
	sr_arena_free(a);
}

static void test_defaults(void **state)
{
	expect_ok(REC(FIELD("\"int\"", "-2147483648")));
	expect_error(REC(FIELD("\"int\"", "2147483648")), NULL);
	expect_error(REC(FIELD("\"int\"", "1.0")), NULL);
	expect_ok(REC(FIELD("\"long\"", "9223372036854775807")));
	expect_error(REC(FIELD("\"long\"", "9223372036854775808")), NULL);
	expect_ok(REC(FIELD("\"float\"", "1")));
	expect_error(REC(FIELD("\"double\"", "1e400")), NULL);
	expect_ok(REC(FIELD("\"float\"", "1e300")));
	expect_ok(REC(FIELD("\"double\"", "\"NaN\"")));
	expect_ok(REC(FIELD("\"float\"", "\"-Infinity\"")));
	expect_error(REC(FIELD("\"double\"", "\"abc\"")), NULL);
	expect_error(REC(FIELD("\"double\"", "true")), NULL);
	expect_ok(REC(FIELD("\"bytes\"", "\"\\u0000\\u00ff\"")));
	expect_error(REC(FIELD("\"bytes\"", "\"\\u0100\"")), NULL);
	expect_ok(REC(FIELD("{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}", "\"\\u00e9\\u00e9\"")));
	expect_error(REC(FIELD("{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}", "1")), NULL);
	expect_ok(REC(FIELD("\"string\"", "\"\\u20ac\"")));
	expect_ok(REC(FIELD("\"boolean\"", "false")));
	expect_error(REC(FIELD("\"boolean\"", "0")), NULL);
	expect_ok(REC(FIELD("\"null\"", "null")));
	expect_error(REC(FIELD("\"string\"", "null")), NULL);
	expect_ok(REC(FIELD("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}", "\"B\"")));
	expect_error(REC(FIELD("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}", "\"C\"")), NULL);
	/* Unions: against the first branch only. */
	expect_ok(REC(FIELD("[\"null\",\"string\"]", "null")));
	expect_error(REC(FIELD("[\"null\",\"string\"]", "\"x\"")),
		     "Invalid schema: field \"f\" default \"x\" is not a valid union (whose first branch "
		     "is null) at /fields/0/default");
	expect_ok(REC(FIELD("[\"string\",\"null\"]", "\"x\"")));
	expect_error(REC(FIELD("[]", "null")), NULL);
	/* Arrays, maps, records (missing fields need their own default). */
	expect_ok(REC(FIELD("{\"type\":\"array\",\"items\":\"int\"}", "[1,2]")));
	expect_error(REC(FIELD("{\"type\":\"array\",\"items\":\"int\"}", "[1,\"2\"]")), NULL);
	expect_ok(REC(FIELD("{\"type\":\"map\",\"values\":\"long\"}", "{\"a\":1}")));
	expect_error(REC(FIELD("{\"type\":\"map\",\"values\":\"long\"}", "[]")), NULL);
	expect_ok(REC(FIELD("{\"type\":\"record\",\"name\":\"S\",\"fields\":[{\"name\":\"a\",\"type\":\"int\","
			    "\"default\":1},{\"name\":\"b\",\"type\":\"string\"}]}", "{\"b\":\"x\"}")));
	expect_error(REC(FIELD("{\"type\":\"record\",\"name\":\"S\",\"fields\":[{\"name\":\"a\",\"type\":\"int\","
			       "\"default\":1},{\"name\":\"b\",\"type\":\"string\"}]}", "{\"a\":2}")), NULL);
	/* A default of the record being defined cannot be checked (Java rejects it too). */
	expect_error(REC("{\"name\":\"n\",\"type\":[\"R\",\"null\"],\"default\":{}}"), NULL);
	/* Order. */
	expect_ok(REC("{\"name\":\"f\",\"type\":\"int\",\"order\":\"DESCENDING\"}"));
	expect_error(REC("{\"name\":\"f\",\"type\":\"int\",\"order\":\"up\"}"), NULL);
}

/* Exponential default chains are cut off by the step budget. */
static void test_default_budget(void **state)
{
	sr_buf b = SR_BUF_INIT;
	sr_arena *a = sr_arena_new(0);
	int i, rc;

	sr_buf_puts(&b, "{\"type\":\"record\",\"name\":\"Top\",\"fields\":[");
	sr_buf_puts(&b, "{\"name\":\"r0\",\"type\":{\"type\":\"record\",\"name\":\"R0\",\"fields\":[]},\"default\":{}}");
	for (i = 1; i < 40; i++)
		sr_buf_printf(&b, ",{\"name\":\"r%d\",\"type\":{\"type\":\"record\",\"name\":\"R%d\",\"fields\":["
			      "{\"name\":\"a\",\"type\":\"R%d\",\"default\":{}},{\"name\":\"b\",\"type\":\"R%d\","
			      "\"default\":{}}]},\"default\":{}}", i, i, i - 1, i - 1);
	sr_buf_puts(&b, "]}");
	parse_error(a, b.ptr, &rc);
	assert_int_equal(rc, SR_EINVALID);
	sr_buf_dispose(&b);
	sr_arena_free(a);
}

static void test_logical_types(void **state)
{
	/* Invalid annotations are ignored, valid or not the attributes stay. */
	expect_ok("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":0}");
	expect_ok("{\"type\":\"fixed\",\"name\":\"F\",\"size\":2,\"logicalType\":\"decimal\",\"precision\":5}");
	expect_ok("{\"type\":\"string\",\"logicalType\":\"timestamp-millis\"}");
	expect_ok("{\"type\":\"fixed\",\"name\":\"D\",\"size\":12,\"logicalType\":\"duration\"}");
}

static void test_enum_default_must_be_symbol(void **state)
{
	expect_error("{\"type\": \"enum\", \"default\": \"B\", \"name\": \"test_default\", \"symbols\": [\"A\"]}",
		     "Invalid schema: enum default \"B\" is not one of the symbols of enum test_default at /default");
	expect_ok("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"],\"default\":\"A\"}");
}

static void test_references(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const char *addr = "{\"type\":\"record\",\"name\":\"Address\",\"namespace\":\"com.x\",\"fields\":"
			   "[{\"name\":\"street\",\"type\":\"string\"},{\"name\":\"kind\",\"type\":"
			   "{\"type\":\"enum\",\"name\":\"Kind\",\"symbols\":[\"HOME\",\"WORK\"]}}]}";
	const char *money = "{\"type\":\"fixed\",\"name\":\"com.y.Money\",\"size\":8}";
	const char *root = "{\"type\":\"record\",\"name\":\"Person\",\"namespace\":\"com.x\",\"fields\":["
			   "{\"name\":\"home\",\"type\":\"Address\"},{\"name\":\"k\",\"type\":\"Kind\"},"
			   "{\"name\":\"m\",\"type\":[\"null\",\"com.y.Money\"]}]}";
	sr_ref_source refs[2] = { { "com.x.Address", addr, strlen(addr) },
				  { "com.y.Money", money, strlen(money) } };
	sr_parsed p;
	sr_err e = SR_ERR_INIT;

	assert_int_equal(parse_avro(&p, a, root, strlen(root), refs, 2, &e), 0);
	/* External types are written by name, not inlined. */
	assert_string_equal(canonical_of(a, &p),
			    "{\"type\":\"record\",\"name\":\"Person\",\"namespace\":\"com.x\",\"fields\":["
			    "{\"name\":\"home\",\"type\":\"Address\"},{\"name\":\"k\",\"type\":\"Kind\"},"
			    "{\"name\":\"m\",\"type\":[\"null\",\"com.y.Money\"]}]}");
	assert_string_equal(normalized_of(a, &p),
			    "{\"name\":\"com.x.Person\",\"type\":\"record\",\"fields\":["
			    "{\"name\":\"home\",\"type\":\"com.x.Address\"},{\"name\":\"k\",\"type\":\"com.x.Kind\"},"
			    "{\"name\":\"m\",\"type\":[\"null\",\"com.y.Money\"]}]}");
	/* Without the references the root does not parse. */
	assert_int_equal(parse_avro(&p, a, root, strlen(root), NULL, 0, &e), SR_EINVALID);
	/* Redefining a referenced type is an error. */
	assert_int_equal(parse_avro(&p, a, money, strlen(money), refs, 2, &e), SR_EINVALID);
	assert_string_equal(sr_err_message(&e),
			    "Invalid schema: type \"com.y.Money\" is defined twice at /name");
	/* An invalid reference names itself. */
	refs[1].text = "{\"type\":\"fixed\",\"name\":\"com.y.Money\"}";
	refs[1].len = strlen(refs[1].text);
	assert_int_equal(parse_avro(&p, a, root, strlen(root), refs, 2, &e), SR_EINVALID);
	assert_string_equal(sr_err_message(&e),
			    "Invalid schema: in reference \"com.y.Money\": fixed com.y.Money has no "
			    "\"size\" at the top level");
	sr_err_dispose(&e);
	sr_arena_free(a);
}

static void test_parse_limits(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_format_opts lim = { 5, 40, NULL };
	sr_parsed p;
	sr_err e = SR_ERR_INIT;
	const char *big = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";
	const char *deep = "[{\"type\":\"array\",\"items\":{\"type\":\"array\",\"items\":{\"type\":\"array\","
			   "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"array\",\"items\":\"int\"}}}}}]";

	assert_int_equal(sr_format_avro.ops->parse(&p, a, big, strlen(big), NULL, 0, &lim, &e), SR_ETOOBIG);
	assert_int_equal(e.code, SR_ERR_SCHEMA_TOO_LARGE);
	lim.max_schema_bytes = 1000;
	assert_int_equal(sr_format_avro.ops->parse(&p, a, deep, strlen(deep), NULL, 0, &lim, &e), SR_EINVALID);
	assert_int_equal(e.code, SR_ERR_INVALID_SCHEMA);
	lim.max_json_depth = 100;
	assert_int_equal(sr_format_avro.ops->parse(&p, a, deep, strlen(deep), NULL, 0, &lim, &e), 0);
	sr_err_dispose(&e);
	sr_arena_free(a);
}

static void test_not_a_schema(void **state)
{
	expect_error("42", "Invalid schema: a schema must be a type name, an object or an array, not a "
			   "number at the top level");
	expect_error("{\"type\":[\"int\"]}", NULL);
	expect_error("{\"name\":\"x\"}", "Invalid schema: a schema object needs a \"type\" at the top level");
	expect_error("", NULL);
	expect_error("\"int\" \"int\"", NULL);
	expect_ok("[]");
	expect_ok("{\"type\":\"int\",\"doc\":null}");
	expect_error("{\"type\":\"record\",\"name\":\"R\",\"doc\":1,\"fields\":[]}", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_c_pass),
		cmocka_unit_test(test_c_fail),
		cmocka_unit_test(test_share_schemas),
		cmocka_unit_test(test_python_examples),
		cmocka_unit_test(test_error_message_format),
		cmocka_unit_test(test_names_and_namespaces),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_default_budget),
		cmocka_unit_test(test_logical_types),
		cmocka_unit_test(test_enum_default_must_be_symbol),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test(test_not_a_schema),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

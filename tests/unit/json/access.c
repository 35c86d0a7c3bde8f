/* Unit tests for src/json/access.c: member lookup, RFC 6901 pointers, value kinds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "json/json.h"
#include "test_util.h"

static void test_access_get(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *v = json_of(a, "{\"name\":\"User\",\"n\":1,\"a\\u0000b\":true,\"\":null}");

	assert_string_equal(sr_json_get_string(v, "name"), "User");
	assert_null(sr_json_get_string(v, "n")); /* not a string */
	assert_null(sr_json_get_string(v, "missing"));
	assert_int_equal(sr_json_get(v, "n")->type, SR_JSON_NUMBER);
	assert_null(sr_json_get(v, "nam"));
	assert_null(sr_json_get(v, "names"));
	assert_null(sr_json_get(v, "a"));
	assert_int_equal(sr_json_getn(v, "a\0b", 3)->type, SR_JSON_TRUE);
	assert_int_equal(sr_json_get(v, "")->type, SR_JSON_NULL);
	/* Not an object, or NULL. */
	assert_null(sr_json_get(v->u.members[0].value, "name"));
	assert_null(sr_json_get(json_of(a, "[\"name\"]"), "name"));
	assert_null(sr_json_get(NULL, "name"));
	assert_null(sr_json_get_string(NULL, "name"));
	sr_arena_free(a);
}

static void test_access_type_predicates(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *v = json_of(a, "[\"s\",{},[],1,true,false,null]");

	assert_true(sr_json_is_string(v->u.items[0]));
	assert_true(sr_json_is_object(v->u.items[1]));
	assert_true(sr_json_is_array(v->u.items[2]));
	assert_true(sr_json_is_number(v->u.items[3]));
	assert_true(sr_json_is_bool(v->u.items[4]));
	assert_true(sr_json_is_bool(v->u.items[5]));
	assert_false(sr_json_is_bool(v->u.items[6]));
	assert_false(sr_json_is_string(v->u.items[3]));
	assert_false(sr_json_is_object(NULL));
	sr_arena_free(a);
}

/* The example document and pointers of RFC 6901, section 5. */
static const char rfc6901_doc[] =
	"{\"foo\":[\"bar\",\"baz\"],\"\":0,\"a/b\":1,\"c%d\":2,\"e^f\":3,\"g|h\":4,"
	"\"i\\\\j\":5,\"k\\\"l\":6,\" \":7,\"m~n\":8}";

static void test_pointer_rfc6901_examples(void **state)
{
	static const struct {
		const char *ptr;
		const char *want; /* compact serialization */
	} cases[] = {
		{ "/foo", "[\"bar\",\"baz\"]" },
		{ "/foo/0", "\"bar\"" },
		{ "/", "0" },
		{ "/a~1b", "1" },
		{ "/c%d", "2" },
		{ "/e^f", "3" },
		{ "/g|h", "4" },
		{ "/i\\j", "5" },
		{ "/k\"l", "6" },
		{ "/ ", "7" },
		{ "/m~0n", "8" },
	};
	sr_arena *a = sr_arena_new(0);
	sr_json *doc = json_of(a, rfc6901_doc);
	size_t i;

	assert_ptr_equal(sr_json_pointer(doc, "", 0), doc);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sr_buf out = SR_BUF_INIT;
		sr_json *v = sr_json_pointer(doc, cases[i].ptr, strlen(cases[i].ptr));
		if (!v)
			fail_msg("%s not found", cases[i].ptr);
		sr_json_write(&out, v);
		assert_string_equal(out.ptr, cases[i].want);
		sr_buf_dispose(&out);
	}
	sr_arena_free(a);
}

static void test_pointer_misses(void **state)
{
	static const char *const misses[] = {
		"foo",       /* no leading slash */
		"/foo/2",    /* out of range */
		"/foo/-",    /* past-the-end element does not exist */
		"/foo/01",   /* leading zero */
		"/foo/00",
		"/foo/+1",
		"/foo/-1",
		"/foo/1x",
		"/foo/",     /* "" is not an index */
		"/foo/0/x",  /* below a string */
		"/a/b",      /* '/' not escaped */
		"/m~n",      /* '~' must be escaped */
		"/m~2n",     /* invalid escape */
		"/m~",
		"/~",
		"/foo/18446744073709551616", /* overflows size_t */
		"/foo/99999999999999999999999999",
		"/nope",
		"//",
	};
	sr_arena *a = sr_arena_new(0);
	sr_json *doc = json_of(a, rfc6901_doc);
	size_t i;

	for (i = 0; i < sizeof(misses) / sizeof(misses[0]); i++)
		if (sr_json_pointer(doc, misses[i], strlen(misses[i])))
			fail_msg("%s should not resolve", misses[i]);
	assert_null(sr_json_pointer(NULL, "", 0));
	sr_arena_free(a);
}

static void test_pointer_deep_and_lengths(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *doc = json_of(a, "{\"fields\":[{\"name\":\"a\",\"type\":{\"items\":[10,11,"
				"12,13,14,15,16,17,18,19,20]}}],\"\":{\"\":{\"\":\"empty\"}},"
				"\"~\":{\"/\":\"t\"}}");
	sr_json *v;

	v = sr_json_pointer(doc, "/fields/0/type/items/10", 23);
	assert_non_null(v);
	assert_string_equal(v->u.str, "20");
	/* The length is honoured: the same pointer cut short. */
	v = sr_json_pointer(doc, "/fields/0/type/items/10", 22);
	assert_string_equal(v->u.str, "11");
	v = sr_json_pointer(doc, "/fields/0/name", 14);
	assert_string_equal(v->u.str, "a");
	v = sr_json_pointer(doc, "///", 3);
	assert_non_null(v);
	assert_string_equal(v->u.str, "empty");
	v = sr_json_pointer(doc, "/~0/~1", 6);
	assert_non_null(v);
	assert_string_equal(v->u.str, "t");
	assert_null(sr_json_pointer(doc, "/~1/~0", 6));
	/* A pointer with a NUL inside matches a key with a NUL. */
	doc = json_of(a, "{\"a\\u0000b\":1}");
	assert_non_null(sr_json_pointer(doc, "/a\0b", 4));
	assert_null(sr_json_pointer(doc, "/a\0b", 3));
	sr_arena_free(a);
}

/* Tokens written escaped, then found again by sr_json_pointer. */
static void test_pointer_put_token(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *doc = json_of(a, "{\"a/b\":{\"m~n\":{\"~/~1\":{\"\":{\"x\\u0000y\":7}}}}}");
	static const struct {
		const char *tok;
		size_t n;
	} toks[] = { { "a/b", 3 }, { "m~n", 3 }, { "~/~1", 4 }, { "", 0 }, { "x\0y", 3 } };
	sr_buf b = SR_BUF_INIT;
	size_t i;

	for (i = 0; i < 5; i++) {
		assert_int_equal(sr_buf_putc(&b, '/'), 0);
		assert_int_equal(sr_json_pointer_put_token(&b, toks[i].tok, toks[i].n), 0);
	}
	assert_int_equal(b.len, 23);
	assert_memory_equal(b.ptr, "/a~1b/m~0n/~0~1~01//x\0y", 23);
	assert_non_null(sr_json_pointer(doc, b.ptr, b.len));
	assert_int_equal(sr_json_pointer(doc, b.ptr, b.len)->type, SR_JSON_NUMBER);
	sr_buf_dispose(&b);

	/* At the ceiling: what fits is written, the rest left out. */
	sr_buf_init(&b, 4);
	assert_int_equal(sr_json_pointer_put_token(&b, "ab~c", 4), SR_ETOOBIG);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.ptr, "ab~0", 4);
	sr_buf_dispose(&b);
	sr_arena_free(a);
}

static void test_access_kind(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *v = json_of(a, "[null,true,false,-1.5e3,\"\",[],{}]");
	static const char *const want[] = { "null",	"a boolean", "a boolean", "a number",
					    "a string", "an array",  "an object" };
	size_t i;

	assert_int_equal(v->len, 7);
	for (i = 0; i < v->len; i++)
		assert_string_equal(sr_json_kind(v->u.items[i]), want[i]);
	sr_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_access_get),
		cmocka_unit_test(test_access_type_predicates),
		cmocka_unit_test(test_pointer_rfc6901_examples),
		cmocka_unit_test(test_pointer_misses),
		cmocka_unit_test(test_pointer_deep_and_lengths),
		cmocka_unit_test(test_pointer_put_token),
		cmocka_unit_test(test_access_kind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

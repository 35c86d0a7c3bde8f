/* Unit tests for src/json/write.c: compact and sorted DOM writers, the
 * streaming writer sr_jw. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "json/json.h"
#include "test_util.h"

static void test_write_compact(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_buf out = SR_BUF_INIT;
	sr_json *v = json_of(a, " { \"z\" : [ 1 , 2.50 , -0e+1 ] , \"a\" : { } , \"m\" : [ ] ,"
			      " \"s\" : \"\\u0007\\u00e9\\/\" , \"n\" : null } ");

	assert_int_equal(sr_json_write(&out, v), 0);
	assert_string_equal(out.ptr, "{\"z\":[1,2.50,-0e+1],\"a\":{},\"m\":[],"
				     "\"s\":\"\\u0007\xc3\xa9/\",\"n\":null}");
	/* Appends, does not replace. */
	assert_int_equal(sr_json_write(&out, v->u.members[0].value), 0);
	assert_string_equal(out.ptr + out.len - 19, "null}[1,2.50,-0e+1]");
	sr_buf_dispose(&out);
	sr_arena_free(a);
}

static void test_write_scalars(void **state)
{
	static const char *const docs[] = { "null", "true", "false", "0", "-1.5E-7", "\"\"",
					    "\"\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001F\"" };
	sr_arena *a = sr_arena_new(0);
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		sr_buf out = SR_BUF_INIT;
		assert_int_equal(sr_json_write(&out, json_of(a, docs[i])), 0);
		assert_string_equal(out.ptr, docs[i]);
		sr_buf_dispose(&out);
	}
	sr_arena_free(a);
}

static void test_write_sorted(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_buf out = SR_BUF_INIT;
	sr_json *v = json_of(a, "{\"b\":1,\"ab\":{\"y\":[{\"d\":1,\"c\":2}],\"x\":0},\"a\":2,"
			      "\"\xc3\xa9\":3,\"B\":4,\"\":5,\"a\\u0000\":6,\"z\":7}");

	assert_int_equal(sr_json_write_sorted(&out, v), 0);
	/* Bytewise: "" < "B" < "a" < "a\0" < "ab" < "b" < "z" < "\xc3\xa9". */
	assert_string_equal(out.ptr, "{\"\":5,\"B\":4,\"a\":2,\"a\\u0000\":6,"
				     "\"ab\":{\"x\":0,\"y\":[{\"c\":2,\"d\":1}]},\"b\":1,\"z\":7,"
				     "\"\xc3\xa9\":3}");
	/* The DOM is untouched: the compact writer still keeps document order. */
	sr_buf_clear(&out);
	assert_int_equal(sr_json_write(&out, v), 0);
	assert_memory_equal(out.ptr, "{\"b\":1,\"ab\":", 12);
	sr_buf_dispose(&out);
	sr_arena_free(a);
}

static void test_write_sorted_large_object(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *obj = sr_json_new(a, SR_JSON_OBJECT);
	sr_buf out = SR_BUF_INIT;
	char key[32], prev[32] = "";
	size_t i, pos;

	for (i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof(key), "k%zu", (i * 7919) % 5000);
		sr_json_object_append(a, obj, key, (size_t)n, sr_json_new_i64(a, (int64_t)i));
	}
	assert_int_equal(sr_json_write_sorted(&out, obj), 0);
	/* Walk the keys of the output and check they ascend. */
	pos = 1;
	for (i = 0; i < 5000; i++) {
		char *q = strchr(out.ptr + pos + 1, '"');
		size_t n = (size_t)(q - (out.ptr + pos + 1));
		memcpy(key, out.ptr + pos + 1, n);
		key[n] = '\0';
		assert_true(strcmp(prev, key) < 0);
		memcpy(prev, key, n + 1);
		pos = (size_t)(strchr(q, i + 1 < 5000 ? ',' : '}') - out.ptr) + 1;
	}
	sr_buf_dispose(&out);
	sr_arena_free(a);
}

static void test_write_sorted_equal_keys_keep_order(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *obj = sr_json_new(a, SR_JSON_OBJECT);
	sr_buf out = SR_BUF_INIT;
	int i;

	for (i = 0; i < 20; i++)
		sr_json_object_append(a, obj, i % 2 ? "b" : "a", 1, sr_json_new_i64(a, i));
	assert_int_equal(sr_json_write_sorted(&out, obj), 0);
	assert_string_equal(out.ptr, "{\"a\":0,\"a\":2,\"a\":4,\"a\":6,\"a\":8,\"a\":10,\"a\":12,"
				     "\"a\":14,\"a\":16,\"a\":18,\"b\":1,\"b\":3,\"b\":5,\"b\":7,"
				     "\"b\":9,\"b\":11,\"b\":13,\"b\":15,\"b\":17,\"b\":19}");
	sr_buf_dispose(&out);
	sr_arena_free(a);
}

/* The sort the sorted writer uses, on its own: a subset of an object's
 * members, in reverse, with a key that is a prefix of another and one with
 * a NUL inside. */
static void test_sort_members(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *v = json_of(a, "{\"ab\":1,\"a\":2,\"b\":3,\"a\\u0000\":4,\"\":5,\"B\":6}");
	const sr_json_member *m[6];
	static const int want[] = { 5, 6, 2, 4, 1, 3 };
	size_t i;

	for (i = 0; i < 6; i++)
		m[i] = &v->u.members[5 - i];
	sr_json_sort_members(m, 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(sr_json_number_to_double(m[i]->value), want[i]);
	sr_json_sort_members(m, 0);
	sr_arena_free(a);
}

static void test_write_ceiling(void **state)
{
	sr_arena *a = sr_arena_new(0);
	const char *doc = "{\"key\":[1,2,{\"x\":\"yyyyyyyy\"}],\"k2\":true}";
	sr_json *v = json_of(a, doc);
	size_t n = strlen(doc), max;

	/* Every ceiling below the size fails cleanly; at the size it fits. */
	for (max = 0; max <= n; max++) {
		sr_buf out;
		sr_buf_init(&out, max);
		assert_int_equal(sr_json_write(&out, v), max < n ? SR_ETOOBIG : 0);
		assert_true(out.len <= max);
		sr_buf_dispose(&out);
		sr_buf_init(&out, max);
		assert_int_equal(sr_json_write_sorted(&out, v), max < n ? SR_ETOOBIG : 0);
		sr_buf_dispose(&out);
	}
	sr_arena_free(a);
}

/* ---- streaming writer ------------------------------------------------------- */

static void test_jw_nesting_and_commas(void **state)
{
	sr_buf out = SR_BUF_INIT;
	sr_arena *a = sr_arena_new(0);
	sr_jw w;

	sr_jw_init(&w, &out);
	sr_jw_object_begin(&w);
	sr_jw_key(&w, "subject");
	sr_jw_string(&w, "orders-value");
	sr_jw_key(&w, "versions");
	sr_jw_array_begin(&w);
	sr_jw_i64(&w, 1);
	sr_jw_i64(&w, INT64_MIN);
	sr_jw_array_begin(&w);
	sr_jw_array_end(&w);
	sr_jw_object_begin(&w);
	sr_jw_object_end(&w);
	sr_jw_array_begin(&w);
	sr_jw_null(&w);
	sr_jw_array_end(&w);
	sr_jw_array_end(&w);
	sr_jw_keyn(&w, "k\"ey", 4);
	sr_jw_stringn(&w, "a\0b", 3);
	sr_jw_key(&w, "flags");
	sr_jw_object_begin(&w);
	sr_jw_key(&w, "t");
	sr_jw_bool(&w, true);
	sr_jw_key(&w, "f");
	sr_jw_bool(&w, false);
	sr_jw_object_end(&w);
	sr_jw_key(&w, "raw");
	sr_jw_raw(&w, "{\"x\":[1]}", 9);
	sr_jw_key(&w, "dom");
	sr_jw_value(&w, json_of(a, "[1, {\"a\" : 2}]"));
	sr_jw_key(&w, "last");
	sr_jw_i64(&w, 0);
	sr_jw_object_end(&w);
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.depth, 0);
	assert_string_equal(out.ptr, "{\"subject\":\"orders-value\",\"versions\":[1,"
				     "-9223372036854775808,[],{},[null]],\"k\\\"ey\":\"a\\u0000b\","
				     "\"flags\":{\"t\":true,\"f\":false},\"raw\":{\"x\":[1]},"
				     "\"dom\":[1,{\"a\":2}],\"last\":0}");
	sr_buf_dispose(&out);
	sr_arena_free(a);
}

static void test_jw_top_level_scalar_and_array(void **state)
{
	sr_buf out = SR_BUF_INIT;
	sr_jw w;

	sr_jw_init(&w, &out);
	sr_jw_string(&w, "x");
	assert_string_equal(out.ptr, "\"x\"");
	sr_buf_clear(&out);
	sr_jw_init(&w, &out);
	sr_jw_array_begin(&w);
	sr_jw_raw(&w, "1", 1);
	sr_jw_raw(&w, "2", 1);
	sr_jw_array_end(&w);
	assert_int_equal(w.rc, 0);
	assert_string_equal(out.ptr, "[1,2]");
	sr_buf_dispose(&out);
}

static void test_jw_depth_63_ok_64_error(void **state)
{
	sr_buf out = SR_BUF_INIT;
	sr_jw w;
	int i;

	sr_jw_init(&w, &out);
	for (i = 0; i < 63; i++) {
		sr_jw_array_begin(&w);
		sr_jw_i64(&w, i);
	}
	for (i = 0; i < 63; i++)
		sr_jw_array_end(&w);
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.depth, 0);
	{
		sr_arena *a = sr_arena_new(0);
		sr_json *v;
		sr_json_limits lim = { 63 };
		assert_int_equal(sr_json_parse(&v, a, out.ptr, out.len, &lim, NULL), 0);
		assert_memory_equal(out.ptr, "[0,[1,[2,", 9);
		assert_memory_equal(out.ptr + out.len - 4, "]]]]", 4);
		sr_arena_free(a);
	}

	sr_buf_clear(&out);
	sr_jw_init(&w, &out);
	for (i = 0; i < 64; i++)
		sr_jw_array_begin(&w);
	assert_int_equal(w.rc, SR_ETOOBIG);
	assert_int_equal(w.depth, 63);
	/* Sticky: later calls change nothing. */
	{
		size_t len = out.len;
		sr_jw_i64(&w, 1);
		sr_jw_array_end(&w);
		sr_jw_key(&w, "k");
		assert_int_equal(out.len, len);
		assert_int_equal(w.rc, SR_ETOOBIG);
	}
	sr_buf_dispose(&out);
}

static void test_jw_misuse_is_an_error(void **state)
{
	sr_buf out = SR_BUF_INIT;
	sr_jw w;

	sr_jw_init(&w, &out);
	sr_jw_array_end(&w); /* nothing open */
	assert_int_equal(w.rc, SR_EINVALID);

	sr_jw_init(&w, &out);
	sr_jw_key(&w, "k"); /* key at top level */
	assert_int_equal(w.rc, SR_EINVALID);

	sr_jw_init(&w, &out);
	sr_jw_object_begin(&w);
	sr_jw_key(&w, "a");
	sr_jw_key(&w, "b"); /* two keys in a row */
	assert_int_equal(w.rc, SR_EINVALID);

	sr_jw_init(&w, &out);
	sr_jw_object_begin(&w);
	sr_jw_key(&w, "a");
	sr_jw_object_end(&w); /* key without a value */
	assert_int_equal(w.rc, SR_EINVALID);
	sr_buf_dispose(&out);
}

static void test_jw_ceiling_is_sticky(void **state)
{
	sr_buf out;
	sr_jw w;

	sr_buf_init(&out, 10);
	sr_jw_init(&w, &out);
	sr_jw_array_begin(&w);
	sr_jw_string(&w, "abcdefghijkl");
	assert_int_equal(w.rc, SR_ETOOBIG);
	sr_jw_i64(&w, 1);
	sr_jw_array_end(&w);
	assert_int_equal(w.rc, SR_ETOOBIG);
	assert_true(out.len <= 10);
	assert_int_equal(out.ptr[0], '[');
	sr_buf_dispose(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_compact),
		cmocka_unit_test(test_write_scalars),
		cmocka_unit_test(test_write_sorted),
		cmocka_unit_test(test_write_sorted_large_object),
		cmocka_unit_test(test_sort_members),
		cmocka_unit_test(test_write_sorted_equal_keys_keep_order),
		cmocka_unit_test(test_write_ceiling),
		cmocka_unit_test(test_jw_nesting_and_commas),
		cmocka_unit_test(test_jw_top_level_scalar_and_array),
		cmocka_unit_test(test_jw_depth_63_ok_64_error),
		cmocka_unit_test(test_jw_misuse_is_an_error),
		cmocka_unit_test(test_jw_ceiling_is_sticky),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

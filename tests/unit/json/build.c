/* Unit tests for src/json/build.c: building documents and appending to
 * parsed ones. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "json/json.h"

static void expect_json(const sr_json *v, const char *want)
{
	sr_buf out = SR_BUF_INIT;

	assert_int_equal(sr_json_write(&out, v), 0);
	assert_string_equal(out.ptr, want);
	sr_buf_dispose(&out);
}

static void test_build_document(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *root = sr_json_new(a, SR_JSON_OBJECT);
	sr_json *fields = sr_json_new(a, SR_JSON_ARRAY);
	char key[] = "type";

	sr_json_object_append(a, root, key, 4, sr_json_new_string(a, "record", 6));
	key[0] = 'X'; /* the key was copied */
	sr_json_object_append(a, root, "fields", 6, fields);
	sr_json_array_append(a, fields, sr_json_new(a, SR_JSON_NULL));
	sr_json_array_append(a, fields, sr_json_new(a, SR_JSON_TRUE));
	sr_json_array_append(a, fields, sr_json_new(a, SR_JSON_FALSE));
	sr_json_array_append(a, fields, sr_json_new_i64(a, INT64_MIN));
	sr_json_array_append(a, fields, sr_json_new_i64(a, INT64_MAX));
	sr_json_array_append(a, fields, sr_json_new_number(a, "1.50e+3xyz", 7));
	sr_json_array_append(a, fields, sr_json_new_string(a, "a\0\"", 3));
	sr_json_array_append(a, fields, sr_json_new(a, SR_JSON_STRING));
	sr_json_array_append(a, fields, sr_json_new(a, SR_JSON_NUMBER));
	sr_json_array_append(a, fields, sr_json_new(a, SR_JSON_ARRAY));
	sr_json_array_append(a, fields, sr_json_new(a, SR_JSON_OBJECT));
	sr_json_object_append(a, root, "a\0b", 3, sr_json_new_i64(a, 0));
	expect_json(root, "{\"type\":\"record\",\"fields\":[null,true,false,"
			  "-9223372036854775808,9223372036854775807,1.50e+3,\"a\\u0000\\\"\","
			  "\"\",0,[],{}],\"a\\u0000b\":0}");
	assert_string_equal(sr_json_get_string(root, "type"), "record");
	assert_int_equal(root->u.members[2].key_len, 3);
	assert_int_equal(root->u.members[2].key[3], '\0');
	sr_arena_free(a);
}

static void test_build_many_appends(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *arr = sr_json_new(a, SR_JSON_ARRAY);
	sr_json *obj = sr_json_new(a, SR_JSON_OBJECT);
	size_t i, n = 100000;
	char key[32];

	for (i = 0; i < n; i++) {
		int k = snprintf(key, sizeof(key), "k%zu", i);
		sr_json_array_append(a, arr, sr_json_new_i64(a, (int64_t)i));
		sr_json_object_append(a, obj, key, (size_t)k, arr->u.items[i]);
	}
	assert_int_equal(arr->len, n);
	assert_int_equal(obj->len, n);
	for (i = 0; i < n; i += 997) {
		int64_t v;
		assert_int_equal(sr_json_number_to_i64(arr->u.items[i], &v), 0);
		assert_true(v == (int64_t)i);
		snprintf(key, sizeof(key), "k%zu", i);
		assert_ptr_equal(sr_json_get(obj, key), arr->u.items[i]);
	}
	/* Amortised growth: far less memory than a copy per append would take. */
	assert_true(sr_arena_used(a) < 64 * n * 4);
	sr_arena_free(a);
}

/* Parsed containers are exactly sized; appending to them must grow, never
 * write past their items. */
static void test_build_append_to_parsed(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *v;
	const char *t = "{\"a\":[1,2,3],\"b\":{\"x\":1},\"c\":[],\"d\":{}}";
	int i;

	assert_int_equal(sr_json_parse(&v, a, t, strlen(t), NULL, NULL), 0);
	for (i = 0; i < 5; i++) {
		sr_json_array_append(a, sr_json_get(v, "a"), sr_json_new_i64(a, 4 + i));
		sr_json_array_append(a, sr_json_get(v, "c"), sr_json_new_i64(a, i));
	}
	sr_json_object_append(a, sr_json_get(v, "b"), "y", 1, sr_json_new_i64(a, 2));
	sr_json_object_append(a, sr_json_get(v, "d"), "z", 1, sr_json_new(a, SR_JSON_NULL));
	sr_json_object_append(a, v, "e", 1, sr_json_new(a, SR_JSON_TRUE));
	expect_json(v, "{\"a\":[1,2,3,4,5,6,7,8],\"b\":{\"x\":1,\"y\":2},\"c\":[0,1,2,3,4],"
		       "\"d\":{\"z\":null},\"e\":true}");
	sr_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_document),
		cmocka_unit_test(test_build_many_appends),
		cmocka_unit_test(test_build_append_to_parsed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

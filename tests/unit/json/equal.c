/* Unit tests for src/json/equal.c: structural equality. */
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
#include "json/json.h"
#include "test_util.h"

static void test_equal_table(void **state)
{
	static const struct {
		const char *x, *y;
		int eq;
	} cases[] = {
		{ "null", "null", 1 },
		{ "true", "true", 1 },
		{ "true", "false", 0 },
		{ "null", "false", 0 },
		{ "0", "false", 0 },
		{ "\"1\"", "1", 0 },
		{ "\"a\"", "\"a\"", 1 },
		{ "\"a\"", "\"\\u0061\"", 1 },
		{ "\"a\"", "\"b\"", 0 },
		{ "\"a\"", "\"ab\"", 0 },
		{ "\"a\\u0000b\"", "\"a\\u0000c\"", 0 },
		{ "\"\"", "\"\"", 1 },
		{ "[]", "[]", 1 },
		{ "[]", "{}", 0 },
		{ "[1,2]", "[1,2]", 1 },
		{ "[1,2]", "[2,1]", 0 },
		{ "[1,2]", "[1,2,3]", 0 },
		{ "[1,[2,[3]]]", "[1.0,[2e0,[30e-1]]]", 1 },
		{ "{}", "{}", 1 },
		{ "{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", 1 },
		{ "{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1.0}", 1 },
		{ "{\"a\":1,\"b\":2}", "{\"a\":1}", 0 },
		{ "{\"a\":1}", "{\"a\":1,\"b\":2}", 0 },
		{ "{\"a\":1,\"b\":2}", "{\"a\":1,\"c\":2}", 0 },
		{ "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":3}", 0 },
		{ "{\"a\":{\"x\":[1,{\"y\":null}]}}", "{\"a\":{\"x\":[1,{\"y\":null}]}}", 1 },
		{ "{\"a\":{\"x\":[1,{\"y\":null}]}}", "{\"a\":{\"x\":[1,{\"y\":false}]}}", 0 },
		{ "{\"a\":[]}", "{\"a\":{}}", 0 },
	};
	sr_arena *a = sr_arena_new(0);
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sr_json *x = json_of_n(a, cases[i].x, strlen(cases[i].x));
		sr_json *y = json_of_n(a, cases[i].y, strlen(cases[i].y));
		if (sr_json_equal(x, y) != cases[i].eq || sr_json_equal(y, x) != cases[i].eq)
			fail_msg("%s vs %s", cases[i].x, cases[i].y);
		assert_true(sr_json_equal(x, x));
	}
	assert_true(sr_json_equal(NULL, NULL));
	assert_false(sr_json_equal(json_of_n(a, "1", 1), NULL));
	sr_arena_free(a);
}

/* Objects large enough for the hash index, members in opposite orders. */
static void test_equal_large_objects(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_buf x = SR_BUF_INIT, y = SR_BUF_INIT, z = SR_BUF_INIT;
	int i, n = 1000;

	sr_buf_putc(&x, '{');
	sr_buf_putc(&y, '{');
	sr_buf_putc(&z, '{');
	for (i = 0; i < n; i++) {
		sr_buf_printf(&x, "%s\"k%d\":[%d]", i ? "," : "", i, i);
		sr_buf_printf(&y, "%s\"k%d\":[%d]", i ? "," : "", n - 1 - i, n - 1 - i);
		sr_buf_printf(&z, "%s\"k%d\":[%d]", i ? "," : "", n - 1 - i,
			      i == 500 ? 0 : n - 1 - i);
	}
	sr_buf_putc(&x, '}');
	sr_buf_putc(&y, '}');
	sr_buf_putc(&z, '}');
	assert_true(sr_json_equal(json_of_n(a, x.ptr, x.len), json_of_n(a, y.ptr, y.len)));
	assert_false(sr_json_equal(json_of_n(a, x.ptr, x.len), json_of_n(a, z.ptr, z.len)));
	assert_false(sr_json_equal(json_of_n(a, z.ptr, z.len), json_of_n(a, y.ptr, y.len)));
	sr_buf_dispose(&x);
	sr_buf_dispose(&y);
	sr_buf_dispose(&z);
	sr_arena_free(a);
}

/* Deep documents compare without deep C recursion. */
static void test_equal_deep(void **state)
{
	size_t n = 200000;
	char *t = malloc(2 * n + 1);
	sr_arena *a = sr_arena_new(0);
	sr_json *x, *y;

	memset(t, '[', n);
	t[n] = '1';
	memset(t + n + 1, ']', n);
	x = json_of_n(a, t, 2 * n + 1);
	y = json_of_n(a, t, 2 * n + 1);
	assert_true(sr_json_equal(x, y));
	t[n] = '2';
	y = json_of_n(a, t, 2 * n + 1);
	assert_false(sr_json_equal(x, y));
	free(t);
	sr_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_table),
		cmocka_unit_test(test_equal_large_objects),
		cmocka_unit_test(test_equal_deep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for src/core/buf.c and src/core/error.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/error.h"

static void test_buf_put_and_detach(void **state)
{
	sr_buf b = SR_BUF_INIT;
	char *p;
	size_t len;

	assert_int_equal(sr_buf_puts(&b, "abc"), 0);
	assert_int_equal(sr_buf_printf(&b, "-%d-", 42), 0);
	assert_int_equal(sr_buf_put_i64(&b, -9223372036854775807LL - 1), 0);
	assert_string_equal(b.ptr, "abc-42--9223372036854775808");
	p = sr_buf_detach(&b, &len);
	assert_int_equal(len, strlen(p));
	assert_null(b.ptr);
	free(p);
}

static void test_buf_ceiling(void **state)
{
	sr_buf b;

	sr_buf_init(&b, 4);
	assert_int_equal(sr_buf_puts(&b, "abcd"), 0);
	assert_int_equal(sr_buf_putc(&b, 'e'), SR_ETOOBIG);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.ptr, "abcd");
	sr_buf_dispose(&b);
}

static void test_buf_json_string(void **state)
{
	sr_buf b = SR_BUF_INIT;

	sr_buf_put_json_string(&b, "a\"b\\c\n\x01\xc3\xa9/", 10);
	assert_string_equal(b.ptr, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9/\"");
	sr_buf_dispose(&b);
}

static void test_err_set_and_prefix(void **state)
{
	sr_err e = SR_ERR_INIT;

	assert_int_equal(sr_err_set(&e, SR_EINVALID, SR_ERR_INVALID_SCHEMA, "bad %s", "x"),
			 SR_EINVALID);
	sr_err_prefix(&e, "ctx: ");
	assert_int_equal(e.code, 42201);
	assert_string_equal(sr_err_message(&e), "ctx: bad x");
	sr_err_dispose(&e);
	assert_string_equal(sr_err_message(&e), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_put_and_detach),
		cmocka_unit_test(test_buf_ceiling),
		cmocka_unit_test(test_buf_json_string),
		cmocka_unit_test(test_err_set_and_prefix),
	};
	return cmocka_run_group_tests_name("core/buf", tests, NULL, NULL);
}

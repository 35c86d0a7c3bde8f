/* Unit tests for src/core/hash.c: hex rendering and hex digits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/hash.h"

static void test_hex_renders_lower_case(void **state)
{
	static const unsigned char bytes[] = { 0x00, 0x09, 0xab, 0xff, 0x5c };
	char out[2 * sizeof(bytes) + 1];

	sr_hex(out, bytes, sizeof(bytes));
	assert_string_equal(out, "0009abff5c");
}

/* Every byte value: the sixteen digits of each case, -1 for the rest. */
static void test_hex_digit(void **state)
{
	static const char digits[] = "0123456789abcdef";
	int c;

	for (c = -128; c < 256; c++) {
		const char *lower = c > 0 ? memchr(digits, c, 16) : NULL;
		const char *upper = c >= 'A' && c <= 'F' ? digits + 10 + (c - 'A') : NULL;
		int want = lower ? (int)(lower - digits) : upper ? (int)(upper - digits) : -1;

		assert_int_equal(sr_hex_digit(c), want);
	}
}

/* sr_hex's output decodes back through sr_hex_digit. */
static void test_hex_round_trip(void **state)
{
	unsigned char bytes[256];
	char out[2 * sizeof(bytes) + 1];
	size_t i;

	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = (unsigned char)i;
	sr_hex(out, bytes, sizeof(bytes));
	for (i = 0; i < sizeof(bytes); i++)
		assert_int_equal(sr_hex_digit(out[2 * i]) * 16 + sr_hex_digit(out[2 * i + 1]), bytes[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_renders_lower_case),
		cmocka_unit_test(test_hex_digit),
		cmocka_unit_test(test_hex_round_trip),
	};
	return cmocka_run_group_tests_name("core/hash", tests, NULL, NULL);
}

/*
 * Unit tests for src/formats/jsonschema/number.c: exact decimal reading,
 * comparison, integer test, multipleOf (small and multi-precision
 * divisors, huge exponents) and the double fast path.
 */
#include "test_validator_helpers.c"

static sr_js_dec dec(const char *s)
{
	sr_js_dec d;

	sr_js__dec_parse(&d, s, strlen(s));
	return d;
}

static int cmp(const char *a, const char *b)
{
	sr_js_dec x = dec(a), y = dec(b);

	return sr_js__dec_cmp(&x, &y);
}

static bool multiple(sr_arena *a, const char *v, const char *m)
{
	sr_js_divisor d;
	sr_js_dec x = dec(v);

	assert_int_equal(sr_js__divisor_init(&d, a, m, strlen(m)), 0);
	return sr_js__dec_multiple_of(&x, &d, a);
}

static void test_parse_normalises(void **state)
{
	sr_js_dec d = dec("0.0075");

	assert_false(d.neg);
	assert_false(d.zero);
	assert_int_equal(d.n1 + d.n2, 2);
	assert_int_equal(d.exp, -2);
	d = dec("-120.50e1");
	assert_true(d.neg);
	assert_int_equal(d.n1 + d.n2, 4); /* 1205 */
	assert_int_equal(d.exp, 4);
	d = dec("-0.000e5");
	assert_true(d.zero);
	assert_false(d.neg);
}

static void test_compare(void **state)
{
	assert_int_equal(cmp("1", "1.0"), 0);
	assert_int_equal(cmp("1e2", "100"), 0);
	assert_int_equal(cmp("-0", "0.0"), 0);
	assert_int_equal(cmp("0.1", "0.10000000000000001"), -1);
	assert_int_equal(cmp("18446744073709551616", "18446744073709551615"), 1);
	assert_int_equal(cmp("-18446744073709551616", "-18446744073709551615"), -1);
	assert_int_equal(cmp("1e309", "1e308"), 1);
	assert_int_equal(cmp("1e308", "1e309"), -1);
	assert_int_equal(cmp("972783798187987123879878123.188781371",
			     "972783798187987123879878123.18878137"), 1);
	assert_int_equal(cmp("-1", "1"), -1);
	assert_int_equal(cmp("0", "-1e-400"), 1);
	assert_int_equal(cmp("1e-400", "0"), 1);
	assert_int_equal(cmp("1E+2", "99.999"), 1);
	/* exponents far outside any int range saturate but still order */
	assert_int_equal(cmp("1e99999999999999999999999", "1e9999"), 1);
}

static void test_is_integer(void **state)
{
	sr_js_dec d = dec("1.0");

	assert_true(sr_js__dec_is_integer(&d));
	d = dec("1.5e1");
	assert_true(sr_js__dec_is_integer(&d));
	d = dec("1.55e1");
	assert_false(sr_js__dec_is_integer(&d));
	d = dec("12345678910111213141516171819202122232425262728293031");
	assert_true(sr_js__dec_is_integer(&d));
	d = dec("1e-5");
	assert_false(sr_js__dec_is_integer(&d));
	d = dec("0e-5");
	assert_true(sr_js__dec_is_integer(&d));
}

static void test_multiple_of(void **state)
{
	sr_arena *a = sr_arena_new(0);

	assert_true(multiple(a, "0.0075", "0.0001"));
	assert_false(multiple(a, "0.00751", "0.0001"));
	assert_true(multiple(a, "19.99", "0.01"));
	assert_true(multiple(a, "4.5", "1.5"));
	assert_false(multiple(a, "35", "1.5"));
	assert_true(multiple(a, "1e308", "0.5"));
	assert_true(multiple(a, "1e309", "10"));
	assert_false(multiple(a, "1e-309", "1"));
	assert_true(multiple(a, "0", "7"));
	assert_true(multiple(a, "-21", "7"));
	assert_true(multiple(a, "123456789012345678901234567890", "3"));
	assert_false(multiple(a, "123456789012345678901234567891", "3"));
	/* divisors beyond 64 bits take the multi-precision path */
	assert_true(multiple(a, "246913578024691357802469135780", "123456789012345678901234567890"));
	assert_false(multiple(a, "246913578024691357802469135781", "123456789012345678901234567890"));
	assert_true(multiple(a, "1e40", "1e-30"));
	assert_true(multiple(a, "8e-60", "2e-60"));
	assert_false(multiple(a, "9e-60", "2e-60"));
	assert_true(multiple(a, "3.0e50", "0.000000000000000000000000000000000000000000000000000000001"));
	/* invalid divisors */
	{
		sr_js_divisor d;
		assert_int_not_equal(sr_js__divisor_init(&d, a, "0", 1), 0);
		assert_int_not_equal(sr_js__divisor_init(&d, a, "-2", 2), 0);
	}
	sr_arena_free(a);
}

static void test_fast_double(void **state)
{
	double d;

	assert_true(sr_js__fast_double("52.52", 5, &d));
	assert_true(d == 52.52);
	assert_true(sr_js__fast_double("-90", 3, &d));
	assert_true(d == -90.0);
	assert_true(sr_js__fast_double("0.0075", 6, &d));
	assert_true(d == 0.0075);
	assert_true(sr_js__fast_double("1e22", 4, &d));
	assert_true(d == 1e22);
	/* outside the exact range: refused, the decimal path decides */
	assert_false(sr_js__fast_double("1e23", 4, &d));
	assert_false(sr_js__fast_double("0.1000000000000000055", 21, &d));
	assert_false(sr_js__fast_double("12345678901234567", 17, &d));
}

static void test_key_hash(void **state)
{
	/* keys of every length up to 16 differ in any byte */
	char a[20], b[20];
	size_t n, i;

	for (n = 1; n <= 16; n++) {
		memset(a, 'k', n);
		for (i = 0; i < n; i++) {
			memcpy(b, a, n);
			b[i] = 'x';
			assert_true(sr_js__key_hash(a, n) != sr_js__key_hash(b, n));
		}
	}
	assert_true(sr_js__key_hash("ab", 2) != sr_js__key_hash("abc", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_normalises), cmocka_unit_test(test_compare),
		cmocka_unit_test(test_is_integer),	 cmocka_unit_test(test_multiple_of),
		cmocka_unit_test(test_fast_double),	 cmocka_unit_test(test_key_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

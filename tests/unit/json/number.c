/* Unit tests for src/json/number.c: integer checks and conversions, and
 * exact comparison of number lexemes by value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/error.h"
#include "json/json.h"

static sr_json *num(sr_arena *a, const char *lexeme)
{
	sr_json *v;
	sr_json_error err;

	if (sr_json_parse(&v, a, lexeme, strlen(lexeme), NULL, &err) != 0)
		fail_msg("parse %s: %s", lexeme, err.msg);
	assert_int_equal(v->type, SR_JSON_NUMBER);
	return v;
}

static void test_number_is_integer(void **state)
{
	sr_arena *a = sr_arena_new(0);

	assert_true(sr_json_number_is_integer(num(a, "0")));
	assert_true(sr_json_number_is_integer(num(a, "-0")));
	assert_true(sr_json_number_is_integer(num(a, "123456789012345678901234567890")));
	assert_false(sr_json_number_is_integer(num(a, "1.0")));
	assert_false(sr_json_number_is_integer(num(a, "1e2")));
	assert_false(sr_json_number_is_integer(num(a, "1E2")));
	assert_false(sr_json_number_is_integer(NULL));
	assert_false(sr_json_number_is_integer(sr_json_new_string(a, "1", 1)));
	sr_arena_free(a);
}

static void test_number_to_i64(void **state)
{
	static const struct {
		const char *lexeme;
		int ok;
		int64_t want;
	} cases[] = {
		{ "0", 1, 0 },
		{ "-0", 1, 0 },
		{ "7", 1, 7 },
		{ "-7", 1, -7 },
		{ "2147483648", 1, 2147483648LL },
		{ "9223372036854775807", 1, INT64_MAX },
		{ "-9223372036854775808", 1, INT64_MIN },
		{ "9223372036854775808", 0, 0 },
		{ "-9223372036854775809", 0, 0 },
		{ "9223372036854775810", 0, 0 },
		{ "18446744073709551615", 0, 0 },
		{ "18446744073709551616", 0, 0 },
		{ "99999999999999999999999999999", 0, 0 },
		{ "1.0", 0, 0 },
		{ "1e0", 0, 0 },
		{ "-1E+2", 0, 0 },
	};
	sr_arena *a = sr_arena_new(0);
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t got = 12345;
		int rc = sr_json_number_to_i64(num(a, cases[i].lexeme), &got);

		if (cases[i].ok) {
			assert_int_equal(rc, 0);
			assert_true(got == cases[i].want);
		} else {
			if (rc != SR_EINVALID)
				fail_msg("%s: rc %d", cases[i].lexeme, rc);
			assert_true(got == 12345); /* untouched */
		}
	}
	assert_int_equal(sr_json_number_to_i64(sr_json_new(a, SR_JSON_NULL), NULL), SR_EINVALID);
	sr_arena_free(a);
}

static void test_number_to_double(void **state)
{
	sr_arena *a = sr_arena_new(0);

	assert_true(sr_json_number_to_double(num(a, "0.1")) == 0.1);
	assert_true(sr_json_number_to_double(num(a, "-2.5E3")) == -2500.0);
	assert_true(sr_json_number_to_double(num(a, "12345678901234567890")) ==
		    12345678901234567890.0);
	assert_true(isinf(sr_json_number_to_double(num(a, "1e400"))));
	assert_true(signbit(sr_json_number_to_double(num(a, "-0"))));
	sr_arena_free(a);
}

static void test_number_equal_by_value(void **state)
{
	static const struct {
		const char *x, *y;
		int eq;
	} cases[] = {
		{ "1", "1", 1 },
		{ "1", "1.0", 1 },
		{ "1", "10e-1", 1 },
		{ "1.0", "10e-1", 1 },
		{ "1", "0.1e1", 1 },
		{ "1", "100E-2", 1 },
		{ "1", "0.001e+3", 1 },
		{ "1", "1e0", 1 },
		{ "1", "1e-0", 1 },
		{ "100", "1e2", 1 },
		{ "100", "1E+0002", 1 },
		{ "0", "-0", 1 },
		{ "0", "0.0", 1 },
		{ "0", "-0.0e-5", 1 },
		{ "0e999999999999999999999999", "0", 1 },
		{ "-1.5", "-15e-1", 1 },
		{ "0.000123", "1.23e-4", 1 },
		{ "123.456", "123456e-3", 1 },
		{ "1", "2", 0 },
		{ "1", "-1", 0 },
		{ "1", "0", 0 },
		{ "1", "10", 0 },
		{ "1", "1.1", 0 },
		{ "1", "1e1", 0 },
		{ "0.1", "0.01", 0 },
		{ "-0.5", "0.5", 0 },
		{ "12", "21", 0 },
		{ "1.2", "12", 0 },
		/* Beyond double precision: exact. */
		{ "12345678901234567890123", "12345678901234567890123.000", 1 },
		{ "12345678901234567890123", "12345678901234567890124", 0 },
		{ "9007199254740993", "9007199254740992", 0 },
		{ "0.1", "0.10000000000000001", 0 },
		{ "1e400", "10e399", 1 },
		{ "1e400", "1e401", 0 },
		{ "1e-400", "0.1e-399", 1 },
		/* Exponents beyond 64 bits, where the digit shift carries or borrows. */
		{ "1e100000000000000000000", "10e99999999999999999999", 1 },
		{ "1e100000000000000000000", "0.1e100000000000000000001", 1 },
		{ "1e99999999999999999999", "0.1e100000000000000000000", 1 },
		{ "1e-100000000000000000000", "10e-100000000000000000001", 1 },
		{ "1e-99999999999999999999", "0.01e-99999999999999999997", 1 },
		{ "1e100000000000000000000", "1e100000000000000000001", 0 },
		{ "1e100000000000000000000", "1e-100000000000000000000", 0 },
		{ "1e100000000000000000000", "10e100000000000000000000", 0 },
		{ "1e0000000000000000000000000000000001", "10", 1 },
		{ "1e18446744073709551616", "10e18446744073709551615", 1 },
		{ "1e9223372036854775808", "10e9223372036854775807", 1 },
		{ "1e9223372036854775807", "10e9223372036854775806", 1 },
		{ "1e-9223372036854775808", "0.1e-9223372036854775807", 1 },
	};
	sr_arena *a = sr_arena_new(0);
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sr_json *x = num(a, cases[i].x), *y = num(a, cases[i].y);
		if (sr_json_equal(x, y) != cases[i].eq || sr_json_equal(y, x) != cases[i].eq)
			fail_msg("%s vs %s: want %s", cases[i].x, cases[i].y,
				 cases[i].eq ? "equal" : "different");
	}
	sr_arena_free(a);
}

/* ---- property: many spellings of one value ----------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng_state >> 33) % n);
}

static void put_exp(char **p, int64_t e, bool may_omit)
{
	static const char *const marks[] = { "e", "E", "e+", "E+" };

	if (e == 0 && may_omit && rnd(2))
		return;
	if (e < 0) {
		*p += sprintf(*p, "%s-", rnd(2) ? "e" : "E");
		e = -e;
	} else {
		*p += sprintf(*p, "%s", marks[rnd(4)]);
	}
	*p += sprintf(*p, "%.*s%lld", (int)rnd(3), "000", (long long)e);
}

/* Spell 0.D x 10^E (D without leading or trailing zeros) in form `form`. */
static void spell(char *out, bool neg, const char *d, size_t n, int64_t e, int form)
{
	char *p = out;
	size_t s, z = rnd(4), t = rnd(3);

	if (neg)
		*p++ = '-';
	if (form == 0) { /* d1 ... ds . ds+1 ... dn 000 e(E-s) */
		s = 1 + rnd((unsigned)n);
		memcpy(p, d, s);
		p += s;
		if (s < n || t) {
			*p++ = '.';
			memcpy(p, d + s, n - s);
			p += n - s;
			memset(p, '0', t);
			p += t;
		}
		*p = '\0';
		put_exp(&p, e - (int64_t)s, true);
	} else if (form == 1) { /* 0.000D000 e(E+z) */
		*p++ = '0';
		*p++ = '.';
		memset(p, '0', z);
		p += z;
		memcpy(p, d, n);
		p += n;
		memset(p, '0', t);
		p += t;
		*p = '\0';
		put_exp(&p, e + (int64_t)z, true);
	} else { /* D000 e(E-n-z) */
		memcpy(p, d, n);
		p += n;
		memset(p, '0', z);
		p += z;
		*p = '\0';
		put_exp(&p, e - (int64_t)n - (int64_t)z, true);
	}
	*p = '\0';
}

static void test_number_equal_property(void **state)
{
	sr_arena *a = sr_arena_new(0);
	int iter;

	for (iter = 0; iter < 20000; iter++) {
		char d[48], d2[48], x[160], y[160];
		size_t n = 1 + rnd(40), i;
		bool neg = rnd(2);
		int64_t e = rnd(4) ? (int64_t)rnd(80) - 40
				   : (int64_t)rnd(1000000) * 1000000000000LL - 500000000000000000LL;

		for (i = 0; i < n; i++)
			d[i] = (char)('0' + rnd(10));
		d[0] = (char)('1' + rnd(9));
		d[n - 1] = (char)('1' + rnd(9));
		d[n] = '\0';
		spell(x, neg, d, n, e, (int)rnd(3));
		spell(y, neg, d, n, e, (int)rnd(3));
		if (!sr_json_equal(num(a, x), num(a, y)))
			fail_msg("%s should equal %s", x, y);

		/* One digit different, the exponent off by one, or the other
		 * sign: different. */
		memcpy(d2, d, n + 1);
		switch (rnd(3)) {
		case 0:
			i = rnd((unsigned)n);
			d2[i] = (char)(d2[i] == '9' ? '1' : d2[i] + 1);
			spell(y, neg, d2, n, e, (int)rnd(3));
			break;
		case 1:
			spell(y, neg, d, n, e + (rnd(2) ? 1 : -1), (int)rnd(3));
			break;
		default:
			spell(y, !neg, d, n, e, (int)rnd(3));
		}
		if (sr_json_equal(num(a, x), num(a, y)))
			fail_msg("%s should differ from %s", x, y);
		if (iter % 1000 == 999) {
			sr_arena_free(a);
			a = sr_arena_new(0);
		}
	}
	sr_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_number_is_integer),
		cmocka_unit_test(test_number_to_i64),
		cmocka_unit_test(test_number_to_double),
		cmocka_unit_test(test_number_equal_by_value),
		cmocka_unit_test(test_number_equal_property),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

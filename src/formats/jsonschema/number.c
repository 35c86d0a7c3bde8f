/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Exact decimal arithmetic on JSON number lexemes, for the numeric
 * keywords: JSON numbers are decimals of any size and precision, so
 * comparisons and multipleOf work on the digits, never through doubles
 * (1e309 is not infinity, 0.0075 is a multiple of 0.0001,
 * 18446744073709551616 > 18446744073709551615).
 *
 * A lexeme is read as sign * 0.D * 10^exp with D its significant digits;
 * reading allocates nothing (D points into the lexeme, in two parts around
 * the decimal point).
 *
 * multipleOf: v = Dv * 10^ev and m = Dm * 10^em with Dv, Dm integers. If
 * ev < em, v/m is an integer only when 10 divides Dv, which it does not
 * (Dv has no trailing zeros). Otherwise, with k = ev - em, v/m is an
 * integer iff Dm divides Dv * 10^k. Writing Dm = 2^p2 * 5^p5 * c (c
 * coprime to 10, factored once when the schema is compiled), that holds iff
 * c * 2^max(0, p2-k) * 5^max(0, p5-k) divides Dv: one remainder of the
 * digits of Dv, computed in 64/128-bit arithmetic when that modulus fits
 * in 64 bits (always, for divisors written with up to 19 digits and small
 * powers), else with a small multi-precision routine.
 */
#include <string.h>

#include "core/hash.h"
#include "formats/jsonschema/compiled.h"

/* Exponents are saturated here: far beyond any difference that matters
 * while staying clear of int64 overflow in the arithmetic below. */
#define EXP_LIMIT ((int64_t)1 << 60)
/* Longest multipleOf accepted, in significant digits. */
#define DIVISOR_MAX_DIGITS 4000

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

void sr_js__dec_parse(sr_js_dec *out, const char *s, size_t len)
{
	size_t i = 0, i0, i1, f0 = 0, f1 = 0, nall, lead, trail, end;
	int64_t ex = 0;
	bool eneg = false;

	memset(out, 0, sizeof(*out));
	if (i < len && s[i] == '-') {
		out->neg = true;
		i++;
	}
	i0 = i;
	while (i < len && is_digit(s[i]))
		i++;
	i1 = i;
	if (i < len && s[i] == '.') {
		f0 = ++i;
		while (i < len && is_digit(s[i]))
			i++;
		f1 = i;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < len && is_digit(s[i]); i++)
			if (ex < EXP_LIMIT / 10)
				ex = ex * 10 + (s[i] - '0');
		if (eneg)
			ex = -ex;
	}
	/* All digits: s[i0..i1) then s[f0..f1). */
	nall = (i1 - i0) + (f1 - f0);
	for (lead = 0; lead < nall; lead++) {
		char c = lead < i1 - i0 ? s[i0 + lead] : s[f0 + lead - (i1 - i0)];
		if (c != '0')
			break;
	}
	if (lead == nall) {
		out->zero = true;
		out->neg = false;
		return;
	}
	for (trail = 0; trail < nall; trail++) {
		size_t k = nall - 1 - trail;
		char c = k < i1 - i0 ? s[i0 + k] : s[f0 + k - (i1 - i0)];
		if (c != '0')
			break;
	}
	end = nall - trail;
	if (lead < i1 - i0) {
		out->d1 = s + i0 + lead;
		out->n1 = (end < i1 - i0 ? end : i1 - i0) - lead;
		out->d2 = s + f0;
		out->n2 = end > i1 - i0 ? end - (i1 - i0) : 0;
	} else {
		out->d1 = s + f0 + (lead - (i1 - i0));
		out->n1 = end - lead;
		out->d2 = NULL;
		out->n2 = 0;
	}
	out->exp = (int64_t)(i1 - i0) - (int64_t)lead + ex;
}

static inline char dec_digit(const sr_js_dec *d, size_t k)
{
	return k < d->n1 ? d->d1[k] : d->d2[k - d->n1];
}

static int mag_cmp(const sr_js_dec *a, const sr_js_dec *b)
{
	size_t na = a->n1 + a->n2, nb = b->n1 + b->n2, k;

	if (a->exp != b->exp)
		return a->exp < b->exp ? -1 : 1;
	for (k = 0; k < na && k < nb; k++) {
		char x = dec_digit(a, k), y = dec_digit(b, k);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return na == nb ? 0 : na < nb ? -1 : 1;
}

int sr_js__dec_cmp(const sr_js_dec *a, const sr_js_dec *b)
{
	int c;

	if (a->zero || b->zero) {
		if (a->zero && b->zero)
			return 0;
		if (a->zero)
			return b->neg ? 1 : -1;
		return a->neg ? -1 : 1;
	}
	if (a->neg != b->neg)
		return a->neg ? -1 : 1;
	c = mag_cmp(a, b);
	return a->neg ? -c : c;
}

bool sr_js__dec_is_integer(const sr_js_dec *d)
{
	return d->zero || d->exp >= (int64_t)(d->n1 + d->n2);
}

bool sr_js__fast_double(const char *s, size_t len, double *out)
{
	static const double pow10[] = {
		1e0,  1e1,  1e2,  1e3,	1e4,  1e5,  1e6,  1e7,	1e8,  1e9,  1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
	};
	size_t i = 0;
	uint64_t m = 0;
	int digits = 0, frac = 0, ex = 0;
	bool neg = false, eneg = false;
	double d;

	if (i < len && s[i] == '-') {
		neg = true;
		i++;
	}
	for (; i < len && is_digit(s[i]); i++) {
		if (m || s[i] != '0') {
			if (++digits > 15)
				return false;
			m = m * 10 + (uint64_t)(s[i] - '0');
		}
	}
	if (i < len && s[i] == '.') {
		for (i++; i < len && is_digit(s[i]); i++) {
			frac++;
			if (m || s[i] != '0') {
				if (++digits > 15)
					return false;
				m = m * 10 + (uint64_t)(s[i] - '0');
			}
		}
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < len && is_digit(s[i]); i++) {
			if (ex > 1000)
				return false;
			ex = ex * 10 + (s[i] - '0');
		}
		if (eneg)
			ex = -ex;
	}
	ex -= frac;
	if (ex < -22 || ex > 22)
		return m == 0 ? (*out = 0.0, true) : false;
	d = (double)m;
	d = ex < 0 ? d / pow10[-ex] : d * pow10[ex];
	*out = neg ? -d : d;
	return true;
}

uint64_t sr_js__key_hash(const char *s, size_t n)
{
	uint64_t a = 0, b = 0, h;

	if (n > 16)
		return sr_hash64(s, n);
	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
	} else if (n >= 4) {
		uint32_t x, y;
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		a = x;
		b = y;
	} else if (n) {
		a = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (uint64_t)(unsigned char)s[n - 1] << 16;
	}
	h = (a * 0x9e3779b97f4a7c15ULL) ^ ((b * 0xc2b2ae3d27d4eb4fULL) >> 7) ^ (n * 0x165667b19e3779f9ULL);
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return h;
}

/* ---- multi-precision helpers (little-endian base 2^32) --------------------- */

/* x = x * m + add; returns the new length (x has room for one more limb). */
static size_t big_mul_add(uint32_t *x, size_t n, uint32_t m, uint32_t add)
{
	uint64_t carry = add;
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t t = (uint64_t)x[i] * m + carry;
		x[i] = (uint32_t)t;
		carry = t >> 32;
	}
	if (carry)
		x[n++] = (uint32_t)carry;
	return n;
}

/* x / d in place (d small); returns the remainder. */
static uint32_t big_div_small(uint32_t *x, size_t *n, uint32_t d)
{
	uint64_t r = 0;
	size_t i;

	for (i = *n; i-- > 0;) {
		uint64_t t = (r << 32) | x[i];
		x[i] = (uint32_t)(t / d);
		r = t % d;
	}
	while (*n && x[*n - 1] == 0)
		(*n)--;
	return (uint32_t)r;
}

static uint32_t big_mod_small(const uint32_t *x, size_t n, uint32_t d)
{
	uint64_t r = 0;
	size_t i;

	for (i = n; i-- > 0;)
		r = ((r << 32) | x[i]) % d;
	return (uint32_t)r;
}

static int big_cmp(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return na < nb ? -1 : 1;
	for (i = na; i-- > 0;)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* a -= b (a >= b); returns the new length. */
static size_t big_sub(uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	int64_t borrow = 0;
	size_t i;

	for (i = 0; i < na; i++) {
		int64_t t = (int64_t)a[i] - (i < nb ? b[i] : 0) - borrow;
		borrow = t < 0;
		a[i] = (uint32_t)(t + (borrow ? ((int64_t)1 << 32) : 0));
	}
	while (na && a[na - 1] == 0)
		na--;
	return na;
}

int sr_js__divisor_init(sr_js_divisor *out, sr_arena *a, const char *lexeme, size_t len)
{
	sr_js_dec d;
	size_t nd, k, n = 0;
	uint32_t *x;

	memset(out, 0, sizeof(*out));
	sr_js__dec_parse(&d, lexeme, len);
	if (d.zero || d.neg)
		return SR_EINVALID;
	nd = d.n1 + d.n2;
	if (nd > DIVISOR_MAX_DIGITS)
		return SR_EINVALID;
	out->unit_exp = d.exp - (int64_t)nd;
	x = sr_arena_calloc(a, nd / 9 + 2, sizeof(*x));
	for (k = 0; k < nd; k++)
		n = big_mul_add(x, n, 10, (uint32_t)(dec_digit(&d, k) - '0'));
	while (n && big_mod_small(x, n, 2) == 0) {
		big_div_small(x, &n, 2);
		out->p2++;
	}
	while (n && big_mod_small(x, n, 5) == 0) {
		big_div_small(x, &n, 5);
		out->p5++;
	}
	out->c = x;
	out->nc = n;
	return 0;
}

/* The modulus c * 2^x2 * 5^x5 as a uint64, or false if it does not fit. */
static bool small_modulus(const sr_js_divisor *d, uint64_t x2, uint64_t x5, uint64_t *out)
{
	uint64_t m;

	if (d->nc > 2)
		return false;
	m = d->nc == 0 ? 0 : d->nc == 1 ? d->c[0] : ((uint64_t)d->c[1] << 32) | d->c[0];
	if (x2 >= 64 || x5 >= 28)
		return false;
	if (m > (UINT64_MAX >> x2))
		return false;
	m <<= x2;
	while (x5--) {
		if (__builtin_mul_overflow(m, (uint64_t)5, &m))
			return false;
	}
	*out = m;
	return true;
}

bool sr_js__dec_multiple_of(const sr_js_dec *v, const sr_js_divisor *d, sr_arena *scratch)
{
	size_t nv, k, nm, nr;
	int64_t ev;
	uint64_t steps, x2, x5, m;
	uint32_t *M, *r;

	if (v->zero)
		return true;
	nv = v->n1 + v->n2;
	ev = v->exp - (int64_t)nv;
	if (ev < d->unit_exp)
		return false;
	steps = (uint64_t)(ev - d->unit_exp);
	x2 = d->p2 > steps ? d->p2 - steps : 0;
	x5 = d->p5 > steps ? d->p5 - steps : 0;
	if (small_modulus(d, x2, x5, &m)) {
		unsigned __int128 rem = 0;
		if (m <= 1)
			return true;
		for (k = 0; k < nv; k++)
			rem = (rem * 10 + (unsigned)(dec_digit(v, k) - '0')) % m;
		return rem == 0;
	}
	/* Multi-precision: M = c * 2^x2 * 5^x5, then the remainder of Dv. */
	nm = d->nc;
	M = sr_arena_calloc(scratch, d->nc + (size_t)((x2 + 3 * x5) / 32) + 3, sizeof(*M));
	memcpy(M, d->c, d->nc * sizeof(*M));
	for (; x2 >= 16; x2 -= 16)
		nm = big_mul_add(M, nm, 1u << 16, 0);
	if (x2)
		nm = big_mul_add(M, nm, 1u << x2, 0);
	for (; x5 >= 13; x5 -= 13)
		nm = big_mul_add(M, nm, 1220703125u, 0); /* 5^13 */
	while (x5--)
		nm = big_mul_add(M, nm, 5, 0);
	r = sr_arena_calloc(scratch, nm + 2, sizeof(*r));
	nr = 0;
	for (k = 0; k < nv; k++) {
		nr = big_mul_add(r, nr, 10, (uint32_t)(dec_digit(v, k) - '0'));
		while (big_cmp(r, nr, M, nm) >= 0)
			nr = big_sub(r, nr, M, nm);
	}
	return nr == 0;
}

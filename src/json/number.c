/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Numbers: conversions of the kept lexeme and exact comparison by value.
 *
 * Two lexemes are compared as decimals, never through doubles, so that
 * big integers and long fractions compare exactly: each is normalised to
 * 0.D x 10^E with D its significant digits (no leading or trailing zeros),
 * and the numbers are equal when the signs, D and E agree (or both are 0).
 */
#include "json/json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "json/internal.h"

bool sr_json_number_is_integer(const sr_json *v)
{
	size_t i;

	if (!v || v->type != SR_JSON_NUMBER)
		return false;
	for (i = 0; i < v->len; i++) {
		char c = v->u.str[i];
		if (c == '.' || c == 'e' || c == 'E')
			return false;
	}
	return true;
}

int sr_json_number_to_i64(const sr_json *v, int64_t *out)
{
	const char *s;
	size_t i = 0, n;
	uint64_t mag = 0, limit;
	bool neg;

	if (!sr_json_number_is_integer(v) || !v->len)
		return SR_EINVALID;
	s = v->u.str;
	n = v->len;
	neg = s[0] == '-';
	if (neg)
		i++;
	if (i >= n)
		return SR_EINVALID;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		unsigned d;
		if (!sr_json__is_digit((unsigned char)s[i]))
			return SR_EINVALID;
		d = (unsigned)(s[i] - '0');
		if (mag > (limit - d) / 10)
			return SR_EINVALID;
		mag = mag * 10 + d;
	}
	if (neg)
		*out = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	else
		*out = (int64_t)mag;
	return 0;
}

double sr_json_number_to_double(const sr_json *v)
{
	if (!v || v->type != SR_JSON_NUMBER)
		return 0.0;
	return strtod(v->u.str, NULL);
}

/* ---- exact comparison ---------------------------------------------------- */

/* A lexeme split into its parts. The significant digits are the integer
 * digits followed by the fraction digits, minus `lead` leading and `trail`
 * trailing zeros. */
struct dec {
	bool neg;
	const char *ip, *fp, *ep; /* integer, fraction, exponent digits */
	size_t in, fn, en;        /* their counts (exponent: no leading zeros) */
	bool eneg;
	size_t lead, sig;         /* leading zeros skipped, significant digit count */
};

static char digit_at(const struct dec *d, size_t k)
{
	k += d->lead;
	return k < d->in ? d->ip[k] : d->fp[k - d->in];
}

static void split(struct dec *d, const char *s, size_t n)
{
	size_t i = 0, total, trail = 0;

	memset(d, 0, sizeof(*d));
	if (i < n && s[i] == '-') {
		d->neg = true;
		i++;
	}
	d->ip = s + i;
	while (i < n && sr_json__is_digit((unsigned char)s[i]))
		i++;
	d->in = (size_t)(s + i - d->ip);
	d->fp = s + i;
	if (i < n && s[i] == '.') {
		d->fp = s + ++i;
		while (i < n && sr_json__is_digit((unsigned char)s[i]))
			i++;
		d->fn = (size_t)(s + i - d->fp);
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			d->eneg = s[i++] == '-';
		while (i < n && s[i] == '0')
			i++;
		d->ep = s + i;
		d->en = n - i;
	}
	total = d->in + d->fn;
	while (d->lead < total && digit_at(d, 0) == '0')
		d->lead++;
	while (d->lead + trail < total && digit_at(d, total - d->lead - trail - 1) == '0')
		trail++;
	d->sig = total - d->lead - trail;
}

/* Decimal exponents with more digits than this are "huge": their
 * magnitude (>= 10^19) exceeds any digit-count adjustment, which fits in
 * an int64, so adding one can never flip their sign. */
#define EXP_SMALL_DIGITS 19

/* E = exponent + in - lead as a signed decimal string in `buf` (room for
 * en + 41 bytes); returns its length, sign character included. */
static size_t exponent_string(char *buf, const struct dec *d)
{
	__int128 adj = (__int128)d->in - (__int128)d->lead;
	char *p = buf;
	size_t i;

	if (d->en <= EXP_SMALL_DIGITS) {
		__int128 e = 0;
		char tmp[48];
		size_t k = 0;
		unsigned __int128 mag;

		for (i = 0; i < d->en; i++)
			e = e * 10 + (d->ep[i] - '0');
		e = (d->eneg ? -e : e) + adj;
		*p++ = e < 0 ? '-' : '+';
		mag = e < 0 ? (unsigned __int128)(-e) : (unsigned __int128)e;
		do {
			tmp[k++] = (char)('0' + (int)(mag % 10));
			mag /= 10;
		} while (mag);
		while (k)
			*p++ = tmp[--k];
		return (size_t)(p - buf);
	}
	/* Huge: the sign is the exponent's; add or subtract |adj| in place. */
	{
		bool add = (adj >= 0) != d->eneg;
		unsigned __int128 k = adj < 0 ? (unsigned __int128)(-adj) : (unsigned __int128)adj;
		char *digits = buf + 2; /* one spare byte for a carry */
		size_t len = d->en;
		int carry = 0;

		memcpy(digits, d->ep, len);
		for (i = len; i-- > 0;) {
			int dv = digits[i] - '0';
			int kd = (int)(k % 10);
			k /= 10;
			if (add) {
				dv += kd + carry;
				carry = dv >= 10;
				dv -= carry * 10;
			} else {
				dv -= kd + carry;
				carry = dv < 0;
				dv += carry * 10;
			}
			digits[i] = (char)('0' + dv);
		}
		if (add && carry) {
			digits--;
			digits[0] = '1';
			len++;
		}
		while (len > 1 && digits[0] == '0') {
			digits++;
			len--;
		}
		buf[0] = d->eneg ? '-' : '+';
		memmove(buf + 1, digits, len);
		return len + 1;
	}
}

bool sr_json__number_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	struct dec x, y;
	char sa[64], sb[64], *ba = sa, *bb = sb;
	size_t i, la, lb;
	bool eq;

	if (alen == blen && memcmp(a, b, alen) == 0)
		return true;
	split(&x, a, alen);
	split(&y, b, blen);
	if (!x.sig || !y.sig)
		return !x.sig && !y.sig; /* 0 == -0 == 0.0e7 */
	if (x.neg != y.neg || x.sig != y.sig)
		return false;
	for (i = 0; i < x.sig; i++)
		if (digit_at(&x, i) != digit_at(&y, i))
			return false;
	if (x.en + 42 > sizeof(sa))
		ba = sr_malloc(x.en + 42);
	if (y.en + 42 > sizeof(sb))
		bb = sr_malloc(y.en + 42);
	la = exponent_string(ba, &x);
	lb = exponent_string(bb, &y);
	eq = la == lb && memcmp(ba, bb, la) == 0;
	if (ba != sa)
		free(ba);
	if (bb != sb)
		free(bb);
	return eq;
}

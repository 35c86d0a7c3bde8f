/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Small pieces of the JSON Schema compatibility checker: the difference
 * types and Confluent's compatible sets, a pointer-pair hash map, exact
 * decimal comparison and divisibility, Java's String.hashCode and HashSet
 * iteration order (Confluent's engine iterates property names through a
 * HashSet, so its difference lists come in that order), and URI
 * resolution for $ref.
 */
#include "formats/jsonschema/compat_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

/* ---- types and compatible sets --------------------------------------- */

static const char *const type_names[] = {
#define JSC_NAME_ITEM(n) #n,
	JSC_TYPES(JSC_NAME_ITEM)
#undef JSC_NAME_ITEM
};

const char *jsc_type_name(jsc_type t)
{
	return (unsigned)t < JSC_TYPE_COUNT ? type_names[t] : "UNKNOWN";
}

/* SchemaDiff.COMPATIBLE_CHANGES_STRICT, plus the unevaluated* counterparts
 * of the additional* entries. */
static const jsc_type compatible_strict[] = {
	JSC_ID_CHANGED,
	JSC_DESCRIPTION_CHANGED,
	JSC_TITLE_CHANGED,
	JSC_DEFAULT_CHANGED,
	JSC_SCHEMA_REMOVED,
	JSC_TYPE_EXTENDED,
	JSC_MAX_LENGTH_INCREASED,
	JSC_MAX_LENGTH_REMOVED,
	JSC_MIN_LENGTH_DECREASED,
	JSC_MIN_LENGTH_REMOVED,
	JSC_PATTERN_REMOVED,
	JSC_MAXIMUM_INCREASED,
	JSC_MAXIMUM_REMOVED,
	JSC_MINIMUM_DECREASED,
	JSC_MINIMUM_REMOVED,
	JSC_EXCLUSIVE_MAXIMUM_INCREASED,
	JSC_EXCLUSIVE_MAXIMUM_REMOVED,
	JSC_EXCLUSIVE_MINIMUM_DECREASED,
	JSC_EXCLUSIVE_MINIMUM_REMOVED,
	JSC_MULTIPLE_OF_REDUCED,
	JSC_MULTIPLE_OF_REMOVED,
	JSC_REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED,
	JSC_REQUIRED_ATTRIBUTE_REMOVED,
	JSC_DEPENDENCY_ARRAY_NARROWED,
	JSC_DEPENDENCY_ARRAY_REMOVED,
	JSC_DEPENDENCY_SCHEMA_REMOVED,
	JSC_MAX_PROPERTIES_INCREASED,
	JSC_MAX_PROPERTIES_REMOVED,
	JSC_MIN_PROPERTIES_DECREASED,
	JSC_MIN_PROPERTIES_REMOVED,
	JSC_ADDITIONAL_PROPERTIES_ADDED,
	JSC_ADDITIONAL_PROPERTIES_EXTENDED,
	JSC_UNEVALUATED_PROPERTIES_ADDED,
	JSC_UNEVALUATED_PROPERTIES_EXTENDED,
	JSC_PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL,
	JSC_REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
	JSC_REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL,
	JSC_OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
	JSC_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL,
	JSC_PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
	JSC_PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
	JSC_PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
	JSC_MAX_ITEMS_INCREASED,
	JSC_MAX_ITEMS_REMOVED,
	JSC_MIN_ITEMS_DECREASED,
	JSC_MIN_ITEMS_REMOVED,
	JSC_UNIQUE_ITEMS_REMOVED,
	JSC_ADDITIONAL_ITEMS_ADDED,
	JSC_ADDITIONAL_ITEMS_EXTENDED,
	JSC_UNEVALUATED_ITEMS_ADDED,
	JSC_UNEVALUATED_ITEMS_EXTENDED,
	JSC_ITEM_ADDED_TO_CLOSED_CONTENT_MODEL,
	JSC_ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL,
	JSC_ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
	JSC_ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
	JSC_ENUM_ARRAY_EXTENDED,
	JSC_COMBINED_TYPE_EXTENDED,
	JSC_PRODUCT_TYPE_NARROWED,
	JSC_SUM_TYPE_EXTENDED,
	JSC_NOT_TYPE_NARROWED,
};

/* What COMPATIBLE_CHANGES_LENIENT adds: open content models relaxed. */
static const jsc_type compatible_lenient[] = {
	JSC_ADDITIONAL_PROPERTIES_NARROWED,
	JSC_ADDITIONAL_PROPERTIES_REMOVED,
	JSC_UNEVALUATED_PROPERTIES_NARROWED,
	JSC_UNEVALUATED_PROPERTIES_REMOVED,
	JSC_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL,
	JSC_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL,
	JSC_PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
	JSC_PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
};

bool jsc_type_compatible(jsc_type t, sr_compat_policy policy)
{
	size_t i;

	for (i = 0; i < sizeof(compatible_strict) / sizeof(compatible_strict[0]); i++)
		if (compatible_strict[i] == t)
			return true;
	if (policy != SR_COMPAT_POLICY_LENIENT)
		return false;
	for (i = 0; i < sizeof(compatible_lenient) / sizeof(compatible_lenient[0]); i++)
		if (compatible_lenient[i] == t)
			return true;
	return false;
}

/* ---- pointer-pair map -------------------------------------------------- */

static size_t pmap_hash(const void *a, const void *b)
{
	uint64_t h = (uint64_t)(uintptr_t)a * 0x9E3779B97F4A7C15ull;

	h ^= (uint64_t)(uintptr_t)b + 0x7F4A7C159E3779B9ull + (h << 6) + (h >> 2);
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ull;
	h ^= h >> 32;
	return (size_t)h;
}

void *jsc_pmap_get(const jsc_pmap *m, const void *a, const void *b)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = pmap_hash(a, b) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->slots[i].a)
			return NULL;
		if (m->slots[i].a == a && m->slots[i].b == b)
			return m->slots[i].value;
	}
}

static void pmap_insert(jsc_slot *slots, size_t cap, const void *a, const void *b, void *v,
			bool *added)
{
	size_t i;

	for (i = pmap_hash(a, b) & (cap - 1);; i = (i + 1) & (cap - 1)) {
		if (!slots[i].a) {
			slots[i].a = a;
			slots[i].b = b;
			slots[i].value = v;
			*added = true;
			return;
		}
		if (slots[i].a == a && slots[i].b == b) {
			slots[i].value = v;
			*added = false;
			return;
		}
	}
}

void jsc_pmap_put(jsc_pmap *m, const void *a, const void *b, void *value)
{
	bool added;

	if ((m->count + 1) * 4 > m->cap * 3) {
		size_t cap = m->cap ? m->cap * 2 : 64, i;
		jsc_slot *slots = sr_calloc(cap, sizeof(*slots));

		for (i = 0; i < m->cap; i++)
			if (m->slots[i].a)
				pmap_insert(slots, cap, m->slots[i].a, m->slots[i].b,
					    m->slots[i].value, &added);
		free(m->slots);
		m->slots = slots;
		m->cap = cap;
	}
	pmap_insert(m->slots, m->cap, a, b, value, &added);
	if (added)
		m->count++;
}

void jsc_pmap_dispose(jsc_pmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->count = 0;
}

/* ---- exact decimals ------------------------------------------------------ */

/* A number lexeme as sign, significant digits (no leading or trailing
 * zeros) and exponent: value = 0.d1d2...dn * 10^exp; n == 0 is zero. */
typedef struct dec {
	bool neg;
	const char *digits[2]; /* the digits come from up to two runs (int, frac) */
	size_t len[2];
	size_t n;
	long long exp;
} dec;

static char dec_digit(const dec *d, size_t i)
{
	return i < d->len[0] ? d->digits[0][i] : d->digits[1][i - d->len[0]];
}

static void dec_parse(dec *d, const char *s, size_t len)
{
	size_t i = 0, int_start, int_end, frac_start = 0, frac_end = 0;
	long long e = 0;
	bool eneg = false;

	memset(d, 0, sizeof(*d));
	if (i < len && s[i] == '-') {
		d->neg = true;
		i++;
	}
	int_start = i;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	int_end = i;
	if (i < len && s[i] == '.') {
		frac_start = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		frac_end = i;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			if (e < 1000000000LL)
				e = e * 10 + (s[i] - '0');
	}
	if (eneg)
		e = -e;
	/* strip leading zeros of the integer part */
	while (int_start < int_end && s[int_start] == '0')
		int_start++;
	d->exp = (long long)(int_end - int_start) + e;
	if (int_start == int_end) {
		/* no integer digits: leading zeros of the fraction lower the exponent */
		while (frac_start < frac_end && s[frac_start] == '0') {
			frac_start++;
			d->exp--;
		}
		int_start = int_end = 0;
	}
	/* strip trailing zeros */
	while (frac_end > frac_start && s[frac_end - 1] == '0')
		frac_end--;
	if (frac_end <= frac_start) {
		frac_start = frac_end = 0;
		while (int_end > int_start && s[int_end - 1] == '0')
			int_end--;
	}
	d->digits[0] = s + int_start;
	d->len[0] = int_end - int_start;
	d->digits[1] = s + frac_start;
	d->len[1] = frac_end - frac_start;
	d->n = d->len[0] + d->len[1];
	if (d->n == 0) {
		d->neg = false;
		d->exp = 0;
	}
}

static int dec_cmp_abs(const dec *a, const dec *b)
{
	size_t i, n = a->n > b->n ? a->n : b->n;

	if (a->n == 0 || b->n == 0)
		return (a->n != 0) - (b->n != 0);
	if (a->exp != b->exp)
		return a->exp < b->exp ? -1 : 1;
	for (i = 0; i < n; i++) {
		char x = i < a->n ? dec_digit(a, i) : '0';
		char y = i < b->n ? dec_digit(b, i) : '0';
		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

int jsc_num_cmp(const sr_json *a, const sr_json *b)
{
	dec x, y;
	int c;

	dec_parse(&x, a->u.str, a->len);
	dec_parse(&y, b->u.str, b->len);
	if (x.neg != y.neg)
		return x.neg ? -1 : 1;
	c = dec_cmp_abs(&x, &y);
	return x.neg ? -c : c;
}

/* (base^e) mod m with 128-bit intermediates. */
static uint64_t pow_mod(uint64_t base, unsigned long long e, uint64_t m)
{
	unsigned __int128 r = 1 % m, b = base % m;

	while (e) {
		if (e & 1)
			r = r * b % m;
		b = b * b % m;
		e >>= 1;
	}
	return (uint64_t)r;
}

bool jsc_num_divides(const sr_json *a, const sr_json *b)
{
	dec x, y;
	long long qx, qy;
	uint64_t m = 0, r = 0;
	size_t i;

	dec_parse(&x, a->u.str, a->len);
	dec_parse(&y, b->u.str, b->len);
	if (y.n == 0)
		return false;
	if (x.n == 0)
		return true;
	/* a = X * 10^qx, b = Y * 10^qy with X, Y integers without trailing zeros */
	qx = x.exp - (long long)x.n;
	qy = y.exp - (long long)y.n;
	if (qx < qy)
		return false; /* X has no factor 10, so Y * 10^(qy-qx) cannot divide it */
	if (y.n > 19) {
		double fa = fabs(strtod(a->u.str, NULL)), fb = fabs(strtod(b->u.str, NULL));
		double q = fa / fb;
		return isfinite(q) && fabs(q - nearbyint(q)) < 1e-9 * (q > 1 ? q : 1);
	}
	for (i = 0; i < y.n; i++)
		m = m * 10 + (uint64_t)(dec_digit(&y, i) - '0');
	for (i = 0; i < x.n; i++)
		r = (uint64_t)(((unsigned __int128)r * 10 + (uint64_t)(dec_digit(&x, i) - '0')) % m);
	r = (uint64_t)((unsigned __int128)r * pow_mod(10, (unsigned long long)(qx - qy), m) % m);
	return r == 0;
}

/* ---- Java hashing ---------------------------------------------------------- */

int32_t jsc_java_hash(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t h = 0;
	size_t i = 0;

	while (i < n) {
		uint32_t cp = p[i];
		size_t extra = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;

		if (i + extra >= n && extra) {
			/* truncated sequence: hash the bytes as they are */
			h = 31 * h + p[i++];
			continue;
		}
		cp &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : extra == 1 ? 0x1F : 0xFF;
		for (size_t k = 1; k <= extra; k++)
			cp = (cp << 6) | (p[i + k] & 0x3F);
		i += extra + 1;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			h = 31 * h + (0xD800 + (cp >> 10));
			h = 31 * h + (0xDC00 + (cp & 0x3FF));
		} else {
			h = 31 * h + cp;
		}
	}
	return (int32_t)h;
}

size_t jsc_java_cap(size_t initial, size_t n)
{
	size_t cap = initial;

	while (n > cap / 4 * 3)
		cap <<= 1;
	return cap;
}

size_t jsc_java_set_cap(size_t n)
{
	size_t want = (size_t)((float)n / 0.75f) + 1, cap = 1;

	if (want < 16)
		want = 16;
	while (cap < want)
		cap <<= 1;
	return cap;
}

/* qsort has no context argument: the buckets reach the comparison through
 * a thread-local, since checks run on many threads at once. */
static _Thread_local const size_t *sort_bucket;

static int by_bucket_then_index(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	if (sort_bucket[a] != sort_bucket[b])
		return sort_bucket[a] < sort_bucket[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

void jsc_java_order(size_t *order, const char *const *keys, const size_t *lens, size_t n,
		    size_t cap)
{
	size_t i, *bucket = sr_malloc((n ? n : 1) * sizeof(*bucket));

	for (i = 0; i < n; i++) {
		uint32_t h = (uint32_t)jsc_java_hash(keys[i], lens[i]);
		bucket[i] = (h ^ (h >> 16)) & (cap - 1);
		order[i] = i;
	}
	/* By bucket, then by insertion (index): stable, O(n log n) — a list
	 * may hold 100,000 names. */
	sort_bucket = bucket;
	qsort(order, n, sizeof(*order), by_bucket_then_index);
	sort_bucket = NULL;
	free(bucket);
}

/* ---- URIs ------------------------------------------------------------------- */

static size_t scheme_len(const char *s)
{
	size_t i = 0;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (i = 1; s[i]; i++) {
		char c = s[i];
		if (c == ':')
			return i;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '-' || c == '.'))
			return 0;
	}
	return 0;
}

char *jsc_uri_strip_fragment(sr_arena *a, const char *uri)
{
	const char *h = strchr(uri, '#');

	return sr_arena_strndup(a, uri, h ? (size_t)(h - uri) : strlen(uri));
}

/* Remove "." and ".." segments of the path that starts at `path`. */
static void remove_dots(char *path)
{
	char *out = path, *in = path;

	while (*in) {
		if (strncmp(in, "./", 2) == 0) {
			in += 2;
		} else if (strncmp(in, "../", 3) == 0) {
			in += 3;
			if (out > path) {
				out--;
				while (out > path && out[-1] != '/')
					out--;
			}
		} else if (strcmp(in, ".") == 0 || strcmp(in, "..") == 0) {
			if (in[1] == '.' && out > path) {
				out--;
				while (out > path && out[-1] != '/')
					out--;
			}
			break;
		} else {
			while (*in && *in != '/')
				*out++ = *in++;
			if (*in == '/')
				*out++ = *in++;
		}
	}
	*out = '\0';
}

char *jsc_uri_resolve(sr_arena *a, const char *base, const char *ref)
{
	size_t sl = scheme_len(ref), bl, auth_end, dir_end, i;
	char *res;

	if (sl || !base || !*base)
		return sr_arena_strdup(a, ref);
	base = jsc_uri_strip_fragment(a, base);
	if (ref[0] == '#' || ref[0] == '\0')
		return sr_arena_printf(a, "%s%s", base, ref);
	bl = scheme_len(base);
	if (ref[0] == '/' && ref[1] == '/')
		return sr_arena_printf(a, "%.*s%s", (int)(bl ? bl + 1 : 0), base, ref);
	/* authority: after "scheme://" up to the next '/' */
	auth_end = bl ? bl + 1 : 0;
	if (base[auth_end] == '/' && base[auth_end + 1] == '/') {
		auth_end += 2;
		while (base[auth_end] && base[auth_end] != '/' && base[auth_end] != '?')
			auth_end++;
	}
	if (ref[0] == '/') {
		res = sr_arena_printf(a, "%.*s%s", (int)auth_end, base, ref);
		remove_dots(res + auth_end);
		return res;
	}
	dir_end = auth_end;
	for (i = auth_end; base[i] && base[i] != '?'; i++)
		if (base[i] == '/')
			dir_end = i + 1;
	if (dir_end == auth_end && auth_end > (bl ? bl + 1 : 0))
		res = sr_arena_printf(a, "%.*s/%s", (int)auth_end, base, ref);
	else
		res = sr_arena_printf(a, "%.*s%s", (int)dir_end, base, ref);
	remove_dots(res + auth_end + (res[auth_end] == '/'));
	return res;
}


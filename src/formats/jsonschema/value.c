/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * JSON value equality and hashing as JSON Schema defines equality (enum,
 * const, uniqueItems): numbers by mathematical value (1 == 1.0 == 1e0),
 * objects without regard to member order. Scalars, the common case in
 * enums, are compared here without allocating; containers go to
 * sr_json_equal (iterative, so deep values cost heap, not stack).
 */
#include <string.h>

#include "core/hash.h"
#include "formats/jsonschema/compiled.h"

/* Containers are hashed this deep; below, a constant stands in (equal
 * values still hash equally, which is all a hash index needs). */
#define HASH_DEPTH 6

static inline bool integer_lexeme(const sr_json *v)
{
	size_t i;

	for (i = 0; i < v->len; i++)
		if (v->u.str[i] == '.' || v->u.str[i] == 'e' || v->u.str[i] == 'E')
			return false;
	return true;
}

bool sr_js__value_equal(const sr_json *a, const sr_json *b)
{
	sr_js_dec x, y;

	if (a->type != b->type)
		return false;
	switch (a->type) {
	case SR_JSON_NULL:
	case SR_JSON_TRUE:
	case SR_JSON_FALSE:
		return true;
	case SR_JSON_STRING:
		return a->len == b->len && memcmp(a->u.str, b->u.str, a->len) == 0;
	case SR_JSON_NUMBER:
		if (a->len == b->len && memcmp(a->u.str, b->u.str, a->len) == 0)
			return true;
		/* JSON integers have no leading zeros: two integer lexemes are
		 * equal only when identical, or both zero (-0 and 0). */
		if (integer_lexeme(a) && integer_lexeme(b))
			return (a->len - (a->u.str[0] == '-') == 1 && a->u.str[a->len - 1] == '0') &&
			       (b->len - (b->u.str[0] == '-') == 1 && b->u.str[b->len - 1] == '0');
		sr_js__dec_parse(&x, a->u.str, a->len);
		sr_js__dec_parse(&y, b->u.str, b->len);
		return sr_js__dec_cmp(&x, &y) == 0;
	case SR_JSON_ARRAY:
	case SR_JSON_OBJECT:
		if (a->len != b->len)
			return false;
		return sr_json_equal(a, b);
	}
	return false;
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static uint64_t number_hash(const sr_json *v)
{
	sr_js_dec d;
	uint64_t h;
	size_t k;

	sr_js__dec_parse(&d, v->u.str, v->len);
	if (d.zero)
		return 0x3a1f;
	h = (uint64_t)d.exp * 0x9e3779b97f4a7c15ULL ^ (d.neg ? 0x55 : 0xaa);
	for (k = 0; k < d.n1; k++)
		h = (h ^ (unsigned char)d.d1[k]) * 0x100000001b3ULL;
	for (k = 0; k < d.n2; k++)
		h = (h ^ (unsigned char)d.d2[k]) * 0x100000001b3ULL;
	return mix(h);
}

static uint64_t hash_at(const sr_json *v, unsigned depth)
{
	uint64_t h;
	size_t i;

	switch (v->type) {
	case SR_JSON_NULL:
		return 0x11;
	case SR_JSON_TRUE:
		return 0x22;
	case SR_JSON_FALSE:
		return 0x33;
	case SR_JSON_STRING:
		return sr_hash64(v->u.str, v->len) ^ 0x44;
	case SR_JSON_NUMBER:
		return number_hash(v);
	case SR_JSON_ARRAY:
		h = 0x66 + v->len;
		if (depth >= HASH_DEPTH)
			return h;
		for (i = 0; i < v->len; i++)
			h = mix(h * 31 + hash_at(v->u.items[i], depth + 1));
		return h;
	case SR_JSON_OBJECT:
		h = 0x77 + v->len;
		if (depth >= HASH_DEPTH)
			return h;
		/* Member order does not matter: combine commutatively. */
		for (i = 0; i < v->len; i++)
			h += mix(sr_hash64(v->u.members[i].key, v->u.members[i].key_len) * 7 +
				 hash_at(v->u.members[i].value, depth + 1));
		return mix(h);
	}
	return 0;
}

uint64_t sr_js__value_hash(const sr_json *v)
{
	return hash_at(v, 0);
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Structural equality. Equality of two documents is the conjunction of the
 * equality of pairs of nodes, so the comparison walks a work list of pairs
 * on the heap instead of recursing: deep documents cost heap, not stack.
 */
#include "json/json.h"

#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/map.h"
#include "core/mem.h"
#include "json/internal.h"

/* Objects with more members than this are matched through a hash index. */
#define MATCH_LINEAR_MAX 8

struct pairs {
	const sr_json **v; /* v[2i], v[2i+1] */
	size_t n, cap;
};

static void push(struct pairs *p, const sr_json *a, const sr_json *b)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->v = sr_realloc(p->v, p->cap * 2 * sizeof(*p->v));
	}
	p->v[2 * p->n] = a;
	p->v[2 * p->n + 1] = b;
	p->n++;
}

/* Pair each member of `a` with the member of `b` of the same key (the first
 * one, should a built document repeat a key); false if one is missing. */
static bool match_members(struct pairs *p, const sr_json *a, const sr_json *b)
{
	sr_map index = SR_MAP_INIT;
	size_t i;
	bool ok = true;

	if (a->len <= MATCH_LINEAR_MAX) {
		for (i = 0; i < a->len; i++) {
			const sr_json_member *m = &a->u.members[i];
			const sr_json *w = sr_json_getn(b, m->key, m->key_len);
			if (!w)
				return false;
			push(p, m->value, w);
		}
		return true;
	}
	for (i = b->len; i-- > 0;)
		sr_map_put(&index, b->u.members[i].key, b->u.members[i].key_len,
			   b->u.members[i].value);
	for (i = 0; i < a->len && ok; i++) {
		const sr_json_member *m = &a->u.members[i];
		const sr_json *w = sr_map_get(&index, m->key, m->key_len);
		if (w)
			push(p, m->value, w);
		else
			ok = false;
	}
	sr_map_dispose(&index);
	return ok;
}

bool sr_json_equal(const sr_json *a, const sr_json *b)
{
	struct pairs p = { NULL, 0, 0 };
	bool eq = true;
	size_t i;

	push(&p, a, b);
	while (eq && p.n) {
		p.n--;
		a = p.v[2 * p.n];
		b = p.v[2 * p.n + 1];
		if (a == b)
			continue;
		if (!a || !b || a->type != b->type) {
			eq = false;
			break;
		}
		switch (a->type) {
		case SR_JSON_NUMBER:
			eq = sr_json__number_equal(a->u.str, a->len, b->u.str, b->len);
			break;
		case SR_JSON_STRING:
			eq = a->len == b->len && memcmp(a->u.str, b->u.str, a->len) == 0;
			break;
		case SR_JSON_ARRAY:
			eq = a->len == b->len;
			for (i = 0; eq && i < a->len; i++)
				push(&p, a->u.items[i], b->u.items[i]);
			break;
		case SR_JSON_OBJECT:
			eq = a->len == b->len && match_members(&p, a, b);
			break;
		default:
			break;
		}
	}
	free(p.v);
	return eq;
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

uint64_t sr_json_hash(const sr_json *v)
{
	uint64_t h;
	double d;
	size_t i;

	switch (v->type) {
	case SR_JSON_NUMBER:
		/* Equal numbers have the same nearest double; different ones may
		 * share it, which only costs an equality check. */
		d = sr_json_number_to_double(v);
		if (d == 0)
			d = 0; /* -0 and 0 */
		memcpy(&h, &d, sizeof(h));
		return mix(h ^ 0x4e554dULL);
	case SR_JSON_STRING:
		return sr_hash64(v->u.str, v->len);
	case SR_JSON_ARRAY:
		h = 0x415252ULL ^ v->len;
		for (i = 0; i < v->len; i++)
			h = mix(h * 31 + sr_json_hash(v->u.items[i]));
		return h;
	case SR_JSON_OBJECT:
		/* A sum of per-member hashes: member order does not matter. */
		h = 0x4f424aULL ^ v->len;
		for (i = 0; i < v->len; i++)
			h += mix(sr_hash64(v->u.members[i].key, v->u.members[i].key_len) ^
				 sr_json_hash(v->u.members[i].value));
		return mix(h);
	default:
		return mix((uint64_t)v->type + 0x9e3779b97f4a7c15ULL);
	}
}

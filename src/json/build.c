/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Building documents in an arena: new nodes and appends to arrays and
 * objects (parsed ones included).
 */
#include "json/json.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"
#include "json/internal.h"

void *sr_json__vec_new(sr_arena *a, size_t cap, size_t elem)
{
	size_t *h;

	if (elem && cap > (SIZE_MAX - sizeof(size_t)) / elem)
		sr_fatal("json: container too large");
	h = sr_arena_alloc(a, sizeof(size_t) + cap * elem);
	h[0] = cap;
	return h + 1;
}

/* Make room for one more element in the vector `v` holding `len`. */
static void *vec_reserve(sr_arena *a, void *v, size_t len, size_t elem)
{
	size_t cap = v ? ((size_t *)v)[-1] : 0;
	void *grown;

	if (len < cap)
		return v;
	grown = sr_json__vec_new(a, cap < 4 ? 4 : cap * 2, elem);
	if (len)
		memcpy(grown, v, len * elem);
	return grown;
}

sr_json *sr_json_new(sr_arena *a, sr_json_type type)
{
	sr_json *v = sr_arena_alloc(a, sizeof(*v));

	v->type = type;
	v->len = 0;
	v->u.str = NULL;
	if (type == SR_JSON_STRING) {
		v->u.str = "";
	} else if (type == SR_JSON_NUMBER) {
		v->u.str = "0";
		v->len = 1;
	}
	return v;
}

sr_json *sr_json_new_string(sr_arena *a, const char *s, size_t len)
{
	sr_json *v = sr_arena_alloc(a, sizeof(*v) + len + 1);
	char *d = (char *)(v + 1);

	if (len)
		memcpy(d, s, len);
	d[len] = '\0';
	v->type = SR_JSON_STRING;
	v->len = len;
	v->u.str = d;
	return v;
}

sr_json *sr_json_new_number(sr_arena *a, const char *lexeme, size_t len)
{
	const char *why;
	size_t bad;
	sr_json *v;

	/* A bad lexeme would make every later serialization invalid JSON. */
	if (sr_json__scan_number(lexeme, len, &bad, &why) != len || !len)
		sr_fatal("sr_json_new_number: not a JSON number");
	v = sr_json_new_string(a, lexeme, len);
	v->type = SR_JSON_NUMBER;
	return v;
}

sr_json *sr_json_new_i64(sr_arena *a, int64_t v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%" PRId64, v);

	return sr_json_new_number(a, tmp, (size_t)n);
}

void sr_json_array_append(sr_arena *a, sr_json *arr, sr_json *item)
{
	arr->u.items = vec_reserve(a, arr->u.items, arr->len, sizeof(sr_json *));
	arr->u.items[arr->len++] = item;
}

void sr_json_object_append(sr_arena *a, sr_json *obj, const char *key, size_t key_len,
			   sr_json *value)
{
	sr_json_member *m;

	obj->u.members = vec_reserve(a, obj->u.members, obj->len, sizeof(sr_json_member));
	m = &obj->u.members[obj->len++];
	m->key = sr_arena_strndup(a, key, key_len);
	m->key_len = key_len;
	m->value = value;
}

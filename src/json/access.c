/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Reading documents: member lookup, RFC 6901 JSON pointers (lookup, and
 * writing a reference token), and the kind of a value for messages.
 */
#include "json/json.h"

#include <stdint.h>
#include <string.h>

#include "json/internal.h"

sr_json *sr_json_getn(const sr_json *obj, const char *key, size_t key_len)
{
	size_t i;

	if (!obj || obj->type != SR_JSON_OBJECT)
		return NULL;
	for (i = 0; i < obj->len; i++) {
		const sr_json_member *m = &obj->u.members[i];
		if (m->key_len == key_len && memcmp(m->key, key, key_len) == 0)
			return m->value;
	}
	return NULL;
}

sr_json *sr_json_get(const sr_json *obj, const char *key)
{
	return sr_json_getn(obj, key, strlen(key));
}

const char *sr_json_get_string(const sr_json *obj, const char *key)
{
	const sr_json *v = sr_json_get(obj, key);

	return v && v->type == SR_JSON_STRING ? v->u.str : NULL;
}

int sr_json_pointer_put_token(sr_buf *out, const char *tok, size_t n)
{
	size_t i;
	int rc = 0, r;

	for (i = 0; i < n; i++) {
		if (tok[i] == '~')
			r = sr_buf_puts(out, "~0");
		else if (tok[i] == '/')
			r = sr_buf_puts(out, "~1");
		else
			r = sr_buf_putc(out, tok[i]);
		if (rc == 0)
			rc = r;
	}
	return rc;
}

/* Does the key equal the reference token `tok[0..n)` once ~0 and ~1 are
 * decoded? A '~' followed by anything else never matches. */
const char *sr_json_kind(const sr_json *v)
{
	switch (v->type) {
	case SR_JSON_NULL:
		return "null";
	case SR_JSON_TRUE:
	case SR_JSON_FALSE:
		return "a boolean";
	case SR_JSON_NUMBER:
		return "a number";
	case SR_JSON_STRING:
		return "a string";
	case SR_JSON_ARRAY:
		return "an array";
	case SR_JSON_OBJECT:
		return "an object";
	}
	return "a value";
}

static bool key_matches(const sr_json_member *m, const char *tok, size_t n)
{
	size_t i = 0, k = 0;

	while (i < n) {
		char c = tok[i++];
		if (c == '~') {
			if (i >= n || (tok[i] != '0' && tok[i] != '1'))
				return false;
			c = tok[i++] == '0' ? '~' : '/';
		}
		if (k >= m->key_len || m->key[k++] != c)
			return false;
	}
	return k == m->key_len;
}

/* An array index token: "0" or [1-9][0-9]* within the array. */
static bool array_index(const char *tok, size_t n, size_t len, size_t *out)
{
	size_t i, v = 0;

	if (!n || (n > 1 && tok[0] == '0'))
		return false;
	for (i = 0; i < n; i++) {
		if (!sr_json__is_digit((unsigned char)tok[i]))
			return false;
		if (v > (SIZE_MAX - 9) / 10)
			return false;
		v = v * 10 + (size_t)(tok[i] - '0');
	}
	if (v >= len)
		return false;
	*out = v;
	return true;
}

sr_json *sr_json_pointer(const sr_json *root, const char *ptr, size_t len)
{
	const sr_json *v = root;
	size_t pos = 0;

	if (!root)
		return NULL;
	while (pos < len) {
		const char *tok, *slash;
		size_t n, i;

		if (ptr[pos] != '/')
			return NULL;
		tok = ptr + pos + 1;
		slash = memchr(tok, '/', len - pos - 1);
		n = slash ? (size_t)(slash - tok) : len - pos - 1;
		pos += n + 1;
		if (v->type == SR_JSON_ARRAY) {
			if (!array_index(tok, n, v->len, &i))
				return NULL;
			v = v->u.items[i];
		} else if (v->type == SR_JSON_OBJECT) {
			for (i = 0; i < v->len; i++)
				if (key_matches(&v->u.members[i], tok, n))
					break;
			if (i == v->len)
				return NULL;
			v = v->u.members[i].value;
		} else {
			return NULL;
		}
	}
	return (sr_json *)v;
}

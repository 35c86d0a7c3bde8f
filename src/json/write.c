/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Writers: the compact DOM serializer (document order or keys sorted) and
 * the streaming writer sr_jw. The DOM writer keeps its own stack on the
 * heap, so the depth of a document never turns into C stack depth.
 */
#include "json/json.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

struct wframe {
	const sr_json *node;
	size_t i;                     /* child being written */
	const sr_json_member **order; /* sorted members, or NULL = document order */
};

static int cmp_member(const void *pa, const void *pb)
{
	const sr_json_member *a = *(const sr_json_member *const *)pa;
	const sr_json_member *b = *(const sr_json_member *const *)pb;
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int c = n ? memcmp(a->key, b->key, n) : 0;

	if (c)
		return c;
	if (a->key_len != b->key_len)
		return a->key_len < b->key_len ? -1 : 1;
	/* Equal keys (only possible in built documents): keep document order
	 * so that the output is deterministic. */
	return a < b ? -1 : a > b;
}

void sr_json_sort_members(const sr_json_member **members, size_t n)
{
	qsort(members, n, sizeof(*members), cmp_member);
}

static const sr_json_member **sorted_members(const sr_json *obj)
{
	const sr_json_member **order = sr_malloc(obj->len * sizeof(*order));
	size_t i;

	for (i = 0; i < obj->len; i++)
		order[i] = &obj->u.members[i];
	sr_json_sort_members(order, obj->len);
	return order;
}

static const sr_json_member *member_at(const struct wframe *f)
{
	return f->order ? f->order[f->i] : &f->node->u.members[f->i];
}

/* Write `m`'s key and colon; returns its value. */
static const sr_json *put_key(sr_buf *out, const sr_json_member *m, int *rc)
{
	if (sr_buf_put_json_string(out, m->key, m->key_len) < 0 || sr_buf_putc(out, ':') < 0)
		*rc = SR_ETOOBIG;
	return m->value;
}

static int write_dom(sr_buf *out, const sr_json *v, bool sorted)
{
	struct wframe *stack = NULL, *f;
	size_t depth = 0, cap = 0;
	int rc = 0;

value:
	switch (v->type) {
	case SR_JSON_NULL:
		rc = sr_buf_put(out, "null", 4);
		break;
	case SR_JSON_FALSE:
		rc = sr_buf_put(out, "false", 5);
		break;
	case SR_JSON_TRUE:
		rc = sr_buf_put(out, "true", 4);
		break;
	case SR_JSON_NUMBER:
		rc = sr_buf_put(out, v->u.str, v->len);
		break;
	case SR_JSON_STRING:
		rc = sr_buf_put_json_string(out, v->u.str, v->len);
		break;
	case SR_JSON_ARRAY:
	case SR_JSON_OBJECT:
		if (!v->len) {
			rc = sr_buf_put(out, v->type == SR_JSON_ARRAY ? "[]" : "{}", 2);
			break;
		}
		if (sr_buf_putc(out, v->type == SR_JSON_ARRAY ? '[' : '{') < 0) {
			rc = SR_ETOOBIG;
			break;
		}
		if (depth == cap) {
			cap = cap ? cap * 2 : 16;
			stack = sr_realloc(stack, cap * sizeof(*stack));
		}
		f = &stack[depth++];
		f->node = v;
		f->i = 0;
		f->order = sorted && v->type == SR_JSON_OBJECT && v->len > 1 ? sorted_members(v)
									    : NULL;
		v = v->type == SR_JSON_ARRAY ? v->u.items[0] : put_key(out, member_at(f), &rc);
		if (rc < 0)
			goto done;
		goto value;
	default:
		rc = SR_ERROR;
	}
	if (rc < 0)
		goto done;
	while (depth) {
		f = &stack[depth - 1];
		if (++f->i < f->node->len) {
			if (sr_buf_putc(out, ',') < 0) {
				rc = SR_ETOOBIG;
				goto done;
			}
			if (f->node->type == SR_JSON_ARRAY)
				v = f->node->u.items[f->i];
			else
				v = put_key(out, member_at(f), &rc);
			if (rc < 0)
				goto done;
			goto value;
		}
		if (sr_buf_putc(out, f->node->type == SR_JSON_ARRAY ? ']' : '}') < 0) {
			rc = SR_ETOOBIG;
			goto done;
		}
		free(f->order);
		depth--;
	}
done:
	while (depth)
		free(stack[--depth].order);
	free(stack);
	return rc < 0 ? rc : 0;
}

int sr_json_write(sr_buf *out, const sr_json *v)
{
	return write_dom(out, v, false);
}

int sr_json_write_sorted(sr_buf *out, const sr_json *v)
{
	return write_dom(out, v, true);
}

/* ---- streaming writer ---------------------------------------------------- */

/* The `first` bitmap has one bit per depth, so nesting is limited to 63. */
#define JW_MAX_DEPTH 63

void sr_jw_init(sr_jw *w, sr_buf *out)
{
	w->out = out;
	w->rc = 0;
	w->depth = 0;
	w->first = 1;
	w->after_key = false;
}

static void jw_fail(sr_jw *w, int rc)
{
	if (!w->rc)
		w->rc = rc;
}

/* Before any value or key: the separating comma, if one is due. Returns
 * false when the writer is in error. */
static bool jw_sep(sr_jw *w)
{
	uint64_t bit;

	if (w->rc)
		return false;
	if (w->after_key) {
		w->after_key = false;
		return true;
	}
	if (!w->depth)
		return true;
	bit = (uint64_t)1 << w->depth;
	if (w->first & bit) {
		w->first &= ~bit;
		return true;
	}
	if (sr_buf_putc(w->out, ',') < 0) {
		jw_fail(w, SR_ETOOBIG);
		return false;
	}
	return true;
}

static void jw_put(sr_jw *w, int rc)
{
	if (rc < 0)
		jw_fail(w, rc);
}

static void jw_begin(sr_jw *w, char c)
{
	if (!jw_sep(w))
		return;
	if (w->depth >= JW_MAX_DEPTH) {
		jw_fail(w, SR_ETOOBIG);
		return;
	}
	if (sr_buf_putc(w->out, c) < 0) {
		jw_fail(w, SR_ETOOBIG);
		return;
	}
	w->depth++;
	w->first |= (uint64_t)1 << w->depth;
}

static void jw_end(sr_jw *w, char c)
{
	if (w->rc)
		return;
	if (!w->depth || w->after_key) {
		jw_fail(w, SR_EINVALID); /* unbalanced, or a key without a value */
		return;
	}
	w->first &= ~((uint64_t)1 << w->depth);
	w->depth--;
	jw_put(w, sr_buf_putc(w->out, c));
}

void sr_jw_object_begin(sr_jw *w)
{
	jw_begin(w, '{');
}

void sr_jw_object_end(sr_jw *w)
{
	jw_end(w, '}');
}

void sr_jw_array_begin(sr_jw *w)
{
	jw_begin(w, '[');
}

void sr_jw_array_end(sr_jw *w)
{
	jw_end(w, ']');
}

void sr_jw_keyn(sr_jw *w, const char *key, size_t len)
{
	if (w->rc)
		return;
	if (w->after_key || !w->depth) {
		jw_fail(w, SR_EINVALID); /* two keys in a row, or a key outside an object */
		return;
	}
	if (!jw_sep(w))
		return;
	if (sr_buf_put_json_string(w->out, key, len) < 0 || sr_buf_putc(w->out, ':') < 0) {
		jw_fail(w, SR_ETOOBIG);
		return;
	}
	w->after_key = true;
}

void sr_jw_key(sr_jw *w, const char *key)
{
	sr_jw_keyn(w, key, strlen(key));
}

void sr_jw_stringn(sr_jw *w, const char *s, size_t len)
{
	if (jw_sep(w))
		jw_put(w, sr_buf_put_json_string(w->out, s, len));
}

void sr_jw_string(sr_jw *w, const char *s)
{
	sr_jw_stringn(w, s, strlen(s));
}

void sr_jw_i64(sr_jw *w, int64_t v)
{
	if (jw_sep(w))
		jw_put(w, sr_buf_put_i64(w->out, v));
}

void sr_jw_bool(sr_jw *w, bool v)
{
	if (jw_sep(w))
		jw_put(w, v ? sr_buf_put(w->out, "true", 4) : sr_buf_put(w->out, "false", 5));
}

void sr_jw_null(sr_jw *w)
{
	if (jw_sep(w))
		jw_put(w, sr_buf_put(w->out, "null", 4));
}

void sr_jw_raw(sr_jw *w, const char *json, size_t len)
{
	if (jw_sep(w))
		jw_put(w, sr_buf_put(w->out, json, len));
}

void sr_jw_value(sr_jw *w, const sr_json *v)
{
	if (jw_sep(w))
		jw_put(w, sr_json_write(w->out, v));
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Validating a datum given in Avro's JSON encoding (the specification's
 * "JSON Encoding"): null, booleans, numbers within the type's range,
 * strings, bytes and fixed as strings of code points 0-255, enums as a
 * symbol, arrays, maps as objects, records as objects with one member per
 * field. Two relaxations, because the datum usually comes from a language
 * model or a tool rather than an Avro encoder:
 *  - a record field that is absent is accepted when the field has a
 *    default (a reader fills it in);
 *  - a union value may be written either wrapped, {"<branch type>": value}
 *    as the encoding says, or bare, matching one of the branches.
 * Members a record does not define are errors: the datum would not be what
 * the schema describes.
 *
 * Errors carry an instance location (JSON pointer into the datum), a
 * keyword location (JSON pointer into the schema: /fields/2/type/1, ...)
 * and a message meant to be read by the model that produced the datum.
 * Work is bounded by a step budget, so nested unions cannot blow up.
 */
#include "formats/avro/avro_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Node checks per validation; far beyond any real datum. */
#define STEP_BUDGET 2000000

typedef struct vctx {
	sr_validation *v;
	sr_buf inst;        /* instance location being built */
	sr_buf kw;          /* keyword location being built */
	unsigned silent;    /* > 0 while trying union branches: record nothing */
	long steps;
	bool exhausted;
} vctx;

/* Append one escaped JSON-pointer segment; returns the length to restore. */
static size_t push(sr_buf *p, const char *seg, size_t n)
{
	size_t mark = p->len;

	sr_buf_putc(p, '/');
	sr_json_pointer_put_token(p, seg, n);
	return mark;
}

static size_t push_index(sr_buf *p, size_t i)
{
	size_t mark = p->len;

	sr_buf_putc(p, '/');
	sr_buf_put_i64(p, (int64_t)i);
	return mark;
}

/* A short description of a JSON value for messages. */
static const char *describe(vctx *c, const sr_json *x)
{
	switch (x->type) {
	case SR_JSON_NULL:
		return "null";
	case SR_JSON_TRUE:
		return "true";
	case SR_JSON_FALSE:
		return "false";
	case SR_JSON_NUMBER:
		return sr_arena_printf(c->v->arena, "number %.*s", (int)(x->len > 40 ? 40 : x->len),
				       x->u.str);
	case SR_JSON_STRING:
		return x->len > 40 ? sr_arena_printf(c->v->arena, "string \"%.40s...\"", x->u.str)
				   : sr_arena_printf(c->v->arena, "string \"%s\"", x->u.str);
	case SR_JSON_ARRAY:
		return "an array";
	case SR_JSON_OBJECT:
		return "an object";
	}
	return "a value";
}

/* Name of a type for messages: "int", "record com.x.Address", ... */
static const char *type_label(vctx *c, const sr_avro_node *t)
{
	if (sr_avro_is_named(t))
		return sr_arena_printf(c->v->arena, "%s %s", sr_avro__type_name(t->type),
				       t->name.full);
	return sr_avro__type_name(t->type);
}

__attribute__((format(printf, 2, 3))) static bool fail(vctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (c->silent)
		return false;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sr_validation_add(c->v, c->inst.ptr ? c->inst.ptr : "", c->kw.ptr ? c->kw.ptr : "", "%s",
			  msg);
	return false;
}

static bool stop(const vctx *c)
{
	return c->exhausted || (c->v->flag_only && c->v->count > 0 && !c->silent);
}

static bool check(vctx *c, const sr_avro_node *t, const sr_json *x);

static bool check_int(vctx *c, const sr_avro_node *t, const sr_json *x, int64_t lo, int64_t hi)
{
	int64_t n;

	if (!sr_json_is_number(x))
		return fail(c, "expected %s, got %s", type_label(c, t), describe(c, x));
	if (sr_json_number_to_i64(x, &n) < 0 || n < lo || n > hi)
		return fail(c, "expected %s, got %s (not an integer in the %s range)",
			    type_label(c, t), describe(c, x), sr_avro__type_name(t->type));
	return true;
}

static bool check_latin1(vctx *c, const sr_avro_node *t, const sr_json *x)
{
	if (!sr_json_is_string(x))
		return fail(c, "expected %s (a string), got %s", type_label(c, t), describe(c, x));
	if (!sr_avro__latin1_only(x->u.str, x->len))
		return fail(c, "%s must be a string of code points 0-255 (one per byte)",
			    type_label(c, t));
	return true;
}

/* Number of code points of a UTF-8 string (its byte count in Avro's JSON). */
static size_t code_points(const char *s, size_t n)
{
	size_t i, cps = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			cps++;
	return cps;
}

static bool check_fixed(vctx *c, const sr_avro_node *t, const sr_json *x)
{
	size_t got;

	if (!check_latin1(c, t, x))
		return false;
	got = code_points(x->u.str, x->len);
	if (got != (size_t)t->size)
		return fail(c, "%s needs exactly %d bytes, got %zu", type_label(c, t), t->size, got);
	return true;
}

static bool check_enum(vctx *c, const sr_avro_node *t, const sr_json *x)
{
	sr_buf symbols = SR_BUF_INIT;
	size_t i;
	bool ok;

	if (!sr_json_is_string(x))
		return fail(c, "expected %s (a symbol), got %s", type_label(c, t), describe(c, x));
	if (sr_avro__enum_has(t, x->u.str, x->len))
		return true;
	if (c->silent)
		return false;
	for (i = 0; i < t->nsymbols; i++) {
		if (i)
			sr_buf_puts(&symbols, ", ");
		sr_buf_puts(&symbols, t->symbols[i]);
	}
	ok = fail(c, "\"%s\" is not a symbol of %s; expected one of: %s", x->u.str,
		  type_label(c, t), symbols.ptr ? symbols.ptr : "");
	sr_buf_dispose(&symbols);
	return ok;
}

static bool check_items(vctx *c, const sr_avro_node *t, const sr_json *x)
{
	bool ok = true;
	size_t i, k = push(&c->kw, t->type == SR_AVRO_ARRAY ? "items" : "values",
			   t->type == SR_AVRO_ARRAY ? 5 : 6);

	for (i = 0; i < x->len && !stop(c); i++) {
		size_t m = t->type == SR_AVRO_ARRAY
				   ? push_index(&c->inst, i)
				   : push(&c->inst, x->u.members[i].key, x->u.members[i].key_len);
		const sr_json *item = t->type == SR_AVRO_ARRAY ? x->u.items[i] : x->u.members[i].value;

		ok = check(c, t->items, item) && ok;
		sr_buf_truncate(&c->inst, m);
	}
	sr_buf_truncate(&c->kw, k);
	return ok;
}

static const sr_avro_field *field_named(const sr_avro_node *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nfields; i++)
		if (strcmp(t->fields[i].name, name) == 0)
			return &t->fields[i];
	return NULL;
}

static bool check_record(vctx *c, const sr_avro_node *t, const sr_json *x)
{
	bool ok = true;
	size_t i;

	if (!sr_json_is_object(x))
		return fail(c, "expected %s (an object), got %s", type_label(c, t), describe(c, x));
	for (i = 0; i < t->nfields && !stop(c); i++) {
		const sr_avro_field *f = &t->fields[i];
		const sr_json *fv = sr_json_get(x, f->name);
		size_t k = push(&c->kw, "fields", 6), m;

		push_index(&c->kw, i);
		push(&c->kw, "type", 4);
		if (!fv) {
			if (!f->def)
				ok = fail(c, "missing required field \"%s\" of %s (it has no default)",
					  f->name, type_label(c, t));
			sr_buf_truncate(&c->kw, k);
			continue;
		}
		m = push(&c->inst, f->name, strlen(f->name));
		ok = check(c, f->type, fv) && ok;
		sr_buf_truncate(&c->inst, m);
		sr_buf_truncate(&c->kw, k);
	}
	for (i = 0; i < x->len && !stop(c); i++) {
		const sr_json_member *mb = &x->u.members[i];
		size_t m;

		if (field_named(t, mb->key))
			continue;
		m = push(&c->inst, mb->key, mb->key_len);
		ok = fail(c, "unexpected field \"%s\": %s has no such field", mb->key,
			  type_label(c, t));
		sr_buf_truncate(&c->inst, m);
	}
	return ok;
}

/* The union branch a wrapped value {"name": v} names, or NULL. */
static const sr_avro_node *wrapped_branch(const sr_avro_node *t, const sr_json *x, size_t *index)
{
	const sr_json_member *m;
	size_t i;

	if (!sr_json_is_object(x) || x->len != 1)
		return NULL;
	m = &x->u.members[0];
	for (i = 0; i < t->nbranches; i++) {
		const sr_avro_node *b = t->branches[i];
		const char *name = sr_avro_is_named(b) ? b->name.full : sr_avro__type_name(b->type);
		if (strcmp(name, m->key) == 0) {
			*index = i;
			return b;
		}
	}
	return NULL;
}

static bool check_union(vctx *c, const sr_avro_node *t, const sr_json *x)
{
	const sr_avro_node *b;
	size_t i, k, m;
	bool ok;

	b = wrapped_branch(t, x, &i);
	if (b) {
		k = push_index(&c->kw, i);
		m = push(&c->inst, x->u.members[0].key, x->u.members[0].key_len);
		ok = check(c, b, x->u.members[0].value);
		sr_buf_truncate(&c->inst, m);
		sr_buf_truncate(&c->kw, k);
		return ok;
	}
	c->silent++;
	for (i = 0; i < t->nbranches && !c->exhausted; i++)
		if (check(c, t->branches[i], x))
			break;
	c->silent--;
	if (i < t->nbranches)
		return true;
	if (c->silent)
		return false;
	{
		sr_buf names = SR_BUF_INIT;
		for (i = 0; i < t->nbranches; i++) {
			if (i)
				sr_buf_puts(&names, ", ");
			sr_buf_puts(&names, type_label(c, t->branches[i]));
		}
		ok = fail(c, "%s matches no branch of the union [%s]", describe(c, x),
			  names.ptr ? names.ptr : "");
		sr_buf_dispose(&names);
	}
	return ok;
}

static bool check(vctx *c, const sr_avro_node *t, const sr_json *x)
{
	if (--c->steps < 0) {
		if (!c->exhausted) {
			c->exhausted = true;
			c->silent = 0;
			fail(c, "the datum is too complex to validate against this schema");
		}
		return false;
	}
	switch (t->type) {
	case SR_AVRO_NULL:
		return x->type == SR_JSON_NULL ? true
					       : fail(c, "expected null, got %s", describe(c, x));
	case SR_AVRO_BOOLEAN:
		return sr_json_is_bool(x) ? true
					  : fail(c, "expected boolean, got %s", describe(c, x));
	case SR_AVRO_INT:
		return check_int(c, t, x, INT32_MIN, INT32_MAX);
	case SR_AVRO_LONG:
		return check_int(c, t, x, INT64_MIN, INT64_MAX);
	case SR_AVRO_FLOAT:
	case SR_AVRO_DOUBLE:
		return sr_json_is_number(x) ? true
					    : fail(c, "expected %s, got %s", type_label(c, t),
						   describe(c, x));
	case SR_AVRO_STRING:
		return sr_json_is_string(x) ? true
					    : fail(c, "expected string, got %s", describe(c, x));
	case SR_AVRO_BYTES:
		return check_latin1(c, t, x);
	case SR_AVRO_FIXED:
		return check_fixed(c, t, x);
	case SR_AVRO_ENUM:
		return check_enum(c, t, x);
	case SR_AVRO_ARRAY:
		if (!sr_json_is_array(x))
			return fail(c, "expected array, got %s", describe(c, x));
		return check_items(c, t, x);
	case SR_AVRO_MAP:
		if (!sr_json_is_object(x))
			return fail(c, "expected map (an object), got %s", describe(c, x));
		return check_items(c, t, x);
	case SR_AVRO_RECORD:
		return check_record(c, t, x);
	case SR_AVRO_UNION:
		return check_union(c, t, x);
	}
	return fail(c, "unsupported type");
}

bool sr_avro__validate(const sr_parsed *s, const sr_json *instance, sr_validation *v)
{
	vctx c;
	bool ok;

	memset(&c, 0, sizeof(c));
	c.v = v;
	sr_buf_init(&c.inst, SIZE_MAX);
	sr_buf_init(&c.kw, SIZE_MAX);
	sr_buf_puts(&c.inst, "");
	sr_buf_puts(&c.kw, "");
	c.steps = STEP_BUDGET;
	ok = check(&c, sr_avro__schema(s)->root, instance);
	sr_buf_dispose(&c.inst);
	sr_buf_dispose(&c.kw);
	return ok && !c.exhausted;
}

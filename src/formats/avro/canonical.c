/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The canonical string: what Confluent Schema Registry stores and returns
 * for an Avro schema, i.e. Apache Avro Java's Schema.toString() (compact
 * JSON; NOT the Parsing Canonical Form, see pcf.c). Reproduced key by key:
 *
 *   primitive   "int", or {"type":"int",<props>} when it has properties
 *   record      {"type":"record"|"error","name","namespace"?,"doc"?,
 *                "fields":[...],<props>,"aliases"?}
 *   field       {"name","type","doc"?,"default"?,"order"? (unless
 *                ascending),"aliases"?,<props>}
 *   enum        {"type":"enum","name","namespace"?,"doc"?,"symbols",
 *                "default"?,<props>,"aliases"?}
 *   fixed       {"type":"fixed","name","namespace"?,"doc"?,"size",<props>,
 *                "aliases"?}
 *   array/map   {"type":"array","items":...,<props>} / "values"
 *   union       [...]
 *
 * "namespace" is written only when it differs from the enclosing one
 * ("" when a null namespace sits inside a non-null one). A named type is
 * defined where it first occurs; later occurrences, and types of
 * referenced schemas, are written as a name relative to the current
 * namespace (Schema.Name.getQualified). Type aliases are written the same
 * way relative to the type's own namespace. Custom properties keep their
 * input order; values are written as Jackson would (value.c).
 *
 * Known difference: Confluent adds only the top-level type of each
 * referenced schema to the known names, so a named type nested inside a
 * referenced schema would be inlined again by Confluent (yielding a string
 * that cannot be parsed with its references). Here every type defined by
 * a reference is written by name.
 *
 * The output was checked against Apache Avro Java (see tests/cases/avro/).
 */
#include "formats/avro/avro_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

typedef struct cw {
	sr_buf *out;
	unsigned char *written; /* one flag per named type */
	int rc;
} cw;

static void put(cw *w, const char *s)
{
	if (w->rc == 0)
		w->rc = sr_buf_puts(w->out, s);
}

static void putn(cw *w, const char *s, size_t n)
{
	if (w->rc == 0)
		w->rc = sr_buf_put(w->out, s, n);
}

static void str(cw *w, const char *s)
{
	if (w->rc == 0)
		w->rc = sr_buf_put_json_string(w->out, s, strlen(s));
}

static void jstr(cw *w, const sr_json *s)
{
	if (w->rc == 0)
		w->rc = sr_buf_put_json_string(w->out, s->u.str, s->len);
}

static void value(cw *w, const sr_json *v)
{
	if (w->rc == 0)
		w->rc = sr_avro__put_value(w->out, v, false);
}

static void props(cw *w, const sr_avro_props *p)
{
	size_t i;

	for (i = 0; i < p->count; i++) {
		const sr_json_member *m = p->items[i];
		putn(w, ",", 1);
		if (w->rc == 0)
			w->rc = sr_buf_put_json_string(w->out, m->key, m->key_len);
		putn(w, ":", 1);
		value(w, m->value);
	}
}

static void type_aliases(cw *w, const sr_avro_node *n)
{
	size_t i;

	if (!n->naliases)
		return;
	put(w, ",\"aliases\":[");
	for (i = 0; i < n->naliases; i++) {
		if (i)
			putn(w, ",", 1);
		str(w, sr_avro__qualified(&n->aliases[i], n->name.space));
	}
	putn(w, "]", 1);
}

static void schema(cw *w, const sr_avro_node *n, const char *space);

static void fields(cw *w, const sr_avro_node *n)
{
	size_t i, k;

	put(w, ",\"fields\":[");
	for (i = 0; i < n->nfields; i++) {
		const sr_avro_field *f = &n->fields[i];
		if (i)
			putn(w, ",", 1);
		put(w, "{\"name\":");
		str(w, f->name);
		put(w, ",\"type\":");
		schema(w, f->type, n->name.space);
		if (f->doc) {
			put(w, ",\"doc\":");
			jstr(w, f->doc);
		}
		if (f->def) {
			put(w, ",\"default\":");
			if (w->rc == 0)
				w->rc = sr_avro__put_default(w->out, f, false);
		}
		if (f->order == SR_AVRO_DESCENDING)
			put(w, ",\"order\":\"descending\"");
		else if (f->order == SR_AVRO_IGNORE)
			put(w, ",\"order\":\"ignore\"");
		if (f->naliases) {
			put(w, ",\"aliases\":[");
			for (k = 0; k < f->naliases; k++) {
				if (k)
					putn(w, ",", 1);
				str(w, f->aliases[k]);
			}
			putn(w, "]", 1);
		}
		props(w, &f->props);
		putn(w, "}", 1);
	}
	putn(w, "]", 1);
}

static void named(cw *w, const sr_avro_node *n, const char *space)
{
	size_t i;

	if (w->written[n->id]) {
		str(w, sr_avro__qualified(&n->name, space));
		return;
	}
	w->written[n->id] = 1;
	put(w, "{\"type\":");
	str(w, n->type == SR_AVRO_RECORD ? (n->is_error ? "error" : "record")
					 : sr_avro__type_name(n->type));
	put(w, ",\"name\":");
	str(w, n->name.name);
	if (n->name.space) {
		if (!space || strcmp(space, n->name.space) != 0) {
			put(w, ",\"namespace\":");
			str(w, n->name.space);
		}
	} else if (space) {
		put(w, ",\"namespace\":\"\"");
	}
	if (n->doc) {
		put(w, ",\"doc\":");
		jstr(w, n->doc);
	}
	switch (n->type) {
	case SR_AVRO_RECORD:
		fields(w, n);
		break;
	case SR_AVRO_ENUM:
		put(w, ",\"symbols\":[");
		for (i = 0; i < n->nsymbols; i++) {
			if (i)
				putn(w, ",", 1);
			str(w, n->symbols[i]);
		}
		putn(w, "]", 1);
		if (n->enum_default) {
			put(w, ",\"default\":");
			str(w, n->enum_default);
		}
		break;
	default:
		if (w->rc == 0)
			w->rc = sr_buf_printf(w->out, ",\"size\":%d", (int)n->size);
		break;
	}
	props(w, &n->props);
	type_aliases(w, n);
	putn(w, "}", 1);
}

static void schema(cw *w, const sr_avro_node *n, const char *space)
{
	size_t i;

	if (w->rc)
		return;
	switch (n->type) {
	case SR_AVRO_RECORD:
	case SR_AVRO_ENUM:
	case SR_AVRO_FIXED:
		named(w, n, space);
		return;
	case SR_AVRO_ARRAY:
	case SR_AVRO_MAP:
		put(w, n->type == SR_AVRO_ARRAY ? "{\"type\":\"array\",\"items\":"
						: "{\"type\":\"map\",\"values\":");
		schema(w, n->items, space);
		props(w, &n->props);
		putn(w, "}", 1);
		return;
	case SR_AVRO_UNION:
		putn(w, "[", 1);
		for (i = 0; i < n->nbranches; i++) {
			if (i)
				putn(w, ",", 1);
			schema(w, n->branches[i], space);
		}
		putn(w, "]", 1);
		return;
	default:
		if (!n->props.count) {
			str(w, sr_avro__type_name(n->type));
			return;
		}
		put(w, "{\"type\":");
		str(w, sr_avro__type_name(n->type));
		props(w, &n->props);
		putn(w, "}", 1);
		return;
	}
}

/* With `inline_external`, types of referenced schemas are defined where
 * they first occur, like the schema's own types; else they are names. */
static int canonical(const sr_parsed *s, sr_buf *out, bool inline_external)
{
	const sr_avro_schema *as = sr_avro__schema(s);
	cw w = { out, NULL, 0 };
	size_t i;

	w.written = sr_calloc(as->nnamed ? as->nnamed : 1, 1);
	for (i = 0; i < as->nnamed; i++)
		if (as->named[i]->external && !inline_external)
			w.written[i] = 1;
	schema(&w, as->root, NULL);
	free(w.written);
	return w.rc;
}

int sr_avro__canonical(const sr_parsed *s, sr_buf *out)
{
	return canonical(s, out, false);
}

int sr_avro__canonical_resolved(const sr_parsed *s, sr_buf *out)
{
	return canonical(s, out, true);
}

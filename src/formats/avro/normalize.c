/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The normalized string (the identity used with normalize=true), modelled
 * on Confluent's AvroSchemaUtils.toNormalizedString, which adapts Avro's
 * SchemaNormalization but keeps everything that changes meaning or
 * documentation. Two schemas that differ only in namespace spelling
 * (inherited vs explicit vs dotted name), key order, whitespace, number
 * spelling, the order of aliases or the order of custom properties get
 * the same normalized string. The form is itself a valid schema with the
 * same meaning. Precisely:
 *
 *   - compact JSON, no whitespace;
 *   - primitive: "int" without properties, else {"type":"int",<props>};
 *   - named type, first occurrence:
 *       {"name":<full name>,["namespace":"",]"type":"record"|"error"|
 *        "enum"|"fixed",["doc",]<body>,["aliases",]<props>}
 *     where <body> is "fields":[...] for records, "symbols":[...] and an
 *     optional "default" for enums, "size" for fixed. "namespace":"" is
 *     written only for a type in the null namespace nested in a type with
 *     a namespace (so that re-parsing keeps it in the null namespace);
 *   - later occurrences, and types of referenced schemas: the full name;
 *   - field: {"name","type",["doc",]["default",]["order" unless
 *     ascending,]["aliases",]<props>};
 *   - array / map: {"type":"array","items":...,<props>} / "values";
 *   - union: [...], branches in their order (order is meaningful);
 *   - type aliases as full names, field aliases as names, both sorted
 *     bytewise and without duplicates;
 *   - <props>: custom properties (including logicalType, precision,
 *     scale...) sorted bytewise by key; inside property values and
 *     default values, object members are sorted by key too;
 *   - numbers as Jackson writes them (value.c): integers as digits, other
 *     numbers as Java's Double.toString.
 * Symbols and fields keep their order (it is meaningful).
 */
#include "formats/avro/avro_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

typedef struct nw {
	sr_buf *out;
	unsigned char *written;
	int rc;
} nw;

static void put(nw *w, const char *s)
{
	if (w->rc == 0)
		w->rc = sr_buf_puts(w->out, s);
}

static void str(nw *w, const char *s)
{
	if (w->rc == 0)
		w->rc = sr_buf_put_json_string(w->out, s, strlen(s));
}

static void jstr(nw *w, const sr_json *s)
{
	if (w->rc == 0)
		w->rc = sr_buf_put_json_string(w->out, s->u.str, s->len);
}

static void value(nw *w, const sr_json *v)
{
	if (w->rc == 0)
		w->rc = sr_avro__put_value(w->out, v, true);
}

static int cmp_str(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static void props(nw *w, const sr_avro_props *p)
{
	const sr_json_member **sorted;
	size_t i;

	if (!p->count)
		return;
	sorted = sr_malloc(p->count * sizeof(*sorted));
	memcpy(sorted, p->items, p->count * sizeof(*sorted));
	sr_json_sort_members(sorted, p->count);
	for (i = 0; i < p->count; i++) {
		put(w, ",");
		if (w->rc == 0)
			w->rc = sr_buf_put_json_string(w->out, sorted[i]->key, sorted[i]->key_len);
		put(w, ":");
		value(w, sorted[i]->value);
	}
	free(sorted);
}

/* ,"aliases":[...] from `n` strings, sorted, duplicates dropped. */
static void aliases(nw *w, const char **names, size_t n)
{
	const char **sorted;
	size_t i, k = 0;

	if (!n)
		return;
	sorted = sr_malloc(n * sizeof(*sorted));
	memcpy(sorted, names, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_str);
	put(w, ",\"aliases\":[");
	for (i = 0; i < n; i++) {
		if (i && strcmp(sorted[i], sorted[i - 1]) == 0)
			continue;
		if (k++)
			put(w, ",");
		str(w, sorted[i]);
	}
	put(w, "]");
	free(sorted);
}

static void schema(nw *w, const sr_avro_node *n, const char *space);

static void fields(nw *w, const sr_avro_node *n)
{
	size_t i;

	put(w, ",\"fields\":[");
	for (i = 0; i < n->nfields; i++) {
		const sr_avro_field *f = &n->fields[i];
		if (i)
			put(w, ",");
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
				w->rc = sr_avro__put_default(w->out, f, true);
		}
		if (f->order == SR_AVRO_DESCENDING)
			put(w, ",\"order\":\"descending\"");
		else if (f->order == SR_AVRO_IGNORE)
			put(w, ",\"order\":\"ignore\"");
		aliases(w, f->aliases, f->naliases);
		props(w, &f->props);
		put(w, "}");
	}
	put(w, "]");
}

static void named(nw *w, const sr_avro_node *n, const char *space)
{
	const char **al;
	size_t i;

	if (w->written[n->id]) {
		str(w, n->name.full);
		return;
	}
	w->written[n->id] = 1;
	put(w, "{\"name\":");
	str(w, n->name.full);
	if (!n->name.space && space)
		put(w, ",\"namespace\":\"\"");
	put(w, ",\"type\":");
	str(w, n->type == SR_AVRO_RECORD ? (n->is_error ? "error" : "record")
					 : sr_avro__type_name(n->type));
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
				put(w, ",");
			str(w, n->symbols[i]);
		}
		put(w, "]");
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
	if (n->naliases) {
		al = sr_malloc(n->naliases * sizeof(*al));
		for (i = 0; i < n->naliases; i++)
			al[i] = n->aliases[i].full;
		aliases(w, al, n->naliases);
		free(al);
	}
	props(w, &n->props);
	put(w, "}");
}

static void schema(nw *w, const sr_avro_node *n, const char *space)
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
		put(w, "}");
		return;
	case SR_AVRO_UNION:
		put(w, "[");
		for (i = 0; i < n->nbranches; i++) {
			if (i)
				put(w, ",");
			schema(w, n->branches[i], space);
		}
		put(w, "]");
		return;
	default:
		if (!n->props.count) {
			str(w, sr_avro__type_name(n->type));
			return;
		}
		put(w, "{\"type\":");
		str(w, sr_avro__type_name(n->type));
		props(w, &n->props);
		put(w, "}");
		return;
	}
}

int sr_avro__normalize(const sr_parsed *s, sr_buf *out)
{
	const sr_avro_schema *as = sr_avro__schema(s);
	nw w = { out, NULL, 0 };
	size_t i;

	w.written = sr_calloc(as->nnamed ? as->nnamed : 1, 1);
	for (i = 0; i < as->nnamed; i++)
		if (as->named[i]->external)
			w.written[i] = 1;
	schema(&w, as->root, NULL);
	free(w.written);
	return w.rc;
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Parsing Canonical Form and its CRC-64-AVRO fingerprint, exactly as the
 * Avro specification ("Parsing Canonical Form for Schemas") and Avro
 * Java's SchemaNormalization define them:
 *  PRIMITIVES  {"type":"int"} becomes "int";
 *  FULLNAMES   names are written in full, "namespace" is dropped;
 *  STRIP       only type, name, fields, symbols, items, values, size stay
 *              (no doc, aliases, defaults, order, logical types, props);
 *  ORDER       name, type, fields, symbols, items, values, size;
 *  STRINGS     names and symbols are plain ASCII (the grammar), written
 *              with JSON escaping anyway;
 *  INTEGERS    size without leading zeros (it is an int);
 *  WHITESPACE  none.
 * A named type is written in full at its first occurrence and as its full
 * name afterwards. Types that come from referenced schemas are inlined at
 * their first use, so the form (and the fingerprint) describes the whole
 * schema, as Java's SchemaNormalization of the parsed schema does.
 */
#include "formats/avro/avro.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/hash.h"
#include "core/mem.h"
#include "formats/avro/avro_internal.h"

typedef struct pw {
	sr_buf *out;
	unsigned char *written;
	int rc;
} pw;

static void put(pw *w, const char *s)
{
	if (w->rc == 0)
		w->rc = sr_buf_puts(w->out, s);
}

static void str(pw *w, const char *s)
{
	if (w->rc == 0)
		w->rc = sr_buf_put_json_string(w->out, s, strlen(s));
}

static void build(pw *w, const sr_avro_node *n)
{
	size_t i;

	if (w->rc)
		return;
	switch (n->type) {
	case SR_AVRO_UNION:
		put(w, "[");
		for (i = 0; i < n->nbranches; i++) {
			if (i)
				put(w, ",");
			build(w, n->branches[i]);
		}
		put(w, "]");
		return;
	case SR_AVRO_ARRAY:
		put(w, "{\"type\":\"array\",\"items\":");
		build(w, n->items);
		put(w, "}");
		return;
	case SR_AVRO_MAP:
		put(w, "{\"type\":\"map\",\"values\":");
		build(w, n->items);
		put(w, "}");
		return;
	case SR_AVRO_RECORD:
	case SR_AVRO_ENUM:
	case SR_AVRO_FIXED:
		if (w->written[n->id]) {
			str(w, n->name.full);
			return;
		}
		w->written[n->id] = 1;
		put(w, "{\"name\":");
		str(w, n->name.full);
		put(w, ",\"type\":");
		str(w, sr_avro__type_name(n->type));
		if (n->type == SR_AVRO_ENUM) {
			put(w, ",\"symbols\":[");
			for (i = 0; i < n->nsymbols; i++) {
				if (i)
					put(w, ",");
				str(w, n->symbols[i]);
			}
			put(w, "]");
		} else if (n->type == SR_AVRO_FIXED) {
			if (w->rc == 0)
				w->rc = sr_buf_printf(w->out, ",\"size\":%d", (int)n->size);
		} else {
			put(w, ",\"fields\":[");
			for (i = 0; i < n->nfields; i++) {
				if (i)
					put(w, ",");
				put(w, "{\"name\":");
				str(w, n->fields[i].name);
				put(w, ",\"type\":");
				build(w, n->fields[i].type);
				put(w, "}");
			}
			put(w, "]");
		}
		put(w, "}");
		return;
	default:
		str(w, sr_avro__type_name(n->type));
		return;
	}
}

int sr_avro_parsing_canonical_form(const sr_parsed *s, sr_buf *out)
{
	const sr_avro_schema *as = sr_avro__schema(s);
	pw w = { out, NULL, 0 };

	w.written = sr_calloc(as->nnamed ? as->nnamed : 1, 1);
	build(&w, as->root);
	free(w.written);
	return w.rc;
}

uint64_t sr_avro_fingerprint(const sr_parsed *s)
{
	sr_buf b = SR_BUF_INIT;
	uint64_t fp;

	sr_avro_parsing_canonical_form(s, &b);
	fp = sr_crc64_avro(b.ptr ? b.ptr : "", b.len);
	sr_buf_dispose(&b);
	return fp;
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The strings a JSON schema is stored and compared by.
 *
 *  - canonical: the schema re-written compactly, members in their order,
 *    number lexemes and strings as written (what Confluent's Jackson
 *    re-serialisation keeps, except that we never reformat numbers);
 *  - normalized (normalize=true): the same with object members sorted by
 *    key, at every level;
 *  - resolved (lookup of a schema sent with its references written out):
 *    the schema with each referenced document bundled the way JSON Schema
 *    2020-12 (section 9.3, "bundling") describes, so that its $refs resolve
 *    unchanged: every reference document is added, under its reference
 *    name, to "$defs" ("definitions" before 2019-09) of the root (after
 *    what is already there), with "$id" (draft-04: "id") set first to the
 *    reference name when the document does not carry its own identifier.
 *    A client that bundles the same way sends exactly this string.
 */
#include <string.h>

#include "formats/jsonschema/compiled.h"

int sr_js__canonical(const sr_parsed *s, sr_buf *out)
{
	return sr_json_write(out, sr_js__schema(s)->docs[0].root);
}

int sr_js__normalize(const sr_parsed *s, sr_buf *out)
{
	return sr_json_write_sorted(out, sr_js__schema(s)->docs[0].root);
}

static int put_member(sr_buf *out, const char *key, size_t key_len, bool *first)
{
	if (!*first && sr_buf_putc(out, ',') < 0)
		return SR_ETOOBIG;
	*first = false;
	if (sr_buf_put_json_string(out, key, key_len) < 0 || sr_buf_putc(out, ':') < 0)
		return SR_ETOOBIG;
	return 0;
}

/* A referenced document with its identifier in front when it has none. */
static int put_bundled(sr_buf *out, const sr_jsonschema_document *d, const char *name)
{
	const char *idkw = d->draft == SR_JS_DRAFT4 ? "id" : "$id";
	bool first = true;
	size_t i;

	if (!sr_json_is_object(d->root) || sr_json_get(d->root, idkw))
		return sr_json_write(out, d->root);
	if (sr_buf_putc(out, '{') < 0 || put_member(out, idkw, strlen(idkw), &first) < 0 ||
	    sr_buf_put_json_string(out, name, strlen(name)) < 0)
		return SR_ETOOBIG;
	for (i = 0; i < d->root->len; i++) {
		const sr_json_member *m = &d->root->u.members[i];
		if (put_member(out, m->key, m->key_len, &first) < 0 || sr_json_write(out, m->value) < 0)
			return SR_ETOOBIG;
	}
	return sr_buf_putc(out, '}') < 0 ? SR_ETOOBIG : 0;
}

static int put_defs(sr_buf *out, const sr_js_schema *js, const sr_json *existing)
{
	bool first = true;
	size_t i;

	if (sr_buf_putc(out, '{') < 0)
		return SR_ETOOBIG;
	for (i = 0; existing && i < existing->len; i++) {
		const sr_json_member *m = &existing->u.members[i];
		if (put_member(out, m->key, m->key_len, &first) < 0 || sr_json_write(out, m->value) < 0)
			return SR_ETOOBIG;
	}
	for (i = 1; i < js->ndocs; i++) {
		const char *name = js->ref_names[i];
		if (existing && sr_json_get(existing, name))
			continue;
		if (put_member(out, name, strlen(name), &first) < 0 ||
		    put_bundled(out, &js->docs[i], name) < 0)
			return SR_ETOOBIG;
	}
	return sr_buf_putc(out, '}') < 0 ? SR_ETOOBIG : 0;
}

int sr_js__canonical_resolved(const sr_parsed *s, sr_buf *out)
{
	const sr_js_schema *js = sr_js__schema(s);
	const sr_json *root = js->docs[0].root;
	const char *defs = js->docs[0].draft >= SR_JS_DRAFT2019 ? "$defs" : "definitions";
	const sr_json *existing;
	bool first = true;
	size_t i;

	if (js->ndocs < 2 || !sr_json_is_object(root))
		return sr_json_write(out, root);
	existing = sr_json_get(root, defs);
	if (existing && !sr_json_is_object(existing))
		return sr_json_write(out, root);
	if (sr_buf_putc(out, '{') < 0)
		return SR_ETOOBIG;
	for (i = 0; i < root->len; i++) {
		const sr_json_member *m = &root->u.members[i];
		if (put_member(out, m->key, m->key_len, &first) < 0)
			return SR_ETOOBIG;
		if (m->value == existing ? put_defs(out, js, existing) < 0 : sr_json_write(out, m->value) < 0)
			return SR_ETOOBIG;
	}
	if (!existing && (put_member(out, defs, strlen(defs), &first) < 0 || put_defs(out, js, NULL) < 0))
		return SR_ETOOBIG;
	return sr_buf_putc(out, '}') < 0 ? SR_ETOOBIG : 0;
}

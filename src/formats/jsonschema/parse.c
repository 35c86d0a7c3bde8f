/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The parse op: a JSON Schema text plus its Confluent references (each
 * named by the URI the schema's $refs use) compiled into a validator, after
 * the schema has been checked against its dialect's meta-schema. The
 * dialect comes from $schema; without one it is the configured default
 * (sr_format_opts.default_dialect), draft-07 unless configured, as in
 * Confluent. Remote URIs are never fetched: a $ref that no reference and
 * no embedded meta-schema provides is an invalid schema (42201).
 */
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "formats/jsonschema/compiled.h"
#include "formats/jsonschema/jsonschema.h"

int sr_js__parse(sr_parsed *out, sr_arena *a, const char *text, size_t len,
		 const sr_ref_source *refs, size_t nrefs, const sr_format_opts *limits, sr_err *err)
{
	sr_js_source *docs = sr_malloc((nrefs + 1) * sizeof(*docs));
	sr_js_compile_opts opts = { limits, NULL, NULL, false };
	sr_js_schema *s = NULL;
	size_t i;
	int rc;

	docs[0].name = "";
	docs[0].text = text;
	docs[0].len = len;
	for (i = 0; i < nrefs; i++) {
		docs[i + 1].name = refs[i].name ? refs[i].name : "";
		docs[i + 1].text = refs[i].text;
		docs[i + 1].len = refs[i].len;
	}
	rc = sr_js__compile(&s, a, docs, nrefs + 1, &opts, err);
	free(docs);
	if (rc != 0)
		return rc;
	out->format = &sr_format_jsonschema;
	out->impl = s;
	return 0;
}

void sr_jsonschema__documents(const sr_parsed *s, const sr_jsonschema_document **out, size_t *n)
{
	const sr_js_schema *js = sr_js__schema(s);

	*out = js->docs;
	*n = js->ndocs;
}

/*
 * Helpers of the JSON Schema compatibility tests (included, not linked):
 * schemas parsed from JSON text straight into the documents the checker
 * works on (the schema, then its references by name), and a format
 * whose compatible op is the checker on those documents, so that cases
 * run through the level driver (sr_compat_check) without the validator.
 * Tests run with the repository root as the working directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/compat.h"
#include "core/arena.h"
#include "core/buf.h"
#include "formats/jsonschema/jsonschema_internal.h"
#include "json/json.h"
#include "test_compat_documents.h"
#include "test_util.h"

typedef struct shim_schema {
	sr_jsonschema_document *docs;
	size_t n;
} shim_schema;

/* A schema given as a JSON value, or as a string holding one. */
static const sr_json *shim_value(sr_arena *a, const sr_json *v)
{
	return sr_json_is_string(v) ? json_of_n(a, v->u.str, v->len) : v;
}

static bool shim_compatible(const sr_parsed *reader, const sr_parsed *writer,
			    sr_compat_report *report)
{
	const shim_schema *r = reader->impl, *w = writer->impl;

	return sr_jsonschema__compatible_documents(r->docs, r->n, w->docs, w->n, report);
}

static const sr_format_ops shim_ops = { .compatible = shim_compatible };
static const sr_format shim_format = { "JSON", SR_FORMAT_REFERENCES, &shim_ops };

/* A parsed schema from a JSON value and references {name: schema}. */
static __attribute__((unused)) sr_parsed shim_parsed(sr_arena *a, const sr_json *schema,
						     const sr_json *refs)
{
	shim_schema *s = sr_arena_calloc(a, 1, sizeof(*s));
	size_t nrefs = sr_json_is_object(refs) ? refs->len : 0, i;
	sr_parsed p;

	s->docs = sr_arena_calloc(a, nrefs + 1, sizeof(*s->docs));
	sr_test_compat_document(&s->docs[0], shim_value(a, schema), NULL);
	for (i = 0; i < nrefs; i++)
		sr_test_compat_document(&s->docs[i + 1], shim_value(a, refs->u.members[i].value),
					refs->u.members[i].key);
	s->n = nrefs + 1;
	p.format = &shim_format;
	p.impl = s;
	return p;
}

/* The same from JSON text. */
static __attribute__((unused)) sr_parsed shim_parse(sr_arena *a, const char *text)
{
	return shim_parsed(a, json_of(a, text), NULL);
}

/* The differences compare(original, update) reports, as "TYPE #/path" lines. */
static __attribute__((unused)) char *shim_diffs(sr_arena *a, const sr_parsed *original,
						const sr_parsed *update, sr_compat_policy policy,
						bool *complete)
{
	const shim_schema *o = original->impl, *u = update->impl;
	sr_jsonschema_diff *d;
	sr_buf b = SR_BUF_INIT;
	size_t n, i;
	char *r;
	bool ok = sr_jsonschema__differences_documents(a, o->docs, o->n, u->docs, u->n, policy,
						       &d, &n);

	if (complete)
		*complete = ok;
	for (i = 0; i < n; i++)
		sr_buf_printf(&b, "%s%s %s", i ? "\n" : "", d[i].type, d[i].path);
	r = sr_arena_strndup(a, b.ptr ? b.ptr : "", b.len);
	sr_buf_dispose(&b);
	return r;
}

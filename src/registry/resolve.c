/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Schema references: reading them from requests, resolving them against the
 * model, and handing a format the transitive closure (dependencies first)
 * so that it can parse a schema that uses types defined elsewhere.
 */
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "registry/model.h"

static int bad_reference(sr_err *err, const char *why, size_t index)
{
	return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
			  "Invalid schema: reference %zu %s", index, why);
}

int model_refs_from_json(sr_registry *r, sr_arena *a, const sr_json *json,
			 model_ref **out, size_t *nout, sr_err *err)
{
	model_ref *refs;
	size_t i;

	*out = NULL;
	*nout = 0;
	if (!json || json->type == SR_JSON_NULL)
		return 0;
	if (!sr_json_is_array(json))
		return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
				  "Invalid schema: references must be an array");
	if (json->len > r->opts.max_references)
		return sr_err_set(err, SR_ETOOBIG, SR_ERR_INVALID_SCHEMA,
				  "Invalid schema: more than %u references",
				  r->opts.max_references);
	refs = sr_arena_calloc(a, json->len ? json->len : 1, sizeof(*refs));
	for (i = 0; i < json->len; i++) {
		const sr_json *item = json->u.items[i];
		const char *name = sr_json_get_string(item, "name");
		const char *subject = sr_json_get_string(item, "subject");
		const sr_json *vj = sr_json_get(item, "version");
		model_subject *sub;
		model_version *v;
		int64_t version = SR_VERSION_LATEST;

		if (!sr_json_is_object(item) || !name || !subject)
			return bad_reference(err, "needs a string name and subject", i);
		if (vj && vj->type != SR_JSON_NULL &&
		    (sr_json_number_to_i64(vj, &version) < 0 ||
		     (version != SR_VERSION_LATEST && (version < 1 || version > INT32_MAX))))
			return bad_reference(err, "has an invalid version", i);
		sub = model_subject_find(r, subject);
		v = !sub ? NULL
		  : version == SR_VERSION_LATEST ? model_version_latest(sub, false)
						 : model_version_find(sub, (int32_t)version);
		if (!v)
			return sr_err_set(err, SR_ENOTFOUND, SR_ERR_INVALID_SCHEMA,
					  "Invalid schema: reference '%s' to subject '%s' "
					  "version %lld does not exist",
					  name, subject, (long long)version);
		refs[i].name = sr_arena_strdup(a, name);
		refs[i].subject = sr_arena_strdup(a, subject);
		refs[i].version = v->version;
	}
	*out = refs;
	*nout = json->len;
	return 0;
}

void model_refs_render(sr_buf *out, const model_ref *refs, size_t n)
{
	size_t i;

	sr_buf_putc(out, '[');
	for (i = 0; i < n; i++) {
		if (i)
			sr_buf_putc(out, ',');
		sr_buf_puts(out, "{\"name\":");
		sr_buf_put_json_string(out, refs[i].name, strlen(refs[i].name));
		sr_buf_puts(out, ",\"subject\":");
		sr_buf_put_json_string(out, refs[i].subject, strlen(refs[i].subject));
		sr_buf_puts(out, ",\"version\":");
		sr_buf_put_i64(out, refs[i].version);
		sr_buf_putc(out, '}');
	}
	sr_buf_putc(out, ']');
}

/* Depth-first collection of the reference closure, dependencies first. */
typedef struct closure {
	sr_registry *r;
	sr_arena *a;
	sr_ref_source *items;
	const model_schema **seen; /* schema of each collected item */
	size_t n, cap;
	sr_err *err;
} closure;

static bool closure_has(const closure *c, const model_schema *s, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->seen[i] == s && strcmp(c->items[i].name, name) == 0)
			return true;
	return false;
}

static int closure_visit(closure *c, const model_ref *refs, size_t nrefs, unsigned depth)
{
	size_t i;

	if (depth > c->r->opts.max_reference_depth)
		return sr_err_set(c->err, SR_ETOOBIG, SR_ERR_INVALID_SCHEMA,
				  "Invalid schema: references nest deeper than %u",
				  c->r->opts.max_reference_depth);
	for (i = 0; i < nrefs; i++) {
		model_subject *sub = model_subject_find(c->r, refs[i].subject);
		model_version *v = sub ? model_version_find(sub, refs[i].version) : NULL;
		const model_schema *s;

		if (!v)
			return sr_err_set(c->err, SR_ENOTFOUND, SR_ERR_INVALID_SCHEMA,
					  "Invalid schema: reference '%s' to subject '%s' "
					  "version %d does not exist",
					  refs[i].name, refs[i].subject, refs[i].version);
		s = v->schema;
		if (closure_has(c, s, refs[i].name))
			continue;
		if (closure_visit(c, s->refs, s->nrefs, depth + 1) < 0)
			return SR_EINVALID;
		if (c->n >= c->r->opts.max_references)
			return sr_err_set(c->err, SR_ETOOBIG, SR_ERR_INVALID_SCHEMA,
					  "Invalid schema: more than %u references in total",
					  c->r->opts.max_references);
		{
			size_t cap = c->cap; /* the two arrays grow together */

			c->items = sr_arena_grow(c->a, c->items, c->n, &cap, sizeof(*c->items), 8);
			c->seen = sr_arena_grow(c->a, c->seen, c->n, &c->cap, sizeof(*c->seen), 8);
		}
		c->items[c->n].name = refs[i].name;
		c->items[c->n].text = s->schema;
		c->items[c->n].len = s->schema_len;
		c->seen[c->n] = s;
		c->n++;
	}
	return 0;
}

int model_parse_schema(sr_registry *r, sr_arena *a, const sr_format *format,
		       const char *text, size_t len, const model_ref *refs,
		       size_t nrefs, sr_parsed *out, sr_err *err)
{
	closure c = { r, a, NULL, NULL, 0, 0, err };

	if (nrefs && !(format->flags & SR_FORMAT_REFERENCES))
		return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
				  "Invalid schema: %s schemas do not support references",
				  format->name);
	if (closure_visit(&c, refs, nrefs, 1) < 0)
		return SR_EINVALID;
	return format->ops->parse(out, a, text, len, c.items, c.n,
				  &r->opts.format, err);
}

int model_parse_stored(sr_registry *r, sr_arena *a, const model_schema *s,
		       sr_parsed *out, sr_err *err)
{
	return model_parse_schema(r, a, s->format, s->schema, s->schema_len,
				  s->refs, s->nrefs, out, err);
}

const sr_parsed *model_compiled_get(sr_registry *r, model_schema *s, sr_err *err)
{
	model_compiled *c = atomic_load_explicit(&s->compiled, memory_order_acquire);
	model_compiled *expected = NULL;

	if (c)
		return &c->parsed;
	c = sr_calloc(1, sizeof(*c));
	c->arena = sr_arena_new(0);
	if (model_parse_stored(r, c->arena, s, &c->parsed, err) < 0) {
		sr_arena_free(c->arena);
		free(c);
		return NULL;
	}
	if (!atomic_compare_exchange_strong_explicit(&s->compiled, &expected, c,
						     memory_order_acq_rel,
						     memory_order_acquire)) {
		/* Another thread compiled it first: keep theirs. */
		sr_arena_free(c->arena);
		free(c);
		c = expected;
	}
	return &c->parsed;
}

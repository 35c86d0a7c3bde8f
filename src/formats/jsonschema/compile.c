/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The compiler: documents -> resources -> compiled nodes.
 *
 *  1. Documents. The schema and its references (Confluent references: the
 *     name is the URI the schema's $refs use) are parsed; documents the
 *     schema reaches by URI that are not among them are loaded on demand
 *     from the embedded meta-schemas or, in tests, from a resolver
 *     callback. Nothing is fetched: any other URI is an unresolvable
 *     reference (42201).
 *  2. Index. Each document is walked along the keywords that hold
 *     subschemas in its dialect, recording every subschema's base URI and
 *     resource, the resources ($id), anchors ($anchor, draft 6/7 "#name"
 *     ids, $dynamicAnchor) and $recursiveAnchor. A subschema with $id and
 *     $schema switches the dialect for its resource.
 *  3. Meta-validation of the schema against its dialect's meta-schema
 *     (the compiled standard one, or a custom one compiled here); the
 *     references were validated when they were registered.
 *  4. Compilation. Subschemas compile to nodes on a work list (never by
 *     recursion, so deep or long $ref chains cost no stack), each JSON
 *     node once: $ref targets are looked up and compiled like any other
 *     subschema, so cycles are simply pointers back.
 *  5. A check that no chain of in-place applicators ($ref, allOf, anyOf,
 *     oneOf, not, if/then/else, dependentSchemas) leads from a subschema
 *     back to itself: such a schema would evaluate the same instance
 *     forever, so it is rejected at registration.
 *
 * Keyword shapes are checked again here (a referenced document is not
 * re-validated against its meta-schema), so that no input reaches the
 * validator malformed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/map.h"
#include "core/mem.h"
#include "formats/jsonschema/compiled.h"

/* Hard ceiling on the nesting of a schema document (whatever the
 * configured JSON depth): the index walk recurses along it. */
#define MAX_SCHEMA_DEPTH 2000
#define DEFAULT_JSON_DEPTH 1000
/* Custom meta-schemas may have custom meta-schemas this deep. */
#define MAX_DIALECT_CHAIN 8
/* Objects with more named properties than this get a hash index. */
#define PROPS_LINEAR_MAX 8
#define ENUM_LINEAR_MAX 8
#define ENUM_SOURCE_MAX 240

/* ---- pointer map ------------------------------------------------------------- */

typedef struct ptrmap {
	const void **keys;
	void **vals;
	size_t cap, n;
} ptrmap;

static size_t ptr_slot(const void *p, size_t mask)
{
	uint64_t h = (uint64_t)(uintptr_t)p;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h & mask;
}

static void *ptrmap_get(const ptrmap *m, const void *k)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = ptr_slot(k, m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == k)
			return m->vals[i];
	return NULL;
}

static void ptrmap_put(ptrmap *m, const void *k, void *v)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		ptrmap old = *m;
		m->cap = m->cap ? m->cap * 2 : 64;
		m->keys = sr_calloc(m->cap, sizeof(*m->keys));
		m->vals = sr_calloc(m->cap, sizeof(*m->vals));
		m->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.keys[i])
				ptrmap_put(m, old.keys[i], old.vals[i]);
		free(old.keys);
		free(old.vals);
	}
	for (i = ptr_slot(k, m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == k) {
			m->vals[i] = v;
			return;
		}
	m->keys[i] = k;
	m->vals[i] = v;
	m->n++;
}

static void ptrmap_dispose(ptrmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- context ------------------------------------------------------------------ */

typedef struct cdoc {
	const char *name;          /* reference name, retrieval URI, or "" */
	const char *uri;           /* retrieval URI, resolved, no fragment */
	const sr_json *root;
	const sr_js_dialect *dialect;
	sr_js_resource *res;
	bool walked, walking;
	bool is_ref;               /* a Confluent reference */
} cdoc;

/* What the index knows about a subschema position. */
typedef struct cinfo {
	const sr_json *json;
	const char *base;
	sr_js_resource *res;
	const struct cinfo *parent;
	const char *key;           /* step from the parent: member key, or NULL for `index` */
	size_t index;
	cdoc *doc;
} cinfo;

typedef struct canchor {
	const sr_json *json;
	const cinfo *info;
	bool dynamic;
} canchor;

typedef struct work {
	sr_js_node *node;
	const cinfo *info;
} work;

typedef struct cctx {
	sr_arena *a;
	sr_err *err;
	int rc;
	bool failed;
	const sr_js_compile_opts *opts;
	unsigned max_depth;
	const sr_js_dialect *default_dialect;

	cdoc **docs;
	size_t ndocs, docs_cap;

	sr_map resources;          /* uri -> sr_js_resource */
	sr_map anchors;            /* "uri#name" -> canchor */
	sr_map dialects;           /* meta-schema uri -> sr_js_dialect (custom) */
	ptrmap info;               /* json -> cinfo */
	ptrmap nodes;              /* json -> sr_js_node */
	ptrmap res_of_root;        /* json -> sr_js_resource (resource roots) */

	work *queue;               /* every node created, in order */
	size_t nqueue, queue_cap;
	size_t qnext;              /* the next one to compile */

	bool dynamic;              /* $dynamicRef or $recursiveRef compiled */
	unsigned dialect_depth;
} cctx;

/* ---- errors --------------------------------------------------------------------- */

static void put_location(sr_buf *b, const cinfo *in)
{
	const cinfo *chain[64];
	size_t n = 0, i;

	if (!in)
		return;
	if (in->parent) {
		/* The innermost 64 steps; deeper paths start with "/...". */
		const cinfo *p;
		size_t depth = 0;
		for (p = in; p->parent; p = p->parent)
			depth++;
		for (p = in; p->parent && n < 64; p = p->parent)
			chain[n++] = p;
		if (depth > n)
			sr_buf_puts(b, "/...");
	}
	for (i = n; i-- > 0;) {
		sr_buf_putc(b, '/');
		if (chain[i]->key)
			sr_json_pointer_put_token(b, chain[i]->key, strlen(chain[i]->key));
		else
			sr_buf_printf(b, "%zu", chain[i]->index);
	}
}

__attribute__((format(printf, 4, 5)))
static int cfail(cctx *c, const cinfo *in, const char *kw, const char *fmt, ...)
{
	sr_buf msg = SR_BUF_INIT;
	va_list ap;

	if (c->failed)
		return c->rc;
	c->failed = true;
	c->rc = SR_EINVALID;
	sr_buf_puts(&msg, "Invalid schema: ");
	if (in && in->doc && in->doc->is_ref)
		sr_buf_printf(&msg, "in reference \"%s\" ", in->doc->name);
	else if (in && in->doc && in->doc != c->docs[0])
		sr_buf_printf(&msg, "in %s ", in->doc->uri);
	sr_buf_puts(&msg, "at #");
	put_location(&msg, in);
	if (kw) {
		sr_buf_putc(&msg, '/');
		sr_json_pointer_put_token(&msg, kw, strlen(kw));
	}
	sr_buf_puts(&msg, ": ");
	va_start(ap, fmt);
	sr_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	sr_err_set(c->err, SR_EINVALID, SR_ERR_INVALID_SCHEMA, "%.*s", (int)msg.len, msg.ptr);
	sr_buf_dispose(&msg);
	return c->rc;
}

/* A JSON value written compactly for a message, cut at `max` bytes. */
static const char *quote_value(cctx *c, const sr_json *v, size_t max)
{
	sr_buf b;
	const char *s;

	sr_buf_init(&b, SIZE_MAX);
	sr_json_write(&b, v);
	if (b.len > max) {
		b.len = max;
		while (b.len && ((unsigned char)b.ptr[b.len] & 0xc0) == 0x80)
			b.len--;
		sr_buf_puts(&b, "...");
	}
	s = sr_arena_strndup(c->a, b.ptr ? b.ptr : "", b.len);
	sr_buf_dispose(&b);
	return s;
}

/* ---- small helpers --------------------------------------------------------------- */

static const char *loc_kw(cctx *c, const char *kw)
{
	sr_buf b = SR_BUF_INIT;
	const char *s;

	sr_buf_putc(&b, '/');
	sr_json_pointer_put_token(&b, kw, strlen(kw));
	s = sr_arena_strndup(c->a, b.ptr, b.len);
	sr_buf_dispose(&b);
	return s;
}

static const char *loc_kw_key(cctx *c, const char *kw, const char *key, size_t klen)
{
	sr_buf b = SR_BUF_INIT;
	const char *s;

	sr_buf_putc(&b, '/');
	sr_json_pointer_put_token(&b, kw, strlen(kw));
	sr_buf_putc(&b, '/');
	sr_json_pointer_put_token(&b, key, klen);
	s = sr_arena_strndup(c->a, b.ptr, b.len);
	sr_buf_dispose(&b);
	return s;
}

static const char *loc_kw_index(cctx *c, const char *kw, size_t i)
{
	sr_buf b = SR_BUF_INIT;
	const char *s;

	sr_buf_putc(&b, '/');
	sr_json_pointer_put_token(&b, kw, strlen(kw));
	sr_buf_printf(&b, "/%zu", i);
	s = sr_arena_strndup(c->a, b.ptr, b.len);
	sr_buf_dispose(&b);
	return s;
}

static bool is_schema_value(const sr_json *v)
{
	return v && (v->type == SR_JSON_OBJECT || v->type == SR_JSON_TRUE || v->type == SR_JSON_FALSE);
}

static const char *arena_key(cctx *c, const char *uri, const char *frag, size_t flen)
{
	return sr_arena_printf(c->a, "%s#%.*s", uri, (int)flen, frag);
}

/* ---- dialects ------------------------------------------------------------------------ */

static const struct {
	const char *uri;
	unsigned bit;
	int draft;
} vocabularies[] = {
	{ "https://json-schema.org/draft/2019-09/vocab/core", SR_JS_VOCAB_CORE, 2019 },
	{ "https://json-schema.org/draft/2019-09/vocab/applicator",
	  SR_JS_VOCAB_APPLICATOR | SR_JS_VOCAB_UNEVALUATED, 2019 },
	{ "https://json-schema.org/draft/2019-09/vocab/validation", SR_JS_VOCAB_VALIDATION, 2019 },
	{ "https://json-schema.org/draft/2019-09/vocab/meta-data", SR_JS_VOCAB_METADATA, 2019 },
	{ "https://json-schema.org/draft/2019-09/vocab/format", SR_JS_VOCAB_FORMAT, 2019 },
	{ "https://json-schema.org/draft/2019-09/vocab/content", SR_JS_VOCAB_CONTENT, 2019 },
	{ "https://json-schema.org/draft/2020-12/vocab/core", SR_JS_VOCAB_CORE, 2020 },
	{ "https://json-schema.org/draft/2020-12/vocab/applicator", SR_JS_VOCAB_APPLICATOR, 2020 },
	{ "https://json-schema.org/draft/2020-12/vocab/unevaluated", SR_JS_VOCAB_UNEVALUATED, 2020 },
	{ "https://json-schema.org/draft/2020-12/vocab/validation", SR_JS_VOCAB_VALIDATION, 2020 },
	{ "https://json-schema.org/draft/2020-12/vocab/meta-data", SR_JS_VOCAB_METADATA, 2020 },
	{ "https://json-schema.org/draft/2020-12/vocab/format-annotation", SR_JS_VOCAB_FORMAT, 2020 },
	{ "https://json-schema.org/draft/2020-12/vocab/format-assertion",
	  SR_JS_VOCAB_FORMAT | SR_JS_VOCAB_FORMAT_ASSERT, 2020 },
	{ "https://json-schema.org/draft/2020-12/vocab/content", SR_JS_VOCAB_CONTENT, 2020 },
};

static sr_js_resource *find_resource(cctx *c, const char *uri);
static int walk_doc(cctx *c, cdoc *d);

/*
 * The dialect named by a $schema value: a standard meta-schema, or a
 * custom one found among the documents; its draft is that of its own
 * $schema and, from 2019-09 on, its $vocabulary says which vocabularies
 * are on (an unknown vocabulary it requires makes the schema unusable).
 */
static const sr_js_dialect *dialect_for(cctx *c, const char *uri, size_t len, const cinfo *in)
{
	const sr_js_dialect *std = sr_js__dialect_standard(uri, len);
	const sr_js_dialect *parent;
	sr_js_dialect *d;
	sr_js_resource *r;
	const char *key;
	const sr_json *voc, *sch;
	size_t i, j;

	if (std)
		return std;
	key = sr_arena_strndup(c->a, uri, sr_js__uri_strip_fragment(uri, len));
	d = sr_map_get(&c->dialects, key, strlen(key));
	if (d)
		return d;
	if (c->dialect_depth >= MAX_DIALECT_CHAIN) {
		cfail(c, in, "$schema", "meta-schemas nest deeper than %d levels", MAX_DIALECT_CHAIN);
		return NULL;
	}
	c->dialect_depth++;
	r = find_resource(c, key);
	c->dialect_depth--;
	if (!r || !sr_json_is_object(r->root)) {
		if (!c->failed)
			cfail(c, in, "$schema",
			      "unknown $schema \"%.*s\": not a JSON Schema draft this registry supports "
			      "(draft-04, draft-06, draft-07, 2019-09, 2020-12) and not a registered meta-schema",
			      (int)len, uri);
		return NULL;
	}
	sch = sr_json_get(r->root, "$schema");
	if (sch && sch->type == SR_JSON_STRING) {
		if (sch->len == len && memcmp(sch->u.str, uri, len) == 0) {
			cfail(c, in, "$schema", "meta-schema \"%.*s\" is its own meta-schema but not a known draft",
			      (int)len, uri);
			return NULL;
		}
		c->dialect_depth++;
		parent = dialect_for(c, sch->u.str, sch->len, in);
		c->dialect_depth--;
		if (!parent)
			return NULL;
	} else {
		parent = c->default_dialect;
	}
	d = sr_arena_calloc(c->a, 1, sizeof(*d));
	d->draft = parent->draft;
	d->vocab = parent->vocab;
	d->uri = key;
	voc = sr_json_get(r->root, "$vocabulary");
	if (parent->draft >= SR_JS_DRAFT2019 && sr_json_is_object(voc)) {
		d->vocab = 0;
		for (i = 0; i < voc->len; i++) {
			const sr_json_member *m = &voc->u.members[i];
			bool known = false;
			for (j = 0; j < sizeof(vocabularies) / sizeof(vocabularies[0]); j++)
				if (strcmp(vocabularies[j].uri, m->key) == 0) {
					d->vocab |= vocabularies[j].bit;
					known = true;
				}
			if (!known && m->value->type == SR_JSON_TRUE) {
				cfail(c, in, "$schema", "meta-schema \"%s\" requires the vocabulary \"%s\", "
				      "which this registry does not support", key, m->key);
				return NULL;
			}
		}
	}
	sr_map_put(&c->dialects, key, strlen(key), d);
	return d;
}

/* ---- documents and index ------------------------------------------------------------ */

static cdoc *add_doc(cctx *c, const char *name, const char *uri, const sr_json *root, bool is_ref)
{
	cdoc *d = sr_arena_calloc(c->a, 1, sizeof(*d));

	d->name = name;
	d->uri = uri;
	d->root = root;
	d->is_ref = is_ref;
	if (c->ndocs == c->docs_cap) {
		c->docs_cap = c->docs_cap ? c->docs_cap * 2 : 8;
		c->docs = sr_realloc(c->docs, c->docs_cap * sizeof(*c->docs));
	}
	c->docs[c->ndocs++] = d;
	return d;
}

static sr_js_resource *new_resource(cctx *c, const char *uri, const sr_json *root,
				    const sr_js_dialect *dialect)
{
	sr_js_resource *r = sr_arena_calloc(c->a, 1, sizeof(*r));

	r->uri = uri;
	r->root = root;
	r->dialect = dialect;
	if (!sr_map_get(&c->resources, uri, strlen(uri)))
		sr_map_put(&c->resources, uri, strlen(uri), r);
	ptrmap_put(&c->res_of_root, root, r);
	return r;
}

static cinfo *new_info(cctx *c, const sr_json *j, const char *base, sr_js_resource *res,
		       const cinfo *parent, const char *key, size_t index, cdoc *doc)
{
	cinfo *in = sr_arena_calloc(c->a, 1, sizeof(*in));

	in->json = j;
	in->base = base;
	in->res = res;
	in->parent = parent;
	in->key = key;
	in->index = index;
	in->doc = doc;
	return in;
}

static sr_js_node *get_node(cctx *c, const sr_json *j, const cinfo *in);
static int compile_pending(cctx *c);

/* A new $dynamicAnchor of a resource (add_anchor() saw it first). */
static void add_dynamic_anchor(cctx *c, sr_js_resource *r, const char *name, const sr_json *j,
			       const cinfo *in)
{
	r->dynamic = sr_arena_grow(c->a, r->dynamic, r->ndynamic, &r->dynamic_cap,
				   sizeof(*r->dynamic), 4);
	r->dynamic[r->ndynamic].name = name;
	r->dynamic[r->ndynamic].node = get_node(c, j, in);
	r->ndynamic++;
}

/* Register an anchor; false when the name was already taken in `base`. */
static bool add_anchor(cctx *c, const char *base, const char *name, size_t nlen, const sr_json *j,
		       const cinfo *in, bool dynamic)
{
	const char *key = arena_key(c, base, name, nlen);
	canchor *an = sr_map_get(&c->anchors, key, strlen(key));

	if (an) {
		an->dynamic = an->dynamic || (dynamic && an->json == j);
		return false;
	}
	an = sr_arena_calloc(c->a, 1, sizeof(*an));
	an->json = j;
	an->info = in;
	an->dynamic = dynamic;
	sr_map_put(&c->anchors, key, strlen(key), an);
	return true;
}

/* Which keywords hold subschemas, and how, per draft. */
enum { SUB_ONE, SUB_ARRAY, SUB_MAP, SUB_ITEMS, SUB_DEPS };

static const struct {
	const char *kw;
	int shape;
	int from, to;
} sub_keywords[] = {
	{ "additionalItems", SUB_ONE, 4, 2019 },
	{ "additionalProperties", SUB_ONE, 4, 2020 },
	{ "allOf", SUB_ARRAY, 4, 2020 },
	{ "anyOf", SUB_ARRAY, 4, 2020 },
	{ "oneOf", SUB_ARRAY, 4, 2020 },
	{ "not", SUB_ONE, 4, 2020 },
	{ "items", SUB_ITEMS, 4, 2020 },
	{ "prefixItems", SUB_ARRAY, 2020, 2020 },
	{ "contains", SUB_ONE, 6, 2020 },
	{ "properties", SUB_MAP, 4, 2020 },
	{ "patternProperties", SUB_MAP, 4, 2020 },
	{ "dependencies", SUB_DEPS, 4, 2020 },
	{ "dependentSchemas", SUB_MAP, 2019, 2020 },
	{ "propertyNames", SUB_ONE, 6, 2020 },
	{ "if", SUB_ONE, 7, 2020 },
	{ "then", SUB_ONE, 7, 2020 },
	{ "else", SUB_ONE, 7, 2020 },
	{ "definitions", SUB_MAP, 4, 2020 },
	{ "$defs", SUB_MAP, 2019, 2020 },
	{ "unevaluatedItems", SUB_ONE, 2019, 2020 },
	{ "unevaluatedProperties", SUB_ONE, 2019, 2020 },
	{ "contentSchema", SUB_ONE, 2019, 2020 },
};

static int walk(cctx *c, const sr_json *j, const char *base, sr_js_resource *res,
		const cinfo *parent, const char *key, size_t index, cdoc *doc, unsigned depth);

static int walk_child(cctx *c, const sr_json *v, const cinfo *in, const char *key, size_t index,
		      unsigned depth)
{
	if (!is_schema_value(v))
		return 0;
	return walk(c, v, in->base, in->res, in, key, index, in->doc, depth + 1);
}

static int walk(cctx *c, const sr_json *j, const char *base, sr_js_resource *res,
		const cinfo *parent, const char *key, size_t index, cdoc *doc, unsigned depth)
{
	const sr_js_dialect *d = res->dialect;
	cinfo *in;
	const sr_json *v;
	size_t i, k;
	int draft;

	if (depth > c->max_depth)
		return cfail(c, parent, key, "the schema nests deeper than %u levels", c->max_depth);
	if (ptrmap_get(&c->info, j))
		return 0;
	in = new_info(c, j, base, res, parent, key, index, doc);
	ptrmap_put(&c->info, j, in);
	if (j->type != SR_JSON_OBJECT)
		return 0;

	/* An embedded resource may declare its own dialect. */
	if (parent) {
		const sr_json *sch = sr_json_get(j, "$schema");
		if (sch && sch->type == SR_JSON_STRING) {
			const sr_js_dialect *d2 = dialect_for(c, sch->u.str, sch->len, in);
			const sr_json *id2;
			if (!d2)
				return c->rc;
			id2 = sr_json_get(j, d2->draft == SR_JS_DRAFT4 ? "id" : "$id");
			if (id2 && id2->type == SR_JSON_STRING && id2->len && id2->u.str[0] != '#')
				d = d2;
		}
	}
	draft = d->draft;

	v = sr_json_get(j, draft == SR_JS_DRAFT4 ? "id" : "$id");
	if (v && v->type == SR_JSON_STRING && !(draft <= SR_JS_DRAFT7 && sr_json_get(j, "$ref"))) {
		if (draft <= SR_JS_DRAFT7 && v->len && v->u.str[0] == '#') {
			add_anchor(c, base, v->u.str + 1, v->len - 1, j, in, false);
		} else if (v->len) {
			const char *full = sr_js__uri_resolve(c->a, base, v->u.str, v->len);
			size_t nb = sr_js__uri_strip_fragment(full, strlen(full));
			const char *nbase = sr_arena_strndup(c->a, full, nb);
			if (parent || strcmp(nbase, res->uri) != 0 || d != res->dialect) {
				sr_js_resource *r2 = ptrmap_get(&c->res_of_root, j);
				if (!r2) {
					r2 = new_resource(c, nbase, j, d);
				} else {
					/* A document root: its $id names it from now on. */
					r2->uri = nbase;
					if (!sr_map_get(&c->resources, nbase, nb))
						sr_map_put(&c->resources, nbase, nb, r2);
				}
				res = r2;
				in->res = res;
			}
			base = nbase;
			in->base = base;
			if (full[nb] == '#' && full[nb + 1] && full[nb + 1] != '/' && draft <= SR_JS_DRAFT7)
				add_anchor(c, base, full + nb + 1, strlen(full + nb + 1), j, in, false);
		}
	}
	if (draft >= SR_JS_DRAFT2019) {
		v = sr_json_get(j, "$anchor");
		if (v && v->type == SR_JSON_STRING)
			add_anchor(c, base, v->u.str, v->len, j, in, false);
		if (res->root == j) {
			v = sr_json_get(j, "$recursiveAnchor");
			if (draft == SR_JS_DRAFT2019 && v && v->type == SR_JSON_TRUE) {
				/* $recursiveRef may jump here from anywhere in the
				 * dynamic scope: compile the root in any case. */
				res->recursive_anchor = true;
				res->root_node = get_node(c, j, in);
			}
		}
	}
	if (draft >= SR_JS_DRAFT2020) {
		v = sr_json_get(j, "$dynamicAnchor");
		if (v && v->type == SR_JSON_STRING) {
			if (add_anchor(c, base, v->u.str, v->len, j, in, true))
				add_dynamic_anchor(c, res, sr_arena_strndup(c->a, v->u.str, v->len), j, in);
		}
	}

	for (k = 0; k < sizeof(sub_keywords) / sizeof(sub_keywords[0]); k++) {
		const char *kw = sub_keywords[k].kw;
		if (draft < sub_keywords[k].from || draft > sub_keywords[k].to)
			continue;
		v = sr_json_get(j, kw);
		if (!v)
			continue;
		switch (sub_keywords[k].shape) {
		case SUB_ONE:
			if (walk_child(c, v, in, kw, 0, depth) < 0)
				return c->rc;
			break;
		case SUB_ITEMS:
			if (v->type != SR_JSON_ARRAY || draft == SR_JS_DRAFT2020) {
				if (walk_child(c, v, in, kw, 0, depth) < 0)
					return c->rc;
				break;
			}
			/* an array of schemas */
			/* fall through */
		case SUB_ARRAY:
			if (v->type != SR_JSON_ARRAY)
				break;
			{
				cinfo *arr = new_info(c, v, base, res, in, kw, 0, doc);
				for (i = 0; i < v->len; i++)
					if (walk_child(c, v->u.items[i], arr, NULL, i, depth + 1) < 0)
						return c->rc;
			}
			break;
		case SUB_MAP:
		case SUB_DEPS:
			if (v->type != SR_JSON_OBJECT)
				break;
			{
				cinfo *map = new_info(c, v, base, res, in, kw, 0, doc);
				for (i = 0; i < v->len; i++)
					if (walk_child(c, v->u.members[i].value, map, v->u.members[i].key, 0,
						       depth + 1) < 0)
						return c->rc;
			}
			break;
		}
	}
	return 0;
}

/* The dialect a document declares, or the default. */
static const sr_js_dialect *doc_dialect(cctx *c, cdoc *d, const sr_js_dialect *def)
{
	const sr_json *sch = sr_json_is_object(d->root) ? sr_json_get(d->root, "$schema") : NULL;
	cinfo probe = { d->root, d->uri, NULL, NULL, NULL, 0, d };

	if (!sch)
		return def;
	if (sch->type != SR_JSON_STRING) {
		cfail(c, &probe, "$schema", "$schema must be a string, not %s", sr_json_kind(sch));
		return NULL;
	}
	return dialect_for(c, sch->u.str, sch->len, &probe);
}

static int walk_doc(cctx *c, cdoc *d)
{
	if (d->walked || d->walking)
		return 0;
	d->walking = true;
	if (!d->dialect) {
		d->dialect = doc_dialect(c, d, c->ndocs && c->docs[0]->dialect ? c->docs[0]->dialect
									 : c->default_dialect);
		if (!d->dialect)
			return c->rc;
	}
	if (!d->res)
		d->res = new_resource(c, d->uri, d->root, d->dialect);
	if (walk(c, d->root, d->uri, d->res, NULL, NULL, 0, d, 0) < 0)
		return c->rc;
	d->walking = false;
	d->walked = true;
	return 0;
}

static int parse_text(cctx *c, const sr_json **out, const char *text, size_t len, const char *name)
{
	sr_json *root = NULL;
	int rc = sr_format_parse_json(&root, c->a, text, len, c->max_depth, c->opts->limits, name,
				      true, c->err);

	if (rc < 0) {
		c->failed = true;
		c->rc = rc;
		return rc;
	}
	*out = root;
	return 0;
}

/*
 * The resource at `uri` (no fragment): among the documents, else an
 * embedded meta-schema, else what the resolver provides. NULL (no error
 * set) when there is none.
 */
static sr_js_resource *find_resource(cctx *c, const char *uri)
{
	sr_js_resource *r = sr_map_get(&c->resources, uri, strlen(uri));
	const sr_js_embedded *e;
	size_t i;

	if (r)
		return r;
	/* Documents not walked yet (references are walked on demand). */
	for (i = 0; i < c->ndocs; i++) {
		if (c->docs[i]->walked || c->docs[i]->walking)
			continue;
		if (walk_doc(c, c->docs[i]) < 0)
			return NULL;
		r = sr_map_get(&c->resources, uri, strlen(uri));
		if (r)
			return r;
	}
	e = sr_js__embedded_find(uri, strlen(uri));
	if (e) {
		cdoc *d = add_doc(c, e->uri, e->uri, e->root, false);
		if (walk_doc(c, d) < 0)
			return NULL;
		return sr_map_get(&c->resources, uri, strlen(uri));
	}
	if (c->opts->resolver) {
		size_t len = 0;
		const char *text = c->opts->resolver(c->opts->resolver_ctx, uri, &len);
		const sr_json *root;
		cdoc *d;
		if (!text)
			return NULL;
		if (parse_text(c, &root, text, len, uri) < 0)
			return NULL;
		d = add_doc(c, sr_arena_strdup(c->a, uri), sr_arena_strdup(c->a, uri), root, false);
		if (walk_doc(c, d) < 0)
			return NULL;
		return sr_map_get(&c->resources, uri, strlen(uri));
	}
	return NULL;
}

/* ---- references ----------------------------------------------------------------------- */

/*
 * Follow a JSON pointer (already percent-decoded) from a resource root.
 * Returns the target and the info of the target, or of its nearest known
 * ancestor when the pointer leads outside the indexed subschemas.
 */
static const sr_json *follow_pointer(cctx *c, const sr_json *root, const char *p, size_t n,
				     const cinfo **info)
{
	const sr_json *cur = root;
	size_t i = 0;

	*info = ptrmap_get(&c->info, root);
	while (i < n) {
		size_t s, e;
		char *tok;
		size_t tl = 0, k;
		if (p[i] != '/')
			return NULL;
		s = ++i;
		while (i < n && p[i] != '/')
			i++;
		e = i;
		tok = sr_arena_alloc(c->a, e - s + 1);
		for (k = s; k < e; k++) {
			if (p[k] == '~' && k + 1 < e && (p[k + 1] == '0' || p[k + 1] == '1')) {
				tok[tl++] = p[k + 1] == '0' ? '~' : '/';
				k++;
			} else {
				tok[tl++] = p[k];
			}
		}
		tok[tl] = '\0';
		if (cur->type == SR_JSON_OBJECT) {
			cur = sr_json_getn(cur, tok, tl);
		} else if (cur->type == SR_JSON_ARRAY) {
			size_t idx = 0;
			if (!tl || (tl > 1 && tok[0] == '0') || tl > 18)
				return NULL;
			for (k = 0; k < tl; k++) {
				if (tok[k] < '0' || tok[k] > '9')
					return NULL;
				idx = idx * 10 + (size_t)(tok[k] - '0');
			}
			cur = idx < cur->len ? cur->u.items[idx] : NULL;
		} else {
			return NULL;
		}
		if (!cur)
			return NULL;
		{
			const cinfo *known = ptrmap_get(&c->info, cur);
			if (known)
				*info = known;
		}
	}
	return cur;
}

typedef struct target {
	const sr_json *json;
	const cinfo *info;
	const canchor *anchor; /* when reached through an anchor */
	const char *uri;       /* the resolved reference, for messages */
} target;

/* Resolve `ref` (a $ref-like value) found at `in`. */
static int resolve_ref(cctx *c, const cinfo *in, const char *kw, const sr_json *refv, target *out)
{
	const char *uri, *frag, *doc_uri;
	size_t nb, flen;
	sr_js_resource *r;

	memset(out, 0, sizeof(*out));
	if (refv->type != SR_JSON_STRING)
		return cfail(c, in, kw, "%s must be a string, not %s", kw, sr_json_kind(refv));
	uri = sr_js__uri_resolve(c->a, in->base, refv->u.str, refv->len);
	out->uri = uri;
	nb = sr_js__uri_strip_fragment(uri, strlen(uri));
	doc_uri = sr_arena_strndup(c->a, uri, nb);
	frag = uri[nb] == '#' ? uri + nb + 1 : "";
	flen = strlen(frag);
	r = find_resource(c, doc_uri);
	if (!r && !c->failed) {
		/* A Confluent reference name used verbatim (not relative to the base). */
		size_t rn = sr_js__uri_strip_fragment(refv->u.str, refv->len);
		char *raw = sr_arena_strndup(c->a, refv->u.str, rn);
		r = sr_map_get(&c->resources, raw, rn);
	}
	if (c->failed)
		return c->rc;
	if (!r)
		return cfail(c, in, kw,
			     "%s \"%.*s\" cannot be resolved: no schema with the URI \"%s\" is known "
			     "(remote schemas are never fetched: register the referenced schema and "
			     "pass it in \"references\" with this URI as its name)",
			     kw, (int)refv->len, refv->u.str, doc_uri);
	if (!flen) {
		out->json = r->root;
		out->info = ptrmap_get(&c->info, r->root);
	} else if (frag[0] == '/') {
		size_t plen;
		char *ptr = sr_jsonschema__percent_decode(c->a, frag, flen, &plen);
		out->json = follow_pointer(c, r->root, ptr, plen, &out->info);
		if (!out->json)
			return cfail(c, in, kw, "%s \"%.*s\" points to nothing: \"%s\" has no \"%s\"", kw,
				     (int)refv->len, refv->u.str, r->uri[0] ? r->uri : "the schema", frag);
	} else {
		size_t alen;
		char *name = sr_jsonschema__percent_decode(c->a, frag, flen, &alen);
		const char *key = arena_key(c, r->uri, name, alen);
		const canchor *an = sr_map_get(&c->anchors, key, strlen(key));
		if (!an)
			return cfail(c, in, kw, "%s \"%.*s\": no anchor \"%s\" in \"%s\"", kw, (int)refv->len,
				     refv->u.str, name, r->uri[0] ? r->uri : "the schema");
		out->json = an->json;
		out->info = an->info;
		out->anchor = an;
	}
	if (!is_schema_value(out->json))
		return cfail(c, in, kw, "%s \"%.*s\" points to %s, not a schema", kw, (int)refv->len,
			     refv->u.str, sr_json_kind(out->json));
	if (!out->info)
		out->info = in;
	return 0;
}

/* ---- nodes ------------------------------------------------------------------------------ */

static sr_js_node *get_node(cctx *c, const sr_json *j, const cinfo *in)
{
	sr_js_node *n = ptrmap_get(&c->nodes, j);

	if (n)
		return n;
	n = sr_arena_calloc(c->a, 1, sizeof(*n));
	n->json = j;
	n->types = SR_JS_K_ANY;
	n->resource = in ? in->res : NULL;
	if (j->type == SR_JSON_TRUE) {
		n->kind = SR_JS_NODE_TRUE;
		n->compiled = true;
	} else if (j->type == SR_JSON_FALSE) {
		n->kind = SR_JS_NODE_FALSE;
		n->compiled = true;
	} else {
		n->kind = SR_JS_NODE_SCHEMA;
		if (c->nqueue == c->queue_cap) {
			c->queue_cap = c->queue_cap ? c->queue_cap * 2 : 64;
			c->queue = sr_realloc(c->queue, c->queue_cap * sizeof(*c->queue));
		}
		c->queue[c->nqueue].node = n;
		c->queue[c->nqueue].info = in;
		c->nqueue++;
	}
	ptrmap_put(&c->nodes, j, n);
	return n;
}

/* The node of a subschema found under the keyword `kw` (and `key` or
 * `index` inside it) of the schema described by `in`. */
static sr_js_node *child(cctx *c, const cinfo *in, const sr_json *v, const char *kw,
			 const char *key, size_t index, bool indexed)
{
	const cinfo *ci = ptrmap_get(&c->info, v);

	if (!ci) {
		cinfo *mid = new_info(c, NULL, in->base, in->res, in, kw, 0, in->doc);
		ci = (key || indexed) ? new_info(c, v, in->base, in->res, mid, key, index, in->doc)
				      : new_info(c, v, in->base, in->res, in, kw, 0, in->doc);
	}
	if (!is_schema_value(v)) {
		cfail(c, ci->parent, ci->key, "must be a schema (an object or a boolean), not %s",
		      sr_json_kind(v));
		return NULL;
	}
	return get_node(c, v, ci);
}

typedef struct kwvec {
	sr_js_kw *v;
	size_t n, cap;
} kwvec;

static sr_js_kw *kw_add(kwvec *k, int op, unsigned kinds, const char *loc)
{
	sr_js_kw *w;

	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 16;
		k->v = sr_realloc(k->v, k->cap * sizeof(*k->v));
	}
	w = &k->v[k->n++];
	memset(w, 0, sizeof(*w));
	w->op = (uint8_t)op;
	w->kinds = (uint8_t)kinds;
	w->loc = loc;
	return w;
}

static void regex_cleanup(void *p)
{
	sr_regex_free(p);
}

static sr_regex *compile_regex(cctx *c, const cinfo *in, const char *kw, const char *src, size_t len)
{
	sr_regex *re = NULL;
	sr_err e = SR_ERR_INIT;

	if (sr_regex_compile(&re, src, len, &e) != 0) {
		cfail(c, in, kw, "pattern \"%.*s\": %s", (int)len, src, sr_err_message(&e));
		sr_err_dispose(&e);
		return NULL;
	}
	sr_err_dispose(&e);
	sr_arena_cleanup_add(c->a, regex_cleanup, re);
	return re;
}

/* A non-negative integer keyword value (2.0 counts, as JSON Schema says). */
static int get_count(cctx *c, const cinfo *in, const char *kw, const sr_json *v, uint64_t *out)
{
	sr_js_dec d;
	uint64_t n = 0;
	size_t k, nd;

	if (v->type != SR_JSON_NUMBER)
		return cfail(c, in, kw, "must be a non-negative integer, not %s", sr_json_kind(v));
	sr_js__dec_parse(&d, v->u.str, v->len);
	if (d.neg || !sr_js__dec_is_integer(&d))
		return cfail(c, in, kw, "must be a non-negative integer, not %s", v->u.str);
	if (d.zero) {
		*out = 0;
		return 0;
	}
	nd = d.n1 + d.n2;
	if (d.exp > 19) {
		*out = UINT64_MAX;
		return 0;
	}
	for (k = 0; k < (size_t)d.exp; k++) {
		unsigned dig = k < nd ? (unsigned)((k < d.n1 ? d.d1[k] : d.d2[k - d.n1]) - '0') : 0;
		if (n > (UINT64_MAX - dig) / 10) {
			*out = UINT64_MAX;
			return 0;
		}
		n = n * 10 + dig;
	}
	*out = n;
	return 0;
}

static sr_js_number *get_number(cctx *c, const cinfo *in, const char *kw, const sr_json *v)
{
	sr_js_number *num;

	if (v->type != SR_JSON_NUMBER) {
		cfail(c, in, kw, "must be a number, not %s", sr_json_kind(v));
		return NULL;
	}
	num = sr_arena_calloc(c->a, 1, sizeof(*num));
	num->lexeme = v->u.str;
	sr_js__dec_parse(&num->dec, v->u.str, v->len);
	num->is_i64 = sr_json_number_to_i64(v, &num->i64) == 0;
	num->is_fast = sr_js__fast_double(v->u.str, v->len, &num->d);
	return num;
}

static unsigned type_bit(const char *s, size_t n)
{
	static const struct {
		const char *name;
		unsigned bits;
	} types[] = {
		{ "null", SR_JS_K_NULL },     { "boolean", SR_JS_K_BOOL }, { "integer", SR_JS_K_INT },
		{ "number", SR_JS_K_NUMBER }, { "string", SR_JS_K_STR },   { "array", SR_JS_K_ARR },
		{ "object", SR_JS_K_OBJ },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i].name) == n && memcmp(types[i].name, s, n) == 0)
			return types[i].bits;
	return 0;
}

static uint32_t *hash_index(cctx *c, size_t n, uint64_t (*hash_of)(void *, size_t), void *ctx,
			    size_t *mask_out)
{
	size_t cap = 16, i;
	uint32_t *t;

	while (cap < n * 2)
		cap *= 2;
	t = sr_arena_calloc(c->a, cap, sizeof(*t));
	for (i = 0; i < n; i++) {
		size_t s = (size_t)hash_of(ctx, i) & (cap - 1);
		while (t[s])
			s = (s + 1) & (cap - 1);
		t[s] = (uint32_t)(i + 1);
	}
	*mask_out = cap - 1;
	return t;
}

static uint64_t prop_hash_of(void *ctx, size_t i)
{
	return ((sr_js_prop *)ctx)[i].hash;
}

static uint64_t enum_hash_of(void *ctx, size_t i)
{
	return sr_js__value_hash(((const sr_json **)ctx)[i]);
}

static uint64_t enum_string_hash_of(void *ctx, size_t i)
{
	const sr_json *v = ((const sr_json **)ctx)[i];

	return sr_js__key_hash(v->u.str, v->len);
}

/* Find or add the named property of an object keyword. */
/* Find or add the named property (o->props has room for every name; the
 * index keeps lookups constant-time for objects of 100,000 names). */
static sr_js_prop *object_prop(sr_js_object *o, sr_map *index, const char *name, size_t len)
{
	uintptr_t at = (uintptr_t)sr_map_get(index, name, len);
	sr_js_prop *p;

	if (at)
		return &o->props[at - 1];
	p = &o->props[o->nprops++];
	sr_map_put(index, name, len, (void *)(uintptr_t)o->nprops);
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->len = len;
	p->hash = sr_js__key_hash(name, len);
	p->required = UINT32_MAX;
	return p;
}

static int compile_object(cctx *c, const cinfo *in, const sr_json *j, const sr_js_dialect *d,
			  kwvec *kws)
{
	bool app = d->vocab & SR_JS_VOCAB_APPLICATOR, val = d->vocab & SR_JS_VOCAB_VALIDATION;
	const sr_json *props = app ? sr_json_get(j, "properties") : NULL;
	const sr_json *pats = app ? sr_json_get(j, "patternProperties") : NULL;
	const sr_json *addl = app ? sr_json_get(j, "additionalProperties") : NULL;
	const sr_json *req = val ? sr_json_get(j, "required") : NULL;
	sr_js_object *o;
	sr_map index = SR_MAP_INIT;
	size_t i;

	/* draft 4 allowed "required": false|true inside properties as a
	 * draft-3 leftover in the wild; only an array means something. */
	if (req && req->type != SR_JSON_ARRAY) {
		if (d->draft == SR_JS_DRAFT4 && sr_json_is_bool(req))
			req = NULL;
		else
			return cfail(c, in, "required", "must be an array of strings, not %s", sr_json_kind(req));
	}
	if (!props && !pats && !addl && !(req && req->len))
		return 0;
	if (props && props->type != SR_JSON_OBJECT)
		return cfail(c, in, "properties", "must be an object, not %s", sr_json_kind(props));
	o = sr_arena_calloc(c->a, 1, sizeof(*o));
	o->props = sr_arena_alloc(c->a, ((props ? props->len : 0) + (req ? req->len : 0) + 1) *
					       sizeof(*o->props));
	if (props) {
		for (i = 0; i < props->len; i++) {
			const sr_json_member *m = &props->u.members[i];
			sr_js_prop *p = object_prop(o, &index, m->key, m->key_len);
			p->schema.node = child(c, in, m->value, "properties", m->key, 0, false);
			if (!p->schema.node)
				goto fail;
			p->schema.loc = loc_kw_key(c, "properties", m->key, m->key_len);
		}
	}
	if (req) {
		o->required = sr_arena_alloc(c->a, (req->len ? req->len : 1) * sizeof(*o->required));
		for (i = 0; i < req->len; i++) {
			const sr_json *r = req->u.items[i];
			sr_js_prop *p;
			if (r->type != SR_JSON_STRING) {
				cfail(c, in, "required", "must be an array of strings, not contain %s",
				      sr_json_kind(r));
				goto fail;
			}
			p = object_prop(o, &index, r->u.str, r->len);
			if (p->required != UINT32_MAX)
				continue;
			p->required = (uint32_t)o->nrequired;
			o->required[o->nrequired++] = (uint32_t)(p - o->props);
		}
		o->required_loc = loc_kw(c, "required");
	}
	sr_map_dispose(&index);
	if (pats) {
		if (pats->type != SR_JSON_OBJECT)
			return cfail(c, in, "patternProperties", "must be an object, not %s", sr_json_kind(pats));
		o->patterns = sr_arena_calloc(c->a, pats->len ? pats->len : 1, sizeof(*o->patterns));
		for (i = 0; i < pats->len; i++) {
			const sr_json_member *m = &pats->u.members[i];
			sr_js_pattern *p = &o->patterns[o->npatterns++];
			p->source = m->key;
			p->re = compile_regex(c, in, "patternProperties", m->key, m->key_len);
			if (!p->re)
				return c->rc;
			p->schema.node = child(c, in, m->value, "patternProperties", m->key, 0, false);
			if (!p->schema.node)
				return c->rc;
			p->schema.loc = loc_kw_key(c, "patternProperties", m->key, m->key_len);
		}
	}
	if (addl) {
		o->additional.node = child(c, in, addl, "additionalProperties", NULL, 0, false);
		if (!o->additional.node)
			return c->rc;
		o->additional.loc = loc_kw(c, "additionalProperties");
	}
	/* The index: the required properties are found by the same lookup. */
	if (o->nprops > PROPS_LINEAR_MAX)
		o->table = hash_index(c, o->nprops, prop_hash_of, o->props, &o->table_mask);
	kw_add(kws, SR_JS_OP_OBJECT, SR_JS_K_OBJ, props ? loc_kw(c, "properties") : loc_kw(c, "required"))
		->u.object = o;
	return 0;
fail:
	sr_map_dispose(&index);
	return c->rc;
}

static int compile_list(cctx *c, const cinfo *in, const sr_json *j, const char *kw, int op, kwvec *kws)
{
	const sr_json *v = sr_json_get(j, kw);
	sr_js_list *l;
	size_t i;

	if (!v)
		return 0;
	if (v->type != SR_JSON_ARRAY || v->len == 0)
		return cfail(c, in, kw, "must be a non-empty array of schemas");
	l = sr_arena_calloc(c->a, 1, sizeof(*l));
	l->subs = sr_arena_calloc(c->a, v->len, sizeof(*l->subs));
	l->n = v->len;
	for (i = 0; i < v->len; i++) {
		l->subs[i].node = child(c, in, v->u.items[i], kw, NULL, i, true);
		if (!l->subs[i].node)
			return c->rc;
		l->subs[i].loc = loc_kw_index(c, kw, i);
	}
	kw_add(kws, op, SR_JS_K_ANY, loc_kw(c, kw))->u.list = l;
	return 0;
}

static int compile_single(cctx *c, const cinfo *in, const sr_json *j, const char *kw, int op,
			  unsigned kinds, kwvec *kws)
{
	const sr_json *v = sr_json_get(j, kw);
	sr_js_node *n;

	if (!v)
		return 0;
	n = child(c, in, v, kw, NULL, 0, false);
	if (!n)
		return c->rc;
	kw_add(kws, op, kinds, loc_kw(c, kw))->u.node = n;
	return 0;
}

static int compile_ref(cctx *c, const cinfo *in, const sr_json *refv, kwvec *kws)
{
	target t;

	if (resolve_ref(c, in, "$ref", refv, &t) < 0)
		return c->rc;
	kw_add(kws, SR_JS_OP_REF, SR_JS_K_ANY, "/$ref")->u.node = get_node(c, t.json, t.info);
	return 0;
}

static int compile_dependencies(cctx *c, const cinfo *in, const sr_json *v, const char *kw,
				bool want_required, bool want_schemas, kwvec *kws)
{
	sr_js_deps *req = NULL, *sch = NULL;
	size_t i, k;

	if (v->type != SR_JSON_OBJECT)
		return cfail(c, in, kw, "must be an object, not %s", sr_json_kind(v));
	for (i = 0; i < v->len; i++) {
		const sr_json_member *m = &v->u.members[i];
		sr_js_dependency *dep;
		if (m->value->type == SR_JSON_ARRAY && want_required) {
			if (!req) {
				req = sr_arena_calloc(c->a, 1, sizeof(*req));
				req->deps = sr_arena_calloc(c->a, v->len, sizeof(*req->deps));
			}
			dep = &req->deps[req->n++];
			dep->name = m->key;
			dep->len = m->key_len;
			dep->required = sr_arena_calloc(c->a, m->value->len + 1, sizeof(*dep->required));
			dep->required_len = sr_arena_calloc(c->a, m->value->len + 1, sizeof(size_t));
			for (k = 0; k < m->value->len; k++) {
				const sr_json *s = m->value->u.items[k];
				if (s->type != SR_JSON_STRING)
					return cfail(c, in, kw, "\"%s\" must list property names (strings)", m->key);
				dep->required[dep->nrequired] = s->u.str;
				dep->required_len[dep->nrequired++] = s->len;
			}
			dep->schema.loc = loc_kw_key(c, kw, m->key, m->key_len);
		} else if (is_schema_value(m->value) && want_schemas) {
			if (!sch) {
				sch = sr_arena_calloc(c->a, 1, sizeof(*sch));
				sch->deps = sr_arena_calloc(c->a, v->len, sizeof(*sch->deps));
			}
			dep = &sch->deps[sch->n++];
			dep->name = m->key;
			dep->len = m->key_len;
			dep->schema.node = child(c, in, m->value, kw, m->key, 0, false);
			if (!dep->schema.node)
				return c->rc;
			dep->schema.loc = loc_kw_key(c, kw, m->key, m->key_len);
		} else {
			return cfail(c, in, kw, "\"%s\" must be %s", m->key,
				     want_required && want_schemas ? "an array of property names or a schema"
				     : want_required		   ? "an array of property names"
								   : "a schema");
		}
	}
	if (req)
		kw_add(kws, SR_JS_OP_DEPENDENT_REQUIRED, SR_JS_K_OBJ, loc_kw(c, kw))->u.deps = req;
	if (sch)
		kw_add(kws, SR_JS_OP_DEPENDENT_SCHEMAS, SR_JS_K_OBJ, loc_kw(c, kw))->u.deps = sch;
	return 0;
}

static int compile_items(cctx *c, const cinfo *in, const sr_json *j, const sr_js_dialect *d,
			 kwvec *kws)
{
	const sr_json *items = sr_json_get(j, "items");
	const sr_json *prefix = NULL, *rest = NULL;
	const char *prefix_kw = NULL, *rest_kw = NULL;
	sr_js_items *it;
	size_t i;

	if (d->draft >= SR_JS_DRAFT2020) {
		prefix = sr_json_get(j, "prefixItems");
		prefix_kw = "prefixItems";
		rest = items;
		rest_kw = "items";
		if (rest && rest->type == SR_JSON_ARRAY)
			return cfail(c, in, "items", "must be a schema in 2020-12 (an array of schemas is "
				     "\"prefixItems\")");
	} else if (items && items->type == SR_JSON_ARRAY) {
		prefix = items;
		prefix_kw = "items";
		rest = sr_json_get(j, "additionalItems");
		rest_kw = "additionalItems";
	} else {
		rest = items;
		rest_kw = "items";
	}
	if (!prefix && !rest)
		return 0;
	it = sr_arena_calloc(c->a, 1, sizeof(*it));
	if (prefix) {
		if (prefix->type != SR_JSON_ARRAY)
			return cfail(c, in, prefix_kw, "must be an array of schemas, not %s", sr_json_kind(prefix));
		it->prefix = sr_arena_calloc(c->a, prefix->len ? prefix->len : 1, sizeof(*it->prefix));
		it->nprefix = prefix->len;
		for (i = 0; i < prefix->len; i++) {
			it->prefix[i].node = child(c, in, prefix->u.items[i], prefix_kw, NULL, i, true);
			if (!it->prefix[i].node)
				return c->rc;
			it->prefix[i].loc = loc_kw_index(c, prefix_kw, i);
		}
	}
	if (rest) {
		it->rest.node = child(c, in, rest, rest_kw, NULL, 0, false);
		if (!it->rest.node)
			return c->rc;
		it->rest.loc = loc_kw(c, rest_kw);
	}
	kw_add(kws, SR_JS_OP_ITEMS, SR_JS_K_ARR, loc_kw(c, prefix ? prefix_kw : rest_kw))->u.items = it;
	return 0;
}

static int compile_dynamic_ref(cctx *c, const cinfo *in, const sr_json *v, kwvec *kws)
{
	target t;
	sr_js_dynref *dr;

	if (resolve_ref(c, in, "$dynamicRef", v, &t) < 0)
		return c->rc;
	dr = sr_arena_calloc(c->a, 1, sizeof(*dr));
	dr->target.node = get_node(c, t.json, t.info);
	dr->target.loc = "/$dynamicRef";
	/* Dynamic only when the static target is a $dynamicAnchor of the
	 * same name (the "bookend"); otherwise it is a plain $ref. */
	if (t.anchor && t.anchor->dynamic) {
		const char *h = memchr(v->u.str, '#', v->len);
		if (h) {
			size_t alen;
			dr->anchor = sr_jsonschema__percent_decode(c->a, h + 1, v->len - (size_t)(h + 1 - v->u.str), &alen);
			c->dynamic = true;
		}
	}
	kw_add(kws, SR_JS_OP_DYNAMIC_REF, SR_JS_K_ANY, "/$dynamicRef")->u.dynref = dr;
	return 0;
}

/* Keywords that evaluate no subschema. */
static bool is_leaf_op(int op)
{
	switch (op) {
	case SR_JS_OP_CONST:
	case SR_JS_OP_ENUM:
	case SR_JS_OP_MINIMUM:
	case SR_JS_OP_MAXIMUM:
	case SR_JS_OP_EXCL_MINIMUM:
	case SR_JS_OP_EXCL_MAXIMUM:
	case SR_JS_OP_MULTIPLE_OF:
	case SR_JS_OP_MIN_LENGTH:
	case SR_JS_OP_MAX_LENGTH:
	case SR_JS_OP_PATTERN:
	case SR_JS_OP_FORMAT:
	case SR_JS_OP_MIN_ITEMS:
	case SR_JS_OP_MAX_ITEMS:
	case SR_JS_OP_UNIQUE_ITEMS:
	case SR_JS_OP_MIN_PROPERTIES:
	case SR_JS_OP_MAX_PROPERTIES:
	case SR_JS_OP_DEPENDENT_REQUIRED:
		return true;
	}
	return false;
}

static int compile_node(cctx *c, sr_js_node *n, const cinfo *in)
{
	const sr_json *j = n->json, *v;
	const sr_js_dialect *d;
	kwvec kws = { NULL, 0, 0 };
	bool app, val, core;
	int draft;
	size_t i;

	if (!in)
		in = ptrmap_get(&c->info, j);
	if (!in)
		return cfail(c, NULL, NULL, "internal error: subschema without context");
	if (!n->resource)
		n->resource = in->res;
	d = in->res->dialect;
	if (ptrmap_get(&c->res_of_root, j))
		d = ((sr_js_resource *)ptrmap_get(&c->res_of_root, j))->dialect;
	draft = d->draft;
	app = d->vocab & SR_JS_VOCAB_APPLICATOR;
	val = d->vocab & SR_JS_VOCAB_VALIDATION;
	core = d->vocab & SR_JS_VOCAB_CORE || draft <= SR_JS_DRAFT7;
	n->compiled = true;

	v = sr_json_get(j, "$ref");
	if (v && draft <= SR_JS_DRAFT7) {
		/* Up to draft 7, $ref replaces the schema it is in. */
		if (compile_ref(c, in, v, &kws) < 0)
			goto fail;
		goto done;
	}

	/* type */
	v = val ? sr_json_get(j, "type") : NULL;
	if (v) {
		unsigned mask = 0;
		if (v->type == SR_JSON_STRING) {
			mask = type_bit(v->u.str, v->len);
			if (!mask) {
				cfail(c, in, "type", "unknown type \"%s\" (the types are null, boolean, "
				      "integer, number, string, array and object)", v->u.str);
				goto fail;
			}
		} else if (v->type == SR_JSON_ARRAY) {
			for (i = 0; i < v->len; i++) {
				unsigned b = v->u.items[i]->type == SR_JSON_STRING
						     ? type_bit(v->u.items[i]->u.str, v->u.items[i]->len)
						     : 0;
				if (!b) {
					cfail(c, in, "type", "unknown type %s in the list",
					      quote_value(c, v->u.items[i], 60));
					goto fail;
				}
				mask |= b;
			}
		} else {
			cfail(c, in, "type", "must be a type name or an array of type names, not %s",
			      sr_json_kind(v));
			goto fail;
		}
		/* Draft 4 counts only lexemes without fraction or exponent as
		 * integers; later drafts any number with a zero fraction. */
		n->types = mask | (draft == SR_JS_DRAFT4 ? (unsigned)SR_JS_TYPE_LEXICAL_INT : 0u);
	}

	/* enum, const */
	v = val ? sr_json_get(j, "enum") : NULL;
	if (v) {
		sr_js_enum *e;
		if (v->type != SR_JSON_ARRAY) {
			cfail(c, in, "enum", "must be an array, not %s", sr_json_kind(v));
			goto fail;
		}
		e = sr_arena_calloc(c->a, 1, sizeof(*e));
		e->values = (const sr_json **)v->u.items;
		e->n = v->len;
		e->source = quote_value(c, v, ENUM_SOURCE_MAX);
		e->strings = true;
		for (i = 0; i < e->n && e->strings; i++)
			e->strings = e->values[i]->type == SR_JSON_STRING;
		if (e->n > ENUM_LINEAR_MAX)
			e->table = hash_index(c, e->n, e->strings ? enum_string_hash_of : enum_hash_of,
					      (void *)e->values, &e->table_mask);
		kw_add(&kws, SR_JS_OP_ENUM, SR_JS_K_ANY, "/enum")->u.en = e;
	}
	v = val && draft >= SR_JS_DRAFT6 ? sr_json_get(j, "const") : NULL;
	if (v)
		kw_add(&kws, SR_JS_OP_CONST, SR_JS_K_ANY, "/const")->u.value = v;

	if (val) {
		/* numbers */
		static const struct {
			const char *kw;
			int op;
		} bounds[] = {
			{ "minimum", SR_JS_OP_MINIMUM },
			{ "maximum", SR_JS_OP_MAXIMUM },
			{ "exclusiveMinimum", SR_JS_OP_EXCL_MINIMUM },
			{ "exclusiveMaximum", SR_JS_OP_EXCL_MAXIMUM },
		};
		for (i = 0; i < 4; i++) {
			sr_js_number *num;
			int op = bounds[i].op;
			v = sr_json_get(j, bounds[i].kw);
			if (!v)
				continue;
			if (draft == SR_JS_DRAFT4 && i >= 2) {
				if (!sr_json_is_bool(v)) {
					cfail(c, in, bounds[i].kw, "must be a boolean in draft-04, not %s",
					      sr_json_kind(v));
					goto fail;
				}
				continue;
			}
			num = get_number(c, in, bounds[i].kw, v);
			if (!num)
				goto fail;
			if (draft == SR_JS_DRAFT4) {
				const sr_json *ex = sr_json_get(j, i == 0 ? "exclusiveMinimum" : "exclusiveMaximum");
				if (ex && ex->type == SR_JSON_TRUE)
					op = i == 0 ? SR_JS_OP_EXCL_MINIMUM : SR_JS_OP_EXCL_MAXIMUM;
			}
			kw_add(&kws, op, SR_JS_K_NUMBER, loc_kw(c, bounds[i].kw))->u.num = num;
		}
		v = sr_json_get(j, "multipleOf");
		if (v) {
			sr_js_divisor *dv = sr_arena_calloc(c->a, 1, sizeof(*dv));
			sr_js_kw *w;
			if (v->type != SR_JSON_NUMBER ||
			    sr_js__divisor_init(dv, c->a, v->u.str, v->len) != 0) {
				cfail(c, in, "multipleOf", "must be a number greater than 0, not %s",
				      quote_value(c, v, 60));
				goto fail;
			}
			w = kw_add(&kws, SR_JS_OP_MULTIPLE_OF, SR_JS_K_NUMBER, "/multipleOf");
			w->u.div = dv;
			w->number_source = v->u.str;
		}

		/* strings */
		{
			static const struct {
				const char *kw;
				int op;
				unsigned kinds;
			} counts[] = {
				{ "minLength", SR_JS_OP_MIN_LENGTH, SR_JS_K_STR },
				{ "maxLength", SR_JS_OP_MAX_LENGTH, SR_JS_K_STR },
				{ "minItems", SR_JS_OP_MIN_ITEMS, SR_JS_K_ARR },
				{ "maxItems", SR_JS_OP_MAX_ITEMS, SR_JS_K_ARR },
				{ "minProperties", SR_JS_OP_MIN_PROPERTIES, SR_JS_K_OBJ },
				{ "maxProperties", SR_JS_OP_MAX_PROPERTIES, SR_JS_K_OBJ },
			};
			for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
				uint64_t cnt;
				v = sr_json_get(j, counts[i].kw);
				if (!v)
					continue;
				if (get_count(c, in, counts[i].kw, v, &cnt) < 0)
					goto fail;
				kw_add(&kws, counts[i].op, counts[i].kinds, loc_kw(c, counts[i].kw))->u.count = cnt;
			}
		}
		v = sr_json_get(j, "pattern");
		if (v) {
			sr_js_pattern_kw *p = sr_arena_calloc(c->a, 1, sizeof(*p));
			if (v->type != SR_JSON_STRING) {
				cfail(c, in, "pattern", "must be a string, not %s", sr_json_kind(v));
				goto fail;
			}
			p->source = v->u.str;
			p->re = compile_regex(c, in, "pattern", v->u.str, v->len);
			if (!p->re)
				goto fail;
			kw_add(&kws, SR_JS_OP_PATTERN, SR_JS_K_STR, "/pattern")->u.pattern = p;
		}
		v = sr_json_get(j, "uniqueItems");
		if (v) {
			if (!sr_json_is_bool(v)) {
				cfail(c, in, "uniqueItems", "must be a boolean, not %s", sr_json_kind(v));
				goto fail;
			}
			if (v->type == SR_JSON_TRUE)
				kw_add(&kws, SR_JS_OP_UNIQUE_ITEMS, SR_JS_K_ARR, "/uniqueItems");
		}
	}

	v = d->vocab & (SR_JS_VOCAB_FORMAT | SR_JS_VOCAB_FORMAT_ASSERT) ? sr_json_get(j, "format") : NULL;
	if (v) {
		sr_js_format *f = sr_arena_calloc(c->a, 1, sizeof(*f));
		if (v->type != SR_JSON_STRING) {
			cfail(c, in, "format", "must be a string, not %s", sr_json_kind(v));
			goto fail;
		}
		f->name = v->u.str;
		f->check = sr_format_checker_find(v->u.str, draft);
		f->always = (d->vocab & SR_JS_VOCAB_FORMAT_ASSERT) != 0;
		if (f->always && !f->check && draft >= SR_JS_DRAFT2020) {
			/* The format-assertion vocabulary: an unknown format
			 * cannot be asserted, so the schema cannot be used. */
			cfail(c, in, "format", "unknown format \"%s\" cannot be asserted", v->u.str);
			goto fail;
		}
		kw_add(&kws, SR_JS_OP_FORMAT, SR_JS_K_STR, "/format")->u.format = f;
	}

	/* arrays */
	if (app) {
		if (compile_items(c, in, j, d, &kws) < 0)
			goto fail;
		v = draft >= SR_JS_DRAFT6 ? sr_json_get(j, "contains") : NULL;
		if (v) {
			sr_js_contains *ct = sr_arena_calloc(c->a, 1, sizeof(*ct));
			const sr_json *mn = NULL, *mx = NULL;
			ct->schema.node = child(c, in, v, "contains", NULL, 0, false);
			if (!ct->schema.node)
				goto fail;
			ct->schema.loc = "/contains";
			ct->min = 1;
			ct->max = UINT64_MAX;
			ct->min_loc = ct->max_loc = "/contains";
			if (draft >= SR_JS_DRAFT2019 && val) {
				mn = sr_json_get(j, "minContains");
				mx = sr_json_get(j, "maxContains");
			}
			if (mn) {
				if (get_count(c, in, "minContains", mn, &ct->min) < 0)
					goto fail;
				ct->min_loc = "/minContains";
			}
			if (mx) {
				if (get_count(c, in, "maxContains", mx, &ct->max) < 0)
					goto fail;
				ct->max_loc = "/maxContains";
			}
			ct->annotate = draft >= SR_JS_DRAFT2020;
			kw_add(&kws, SR_JS_OP_CONTAINS, SR_JS_K_ARR, "/contains")->u.contains = ct;
		}
	}

	/* objects */
	if (compile_object(c, in, j, d, &kws) < 0)
		goto fail;
	if (app && draft >= SR_JS_DRAFT6 &&
	    compile_single(c, in, j, "propertyNames", SR_JS_OP_PROPERTY_NAMES, SR_JS_K_OBJ, &kws) < 0)
		goto fail;
	if (draft <= SR_JS_DRAFT7) {
		v = sr_json_get(j, "dependencies");
		if (v && compile_dependencies(c, in, v, "dependencies", true, true, &kws) < 0)
			goto fail;
	} else {
		/* "dependencies" is not a 2019-09 keyword, but the meta-schemas
		 * still describe it for compatibility: honour it as draft 7 did. */
		v = app && val ? sr_json_get(j, "dependencies") : NULL;
		if (v && compile_dependencies(c, in, v, "dependencies", true, true, &kws) < 0)
			goto fail;
		v = val ? sr_json_get(j, "dependentRequired") : NULL;
		if (v && compile_dependencies(c, in, v, "dependentRequired", true, false, &kws) < 0)
			goto fail;
		v = app ? sr_json_get(j, "dependentSchemas") : NULL;
		if (v && compile_dependencies(c, in, v, "dependentSchemas", false, true, &kws) < 0)
			goto fail;
	}

	/* in-place applicators */
	v = core ? sr_json_get(j, "$ref") : NULL;
	if (v && compile_ref(c, in, v, &kws) < 0)
		goto fail;
	v = core && draft == SR_JS_DRAFT2019 ? sr_json_get(j, "$recursiveRef") : NULL;
	if (v) {
		target t;
		if (resolve_ref(c, in, "$recursiveRef", v, &t) < 0)
			goto fail;
		kw_add(&kws, SR_JS_OP_RECURSIVE_REF, SR_JS_K_ANY, "/$recursiveRef")->u.node =
			get_node(c, t.json, t.info);
		c->dynamic = true;
	}
	v = core && draft >= SR_JS_DRAFT2020 ? sr_json_get(j, "$dynamicRef") : NULL;
	if (v && compile_dynamic_ref(c, in, v, &kws) < 0)
		goto fail;
	if (app) {
		if (compile_list(c, in, j, "allOf", SR_JS_OP_ALL_OF, &kws) < 0 ||
		    compile_list(c, in, j, "anyOf", SR_JS_OP_ANY_OF, &kws) < 0 ||
		    compile_list(c, in, j, "oneOf", SR_JS_OP_ONE_OF, &kws) < 0 ||
		    compile_single(c, in, j, "not", SR_JS_OP_NOT, SR_JS_K_ANY, &kws) < 0)
			goto fail;
		v = draft >= SR_JS_DRAFT7 ? sr_json_get(j, "if") : NULL;
		if (v) {
			sr_js_if *cond = sr_arena_calloc(c->a, 1, sizeof(*cond));
			const sr_json *t = sr_json_get(j, "then"), *e = sr_json_get(j, "else");
			cond->cond.node = child(c, in, v, "if", NULL, 0, false);
			cond->cond.loc = "/if";
			if (!cond->cond.node)
				goto fail;
			if (t) {
				cond->then.node = child(c, in, t, "then", NULL, 0, false);
				cond->then.loc = "/then";
				if (!cond->then.node)
					goto fail;
			}
			if (e) {
				cond->els.node = child(c, in, e, "else", NULL, 0, false);
				cond->els.loc = "/else";
				if (!cond->els.node)
					goto fail;
			}
			/* Without then/else, `if` asserts nothing but its annotations
			 * still count for unevaluated* (the op is skipped otherwise). */
			kw_add(&kws, SR_JS_OP_IF, SR_JS_K_ANY, "/if")->u.cond = cond;
		}
	}

	/* unevaluated*, last: they need the annotations of all the others */
	if ((draft >= SR_JS_DRAFT2020 && (d->vocab & SR_JS_VOCAB_UNEVALUATED)) ||
	    (draft == SR_JS_DRAFT2019 && app)) {
		if (compile_single(c, in, j, "unevaluatedItems", SR_JS_OP_UNEVALUATED_ITEMS, SR_JS_K_ARR,
				   &kws) < 0 ||
		    compile_single(c, in, j, "unevaluatedProperties", SR_JS_OP_UNEVALUATED_PROPERTIES,
				   SR_JS_K_OBJ, &kws) < 0)
			goto fail;
		if (sr_json_get(j, "unevaluatedItems") || sr_json_get(j, "unevaluatedProperties"))
			n->uneval = true;
	}

done:
	if (kws.n) {
		n->kws = sr_arena_alloc(c->a, kws.n * sizeof(*n->kws));
		memcpy(n->kws, kws.v, kws.n * sizeof(*n->kws));
		n->nkws = kws.n;
	}
	n->leaf = !n->uneval;
	for (i = 0; i < n->nkws && n->leaf; i++)
		n->leaf = is_leaf_op(n->kws[i].op);
	n->ref_only = n->nkws == 1 && n->kws[0].op == SR_JS_OP_REF && n->types == SR_JS_K_ANY &&
		      !n->uneval;
	free(kws.v);
	return 0;
fail:
	free(kws.v);
	return c->rc ? c->rc : SR_EINVALID;
}

/* ---- cycle check -------------------------------------------------------------------------- */

/* The i-th in-place subschema (applied to the same instance) of keyword k
 * of a node, or NULL past the last. */
static const sr_js_node *in_place(const sr_js_node *n, size_t k, size_t i)
{
	const sr_js_kw *w = &n->kws[k];

	switch (w->op) {
	case SR_JS_OP_REF:
	case SR_JS_OP_RECURSIVE_REF:
	case SR_JS_OP_NOT:
		return i == 0 ? w->u.node : NULL;
	case SR_JS_OP_DYNAMIC_REF:
		return i == 0 ? w->u.dynref->target.node : NULL;
	case SR_JS_OP_ALL_OF:
	case SR_JS_OP_ANY_OF:
	case SR_JS_OP_ONE_OF:
		return i < w->u.list->n ? w->u.list->subs[i].node : NULL;
	case SR_JS_OP_IF: {
		const sr_js_node *three[3] = { w->u.cond->cond.node, w->u.cond->then.node,
					       w->u.cond->els.node };
		for (k = 0; k < 3; k++)
			if (three[k] && i-- == 0)
				return three[k];
		return NULL;
	}
	case SR_JS_OP_DEPENDENT_SCHEMAS:
		return i < w->u.deps->n ? w->u.deps->deps[i].schema.node : NULL;
	}
	return NULL;
}

typedef struct dfs_frame {
	const sr_js_node *node;
	size_t kw;        /* next keyword */
	size_t sub;       /* next in-place subschema of that keyword */
} dfs_frame;

/*
 * Iterative depth-first search over in-place edges, with the classic
 * colours (0 unvisited, 1 on the stack, 2 done) kept in a pointer map.
 */
static int check_cycles(cctx *c)
{
	ptrmap colour = { 0 };
	dfs_frame *stack = NULL;
	size_t sp = 0, cap = 0, q;
	int rc = 0;

	for (q = 0; q < c->nqueue && !rc; q++) {
		const sr_js_node *start = c->queue[q].node;
		if (ptrmap_get(&colour, start))
			continue;
		if (sp == cap) {
			cap = cap ? cap * 2 : 64;
			stack = sr_realloc(stack, cap * sizeof(*stack));
		}
		stack[sp++] = (dfs_frame){ start, 0, 0 };
		ptrmap_put(&colour, start, (void *)1);
		while (sp && !rc) {
			dfs_frame *f = &stack[sp - 1];
			const sr_js_node *nx;
			if (f->kw >= f->node->nkws) {
				ptrmap_put(&colour, f->node, (void *)2);
				sp--;
				continue;
			}
			nx = in_place(f->node, f->kw, f->sub);
			if (!nx) {
				f->kw++;
				f->sub = 0;
				continue;
			}
			f->sub++;
			{
				uintptr_t col = (uintptr_t)ptrmap_get(&colour, nx);
				if (nx->kind != SR_JS_NODE_SCHEMA || col == 2)
					continue;
				if (col == 1) {
					const cinfo *in = ptrmap_get(&c->info, nx->json);
					rc = cfail(c, in, NULL,
						   "this subschema refers back to itself through $ref/allOf/anyOf/"
						   "oneOf/not/if without descending into the document, so "
						   "validation could never end");
					break;
				}
				if (sp == cap) {
					cap *= 2;
					stack = sr_realloc(stack, cap * sizeof(*stack));
				}
				stack[sp++] = (dfs_frame){ nx, 0, 0 };
				ptrmap_put(&colour, nx, (void *)1);
			}
		}
	}
	free(stack);
	ptrmap_dispose(&colour);
	return rc;
}

/* ---- entry point ---------------------------------------------------------------------------- */

static void dispose(cctx *c)
{
	free(c->docs);
	free(c->queue);
	sr_map_dispose(&c->resources);
	sr_map_dispose(&c->anchors);
	sr_map_dispose(&c->dialects);
	ptrmap_dispose(&c->info);
	ptrmap_dispose(&c->nodes);
	ptrmap_dispose(&c->res_of_root);
}

/* ---- discriminated unions ------------------------------------------------------------------ */

/* The string a branch pins its required property `name` to, or NULL.
 * With `name` NULL, the first such property is taken and returned in
 * *found. Follows schemas that are just a $ref. */
static const sr_json *pinned_value(const sr_js_node *n, const char *name, size_t len,
				   const sr_js_prop **found)
{
	unsigned hops;
	size_t i, k, m;

	for (hops = 0; hops < 8 && n && n->ref_only; hops++)
		n = n->kws[0].u.node;
	if (!n || n->kind != SR_JS_NODE_SCHEMA || (n->types & SR_JS_K_ANY) != SR_JS_K_OBJ)
		return NULL;
	for (i = 0; i < n->nkws; i++) {
		const sr_js_object *o;
		if (n->kws[i].op != SR_JS_OP_OBJECT)
			continue;
		o = n->kws[i].u.object;
		for (k = 0; k < o->nprops; k++) {
			const sr_js_prop *pr = &o->props[k];
			const sr_js_node *ps = pr->schema.node;
			if (pr->required == UINT32_MAX || !ps || ps->kind != SR_JS_NODE_SCHEMA)
				continue;
			if (name && (pr->len != len || memcmp(pr->name, name, len) != 0))
				continue;
			for (m = 0; m < ps->nkws; m++) {
				const sr_js_kw *w = &ps->kws[m];
				const sr_json *v = NULL;
				if (w->op == SR_JS_OP_CONST)
					v = w->u.value;
				else if (w->op == SR_JS_OP_ENUM && w->u.en->n == 1)
					v = w->u.en->values[0];
				if (v && v->type == SR_JSON_STRING) {
					if (found)
						*found = pr;
					return v;
				}
			}
		}
	}
	return NULL;
}

static void find_discriminator(cctx *c, sr_js_list *l)
{
	const sr_js_prop *first = NULL;
	const sr_json **values;
	size_t i, j;

	if (l->n < 2 || !pinned_value(l->subs[0].node, NULL, 0, &first))
		return;
	values = sr_arena_calloc(c->a, l->n, sizeof(*values));
	for (i = 0; i < l->n; i++) {
		values[i] = pinned_value(l->subs[i].node, first->name, first->len, NULL);
		if (!values[i])
			return;
		for (j = 0; j < i; j++)
			if (values[j]->len == values[i]->len &&
			    memcmp(values[j]->u.str, values[i]->u.str, values[i]->len) == 0)
				return;
	}
	l->disc = first->name;
	l->disc_len = first->len;
	l->disc_values = values;
}

/* After compilation: recognise the discriminated unions. */
static void find_discriminators(cctx *c)
{
	size_t q, k;

	for (q = 0; q < c->nqueue; q++) {
		const sr_js_node *n = c->queue[q].node;
		for (k = 0; k < n->nkws; k++)
			if (n->kws[k].op == SR_JS_OP_ANY_OF || n->kws[k].op == SR_JS_OP_ONE_OF)
				find_discriminator(c, n->kws[k].u.list);
	}
}

/* Compile every node created and not compiled yet. */
static int compile_pending(cctx *c)
{
	while (c->qnext < c->nqueue) {
		work w = c->queue[c->qnext++];
		if (w.node->compiled)
			continue;
		if (compile_node(c, w.node, w.info) < 0)
			return c->rc;
	}
	return 0;
}

/* The base URI a document gives itself with its root $id ("" when none). */
static const char *root_base(cctx *c, const sr_json *root, const char *retrieval)
{
	const sr_json *id;

	if (!sr_json_is_object(root))
		return retrieval;
	id = sr_json_get(root, "$id");
	if (!id)
		id = sr_json_get(root, "id");
	if (!id || id->type != SR_JSON_STRING || !id->len || id->u.str[0] == '#')
		return retrieval;
	{
		const char *full = sr_js__uri_resolve(c->a, retrieval, id->u.str, id->len);
		return sr_arena_strndup(c->a, full, sr_js__uri_strip_fragment(full, strlen(full)));
	}
}

/* Validate the schema document against its meta-schema (the compiled
 * standard one, or a custom one compiled here). */
static int meta_validate(cctx *c, cdoc *d)
{
	const sr_js_schema *meta = NULL;
	sr_js_node *custom = NULL;
	sr_arena *scratch;
	sr_validation v;
	cinfo at_root = { d->root, d->uri, d->res, NULL, NULL, 0, d };
	const sr_validation_error *shown;
	size_t i;
	bool ok;

	if (sr_js__dialect_standard(d->dialect->uri, strlen(d->dialect->uri))) {
		meta = sr_js__metaschema(d->dialect->draft);
		if (!meta)
			return cfail(c, &at_root, NULL, "internal error: the %s meta-schema is not available",
				     d->dialect->uri);
	} else {
		sr_js_resource *r = find_resource(c, d->dialect->uri);
		const cinfo *ri;
		if (!r)
			return c->failed ? c->rc
					 : cfail(c, &at_root, "$schema", "meta-schema \"%s\" not found",
						 d->dialect->uri);
		ri = ptrmap_get(&c->info, r->root);
		custom = get_node(c, r->root, ri);
		if (compile_pending(c) < 0)
			return c->rc;
	}
	scratch = sr_arena_new(0);
	memset(&v, 0, sizeof(v));
	v.arena = scratch;
	v.max_errors = 4;
	ok = meta ? sr_js__validate(meta, meta->root, d->root, &v)
		  : sr_js__validate(NULL, custom, d->root, &v);
	if (!ok) {
		sr_buf msg = SR_BUF_INIT;
		sr_buf_puts(&msg, "Invalid schema: ");
		if (v.count == 0)
			sr_buf_printf(&msg, "not valid against its meta-schema %s", d->dialect->uri);
		/* The most specific error: the first one that is not an anyOf/
		 * oneOf summary followed by the alternatives' own errors. */
		shown = v.count ? &v.errors[0] : NULL;
		for (i = 0; i + 1 < v.count; i++) {
			if (!strstr(v.errors[i].message, "; the alternatives' errors follow")) {
				shown = &v.errors[i];
				break;
			}
			shown = &v.errors[i + 1];
		}
		if (shown)
			sr_buf_printf(&msg, "at #%s: %s (meta-schema %s, keyword #%s)",
				      shown->instance_location, shown->message, d->dialect->uri,
				      shown->keyword_location);
		c->failed = true;
		c->rc = SR_EINVALID;
		sr_err_set(c->err, SR_EINVALID, SR_ERR_INVALID_SCHEMA, "%.*s", (int)msg.len, msg.ptr);
		sr_buf_dispose(&msg);
	}
	sr_arena_free(scratch);
	return ok ? 0 : c->rc;
}

int sr_js__compile(sr_js_schema **out, sr_arena *a, const sr_js_source *docs, size_t ndocs,
		   const sr_js_compile_opts *opts, sr_err *err)
{
	cctx c;
	sr_js_schema *s;
	const sr_json *root;
	const char *base0;
	const sr_format_opts *lim = opts->limits;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	c.a = a;
	c.err = err;
	c.opts = opts;
	c.max_depth = lim && lim->max_json_depth ? lim->max_json_depth : DEFAULT_JSON_DEPTH;
	if (c.max_depth > MAX_SCHEMA_DEPTH)
		c.max_depth = MAX_SCHEMA_DEPTH;
	c.default_dialect = sr_js__dialect_of_draft(SR_JS_DRAFT7);
	if (lim && lim->default_dialect) {
		c.default_dialect = sr_js__dialect_standard(lim->default_dialect, strlen(lim->default_dialect));
		if (!c.default_dialect) {
			rc = sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
					"Invalid schema: the configured default dialect \"%s\" is not a "
					"supported JSON Schema draft", lim->default_dialect);
			goto done;
		}
	}

	/* The schema, then the references, addressed by their names
	 * resolved against the schema's own base URI and verbatim. */
	if (parse_text(&c, &root, docs[0].text, docs[0].len, NULL) < 0) {
		rc = c.rc;
		goto done;
	}
	base0 = root_base(&c, root, docs[0].name ? docs[0].name : "");
	add_doc(&c, docs[0].name ? docs[0].name : "", docs[0].name ? docs[0].name : "", root, false);
	for (i = 1; i < ndocs; i++) {
		const char *uri;
		cdoc *d;
		if (parse_text(&c, &root, docs[i].text, docs[i].len, docs[i].name) < 0) {
			rc = c.rc;
			goto done;
		}
		uri = sr_js__uri_resolve(c.a, base0, docs[i].name, strlen(docs[i].name));
		uri = sr_arena_strndup(c.a, uri, sr_js__uri_strip_fragment(uri, strlen(uri)));
		d = add_doc(&c, docs[i].name, uri, root, true);
		/* Registered before any walk so that every name resolves. */
		d->dialect = NULL;
	}
	c.docs[0]->dialect = doc_dialect(&c, c.docs[0], c.default_dialect);
	if (!c.docs[0]->dialect) {
		rc = c.rc;
		goto done;
	}
	for (i = 0; i < c.ndocs; i++) {
		cdoc *d = c.docs[i];
		if (!d->dialect) {
			d->dialect = doc_dialect(&c, d, c.docs[0]->dialect);
			if (!d->dialect) {
				rc = c.rc;
				goto done;
			}
		}
		if (!d->res)
			d->res = new_resource(&c, d->uri, d->root, d->dialect);
		if (d->is_ref) {
			size_t nl = sr_js__uri_strip_fragment(d->name, strlen(d->name));
			const char *raw = sr_arena_strndup(c.a, d->name, nl);
			if (!sr_map_get(&c.resources, raw, nl))
				sr_map_put(&c.resources, raw, nl, d->res);
		}
	}
	for (i = 0; i < c.ndocs; i++)
		if (walk_doc(&c, c.docs[i]) < 0) {
			rc = c.rc;
			goto done;
		}
	if (!opts->skip_meta && meta_validate(&c, c.docs[0]) < 0) {
		rc = c.rc;
		goto done;
	}

	s = sr_arena_calloc(a, 1, sizeof(*s));
	s->root_resource = c.docs[0]->res;
	s->root = get_node(&c, c.docs[0]->root, ptrmap_get(&c.info, c.docs[0]->root));
	if (compile_pending(&c) < 0 || check_cycles(&c) < 0) {
		rc = c.rc;
		goto done;
	}
	find_discriminators(&c);
	for (i = 0; i < c.ndocs; i++) {
		sr_js_resource *r = c.docs[i]->res;
		if (r)
			r->root_node = ptrmap_get(&c.nodes, r->root);
	}
	{
		/* Resource roots compiled: set root_node on every resource. */
		size_t pos = 0;
		sr_map_entry *e;
		while (sr_map_next(&c.resources, &pos, &e)) {
			sr_js_resource *r = e->value;
			if (!r->root_node)
				r->root_node = ptrmap_get(&c.nodes, r->root);
		}
	}
	s->dynamic = c.dynamic;
	/* The documents of the schema itself and its references (not the
	 * meta-schemas or remotes loaded on demand). */
	s->docs = sr_arena_calloc(a, ndocs, sizeof(*s->docs));
	s->ref_names = sr_arena_calloc(a, ndocs, sizeof(*s->ref_names));
	for (i = 0; i < ndocs && i < c.ndocs; i++) {
		s->docs[i].uri = c.docs[i]->res ? c.docs[i]->res->uri : c.docs[i]->uri;
		s->docs[i].root = c.docs[i]->root;
		s->docs[i].draft = c.docs[i]->dialect ? c.docs[i]->dialect->draft : 7;
		s->ref_names[i] = i ? c.docs[i]->name : NULL;
	}
	s->ndocs = ndocs;
	*out = s;
	rc = 0;
done:
	if (rc == 0 && c.failed)
		rc = c.rc;
	dispose(&c);
	return rc;
}

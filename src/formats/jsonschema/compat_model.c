/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The schema model of the compatibility checker, loaded from the JSON DOM
 * the way the everit library (which Confluent's diff engine runs on)
 * loads a schema:
 *  - true/false are TrueSchema/FalseSchema; an object with no keyword
 *    that makes a schema is an EmptySchema;
 *  - each applicable "extractor", in everit's order (enum, allOf, anyOf,
 *    oneOf, not, const, type, the keywords that imply a type when "type"
 *    is absent — array, object, number, string —, if/then/else), makes
 *    one node; two or more make a synthetic allOf of them;
 *  - "type": [..] makes an anyOf of one node per type, each with all the
 *    keywords of its type; "integer" is a number node that requires
 *    integers;
 *  - $ref is followed: up to draft 7 its siblings are ignored (annotations
 *    aside); from 2019-09 the target is one more member of the allOf;
 *  - const is a one-value enum (everit's ConstSchema has no diff of its
 *    own in Confluent's engine; as an enum its changes are classified);
 *  - id, title, description and default go on the resulting node.
 * $ref resolution: each document is indexed once (the base URI of every
 * schema object, $id/id, $anchor, $dynamicAnchor and draft-7 "#name"
 * ids); a reference is resolved against the base URI of the object it is
 * in, then looked up by URI (documents by their names), then by fragment:
 * a JSON pointer or an anchor.
 * Subschemas load on first use and nodes are cached per schema object,
 * so a recursive schema is a finite cyclic graph.
 */
#include "formats/jsonschema/compat_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

/* Longest chain of $ref to $ref followed while loading one node. */
#define MAX_REF_CHAIN 64

typedef struct jsc_target {
	const sr_json *dom;
	unsigned doc;
} jsc_target;

/* Projections of a schema object (node equality compares them). */
enum {
	V_EMPTY = 1,
	V_ENUM,
	V_ALL_OF,
	V_ANY_OF,
	V_ONE_OF,
	V_NOT,
	V_CONST,
	V_TYPES,
	V_COND,
	V_SYNTHETIC,
	V_BOOL,
	V_TYPE = 100,  /* + type index: "type" given */
	V_SNIFF = 200, /* + type index: implied by keywords */
};

static const char *const type_names[] = {
	"string", "integer", "number", "boolean", "null", "object", "array",
};
enum { T_STRING, T_INTEGER, T_NUMBER, T_BOOLEAN, T_NULL, T_OBJECT, T_ARRAY, T_COUNT };

static jsc_node loading; /* marks a node whose $ref chain is being followed */

/* ---- indexing ----------------------------------------------------------- */

static void register_uri(jsc_side *s, const char *uri, const sr_json *dom, unsigned doc)
{
	jsc_target *t;

	if (sr_map_get(&s->uris, uri, strlen(uri)))
		return;
	t = sr_arena_alloc(s->arena, sizeof(*t));
	t->dom = dom;
	t->doc = doc;
	sr_map_put(&s->uris, uri, strlen(uri), t);
}

static bool is_data_keyword(const char *k)
{
	return strcmp(k, "enum") == 0 || strcmp(k, "const") == 0 || strcmp(k, "default") == 0 ||
	       strcmp(k, "examples") == 0;
}

static void index_walk(jsc_side *s, const sr_json *v, const char *base, unsigned doc, int draft)
{
	size_t i;

	if (v->type == SR_JSON_ARRAY) {
		for (i = 0; i < v->len; i++)
			index_walk(s, v->u.items[i], base, doc, draft);
		return;
	}
	if (v->type != SR_JSON_OBJECT)
		return;
	{
		const char *id = sr_json_get_string(v, draft == 4 ? "id" : "$id");
		const char *anchor;

		if (id && id[0] == '#') {
			if (id[1] && draft <= 7)
				register_uri(s, sr_arena_printf(s->arena, "%s%s", base, id), v, doc);
		} else if (id) {
			char *full = jsc_uri_resolve(s->arena, base, id);
			char *hash = strchr(full, '#');
			char *nb = jsc_uri_strip_fragment(s->arena, full);

			register_uri(s, nb, v, doc);
			if (hash && hash[1] && draft <= 7)
				register_uri(s, full, v, doc);
			base = nb;
		}
		if (draft >= 2019) {
			anchor = sr_json_get_string(v, "$anchor");
			if (anchor)
				register_uri(s, sr_arena_printf(s->arena, "%s#%s", base, anchor), v, doc);
			anchor = sr_json_get_string(v, "$dynamicAnchor");
			if (anchor)
				register_uri(s, sr_arena_printf(s->arena, "%s#%s", base, anchor), v, doc);
		}
	}
	jsc_pmap_put(&s->bases, v, NULL, (void *)base);
	for (i = 0; i < v->len; i++)
		if (!is_data_keyword(v->u.members[i].key))
			index_walk(s, v->u.members[i].value, base, doc, draft);
}

void jsc_side_init(jsc_side *s, sr_arena *a, const sr_jsonschema_document *docs, size_t n)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->arena = a;
	s->docs = docs;
	s->ndocs = n;
	s->empty = sr_arena_calloc(a, 1, sizeof(*s->empty));
	s->empty->kind = JSC_K_EMPTY;
	s->empty->side = s;
	for (i = 0; i < n; i++) {
		const char *uri = docs[i].uri ? jsc_uri_strip_fragment(a, docs[i].uri) : "";

		if (!docs[i].root)
			continue;
		register_uri(s, uri, docs[i].root, (unsigned)i);
		index_walk(s, docs[i].root, uri, (unsigned)i, docs[i].draft);
	}
}

void jsc_side_dispose(jsc_side *s)
{
	size_t i;

	for (i = 0; i < s->nregexes; i++)
		sr_regex_free(s->regexes[i]->re);
	free(s->regexes);
	sr_map_dispose(&s->uris);
	jsc_pmap_dispose(&s->bases);
	jsc_pmap_dispose(&s->nodes);
	jsc_pmap_dispose(&s->reffree);
	memset(s, 0, sizeof(*s));
}

/* ---- $ref resolution ---------------------------------------------------------- */

static const char *base_of(const jsc_side *s, const sr_json *dom, unsigned doc)
{
	const char *b = jsc_pmap_get(&s->bases, dom, NULL);

	if (b)
		return b;
	return s->docs[doc].uri ? s->docs[doc].uri : "";
}

static const char *last_segment(const char *uri)
{
	const char *slash = strrchr(uri, '/');

	return slash ? slash + 1 : uri;
}

/* The document or embedded resource named `uri`, by name if not by URI. */
static const jsc_target *find_resource(jsc_side *s, const char *uri, const char *ref,
				       unsigned from_doc)
{
	const jsc_target *t = sr_map_get(&s->uris, uri, strlen(uri));
	const char *raw;
	size_t i;

	if (t)
		return t;
	if (!*uri) {
		/* a fragment-only reference in a document without a base URI */
		t = sr_map_get(&s->uris, s->docs[from_doc].uri ? s->docs[from_doc].uri : "",
			       s->docs[from_doc].uri ? strlen(s->docs[from_doc].uri) : 0);
		if (t)
			return t;
	}
	/* Reference names as the registry knows them: the $ref as written,
	 * else the last path segment. */
	raw = jsc_uri_strip_fragment(s->arena, ref);
	for (i = 0; i < s->ndocs; i++)
		if (s->docs[i].uri && s->docs[i].root && strcmp(s->docs[i].uri, raw) == 0)
			return sr_map_get(&s->uris, s->docs[i].uri, strlen(s->docs[i].uri));
	if (!*raw)
		return NULL;
	for (i = 0; i < s->ndocs; i++)
		if (s->docs[i].uri && s->docs[i].root &&
		    strcmp(last_segment(s->docs[i].uri), last_segment(raw)) == 0)
			return sr_map_get(&s->uris, s->docs[i].uri, strlen(s->docs[i].uri));
	return NULL;
}

static bool resolve_ref(jsc_side *s, const sr_json *from, unsigned doc, const char *ref,
			jsc_target *out)
{
	char *full = jsc_uri_resolve(s->arena, base_of(s, from, doc), ref);
	char *hash = strchr(full, '#');
	const char *frag = hash ? hash + 1 : "";
	const jsc_target *res;

	if (hash)
		*hash = '\0';
	res = find_resource(s, full, ref, doc);
	if (!res)
		return false;
	if (!*frag) {
		*out = *res;
		return true;
	}
	if (frag[0] == '/') {
		size_t len;
		char *ptr = sr_jsonschema__percent_decode(s->arena, frag, strlen(frag), &len);
		const sr_json *v = sr_json_pointer(res->dom, ptr, len);

		if (!v)
			return false;
		out->dom = v;
		out->doc = res->doc;
		return true;
	}
	{
		const char *key = sr_arena_printf(s->arena, "%s#%s", full, frag);
		const jsc_target *t = sr_map_get(&s->uris, key, strlen(key));
		const char *duri = s->docs[res->doc].uri ? s->docs[res->doc].uri : "";

		if (!t) {
			key = sr_arena_printf(s->arena, "%s#%s", duri, frag);
			t = sr_map_get(&s->uris, key, strlen(key));
		}
		if (!t)
			return false;
		*out = *t;
		return true;
	}
}

/* ---- loading -------------------------------------------------------------------- */

static jsc_node *load(jsc_side *s, const sr_json *dom, unsigned doc, unsigned chain);

static jsc_node *new_node(jsc_side *s, jsc_kind kind, const sr_json *src, int variant,
			  unsigned doc)
{
	jsc_node *n = sr_arena_calloc(s->arena, 1, sizeof(*n));

	n->kind = kind;
	n->side = s;
	n->src = src;
	n->variant = variant;
	n->draft = s->docs[doc].draft;
	return n;
}

static jsc_child child_of(const sr_json *v, unsigned doc)
{
	jsc_child c = { NULL, 0, NULL };

	if (v && (v->type == SR_JSON_OBJECT || v->type == SR_JSON_TRUE ||
		  v->type == SR_JSON_FALSE)) {
		c.dom = v;
		c.doc = doc;
	}
	return c;
}

static const sr_json *number(const sr_json *o, const char *key)
{
	const sr_json *v = sr_json_get(o, key);

	return sr_json_is_number(v) ? v : NULL;
}

static jsc_extra extra_of(const sr_json *v, unsigned doc)
{
	jsc_extra e = { JSC_OPEN, { NULL, 0, NULL } };

	if (v && v->type == SR_JSON_FALSE) {
		e.mode = JSC_CLOSED;
	} else if (v && v->type == SR_JSON_OBJECT) {
		e.mode = JSC_SCHEMA;
		e.schema = child_of(v, doc);
	}
	return e;
}

static bool has_any(const sr_json *o, const char *const *keys)
{
	for (; *keys; keys++)
		if (sr_json_get(o, *keys))
			return true;
	return false;
}

static void add_deps(jsc_side *s, jsc_node *n, const sr_json *o, const char *kw, unsigned doc,
		     bool arrays, bool schemas)
{
	const sr_json *v = sr_json_get(o, kw);
	size_t i, k;

	if (!sr_json_is_object(v) || !v->len)
		return;
	{
		jsc_dep *grown = sr_arena_calloc(s->arena, n->ndeps + v->len, sizeof(*grown));

		if (n->ndeps)
			memcpy(grown, n->deps, n->ndeps * sizeof(*grown));
		n->deps = grown;
	}
	for (i = 0; i < v->len; i++) {
		const sr_json_member *m = &v->u.members[i];
		jsc_dep *d = &n->deps[n->ndeps];

		if (m->value->type == SR_JSON_ARRAY && arrays) {
			for (k = 0; k < m->value->len; k++)
				if (!sr_json_is_string(m->value->u.items[k]))
					break;
			if (k < m->value->len)
				continue;
			d->names = m->value;
		} else if (schemas && (m->value->type == SR_JSON_OBJECT ||
				       m->value->type == SR_JSON_TRUE ||
				       m->value->type == SR_JSON_FALSE)) {
			d->schema = child_of(m->value, doc);
		} else {
			continue;
		}
		d->keyword = kw;
		d->key = m->key;
		d->key_len = m->key_len;
		n->ndeps++;
	}
}

static void load_object_keywords(jsc_side *s, jsc_node *n, const sr_json *o, unsigned doc,
				 int draft)
{
	const sr_json *v;
	size_t i, k;

	v = sr_json_get(o, "properties");
	if (sr_json_is_object(v) && v->len) {
		n->props = sr_arena_calloc(s->arena, v->len, sizeof(*n->props));
		for (i = 0; i < v->len; i++) {
			n->props[n->nprops].key = v->u.members[i].key;
			n->props[n->nprops].key_len = v->u.members[i].key_len;
			n->props[n->nprops].schema = child_of(v->u.members[i].value, doc);
			if (jsc_child_present(&n->props[n->nprops].schema))
				n->nprops++;
		}
	}
	v = sr_json_get(o, "patternProperties");
	if (sr_json_is_object(v) && v->len) {
		n->patterns = sr_arena_calloc(s->arena, v->len, sizeof(*n->patterns));
		for (i = 0; i < v->len; i++) {
			jsc_pattern *p = &n->patterns[n->npatterns];

			p->pattern = sr_json_new_string(s->arena, v->u.members[i].key,
							v->u.members[i].key_len);
			p->schema = child_of(v->u.members[i].value, doc);
			if (jsc_child_present(&p->schema))
				n->npatterns++;
		}
	}
	n->addl_props = extra_of(sr_json_get(o, "additionalProperties"), doc);
	if (draft >= 2019)
		n->uneval_props = extra_of(sr_json_get(o, "unevaluatedProperties"), doc);
	v = sr_json_get(o, "required");
	if (sr_json_is_array(v) && v->len) {
		const sr_json **req = sr_arena_calloc(s->arena, v->len, sizeof(*req));

		for (i = k = 0; i < v->len; i++)
			if (sr_json_is_string(v->u.items[i]))
				req[k++] = v->u.items[i];
		n->required = req;
		n->nrequired = k;
	}
	add_deps(s, n, o, "dependencies", doc, true, true);
	if (draft >= 2019) {
		add_deps(s, n, o, "dependentRequired", doc, true, false);
		add_deps(s, n, o, "dependentSchemas", doc, false, true);
	}
	n->max_props = number(o, "maxProperties");
	n->min_props = number(o, "minProperties");
}

static void load_array_keywords(jsc_side *s, jsc_node *n, const sr_json *o, unsigned doc,
				int draft)
{
	const sr_json *items = sr_json_get(o, "items"), *tuple = NULL;
	size_t i;

	n->tuple_kw = "items";
	n->addl_items_kw = "additionalItems";
	if (draft >= 2020 && sr_json_is_array(sr_json_get(o, "prefixItems"))) {
		tuple = sr_json_get(o, "prefixItems");
		n->tuple_kw = "prefixItems";
		n->addl_items_kw = "items";
		n->addl_items = extra_of(items, doc);
	} else if (sr_json_is_array(items)) {
		tuple = items;
		if (draft < 2020)
			n->addl_items = extra_of(sr_json_get(o, "additionalItems"), doc);
	} else {
		n->items = child_of(items, doc);
		if (draft < 2020)
			n->addl_items = extra_of(sr_json_get(o, "additionalItems"), doc);
	}
	if (tuple && tuple->len) {
		n->tuple = sr_arena_calloc(s->arena, tuple->len, sizeof(*n->tuple));
		for (i = 0; i < tuple->len; i++)
			n->tuple[n->ntuple++] = child_of(tuple->u.items[i], doc);
	}
	if (draft >= 2019)
		n->uneval_items = extra_of(sr_json_get(o, "unevaluatedItems"), doc);
	n->max_items = number(o, "maxItems");
	n->min_items = number(o, "minItems");
	n->unique = sr_json_get(o, "uniqueItems") && sr_json_get(o, "uniqueItems")->type == SR_JSON_TRUE;
}

static jsc_node *load_typed(jsc_side *s, const sr_json *o, unsigned doc, int t, int variant)
{
	int draft = s->docs[doc].draft;
	jsc_node *n;
	const sr_json *v;

	switch (t) {
	case T_STRING:
		n = new_node(s, JSC_K_STRING, o, variant, doc);
		n->max_length = number(o, "maxLength");
		n->min_length = number(o, "minLength");
		v = sr_json_get(o, "pattern");
		n->pattern = sr_json_is_string(v) ? v : NULL;
		return n;
	case T_INTEGER:
	case T_NUMBER:
		n = new_node(s, JSC_K_NUMBER, o, variant, doc);
		n->integer = t == T_INTEGER;
		n->maximum = number(o, "maximum");
		n->minimum = number(o, "minimum");
		if (draft == 4) {
			v = sr_json_get(o, "exclusiveMaximum");
			n->excl_max_flag = v && v->type == SR_JSON_TRUE;
			v = sr_json_get(o, "exclusiveMinimum");
			n->excl_min_flag = v && v->type == SR_JSON_TRUE;
		} else {
			n->excl_max = number(o, "exclusiveMaximum");
			n->excl_min = number(o, "exclusiveMinimum");
		}
		n->multiple_of = number(o, "multipleOf");
		return n;
	case T_BOOLEAN:
		return new_node(s, JSC_K_BOOLEAN, o, variant, doc);
	case T_NULL:
		return new_node(s, JSC_K_NULL, o, variant, doc);
	case T_OBJECT:
		n = new_node(s, JSC_K_OBJECT, o, variant, doc);
		load_object_keywords(s, n, o, doc, draft);
		return n;
	default:
		n = new_node(s, JSC_K_ARRAY, o, variant, doc);
		load_array_keywords(s, n, o, doc, draft);
		return n;
	}
}

static int type_index(const sr_json *v)
{
	int i;

	if (!sr_json_is_string(v))
		return -1;
	for (i = 0; i < T_COUNT; i++)
		if (strcmp(v->u.str, type_names[i]) == 0)
			return i;
	return -1;
}

static const char *const array_keywords[] = {
	"items", "additionalItems", "maxItems", "minItems", "uniqueItems", "contains",
	"prefixItems", "unevaluatedItems", "minContains", "maxContains", NULL,
};
static const char *const object_keywords[] = {
	"properties", "required", "minProperties", "maxProperties", "dependencies",
	"patternProperties", "additionalProperties", "propertyNames", "dependentRequired",
	"dependentSchemas", "unevaluatedProperties", NULL,
};
static const char *const number_keywords[] = {
	"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", NULL,
};
static const char *const string_keywords[] = {
	"minLength", "maxLength", "pattern", "format", NULL,
};

static jsc_node *combined(jsc_side *s, const sr_json *src, jsc_criterion c, int variant,
			  const sr_json *members, unsigned doc)
{
	jsc_node *n = new_node(s, JSC_K_COMBINED, src, variant, doc);
	size_t i;

	n->criterion = c;
	n->subs = sr_arena_calloc(s->arena, members->len ? members->len : 1, sizeof(*n->subs));
	for (i = 0; i < members->len; i++) {
		n->subs[n->nsubs] = child_of(members->u.items[i], doc);
		if (jsc_child_present(&n->subs[n->nsubs]))
			n->nsubs++;
	}
	return n;
}

static jsc_node *load_object(jsc_side *s, const sr_json *o, unsigned doc, unsigned chain)
{
	static const char *const ref_keywords[] = { "$ref", "$recursiveRef", "$dynamicRef" };
	static const char *const combinators[] = { "allOf", "anyOf", "oneOf" };
	int draft = s->docs[doc].draft;
	jsc_node *items[16], *n;
	bool shared[16] = { false };
	size_t count = 0, i;
	const sr_json *v;

	if (draft >= 2019) {
		for (i = 0; i < 3; i++) {
			const char *ref = sr_json_get_string(o, ref_keywords[i]);
			jsc_target t;

			if (!ref)
				continue;
			if (resolve_ref(s, o, doc, ref, &t))
				items[count] = load(s, t.dom, t.doc, chain + 1);
			else
				items[count] = s->empty;
			shared[count++] = true;
		}
	}
	v = sr_json_get(o, "enum");
	if (sr_json_is_array(v)) {
		n = new_node(s, JSC_K_ENUM, o, V_ENUM, doc);
		n->values = (const sr_json *const *)v->u.items;
		n->nvalues = v->len;
		n->enum_kw = "enum";
		items[count++] = n;
	}
	for (i = 0; i < 3; i++) {
		v = sr_json_get(o, combinators[i]);
		if (sr_json_is_array(v))
			items[count++] = combined(s, o, (jsc_criterion)i, V_ALL_OF + (int)i, v, doc);
	}
	v = sr_json_get(o, "not");
	if (v && (v->type == SR_JSON_OBJECT || v->type == SR_JSON_TRUE || v->type == SR_JSON_FALSE)) {
		n = new_node(s, JSC_K_NOT, o, V_NOT, doc);
		n->negated = child_of(v, doc);
		items[count++] = n;
	}
	v = sr_json_get(o, "const");
	if (v && draft >= 6) {
		const sr_json **one = sr_arena_alloc(s->arena, sizeof(*one));

		one[0] = v;
		n = new_node(s, JSC_K_ENUM, o, V_CONST, doc);
		n->values = one;
		n->nvalues = 1;
		n->enum_kw = "const";
		items[count++] = n;
	}
	v = sr_json_get(o, "type");
	if (sr_json_is_string(v)) {
		int t = type_index(v);

		items[count++] = t >= 0 ? load_typed(s, o, doc, t, V_TYPE + t) : s->empty;
		shared[count - 1] = t < 0;
	} else if (sr_json_is_array(v)) {
		n = new_node(s, JSC_K_COMBINED, o, V_TYPES, doc);
		n->criterion = JSC_ANY_OF;
		n->subs = sr_arena_calloc(s->arena, v->len ? v->len : 1, sizeof(*n->subs));
		for (i = 0; i < v->len; i++) {
			int t = type_index(v->u.items[i]);

			if (t >= 0)
				n->subs[n->nsubs++].node = load_typed(s, o, doc, t, V_TYPE + t);
		}
		items[count++] = n;
	} else if (!v) {
		if (has_any(o, array_keywords))
			items[count++] = load_typed(s, o, doc, T_ARRAY, V_SNIFF + T_ARRAY);
		if (has_any(o, object_keywords))
			items[count++] = load_typed(s, o, doc, T_OBJECT, V_SNIFF + T_OBJECT);
		if (has_any(o, number_keywords))
			items[count++] = load_typed(s, o, doc, T_NUMBER, V_SNIFF + T_NUMBER);
		if (has_any(o, string_keywords))
			items[count++] = load_typed(s, o, doc, T_STRING, V_SNIFF + T_STRING);
	}
	if (draft >= 7 && sr_json_get(o, "if")) {
		n = new_node(s, JSC_K_CONDITIONAL, o, V_COND, doc);
		n->if_ = child_of(sr_json_get(o, "if"), doc);
		n->then_ = child_of(sr_json_get(o, "then"), doc);
		n->else_ = child_of(sr_json_get(o, "else"), doc);
		items[count++] = n;
	}

	if (count == 0) {
		n = new_node(s, JSC_K_EMPTY, o, V_EMPTY, doc);
	} else if (count == 1) {
		n = items[0];
	} else {
		n = new_node(s, JSC_K_COMBINED, o, V_SYNTHETIC, doc);
		n->criterion = JSC_ALL_OF;
		n->subs = sr_arena_calloc(s->arena, count, sizeof(*n->subs));
		for (i = 0; i < count; i++)
			n->subs[i].node = items[i];
		n->nsubs = count;
		shared[0] = false;
	}

	/* annotations of this object go on the node it loads to */
	{
		const sr_json *id = sr_json_get(o, draft == 4 ? "id" : "$id");
		const sr_json *title = sr_json_get(o, "title");
		const sr_json *desc = sr_json_get(o, "description");
		const sr_json *def = sr_json_get(o, "default");

		if (!id && !title && !desc && !def)
			return n;
		if (shared[0] && count == 1) {
			jsc_node *copy = new_node(s, n->kind, n->src, n->variant, doc);

			*copy = *n;
			n = copy;
		}
		n->id = id;
		n->title = title;
		n->description = desc;
		n->def = def;
	}
	return n;
}

static jsc_node *load(jsc_side *s, const sr_json *dom, unsigned doc, unsigned chain)
{
	jsc_node *n;

	if (!dom)
		return NULL;
	n = jsc_pmap_get(&s->nodes, dom, s);
	if (n == &loading)
		return s->empty; /* a cycle of bare $refs accepts anything */
	if (n)
		return n;
	if (chain > MAX_REF_CHAIN)
		return s->empty;
	jsc_pmap_put(&s->nodes, dom, s, &loading);
	switch (dom->type) {
	case SR_JSON_TRUE:
		n = new_node(s, JSC_K_TRUE, dom, V_BOOL, doc);
		break;
	case SR_JSON_FALSE:
		n = new_node(s, JSC_K_FALSE, dom, V_BOOL, doc);
		break;
	case SR_JSON_OBJECT: {
		const char *ref = sr_json_get_string(dom, "$ref");
		jsc_target t;

		if (ref && s->docs[doc].draft <= 7) {
			n = resolve_ref(s, dom, doc, ref, &t) ? load(s, t.dom, t.doc, chain + 1)
							      : s->empty;
		} else {
			n = load_object(s, dom, doc, chain);
		}
		break;
	}
	default:
		n = s->empty;
		break;
	}
	jsc_pmap_put(&s->nodes, dom, s, n);
	return n;
}

jsc_node *jsc_child_get(jsc_side *s, jsc_child *c)
{
	if (!c->node && c->dom)
		c->node = load(s, c->dom, c->doc, 0);
	return c->node;
}

jsc_node *jsc_side_root(jsc_side *s)
{
	if (!s->ndocs || !s->docs[0].root)
		return s->empty;
	return load(s, s->docs[0].root, 0, 0);
}

bool jsc_pattern_matches(jsc_side *s, jsc_pattern *p, const char *key, size_t key_len)
{
	if (!p->tried) {
		sr_err err = SR_ERR_INIT;

		p->tried = true;
		if (sr_regex_compile(&p->re, p->pattern->u.str, p->pattern->len, &err) != 0) {
			p->re = NULL;
		} else {
			if (s->nregexes == s->capregexes) {
				s->capregexes = s->capregexes ? s->capregexes * 2 : 8;
				s->regexes = sr_realloc(s->regexes,
							s->capregexes * sizeof(*s->regexes));
			}
			s->regexes[s->nregexes++] = p;
		}
		sr_err_dispose(&err);
	}
	return p->re && sr_regex_search(p->re, key, key_len) == SR_REGEX_MATCH;
}

/* Does the subtree of `v` hold a reference keyword? (cached per object) */
static bool has_refs(jsc_side *s, const sr_json *v, unsigned depth)
{
	static const char *const keys[] = { "$ref", "$dynamicRef", "$recursiveRef" };
	void *cached;
	bool found = false;
	size_t i;

	if (!v || (v->type != SR_JSON_OBJECT && v->type != SR_JSON_ARRAY))
		return false;
	if (depth > 200)
		return true;
	cached = jsc_pmap_get(&s->reffree, v, NULL);
	if (cached)
		return cached == (void *)&s->reffree;
	if (v->type == SR_JSON_OBJECT) {
		for (i = 0; i < 3 && !found; i++)
			found = sr_json_get(v, keys[i]) != NULL;
		for (i = 0; i < v->len && !found; i++)
			found = has_refs(s, v->u.members[i].value, depth + 1);
	} else {
		for (i = 0; i < v->len && !found; i++)
			found = has_refs(s, v->u.items[i], depth + 1);
	}
	jsc_pmap_put(&s->reffree, v, NULL, found ? (void *)&s->reffree : (void *)s);
	return found;
}

bool jsc_node_same(const jsc_node *a, const jsc_node *b)
{
	return a->src && b->src && a->draft == b->draft && jsc_node_equal(a, b) &&
	       a->src->type == SR_JSON_OBJECT &&
	       !has_refs(a->side, a->src, 0) && !has_refs(b->side, b->src, 0);
}

bool jsc_node_equal(const jsc_node *a, const jsc_node *b)
{
	if (a == b)
		return true;
	if (!a || !b || a->kind != b->kind || a->variant != b->variant || !a->src || !b->src)
		return false;
	if (a->kind == JSC_K_TRUE || a->kind == JSC_K_FALSE)
		return true;
	return sr_json_equal(a->src, b->src) && sr_json_equal(a->id, b->id) &&
	       sr_json_equal(a->title, b->title) && sr_json_equal(a->description, b->description) &&
	       sr_json_equal(a->def, b->def);
}

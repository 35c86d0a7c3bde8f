/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_FORMATS_JSONSCHEMA_COMPAT_INTERNAL_H
#define SR_FORMATS_JSONSCHEMA_COMPAT_INTERNAL_H

/*
 * Shared by the files of the JSON Schema compatibility checker
 * (compat.c, compat_model.c, compat_diff.c, compat_util.c); not used
 * elsewhere.
 *
 * The checker reproduces Confluent's diff engine (SchemaDiff and its
 * per-kind classes), which runs on the schema model of the everit library.
 * compat_model.c therefore loads the JSON DOM into the same model: a
 * schema object becomes one node per "extractor" that applies to it
 * (enum, allOf/anyOf/oneOf, not, const, type or the keywords that imply a
 * type, if/then/else) and several such nodes become a synthetic allOf;
 * a type array becomes an anyOf of one node per type; $ref is followed
 * transparently. Subschemas are loaded lazily, so recursive schemas are
 * finite graphs of nodes.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/map.h"
#include "formats/jsonschema/jsonschema_internal.h"
#include "formats/jsonschema/regex.h"
#include "json/json.h"

/* ---- difference types (Confluent's names, Difference.Type) ------------- */

#define JSC_TYPES(X) \
	X(ID_CHANGED) X(DESCRIPTION_CHANGED) X(TITLE_CHANGED) X(DEFAULT_CHANGED) \
	X(SCHEMA_ADDED) X(SCHEMA_REMOVED) \
	X(TYPE_EXTENDED) X(TYPE_NARROWED) X(TYPE_CHANGED) \
	X(MAX_LENGTH_ADDED) X(MAX_LENGTH_REMOVED) X(MAX_LENGTH_INCREASED) X(MAX_LENGTH_DECREASED) \
	X(MIN_LENGTH_ADDED) X(MIN_LENGTH_REMOVED) X(MIN_LENGTH_INCREASED) X(MIN_LENGTH_DECREASED) \
	X(PATTERN_ADDED) X(PATTERN_REMOVED) X(PATTERN_CHANGED) \
	X(MAXIMUM_ADDED) X(MAXIMUM_REMOVED) X(MAXIMUM_INCREASED) X(MAXIMUM_DECREASED) \
	X(MINIMUM_ADDED) X(MINIMUM_REMOVED) X(MINIMUM_INCREASED) X(MINIMUM_DECREASED) \
	X(EXCLUSIVE_MAXIMUM_ADDED) X(EXCLUSIVE_MAXIMUM_REMOVED) \
	X(EXCLUSIVE_MAXIMUM_INCREASED) X(EXCLUSIVE_MAXIMUM_DECREASED) \
	X(EXCLUSIVE_MINIMUM_ADDED) X(EXCLUSIVE_MINIMUM_REMOVED) \
	X(EXCLUSIVE_MINIMUM_INCREASED) X(EXCLUSIVE_MINIMUM_DECREASED) \
	X(MULTIPLE_OF_ADDED) X(MULTIPLE_OF_REMOVED) X(MULTIPLE_OF_EXPANDED) \
	X(MULTIPLE_OF_REDUCED) X(MULTIPLE_OF_CHANGED) \
	X(REQUIRED_ATTRIBUTE_ADDED) X(REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED) \
	X(REQUIRED_ATTRIBUTE_REMOVED) \
	X(MAX_PROPERTIES_ADDED) X(MAX_PROPERTIES_REMOVED) \
	X(MAX_PROPERTIES_INCREASED) X(MAX_PROPERTIES_DECREASED) \
	X(MIN_PROPERTIES_ADDED) X(MIN_PROPERTIES_REMOVED) \
	X(MIN_PROPERTIES_INCREASED) X(MIN_PROPERTIES_DECREASED) \
	X(ADDITIONAL_PROPERTIES_ADDED) X(ADDITIONAL_PROPERTIES_REMOVED) \
	X(ADDITIONAL_PROPERTIES_EXTENDED) X(ADDITIONAL_PROPERTIES_NARROWED) \
	X(UNEVALUATED_PROPERTIES_ADDED) X(UNEVALUATED_PROPERTIES_REMOVED) \
	X(UNEVALUATED_PROPERTIES_EXTENDED) X(UNEVALUATED_PROPERTIES_NARROWED) \
	X(DEPENDENCY_ARRAY_ADDED) X(DEPENDENCY_ARRAY_REMOVED) X(DEPENDENCY_ARRAY_EXTENDED) \
	X(DEPENDENCY_ARRAY_NARROWED) X(DEPENDENCY_ARRAY_CHANGED) \
	X(DEPENDENCY_SCHEMA_ADDED) X(DEPENDENCY_SCHEMA_REMOVED) \
	X(PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL) \
	X(PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL) \
	X(REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL) \
	X(REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL) \
	X(OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL) \
	X(PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL) \
	X(PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL) \
	X(PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL) \
	X(PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL) \
	X(PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL) \
	X(PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL) \
	X(PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL) \
	X(MAX_ITEMS_ADDED) X(MAX_ITEMS_REMOVED) X(MAX_ITEMS_INCREASED) X(MAX_ITEMS_DECREASED) \
	X(MIN_ITEMS_ADDED) X(MIN_ITEMS_REMOVED) X(MIN_ITEMS_INCREASED) X(MIN_ITEMS_DECREASED) \
	X(UNIQUE_ITEMS_ADDED) X(UNIQUE_ITEMS_REMOVED) \
	X(ADDITIONAL_ITEMS_ADDED) X(ADDITIONAL_ITEMS_REMOVED) \
	X(ADDITIONAL_ITEMS_EXTENDED) X(ADDITIONAL_ITEMS_NARROWED) \
	X(UNEVALUATED_ITEMS_ADDED) X(UNEVALUATED_ITEMS_REMOVED) \
	X(UNEVALUATED_ITEMS_EXTENDED) X(UNEVALUATED_ITEMS_NARROWED) \
	X(ITEM_ADDED_TO_OPEN_CONTENT_MODEL) X(ITEM_ADDED_TO_CLOSED_CONTENT_MODEL) \
	X(ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL) X(ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL) \
	X(ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL) \
	X(ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL) \
	X(ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL) \
	X(ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL) \
	X(ENUM_ARRAY_EXTENDED) X(ENUM_ARRAY_NARROWED) X(ENUM_ARRAY_CHANGED) \
	X(COMBINED_TYPE_EXTENDED) X(COMBINED_TYPE_CHANGED) \
	X(PRODUCT_TYPE_EXTENDED) X(PRODUCT_TYPE_NARROWED) \
	X(SUM_TYPE_EXTENDED) X(SUM_TYPE_NARROWED) X(COMBINED_TYPE_SUBSCHEMAS_CHANGED) \
	X(NOT_TYPE_EXTENDED) X(NOT_TYPE_NARROWED)

typedef enum jsc_type {
#define JSC_ENUM_ITEM(n) JSC_##n,
	JSC_TYPES(JSC_ENUM_ITEM)
#undef JSC_ENUM_ITEM
	JSC_TYPE_COUNT
} jsc_type;

/** Confluent's name of a difference type. */
const char *jsc_type_name(jsc_type t);

/** Is `t` in the compatible set of `policy` (COMPATIBLE_CHANGES_STRICT/_LENIENT)? */
bool jsc_type_compatible(jsc_type t, sr_compat_policy policy);

/* ---- pointer-pair map (heap) ---------------------------------------------- */

typedef struct jsc_slot {
	const void *a, *b; /* a == NULL: empty */
	void *value;
} jsc_slot;

typedef struct jsc_pmap {
	jsc_slot *slots;
	size_t cap, count;
} jsc_pmap;

void *jsc_pmap_get(const jsc_pmap *m, const void *a, const void *b);
void jsc_pmap_put(jsc_pmap *m, const void *a, const void *b, void *value);
void jsc_pmap_dispose(jsc_pmap *m);

/* ---- the model ------------------------------------------------------------ */

typedef enum jsc_kind {
	JSC_K_EMPTY = 0, /* {} or only annotations: everit EmptySchema */
	JSC_K_TRUE,      /* true (a subclass of EmptySchema in everit) */
	JSC_K_FALSE,
	JSC_K_BOOLEAN,
	JSC_K_NULL,
	JSC_K_STRING,
	JSC_K_NUMBER,
	JSC_K_OBJECT,
	JSC_K_ARRAY,
	JSC_K_ENUM,      /* enum, and const as a one-value enum */
	JSC_K_COMBINED,
	JSC_K_NOT,
	JSC_K_CONDITIONAL,
} jsc_kind;

typedef enum jsc_criterion { JSC_ALL_OF, JSC_ANY_OF, JSC_ONE_OF } jsc_criterion;

typedef struct jsc_side jsc_side;
typedef struct jsc_node jsc_node;

/** A subschema: loaded on first use. Absent when `dom` and `node` are NULL. */
typedef struct jsc_child {
	const sr_json *dom;
	unsigned doc;
	jsc_node *node;
} jsc_child;

typedef struct jsc_prop {
	const char *key;
	size_t key_len;
	jsc_child schema;
} jsc_prop;

typedef struct jsc_pattern {
	const sr_json *pattern; /* the regex source (a string node) */
	sr_regex *re;           /* compiled on first use */
	bool tried;
	jsc_child schema;
} jsc_pattern;

typedef struct jsc_dep {
	const char *keyword; /* "dependencies", "dependentRequired", "dependentSchemas" */
	const char *key;
	size_t key_len;
	const sr_json *names; /* property dependency: an array of strings */
	jsc_child schema;     /* schema dependency */
} jsc_dep;

/* additionalProperties, additionalItems, unevaluated*: absent or true,
 * false, or a schema */
typedef enum jsc_extra_mode { JSC_OPEN = 0, JSC_CLOSED, JSC_SCHEMA } jsc_extra_mode;

typedef struct jsc_extra {
	jsc_extra_mode mode;
	jsc_child schema;
} jsc_extra;

struct jsc_node {
	jsc_kind kind;
	jsc_side *side;
	const sr_json *src; /* the schema object it was loaded from (equality) */
	int variant;        /* which projection of `src` it is */
	int draft;          /* of the document it comes from */
	/* common */
	const sr_json *id, *title, *description, *def;
	/* string */
	const sr_json *max_length, *min_length, *pattern;
	/* number */
	bool integer, excl_max_flag, excl_min_flag;
	const sr_json *maximum, *minimum, *excl_max, *excl_min, *multiple_of;
	/* object */
	jsc_prop *props;
	size_t nprops;
	jsc_pattern *patterns;
	size_t npatterns;
	jsc_extra addl_props, uneval_props;
	const sr_json *const *required;
	size_t nrequired;
	jsc_dep *deps;
	size_t ndeps;
	const sr_json *max_props, *min_props;
	/* array */
	jsc_child items;
	jsc_child *tuple;
	size_t ntuple;
	const char *tuple_kw;      /* "items" or "prefixItems" */
	jsc_extra addl_items;
	const char *addl_items_kw; /* "additionalItems" or "items" */
	jsc_extra uneval_items;
	const sr_json *max_items, *min_items;
	bool unique;
	/* enum */
	const sr_json *const *values;
	size_t nvalues;
	const char *enum_kw;       /* "enum" or "const" */
	/* combined */
	jsc_criterion criterion;
	jsc_child *subs;
	size_t nsubs;
	/* not */
	jsc_child negated;
	/* conditional */
	jsc_child if_, then_, else_;
	/* Name indexes, built on first lookup when the lists are long (a
	 * schema may have 100,000 properties): name -> index + 1. */
	sr_map *prop_index;
	sr_map *required_index;
	sr_map *dep_index;   /* key -> first dep + 1; dep_next chains equal keys */
	size_t *dep_next;
};

/** The documents of one schema, indexed for $ref resolution, and its nodes. */
struct jsc_side {
	sr_arena *arena;
	const sr_jsonschema_document *docs;
	size_t ndocs;
	sr_map uris;     /* absolute URI (and URI#anchor) -> jsc_target */
	jsc_pmap bases;  /* schema object -> its base URI */
	jsc_pmap nodes;  /* (dom, doc) -> jsc_node */
	jsc_pmap reffree; /* schema object -> whether its subtree has a $ref */
	jsc_pattern **regexes; /* compiled, to free */
	size_t nregexes, capregexes;
	jsc_node *empty; /* shared empty node (cycles of bare $refs, bad input) */
};

/** Index `docs` (arena-owned strings and nodes). */
void jsc_side_init(jsc_side *s, sr_arena *a, const sr_jsonschema_document *docs, size_t n);
void jsc_side_dispose(jsc_side *s);

/** The root node of the side's schema (document 0). */
jsc_node *jsc_side_root(jsc_side *s);

/** The node of a child (loaded on first use), or NULL if absent. */
jsc_node *jsc_child_get(jsc_side *s, jsc_child *c);

/** Does the child exist? */
static inline bool jsc_child_present(const jsc_child *c) { return c->dom || c->node; }

/** Does property `key` match the pattern? (false on invalid patterns and limits) */
bool jsc_pattern_matches(jsc_side *s, jsc_pattern *p, const char *key, size_t key_len);

/** Structural equality of two nodes (everit Schema.equals, approximately). */
bool jsc_node_equal(const jsc_node *a, const jsc_node *b);

/**
 * Do two nodes mean the same for certain: equal, of the same draft, and
 * without references in them (so nothing outside them matters)?
 */
bool jsc_node_same(const jsc_node *a, const jsc_node *b);

/* ---- utilities (compat_util.c) ------------------------------------------- */

/** Exact comparison of two JSON number lexemes: <0, 0, >0. */
int jsc_num_cmp(const sr_json *a, const sr_json *b);

/** Is a / b an integer (exactly, for decimal lexemes)? false if b is 0. */
bool jsc_num_divides(const sr_json *a, const sr_json *b);

/** Java's String.hashCode of UTF-8 `s[0..n)` (over UTF-16 code units). */
int32_t jsc_java_hash(const char *s, size_t n);

/**
 * Java HashSet/HashMap iteration order: `order[0..n)` is a permutation of
 * the insertion sequence keys[0..n) sorted (stably) by bucket in a table
 * of `cap` slots. `cap` is a power of two.
 */
void jsc_java_order(size_t *order, const char *const *keys, const size_t *lens, size_t n,
		    size_t cap);

/** Capacity of a Java HashMap with initial capacity `initial` after `n` insertions. */
size_t jsc_java_cap(size_t initial, size_t n);

/** Initial capacity Java's HashSet(Collection) picks for `n` elements. */
size_t jsc_java_set_cap(size_t n);

/** Resolve URI reference `ref` against `base` (RFC 3986 §5.2, simplified). */
char *jsc_uri_resolve(sr_arena *a, const char *base, const char *ref);

/** `uri` without its fragment (arena copy). */
char *jsc_uri_strip_fragment(sr_arena *a, const char *uri);

/* ---- the engine (compat_diff.c) ------------------------------------------- */

typedef struct jsc_diff {
	jsc_type type;
	const char *path; /* "#/properties/a" */
} jsc_diff;

typedef struct jsc_result {
	jsc_diff *diffs; /* arena-owned */
	size_t n;
	size_t incompatible; /* counted also beyond the JSC_MAX_DIFFS kept */
	bool exhausted;  /* the work budget ran out: the list is incomplete */
} jsc_result;

/**
 * Confluent's SchemaDiff.compare(original, update) on two sides, with the
 * compatible set of `policy`. Differences live in `a`.
 */
void jsc_compare(jsc_result *out, sr_arena *a, jsc_side *original, jsc_side *update,
		 sr_compat_policy policy);

/** Work budget of one comparison (node pairs compared + differences recorded). */
#define JSC_BUDGET 400000
/** Differences one list keeps (the rest are only counted). */
#define JSC_MAX_DIFFS 2000
/** Deepest nesting of node pairs one comparison follows. */
#define JSC_MAX_DEPTH 600

#endif

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_FORMATS_JSONSCHEMA_COMPILED_H
#define SR_FORMATS_JSONSCHEMA_COMPILED_H

/**
 * The compiled model of a JSON Schema, shared by the files of
 * src/formats/jsonschema/ (not a public interface; short prefix sr_js_).
 *
 * parse() turns the schema text and its references into documents (JSON
 * DOMs), indexes their schema resources (base URIs from $id, anchors,
 * dynamic anchors), validates the schema against its meta-schema and
 * compiles every reachable subschema once into an sr_js_node: the keywords
 * of the node's dialect that assert something, as a flat list of
 * instructions (sr_js_kw) with their operands resolved ($ref targets are
 * node pointers, patterns compiled, numbers decoded, property names hashed).
 * Annotation-only keywords (title, description, default, examples,
 * content*, unknown keywords, `format` unless asserted) compile to nothing.
 *
 * Everything lives in the arena given to parse() and is immutable after
 * it: validate() keeps its per-call state on the stack and in the
 * validation's arena, so one compiled schema serves many threads at once.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "formats/format.h"
#include "formats/jsonschema/formats.h"
#include "formats/jsonschema/jsonschema_internal.h"
#include "formats/jsonschema/regex.h"
#include "json/json.h"

/* ---- dialects -------------------------------------------------------------- */

/** Drafts, by the number the rest of the module uses. */
enum {
	SR_JS_DRAFT4 = 4,
	SR_JS_DRAFT6 = 6,
	SR_JS_DRAFT7 = 7,
	SR_JS_DRAFT2019 = 2019,
	SR_JS_DRAFT2020 = 2020,
};

/** Vocabularies (2019-09 and 2020-12); earlier drafts enable all they have. */
enum {
	SR_JS_VOCAB_CORE = 1u << 0,
	SR_JS_VOCAB_APPLICATOR = 1u << 1,
	SR_JS_VOCAB_UNEVALUATED = 1u << 2, /**< 2020-12; in 2019-09 part of applicator */
	SR_JS_VOCAB_VALIDATION = 1u << 3,
	SR_JS_VOCAB_FORMAT = 1u << 4,      /**< format-annotation (or 2019-09 format) */
	SR_JS_VOCAB_FORMAT_ASSERT = 1u << 5, /**< format-assertion: `format` asserts */
	SR_JS_VOCAB_CONTENT = 1u << 6,
	SR_JS_VOCAB_METADATA = 1u << 7,
	SR_JS_VOCAB_ALL = 0xffu & ~SR_JS_VOCAB_FORMAT_ASSERT,
};

/** A dialect: the draft and the vocabularies its meta-schema enables. */
typedef struct sr_js_dialect {
	int draft;
	unsigned vocab;
	const char *uri; /**< the meta-schema's URI (for messages) */
} sr_js_dialect;

/** The dialect of a standard meta-schema URI ($schema value), or NULL. */
const sr_js_dialect *sr_js__dialect_standard(const char *uri, size_t len);

/** The standard dialect of a draft (4, 6, 7, 2019, 2020). */
const sr_js_dialect *sr_js__dialect_of_draft(int draft);

/* ---- URIs ------------------------------------------------------------------ */

/**
 * Resolve `ref` against `base` (RFC 3986 section 5.2, with dot-segment
 * removal). `base` may be "" or relative; the result then stays relative.
 * The fragment of `ref` is kept (an empty one is dropped). Arena-owned.
 */
const char *sr_js__uri_resolve(sr_arena *a, const char *base, const char *ref, size_t ref_len);

/** Length of `uri` without its fragment ('#' and what follows). */
size_t sr_js__uri_strip_fragment(const char *uri, size_t len);

/** Does `uri` start with a scheme ("x:")? */
bool sr_js__uri_is_absolute(const char *uri, size_t len);

/* ---- exact decimal numbers (number.c) -------------------------------------- */

/**
 * A JSON number lexeme read as a decimal: value = sign * 0.D * 10^exp,
 * where D, the significant digits without leading or trailing zeros, are
 * d1[0..n1) followed by d2[0..n2) (the lexeme's integer and fraction parts
 * meet there). Points into the lexeme; nothing is allocated.
 */
typedef struct sr_js_dec {
	bool neg;
	bool zero;
	const char *d1, *d2;
	size_t n1, n2;
	int64_t exp; /**< saturated far beyond any meaningful exponent */
} sr_js_dec;

/** Read a valid JSON number lexeme. */
void sr_js__dec_parse(sr_js_dec *out, const char *lexeme, size_t len);

/** -1, 0 or 1 as a < b, a == b, a > b (exactly). */
int sr_js__dec_cmp(const sr_js_dec *a, const sr_js_dec *b);

/** Is the value an integer (no non-zero fraction)? */
bool sr_js__dec_is_integer(const sr_js_dec *d);

/**
 * The lexeme as a double when that is exact enough to compare decimals:
 * at most 15 significant digits and a decimal exponent within +-22, so the
 * conversion is one correctly rounded operation (Clinger's fast path) and
 * two such numbers compare as doubles exactly as they do as decimals.
 * False otherwise (then compare with sr_js__dec_cmp).
 */
bool sr_js__fast_double(const char *lexeme, size_t len, double *out);

/** Hash of a property name or string value (fast for short keys). */
uint64_t sr_js__key_hash(const char *s, size_t n);

/** A compiled `multipleOf` divisor (must be > 0). */
typedef struct sr_js_divisor {
	int64_t unit_exp;   /**< divisor = M * 10^unit_exp with M = 2^p2 * 5^p5 * c */
	uint64_t p2, p5;
	uint32_t *c;        /**< c, little-endian base 2^32 limbs (c has no factor 2 or 5) */
	size_t nc;
} sr_js_divisor;

/** Decode a positive divisor into `a`; SR_EINVALID if not > 0 or too long. */
int sr_js__divisor_init(sr_js_divisor *out, sr_arena *a, const char *lexeme, size_t len);

/**
 * Is `v` an integer multiple of the divisor? Exact for any size; scratch
 * memory, needed only for divisors beyond 64 bits, comes from `scratch`.
 */
bool sr_js__dec_multiple_of(const sr_js_dec *v, const sr_js_divisor *d, sr_arena *scratch);

/* ---- compiled schema -------------------------------------------------------- */

/** Instance kinds, as bits (the `type` keyword's mask uses them too). */
enum {
	SR_JS_K_NULL = 1u << 0,
	SR_JS_K_BOOL = 1u << 1,
	SR_JS_K_INT = 1u << 2,    /**< type "integer" */
	SR_JS_K_NUM = 1u << 3,    /**< type "number" (together with K_INT) */
	SR_JS_K_STR = 1u << 4,
	SR_JS_K_ARR = 1u << 5,
	SR_JS_K_OBJ = 1u << 6,
	SR_JS_K_ANY = 0x7f,
	SR_JS_K_NUMBER = SR_JS_K_INT | SR_JS_K_NUM,
	/** In a node's type mask: integers are lexemes without fraction or
	 *  exponent (draft 4), not any number with a zero fraction. */
	SR_JS_TYPE_LEXICAL_INT = 1u << 8,
};

typedef struct sr_js_node sr_js_node;
typedef struct sr_js_resource sr_js_resource;

/** A dynamic anchor of a resource ($dynamicAnchor, 2020-12). */
typedef struct sr_js_anchor {
	const char *name;
	sr_js_node *node;
} sr_js_anchor;

/** A schema resource: a document root or a subschema with an $id. */
struct sr_js_resource {
	const char *uri;                 /**< absolute base URI, no fragment ("" if none) */
	const sr_json *root;
	const sr_js_dialect *dialect;
	bool recursive_anchor;           /**< 2019-09: "$recursiveAnchor": true at the root */
	sr_js_node *root_node;           /**< compiled root (set when compiled) */
	sr_js_anchor *dynamic;           /**< its $dynamicAnchors */
	size_t ndynamic, dynamic_cap;
};

/** Keyword instructions. */
typedef enum sr_js_op {
	SR_JS_OP_CONST = 1,
	SR_JS_OP_ENUM,
	SR_JS_OP_MINIMUM,
	SR_JS_OP_MAXIMUM,
	SR_JS_OP_EXCL_MINIMUM,
	SR_JS_OP_EXCL_MAXIMUM,
	SR_JS_OP_MULTIPLE_OF,
	SR_JS_OP_MIN_LENGTH,
	SR_JS_OP_MAX_LENGTH,
	SR_JS_OP_PATTERN,
	SR_JS_OP_FORMAT,
	SR_JS_OP_MIN_ITEMS,
	SR_JS_OP_MAX_ITEMS,
	SR_JS_OP_UNIQUE_ITEMS,
	SR_JS_OP_ITEMS,
	SR_JS_OP_CONTAINS,
	SR_JS_OP_MIN_PROPERTIES,
	SR_JS_OP_MAX_PROPERTIES,
	SR_JS_OP_OBJECT,          /**< properties + patternProperties + additionalProperties + required */
	SR_JS_OP_PROPERTY_NAMES,
	SR_JS_OP_DEPENDENT_REQUIRED,
	SR_JS_OP_DEPENDENT_SCHEMAS,
	SR_JS_OP_REF,
	SR_JS_OP_DYNAMIC_REF,
	SR_JS_OP_RECURSIVE_REF,
	SR_JS_OP_ALL_OF,
	SR_JS_OP_ANY_OF,
	SR_JS_OP_ONE_OF,
	SR_JS_OP_NOT,
	SR_JS_OP_IF,
	SR_JS_OP_UNEVALUATED_ITEMS,
	SR_JS_OP_UNEVALUATED_PROPERTIES,
} sr_js_op;

/** A number operand: exact decimal plus fast paths. */
typedef struct sr_js_number {
	const char *lexeme;
	sr_js_dec dec;
	bool is_i64;
	int64_t i64;
	bool is_fast;    /**< `d` is exact enough to compare (see sr_js__fast_double) */
	double d;
} sr_js_number;

/** A subschema reached through a keyword, with its keyword-location segment. */
typedef struct sr_js_sub {
	sr_js_node *node;
	const char *loc; /**< e.g. "/allOf/2" or "/properties/a~1b" (escaped) */
} sr_js_sub;

/** A named property of an object keyword. */
typedef struct sr_js_prop {
	const char *name;
	size_t len;
	uint64_t hash;
	sr_js_sub schema;       /**< from `properties`; node NULL when absent */
	uint32_t required;      /**< index in the required list, or UINT32_MAX */
} sr_js_prop;

/** A `patternProperties` entry. */
typedef struct sr_js_pattern {
	const char *source;
	sr_regex *re;
	sr_js_sub schema;
} sr_js_pattern;

/** properties + patternProperties + additionalProperties + required. */
typedef struct sr_js_object {
	sr_js_prop *props;
	size_t nprops;
	uint32_t *table;        /**< hash index (prop index + 1, 0 = empty), or NULL */
	size_t table_mask;
	sr_js_pattern *patterns;
	size_t npatterns;
	sr_js_sub additional;   /**< node NULL when absent */
	uint32_t *required;     /**< prop indices in `required` order */
	size_t nrequired;
	const char *required_loc;
} sr_js_object;

/** Arrays: prefix (items array / prefixItems) and rest (items / additionalItems). */
typedef struct sr_js_items {
	sr_js_sub *prefix;
	size_t nprefix;
	sr_js_sub rest;         /**< node NULL when absent */
} sr_js_items;

typedef struct sr_js_contains {
	sr_js_sub schema;
	uint64_t min, max;      /**< minContains (default 1), maxContains (default UINT64_MAX) */
	const char *min_loc, *max_loc;
	bool annotate;          /**< 2020-12: matched items count as evaluated */
} sr_js_contains;

typedef struct sr_js_enum {
	const sr_json **values;
	size_t n;
	bool strings;           /**< every value is a string: hashed by sr_js__key_hash */
	uint32_t *table;        /**< hash index over values (index + 1), or NULL */
	size_t table_mask;
	const char *source;     /**< the enum written compactly, for messages */
} sr_js_enum;

/** One entry of dependentRequired / dependentSchemas / dependencies. */
typedef struct sr_js_dependency {
	const char *name;
	size_t len;
	const char **required;  /**< names required by `name` */
	size_t *required_len;
	size_t nrequired;
	sr_js_sub schema;       /**< node NULL for a required-list dependency */
} sr_js_dependency;

typedef struct sr_js_list {
	sr_js_sub *subs;
	size_t n;
	/**
	 * anyOf/oneOf over a discriminated union: every branch is an object
	 * schema that requires the property `disc` and pins it to a distinct
	 * string (const, or a one-value enum), disc_values[i] for branch i.
	 * Only the branch the instance's value selects can pass, so only it
	 * is evaluated. NULL when the list is not such a union.
	 */
	const char *disc;
	size_t disc_len;
	const sr_json **disc_values;
} sr_js_list;

typedef struct sr_js_deps {
	sr_js_dependency *deps;
	size_t n;
} sr_js_deps;

typedef struct sr_js_if {
	sr_js_sub cond, then, els; /**< then/else node NULL when absent */
} sr_js_if;

typedef struct sr_js_dynref {
	sr_js_sub target;       /**< the static resolution */
	const char *anchor;     /**< 2020-12: the dynamic anchor name, NULL = behaves as $ref */
} sr_js_dynref;

typedef struct sr_js_format {
	const char *name;
	sr_format_checker check; /**< NULL: unknown format (always passes) */
	bool always;             /**< asserted by the dialect, whatever the validation asks */
} sr_js_format;

typedef struct sr_js_pattern_kw {
	const char *source;
	sr_regex *re;
} sr_js_pattern_kw;

typedef struct sr_js_kw {
	uint8_t op;            /**< sr_js_op */
	uint8_t kinds;         /**< instance kinds the keyword applies to */
	const char *loc;       /**< keyword location segment, e.g. "/minimum" */
	union {
		unsigned types;           /* TYPE: kinds allowed */
		const sr_json *value;     /* CONST */
		sr_js_enum *en;           /* ENUM */
		sr_js_number *num;        /* MINIMUM .. EXCL_MAXIMUM */
		sr_js_divisor *div;       /* MULTIPLE_OF */
		uint64_t count;           /* MIN/MAX_LENGTH, _ITEMS, _PROPERTIES */
		sr_js_pattern_kw *pattern; /* PATTERN */
		sr_js_format *format;     /* FORMAT */
		sr_js_items *items;       /* ITEMS */
		sr_js_contains *contains; /* CONTAINS */
		sr_js_object *object;     /* OBJECT */
		sr_js_node *node;         /* PROPERTY_NAMES, NOT, REF, RECURSIVE_REF, UNEVALUATED_* */
		sr_js_deps *deps;         /* DEPENDENT_REQUIRED, DEPENDENT_SCHEMAS */
		sr_js_list *list;         /* ALL_OF, ANY_OF, ONE_OF */
		sr_js_if *cond;           /* IF */
		sr_js_dynref *dynref;     /* DYNAMIC_REF */
	} u;
	const char *number_source; /* multipleOf as written (messages) */
} sr_js_kw;

/** Node kinds. */
enum {
	SR_JS_NODE_SCHEMA = 0, /**< an object schema */
	SR_JS_NODE_TRUE,       /**< true, or {} */
	SR_JS_NODE_FALSE,      /**< false */
};

struct sr_js_node {
	uint8_t kind;
	bool uneval;             /**< has unevaluatedProperties/Items: collects annotations */
	bool leaf;               /**< no keyword evaluates a subschema */
	bool ref_only;           /**< just a $ref: evaluation goes straight to the target */
	unsigned types;          /**< `type`: SR_JS_K_* allowed (SR_JS_K_ANY without one) */
	bool compiled;           /**< keywords filled in */
	sr_js_kw *kws;
	size_t nkws;
	const sr_json *json;
	sr_js_resource *resource; /**< the schema resource the node belongs to */
};

/** What sr_parsed.impl points to for JSON. */
typedef struct sr_js_schema {
	sr_jsonschema_document *docs; /**< [0] the schema, then the references */
	size_t ndocs;
	sr_js_node *root;
	sr_js_resource *root_resource;
	bool dynamic;                 /**< uses $dynamicRef / $recursiveRef */
	const char **ref_names;       /**< docs[i]'s reference name (NULL for [0]) */
} sr_js_schema;

static inline const sr_js_schema *sr_js__schema(const sr_parsed *s)
{
	return (const sr_js_schema *)s->impl;
}

/* ---- compilation (compile.c) ------------------------------------------------ */

/**
 * Resolves a URI (no fragment) to a document that is not among those
 * given to the compiler: used by the conformance tests for the suite's
 * remotes. Returns the document's text (caller-owned, stays valid for the
 * compilation) or NULL.
 */
typedef const char *(*sr_js_resolver)(void *ctx, const char *uri, size_t *len);

/** A document to compile: its text, the name it is known by, and its draft when forced. */
typedef struct sr_js_source {
	const char *name;   /**< retrieval URI / reference name ("" for the schema itself) */
	const char *text;
	size_t len;
} sr_js_source;

/** Options of sr_js__compile. */
typedef struct sr_js_compile_opts {
	const sr_format_opts *limits;
	sr_js_resolver resolver;  /**< NULL: nothing beyond the documents and meta-schemas */
	void *resolver_ctx;
	bool skip_meta;           /**< do not validate against the meta-schema (trusted input) */
} sr_js_compile_opts;

/**
 * Compile `docs[0]` (the schema) with `docs[1..n)` available to its $refs.
 * On success *out is the compiled schema (arena-owned). Errors are
 * SR_EINVALID (or SR_ETOOBIG) with err->code SR_ERR_INVALID_SCHEMA (or
 * SR_ERR_SCHEMA_TOO_LARGE) and a message naming the place.
 */
int sr_js__compile(sr_js_schema **out, sr_arena *a, const sr_js_source *docs, size_t ndocs,
		   const sr_js_compile_opts *opts, sr_err *err);

/* ---- validation (validate.c) -------------------------------------------------- */

/** Validate `instance` against a compiled node (the format's validate op). */
bool sr_js__validate(const sr_js_schema *s, const sr_js_node *root, const sr_json *instance,
		     sr_validation *v);

/** Does `instance` validate (no errors recorded)? Used for meta-validation. */
bool sr_js__valid(const sr_js_node *root, const sr_json *instance, sr_arena *scratch);

/* ---- meta-schemas (metaschema.c) ---------------------------------------------- */

/** An embedded meta-schema document: its URI and parsed DOM (process lifetime). */
typedef struct sr_js_embedded {
	const char *uri;
	const sr_json *root;
	const char *text;
	size_t len;
} sr_js_embedded;

/** The embedded meta-schema document for `uri` (no fragment), or NULL. */
const sr_js_embedded *sr_js__embedded_find(const char *uri, size_t len);

/**
 * The compiled standard meta-schema of a draft (4, 6, 7, 2019, 2020),
 * built once per process on first use (thread-safe), or NULL if it could
 * not be built (a packaging error).
 */
const sr_js_schema *sr_js__metaschema(int draft);

/* ---- the format ops (parse.c, canonical.c) ------------------------------------ */

int sr_js__parse(sr_parsed *out, sr_arena *a, const char *text, size_t len,
		 const sr_ref_source *refs, size_t nrefs, const sr_format_opts *limits,
		 sr_err *err);
int sr_js__canonical(const sr_parsed *s, sr_buf *out);
int sr_js__normalize(const sr_parsed *s, sr_buf *out);
int sr_js__canonical_resolved(const sr_parsed *s, sr_buf *out);
bool sr_js__validate_op(const sr_parsed *s, const sr_json *instance, sr_validation *v);

/* ---- helpers shared by compile.c and validate.c -------------------------------- */

/** Hash of a JSON value consistent with sr_json_equal (numbers by value). */
uint64_t sr_js__value_hash(const sr_json *v);

/** sr_json_equal with fast paths for scalars. */
bool sr_js__value_equal(const sr_json *a, const sr_json *b);

#endif

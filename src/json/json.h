/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_JSON_JSON_H
#define SR_JSON_JSON_H

/**
 * The one JSON module of the program: a strict RFC 8259 parser into a DOM
 * allocated in an arena, a compact writer, a streaming writer and JSON
 * pointer lookup.
 *
 * Parser guarantees (violations are errors with an offset, line, column):
 *  - exactly one value, surrounded only by JSON whitespace;
 *  - strings are valid UTF-8 (overlongs, surrogates encoded in UTF-8 and
 *    code points above U+10FFFF are rejected), escapes are decoded, lone
 *    or mismatched \u surrogates are rejected, control characters must be
 *    escaped;
 *  - numbers follow the RFC grammar and keep their exact lexeme;
 *  - duplicate keys in one object are rejected;
 *  - nesting deeper than `max_depth` is rejected without recursion
 *    proportional to the input, so 100,000 '[' is a clean error.
 *
 * Every node and every string lives in the arena passed to the parser and
 * is valid until that arena is freed. Nodes are immutable after parsing,
 * except through the builder functions below.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

typedef enum sr_json_type {
	SR_JSON_NULL = 0,
	SR_JSON_FALSE,
	SR_JSON_TRUE,
	SR_JSON_NUMBER,
	SR_JSON_STRING,
	SR_JSON_ARRAY,
	SR_JSON_OBJECT,
} sr_json_type;

typedef struct sr_json sr_json;
typedef struct sr_json_member sr_json_member;

struct sr_json {
	sr_json_type type;
	/** STRING: bytes of the decoded string; NUMBER: bytes of the lexeme;
	 *  ARRAY: number of items; OBJECT: number of members. */
	size_t len;
	union {
		/** STRING: decoded UTF-8, NUL-terminated (may contain NUL bytes
		 *  from \u0000, so use `len`). NUMBER: the lexeme exactly as
		 *  written in the input, NUL-terminated. */
		const char *str;
		sr_json **items;           /**< ARRAY: `len` items in order */
		sr_json_member *members;   /**< OBJECT: `len` members in document order */
	} u;
};

struct sr_json_member {
	const char *key; /**< decoded UTF-8, NUL-terminated */
	size_t key_len;
	sr_json *value;
};

/** Parser limits. Zero fields mean the defaults noted. */
typedef struct sr_json_limits {
	unsigned max_depth; /**< deepest nesting of arrays/objects (default 1000) */
} sr_json_limits;

/** Where and why a parse failed. */
typedef struct sr_json_error {
	size_t offset;  /**< byte offset of the problem */
	unsigned line;  /**< 1-based */
	unsigned column;/**< 1-based, in bytes */
	bool too_deep;  /**< the depth limit was hit (callers may map it to 4xx) */
	char msg[160];  /**< e.g. "duplicate key \"name\"" */
} sr_json_error;

/**
 * Parse `text[0..len)`. On success `*out` is the root node (arena-owned) and
 * 0 is returned; on failure SR_EINVALID and `*err` (if not NULL) says why.
 */
int sr_json_parse(sr_json **out, sr_arena *a, const char *text, size_t len,
		  const sr_json_limits *limits, sr_json_error *err);

/** Where sr_json_find_in_text() found the value. */
typedef struct sr_json_found {
	const char *how;   /**< "document" (the whole text), "fenced" (a ``` block) or "embedded" */
	size_t offset;     /**< byte offset of the value in the text */
	size_t length;     /**< its length in bytes */
	unsigned line;     /**< 1-based line of its first byte */
	unsigned column;   /**< 1-based column (bytes) of its first byte */
} sr_json_found;

/**
 * Find the JSON value in free text such as a language model's output: the
 * whole text if it is one JSON value; else the first fenced code block
 * (```json ... ``` or a bare ```) whose content parses; else the first
 * object or array embedded in prose that parses. On success `*where` says
 * where it was; on failure SR_EINVALID and `*err` describes the most
 * promising attempt, with line and column counted in the whole text.
 * Bounded: at most a fixed number of candidates are tried.
 */
int sr_json_find_in_text(sr_json **out, sr_json_found *where, sr_arena *a, const char *text,
			 size_t len, const sr_json_limits *limits, sr_json_error *err);

/* ---- access ------------------------------------------------------------ */

/** Member value of an object by key, or NULL (also when `obj` is not an object). */
sr_json *sr_json_get(const sr_json *obj, const char *key);
/** Same, with a key of explicit length. */
sr_json *sr_json_getn(const sr_json *obj, const char *key, size_t key_len);

/** `obj`'s member `key` if it is a string, else NULL. */
const char *sr_json_get_string(const sr_json *obj, const char *key);

static inline bool sr_json_is_string(const sr_json *v) { return v && v->type == SR_JSON_STRING; }
static inline bool sr_json_is_object(const sr_json *v) { return v && v->type == SR_JSON_OBJECT; }
static inline bool sr_json_is_array(const sr_json *v) { return v && v->type == SR_JSON_ARRAY; }
static inline bool sr_json_is_number(const sr_json *v) { return v && v->type == SR_JSON_NUMBER; }
static inline bool sr_json_is_bool(const sr_json *v) { return v && (v->type == SR_JSON_TRUE || v->type == SR_JSON_FALSE); }

/**
 * What kind of value `v` is, for messages: "null", "a boolean", "a number",
 * "a string", "an array" or "an object" (a static string).
 */
const char *sr_json_kind(const sr_json *v);

/** True if the number lexeme has no fraction and no exponent. */
bool sr_json_number_is_integer(const sr_json *v);

/**
 * The number as int64 when its lexeme is an integer (no '.', no exponent)
 * within range; else SR_EINVALID.
 */
int sr_json_number_to_i64(const sr_json *v, int64_t *out);

/** The number as the nearest double (strtod of the lexeme). */
double sr_json_number_to_double(const sr_json *v);

/** Structural equality (numbers compare by mathematical value, objects ignore member order). */
bool sr_json_equal(const sr_json *a, const sr_json *b);

/**
 * A hash consistent with sr_json_equal: equal values hash alike (numbers by
 * value, objects regardless of member order), so sets of JSON values can
 * be built without quadratic comparisons. Not stable across releases.
 */
uint64_t sr_json_hash(const sr_json *v);

/**
 * RFC 6901 JSON pointer lookup: `ptr[0..len)` such as "/fields/0/type"
 * ("" is the root). Handles ~0 and ~1. Returns NULL if absent.
 */
sr_json *sr_json_pointer(const sr_json *root, const char *ptr, size_t len);

/**
 * Append `tok[0..n)` as an RFC 6901 reference token: '~' as "~0", '/' as
 * "~1", every other byte as is (no leading '/'). Written byte by byte: at
 * `out`'s ceiling what does not fit is left out and SR_ETOOBIG returned;
 * else 0.
 */
int sr_json_pointer_put_token(sr_buf *out, const char *tok, size_t n);

/* ---- building (for synthesised documents) ------------------------------ */

sr_json *sr_json_new(sr_arena *a, sr_json_type type);
sr_json *sr_json_new_string(sr_arena *a, const char *s, size_t len);
/** A number node whose lexeme is `lexeme` (copied; must be a valid JSON number). */
sr_json *sr_json_new_number(sr_arena *a, const char *lexeme, size_t len);
sr_json *sr_json_new_i64(sr_arena *a, int64_t v);
/** Append to an array (amortised O(1)). */
void sr_json_array_append(sr_arena *a, sr_json *arr, sr_json *item);
/** Append a member to an object (no duplicate check; key is copied). */
void sr_json_object_append(sr_arena *a, sr_json *obj, const char *key,
			   size_t key_len, sr_json *value);

/* ---- writing ----------------------------------------------------------- */

/**
 * Append the compact serialization of `v` (no whitespace, members in their
 * order, number lexemes verbatim, strings escaped as sr_buf_put_json_string
 * does). 0, or SR_ETOOBIG when `out`'s ceiling is hit.
 */
int sr_json_write(sr_buf *out, const sr_json *v);

/** Like sr_json_write() but object members sorted by key (bytewise). */
int sr_json_write_sorted(sr_buf *out, const sr_json *v);

/**
 * Sort `n` member pointers in place by key, bytewise (a key that is a
 * prefix of another comes first), the order sr_json_write_sorted() writes
 * members in. Equal keys (only possible in built documents) keep their
 * order in memory, so the result is deterministic.
 */
void sr_json_sort_members(const sr_json_member **members, size_t n);

/**
 * Streaming writer for responses: keeps the comma state so callers write
 * values in order. Errors (ceiling hit) are sticky in `rc`.
 */
typedef struct sr_jw {
	sr_buf *out;
	int rc;          /**< 0, or the first error */
	unsigned depth;
	uint64_t first;  /**< bit d set = nothing written yet at depth d (max 63) */
	bool after_key;
} sr_jw;

void sr_jw_init(sr_jw *w, sr_buf *out);
void sr_jw_object_begin(sr_jw *w);
void sr_jw_object_end(sr_jw *w);
void sr_jw_array_begin(sr_jw *w);
void sr_jw_array_end(sr_jw *w);
void sr_jw_key(sr_jw *w, const char *key);
void sr_jw_keyn(sr_jw *w, const char *key, size_t len);
void sr_jw_string(sr_jw *w, const char *s);
void sr_jw_stringn(sr_jw *w, const char *s, size_t len);
void sr_jw_i64(sr_jw *w, int64_t v);
void sr_jw_bool(sr_jw *w, bool v);
void sr_jw_null(sr_jw *w);
/** Insert already-serialized JSON verbatim as one value. */
void sr_jw_raw(sr_jw *w, const char *json, size_t len);
/** Insert a DOM value. */
void sr_jw_value(sr_jw *w, const sr_json *v);

#endif

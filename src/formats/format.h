/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_FORMATS_FORMAT_H
#define SR_FORMATS_FORMAT_H

/**
 * A schema format is a descriptor row (data) plus an ops table
 * (behaviour), so that the registry and the compatibility driver never
 * switch on the format. Formats know core/ and json/ only.
 *
 * Lifetimes: a parsed schema and everything it points to live in the arena
 * given to parse(); ops never free anything.
 */

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "json/json.h"

typedef struct sr_format sr_format;

/** A parsed, validated schema: the format plus its private representation. */
typedef struct sr_parsed {
	const sr_format *format;
	void *impl; /**< format-private, arena-owned */
} sr_parsed;

/**
 * A reference resolved by the registry: the name the referring schema uses
 * (Avro: the full name of a type it defines; JSON Schema: the $ref URI;
 * Protobuf: the import path) and the referenced schema's stored text.
 * The registry passes the transitive closure, dependencies first, without
 * duplicates.
 */
typedef struct sr_ref_source {
	const char *name;
	const char *text;
	size_t len;
} sr_ref_source;

/** What parse() needs from configuration: ceilings and format defaults. */
typedef struct sr_format_opts {
	unsigned max_json_depth;  /**< deepest nesting of the schema's JSON */
	size_t max_schema_bytes;  /**< longest schema text */
	/** JSON Schema: the dialect ($schema URI) assumed when a schema has
	 *  none; NULL = draft-07 (Confluent's default). */
	const char *default_dialect;
} sr_format_opts;

/**
 * Differences found by a compatibility check, in Confluent's message form
 * (each entry one string, e.g. "{errorType:'TYPE_MISMATCH', description:
 * '...', additionalInfo:'...'}"). `reader_label`/`writer_label` are "new"
 * or "old", depending on the direction the driver checks, so that formats
 * can word their descriptions as Confluent does.
 */
typedef enum sr_compat_policy {
	SR_COMPAT_POLICY_STRICT = 0, /**< Confluent's default */
	SR_COMPAT_POLICY_LENIENT,    /**< JSON Schema: open content models relaxed */
} sr_compat_policy;

typedef struct sr_compat_report {
	sr_arena *arena;            /**< messages are allocated here */
	sr_compat_policy policy;    /**< set by the caller from the config */
	const char *reader_label;   /**< "new" for BACKWARD, "old" for FORWARD */
	const char *writer_label;
	char **messages;
	size_t count;
	size_t cap;
	size_t max_messages;        /**< stop recording after this many (0 = 100) */
} sr_compat_report;

/** Append one message (printf-style). */
void sr_compat_report_add(sr_compat_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** One reason a document is invalid, in the spirit of the JSON Schema
 *  output formats ("basic"). Strings live in the validation's arena. */
typedef struct sr_validation_error {
	const char *instance_location; /**< JSON pointer into the document */
	const char *keyword_location;  /**< JSON pointer into the schema, as traversed */
	const char *message;           /**< precise enough to send back to a model */
} sr_validation_error;

/** A validation in progress: its options and the errors found. */
typedef struct sr_validation {
	sr_arena *arena;          /**< errors are allocated here */
	bool flag_only;           /**< only the verdict is wanted: stop at the first error */
	bool format_assertion;    /**< `format` asserts instead of annotating */
	size_t max_errors;        /**< stop recording after this many (0 = 100) */
	sr_validation_error *errors;
	size_t count;
	size_t cap;
} sr_validation;

/** Record an error (printf-style message). Locations are copied. */
void sr_validation_add(sr_validation *v, const char *instance_location,
		       const char *keyword_location, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

typedef struct sr_format_ops {
	/**
	 * Parse and validate `text[0..len)` given the resolved references.
	 * On failure: SR_EINVALID with err->code = SR_ERR_INVALID_SCHEMA and a
	 * message naming the problem and where it is.
	 */
	int (*parse)(sr_parsed *out, sr_arena *a, const char *text, size_t len,
		     const sr_ref_source *refs, size_t nrefs,
		     const sr_format_opts *limits, sr_err *err);

	/** Append the canonical string: what the registry stores and returns. */
	int (*canonical)(const sr_parsed *s, sr_buf *out);

	/** Append the normalized string (the `normalize=true` identity). */
	int (*normalize)(const sr_parsed *s, sr_buf *out);

	/**
	 * Append the canonical string with everything taken from references
	 * written out in place: the form a client sends when it has resolved
	 * the references itself. Lookup matches such a schema against stored
	 * versions that have references (Confluent's canLookup). Optional.
	 */
	int (*canonical_resolved)(const sr_parsed *s, sr_buf *out);

	/**
	 * Can a consumer using `reader` read data produced with `writer`?
	 * Appends each incompatibility to `report`; returns true if compatible.
	 * Must terminate and stay bounded for any pair of schemas.
	 */
	bool (*compatible)(const sr_parsed *reader, const sr_parsed *writer,
			   sr_compat_report *report);

	/**
	 * Is `instance` (a parsed JSON document) valid under `s`? Errors are
	 * appended to `v`. Must be safe to call from many threads at once on
	 * the same parsed schema, and bounded for any input. Optional.
	 */
	bool (*validate)(const sr_parsed *s, const sr_json *instance, sr_validation *v);
} sr_format_ops;

/** Capability bits of a format. */
enum {
	SR_FORMAT_REFERENCES = 1u << 0, /**< supports schema references */
};

struct sr_format {
	const char *name;         /**< schemaType: "AVRO", "JSON", "PROTOBUF" */
	unsigned flags;           /**< SR_FORMAT_* */
	const sr_format_ops *ops;
};

/**
 * Parse the JSON text of a schema, `text[0..len)`, into `a` (the nodes are
 * arena-owned), for a format's parse(). `ref_name` is the name of the
 * reference the text belongs to (NULL: the schema itself); messages name
 * it. Returns 0 with the root in `*out`, or:
 * - SR_ETOOBIG (SR_ERR_SCHEMA_TOO_LARGE) when `limits` sets
 *   max_schema_bytes and the text is longer: "Schema too large: N bytes
 *   (reference "R"), the limit is M";
 * - SR_EINVALID (SR_ERR_INVALID_SCHEMA) when the text is not JSON or nests
 *   deeper than `max_depth`: "Invalid schema: in reference "R": invalid
 *   JSON: MSG at line L, column C", or, for the nesting when `say_depth`,
 *   "Invalid schema: in reference "R": the schema nests deeper than N
 *   levels".
 * (the parts naming R only for a reference). `limits` may be NULL (no size
 * ceiling), `err` too.
 */
int sr_format_parse_json(sr_json **out, sr_arena *a, const char *text, size_t len,
			 unsigned max_depth, const sr_format_opts *limits, const char *ref_name,
			 bool say_depth, sr_err *err);

/** The format named `name` (exact, upper case), or NULL if unknown or not supported. */
const sr_format *sr_format_find(const char *name);

/** Supported formats in display order, NULL-terminated. */
const sr_format *const *sr_format_all(void);

#endif

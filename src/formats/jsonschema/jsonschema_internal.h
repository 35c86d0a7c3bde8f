/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_FORMATS_JSONSCHEMA_INTERNAL_H
#define SR_FORMATS_JSONSCHEMA_INTERNAL_H

/*
 * Shared between the parts of src/formats/jsonschema/ (not a public
 * interface): what the compatibility checker needs from a parsed schema,
 * the checker itself, and the URI fragment decoding both sides use.
 */

#include <stdbool.h>
#include <stddef.h>

#include "formats/format.h"
#include "json/json.h"

/** One document of a parsed JSON Schema. */
typedef struct sr_jsonschema_document {
	const char *uri;     /**< base URI: its $id, the reference name, or "" */
	const sr_json *root; /**< the document as parsed (arena-owned) */
	int draft;           /**< 4, 6, 7, 2019 or 2020 */
} sr_jsonschema_document;

/**
 * The documents of a parsed schema: [0] is the schema itself, then every
 * referenced schema (by reference name, dependencies first). Valid as long
 * as the parsed schema.
 */
void sr_jsonschema__documents(const sr_parsed *s, const sr_jsonschema_document **out,
			      size_t *n);

/**
 * uri.c: percent-decode `s[0..n)` for a JSON pointer or an anchor taken
 * from a URI fragment, leniently: "%" followed by two hex digits becomes
 * that byte, anything else (a "%" without them included) is kept as is.
 * Returns a NUL-terminated copy in `a`, its length in `*out_len`.
 */
char *sr_jsonschema__percent_decode(sr_arena *a, const char *s, size_t n, size_t *out_len);

/** compat.c: Confluent's JSON Schema compatibility (reader can read writer's documents). */
bool sr_jsonschema__compatible(const sr_parsed *reader, const sr_parsed *writer,
			       sr_compat_report *report);

/** One difference found by the compatibility checker. */
typedef struct sr_jsonschema_diff {
	const char *type; /**< Confluent's Difference.Type, e.g. "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL" */
	const char *path; /**< Confluent's JSON path, e.g. "#/properties/a/items" */
	bool compatible;  /**< in the compatible set of the policy asked for */
} sr_jsonschema_diff;

/**
 * compat.c: every difference (compatible ones included) that Confluent's
 * SchemaDiff.compare(original, update) reports, in its order; BACKWARD
 * checks (original = old, update = new). `policy` matters because
 * combinators and partially open content models are matched by
 * compatibility. Strings live in `a`. Returns false when the check's work
 * budget ran out (the list is then incomplete and the pair incompatible).
 */
bool sr_jsonschema__differences(sr_arena *a, const sr_parsed *original, const sr_parsed *update,
				sr_compat_policy policy, sr_jsonschema_diff **out, size_t *n);

/** compat_check.c: sr_jsonschema__differences() on documents. */
bool sr_jsonschema__differences_documents(sr_arena *a, const sr_jsonschema_document *original,
					  size_t noriginal,
					  const sr_jsonschema_document *update, size_t nupdate,
					  sr_compat_policy policy, sr_jsonschema_diff **out,
					  size_t *n);

/** compat_check.c: sr_jsonschema__compatible() on documents. */
bool sr_jsonschema__compatible_documents(const sr_jsonschema_document *reader, size_t nreader,
					 const sr_jsonschema_document *writer, size_t nwriter,
					 sr_compat_report *report);

#endif

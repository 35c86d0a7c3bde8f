/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_FORMATS_JSONSCHEMA_INTERNAL_H
#define SR_FORMATS_JSONSCHEMA_INTERNAL_H

/*
 * Shared between the parts of src/formats/jsonschema/ (not a public
 * interface): what the compatibility checker needs from a parsed schema,
 * and the checker itself.
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

/** compat.c: Confluent's JSON Schema compatibility (reader can read writer's documents). */
bool sr_jsonschema__compatible(const sr_parsed *reader, const sr_parsed *writer,
			       sr_compat_report *report);

#endif

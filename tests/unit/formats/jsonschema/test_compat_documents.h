/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_TESTS_JSONSCHEMA_COMPAT_DOCUMENTS_H
#define SR_TESTS_JSONSCHEMA_COMPAT_DOCUMENTS_H

/**
 * The documents the JSON Schema compatibility checker works on, made from
 * JSON parsed without the validator: shared by the compatibility tests
 * (test_compat_helpers.c) and the fuzz target fuzz/jsonschema_compat.c,
 * so that both hand the checker the same documents. Header only, no test
 * framework: include it.
 */

#include <string.h>

#include "formats/jsonschema/jsonschema_internal.h"
#include "json/json.h"

/**
 * The draft a schema's "$schema" names (4, 6, 7, 2019 or 2020); 7 when it
 * names none or another.
 */
static inline int sr_test_compat_draft(const sr_json *root)
{
	const char *s = sr_json_get_string(root, "$schema");

	if (!s)
		return 7;
	if (strstr(s, "draft-04"))
		return 4;
	if (strstr(s, "draft-06"))
		return 6;
	if (strstr(s, "2019-09"))
		return 2019;
	if (strstr(s, "2020-12"))
		return 2020;
	return 7;
}

/**
 * Fill `out` with the document `root` (borrowed) of the draft it names, at
 * base URI `uri` (borrowed); a NULL `uri` means the root's own id ("id" in
 * draft 4, "$id" after), or "" when it has none.
 */
static inline void sr_test_compat_document(sr_jsonschema_document *out, const sr_json *root,
					   const char *uri)
{
	out->root = root;
	out->draft = sr_test_compat_draft(root);
	out->uri = uri ? uri : sr_json_get_string(root, out->draft == 4 ? "id" : "$id");
	if (!out->uri)
		out->uri = "";
}

#endif

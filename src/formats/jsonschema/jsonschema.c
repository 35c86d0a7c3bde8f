/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The JSON format descriptor: the ops table over parse.c, canonical.c,
 * validate.c and compat.c. JSON Schema supports schema references ($ref
 * to other registered schemas, by the reference name).
 */
#include "formats/jsonschema/jsonschema.h"

#include "formats/jsonschema/compiled.h"

static const sr_format_ops ops = {
	.parse = sr_js__parse,
	.canonical = sr_js__canonical,
	.normalize = sr_js__normalize,
	.canonical_resolved = sr_js__canonical_resolved,
	.compatible = sr_jsonschema__compatible,
	.validate = sr_js__validate_op,
};

const sr_format sr_format_jsonschema = { "JSON", SR_FORMAT_REFERENCES, &ops };

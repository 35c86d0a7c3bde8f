/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The AVRO format descriptor: the ops table over parse.c, canonical.c,
 * normalize.c, compat.c and validate.c. Avro supports schema references (named types
 * defined by other registered schemas).
 */
#include "formats/avro/avro.h"

#include "formats/avro/avro_internal.h"

static const sr_format_ops avro_ops = {
	.parse = sr_avro__parse,
	.canonical = sr_avro__canonical,
	.normalize = sr_avro__normalize,
	.canonical_resolved = sr_avro__canonical_resolved,
	.compatible = sr_avro__compatible,
	.validate = sr_avro__validate,
};

const sr_format sr_format_avro = {
	.name = "AVRO",
	.flags = SR_FORMAT_REFERENCES,
	.ops = &avro_ops,
};

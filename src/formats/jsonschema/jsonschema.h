/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_FORMATS_JSONSCHEMA_JSONSCHEMA_H
#define SR_FORMATS_JSONSCHEMA_JSONSCHEMA_H

/**
 * JSON Schema (drafts 4, 6, 7, 2019-09 and 2020-12) as the registry's JSON
 * format: parse (validated against its meta-schema), canonical and
 * normalized strings, compatibility by Confluent's rules, and validation of
 * documents with a compiled validator.
 */

#include "formats/format.h"

/** The JSON format (descriptor + ops). */
extern const sr_format sr_format_jsonschema;

#endif

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_FORMATS_AVRO_AVRO_H
#define SR_FORMATS_AVRO_AVRO_H

/**
 * Apache Avro schemas: the AVRO format descriptor for the registry, plus
 * the Avro-specific operations that are not part of the format vtable
 * (Parsing Canonical Form and its CRC-64-AVRO fingerprint).
 */

#include <stdint.h>

#include "core/buf.h"
#include "formats/format.h"

/** The AVRO format (descriptor + ops). */
extern const sr_format sr_format_avro;

/** Append the Parsing Canonical Form of a parsed Avro schema. */
int sr_avro_parsing_canonical_form(const sr_parsed *s, sr_buf *out);

/** CRC-64-AVRO fingerprint of the Parsing Canonical Form. */
uint64_t sr_avro_fingerprint(const sr_parsed *s);

#endif

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_CORE_UTF8_H
#define SR_CORE_UTF8_H

/** UTF-8 validation (RFC 3629: no overlongs, no surrogates, <= U+10FFFF). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/**
 * Decode the sequence at `s[0..len)` (len >= 1): its length 1..4 with the
 * code point in `*cp`, or 0 when the bytes are not valid UTF-8.
 */
size_t sr_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/** Is `s[0..len)` entirely valid UTF-8? */
bool sr_utf8_valid(const char *s, size_t len);

/** Append `s[0..len)` with every invalid byte replaced by U+FFFD. */
int sr_utf8_put_sanitized(sr_buf *out, const char *s, size_t len);

#endif

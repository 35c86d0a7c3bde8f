/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_JSON_INTERNAL_H
#define SR_JSON_INTERNAL_H

/**
 * Shared by the files of src/json/ only: the number grammar and the
 * item/member vectors of arrays and objects.
 */

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "json/json.h"

static inline bool sr_json__is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/**
 * Scan the RFC 8259 number at the start of `s[0..len)`:
 *   -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
 * Returns the length of the number (the longest match; the caller decides
 * what may follow it), or 0 when there is none, with `*bad` the offset of
 * the offending byte and `*why` a short message.
 */
static inline size_t sr_json__scan_number(const char *s, size_t len, size_t *bad,
					  const char **why)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	if (i < len && p[i] == '-')
		i++;
	if (i < len && p[i] == '0') {
		i++;
		if (i < len && sr_json__is_digit(p[i])) {
			*bad = i;
			*why = "leading zero in number";
			return 0;
		}
	} else if (i < len && sr_json__is_digit(p[i])) {
		while (i < len && sr_json__is_digit(p[i]))
			i++;
	} else {
		*bad = i;
		*why = "expected a digit in number";
		return 0;
	}
	if (i < len && p[i] == '.') {
		i++;
		if (i >= len || !sr_json__is_digit(p[i])) {
			*bad = i;
			*why = "expected a digit after '.' in number";
			return 0;
		}
		while (i < len && sr_json__is_digit(p[i]))
			i++;
	}
	if (i < len && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < len && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i >= len || !sr_json__is_digit(p[i])) {
			*bad = i;
			*why = "expected a digit in exponent";
			return 0;
		}
		while (i < len && sr_json__is_digit(p[i]))
			i++;
	}
	return i;
}

/**
 * Item and member arrays carry their capacity in a size_t stored just
 * before the first element, so that sr_json_array_append() and
 * sr_json_object_append() grow parsed and built containers alike in
 * amortised O(1) without a capacity field in sr_json. NULL = capacity 0.
 */
void *sr_json__vec_new(sr_arena *a, size_t cap, size_t elem);

/** Exact numeric equality of two valid number lexemes. */
bool sr_json__number_equal(const char *a, size_t alen, const char *b, size_t blen);

#endif

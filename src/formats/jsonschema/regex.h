/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_FORMATS_JSONSCHEMA_REGEX_H
#define SR_FORMATS_JSONSCHEMA_REGEX_H

/**
 * ECMA-262 regular expressions, as JSON Schema's `pattern`,
 * `patternProperties` and the "regex" format use them, on PCRE2.
 *
 * The ECMA-262 syntax is translated to PCRE2's where they differ (e.g. \d
 * and \w are ASCII-only, `$` does not match before a final newline,
 * \cX, \u{...} and \uXXXX escapes, character-class details) and matched in
 * UTF mode against UTF-8 input. Matching is bounded: PCRE2's match and depth
 * limits are set so that no pattern (catastrophic backtracking included)
 * holds a thread; hitting a limit is reported, never a hang.
 *
 * A compiled regex is immutable and may be used by many threads at once;
 * matching allocates its match data per call (or per thread).
 */

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/error.h"

typedef struct sr_regex sr_regex;

/**
 * Compile `pattern[0..len)` (UTF-8). The regex lives until sr_regex_free
 * (it is not arena memory: PCRE2 owns it). Invalid or unsupported ECMA-262
 * syntax: SR_EINVALID with a message naming the problem and its offset.
 */
int sr_regex_compile(sr_regex **out, const char *pattern, size_t len, sr_err *err);

/** Free a compiled regex. NULL is a no-op. */
void sr_regex_free(sr_regex *re);

/** Outcome of a search. */
typedef enum sr_regex_result {
	SR_REGEX_NOMATCH = 0,
	SR_REGEX_MATCH = 1,
	SR_REGEX_LIMIT = -1, /**< a match or depth limit was hit: no verdict */
} sr_regex_result;

/**
 * Search `subject[0..len)` (UTF-8) for a match anywhere (JSON Schema
 * patterns are not anchored). Thread-safe.
 */
sr_regex_result sr_regex_search(const sr_regex *re, const char *subject, size_t len);

/**
 * Is `pattern` a valid ECMA-262 regular expression (Unicode mode, as
 * JSON Schema asks)? This is the "regex" format: ECMA-262's grammar and
 * early errors only, so a valid pattern that the engine cannot run (see
 * sr_regex_compile) is still valid here.
 */
bool sr_regex_valid(const char *pattern, size_t len);

/**
 * Semi-private (tests, diagnostics): append the PCRE2 pattern that
 * `pattern` translates to to `out`. 0, or SR_EINVALID as sr_regex_compile
 * reports it (out then holds a partial translation).
 */
int sr_regex__translate(sr_buf *out, const char *pattern, size_t len, sr_err *err);

#endif

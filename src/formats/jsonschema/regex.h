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
 * The dialect is ECMA-262 with the "u" flag (Unicode mode), which JSON
 * Schema recommends and the JSON-Schema-Test-Suite expects: \u{...} and
 * \p{...} are available, a surrogate pair \uD83D\uDE00 is one code point,
 * and the Unicode-mode early errors apply (e.g. \a or a lone { is
 * invalid). The pattern is translated to PCRE2's syntax where the two
 * differ (\d \w \b ASCII-only, \s Unicode whitespace, `$` only at the
 * very end, `.` not matching line terminators, \cX, backreferences to
 * unset groups matching the empty string, ...; regex.c lists them all)
 * and matched in UTF mode against UTF-8 input. Matching is bounded: the
 * match, depth and heap limits and the JIT stack cut catastrophic
 * backtracking off within milliseconds; hitting a limit is reported
 * (SR_REGEX_LIMIT), never a hang.
 *
 * A compiled regex is immutable and may be used by many threads at once;
 * each thread keeps its own match data, so a search does not allocate.
 */

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/error.h"

typedef struct sr_regex sr_regex;

/**
 * Compile `pattern[0..len)` (UTF-8). The regex lives until sr_regex_free
 * (it is not arena memory: PCRE2 owns it). A pattern that Unicode mode
 * rejects only for an identity escape of ASCII punctuation (\-, \@) or a
 * lone { } ] is compiled with those as literals (ECMA-262 Annex B): schemas
 * written for Java — Confluent's validator — or for ECMA-262 without the
 * u flag use them, and must register here too. Invalid ECMA-262, or valid
 * ECMA-262 that PCRE2 cannot run (a lookbehind whose branches are not of
 * fixed length, a repeat count above 65535, a Unicode property newer than
 * PCRE2's tables): SR_EINVALID with code SR_ERR_INVALID_SCHEMA and a
 * message naming the problem ("invalid regular expression: ... at offset
 * N" or "regular expression not supported: ...").
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
 * Semi-private (tests, fuzzing): is `pattern` valid once Annex B's
 * literals are allowed (identity escapes of ASCII punctuation, a lone
 * { } ])? sr_regex_compile accepts exactly the patterns valid here that
 * PCRE2 can run.
 */
bool sr_regex__valid_lenient(const char *pattern, size_t len);

/**
 * Semi-private (tests, diagnostics): append the PCRE2 pattern that
 * `pattern` translates to to `out`. 0, or SR_EINVALID as sr_regex_compile
 * reports it (out then holds a partial translation).
 */
int sr_regex__translate(sr_buf *out, const char *pattern, size_t len, sr_err *err);

#endif

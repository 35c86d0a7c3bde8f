/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_TESTS_UNIT_TEST_UTIL_H
#define SR_TESTS_UNIT_TEST_UTIL_H

/**
 * Helpers any unit test program may use: parsing JSON text, reading a
 * data file, and parsing one as JSON, a format's rendering of a parsed
 * schema as a string, and lookup in a list of expected deviations. Header only (the build compiles each test program from a
 * single file and adds -Itests/unit): `#include "test_util.h"`. Tests run
 * with the repository root as the working directory, so paths are relative
 * to it.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "formats/format.h"
#include "json/json.h"

/**
 * The whole file at `path`, NUL-terminated (malloc'd: the caller frees it),
 * or NULL when it cannot be read. Its length (without the NUL) goes to
 * `*len` unless `len` is NULL.
 */
static inline char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/**
 * `text[0..len)` parsed as JSON into `a` (nesting up to 1,000,000 deep; the
 * nodes are arena-owned). A text that does not parse fails the test.
 */
static inline sr_json *json_of_n(sr_arena *a, const char *text, size_t len)
{
	sr_json_limits lim = { 1000000 };
	sr_json_error je;
	sr_json *doc = NULL;

	if (sr_json_parse(&doc, a, text, len, &lim, &je) != 0)
		fail_msg("bad JSON in test: %s at %u:%u: %.*s", je.msg, je.line, je.column,
			 (int)len, text);
	return doc;
}

/** The same for a NUL-terminated text. */
static inline sr_json *json_of(sr_arena *a, const char *text)
{
	return json_of_n(a, text, strlen(text));
}

/**
 * The JSON file at `path` parsed into `a` (nesting up to 10000 deep; the
 * nodes are arena-owned), or NULL when the file cannot be read (a draft of
 * the test suite that does not have it). A file that does not parse fails
 * the test.
 */
static inline sr_json *load_json_if_present(sr_arena *a, const char *path)
{
	size_t len = 0;
	char *text = read_file(path, &len);
	sr_json_limits lim = { 10000 };
	sr_json_error je;
	sr_json *doc = NULL;

	if (!text)
		return NULL;
	if (sr_json_parse(&doc, a, text, len, &lim, &je) != 0)
		fail_msg("%s: %s at %u:%u", path, je.msg, je.line, je.column);
	free(text);
	return doc;
}

/**
 * The same for a file that must be there: one that cannot be read fails
 * the test. Never returns NULL.
 */
static inline sr_json *load_json(sr_arena *a, const char *path)
{
	sr_json *doc = load_json_if_present(a, path);

	if (!doc)
		fail_msg("cannot read %s (run the tests from the repository root)", path);
	return doc;
}

/** A format op that renders a parsed schema (canonical, normalize, ...). */
typedef int (*render_fn)(const sr_parsed *s, sr_buf *out);

/** What `fn` renders for `p`, copied into `a`; the test fails when it fails. */
static inline const char *render(sr_arena *a, render_fn fn, const sr_parsed *p)
{
	sr_buf b = SR_BUF_INIT;
	const char *s;

	assert_int_equal(fn(p, &b), 0);
	s = sr_arena_strndup(a, b.ptr ? b.ptr : "", b.len);
	sr_buf_dispose(&b);
	return s;
}

/** Is `s` one of the strings of the NULL-terminated `list`? */
static inline bool listed(const char *const *list, const char *s)
{
	size_t i;

	for (i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

#endif

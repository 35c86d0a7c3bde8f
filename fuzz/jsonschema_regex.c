/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Fuzz target for the ECMA-262 regular expressions of JSON Schema and the
 * format checkers. The input is a pattern and a subject split at the
 * first NUL byte (no NUL: the input is both). The pattern is compiled and
 * the subject searched; the search must end within the match limits (a
 * slow input is a bug) and give the same answer twice. The validity checks
 * must agree with the compiler: a pattern that compiles is valid, at least
 * under Annex B's literals (which the compiler accepts), and when a
 * valid pattern does not compile, PCRE2's reason must be one of the
 * documented limits of the engine (anything else is a translation bug).
 * Every format checker runs on the subject.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "formats/jsonschema/formats.h"
#include "formats/jsonschema/regex.h"

static const char *const format_names[] = {
	"date-time", "date",	     "time",	"duration",	 "email",	  "idn-email",
	"hostname",  "idn-hostname", "ipv4",	"ipv6",		 "uri",		  "uri-reference",
	"iri",	     "iri-reference", "uri-template", "json-pointer", "relative-json-pointer",
	"regex",     "uuid",
};

static void fail(const char *what, const uint8_t *p, size_t n)
{
	fprintf(stderr, "jsonschema_regex: %s: /%.*s/\n", what, (int)n, (const char *)p);
	abort();
}

/* Why PCRE2 may refuse a translation of valid ECMA-262: its own limits. */
static bool engine_limit(int code)
{
	switch (code) {
	case PCRE2_ERROR_LOOKBEHIND_NOT_FIXED_LENGTH:
	case PCRE2_ERROR_LOOKBEHIND_TOO_COMPLICATED:
	case PCRE2_ERROR_LOOKBEHIND_TOO_LONG:
	case PCRE2_ERROR_PATTERN_TOO_LARGE:
	case PCRE2_ERROR_PATTERN_TOO_COMPLICATED:
	case PCRE2_ERROR_PARENTHESES_NEST_TOO_DEEP:
	case PCRE2_ERROR_HEAP_FAILED:
	case PCRE2_ERROR_TOO_MANY_CAPTURES:
		return true;
	default:
		return false;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t plen = nul ? (size_t)(nul - data) : size;
	const char *subject = nul ? (const char *)nul + 1 : (const char *)data;
	size_t slen = nul ? size - plen - 1 : size;
	sr_regex *re = NULL;
	sr_err err = SR_ERR_INIT;
	bool valid = sr_regex_valid((const char *)data, plen);
	size_t i;

	if (sr_regex_compile(&re, (const char *)data, plen, &err) == 0) {
		sr_regex_result r1, r2;

		if (!valid && !sr_regex__valid_lenient((const char *)data, plen))
			fail("compiles but is not valid, even under Annex B", data, plen);
		r1 = sr_regex_search(re, subject, slen);
		r2 = sr_regex_search(re, subject, slen);
		if (r1 != r2)
			fail("two searches disagree", data, plen);
		sr_regex_free(re);
	} else if (!valid || (strstr(err.msg.ptr, "not supported") && strstr(err.msg.ptr, "offset"))) {
		/* invalid, or valid but flagged by the translator as beyond PCRE2 */
	} else if (strstr(err.msg.ptr, "not supported")) {
		/* PCRE2 refused the translation: check its reason */
		sr_buf pcre = SR_BUF_INIT;
		sr_err e2 = SR_ERR_INIT;
		int code = 0;
		PCRE2_SIZE off;
		pcre2_code *c;

		if (sr_regex__translate(&pcre, (const char *)data, plen, &e2) != 0)
			fail("translation fails after validation", data, plen);
		c = pcre2_compile((PCRE2_SPTR)(pcre.ptr ? pcre.ptr : ""), pcre.len,
				  PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_MATCH_UNSET_BACKREF,
				  &code, &off, NULL);
		if (c)
			pcre2_code_free(c);
		else if (!engine_limit(code)) {
			fprintf(stderr, "PCRE2 error %d at %zu in %.*s\n", code, (size_t)off,
				(int)pcre.len, pcre.ptr);
			fail("translation rejected by PCRE2", data, plen);
		}
		sr_buf_dispose(&pcre);
		sr_err_dispose(&e2);
	} else {
		fail("valid but does not compile", data, plen);
	}
	sr_err_dispose(&err);

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		sr_format_checker check = sr_format_checker_find(format_names[i], 2020);

		if (!check)
			fail("a format is missing", (const uint8_t *)format_names[i],
			     strlen(format_names[i]));
		check(subject, slen);
	}
	return 0;
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Fuzz target for the JSON Schema validator. Input: a schema, a NUL byte,
 * then a document (inputs without a NUL are split in the middle). When
 * the schema compiles and the document parses, the document is validated
 * with errors collected and flag-only, with and without format
 * assertion: the two modes must agree, an invalid verdict must come with
 * at least one error and a valid one with none, and every error must
 * carry locations that are JSON pointers. Any mismatch aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/error.h"
#include "formats/jsonschema/jsonschema.h"

static void check(int ok, const char *what, const char *schema, size_t slen)
{
	if (!ok) {
		fprintf(stderr, "jsonschema_validate: %s\n  schema: %.*s\n", what, (int)slen, schema);
		abort();
	}
}

static int pointer_ok(const char *p)
{
	return p && (p[0] == '\0' || p[0] == '/');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const sr_format_opts limits = { 64, 1 << 16, NULL };
	const sr_format_ops *ops = sr_format_jsonschema.ops;
	const char *text = (const char *)data;
	const char *nul = memchr(data, '\0', size);
	size_t slen = nul ? (size_t)(nul - text) : size / 2;
	size_t doff = nul ? slen + 1 : slen;
	sr_arena *a = sr_arena_new(0);
	sr_json_limits jl = { 64 };
	sr_err err = SR_ERR_INIT;
	sr_json *doc = NULL;
	sr_parsed p;
	int fmt;

	if (ops->parse(&p, a, text, slen, NULL, 0, &limits, &err) != 0 ||
	    sr_json_parse(&doc, a, text + doff, size - doff, &jl, NULL) != 0)
		goto done;
	for (fmt = 0; fmt < 2; fmt++) {
		sr_validation full, flag;
		bool v1, v2;
		size_t i;

		memset(&full, 0, sizeof(full));
		full.arena = a;
		full.format_assertion = fmt;
		memset(&flag, 0, sizeof(flag));
		flag.arena = a;
		flag.flag_only = true;
		flag.format_assertion = fmt;
		v1 = ops->validate(&p, doc, &full);
		v2 = ops->validate(&p, doc, &flag);
		check(v1 == v2, "flag-only verdict differs", text, slen);
		check(v1 == (full.count == 0), "verdict and errors disagree", text, slen);
		for (i = 0; i < full.count; i++)
			check(pointer_ok(full.errors[i].instance_location) &&
			      pointer_ok(full.errors[i].keyword_location) && full.errors[i].message[0],
			      "malformed error", text, slen);
	}
done:
	sr_err_dispose(&err);
	sr_arena_free(a);
	return 0;
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Fuzz target for the JSON Schema compiler: parse the input as a schema
 * (small limits). Rejections must carry the schema error codes. When it
 * parses, the canonical string must parse again to the same canonical
 * string and the normalized form to the same normalized form; and the
 * schema document, validated against the schema itself, must get the same
 * verdict with and without flag_only. Any mismatch aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "formats/jsonschema/jsonschema.h"

static void check(int ok, const char *what, const sr_buf *a, const sr_buf *b)
{
	if (!ok) {
		fprintf(stderr, "jsonschema_compile: %s\n  %.*s\n  %.*s\n", what, a ? (int)a->len : 0,
			a && a->ptr ? a->ptr : "", b ? (int)b->len : 0, b && b->ptr ? b->ptr : "");
		abort();
	}
}

static int same(const sr_buf *a, const sr_buf *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->ptr, b->ptr, a->len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const sr_format_opts limits = { 64, 1 << 16, NULL };
	const sr_format_ops *ops = sr_format_jsonschema.ops;
	sr_arena *a = sr_arena_new(0);
	sr_parsed p, q, r;
	sr_err err = SR_ERR_INIT;
	sr_buf canon = SR_BUF_INIT, norm = SR_BUF_INIT, canon2 = SR_BUF_INIT, norm2 = SR_BUF_INIT;
	sr_buf resolved = SR_BUF_INIT;
	sr_json *self = NULL;
	sr_json_limits jl = { 64 };

	if (ops->parse(&p, a, (const char *)data, size, NULL, 0, &limits, &err) != 0) {
		check(err.code == SR_ERR_INVALID_SCHEMA || err.code == SR_ERR_SCHEMA_TOO_LARGE,
		      "error without the schema error code", &err.msg, NULL);
		goto done;
	}
	check(ops->canonical(&p, &canon) == 0, "canonical failed", NULL, NULL);
	check(ops->normalize(&p, &norm) == 0, "normalize failed", NULL, NULL);
	check(ops->canonical_resolved(&p, &resolved) == 0 && same(&canon, &resolved),
	      "resolved form without references differs from the canonical string", &canon, &resolved);
	check(ops->parse(&q, a, canon.ptr, canon.len, NULL, 0, &limits, &err) == 0,
	      "canonical string does not parse", &canon, &err.msg);
	check(ops->canonical(&q, &canon2) == 0 && same(&canon, &canon2), "canonical string not stable",
	      &canon, &canon2);
	check(ops->parse(&r, a, norm.ptr, norm.len, NULL, 0, &limits, &err) == 0,
	      "normalized form does not parse", &norm, &err.msg);
	check(ops->normalize(&r, &norm2) == 0 && same(&norm, &norm2), "normalized form not stable", &norm,
	      &norm2);

	if (sr_json_parse(&self, a, canon.ptr, canon.len, &jl, NULL) == 0) {
		sr_validation full, flag;
		bool v1, v2;
		memset(&full, 0, sizeof(full));
		full.arena = a;
		memset(&flag, 0, sizeof(flag));
		flag.arena = a;
		flag.flag_only = true;
		v1 = ops->validate(&p, self, &full);
		v2 = ops->validate(&p, self, &flag);
		check(v1 == v2, "flag-only verdict differs", &canon, NULL);
		check(v1 == (full.count == 0), "verdict and errors disagree", &canon, NULL);
		check(flag.count == 0, "flag-only validation recorded errors", &canon, NULL);
	}
done:
	sr_buf_dispose(&canon);
	sr_buf_dispose(&norm);
	sr_buf_dispose(&canon2);
	sr_buf_dispose(&norm2);
	sr_buf_dispose(&resolved);
	sr_err_dispose(&err);
	sr_arena_free(a);
	return 0;
}

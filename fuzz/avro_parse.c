/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Fuzz target for the Avro format: parse the input as a schema (small
 * limits); when it parses, render the canonical string, the normalized
 * form and the Parsing Canonical Form; the canonical string must parse
 * again to the same canonical string and the same PCF, the normalized form
 * must parse to the same normalized form and PCF, and the schema must be
 * compatible with itself. Any mismatch aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "formats/avro/avro.h"

static void check(int ok, const char *what, const sr_buf *a, const sr_buf *b)
{
	if (!ok) {
		fprintf(stderr, "avro_parse: %s\n  %.*s\n  %.*s\n", what, a ? (int)a->len : 0,
			a && a->ptr ? a->ptr : "", b ? (int)b->len : 0, b && b->ptr ? b->ptr : "");
		abort();
	}
}

static int same(const sr_buf *a, const sr_buf *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->ptr, b->ptr, a->len) == 0);
}

/*
 * The one way a schema can be incompatible with itself, as in Avro Java: a
 * reader field whose aliases name other fields of the same record matches
 * several writer fields.
 */
static int ambiguous_only(const sr_compat_report *rep)
{
	size_t i;

	for (i = 0; i < rep->count; i++)
		if (!strstr(rep->messages[i], "matches multiple fields in writer record"))
			return 0;
	return rep->count > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const sr_format_opts limits = { 64, 1 << 16, NULL };
	const sr_format_ops *ops = sr_format_avro.ops;
	sr_arena *a = sr_arena_new(0);
	sr_parsed p, q, r;
	sr_err err = SR_ERR_INIT;
	sr_buf canon = SR_BUF_INIT, norm = SR_BUF_INIT, pcf = SR_BUF_INIT;
	sr_buf canon2 = SR_BUF_INIT, norm2 = SR_BUF_INIT, pcf2 = SR_BUF_INIT, pcf3 = SR_BUF_INIT;
	sr_compat_report rep;

	if (ops->parse(&p, a, (const char *)data, size, NULL, 0, &limits, &err) != 0) {
		check(err.code == SR_ERR_INVALID_SCHEMA || err.code == SR_ERR_SCHEMA_TOO_LARGE,
		      "error without the schema error code", NULL, NULL);
		goto done;
	}
	check(ops->canonical(&p, &canon) == 0, "canonical failed", NULL, NULL);
	check(ops->normalize(&p, &norm) == 0, "normalize failed", NULL, NULL);
	check(sr_avro_parsing_canonical_form(&p, &pcf) == 0, "PCF failed", NULL, NULL);
	(void)sr_avro_fingerprint(&p);

	/* The canonical string is a fixed point with the same meaning. Its
	 * nesting can exceed the input's ({"type":"int"} is "int" but a prop
	 * value is kept), so re-parse with a roomier depth limit. */
	{
		static const sr_format_opts roomy = { 200, 1 << 20, NULL };
		check(ops->parse(&q, a, canon.ptr, canon.len, NULL, 0, &roomy, &err) == 0,
		      "canonical string does not parse", &canon, &err.msg);
		check(ops->canonical(&q, &canon2) == 0 && same(&canon, &canon2),
		      "canonical string not stable", &canon, &canon2);
		check(sr_avro_parsing_canonical_form(&q, &pcf2) == 0 && same(&pcf, &pcf2),
		      "PCF changed through the canonical string", &pcf, &pcf2);
		check(ops->parse(&r, a, norm.ptr, norm.len, NULL, 0, &roomy, &err) == 0,
		      "normalized form does not parse", &norm, &err.msg);
		check(ops->normalize(&r, &norm2) == 0 && same(&norm, &norm2),
		      "normalized form not stable", &norm, &norm2);
		check(sr_avro_parsing_canonical_form(&r, &pcf3) == 0 && same(&pcf, &pcf3),
		      "PCF changed through the normalized form", &pcf, &pcf3);
	}

	memset(&rep, 0, sizeof(rep));
	rep.arena = a;
	rep.reader_label = "new";
	rep.writer_label = "old";
	check(ops->compatible(&p, &p, &rep) || ambiguous_only(&rep), "schema incompatible with itself",
	      &canon, NULL);
	memset(&rep, 0, sizeof(rep));
	rep.arena = a;
	check(ops->compatible(&p, &q, &rep) || ambiguous_only(&rep),
	      "schema incompatible with its canonical string", &canon, NULL);
done:
	sr_buf_dispose(&canon);
	sr_buf_dispose(&norm);
	sr_buf_dispose(&pcf);
	sr_buf_dispose(&canon2);
	sr_buf_dispose(&norm2);
	sr_buf_dispose(&pcf2);
	sr_buf_dispose(&pcf3);
	sr_err_dispose(&err);
	sr_arena_free(a);
	return 0;
}

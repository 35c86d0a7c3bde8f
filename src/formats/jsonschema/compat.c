/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * JSON Schema compatibility by Confluent's rules: a consumer using
 * `reader` can read what `writer` produced when Confluent's diff engine,
 * run as SchemaDiff.compare(original = writer, update = reader), finds no
 * difference outside the compatible set of the report's policy (STRICT
 * or LENIENT). Each incompatible difference becomes one message,
 * {errorType:"<TYPE>", description:"<what changed, where>"}, worded with
 * the report's reader/writer labels ("new"/"old").
 *
 * The entry points on parsed schemas; compat_check.c runs the check on
 * their documents and words the messages, compat_diff.c is the engine, on
 * the model of compat_model.c; helpers are in compat_util.c.
 */
#include "formats/jsonschema/compat_internal.h"

bool sr_jsonschema__compatible(const sr_parsed *reader, const sr_parsed *writer,
			       sr_compat_report *report)
{
	const sr_jsonschema_document *rd = NULL, *wd = NULL;
	size_t rn = 0, wn = 0;

	sr_jsonschema__documents(reader, &rd, &rn);
	sr_jsonschema__documents(writer, &wd, &wn);
	return sr_jsonschema__compatible_documents(rd, rn, wd, wn, report);
}

bool sr_jsonschema__differences(sr_arena *a, const sr_parsed *original, const sr_parsed *update,
				sr_compat_policy policy, sr_jsonschema_diff **out, size_t *n)
{
	const sr_jsonschema_document *od = NULL, *ud = NULL;
	size_t on = 0, un = 0;

	sr_jsonschema__documents(original, &od, &on);
	sr_jsonschema__documents(update, &ud, &un);
	return sr_jsonschema__differences_documents(a, od, on, ud, un, policy, out, n);
}

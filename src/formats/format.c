/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "formats/format.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "formats/avro/avro.h"
#include "formats/jsonschema/jsonschema.h"

/* The table of supported formats. A format joins by adding its
 * descriptor here; nothing else in the program lists formats. */
static const sr_format *const formats[] = {
	&sr_format_avro,
	&sr_format_jsonschema,
	NULL,
};

const sr_format *sr_format_find(const char *name)
{
	size_t i;

	for (i = 0; formats[i]; i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

const sr_format *const *sr_format_all(void)
{
	return formats;
}

int sr_format_parse_json(sr_json **out, sr_arena *a, const char *text, size_t len,
			 unsigned max_depth, const sr_format_opts *limits, const char *ref_name,
			 bool say_depth, sr_err *err)
{
	sr_json_limits jl = { max_depth };
	sr_json_error je;
	const char *in = ref_name ? "in reference \"" : "";
	const char *name = ref_name ? ref_name : "";
	const char *end = ref_name ? "\": " : "";

	if (limits && limits->max_schema_bytes && len > limits->max_schema_bytes)
		return sr_err_set(err, SR_ETOOBIG, SR_ERR_SCHEMA_TOO_LARGE,
				  "Schema too large: %zu bytes%s%s%s, the limit is %zu", len,
				  ref_name ? " (reference \"" : "", name, ref_name ? "\")" : "",
				  limits->max_schema_bytes);
	memset(&je, 0, sizeof(je));
	if (sr_json_parse(out, a, text, len, &jl, &je) != 0) {
		if (je.too_deep && say_depth)
			return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
					  "Invalid schema: %s%s%sthe schema nests deeper than %u levels",
					  in, name, end, max_depth);
		return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
				  "Invalid schema: %s%s%sinvalid JSON: %s at line %u, column %u", in,
				  name, end, je.msg, je.line, je.column);
	}
	return 0;
}

void sr_compat_report_add(sr_compat_report *r, const char *fmt, ...)
{
	size_t max = r->max_messages ? r->max_messages : 100;
	va_list ap;
	int n;
	char *msg;

	if (r->count >= max)
		return;
	r->messages = sr_arena_grow(r->arena, r->messages, r->count, &r->cap,
				    sizeof(*r->messages), 8);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	msg = sr_arena_alloc(r->arena, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	r->messages[r->count++] = msg;
}

void sr_validation_add(sr_validation *v, const char *instance_location,
		       const char *keyword_location, const char *fmt, ...)
{
	size_t max = v->max_errors ? v->max_errors : 100;
	sr_validation_error *e;
	va_list ap;
	int n;

	if (v->count >= max)
		return;
	v->errors = sr_arena_grow(v->arena, v->errors, v->count, &v->cap, sizeof(*v->errors), 8);
	e = &v->errors[v->count];
	e->instance_location = sr_arena_strdup(v->arena, instance_location);
	e->keyword_location = sr_arena_strdup(v->arena, keyword_location);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	e->message = sr_arena_alloc(v->arena, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf((char *)e->message, (size_t)n + 1, fmt, ap);
	va_end(ap);
	v->count++;
}

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

void sr_compat_report_add(sr_compat_report *r, const char *fmt, ...)
{
	size_t max = r->max_messages ? r->max_messages : 100;
	va_list ap;
	int n;
	char *msg;

	if (r->count >= max)
		return;
	if (r->count == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		char **grown = sr_arena_alloc(r->arena, cap * sizeof(*grown));
		if (r->count)
			memcpy(grown, r->messages, r->count * sizeof(*grown));
		r->messages = grown;
		r->cap = cap;
	}
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
	if (v->count == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		sr_validation_error *grown = sr_arena_alloc(v->arena, cap * sizeof(*grown));
		if (v->count)
			memcpy(grown, v->errors, v->count * sizeof(*grown));
		v->errors = grown;
		v->cap = cap;
	}
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

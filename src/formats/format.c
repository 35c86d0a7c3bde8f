/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "formats/format.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "formats/avro/avro.h"

/* The table of supported formats. A format joins by adding its
 * descriptor here; nothing else in the program lists formats. */
static const sr_format *const formats[] = {
	&sr_format_avro,
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

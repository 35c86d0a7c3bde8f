/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "core/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void sr_fatal(const char *what)
{
	fprintf(stderr, "{\"level\":\"FATAL\",\"msg\":\"%s\"}\n", what);
	fflush(stderr);
	abort();
}

void *sr_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		sr_fatal("out of memory");
	return p;
}

void *sr_calloc(size_t count, size_t size)
{
	void *p;
	if (size && count > SIZE_MAX / size)
		sr_fatal("allocation size overflow");
	p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		sr_fatal("out of memory");
	return p;
}

void *sr_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		sr_fatal("out of memory");
	return q;
}

char *sr_strndup(const char *s, size_t n)
{
	char *d = sr_malloc(n + 1);
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *sr_strdup(const char *s)
{
	return sr_strndup(s, strlen(s));
}

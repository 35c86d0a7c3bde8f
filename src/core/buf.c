/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "core/buf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

void sr_buf_init(sr_buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

int sr_buf_grow(sr_buf *b, size_t extra)
{
	size_t need, cap;

	if (extra > b->max - b->len)
		return SR_ETOOBIG;
	need = b->len + extra + 1; /* room for the terminating NUL */
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->ptr = sr_realloc(b->ptr, cap);
	b->cap = cap;
	return 0;
}

int sr_buf_put(sr_buf *b, const void *data, size_t n)
{
	if (sr_buf_grow(b, n) < 0)
		return SR_ETOOBIG;
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int sr_buf_puts(sr_buf *b, const char *s)
{
	return sr_buf_put(b, s, strlen(s));
}

int sr_buf_putc(sr_buf *b, char c)
{
	return sr_buf_put(b, &c, 1);
}

int sr_buf_vprintf(sr_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return SR_ERROR;
	if (sr_buf_grow(b, (size_t)n) < 0)
		return SR_ETOOBIG;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int sr_buf_printf(sr_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = sr_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int sr_buf_put_i64(sr_buf *b, int64_t v)
{
	char tmp[24];
	char *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return sr_buf_put(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

void sr_buf_clear(sr_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void sr_buf_truncate(sr_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

char *sr_buf_detach(sr_buf *b, size_t *len_out)
{
	char *p = b->ptr;

	if (!p)
		p = sr_calloc(1, 1);
	if (len_out)
		*len_out = b->len;
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

void sr_buf_dispose(sr_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
}

int sr_buf_put_json_string(sr_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t i, run = 0;
	char esc[6];

	if (sr_buf_putc(b, '"') < 0)
		return SR_ETOOBIG;
	for (i = 0; i < n; i++) {
		unsigned char c = p[i];
		const char *rep = NULL;
		size_t replen = 2;

		if (c >= 0x20 && c != '"' && c != '\\') {
			run++;
			continue;
		}
		switch (c) {
		case '"': rep = "\\\""; break;
		case '\\': rep = "\\\\"; break;
		case '\b': rep = "\\b"; break;
		case '\t': rep = "\\t"; break;
		case '\n': rep = "\\n"; break;
		case '\f': rep = "\\f"; break;
		case '\r': rep = "\\r"; break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			rep = esc;
			replen = 6;
		}
		if (sr_buf_put(b, s + i - run, run) < 0 ||
		    sr_buf_put(b, rep, replen) < 0)
			return SR_ETOOBIG;
		run = 0;
	}
	if (sr_buf_put(b, s + n - run, run) < 0 || sr_buf_putc(b, '"') < 0)
		return SR_ETOOBIG;
	return 0;
}

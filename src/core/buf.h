/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_CORE_BUF_H
#define SR_CORE_BUF_H

/**
 * Growable byte buffer with a ceiling (in the spirit of curl's dynbuf).
 *
 * The buffer owns its heap memory. `ptr` is always NUL-terminated once
 * something was written (the NUL is not counted in `len`), so the content
 * can be handed to C string functions, but nothing relies on it: every
 * consumer uses `len`. Growth beyond `max` fails with SR_ETOOBIG and leaves
 * the content unchanged, so input-driven output (a rendered schema, a
 * request body) can never grow without bound.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sr_buf {
	char *ptr;  /**< heap memory owned by the buffer, or NULL when empty */
	size_t len; /**< bytes used */
	size_t cap; /**< bytes allocated */
	size_t max; /**< ceiling on len; SIZE_MAX = unbounded */
} sr_buf;

#define SR_BUF_INIT { NULL, 0, 0, SIZE_MAX }

/** Initialise an empty buffer whose length may never exceed `max`. */
void sr_buf_init(sr_buf *b, size_t max);

/** Make room for `extra` more bytes. 0, or SR_ETOOBIG past the ceiling. */
int sr_buf_grow(sr_buf *b, size_t extra);

/** Append bytes. 0 or SR_ETOOBIG. */
int sr_buf_put(sr_buf *b, const void *data, size_t n);
/** Append a NUL-terminated string. */
int sr_buf_puts(sr_buf *b, const char *s);
/** Append one byte. */
int sr_buf_putc(sr_buf *b, char c);
/** Append formatted text. */
int sr_buf_printf(sr_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sr_buf_vprintf(sr_buf *b, const char *fmt, va_list ap);
/** Append a signed 64-bit integer in decimal. */
int sr_buf_put_i64(sr_buf *b, int64_t v);

/**
 * Append `s[0..n)` as a JSON string literal, quotes included. Escapes as
 * Jackson does (the reference serializer for canonical schema strings):
 * `"` and `\\` with a backslash, \b \t \n \f \r in short form, other
 * control characters as \u00XX; everything else, UTF-8 included, verbatim.
 * The input is assumed to be valid UTF-8 (the JSON parser guarantees it).
 */
int sr_buf_put_json_string(sr_buf *b, const char *s, size_t n);

/** Forget the content but keep the allocation. */
void sr_buf_clear(sr_buf *b);
/** Shorten to `len` bytes (no-op if already shorter). */
void sr_buf_truncate(sr_buf *b, size_t len);

/**
 * Hand the memory to the caller (free() it) and reset the buffer. Always
 * returns a NUL-terminated allocation, also for an empty buffer. If
 * `len_out` is not NULL it receives the length.
 */
char *sr_buf_detach(sr_buf *b, size_t *len_out);

/** Free the memory and reset the buffer. */
void sr_buf_dispose(sr_buf *b);

#endif

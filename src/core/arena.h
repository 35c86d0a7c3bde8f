/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_CORE_ARENA_H
#define SR_CORE_ARENA_H

/**
 * A region allocator. One arena per request (created when the request
 * starts, destroyed in one place when it completes) and one per parsed
 * schema that outlives a request. Everything allocated from an arena lives
 * until sr_arena_free(); nothing is freed piecemeal.
 *
 * Not thread-safe: an arena belongs to one thread at a time.
 * Out of memory aborts (see core/mem.h).
 */

#include <stddef.h>

typedef struct sr_arena sr_arena;

/** Create an arena. `first_block` is a size hint (0 = default 4 KiB). */
sr_arena *sr_arena_new(size_t first_block);

/** Release the arena, every allocation from it and run its cleanups. NULL is a no-op. */
void sr_arena_free(sr_arena *a);

/** `n` bytes aligned to 16; never NULL. The memory is uninitialised. */
void *sr_arena_alloc(sr_arena *a, size_t n);

/** `count * size` zeroed bytes (overflow aborts); never NULL. */
void *sr_arena_calloc(sr_arena *a, size_t count, size_t size);

/** Copy of `s[0..n)` followed by a NUL, owned by the arena. */
char *sr_arena_strndup(sr_arena *a, const char *s, size_t n);

/** Copy of the NUL-terminated `s`, owned by the arena. */
char *sr_arena_strdup(sr_arena *a, const char *s);

/** printf into arena memory; returns the NUL-terminated result. */
char *sr_arena_printf(sr_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * Register `fn(data)` to run when the arena is freed (in reverse order of
 * registration). For resources that are not arena memory, such as a heap
 * buffer handed to the arena for the rest of a request.
 */
void sr_arena_cleanup_add(sr_arena *a, void (*fn)(void *), void *data);

/**
 * Room for one more element in the arena array `items` of `count`
 * elements of `size` bytes and capacity `*cap`: when it is full, a copy
 * twice as large (at least `first` elements) replaces it and `*cap` grows
 * (the old copy stays with the arena until it is freed). Returns the array
 * to use from now on.
 */
void *sr_arena_grow(sr_arena *a, void *items, size_t count, size_t *cap, size_t size,
		    size_t first);

/** Bytes handed out so far (for limits and metrics). */
size_t sr_arena_used(const sr_arena *a);

#endif

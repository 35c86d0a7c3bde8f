/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_CORE_MEM_H
#define SR_CORE_MEM_H

/**
 * Heap allocation with one out-of-memory policy for the whole program:
 * if the allocator cannot satisfy a request the process logs and aborts
 * ("dies if impossible", as h2o does). Input-driven sizes are bounded by
 * configured ceilings long before this point, so OOM here means the host
 * is out of memory, and a clean restart is the safest answer. Callers
 * therefore never check these for NULL.
 */

#include <stddef.h>

/** Allocate `n` bytes; never returns NULL. Free with free(). */
void *sr_malloc(size_t n);
/** Allocate `count * size` zeroed bytes (overflow-checked); never NULL. */
void *sr_calloc(size_t count, size_t size);
/** Resize `p` to `n` bytes; never returns NULL. */
void *sr_realloc(void *p, size_t n);
/** Heap copy of `s[0..n)` plus a NUL; never NULL. Free with free(). */
char *sr_strndup(const char *s, size_t n);
/** Heap copy of the NUL-terminated `s`; never NULL. */
char *sr_strdup(const char *s);

/** Abort the process after printing `what` (used for OOM and invariants). */
_Noreturn void sr_fatal(const char *what);

#endif

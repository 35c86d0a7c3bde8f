/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "core/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

#define ARENA_ALIGN 16
#define ARENA_DEFAULT_BLOCK 4096
/* Requests bigger than this get a block of their own so that one large
 * string does not waste the tail of the current block. */
#define ARENA_BIG (ARENA_DEFAULT_BLOCK / 4)

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena_cleanup {
	struct arena_cleanup *next;
	void (*fn)(void *);
	void *data;
};

struct sr_arena {
	struct arena_block *head; /* current block; older blocks follow */
	struct arena_cleanup *cleanups;
	size_t block_size;
	size_t used;
};

static struct arena_block *block_new(size_t size)
{
	struct arena_block *b = sr_malloc(sizeof(*b) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

sr_arena *sr_arena_new(size_t first_block)
{
	sr_arena *a = sr_calloc(1, sizeof(*a));
	a->block_size = first_block ? first_block : ARENA_DEFAULT_BLOCK;
	a->head = block_new(a->block_size);
	return a;
}

void sr_arena_free(sr_arena *a)
{
	struct arena_block *b, *next;
	struct arena_cleanup *c;

	if (!a)
		return;
	for (c = a->cleanups; c; c = c->next)
		c->fn(c->data);
	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

static size_t align_up(size_t n)
{
	return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

void *sr_arena_alloc(sr_arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t need = align_up(n ? n : 1);
	void *p;

	if (need < n)
		sr_fatal("arena allocation overflow");
	a->used += need;
	if (need > b->size - b->used) {
		if (need > ARENA_BIG) {
			/* Dedicated block, linked behind the current one. */
			struct arena_block *big = block_new(need);
			big->used = need;
			big->next = b->next;
			b->next = big;
			return big->data;
		}
		if (a->block_size < (1u << 20))
			a->block_size *= 2;
		b = block_new(a->block_size);
		b->next = a->head;
		a->head = b;
	}
	p = b->data + b->used;
	b->used += need;
	return p;
}

void *sr_arena_calloc(sr_arena *a, size_t count, size_t size)
{
	void *p;
	if (size && count > SIZE_MAX / size)
		sr_fatal("arena allocation overflow");
	p = sr_arena_alloc(a, count * size);
	memset(p, 0, count * size);
	return p;
}

char *sr_arena_strndup(sr_arena *a, const char *s, size_t n)
{
	char *d = sr_arena_alloc(a, n + 1);
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *sr_arena_strdup(sr_arena *a, const char *s)
{
	return sr_arena_strndup(a, s, strlen(s));
}

char *sr_arena_printf(sr_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *d;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		sr_fatal("arena printf: bad format");
	d = sr_arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(d, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return d;
}

void sr_arena_cleanup_add(sr_arena *a, void (*fn)(void *), void *data)
{
	struct arena_cleanup *c = sr_arena_alloc(a, sizeof(*c));
	c->fn = fn;
	c->data = data;
	c->next = a->cleanups;
	a->cleanups = c;
}

void *sr_arena_grow(sr_arena *a, void *items, size_t count, size_t *cap, size_t size,
		    size_t first)
{
	void *grown;
	size_t n;

	if (count < *cap)
		return items;
	n = *cap ? *cap * 2 : first;
	grown = sr_arena_calloc(a, n, size); /* overflow of n * size aborts */
	if (count)
		memcpy(grown, items, count * size);
	*cap = n;
	return grown;
}

size_t sr_arena_used(const sr_arena *a)
{
	return a->used;
}

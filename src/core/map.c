/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "core/map.h"

#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/mem.h"

/* A removed entry keeps its slot so that probe chains stay intact. */
static const char TOMBSTONE[1];

static bool slot_matches(const sr_map_entry *e, const char *key, size_t len,
			 uint64_t h)
{
	return e->key && e->key != TOMBSTONE && e->hash == h &&
	       e->key_len == len && memcmp(e->key, key, len) == 0;
}

static sr_map_entry *find(const sr_map *m, const char *key, size_t len,
			  uint64_t h)
{
	size_t mask, i;

	if (!m->cap)
		return NULL;
	mask = m->cap - 1;
	for (i = h & mask;; i = (i + 1) & mask) {
		sr_map_entry *e = &m->slots[i];
		if (!e->key)
			return NULL;
		if (slot_matches(e, key, len, h))
			return e;
	}
}

void *sr_map_get(const sr_map *m, const char *key, size_t key_len)
{
	sr_map_entry *e = find(m, key, key_len, sr_hash64(key, key_len));
	return e ? e->value : NULL;
}

static void insert_fresh(sr_map *m, const sr_map_entry *src)
{
	size_t mask = m->cap - 1, i;

	for (i = src->hash & mask; m->slots[i].key; i = (i + 1) & mask)
		;
	m->slots[i] = *src;
	m->count++;
}

static void rehash(sr_map *m, size_t cap)
{
	sr_map_entry *old = m->slots;
	size_t old_cap = m->cap, i;

	m->slots = sr_calloc(cap, sizeof(*m->slots));
	m->cap = cap;
	m->count = 0;
	m->tombstones = 0;
	for (i = 0; i < old_cap; i++)
		if (old[i].key && old[i].key != TOMBSTONE)
			insert_fresh(m, &old[i]);
	free(old);
}

void *sr_map_put(sr_map *m, const char *key, size_t key_len, void *value)
{
	uint64_t h = sr_hash64(key, key_len);
	sr_map_entry *e = find(m, key, key_len, h);
	sr_map_entry fresh;
	void *prev;

	if (e) {
		prev = e->value;
		e->value = value;
		e->key = key; /* the caller's newest key memory */
		return prev;
	}
	/* Keep the load (live + tombstones) under 3/4. */
	if ((m->count + m->tombstones + 1) * 4 >= m->cap * 3)
		rehash(m, m->cap ? (m->count * 2 >= m->cap ? m->cap * 2 : m->cap) : 16);
	fresh.key = key;
	fresh.key_len = key_len;
	fresh.hash = h;
	fresh.value = value;
	insert_fresh(m, &fresh);
	return NULL;
}

void sr_map_reserve(sr_map *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 16;

	/* The same load bound as sr_map_put: live + tombstones under 3/4. */
	while ((n + m->tombstones) * 4 >= cap * 3)
		cap *= 2;
	if (cap != m->cap)
		rehash(m, cap);
}

void *sr_map_remove(sr_map *m, const char *key, size_t key_len)
{
	sr_map_entry *e = find(m, key, key_len, sr_hash64(key, key_len));
	void *prev;

	if (!e)
		return NULL;
	prev = e->value;
	e->key = TOMBSTONE;
	e->value = NULL;
	m->count--;
	m->tombstones++;
	return prev;
}

bool sr_map_next(const sr_map *m, size_t *pos, sr_map_entry **out)
{
	while (*pos < m->cap) {
		sr_map_entry *e = &m->slots[(*pos)++];
		if (e->key && e->key != TOMBSTONE) {
			*out = e;
			return true;
		}
	}
	return false;
}

void sr_map_dispose(sr_map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->count = m->tombstones = 0;
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_CORE_MAP_H
#define SR_CORE_MAP_H

/**
 * Open-addressing hash map from a byte-string key to a pointer.
 *
 * The map does not copy keys: a key must stay valid and unchanged while
 * its entry is in the map (callers key on memory owned by the value, e.g.
 * a subject's name). Values are opaque pointers the map never frees.
 * Not thread-safe; the registry guards its maps with its own lock.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sr_map_entry {
	const char *key; /**< NULL = empty slot */
	size_t key_len;
	uint64_t hash;
	void *value;
} sr_map_entry;

typedef struct sr_map {
	sr_map_entry *slots;
	size_t cap;       /**< power of two, or 0 */
	size_t count;     /**< live entries */
	size_t tombstones;
} sr_map;

#define SR_MAP_INIT { NULL, 0, 0, 0 }

/** Value for `key`, or NULL. */
void *sr_map_get(const sr_map *m, const char *key, size_t key_len);

/**
 * Insert or replace. Returns the previous value (NULL if none). The map
 * keeps the `key` pointer given here.
 */
void *sr_map_put(sr_map *m, const char *key, size_t key_len, void *value);

/** Make room for `n` entries in all, so that filling the map does not rehash. */
void sr_map_reserve(sr_map *m, size_t n);

/** Remove `key`; returns its value or NULL. */
void *sr_map_remove(sr_map *m, const char *key, size_t key_len);

/**
 * Iterate: start with `*pos = 0`; returns false when done. Entries must not
 * be added or removed during iteration.
 */
bool sr_map_next(const sr_map *m, size_t *pos, sr_map_entry **out);

/** Free the slot array (not keys or values). */
void sr_map_dispose(sr_map *m);

#endif

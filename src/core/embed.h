/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_CORE_EMBED_H
#define SR_CORE_EMBED_H

/**
 * Files compiled into the binary (SQL migrations, meta-schemas, ...).
 * The build embeds every file under src/ that matches the patterns in the
 * Makefile (EMBED_FILES) into a generated table; paths are relative to
 * src/, e.g. "storage/migrations/sqlite/0001_init.sql". Data is static,
 * read-only and NUL-terminated (the NUL is not counted in `len`).
 */

#include <stddef.h>

typedef struct sr_embedded_file {
	const char *path;
	const unsigned char *data;
	size_t len;
} sr_embedded_file;

/** All embedded files, sorted by path, ending with a {NULL} entry. */
extern const sr_embedded_file sr_embedded_files[];

/** The file at `path`, or NULL. */
const sr_embedded_file *sr_embed_find(const char *path);

#endif

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_TOOLS_BACKUP_H
#define SR_TOOLS_BACKUP_H

/**
 * The `backup` and `restore` commands: a logical dump of the store named
 * by DATABASE_URL (storage.h, sr_storage_dump) to a file, and back.
 *
 * A backup reads one snapshot beside a running server (no lock is taken)
 * and appears at `path` only once complete and fsync'd (written to a
 * temporary name first, then renamed). A restore needs the server stopped
 * and an empty store (a new database is migrated first); it writes all or
 * nothing. "-" is standard output or input.
 */

#include "core/config.h"
#include "core/error.h"
#include "storage/storage.h"

int sr_backup_to(const sr_config *cfg, const char *path, sr_dump_stats *stats, sr_err *err);

int sr_restore_from(const sr_config *cfg, const char *path, sr_dump_stats *stats, sr_err *err);

#endif

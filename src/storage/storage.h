/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_STORAGE_STORAGE_H
#define SR_STORAGE_STORAGE_H

/**
 * Durable storage of the registry's state, behind one interface with
 * interchangeable backends (mem for tests, sqlite as the embedded default,
 * postgres for replicated deployments), selected by DATABASE_URL.
 *
 * The store holds rows, not behaviour: schemas (by global id), subject
 * versions pointing at schema ids, configs and modes. The registry loads
 * everything once at start (sr_storage_load) and afterwards only writes
 * batches of changes (sr_storage_apply). A batch is atomic and durable
 * when the call returns 0: the registry acknowledges a write only after.
 *
 * Thread-safety: one sr_storage is used by one writer thread at a time
 * (the registry serializes writes) plus sr_storage_ping from any thread;
 * backends guard their connections accordingly.
 *
 * All strings passed in are borrowed for the duration of the call. All
 * strings handed to loader callbacks are valid only during the callback.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"

typedef struct sr_storage sr_storage;

/** A schema: immutable once written; its id is global. */
typedef struct sr_st_schema {
	int64_t id;
	const char *schema_type;   /**< "AVRO", "JSON", "PROTOBUF" */
	const char *schema;        /**< the canonical text */
	size_t schema_len;
	const char *references;    /**< JSON array text, or NULL when none */
	const char *metadata;      /**< JSON object text, or NULL */
	const char *rule_set;      /**< JSON object text, or NULL */
	const char *guid;          /**< identity hash as a 36-char UUID string */
} sr_st_schema;

/** A version of a subject: (subject, version) → schema id. */
typedef struct sr_st_version {
	const char *subject;
	int32_t version;
	int64_t schema_id;
	bool deleted;              /**< soft-deleted */
	int64_t created_ms;        /**< registration time, ms since the epoch */
} sr_st_version;

/** Configuration of a scope; subject NULL = global. */
typedef struct sr_st_config {
	const char *subject;
	const char *config;        /**< JSON object text (the Config entity) */
} sr_st_config;

/** Mode of a scope; subject NULL = global. */
typedef struct sr_st_mode {
	const char *subject;
	const char *mode;          /**< "READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT" */
} sr_st_mode;

typedef enum sr_change_kind {
	SR_CHANGE_SCHEMA_PUT,      /**< insert a schema (id and guid are new) */
	SR_CHANGE_VERSION_PUT,     /**< insert or replace (subject, version) */
	SR_CHANGE_VERSION_DELETE,  /**< remove (subject, version) permanently */
	SR_CHANGE_CONFIG_PUT,      /**< insert or replace the scope's config */
	SR_CHANGE_CONFIG_DELETE,   /**< remove the scope's config (absent = no-op) */
	SR_CHANGE_MODE_PUT,
	SR_CHANGE_MODE_DELETE,
} sr_change_kind;

typedef struct sr_change {
	sr_change_kind kind;
	union {
		sr_st_schema schema;
		sr_st_version version;   /**< VERSION_DELETE uses subject + version */
		sr_st_config config;     /**< CONFIG_DELETE uses subject */
		sr_st_mode mode;         /**< MODE_DELETE uses subject */
	} u;
} sr_change;

/**
 * Callbacks receiving every stored row at load. Order: all schemas (by id),
 * then all versions (by subject, version), then configs, then modes. A
 * callback returning non-zero aborts the load with that value. A NULL
 * callback skips that kind of row. Subjects order bytewise; configs and
 * modes come global scope first, then by subject.
 */
typedef struct sr_storage_loader {
	int (*schema)(void *ctx, const sr_st_schema *s);
	int (*version)(void *ctx, const sr_st_version *v);
	int (*config)(void *ctx, const sr_st_config *c);
	int (*mode)(void *ctx, const sr_st_mode *m);
	void *ctx;
} sr_storage_loader;

/** Migration state of a database. */
typedef struct sr_migration_status {
	int applied;   /**< highest migration applied (0 = new database) */
	int known;     /**< highest migration this binary knows */
} sr_migration_status;

/**
 * Open the store named by `url`: "sqlite:PATH" (the directory is created),
 * "mem:" (process memory, for tests) or "postgres://..." / "postgresql://...".
 * Does not migrate. Errors: SR_EINVALID (bad URL), SR_EUNAVAILABLE.
 */
int sr_storage_open(sr_storage **out, const char *url, sr_err *err);

/** Open for reading only, beside a running server: no one-process lock. */
#define SR_STORAGE_OPEN_READER 1u

/** sr_storage_open with SR_STORAGE_OPEN_* flags. */
int sr_storage_open_flags(sr_storage **out, const char *url, unsigned flags, sr_err *err);

/** Read the migration state. */
int sr_storage_migration_status(sr_storage *s, sr_migration_status *out, sr_err *err);

/**
 * Apply every pending embedded migration, each in its own transaction,
 * recording number, name and checksum. Refuses (SR_ECONFLICT) when an
 * applied migration's checksum differs from the embedded one, or when the
 * database is migrated past what this binary knows. `applied_out` (may
 * be NULL) receives how many were applied now.
 */
int sr_storage_migrate(sr_storage *s, int *applied_out, sr_err *err);

/**
 * Check that the database can be served by this binary: fully migrated,
 * checksums match. Otherwise SR_ECONFLICT with a message saying what to
 * run (e.g. "run `schema-registry migrate`", or "this database was
 * migrated by a newer release (N > M); run that release or restore a
 * backup").
 */
int sr_storage_check_ready(sr_storage *s, sr_err *err);

/** Stream every row to `loader` (see sr_storage_loader for the order). */
int sr_storage_load(sr_storage *s, const sr_storage_loader *loader, sr_err *err);

/**
 * Apply `n` changes atomically; durable (fsync'd) when 0 is returned.
 * On failure nothing was applied; SR_EUNAVAILABLE (store down) or
 * SR_ECONFLICT (a uniqueness rule of the store was violated) or SR_ERROR.
 * Changes take effect in order, so a version may point at a schema put
 * earlier in the same batch; a version pointing at a schema id the store
 * does not hold is SR_ECONFLICT too. Deleting an absent row is a no-op.
 * A malformed change (a required string NULL, an id or version not
 * positive, a subject of "") is SR_EINVALID before anything is written.
 * n = 0 is a no-op.
 */
int sr_storage_apply(sr_storage *s, const sr_change *changes, size_t n, sr_err *err);

/* ---- replicas ------------------------------------------------------------
 *
 * Several registry processes may serve one PostgreSQL database. Each keeps
 * its read model; every write is also appended to a change log in the same
 * transaction, and each process applies the others' changes from it:
 * before every write (under a store-wide writer lock, so decisions are
 * made on the current state) and in the background within about a second
 * (notifications, with polling as the fallback). Stores without other
 * writers (sqlite, mem) make all of these no-ops.
 */

/** Can other processes write to this store (is there a log to follow)? */
bool sr_storage_replicated(const sr_storage *s);

/**
 * Begin a write: take the store-wide writer lock (a transaction that the
 * next sr_storage_apply joins and commits). Until sr_storage_write_end,
 * sr_storage_tail delivers everything committed before the lock. 0, or
 * SR_EUNAVAILABLE (then the apply fails the same way).
 */
int sr_storage_write_begin(sr_storage *s, sr_err *err);

/** End a write: give back the lock, rolling back an uncommitted write. */
void sr_storage_write_end(sr_storage *s);

/** Receives one change of another process, in commit order. */
typedef int (*sr_storage_change_cb)(void *ctx, const sr_change *c);

/**
 * Deliver the changes committed by other processes since the last one
 * delivered (or since the load's snapshot, or this process's own last
 * apply), in order; strings are valid during the callback. SR_ECONFLICT
 * when the log no longer reaches back that far (a process cut off for
 * longer than the log's retention must restart to load afresh).
 */
int sr_storage_tail(sr_storage *s, sr_storage_change_cb cb, void *ctx, sr_err *err);

/**
 * Wait up to `timeout_ms` for another process's change to be announced:
 * 1 when one was, 0 on timeout (or a non-replicated store: immediately),
 * SR_EUNAVAILABLE when the store cannot be reached (after the wait).
 */
int sr_storage_wait(sr_storage *s, int timeout_ms);

/** Rows written by a dump or read by a restore. */
typedef struct sr_dump_stats {
	size_t schemas, versions, configs, modes;
} sr_dump_stats;

/**
 * Write every row of `s`, from one snapshot, to `out` as a logical dump
 * (JSON lines, independent of the backend; format in storage/dump.c),
 * ending with a line of counts. SR_EUNAVAILABLE when writing fails.
 */
int sr_storage_dump(sr_storage *s, FILE *out, sr_dump_stats *stats, sr_err *err);

/**
 * Restore the dump `dump[0..len)` into `s`, which must be migrated and
 * empty (SR_ECONFLICT otherwise). The whole dump is parsed and checked
 * first (header, every row, the end line's counts: SR_EINVALID with the
 * line number); then it is written in one transaction, or not at all.
 */
int sr_storage_restore(sr_storage *s, const char *dump, size_t len, sr_dump_stats *stats,
		       sr_err *err);

/** Is the store reachable? 0 or SR_EUNAVAILABLE. Cheap; any thread. */
int sr_storage_ping(sr_storage *s, sr_err *err);

/** The backend's name ("mem", "sqlite", "postgres"). */
const char *sr_storage_backend_name(const sr_storage *s);

/** Close and free. NULL is a no-op. */
void sr_storage_close(sr_storage *s);

#endif

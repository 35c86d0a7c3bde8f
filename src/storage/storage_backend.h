/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_STORAGE_STORAGE_BACKEND_H
#define SR_STORAGE_STORAGE_BACKEND_H

/**
 * The storage backend interface: what a backend implements, as opposed to
 * storage.h, which is what the rest of the program calls.
 *
 * A backend is a versioned struct of function pointers embedded as the
 * first member of the implementation's own struct (libgit2's
 * git_odb_backend), so a backend casts `sr_storage_backend *` back to its
 * own type:
 *
 *     typedef struct sqlite_backend {
 *             sr_storage_backend parent;   (must be the first member)
 *             sqlite3 *db;
 *             ...
 *     } sqlite_backend;
 *
 * storage.c owns what is common to every backend: URL dispatch, argument
 * checks of a batch (so a backend sees only well-formed changes), and the
 * migration driver (which embedded migrations exist, which are pending,
 * checksum and "newer release" refusals, the operator's messages). A
 * backend supplies only primitives: run one migration in one transaction,
 * list what was applied, load, apply, ping.
 *
 * Versioning: `version` is SR_STORAGE_BACKEND_VERSION at the time the
 * backend was written. New slots are only ever appended, with a version
 * bump; storage.c refuses a backend whose version it does not know, and
 * treats slots marked optional as absent (NULL) for older versions.
 *
 * Room for PostgreSQL (replicated deployments) without touching storage.h:
 * - `open` may connect lazily and retry; a failed connection is
 *   SR_EUNAVAILABLE from load/apply/ping, never an abort.
 * - `migrate_lock`/`migrate_unlock` take a session-level advisory lock so
 *   that replicas starting together apply each migration once.
 * - `apply` is where a backend adds its own bookkeeping in the same
 *   transaction, e.g. appending every change to a change-log table with a
 *   monotonically increasing sequence that other replicas tail; unique
 *   constraints turn a lost race between two writers into SR_ECONFLICT.
 * - `load` reads one consistent snapshot (a single read transaction), so a
 *   backend can remember the change-log position the snapshot ends at.
 *   Tailing that log is a later slot (appended with a version bump) behind
 *   a new storage.h function; the sqlite and mem backends have no other
 *   writers and leave it NULL.
 * - `ping` is callable from any thread concurrently with the writer: a
 *   backend guards or separates its connections.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "storage/storage.h"

#define SR_STORAGE_BACKEND_VERSION 2

/**
 * One numbered migration. As handed to `migration_apply`, every field is
 * set (`sql` is the embedded file, NUL-terminated). As reported by
 * `migrations_applied`, `sql` is NULL and `applied_ms` is the time it
 * was applied. Strings are borrowed.
 */
typedef struct sr_storage_migration {
	int number;            /**< 1, 2, ... (the NNNN of NNNN_name.sql) */
	const char *name;      /**< the `name` part of NNNN_name.sql */
	const char *checksum;  /**< lower-case hex SHA-256 of the file */
	const char *sql;       /**< the script (several statements), or NULL */
	size_t sql_len;
	int64_t applied_ms;    /**< ms since the epoch; 0 when not applied */
} sr_storage_migration;

/** Receives one applied migration; non-zero stops the listing with that value. */
typedef int (*sr_storage_migration_cb)(void *ctx, const sr_storage_migration *m);

typedef struct sr_storage_backend sr_storage_backend;

struct sr_storage_backend {
	/** SR_STORAGE_BACKEND_VERSION the backend was written against. */
	unsigned version;

	/** "mem", "sqlite", "postgres": what sr_storage_backend_name() says. */
	const char *name;

	/**
	 * Prefix of this backend's migrations among the embedded files, e.g.
	 * "storage/migrations/sqlite/", or NULL for a backend that needs none
	 * (mem: always migrated). The files are named NNNN_name.sql and are
	 * numbered 1..N without gaps.
	 */
	const char *migrations_prefix;

	/**
	 * Optional (NULL = nothing to lock). Serialise migrations across
	 * processes for the duration of sr_storage_migrate(); `migrate_unlock`
	 * is called exactly once after a successful `migrate_lock`.
	 */
	int (*migrate_lock)(sr_storage_backend *b, sr_err *err);
	void (*migrate_unlock)(sr_storage_backend *b);

	/**
	 * Report every applied migration, in ascending number, to `cb`. A new
	 * database (no bookkeeping table yet) reports none and is not changed.
	 * Required when `migrations_prefix` is set.
	 */
	int (*migrations_applied)(sr_storage_backend *b, sr_storage_migration_cb cb, void *ctx,
				  sr_err *err);

	/**
	 * Run `m->sql` and record (number, name, checksum, now) in one
	 * transaction, creating the bookkeeping table first if needed. Nothing
	 * is changed on failure; recording a number twice is SR_ECONFLICT.
	 * Required when `migrations_prefix` is set.
	 */
	int (*migration_apply)(sr_storage_backend *b, const sr_storage_migration *m,
			       sr_err *err);

	/** See sr_storage_load(); reads one consistent snapshot. */
	int (*load)(sr_storage_backend *b, const sr_storage_loader *loader, sr_err *err);

	/**
	 * See sr_storage_apply(). `n` >= 1 and every change was checked by
	 * storage.c (required strings set, ids and versions positive, scope
	 * subjects non-empty). Changes take effect in order, so a version may
	 * point at a schema put earlier in the same batch.
	 */
	int (*apply)(sr_storage_backend *b, const sr_change *changes, size_t n, sr_err *err);

	/** See sr_storage_ping(); any thread, concurrently with the writer. */
	int (*ping)(sr_storage_backend *b, sr_err *err);

	/** Release everything. Never NULL. */
	void (*free)(sr_storage_backend *b);

	/* ---- version 2: other writers (optional; NULL for a store that has
	 * none). See the replicas section of storage.h. `load` also records
	 * the change-log position of its snapshot, and `apply` logs every
	 * change it writes, joining the transaction of `write_begin` when one
	 * is open (else taking the writer lock itself). */

	/** See sr_storage_write_begin(). */
	int (*write_begin)(sr_storage_backend *b, sr_err *err);
	/** See sr_storage_write_end(). */
	void (*write_end)(sr_storage_backend *b);
	/** See sr_storage_tail(). */
	int (*tail)(sr_storage_backend *b, sr_storage_change_cb cb, void *ctx, sr_err *err);
	/** See sr_storage_wait(); called from one thread (not the writer's). */
	int (*wait)(sr_storage_backend *b, int timeout_ms);
};

/*
 * Dispatch wrappers: callers go through these, never through the slots.
 */

/** Acquire the cross-process migration lock, if the backend has one. */
static inline int sr_storage_backend_migrate_lock(sr_storage_backend *b, sr_err *err)
{
	return b->migrate_lock ? b->migrate_lock(b, err) : 0;
}

/** Release what sr_storage_backend_migrate_lock() acquired. */
static inline void sr_storage_backend_migrate_unlock(sr_storage_backend *b)
{
	if (b->migrate_unlock)
		b->migrate_unlock(b);
}

/** List applied migrations (none for a backend without migrations). */
static inline int sr_storage_backend_migrations_applied(sr_storage_backend *b,
							sr_storage_migration_cb cb, void *ctx,
							sr_err *err)
{
	return b->migrations_applied ? b->migrations_applied(b, cb, ctx, err) : 0;
}

/** Apply one migration atomically; 0 or a negative SR_E* code. */
static inline int sr_storage_backend_migration_apply(sr_storage_backend *b,
						     const sr_storage_migration *m, sr_err *err)
{
	return b->migration_apply(b, m, err);
}

/** Stream every row to `loader`, in the order storage.h documents. */
static inline int sr_storage_backend_load(sr_storage_backend *b, const sr_storage_loader *loader,
					  sr_err *err)
{
	return b->load(b, loader, err);
}

/** Apply n >= 1 checked changes atomically and durably. */
static inline int sr_storage_backend_apply(sr_storage_backend *b, const sr_change *changes,
					   size_t n, sr_err *err)
{
	return b->apply(b, changes, n, err);
}

/** 0 when reachable, else SR_EUNAVAILABLE. Any thread. */
static inline int sr_storage_backend_ping(sr_storage_backend *b, sr_err *err)
{
	return b->ping(b, err);
}

/** Free the backend (NULL is a no-op). */
static inline void sr_storage_backend_free(sr_storage_backend *b)
{
	if (b)
		b->free(b);
}

/*
 * Constructors of the built-in backends. `location` is what follows the
 * URL scheme (for sqlite the file path, for mem the empty string). `flags`
 * are SR_STORAGE_OPEN_* of storage.h. They fail with SR_EINVALID for a
 * location they cannot use and SR_EUNAVAILABLE when the store cannot be
 * reached or opened.
 */

/** In-memory store: the reference semantics; fresh and empty on each open. */
int sr_storage_mem_open(sr_storage_backend **out, const char *location, unsigned flags,
			sr_err *err);

/**
 * SQLite file at `location`; its directory is created if missing. With
 * SR_STORAGE_OPEN_READER: an existing file, a read-only connection, and
 * no lock (a running server keeps writing; WAL readers see a snapshot).
 */
int sr_storage_sqlite_open(sr_storage_backend **out, const char *location, unsigned flags,
			   sr_err *err);

/**
 * PostgreSQL at `location`, here the whole URL (postgres://user:pw@host/db
 * ?param=..., as libpq reads it). Holds an advisory lock: one registry
 * process per database, except with SR_STORAGE_OPEN_READER (read-only
 * transactions, no lock).
 */
int sr_storage_postgres_open(sr_storage_backend **out, const char *location, unsigned flags,
			     sr_err *err);

/**
 * Wrap a backend the caller built (a test fake, a decorator that counts or
 * injects failures) in an sr_storage. Takes ownership of `backend` on
 * success and on failure (it is freed). SR_EINVALID when its version is
 * unknown or a required slot is missing; SR_ERROR when the embedded
 * migrations under its prefix are not numbered 1..N.
 */
int sr_storage_from_backend(sr_storage **out, sr_storage_backend *backend, sr_err *err);

/** The backend inside `s` (borrowed), for decorators and tests. */
sr_storage_backend *sr_storage_backend_of(sr_storage *s);

/** "SCHEMA_PUT", "VERSION_DELETE", ...: a change kind for messages. */
const char *sr_change_kind_name(sr_change_kind kind);

/**
 * One change as a JSON object (dump.c; the dump's line format, deletes
 * included), appended to `out`, for backends that log changes.
 */
void sr_change_encode(sr_buf *out, const sr_change *c);

/** Decode what sr_change_encode wrote; strings point into `a`. */
int sr_change_decode(sr_arena *a, const char *json, size_t len, sr_change *out, sr_err *err);

/** Milliseconds since the epoch (wall clock), for bookkeeping columns. */
int64_t sr_storage__now_ms(void);

#endif

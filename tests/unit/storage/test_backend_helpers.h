/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_TESTS_STORAGE_BACKEND_HELPERS_H
#define SR_TESTS_STORAGE_BACKEND_HELPERS_H

/**
 * Helpers for tests that need a store: temporary directories, a loader
 * that renders every loaded row as text, change constructors, and a fake
 * backend that counts calls and injects failures (libgit2's
 * backend_helpers.h), for tests of code above the store ("was the store
 * written?", "what happens when the store is down?").
 *
 * Use: `#include "storage/test_backend_helpers.c"` from one test program
 * (the build compiles each test program from a single file).
 */

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "storage/storage.h"
#include "storage/storage_backend.h"

/** Create a fresh directory under /tmp (free() the result). */
char *sr_test_tmpdir(void);

/** Remove `dir` and everything below it, then free it. NULL is a no-op. */
void sr_test_rmdir(char *dir);

/**
 * Load every row of `s` into `out` as lines, one per row:
 *   schema ID TYPE len=N SCHEMA refs=R meta=M rules=U guid=G
 *   version SUBJECT VERSION -> ID deleted=0|1 created=MS
 *   config SUBJECT|<global> CONFIG
 *   mode SUBJECT|<global> MODE
 * (absent optional fields print as NULL). Returns sr_storage_load()'s code.
 */
int sr_test_dump(sr_storage *s, sr_buf *out);

/* Change constructors (strings are borrowed, as in sr_change). */
sr_change sr_test_schema_put(int64_t id, const char *schema, const char *guid);
sr_change sr_test_version_put(const char *subject, int32_t version, int64_t schema_id,
			      bool deleted, int64_t created_ms);
sr_change sr_test_version_delete(const char *subject, int32_t version);
sr_change sr_test_config_put(const char *subject, const char *config);
sr_change sr_test_config_delete(const char *subject);
sr_change sr_test_mode_put(const char *subject, const char *mode);
sr_change sr_test_mode_delete(const char *subject);

/**
 * A backend that forwards load, apply and ping to a mem backend, counts
 * every call, and fails calls on demand. With a migrations prefix it keeps
 * applied migrations in memory, so the generic migration driver can be
 * exercised (including the lock a PostgreSQL backend takes).
 */
typedef struct sr_fake_backend {
	sr_storage_backend parent; /* must be first */
	sr_storage_backend *inner; /* the mem backend rows go to (owned) */

	/* Calls seen. */
	int loads, applies, changes, pings;
	int locks, unlocks, listings, migrations;

	/* While non-zero, calls of that kind fail with this code. */
	int fail_load, fail_apply, fail_ping, fail_migration;

	/* Applied migrations (number, name, checksum), in order. */
	struct {
		int number;
		char *name;
		char *checksum;
	} applied[16];
	int napplied;
} sr_fake_backend;

/**
 * A fake with the given migrations prefix (NULL: none, like mem). Wrap it
 * with sr_storage_from_backend(); the store then owns it, and the pointer
 * stays valid until sr_storage_close().
 */
sr_fake_backend *sr_fake_backend_new(const char *migrations_prefix);

#endif

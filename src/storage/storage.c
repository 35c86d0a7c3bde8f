/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "storage/storage.h"

#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "core/embed.h"
#include "core/hash.h"
#include "core/mem.h"
#include "storage/storage_backend.h"

struct sr_storage {
	sr_storage_backend *backend;
	/* The embedded migrations of this backend, index i = number i + 1. */
	sr_storage_migration *known;
	int nknown;
};

int64_t sr_storage__now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- URLs ---------------------------------------------------------------- */

/*
 * Schemes, each with the separator that must follow it. "sqlite://PATH" is
 * accepted as a synonym of "sqlite:PATH" (so "sqlite:///abs/file.db" is an
 * absolute path, as in SQLAlchemy). PostgreSQL gets the whole URL: libpq
 * parses it.
 */
static const struct {
	const char *prefix;
	int (*open)(sr_storage_backend **out, const char *location, unsigned flags, sr_err *err);
	bool whole_url;
} schemes[] = {
	{ "sqlite://", sr_storage_sqlite_open, false },
	{ "sqlite:", sr_storage_sqlite_open, false },
	{ "mem:", sr_storage_mem_open, false },
	{ "postgres://", sr_storage_postgres_open, true },
	{ "postgresql://", sr_storage_postgres_open, true },
};

int sr_storage_open(sr_storage **out, const char *url, sr_err *err)
{
	return sr_storage_open_flags(out, url, 0, err);
}

int sr_storage_open_flags(sr_storage **out, const char *url, unsigned flags, sr_err *err)
{
	sr_storage_backend *b = NULL;
	size_t i, scheme_len;
	int rc;

	*out = NULL;
	if (!url || !*url)
		return sr_err_set(err, SR_EINVALID, SR_ERR_STORE, "empty storage URL");
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t n = strlen(schemes[i].prefix);

		if (strncmp(url, schemes[i].prefix, n) != 0)
			continue;
		rc = schemes[i].open(&b, schemes[i].whole_url ? url : url + n, flags, err);
		if (rc < 0)
			return rc;
		return sr_storage_from_backend(out, b, err);
	}
	/* Name only the scheme: the rest of a URL may hold credentials. */
	scheme_len = strcspn(url, ":");
	if (scheme_len == strlen(url) || scheme_len > 32)
		return sr_err_set(err, SR_EINVALID, SR_ERR_STORE,
				  "storage URL has no scheme; expected sqlite:PATH, mem: or "
				  "postgres://...");
	return sr_err_set(err, SR_EINVALID, SR_ERR_STORE,
			  "unknown storage URL scheme '%.*s'; expected sqlite:PATH, mem: or "
			  "postgres://...",
			  (int)scheme_len, url);
}

/* ---- embedded migrations ------------------------------------------------- */

static void sha256_hex(char out[65], const void *data, size_t n)
{
	unsigned char md[32];
	unsigned int md_len = 0;

	if (EVP_Digest(data, n, md, &md_len, EVP_sha256(), NULL) != 1 || md_len != 32)
		sr_fatal("EVP_Digest(sha256) failed");
	sr_hex(out, md, 32);
}

static void free_known(sr_storage_migration *known, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free((char *)known[i].name);
		free((char *)known[i].checksum);
	}
	free(known);
}

/*
 * Collect the files under `prefix` named NNNN_name.sql. The table is sorted
 * by path, so equal-width numbers come out in order; the numbering must be
 * exactly 1..N, which also rejects duplicates and gaps.
 */
static int collect_known(sr_storage *s, const char *prefix, sr_err *err)
{
	const sr_embedded_file *f;
	size_t plen = strlen(prefix);
	int cap = 0;

	for (f = sr_embedded_files; f->path; f++) {
		const char *base, *us, *dot;
		sr_storage_migration *m;
		char *checksum;
		int number = 0;
		const char *p;

		if (strncmp(f->path, prefix, plen) != 0)
			continue;
		base = f->path + plen;
		dot = strrchr(base, '.');
		if (strchr(base, '/') || !dot || strcmp(dot, ".sql") != 0)
			continue;
		us = strchr(base, '_');
		for (p = base; p < (us ? us : dot); p++) {
			if (*p < '0' || *p > '9' || number > 99999)
				break;
			number = number * 10 + (*p - '0');
		}
		if (!us || us > dot || p != us || p == base || number != s->nknown + 1)
			return sr_err_set(err, SR_ERROR, SR_ERR_STORE,
					  "embedded migration %s is out of sequence (expected "
					  "number %d, files named NNNN_name.sql)",
					  f->path, s->nknown + 1);
		if (s->nknown == cap) {
			cap = cap ? cap * 2 : 8;
			s->known = sr_realloc(s->known, (size_t)cap * sizeof(*s->known));
		}
		m = &s->known[s->nknown++];
		memset(m, 0, sizeof(*m));
		checksum = sr_malloc(65);
		sha256_hex(checksum, f->data, f->len);
		m->number = number;
		m->name = sr_strndup(us + 1, (size_t)(dot - us - 1));
		m->checksum = checksum;
		m->sql = (const char *)f->data;
		m->sql_len = f->len;
	}
	return 0;
}

/* ---- lifecycle ----------------------------------------------------------- */

int sr_storage_from_backend(sr_storage **out, sr_storage_backend *backend, sr_err *err)
{
	sr_storage *s = NULL;
	int rc;

	*out = NULL;
	if (!backend)
		return sr_err_set(err, SR_EINVALID, SR_ERR_STORE, "no storage backend");
	if (backend->version < 1 || backend->version > SR_STORAGE_BACKEND_VERSION ||
	    !backend->name || !backend->load ||
	    !backend->apply || !backend->ping || !backend->free ||
	    (backend->migrations_prefix &&
	     (!backend->migrations_applied || !backend->migration_apply))) {
		rc = sr_err_set(err, SR_EINVALID, SR_ERR_STORE,
				"storage backend '%s' (interface version %u) is incomplete or of "
				"an unknown version (this build knows %u)",
				backend->name ? backend->name : "?", backend->version,
				SR_STORAGE_BACKEND_VERSION);
		goto done;
	}
	s = sr_calloc(1, sizeof(*s));
	s->backend = backend;
	backend = NULL;
	if (s->backend->migrations_prefix) {
		rc = collect_known(s, s->backend->migrations_prefix, err);
		if (rc < 0)
			goto done;
	}
	*out = s;
	s = NULL;
	rc = 0;
done:
	sr_storage_backend_free(backend);
	sr_storage_close(s);
	return rc;
}

sr_storage_backend *sr_storage_backend_of(sr_storage *s)
{
	return s->backend;
}

const char *sr_storage_backend_name(const sr_storage *s)
{
	return s->backend->name;
}

void sr_storage_close(sr_storage *s)
{
	if (!s)
		return;
	sr_storage_backend_free(s->backend);
	free_known(s->known, s->nknown);
	free(s);
}

/* ---- migrations ---------------------------------------------------------- */

/*
 * What the database says about itself compared with what this binary
 * knows. Exactly one verdict applies, checked in this order: a migration
 * the binary does not know (newer release), an applied migration whose
 * checksum differs, a gap in the applied numbers, pending migrations.
 */
typedef struct migration_scan {
	const sr_storage *s;
	int applied;        /* highest applied number */
	int count;          /* how many rows were reported */
	int future;         /* highest number past what the binary knows, or 0 */
	int mismatch;       /* first number whose checksum differs, or 0 */
	int gap;            /* 1 when a number below `applied` is missing */
} migration_scan;

static int scan_one(void *ctx, const sr_storage_migration *m)
{
	migration_scan *sc = ctx;

	sc->count++;
	if (m->number > sc->applied)
		sc->applied = m->number;
	if (m->number > sc->s->nknown) {
		if (m->number > sc->future)
			sc->future = m->number;
		return 0;
	}
	if (m->number >= 1 && !sc->mismatch &&
	    (!m->checksum || strcmp(m->checksum, sc->s->known[m->number - 1].checksum) != 0))
		sc->mismatch = m->number;
	return 0;
}

static int scan(sr_storage *s, migration_scan *out, sr_err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->s = s;
	rc = sr_storage_backend_migrations_applied(s->backend, scan_one, out, err);
	if (rc < 0)
		return rc;
	/* Numbers are unique (the bookkeeping table's key), so fewer rows than
	 * the highest number means one is missing. */
	if (out->count != out->applied)
		out->gap = 1;
	return 0;
}

/* The refusal for a database this binary must not touch, or 0. */
static int refuse(const sr_storage *s, const migration_scan *sc, sr_err *err)
{
	if (sc->future)
		return sr_err_set(err, SR_ECONFLICT, SR_ERR_STORE,
				  "this database was migrated by a newer release (%d > %d); run "
				  "that release or restore a backup",
				  sc->applied, s->nknown);
	if (sc->mismatch)
		return sr_err_set(err, SR_ECONFLICT, SR_ERR_STORE,
				  "migration %04d_%s applied to this database differs from the one "
				  "in this release (checksum mismatch); run the release that "
				  "migrated it or restore a backup",
				  sc->mismatch, s->known[sc->mismatch - 1].name);
	if (sc->gap)
		return sr_err_set(err, SR_ECONFLICT, SR_ERR_STORE,
				  "this database records migrations up to %d but not all of 1..%d; "
				  "restore a backup",
				  sc->applied, sc->applied);
	return 0;
}

int sr_storage_migration_status(sr_storage *s, sr_migration_status *out, sr_err *err)
{
	migration_scan sc;
	int rc;

	out->applied = 0;
	out->known = s->nknown;
	rc = scan(s, &sc, err);
	if (rc < 0)
		return rc;
	out->applied = sc.applied;
	return 0;
}

int sr_storage_migrate(sr_storage *s, int *applied_out, sr_err *err)
{
	migration_scan sc;
	bool locked = false;
	int rc, i, applied_now = 0;

	if (applied_out)
		*applied_out = 0;
	rc = sr_storage_backend_migrate_lock(s->backend, err);
	if (rc < 0)
		goto done;
	locked = true;
	/* Read the state under the lock: another process may just have
	 * migrated. */
	rc = scan(s, &sc, err);
	if (rc < 0)
		goto done;
	rc = refuse(s, &sc, err);
	if (rc < 0)
		goto done;
	for (i = sc.applied; i < s->nknown; i++) {
		rc = sr_storage_backend_migration_apply(s->backend, &s->known[i], err);
		if (rc < 0) {
			sr_err_prefix(err, "migration %04d_%s: ", s->known[i].number,
				      s->known[i].name);
			goto done;
		}
		applied_now++;
	}
	rc = 0;
done:
	if (locked)
		sr_storage_backend_migrate_unlock(s->backend);
	if (applied_out)
		*applied_out = applied_now;
	return rc;
}

int sr_storage_check_ready(sr_storage *s, sr_err *err)
{
	migration_scan sc;
	int rc;

	rc = scan(s, &sc, err);
	if (rc < 0)
		return rc;
	rc = refuse(s, &sc, err);
	if (rc < 0)
		return rc;
	if (sc.applied < s->nknown)
		return sr_err_set(err, SR_ECONFLICT, SR_ERR_STORE,
				  "the database is at migration %d, this release needs %d; run "
				  "`schema-registry migrate`",
				  sc.applied, s->nknown);
	return 0;
}

/* ---- rows ---------------------------------------------------------------- */

int sr_storage_load(sr_storage *s, const sr_storage_loader *loader, sr_err *err)
{
	return sr_storage_backend_load(s->backend, loader, err);
}

static int bad_change(sr_err *err, size_t i, const char *what)
{
	return sr_err_set(err, SR_EINVALID, SR_ERR_STORE, "storage change %zu: %s", i, what);
}

/* A scope is NULL (global) or a non-empty subject: backends may store the
 * global scope under a sentinel such as "". */
static bool valid_scope(const char *subject)
{
	return !subject || *subject;
}

/* Shared argument checks, so that every backend sees the same batches. */
static int check_change(const sr_change *c, size_t i, sr_err *err)
{
	switch (c->kind) {
	case SR_CHANGE_SCHEMA_PUT:
		if (c->u.schema.id <= 0)
			return bad_change(err, i, "schema id must be positive");
		if (!c->u.schema.schema_type || !c->u.schema.schema || !c->u.schema.guid)
			return bad_change(err, i, "schema needs schema_type, schema and guid");
		return 0;
	case SR_CHANGE_VERSION_PUT:
		if (c->u.version.schema_id <= 0)
			return bad_change(err, i, "schema id must be positive");
		/* fall through */
	case SR_CHANGE_VERSION_DELETE:
		if (!c->u.version.subject || !*c->u.version.subject)
			return bad_change(err, i, "version needs a subject");
		if (c->u.version.version <= 0)
			return bad_change(err, i, "version must be positive");
		return 0;
	case SR_CHANGE_CONFIG_PUT:
		if (!c->u.config.config)
			return bad_change(err, i, "config needs its JSON text");
		/* fall through */
	case SR_CHANGE_CONFIG_DELETE:
		if (!valid_scope(c->u.config.subject))
			return bad_change(err, i,
					  "config subject must be NULL (global) or non-empty");
		return 0;
	case SR_CHANGE_MODE_PUT:
		if (!c->u.mode.mode)
			return bad_change(err, i, "mode needs its name");
		/* fall through */
	case SR_CHANGE_MODE_DELETE:
		if (!valid_scope(c->u.mode.subject))
			return bad_change(err, i,
					  "mode subject must be NULL (global) or non-empty");
		return 0;
	}
	return bad_change(err, i, "unknown change kind");
}

int sr_storage_apply(sr_storage *s, const sr_change *changes, size_t n, sr_err *err)
{
	size_t i;
	int rc;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		rc = check_change(&changes[i], i, err);
		if (rc < 0)
			return rc;
	}
	return sr_storage_backend_apply(s->backend, changes, n, err);
}

const char *sr_change_kind_name(sr_change_kind kind)
{
	static const char *const names[] = {
		[SR_CHANGE_SCHEMA_PUT] = "SCHEMA_PUT",
		[SR_CHANGE_VERSION_PUT] = "VERSION_PUT",
		[SR_CHANGE_VERSION_DELETE] = "VERSION_DELETE",
		[SR_CHANGE_CONFIG_PUT] = "CONFIG_PUT",
		[SR_CHANGE_CONFIG_DELETE] = "CONFIG_DELETE",
		[SR_CHANGE_MODE_PUT] = "MODE_PUT",
		[SR_CHANGE_MODE_DELETE] = "MODE_DELETE",
	};

	return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "UNKNOWN";
}

/* Slots of interface version 2 and later are absent in older backends. */
static bool has_v2(const sr_storage *s)
{
	return s->backend->version >= 2;
}

bool sr_storage_replicated(const sr_storage *s)
{
	return has_v2(s) && s->backend->tail != NULL;
}

int sr_storage_write_begin(sr_storage *s, sr_err *err)
{
	return has_v2(s) && s->backend->write_begin ? s->backend->write_begin(s->backend, err) : 0;
}

void sr_storage_write_end(sr_storage *s)
{
	if (has_v2(s) && s->backend->write_end)
		s->backend->write_end(s->backend);
}

int sr_storage_tail(sr_storage *s, sr_storage_change_cb cb, void *ctx, sr_err *err)
{
	return sr_storage_replicated(s) ? s->backend->tail(s->backend, cb, ctx, err) : 0;
}

int sr_storage_wait(sr_storage *s, int timeout_ms)
{
	return has_v2(s) && s->backend->wait ? s->backend->wait(s->backend, timeout_ms) : 0;
}

int sr_storage_ping(sr_storage *s, sr_err *err)
{
	return sr_storage_backend_ping(s->backend, err);
}

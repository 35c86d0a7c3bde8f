/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "storage/test_backend_helpers.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/mem.h"

char *sr_test_tmpdir(void)
{
	char tmpl[] = "/tmp/sr-storage-test-XXXXXX";

	if (!mkdtemp(tmpl))
		sr_fatal("mkdtemp failed");
	return sr_strdup(tmpl);
}

static int rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	return remove(path);
}

void sr_test_rmdir(char *dir)
{
	if (!dir)
		return;
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/* ---- dump ---------------------------------------------------------------- */

static const char *or_null(const char *s)
{
	return s ? s : "NULL";
}

static int dump_schema(void *ctx, const sr_st_schema *s)
{
	return sr_buf_printf(ctx, "schema %lld %s len=%zu %.*s refs=%s meta=%s rules=%s guid=%s\n",
			     (long long)s->id, s->schema_type, s->schema_len, (int)s->schema_len,
			     s->schema, or_null(s->references), or_null(s->metadata),
			     or_null(s->rule_set), s->guid);
}

static int dump_version(void *ctx, const sr_st_version *v)
{
	return sr_buf_printf(ctx, "version %s %d -> %lld deleted=%d created=%lld\n", v->subject,
			     (int)v->version, (long long)v->schema_id, v->deleted ? 1 : 0,
			     (long long)v->created_ms);
}

static int dump_config(void *ctx, const sr_st_config *c)
{
	return sr_buf_printf(ctx, "config %s %s\n", c->subject ? c->subject : "<global>",
			     c->config);
}

static int dump_mode(void *ctx, const sr_st_mode *m)
{
	return sr_buf_printf(ctx, "mode %s %s\n", m->subject ? m->subject : "<global>", m->mode);
}

int sr_test_dump(sr_storage *s, sr_buf *out)
{
	sr_storage_loader l = { dump_schema, dump_version, dump_config, dump_mode, out };
	sr_err err = SR_ERR_INIT;
	int rc;

	sr_buf_clear(out);
	sr_buf_puts(out, ""); /* ptr is a string even when nothing is loaded */
	rc = sr_storage_load(s, &l, &err);
	if (rc != 0)
		fprintf(stderr, "sr_test_dump: %d %s\n", rc, sr_err_message(&err));
	sr_err_dispose(&err);
	return rc;
}

/* ---- change constructors ------------------------------------------------- */

sr_change sr_test_schema_put(int64_t id, const char *schema, const char *guid)
{
	sr_change c = { .kind = SR_CHANGE_SCHEMA_PUT };

	c.u.schema.id = id;
	c.u.schema.schema_type = "AVRO";
	c.u.schema.schema = schema;
	c.u.schema.schema_len = strlen(schema);
	c.u.schema.guid = guid;
	return c;
}

sr_change sr_test_version_put(const char *subject, int32_t version, int64_t schema_id,
			      bool deleted, int64_t created_ms)
{
	sr_change c = { .kind = SR_CHANGE_VERSION_PUT };

	c.u.version.subject = subject;
	c.u.version.version = version;
	c.u.version.schema_id = schema_id;
	c.u.version.deleted = deleted;
	c.u.version.created_ms = created_ms;
	return c;
}

sr_change sr_test_version_delete(const char *subject, int32_t version)
{
	sr_change c = { .kind = SR_CHANGE_VERSION_DELETE };

	c.u.version.subject = subject;
	c.u.version.version = version;
	return c;
}

sr_change sr_test_config_put(const char *subject, const char *config)
{
	sr_change c = { .kind = SR_CHANGE_CONFIG_PUT };

	c.u.config.subject = subject;
	c.u.config.config = config;
	return c;
}

sr_change sr_test_config_delete(const char *subject)
{
	sr_change c = { .kind = SR_CHANGE_CONFIG_DELETE };

	c.u.config.subject = subject;
	return c;
}

sr_change sr_test_mode_put(const char *subject, const char *mode)
{
	sr_change c = { .kind = SR_CHANGE_MODE_PUT };

	c.u.mode.subject = subject;
	c.u.mode.mode = mode;
	return c;
}

sr_change sr_test_mode_delete(const char *subject)
{
	sr_change c = { .kind = SR_CHANGE_MODE_DELETE };

	c.u.mode.subject = subject;
	return c;
}

/* ---- the fake backend ---------------------------------------------------- */

static int injected(int rc, const char *what, sr_err *err)
{
	return sr_err_set(err, rc, SR_ERR_STORE, "fake backend: injected %s failure", what);
}

static int fake_migrate_lock(sr_storage_backend *b, sr_err *err)
{
	((sr_fake_backend *)b)->locks++;
	return 0;
}

static void fake_migrate_unlock(sr_storage_backend *b)
{
	((sr_fake_backend *)b)->unlocks++;
}

static int fake_migrations_applied(sr_storage_backend *b, sr_storage_migration_cb cb, void *ctx,
				   sr_err *err)
{
	sr_fake_backend *f = (sr_fake_backend *)b;
	int i, rc;

	f->listings++;
	for (i = 0; i < f->napplied; i++) {
		sr_storage_migration m = { 0 };

		m.number = f->applied[i].number;
		m.name = f->applied[i].name;
		m.checksum = f->applied[i].checksum;
		rc = cb(ctx, &m);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int fake_migration_apply(sr_storage_backend *b, const sr_storage_migration *m,
				sr_err *err)
{
	sr_fake_backend *f = (sr_fake_backend *)b;
	int i;

	f->migrations++;
	if (f->fail_migration)
		return injected(f->fail_migration, "migration", err);
	for (i = 0; i < f->napplied; i++)
		if (f->applied[i].number == m->number)
			return sr_err_set(err, SR_ECONFLICT, SR_ERR_STORE, "already applied");
	if (f->napplied == (int)(sizeof(f->applied) / sizeof(f->applied[0])))
		return sr_err_set(err, SR_ERROR, SR_ERR_STORE, "fake backend: too many migrations");
	f->applied[f->napplied].number = m->number;
	f->applied[f->napplied].name = sr_strdup(m->name);
	f->applied[f->napplied].checksum = sr_strdup(m->checksum);
	f->napplied++;
	return 0;
}

static int fake_load(sr_storage_backend *b, const sr_storage_loader *l, sr_err *err)
{
	sr_fake_backend *f = (sr_fake_backend *)b;

	f->loads++;
	if (f->fail_load)
		return injected(f->fail_load, "load", err);
	return sr_storage_backend_load(f->inner, l, err);
}

static int fake_apply(sr_storage_backend *b, const sr_change *changes, size_t n, sr_err *err)
{
	sr_fake_backend *f = (sr_fake_backend *)b;
	int rc;

	f->applies++;
	if (f->fail_apply)
		return injected(f->fail_apply, "apply", err);
	rc = sr_storage_backend_apply(f->inner, changes, n, err);
	if (rc == 0)
		f->changes += (int)n;
	return rc;
}

static int fake_ping(sr_storage_backend *b, sr_err *err)
{
	sr_fake_backend *f = (sr_fake_backend *)b;

	f->pings++;
	if (f->fail_ping)
		return injected(f->fail_ping, "ping", err);
	return 0;
}

static void fake_free(sr_storage_backend *b)
{
	sr_fake_backend *f = (sr_fake_backend *)b;
	int i;

	for (i = 0; i < f->napplied; i++) {
		free(f->applied[i].name);
		free(f->applied[i].checksum);
	}
	sr_storage_backend_free(f->inner);
	free(f);
}

sr_fake_backend *sr_fake_backend_new(const char *migrations_prefix)
{
	sr_fake_backend *f = sr_calloc(1, sizeof(*f));

	if (sr_storage_mem_open(&f->inner, "", 0, NULL) != 0)
		sr_fatal("mem backend");
	f->parent.version = SR_STORAGE_BACKEND_VERSION;
	f->parent.name = "fake";
	f->parent.migrations_prefix = migrations_prefix;
	if (migrations_prefix) {
		f->parent.migrate_lock = fake_migrate_lock;
		f->parent.migrate_unlock = fake_migrate_unlock;
		f->parent.migrations_applied = fake_migrations_applied;
		f->parent.migration_apply = fake_migration_apply;
	}
	f->parent.load = fake_load;
	f->parent.apply = fake_apply;
	f->parent.ping = fake_ping;
	f->parent.free = fake_free;
	return f;
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */

/*
 * The in-memory backend: the reference semantics of the storage contract,
 * used by tests. Rows live in hash maps; a batch is applied change by
 * change while an undo log records what each change replaced, so a
 * failing change rolls the whole batch back (atomicity without copying
 * the store). Nothing survives sr_storage_close(). Migrations do not
 * apply: a mem store is always migrated.
 *
 * Thread-safety: load and apply come from one writer thread at a time;
 * ping touches no state.
 */
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/map.h"
#include "storage/storage_backend.h"

enum mem_table { T_SCHEMA, T_VERSION, T_CONFIG, T_MODE };

/* A stored row: a copy of the public struct whose strings it owns. */
typedef struct mem_row {
	enum mem_table table;
	/* Map key (not for schemas, keyed by their id field):
	 * versions "subject\0" + 4 version bytes, scopes the subject or ""
	 * for global. The version's subject points into it. */
	char *key;
	size_t key_len;
	union {
		sr_st_schema schema;
		sr_st_version version;
		sr_st_config config;
		sr_st_mode mode;
	} u;
} mem_row;

/* What one applied change replaced (old) and inserted (neu). */
typedef struct mem_undo {
	mem_row *old;
	mem_row *neu;
} mem_undo;

typedef struct mem_backend {
	sr_storage_backend parent; /* must be first */
	sr_map schemas_by_id;      /* key: the row's 8 id bytes */
	sr_map versions;
	sr_map configs;
	sr_map modes;
	mem_undo *undo;
	size_t undo_len, undo_cap;
} mem_backend;

static char *dup_or_null(const char *s)
{
	return s ? sr_strdup(s) : NULL;
}

static void row_free(mem_row *r)
{
	if (!r)
		return;
	switch (r->table) {
	case T_SCHEMA:
		free((char *)r->u.schema.schema_type);
		free((char *)r->u.schema.schema);
		free((char *)r->u.schema.references);
		free((char *)r->u.schema.metadata);
		free((char *)r->u.schema.rule_set);
		free((char *)r->u.schema.guid);
		break;
	case T_VERSION:
		break;
	case T_CONFIG:
		free((char *)r->u.config.config);
		break;
	case T_MODE:
		free((char *)r->u.mode.mode);
		break;
	}
	free(r->key);
	free(r);
}

static sr_map *table_map(mem_backend *m, enum mem_table t)
{
	switch (t) {
	case T_VERSION:
		return &m->versions;
	case T_CONFIG:
		return &m->configs;
	case T_MODE:
		return &m->modes;
	case T_SCHEMA:
		break;
	}
	return &m->schemas_by_id;
}

/* "subject\0" followed by the version's 4 bytes. */
static char *version_key(const char *subject, int32_t version, size_t *len_out)
{
	size_t n = strlen(subject);
	char *k = sr_malloc(n + 1 + sizeof(version));

	memcpy(k, subject, n + 1);
	memcpy(k + n + 1, &version, sizeof(version));
	*len_out = n + 1 + sizeof(version);
	return k;
}

static void undo_push(mem_backend *m, mem_row *old, mem_row *neu)
{
	if (m->undo_len == m->undo_cap) {
		m->undo_cap = m->undo_cap ? m->undo_cap * 2 : 16;
		m->undo = sr_realloc(m->undo, m->undo_cap * sizeof(*m->undo));
	}
	m->undo[m->undo_len].old = old;
	m->undo[m->undo_len].neu = neu;
	m->undo_len++;
}

static void rollback(mem_backend *m)
{
	while (m->undo_len > 0) {
		mem_undo *u = &m->undo[--m->undo_len];

		if (u->neu && u->neu->table == T_SCHEMA) {
			/* Schemas are only ever inserted. */
			sr_map_remove(&m->schemas_by_id, (const char *)&u->neu->u.schema.id,
				      sizeof(int64_t));
		} else if (u->old) {
			sr_map_put(table_map(m, u->old->table), u->old->key, u->old->key_len,
				   u->old);
		} else if (u->neu) {
			sr_map_remove(table_map(m, u->neu->table), u->neu->key, u->neu->key_len);
		}
		row_free(u->neu);
	}
}

static void commit(mem_backend *m)
{
	size_t i;

	for (i = 0; i < m->undo_len; i++)
		row_free(m->undo[i].old);
	m->undo_len = 0;
}

static int put_schema(mem_backend *m, const sr_st_schema *s, sr_err *err)
{
	mem_row *r;

	if (sr_map_get(&m->schemas_by_id, (const char *)&s->id, sizeof(s->id)))
		return sr_err_set(err, SR_ECONFLICT, SR_ERR_STORE, "schema id %lld already exists",
				  (long long)s->id);
	r = sr_calloc(1, sizeof(*r));
	r->table = T_SCHEMA;
	r->u.schema.id = s->id;
	r->u.schema.schema_type = sr_strdup(s->schema_type);
	r->u.schema.schema = sr_strndup(s->schema, s->schema_len);
	r->u.schema.schema_len = s->schema_len;
	r->u.schema.references = dup_or_null(s->references);
	r->u.schema.metadata = dup_or_null(s->metadata);
	r->u.schema.rule_set = dup_or_null(s->rule_set);
	r->u.schema.guid = sr_strdup(s->guid);
	sr_map_put(&m->schemas_by_id, (const char *)&r->u.schema.id, sizeof(int64_t), r);
	undo_push(m, NULL, r);
	return 0;
}

static int put_version(mem_backend *m, const sr_st_version *v, sr_err *err)
{
	mem_row *r, *old;

	if (!sr_map_get(&m->schemas_by_id, (const char *)&v->schema_id, sizeof(v->schema_id)))
		return sr_err_set(err, SR_ECONFLICT, SR_ERR_STORE,
				  "version %d of subject '%s' refers to schema id %lld, which does "
				  "not exist",
				  (int)v->version, v->subject, (long long)v->schema_id);
	r = sr_calloc(1, sizeof(*r));
	r->table = T_VERSION;
	r->key = version_key(v->subject, v->version, &r->key_len);
	r->u.version = *v;
	r->u.version.subject = r->key;
	old = sr_map_put(&m->versions, r->key, r->key_len, r);
	undo_push(m, old, r);
	return 0;
}

static void delete_version(mem_backend *m, const sr_st_version *v)
{
	size_t len;
	char *k = version_key(v->subject, v->version, &len);
	mem_row *old = sr_map_remove(&m->versions, k, len);

	if (old)
		undo_push(m, old, NULL);
	free(k);
}

/* Config and mode rows: a text value per scope; "" keys the global scope. */
static void put_scoped(mem_backend *m, enum mem_table t, const char *subject, const char *text)
{
	mem_row *r = sr_calloc(1, sizeof(*r)), *old;

	r->table = t;
	r->key = sr_strdup(subject ? subject : "");
	r->key_len = strlen(r->key);
	if (t == T_CONFIG) {
		r->u.config.subject = subject ? r->key : NULL;
		r->u.config.config = sr_strdup(text);
	} else {
		r->u.mode.subject = subject ? r->key : NULL;
		r->u.mode.mode = sr_strdup(text);
	}
	old = sr_map_put(table_map(m, t), r->key, r->key_len, r);
	undo_push(m, old, r);
}

static void delete_scoped(mem_backend *m, enum mem_table t, const char *subject)
{
	const char *k = subject ? subject : "";
	mem_row *old = sr_map_remove(table_map(m, t), k, strlen(k));

	if (old)
		undo_push(m, old, NULL);
}

static int mem_apply(sr_storage_backend *b, const sr_change *changes, size_t n, sr_err *err)
{
	mem_backend *m = (mem_backend *)b;
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		const sr_change *c = &changes[i];

		switch (c->kind) {
		case SR_CHANGE_SCHEMA_PUT:
			rc = put_schema(m, &c->u.schema, err);
			break;
		case SR_CHANGE_VERSION_PUT:
			rc = put_version(m, &c->u.version, err);
			break;
		case SR_CHANGE_VERSION_DELETE:
			delete_version(m, &c->u.version);
			break;
		case SR_CHANGE_CONFIG_PUT:
			put_scoped(m, T_CONFIG, c->u.config.subject, c->u.config.config);
			break;
		case SR_CHANGE_CONFIG_DELETE:
			delete_scoped(m, T_CONFIG, c->u.config.subject);
			break;
		case SR_CHANGE_MODE_PUT:
			put_scoped(m, T_MODE, c->u.mode.subject, c->u.mode.mode);
			break;
		case SR_CHANGE_MODE_DELETE:
			delete_scoped(m, T_MODE, c->u.mode.subject);
			break;
		}
	}
	if (rc < 0)
		rollback(m);
	else
		commit(m);
	return rc;
}

/* ---- load ---------------------------------------------------------------- */

static int cmp_schema(const void *a, const void *b)
{
	int64_t x = (*(mem_row *const *)a)->u.schema.id, y = (*(mem_row *const *)b)->u.schema.id;

	return (x > y) - (x < y);
}

/* (subject, version), subjects compared bytewise like SQLite's BINARY. */
static int cmp_version(const void *a, const void *b)
{
	const sr_st_version *x = &(*(mem_row *const *)a)->u.version;
	const sr_st_version *y = &(*(mem_row *const *)b)->u.version;
	int c = strcmp(x->subject, y->subject);

	if (c)
		return c;
	return (x->version > y->version) - (x->version < y->version);
}

/* By scope, the global scope ("") first. */
static int cmp_key(const void *a, const void *b)
{
	return strcmp((*(mem_row *const *)a)->key, (*(mem_row *const *)b)->key);
}

static mem_row **sorted_rows(const sr_map *map, int (*cmp)(const void *, const void *))
{
	mem_row **rows = sr_malloc((map->count + 1) * sizeof(*rows));
	sr_map_entry *e;
	size_t pos = 0, n = 0;

	while (sr_map_next(map, &pos, &e))
		rows[n++] = e->value;
	qsort(rows, n, sizeof(*rows), cmp);
	return rows;
}

static int mem_load(sr_storage_backend *b, const sr_storage_loader *l, sr_err *err)
{
	mem_backend *m = (mem_backend *)b;
	const sr_map *maps[4] = { &m->schemas_by_id, &m->versions, &m->configs, &m->modes };
	int (*const cmps[4])(const void *, const void *) = { cmp_schema, cmp_version, cmp_key,
							     cmp_key };
	mem_row **rows = NULL;
	size_t i;
	int t, rc = 0;

	for (t = 0; t < 4 && rc == 0; t++) {
		rows = sorted_rows(maps[t], cmps[t]);
		for (i = 0; i < maps[t]->count && rc == 0; i++) {
			const mem_row *r = rows[i];

			if (t == 0 && l->schema)
				rc = l->schema(l->ctx, &r->u.schema);
			else if (t == 1 && l->version)
				rc = l->version(l->ctx, &r->u.version);
			else if (t == 2 && l->config)
				rc = l->config(l->ctx, &r->u.config);
			else if (t == 3 && l->mode)
				rc = l->mode(l->ctx, &r->u.mode);
		}
		free(rows);
	}
	return rc;
}

/* ---- the rest ------------------------------------------------------------ */

static int mem_ping(sr_storage_backend *b, sr_err *err)
{
	return 0;
}

static void free_map_rows(sr_map *map)
{
	sr_map_entry *e;
	size_t pos = 0;

	while (sr_map_next(map, &pos, &e))
		row_free(e->value);
	sr_map_dispose(map);
}

static void mem_free(sr_storage_backend *b)
{
	mem_backend *m = (mem_backend *)b;

	free_map_rows(&m->schemas_by_id);
	free_map_rows(&m->versions);
	free_map_rows(&m->configs);
	free_map_rows(&m->modes);
	free(m->undo);
	free(m);
}

int sr_storage_mem_open(sr_storage_backend **out, const char *location, unsigned flags,
			sr_err *err)
{
	mem_backend *m;

	*out = NULL;
	if (location && *location)
		return sr_err_set(err, SR_EINVALID, SR_ERR_STORE,
				  "the mem: storage URL takes no location (got 'mem:%s')", location);
	m = sr_calloc(1, sizeof(*m));
	m->parent.version = SR_STORAGE_BACKEND_VERSION;
	m->parent.name = "mem";
	m->parent.migrations_prefix = NULL;
	m->parent.load = mem_load;
	m->parent.apply = mem_apply;
	m->parent.ping = mem_ping;
	m->parent.free = mem_free;
	*out = &m->parent;
	return 0;
}

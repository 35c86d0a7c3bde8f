/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The logical dump: every row of a store as JSON lines, independent of the
 * backend, so that a backup of one store restores into another (SQLite to
 * PostgreSQL and back). Texts (schemas, references, metadata, rule sets,
 * configs) are kept as JSON strings, byte for byte as stored.
 *
 *   {"type":"header","format":"llm-schema-registry-dump","version":1,...}
 *   {"type":"schema","id":1,"schemaType":"AVRO","schema":"...","references":null,...}
 *   {"type":"version","subject":"s","version":1,"id":1,"deleted":false,"ts":...}
 *   {"type":"config","subject":null,"config":"{...}"}
 *   {"type":"mode","subject":"s","mode":"READONLY"}
 *   {"type":"end","schemas":N,"versions":N,"configs":N,"modes":N}
 *
 * The end line makes a truncated file detectable; a restore reads and
 * checks the whole dump before it writes anything, then writes it in one
 * transaction.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "json/json.h"
#include "storage/storage_backend.h"

#define DUMP_FORMAT "llm-schema-registry-dump"
#define DUMP_VERSION 1

/* ---- dump ---------------------------------------------------------------- */

typedef struct dump_ctx {
	FILE *out;
	sr_buf line;
	sr_dump_stats *stats;
	int write_errno;
} dump_ctx;

static void text_or_null(sr_jw *w, const char *key, const char *s)
{
	sr_jw_key(w, key);
	if (s)
		sr_jw_string(w, s);
	else
		sr_jw_null(w);
}

/* Start a line: {"type":TYPE, ... */
static void line_begin(dump_ctx *d, sr_jw *w, const char *type)
{
	sr_buf_clear(&d->line);
	sr_jw_init(w, &d->line);
	sr_jw_object_begin(w);
	sr_jw_key(w, "type");
	sr_jw_string(w, type);
}

/* Write the line built in d->line, ending it. */
static int line_write(dump_ctx *d)
{
	sr_buf_putc(&d->line, '\n');
	if (fwrite(d->line.ptr, 1, d->line.len, d->out) != d->line.len) {
		d->write_errno = errno ? errno : EIO;
		return SR_EUNAVAILABLE;
	}
	return 0;
}

static int line_end(dump_ctx *d, sr_jw *w)
{
	sr_jw_object_end(w);
	return line_write(d);
}

/* The members of a change after its "type" (the dump's line format). */
static void change_members(sr_jw *w, const sr_change *c)
{
	switch (c->kind) {
	case SR_CHANGE_SCHEMA_PUT: {
		const sr_st_schema *s = &c->u.schema;

		sr_jw_key(w, "id");
		sr_jw_i64(w, s->id);
		text_or_null(w, "schemaType", s->schema_type);
		sr_jw_key(w, "schema");
		sr_jw_stringn(w, s->schema, s->schema_len);
		text_or_null(w, "references", s->references);
		text_or_null(w, "metadata", s->metadata);
		text_or_null(w, "ruleSet", s->rule_set);
		text_or_null(w, "guid", s->guid);
		break;
	}
	case SR_CHANGE_VERSION_PUT:
	case SR_CHANGE_VERSION_DELETE:
		text_or_null(w, "subject", c->u.version.subject);
		sr_jw_key(w, "version");
		sr_jw_i64(w, c->u.version.version);
		if (c->kind == SR_CHANGE_VERSION_DELETE)
			break;
		sr_jw_key(w, "id");
		sr_jw_i64(w, c->u.version.schema_id);
		sr_jw_key(w, "deleted");
		sr_jw_bool(w, c->u.version.deleted);
		sr_jw_key(w, "ts");
		sr_jw_i64(w, c->u.version.created_ms);
		break;
	case SR_CHANGE_CONFIG_PUT:
	case SR_CHANGE_CONFIG_DELETE:
		text_or_null(w, "subject", c->u.config.subject);
		if (c->kind == SR_CHANGE_CONFIG_PUT)
			text_or_null(w, "config", c->u.config.config);
		break;
	case SR_CHANGE_MODE_PUT:
	case SR_CHANGE_MODE_DELETE:
		text_or_null(w, "subject", c->u.mode.subject);
		if (c->kind == SR_CHANGE_MODE_PUT)
			text_or_null(w, "mode", c->u.mode.mode);
		break;
	}
}

static const char *const change_types[] = {
	[SR_CHANGE_SCHEMA_PUT] = "schema",
	[SR_CHANGE_VERSION_PUT] = "version",
	[SR_CHANGE_VERSION_DELETE] = "version_delete",
	[SR_CHANGE_CONFIG_PUT] = "config",
	[SR_CHANGE_CONFIG_DELETE] = "config_delete",
	[SR_CHANGE_MODE_PUT] = "mode",
	[SR_CHANGE_MODE_DELETE] = "mode_delete",
};

void sr_change_encode(sr_buf *out, const sr_change *c)
{
	sr_jw w;

	sr_jw_init(&w, out);
	sr_jw_object_begin(&w);
	sr_jw_key(&w, "type");
	sr_jw_string(&w, change_types[c->kind]);
	change_members(&w, c);
	sr_jw_object_end(&w);
}

static int dump_change(dump_ctx *d, const sr_change *c)
{
	sr_buf_clear(&d->line);
	sr_change_encode(&d->line, c);
	return line_write(d);
}

static int dump_schema(void *ctx, const sr_st_schema *s)
{
	dump_ctx *d = ctx;
	sr_change c = { .kind = SR_CHANGE_SCHEMA_PUT, .u.schema = *s };

	d->stats->schemas++;
	return dump_change(d, &c);
}

static int dump_version(void *ctx, const sr_st_version *v)
{
	dump_ctx *d = ctx;
	sr_change c = { .kind = SR_CHANGE_VERSION_PUT, .u.version = *v };

	d->stats->versions++;
	return dump_change(d, &c);
}

static int dump_config(void *ctx, const sr_st_config *cfg)
{
	dump_ctx *d = ctx;
	sr_change c = { .kind = SR_CHANGE_CONFIG_PUT, .u.config = *cfg };

	d->stats->configs++;
	return dump_change(d, &c);
}

static int dump_mode(void *ctx, const sr_st_mode *m)
{
	dump_ctx *d = ctx;
	sr_change c = { .kind = SR_CHANGE_MODE_PUT, .u.mode = *m };

	d->stats->modes++;
	return dump_change(d, &c);
}

static int dump_header(dump_ctx *d, const char *backend)
{
	sr_jw w;

	line_begin(d, &w, "header");
	sr_jw_key(&w, "format");
	sr_jw_string(&w, DUMP_FORMAT);
	sr_jw_key(&w, "version");
	sr_jw_i64(&w, DUMP_VERSION);
	sr_jw_key(&w, "created_ms");
	sr_jw_i64(&w, sr_storage__now_ms());
	sr_jw_key(&w, "backend");
	sr_jw_string(&w, backend);
	return line_end(d, &w);
}

static int dump_end(dump_ctx *d)
{
	sr_jw w;

	line_begin(d, &w, "end");
	sr_jw_key(&w, "schemas");
	sr_jw_i64(&w, (int64_t)d->stats->schemas);
	sr_jw_key(&w, "versions");
	sr_jw_i64(&w, (int64_t)d->stats->versions);
	sr_jw_key(&w, "configs");
	sr_jw_i64(&w, (int64_t)d->stats->configs);
	sr_jw_key(&w, "modes");
	sr_jw_i64(&w, (int64_t)d->stats->modes);
	return line_end(d, &w);
}

int sr_storage_dump(sr_storage *s, FILE *out, sr_dump_stats *stats, sr_err *err)
{
	dump_ctx d = { out, SR_BUF_INIT, stats, 0 };
	sr_storage_loader l = { dump_schema, dump_version, dump_config, dump_mode, &d };
	int rc;

	memset(stats, 0, sizeof(*stats));
	rc = dump_header(&d, sr_storage_backend_name(s));
	rc = rc < 0 ? rc : sr_storage_load(s, &l, err);
	rc = rc < 0 ? rc : dump_end(&d);
	if (rc == 0 && fflush(out) != 0) {
		d.write_errno = errno;
		rc = SR_EUNAVAILABLE;
	}
	if (d.write_errno)
		sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE, "writing the dump: %s",
			   strerror(d.write_errno));
	sr_buf_dispose(&d.line);
	return rc;
}

/* ---- restore ------------------------------------------------------------- */

typedef struct restore_ctx {
	sr_arena *arena;
	sr_change *changes;
	size_t n, cap;
	sr_dump_stats *stats;
	bool header, end;
	unsigned line;
	sr_err *err;
} restore_ctx;

static int bad_line(restore_ctx *r, const char *what)
{
	return sr_err_set(r->err, SR_EINVALID, SR_ERR_STORE, "dump line %u: %s", r->line, what);
}

/* A string member, or NULL when it is null or absent; a number or object
 * where a string belongs makes *bad true. */
static const char *opt_text(const sr_json *line, const char *key, size_t *len, bool *bad)
{
	const sr_json *v = sr_json_get(line, key);

	if (!v || v->type == SR_JSON_NULL)
		return NULL;
	if (!sr_json_is_string(v)) {
		*bad = true;
		return NULL;
	}
	if (len)
		*len = v->len;
	return v->u.str;
}

static bool int_member(const sr_json *line, const char *key, int64_t *out)
{
	const sr_json *v = sr_json_get(line, key);

	return sr_json_is_number(v) && sr_json_number_to_i64(v, out) == 0;
}

static const char *decode_schema(const sr_json *line, sr_st_schema *s)
{
	bool bad = false;

	if (!int_member(line, "id", &s->id))
		return "schema without an integer id";
	s->schema_type = opt_text(line, "schemaType", NULL, &bad);
	s->schema = opt_text(line, "schema", &s->schema_len, &bad);
	s->references = opt_text(line, "references", NULL, &bad);
	s->metadata = opt_text(line, "metadata", NULL, &bad);
	s->rule_set = opt_text(line, "ruleSet", NULL, &bad);
	s->guid = opt_text(line, "guid", NULL, &bad);
	if (bad || !s->schema_type || !s->schema || !s->guid)
		return "schema needs schemaType, schema and guid strings";
	return NULL;
}

static const char *decode_version(const sr_json *line, bool put, sr_st_version *v)
{
	const sr_json *deleted = sr_json_get(line, "deleted");
	int64_t version;
	bool bad = false;

	v->subject = opt_text(line, "subject", NULL, &bad);
	if (bad || !v->subject || !int_member(line, "version", &version) || version < 1 ||
	    version > INT32_MAX)
		return "version needs a subject and a version number";
	v->version = (int32_t)version;
	if (!put)
		return NULL;
	if (!int_member(line, "id", &v->schema_id) || !int_member(line, "ts", &v->created_ms) ||
	    !sr_json_is_bool(deleted))
		return "version needs id, deleted and ts";
	v->deleted = deleted->type == SR_JSON_TRUE;
	return NULL;
}

/* Config and mode: a scope (subject or null) and, for a put, the value. */
static const char *decode_setting(const sr_json *line, const char *key, bool put,
				  const char **subject, const char **value)
{
	bool bad = false;

	*subject = opt_text(line, "subject", NULL, &bad);
	*value = put ? opt_text(line, key, NULL, &bad) : NULL;
	if (bad || (put && !*value))
		return "a config or mode needs its value as a string";
	return NULL;
}

/* Decode a change from its JSON object; NULL, or what is wrong. */
static const char *decode_change(const sr_json *line, sr_change *c)
{
	const char *type = sr_json_get_string(line, "type");
	size_t k;

	memset(c, 0, sizeof(*c));
	for (k = 0; type && k < sizeof(change_types) / sizeof(change_types[0]); k++)
		if (strcmp(type, change_types[k]) == 0)
			break;
	if (!type || k == sizeof(change_types) / sizeof(change_types[0]))
		return "unknown type";
	c->kind = (sr_change_kind)k;
	switch (c->kind) {
	case SR_CHANGE_SCHEMA_PUT:
		return decode_schema(line, &c->u.schema);
	case SR_CHANGE_VERSION_PUT:
	case SR_CHANGE_VERSION_DELETE:
		return decode_version(line, c->kind == SR_CHANGE_VERSION_PUT, &c->u.version);
	case SR_CHANGE_CONFIG_PUT:
	case SR_CHANGE_CONFIG_DELETE:
		return decode_setting(line, "config", c->kind == SR_CHANGE_CONFIG_PUT,
				      &c->u.config.subject, &c->u.config.config);
	default:
		return decode_setting(line, "mode", c->kind == SR_CHANGE_MODE_PUT,
				      &c->u.mode.subject, &c->u.mode.mode);
	}
}

int sr_change_decode(sr_arena *a, const char *json, size_t len, sr_change *out, sr_err *err)
{
	sr_json_limits limits = { 64 };
	sr_json_error jerr;
	sr_json *v;
	const char *problem;

	if (sr_json_parse(&v, a, json, len, &limits, &jerr) < 0)
		return sr_err_set(err, SR_EINVALID, SR_ERR_STORE, "change: %s", jerr.msg);
	problem = decode_change(v, out);
	if (problem)
		return sr_err_set(err, SR_EINVALID, SR_ERR_STORE, "change: %s", problem);
	return 0;
}

/* A row of the dump: only puts belong there. */
static int restore_row(restore_ctx *r, const sr_json *line)
{
	sr_change c;
	const char *problem = decode_change(line, &c);

	if (problem)
		return bad_line(r, problem);
	switch (c.kind) {
	case SR_CHANGE_SCHEMA_PUT:
		r->stats->schemas++;
		break;
	case SR_CHANGE_VERSION_PUT:
		r->stats->versions++;
		break;
	case SR_CHANGE_CONFIG_PUT:
		r->stats->configs++;
		break;
	case SR_CHANGE_MODE_PUT:
		r->stats->modes++;
		break;
	default:
		return bad_line(r, "a delete in a dump");
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		r->changes = sr_realloc(r->changes, r->cap * sizeof(*r->changes));
	}
	r->changes[r->n++] = c;
	return 0;
}

static int restore_header(restore_ctx *r, const sr_json *line)
{
	const char *format = sr_json_get_string(line, "format");
	int64_t version;

	if (!format || strcmp(format, DUMP_FORMAT) != 0)
		return bad_line(r, "not a schema registry dump (format)");
	if (!int_member(line, "version", &version) || version != DUMP_VERSION)
		return bad_line(r, "a dump version this release does not read");
	r->header = true;
	return 0;
}

/* The end line's counts must be what was read: nothing lost in between. */
static int restore_end(restore_ctx *r, const sr_json *line)
{
	int64_t n[4];

	if (!int_member(line, "schemas", &n[0]) || !int_member(line, "versions", &n[1]) ||
	    !int_member(line, "configs", &n[2]) || !int_member(line, "modes", &n[3]))
		return bad_line(r, "end line without counts");
	if ((size_t)n[0] != r->stats->schemas || (size_t)n[1] != r->stats->versions ||
	    (size_t)n[2] != r->stats->configs || (size_t)n[3] != r->stats->modes)
		return bad_line(r, "the counts of the end line differ from the rows read");
	r->end = true;
	return 0;
}

static int restore_line(restore_ctx *r, const char *text, size_t len)
{
	sr_json_limits limits = { 64 };
	sr_json_error jerr;
	sr_json *line;
	const char *type;

	if (r->end)
		return bad_line(r, "data after the end line");
	if (sr_json_parse(&line, r->arena, text, len, &limits, &jerr) < 0)
		return sr_err_set(r->err, SR_EINVALID, SR_ERR_STORE, "dump line %u: %s", r->line,
				  jerr.msg);
	type = sr_json_get_string(line, "type");
	if (!type)
		return bad_line(r, "no type");
	if (!r->header)
		return strcmp(type, "header") == 0 ? restore_header(r, line)
						   : bad_line(r, "the dump does not start with its header");
	if (strcmp(type, "end") == 0)
		return restore_end(r, line);
	return restore_row(r, line);
}

static int count_row(void *ctx)
{
	(*(size_t *)ctx)++;
	return 0;
}

static int count_schema(void *ctx, const sr_st_schema *s) { return count_row(ctx); }
static int count_version(void *ctx, const sr_st_version *v) { return count_row(ctx); }
static int count_config(void *ctx, const sr_st_config *c) { return count_row(ctx); }
static int count_mode(void *ctx, const sr_st_mode *m) { return count_row(ctx); }

static int require_empty(sr_storage *s, sr_err *err)
{
	size_t rows = 0;
	sr_storage_loader l = { count_schema, count_version, count_config, count_mode, &rows };
	int rc = sr_storage_load(s, &l, err);

	if (rc == 0 && rows)
		rc = sr_err_set(err, SR_ECONFLICT, SR_ERR_STORE,
				"the target store holds %zu rows: restore needs an empty store", rows);
	return rc;
}

int sr_storage_restore(sr_storage *s, const char *dump, size_t len, sr_dump_stats *stats,
		       sr_err *err)
{
	restore_ctx r = { 0 };
	size_t pos = 0;
	int rc = 0;

	memset(stats, 0, sizeof(*stats));
	r.arena = sr_arena_new(64 * 1024);
	r.stats = stats;
	r.err = err;
	while (pos < len && rc == 0) {
		const char *nl = memchr(dump + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (dump + pos)) : len - pos;

		r.line++;
		if (n)
			rc = restore_line(&r, dump + pos, n);
		pos += n + 1;
	}
	if (rc == 0 && !r.end)
		rc = sr_err_set(err, SR_EINVALID, SR_ERR_STORE,
				"the dump has no end line: it is truncated; nothing was restored");
	rc = rc < 0 ? rc : require_empty(s, err);
	rc = rc < 0 ? rc : sr_storage_apply(s, r.changes, r.n, err);
	free(r.changes);
	sr_arena_free(r.arena);
	return rc;
}

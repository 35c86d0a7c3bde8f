/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Read endpoints: everything is answered from the in-memory model under
 * the shared lock, mostly by copying bodies rendered when the data was
 * written.
 */
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

#include "registry/model.h"

/* Paging: skip `offset` matches, then emit at most `limit` (<= 0 = all). */
typedef struct pager {
	int64_t skip;
	int64_t left;
	size_t emitted;
} pager;

static void pager_init(pager *p, const sr_list_opts *o)
{
	p->skip = o->offset > 0 ? o->offset : 0;
	p->left = o->limit > 0 ? o->limit : INT64_MAX;
	p->emitted = 0;
}

/* Should the next match be emitted? Counts it either way. */
static bool pager_take(pager *p)
{
	if (p->skip > 0) {
		p->skip--;
		return false;
	}
	if (p->left <= 0)
		return false;
	p->left--;
	return true;
}

static void comma(sr_buf *out, pager *p)
{
	if (p->emitted++)
		sr_buf_putc(out, ',');
}

/* A version is listed when live, or soft-deleted with `deleted`; with
 * `deleted_only` only soft-deleted ones are. */
static bool version_listed(const model_version *v, const sr_list_opts *o)
{
	if (o->deleted_only)
		return v->deleted;
	return o->deleted || !v->deleted;
}

static bool prefix_matches(const model_subject *sub, const char *prefix)
{
	/* ":*:" is Confluent's "every context" default. */
	return !prefix || strcmp(prefix, ":*:") == 0 ||
	       strncmp(sub->name, prefix, strlen(prefix)) == 0;
}

static int schema_not_found(sr_err *err, int64_t id)
{
	return sr_err_set(err, SR_ENOTFOUND, SR_ERR_SCHEMA_NOT_FOUND,
			  "Schema %lld not found", (long long)id);
}

int model_subject_not_found(sr_err *err, const char *subject)
{
	return sr_err_set(err, SR_ENOTFOUND, SR_ERR_SUBJECT_NOT_FOUND,
			  "Subject '%s' not found.", subject);
}

int model_version_not_found(sr_err *err, int32_t version)
{
	return sr_err_set(err, SR_ENOTFOUND, SR_ERR_VERSION_NOT_FOUND,
			  "Version %d not found.", version);
}

void render_version_list(sr_buf *out, model_version *const *versions, size_t n)
{
	size_t i;

	sr_buf_putc(out, '[');
	for (i = 0; i < n; i++) {
		if (i)
			sr_buf_putc(out, ',');
		sr_buf_put_i64(out, versions[i]->version);
	}
	sr_buf_putc(out, ']');
}

/* A schema is visible by id while some version (even soft-deleted) uses it. */
static model_schema *visible_schema(const sr_registry *r, int64_t id)
{
	model_schema *s = model_schema_find(r, id);
	return s && s->nuses ? s : NULL;
}

int sr_registry_schema_by_id(sr_registry *r, int64_t id, const char *subject,
			     bool fetch_max_id, sr_buf *out, sr_err *err)
{
	model_schema *s;
	size_t i;
	int rc = 0;

	model_read_begin(r);
	s = visible_schema(r, id);
	if (!s) {
		rc = schema_not_found(err, id);
		goto done;
	}
	sr_buf_put(out, s->body_by_id, s->body_by_id_len);
	for (i = 0; subject && i < s->nuses; i++) {
		const model_version *v = s->uses[i];
		if (strcmp(v->subject->name, subject) == 0) {
			sr_buf_puts(out, ",\"subject\":");
			sr_buf_put_json_string(out, subject, strlen(subject));
			sr_buf_puts(out, ",\"version\":");
			sr_buf_put_i64(out, v->version);
			break;
		}
	}
	if (fetch_max_id) {
		sr_buf_puts(out, ",\"maxId\":");
		sr_buf_put_i64(out, r->max_id);
	}
	sr_buf_putc(out, '}');
done:
	model_read_end(r);
	return rc;
}

/* The visible schema with identity `guid`, or NULL. */
static model_schema *visible_by_guid(const sr_registry *r, const char *guid)
{
	model_schema *s = sr_map_get(&r->by_guid, guid, strlen(guid));
	return s && s->nuses ? s : NULL;
}

static int guid_not_found(sr_err *err, const char *guid)
{
	return sr_err_set(err, SR_ENOTFOUND, SR_ERR_SCHEMA_NOT_FOUND, "Schema %s not found", guid);
}

int sr_registry_schema_by_guid(sr_registry *r, const char *guid, sr_buf *out,
			       sr_err *err)
{
	model_schema *s;
	int rc = 0;

	model_read_begin(r);
	s = visible_by_guid(r, guid);
	if (s) {
		sr_buf_put(out, s->body_by_id, s->body_by_id_len);
		sr_buf_putc(out, '}');
	} else {
		rc = guid_not_found(err, guid);
	}
	model_read_end(r);
	return rc;
}

int sr_registry_ids_by_guid(sr_registry *r, const char *guid, sr_buf *out, sr_err *err)
{
	model_schema *s;
	int rc = 0;

	model_read_begin(r);
	s = visible_by_guid(r, guid);
	if (s) {
		sr_buf_puts(out, "[{\"context\":\".\",\"id\":");
		sr_buf_put_i64(out, s->id);
		sr_buf_puts(out, "}]");
	} else {
		rc = guid_not_found(err, guid);
	}
	model_read_end(r);
	return rc;
}

int sr_registry_schema_text_by_id(sr_registry *r, int64_t id, sr_buf *out, sr_err *err)
{
	model_schema *s;
	int rc = 0;

	model_read_begin(r);
	s = visible_schema(r, id);
	if (s)
		sr_buf_put(out, s->schema, s->schema_len);
	else
		rc = schema_not_found(err, id);
	model_read_end(r);
	return rc;
}

/* Uses of a schema in the requested order: by subject name, then version. */
static int compare_uses(const void *a, const void *b)
{
	const model_version *x = *(model_version *const *)a;
	const model_version *y = *(model_version *const *)b;
	int c = strcmp(x->subject->name, y->subject->name);

	return c ? c : (x->version > y->version) - (x->version < y->version);
}

/* Listed uses of schema `id`, sorted, in `*out` (heap; free it). */
static int listed_uses(sr_registry *r, int64_t id, const sr_list_opts *o,
		       model_version ***out, size_t *n, sr_err *err)
{
	model_schema *s = visible_schema(r, id);
	size_t i;

	*n = 0;
	*out = NULL;
	if (!s)
		return schema_not_found(err, id);
	*out = sr_calloc(s->nuses + 1, sizeof(**out));
	for (i = 0; i < s->nuses; i++)
		if (version_listed(s->uses[i], o))
			(*out)[(*n)++] = s->uses[i];
	qsort(*out, *n, sizeof(**out), compare_uses);
	return 0;
}

/* The uses of schema `id` as subjects (each once) or as {subject, version}. */
static int render_uses(sr_registry *r, int64_t id, const sr_list_opts *o,
		       bool subjects_only, sr_buf *out, sr_err *err)
{
	model_version **uses;
	size_t i, n;
	pager p;
	int rc;

	model_read_begin(r);
	rc = listed_uses(r, id, o, &uses, &n, err);
	if (rc < 0)
		goto done;
	pager_init(&p, o);
	sr_buf_putc(out, '[');
	for (i = 0; i < n; i++) {
		const model_subject *sub = uses[i]->subject;

		if ((subjects_only && i && uses[i - 1]->subject == sub) || !pager_take(&p))
			continue;
		comma(out, &p);
		if (subjects_only) {
			sr_buf_put_json_string(out, sub->name, sub->name_len);
			continue;
		}
		sr_buf_puts(out, "{\"subject\":");
		sr_buf_put_json_string(out, sub->name, sub->name_len);
		sr_buf_puts(out, ",\"version\":");
		sr_buf_put_i64(out, uses[i]->version);
		sr_buf_putc(out, '}');
	}
	sr_buf_putc(out, ']');
done:
	model_read_end(r);
	free(uses);
	return rc;
}

int sr_registry_subjects_by_id(sr_registry *r, int64_t id,
			       const sr_list_opts *o, sr_buf *out, sr_err *err)
{
	return render_uses(r, id, o, true, out, err);
}

int sr_registry_versions_by_id(sr_registry *r, int64_t id,
			       const sr_list_opts *o, sr_buf *out, sr_err *err)
{
	return render_uses(r, id, o, false, out, err);
}

int sr_registry_list_schemas(sr_registry *r, const sr_list_opts *o,
			     sr_buf *out, sr_err *err)
{
	pager p;
	size_t i, j;

	pager_init(&p, o);
	model_read_begin(r);
	sr_buf_putc(out, '[');
	for (i = 0; i < r->nsorted; i++) {
		const model_subject *sub = r->sorted[i];

		if (!prefix_matches(sub, o->prefix))
			continue;
		if (o->latest_only) {
			const model_version *v = model_version_latest(sub, o->deleted);
			if (v && pager_take(&p)) {
				comma(out, &p);
				sr_buf_put(out, v->body, v->body_len);
			}
			continue;
		}
		for (j = 0; j < sub->nversions; j++) {
			const model_version *v = sub->versions[j];
			if (!version_listed(v, o) || !pager_take(&p))
				continue;
			comma(out, &p);
			sr_buf_put(out, v->body, v->body_len);
		}
	}
	sr_buf_putc(out, ']');
	model_read_end(r);
	return 0;
}

int sr_registry_schema_types(sr_registry *r, sr_buf *out)
{
	const sr_format *const *f;
	sr_jw w;

	sr_jw_init(&w, out);
	sr_jw_array_begin(&w);
	for (f = sr_format_all(); *f; f++)
		sr_jw_string(&w, (*f)->name);
	sr_jw_array_end(&w);
	return w.rc;
}

/* Is the subject listed by GET /subjects with these options? */
static bool subject_listed(const model_subject *sub, const sr_list_opts *o)
{
	bool live = model_subject_has_live(sub);

	if (sub->nversions == 0)
		return false;
	if (o->deleted_only)
		return !live;
	return live || o->deleted;
}

int sr_registry_list_subjects(sr_registry *r, const sr_list_opts *o,
			      sr_buf *out, sr_err *err)
{
	pager p;
	size_t i;

	pager_init(&p, o);
	model_read_begin(r);
	sr_buf_putc(out, '[');
	for (i = 0; i < r->nsorted; i++) {
		const model_subject *sub = r->sorted[i];
		if (!prefix_matches(sub, o->prefix) || !subject_listed(sub, o) ||
		    !pager_take(&p))
			continue;
		comma(out, &p);
		sr_buf_put_json_string(out, sub->name, sub->name_len);
	}
	sr_buf_putc(out, ']');
	model_read_end(r);
	return 0;
}

int sr_registry_list_versions(sr_registry *r, const char *subject,
			      const sr_list_opts *o, sr_buf *out, sr_err *err)
{
	model_subject *sub;
	pager p;
	size_t i;
	int rc = 0;

	pager_init(&p, o);
	model_read_begin(r);
	sub = model_subject_find(r, subject);
	if (!sub || !model_version_latest(sub, o->deleted || o->deleted_only)) {
		rc = model_subject_not_found(err, subject);
		goto done;
	}
	sr_buf_putc(out, '[');
	for (i = 0; i < sub->nversions; i++) {
		if (!version_listed(sub->versions[i], o) || !pager_take(&p))
			continue;
		comma(out, &p);
		sr_buf_put_i64(out, sub->versions[i]->version);
	}
	sr_buf_putc(out, ']');
done:
	model_read_end(r);
	return rc;
}

int model_version_lookup(sr_registry *r, const char *subject, int32_t version,
			 bool deleted, model_version **out, sr_err *err)
{
	model_subject *sub = model_subject_find(r, subject);
	model_version *v;

	if (!sub || !model_version_latest(sub, deleted))
		return model_subject_not_found(err, subject);
	v = version == SR_VERSION_LATEST ? model_version_latest(sub, deleted)
					 : model_version_find(sub, version);
	if (!v || (v->deleted && !deleted))
		return model_version_not_found(err, version);
	*out = v;
	return 0;
}

int sr_registry_get_version(sr_registry *r, const char *subject,
			    int32_t version, bool deleted, sr_buf *out,
			    sr_err *err)
{
	model_version *v;
	int rc;

	model_read_begin(r);
	rc = model_version_lookup(r, subject, version, deleted, &v, err);
	if (rc == 0)
		sr_buf_put(out, v->body, v->body_len);
	model_read_end(r);
	return rc;
}

int sr_registry_get_version_schema(sr_registry *r, const char *subject,
				   int32_t version, bool deleted, sr_buf *out,
				   sr_err *err)
{
	model_version *v;
	int rc;

	model_read_begin(r);
	rc = model_version_lookup(r, subject, version, deleted, &v, err);
	if (rc == 0)
		sr_buf_put(out, v->schema->schema, v->schema->schema_len);
	model_read_end(r);
	return rc;
}

static int compare_ids(const void *a, const void *b)
{
	int64_t x = (*(model_schema *const *)a)->id;
	int64_t y = (*(model_schema *const *)b)->id;

	return (x > y) - (x < y);
}

int sr_registry_referenced_by(sr_registry *r, const char *subject,
			      int32_t version, const sr_list_opts *o,
			      sr_buf *out, sr_err *err)
{
	model_version *v;
	model_schema **ids = NULL;
	size_t i, n = 0;
	pager p;
	int rc;

	pager_init(&p, o);
	model_read_begin(r);
	rc = model_version_lookup(r, subject, version, o->deleted, &v, err);
	if (rc < 0)
		goto done;
	ids = sr_calloc(v->nreferrers + 1, sizeof(*ids));
	for (i = 0; i < v->nreferrers; i++)
		if (o->deleted || model_schema_live(v->referrers[i]))
			ids[n++] = v->referrers[i];
	qsort(ids, n, sizeof(*ids), compare_ids);
	sr_buf_putc(out, '[');
	for (i = 0; i < n; i++) {
		if (!pager_take(&p))
			continue;
		comma(out, &p);
		sr_buf_put_i64(out, ids[i]->id);
	}
	sr_buf_putc(out, ']');
done:
	model_read_end(r);
	free(ids);
	return rc;
}

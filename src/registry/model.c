/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "registry/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mem.h"
#include "json/json.h"

int64_t model_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Grow a pointer array held as (items, count, cap) to hold one more. */
static void *grow_ptrs(void *items, size_t count, size_t *cap)
{
	if (count < *cap)
		return items;
	*cap = *cap ? *cap * 2 : 4;
	return sr_realloc(items, *cap * sizeof(void *));
}

model_schema *model_schema_find(const sr_registry *r, int64_t id)
{
	return sr_map_get(&r->by_id, (const char *)&id, sizeof(id));
}

model_subject *model_subject_find(const sr_registry *r, const char *name)
{
	return sr_map_get(&r->subjects, name, strlen(name));
}

static size_t sorted_position(const sr_registry *r, const char *name)
{
	size_t lo = 0, hi = r->nsorted;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(r->sorted[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

model_subject *model_subject_get(sr_registry *r, const char *name)
{
	model_subject *sub = model_subject_find(r, name);
	size_t pos;

	if (sub)
		return sub;
	sub = sr_calloc(1, sizeof(*sub));
	sub->name_len = strlen(name);
	sub->name = sr_strndup(name, sub->name_len);
	sub->config.normalize = -1;
	sr_map_put(&r->subjects, sub->name, sub->name_len, sub);
	r->sorted = grow_ptrs(r->sorted, r->nsorted, &r->sorted_cap);
	pos = sorted_position(r, name);
	memmove(&r->sorted[pos + 1], &r->sorted[pos],
		(r->nsorted - pos) * sizeof(*r->sorted));
	r->sorted[pos] = sub;
	r->nsorted++;
	return sub;
}

void model_subject_remove_if_empty(sr_registry *r, model_subject *sub)
{
	size_t pos;

	if (sub->nversions || sub->config.present || sub->mode != MODE_UNSET)
		return;
	sr_map_remove(&r->subjects, sub->name, sub->name_len);
	pos = sorted_position(r, sub->name);
	memmove(&r->sorted[pos], &r->sorted[pos + 1],
		(r->nsorted - pos - 1) * sizeof(*r->sorted));
	r->nsorted--;
	free(sub->versions);
	model_config_dispose(&sub->config);
	free(sub->name);
	free(sub);
}

static char *json_string_literal(const char *s, size_t len, size_t *out_len)
{
	sr_buf b = SR_BUF_INIT;

	sr_buf_put_json_string(&b, s, len);
	return sr_buf_detach(&b, out_len);
}

/* Parse the stored references array into records. */
static int parse_refs(model_schema *s, const char *json, sr_err *err)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *root = NULL;
	size_t i;
	int rc = SR_ERROR;

	if (sr_json_parse(&root, a, json, strlen(json), NULL, NULL) < 0 ||
	    !sr_json_is_array(root)) {
		sr_err_set(err, SR_ERROR, SR_ERR_STORE,
			   "stored references of schema %lld are not a JSON array",
			   (long long)s->id);
		goto done;
	}
	s->nrefs = root->len;
	s->refs = sr_calloc(root->len ? root->len : 1, sizeof(*s->refs));
	for (i = 0; i < root->len; i++) {
		const sr_json *item = root->u.items[i];
		const char *name = sr_json_get_string(item, "name");
		const char *subject = sr_json_get_string(item, "subject");
		int64_t version = 0;

		if (!name || !subject ||
		    sr_json_number_to_i64(sr_json_get(item, "version"), &version) < 0) {
			sr_err_set(err, SR_ERROR, SR_ERR_STORE,
				   "stored reference %zu of schema %lld is malformed",
				   i, (long long)s->id);
			goto done;
		}
		s->refs[i].name = sr_strdup(name);
		s->refs[i].subject = sr_strdup(subject);
		s->refs[i].version = (int32_t)version;
	}
	rc = 0;
done:
	sr_arena_free(a);
	return rc;
}

/* The members a schema has only when set: references, metadata, ruleSet. */
static void put_optional_members(sr_buf *b, const model_schema *s)
{
	if (s->refs_json) {
		sr_buf_puts(b, ",\"references\":");
		sr_buf_puts(b, s->refs_json);
	}
	if (s->metadata_json) {
		sr_buf_puts(b, ",\"metadata\":");
		sr_buf_puts(b, s->metadata_json);
	}
	if (s->rule_set_json) {
		sr_buf_puts(b, ",\"ruleSet\":");
		sr_buf_puts(b, s->rule_set_json);
	}
}

static void render_body_by_id(model_schema *s)
{
	sr_buf b = SR_BUF_INIT;

	sr_buf_puts(&b, "{\"schemaType\":\"");
	sr_buf_puts(&b, s->format->name);
	sr_buf_puts(&b, "\",\"schema\":");
	sr_buf_put(&b, s->schema_json, s->schema_json_len);
	put_optional_members(&b, s);
	sr_buf_puts(&b, ",\"guid\":\"");
	sr_buf_puts(&b, s->guid);
	sr_buf_putc(&b, '"');
	s->body_by_id = sr_buf_detach(&b, &s->body_by_id_len);
}

static void index_references(sr_registry *r, model_schema *s);

model_schema *model_schema_add(sr_registry *r, const sr_st_schema *st,
			       const sr_format *format, sr_err *err)
{
	model_schema *s = sr_calloc(1, sizeof(*s));

	s->id = st->id;
	s->format = format;
	s->schema_len = st->schema_len;
	s->schema = sr_strndup(st->schema, st->schema_len);
	s->schema_json = json_string_literal(s->schema, s->schema_len,
					     &s->schema_json_len);
	if (st->references && strcmp(st->references, "[]") != 0) {
		s->refs_json = sr_strdup(st->references);
		if (parse_refs(s, s->refs_json, err) < 0) {
			free(s->refs_json);
			free(s->schema_json);
			free(s->schema);
			free(s);
			return NULL;
		}
	}
	s->metadata_json = st->metadata ? sr_strdup(st->metadata) : NULL;
	s->rule_set_json = st->rule_set ? sr_strdup(st->rule_set) : NULL;
	snprintf(s->guid, sizeof(s->guid), "%s", st->guid);
	render_body_by_id(s);

	sr_map_put(&r->by_id, (const char *)&s->id, sizeof(s->id), s);
	if (!sr_map_get(&r->by_guid, s->guid, strlen(s->guid)))
		sr_map_put(&r->by_guid, s->guid, strlen(s->guid), s);
	if (!sr_map_get(&r->by_text, s->schema, s->schema_len))
		sr_map_put(&r->by_text, s->schema, s->schema_len, s);
	if (s->id > r->max_id)
		r->max_id = s->id;
	index_references(r, s);
	return s;
}

/* The Schema entity of a version, as GET /subjects/{s}/versions/{v}. */
static void render_version(model_version *v)
{
	const model_schema *s = v->schema;
	sr_buf b = SR_BUF_INIT;

	sr_buf_puts(&b, "{\"subject\":");
	sr_buf_put_json_string(&b, v->subject->name, v->subject->name_len);
	sr_buf_puts(&b, ",\"version\":");
	sr_buf_put_i64(&b, v->version);
	sr_buf_puts(&b, ",\"id\":");
	sr_buf_put_i64(&b, s->id);
	sr_buf_puts(&b, ",\"guid\":\"");
	sr_buf_puts(&b, s->guid);
	sr_buf_puts(&b, "\",\"schemaType\":\"");
	sr_buf_puts(&b, s->format->name);
	sr_buf_putc(&b, '"');
	put_optional_members(&b, s);
	sr_buf_puts(&b, ",\"schema\":");
	sr_buf_put(&b, s->schema_json, s->schema_json_len);
	sr_buf_puts(&b, ",\"ts\":");
	sr_buf_put_i64(&b, v->created_ms);
	sr_buf_putc(&b, '}');
	free(v->body);
	v->body = sr_buf_detach(&b, &v->body_len);
}

model_version *model_version_find(const model_subject *sub, int32_t version)
{
	size_t lo = 0, hi = sub->nversions;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int32_t vm = sub->versions[mid]->version;
		if (vm == version)
			return sub->versions[mid];
		if (vm < version)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

model_version *model_version_latest(const model_subject *sub, bool deleted)
{
	size_t i;

	for (i = sub->nversions; i-- > 0;)
		if (deleted || !sub->versions[i]->deleted)
			return sub->versions[i];
	return NULL;
}

bool model_subject_has_live(const model_subject *sub)
{
	return model_version_latest(sub, false) != NULL;
}

bool model_schema_live(const model_schema *s)
{
	size_t i;

	for (i = 0; i < s->nuses; i++)
		if (!s->uses[i]->deleted)
			return true;
	return false;
}

static void remove_ptr(void **items, size_t *count, const void *p)
{
	size_t i;

	for (i = 0; i < *count; i++) {
		if (items[i] == p) {
			memmove(&items[i], &items[i + 1],
				(*count - i - 1) * sizeof(void *));
			(*count)--;
			return;
		}
	}
}

static bool contains_ptr(void *const *items, size_t count, const void *p)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (items[i] == p)
			return true;
	return false;
}

/* The schemas referencing versions of one subject (see referrers_of). */
typedef struct model_referrers {
	char *subject;           /* the map's key */
	model_schema **schemas;
	size_t n, cap;
} model_referrers;

static void index_references(sr_registry *r, model_schema *s)
{
	size_t i;

	for (i = 0; i < s->nrefs; i++) {
		const char *subject = s->refs[i].subject;
		model_referrers *l = sr_map_get(&r->referrers_of, subject, strlen(subject));

		if (!l) {
			l = sr_calloc(1, sizeof(*l));
			l->subject = sr_strdup(subject);
			sr_map_put(&r->referrers_of, l->subject, strlen(l->subject), l);
		}
		if (l->n && l->schemas[l->n - 1] == s)
			continue; /* two references into the same subject */
		l->schemas = grow_ptrs(l->schemas, l->n, &l->cap);
		l->schemas[l->n++] = s;
	}
}

static bool references_version(const model_schema *s, const model_version *v)
{
	size_t i;

	for (i = 0; i < s->nrefs; i++)
		if (s->refs[i].version == v->version &&
		    strcmp(s->refs[i].subject, v->subject->name) == 0)
			return true;
	return false;
}

/* A new version learns the schemas in use that already reference it. */
static void link_existing_referrers(sr_registry *r, model_version *v)
{
	model_referrers *l = sr_map_get(&r->referrers_of, v->subject->name,
					 v->subject->name_len);
	size_t i;

	for (i = 0; l && i < l->n; i++) {
		model_schema *s = l->schemas[i];

		if (s->nuses == 0 || !references_version(s, v) ||
		    contains_ptr((void *const *)v->referrers, v->nreferrers, s))
			continue;
		v->referrers = grow_ptrs(v->referrers, v->nreferrers, &v->referrers_cap);
		v->referrers[v->nreferrers++] = s;
	}
}

/* A schema that is used for the first time links itself as a referrer of
 * every version it references; it unlinks when its last use goes away. */
static void link_referrers(sr_registry *r, model_schema *s, bool link)
{
	size_t i;

	for (i = 0; i < s->nrefs; i++) {
		model_subject *sub = model_subject_find(r, s->refs[i].subject);
		model_version *target = sub ? model_version_find(sub, s->refs[i].version) : NULL;

		if (!target)
			continue;
		if (link) {
			if (contains_ptr((void *const *)target->referrers,
					 target->nreferrers, s))
				continue;
			target->referrers = grow_ptrs(target->referrers,
						      target->nreferrers,
						      &target->referrers_cap);
			target->referrers[target->nreferrers++] = s;
		} else {
			remove_ptr((void **)target->referrers,
				   &target->nreferrers, s);
		}
	}
}

model_version *model_version_put(sr_registry *r, model_subject *sub,
				 int32_t version, model_schema *schema,
				 bool deleted, int64_t created_ms)
{
	model_version *v = model_version_find(sub, version);
	size_t pos;

	if (v && v->schema != schema) {
		model_version_remove(r, sub, version);
		v = NULL;
	}
	if (!v) {
		v = sr_calloc(1, sizeof(*v));
		v->subject = sub;
		v->version = version;
		v->schema = schema;
		sub->versions = grow_ptrs(sub->versions, sub->nversions,
					  &sub->versions_cap);
		for (pos = sub->nversions;
		     pos > 0 && sub->versions[pos - 1]->version > version; pos--)
			sub->versions[pos] = sub->versions[pos - 1];
		sub->versions[pos] = v;
		sub->nversions++;
		r->nversions++;
		schema->uses = grow_ptrs(schema->uses, schema->nuses,
					 &schema->uses_cap);
		schema->uses[schema->nuses++] = v;
		if (schema->nuses == 1)
			link_referrers(r, schema, true);
		link_existing_referrers(r, v);
	}
	v->deleted = deleted;
	v->created_ms = created_ms;
	render_version(v);
	return v;
}

static void version_free(model_version *v)
{
	free(v->referrers);
	free(v->body);
	free(v);
}

void model_version_remove(sr_registry *r, model_subject *sub, int32_t version)
{
	model_version *v = model_version_find(sub, version);
	model_schema *s;

	if (!v)
		return;
	s = v->schema;
	remove_ptr((void **)sub->versions, &sub->nversions, v);
	remove_ptr((void **)s->uses, &s->nuses, v);
	r->nversions--;
	if (s->nuses == 0)
		link_referrers(r, s, false);
	version_free(v);
}

static void schema_free(model_schema *s)
{
	model_compiled *c = atomic_load(&s->compiled);
	size_t i;

	if (c) {
		sr_arena_free(c->arena);
		free(c);
	}
	for (i = 0; i < s->nrefs; i++) {
		free(s->refs[i].name);
		free(s->refs[i].subject);
	}
	free(s->refs);
	free(s->schema);
	free(s->schema_json);
	free(s->refs_json);
	free(s->metadata_json);
	free(s->rule_set_json);
	free(s->uses);
	free(s->body_by_id);
	free(s);
}

void model_free(sr_registry *r)
{
	size_t pos = 0, i;
	sr_map_entry *e;

	for (i = 0; i < r->nsorted; i++) {
		model_subject *sub = r->sorted[i];
		size_t j;
		for (j = 0; j < sub->nversions; j++)
			version_free(sub->versions[j]);
		free(sub->versions);
		model_config_dispose(&sub->config);
		free(sub->name);
		free(sub);
	}
	free(r->sorted);
	while (sr_map_next(&r->by_id, &pos, &e))
		schema_free(e->value);
	sr_map_dispose(&r->by_id);
	sr_map_dispose(&r->by_guid);
	sr_map_dispose(&r->by_text);
	sr_map_dispose(&r->by_raw);
	for (i = 0; i < r->naliases; i++)
		free(r->aliases[i]);
	free(r->aliases);
	sr_map_dispose(&r->subjects);
	pos = 0;
	while (sr_map_next(&r->referrers_of, &pos, &e)) {
		model_referrers *l = e->value;

		free(l->schemas);
		free(l->subject);
		free(l);
	}
	sr_map_dispose(&r->referrers_of);
	model_config_dispose(&r->global_config);
}

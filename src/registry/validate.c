/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Validating documents — typically what a model produced — against a
 * registered schema. The schema is compiled once per id (model_compiled_get)
 * and shared by every request; the document is parsed in the request's
 * arena and validated outside the registry's lock.
 */
#include <stdio.h>
#include <string.h>

#include "registry/model.h"

/* Find the schema under the shared lock and compile it if needed. */
static const sr_parsed *compiled_by_version(sr_registry *r, const char *subject,
					    int32_t version, bool deleted, sr_err *err)
{
	const sr_parsed *p = NULL;
	model_version *v;

	model_read_begin(r);
	if (model_version_lookup(r, subject, version, deleted, &v, err) == 0)
		p = model_compiled_get(r, v->schema, err);
	model_read_end(r);
	return p;
}

static const sr_parsed *compiled_by_id(sr_registry *r, int64_t id, sr_err *err)
{
	const sr_parsed *p = NULL;
	model_schema *s;

	model_read_begin(r);
	s = model_schema_find(r, id);
	if (s && s->nuses)
		p = model_compiled_get(r, s, err);
	else
		sr_err_set(err, SR_ENOTFOUND, SR_ERR_SCHEMA_NOT_FOUND, "Schema %lld not found",
			   (long long)id);
	model_read_end(r);
	return p;
}

static void render_found(sr_jw *w, const sr_json_found *f)
{
	sr_jw_key(w, "found");
	sr_jw_object_begin(w);
	sr_jw_key(w, "how");
	sr_jw_string(w, f->how);
	sr_jw_key(w, "line");
	sr_jw_i64(w, f->line);
	sr_jw_key(w, "column");
	sr_jw_i64(w, f->column);
	sr_jw_key(w, "offset");
	sr_jw_i64(w, (int64_t)f->offset);
	sr_jw_key(w, "length");
	sr_jw_i64(w, (int64_t)f->length);
	sr_jw_object_end(w);
}

static void render_error(sr_jw *w, const char *instance, const char *keyword, const char *msg)
{
	sr_jw_object_begin(w);
	sr_jw_key(w, "instanceLocation");
	sr_jw_string(w, instance);
	sr_jw_key(w, "keywordLocation");
	sr_jw_string(w, keyword);
	sr_jw_key(w, "error");
	sr_jw_string(w, msg);
	sr_jw_object_end(w);
}

/* The answer when no JSON document could be read. */
static void render_unreadable(sr_buf *out, const sr_validate_request *req,
			      const sr_json_error *je)
{
	char msg[320];
	sr_jw w;

	snprintf(msg, sizeof(msg), "%s at line %u column %u: %s",
		 req->text ? "no JSON value found in the text; the closest attempt failed"
			   : "the document is not valid JSON",
		 je->line, je->column, je->msg);
	sr_jw_init(&w, out);
	sr_jw_object_begin(&w);
	sr_jw_key(&w, "valid");
	sr_jw_bool(&w, false);
	if (!req->flag_only) {
		sr_jw_key(&w, "errors");
		sr_jw_array_begin(&w);
		render_error(&w, "", "", msg);
		sr_jw_array_end(&w);
	}
	sr_jw_object_end(&w);
}

static void render_result(sr_buf *out, const sr_validate_request *req, bool valid,
			  const sr_validation *v, const sr_json_found *found)
{
	sr_jw w;
	size_t i;

	sr_jw_init(&w, out);
	sr_jw_object_begin(&w);
	sr_jw_key(&w, "valid");
	sr_jw_bool(&w, valid);
	if (found)
		render_found(&w, found);
	if (!req->flag_only) {
		sr_jw_key(&w, "errors");
		sr_jw_array_begin(&w);
		for (i = 0; i < v->count; i++)
			render_error(&w, v->errors[i].instance_location,
				     v->errors[i].keyword_location, v->errors[i].message);
		sr_jw_array_end(&w);
	}
	sr_jw_object_end(&w);
}

static int validate(sr_registry *r, sr_arena *a, const sr_parsed *schema,
		    const sr_validate_request *req, sr_buf *out, sr_err *err)
{
	sr_json_limits limits = { req->max_json_depth };
	sr_validation v;
	sr_json_found where;
	sr_json_error je;
	sr_json *doc = NULL;
	bool valid;
	int rc;

	if (!schema->format->ops->validate)
		return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
				  "Validation is not supported for %s schemas",
				  schema->format->name);
	rc = req->text ? sr_json_find_in_text(&doc, &where, a, req->body, req->len, &limits, &je)
		       : sr_json_parse(&doc, a, req->body, req->len, &limits, &je);
	if (rc < 0) {
		render_unreadable(out, req, &je);
		return 0;
	}
	memset(&v, 0, sizeof(v));
	v.arena = a;
	v.flag_only = req->flag_only;
	v.format_assertion = req->format_assertion < 0 ? r->opts.format_assertion
						       : req->format_assertion == 1;
	valid = schema->format->ops->validate(schema, doc, &v);
	render_result(out, req, valid, &v, req->text ? &where : NULL);
	return 0;
}

int sr_registry_validate_version(sr_registry *r, sr_arena *a, const char *subject,
				 int32_t version, const sr_validate_request *req,
				 sr_buf *out, sr_err *err)
{
	const sr_parsed *schema = compiled_by_version(r, subject, version, req->deleted, err);

	return schema ? validate(r, a, schema, req, out, err) : SR_ENOTFOUND;
}

int sr_registry_validate_id(sr_registry *r, sr_arena *a, int64_t id,
			    const sr_validate_request *req, sr_buf *out, sr_err *err)
{
	const sr_parsed *schema = compiled_by_id(r, id, err);

	return schema ? validate(r, a, schema, req, out, err) : SR_ENOTFOUND;
}

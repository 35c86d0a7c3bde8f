/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Configs and modes: the subject → global hierarchy, the Config entity
 * (GET answers `compatibilityLevel`, PUT takes `compatibility` — the
 * asymmetry is Confluent's), and mode switches.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"
#include "registry/model.h"

#define DEFAULT_LEVEL SR_COMPAT_BACKWARD

static const char *const mode_names[] = {
	[MODE_UNSET] = NULL,
	[MODE_READWRITE] = "READWRITE",
	[MODE_READONLY] = "READONLY",
	[MODE_READONLY_OVERRIDE] = "READONLY_OVERRIDE",
	[MODE_IMPORT] = "IMPORT",
};

const char *model_mode_name(model_mode m)
{
	return mode_names[m];
}

bool model_mode_parse(const char *s, model_mode *out)
{
	int m;

	for (m = MODE_READWRITE; m <= MODE_IMPORT; m++) {
		if (strcasecmp(s, mode_names[m]) == 0) {
			*out = (model_mode)m;
			return true;
		}
	}
	return false;
}

sr_compat_level model_effective_level(const sr_registry *r, const model_subject *sub)
{
	if (sub && sub->config.has_level)
		return sub->config.level;
	if (r->global_config.has_level)
		return r->global_config.level;
	return DEFAULT_LEVEL;
}

bool model_effective_normalize(const sr_registry *r, const model_subject *sub)
{
	if (sub && sub->config.normalize >= 0)
		return sub->config.normalize == 1;
	return r->global_config.normalize == 1;
}

sr_compat_policy model_effective_policy(const sr_registry *r, const model_subject *sub)
{
	const char *p = sub && sub->config.policy ? sub->config.policy : r->global_config.policy;

	return p && strcmp(p, "LENIENT") == 0 ? SR_COMPAT_POLICY_LENIENT : SR_COMPAT_POLICY_STRICT;
}

model_mode model_effective_mode(const sr_registry *r, const model_subject *sub)
{
	/* READONLY_OVERRIDE at the global level wins over subject modes. */
	if (r->global_mode == MODE_READONLY_OVERRIDE)
		return MODE_READONLY_OVERRIDE;
	if (sub && sub->mode != MODE_UNSET)
		return sub->mode;
	return r->global_mode;
}

void model_config_dispose(model_config *c)
{
	free(c->policy);
	memset(c, 0, sizeof(*c));
	c->normalize = -1;
}

static bool policy_valid(const char *p)
{
	return strcmp(p, "STRICT") == 0 || strcmp(p, "LENIENT") == 0 ||
	       strcmp(p, "LOGICAL") == 0;
}

static int invalid_level(sr_err *err)
{
	return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_COMPATIBILITY,
			  "Invalid compatibility level. Valid values are none, backward, "
			  "forward, full, backward_transitive, forward_transitive, and "
			  "full_transitive");
}

/*
 * Merge the fields present in `obj` into `c`. `level_key` is the member
 * naming the level ("compatibility" in requests, "compatibilityLevel" when
 * stored); the other spelling is accepted too.
 */
static int config_merge(model_config *c, const sr_json *obj, sr_err *err)
{
	const sr_json *level = sr_json_get(obj, "compatibility");
	const sr_json *normalize = sr_json_get(obj, "normalize");
	const sr_json *policy = sr_json_get(obj, "compatibilityPolicy");

	if (!level || level->type == SR_JSON_NULL)
		level = sr_json_get(obj, "compatibilityLevel");
	if (level && level->type != SR_JSON_NULL) {
		if (!sr_json_is_string(level) ||
		    !sr_compat_level_parse(level->u.str, &c->level))
			return invalid_level(err);
		c->has_level = true;
	}
	if (normalize && normalize->type != SR_JSON_NULL) {
		if (!sr_json_is_bool(normalize))
			return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_COMPATIBILITY,
					  "Invalid normalize value: expected true or false");
		c->normalize = normalize->type == SR_JSON_TRUE;
	}
	if (policy && policy->type != SR_JSON_NULL) {
		char *upper;
		size_t i;

		if (!sr_json_is_string(policy))
			return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_COMPATIBILITY,
					  "Invalid compatibilityPolicy: expected a string");
		upper = sr_strndup(policy->u.str, policy->len);
		for (i = 0; upper[i]; i++)
			if (upper[i] >= 'a' && upper[i] <= 'z')
				upper[i] = (char)(upper[i] - 'a' + 'A');
		if (!policy_valid(upper)) {
			free(upper);
			return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_COMPATIBILITY,
					  "Invalid compatibilityPolicy. Valid values are "
					  "STRICT, LENIENT and LOGICAL");
		}
		free(c->policy);
		c->policy = upper;
	}
	c->present = true;
	return 0;
}

int model_config_parse(model_config *out, const char *json, size_t len, sr_err *err)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *root = NULL;
	int rc;

	rc = sr_json_parse(&root, a, json, len, NULL, NULL);
	if (rc < 0 || !sr_json_is_object(root))
		rc = sr_err_set(err, SR_EINVALID, SR_ERR_STORE, "config is not a JSON object");
	else
		rc = config_merge(out, root, err);
	sr_arena_free(a);
	return rc;
}

/* Render a config; `level_key` is "compatibilityLevel" (GET, storage) or
 * "compatibility" (the PUT echo). Unset fields are omitted. */
static void render_config(sr_buf *out, const model_config *c, const char *level_key)
{
	sr_jw w;

	sr_jw_init(&w, out);
	sr_jw_object_begin(&w);
	if (c->has_level) {
		sr_jw_key(&w, level_key);
		sr_jw_string(&w, sr_compat_level_name(c->level));
	}
	if (c->normalize >= 0) {
		sr_jw_key(&w, "normalize");
		sr_jw_bool(&w, c->normalize == 1);
	}
	if (c->policy) {
		sr_jw_key(&w, "compatibilityPolicy");
		sr_jw_string(&w, c->policy);
	}
	sr_jw_object_end(&w);
}

/* Subject fields override global ones; the level defaults to BACKWARD. */
static void config_effective(const sr_registry *r, const model_subject *sub,
			     model_config *out)
{
	const model_config *g = &r->global_config;

	memset(out, 0, sizeof(*out));
	out->has_level = true;
	out->level = model_effective_level(r, sub);
	out->normalize = sub && sub->config.normalize >= 0 ? sub->config.normalize
							   : g->normalize;
	out->policy = sub && sub->config.policy ? sub->config.policy : g->policy;
}

static void render_effective(sr_buf *out, const sr_registry *r, const model_subject *sub)
{
	model_config eff;

	config_effective(r, sub, &eff);
	render_config(out, &eff, "compatibilityLevel");
}

int sr_registry_get_config(sr_registry *r, const char *subject,
			   bool default_to_global, sr_buf *out, sr_err *err)
{
	model_subject *sub;
	int rc = 0;

	model_read_begin(r);
	sub = subject ? model_subject_find(r, subject) : NULL;
	if (!subject || default_to_global)
		render_effective(out, r, sub);
	else if (sub && sub->config.present)
		render_config(out, &sub->config, "compatibilityLevel");
	else
		rc = sr_err_set(err, SR_ENOTFOUND, SR_ERR_SUBJECT_CONFIG_NOT_FOUND,
				"Subject '%s' does not have subject-level compatibility configured",
				subject);
	model_read_end(r);
	return rc;
}

static int persist_config(sr_registry *r, const char *subject,
			  const model_config *c, sr_err *err)
{
	sr_buf json = SR_BUF_INIT;
	sr_change change;
	int rc;

	memset(&change, 0, sizeof(change));
	if (c && c->present) {
		render_config(&json, c, "compatibilityLevel");
		change.kind = SR_CHANGE_CONFIG_PUT;
		change.u.config.config = json.ptr;
	} else {
		change.kind = SR_CHANGE_CONFIG_DELETE;
	}
	change.u.config.subject = subject;
	rc = model_persist(r, &change, 1, err);
	sr_buf_dispose(&json);
	return rc;
}

static void config_copy(model_config *dst, const model_config *src)
{
	model_config_dispose(dst);
	*dst = *src;
	dst->policy = src->policy ? sr_strdup(src->policy) : NULL;
}

int sr_registry_put_config(sr_registry *r, const char *subject,
			   const sr_json *body, sr_buf *out, sr_err *err)
{
	const model_config *base;
	model_config next;
	model_subject *sub;
	int rc;

	if (!sr_json_is_object(body))
		return invalid_level(err);
	model_write_begin(r);
	sub = subject ? model_subject_find(r, subject) : NULL;
	base = subject ? (sub ? &sub->config : NULL) : &r->global_config;
	memset(&next, 0, sizeof(next));
	next.normalize = -1;
	if (base)
		config_copy(&next, base);
	rc = config_merge(&next, body, err);
	if (rc == 0)
		rc = persist_config(r, subject, &next, err);
	if (rc == 0) {
		model_apply_begin(r);
		if (subject)
			sub = model_subject_get(r, subject);
		config_copy(subject ? &sub->config : &r->global_config, &next);
		model_apply_end(r);
		render_config(out, &next, "compatibility");
	}
	model_config_dispose(&next);
	model_write_end(r);
	return rc;
}

int sr_registry_delete_config(sr_registry *r, const char *subject,
			      sr_buf *out, sr_err *err)
{
	model_subject *sub;
	int rc;

	model_write_begin(r);
	sub = subject ? model_subject_find(r, subject) : NULL;
	if (subject && (!sub || !sub->config.present)) {
		rc = model_subject_not_found(err, subject);
		goto done;
	}
	rc = persist_config(r, subject, NULL, err);
	if (rc < 0)
		goto done;
	if (subject)
		render_config(out, &sub->config, "compatibilityLevel");
	else
		render_effective(out, r, NULL);
	model_apply_begin(r);
	model_config_dispose(subject ? &sub->config : &r->global_config);
	if (sub) /* as replicas applying this change do (follow.c) */
		model_subject_remove_if_empty(r, sub);
	model_apply_end(r);
done:
	model_write_end(r);
	return rc;
}

/* ---- modes ------------------------------------------------------------------ */

static void render_mode(sr_buf *out, model_mode m)
{
	sr_buf_puts(out, "{\"mode\":\"");
	sr_buf_puts(out, model_mode_name(m));
	sr_buf_puts(out, "\"}");
}

int sr_registry_get_mode(sr_registry *r, const char *subject,
			 bool default_to_global, sr_buf *out, sr_err *err)
{
	model_subject *sub;
	int rc = 0;

	model_read_begin(r);
	sub = subject ? model_subject_find(r, subject) : NULL;
	if (!subject)
		render_mode(out, r->global_mode);
	else if (sub && sub->mode != MODE_UNSET)
		render_mode(out, sub->mode);
	else if (default_to_global)
		render_mode(out, r->global_mode);
	else
		rc = sr_err_set(err, SR_ENOTFOUND, SR_ERR_SUBJECT_MODE_NOT_FOUND,
				"Subject '%s' does not have subject-level mode configured",
				subject);
	model_read_end(r);
	return rc;
}

static bool scope_has_live_subjects(const sr_registry *r, const model_subject *sub,
				    const char *subject)
{
	size_t i;

	if (subject)
		return sub && model_subject_has_live(sub);
	for (i = 0; i < r->nsorted; i++)
		if (model_subject_has_live(r->sorted[i]))
			return true;
	return false;
}

static int persist_mode(sr_registry *r, const char *subject, model_mode m, sr_err *err)
{
	sr_change change;

	memset(&change, 0, sizeof(change));
	change.kind = m == MODE_UNSET ? SR_CHANGE_MODE_DELETE : SR_CHANGE_MODE_PUT;
	change.u.mode.subject = subject;
	change.u.mode.mode = m == MODE_UNSET ? NULL : model_mode_name(m);
	return model_persist(r, &change, 1, err);
}

int sr_registry_put_mode(sr_registry *r, const char *subject,
			 const sr_json *body, bool force, sr_buf *out,
			 sr_err *err)
{
	const char *name = sr_json_get_string(body, "mode");
	model_subject *sub;
	model_mode m;
	int rc;

	if (!name || !model_mode_parse(name, &m))
		return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_MODE,
				  "Invalid mode. Valid values are READWRITE, READONLY, "
				  "READONLY_OVERRIDE and IMPORT.");
	model_write_begin(r);
	sub = subject ? model_subject_find(r, subject) : NULL;
	if (m == MODE_IMPORT && !force && scope_has_live_subjects(r, sub, subject)) {
		rc = sr_err_set(err, SR_ECONFLICT, SR_ERR_OPERATION_NOT_PERMITTED,
				"Cannot import since found existing subjects");
		goto done;
	}
	rc = persist_mode(r, subject, m, err);
	if (rc < 0)
		goto done;
	model_apply_begin(r);
	if (subject)
		model_subject_get(r, subject)->mode = m;
	else
		r->global_mode = m;
	model_apply_end(r);
	render_mode(out, m);
done:
	model_write_end(r);
	return rc;
}

int sr_registry_delete_mode(sr_registry *r, const char *subject,
			    sr_buf *out, sr_err *err)
{
	model_subject *sub;
	model_mode old;
	int rc;

	model_write_begin(r);
	sub = subject ? model_subject_find(r, subject) : NULL;
	if (subject && (!sub || sub->mode == MODE_UNSET)) {
		rc = model_subject_not_found(err, subject);
		goto done;
	}
	old = subject ? sub->mode : r->global_mode;
	rc = persist_mode(r, subject, MODE_UNSET, err);
	if (rc < 0)
		goto done;
	model_apply_begin(r);
	if (subject) {
		sub->mode = MODE_UNSET;
		model_subject_remove_if_empty(r, sub); /* as follow.c does */
	} else {
		r->global_mode = MODE_READWRITE;
	}
	model_apply_end(r);
	render_mode(out, old);
done:
	model_write_end(r);
	return rc;
}

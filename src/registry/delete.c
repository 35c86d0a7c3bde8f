/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Deletes, with Confluent's two steps: a soft delete hides a version (still
 * readable by id and with ?deleted=true); a permanent delete removes it and
 * is only allowed after the soft one. Nothing referenced by another schema
 * can be deleted (soft: by a live referrer; permanent: by any referrer).
 * When a subject loses its last version permanently, its config and mode
 * go too.
 */
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "registry/model.h"

/* Does any referrer still hold `v`? Live referrers only, unless `any`. */
static bool referenced(const model_version *v, bool any)
{
	size_t i;

	for (i = 0; i < v->nreferrers; i++)
		if (any || model_schema_live(v->referrers[i]))
			return true;
	return false;
}

static int referenced_error(sr_err *err, const model_version *v)
{
	return sr_err_set(err, SR_ECONFLICT, SR_ERR_REFERENCE_EXISTS,
			  "One or more references exist to the schema "
			  "{subject=%s,version=%d}.",
			  v->subject->name, v->version);
}

static int check_delete_mode(const sr_registry *r, const model_subject *sub,
			     const char *subject, sr_err *err)
{
	model_mode m = model_effective_mode(r, sub);

	if (m == MODE_READONLY || m == MODE_READONLY_OVERRIDE)
		return sr_err_set(err, SR_ECONFLICT, SR_ERR_OPERATION_NOT_PERMITTED,
				  "Subject %s is in %s mode", subject, model_mode_name(m));
	return 0;
}

/* The subject a delete acts on: it must have versions and the mode must
 * allow writes. */
static int deletable_subject(sr_registry *r, const char *subject, model_subject **out,
			     sr_err *err)
{
	model_subject *sub = model_subject_find(r, subject);
	int rc = check_delete_mode(r, sub, subject, err);

	if (rc < 0)
		return rc;
	if (!sub || sub->nversions == 0)
		return model_subject_not_found(err, subject);
	*out = sub;
	return 0;
}

static void version_change(sr_change *c, const model_version *v, bool permanent)
{
	memset(c, 0, sizeof(*c));
	c->kind = permanent ? SR_CHANGE_VERSION_DELETE : SR_CHANGE_VERSION_PUT;
	c->u.version.subject = v->subject->name;
	c->u.version.version = v->version;
	c->u.version.schema_id = v->schema->id;
	c->u.version.deleted = true;
	c->u.version.created_ms = v->created_ms;
}

/* The config and mode rows to drop with a subject's last version. */
static size_t settings_changes(sr_change *c, const model_subject *sub)
{
	size_t n = 0;

	if (sub->config.present) {
		memset(&c[n], 0, sizeof(c[n]));
		c[n].kind = SR_CHANGE_CONFIG_DELETE;
		c[n++].u.config.subject = sub->name;
	}
	if (sub->mode != MODE_UNSET) {
		memset(&c[n], 0, sizeof(c[n]));
		c[n].kind = SR_CHANGE_MODE_DELETE;
		c[n++].u.mode.subject = sub->name;
	}
	return n;
}

/* Apply a delete of `victims` to the model (exclusive lock held). */
static void apply_deletes(sr_registry *r, model_subject *sub,
			  model_version *const *victims, size_t n, bool permanent)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (permanent)
			model_version_remove(r, sub, victims[i]->version);
		else
			model_version_put(r, sub, victims[i]->version, victims[i]->schema,
					  true, victims[i]->created_ms);
	}
	if (permanent && sub->nversions == 0) {
		model_config_dispose(&sub->config);
		sub->mode = MODE_UNSET;
		model_subject_remove_if_empty(r, sub);
	}
}

/* Persist and apply the delete of `victims`, answering their numbers. */
static int delete_versions(sr_registry *r, model_subject *sub,
			   model_version **victims, size_t n, bool permanent,
			   sr_err *err)
{
	sr_change *changes = sr_calloc(n + 2, sizeof(*changes));
	size_t i, nchanges = 0;
	int rc;

	for (i = 0; i < n; i++)
		version_change(&changes[nchanges++], victims[i], permanent);
	if (permanent && n == sub->nversions)
		nchanges += settings_changes(&changes[nchanges], sub);
	rc = model_persist(r, changes, nchanges, err);
	free(changes);
	if (rc < 0)
		return rc;
	model_apply_begin(r);
	apply_deletes(r, sub, victims, n, permanent);
	model_apply_end(r);
	return 0;
}

int sr_registry_delete_subject(sr_registry *r, const char *subject,
			       bool permanent, sr_buf *out, sr_err *err)
{
	model_subject *sub;
	model_version **victims = NULL;
	size_t i, n = 0;
	int rc;

	model_write_begin(r);
	rc = deletable_subject(r, subject, &sub, err);
	if (rc < 0)
		goto done;
	if (!permanent && !model_subject_has_live(sub)) {
		rc = sr_err_set(err, SR_ENOTFOUND, SR_ERR_SUBJECT_SOFT_DELETED,
				"Subject '%s' was soft deleted.Set permanent=true to delete permanently",
				subject);
		goto done;
	}
	if (permanent && model_subject_has_live(sub)) {
		rc = sr_err_set(err, SR_ECONFLICT, SR_ERR_SUBJECT_NOT_SOFT_DELETED,
				"Subject '%s' was not deleted first before being permanently deleted",
				subject);
		goto done;
	}
	victims = sr_calloc(sub->nversions, sizeof(*victims));
	for (i = 0; i < sub->nversions; i++) {
		model_version *v = sub->versions[i];
		if (!permanent && v->deleted)
			continue;
		if (referenced(v, permanent)) {
			rc = referenced_error(err, v);
			goto done;
		}
		victims[n++] = v;
	}
	render_version_list(out, victims, n);
	rc = delete_versions(r, sub, victims, n, permanent, err);
	if (rc < 0)
		sr_buf_clear(out);
done:
	free(victims);
	model_write_end(r);
	return rc;
}

int sr_registry_delete_version(sr_registry *r, const char *subject,
			       int32_t version, bool permanent, sr_buf *out,
			       sr_err *err)
{
	model_subject *sub;
	model_version *v;
	int rc;

	model_write_begin(r);
	rc = deletable_subject(r, subject, &sub, err);
	if (rc < 0)
		goto done;
	/* "latest" is the newest live version for a soft delete and the newest
	 * of all for a permanent one (which needs a soft-deleted version). */
	v = version == SR_VERSION_LATEST ? model_version_latest(sub, permanent)
					 : model_version_find(sub, version);
	if (!v) {
		rc = model_version_not_found(err, version);
		goto done;
	}
	if (!permanent && v->deleted) {
		rc = sr_err_set(err, SR_ENOTFOUND, SR_ERR_VERSION_SOFT_DELETED,
				"Subject '%s' Version %d was soft deleted.Set permanent=true "
				"to delete permanently", subject, v->version);
		goto done;
	}
	if (permanent && !v->deleted) {
		rc = sr_err_set(err, SR_ECONFLICT, SR_ERR_VERSION_NOT_SOFT_DELETED,
				"Subject '%s' Version %d was not deleted first before being "
				"permanently deleted", subject, v->version);
		goto done;
	}
	if (referenced(v, permanent)) {
		rc = referenced_error(err, v);
		goto done;
	}
	sr_buf_put_i64(out, v->version);
	rc = delete_versions(r, sub, &v, 1, permanent, err);
	if (rc < 0)
		sr_buf_clear(out);
done:
	model_write_end(r);
	return rc;
}

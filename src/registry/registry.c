/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "registry/registry.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "registry/model.h"

void model_read_begin(sr_registry *r)
{
	pthread_rwlock_rdlock(&r->lock);
}

void model_read_end(sr_registry *r)
{
	pthread_rwlock_unlock(&r->lock);
}

void model_write_begin(sr_registry *r)
{
	pthread_mutex_lock(&r->write_lock);
	if (!sr_storage_replicated(r->store))
		return;
	/* Other processes write too: take the store-wide writer lock and catch
	 * up with them, so the decision is made on the current state. A
	 * failure is kept for model_persist, which reports it. */
	sr_err_clear(&r->write_err);
	r->write_rc = sr_storage_write_begin(r->store, &r->write_err);
	if (r->write_rc == 0)
		r->write_rc = model_follow(r, &r->write_err);
}

void model_write_end(sr_registry *r)
{
	sr_storage_write_end(r->store);
	r->write_rc = 0;
	pthread_mutex_unlock(&r->write_lock);
}

void model_apply_begin(sr_registry *r)
{
	pthread_rwlock_wrlock(&r->lock);
}

void model_apply_end(sr_registry *r)
{
	pthread_rwlock_unlock(&r->lock);
}

int model_persist(sr_registry *r, const sr_change *changes, size_t n, sr_err *err)
{
	int rc = r->write_rc;

	if (rc < 0)
		sr_err_set(err, rc, SR_ERR_STORE, "%s", sr_err_message(&r->write_err));
	else
		rc = sr_storage_apply(r->store, changes, n, err);

	if (rc < 0) {
		sr_logf(SR_LOG_ERROR, "store write failed: %s", sr_err_message(err));
		/* Keep the store's message: it says what went wrong. */
		sr_err_prefix(err, "Error while storing the change: ");
		if (err)
			err->code = SR_ERR_STORE;
		return rc;
	}
	return 0;
}

/* ---- loading --------------------------------------------------------------- */

int model_load_schema(void *ctx, const sr_st_schema *s)
{
	sr_registry *r = ctx;
	const sr_format *format = sr_format_find(s->schema_type);
	sr_err err = SR_ERR_INIT;
	int rc = 0;

	if (!format) {
		sr_logf(SR_LOG_ERROR,
			"schema %lld has type %s, which this release does not support",
			(long long)s->id, s->schema_type);
		return SR_ERROR;
	}
	if (!model_schema_add(r, s, format, &err)) {
		sr_logf(SR_LOG_ERROR, "cannot load schema %lld: %s",
			(long long)s->id, sr_err_message(&err));
		rc = SR_ERROR;
	}
	sr_err_dispose(&err);
	return rc;
}

int model_load_version(void *ctx, const sr_st_version *v)
{
	sr_registry *r = ctx;
	model_schema *s = model_schema_find(r, v->schema_id);

	if (!s) {
		sr_logf(SR_LOG_ERROR, "subject %s version %d names unknown schema %lld",
			v->subject, v->version, (long long)v->schema_id);
		return SR_ERROR;
	}
	model_version_put(r, model_subject_get(r, v->subject), v->version, s,
			  v->deleted, v->created_ms);
	return 0;
}

int model_load_config(void *ctx, const sr_st_config *c)
{
	sr_registry *r = ctx;
	model_config *dst = c->subject ? &model_subject_get(r, c->subject)->config
				       : &r->global_config;
	sr_err err = SR_ERR_INIT;
	int rc;

	model_config_dispose(dst);
	rc = model_config_parse(dst, c->config, strlen(c->config), &err);
	if (rc < 0)
		sr_logf(SR_LOG_ERROR, "stored config of %s is invalid: %s",
			c->subject ? c->subject : "(global)", sr_err_message(&err));
	sr_err_dispose(&err);
	return rc;
}

int model_load_mode(void *ctx, const sr_st_mode *m)
{
	sr_registry *r = ctx;
	model_mode mode;

	if (!model_mode_parse(m->mode, &mode)) {
		sr_logf(SR_LOG_ERROR, "stored mode '%s' is invalid", m->mode);
		return SR_ERROR;
	}
	if (m->subject)
		model_subject_get(r, m->subject)->mode = mode;
	else
		r->global_mode = mode;
	return 0;
}

int sr_registry_open(sr_registry **out, sr_storage *store,
		     const sr_registry_opts *opts, sr_err *err)
{
	sr_registry *r = sr_calloc(1, sizeof(*r));
	pthread_rwlockattr_t attr;
	sr_storage_loader loader = {
		model_load_schema, model_load_version, model_load_config, model_load_mode, r,
	};
	int rc;

	r->store = store;
	r->opts = *opts;
	r->global_config.normalize = -1;
	r->global_mode = MODE_READWRITE;
	/* Writers must not starve behind a steady stream of readers. */
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr,
				      PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&r->lock, &attr);
	pthread_rwlockattr_destroy(&attr);
	pthread_mutex_init(&r->write_lock, NULL);
	r->write_err = (sr_err)SR_ERR_INIT;

	rc = sr_storage_load(store, &loader, err);
	if (rc < 0) {
		if (!err || !err->code)
			sr_err_set(err, rc, SR_ERR_STORE, "cannot load the registry from the store");
		sr_registry_free(r);
		return rc;
	}
	r->loaded = true;
	if (sr_storage_replicated(store))
		model_follower_start(r);
	*out = r;
	return 0;
}

void sr_registry_free(sr_registry *r)
{
	if (!r)
		return;
	model_follower_stop(r);
	model_free(r);
	sr_err_dispose(&r->write_err);
	pthread_rwlock_destroy(&r->lock);
	pthread_mutex_destroy(&r->write_lock);
	free(r);
}

bool sr_registry_ready(sr_registry *r, sr_err *err)
{
	if (!r->loaded) {
		sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_UNAVAILABLE, "registry not loaded");
		return false;
	}
	if (atomic_load(&r->behind)) {
		sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_UNAVAILABLE,
			   "this process fell further behind the other writers than the change "
			   "log reaches; restart it");
		return false;
	}
	return sr_storage_ping(r->store, err) == 0;
}

void sr_registry_stats_get(sr_registry *r, sr_registry_stats *out)
{
	model_read_begin(r);
	out->schemas = r->by_id.count;
	out->subjects = r->nsorted;
	out->versions = r->nversions;
	out->max_id = r->max_id;
	model_read_end(r);
}

/* Valid UTF-8, non-empty, no ISO control characters (U+0000–U+001F,
 * U+007F–U+009F), as Confluent's subject validation. */
bool sr_registry_subject_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	if (len == 0)
		return false;
	while (i < len) {
		uint32_t cp;
		size_t n = sr_utf8_decode(p + i, len - i, &cp);

		if (!n || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return false;
		i += n;
	}
	return true;
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Following the other processes that write to a replicated store
 * (storage.h, replicas): their changes come from the store's change log
 * and are applied to this process's model — before each of our writes
 * (model_write_begin, under the store-wide writer lock) and by a
 * background thread woken by the store's notifications, or every
 * FOLLOW_POLL_MS when none come.
 *
 * Applying is idempotent: a change already reflected (one of our own, or
 * one applied before a reconnect) leaves the model as it is.
 */
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "registry/model.h"

#define FOLLOW_POLL_MS 1000
/* The follower waits in slices this long, so that stopping it is quick. */
#define WAIT_SLICE_MS 100

static model_config *config_of(sr_registry *r, const char *subject, model_subject **sub)
{
	*sub = subject ? model_subject_find(r, subject) : NULL;
	if (!subject)
		return &r->global_config;
	return *sub ? &(*sub)->config : NULL;
}

static void delete_version(sr_registry *r, const sr_st_version *v)
{
	model_subject *sub = model_subject_find(r, v->subject);

	if (!sub)
		return;
	model_version_remove(r, sub, v->version);
	model_subject_remove_if_empty(r, sub);
}

static void delete_config(sr_registry *r, const char *subject)
{
	model_subject *sub;
	model_config *c = config_of(r, subject, &sub);

	if (!c)
		return;
	model_config_dispose(c);
	if (sub)
		model_subject_remove_if_empty(r, sub);
}

static void delete_mode(sr_registry *r, const char *subject)
{
	model_subject *sub = subject ? model_subject_find(r, subject) : NULL;

	if (!subject) {
		r->global_mode = MODE_READWRITE;
		return;
	}
	if (!sub)
		return;
	sub->mode = MODE_UNSET;
	model_subject_remove_if_empty(r, sub);
}

/* One change of another process (exclusive lock held). */
static int apply_change(sr_registry *r, const sr_change *c)
{
	switch (c->kind) {
	case SR_CHANGE_SCHEMA_PUT:
		/* Schemas are immutable: present means applied. */
		return model_schema_find(r, c->u.schema.id) ? 0 : model_load_schema(r, &c->u.schema);
	case SR_CHANGE_VERSION_PUT:
		return model_load_version(r, &c->u.version);
	case SR_CHANGE_VERSION_DELETE:
		delete_version(r, &c->u.version);
		return 0;
	case SR_CHANGE_CONFIG_PUT:
		return model_load_config(r, &c->u.config);
	case SR_CHANGE_CONFIG_DELETE:
		delete_config(r, c->u.config.subject);
		return 0;
	case SR_CHANGE_MODE_PUT:
		return model_load_mode(r, &c->u.mode);
	case SR_CHANGE_MODE_DELETE:
		delete_mode(r, c->u.mode.subject);
		return 0;
	}
	return SR_EINVALID;
}

static int follow_one(void *ctx, const sr_change *c)
{
	sr_registry *r = ctx;
	int rc;

	model_apply_begin(r);
	rc = apply_change(r, c);
	model_apply_end(r);
	return rc;
}

int model_follow(sr_registry *r, sr_err *err)
{
	int rc = sr_storage_tail(r->store, follow_one, r, err);

	if (rc > 0 || (rc < 0 && err && !err->code))
		rc = sr_err_set(err, SR_ERROR, SR_ERR_STORE,
				"a change of another process does not apply to this model");
	if (rc == SR_ECONFLICT && !atomic_exchange(&r->behind, true))
		sr_logf(SR_LOG_ERROR, "%s", sr_err_message(err));
	return rc;
}

static void *follower(void *arg)
{
	sr_registry *r = arg;
	sr_err err = SR_ERR_INIT;
	bool failing = false;
	int rc;

	int waited = 0;

	while (!atomic_load(&r->stopping)) {
		if (sr_storage_wait(r->store, WAIT_SLICE_MS) != 1 &&
		    (waited += WAIT_SLICE_MS) < FOLLOW_POLL_MS)
			continue;
		waited = 0;
		if (atomic_load(&r->stopping))
			break;
		sr_err_clear(&err);
		pthread_mutex_lock(&r->write_lock);
		rc = model_follow(r, &err);
		pthread_mutex_unlock(&r->write_lock);
		/* Say it once when it starts failing and once when it recovers. */
		if (rc < 0 && !failing && rc != SR_ECONFLICT)
			sr_logf(SR_LOG_WARN, "following other writers: %s", sr_err_message(&err));
		else if (rc == 0 && failing)
			sr_log(SR_LOG_INFO, "following other writers again", NULL);
		failing = rc < 0;
	}
	sr_err_dispose(&err);
	return NULL;
}

void model_follower_start(sr_registry *r)
{
	atomic_store(&r->stopping, false);
	r->following = pthread_create(&r->follower, NULL, follower, r) == 0;
	if (!r->following)
		sr_log(SR_LOG_ERROR, "cannot start the follower thread", NULL);
}

void model_follower_stop(sr_registry *r)
{
	if (!r->following)
		return;
	atomic_store(&r->stopping, true);
	pthread_join(r->follower, NULL); /* within WAIT_SLICE_MS */
	r->following = false;
}

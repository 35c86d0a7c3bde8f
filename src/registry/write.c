/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Registration, lookup and compatibility checks — Confluent's rules:
 *  - fast path: a schema already live under the subject is returned as is
 *    (no mode check, no compatibility check, no write), so retries are
 *    idempotent;
 *  - the same identity under any subject gets the same global id; ids are
 *    max + 1; versions are max (incl. soft-deleted) + 1;
 *  - compatibility is checked against live versions only (the latest, or
 *    all for *_TRANSITIVE levels), skipped in IMPORT mode.
 */
#include <inttypes.h>
#include <string.h>

#include "core/mem.h"
#include "registry/model.h"

/* The live (or, with `deleted`, any) version of `sub` with identity `guid`. */
static model_version *version_with_guid(const model_subject *sub, const char *guid,
					bool deleted)
{
	size_t i;

	if (!sub)
		return NULL;
	for (i = sub->nversions; i-- > 0;) {
		model_version *v = sub->versions[i];
		if ((deleted || !v->deleted) && strcmp(v->schema->guid, guid) == 0)
			return v;
	}
	return NULL;
}

static void put_body(sr_buf *out, const model_version *v)
{
	sr_buf_put(out, v->body, v->body_len);
}

/* Explicit id/version in a request must agree with an existing version for
 * the fast path to answer with it. */
static bool request_matches(const sr_schema_request *req, const model_version *v)
{
	return (req->id <= 0 || req->id == v->schema->id) &&
	       (req->version <= 0 || req->version == v->version);
}

/*
 * Under the shared lock: Confluent's fast path — a schema already live
 * under the subject is the answer — and the preparation of the candidate
 * (envelope, parse, canonical form, identity), so that parsing runs in
 * parallel and the writer mutex is only taken for new versions. Returns 1
 * when answered, 0 when `c` is prepared for the writer, or an error.
 */
static int register_prepare(sr_registry *r, sr_arena *a, const char *subject,
			    const sr_schema_request *req, const sr_schema_opts *o,
			    model_candidate *c, sr_buf *out, sr_err *err)
{
	model_version *v = NULL;
	model_schema *hit = NULL;
	model_subject *sub;
	bool normalize;
	int rc;

	model_read_begin(r);
	sub = model_subject_find(r, subject);
	normalize = o->normalize || model_effective_normalize(r, sub);
	rc = model_candidate_init(r, a, req, c, err);
	if (rc == 0 && (normalize || !model_candidate_quick(r, c)))
		rc = model_candidate_parse(r, a, c, normalize, err);
	if (rc == 0) {
		v = version_with_guid(sub, c->guid, false);
		if (v && request_matches(req, v)) {
			put_body(out, v);
			hit = v->schema;
		}
	}
	model_read_end(r);
	/* Schema records are never freed, so `hit` outlives the lock; the
	 * version may not (a permanent delete frees it). */
	if (hit)
		model_candidate_remember(r, c, hit);
	return rc < 0 ? rc : hit != NULL;
}

/*
 * Under the writer mutex: bring a candidate prepared under the shared lock
 * up to date — the model may have changed in between (references deleted,
 * the same schema registered by someone else, the normalize setting).
 */
static int candidate_refresh(sr_registry *r, sr_arena *a, const sr_schema_request *req,
			     bool normalize, model_candidate *c, sr_err *err)
{
	model_candidate now;
	int rc = model_candidate_init(r, a, req, &now, err);

	if (rc < 0)
		return rc;
	if (c->parsed_ok && c->normalized == normalize &&
	    (c->refs_json == now.refs_json ||
	     (c->refs_json && now.refs_json && strcmp(c->refs_json, now.refs_json) == 0))) {
		c->existing = sr_map_get(&r->by_guid, c->guid, strlen(c->guid));
		return 0;
	}
	*c = now;
	return model_candidate_parse(r, a, c, normalize, err);
}

/* ---- compatibility ---------------------------------------------------------- */

typedef struct compat_outcome {
	bool compatible;
	sr_compat_report report;
} compat_outcome;

/*
 * Check the candidate against `versions[0..n)` (oldest first) at `level`,
 * collecting Confluent's verbose messages: the differences, then the old
 * version and schema, per failing version, and finally the settings.
 */
static int check_versions(sr_registry *r, sr_arena *a, const model_candidate *c,
			  const model_subject *sub, model_version *const *versions,
			  size_t n, compat_outcome *res, sr_err *err)
{
	sr_compat_level level = model_effective_level(r, sub);
	size_t i;

	memset(res, 0, sizeof(*res));
	res->compatible = true;
	res->report.arena = a;
	res->report.policy = model_effective_policy(r, sub);
	res->report.max_messages = 1000;
	if (level == SR_COMPAT_NONE)
		return 0;
	for (i = n; i-- > 0;) {
		const sr_parsed *prev = model_compiled_get(r, versions[i]->schema, err);

		if (!prev) {
			sr_err_prefix(err, "stored version %d of subject '%s': ",
				      versions[i]->version, versions[i]->subject->name);
			err->code = SR_ERR_INTERNAL;
			return SR_ERROR;
		}
		if (!sr_compat_check_one(level, &c->parsed, prev, &res->report)) {
			res->compatible = false;
			sr_compat_report_add(&res->report, "{oldSchemaVersion: %d}",
					     versions[i]->version);
			sr_compat_report_add(&res->report, "{oldSchema: '%s'}",
					     versions[i]->schema->schema);
		}
		if (!sr_compat_level_is_transitive(level))
			break;
	}
	if (!res->compatible)
		sr_compat_report_add(&res->report,
				     "{validateFields: 'false', compatibility: '%s'}",
				     sr_compat_level_name(level));
	return 0;
}

/* Live versions of `sub`, oldest first, in arena memory. */
static model_version **live_versions(sr_arena *a, const model_subject *sub, size_t *n)
{
	model_version **out;
	size_t i;

	*n = 0;
	if (!sub)
		return NULL;
	out = sr_arena_alloc(a, (sub->nversions + 1) * sizeof(*out));
	for (i = 0; i < sub->nversions; i++)
		if (!sub->versions[i]->deleted)
			out[(*n)++] = sub->versions[i];
	return out;
}

static void render_messages(sr_buf *out, const sr_compat_report *rep, const char *sep)
{
	size_t i;

	for (i = 0; i < rep->count; i++) {
		if (i)
			sr_buf_puts(out, sep);
		sr_buf_puts(out, rep->messages[i]);
	}
}

static int incompatible(sr_err *err, const char *subject, const sr_compat_report *rep)
{
	sr_buf details = SR_BUF_INIT;
	int rc;

	render_messages(&details, rep, ", ");
	rc = sr_err_set(err, SR_ECONFLICT, SR_ERR_INCOMPATIBLE,
			"Schema being registered is incompatible with an earlier schema "
			"for subject \"%s\", details: [%s]",
			subject, details.ptr ? details.ptr : "");
	sr_buf_dispose(&details);
	return rc;
}

/* ---- registration ------------------------------------------------------------- */

static int mode_error(sr_err *err, const char *subject, model_mode m)
{
	return sr_err_set(err, SR_ECONFLICT, SR_ERR_OPERATION_NOT_PERMITTED,
			  "Subject %s is in %s mode", subject, model_mode_name(m));
}

/* Mode rules of registration: READWRITE without explicit id, IMPORT with. */
static int check_register_mode(const sr_registry *r, const model_subject *sub,
			       const char *subject, const sr_schema_request *req,
			       sr_err *err)
{
	model_mode m = model_effective_mode(r, sub);

	if (m == MODE_READONLY || m == MODE_READONLY_OVERRIDE)
		return mode_error(err, subject, m);
	if (req->id > 0 && m != MODE_IMPORT)
		return sr_err_set(err, SR_ECONFLICT, SR_ERR_OPERATION_NOT_PERMITTED,
				  "Subject %s is not in import mode: a schema id may only "
				  "be given in IMPORT mode", subject);
	if (req->id <= 0 && m == MODE_IMPORT)
		return sr_err_set(err, SR_ECONFLICT, SR_ERR_OPERATION_NOT_PERMITTED,
				  "Subject %s is in IMPORT mode: registration needs an "
				  "explicit schema id", subject);
	return 0;
}

static int32_t next_version(const model_subject *sub)
{
	return sub && sub->nversions ? sub->versions[sub->nversions - 1]->version + 1 : 1;
}

/* Decide the version number, honouring an explicit one where allowed. */
static int choose_version(const model_subject *sub, const sr_schema_request *req,
			  bool import, int32_t *out, sr_err *err)
{
	int32_t next = next_version(sub);

	if (req->version <= 0) {
		if (next <= 0)
			return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_VERSION,
					  "No version numbers left in this subject");
		*out = next;
		return 0;
	}
	if (import) {
		if (sub && model_version_find(sub, req->version))
			return sr_err_set(err, SR_ECONFLICT, SR_ERR_INVALID_SCHEMA,
					  "Invalid schema: version %d already exists "
					  "with a different schema", req->version);
	} else if (req->version != next) {
		return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
				  "Invalid schema: version %d is not one more than "
				  "the previous version", req->version);
	}
	*out = req->version;
	return 0;
}

/* Decide the id: the identity's id, an explicit one (IMPORT) or max + 1. */
static int choose_id(const sr_registry *r, const model_candidate *c,
		     const sr_schema_request *req, model_schema **reuse,
		     int64_t *out, sr_err *err)
{
	*reuse = NULL;
	if (req->id > 0) {
		model_schema *taken = model_schema_find(r, req->id);
		if (taken && strcmp(taken->guid, c->guid) != 0)
			return sr_err_set(err, SR_ECONFLICT, SR_ERR_ID_IN_USE,
					  "Schema id %" PRId64 " is already used by a "
					  "different schema", req->id);
		*reuse = taken;
		*out = req->id;
		return 0;
	}
	if (c->existing) {
		*reuse = c->existing;
		*out = c->existing->id;
		return 0;
	}
	if (r->max_id >= INT32_MAX)
		return sr_err_set(err, SR_ERROR, SR_ERR_STORE, "No schema ids left");
	*out = r->max_id + 1;
	return 0;
}

static sr_st_schema stored_schema(const model_candidate *c, int64_t id)
{
	sr_st_schema s;

	s.id = id;
	s.schema_type = c->format->name;
	s.schema = c->text;
	s.schema_len = c->len;
	s.references = c->refs_json;
	s.metadata = c->metadata_json;
	s.rule_set = c->rule_set_json;
	s.guid = c->guid;
	return s;
}

/* Under the write lock: everything after the cheap fast path. */
static int register_locked(sr_registry *r, sr_arena *a, const char *subject,
			   const sr_schema_request *req, const sr_schema_opts *o,
			   model_candidate *prepared, sr_buf *out, sr_err *err)
{
	model_subject *sub = model_subject_find(r, subject);
	bool normalize = o->normalize || model_effective_normalize(r, sub);
	model_candidate c = *prepared;
	model_schema *reuse;
	model_version *v;
	sr_change changes[2];
	size_t nchanges = 0;
	int64_t id = 0;
	int32_t version = 0;
	int64_t now = model_now_ms();
	int rc;

	rc = candidate_refresh(r, a, req, normalize, &c, err);
	if (rc < 0)
		return rc;
	v = version_with_guid(sub, c.guid, false);
	if (v && request_matches(req, v)) {
		put_body(out, v);
		return 0;
	}
	rc = check_register_mode(r, sub, subject, req, err);
	if (rc < 0)
		return rc;
	if (model_effective_mode(r, sub) != MODE_IMPORT) {
		size_t n;
		model_version **prev = live_versions(a, sub, &n);
		compat_outcome res;

		rc = check_versions(r, a, &c, sub, prev, n, &res, err);
		if (rc < 0)
			return rc;
		if (!res.compatible)
			return incompatible(err, subject, &res.report);
	}
	rc = choose_version(sub, req, model_effective_mode(r, sub) == MODE_IMPORT,
			    &version, err);
	if (rc == 0)
		rc = choose_id(r, &c, req, &reuse, &id, err);
	if (rc < 0)
		return rc;

	memset(changes, 0, sizeof(changes));
	if (!reuse) {
		changes[nchanges].kind = SR_CHANGE_SCHEMA_PUT;
		changes[nchanges++].u.schema = stored_schema(&c, id);
	}
	changes[nchanges].kind = SR_CHANGE_VERSION_PUT;
	changes[nchanges].u.version.subject = subject;
	changes[nchanges].u.version.version = version;
	changes[nchanges].u.version.schema_id = id;
	changes[nchanges].u.version.created_ms = now;
	nchanges++;
	rc = model_persist(r, changes, nchanges, err);
	if (rc < 0)
		return rc;

	model_apply_begin(r);
	if (!reuse)
		reuse = model_schema_add(r, &changes[0].u.schema, c.format, err);
	v = model_version_put(r, model_subject_get(r, subject), version, reuse, false, now);
	model_apply_end(r);
	model_candidate_remember(r, &c, reuse);
	put_body(out, v);
	return 0;
}

int sr_registry_register(sr_registry *r, sr_arena *a, const char *subject,
			 const sr_schema_request *req, const sr_schema_opts *o,
			 sr_buf *out, sr_err *err)
{
	model_candidate c;
	int rc;

	rc = register_prepare(r, a, subject, req, o, &c, out, err);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	model_write_begin(r);
	rc = register_locked(r, a, subject, req, o, &c, out, err);
	model_write_end(r);
	return rc;
}

/* ---- lookup ----------------------------------------------------------------------- */

/*
 * Confluent's canLookup: a schema sent without references but with the
 * referenced types written out matches a version that has references when
 * both read the same once the references are resolved in place.
 */
static model_version *version_resolved_equal(sr_registry *r, sr_arena *a,
					     const model_subject *sub,
					     const model_candidate *c, bool deleted)
{
	const sr_format_ops *ops = c->format->ops;
	sr_buf want = SR_BUF_INIT, have = SR_BUF_INIT;
	sr_err ignored = SR_ERR_INIT;
	model_version *found = NULL;
	size_t i;

	if (!ops->canonical_resolved || ops->canonical(&c->parsed, &want) < 0)
		goto done;
	for (i = sub->nversions; i-- > 0 && !found;) {
		model_version *v = sub->versions[i];
		const sr_parsed *prev;

		if ((v->deleted && !deleted) || !v->schema->nrefs ||
		    v->schema->format != c->format)
			continue;
		prev = model_compiled_get(r, v->schema, &ignored);
		sr_buf_clear(&have);
		if (prev && ops->canonical_resolved(prev, &have) == 0 && have.len == want.len &&
		    memcmp(have.ptr, want.ptr, want.len) == 0)
			found = v;
	}
done:
	sr_buf_dispose(&want);
	sr_buf_dispose(&have);
	sr_err_dispose(&ignored);
	return found;
}

int sr_registry_lookup(sr_registry *r, sr_arena *a, const char *subject,
		       const sr_schema_request *req, const sr_schema_opts *o,
		       sr_buf *out, sr_err *err)
{
	model_subject *sub;
	model_candidate c;
	model_version *v = NULL;
	int rc;

	model_read_begin(r);
	sub = model_subject_find(r, subject);
	if (!sub || !model_version_latest(sub, o->lookup_deleted)) {
		rc = model_subject_not_found(err, subject);
		goto done;
	}
	rc = model_candidate_init(r, a, req, &c, err);
	if (rc < 0)
		goto done;
	if (!o->normalize && model_candidate_quick(r, &c))
		v = version_with_guid(sub, c.guid, o->lookup_deleted);
	if (!v) {
		rc = model_candidate_parse(r, a, &c, o->normalize, err);
		if (rc < 0)
			goto done;
		v = version_with_guid(sub, c.guid, o->lookup_deleted);
	}
	if (!v && c.nrefs == 0)
		v = version_resolved_equal(r, a, sub, &c, o->lookup_deleted);
	if (!v) {
		rc = sr_err_set(err, SR_ENOTFOUND, SR_ERR_SCHEMA_NOT_FOUND,
				"Schema not found");
		goto done;
	}
	put_body(out, v);
done:
	model_read_end(r);
	return rc;
}

/* ---- compatibility endpoint ------------------------------------------------------------ */

static void render_compat(sr_buf *out, const compat_outcome *res, bool verbose)
{
	sr_jw w;
	size_t i;

	sr_jw_init(&w, out);
	sr_jw_object_begin(&w);
	sr_jw_key(&w, "is_compatible");
	sr_jw_bool(&w, res->compatible);
	if (verbose) {
		sr_jw_key(&w, "messages");
		sr_jw_array_begin(&w);
		for (i = 0; i < res->report.count; i++)
			sr_jw_string(&w, res->report.messages[i]);
		sr_jw_array_end(&w);
	}
	sr_jw_object_end(&w);
}

int sr_registry_check_compatibility(sr_registry *r, sr_arena *a,
				    const char *subject, int32_t version,
				    const sr_schema_request *req,
				    const sr_schema_opts *o, sr_buf *out,
				    sr_err *err)
{
	model_subject *sub;
	model_candidate c;
	model_version **against = NULL, *one;
	size_t n = 0;
	compat_outcome res;
	int rc;

	model_read_begin(r);
	sub = model_subject_find(r, subject);
	if (version != 0) {
		if (!sub || !model_subject_has_live(sub)) {
			rc = model_subject_not_found(err, subject);
			goto done;
		}
		one = version == SR_VERSION_LATEST ? model_version_latest(sub, false)
						   : model_version_find(sub, version);
		if (!one || one->deleted) {
			rc = model_version_not_found(err, version);
			goto done;
		}
		against = sr_arena_alloc(a, sizeof(*against));
		against[0] = one;
		n = 1;
	} else {
		against = live_versions(a, sub, &n);
	}
	rc = model_candidate_init(r, a, req, &c, err);
	if (rc == 0)
		rc = model_candidate_parse(r, a, &c, o->normalize, err);
	if (rc < 0)
		goto done;
	/* With an explicit version only that version is checked, whatever the
	 * level's transitivity (Confluent's behaviour). */
	rc = check_versions(r, a, &c, sub, against, n, &res, err);
	if (rc == 0)
		render_compat(out, &res, o->verbose);
done:
	model_read_end(r);
	return rc;
}

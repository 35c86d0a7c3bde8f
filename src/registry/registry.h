/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_REGISTRY_REGISTRY_H
#define SR_REGISTRY_REGISTRY_H

/**
 * The registry domain: subjects, versions, global schema ids, configs,
 * modes, deletes and references, with Confluent Schema Registry's rules.
 *
 * State lives in an in-memory read model loaded from the store at open.
 * Readers take a shared lock only while they copy pre-rendered bodies;
 * writers are serialized, persist durably first and then apply their
 * change to the read model under a short exclusive lock.
 *
 * Every function that answers a request renders the JSON entity Confluent
 * would return into `out` (appending), or fails with an sr_err carrying
 * the Confluent error code. `subject` arguments are decoded, validated
 * UTF-8 (see sr_registry_subject_valid). Versions are 1..2^31-1, or -1
 * for "latest".
 *
 * Thread-safety: all functions are safe to call from any thread.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat/compat.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "formats/format.h"
#include "json/json.h"
#include "storage/storage.h"

typedef struct sr_registry sr_registry;

typedef struct sr_registry_opts {
	sr_format_opts format;       /**< applied to every schema parsed */
	unsigned max_references;       /**< references per schema, transitively */
	unsigned max_reference_depth;  /**< deepest reference chain */
	bool format_assertion;         /**< JSON Schema `format` asserts by default */
} sr_registry_opts;

/** The version number meaning "latest". */
#define SR_VERSION_LATEST (-1)

/**
 * Open the registry on `store` (borrowed; must outlive the registry) and
 * load the read model. Fails with SR_EUNAVAILABLE when the store cannot be
 * read, SR_ERROR when stored data is inconsistent.
 */
int sr_registry_open(sr_registry **out, sr_storage *store,
		     const sr_registry_opts *opts, sr_err *err);

/** Free the registry (not the store). NULL is a no-op. */
void sr_registry_free(sr_registry *r);

/** Readiness: the read model is loaded and the store answers. */
bool sr_registry_ready(sr_registry *r, sr_err *err);

/** Counts for metrics and logs. */
typedef struct sr_registry_stats {
	size_t schemas;
	size_t subjects;
	size_t versions;
	int64_t max_id;
} sr_registry_stats;
void sr_registry_stats_get(sr_registry *r, sr_registry_stats *out);

/** Is `s[0..len)` a valid subject name (non-empty UTF-8, no control characters)? */
bool sr_registry_subject_valid(const char *s, size_t len);

/* ---- schema requests ----------------------------------------------------- */

/** A schema as sent by a client (RegisterSchemaRequest), borrowed. */
typedef struct sr_schema_request {
	const char *schema;        /**< schema text */
	size_t schema_len;
	const char *schema_type;   /**< NULL = "AVRO" */
	const sr_json *references; /**< array of {name, subject, version}, or NULL */
	const sr_json *metadata;   /**< object or NULL */
	const sr_json *rule_set;   /**< object or NULL */
	int64_t id;                /**< explicit id (IMPORT), 0 = none */
	int32_t version;           /**< explicit version, 0 = none */
} sr_schema_request;

/** Options of register / lookup / compatibility calls. */
typedef struct sr_schema_opts {
	bool normalize;            /**< normalize=true */
	bool lookup_deleted;       /**< lookup: also match soft-deleted versions */
	bool verbose;              /**< compatibility: include messages */
} sr_schema_opts;

/** POST /subjects/{s}/versions: the RegisterSchemaResponse. */
int sr_registry_register(sr_registry *r, sr_arena *a, const char *subject,
			 const sr_schema_request *req, const sr_schema_opts *o,
			 sr_buf *out, sr_err *err);

/** POST /subjects/{s}: the Schema entity of the matching version. */
int sr_registry_lookup(sr_registry *r, sr_arena *a, const char *subject,
		       const sr_schema_request *req, const sr_schema_opts *o,
		       sr_buf *out, sr_err *err);

/**
 * POST /compatibility/subjects/{s}/versions[/{v}]: `version` 0 = check
 * what registration would (all live versions per the level), else only
 * that version (-1 = latest).
 */
int sr_registry_check_compatibility(sr_registry *r, sr_arena *a,
				    const char *subject, int32_t version,
				    const sr_schema_request *req,
				    const sr_schema_opts *o, sr_buf *out,
				    sr_err *err);

/* ---- deletes ------------------------------------------------------------- */

/** DELETE /subjects/{s}: the array of versions deleted. */
int sr_registry_delete_subject(sr_registry *r, const char *subject,
			       bool permanent, sr_buf *out, sr_err *err);

/** DELETE /subjects/{s}/versions/{v}: the version number deleted. */
int sr_registry_delete_version(sr_registry *r, const char *subject,
			       int32_t version, bool permanent, sr_buf *out,
			       sr_err *err);

/* ---- reads --------------------------------------------------------------- */

/** Paging and filters of list endpoints. limit <= 0 = no limit. */
typedef struct sr_list_opts {
	const char *prefix;        /**< subjectPrefix, NULL = all */
	bool deleted;              /**< include soft-deleted */
	bool deleted_only;         /**< only soft-deleted */
	bool latest_only;          /**< GET /schemas: latest version per subject */
	int64_t offset;
	int64_t limit;
} sr_list_opts;

/** GET /schemas/ids/{id} (`subject` may be NULL). */
int sr_registry_schema_by_id(sr_registry *r, int64_t id, const char *subject,
			     bool fetch_max_id, sr_buf *out, sr_err *err);
/** GET /schemas/guids/{guid}: as by id, for the schema with that identity. */
int sr_registry_schema_by_guid(sr_registry *r, const char *guid, sr_buf *out,
			       sr_err *err);
/** GET /schemas/guids/{guid}/ids: [{"context":".","id":N}]. */
int sr_registry_ids_by_guid(sr_registry *r, const char *guid, sr_buf *out,
			    sr_err *err);
/** GET /schemas/ids/{id}/schema: the schema text itself (unescaped). */
int sr_registry_schema_text_by_id(sr_registry *r, int64_t id, sr_buf *out,
				  sr_err *err);
/** GET /schemas/ids/{id}/subjects. */
int sr_registry_subjects_by_id(sr_registry *r, int64_t id,
			       const sr_list_opts *o, sr_buf *out, sr_err *err);
/** GET /schemas/ids/{id}/versions: [{"subject","version"}]. */
int sr_registry_versions_by_id(sr_registry *r, int64_t id,
			       const sr_list_opts *o, sr_buf *out, sr_err *err);
/** GET /schemas. */
int sr_registry_list_schemas(sr_registry *r, const sr_list_opts *o,
			     sr_buf *out, sr_err *err);
/** GET /schemas/types. */
int sr_registry_schema_types(sr_registry *r, sr_buf *out);
/** GET /subjects. */
int sr_registry_list_subjects(sr_registry *r, const sr_list_opts *o,
			      sr_buf *out, sr_err *err);
/** GET /subjects/{s}/versions. */
int sr_registry_list_versions(sr_registry *r, const char *subject,
			      const sr_list_opts *o, sr_buf *out, sr_err *err);
/** GET /subjects/{s}/versions/{v} (`deleted`: also soft-deleted versions). */
int sr_registry_get_version(sr_registry *r, const char *subject,
			    int32_t version, bool deleted, sr_buf *out,
			    sr_err *err);
/** GET /subjects/{s}/versions/{v}/schema. */
int sr_registry_get_version_schema(sr_registry *r, const char *subject,
				   int32_t version, bool deleted, sr_buf *out,
				   sr_err *err);
/** GET /subjects/{s}/versions/{v}/referencedby: ids of referrers. */
int sr_registry_referenced_by(sr_registry *r, const char *subject,
			      int32_t version, const sr_list_opts *o,
			      sr_buf *out, sr_err *err);

/* ---- validating documents ------------------------------------------------- */

/** A document to validate, as sent to the validate endpoints (borrowed). */
typedef struct sr_validate_request {
	const char *body;          /**< the document, or raw model output */
	size_t len;
	bool text;                 /**< body is raw text: find the JSON value in it */
	bool flag_only;            /**< output=flag: only the verdict */
	int format_assertion;      /**< -1 = configured default, else 0/1 */
	unsigned max_json_depth;   /**< nesting limit for the document */
	bool deleted;              /**< by version: soft-deleted versions too */
} sr_validate_request;

/**
 * POST /subjects/{s}/versions/{v}/validate: validate a document against a
 * version's schema (found as GET finds it; soft-deleted versions only with
 * `deleted`). Answers {"valid": bool,
 * "errors": [{"instanceLocation","keywordLocation","error"}]} (errors
 * omitted with flag_only), plus "found" for text. A document that is not
 * JSON is a failed validation, not an error; subject and version problems
 * keep their registry error codes.
 */
int sr_registry_validate_version(sr_registry *r, sr_arena *a, const char *subject,
				 int32_t version, const sr_validate_request *req,
				 sr_buf *out, sr_err *err);

/** POST /schemas/ids/{id}/validate: as above, by global id. */
int sr_registry_validate_id(sr_registry *r, sr_arena *a, int64_t id,
			    const sr_validate_request *req, sr_buf *out, sr_err *err);

/* ---- config and mode ------------------------------------------------------ */

/** GET /config[/{s}]; subject NULL = global. */
int sr_registry_get_config(sr_registry *r, const char *subject,
			   bool default_to_global, sr_buf *out, sr_err *err);
/** PUT /config[/{s}] with the ConfigUpdateRequest `body`. */
int sr_registry_put_config(sr_registry *r, const char *subject,
			   const sr_json *body, sr_buf *out, sr_err *err);
/** DELETE /config[/{s}]: the previous config. */
int sr_registry_delete_config(sr_registry *r, const char *subject,
			      sr_buf *out, sr_err *err);
/** GET /mode[/{s}]. */
int sr_registry_get_mode(sr_registry *r, const char *subject,
			 bool default_to_global, sr_buf *out, sr_err *err);
/** PUT /mode[/{s}] with {"mode": ...}. */
int sr_registry_put_mode(sr_registry *r, const char *subject,
			 const sr_json *body, bool force, sr_buf *out,
			 sr_err *err);
/** DELETE /mode[/{s}]: the previous mode. */
int sr_registry_delete_mode(sr_registry *r, const char *subject,
			    sr_buf *out, sr_err *err);

#endif

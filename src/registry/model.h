/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_REGISTRY_MODEL_H
#define SR_REGISTRY_MODEL_H

/**
 * The in-memory read model (private to src/registry/).
 *
 * Ownership: the registry owns every record; records own their strings
 * (heap). Records are created by the writer (or the loader) and are only
 * mutated with the registry's exclusive lock held; readers hold the shared
 * lock while they look at them. Schema records are never removed: a
 * hard-deleted schema keeps its id so that registering it again reuses
 * that id (as Confluent does).
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "compat/compat.h"
#include "core/map.h"
#include "registry/registry.h"

typedef struct model_version model_version;
typedef struct model_subject model_subject;

/** A schema parsed (compiled) once and shared by every thread that needs
 *  it: immutable, owned by the schema record, freed with the registry. */
typedef struct model_compiled {
	sr_arena *arena;
	sr_parsed parsed;
} model_compiled;

/** A reference of a schema, resolved to the version it names. */
typedef struct model_ref {
	char *name;
	char *subject;
	int32_t version;
} model_ref;

/** A schema under its global id. */
typedef struct model_schema {
	int64_t id;
	const sr_format *format;
	char *schema;            /**< stored (canonical or normalized) text */
	size_t schema_len;
	char *schema_json;       /**< `schema` as a JSON string literal */
	size_t schema_json_len;
	model_ref *refs;
	size_t nrefs;
	char *refs_json;         /**< canonical JSON array, NULL when no refs */
	char *metadata_json;     /**< compact JSON object or NULL */
	char *rule_set_json;     /**< compact JSON object or NULL */
	char guid[37];
	/** Versions using this schema (live and soft-deleted). */
	model_version **uses;
	size_t nuses, uses_cap;
	/** Compiled on first use (validation, compatibility); see model_compiled_get. */
	_Atomic(model_compiled *) compiled;
	/** GET /schemas/ids/{id} body without the closing brace, so that
	 *  optional members (maxId) can be appended. */
	char *body_by_id;
	size_t body_by_id_len;
} model_schema;

struct model_version {
	model_subject *subject;
	int32_t version;
	model_schema *schema;
	bool deleted;
	int64_t created_ms;
	/** Schemas whose references point at this version. */
	model_schema **referrers;
	size_t nreferrers, referrers_cap;
	/** GET /subjects/{s}/versions/{v} body. */
	char *body;
	size_t body_len;
};

/** Settings of a scope (subject or global). */
typedef struct model_config {
	bool has_level;
	sr_compat_level level;
	int normalize;           /**< -1 unset, 0 false, 1 true */
	char *policy;            /**< compatibilityPolicy or NULL */
	bool present;            /**< a config is stored for this scope */
} model_config;

typedef enum model_mode {
	MODE_UNSET = 0,
	MODE_READWRITE,
	MODE_READONLY,
	MODE_READONLY_OVERRIDE,
	MODE_IMPORT,
} model_mode;

struct model_subject {
	char *name;
	size_t name_len;
	model_version **versions; /**< ascending by version number */
	size_t nversions, versions_cap;
	model_config config;
	model_mode mode;
};

struct sr_registry {
	sr_storage *store;
	sr_registry_opts opts;
	/** Readers: shared; the writer applying a change: exclusive. */
	pthread_rwlock_t lock;
	/** Serializes writers: decide → persist → apply. */
	pthread_mutex_t write_lock;
	bool loaded;

	sr_map by_id;            /**< 8-byte id → model_schema */
	sr_map by_guid;          /**< guid → model_schema (first id wins) */
	sr_map by_text;          /**< stored text → model_schema (fast path) */
	/** Other spellings clients sent of stored schemas (pretty-printed,
	 *  reordered whitespace) → model_schema, so that re-registering the
	 *  same file skips parsing. Keys are owned by `aliases`; bounded by
	 *  MODEL_ALIAS_MAX_BYTES. */
	sr_map by_raw;
	char **aliases;
	size_t naliases, aliases_cap, alias_bytes;
	sr_map subjects;         /**< name → model_subject */
	/** Referenced subject name → model_referrers: the schemas whose
	 *  references name that subject, so that a version appearing after
	 *  the schemas that reference it (a load in subject order, a restore)
	 *  still learns its referrers. */
	sr_map referrers_of;
	model_subject **sorted;  /**< subjects sorted by name */
	size_t nsorted, sorted_cap;
	int64_t max_id;
	size_t nversions;

	model_config global_config;
	model_mode global_mode;

	/* Other writers (a replicated store; see follow.c). */
	int write_rc;            /**< result of model_write_begin's catch-up */
	sr_err write_err;        /**< its error, reported by model_persist */
	pthread_t follower;      /**< applies others' changes in the background */
	bool following;          /**< the follower thread runs */
	atomic_bool stopping;    /**< asks the follower to stop */
	atomic_bool behind;      /**< cut off past the log's retention: not ready */
};

/* ---- model.c: records and indexes ---------------------------------------- */

model_schema *model_schema_find(const sr_registry *r, int64_t id);
model_subject *model_subject_find(const sr_registry *r, const char *name);
/** Find or create (inserted in `subjects` and `sorted`). */
model_subject *model_subject_get(sr_registry *r, const char *name);

/** Create a schema record from stored fields and index it. */
model_schema *model_schema_add(sr_registry *r, const sr_st_schema *s,
			       const sr_format *format, sr_err *err);

/** Add or replace a version; links uses and referrers; renders the body. */
model_version *model_version_put(sr_registry *r, model_subject *sub,
				 int32_t version, model_schema *schema,
				 bool deleted, int64_t created_ms);
/** Remove a version permanently and unlink it. */
void model_version_remove(sr_registry *r, model_subject *sub, int32_t version);

/**
 * Resolve (subject, version) as the read endpoints do: 40401 when the
 * subject has no (live, unless `deleted`) version, 40402 when the version
 * does not exist or is soft-deleted without `deleted`. Caller holds a lock.
 */
int model_version_lookup(sr_registry *r, const char *subject, int32_t version,
			 bool deleted, model_version **out, sr_err *err);

/**
 * read.c: record Confluent's 40401 "Subject 'S' not found." in `err`
 * (the one wording every endpoint uses); returns SR_ENOTFOUND.
 */
int model_subject_not_found(sr_err *err, const char *subject);

/** read.c: the same for 40402 "Version N not found.". */
int model_version_not_found(sr_err *err, int32_t version);

/** Drop a subject record that has no versions, config or mode left. */
void model_subject_remove_if_empty(sr_registry *r, model_subject *sub);

model_version *model_version_find(const model_subject *sub, int32_t version);
/** Latest version (live only unless `deleted`), or NULL. */
model_version *model_version_latest(const model_subject *sub, bool deleted);
bool model_subject_has_live(const model_subject *sub);
bool model_schema_live(const model_schema *s);

/** Free everything the registry's model holds. */
void model_free(sr_registry *r);

/* ---- settings.c ------------------------------------------------------------ */

/** Effective compatibility level / normalize / mode for a subject. */
sr_compat_level model_effective_level(const sr_registry *r, const model_subject *sub);
bool model_effective_normalize(const sr_registry *r, const model_subject *sub);
model_mode model_effective_mode(const sr_registry *r, const model_subject *sub);
sr_compat_policy model_effective_policy(const sr_registry *r, const model_subject *sub);
const char *model_mode_name(model_mode m);
/** Parse a stored config JSON text into `out` (for load). */
int model_config_parse(model_config *out, const char *json, size_t len, sr_err *err);
void model_config_dispose(model_config *c);
bool model_mode_parse(const char *s, model_mode *out);

/* ---- resolve.c: parsing stored and requested schemas ------------------------ */

/**
 * Parse `text` of `format` with `refs` (JSON array of {name,subject,
 * version}) resolved against the model: the transitive closure is
 * collected dependencies-first and handed to the format. `resolved`
 * receives the references with "latest" replaced by the version number.
 */
int model_parse_schema(sr_registry *r, sr_arena *a, const sr_format *format,
		       const char *text, size_t len, const model_ref *refs,
		       size_t nrefs, sr_parsed *out, sr_err *err);

/**
 * Read a request's references array (each {name, subject, version}) into
 * arena-owned records, resolving version -1 ("latest") to the number. A
 * reference naming no existing subject version is SR_ERR_INVALID_SCHEMA.
 */
int model_refs_from_json(sr_registry *r, sr_arena *a, const sr_json *json,
			 model_ref **out, size_t *nout, sr_err *err);

/** Append references as the canonical JSON array. */
void model_refs_render(sr_buf *out, const model_ref *refs, size_t n);

/** Parse a stored schema record (with its references). */
int model_parse_stored(sr_registry *r, sr_arena *a, const model_schema *s,
		       sr_parsed *out, sr_err *err);

/**
 * The schema parsed once and cached: the first caller parses (holding the
 * read or the write lock, since references are resolved against the
 * model), concurrent first callers race harmlessly and one result is kept.
 * NULL with `err` set when the stored schema does not parse.
 */
const sr_parsed *model_compiled_get(sr_registry *r, model_schema *s, sr_err *err);

/** Current time in ms since the epoch. */
int64_t model_now_ms(void);

#endif

/* ---- registry.c: locking and persistence ------------------------------------ */

/* The loader's callbacks (ctx = the registry; exclusive lock or none held
 * while loading). follow.c applies other processes' puts with them too. */
int model_load_schema(void *ctx, const sr_st_schema *s);
int model_load_version(void *ctx, const sr_st_version *v);
int model_load_config(void *ctx, const sr_st_config *c);
int model_load_mode(void *ctx, const sr_st_mode *m);

/* ---- follow.c: other processes' writes (replicated stores) ------------------- */

/**
 * Apply every change other processes committed since the model's position
 * (sr_storage_tail). Hold the writer mutex (not the shared or exclusive
 * lock: each change takes the exclusive lock itself).
 */
int model_follow(sr_registry *r, sr_err *err);

/** Start / stop the background thread that follows within about a second. */
void model_follower_start(sr_registry *r);
void model_follower_stop(sr_registry *r);

/** Shared lock for readers. */
void model_read_begin(sr_registry *r);
void model_read_end(sr_registry *r);
/** Writers: serialize decide → persist → apply. */
void model_write_begin(sr_registry *r);
void model_write_end(sr_registry *r);
/** Exclusive lock while a writer applies its change to the model. */
void model_apply_begin(sr_registry *r);
void model_apply_end(sr_registry *r);

/**
 * Persist `changes` durably; on failure the error is mapped to the
 * registry's store error (50001) and nothing was applied.
 */
int model_persist(sr_registry *r, const sr_change *changes, size_t n, sr_err *err);

/* ---- render.c: shared JSON pieces ------------------------------------------- */

/** Append a JSON array of the version numbers of `versions[0..n)`. */
void render_version_list(sr_buf *out, model_version *const *versions, size_t n);

/* ---- candidate.c: a schema from a request, on its way to an identity ---------- */

typedef struct model_candidate {
	const sr_format *format;
	const char *raw;          /**< the request's schema text */
	size_t raw_len;
	model_ref *refs;          /**< resolved references (arena) */
	size_t nrefs;
	char *refs_json;          /**< canonical references or NULL (arena) */
	char *metadata_json;      /**< compact metadata or NULL (arena) */
	char *rule_set_json;      /**< compact ruleSet or NULL (arena) */
	bool parsed_ok;
	sr_parsed parsed;         /**< valid when parsed_ok */
	bool normalized;          /**< `text` is the normalized form */
	const char *text;         /**< identity text: canonical or normalized */
	size_t len;
	char guid[37];            /**< MD5 identity, valid once text is set */
	model_schema *existing;   /**< a schema with this identity, or NULL */
} model_candidate;

/**
 * Validate the request's envelope (type, size, references, metadata,
 * ruleSet) into `c` without parsing the schema. Reads the model: hold the
 * read lock or the write lock.
 */
int model_candidate_init(sr_registry *r, sr_arena *a, const sr_schema_request *req,
			 model_candidate *c, sr_err *err);

/**
 * Cheap identity: if the raw text is exactly a stored text with the same
 * envelope, adopt that schema's identity without parsing. Returns whether
 * it did. Not valid with normalize (the stored text may be non-normalized).
 */
bool model_candidate_quick(sr_registry *r, model_candidate *c);

/** Parse and canonicalize (or normalize), then compute the identity. */
int model_candidate_parse(sr_registry *r, sr_arena *a, model_candidate *c,
			  bool normalize, sr_err *err);

/**
 * Remember the candidate's raw text as another spelling of the stored
 * schema it turned out to be (no-op when it is the stored text, when it was
 * normalized, or past the memory bound). Takes the exclusive lock: call it
 * holding no registry lock, or holding only the writer mutex.
 */
void model_candidate_remember(sr_registry *r, const model_candidate *c, model_schema *s);

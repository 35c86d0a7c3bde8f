/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A schema sent by a client becomes a candidate: its envelope is checked,
 * its text parsed and canonicalized (or normalized), and its identity
 * computed — MD5 over type, text, references, metadata and ruleSet, shown
 * to clients as `guid`. The same identity under any subject is the same id.
 */
#include <string.h>

#include "core/mem.h"

#include "core/hash.h"
#include "registry/model.h"

static const char *const pending_types[] = { "JSON", "PROTOBUF" };

static int resolve_format(const char *type, const sr_format **out, sr_err *err)
{
	size_t i;

	*out = sr_format_find(type ? type : "AVRO");
	if (*out)
		return 0;
	for (i = 0; i < sizeof(pending_types) / sizeof(pending_types[0]); i++)
		if (strcmp(type, pending_types[i]) == 0)
			return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
					  "Invalid schema type %s: this registry does not "
					  "support %s schemas yet; supported types: AVRO",
					  type, type);
	return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
			  "Invalid schema type %s; supported types: AVRO", type);
}

static char *compact_object(sr_arena *a, const sr_json *v)
{
	sr_buf b = SR_BUF_INIT;
	char *s;

	sr_json_write(&b, v);
	s = sr_arena_strndup(a, b.ptr, b.len);
	sr_buf_dispose(&b);
	return s;
}

int model_candidate_init(sr_registry *r, sr_arena *a, const sr_schema_request *req,
			 model_candidate *c, sr_err *err)
{
	int rc;

	memset(c, 0, sizeof(*c));
	rc = resolve_format(req->schema_type, &c->format, err);
	if (rc < 0)
		return rc;
	if (req->schema_len > r->opts.format.max_schema_bytes)
		return sr_err_set(err, SR_ETOOBIG, SR_ERR_SCHEMA_TOO_LARGE,
				  "Schema too large: %zu bytes, the limit is %zu bytes",
				  req->schema_len, r->opts.format.max_schema_bytes);
	c->raw = req->schema;
	c->raw_len = req->schema_len;
	rc = model_refs_from_json(r, a, req->references, &c->refs, &c->nrefs, err);
	if (rc < 0)
		return rc;
	if (c->nrefs) {
		sr_buf b = SR_BUF_INIT;
		model_refs_render(&b, c->refs, c->nrefs);
		c->refs_json = sr_arena_strndup(a, b.ptr, b.len);
		sr_buf_dispose(&b);
	}
	if (req->metadata && req->metadata->type != SR_JSON_NULL) {
		if (!sr_json_is_object(req->metadata))
			return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
					  "Invalid schema: metadata must be an object");
		c->metadata_json = compact_object(a, req->metadata);
	}
	if (req->rule_set && req->rule_set->type != SR_JSON_NULL) {
		if (!sr_json_is_object(req->rule_set))
			return sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_RULESET,
					  "Invalid ruleSet: must be an object");
		c->rule_set_json = compact_object(a, req->rule_set);
	}
	return 0;
}

static bool same_opt(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static void identity(const model_candidate *c, char guid[37])
{
	static const char sep = '\0';
	unsigned char digest[16];
	sr_md5 m;

	sr_md5_init(&m);
	sr_md5_update(&m, c->format->name, strlen(c->format->name));
	sr_md5_update(&m, &sep, 1);
	sr_md5_update(&m, c->text, c->len);
	sr_md5_update(&m, &sep, 1);
	if (c->refs_json)
		sr_md5_update(&m, c->refs_json, strlen(c->refs_json));
	sr_md5_update(&m, &sep, 1);
	if (c->metadata_json)
		sr_md5_update(&m, c->metadata_json, strlen(c->metadata_json));
	sr_md5_update(&m, &sep, 1);
	if (c->rule_set_json)
		sr_md5_update(&m, c->rule_set_json, strlen(c->rule_set_json));
	sr_md5_final(&m, digest);
	sr_uuid_format(guid, digest);
}

bool model_candidate_quick(sr_registry *r, model_candidate *c)
{
	model_schema *s = sr_map_get(&r->by_text, c->raw, c->raw_len);

	if (!s)
		s = sr_map_get(&r->by_raw, c->raw, c->raw_len);
	if (!s || s->format != c->format || !same_opt(s->refs_json, c->refs_json) ||
	    !same_opt(s->metadata_json, c->metadata_json) ||
	    !same_opt(s->rule_set_json, c->rule_set_json))
		return false;
	c->text = s->schema;
	c->len = s->schema_len;
	memcpy(c->guid, s->guid, sizeof(c->guid));
	c->existing = s;
	return true;
}

int model_candidate_parse(sr_registry *r, sr_arena *a, model_candidate *c,
			  bool normalize, sr_err *err)
{
	sr_buf text = SR_BUF_INIT;
	int rc;

	rc = model_parse_schema(r, a, c->format, c->raw, c->raw_len, c->refs,
				c->nrefs, &c->parsed, err);
	if (rc < 0)
		return rc;
	c->parsed_ok = true;
	c->normalized = normalize;
	rc = normalize ? c->format->ops->normalize(&c->parsed, &text)
		       : c->format->ops->canonical(&c->parsed, &text);
	if (rc < 0) {
		sr_buf_dispose(&text);
		return sr_err_set(err, rc, SR_ERR_INVALID_SCHEMA,
				  "Invalid schema: cannot render the canonical form");
	}
	c->text = sr_arena_strndup(a, text.ptr ? text.ptr : "", text.len);
	c->len = text.len;
	sr_buf_dispose(&text);
	identity(c, c->guid);
	c->existing = sr_map_get(&r->by_guid, c->guid, strlen(c->guid));
	return 0;
}

/* Memory for other spellings of stored schemas, beyond which new ones are
 * not remembered (they still work, through a parse). */
#define MODEL_ALIAS_MAX_BYTES (64u << 20)

void model_candidate_remember(sr_registry *r, const model_candidate *c, model_schema *s)
{
	char *key;

	if (!s || c->normalized || !c->parsed_ok ||
	    (c->raw_len == s->schema_len && memcmp(c->raw, s->schema, c->raw_len) == 0) ||
	    r->alias_bytes + c->raw_len > MODEL_ALIAS_MAX_BYTES)
		return;
	model_apply_begin(r);
	if (!sr_map_get(&r->by_raw, c->raw, c->raw_len) &&
	    !sr_map_get(&r->by_text, c->raw, c->raw_len)) {
		key = sr_strndup(c->raw, c->raw_len);
		if (r->naliases == r->aliases_cap) {
			r->aliases_cap = r->aliases_cap ? r->aliases_cap * 2 : 64;
			r->aliases = sr_realloc(r->aliases, r->aliases_cap * sizeof(*r->aliases));
		}
		r->aliases[r->naliases++] = key;
		r->alias_bytes += c->raw_len;
		sr_map_put(&r->by_raw, key, c->raw_len, s);
	}
	model_apply_end(r);
}

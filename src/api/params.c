/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Request parameters: path segments (subject, version, id), query flags and
 * paging, and JSON bodies — each turned into a typed value or an error with
 * Confluent's code.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/internal.h"

int api_subject_param(api_call *call, size_t index, const char **out)
{
	const char *s = call->match->params[index];
	size_t len = call->match->param_lens[index];

	if (!sr_registry_subject_valid(s, len) || strlen(s) != len)
		return sr_err_set(call->err, SR_EINVALID, SR_ERR_INVALID_SUBJECT,
				  "The specified subject '%s' is not a valid.", s);
	*out = s;
	return 0;
}

/* Parse a decimal integer of the whole string; false on anything else. */
static bool parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!*s || (*s != '-' && (*s < '0' || *s > '9')))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

int api_version_param(api_call *call, size_t index, int32_t *out)
{
	const char *s = call->match->params[index];
	int64_t v;

	if (strcasecmp(s, "latest") == 0) {
		*out = SR_VERSION_LATEST;
		return 0;
	}
	if (parse_i64(s, &v) && (v == SR_VERSION_LATEST || (v >= 1 && v <= INT32_MAX))) {
		*out = (int32_t)v;
		return 0;
	}
	return sr_err_set(call->err, SR_EINVALID, SR_ERR_INVALID_VERSION,
			  "The specified version '%s' is not a valid version id. Allowed "
			  "values are between [1, 2^31-1] and the string \"latest\"", s);
}

int api_id_param(api_call *call, size_t index, int64_t *out)
{
	const char *s = call->match->params[index];

	if (parse_i64(s, out) && *out >= 0)
		return 0;
	return sr_err_set(call->err, SR_ENOTFOUND, SR_ERR_SCHEMA_NOT_FOUND,
			  "Schema %s not found", s);
}

bool api_query_bool(const api_call *call, const char *key)
{
	const char *v = sr_http_query(call->req, key);
	return v && strcasecmp(v, "true") == 0;
}

int api_query_int(api_call *call, const char *key, int64_t deflt, int64_t *out)
{
	const char *v = sr_http_query(call->req, key);

	*out = deflt;
	if (!v || !*v)
		return 0;
	if (!parse_i64(v, out))
		return sr_err_set(call->err, SR_EINVALID, SR_ERR_BAD_REQUEST,
				  "Invalid value '%s' for query parameter '%s': "
				  "expected an integer", v, key);
	return 0;
}

int api_list_opts(api_call *call, sr_list_opts *out, int64_t default_limit)
{
	memset(out, 0, sizeof(*out));
	out->prefix = sr_http_query(call->req, "subjectPrefix");
	out->deleted = api_query_bool(call, "deleted");
	out->deleted_only = api_query_bool(call, "deletedOnly");
	out->latest_only = api_query_bool(call, "latestOnly");
	if (api_query_int(call, "offset", 0, &out->offset) < 0 ||
	    api_query_int(call, "limit", default_limit, &out->limit) < 0)
		return SR_EINVALID;
	return 0;
}

int api_body_object(api_call *call, sr_json **out)
{
	sr_json_limits limits = { call->api->config->max_json_depth };
	sr_json_error jerr;
	const sr_http_request *req = call->req;

	if (req->body_len == 0)
		return sr_err_set(call->err, SR_EINVALID, SR_ERR_BAD_REQUEST,
				  "The request body is empty: a JSON object is expected");
	if (sr_json_parse(out, req->arena, req->body, req->body_len, &limits, &jerr) < 0)
		return sr_err_set(call->err, SR_EINVALID, SR_ERR_BAD_REQUEST,
				  "Malformed JSON in the request body at line %u column %u: %s",
				  jerr.line, jerr.column, jerr.msg);
	if (!sr_json_is_object(*out))
		return sr_err_set(call->err, SR_EINVALID, 422,
				  "Unprocessable Entity: the request body must be a JSON object");
	return 0;
}

static int field_int(api_call *call, const sr_json *obj, const char *key,
		     int64_t min, int64_t max, int64_t *out)
{
	const sr_json *v = sr_json_get(obj, key);

	*out = 0;
	if (!v || v->type == SR_JSON_NULL)
		return 0;
	if (sr_json_number_to_i64(v, out) < 0 || *out < min || *out > max)
		return sr_err_set(call->err, SR_EINVALID, 422,
				  "Unprocessable Entity: '%s' must be an integer "
				  "between %lld and %lld", key, (long long)min, (long long)max);
	return 0;
}

int api_schema_request(api_call *call, sr_schema_request *out)
{
	sr_json *body, *schema, *type;
	int64_t id, version;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = api_body_object(call, &body);
	if (rc < 0)
		return rc;
	schema = sr_json_get(body, "schema");
	if (!schema || schema->type == SR_JSON_NULL)
		return sr_err_set(call->err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
				  "Invalid schema: the request has no 'schema'");
	if (!sr_json_is_string(schema))
		return sr_err_set(call->err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
				  "Invalid schema: 'schema' must be a string holding the "
				  "schema text");
	type = sr_json_get(body, "schemaType");
	if (type && type->type != SR_JSON_NULL && !sr_json_is_string(type))
		return sr_err_set(call->err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
				  "Invalid schema: 'schemaType' must be a string");
	/* -1 (and 0) mean "not given", as in Confluent's request entity. */
	if (field_int(call, body, "id", -1, INT32_MAX, &id) < 0 ||
	    field_int(call, body, "version", -1, INT32_MAX, &version) < 0)
		return SR_EINVALID;
	out->schema = schema->u.str;
	out->schema_len = schema->len;
	out->schema_type = type && type->type == SR_JSON_STRING ? type->u.str : NULL;
	out->references = sr_json_get(body, "references");
	out->metadata = sr_json_get(body, "metadata");
	out->rule_set = sr_json_get(body, "ruleSet");
	if (!out->rule_set)
		out->rule_set = sr_json_get(body, "ruleset");
	out->id = id > 0 ? id : 0;
	out->version = version > 0 ? (int32_t)version : 0;
	return 0;
}

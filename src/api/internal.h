/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_API_INTERNAL_H
#define SR_API_INTERNAL_H

/* Shared by the handlers of src/api/ (not a public interface). */

#include "api/api.h"
#include "http/router.h"
#include "json/json.h"

/** One call: the request, its route parameters and where the answer goes. */
typedef struct api_call {
	sr_api *api;
	sr_http_request *req;
	const sr_route_match *match;
	sr_http_response *res;
	sr_err *err;
} api_call;

/** A handler: fill call->res->body and return 0, or fail with call->err set. */
typedef int (*api_handler)(api_call *call);

/* ---- errors.c ---------------------------------------------------------------- */

/** HTTP status for a registry error code (40401 → 404, 409 → 409, ...). */
int api_status_of(int code);
/** Render `err` as {"error_code","message"} with its status into `res`. */
void api_render_error(sr_http_response *res, const sr_err *err);
/** Render an error from a code and message. */
void api_render_error_code(sr_http_response *res, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- params.c: path, query and body parameters --------------------------------- */

/** The subject path parameter `index`, validated (42208). */
int api_subject_param(api_call *call, size_t index, const char **out);
/** A version path parameter: 1..2^31-1, "latest" or -1 (42202). */
int api_version_param(api_call *call, size_t index, int32_t *out);
/** A schema id path parameter (40403 when not a number). */
int api_id_param(api_call *call, size_t index, int64_t *out);
/** Boolean query parameter: "true" in any case is true, anything else false. */
bool api_query_bool(const api_call *call, const char *key);
/** Integer query parameter (400 when not an integer). */
int api_query_int(api_call *call, const char *key, int64_t deflt, int64_t *out);
/** Paging and filters of list endpoints. */
int api_list_opts(api_call *call, sr_list_opts *out, int64_t default_limit);
/** Parse the body as a JSON object (400 malformed, 422 not an object). */
int api_body_object(api_call *call, sr_json **out);
/** Parse a RegisterSchemaRequest body. */
int api_schema_request(api_call *call, sr_schema_request *out);

/** Is the request body raw text (text/plain) rather than JSON? (routes.c) */
bool api_body_is_text(const api_call *call);

/** The route table (routes.c); a route's index is its metrics slot. */
const sr_route *api_routes(size_t *n);

/* ---- handlers (one file per resource) ---------------------------------------------- */

int api_root_get(api_call *call);
int api_health(api_call *call);
int api_ready(api_call *call);
int api_metadata_id(api_call *call);
int api_metadata_version(api_call *call);
int api_metrics(api_call *call);

int api_schemas_list(api_call *call);
int api_schemas_types(api_call *call);
int api_schema_by_id(api_call *call);
int api_schema_text_by_id(api_call *call);
int api_schema_subjects(api_call *call);
int api_schema_by_guid(api_call *call);
int api_schema_ids_by_guid(api_call *call);
int api_schema_versions(api_call *call);

int api_subjects_list(api_call *call);
int api_subject_lookup(api_call *call);
int api_subject_delete(api_call *call);
int api_versions_list(api_call *call);
int api_version_register(api_call *call);
int api_version_get(api_call *call);
int api_version_delete(api_call *call);
int api_version_schema(api_call *call);
int api_version_referenced_by(api_call *call);

int api_validate_version(api_call *call);
int api_validate_id(api_call *call);

int api_compat_version(api_call *call);
int api_compat_all(api_call *call);

int api_config_get(api_call *call);
int api_config_put(api_call *call);
int api_config_delete(api_call *call);
int api_mode_get(api_call *call);
int api_mode_put(api_call *call);
int api_mode_delete(api_call *call);

#endif

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The route table — every endpoint of the API in one place — and the
 * dispatch around it: body limits, content negotiation, routing, and
 * turning a handler's failure into the error response.
 */
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "http/negotiate.h"

#define GET SR_HTTP_GET
#define POST SR_HTTP_POST
#define PUT SR_HTTP_PUT
#define DELETE SR_HTTP_DELETE

/* Route flags. */
enum {
	ROUTE_TEXT_BODY = 1u << 0,   /* also takes text/plain bodies (raw model output) */
	ROUTE_TEXT_ANSWER = 1u << 1, /* answers text/plain (Prometheus), not JSON */
};

#define R(method, pattern, handler) { method, pattern, handler, 0 }
#define R_TEXT(method, pattern, handler) { method, pattern, handler, ROUTE_TEXT_BODY }
#define R_PLAIN(method, pattern, handler) { method, pattern, handler, ROUTE_TEXT_ANSWER }

static const sr_route routes[] = {
	R(GET, "/", api_root_get),
	R(POST, "/", api_root_get),
	R(GET, "/health", api_health),
	R(GET, "/ready", api_ready),
	R_PLAIN(GET, "/metrics", api_metrics),
	R(GET, "/v1/metadata/id", api_metadata_id),
	R(GET, "/v1/metadata/version", api_metadata_version),

	R(GET, "/schemas", api_schemas_list),
	R(GET, "/schemas/types", api_schemas_types),
	R(GET, "/schemas/ids/{id}", api_schema_by_id),
	R(GET, "/schemas/ids/{id}/schema", api_schema_text_by_id),
	R(GET, "/schemas/ids/{id}/subjects", api_schema_subjects),
	R(GET, "/schemas/ids/{id}/versions", api_schema_versions),
	R(GET, "/schemas/guids/{guid}", api_schema_by_guid),
	R(GET, "/schemas/guids/{guid}/ids", api_schema_ids_by_guid),
	R_TEXT(POST, "/schemas/ids/{id}/validate", api_validate_id),

	R(GET, "/subjects", api_subjects_list),
	R(POST, "/subjects/{subject}", api_subject_lookup),
	R(DELETE, "/subjects/{subject}", api_subject_delete),
	R(GET, "/subjects/{subject}/versions", api_versions_list),
	R(POST, "/subjects/{subject}/versions", api_version_register),
	R(GET, "/subjects/{subject}/versions/{version}", api_version_get),
	R(DELETE, "/subjects/{subject}/versions/{version}", api_version_delete),
	R(GET, "/subjects/{subject}/versions/{version}/schema", api_version_schema),
	R(GET, "/subjects/{subject}/versions/{version}/referencedby", api_version_referenced_by),
	R_TEXT(POST, "/subjects/{subject}/versions/{version}/validate", api_validate_version),

	R(POST, "/compatibility/subjects/{subject}/versions/{version}", api_compat_version),
	R(POST, "/compatibility/subjects/{subject}/versions", api_compat_all),

	R(GET, "/config", api_config_get),
	R(PUT, "/config", api_config_put),
	R(DELETE, "/config", api_config_delete),
	R(GET, "/config/{subject}", api_config_get),
	R(PUT, "/config/{subject}", api_config_put),
	R(DELETE, "/config/{subject}", api_config_delete),

	R(GET, "/mode", api_mode_get),
	R(PUT, "/mode", api_mode_put),
	R(DELETE, "/mode", api_mode_delete),
	R(GET, "/mode/{subject}", api_mode_get),
	R(PUT, "/mode/{subject}", api_mode_put),
	R(DELETE, "/mode/{subject}", api_mode_delete),
};

#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

const sr_route *api_routes(size_t *n)
{
	*n = N_ROUTES;
	return routes;
}

/* What we answer with, in order of preference (Confluent's qs values). */
static const char *const produced[] = {
	"application/vnd.schemaregistry.v1+json",
	"application/vnd.schemaregistry+json",
	"application/json",
	NULL,
};

/* What request bodies may be; no Content-Type at all is accepted too. */
static const char *const consumed[] = {
	"application/vnd.schemaregistry.v1+json",
	"application/vnd.schemaregistry+json",
	"application/json",
	"application/octet-stream",
	NULL,
};

static bool has_body_semantics(sr_http_method m)
{
	return m == SR_HTTP_POST || m == SR_HTTP_PUT;
}

/* Raw text (a model's output) for the routes that take it. */
static const char *const consumed_text[] = { "text/plain", NULL };

/* The Prometheus text format, for the routes that answer text. */
static const char *const produced_text[] = { "text/plain", NULL };
static const char prometheus_text[] = "text/plain; version=0.0.4; charset=utf-8";

/* Transport-level checks; on failure the error is set. `r` is the route
 * found, or NULL. */
static int precheck(sr_http_request *req, sr_http_response *res, const sr_route *r,
		    sr_err *err)
{
	bool text = r && (r->flags & ROUTE_TEXT_ANSWER);

	res->content_type = text ? sr_http_negotiate(req->accept, produced_text)
				 : sr_http_negotiate(req->accept, produced);
	if (!res->content_type) {
		res->content_type = produced[0];
		return sr_err_set(err, SR_EINVALID, SR_ERR_NOT_ACCEPTABLE,
				  "HTTP 406 Not Acceptable: responses are %s",
				  text ? produced_text[0] : produced[0]);
	}
	if (text)
		res->content_type = prometheus_text;
	if (req->body_too_large)
		return sr_err_set(err, SR_ETOOBIG, SR_ERR_PAYLOAD_TOO_LARGE,
				  "HTTP 413 Payload Too Large: the request body exceeds the "
				  "limit of the server");
	return 0;
}

static int route_error(int rc, sr_err *err)
{
	if (rc == SR_EINVALID)
		return sr_err_set(err, rc, SR_ERR_METHOD_NOT_ALLOWED,
				  "HTTP 405 Method Not Allowed");
	if (rc < 0)
		return sr_err_set(err, SR_ENOTFOUND, SR_ERR_NOT_FOUND, "HTTP 404 Not Found");
	return 0;
}

/* The request's Content-Type must be one the route consumes. */
static int check_content_type(const sr_http_request *req, const sr_route *r, sr_err *err)
{
	const char *ct = req->content_type;

	if (!has_body_semantics(req->method) || !ct || !*ct ||
	    sr_http_media_type_in(ct, consumed) ||
	    ((r->flags & ROUTE_TEXT_BODY) && sr_http_media_type_in(ct, consumed_text)))
		return 0;
	return sr_err_set(err, SR_EINVALID, SR_ERR_UNSUPPORTED_MEDIA_TYPE,
			  "HTTP 415 Unsupported Media Type: '%s'", ct);
}

bool api_body_is_text(const api_call *call)
{
	const char *ct = call->req->content_type;

	return ct && sr_http_media_type_in(ct, consumed_text);
}

void sr_api_handle(void *ctx, sr_http_request *req, sr_http_response *res)
{
	sr_err err = SR_ERR_INIT;
	sr_route_match m;
	api_call call = { ctx, req, &m, res, &err };
	int found, rc;

	res->status = 200;
	found = sr_router_match(routes, N_ROUTES, req->arena, req->method, req->path, &m);
	if (found == 0)
		res->route_id = (int)(m.route - routes);
	/* 406 and 413 come before 404 and 405, as in Confluent. */
	rc = precheck(req, res, found == 0 ? m.route : NULL, &err);
	if (rc == 0 && found < 0)
		rc = route_error(found, &err);
	if (rc == 0)
		rc = check_content_type(req, m.route, &err);
	if (rc == 0) {
		res->route = m.route->pattern;
		rc = ((api_handler)m.route->handler)(&call);
		if (rc < 0 && err.code == 0)
			sr_err_set(&err, rc, SR_ERR_INTERNAL, "Internal Server Error");
	}
	if (rc < 0) {
		if (res->content_type == prometheus_text)
			res->content_type = produced[0];
		api_render_error(res, &err);
	}
	sr_err_dispose(&err);
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * GET and POST /, /health, /ready and the /v1/metadata endpoints.
 */
#include "api/internal.h"

int api_root_get(api_call *call)
{
	sr_buf_puts(&call->res->body, "{}");
	return 0;
}

int api_health(api_call *call)
{
	sr_buf_puts(&call->res->body, "{\"status\":\"UP\"}");
	return 0;
}

int api_ready(api_call *call)
{
	if (call->req->draining)
		return sr_err_set(call->err, SR_EUNAVAILABLE, SR_ERR_UNAVAILABLE,
				  "Shutting down");
	if (!sr_registry_ready(call->api->registry, call->err)) {
		sr_err_prefix(call->err, "Not ready: ");
		call->err->code = SR_ERR_UNAVAILABLE;
		return SR_EUNAVAILABLE;
	}
	sr_buf_puts(&call->res->body, "{\"status\":\"READY\"}");
	return 0;
}

int api_metadata_id(api_call *call)
{
	sr_jw w;

	sr_jw_init(&w, &call->res->body);
	sr_jw_object_begin(&w);
	sr_jw_key(&w, "scope");
	sr_jw_object_begin(&w);
	sr_jw_key(&w, "path");
	sr_jw_array_begin(&w);
	sr_jw_array_end(&w);
	sr_jw_key(&w, "clusters");
	sr_jw_object_begin(&w);
	sr_jw_key(&w, "kafka-cluster");
	sr_jw_string(&w, call->api->config->cluster_id);
	sr_jw_key(&w, "schema-registry-cluster");
	sr_jw_string(&w, "schema-registry");
	sr_jw_object_end(&w);
	sr_jw_object_end(&w);
	sr_jw_key(&w, "id");
	sr_jw_string(&w, call->api->config->cluster_id);
	sr_jw_object_end(&w);
	return w.rc;
}

int api_metadata_version(api_call *call)
{
	sr_jw w;

	sr_jw_init(&w, &call->res->body);
	sr_jw_object_begin(&w);
	sr_jw_key(&w, "version");
	sr_jw_string(&w, call->api->version);
	sr_jw_key(&w, "commitId");
	sr_jw_string(&w, call->api->commit);
	sr_jw_object_end(&w);
	return w.rc;
}

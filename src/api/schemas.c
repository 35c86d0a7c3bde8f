/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * /schemas: listing, types, and everything by global id.
 */
#include "api/internal.h"

/* Confluent's schema.search.default.limit. */
#define SCHEMAS_DEFAULT_LIMIT 1000

int api_schemas_list(api_call *call)
{
	sr_list_opts o;

	if (api_list_opts(call, &o, SCHEMAS_DEFAULT_LIMIT) < 0)
		return SR_EINVALID;
	return sr_registry_list_schemas(call->api->registry, &o, &call->res->body, call->err);
}

int api_schemas_types(api_call *call)
{
	return sr_registry_schema_types(call->api->registry, &call->res->body);
}

int api_schema_by_id(api_call *call)
{
	int64_t id;

	if (api_id_param(call, 0, &id) < 0)
		return SR_ENOTFOUND;
	return sr_registry_schema_by_id(call->api->registry, id,
					sr_http_query(call->req, "subject"),
					api_query_bool(call, "fetchMaxId"),
					&call->res->body, call->err);
}

int api_schema_text_by_id(api_call *call)
{
	int64_t id;

	if (api_id_param(call, 0, &id) < 0)
		return SR_ENOTFOUND;
	return sr_registry_schema_text_by_id(call->api->registry, id, &call->res->body,
					     call->err);
}

int api_schema_subjects(api_call *call)
{
	sr_list_opts o;
	int64_t id;

	if (api_id_param(call, 0, &id) < 0 || api_list_opts(call, &o, 0) < 0)
		return SR_EINVALID;
	return sr_registry_subjects_by_id(call->api->registry, id, &o, &call->res->body,
					  call->err);
}

int api_schema_versions(api_call *call)
{
	sr_list_opts o;
	int64_t id;

	if (api_id_param(call, 0, &id) < 0 || api_list_opts(call, &o, 0) < 0)
		return SR_EINVALID;
	return sr_registry_versions_by_id(call->api->registry, id, &o, &call->res->body,
					  call->err);
}

int api_schema_by_guid(api_call *call)
{
	return sr_registry_schema_by_guid(call->api->registry, call->match->params[0],
					  &call->res->body, call->err);
}

int api_schema_ids_by_guid(api_call *call)
{
	return sr_registry_ids_by_guid(call->api->registry, call->match->params[0],
				       &call->res->body, call->err);
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * /config and /mode, global (no path parameter) and per subject.
 */
#include "api/internal.h"

/* The subject of /config/{s} or /mode/{s}; NULL for the global routes. */
static int scope(api_call *call, const char **subject)
{
	*subject = NULL;
	if (call->match->nparams == 0)
		return 0;
	return api_subject_param(call, 0, subject);
}

int api_config_get(api_call *call)
{
	const char *subject;

	if (scope(call, &subject) < 0)
		return SR_EINVALID;
	return sr_registry_get_config(call->api->registry, subject,
				      api_query_bool(call, "defaultToGlobal"),
				      &call->res->body, call->err);
}

int api_config_put(api_call *call)
{
	const char *subject;
	sr_json *body;

	if (scope(call, &subject) < 0 || api_body_object(call, &body) < 0)
		return SR_EINVALID;
	return sr_registry_put_config(call->api->registry, subject, body, &call->res->body,
				      call->err);
}

int api_config_delete(api_call *call)
{
	const char *subject;

	if (scope(call, &subject) < 0)
		return SR_EINVALID;
	return sr_registry_delete_config(call->api->registry, subject, &call->res->body,
					 call->err);
}

int api_mode_get(api_call *call)
{
	const char *subject;

	if (scope(call, &subject) < 0)
		return SR_EINVALID;
	return sr_registry_get_mode(call->api->registry, subject,
				    api_query_bool(call, "defaultToGlobal"),
				    &call->res->body, call->err);
}

int api_mode_put(api_call *call)
{
	const char *subject;
	sr_json *body;

	if (scope(call, &subject) < 0 || api_body_object(call, &body) < 0)
		return SR_EINVALID;
	return sr_registry_put_mode(call->api->registry, subject, body,
				    api_query_bool(call, "force"), &call->res->body,
				    call->err);
}

int api_mode_delete(api_call *call)
{
	const char *subject;

	if (scope(call, &subject) < 0)
		return SR_EINVALID;
	return sr_registry_delete_mode(call->api->registry, subject, &call->res->body,
				       call->err);
}

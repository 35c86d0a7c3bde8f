/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * /subjects: listing, lookup, registration, versions and deletes.
 */
#include "api/internal.h"

int api_subjects_list(api_call *call)
{
	sr_list_opts o;

	if (api_list_opts(call, &o, 0) < 0)
		return SR_EINVALID;
	return sr_registry_list_subjects(call->api->registry, &o, &call->res->body, call->err);
}

static void schema_opts(const api_call *call, sr_schema_opts *o)
{
	o->normalize = api_query_bool(call, "normalize");
	o->lookup_deleted = api_query_bool(call, "deleted");
	o->verbose = api_query_bool(call, "verbose");
}

int api_subject_lookup(api_call *call)
{
	sr_schema_request req;
	sr_schema_opts o;
	const char *subject;

	if (api_subject_param(call, 0, &subject) < 0 || api_schema_request(call, &req) < 0)
		return SR_EINVALID;
	schema_opts(call, &o);
	return sr_registry_lookup(call->api->registry, call->req->arena, subject, &req, &o,
				  &call->res->body, call->err);
}

int api_subject_delete(api_call *call)
{
	const char *subject;

	if (api_subject_param(call, 0, &subject) < 0)
		return SR_EINVALID;
	return sr_registry_delete_subject(call->api->registry, subject,
					  api_query_bool(call, "permanent"),
					  &call->res->body, call->err);
}

int api_versions_list(api_call *call)
{
	sr_list_opts o;
	const char *subject;

	if (api_subject_param(call, 0, &subject) < 0 || api_list_opts(call, &o, 0) < 0)
		return SR_EINVALID;
	return sr_registry_list_versions(call->api->registry, subject, &o, &call->res->body,
					 call->err);
}

int api_version_register(api_call *call)
{
	sr_schema_request req;
	sr_schema_opts o;
	const char *subject;

	if (api_subject_param(call, 0, &subject) < 0 || api_schema_request(call, &req) < 0)
		return SR_EINVALID;
	schema_opts(call, &o);
	return sr_registry_register(call->api->registry, call->req->arena, subject, &req, &o,
				    &call->res->body, call->err);
}

/* Subject and version path parameters, in this order. */
static int subject_version(api_call *call, const char **subject, int32_t *version)
{
	if (api_subject_param(call, 0, subject) < 0 || api_version_param(call, 1, version) < 0)
		return SR_EINVALID;
	return 0;
}

int api_version_get(api_call *call)
{
	const char *subject;
	int32_t version;

	if (subject_version(call, &subject, &version) < 0)
		return SR_EINVALID;
	return sr_registry_get_version(call->api->registry, subject, version,
				       api_query_bool(call, "deleted"), &call->res->body,
				       call->err);
}

int api_version_delete(api_call *call)
{
	const char *subject;
	int32_t version;

	if (subject_version(call, &subject, &version) < 0)
		return SR_EINVALID;
	return sr_registry_delete_version(call->api->registry, subject, version,
					  api_query_bool(call, "permanent"),
					  &call->res->body, call->err);
}

int api_version_schema(api_call *call)
{
	const char *subject;
	int32_t version;

	if (subject_version(call, &subject, &version) < 0)
		return SR_EINVALID;
	return sr_registry_get_version_schema(call->api->registry, subject, version,
					      api_query_bool(call, "deleted"),
					      &call->res->body, call->err);
}

int api_version_referenced_by(api_call *call)
{
	const char *subject;
	int32_t version;
	sr_list_opts o;

	if (subject_version(call, &subject, &version) < 0 || api_list_opts(call, &o, 0) < 0)
		return SR_EINVALID;
	return sr_registry_referenced_by(call->api->registry, subject, version, &o,
					 &call->res->body, call->err);
}

static int check(api_call *call, bool with_version)
{
	sr_schema_request req;
	sr_schema_opts o;
	const char *subject;
	int32_t version = 0;

	if (api_subject_param(call, 0, &subject) < 0 ||
	    (with_version && api_version_param(call, 1, &version) < 0) ||
	    api_schema_request(call, &req) < 0)
		return SR_EINVALID;
	schema_opts(call, &o);
	return sr_registry_check_compatibility(call->api->registry, call->req->arena, subject,
					       version, &req, &o, &call->res->body, call->err);
}

int api_compat_version(api_call *call)
{
	return check(call, true);
}

int api_compat_all(api_call *call)
{
	return check(call, false);
}

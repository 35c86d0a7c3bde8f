/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * POST /subjects/{s}/versions/{v}/validate and /schemas/ids/{id}/validate:
 * validating what a model produced. With a JSON content type the body is
 * the document; with text/plain it is the model's raw output, in which the
 * JSON value is found first. `output=flag` answers only the verdict;
 * `formatAssertion=true|false` overrides the configured `format` behaviour.
 */
#include <string.h>
#include <strings.h>

#include "api/internal.h"

static int request(api_call *call, sr_validate_request *out)
{
	const char *output = sr_http_query(call->req, "output");
	const char *fa = sr_http_query(call->req, "formatAssertion");

	memset(out, 0, sizeof(*out));
	out->body = call->req->body;
	out->len = call->req->body_len;
	out->text = api_body_is_text(call);
	out->max_json_depth = call->api->config->max_json_depth;
	out->format_assertion = fa ? strcasecmp(fa, "true") == 0 : -1;
	if (output && strcmp(output, "flag") != 0 && strcmp(output, "basic") != 0)
		return sr_err_set(call->err, SR_EINVALID, SR_ERR_BAD_REQUEST,
				  "Invalid output '%s': expected flag or basic", output);
	out->flag_only = output && strcmp(output, "flag") == 0;
	out->deleted = api_query_bool(call, "deleted");
	return 0;
}

int api_validate_version(api_call *call)
{
	sr_validate_request req;
	const char *subject;
	int32_t version;

	if (api_subject_param(call, 0, &subject) < 0 || api_version_param(call, 1, &version) < 0 ||
	    request(call, &req) < 0)
		return SR_EINVALID;
	return sr_registry_validate_version(call->api->registry, call->req->arena, subject,
					    version, &req, &call->res->body, call->err);
}

int api_validate_id(api_call *call)
{
	sr_validate_request req;
	int64_t id;

	if (api_id_param(call, 0, &id) < 0 || request(call, &req) < 0)
		return SR_EINVALID;
	return sr_registry_validate_id(call->api->registry, call->req->arena, id, &req,
				       &call->res->body, call->err);
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The one place where errors become HTTP: every failure leaves the server
 * as {"error_code": N, "message": "..."} with the status the code implies.
 */
#include <stdarg.h>
#include <string.h>

#include "api/internal.h"
#include "core/utf8.h"

int api_status_of(int code)
{
	if (code >= 10000 && code < 60000)
		return code / 100;
	if (code >= 400 && code < 600)
		return code;
	return 500;
}

static void render(sr_http_response *res, int code, const char *msg)
{
	sr_buf clean = SR_BUF_INIT;
	sr_jw w;

	if (code == 0)
		code = SR_ERR_INTERNAL;
	/* Messages echo input (subject names, versions); the body must stay
	 * valid JSON whatever bytes the client sent. */
	if (msg && !sr_utf8_valid(msg, strlen(msg))) {
		sr_utf8_put_sanitized(&clean, msg, strlen(msg));
		msg = clean.ptr;
	}
	res->status = api_status_of(code);
	sr_buf_clear(&res->body);
	sr_jw_init(&w, &res->body);
	sr_jw_object_begin(&w);
	sr_jw_key(&w, "error_code");
	sr_jw_i64(&w, code);
	sr_jw_key(&w, "message");
	sr_jw_string(&w, msg && *msg ? msg : sr_http_reason(res->status));
	sr_jw_object_end(&w);
	sr_buf_dispose(&clean);
}

void api_render_error(sr_http_response *res, const sr_err *err)
{
	render(res, err->code, sr_err_message(err));
}

void api_render_error_code(sr_http_response *res, int code, const char *fmt, ...)
{
	sr_err e = SR_ERR_INIT;
	va_list ap;

	va_start(ap, fmt);
	sr_err_vset(&e, SR_ERROR, code, fmt, ap);
	va_end(ap);
	api_render_error(res, &e);
	sr_err_dispose(&e);
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "core/error.h"

#include <string.h>

#include "core/mem.h"

/* Messages are one line; a pathological one is cut rather than grown
 * without bound. */
#define ERR_MSG_MAX (256 * 1024)

int sr_err_vset(sr_err *e, int rc, int code, const char *fmt, va_list ap)
{
	if (!e)
		return rc;
	e->code = code;
	if (e->msg.max == 0 || e->msg.max == SIZE_MAX)
		e->msg.max = ERR_MSG_MAX;
	sr_buf_clear(&e->msg);
	if (sr_buf_vprintf(&e->msg, fmt, ap) < 0)
		sr_buf_puts(&e->msg, "(message too long)");
	return rc;
}

int sr_err_set(sr_err *e, int rc, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sr_err_vset(e, rc, code, fmt, ap);
	va_end(ap);
	return rc;
}

void sr_err_prefix(sr_err *e, const char *fmt, ...)
{
	sr_buf b = SR_BUF_INIT;
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	sr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	sr_buf_put(&b, e->msg.ptr ? e->msg.ptr : "", e->msg.len);
	sr_buf_dispose(&e->msg);
	e->msg = b;
	e->msg.max = ERR_MSG_MAX;
}

const char *sr_err_message(const sr_err *e)
{
	return e && e->msg.ptr ? e->msg.ptr : "";
}

void sr_err_clear(sr_err *e)
{
	e->code = 0;
	sr_buf_clear(&e->msg);
}

void sr_err_dispose(sr_err *e)
{
	e->code = 0;
	sr_buf_dispose(&e->msg);
}

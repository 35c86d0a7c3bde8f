/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_CORE_ERROR_H
#define SR_CORE_ERROR_H

/**
 * Errors: functions return an int, 0 on success and a negative code on
 * failure. Only a handful of codes are expected (the SR_E* below); the
 * detail travels on the side in an sr_err the caller owns, carrying the
 * registry's error code (the Confluent `error_code`, e.g. 40401) and a
 * one-line message. Translating an sr_err into an HTTP status happens in
 * exactly one place, src/api/errors.c.
 */

#include <stdarg.h>

#include "core/buf.h"

enum {
	SR_OK = 0,
	SR_ERROR = -1,        /**< anything unexpected (internal) */
	SR_ENOTFOUND = -2,    /**< the thing asked for does not exist */
	SR_EINVALID = -3,     /**< the input is invalid */
	SR_ETOOBIG = -4,      /**< a configured ceiling was hit */
	SR_ECONFLICT = -5,    /**< the operation conflicts with stored state */
	SR_EUNAVAILABLE = -6, /**< the store or another dependency is down */
};

/**
 * Registry error codes, as Confluent Schema Registry answers them. The HTTP
 * status is derived from the code (api/errors.c): five-digit codes carry it
 * in their first three digits, three-digit codes are the status itself.
 */
typedef enum sr_errcode {
	SR_ERR_NONE = 0,
	SR_ERR_BAD_REQUEST = 400,
	SR_ERR_UNAUTHORIZED = 401,
	SR_ERR_FORBIDDEN = 403,
	SR_ERR_NOT_FOUND = 404,
	SR_ERR_METHOD_NOT_ALLOWED = 405,
	SR_ERR_NOT_ACCEPTABLE = 406,
	SR_ERR_REQUEST_TIMEOUT = 408,
	SR_ERR_INCOMPATIBLE = 409,
	SR_ERR_PAYLOAD_TOO_LARGE = 413,
	SR_ERR_UNSUPPORTED_MEDIA_TYPE = 415,
	SR_ERR_INTERNAL = 500,
	SR_ERR_UNAVAILABLE = 503,
	SR_ERR_SUBJECT_NOT_FOUND = 40401,
	SR_ERR_VERSION_NOT_FOUND = 40402,
	SR_ERR_SCHEMA_NOT_FOUND = 40403,
	SR_ERR_SUBJECT_SOFT_DELETED = 40404,
	SR_ERR_SUBJECT_NOT_SOFT_DELETED = 40405,
	SR_ERR_VERSION_SOFT_DELETED = 40406,
	SR_ERR_VERSION_NOT_SOFT_DELETED = 40407,
	SR_ERR_SUBJECT_CONFIG_NOT_FOUND = 40408,
	SR_ERR_SUBJECT_MODE_NOT_FOUND = 40409,
	SR_ERR_INVALID_SCHEMA = 42201,
	SR_ERR_INVALID_VERSION = 42202,
	SR_ERR_INVALID_COMPATIBILITY = 42203,
	SR_ERR_INVALID_MODE = 42204,
	SR_ERR_OPERATION_NOT_PERMITTED = 42205,
	SR_ERR_REFERENCE_EXISTS = 42206,
	SR_ERR_ID_IN_USE = 42207,
	SR_ERR_INVALID_SUBJECT = 42208,
	SR_ERR_SCHEMA_TOO_LARGE = 42209,
	SR_ERR_INVALID_RULESET = 42210,
	SR_ERR_STORE = 50001,
	SR_ERR_TIMEOUT = 50002,
} sr_errcode;

/**
 * Error detail. Initialise with SR_ERR_INIT, release with sr_err_dispose().
 * The message is a heap buffer because compatibility failures list every
 * difference and can be long.
 */
typedef struct sr_err {
	int code;   /**< an sr_errcode, 0 when no error was recorded */
	sr_buf msg; /**< one-line message (may be empty) */
} sr_err;

#define SR_ERR_INIT { 0, SR_BUF_INIT }

/**
 * Record `code` and a printf-style message, replacing any earlier one.
 * Returns `rc` so that callers can write `return sr_err_set(e, SR_EINVALID,
 * SR_ERR_INVALID_SCHEMA, "...")`. `e` may be NULL (then only rc is returned).
 */
int sr_err_set(sr_err *e, int rc, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int sr_err_vset(sr_err *e, int rc, int code, const char *fmt, va_list ap);

/** Prefix the current message with formatted text (adds context). */
void sr_err_prefix(sr_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** The message as a NUL-terminated string ("" when none). */
const char *sr_err_message(const sr_err *e);

/** Forget the error (keeps the allocation). */
void sr_err_clear(sr_err *e);

/** Free the message buffer. */
void sr_err_dispose(sr_err *e);

#endif

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_HTTP_HTTP_H
#define SR_HTTP_HTTP_H

/**
 * The HTTP transport's view of one request and its response, independent
 * of the server library. The server fills a request, calls the application
 * handler once with the complete body, and sends the response.
 *
 * Lifetimes: every pointer in sr_http_request lives in `arena`, which the
 * server frees when the response has been sent. The response body buffer
 * is owned by the response; the server takes it over.
 */

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"

typedef enum sr_http_method {
	SR_HTTP_OTHER = 0,
	SR_HTTP_GET,
	SR_HTTP_HEAD,
	SR_HTTP_POST,
	SR_HTTP_PUT,
	SR_HTTP_DELETE,
} sr_http_method;

/** A query parameter, percent-decoded ("+" = space), NUL-terminated. */
typedef struct sr_http_param {
	const char *key;
	const char *value;       /**< "" for a key without value */
} sr_http_param;

typedef struct sr_http_request {
	sr_arena *arena;
	sr_http_method method;
	const char *method_name; /**< as sent, e.g. "PATCH" */
	const char *path;        /**< still percent-encoded, without the query */
	sr_http_param *query;
	size_t nquery;
	const char *body;        /**< NUL-terminated; "" when none */
	size_t body_len;
	bool body_too_large;     /**< the body exceeded the configured ceiling */
	const char *content_type;/**< Content-Type header or NULL */
	const char *accept;      /**< Accept header or NULL */
	const char *request_id;  /**< X-Request-ID (honoured) or generated */
	bool draining;           /**< the server is shutting down */
} sr_http_request;

typedef struct sr_http_response {
	int status;              /**< default 200 */
	sr_buf body;
	const char *content_type;/**< static string; default set by the server */
	const char *route;       /**< route template for logs and metrics (static) */
	int route_id;            /**< the route's index in the application's table; -1 none */
} sr_http_response;

/** The application: fills `res` for `req`. Called from worker threads. */
typedef void (*sr_http_handler)(void *ctx, sr_http_request *req, sr_http_response *res);

/**
 * Told of every finished request, from worker threads, with the handler's
 * ctx: `route_id` as the handler set it, the status sent (0 when the
 * client went away before an answer), and the time from the first byte
 * of the request to the end of the answer.
 */
typedef void (*sr_http_observer)(void *ctx, const sr_http_request *req, int route_id,
				 int status, double seconds);

/** The first value of query parameter `key`, or NULL. */
const char *sr_http_query(const sr_http_request *req, const char *key);

/**
 * Decode `%XX` escapes of `s[0..len)` into arena memory (NUL-terminated;
 * `out_len` receives the length, which may include NUL bytes). With
 * `plus_is_space` a "+" decodes to a space (query strings). Returns NULL
 * for a malformed escape.
 */
char *sr_http_percent_decode(sr_arena *a, const char *s, size_t len,
			     bool plus_is_space, size_t *out_len);

/** Standard reason phrase of a status ("Not Found"). */
const char *sr_http_reason(int status);

#endif

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_HTTP_ROUTER_H
#define SR_HTTP_ROUTER_H

/**
 * Route matching over a table the application declares in one place.
 * A pattern is a path of literal segments and `{name}` parameters, e.g.
 * "/subjects/{subject}/versions/{version}". Paths are split on "/" before
 * percent-decoding, so an encoded slash (%2F) stays inside its segment.
 */

#include <stddef.h>

#include "http/http.h"

#define SR_ROUTE_MAX_PARAMS 4

typedef struct sr_route {
	sr_http_method method;
	const char *pattern;   /**< also the route label in logs and metrics */
	const void *handler;   /**< opaque to the router */
	unsigned flags;        /**< opaque to the router: the application's route flags */
} sr_route;

typedef struct sr_route_match {
	const sr_route *route;
	const char *params[SR_ROUTE_MAX_PARAMS];   /**< decoded, arena-owned */
	size_t param_lens[SR_ROUTE_MAX_PARAMS];
	size_t nparams;
} sr_route_match;

/**
 * Find the route for (`method`, `path`) in `routes[0..n)`.
 * 0: found; SR_ENOTFOUND: no pattern matches the path (404);
 * SR_EINVALID: a pattern matches but not for this method (405);
 * SR_ETOOBIG: a segment has a malformed percent escape (404 too).
 */
int sr_router_match(const sr_route *routes, size_t n, sr_arena *a,
		    sr_http_method method, const char *path, sr_route_match *out);

#endif

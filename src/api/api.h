/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_API_API_H
#define SR_API_API_H

/**
 * The REST API: the Confluent Schema Registry endpoints (plus /health and
 * /ready) translated into registry calls. One route table (routes.c) and
 * one place where errors become HTTP statuses and JSON bodies (errors.c).
 */

#include "core/config.h"
#include "http/http.h"
#include "registry/registry.h"

typedef struct sr_api_metrics sr_api_metrics;

typedef struct sr_api {
	sr_registry *registry;      /**< borrowed */
	const sr_config *config;    /**< borrowed */
	const char *version;        /**< release, e.g. "0.1.0" */
	const char *commit;         /**< source revision */
	sr_api_metrics *metrics;    /**< owned; sr_api_init creates it */
} sr_api;

/** Fill `api` (borrowing registry and config) and create its metrics. */
void sr_api_init(sr_api *api, sr_registry *registry, const sr_config *config);

/** Free what sr_api_init created. */
void sr_api_dispose(sr_api *api);

/** The sr_http_handler of the server; `ctx` is an sr_api. */
void sr_api_handle(void *ctx, sr_http_request *req, sr_http_response *res);

/**
 * The sr_http_observer of the server; `ctx` is an sr_api. Counts the
 * request and its latency for GET /metrics (lock-free: relaxed atomics).
 */
void sr_api_observe(void *ctx, const sr_http_request *req, int route_id, int status,
		    double seconds);

#endif

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_HTTP_SERVER_H
#define SR_HTTP_SERVER_H

/**
 * The HTTP/1.1 server: libmicrohttpd with an epoll thread pool (one thread
 * per core by default). It reads each request completely (bounded by
 * max_body), hands it to the application handler, sends the answer with
 * X-Request-ID, and logs one JSON line per request.
 *
 * Stalled or idle connections are closed after connection_timeout_s; they
 * never hold a worker thread (epoll). Shutdown: sr_http_server_drain stops
 * accepting, waits for in-flight requests (bounded), then stop frees all.
 */

#include <stdint.h>

#include "core/error.h"
#include "http/http.h"

typedef struct sr_http_server sr_http_server;

typedef struct sr_http_server_opts {
	const char *host;              /**< "0.0.0.0", "::", "127.0.0.1", ... */
	uint16_t port;                 /**< 0 = any free port */
	unsigned threads;              /**< 0 = one per core */
	size_t max_body;               /**< request-body ceiling in bytes */
	unsigned connection_timeout_s; /**< idle/stalled connection timeout */
	sr_http_observer observe;      /**< optional: called per finished request */
} sr_http_server_opts;

/** Start serving; `handler(ctx, ...)` answers every request. */
int sr_http_server_start(sr_http_server **out, const sr_http_server_opts *opts,
			 sr_http_handler handler, void *ctx, sr_err *err);

/** The port actually bound (useful with port 0). */
uint16_t sr_http_server_port(const sr_http_server *s);

/**
 * Stop accepting connections and wait until no request is in flight or
 * `timeout_s` passed. Responses sent meanwhile carry Connection: close.
 * Returns the number of requests still in flight (0 = clean drain).
 */
unsigned sr_http_server_drain(sr_http_server *s, unsigned timeout_s);

/** Close every connection, join the threads and free. NULL is a no-op. */
void sr_http_server_stop(sr_http_server *s);

#endif

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * libmicrohttpd glue. MHD calls the access handler several times per
 * request: first with no data (we only record state — queuing a response
 * there makes MHD close keep-alive connections), then once per body chunk,
 * then once with no data when the body is complete: that is when the
 * application runs and the response is queued.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/mem.h"

#define REQUEST_ID_MAX 128

/* Per-connection memory of libmicrohttpd (request line, headers, read and
 * write buffers). libmicrohttpd zeroes the whole pool after every request
 * on a keep-alive connection, so its size is a per-request cost: the
 * default 32 KiB made that memset 60% of the instructions of a GET. 16 KiB
 * still holds any reasonable header set (bodies stream through it). */
#define CONNECTION_MEMORY (8 * 1024)

/* How much of a chunked body past the limit is read (and dropped) to be
 * able to answer 413 before the connection is closed instead. */
#define DISCARD_MAX(limit) ((limit) > (1u << 20) ? (limit) : (size_t)(1u << 20))

struct sr_http_server {
	struct MHD_Daemon *daemon;
	sr_http_handler handler;
	sr_http_observer observe;
	void *ctx;
	size_t max_body;
	uint16_t port;
	atomic_uint in_flight;
	atomic_bool draining;
	atomic_ulong next_id;
	unsigned long id_salt;
	int listen_fd;         /* ours: libmicrohttpd never sees it */
	pthread_t acceptor;    /* accepts and hands connections to the pool */
	bool accepting;        /* the acceptor runs (touched by the owner only) */
};

/* Per-request state, from the first handler call to completion. */
typedef struct req_state {
	sr_http_request req;
	sr_buf body;
	struct timespec started;
	int status;
	const char *route;
	int route_id;
	size_t discarded;  /* body bytes dropped past the limit */
	bool counted;
} req_state;

static double elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

static sr_http_method method_of(const char *m)
{
	if (strcmp(m, "GET") == 0)
		return SR_HTTP_GET;
	if (strcmp(m, "POST") == 0)
		return SR_HTTP_POST;
	if (strcmp(m, "PUT") == 0)
		return SR_HTTP_PUT;
	if (strcmp(m, "DELETE") == 0)
		return SR_HTTP_DELETE;
	if (strcmp(m, "HEAD") == 0)
		return SR_HTTP_HEAD;
	return SR_HTTP_OTHER;
}

/* The URL reaches us raw: routing must split on "/" before decoding, so
 * that %2F stays inside a subject name. */
static size_t keep_escaped(void *cls, struct MHD_Connection *c, char *s)
{
	return strlen(s);
}

typedef struct query_collect {
	sr_http_request *req;
	size_t cap;
} query_collect;

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind,
				     const char *key, const char *value)
{
	query_collect *qc = cls;
	sr_http_request *req = qc->req;
	const char *k, *v;

	k = sr_http_percent_decode(req->arena, key, strlen(key), true, NULL);
	v = value ? sr_http_percent_decode(req->arena, value, strlen(value), true, NULL) : "";
	if (!k || !v)
		return MHD_YES; /* a malformed escape: ignore the parameter */
	req->query = sr_arena_grow(req->arena, req->query, req->nquery, &qc->cap,
				   sizeof(*req->query), 8);
	req->query[req->nquery].key = k;
	req->query[req->nquery++].value = v;
	return MHD_YES;
}

static bool request_id_ok(const char *id)
{
	size_t i;

	for (i = 0; id[i]; i++)
		if (i >= REQUEST_ID_MAX || id[i] < 0x21 || id[i] > 0x7e || id[i] == '"' ||
		    id[i] == '\\')
			return false;
	return i > 0;
}

static void put_hex32(char *out, unsigned long v)
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 7; i >= 0; i--, v >>= 4)
		out[i] = digits[v & 15];
}

static const char *request_id(sr_http_server *s, struct MHD_Connection *c, sr_arena *a)
{
	const char *given = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-ID");
	char *id;

	if (given && request_id_ok(given))
		return sr_arena_strdup(a, given);
	/* Process salt + counter: unique per process, cheap, no printf. */
	id = sr_arena_alloc(a, 17);
	put_hex32(id, s->id_salt);
	put_hex32(id + 8, atomic_fetch_add(&s->next_id, 1));
	id[16] = '\0';
	return id;
}

static req_state *state_new(sr_http_server *s, struct MHD_Connection *c,
			    const char *url, const char *method)
{
	sr_arena *a = sr_arena_new(8192);
	req_state *st = sr_arena_calloc(a, 1, sizeof(*st));
	const char *q = strchr(url, '?');
	const char *length;
	query_collect qc = { &st->req, 0 };

	clock_gettime(CLOCK_MONOTONIC, &st->started);
	st->req.arena = a;
	st->req.method = method_of(method);
	st->req.method_name = sr_arena_strdup(a, method);
	st->req.path = q ? sr_arena_strndup(a, url, (size_t)(q - url)) : sr_arena_strdup(a, url);
	st->req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	st->req.accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
	st->req.request_id = request_id(s, c, a);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, &qc);
	sr_buf_init(&st->body, s->max_body);
	length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (length && strtoull(length, NULL, 10) > s->max_body)
		st->req.body_too_large = true;
	st->status = 500;
	st->route_id = -1;
	return st;
}

static void state_free(req_state *st)
{
	sr_buf_dispose(&st->body);
	sr_arena_free(st->req.arena);
}

/* Milliseconds with three decimals, without printf (this runs per request). */
static void put_ms(sr_buf *b, double ms)
{
	int64_t us = (int64_t)(ms * 1000.0 + 0.5);
	char frac[4];

	sr_buf_put_i64(b, us / 1000);
	frac[0] = '.';
	frac[1] = (char)('0' + us / 100 % 10);
	frac[2] = (char)('0' + us / 10 % 10);
	frac[3] = (char)('0' + us % 10);
	sr_buf_put(b, frac, 4);
}

static void log_request(const req_state *st, double ms)
{
	const sr_http_request *r = &st->req;
	const char *route = st->route ? st->route : "unmatched";
	sr_log_level level = st->status >= 500 ? SR_LOG_ERROR : SR_LOG_INFO;
	sr_buf f = SR_BUF_INIT;

	if (!sr_log_enabled(level))
		return;
	sr_buf_puts(&f, "\"request_id\":");
	sr_buf_put_json_string(&f, r->request_id, strlen(r->request_id));
	sr_buf_puts(&f, ",\"method\":");
	sr_buf_put_json_string(&f, r->method_name, strlen(r->method_name));
	sr_buf_puts(&f, ",\"route\":");
	sr_buf_put_json_string(&f, route, strlen(route));
	sr_buf_puts(&f, ",\"status\":");
	sr_buf_put_i64(&f, st->status);
	sr_buf_puts(&f, ",\"latency_ms\":");
	put_ms(&f, ms);
	sr_log(level, "request", f.ptr);
	sr_buf_dispose(&f);
}

static enum MHD_Result respond(sr_http_server *s, struct MHD_Connection *c, req_state *st)
{
	sr_http_response res;
	struct MHD_Response *mr;
	enum MHD_Result ok;
	size_t len;
	char *body;

	memset(&res, 0, sizeof(res));
	sr_buf_init(&res.body, SIZE_MAX);
	sr_buf_grow(&res.body, 1024); /* most answers fit: one allocation */
	res.status = 200;
	res.route_id = -1;
	st->req.body = st->body.ptr ? st->body.ptr : "";
	st->req.body_len = st->body.len;
	st->req.draining = atomic_load(&s->draining);
	s->handler(s->ctx, &st->req, &res);
	st->status = res.status;
	st->route = res.route;
	st->route_id = res.route_id;

	body = sr_buf_detach(&res.body, &len);
	mr = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!mr) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(mr, "Content-Type",
				res.content_type ? res.content_type
						 : "application/vnd.schemaregistry.v1+json");
	MHD_add_response_header(mr, "X-Request-ID", st->req.request_id);
	if (st->req.draining)
		MHD_add_response_header(mr, "Connection", "close");
	ok = MHD_queue_response(c, (unsigned)res.status, mr);
	MHD_destroy_response(mr);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	sr_http_server *s = cls;
	req_state *st = *con_cls;

	if (!st) {
		st = state_new(s, c, url, method);
		st->counted = true;
		atomic_fetch_add(&s->in_flight, 1);
		*con_cls = st;
		/* An announced body over the limit is refused before it is sent:
		 * libmicrohttpd discards it and closes after the answer. */
		if (st->req.body_too_large)
			return respond(s, c, st);
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;

		*upload_size = 0;
		if (st->req.body_too_large) {
			/* A chunked body that outgrew the limit: libmicrohttpd allows
			 * no answer while data arrives, so the rest is discarded and
			 * answered with 413 at its end — unless it goes on for as
			 * long again, then the connection is closed. */
			st->discarded += n;
			return st->discarded > DISCARD_MAX(s->max_body) ? MHD_NO : MHD_YES;
		}
		if (sr_buf_put(&st->body, upload_data, n) < 0) {
			st->req.body_too_large = true;
			sr_buf_dispose(&st->body);
		}
		return MHD_YES;
	}
	return respond(s, c, st);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	sr_http_server *s = cls;
	req_state *st = *con_cls;
	double ms;

	if (!st)
		return;
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && st->status == 500 && !st->route)
		st->status = 0; /* the client went away or timed out before an answer */
	ms = elapsed_ms(&st->started);
	log_request(st, ms);
	if (s->observe)
		s->observe(s->ctx, &st->req, st->route_id, st->status, ms / 1e3);
	if (st->counted)
		atomic_fetch_sub(&s->in_flight, 1);
	state_free(st);
	*con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	sr_buf msg = SR_BUF_INIT;

	sr_buf_vprintf(&msg, fmt, ap);
	while (msg.len && (msg.ptr[msg.len - 1] == '\n' || msg.ptr[msg.len - 1] == ' '))
		sr_buf_truncate(&msg, msg.len - 1);
	sr_log(SR_LOG_WARN, msg.ptr ? msg.ptr : "", "\"component\":\"http\"");
	sr_buf_dispose(&msg);
}

static int make_addr(const sr_http_server_opts *o, struct sockaddr_storage *ss,
		     socklen_t *len, sr_err *err)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, o->host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(o->port);
		*len = sizeof(*v4);
		return 0;
	}
	if (inet_pton(AF_INET6, o->host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(o->port);
		*len = sizeof(*v6);
		return 0;
	}
	return sr_err_set(err, SR_EINVALID, SR_ERR_BAD_REQUEST,
			  "listen address '%s' is not an IPv4 or IPv6 address", o->host);
}

/*
 * The listening socket is ours, not libmicrohttpd's: its quiesce call races
 * with its own worker threads over the socket's epoll registration and
 * can abort the process at shutdown. With our socket, stopping to accept
 * is a shutdown() and a join, and new clients are refused from then on.
 * SO_REUSEADDR only (no SO_REUSEPORT): a second server on the same port
 * fails to start instead of sharing it.
 */
static int open_listener(const sr_http_server_opts *o, int *out, uint16_t *port, sr_err *err)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, e;

	if (make_addr(o, &ss, &len, err) < 0)
		return SR_EINVALID;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0 &&
	    bind(fd, (struct sockaddr *)&ss, len) == 0 && listen(fd, 1024) == 0 &&
	    getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
		*port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						      : ((struct sockaddr_in6 *)&ss)->sin6_port);
		*out = fd;
		return 0;
	}
	e = errno;
	if (fd >= 0)
		close(fd);
	return sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_UNAVAILABLE, "cannot listen on %s:%u: %s",
			  o->host, o->port, strerror(e));
}

static void pause_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000 * 1000 };

	nanosleep(&t, NULL);
}

/* Accept until the listener is shut down; libmicrohttpd spreads the
 * connections over its worker threads (and closes any it cannot take). */
static void *accept_loop(void *arg)
{
	sr_http_server *s = arg;

	for (;;) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int fd = accept4(s->listen_fd, (struct sockaddr *)&ss, &len,
				 SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (fd >= 0) {
			MHD_add_connection(s->daemon, fd, (struct sockaddr *)&ss, len);
			continue;
		}
		if (atomic_load(&s->draining) || errno == EINVAL || errno == EBADF)
			return NULL;
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
			sr_logf(SR_LOG_WARN, "accept: %s; retrying in 50 ms", strerror(errno));
			pause_ms(50);
		}
	}
}

/* Stop accepting: later clients are refused. Idempotent; owner thread only. */
static void stop_accepting(sr_http_server *s)
{
	atomic_store(&s->draining, true);
	if (s->accepting) {
		/* Wakes the blocked accept() with EINVAL (Linux). */
		shutdown(s->listen_fd, SHUT_RDWR);
		pthread_join(s->acceptor, NULL);
		s->accepting = false;
	}
	if (s->listen_fd >= 0) {
		close(s->listen_fd);
		s->listen_fd = -1;
	}
}

int sr_http_server_start(sr_http_server **out, const sr_http_server_opts *o,
			 sr_http_handler handler, void *ctx, sr_err *err)
{
	sr_http_server *s;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC |
			 MHD_USE_NO_LISTEN_SOCKET;
	unsigned threads = o->threads;
	long cores;

	if (!threads) {
		cores = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cores > 0 ? (unsigned)cores : 1;
	}
	s = sr_calloc(1, sizeof(*s));
	s->listen_fd = -1;
	if (open_listener(o, &s->listen_fd, &s->port, err) < 0) {
		free(s);
		return SR_EUNAVAILABLE;
	}
	s->handler = handler;
	s->observe = o->observe;
	s->ctx = ctx;
	s->max_body = o->max_body;
	s->id_salt = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);
	s->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, o->connection_timeout_s,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, NULL,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
		MHD_OPTION_END);
	if (!s->daemon) {
		close(s->listen_fd);
		free(s);
		return sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_UNAVAILABLE,
				  "cannot start the HTTP worker threads");
	}
	if (pthread_create(&s->acceptor, NULL, accept_loop, s) != 0) {
		sr_http_server_stop(s);
		return sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_UNAVAILABLE,
				  "cannot start the accepting thread");
	}
	s->accepting = true;
	*out = s;
	return 0;
}

uint16_t sr_http_server_port(const sr_http_server *s)
{
	return s->port;
}

unsigned sr_http_server_drain(sr_http_server *s, unsigned timeout_s)
{
	struct timespec start;

	stop_accepting(s);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (atomic_load(&s->in_flight) > 0 && elapsed_ms(&start) < timeout_s * 1000.0)
		pause_ms(10);
	return atomic_load(&s->in_flight);
}

void sr_http_server_stop(sr_http_server *s)
{
	if (!s)
		return;
	stop_accepting(s);
	MHD_stop_daemon(s->daemon);
	free(s);
}

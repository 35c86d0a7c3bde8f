/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * GET /metrics: request counts and latency histograms per route, method
 * and status, the registry's sizes and the process's resources, in the
 * Prometheus text exposition format (version 0.0.4).
 *
 * Counting runs on every request, so it is a few relaxed atomic adds into
 * a table allocated once: one series per (route, method), the route being
 * an index into the route table (plus one slot for unmatched paths), the
 * method one of six, the status one of a fixed list. Label values thus
 * come from our tables only; what a client sends cannot grow them.
 */
#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "api/internal.h"
#include "core/mem.h"

#define N_METHODS (SR_HTTP_DELETE + 1)

/* Statuses we send; anything else is counted as "other". 0 = the client
 * went away before an answer. */
static const int statuses[] = {
	0, 200, 204, 400, 401, 403, 404, 405, 406, 408, 409,
	413, 415, 422, 429, 431, 500, 501, 503, 504,
};
#define N_STATUSES (sizeof(statuses) / sizeof(statuses[0]))
#define STATUS_OTHER N_STATUSES

/* Upper bounds of the latency buckets, in seconds; +Inf follows. */
static const double bounds[] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};
#define N_BOUNDS (sizeof(bounds) / sizeof(bounds[0]))

static const char *const method_names[N_METHODS] = {
	[SR_HTTP_OTHER] = "OTHER", [SR_HTTP_GET] = "GET",   [SR_HTTP_HEAD] = "HEAD",
	[SR_HTTP_POST] = "POST",   [SR_HTTP_PUT] = "PUT",   [SR_HTTP_DELETE] = "DELETE",
};

typedef struct series {
	atomic_ulong by_status[N_STATUSES + 1];
	atomic_ulong in_bucket[N_BOUNDS + 1];  /* not cumulative; the last is +Inf */
	atomic_ulong sum_us;
} series;

struct sr_api_metrics {
	const sr_route *routes;
	size_t nroutes;        /* slot nroutes = unmatched */
	series *series;        /* (nroutes + 1) * N_METHODS */
	double started;        /* Unix time, seconds */
};

void sr_api_init(sr_api *api, sr_registry *registry, const sr_config *config)
{
	sr_api_metrics *m = sr_calloc(1, sizeof(*m));
	struct timespec now;

	memset(api, 0, sizeof(*api));
	api->registry = registry;
	api->config = config;
	m->routes = api_routes(&m->nroutes);
	m->series = sr_calloc((m->nroutes + 1) * N_METHODS, sizeof(series));
	clock_gettime(CLOCK_REALTIME, &now);
	m->started = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
	api->metrics = m;
}

void sr_api_dispose(sr_api *api)
{
	if (!api->metrics)
		return;
	free(api->metrics->series);
	free(api->metrics);
	api->metrics = NULL;
}

static size_t status_slot(int status)
{
	size_t i;

	for (i = 0; i < N_STATUSES; i++)
		if (statuses[i] == status)
			return i;
	return STATUS_OTHER;
}

static size_t bucket_of(double seconds)
{
	size_t i;

	for (i = 0; i < N_BOUNDS; i++)
		if (seconds <= bounds[i])
			return i;
	return N_BOUNDS;
}

void sr_api_observe(void *ctx, const sr_http_request *req, int route_id, int status,
		    double seconds)
{
	sr_api_metrics *m = ((sr_api *)ctx)->metrics;
	size_t slot = route_id >= 0 && (size_t)route_id < m->nroutes ? (size_t)route_id
								     : m->nroutes;
	unsigned method = req->method < N_METHODS ? req->method : SR_HTTP_OTHER;
	series *s = &m->series[slot * N_METHODS + method];

	if (seconds < 0)
		seconds = 0;
	atomic_fetch_add_explicit(&s->by_status[status_slot(status)], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->in_bucket[bucket_of(seconds)], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->sum_us, (unsigned long)(seconds * 1e6 + 0.5),
				  memory_order_relaxed);
}

static unsigned long load(atomic_ulong *v)
{
	return atomic_load_explicit(v, memory_order_relaxed);
}

static const char *route_label(const sr_api_metrics *m, size_t slot)
{
	return slot < m->nroutes ? m->routes[slot].pattern : "unmatched";
}

static void put_labels(sr_buf *b, const sr_api_metrics *m, size_t slot, unsigned method)
{
	/* Route patterns and method names need no escaping: no '\\', '"' or
	 * newline in them. */
	sr_buf_printf(b, "{method=\"%s\",route=\"%s\"", method_names[method],
		      route_label(m, slot));
}

typedef void (*series_writer)(sr_buf *b, const sr_api_metrics *m, size_t slot,
			      unsigned method, series *s);

static void for_each_series(sr_buf *b, sr_api_metrics *m, series_writer write)
{
	size_t slot;
	unsigned method;

	for (slot = 0; slot <= m->nroutes; slot++)
		for (method = 0; method < N_METHODS; method++)
			write(b, m, slot, method, &m->series[slot * N_METHODS + method]);
}

static void write_counts(sr_buf *b, const sr_api_metrics *m, size_t slot, unsigned method,
			 series *s)
{
	size_t i;

	for (i = 0; i <= N_STATUSES; i++) {
		unsigned long n = load(&s->by_status[i]);

		if (!n)
			continue;
		sr_buf_puts(b, "schema_registry_http_requests_total");
		put_labels(b, m, slot, method);
		if (i == STATUS_OTHER)
			sr_buf_printf(b, ",status=\"other\"} %lu\n", n);
		else
			sr_buf_printf(b, ",status=\"%d\"} %lu\n", statuses[i], n);
	}
}

/* Only a series that counted something is written. */
static void write_histogram(sr_buf *b, const sr_api_metrics *m, size_t slot,
			    unsigned method, series *s)
{
	unsigned long cumulative = 0, seen = 0;
	size_t i;

	for (i = 0; i <= N_BOUNDS; i++)
		seen += load(&s->in_bucket[i]);
	if (!seen)
		return;
	for (i = 0; i <= N_BOUNDS; i++) {
		cumulative += load(&s->in_bucket[i]);
		sr_buf_puts(b, "schema_registry_http_request_duration_seconds_bucket");
		put_labels(b, m, slot, method);
		if (i < N_BOUNDS)
			sr_buf_printf(b, ",le=\"%g\"} %lu\n", bounds[i], cumulative);
		else
			sr_buf_printf(b, ",le=\"+Inf\"} %lu\n", cumulative);
	}
	sr_buf_puts(b, "schema_registry_http_request_duration_seconds_sum");
	put_labels(b, m, slot, method);
	sr_buf_printf(b, "} %.6f\n", (double)load(&s->sum_us) / 1e6);
	sr_buf_puts(b, "schema_registry_http_request_duration_seconds_count");
	put_labels(b, m, slot, method);
	sr_buf_printf(b, "} %lu\n", cumulative);
}

static void write_requests(sr_buf *b, sr_api_metrics *m)
{
	sr_buf_puts(b, "# HELP schema_registry_http_requests_total HTTP requests answered, "
		       "by method, route template and status (0: the client left first).\n"
		       "# TYPE schema_registry_http_requests_total counter\n");
	for_each_series(b, m, write_counts);
}

static void write_latency(sr_buf *b, sr_api_metrics *m)
{
	sr_buf_puts(b, "# HELP schema_registry_http_request_duration_seconds Time from the "
		       "first byte of a request to the end of its answer.\n"
		       "# TYPE schema_registry_http_request_duration_seconds histogram\n");
	for_each_series(b, m, write_histogram);
}

static void gauge(sr_buf *b, const char *name, const char *help, const char *type,
		  double value)
{
	sr_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %.15g\n", name, help, name, type,
		      name, value);
}

static void write_registry(sr_buf *b, const sr_api *api)
{
	sr_registry_stats st;

	sr_registry_stats_get(api->registry, &st);
	gauge(b, "schema_registry_schemas", "Distinct schemas (global ids) stored.", "gauge",
	      (double)st.schemas);
	gauge(b, "schema_registry_subjects", "Subjects stored, soft-deleted ones included.", "gauge",
	      (double)st.subjects);
	gauge(b, "schema_registry_versions", "Subject versions stored, soft-deleted included.",
	      "gauge", (double)st.versions);
	gauge(b, "schema_registry_max_schema_id", "Highest schema id assigned.", "gauge",
	      (double)st.max_id);
	sr_buf_printf(b, "# HELP schema_registry_build_info The running release.\n"
			 "# TYPE schema_registry_build_info gauge\n"
			 "schema_registry_build_info{version=\"%s\",commit=\"%s\"} 1\n",
		      api->version ? api->version : "", api->commit ? api->commit : "");
}

static size_t open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	size_t n = 0;
	struct dirent *e;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n ? n - 1 : 0; /* not the directory's own descriptor */
}

static double resident_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long size = 0, resident = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (double)resident * (double)sysconf(_SC_PAGESIZE);
}

static void write_process(sr_buf *b, const sr_api_metrics *m)
{
	struct rusage ru;
	struct rlimit rl;
	double cpu = 0;

	if (getrusage(RUSAGE_SELF, &ru) == 0)
		cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		      (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	gauge(b, "process_cpu_seconds_total", "User and system CPU time spent, in seconds.",
	      "counter", cpu);
	gauge(b, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge",
	      resident_bytes());
	gauge(b, "process_open_fds", "Open file descriptors.", "gauge", (double)open_fds());
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		gauge(b, "process_max_fds", "Maximum open file descriptors.", "gauge",
		      (double)rl.rlim_cur);
	gauge(b, "process_start_time_seconds", "Start time since the Unix epoch, in seconds.",
	      "gauge", m->started);
}

int api_metrics(api_call *call)
{
	sr_api *api = call->api;
	sr_buf *b = &call->res->body;

	write_requests(b, api->metrics);
	write_latency(b, api->metrics);
	write_registry(b, api);
	write_process(b, api->metrics);
	return 0;
}

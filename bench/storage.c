/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */

/*
 * Storage benchmark: durable single-change writes per second, and the time
 * to load a large store at start-up.
 *
 *   bench-storage [DIR] [APPLY_CALLS] [ROWS]
 *
 * DIR (default ./build/bench-storage) must be on the disk under test: the
 * write rate is bounded by its fsync latency. The directory is removed
 * first and afterwards.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hash.h"
#include "core/mem.h"
#include "storage/storage.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	return remove(path);
}

static void die(const char *what, const sr_err *err)
{
	fprintf(stderr, "bench-storage: %s: %s\n", what, sr_err_message(err));
	exit(1);
}

/* A realistic Avro schema of ~300 bytes, distinct per id. */
static size_t schema_text(char *out, size_t cap, long id)
{
	return (size_t)snprintf(out, cap,
				"{\"type\":\"record\",\"name\":\"Event%ld\",\"namespace\":\"com.example."
				"llm\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":"
				"\"model\",\"type\":\"string\"},{\"name\":\"prompt_tokens\",\"type\":"
				"\"int\"},{\"name\":\"completion_tokens\",\"type\":\"int\"},{\"name\":"
				"\"output\",\"type\":[\"null\",\"string\"],\"default\":null}]}",
				id);
}

static void guid_of(char out[37], const char *text, size_t n)
{
	unsigned char d[16];

	sr_md5_digest(d, text, n);
	sr_uuid_format(out, d);
}

typedef struct load_count {
	long schemas, versions;
	size_t bytes;
} load_count;

static int on_schema(void *ctx, const sr_st_schema *s)
{
	load_count *c = ctx;

	c->schemas++;
	c->bytes += s->schema_len + strlen(s->guid);
	return 0;
}

static int on_version(void *ctx, const sr_st_version *v)
{
	load_count *c = ctx;

	c->versions++;
	c->bytes += strlen(v->subject);
	return 0;
}

static void bench_apply(const char *url, long calls)
{
	sr_err err = SR_ERR_INIT;
	sr_storage *s = NULL;
	char text[512], guid[37];
	double t0, dt;
	long i;

	if (sr_storage_open(&s, url, &err) || sr_storage_migrate(s, NULL, &err))
		die(url, &err);
	t0 = now_s();
	for (i = 1; i <= calls; i++) {
		sr_change c = { .kind = SR_CHANGE_SCHEMA_PUT };

		c.u.schema.id = i;
		c.u.schema.schema_type = "AVRO";
		c.u.schema.schema = text;
		c.u.schema.schema_len = schema_text(text, sizeof(text), i);
		guid_of(guid, text, c.u.schema.schema_len);
		c.u.schema.guid = guid;
		if (sr_storage_apply(s, &c, 1, &err))
			die("apply", &err);
	}
	dt = now_s() - t0;
	printf("%s: %ld single-change applies in %.3f s = %.0f applies/s (%.3f ms each)\n",
	       sr_storage_backend_name(s), calls, dt, (double)calls / dt, dt * 1000 / (double)calls);
	sr_storage_close(s);
	sr_err_dispose(&err);
}

static void bench_load(const char *url, long rows)
{
	enum { BATCH = 1000 };
	sr_err err = SR_ERR_INIT;
	sr_storage *s = NULL;
	sr_storage_loader l = { on_schema, on_version, NULL, NULL, NULL };
	load_count count = { 0 };
	sr_change *c = sr_calloc(2 * BATCH, sizeof(*c));
	char (*text)[512] = sr_malloc(BATCH * sizeof(*text));
	char (*guid)[37] = sr_malloc(BATCH * sizeof(*guid));
	char (*subject)[64] = sr_malloc(BATCH * sizeof(*subject));
	double t0, dt;
	long i;
	int j;

	if (sr_storage_open(&s, url, &err) || sr_storage_migrate(s, NULL, &err))
		die(url, &err);
	t0 = now_s();
	for (i = 0; i < rows; i += BATCH) {
		int n = rows - i < BATCH ? (int)(rows - i) : BATCH;

		for (j = 0; j < n; j++) {
			long id = 1000000 + i + j;
			sr_change *sc = &c[2 * j], *vc = &c[2 * j + 1];

			sc->kind = SR_CHANGE_SCHEMA_PUT;
			sc->u.schema.id = id;
			sc->u.schema.schema_type = "AVRO";
			sc->u.schema.schema = text[j];
			sc->u.schema.schema_len = schema_text(text[j], sizeof(text[j]), id);
			guid_of(guid[j], text[j], sc->u.schema.schema_len);
			sc->u.schema.guid = guid[j];
			/* 10 versions per subject. */
			snprintf(subject[j], sizeof(subject[j]), "topic-%ld-value", id / 10);
			vc->kind = SR_CHANGE_VERSION_PUT;
			vc->u.version.subject = subject[j];
			vc->u.version.version = (int32_t)(id % 10) + 1;
			vc->u.version.schema_id = id;
			vc->u.version.created_ms = 1764316800000LL + id;
		}
		if (sr_storage_apply(s, c, (size_t)(2 * n), &err))
			die("apply", &err);
	}
	dt = now_s() - t0;
	printf("%s: wrote %ld schemas + %ld versions in batches of %d in %.3f s\n",
	       sr_storage_backend_name(s), rows, rows, BATCH, dt);
	/* Load from a freshly opened store, as the server does at start. */
	if (strncmp(url, "mem:", 4) != 0) {
		sr_storage_close(s);
		if (sr_storage_open(&s, url, &err))
			die(url, &err);
	}
	l.ctx = &count;
	t0 = now_s();
	if (sr_storage_check_ready(s, &err) || sr_storage_load(s, &l, &err))
		die("load", &err);
	dt = now_s() - t0;
	if (count.schemas != rows || count.versions != rows) {
		fprintf(stderr, "bench-storage: loaded %ld schemas and %ld versions, wanted %ld\n",
			count.schemas, count.versions, rows);
		exit(1);
	}
	printf("%s: loaded %ld schemas + %ld versions (%zu bytes of text) in %.3f s\n",
	       sr_storage_backend_name(s), count.schemas, count.versions, count.bytes, dt);
	sr_storage_close(s);
	sr_err_dispose(&err);
	free(c);
	free(text);
	free(guid);
	free(subject);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "build/bench-storage";
	long calls = argc > 2 ? strtol(argv[2], NULL, 10) : 2000;
	long rows = argc > 3 ? strtol(argv[3], NULL, 10) : 100000;
	char url[4096];

	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	snprintf(url, sizeof(url), "sqlite:%s/apply.db", dir);
	bench_apply(url, calls);
	snprintf(url, sizeof(url), "sqlite:%s/load.db", dir);
	bench_load(url, rows);
	bench_load("mem:", rows);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

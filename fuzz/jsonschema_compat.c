/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Fuzz target for the JSON Schema compatibility checker. The input is two
 * schemas split at the first NUL byte (no NUL: the input is both), each
 * parsed as JSON (small limits) without the validator, so that any JSON
 * reaches the checker. Each side also gets the other schema as a
 * referenced document named "other.json". The check runs both ways under
 * both policies, with the difference lists; every run must end within a
 * time bound, a schema must be compatible with itself (unless the work
 * budget ran out), and the report must hold one message per incompatible
 * difference.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "formats/jsonschema/jsonschema_internal.h"
#include "json/json.h"

/* The documents are made as the compatibility unit tests make them. */
#include "../tests/unit/formats/jsonschema/test_compat_documents.h"

/* A single check taking longer than this is a bug (the budget bounds it). */
#define MAX_SECONDS 5.0

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const char *what, const uint8_t *data, size_t size)
{
	fprintf(stderr, "jsonschema_compat: %s\n  input: %.*s\n", what, (int)(size < 400 ? size : 400),
		(const char *)data);
	abort();
}

static void side(sr_jsonschema_document *docs, const sr_json *self, const sr_json *other)
{
	sr_test_compat_document(&docs[0], self, NULL);
	sr_test_compat_document(&docs[1], other, "other.json");
}

static bool is_too_complex(const sr_compat_report *r)
{
	return r->count && strstr(r->messages[r->count - 1], "COMPATIBILITY_CHECK_TOO_COMPLEX");
}

/* One directed check under one policy, with its invariants. */
static bool check(sr_arena *a, const sr_jsonschema_document *reader,
		  const sr_jsonschema_document *writer, sr_compat_policy policy,
		  const uint8_t *data, size_t size)
{
	sr_compat_report rep;
	sr_jsonschema_diff *d = NULL;
	size_t n = 0, i, bad = 0;
	double t0 = now();
	bool ok, complete;

	memset(&rep, 0, sizeof(rep));
	rep.arena = a;
	rep.policy = policy;
	rep.max_messages = 5000;
	ok = sr_jsonschema__compatible_documents(reader, 2, writer, 2, &rep);
	if (now() - t0 > MAX_SECONDS)
		fail("compatibility check too slow", data, size);
	complete = sr_jsonschema__differences_documents(a, writer, 2, reader, 2, policy, &d, &n);
	if (complete == is_too_complex(&rep) && n < 2000)
		fail("budget verdicts disagree", data, size);
	for (i = 0; i < n; i++) {
		if (!d[i].type || !d[i].path || strncmp(d[i].path, "#/", 2) != 0)
			fail("malformed difference", data, size);
		bad += !d[i].compatible;
	}
	if (complete && n < 2000 && (ok != (bad == 0) || rep.count != bad))
		fail("report does not match the differences", data, size);
	return ok || !complete;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t n1 = nul ? (size_t)(nul - data) : size;
	const uint8_t *p2 = nul ? nul + 1 : data;
	size_t n2 = nul ? size - n1 - 1 : size;
	sr_json_limits lim = { 64 };
	sr_arena *a;
	sr_json *x = NULL, *y = NULL;
	sr_jsonschema_document dx[2], dy[2], dx2[2];
	int p;

	if (size > 1 << 16)
		return 0;
	a = sr_arena_new(0);
	if (sr_json_parse(&x, a, (const char *)data, n1, &lim, NULL) != 0 ||
	    sr_json_parse(&y, a, (const char *)p2, n2, &lim, NULL) != 0)
		goto done;
	side(dx, x, y);
	side(dy, y, x);
	side(dx2, x, y);
	for (p = SR_COMPAT_POLICY_STRICT; p <= SR_COMPAT_POLICY_LENIENT; p++) {
		(void)check(a, dx, dy, (sr_compat_policy)p, data, size);
		(void)check(a, dy, dx, (sr_compat_policy)p, data, size);
		if (!check(a, dx, dx2, (sr_compat_policy)p, data, size))
			fail("schema incompatible with itself", data, size);
	}
done:
	sr_arena_free(a);
	return 0;
}

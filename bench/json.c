/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */

/*
 * JSON benchmark: parse and write throughput on schema-like documents.
 *
 *   bench-json [MB] [ROUNDS]
 *
 * Generates about MB megabytes (default 4) of Avro-schema-like JSON (an
 * array of records with documented fields, unions, defaults, nested
 * records, enums, some non-ASCII text and escapes), compact and indented,
 * and reports the best of ROUNDS (default 20) for:
 *  - parse into a fresh arena each round (includes page faults on the
 *    arena's new memory), and
 *  - parse with the arena's memory recycled by malloc (the steady state of
 *    a server parsing many small documents),
 *  - compact write of the parsed document.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "json/json.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long rng = 12345;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng >> 33) % n);
}

static const char *const types[] = { "string", "int", "long", "double", "boolean", "bytes" };

static void field(sr_buf *b, const char *nl, int i, int depth)
{
	const char *t = types[rnd(6)];
	unsigned r = rnd(100);

	sr_buf_printf(b, "{%s\"name\":%s\"field_%d\",%s\"doc\":%s\"The %s of the thing, "
			 "in units \xc3\xa9 \xc3\xbc\",%s\"type\":%s",
		      nl, nl, i, nl, nl, t, nl, nl);
	if (r < 20) {
		sr_buf_printf(b, "[\"null\",\"%s\"],%s\"default\":%snull", t, nl, nl);
	} else if (r < 30 && depth < 3) {
		int j, n = 2 + (int)rnd(5);
		sr_buf_printf(b, "{\"type\":\"record\",\"name\":\"Nested%d_%d\",\"namespace\":"
				 "\"com.example.nested\",%s\"fields\":[",
			      depth, i, nl);
		for (j = 0; j < n; j++) {
			if (j)
				sr_buf_printf(b, ",%s", nl);
			field(b, nl, j, depth + 1);
		}
		sr_buf_puts(b, "]}");
	} else if (r < 35) {
		sr_buf_printf(b, "{\"type\":\"array\",\"items\":\"string\"},%s\"default\":[]", nl);
	} else if (r < 40) {
		sr_buf_printf(b, "{\"type\":\"enum\",\"name\":\"E%d_%d\",\"symbols\":"
				 "[\"A\",\"B\",\"C\",\"DEF\"]}",
			      depth, i);
	} else if (r < 45) {
		sr_buf_printf(b, "\"double\",%s\"default\":%s12345.678", nl, nl);
	} else {
		sr_buf_printf(b, "\"%s\"", t);
	}
	sr_buf_putc(b, '}');
}

static void generate(sr_buf *b, size_t bytes, const char *nl)
{
	int k, i;

	rng = 12345;
	sr_buf_putc(b, '[');
	for (k = 0; b->len < bytes; k++) {
		int n = 5 + (int)rnd(16);
		if (k)
			sr_buf_printf(b, ",%s", nl);
		sr_buf_printf(b, "{%s\"type\":\"record\",%s\"name\":\"Record%d\",%s\"namespace\":"
				 "\"com.example.events\",%s\"doc\":\"An event \\\"quoted\\\" with "
				 "\\\\ backslash\\nand newline\",%s\"fields\":[",
			      nl, nl, k, nl, nl, nl);
		for (i = 0; i < n; i++) {
			if (i)
				sr_buf_printf(b, ",%s", nl);
			field(b, nl, i, 0);
		}
		sr_buf_puts(b, "]}");
	}
	sr_buf_putc(b, ']');
}

static void run(const char *label, const sr_buf *doc, int rounds)
{
	double fresh = 1e9, warm = 1e9, write = 1e9;
	size_t out_len = 0;
	int r;

	for (r = 0; r < 2 * rounds; r++) {
		sr_arena *a = sr_arena_new(1 << 16);
		sr_json_error err;
		sr_json *v;
		sr_buf out = SR_BUF_INIT;
		double t0, t1, t2;

		/* Second half: keep freed memory in the process, as a server's
		 * allocator does between requests. */
		if (r == rounds) {
			mallopt(M_MMAP_THRESHOLD, 1 << 30);
			mallopt(M_TRIM_THRESHOLD, 1 << 30);
		}
		t0 = now_s();
		if (sr_json_parse(&v, a, doc->ptr, doc->len, NULL, &err) != 0) {
			fprintf(stderr, "bench-json: %s at %zu\n", err.msg, err.offset);
			exit(1);
		}
		t1 = now_s();
		sr_json_write(&out, v);
		t2 = now_s();
		if (r < rounds) {
			if (t1 - t0 < fresh)
				fresh = t1 - t0;
		} else if (t1 - t0 < warm) {
			warm = t1 - t0;
		}
		if (t2 - t1 < write)
			write = t2 - t1;
		out_len = out.len;
		sr_buf_dispose(&out);
		sr_arena_free(a);
	}
	printf("%-8s %6.1f MB  parse (fresh arena) %5.0f MB/s  parse (recycled) %5.0f MB/s  "
	       "write %5.0f MB/s\n",
	       label, (double)doc->len / 1e6, (double)doc->len / fresh / 1e6,
	       (double)doc->len / warm / 1e6, (double)out_len / write / 1e6);
}

int main(int argc, char **argv)
{
	size_t mb = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 4;
	int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 20;
	sr_buf compact = SR_BUF_INIT, pretty = SR_BUF_INIT;

	generate(&compact, mb << 20, "");
	generate(&pretty, mb << 20, "\n    ");
	run("compact", &compact, rounds);
	run("indented", &pretty, rounds);
	sr_buf_dispose(&compact);
	sr_buf_dispose(&pretty);
	return 0;
}

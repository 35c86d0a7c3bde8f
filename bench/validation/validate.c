/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */

/*
 * Validation benchmark, our side: JSON text in, verdict out.
 *
 *   bench-validate [-t SECONDS] [-n PASSES] [-w SECONDS] [-m MODES] [-c CLASSES]
 *                  SCHEMA VALID.jsonl INVALID.jsonl
 *
 * Compiles SCHEMA once with the JSON format's parse op (as the registry
 * does for a registered schema), reads the documents (one JSON text per
 * line) and, per document, does what the validate endpoint does with a
 * request body: a fresh arena, sr_json_parse of the text, the format's
 * validate op with `format` asserted, the arena freed.
 *
 * MODES (comma list, default "flag,full"): "flag" = flag_only, only the
 * verdict (stops at the first error); "full" = every error collected with
 * its locations and message. CLASSES: "valid,invalid" (default).
 *
 * Each (mode, class) runs whole passes over the class's documents for
 * SECONDS of wall time (default 1), or exactly PASSES passes with -n (for
 * instruction counts under callgrind). Every verdict is checked against the
 * file it came from; a wrong one exits 2. After a warm-up of -w SECONDS
 * (default 0.2) over every document, one line per measurement:
 *
 *   RESULT mode=flag class=valid docs=N wall_us=U cpu_us=C
 *
 * cpu_us is the process CPU time (user + system) during the measurement.
 * Under callgrind, --toggle-collect=measure counts the measured passes only.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/error.h"
#include "formats/format.h"
#include "json/json.h"

typedef struct doc {
	char *text;
	size_t len;
} doc;

typedef struct docs {
	doc *v;
	size_t n;
} docs;

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "bench-validate: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		die("cannot open %s", path);
	do {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 131072;
			buf = realloc(buf, cap + 1);
			if (!buf)
				die("out of memory reading %s", path);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f))
		die("cannot read %s", path);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* One document per non-empty line; each gets its own heap copy, as a
 * request body would be. */
static docs read_lines(const char *path)
{
	size_t len, i, start = 0, cap = 0;
	char *all = read_file(path, &len);
	docs d = { NULL, 0 };

	for (i = 0; i <= len; i++) {
		if (i < len && all[i] != '\n')
			continue;
		if (i > start) {
			if (d.n == cap) {
				cap = cap ? cap * 2 : 256;
				d.v = realloc(d.v, cap * sizeof(*d.v));
				if (!d.v)
					die("out of memory reading %s", path);
			}
			d.v[d.n].len = i - start;
			d.v[d.n].text = malloc(i - start + 1);
			if (!d.v[d.n].text)
				die("out of memory reading %s", path);
			memcpy(d.v[d.n].text, all + start, i - start);
			d.v[d.n].text[i - start] = '\0';
			d.n++;
		}
		start = i + 1;
	}
	free(all);
	if (d.n == 0)
		die("no documents in %s", path);
	return d;
}

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the validate endpoint does with one JSON body. */
static bool validate_one(const sr_parsed *schema, const doc *d, bool flag_only)
{
	sr_arena *a = sr_arena_new(8192);
	sr_json_limits limits = { 0 };
	sr_json_error je;
	sr_validation v;
	sr_json *instance;
	bool valid;

	if (sr_json_parse(&instance, a, d->text, d->len, &limits, &je) < 0) {
		sr_arena_free(a);
		return false;
	}
	memset(&v, 0, sizeof(v));
	v.arena = a;
	v.flag_only = flag_only;
	v.format_assertion = true;
	valid = schema->format->ops->validate(schema, instance, &v);
	if (!flag_only && !valid && v.count == 0) {
		fprintf(stderr, "bench-validate: invalid without an error: %s\n", d->text);
		exit(2);
	}
	sr_arena_free(a);
	return valid;
}

static void check_pass(const sr_parsed *schema, const docs *d, bool expect, bool flag_only)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (validate_one(schema, &d->v[i], flag_only) != expect) {
			fprintf(stderr, "bench-validate: document %zu was found %s (%s mode): %s\n",
				i + 1, expect ? "invalid" : "valid", flag_only ? "flag" : "full",
				d->v[i].text);
			exit(2);
		}
}

/* The measured passes: `passes` of them, or as many as fit in `seconds`.
 * Not inlined, so that callgrind can count only this (--toggle-collect). */
__attribute__((noinline)) static long measure(const sr_parsed *schema, const docs *d, bool expect,
					      bool flag_only, long passes, double seconds)
{
	double w0 = wall_s();
	long done = 0;

	for (;;) {
		check_pass(schema, d, expect, flag_only);
		done++;
		if (passes > 0 ? done >= passes : wall_s() - w0 >= seconds)
			return done;
	}
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return true;
		p += n;
	}
	return false;
}

int main(int argc, char **argv)
{
	double seconds = 1.0, warmup = 0.2;
	long passes = 0;
	const char *modes = "flag,full", *classes = "valid,invalid";
	sr_format_opts fopts = { 0 };
	const sr_format *fmt = sr_format_find("JSON");
	sr_arena *sa = sr_arena_new(0);
	sr_parsed schema;
	sr_err err = SR_ERR_INIT;
	size_t slen;
	char *stext;
	docs sets[2];
	const char *const class_names[2] = { "valid", "invalid" };
	const char *const mode_names[2] = { "flag", "full" };
	int opt, m, c;

	while ((opt = getopt(argc, argv, "t:n:w:m:c:")) != -1) {
		switch (opt) {
		case 't': seconds = atof(optarg); break;
		case 'n': passes = atol(optarg); break;
		case 'w': warmup = atof(optarg); break;
		case 'm': modes = optarg; break;
		case 'c': classes = optarg; break;
		default:
			fprintf(stderr, "usage: bench-validate [-t SECONDS] [-n PASSES] [-w SECONDS] "
					"[-m flag,full] [-c valid,invalid] SCHEMA VALID INVALID\n");
			return 1;
		}
	}
	if (argc - optind != 3)
		die("%s", "expected SCHEMA VALID.jsonl INVALID.jsonl");
	if (!fmt || !fmt->ops->validate)
		die("%s", "the JSON format has no validate op");

	stext = read_file(argv[optind], &slen);
	if (fmt->ops->parse(&schema, sa, stext, slen, NULL, 0, &fopts, &err) != 0)
		die("the schema does not compile: %s", sr_err_message(&err));
	sr_err_dispose(&err);
	sets[0] = read_lines(argv[optind + 1]);
	sets[1] = read_lines(argv[optind + 2]);

	/* Every verdict right in both modes before anything is timed. */
	for (c = 0; c < 2; c++) {
		check_pass(&schema, &sets[c], c == 0, true);
		check_pass(&schema, &sets[c], c == 0, false);
	}
	if (warmup > 0) {
		double end = wall_s() + warmup;

		while (wall_s() < end)
			for (c = 0; c < 2; c++)
				check_pass(&schema, &sets[c], c == 0, true);
	}

	for (m = 0; m < 2; m++) {
		if (!has_word(modes, mode_names[m]))
			continue;
		for (c = 0; c < 2; c++) {
			double w0, c0, w1, c1;
			long done;

			if (!has_word(classes, class_names[c]))
				continue;
			w0 = wall_s();
			c0 = cpu_s();
			done = measure(&schema, &sets[c], c == 0, m == 0, passes, seconds);
			w1 = wall_s();
			c1 = cpu_s();
			printf("RESULT mode=%s class=%s docs=%zu wall_us=%.0f cpu_us=%.0f\n",
			       mode_names[m], class_names[c], (size_t)done * sets[c].n,
			       (w1 - w0) * 1e6, (c1 - c0) * 1e6);
			fflush(stdout);
		}
	}

	for (c = 0; c < 2; c++) {
		size_t i;

		for (i = 0; i < sets[c].n; i++)
			free(sets[c].v[i].text);
		free(sets[c].v);
	}
	free(stext);
	sr_arena_free(sa);
	return 0;
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Finding the JSON value in a language model's output. Models wrap their
 * JSON in Markdown fences (```json ... ```), precede it with prose ("Here
 * is the result:") or follow it with explanations; the value itself is
 * parsed as strictly as any other JSON. Candidates are tried in order —
 * the whole text, fenced blocks, then objects and arrays embedded in
 * prose, each delimited by a string-aware bracket scan — and at most
 * MAX_CANDIDATES of them, so the cost stays linear in practice and bounded
 * always.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"

#include "json/json.h"

#define MAX_CANDIDATES 64

typedef struct finder {
	sr_arena *a;
	const char *text;
	size_t len;
	const sr_json_limits *limits;
	sr_json_error best;   /* the error of the most promising attempt */
	bool have_best;
	size_t best_reach;    /* how far into the text that attempt got */
	unsigned tried;
} finder;

static void position(const char *text, size_t offset, unsigned *line, unsigned *column)
{
	size_t i;

	*line = 1;
	*column = 1;
	for (i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*column = 1;
		} else {
			(*column)++;
		}
	}
}

static void free_scratch(void *a)
{
	sr_arena_free(a);
}

/* Try to parse text[start..start+n); remember the error that got furthest.
 * Each attempt parses into an arena of its own, freed when it fails: a
 * failed attempt may have built nodes for most of the text, and keeping
 * them for every candidate would multiply the memory of a request by the
 * number of candidates. The arena of the value found lives as long as the
 * caller's. */
static sr_json *attempt(finder *f, size_t start, size_t n)
{
	sr_arena *scratch = sr_arena_new(0);
	sr_json_error e;
	sr_json *v = NULL;
	size_t reach;

	f->tried++;
	if (sr_json_parse(&v, scratch, f->text + start, n, f->limits, &e) == 0) {
		sr_arena_cleanup_add(f->a, free_scratch, scratch);
		return v;
	}
	sr_arena_free(scratch);
	reach = start + e.offset;
	if (!f->have_best || reach > f->best_reach) {
		f->best = e;
		f->best.offset = reach;
		position(f->text, reach, &f->best.line, &f->best.column);
		f->best_reach = reach;
		f->have_best = true;
	}
	return NULL;
}

static void found(sr_json_found *where, const finder *f, const char *how, size_t start, size_t n)
{
	where->how = how;
	where->offset = start;
	where->length = n;
	position(f->text, start, &where->line, &where->column);
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Trim JSON whitespace from both ends of [*start, *start + *n). */
static void trim(const char *t, size_t *start, size_t *n)
{
	while (*n && is_ws(t[*start])) {
		(*start)++;
		(*n)--;
	}
	while (*n && is_ws(t[*start + *n - 1]))
		(*n)--;
}

/* The next ``` fence at or after `from`, or `len`. */
static size_t next_fence(const char *t, size_t len, size_t from)
{
	const char *p;

	if (from >= len)
		return len;
	p = memmem(t + from, len - from, "```", 3);
	return p ? (size_t)(p - t) : len;
}

/* Fenced blocks: ```lang\n ... ```. Returns the first that parses. */
static sr_json *try_fences(finder *f, sr_json_found *where)
{
	size_t open = next_fence(f->text, f->len, 0);

	while (open < f->len && f->tried < MAX_CANDIDATES) {
		const char *nl = memchr(f->text + open + 3, '\n', f->len - open - 3);
		size_t body, close, n;
		sr_json *v;

		if (!nl)
			return NULL;
		body = (size_t)(nl - f->text) + 1;
		close = next_fence(f->text, f->len, body);
		n = close - body;
		trim(f->text, &body, &n);
		if (n && (v = attempt(f, body, n)) != NULL) {
			found(where, f, "fenced", body, n);
			return v;
		}
		if (close >= f->len)
			return NULL;
		open = next_fence(f->text, f->len, close + 3);
	}
	return NULL;
}

/* The end (exclusive) of the bracketed value starting at `start`, found by
 * counting brackets outside strings; `len` when it never closes. */
static size_t bracket_end(const char *t, size_t len, size_t start)
{
	size_t i, depth = 0;
	bool in_string = false;

	for (i = start; i < len; i++) {
		char c = t[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth == 0)
				return i + 1;
		}
	}
	return len;
}

/* Objects and arrays embedded in prose, in order of appearance. */
static sr_json *try_embedded(finder *f, sr_json_found *where)
{
	size_t i = 0;

	while (i < f->len && f->tried < MAX_CANDIDATES) {
		size_t end;
		sr_json *v;

		if (f->text[i] != '{' && f->text[i] != '[') {
			i++;
			continue;
		}
		end = bracket_end(f->text, f->len, i);
		v = attempt(f, i, end - i);
		if (v) {
			found(where, f, "embedded", i, end - i);
			return v;
		}
		i++;
	}
	return NULL;
}

int sr_json_find_in_text(sr_json **out, sr_json_found *where, sr_arena *a, const char *text,
			 size_t len, const sr_json_limits *limits, sr_json_error *err)
{
	finder f = { a, text, len, limits, { 0 }, false, 0, 0 };
	size_t start = 0, n = len;

	trim(text, &start, &n);
	*out = n ? attempt(&f, start, n) : NULL;
	if (*out) {
		found(where, &f, "document", start, n);
		return 0;
	}
	*out = try_fences(&f, where);
	if (!*out)
		*out = try_embedded(&f, where);
	if (*out)
		return 0;
	if (err) {
		if (f.have_best) {
			*err = f.best;
		} else {
			memset(err, 0, sizeof(*err));
			err->line = 1;
			err->column = 1;
			snprintf(err->msg, sizeof(err->msg), "%s",
				 n ? "no JSON object or array found in the text" : "the text is empty");
		}
	}
	return SR_EINVALID;
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "http/negotiate.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *trim_end(const char *start, const char *p)
{
	while (p > start && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	return p;
}

/* Does the range `r[0..rlen)` ("a/b", "a/ *", "* / *") cover `type`?
 * Returns a specificity (3 exact, 2 subtype wildcard, 1 any) or 0. */
static int range_covers(const char *r, size_t rlen, const char *type)
{
	const char *slash = memchr(r, '/', rlen);
	size_t tlen = strlen(type), major;

	if (rlen == 3 && memcmp(r, "*/*", 3) == 0)
		return 1;
	if (!slash)
		return 0;
	major = (size_t)(slash - r);
	if (rlen == major + 2 && slash[1] == '*')
		return strncasecmp(r, type, major + 1) == 0 ? 2 : 0;
	return rlen == tlen && strncasecmp(r, type, tlen) == 0 ? 3 : 0;
}

/* q-value of one element's parameters "; q=0.5; level=1" (default 1). */
static double q_value(const char *params, const char *end)
{
	const char *p = params;

	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *next = semi ? semi + 1 : end;
		p = skip_space(p, next);
		if (next - p > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
			return strtod(p + 2, NULL);
		p = next;
	}
	return 1.0;
}

/* The client's q for `type`: from the most specific range that covers it. */
static double client_q(const char *accept, const char *type)
{
	const char *p = accept, *end = accept + strlen(accept);
	int best_spec = 0;
	double q = 0;

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *elem_end = comma ? comma : end;
		const char *semi = memchr(p, ';', (size_t)(elem_end - p));
		const char *range = skip_space(p, elem_end);
		const char *range_end = trim_end(range, semi ? semi : elem_end);
		int spec = range_covers(range, (size_t)(range_end - range), type);

		if (spec > best_spec) {
			best_spec = spec;
			q = semi ? q_value(semi + 1, elem_end) : 1.0;
		}
		p = comma ? comma + 1 : end;
	}
	return q;
}

const char *sr_http_negotiate(const char *accept, const char *const *offered)
{
	const char *best = NULL;
	double best_q = 0;
	size_t i;

	if (!accept || !*accept)
		return offered[0];
	for (i = 0; offered[i]; i++) {
		double q = client_q(accept, offered[i]);
		if (q > best_q) {
			best_q = q;
			best = offered[i];
		}
	}
	return best;
}

bool sr_http_media_type_in(const char *content_type, const char *const *accepted)
{
	const char *semi = strchr(content_type, ';');
	const char *start = skip_space(content_type, content_type + strlen(content_type));
	const char *end = trim_end(start, semi ? semi : content_type + strlen(content_type));
	size_t len = (size_t)(end - start), i;

	for (i = 0; accepted[i]; i++)
		if (strlen(accepted[i]) == len && strncasecmp(start, accepted[i], len) == 0)
			return true;
	return false;
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "http/router.h"

#include <string.h>

#include "core/error.h"

#define MAX_SEGMENTS 16

typedef struct segments {
	const char *ptr[MAX_SEGMENTS];
	size_t len[MAX_SEGMENTS];
	size_t n;
} segments;

/* Split "/a/b/c" into its segments; false when there are too many. A
 * trailing slash yields an empty last segment. */
static bool split(const char *path, segments *out)
{
	const char *p = path;

	out->n = 0;
	if (*p == '/')
		p++;
	if (*p == '\0')
		return true; /* the root */
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		if (out->n == MAX_SEGMENTS)
			return false;
		out->ptr[out->n] = p;
		out->len[out->n++] = len;
		if (!slash)
			return true;
		p = slash + 1;
	}
}

/* Does the pattern match the path's segments? Captures raw parameters. */
static bool pattern_matches(const char *pattern, const segments *path,
			    const char **raw, size_t *raw_len, size_t *nparams)
{
	segments pat;
	size_t i;

	if (!split(pattern, &pat) || pat.n != path->n)
		return false;
	*nparams = 0;
	for (i = 0; i < pat.n; i++) {
		if (pat.len[i] >= 2 && pat.ptr[i][0] == '{') {
			if (*nparams == SR_ROUTE_MAX_PARAMS)
				return false;
			raw[*nparams] = path->ptr[i];
			raw_len[(*nparams)++] = path->len[i];
			continue;
		}
		if (pat.len[i] != path->len[i] ||
		    memcmp(pat.ptr[i], path->ptr[i], pat.len[i]) != 0)
			return false;
	}
	return true;
}

int sr_router_match(const sr_route *routes, size_t n, sr_arena *a,
		    sr_http_method method, const char *path, sr_route_match *out)
{
	const char *raw[SR_ROUTE_MAX_PARAMS];
	size_t raw_len[SR_ROUTE_MAX_PARAMS], nparams, i, k;
	bool path_known = false;
	segments segs;

	memset(out, 0, sizeof(*out));
	if (!split(path, &segs))
		return SR_ENOTFOUND;
	for (i = 0; i < n; i++) {
		if (!pattern_matches(routes[i].pattern, &segs, raw, raw_len, &nparams))
			continue;
		path_known = true;
		if (routes[i].method != method)
			continue;
		for (k = 0; k < nparams; k++) {
			out->params[k] = sr_http_percent_decode(a, raw[k], raw_len[k], false,
								&out->param_lens[k]);
			if (!out->params[k])
				return SR_ETOOBIG;
		}
		out->nparams = nparams;
		out->route = &routes[i];
		return 0;
	}
	return path_known ? SR_EINVALID : SR_ENOTFOUND;
}

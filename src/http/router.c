/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "http/router.h"

#include <string.h>

#include "core/error.h"

/* Walk the pattern and the path together, one segment at a time: a
 * literal segment must be equal, a {param} segment captures the path's
 * segment (still escaped). True when both end together. */
static bool pattern_matches(const char *pat, const char *path, const char **raw,
			    size_t *raw_len, size_t *nparams)
{
	*nparams = 0;
	for (;;) {
		const char *pe, *se;
		size_t plen, slen;

		if (*pat == '\0' || *path == '\0')
			return *pat == *path;
		if (*pat != '/' || *path != '/')
			return false;
		pat++;
		path++;
		pe = strchrnul(pat, '/');
		se = strchrnul(path, '/');
		plen = (size_t)(pe - pat);
		slen = (size_t)(se - path);
		if (plen >= 2 && pat[0] == '{') {
			if (*nparams == SR_ROUTE_MAX_PARAMS)
				return false;
			raw[*nparams] = path;
			raw_len[(*nparams)++] = slen;
		} else if (plen != slen || memcmp(pat, path, plen) != 0) {
			return false;
		}
		pat = pe;
		path = se;
	}
}

int sr_router_match(const sr_route *routes, size_t n, sr_arena *a,
		    sr_http_method method, const char *path, sr_route_match *out)
{
	const char *raw[SR_ROUTE_MAX_PARAMS];
	size_t raw_len[SR_ROUTE_MAX_PARAMS], nparams, i, k;
	bool path_known = false;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		if (!pattern_matches(routes[i].pattern, path, raw, raw_len, &nparams))
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

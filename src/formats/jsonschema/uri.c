/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * URI reference resolution (RFC 3986 section 5), for $id, $ref and
 * $schema. Only the syntax matters here: nothing is ever fetched. Bases
 * may be relative (a schema without $id has the base ""; a referenced
 * schema's base is its reference name): the algorithm then works on the
 * path alone, which gives the same answer a client resolving against the
 * same relative name would. Also the percent-decoding of fragments
 * (JSON pointers, anchors), shared with the compatibility checker.
 */
#include <string.h>

#include "core/hash.h"
#include "formats/jsonschema/compiled.h"

typedef struct span {
	const char *p;
	size_t n;
	bool set;
} span;

typedef struct uri_parts {
	span scheme, authority, path, query, fragment;
} uri_parts;

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_scheme_char(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

/* Length of the scheme (without ':') at the start of s, or 0. */
static size_t scheme_len(const char *s, size_t n)
{
	size_t i;

	if (!n || !is_alpha(s[0]))
		return 0;
	for (i = 1; i < n && is_scheme_char(s[i]); i++)
		;
	return i < n && s[i] == ':' ? i : 0;
}

bool sr_js__uri_is_absolute(const char *uri, size_t len)
{
	return scheme_len(uri, len) > 0;
}

size_t sr_js__uri_strip_fragment(const char *uri, size_t len)
{
	const char *h = memchr(uri, '#', len);

	return h ? (size_t)(h - uri) : len;
}

static void split(uri_parts *u, const char *s, size_t n)
{
	size_t i = 0, j;

	memset(u, 0, sizeof(*u));
	j = scheme_len(s, n);
	if (j) {
		u->scheme = (span){ s, j, true };
		i = j + 1;
	}
	if (i + 1 < n && s[i] == '/' && s[i + 1] == '/') {
		i += 2;
		for (j = i; j < n && s[j] != '/' && s[j] != '?' && s[j] != '#'; j++)
			;
		u->authority = (span){ s + i, j - i, true };
		i = j;
	}
	for (j = i; j < n && s[j] != '?' && s[j] != '#'; j++)
		;
	u->path = (span){ s + i, j - i, true };
	i = j;
	if (i < n && s[i] == '?') {
		for (j = i + 1; j < n && s[j] != '#'; j++)
			;
		u->query = (span){ s + i + 1, j - i - 1, true };
		i = j;
	}
	if (i < n && s[i] == '#')
		u->fragment = (span){ s + i + 1, n - i - 1, true };
}

/* RFC 3986 5.2.4 remove_dot_segments, from `in` into out (room for in.n + 1). */
static size_t remove_dots(char *out, const char *in, size_t n)
{
	size_t o = 0, i = 0;

	while (i < n) {
		if (n - i >= 3 && memcmp(in + i, "../", 3) == 0) {
			i += 3;
		} else if (n - i >= 2 && memcmp(in + i, "./", 2) == 0) {
			i += 2;
		} else if (n - i >= 3 && memcmp(in + i, "/./", 3) == 0) {
			i += 2;
		} else if (n - i == 2 && memcmp(in + i, "/.", 2) == 0) {
			out[o++] = '/';
			i += 2;
		} else if (n - i >= 4 && memcmp(in + i, "/../", 4) == 0) {
			i += 3;
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if (n - i == 3 && memcmp(in + i, "/..", 3) == 0) {
			i += 3;
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			out[o++] = '/';
		} else if ((n - i == 1 && in[i] == '.') || (n - i == 2 && memcmp(in + i, "..", 2) == 0)) {
			i = n;
		} else {
			if (in[i] == '/')
				out[o++] = in[i++];
			while (i < n && in[i] != '/')
				out[o++] = in[i++];
		}
	}
	return o;
}

static void put_span(sr_buf *b, const span *s)
{
	sr_buf_put(b, s->p, s->n);
}

const char *sr_js__uri_resolve(sr_arena *a, const char *base, const char *ref, size_t ref_len)
{
	uri_parts B, R;
	sr_buf out = SR_BUF_INIT, path = SR_BUF_INIT;
	const span *scheme, *authority, *query;
	const char *res;
	char *clean;
	size_t n;

	split(&B, base, strlen(base));
	split(&R, ref, ref_len);
	if (R.scheme.set) {
		scheme = &R.scheme;
		authority = &R.authority;
		sr_buf_put(&path, R.path.p, R.path.n);
		query = &R.query;
	} else {
		scheme = &B.scheme;
		if (R.authority.set) {
			authority = &R.authority;
			sr_buf_put(&path, R.path.p, R.path.n);
			query = &R.query;
		} else {
			authority = &B.authority;
			if (R.path.n == 0) {
				sr_buf_put(&path, B.path.p, B.path.n);
				query = R.query.set ? &R.query : &B.query;
			} else {
				if (R.path.p[0] == '/') {
					sr_buf_put(&path, R.path.p, R.path.n);
				} else {
					/* merge (5.2.3) */
					if (B.authority.set && B.path.n == 0) {
						sr_buf_putc(&path, '/');
					} else {
						size_t k = B.path.n;
						while (k > 0 && B.path.p[k - 1] != '/')
							k--;
						sr_buf_put(&path, B.path.p, k);
					}
					sr_buf_put(&path, R.path.p, R.path.n);
				}
				query = &R.query;
			}
		}
	}
	if (scheme->set) {
		put_span(&out, scheme);
		sr_buf_putc(&out, ':');
	}
	if (authority->set) {
		sr_buf_puts(&out, "//");
		put_span(&out, authority);
	}
	clean = sr_arena_alloc(a, path.len + 1);
	n = path.len ? remove_dots(clean, path.ptr, path.len) : 0;
	/* A relative base keeps a leading "../" that has nothing to cancel. */
	if (!scheme->set && !authority->set && path.len >= 3 && memcmp(path.ptr, "../", 3) == 0)
		sr_buf_put(&out, path.ptr, path.len);
	else
		sr_buf_put(&out, clean, n);
	if (query->set) {
		sr_buf_putc(&out, '?');
		put_span(&out, query);
	}
	if (R.fragment.set && R.fragment.n) {
		sr_buf_putc(&out, '#');
		put_span(&out, &R.fragment);
	}
	res = sr_arena_strndup(a, out.ptr ? out.ptr : "", out.len);
	sr_buf_dispose(&out);
	sr_buf_dispose(&path);
	return res;
}

char *sr_jsonschema__percent_decode(sr_arena *a, const char *s, size_t n, size_t *out_len)
{
	char *out = sr_arena_alloc(a, n + 1);
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && sr_hex_digit(s[i + 1]) >= 0 && sr_hex_digit(s[i + 2]) >= 0) {
			out[o++] = (char)(sr_hex_digit(s[i + 1]) * 16 + sr_hex_digit(s[i + 2]));
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

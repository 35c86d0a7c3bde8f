/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "http/http.h"

#include <string.h>

#include "core/hash.h"

const char *sr_http_query(const sr_http_request *req, const char *key)
{
	size_t i;

	for (i = 0; i < req->nquery; i++)
		if (strcmp(req->query[i].key, key) == 0)
			return req->query[i].value;
	return NULL;
}

char *sr_http_percent_decode(sr_arena *a, const char *s, size_t len,
			     bool plus_is_space, size_t *out_len)
{
	char *out = sr_arena_alloc(a, len + 1);
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			int hi, lo;
			if (i + 2 >= len)
				return NULL;
			hi = sr_hex_digit(s[i + 1]);
			lo = sr_hex_digit(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			out[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (plus_is_space && s[i] == '+') {
			out[n++] = ' ';
		} else {
			out[n++] = s[i];
		}
	}
	out[n] = '\0';
	if (out_len)
		*out_len = n;
	return out;
}

const char *sr_http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

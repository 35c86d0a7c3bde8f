/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "core/utf8.h"

#include "core/error.h"

size_t sr_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned c = s[0];
	size_t n, i;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		v = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		v = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((n == 2 && v < 0x80) || (n == 3 && v < 0x800) || (n == 4 && v < 0x10000) ||
	    v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

bool sr_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = sr_utf8_decode(p + i, len - i, &cp);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

int sr_utf8_put_sanitized(sr_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = sr_utf8_decode(p + i, len - i, &cp);
		if (n) {
			i += n;
			continue;
		}
		if (sr_buf_put(out, s + start, i - start) < 0 ||
		    sr_buf_put(out, "\xef\xbf\xbd", 3) < 0)
			return SR_ETOOBIG;
		start = ++i;
	}
	return sr_buf_put(out, s + start, len - start);
}

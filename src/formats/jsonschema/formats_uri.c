/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * URIs and IRIs (RFC 3986 section 3 and appendix A, RFC 3987 section 2.2)
 * and URI templates (RFC 6570 section 2), by their ABNF:
 *
 *   URI           = scheme ":" hier-part [ "?" query ] [ "#" fragment ]
 *   hier-part     = "//" authority path-abempty / path-absolute
 *                   / path-rootless / path-empty
 *   relative-ref  = relative-part [ "?" query ] [ "#" fragment ]
 *   relative-part = "//" authority path-abempty / path-absolute
 *                   / path-noscheme / path-empty
 *   authority     = [ userinfo "@" ] host [ ":" port ]
 *   host          = IP-literal / IPv4address / reg-name
 *   IP-literal    = "[" ( IPv6address / IPvFuture ) "]"
 *
 * IRIs admit ucschar wherever URIs admit unreserved characters, and
 * iprivate in the query. The host is checked for syntax only (a reg-name
 * such as 999.999.999.999 is valid), IPv6 literals as strictly as the
 * ipv6 format; RFC 6874 zone ids are not accepted.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/utf8.h"
#include "formats/jsonschema/formats_internal.h"

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hex(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_unreserved(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static bool is_sub_delim(unsigned char c)
{
	return c && strchr("!$&'()*+,;=", c) != NULL;
}

/* RFC 3987 ucschar */
static bool is_ucschar(uint32_t c)
{
	if ((c >= 0xA0 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFEF))
		return true;
	/* %x10000-1FFFD / %x20000-2FFFD / ... / %xD0000-DFFFD, %xE1000-EFFFD */
	if (c >= 0x10000 && c <= 0xDFFFF)
		return (c & 0xFFFF) <= 0xFFFD;
	return c >= 0xE1000 && c <= 0xEFFFD;
}

/* RFC 3987 iprivate */
static bool is_iprivate(uint32_t c)
{
	return (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xF0000 && c <= 0xFFFFD) ||
	       (c >= 0x100000 && c <= 0x10FFFD);
}

typedef struct uri {
	const unsigned char *s;
	size_t len;
	bool iri;
} uri;

/*
 * The length of one element at s[i] made of: unreserved (and ucschar for
 * IRIs), pct-encoded, sub-delims when `sub`, the ASCII characters of
 * `extra`, and iprivate when `private`. 0 when none starts at s[i].
 */
static size_t element(const uri *u, size_t i, bool sub, const char *extra, bool private)
{
	unsigned char c = u->s[i];

	if (c == '%')
		return i + 2 < u->len && is_hex(u->s[i + 1]) && is_hex(u->s[i + 2]) ? 3 : 0;
	if (c < 0x80) {
		if (is_unreserved(c) || (sub && is_sub_delim(c)) || (c && strchr(extra, c)))
			return 1;
		return 0;
	}
	if (u->iri) {
		uint32_t cp;
		size_t n = sr_utf8_decode(u->s + i, u->len - i, &cp);

		if (n && (is_ucschar(cp) || (private && is_iprivate(cp))))
			return n;
	}
	return 0;
}

/* A run of elements over s[i..end): all of it, or false. */
static bool run(const uri *u, size_t i, size_t end, bool sub, const char *extra, bool private)
{
	while (i < end) {
		size_t n = element(u, i, sub, extra, private);

		if (!n || i + n > end)
			return false;
		i += n;
	}
	return true;
}

static bool ip_literal(const uri *u, size_t i, size_t end)
{
	const char *s = (const char *)u->s;
	size_t k;

	if (i < end && (s[i] == 'v' || s[i] == 'V')) {
		/* IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) */
		for (k = i + 1; k < end && is_hex(u->s[k]); k++)
			;
		if (k == i + 1 || k >= end || s[k] != '.' || k + 1 == end)
			return false;
		for (k++; k < end; k++)
			if (!is_unreserved(u->s[k]) && !is_sub_delim(u->s[k]) && s[k] != ':')
				return false;
		return true;
	}
	return sr_format__ipv6(s + i, end - i);
}

/* authority over s[i..end) */
static bool authority(const uri *u, size_t i, size_t end)
{
	const unsigned char *at = memchr(u->s + i, '@', end - i);
	size_t host, k;

	if (at) {
		if (!run(u, i, (size_t)(at - u->s), true, ":", false))
			return false;
		i = (size_t)(at - u->s) + 1;
	}
	host = i;
	if (i < end && u->s[i] == '[') {
		const unsigned char *close = memchr(u->s + i, ']', end - i);

		if (!close || !ip_literal(u, i + 1, (size_t)(close - u->s)))
			return false;
		i = (size_t)(close - u->s) + 1;
	} else {
		while (i < end && u->s[i] != ':')
			i++;
		if (!run(u, host, i, true, "", false))
			return false;
	}
	if (i == end)
		return true;
	if (u->s[i] != ':')
		return false;
	for (k = i + 1; k < end; k++)
		if (!is_digit(u->s[k]))
			return false;
	return true;
}

/* hier-part or relative-part, query and fragment, from s[i]. */
static bool rest(const uri *u, size_t i, bool relative)
{
	size_t end, k;

	end = i;
	while (end < u->len && u->s[end] != '?' && u->s[end] != '#')
		end++;
	if (end - i >= 2 && u->s[i] == '/' && u->s[i + 1] == '/') {
		size_t a = i + 2;

		k = a;
		while (k < end && u->s[k] != '/')
			k++;
		if (!authority(u, a, k))
			return false;
		i = k; /* path-abempty */
	} else if (relative && i < end && u->s[i] != '/') {
		/* path-noscheme: no ":" in the first segment */
		for (k = i; k < end && u->s[k] != '/'; k++)
			if (u->s[k] == ':')
				return false;
	}
	if (!run(u, i, end, true, ":@/", false))
		return false;
	i = end;
	if (i < u->len && u->s[i] == '?') {
		end = ++i;
		while (end < u->len && u->s[end] != '#')
			end++;
		if (!run(u, i, end, true, ":@/?", true))
			return false;
		i = end;
	}
	if (i < u->len) { /* "#" */
		if (!run(u, i + 1, u->len, true, ":@/?", false))
			return false;
	}
	return true;
}

/* The length of "scheme:" at the start, or 0. */
static size_t scheme(const uri *u)
{
	size_t i;

	if (!u->len || !is_alpha(u->s[0]))
		return 0;
	for (i = 1; i < u->len; i++) {
		unsigned char c = u->s[i];

		if (c == ':')
			return i + 1;
		if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.')
			return 0;
	}
	return 0;
}

static bool absolute(const char *s, size_t len, bool iri)
{
	uri u = { (const unsigned char *)s, len, iri };
	size_t n = scheme(&u);

	return n && rest(&u, n, false);
}

static bool reference(const char *s, size_t len, bool iri)
{
	uri u = { (const unsigned char *)s, len, iri };
	size_t n = scheme(&u);

	return n ? rest(&u, n, false) : rest(&u, 0, true);
}

bool sr_format__uri(const char *s, size_t len)
{
	return absolute(s, len, false);
}

bool sr_format__uri_reference(const char *s, size_t len)
{
	return reference(s, len, false);
}

bool sr_format__iri(const char *s, size_t len)
{
	return absolute(s, len, true);
}

bool sr_format__iri_reference(const char *s, size_t len)
{
	return reference(s, len, true);
}

/*
 * URI Template (RFC 6570 section 2):
 *   URI-Template  = *( literals / expression )
 *   expression    = "{" [ operator ] variable-list "}"
 *   operator      = "+" / "#" / "." / "/" / ";" / "?" / "&" / "=" / "," / "!" / "@" / "|"
 *   variable-list = varspec *( "," varspec )
 *   varspec       = varname [ ":" max-length / "*" ]
 *   varname       = varchar *( ["."] varchar ), varchar = ALPHA / DIGIT / "_" / pct-encoded
 *   max-length    = %x31-39 0*3DIGIT
 * Literals are any character but CTL, SP, DQUOTE, "%" (outside a
 * pct-encoded triplet), "<", ">", "\", "^", "`", "{", "|", "}"; non-ASCII
 * ones must be ucschar or iprivate. The apostrophe is admitted (the
 * ABNF's %x26 / %x28 leaves it out, its prose does not; the suite follows
 * the prose).
 */
static size_t varchar(const uri *u, size_t i)
{
	unsigned char c = u->s[i];

	if (is_alpha(c) || is_digit(c) || c == '_')
		return 1;
	if (c == '%' && i + 2 < u->len && is_hex(u->s[i + 1]) && is_hex(u->s[i + 2]))
		return 3;
	return 0;
}

static bool expression(const uri *u, size_t i, size_t end)
{
	if (i < end && u->s[i] && strchr("+#./;?&=,!@|", u->s[i]))
		i++;
	for (;;) {
		size_t n = i < end ? varchar(u, i) : 0;

		/* varname */
		if (!n)
			return false;
		i += n;
		while (i < end) {
			if (u->s[i] == '.' && i + 1 < end && varchar(u, i + 1))
				i++;
			n = varchar(u, i);
			if (!n)
				break;
			i += n;
		}
		/* modifier */
		if (i < end && u->s[i] == '*') {
			i++;
		} else if (i < end && u->s[i] == ':') {
			size_t start = ++i;

			if (i >= end || u->s[i] < '1' || u->s[i] > '9')
				return false;
			while (i < end && is_digit(u->s[i]))
				i++;
			if (i - start > 4)
				return false;
		}
		if (i == end)
			return true;
		if (u->s[i] != ',')
			return false;
		i++;
	}
}

bool sr_format__uri_template(const char *s, size_t len)
{
	uri u = { (const unsigned char *)s, len, true };
	size_t i = 0;

	while (i < len) {
		unsigned char c = u.s[i];

		if (c == '{') {
			const unsigned char *close = memchr(u.s + i, '}', len - i);

			if (!close || !expression(&u, i + 1, (size_t)(close - u.s)))
				return false;
			i = (size_t)(close - u.s) + 1;
		} else if (c == '%') {
			if (!(i + 2 < len && is_hex(u.s[i + 1]) && is_hex(u.s[i + 2])))
				return false;
			i += 3;
		} else if (c < 0x80) {
			if (c <= 0x20 || c == 0x7F || strchr("\"<>\\^`{|}", c))
				return false;
			i++;
		} else {
			uint32_t cp;
			size_t n = sr_utf8_decode(u.s + i, len - i, &cp);

			if (!n || !(is_ucschar(cp) || is_iprivate(cp)))
				return false;
			i += n;
		}
	}
	return true;
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * IP addresses, host names and e-mail addresses.
 *
 *  - ipv4: RFC 2673 dotted-quad, four decimal octets 0-255 without leading
 *    zeros (no inet_aton shorthands, hex or octal);
 *  - ipv6: RFC 4291 section 2.2 text forms, "::" at most once, a trailing
 *    dotted IPv4 (as strict as ipv4) counting for two groups; no zone id,
 *    no prefix length, no brackets;
 *  - hostname: RFC 1123 labels (letters, digits, hyphens inside, at most 63
 *    octets, 253 in all, no empty label, no trailing dot); a label that
 *    starts with "xn--" must be a valid IDNA2008 A-label;
 *  - idn-hostname: RFC 5890-5893: labels separated by "." or U+3002,
 *    U+FF0E, U+FF61; U-labels valid under IDNA2008, A-labels as above,
 *    other ASCII labels as in hostname but never with "--" in the third
 *    and fourth positions; the A-label form at most 63 octets a label and
 *    253 in all;
 *  - email / idn-email: RFC 5321 Mailbox (RFC 6531 for idn-email, where
 *    atext and qtext also admit any non-ASCII character): a dot-string or
 *    quoted-string local part of at most 64 octets, "@", and a hostname
 *    (idn-hostname, in NFC after normalization, for idn-email) or an
 *    address literal [IPv4] or [IPv6:...].
 *
 * IDNA2008 comes from libidn2 (idn2_register_u8: the code point
 * categories, NFC, hyphen and combining-mark rules, CONTEXTJ and CONTEXTO
 * rules, punycode and A-label round trip). What it does not check is done
 * here: the Bidi rule of RFC 5893 (libidn2 skips its rule 4, EN and AN
 * mixed in an RTL label) applied to every label of a domain name that has
 * a right-to-left label, with the Bidi classes from PCRE2's Unicode
 * tables; the length of the whole name in A-label form; the separators.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <idn2.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"
#include "core/utf8.h"
#include "formats/jsonschema/formats_internal.h"

#define MAX_LABEL 63
#define MAX_NAME 253
#define MAX_LOCAL 64
/* A label of more octets cannot have an A-label form of at most 63. */
#define MAX_ULABEL_BYTES 256

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* ---- IP addresses ----------------------------------------------------------- */

bool sr_format__ipv4(const char *s, size_t len)
{
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		size_t start = i;
		int v = 0;

		if (part > 0) {
			if (i >= len || s[i] != '.')
				return false;
			start = ++i;
		}
		while (i < len && is_digit(s[i]) && i - start < 3)
			v = v * 10 + (s[i++] - '0');
		if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
			return false;
	}
	return i == len;
}

bool sr_format__ipv6(const char *s, size_t len)
{
	size_t i = 0, groups = 0;
	bool compressed = false;

	if (len < 2)
		return false;
	if (s[0] == ':') {
		if (s[1] != ':')
			return false;
		compressed = true;
		i = 2;
		if (i == len)
			return true;
	}
	for (;;) {
		size_t j = i, k;

		while (j < len && s[j] != ':')
			j++;
		if (j == i)
			return false; /* empty group (":::" or a trailing ":") */
		if (memchr(s + i, '.', j - i)) {
			/* an embedded IPv4 address ends the address */
			if (j != len || !sr_format__ipv4(s + i, j - i))
				return false;
			groups += 2;
			break;
		}
		if (j - i > 4)
			return false;
		for (k = i; k < j; k++)
			if (!is_hex(s[k]))
				return false;
		groups++;
		if (j == len)
			break;
		if (j + 1 < len && s[j + 1] == ':') {
			if (compressed)
				return false;
			compressed = true;
			i = j + 2;
			if (i == len)
				break;
		} else {
			i = j + 1;
			if (i == len)
				return false;
		}
		if (groups > 8)
			return false;
	}
	return compressed ? groups <= 7 : groups == 8;
}

/* ---- Bidi rule (RFC 5893) ----------------------------------------------------- */

#define BC(x) "\\p{bc=" x "}"

static pthread_once_t bidi_once = PTHREAD_ONCE_INIT;
static pcre2_code *bidi_rtl_char; /* R, AL or AN: makes a domain name a Bidi one */
static pcre2_code *bidi_label;	  /* a label that satisfies the Bidi rule */

static void bidi_init(void)
{
	/* Rules 1-6: an RTL label starts with R or AL, holds only R AL AN EN
	 * ES CS ET ON BN NSM, never both EN and AN, and ends with R AL EN or
	 * AN (then NSMs); an LTR label starts with L, holds only L EN ES CS ET
	 * ON BN NSM, and ends with L or EN (then NSMs). */
	static const char rtl[] = "[" BC("R") BC("AL") BC("AN") "]";
	static const char label[] =
		"(?s)\\A(?:"
		"(?!.*" BC("EN") ".*" BC("AN") ")(?!.*" BC("AN") ".*" BC("EN") ")"
		"[" BC("R") BC("AL") "]"
		"(?:[" BC("R") BC("AL") BC("AN") BC("EN") BC("ES") BC("CS") BC("ET") BC("ON")
		BC("BN") BC("NSM") "]*[" BC("R") BC("AL") BC("EN") BC("AN") "])?"
		"|" BC("L") "(?:[" BC("L") BC("EN") BC("ES") BC("CS") BC("ET") BC("ON") BC("BN")
		BC("NSM") "]*[" BC("L") BC("EN") "])?"
		")" BC("NSM") "*\\z";
	int code;
	PCRE2_SIZE off;

	bidi_rtl_char = pcre2_compile((PCRE2_SPTR)rtl, sizeof(rtl) - 1, PCRE2_UTF, &code, &off, NULL);
	bidi_label = pcre2_compile((PCRE2_SPTR)label, sizeof(label) - 1, PCRE2_UTF, &code, &off,
				   NULL);
}

static bool pcre_search(const pcre2_code *re, const char *s, size_t len)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	bool found;

	if (!md)
		abort();
	found = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, NULL) >= 0;
	pcre2_match_data_free(md);
	return found;
}

/* ---- domain names ------------------------------------------------------------- */

typedef enum domain_mode {
	DOMAIN_ASCII, /* hostname */
	DOMAIN_IDN,   /* idn-hostname: U-labels must already be in NFC */
	DOMAIN_IDN_NFC, /* idn-email's domain: U-labels are normalized first */
} domain_mode;

/* The label separators of IDNA (RFC 3490 section 3.1), their UTF-8 length at s[i]. */
static size_t separator_len(const char *s, size_t len, size_t i, domain_mode mode)
{
	const unsigned char *u = (const unsigned char *)s + i;

	if (s[i] == '.')
		return 1;
	if (mode == DOMAIN_ASCII || len - i < 3)
		return 0;
	if ((u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x82) ||  /* U+3002 */
	    (u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x8E) ||  /* U+FF0E */
	    (u[0] == 0xEF && u[1] == 0xBD && u[2] == 0xA1))    /* U+FF61 */
		return 3;
	return 0;
}

typedef struct domain_check {
	size_t total;	 /* length in A-label form, separators included */
	bool bidi;	 /* some label holds an R, AL or AN character */
	char **ulabels;	 /* every label in U-label form (heap), for the Bidi rule */
	size_t n;
} domain_check;

/* Keep a label for the Bidi rule, which applies to every label once one is
 * right-to-left. An ASCII label cannot be: `ascii` skips the search, which
 * is most of the cost of checking an e-mail address or a host name. */
static void keep_ulabel(domain_check *d, char *ulabel, bool ascii)
{
	d->ulabels = sr_realloc(d->ulabels, (d->n + 1) * sizeof(*d->ulabels));
	d->ulabels[d->n++] = ulabel;
	if (!ascii && pcre_search(bidi_rtl_char, ulabel, strlen(ulabel)))
		d->bidi = true;
}

/* An LDH label (already known to be ASCII). */
static bool ascii_label(domain_check *d, const char *s, size_t n, domain_mode mode)
{
	char lower[MAX_LABEL + 1];
	size_t i;

	if (n > MAX_LABEL || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++) {
		if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '-')
			return false;
		lower[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	}
	lower[n] = '\0';
	d->total += n;
	if (n >= 4 && memcmp(lower, "xn--", 4) == 0) {
		/* An A-label: DNS names are case-insensitive, so is its check. */
		uint8_t *out = NULL;
		char *ulabel = NULL;

		if (idn2_register_u8(NULL, (const uint8_t *)lower, &out, 0) != IDN2_OK)
			return false;
		idn2_free(out);
		if (idn2_to_unicode_8z8z(lower, &ulabel, 0) != IDN2_OK)
			return false;
		keep_ulabel(d, ulabel, false);
		return true;
	}
	/* "--" in positions 3-4 is reserved for A-labels (RFC 5890 2.3.1). */
	if (mode != DOMAIN_ASCII && n >= 4 && lower[2] == '-' && lower[3] == '-')
		return false;
	keep_ulabel(d, sr_strndup(lower, n), true);
	return true;
}

/* A label with non-ASCII characters: an IDNA2008 U-label. */
static bool unicode_label(domain_check *d, const char *s, size_t n, domain_mode mode)
{
	char buf[MAX_ULABEL_BYTES + 1];
	uint8_t *alabel = NULL;
	char *ulabel = NULL;
	int rc;

	if (mode == DOMAIN_ASCII || n > MAX_ULABEL_BYTES || memchr(s, '\0', n) ||
	    !sr_utf8_valid(s, n))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	rc = idn2_register_u8((const uint8_t *)buf, NULL, &alabel,
			      mode == DOMAIN_IDN_NFC ? IDN2_NFC_INPUT : 0);
	if (rc != IDN2_OK)
		return false;
	d->total += strlen((const char *)alabel);
	/* the U-label as registered (normalized when NFC_INPUT was asked) */
	rc = idn2_to_unicode_8z8z((const char *)alabel, &ulabel, 0);
	idn2_free(alabel);
	if (rc != IDN2_OK)
		return false;
	keep_ulabel(d, ulabel, false);
	return true;
}

static bool domain_name(const char *s, size_t len, domain_mode mode)
{
	domain_check d = { 0, false, NULL, 0 };
	size_t i = 0, k;
	bool ok = len > 0;

	pthread_once(&bidi_once, bidi_init);
	if (!bidi_rtl_char || !bidi_label)
		return false;
	while (ok) {
		size_t start = i, sep = 0;
		bool ascii = true;

		while (i < len && !(sep = separator_len(s, len, i, mode))) {
			if ((unsigned char)s[i] >= 0x80)
				ascii = false;
			i++;
		}
		if (i == start) {
			ok = false; /* empty label: leading, trailing or doubled separator */
			break;
		}
		ok = ascii ? ascii_label(&d, s + start, i - start, mode)
			   : unicode_label(&d, s + start, i - start, mode);
		if (i == len)
			break;
		d.total++;
		i += sep;
		if (i == len)
			ok = false; /* trailing separator */
	}
	ok = ok && d.total <= MAX_NAME;
	/* RFC 5893 section 2: in a Bidi domain name every label obeys the Bidi rule. */
	for (k = 0; ok && d.bidi && k < d.n; k++)
		ok = pcre_search(bidi_label, d.ulabels[k], strlen(d.ulabels[k]));
	for (k = 0; k < d.n; k++)
		free(d.ulabels[k]);
	free(d.ulabels);
	return ok;
}

bool sr_format__hostname(const char *s, size_t len)
{
	return domain_name(s, len, DOMAIN_ASCII);
}

bool sr_format__idn_hostname(const char *s, size_t len)
{
	return domain_name(s, len, DOMAIN_IDN);
}

/* ---- e-mail addresses ---------------------------------------------------------- */

static bool is_atext(char c)
{
	return is_alpha(c) || is_digit(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* Length of a non-ASCII UTF-8 character at s[i] (idn-email), or 0. */
static size_t utf8_non_ascii(const char *s, size_t len, size_t i, bool idn)
{
	uint32_t cp;

	if (!idn || (unsigned char)s[i] < 0x80)
		return 0;
	return sr_utf8_decode((const unsigned char *)s + i, len - i, &cp);
}

/* The local part at the start of s; its length (up to "@"), or 0. */
static size_t local_part(const char *s, size_t len, bool idn)
{
	size_t i = 0, n;

	if (len && s[0] == '"') {
		/* Quoted-string: qtextSMTP (%d32-33 / %d35-91 / %d93-126) or quoted-pairSMTP */
		for (i = 1; i < len && s[i] != '"'; i++) {
			unsigned char c = (unsigned char)s[i];

			if (c == '\\') {
				if (i + 1 >= len || s[i + 1] < 32 || s[i + 1] > 126)
					return 0;
				i++;
			} else if (c >= 0x80) {
				n = utf8_non_ascii(s, len, i, idn);
				if (!n)
					return 0;
				i += n - 1;
			} else if (c < 32 || c > 126) {
				return 0;
			}
		}
		return i < len ? i + 1 : 0;
	}
	/* Dot-string: Atom *("." Atom) */
	for (;;) {
		size_t start = i;

		while (i < len) {
			if (is_atext(s[i])) {
				i++;
			} else if ((n = utf8_non_ascii(s, len, i, idn)) > 0) {
				i += n;
			} else {
				break;
			}
		}
		if (i == start)
			return 0;
		if (i < len && s[i] == '.') {
			i++;
			continue;
		}
		return i;
	}
}

static bool address_literal(const char *s, size_t len)
{
	if (len < 2 || s[0] != '[' || s[len - 1] != ']')
		return false;
	s++, len -= 2;
	if (len > 5 && strncasecmp(s, "IPv6:", 5) == 0)
		return sr_format__ipv6(s + 5, len - 5);
	return sr_format__ipv4(s, len);
}

static bool mailbox(const char *s, size_t len, bool idn)
{
	size_t local = local_part(s, len, idn);

	if (!local || local > MAX_LOCAL || local >= len || s[local] != '@')
		return false;
	s += local + 1;
	len -= local + 1;
	if (len && s[0] == '[')
		return address_literal(s, len);
	return domain_name(s, len, idn ? DOMAIN_IDN_NFC : DOMAIN_ASCII);
}

bool sr_format__email(const char *s, size_t len)
{
	return mailbox(s, len, false);
}

bool sr_format__idn_email(const char *s, size_t len)
{
	return mailbox(s, len, true);
}

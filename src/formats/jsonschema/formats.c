/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The `format` checkers by name and draft, and the small ones: JSON
 * pointers (RFC 6901), relative JSON pointers
 * (draft-handrews-relative-json-pointer-02), UUIDs (RFC 4122) and ECMA-262
 * regular expressions (regex.c). The others live in formats_dates.c,
 * formats_network.c and formats_uri.c.
 */
#include "formats/jsonschema/formats.h"

#include <string.h>

#include "formats/jsonschema/formats_internal.h"
#include "formats/jsonschema/regex.h"

/*
 * Which draft defines which format (the validation specifications'
 * "Defined formats" sections): draft 4 the first six, draft 6 adds the URI
 * reference, URI template and JSON pointer, draft 7 the dates and times,
 * the internationalized forms, relative JSON pointers and regex, 2019-09
 * duration and uuid.
 */
enum { D4, D6, D7, D2019, D2020 };

static const struct {
	const char *name;
	sr_format_checker check;
	int since;
} formats[] = {
	{ "date-time", sr_format__date_time, D4 },
	{ "email", sr_format__email, D4 },
	{ "hostname", sr_format__hostname, D4 },
	{ "ipv4", sr_format__ipv4, D4 },
	{ "ipv6", sr_format__ipv6, D4 },
	{ "uri", sr_format__uri, D4 },
	{ "uri-reference", sr_format__uri_reference, D6 },
	{ "uri-template", sr_format__uri_template, D6 },
	{ "json-pointer", sr_format__json_pointer, D6 },
	{ "date", sr_format__date, D7 },
	{ "time", sr_format__time, D7 },
	{ "idn-email", sr_format__idn_email, D7 },
	{ "idn-hostname", sr_format__idn_hostname, D7 },
	{ "iri", sr_format__iri, D7 },
	{ "iri-reference", sr_format__iri_reference, D7 },
	{ "relative-json-pointer", sr_format__relative_json_pointer, D7 },
	{ "regex", sr_format__regex, D7 },
	{ "duration", sr_format__duration, D2019 },
	{ "uuid", sr_format__uuid, D2019 },
};

sr_format_checker sr_format_checker_find(const char *name, int draft)
{
	int d;
	size_t i;

	switch (draft) {
	case 4:
		d = D4;
		break;
	case 6:
		d = D6;
		break;
	case 7:
		d = D7;
		break;
	case 2019:
		d = D2019;
		break;
	case 2020:
		d = D2020;
		break;
	default:
		return NULL;
	}
	if (!name)
		return NULL;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, name) == 0)
			return d >= formats[i].since ? formats[i].check : NULL;
	return NULL;
}

/* "" or "/" reference tokens, where "~" is only ever "~0" or "~1". */
bool sr_format__json_pointer(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return true;
	if (s[0] != '/')
		return false;
	for (i = 1; i < len; i++)
		if (s[i] == '~' && (i + 1 == len || (s[i + 1] != '0' && s[i + 1] != '1')))
			return false;
	return true;
}

/* non-negative-integer ( "#" / json-pointer ), no leading zeros. */
bool sr_format__relative_json_pointer(const char *s, size_t len)
{
	size_t i = 0;

	if (len == 0 || s[0] < '0' || s[0] > '9')
		return false;
	if (s[0] == '0')
		i = 1;
	else
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	if (i < len && s[i] == '#')
		return i + 1 == len;
	return sr_format__json_pointer(s + i, len - i);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* 8-4-4-4-12 hex digits, any case, any version and variant. */
bool sr_format__uuid(const char *s, size_t len)
{
	size_t i;

	if (len != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!is_hex(s[i])) {
			return false;
		}
	}
	return true;
}

bool sr_format__regex(const char *s, size_t len)
{
	return sr_regex_valid(s, len);
}

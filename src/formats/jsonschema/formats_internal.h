/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_FORMATS_JSONSCHEMA_FORMATS_INTERNAL_H
#define SR_FORMATS_JSONSCHEMA_FORMATS_INTERNAL_H

/*
 * The format checkers of formats.h, one per format, shared between
 * formats*.c (not a public interface: callers use sr_format_checker_find).
 * Each takes the UTF-8 string `s[0..len)` (no NUL terminator needed; NUL
 * bytes are ordinary, invalid characters) and says whether it is valid.
 */

#include <stdbool.h>
#include <stddef.h>

/* formats_dates.c: RFC 3339 */
bool sr_format__date_time(const char *s, size_t len);
bool sr_format__date(const char *s, size_t len);
bool sr_format__time(const char *s, size_t len);
bool sr_format__duration(const char *s, size_t len);

/* formats_network.c: RFC 2673/4291, 1123/5890-5893, 5321/6531 */
bool sr_format__ipv4(const char *s, size_t len);
bool sr_format__ipv6(const char *s, size_t len);
bool sr_format__hostname(const char *s, size_t len);
bool sr_format__idn_hostname(const char *s, size_t len);
bool sr_format__email(const char *s, size_t len);
bool sr_format__idn_email(const char *s, size_t len);

/* formats_uri.c: RFC 3986/3987, 6570 */
bool sr_format__uri(const char *s, size_t len);
bool sr_format__uri_reference(const char *s, size_t len);
bool sr_format__iri(const char *s, size_t len);
bool sr_format__iri_reference(const char *s, size_t len);
bool sr_format__uri_template(const char *s, size_t len);

/* formats.c: RFC 6901, relative JSON pointers, RFC 4122, ECMA-262 */
bool sr_format__json_pointer(const char *s, size_t len);
bool sr_format__relative_json_pointer(const char *s, size_t len);
bool sr_format__uuid(const char *s, size_t len);
bool sr_format__regex(const char *s, size_t len);

#endif

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_FORMATS_JSONSCHEMA_FORMATS_H
#define SR_FORMATS_JSONSCHEMA_FORMATS_H

/**
 * Checkers for the `format` keyword's values, used when format assertion
 * is switched on: date-time, date, time, duration, email, idn-email,
 * hostname, idn-hostname, ipv4, ipv6, uri, uri-reference, iri,
 * iri-reference, uri-template, json-pointer, relative-json-pointer, regex,
 * uuid — each by its RFC (3339, 5321/6531, 1123/5890-5893, 2673/4291,
 * 3986/3987, 6570, 6901, draft-handrews-relative-json-pointer, 4122) and
 * as the JSON-Schema-Test-Suite tests them. Unknown formats always pass
 * (the specification says so). Pure functions; thread-safe.
 */

#include <stdbool.h>
#include <stddef.h>

/** A format checker: is the UTF-8 string `s[0..len)` valid? */
typedef bool (*sr_format_checker)(const char *s, size_t len);

/**
 * The checker for format `name` as the given draft defines it (drafts
 * differ, e.g. "time" and "duration" are newer), or NULL when the format
 * is unknown to that draft. `draft` is 4, 6, 7, 2019 or 2020.
 */
sr_format_checker sr_format_checker_find(const char *name, int draft);

#endif

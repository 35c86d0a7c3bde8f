/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_HTTP_NEGOTIATE_H
#define SR_HTTP_NEGOTIATE_H

/** Content negotiation: Accept and Content-Type against media types offered. */

#include <stdbool.h>

/**
 * Choose the response type for `accept` (NULL or "" = anything) among
 * `offered` (NULL-terminated, server preference order): the highest
 * q-value wins, ties go to the server's order; wildcard ranges (any
 * type, or any subtype of a type) match. Returns an element of `offered`, or NULL when none is
 * acceptable (406).
 */
const char *sr_http_negotiate(const char *accept, const char *const *offered);

/**
 * Is the media type of `content_type` (parameters such as charset are
 * ignored, case-insensitive) one of `accepted` (NULL-terminated)?
 */
bool sr_http_media_type_in(const char *content_type, const char *const *accepted);

#endif

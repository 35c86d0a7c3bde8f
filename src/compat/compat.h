/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_COMPAT_COMPAT_H
#define SR_COMPAT_COMPAT_H

/**
 * The compatibility driver: the seven Confluent levels, written once, on
 * top of each format's reader/writer check (sr_format_ops.compatible).
 *
 *   BACKWARD  the new schema can read data written with the old one
 *   FORWARD   the old schema can read data written with the new one
 *   FULL      both
 *   *_TRANSITIVE  against every previous schema, else only the latest
 *
 * A previous schema of a different format is always incompatible.
 */

#include <stdbool.h>
#include <stddef.h>

#include "formats/format.h"

typedef enum sr_compat_level {
	SR_COMPAT_NONE = 0,
	SR_COMPAT_BACKWARD,
	SR_COMPAT_BACKWARD_TRANSITIVE,
	SR_COMPAT_FORWARD,
	SR_COMPAT_FORWARD_TRANSITIVE,
	SR_COMPAT_FULL,
	SR_COMPAT_FULL_TRANSITIVE,
} sr_compat_level;

/** Parse a level name (case-insensitive). false if unknown. */
bool sr_compat_level_parse(const char *s, sr_compat_level *out);

/** Upper-case name of a level, e.g. "BACKWARD_TRANSITIVE". */
const char *sr_compat_level_name(sr_compat_level level);

/** True for the *_TRANSITIVE levels. */
bool sr_compat_level_is_transitive(sr_compat_level level);

/**
 * Check `candidate` against `previous[0..n)` (oldest first) at `level`:
 * only previous[n-1] for non-transitive levels, all of them otherwise.
 * Appends every incompatibility to `report`; returns true if compatible.
 * With n == 0 or level NONE the answer is true.
 */
bool sr_compat_check(sr_compat_level level, const sr_parsed *candidate,
		     const sr_parsed *const *previous, size_t n,
		     sr_compat_report *report);

/**
 * One directed check of `candidate` against one `previous` schema at
 * `level` (the transitive flag is ignored). Used when the caller needs to
 * know which previous version failed.
 */
bool sr_compat_check_one(sr_compat_level level, const sr_parsed *candidate,
			 const sr_parsed *previous, sr_compat_report *report);

#endif

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "compat/compat.h"

#include <strings.h>

static const char *const level_names[] = {
	[SR_COMPAT_NONE] = "NONE",
	[SR_COMPAT_BACKWARD] = "BACKWARD",
	[SR_COMPAT_BACKWARD_TRANSITIVE] = "BACKWARD_TRANSITIVE",
	[SR_COMPAT_FORWARD] = "FORWARD",
	[SR_COMPAT_FORWARD_TRANSITIVE] = "FORWARD_TRANSITIVE",
	[SR_COMPAT_FULL] = "FULL",
	[SR_COMPAT_FULL_TRANSITIVE] = "FULL_TRANSITIVE",
};

bool sr_compat_level_parse(const char *s, sr_compat_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcasecmp(s, level_names[i]) == 0) {
			*out = (sr_compat_level)i;
			return true;
		}
	}
	return false;
}

const char *sr_compat_level_name(sr_compat_level level)
{
	return level_names[level];
}

bool sr_compat_level_is_transitive(sr_compat_level level)
{
	return level == SR_COMPAT_BACKWARD_TRANSITIVE ||
	       level == SR_COMPAT_FORWARD_TRANSITIVE ||
	       level == SR_COMPAT_FULL_TRANSITIVE;
}

static bool directed(const sr_parsed *reader, const sr_parsed *writer,
		     const char *reader_label, const char *writer_label,
		     sr_compat_report *report)
{
	report->reader_label = reader_label;
	report->writer_label = writer_label;
	return reader->format->ops->compatible(reader, writer, report);
}

bool sr_compat_check_one(sr_compat_level level, const sr_parsed *candidate,
			 const sr_parsed *previous, sr_compat_report *report)
{
	bool ok = true;

	if (level == SR_COMPAT_NONE)
		return true;
	if (candidate->format != previous->format) {
		sr_compat_report_add(report, "Incompatible because of different schema type");
		return false;
	}
	if (level != SR_COMPAT_FORWARD && level != SR_COMPAT_FORWARD_TRANSITIVE)
		ok = directed(candidate, previous, "new", "old", report) && ok;
	if (level != SR_COMPAT_BACKWARD && level != SR_COMPAT_BACKWARD_TRANSITIVE)
		ok = directed(previous, candidate, "old", "new", report) && ok;
	return ok;
}

bool sr_compat_check(sr_compat_level level, const sr_parsed *candidate,
		     const sr_parsed *const *previous, size_t n,
		     sr_compat_report *report)
{
	bool ok = true;
	size_t i, first;

	if (level == SR_COMPAT_NONE || n == 0)
		return true;
	first = sr_compat_level_is_transitive(level) ? 0 : n - 1;
	/* Newest first, as Confluent reports them. */
	for (i = n; i-- > first;)
		ok = sr_compat_check_one(level, candidate, previous[i], report) && ok;
	return ok;
}

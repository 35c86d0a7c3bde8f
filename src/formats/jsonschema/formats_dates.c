/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * RFC 3339 dates and times, and durations (RFC 3339 appendix A).
 *
 *   date-time = full-date ("T" / "t") full-time
 *   full-date = 4DIGIT "-" 2DIGIT "-" 2DIGIT      (a real calendar day)
 *   full-time = 2DIGIT ":" 2DIGIT ":" 2DIGIT ["." 1*DIGIT]
 *               ("Z" / "z" / ("+" / "-") 2DIGIT ":" 2DIGIT)
 *
 * Hours 00-23, minutes 00-59, seconds 00-60, offsets up to 23:59. A leap
 * second (:60) is valid only at 23:59:60 UTC, i.e. after applying the
 * offset (15:59:60-08:00 is valid, 23:59:60+01:00 is not); the date is not
 * checked against the leap-second table. A time without an offset is
 * invalid (RFC 3339 full-time). Digits are ASCII digits only.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "formats/jsonschema/formats_internal.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* `n` ASCII digits at s as a number, or -1. */
static int number(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool full_date(const char *s, size_t len)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	y = number(s, 4);
	m = number(s + 5, 2);
	d = number(s + 8, 2);
	if (y < 0 || m < 1 || m > 12 || d < 1)
		return false;
	return d <= days[m - 1] + (m == 2 && leap_year(y));
}

static bool full_time(const char *s, size_t len)
{
	int h, m, sec, oh = 0, om = 0, sign = 0, utc;
	size_t i = 8;

	if (len < 9 || s[2] != ':' || s[5] != ':')
		return false;
	h = number(s, 2);
	m = number(s + 3, 2);
	sec = number(s + 6, 2);
	if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60)
		return false;
	if (s[i] == '.') {
		size_t start = ++i;

		while (i < len && is_digit(s[i]))
			i++;
		if (i == start)
			return false;
	}
	if (i == len)
		return false; /* no offset */
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
		sign = 0;
	} else if ((s[i] == '+' || s[i] == '-') && len - i == 6 && s[i + 3] == ':') {
		sign = s[i] == '+' ? 1 : -1;
		oh = number(s + i + 1, 2);
		om = number(s + i + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return false;
	} else {
		return false;
	}
	if (sec == 60) {
		utc = ((h * 60 + m - sign * (oh * 60 + om)) % 1440 + 1440) % 1440;
		if (utc != 23 * 60 + 59)
			return false;
	}
	return true;
}

bool sr_format__date(const char *s, size_t len)
{
	return full_date(s, len);
}

bool sr_format__time(const char *s, size_t len)
{
	return full_time(s, len);
}

bool sr_format__date_time(const char *s, size_t len)
{
	return len > 11 && (s[10] == 'T' || s[10] == 't') && full_date(s, 10) &&
	       full_time(s + 11, len - 11);
}

/*
 * duration = "P" (dur-date / dur-time / dur-week), where
 *   dur-date = (dur-day / dur-month / dur-year) [dur-time]
 *   dur-year = 1*DIGIT "Y" [dur-month], dur-month = 1*DIGIT "M" [dur-day],
 *   dur-day = 1*DIGIT "D", dur-week = 1*DIGIT "W"
 *   dur-time = "T" (dur-hour / dur-minute / dur-second), with
 *   dur-hour = 1*DIGIT "H" [dur-minute], dur-minute = 1*DIGIT "M" [dur-second]
 * i.e. the units present form a run without gaps of Y M D (or W alone),
 * then after "T" a run without gaps of H M S. No fractions, no signs.
 */
static bool unit_run(const char *s, size_t len, size_t *i, const char *units)
{
	int last = -1; /* index in `units` of the previous component */

	while (*i < len && s[*i] != 'T') {
		size_t start = *i;
		const char *u;

		while (*i < len && is_digit(s[*i]))
			(*i)++;
		if (*i == start || *i == len)
			return false;
		u = s[*i] ? strchr(units, s[*i]) : NULL;
		if (!u || (last >= 0 && u - units != last + 1))
			return false;
		last = (int)(u - units);
		(*i)++;
	}
	return last >= 0;
}

bool sr_format__duration(const char *s, size_t len)
{
	size_t i = 1;
	bool date = false;

	if (len < 3 || s[0] != 'P')
		return false;
	/* weeks stand alone */
	if (s[len - 1] == 'W') {
		for (i = 1; i < len - 1; i++)
			if (!is_digit(s[i]))
				return false;
		return true;
	}
	if (s[1] != 'T') {
		if (!unit_run(s, len, &i, "YMD"))
			return false;
		date = true;
	}
	if (i == len)
		return date;
	i++; /* "T" */
	if (i == len || !unit_run(s, len, &i, "HMS"))
		return false;
	return i == len;
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "core/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"

static atomic_int log_level = SR_LOG_INFO;

static const char *const level_names[] = { "DEBUG", "INFO", "WARN", "ERROR" };

void sr_log_set_level(sr_log_level level)
{
	atomic_store(&log_level, (int)level);
}

bool sr_log_parse_level(const char *s, sr_log_level *out)
{
	int i;

	for (i = 0; i <= SR_LOG_ERROR; i++) {
		if (strcasecmp(s, level_names[i]) == 0) {
			*out = (sr_log_level)i;
			return true;
		}
	}
	if (strcasecmp(s, "warning") == 0) {
		*out = SR_LOG_WARN;
		return true;
	}
	return false;
}

bool sr_log_enabled(sr_log_level level)
{
	return (int)level >= atomic_load(&log_level);
}

static void put_timestamp(sr_buf *b)
{
	struct timespec ts;
	struct tm tm;
	char tmp[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S", &tm);
	sr_buf_printf(b, "\"ts\":\"%s.%03ldZ\"", tmp, ts.tv_nsec / 1000000);
}

void sr_log(sr_log_level level, const char *msg, const char *fields)
{
	sr_buf line = SR_BUF_INIT;
	size_t off = 0;

	if (!sr_log_enabled(level))
		return;
	sr_buf_putc(&line, '{');
	put_timestamp(&line);
	sr_buf_printf(&line, ",\"level\":\"%s\",\"msg\":", level_names[level]);
	sr_buf_put_json_string(&line, msg, strlen(msg));
	if (fields && *fields) {
		sr_buf_putc(&line, ',');
		sr_buf_puts(&line, fields);
	}
	sr_buf_puts(&line, "}\n");
	while (off < line.len) {
		ssize_t n = write(STDERR_FILENO, line.ptr + off, line.len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	sr_buf_dispose(&line);
}

void sr_logf(sr_log_level level, const char *fmt, ...)
{
	sr_buf msg = SR_BUF_INIT;
	va_list ap;

	if (!sr_log_enabled(level))
		return;
	va_start(ap, fmt);
	sr_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	sr_log(level, msg.ptr ? msg.ptr : "", NULL);
	sr_buf_dispose(&msg);
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_CORE_LOG_H
#define SR_CORE_LOG_H

/**
 * Structured logging: one JSON object per line on stderr, e.g.
 *   {"ts":"2026-11-28T07:40:50.123Z","level":"INFO","msg":"listening","port":8081}
 * Lines never interleave. By default each line is one write(2) to stderr;
 * a server calls sr_log_async_start() so that request threads only copy
 * their line into a buffer and a background thread writes whole batches
 * (one syscall for many lines). The buffer is bounded: when stderr cannot
 * keep up, loggers wait rather than lose lines. Thread-safe.
 */

#include <stdbool.h>

typedef enum sr_log_level {
	SR_LOG_DEBUG = 0,
	SR_LOG_INFO,
	SR_LOG_WARN,
	SR_LOG_ERROR,
} sr_log_level;

/** Lines below `level` are dropped. Default INFO. */
void sr_log_set_level(sr_log_level level);

/** Parse "debug", "info", "warn", "error" (any case). false if unknown. */
bool sr_log_parse_level(const char *s, sr_log_level *out);

/** Whether a line at `level` would be written. */
bool sr_log_enabled(sr_log_level level);

/**
 * Write one line with message `msg` (escaped here) and optional extra
 * members `fields`: a JSON fragment of comma-separated members such as
 * `"status":200,"route":"/subjects"` (inserted verbatim; may be NULL).
 */
void sr_log(sr_log_level level, const char *msg, const char *fields);

/**
 * Start the background writer. Until sr_log_async_stop(), lines are
 * queued; stop flushes everything and returns to direct writes.
 */
void sr_log_async_start(void);
void sr_log_async_stop(void);

/** sr_log() with a printf-formatted message and no extra members. */
void sr_logf(sr_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "core/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"

/* Queued bytes beyond which loggers wait for the writer thread. */
#define ASYNC_MAX_PENDING (4u << 20)

static atomic_int log_level = SR_LOG_INFO;

static const char *const level_names[] = { "DEBUG", "INFO", "WARN", "ERROR" };

/* The background writer: `pending` is filled by loggers and swapped out by
 * the writer thread under `lock`. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;    /* writer: there is something to write */
	pthread_cond_t drained; /* loggers: room again */
	sr_buf pending;
	pthread_t thread;
	bool running;
	bool stopping;
} async = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
	    PTHREAD_COND_INITIALIZER, SR_BUF_INIT, 0, false, false };

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

static void write_all(const char *p, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(STDERR_FILENO, p + off, len - off);
		if (n <= 0)
			return;
		off += (size_t)n;
	}
}

static void *async_writer(void *unused)
{
	sr_buf batch = SR_BUF_INIT, tmp;

	pthread_mutex_lock(&async.lock);
	for (;;) {
		while (async.pending.len == 0 && !async.stopping)
			pthread_cond_wait(&async.wake, &async.lock);
		if (async.pending.len == 0 && async.stopping)
			break;
		tmp = async.pending;
		async.pending = batch;
		batch = tmp;
		pthread_cond_broadcast(&async.drained);
		pthread_mutex_unlock(&async.lock);
		write_all(batch.ptr, batch.len);
		sr_buf_clear(&batch);
		pthread_mutex_lock(&async.lock);
	}
	pthread_mutex_unlock(&async.lock);
	sr_buf_dispose(&batch);
	return unused;
}

void sr_log_async_start(void)
{
	pthread_mutex_lock(&async.lock);
	if (!async.running) {
		async.stopping = false;
		async.running = pthread_create(&async.thread, NULL, async_writer, NULL) == 0;
	}
	pthread_mutex_unlock(&async.lock);
}

void sr_log_async_stop(void)
{
	pthread_mutex_lock(&async.lock);
	if (!async.running) {
		pthread_mutex_unlock(&async.lock);
		return;
	}
	async.stopping = true;
	pthread_cond_signal(&async.wake);
	pthread_mutex_unlock(&async.lock);
	pthread_join(async.thread, NULL);
	pthread_mutex_lock(&async.lock);
	async.running = false;
	sr_buf_dispose(&async.pending);
	pthread_mutex_unlock(&async.lock);
}

static void emit(const sr_buf *line)
{
	pthread_mutex_lock(&async.lock);
	if (!async.running) {
		pthread_mutex_unlock(&async.lock);
		write_all(line->ptr, line->len);
		return;
	}
	while (async.pending.len > ASYNC_MAX_PENDING && async.running)
		pthread_cond_wait(&async.drained, &async.lock);
	sr_buf_put(&async.pending, line->ptr, line->len);
	pthread_cond_signal(&async.wake);
	pthread_mutex_unlock(&async.lock);
}

/* "2026-11-28T07:40:50.123Z": the seconds part is formatted once per
 * second per thread; printf and strftime per line cost more than the
 * rest of a request. */
static void put_timestamp(sr_buf *b)
{
	static _Thread_local time_t cached_sec = -1;
	static _Thread_local char cached[24];
	struct timespec ts;
	char ms[5];
	long m;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != cached_sec) {
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		strftime(cached, sizeof(cached), "%Y-%m-%dT%H:%M:%S", &tm);
		cached_sec = ts.tv_sec;
	}
	m = ts.tv_nsec / 1000000;
	ms[0] = '.';
	ms[1] = (char)('0' + m / 100);
	ms[2] = (char)('0' + m / 10 % 10);
	ms[3] = (char)('0' + m % 10);
	ms[4] = 'Z';
	sr_buf_puts(b, "\"ts\":\"");
	sr_buf_puts(b, cached);
	sr_buf_put(b, ms, 5);
	sr_buf_putc(b, '"');
}

void sr_log(sr_log_level level, const char *msg, const char *fields)
{
	sr_buf line = SR_BUF_INIT;

	if (!sr_log_enabled(level))
		return;
	sr_buf_putc(&line, '{');
	put_timestamp(&line);
	sr_buf_puts(&line, ",\"level\":\"");
	sr_buf_puts(&line, level_names[level]);
	sr_buf_puts(&line, "\",\"msg\":");
	sr_buf_put_json_string(&line, msg, strlen(msg));
	if (fields && *fields) {
		sr_buf_putc(&line, ',');
		sr_buf_puts(&line, fields);
	}
	sr_buf_puts(&line, "}\n");
	emit(&line);
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

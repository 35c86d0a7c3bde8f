/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "tools/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/mem.h"

static int io_error(sr_err *err, const char *what, const char *path)
{
	return sr_err_set(err, SR_EUNAVAILABLE, SR_ERR_STORE, "%s %s: %s", what, path,
			  strerror(errno));
}

/* fsync the directory holding `path`, so that the rename is durable. */
static void sync_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? sr_strndup(path, slash == path ? 1 : (size_t)(slash - path))
			  : sr_strdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

static int dump_to_file(sr_storage *s, const char *path, sr_dump_stats *stats, sr_err *err)
{
	sr_buf tmp = SR_BUF_INIT;
	FILE *f;
	int rc;

	sr_buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	f = fopen(tmp.ptr, "w");
	if (!f) {
		rc = io_error(err, "cannot create", tmp.ptr);
		sr_buf_dispose(&tmp);
		return rc;
	}
	rc = sr_storage_dump(s, f, stats, err);
	if (rc == 0 && fsync(fileno(f)) != 0)
		rc = io_error(err, "cannot sync", tmp.ptr);
	if (fclose(f) != 0 && rc == 0)
		rc = io_error(err, "cannot write", tmp.ptr);
	if (rc == 0 && rename(tmp.ptr, path) != 0)
		rc = io_error(err, "cannot rename the dump to", path);
	if (rc == 0)
		sync_dir_of(path);
	else
		unlink(tmp.ptr);
	sr_buf_dispose(&tmp);
	return rc;
}

int sr_backup_to(const sr_config *cfg, const char *path, sr_dump_stats *stats, sr_err *err)
{
	sr_storage *s = NULL;
	int rc;

	rc = sr_storage_open_flags(&s, cfg->database_url, SR_STORAGE_OPEN_READER, err);
	rc = rc < 0 ? rc : sr_storage_check_ready(s, err);
	if (rc == 0)
		rc = strcmp(path, "-") == 0 ? sr_storage_dump(s, stdout, stats, err)
					    : dump_to_file(s, path, stats, err);
	sr_storage_close(s);
	return rc;
}

static int read_all(const char *path, sr_buf *out, sr_err *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (!f)
		return io_error(err, "cannot open", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sr_buf_put(out, chunk, n);
	if (ferror(f))
		rc = io_error(err, "cannot read", path);
	if (f != stdin)
		fclose(f);
	return rc;
}

int sr_restore_from(const sr_config *cfg, const char *path, sr_dump_stats *stats, sr_err *err)
{
	sr_buf dump = SR_BUF_INIT;
	sr_storage *s = NULL;
	sr_migration_status st;
	int rc;

	memset(stats, 0, sizeof(*stats));
	rc = read_all(path, &dump, err);
	rc = rc < 0 ? rc : sr_storage_open(&s, cfg->database_url, err);
	rc = rc < 0 ? rc : sr_storage_migration_status(s, &st, err);
	if (rc == 0 && st.applied == 0)
		rc = sr_storage_migrate(s, NULL, err);
	rc = rc < 0 ? rc : sr_storage_check_ready(s, err);
	rc = rc < 0 ? rc : sr_storage_restore(s, dump.ptr ? dump.ptr : "", dump.len, stats, err);
	sr_storage_close(s);
	sr_buf_dispose(&dump);
	return rc;
}

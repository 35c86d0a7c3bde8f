/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Fuzz target for the logical dump reader (storage/dump.c): any bytes as a
 * dump restored into an empty in-memory store. A dump that is refused must
 * leave the store empty (all or nothing); one that is accepted must dump
 * again to the same rows, and that dump must restore into another empty
 * store to the same rows again. Any mismatch aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/storage.h"

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "dump_restore: %s\n", what);
		abort();
	}
}

static sr_storage *empty_store(void)
{
	sr_storage *s = NULL;
	sr_err err = SR_ERR_INIT;

	check(sr_storage_open(&s, "mem:", &err) == 0 && sr_storage_migrate(s, NULL, &err) == 0,
	      "open mem:");
	sr_err_dispose(&err);
	return s;
}

/* The rows of `s` as a dump, without its header line (it holds a time). */
static char *rows_of(sr_storage *s, size_t *len)
{
	sr_dump_stats st;
	sr_err err = SR_ERR_INIT;
	char *buf = NULL, *body;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	check(f && sr_storage_dump(s, f, &st, &err) == 0, "dump");
	fclose(f);
	sr_err_dispose(&err);
	body = strchr(buf, '\n');
	check(body != NULL, "dump has a header line");
	*len = n - (size_t)(body + 1 - buf);
	memmove(buf, body + 1, *len);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sr_storage *s = empty_store(), *again;
	sr_dump_stats st;
	sr_err err = SR_ERR_INIT;
	char *first, *second, *dump;
	size_t first_len, second_len, dump_len;
	FILE *f;

	if (sr_storage_restore(s, (const char *)data, size, &st, &err) != 0) {
		first = rows_of(s, &first_len);
		/* Refused: nothing written but the closing counts line. */
		check(strncmp(first, "{\"type\":\"end\",\"schemas\":0,\"versions\":0,\"configs\":0,"
				     "\"modes\":0}", first_len - 1) == 0,
		      "a refused dump left rows behind");
		free(first);
		goto done;
	}
	first = rows_of(s, &first_len);
	dump = NULL;
	f = open_memstream(&dump, &dump_len);
	check(f && sr_storage_dump(s, f, &st, &err) == 0, "dump for the second restore");
	fclose(f);
	again = empty_store();
	check(sr_storage_restore(again, dump, dump_len, &st, &err) == 0,
	      "a dump we wrote does not restore");
	second = rows_of(again, &second_len);
	check(first_len == second_len && memcmp(first, second, first_len) == 0,
	      "restore(dump(x)) differs from x");
	free(first);
	free(second);
	free(dump);
	sr_storage_close(again);
done:
	sr_err_dispose(&err);
	sr_storage_close(s);
	return 0;
}

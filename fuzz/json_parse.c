/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Fuzz target for the JSON module: parse with a small depth limit; when the
 * input parses, its compact serialization must parse again to an equal
 * document that serializes identically, the sorted serialization must be
 * stable in the same way, and every value must be reachable by the JSON
 * pointer built from its path (tokens written by sr_json_pointer_put_token). Any mismatch aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "json/json.h"

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "json_parse: %s\n", what);
		abort();
	}
}

/* Every node must be found by its own pointer (duplicate keys are
 * impossible in parsed documents, so the pointer is unambiguous). The
 * depth is bounded by the parser's limit. */
static void check_pointers(const sr_json *root, const sr_json *v, sr_buf *ptr)
{
	size_t i, len = ptr->len;

	check(sr_json_pointer(root, ptr->ptr ? ptr->ptr : "", ptr->len) == v, "pointer lookup");
	if (v->type == SR_JSON_ARRAY) {
		for (i = 0; i < v->len && i < 64; i++) {
			sr_buf_printf(ptr, "/%zu", i);
			check_pointers(root, v->u.items[i], ptr);
			sr_buf_truncate(ptr, len);
		}
	} else if (v->type == SR_JSON_OBJECT) {
		for (i = 0; i < v->len && i < 64; i++) {
			const sr_json_member *m = &v->u.members[i];
			sr_buf_putc(ptr, '/');
			check(sr_json_pointer_put_token(ptr, m->key, m->key_len) == 0, "put token");
			check(sr_json_get(v, m->key) == m->value || memchr(m->key, 0, m->key_len),
			      "get by key");
			check(sr_json_getn(v, m->key, m->key_len) == m->value, "getn by key");
			check_pointers(root, m->value, ptr);
			sr_buf_truncate(ptr, len);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sr_arena *a = sr_arena_new(0);
	sr_json_limits lim = { 64 };
	sr_json_error err;
	sr_json *v, *w, *s;
	sr_buf out1 = SR_BUF_INIT, out2 = SR_BUF_INIT, sorted1 = SR_BUF_INIT,
	       sorted2 = SR_BUF_INIT, ptr = SR_BUF_INIT;

	if (sr_json_parse(&v, a, (const char *)data, size, &lim, &err) != 0) {
		check(v == NULL, "no root on error");
		check(err.offset <= size, "error offset within the input");
		check(err.line >= 1 && err.column >= 1, "error position");
		check(err.msg[0] != '\0', "error message");
		goto done;
	}
	check(sr_json_write(&out1, v) == 0, "write");
	check(out1.len <= size, "compact output is not longer than the input");
	check(sr_json_parse(&w, a, out1.ptr, out1.len, &lim, &err) == 0, "re-parse");
	check(sr_json_equal(v, w) && sr_json_equal(w, v), "re-parsed document is equal");
	check(sr_json_write(&out2, w) == 0, "write again");
	check(out1.len == out2.len && memcmp(out1.ptr, out2.ptr, out1.len) == 0,
	      "second serialization is identical");

	check(sr_json_write_sorted(&sorted1, v) == 0, "write sorted");
	check(sorted1.len == out1.len, "sorted output has the same length");
	check(sr_json_parse(&s, a, sorted1.ptr, sorted1.len, &lim, &err) == 0, "re-parse sorted");
	check(sr_json_equal(v, s), "sorted document is equal");
	check(sr_json_write_sorted(&sorted2, s) == 0, "write sorted again");
	check(sorted1.len == sorted2.len && memcmp(sorted1.ptr, sorted2.ptr, sorted1.len) == 0,
	      "sorted serialization is stable");

	check_pointers(v, v, &ptr);
done:
	sr_buf_dispose(&out1);
	sr_buf_dispose(&out2);
	sr_buf_dispose(&sorted1);
	sr_buf_dispose(&sorted2);
	sr_buf_dispose(&ptr);
	sr_arena_free(a);
	return 0;
}

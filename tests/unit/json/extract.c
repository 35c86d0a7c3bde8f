/* Unit tests for src/json/extract.c: finding JSON in model output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "json/json.h"

typedef struct found_case {
	const char *text;
	const char *how;
	const char *value; /* compact form of what must be found */
	unsigned line, column;
} found_case;

static const found_case cases[] = {
	{ "{\"a\":1}", "document", "{\"a\":1}", 1, 1 },
	{ "  \n [1, 2]\n", "document", "[1,2]", 2, 2 },
	{ "\"just a string\"", "document", "\"just a string\"", 1, 1 },
	{ "Here you go:\n```json\n{\"city\": \"Paris\"}\n```\nAnything else?", "fenced",
	  "{\"city\":\"Paris\"}", 3, 1 },
	{ "```\n[true]\n```", "fenced", "[true]", 2, 1 },
	/* A first fence that is not JSON is skipped. */
	{ "```python\nprint(1)\n```\nthen\n```json\n{\"ok\":true}\n```", "fenced",
	  "{\"ok\":true}", 6, 1 },
	{ "Sure! The answer is {\"temp\": 21.5, \"unit\": \"C\"} as requested.", "embedded",
	  "{\"temp\":21.5,\"unit\":\"C\"}", 1, 21 },
	/* Braces inside strings do not end the value; a broken first brace is skipped. */
	{ "Note {not json} but {\"s\": \"a } b { c\"} ok", "embedded", "{\"s\":\"a } b { c\"}", 1,
	  21 },
	{ "line one\nline two: [1, {\"x\": [2]}] end", "embedded", "[1,{\"x\":[2]}]", 2, 11 },
};

static void test_finds_values(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const found_case *c = &cases[i];
		sr_arena *a = sr_arena_new(0);
		sr_json *v = NULL;
		sr_json_found where;
		sr_json_error err;
		sr_buf b = SR_BUF_INIT;

		assert_int_equal(sr_json_find_in_text(&v, &where, a, c->text, strlen(c->text), NULL,
						      &err), 0);
		sr_json_write(&b, v);
		assert_string_equal(b.ptr, c->value);
		assert_string_equal(where.how, c->how);
		assert_int_equal(where.line, c->line);
		assert_int_equal(where.column, c->column);
		/* The reported span is exactly the value found. */
		assert_int_equal(sr_json_parse(&v, a, c->text + where.offset, where.length, NULL,
					       &err), 0);
		sr_buf_clear(&b);
		sr_json_write(&b, v);
		assert_string_equal(b.ptr, c->value);
		assert_true(!strchr(" \t\r\n", c->text[where.offset]));
		assert_true(!strchr(" \t\r\n", c->text[where.offset + where.length - 1]));
		sr_buf_dispose(&b);
		sr_arena_free(a);
	}
}

static void test_reports_the_best_failure(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *v = NULL;
	sr_json_found where;
	sr_json_error err;
	const char *text = "The result:\n{\"name\": \"Ada\", \"age\": }\nThanks";

	assert_int_equal(sr_json_find_in_text(&v, &where, a, text, strlen(text), NULL, &err),
			 SR_EINVALID);
	/* The truncated object got furthest: its error is at line 2. */
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 24);
	assert_int_equal(sr_json_find_in_text(&v, &where, a, "no json here", 12, NULL, &err),
			 SR_EINVALID);
	assert_int_equal(err.line, 1);
	assert_int_equal(sr_json_find_in_text(&v, &where, a, "   ", 3, NULL, &err), SR_EINVALID);
	assert_non_null(strstr(err.msg, "empty"));
	sr_arena_free(a);
}

static void test_bounded_on_hostile_text(void **state)
{
	sr_arena *a = sr_arena_new(0);
	size_t n = 200000, i;
	char *text = sr_arena_alloc(a, n);
	sr_json *v = NULL;
	sr_json_found where;
	sr_json_error err;

	/* Many openers that never close: each candidate scans to the end, so
	 * only the candidate cap keeps this linear. */
	for (i = 0; i < n; i++)
		text[i] = i % 2 ? '{' : 'x';
	assert_int_equal(sr_json_find_in_text(&v, &where, a, text, n, NULL, &err), SR_EINVALID);
	sr_arena_free(a);
}

static void test_failed_candidates_do_not_keep_their_nodes(void **state)
{
	sr_arena *a = sr_arena_new(0);
	size_t opens = 64, items = 20000, n = opens + 2 * items, i;
	char *text = malloc(n);
	sr_json *v = NULL;
	sr_json_found where;
	sr_json_error err;

	/* 64 arrays that never close, around 20,000 numbers: every candidate
	 * parses almost the whole text before it fails. What a request keeps
	 * must not grow with the number of candidates. */
	memset(text, '[', opens);
	for (i = 0; i < items; i++)
		memcpy(text + opens + 2 * i, "1,", 2);
	assert_int_equal(sr_json_find_in_text(&v, &where, a, text, n, NULL, &err), SR_EINVALID);
	assert_in_range(sr_arena_used(a), 0, n);
	/* A value found after failed candidates is intact. */
	free(text);
	text = strdup("[1, [2 and then [3, {\"k\": [4]}]");
	assert_int_equal(sr_json_find_in_text(&v, &where, a, text, strlen(text), NULL, &err), 0);
	assert_string_equal(where.how, "embedded");
	assert_int_equal(where.offset, 16);
	assert_int_equal(v->len, 2);
	assert_int_equal(v->u.items[1]->u.members[0].value->u.items[0]->type, SR_JSON_NUMBER);
	free(text);
	sr_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finds_values),
		cmocka_unit_test(test_reports_the_best_failure),
		cmocka_unit_test(test_bounded_on_hostile_text),
		cmocka_unit_test(test_failed_candidates_do_not_keep_their_nodes),
	};
	return cmocka_run_group_tests_name("json/extract", tests, NULL, NULL);
}

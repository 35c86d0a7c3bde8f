/*
 * Unit tests for src/formats/jsonschema/formats*.c: every
 * optional/format/ file of every draft of the JSON-Schema-Test-Suite
 * (vendored in tests/data/json-schema-test-suite/) run through
 * sr_format_checker_find, with counts per draft and format; which draft
 * knows which format; and cases the suite does not cover.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "formats/jsonschema/formats.h"
#include "json/json.h"
#include "test_util.h"

#define SUITE "tests/data/json-schema-test-suite/tests/"

static const struct {
	const char *dir;
	int draft;
} drafts[] = {
	{ "draft4", 4 }, { "draft6", 6 }, { "draft7", 7 }, { "draft2019-09", 2019 }, { "draft2020-12", 2020 },
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run one suite file; returns the number of failures (each one printed). */
static size_t run_file(const char *dir, int draft, const char *file, size_t *total)
{
	char path[512];
	sr_arena *a = sr_arena_new(0);
	const sr_json *doc;
	size_t g, t, failed = 0;

	snprintf(path, sizeof(path), SUITE "%s/optional/format/%s", dir, file);
	doc = load_json(a, path);
	for (g = 0; g < doc->len; g++) {
		const sr_json *group = doc->u.items[g];
		const char *format = sr_json_get_string(sr_json_get(group, "schema"), "format");
		const sr_json *tests = sr_json_get(group, "tests");
		sr_format_checker check = sr_format_checker_find(format, draft);

		for (t = 0; t < tests->len; t++) {
			const sr_json *test = tests->u.items[t];
			const sr_json *data = sr_json_get(test, "data");
			bool want = sr_json_get(test, "valid")->type == SR_JSON_TRUE, got;

			/* Formats apply to strings only; unknown formats always pass. */
			got = data->type != SR_JSON_STRING || !check || check(data->u.str, data->len);
			(*total)++;
			if (got != want) {
				printf("  FAIL %s %s: %s / %s\n", dir, file,
				       sr_json_get_string(group, "description"),
				       sr_json_get_string(test, "description"));
				failed++;
			}
		}
	}
	sr_arena_free(a);
	return failed;
}

static void test_suite(void **state)
{
	size_t d, grand = 0, grand_failed = 0;

	for (d = 0; d < sizeof(drafts) / sizeof(drafts[0]); d++) {
		char path[256], *files[64];
		size_t nfiles = 0, i, draft_total = 0, draft_failed = 0;
		DIR *dir;
		struct dirent *e;

		snprintf(path, sizeof(path), SUITE "%s/optional/format", drafts[d].dir);
		dir = opendir(path);
		if (!dir)
			fail_msg("cannot open %s (run the tests from the repository root)", path);
		while ((e = readdir(dir)) && nfiles < 64)
			if (strstr(e->d_name, ".json"))
				files[nfiles++] = strdup(e->d_name);
		closedir(dir);
		qsort(files, nfiles, sizeof(files[0]), cmp_str);
		for (i = 0; i < nfiles; i++) {
			size_t total = 0, failed = run_file(drafts[d].dir, drafts[d].draft, files[i], &total);

			printf("%-13s %-28s %3zu/%3zu\n", drafts[d].dir, files[i], total - failed, total);
			draft_total += total;
			draft_failed += failed;
			free(files[i]);
		}
		printf("%-13s %-28s %3zu/%3zu\n", drafts[d].dir, "(all formats)",
		       draft_total - draft_failed, draft_total);
		grand += draft_total;
		grand_failed += draft_failed;
	}
	printf("optional/format, all drafts: %zu/%zu passed\n", grand - grand_failed, grand);
	assert_true(grand > 2000);
	assert_int_equal(grand_failed, 0);
}

static void test_drafts(void **state)
{
	/* known since the draft that defines it, unknown before */
	assert_non_null(sr_format_checker_find("date-time", 4));
	assert_non_null(sr_format_checker_find("uri", 4));
	assert_null(sr_format_checker_find("uri-reference", 4));
	assert_non_null(sr_format_checker_find("uri-reference", 6));
	assert_non_null(sr_format_checker_find("json-pointer", 6));
	assert_null(sr_format_checker_find("regex", 6));
	assert_null(sr_format_checker_find("date", 6));
	assert_non_null(sr_format_checker_find("regex", 7));
	assert_non_null(sr_format_checker_find("idn-hostname", 7));
	assert_non_null(sr_format_checker_find("relative-json-pointer", 7));
	assert_null(sr_format_checker_find("duration", 7));
	assert_null(sr_format_checker_find("uuid", 7));
	assert_non_null(sr_format_checker_find("duration", 2019));
	assert_non_null(sr_format_checker_find("uuid", 2020));
	assert_null(sr_format_checker_find("unknown", 2020));
	assert_null(sr_format_checker_find("Date-Time", 2020));
	assert_null(sr_format_checker_find(NULL, 2020));
	assert_null(sr_format_checker_find("date-time", 5));
}

static bool check(const char *format, const char *s)
{
	sr_format_checker c = sr_format_checker_find(format, 2020);

	assert_non_null(c);
	return c(s, strlen(s));
}

static bool checkn(const char *format, const char *s, size_t len)
{
	sr_format_checker c = sr_format_checker_find(format, 2020);

	assert_non_null(c);
	return c(s, len);
}

/* Cases beyond the suite (and regressions). */
static void test_more(void **state)
{
	/* dates and times */
	assert_true(check("date-time", "2016-12-31T23:59:60Z"));
	assert_true(check("date-time", "2017-01-01T00:59:60+01:00"));
	assert_false(check("date-time", "2017-01-01T00:59:60-01:00"));
	assert_false(check("date-time", "2020-01-01T00:00:00.Z"));
	assert_false(check("date-time", "2020-01-01T00:00:00+01:00:00"));
	assert_false(check("date-time", "2020-01-01 00:00:00Z"));
	assert_true(check("time", "00:00:00.000000000000000001+23:59"));
	assert_false(check("time", "00:00:00+24:00"));
	assert_true(check("date", "2000-02-29"));
	assert_false(check("date", "1900-02-29"));
	/* durations */
	assert_true(check("duration", "P1Y2M3DT4H5M6S"));
	assert_true(check("duration", "P7W"));
	assert_false(check("duration", "PW"));
	assert_false(check("duration", "P1DT"));
	assert_false(check("duration", "P1M1Y"));
	assert_false(check("duration", "PT1S1M"));
	assert_false(check("duration", "p1d"));
	/* addresses */
	assert_true(check("ipv4", "1.2.3.4"));
	assert_false(check("ipv4", "1.2.3.04"));
	assert_false(check("ipv4", "1.2.3.4.5"));
	assert_false(check("ipv4", "1234.2.3.4"));
	assert_true(check("ipv6", "1:2:3:4:5:6:7::"));
	assert_true(check("ipv6", "::1.2.3.4"));
	assert_true(check("ipv6", "1:2:3:4:5:6:1.2.3.4"));
	assert_false(check("ipv6", "1:2:3:4:5:6:7:1.2.3.4"));
	assert_false(check("ipv6", "1:2:3:4:5:6:7:8::"));
	assert_false(check("ipv6", ":::"));
	assert_false(check("ipv6", "1.2.3.4::"));
	assert_false(check("ipv6", "g::"));
	/* host names */
	assert_true(check("hostname", "ab--cd.example"));
	assert_true(check("hostname", "EXAMPLE.com"));
	assert_true(check("hostname", "XN--BCHER-KVA.example"));
	assert_false(check("hostname", "b\xc3\xbc""cher.example"));
	assert_true(check("idn-hostname", "b\xc3\xbc""cher.example"));
	assert_false(check("idn-hostname", "ab--cd.example"));
	assert_false(check("idn-hostname", "Bu\xcc\x88""cher.example")); /* not NFC */
	assert_true(check("idn-email", "user@bu\xcc\x88""cher.example"));
	assert_false(checkn("hostname", "a\0b", 3));
	assert_false(checkn("idn-hostname", "\xc3\xbc\0", 3));
	assert_false(checkn("date", "2020-01-01\0", 11));
	assert_false(checkn("uri", "http://a\0/", 10));
	assert_true(checkn("json-pointer", "/a\0", 3));
	/* e-mail */
	assert_true(check("email", "\"\\\"\"@example.com"));
	assert_false(check("email", "\"unterminated@example.com"));
	assert_false(check("email", "a@[IPv6:1.2.3.4]"));
	assert_false(check("email", "a@[tag:content]"));
	assert_false(check("email", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com"));
	assert_false(check("email", "\xc3\xa9@example.com"));
	assert_true(check("idn-email", "\xc3\xa9@example.com"));
	/* URIs */
	assert_true(check("uri", "http://[v7.x:y]/"));
	assert_true(check("uri", "http://"));
	assert_true(check("uri", "a+b-c.d:"));
	assert_false(check("uri", "http://[fe80::1%25eth0]/"));
	assert_false(check("uri", "http://[::1]x/"));
	assert_false(check("uri", "http://h/#a#b"));
	assert_true(check("uri", "http://h/?a?b/c#d?e/f"));
	assert_false(check("iri", "http://h/\xee\x80\x80"));	/* iprivate outside the query */
	assert_true(check("iri", "http://h/?\xee\x80\x80"));
	assert_true(check("uri-reference", "a/b:c"));
	assert_false(check("uri-reference", "a:b c"));
	/* URI templates */
	assert_true(check("uri-template", "{=var}"));
	assert_true(check("uri-template", "{var:9999,x*}"));
	assert_false(check("uri-template", "{"));
	assert_false(check("uri-template", "{var*:1}"));
	assert_false(check("uri-template", "{.}"));
	assert_false(check("uri-template", "{a.}"));
	/* pointers, uuid */
	assert_true(check("json-pointer", "/~0~1"));
	assert_false(check("relative-json-pointer", "0#/"));
	assert_true(check("relative-json-pointer", "10"));
	assert_false(check("uuid", "2eb8aa08-aa98-11ea-b4aa-73b441d1638g"));
	/* regex */
	assert_true(check("regex", "^[a-z]+$"));
	assert_false(check("regex", "["));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suite),
		cmocka_unit_test(test_drafts),
		cmocka_unit_test(test_more),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The JSON-Schema-Test-Suite (tests/data/json-schema-test-suite) against
 * the JSON format's parse and validate ops, for drafts 4, 6, 7, 2019-09
 * and 2020-12.
 *
 * Every group's schema is compiled once (from its text, written back from
 * the suite file), the draft of the directory being the default dialect;
 * the suite's remotes (http://localhost:1234/...) are read from
 * remotes/ on disk through the compiler's resolver hook, the meta-schemas
 * come from the embedded copies: nothing touches the network. Each test
 * document is validated twice, with errors collected and flag-only, and
 * both verdicts must match the expected one.
 *
 * Required tests (outside optional/) must all pass; the optional ones
 * (optional/, with format assertion switched on under optional/format/)
 * are counted and printed. Counts per draft go to stdout and to
 * docs/conformance.md by hand.
 *
 * Run one draft alone: CMOCKA_TEST_ABORT... or `suite draft7` (argument =
 * directory name).
 */
#include "test_validator_helpers.c"

#include <dirent.h>

typedef struct counts {
	size_t req_total, req_passed;
	size_t opt_total, opt_passed;
	size_t fmt_total, fmt_passed;
} counts;

typedef struct draft_dir {
	const char *dir;
	const char *dialect;
} draft_dir;

static const draft_dir drafts[] = {
	{ "draft4", "http://json-schema.org/draft-04/schema#" },
	{ "draft6", "http://json-schema.org/draft-06/schema#" },
	{ "draft7", "http://json-schema.org/draft-07/schema#" },
	{ "draft2019-09", "https://json-schema.org/draft/2019-09/schema" },
	{ "draft2020-12", "https://json-schema.org/draft/2020-12/schema" },
};

static bool verbose;

/* The remotes: texts read for one compilation, freed after it. */
typedef struct remotes {
	char *texts[64];
	size_t n;
} remotes;

static const char *resolve_remote(void *ctx, const char *uri, size_t *len)
{
	static const char prefix[] = "http://localhost:1234/";
	remotes *r = ctx;
	char path[1024];
	char *text;

	if (strncmp(uri, prefix, sizeof(prefix) - 1) != 0 || r->n == 64)
		return NULL;
	snprintf(path, sizeof(path), SUITE_DIR "/remotes/%s", uri + sizeof(prefix) - 1);
	text = read_file(path, len);
	if (text)
		r->texts[r->n++] = text;
	return text;
}

static void remotes_free(remotes *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->texts[i]);
	r->n = 0;
}

static void run_file(const char *draft, const char *dialect, const char *path, bool optional,
		     bool formats, counts *cnt)
{
	size_t g, t;
	sr_arena *a = sr_arena_new(1 << 16);
	const sr_json *groups = load_json(a, path);

	for (g = 0; g < groups->len; g++) {
		const sr_json *group = groups->u.items[g];
		const sr_json *tests = sr_json_get(group, "tests");
		sr_buf schema_text = SR_BUF_INIT;
		sr_format_opts opts = { 1000, 1u << 24, dialect };
		remotes rem = { { 0 }, 0 };
		sr_js_compile_opts copts = { &opts, resolve_remote, &rem, false };
		sr_js_source src;
		sr_js_schema *s = NULL;
		sr_err err = SR_ERR_INIT;
		sr_arena *sa = sr_arena_new(0);
		int rc;

		sr_json_write(&schema_text, sr_json_get(group, "schema"));
		src.name = "";
		src.text = schema_text.ptr;
		src.len = schema_text.len;
		rc = sr_js__compile(&s, sa, &src, 1, &copts, &err);
		for (t = 0; t < tests->len; t++) {
			const sr_json *test = tests->u.items[t];
			bool expect = sr_json_get(test, "valid")->type == SR_JSON_TRUE;
			bool got = false, got_flag = false, pass;
			sr_validation v;
			sr_arena *va = sr_arena_new(0);

			if (rc == 0) {
				memset(&v, 0, sizeof(v));
				v.arena = va;
				v.format_assertion = formats;
				got = sr_js__validate(s, s->root, sr_json_get(test, "data"), &v);
				if (got != (v.count == 0))
					printf("  %s: verdict %d with %zu errors\n", path, got, v.count);
				memset(&v, 0, sizeof(v));
				v.arena = va;
				v.flag_only = true;
				v.format_assertion = formats;
				got_flag = sr_js__validate(s, s->root, sr_json_get(test, "data"), &v);
			}
			pass = rc == 0 && got == expect && got_flag == expect;
			if (!optional) {
				cnt->req_total++;
				cnt->req_passed += pass;
			} else if (formats) {
				cnt->fmt_total++;
				cnt->fmt_passed += pass;
			} else {
				cnt->opt_total++;
				cnt->opt_passed += pass;
			}
			if (!pass && (!optional || verbose))
				printf("  FAIL %s %s | %s | %s: %s\n", draft, path + strlen(SUITE_DIR "/tests/"),
				       sr_json_get_string(group, "description"),
				       sr_json_get_string(test, "description"),
				       rc ? sr_err_message(&err)
				       : got != got_flag ? "flag-only verdict differs"
							 : (expect ? "rejected" : "accepted"));
			sr_arena_free(va);
		}
		sr_err_dispose(&err);
		sr_buf_dispose(&schema_text);
		sr_arena_free(sa);
		remotes_free(&rem);
	}
	sr_arena_free(a);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void run_dir(const draft_dir *d, const char *sub, bool optional, bool formats, counts *cnt)
{
	char dir[512];
	char *names[256];
	size_t n = 0, i;
	DIR *dh;
	struct dirent *e;

	snprintf(dir, sizeof(dir), SUITE_DIR "/tests/%s%s", d->dir, sub);
	dh = opendir(dir);
	if (!dh)
		fail_msg("cannot open %s (run the tests from the repository root)", dir);
	while ((e = readdir(dh)) && n < 256) {
		size_t l = strlen(e->d_name);
		if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(dh);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		run_file(d->dir, d->dialect, path, optional, formats, cnt);
		free(names[i]);
	}
}

static counts totals[5];

static void run_draft(size_t k)
{
	counts *c = &totals[k];

	memset(c, 0, sizeof(*c));
	run_dir(&drafts[k], "", false, false, c);
	run_dir(&drafts[k], "/optional", true, false, c);
	run_dir(&drafts[k], "/optional/format", true, true, c);
	printf("%-13s required %4zu/%-4zu  optional %3zu/%-3zu  optional/format %3zu/%-3zu\n",
	       drafts[k].dir, c->req_passed, c->req_total, c->opt_passed, c->opt_total, c->fmt_passed,
	       c->fmt_total);
	assert_true(c->req_total > 0);
	assert_int_equal(c->req_passed, c->req_total);
}

static void test_draft4(void **state)
{
	run_draft(0);
}

static void test_draft6(void **state)
{
	run_draft(1);
}

static void test_draft7(void **state)
{
	run_draft(2);
}

static void test_draft2019_09(void **state)
{
	run_draft(3);
}

static void test_draft2020_12(void **state)
{
	run_draft(4);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest all[] = {
		cmocka_unit_test(test_draft4),	     cmocka_unit_test(test_draft6),
		cmocka_unit_test(test_draft7),	     cmocka_unit_test(test_draft2019_09),
		cmocka_unit_test(test_draft2020_12),
	};
	verbose = getenv("SUITE_VERBOSE") != NULL;
	(void)argc;
	(void)argv;
	return cmocka_run_group_tests(all, NULL, NULL);
}

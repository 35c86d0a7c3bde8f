/*
 * Unit tests for src/formats/jsonschema/regex.c: the ECMA-262 → PCRE2
 * translation, matching semantics where the two dialects differ, what
 * ECMA-262 (Unicode mode) rejects, the JSON-Schema-Test-Suite's regex
 * expectations (optional/ecmascript-regex.json, optional/non-bmp-regex.json,
 * optional/format/regex.json and optional/format/ecmascript-regex.json of
 * every draft, vendored in tests/data/json-schema-test-suite/), bounded
 * matching of catastrophic patterns, and concurrent searches.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "formats/jsonschema/regex.h"
#include "json/json.h"
#include "test_util.h"

#define SUITE "tests/data/json-schema-test-suite/tests/"

static const char *const drafts[] = { "draft4", "draft6", "draft7", "draft2019-09",
				      "draft2020-12" };

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static sr_regex *must_compile(const char *pattern)
{
	sr_regex *re = NULL;
	sr_err err = SR_ERR_INIT;

	if (sr_regex_compile(&re, pattern, strlen(pattern), &err) != 0)
		fail_msg("/%s/ does not compile: %s", pattern, err.msg.ptr);
	sr_err_dispose(&err);
	return re;
}

static sr_regex_result search(const char *pattern, const char *subject, size_t len)
{
	sr_regex *re = must_compile(pattern);
	sr_regex_result r = sr_regex_search(re, subject, len);

	sr_regex_free(re);
	return r;
}

/* ---- translation ------------------------------------------------------------ */

static void test_translation(void **state)
{
	static const struct {
		const char *ecma, *pcre;
	} cases[] = {
		{ "abc", "abc" },
		{ "^a$", "\\Aa\\z" },
		{ "a.b", "a[^\\n\\r\\x{2028}\\x{2029}]b" },
		{ "\\d\\D", "[0-9][\\x{0}-\\x{2F}\\x{3A}-\\x{10FFFF}]" },
		{ "\\w", "[0-9A-Z\\x{5F}a-z]" },
		{ "\\s", "[\\x{9}-\\x{D}\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}"
			 "\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]" },
		{ "[\\s\\d]", "[\\x{9}-\\x{D}\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}-\\x{2029}"
			      "\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}0-9]" },
		{ "\\bx\\B", "\\bx\\B" },
		{ "\\cC\\cc\\t\\0", "\\x{3}\\x{3}\\x{9}\\x{0}" },
		{ "\\x41\\u0042\\u{43}\\u{1F600}", "ABC\\x{1F600}" },
		{ "\\uD83D\\uDE00", "\\x{1F600}" },
		{ "\\uD83D", "(?:(?!))" },
		{ "[\\uD800-\\uDFFF]", "(?:(?!))" },
		{ "[\\uD000-\\uE100]", "[\\x{D000}-\\x{E100}]" },
		{ "[\\uDC00-\\uE100]", "[\\x{E000}-\\x{E100}]" },
		{ "[]", "(?:(?!))" },
		{ "[^]", "[\\x{0}-\\x{10FFFF}]" },
		{ "[a-c-]", "[a-c\\x{2D}]" },
		{ "[\\b\\-]", "[\\x{8}\\x{2D}]" },
		{ "(?<year>\\d{4})-\\k<year>", "([0-9]{4})\\x{2D}\\g{1}" },
		{ "\\1(a)", "\\g{1}(a)" },
		{ "(?:a|b)+?", "(?:a|b)+?" },
		{ "a{2,5}b{3,}c{0}", "a{2,5}b{3,}c{0}" },
		{ "(?=a)(?!b)(?<=c)(?<!d)", "(?=a)(?!b)(?<=c)(?<!d)" },
		{ "\\p{L}\\P{Lu}\\p{Letter}\\p{digit}", "\\p{L}\\P{Lu}\\p{L}\\p{Nd}" },
		{ "\\p{Script=Greek}\\p{scx=Grek}\\p{gc=Cased_Letter}", "\\p{sc=Greek}\\p{scx=Greek}\\p{LC}" },
		{ "\\p{Assigned}\\P{Assigned}\\p{ASCII_Hex_Digit}", "\\P{Cn}\\p{Cn}\\p{ASCII_Hex_Digit}" },
		{ "(?i:a)(?-i:b)", "(?i:a)(?-i:b)" },
		{ "(?m:^$)", "(?:(?<![^\\n\\r\\x{2028}\\x{2029}])(?![^\\n\\r\\x{2028}\\x{2029}]))" },
		{ "(?s:.)", "(?:[\\x{0}-\\x{10FFFF}])" },
		{ "\\/\\.\\*\\$", "\\x{2F}\\x{2E}\\x{2A}\\x{24}" },
		{ "é", "\\x{E9}" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sr_buf out = SR_BUF_INIT;
		sr_err err = SR_ERR_INIT;

		if (sr_regex__translate(&out, cases[i].ecma, strlen(cases[i].ecma), &err) != 0)
			fail_msg("/%s/: %s", cases[i].ecma, err.msg.ptr);
		if (strcmp(out.ptr ? out.ptr : "", cases[i].pcre) != 0)
			fail_msg("/%s/\n  got  %s\n  want %s", cases[i].ecma, out.ptr, cases[i].pcre);
		sr_buf_dispose(&out);
		sr_err_dispose(&err);
	}
}

/* ---- matching semantics ---------------------------------------------------- */

static void test_matching(void **state)
{
	static const struct {
		const char *pattern, *subject;
		sr_regex_result want;
	} cases[] = {
		/* \d \w \b are ASCII-only, \s is Unicode whitespace */
		{ "^\\d$", "\xdf\x80", SR_REGEX_NOMATCH }, /* NKO DIGIT ZERO */
		{ "^\\D$", "\xdf\x80", SR_REGEX_MATCH },
		{ "^\\w$", "\xc3\xa9", SR_REGEX_NOMATCH },
		{ "^\\W$", "\xc3\xa9", SR_REGEX_MATCH },
		{ "^[\\W]$", "\xc3\xa9", SR_REGEX_MATCH },
		{ "^[^\\w]$", "\xc3\xa9", SR_REGEX_MATCH },
		{ "\\b", "\xc3\xa9", SR_REGEX_NOMATCH },
		{ "a\\b", "a\xc3\xa9", SR_REGEX_MATCH },
		{ "^\\s$", "\xef\xbb\xbf", SR_REGEX_MATCH },	/* U+FEFF */
		{ "^\\s$", "\xe2\x80\xa9", SR_REGEX_MATCH },	/* U+2029 */
		{ "^\\s$", "\xe2\x80\x83", SR_REGEX_MATCH },	/* EM SPACE */
		{ "^\\s$", "\xe1\xa0\x8e", SR_REGEX_NOMATCH }, /* U+180E: no longer Zs */
		{ "^[\\S]$", "\xe2\x80\x93", SR_REGEX_MATCH },
		{ "^[\\S]$", "\xc2\xa0", SR_REGEX_NOMATCH },
		/* $ does not match before a final newline; . stops at line terminators */
		{ "^abc$", "abc\n", SR_REGEX_NOMATCH },
		{ "^abc$", "abc", SR_REGEX_MATCH },
		{ "^.$", "\n", SR_REGEX_NOMATCH },
		{ "^.$", "\xe2\x80\xa8", SR_REGEX_NOMATCH },
		{ "^.$", "\xf0\x9f\x98\x80", SR_REGEX_MATCH }, /* one code point */
		{ "^(?s:.)$", "\n", SR_REGEX_MATCH },
		{ "(?m:^b$)", "a\nb\nc", SR_REGEX_MATCH },
		{ "^b$", "a\nb\nc", SR_REGEX_NOMATCH },
		/* patterns are not anchored */
		{ "b", "abc", SR_REGEX_MATCH },
		/* escapes */
		{ "^\\t$", "\t", SR_REGEX_MATCH },
		{ "^\\t$", "\\t", SR_REGEX_NOMATCH },
		{ "^\\cC$", "\x03", SR_REGEX_MATCH },
		{ "^\\uD83D\\uDE00$", "\xf0\x9f\x98\x80", SR_REGEX_MATCH },
		{ "^\\u{1F600}+$", "\xf0\x9f\x98\x80\xf0\x9f\x98\x80", SR_REGEX_MATCH },
		{ "^\\uD83D", "\xf0\x9f\x98\x80", SR_REGEX_NOMATCH },
		{ "^[^]$", "\n", SR_REGEX_MATCH },
		{ "[]", "anything", SR_REGEX_NOMATCH },
		/* backreferences: unset ones match the empty string, as in ECMA-262 */
		{ "^(a)\\1$", "aa", SR_REGEX_MATCH },
		{ "^(?:(a)|b)\\1$", "b", SR_REGEX_MATCH },
		{ "^\\1(a)$", "a", SR_REGEX_MATCH },
		{ "^(?<n>[ab])\\k<n>$", "bb", SR_REGEX_MATCH },
		{ "^(?<n>[ab])\\k<n>$", "ba", SR_REGEX_NOMATCH },
		{ "^(?<\\u0061>x)\\k<a>$", "xx", SR_REGEX_MATCH },
		{ "^(?<\xc3\xa9t\xc3\xa9>x)\\k<\xc3\xa9t\xc3\xa9>$", "xx", SR_REGEX_MATCH },
		/* lookbehind, properties, case-insensitive groups */
		{ "(?<=\\$)\\d+", "cost: $42", SR_REGEX_MATCH },
		{ "(?<!\\$)\\b\\d+", "$42", SR_REGEX_NOMATCH },
		{ "\\p{Letter}cole", "l'\xc3\xa9""cole", SR_REGEX_MATCH },
		{ "^\\p{digit}+$", "\xe0\xa7\xaa\xe0\xa7\xa8", SR_REGEX_MATCH },
		{ "^\\p{sc=Greek}+$", "\xce\xb1\xce\xb2", SR_REGEX_MATCH },
		{ "^\\P{sc=Greek}$", "\xce\xb1", SR_REGEX_NOMATCH },
		{ "^(?i:abc)d$", "ABCd", SR_REGEX_MATCH },
		{ "^(?i:abc)d$", "ABCD", SR_REGEX_NOMATCH },
		{ "^(?i:\xc3\xa9)$", "\xc3\x89", SR_REGEX_MATCH },
		/* invalid UTF-8 in a subject is no error */
		{ "^a", "a\xff", SR_REGEX_MATCH },
		{ "^.$", "\xff", SR_REGEX_NOMATCH },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sr_regex_result got = search(cases[i].pattern, cases[i].subject,
					     strlen(cases[i].subject));

		if (got != cases[i].want)
			fail_msg("/%s/ on \"%s\": got %d, want %d", cases[i].pattern,
				 cases[i].subject, got, cases[i].want);
	}
	/* empty subject */
	assert_int_equal(search("^$", "", 0), SR_REGEX_MATCH);
	assert_int_equal(search("^a*$", NULL, 0), SR_REGEX_MATCH);
	assert_int_equal(search("a", "", 0), SR_REGEX_NOMATCH);
	/* NUL bytes on both sides */
	assert_int_equal(search("a\\0b", "xa\0b", 4), SR_REGEX_MATCH);
	assert_int_equal(search("^\\0$", "\0", 1), SR_REGEX_MATCH);
	{
		sr_regex *re = NULL;
		sr_err err = SR_ERR_INIT;

		assert_int_equal(sr_regex_compile(&re, "a\0b", 3, &err), 0);
		assert_int_equal(sr_regex_search(re, "a\0b", 3), SR_REGEX_MATCH);
		assert_int_equal(sr_regex_search(re, "ab", 2), SR_REGEX_NOMATCH);
		sr_regex_free(re);
		sr_err_dispose(&err);
	}
}

/* ---- what ECMA-262 accepts and rejects ------------------------------------- */

/* Invalid in Unicode mode but literals under ECMA-262 Annex B, which
 * sr_regex_compile accepts for schemas written for other engines. */
static bool annex_b_literal(const char *p)
{
	static const char *const literal[] = { "{", "a{", "a{1", "a{,5}", "}", "]", "\\-" };
	size_t i;

	for (i = 0; i < sizeof(literal) / sizeof(literal[0]); i++)
		if (strcmp(p, literal[i]) == 0)
			return true;
	return false;
}

static void test_validity(void **state)
{
	static const char *const valid[] = {
		"", "a|", "|", "()", "(?:)", "[]", "[^]", "\\cA", "(?<name>x)", "(?<n>a)\\k<n>",
		"(?<=a+)b", "(?<!a|bb)c", "a{0}", "a{1,}", "a{2,2}?", "a{99999}", "\\u{10FFFF}",
		"\\uD800", "[\\uD800-\\uDBFF]", "[a-a]", "[-a]", "[a-]", "[\\d-]", "[-\\d]", "\\/",
		"[\\-]", "\\p{Lu}", "\\P{General_Category=Decimal_Number}", "\\p{Script_Extensions=Latn}",
		"\\p{Any}", "\\p{RI}", "(?i:a)", "(?-i:a)", "(?ims:a)", "(?i-ms:a)",
		"(?<$_\xe2\x80\x8d>x)", "\\1()", "()\\1", "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10",
		"[\\b]", "[\\0]", "\\0", "x*?y+?z??", "(?=a)", "\\p{Script=Kawi}",
		"[[]", "[{}()|*+?.$^]", "a\\b", "[\\u{1F600}-\\u{1F64F}]",
	};
	static const char *const invalid[] = {
		"\\a", "(?P<name>x)", "(?P<n>a)(?P=n)", "(?#comment)a", "(?i)abc", "(?ims)abc",
		"^(abc]", "(", ")", "a)", "[", "[a", "*", "+a", "?", "a**", "a{1}{2}", "a*+", "a++",
		"{", "a{", "a{1", "a{,5}", "}", "]", "a{2,1}", "[b-a]", "[\\d-z]", "[a-\\w]",
		"\\c", "\\c1", "\\x4", "\\xZZ", "\\u12", "\\u{110000}", "\\u{}", "\\01", "[\\01]",
		"\\1", "(a)\\2", "\\k<n>", "\\k", "(?<n>a)\\k<m>", "(?<n>a)(?<n>b)", "(?<1a>x)",
		"(?<>x)", "(?<a", "\\p{L", "\\p{}", "\\p{letter}", "\\p{Greek}", "\\p{sc=greek}",
		"\\p{Foo=Bar}", "\\pL", "(?=a)*", "(?<=a)+", "^*", "$+", "\\b*", "(?-:a)",
		"(?ii:a)", "(?i-i:a)", "(?x:a)", "(?>a)", "\\A", "\\z", "\\Z", "\\h", "\\R", "\\e",
		"\\-", "[\\B]", "[\\1]", "[\\k]", "\\", "a\\", "[\\", "\xff", "a\xc3", "\xed\xa0\x80",
	};
	size_t i;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		if (!sr_regex_valid(valid[i], strlen(valid[i])))
			fail_msg("/%s/ should be valid ECMA-262", valid[i]);
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		sr_regex *re = NULL;
		sr_err err = SR_ERR_INIT;

		if (sr_regex_valid(invalid[i], strlen(invalid[i])))
			fail_msg("/%s/ should be invalid ECMA-262", invalid[i]);
		if (annex_b_literal(invalid[i])) {
			/* Compiled leniently as literals (test_lenient_pattern_compile). */
			assert_int_equal(sr_regex_compile(&re, invalid[i], strlen(invalid[i]), &err), 0);
			sr_regex_free(re);
			sr_err_dispose(&err);
			continue;
		}
		assert_int_equal(sr_regex_compile(&re, invalid[i], strlen(invalid[i]), &err),
				 SR_EINVALID);
		assert_null(re);
		assert_int_equal(err.code, SR_ERR_INVALID_SCHEMA);
		assert_non_null(strstr(err.msg.ptr, "offset"));
		sr_err_dispose(&err);
	}
	/* Valid ECMA-262 that the engine cannot run is refused by compile, with a reason. */
	{
		static const char *const unsupported[] = { "(?<=a+)b", "a{99999}", "\\p{sc=Kawi}" };

		for (i = 0; i < 3; i++) {
			sr_regex *re = NULL;
			sr_err err = SR_ERR_INIT;

			assert_true(sr_regex_valid(unsupported[i], strlen(unsupported[i])));
			assert_int_equal(sr_regex_compile(&re, unsupported[i], strlen(unsupported[i]),
							  &err),
					 SR_EINVALID);
			assert_non_null(strstr(err.msg.ptr, "not supported"));
			sr_err_dispose(&err);
		}
	}
}

/* ---- the JSON-Schema-Test-Suite --------------------------------------------- */

/* The subset of JSON Schema the regex test files use. */
static bool suite_valid(const sr_json *schema, const sr_json *data)
{
	const sr_json *pattern = sr_json_get(schema, "pattern");
	const sr_json *props = sr_json_get(schema, "patternProperties");
	const sr_json *additional = sr_json_get(schema, "additionalProperties");
	const char *type = sr_json_get_string(schema, "type");
	size_t i, j;

	if (schema->type == SR_JSON_TRUE)
		return true;
	if (type && !strcmp(type, "string") && data->type != SR_JSON_STRING)
		return false;
	if (type && !strcmp(type, "object") && data->type != SR_JSON_OBJECT)
		return false;
	if (type && !strcmp(type, "integer"))
		return data->type == SR_JSON_NUMBER && sr_json_number_is_integer(data);
	if (pattern && data->type == SR_JSON_STRING) {
		sr_regex *re = must_compile(pattern->u.str);
		sr_regex_result r = sr_regex_search(re, data->u.str, data->len);

		sr_regex_free(re);
		assert_int_not_equal(r, SR_REGEX_LIMIT);
		if (r != SR_REGEX_MATCH)
			return false;
	}
	if (props && data->type == SR_JSON_OBJECT) {
		for (i = 0; i < data->len; i++) {
			const sr_json_member *m = &data->u.members[i];
			bool matched = false;

			for (j = 0; j < props->len; j++) {
				const sr_json_member *p = &props->u.members[j];
				sr_regex *re = must_compile(p->key);
				sr_regex_result r = sr_regex_search(re, m->key, m->key_len);

				sr_regex_free(re);
				if (r == SR_REGEX_MATCH) {
					matched = true;
					if (!suite_valid(p->value, m->value))
						return false;
				}
			}
			if (!matched && additional && additional->type == SR_JSON_FALSE)
				return false;
		}
	}
	return true;
}

static void run_suite_file(const char *draft, const char *file, bool format, size_t *passed,
			   size_t *total)
{
	char path[256];
	sr_arena *a = sr_arena_new(0);
	const sr_json *doc;
	size_t g, t;

	snprintf(path, sizeof(path), SUITE "%s/optional/%s", draft, file);
	doc = load_json_if_present(a, path);
	if (!doc) {
		sr_arena_free(a);
		return;
	}
	for (g = 0; g < doc->len; g++) {
		const sr_json *group = doc->u.items[g];
		const sr_json *schema = sr_json_get(group, "schema");
		const sr_json *tests = sr_json_get(group, "tests");

		for (t = 0; t < tests->len; t++) {
			const sr_json *test = tests->u.items[t];
			const sr_json *data = sr_json_get(test, "data");
			bool want = sr_json_get(test, "valid")->type == SR_JSON_TRUE, got;

			if (format)
				got = data->type != SR_JSON_STRING ||
				      sr_regex_valid(data->u.str, data->len);
			else
				got = suite_valid(schema, data);
			(*total)++;
			if (got != want)
				fail_msg("%s: %s / %s: got %s", path,
					 sr_json_get_string(group, "description"),
					 sr_json_get_string(test, "description"), got ? "valid" : "invalid");
			(*passed)++;
		}
	}
	sr_arena_free(a);
}

static void test_suite(void **state)
{
	static const struct {
		const char *file;
		bool format;
	} files[] = {
		{ "ecmascript-regex.json", false },
		{ "non-bmp-regex.json", false },
		{ "format/regex.json", true },
		{ "format/ecmascript-regex.json", true },
	};
	size_t d, f, grand = 0;

	for (d = 0; d < sizeof(drafts) / sizeof(drafts[0]); d++) {
		for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
			size_t passed = 0, total = 0;

			run_suite_file(drafts[d], files[f].file, files[f].format, &passed, &total);
			if (total)
				printf("%s/optional/%s: %zu/%zu passed\n", drafts[d], files[f].file,
				       passed, total);
			grand += total;
		}
	}
	assert_true(grand >= 300);
}

/* ---- bounded matching -------------------------------------------------------- */

static void expect_limit(const char *pattern, const char *subject)
{
	sr_regex *re = must_compile(pattern);
	double t0 = now_ms(), ms;
	sr_regex_result r = sr_regex_search(re, subject, strlen(subject));

	ms = now_ms() - t0;
	printf("/%s/ on %zu bytes: %s after %.2f ms\n", pattern, strlen(subject),
	       r == SR_REGEX_LIMIT ? "limit" : r == SR_REGEX_MATCH ? "match" : "no match", ms);
	assert_int_equal(r, SR_REGEX_LIMIT);
	/* generous: sanitizers and valgrind slow PCRE2's interpreter down */
	assert_true(ms < 2000.0);
	sr_regex_free(re);
}

static void test_catastrophic_backtracking(void **state)
{
	char long_a[4096];

	expect_limit("^(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!");
	expect_limit("^(a|a)*$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!");
	expect_limit("^(a|aa)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!");
	expect_limit("^(\\w+\\s?)*$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!");
	expect_limit("(x+x+)+[yz]", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	memset(long_a, 'a', sizeof(long_a) - 2);
	long_a[sizeof(long_a) - 2] = '!';
	long_a[sizeof(long_a) - 1] = '\0';
	expect_limit("^(a|a?)+$", long_a);
	expect_limit("^(?:a+|[ab]+)*[bc]$", long_a);
}

/* Linear patterns over long subjects stay well within the limits. */
static void test_long_subjects(void **state)
{
	size_t n = 4u << 20, i;
	char *s = malloc(n);
	double t0, ms;

	for (i = 0; i < n; i++)
		s[i] = (char)('a' + i % 26);
	t0 = now_ms();
	assert_int_equal(search("^[a-z]+$", s, n), SR_REGEX_MATCH);
	assert_int_equal(search("^[a-z]*q$", s, n), SR_REGEX_NOMATCH);
	assert_int_equal(search("xyzabc", s, n), SR_REGEX_MATCH);
	assert_int_equal(search("zz", s, n), SR_REGEX_NOMATCH);
	/* a repeated group: one backtracking point per character */
	assert_int_equal(search("^(?:[a-m]|[n-z])*$", s, n), SR_REGEX_MATCH);
	assert_int_equal(search("^(.)*$", s, n / 4), SR_REGEX_MATCH);
	assert_int_equal(search("^(?:[a-z]{2})*$", s, n), SR_REGEX_MATCH);
	ms = now_ms() - t0;
	printf("linear patterns over %zu MiB: %.1f ms\n", n >> 20, ms);
	free(s);
}

/* ---- threads ------------------------------------------------------------------ */

typedef struct worker {
	const sr_regex *re;
	int matches, nomatches;
} worker;

static void *work(void *p)
{
	worker *w = p;
	int i;

	for (i = 0; i < 20000; i++) {
		char subject[32];
		int n = snprintf(subject, sizeof(subject), "id-%d%s", i, i % 2 ? "" : "x");

		if (sr_regex_search(w->re, subject, (size_t)n) == SR_REGEX_MATCH)
			w->matches++;
		else
			w->nomatches++;
	}
	return NULL;
}

static void test_threads(void **state)
{
	sr_regex *re = must_compile("^id-\\d+$");
	pthread_t th[4];
	worker w[4];
	int i;
	double t0 = now_ms(), ms;

	for (i = 0; i < 4; i++) {
		w[i] = (worker){ re, 0, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].matches, 10000);
		assert_int_equal(w[i].nomatches, 10000);
	}
	ms = now_ms() - t0;
	printf("4 threads x 20000 searches: %.1f ms (%.0f ns per search)\n", ms, ms * 1e6 / 80000);
	sr_regex_free(re);
}

/* Patterns written for Java or ECMA-262 without the u flag (Annex B):
 * compile accepts them as literals; the "regex" format stays strict. */
static void test_lenient_pattern_compile(void **state)
{
	static const struct {
		const char *pattern, *match, *nomatch;
	} cases[] = {
		{ "^\\d{3}\\-\\d{4}$", "555-1234", "555+1234" },
		{ "^[\\w.]+\\@example\\.com$", "a.b@example.com", "a.b@example.org" },
		{ "^a]b}$", "a]b}", "ab" },
		{ "x{y", "x{y", "xy" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sr_regex *re = NULL;
		sr_err err = SR_ERR_INIT;

		assert_false(sr_regex_valid(cases[i].pattern, strlen(cases[i].pattern)));
		assert_int_equal(sr_regex_compile(&re, cases[i].pattern, strlen(cases[i].pattern), &err),
				 0);
		assert_int_equal(sr_regex_search(re, cases[i].match, strlen(cases[i].match)),
				 SR_REGEX_MATCH);
		assert_int_equal(sr_regex_search(re, cases[i].nomatch, strlen(cases[i].nomatch)),
				 SR_REGEX_NOMATCH);
		sr_regex_free(re);
		sr_err_dispose(&err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_translation),
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_suite),
		cmocka_unit_test(test_catastrophic_backtracking),
		cmocka_unit_test(test_long_subjects),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_lenient_pattern_compile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for the JSON Schema compatibility checker
 * (src/formats/jsonschema/compat*.c): every case of
 * the files of tests/cases/jsonschema-compat/ through the level driver
 * (sr_compat_check) under both policies, checking the verdicts, the
 * difference lists ("TYPE #/path", in order) and that the report holds one
 * Confluent-style message per incompatible difference; then the message
 * format, termination and bounds on generated inputs, and the helpers
 * (Java hash order, exact decimals, URI resolution).
 */
#include "test_compat_helpers.c"

#include <dirent.h>
#include <time.h>

#include "formats/jsonschema/compat_internal.h"
#include "formats/jsonschema/jsonschema.h"
#include "test_util.h"

#define CASES_DIR "tests/cases/jsonschema-compat"

/* Time bounds stretch by $SR_TIME_FACTOR under slow tools (valgrind). */
static double time_factor(void)
{
	const char *f = getenv("SR_TIME_FACTOR");
	double v = f ? strtod(f, NULL) : 1;

	return v > 0 ? v : 1;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static const char *join_lines(sr_arena *a, const sr_json *arr)
{
	sr_buf b = SR_BUF_INIT;
	const char *r;
	size_t i;

	for (i = 0; arr && i < arr->len; i++)
		sr_buf_printf(&b, "%s%s", i ? "\n" : "", arr->u.items[i]->u.str);
	r = sr_arena_strndup(a, b.ptr ? b.ptr : "", b.len);
	sr_buf_dispose(&b);
	return r;
}

/* Parse the case's schemas with the validator (sr_format_jsonschema) instead
 * of the test documents when set. */
static bool with_validator;

static const char *compact(sr_arena *a, const sr_json *v, size_t *len)
{
	sr_buf b = SR_BUF_INIT;
	const char *r;

	if (sr_json_is_string(v)) {
		*len = v->len;
		return v->u.str;
	}
	sr_json_write(&b, v);
	r = sr_arena_strndup(a, b.ptr, b.len);
	*len = b.len;
	sr_buf_dispose(&b);
	return r;
}

/* A case's schema as the validator parses it; NULL, or why it failed. */
static const char *validator_parse(sr_parsed *out, sr_arena *a, const sr_json *schema,
				   const sr_json *refs)
{
	static const sr_format_opts opts = { 1000, 1u << 24, NULL };
	size_t nrefs = sr_json_is_object(refs) ? refs->len : 0, i, len;
	sr_ref_source *src = sr_arena_calloc(a, nrefs ? nrefs : 1, sizeof(*src));
	const char *text = compact(a, schema, &len);
	sr_err err = SR_ERR_INIT;
	const char *why = NULL;

	for (i = 0; i < nrefs; i++) {
		src[i].name = refs->u.members[i].key;
		src[i].text = compact(a, refs->u.members[i].value, &src[i].len);
	}
	if (sr_format_jsonschema.ops->parse(out, a, text, len, src, nrefs, &opts, &err) != 0)
		why = sr_arena_printf(a, "the validator rejects %s: %s", text, sr_err_message(&err));
	sr_err_dispose(&err);
	return why;
}

/* The differences compare(original, update) reports, as "TYPE #/path" lines. */
static const char *diffs_of(sr_arena *a, const sr_parsed *o, const sr_parsed *u,
			    sr_compat_policy policy)
{
	sr_jsonschema_diff *d;
	sr_buf b = SR_BUF_INIT;
	size_t n, i;
	const char *r;

	if (!with_validator)
		return shim_diffs(a, o, u, policy, NULL);
	(void)sr_jsonschema__differences(a, o, u, policy, &d, &n);
	for (i = 0; i < n; i++)
		sr_buf_printf(&b, "%s%s %s", i ? "\n" : "", d[i].type, d[i].path);
	r = sr_arena_strndup(a, b.ptr ? b.ptr : "", b.len);
	sr_buf_dispose(&b);
	return r;
}

/* The differences a level checks: BACKWARD compare(old, new), FORWARD
 * compare(new, old), FULL both (backward first). */
static const char *level_diffs(sr_arena *a, sr_compat_level level, const sr_parsed *old,
			       const sr_parsed *new, sr_compat_policy policy)
{
	const char *bw = "", *fw = "";

	if (level != SR_COMPAT_FORWARD && level != SR_COMPAT_FORWARD_TRANSITIVE)
		bw = diffs_of(a, old, new, policy);
	if (level != SR_COMPAT_BACKWARD && level != SR_COMPAT_BACKWARD_TRANSITIVE)
		fw = diffs_of(a, new, old, policy);
	if (*bw && *fw)
		return sr_arena_printf(a, "%s\n%s", bw, fw);
	return *bw ? bw : fw;
}

/* Number of incompatible differences in a "TYPE #/path" list. */
static size_t incompatible_count(const char *lines, sr_compat_policy policy)
{
	size_t n = 0, t;

	while (*lines) {
		const char *sp = strchr(lines, ' '), *nl = strchr(lines, '\n');

		for (t = 0; t < JSC_TYPE_COUNT; t++)
			if (strlen(jsc_type_name((jsc_type)t)) == (size_t)(sp - lines) &&
			    strncmp(jsc_type_name((jsc_type)t), lines, (size_t)(sp - lines)) == 0)
				break;
		if (t == JSC_TYPE_COUNT || !jsc_type_compatible((jsc_type)t, policy))
			n++;
		lines = nl ? nl + 1 : lines + strlen(lines);
	}
	return n;
}

/* Run one case under one policy; NULL if it passes, else why not. */
static const char *run_policy(sr_arena *a, const sr_json *c, sr_compat_policy policy)
{
	const char *pname = policy == SR_COMPAT_POLICY_LENIENT ? "LENIENT" : "STRICT";
	const sr_json *want = sr_json_get(c, policy == SR_COMPAT_POLICY_LENIENT
						     ? "compatible_lenient"
						     : "compatible");
	const sr_json *changes = sr_json_get(c, policy == SR_COMPAT_POLICY_LENIENT
							? "expected_changes_lenient"
							: "expected_changes");
	const sr_json *max_ms = sr_json_get(c, "max_ms");
	sr_parsed old, new;
	const sr_parsed *prev[1] = { &old };
	sr_compat_report rep;
	sr_compat_level level;
	const char *got;
	double t0;
	bool ok;
	size_t i;

	if (with_validator) {
		const char *why = validator_parse(&old, a, sr_json_get(c, "old"),
						  sr_json_get(c, "old_references"));

		if (!why)
			why = validator_parse(&new, a, sr_json_get(c, "new"),
					      sr_json_get(c, "new_references"));
		if (sr_json_get(c, "validator_rejects"))
			return why ? NULL : "the validator accepts a schema the case says is invalid";
		if (why)
			return why;
	} else {
		old = shim_parsed(a, sr_json_get(c, "old"), sr_json_get(c, "old_references"));
		new = shim_parsed(a, sr_json_get(c, "new"), sr_json_get(c, "new_references"));
	}
	if (!want && policy == SR_COMPAT_POLICY_LENIENT)
		want = sr_json_get(c, "compatible");
	if (!want || !sr_json_is_bool(want))
		return "no expected verdict";
	if (!sr_compat_level_parse(sr_json_get_string(c, "level"), &level))
		return "bad level";
	memset(&rep, 0, sizeof(rep));
	rep.arena = a;
	rep.policy = policy;
	rep.max_messages = 1000;
	t0 = now_ms();
	ok = sr_compat_check(level, &new, prev, 1, &rep);
	if (max_ms && now_ms() - t0 > sr_json_number_to_double(max_ms) * time_factor())
		return sr_arena_printf(a, "%s: took %.0f ms, more than %s", pname, now_ms() - t0,
				       max_ms->u.str);
	if (ok != (want->type == SR_JSON_TRUE)) {
		sr_buf b = SR_BUF_INIT;
		const char *r;

		for (i = 0; i < rep.count; i++)
			sr_buf_printf(&b, "\n    %s", rep.messages[i]);
		r = sr_arena_printf(a, "%s: compatible=%d, expected %d; messages:%.*s", pname, ok,
				    !ok, (int)b.len, b.ptr ? b.ptr : "");
		sr_buf_dispose(&b);
		return r;
	}
	for (i = 0; i < rep.count; i++)
		if (strncmp(rep.messages[i], "{errorType:\"", 12) != 0 ||
		    !strstr(rep.messages[i], "\", description:\""))
			return sr_arena_printf(a, "%s: message not in Confluent's form: %s", pname,
					       rep.messages[i]);
	got = level_diffs(a, level, &old, &new, policy);
	if (level != SR_COMPAT_NONE && rep.count < rep.max_messages &&
	    !(rep.count && strstr(rep.messages[rep.count - 1], "COMPATIBILITY_CHECK_TOO_COMPLEX")) &&
	    rep.count != incompatible_count(got, policy))
		return sr_arena_printf(a, "%s: %zu messages for %zu incompatible differences:\n%s",
				       pname, rep.count, incompatible_count(got, policy), got);
	if (changes) {
		const char *exp = join_lines(a, changes);

		if (strcmp(exp, got) != 0)
			return sr_arena_printf(a, "%s: differences\n  got:\n%s\n  expected:\n%s",
					       pname, got, exp);
	}
	return NULL;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void run_cases(void)
{
	DIR *d = opendir(CASES_DIR);
	struct dirent *ent;
	char *files[256];
	size_t nfiles = 0, f, total = 0, failed = 0;

	assert_non_null(d);
	while ((ent = readdir(d)) && nfiles < 256) {
		size_t l = strlen(ent->d_name);

		if (l > 5 && strcmp(ent->d_name + l - 5, ".json") == 0)
			files[nfiles++] = strdup(ent->d_name);
	}
	closedir(d);
	qsort(files, nfiles, sizeof(files[0]), cmp_str);
	assert_true(nfiles > 0);
	for (f = 0; f < nfiles; f++) {
		sr_arena *a = sr_arena_new(0);
		char *path = sr_arena_printf(a, "%s/%s", CASES_DIR, files[f]);
		const sr_json *doc = load_json(a, path);
		size_t i;

		assert_true(sr_json_is_array(doc));
		for (i = 0; i < doc->len; i++) {
			const sr_json *c = doc->u.items[i];
			const char *name = sr_json_get_string(c, "name");
			double t0 = now_ms();
			const char *why = run_policy(a, c, SR_COMPAT_POLICY_STRICT);

			if (!why)
				why = run_policy(a, c, SR_COMPAT_POLICY_LENIENT);
			total++;
			if (getenv("JSC_TIMES") && now_ms() - t0 > 50)
				print_message("slow: %s [%s] %.0f ms\n", files[f], name ? name : "?",
					      now_ms() - t0);
			if (why) {
				failed++;
				print_message("FAIL %s [%s]: %s\n", files[f], name ? name : "?", why);
			}
		}
		sr_arena_free(a);
		free(files[f]);
	}
	print_message("jsonschema-compat cases%s: %zu run, %zu failed\n",
		      with_validator ? " (parsed by the validator)" : "", total, failed);
	assert_int_equal(failed, 0);
}

/* The cases on documents parsed straight from JSON. */
static void test_cases(void **state)
{
	(void)state;
	with_validator = false;
	run_cases();
}

/* The same cases parsed by the validator, through the format's ops. */
static void test_cases_with_validator(void **state)
{
	(void)state;
	with_validator = true;
	run_cases();
	with_validator = false;
}

/* ---- messages ------------------------------------------------------------- */

static void test_message_format(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed old = shim_parse(a, "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\"}}}");
	sr_parsed new = shim_parse(a, "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},"
				      "\"b\":{\"type\":\"string\"}}}");
	const sr_parsed *prev[1] = { &old };
	sr_compat_report rep;

	(void)state;
	memset(&rep, 0, sizeof(rep));
	rep.arena = a;
	assert_false(sr_compat_check(SR_COMPAT_BACKWARD, &new, prev, 1, &rep));
	assert_int_equal(rep.count, 2);
	assert_string_equal(rep.messages[0],
			    "{errorType:\"TYPE_NARROWED\", description:\"The type at path "
			    "'#/properties/a' in the new schema is narrower than in the old schema\"}");
	assert_string_equal(rep.messages[1],
			    "{errorType:\"PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL\", description:\"The new "
			    "schema adds the property at path '#/properties/b' to an open content "
			    "model: data written with the old schema may carry it with any value\"}");

	/* the other way round nothing breaks: a removed property of an open
	 * model and a widened type are compatible */
	memset(&rep, 0, sizeof(rep));
	rep.arena = a;
	assert_true(sr_compat_check(SR_COMPAT_FORWARD, &new, prev, 1, &rep));
	assert_int_equal(rep.count, 0);

	/* FORWARD words its messages with the old schema as the reader */
	old = shim_parse(a, "{\"type\":\"string\",\"maxLength\":5}");
	new = shim_parse(a, "{\"type\":\"string\"}");
	memset(&rep, 0, sizeof(rep));
	rep.arena = a;
	assert_true(sr_compat_check(SR_COMPAT_BACKWARD, &new, prev, 1, &rep));
	assert_false(sr_compat_check(SR_COMPAT_FORWARD, &new, prev, 1, &rep));
	assert_int_equal(rep.count, 1);
	assert_string_equal(rep.messages[0],
			    "{errorType:\"MAX_LENGTH_ADDED\", description:\"A maxLength was added at "
			    "path '#/maxLength' in the old schema\"}");
	sr_arena_free(a);
}

/* ---- bounds ------------------------------------------------------------------ */

/* anyOf nested `depth` levels, `width` distinct branches each. */
static void nested_anyof(sr_buf *b, unsigned depth, unsigned width, unsigned salt)
{
	unsigned i;

	if (depth == 0) {
		sr_buf_printf(b, "{\"type\":\"string\",\"maxLength\":%u}", salt + 1);
		return;
	}
	sr_buf_puts(b, "{\"anyOf\":[");
	for (i = 0; i < width; i++) {
		if (i)
			sr_buf_putc(b, ',');
		if (i + 1 < width)
			nested_anyof(b, depth - 1, width, salt * 7 + i);
		else
			sr_buf_printf(b, "{\"type\":\"integer\",\"minimum\":%u}", salt + i);
	}
	sr_buf_puts(b, "]}");
}

/* FULL under both policies within `max_ms`; returns the STRICT verdict. */
static bool check_bounded(const char *old_text, const char *new_text, double max_ms)
{
	sr_arena *a = sr_arena_new(0);
	sr_parsed old = shim_parse(a, old_text), new = shim_parse(a, new_text);
	const sr_parsed *prev[1] = { &old };
	sr_compat_report rep;
	double t0 = now_ms();
	bool ok;

	memset(&rep, 0, sizeof(rep));
	rep.arena = a;
	ok = sr_compat_check(SR_COMPAT_FULL, &new, prev, 1, &rep);
	rep.policy = SR_COMPAT_POLICY_LENIENT;
	(void)sr_compat_check(SR_COMPAT_FULL, &new, prev, 1, &rep);
	if (getenv("JSC_TIMES"))
		print_message("bounded check: %.0f ms\n", now_ms() - t0);
	if (now_ms() - t0 > max_ms * time_factor())
		fail_msg("check took %.0f ms (bound %.0f)", now_ms() - t0, max_ms);
	sr_arena_free(a);
	return ok;
}

static void test_combinator_blowup_bounded(void **state)
{
	sr_buf x = SR_BUF_INIT, y = SR_BUF_INIT;

	(void)state;
	nested_anyof(&x, 7, 4, 1);
	nested_anyof(&y, 7, 4, 2);
	assert_false(check_bounded(x.ptr, y.ptr, 5000));
	assert_true(check_bounded(x.ptr, x.ptr, 5000));
	sr_buf_dispose(&x);
	sr_buf_dispose(&y);
}

static void test_budget_exhausted_is_incompatible(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_buf x = SR_BUF_INIT, y = SR_BUF_INIT;
	sr_parsed old, new;
	const sr_parsed *prev[1] = { &old };
	sr_compat_report rep;
	unsigned i;

	(void)state;
	/* 1000 x 1000 distinct oneOf members: a million pairs, over the budget */
	sr_buf_puts(&x, "{\"oneOf\":[");
	sr_buf_puts(&y, "{\"oneOf\":[");
	for (i = 0; i < 1000; i++) {
		sr_buf_printf(&x, "%s{\"const\":%u}", i ? "," : "", i);
		sr_buf_printf(&y, "%s{\"const\":%u}", i ? "," : "", i + 1);
	}
	sr_buf_puts(&x, "]}");
	sr_buf_puts(&y, "]}");
	old = shim_parse(a, x.ptr);
	new = shim_parse(a, y.ptr);
	memset(&rep, 0, sizeof(rep));
	rep.arena = a;
	assert_false(sr_compat_check(SR_COMPAT_BACKWARD, &new, prev, 1, &rep));
	assert_int_equal(rep.count, 1);
	assert_non_null(strstr(rep.messages[0], "COMPATIBILITY_CHECK_TOO_COMPLEX"));
	sr_buf_dispose(&x);
	sr_buf_dispose(&y);
	sr_arena_free(a);
}

static void test_deep_recursion_bounded(void **state)
{
	sr_buf x = SR_BUF_INIT;
	unsigned i;

	(void)state;
	/* 300 definitions each referring to the next, the last to the first */
	sr_buf_puts(&x, "{\"$ref\":\"#/definitions/d0\",\"definitions\":{");
	for (i = 0; i < 300; i++)
		sr_buf_printf(&x, "%s\"d%u\":{\"type\":\"object\",\"properties\":{\"n\":{\"$ref\":"
				  "\"#/definitions/d%u\"},\"m\":{\"$ref\":\"#/definitions/d%u\"}}}",
			      i ? "," : "", i, (i + 1) % 300, (i + 7) % 300);
	sr_buf_puts(&x, "}}");
	assert_true(check_bounded(x.ptr, x.ptr, 5000));
	assert_true(check_bounded(x.ptr, "{\"$ref\":\"#/definitions/a\",\"definitions\":{\"a\":{\"type\":"
			     "\"object\",\"properties\":{\"n\":{\"$ref\":\"#/definitions/a\"},"
			     "\"m\":{\"$ref\":\"#\"}}}}}",
		      5000));
	sr_buf_dispose(&x);
}

/* Nesting up to the depth limit is compared; deeper is "too complex". */
static void test_deep_nesting(void **state)
{
	sr_buf x = SR_BUF_INIT, y = SR_BUF_INIT;
	unsigned i, depth;

	(void)state;
	for (depth = 500; depth <= 700; depth += 200) {
		sr_buf_clear(&x);
		sr_buf_clear(&y);
		for (i = 0; i < depth; i++) {
			sr_buf_puts(&x, "{\"type\":\"array\",\"items\":");
			sr_buf_puts(&y, "{\"type\":\"array\",\"items\":");
		}
		sr_buf_puts(&x, "{\"type\":\"integer\"}");
		sr_buf_puts(&y, "{\"type\":\"number\"}");
		for (i = 0; i < depth; i++) {
			sr_buf_putc(&x, '}');
			sr_buf_putc(&y, '}');
		}
		/* FULL fails either way: number -> integer is narrowed, and 700 is too deep */
		assert_false(check_bounded(x.ptr, y.ptr, 5000));
		{
			sr_arena *a = sr_arena_new(0);
			sr_parsed o = shim_parse(a, x.ptr), n = shim_parse(a, y.ptr);
			const sr_parsed *prev[1] = { &o };
			sr_compat_report rep;

			memset(&rep, 0, sizeof(rep));
			rep.arena = a;
			if (depth < JSC_MAX_DEPTH)
				assert_true(sr_compat_check(SR_COMPAT_BACKWARD, &n, prev, 1, &rep));
			else
				assert_false(sr_compat_check(SR_COMPAT_BACKWARD, &n, prev, 1, &rep));
			sr_arena_free(a);
		}
	}
	sr_buf_dispose(&x);
	sr_buf_dispose(&y);
}

/* ---- helpers ---------------------------------------------------------------- */

static void test_java_hash_order(void **state)
{
	/* java: "hello".hashCode() == 99162322, "bar" 97299, "\u00e9" 233,
	 * "\U0001F600" (a surrogate pair) 1772899 */
	const char *keys[] = { "zeta", "alpha", "beta", "gamma", "delta" };
	size_t lens[] = { 4, 5, 4, 5, 5 }, order[5], i;
	uint32_t prev = 0;

	(void)state;
	assert_int_equal(jsc_java_hash("hello", 5), 99162322);
	assert_int_equal(jsc_java_hash("bar", 3), 97299);
	assert_int_equal(jsc_java_hash("\xc3\xa9", 2), 233);
	assert_int_equal(jsc_java_hash("\xf0\x9f\x98\x80", 4), 1772899);
	assert_int_equal(jsc_java_cap(16, 12), 16);
	assert_int_equal(jsc_java_cap(16, 13), 32);
	assert_int_equal(jsc_java_set_cap(12), 32);
	assert_int_equal(jsc_java_set_cap(3), 16);
	jsc_java_order(order, keys, lens, 5, 16);
	for (i = 0; i < 5; i++) {
		uint32_t h = (uint32_t)jsc_java_hash(keys[order[i]], lens[order[i]]);
		uint32_t bucket = (h ^ (h >> 16)) & 15;

		assert_true(bucket >= prev);
		prev = bucket;
	}
}

static sr_json *num(sr_arena *a, const char *s)
{
	return sr_json_new_number(a, s, strlen(s));
}

static void test_decimals(void **state)
{
	sr_arena *a = sr_arena_new(0);

	(void)state;
	assert_int_equal(jsc_num_cmp(num(a, "10"), num(a, "10.0")), 0);
	assert_int_equal(jsc_num_cmp(num(a, "1e1"), num(a, "10")), 0);
	assert_true(jsc_num_cmp(num(a, "0.1"), num(a, "0.10001")) < 0);
	assert_true(jsc_num_cmp(num(a, "-2"), num(a, "-10")) > 0);
	assert_true(jsc_num_cmp(num(a, "0"), num(a, "-0.0")) == 0);
	assert_true(jsc_num_cmp(num(a, "123456789012345678901234567890"),
				num(a, "123456789012345678901234567891")) < 0);
	assert_true(jsc_num_divides(num(a, "4"), num(a, "2")));
	assert_false(jsc_num_divides(num(a, "2"), num(a, "4")));
	assert_true(jsc_num_divides(num(a, "0.3"), num(a, "0.1")));
	assert_true(jsc_num_divides(num(a, "1"), num(a, "0.01")));
	assert_false(jsc_num_divides(num(a, "0.01"), num(a, "1")));
	assert_true(jsc_num_divides(num(a, "1e30"), num(a, "7e29")) == false);
	assert_true(jsc_num_divides(num(a, "1e30"), num(a, "5")));
	assert_false(jsc_num_divides(num(a, "3"), num(a, "0")));
	sr_arena_free(a);
}

static void test_uri_resolve(void **state)
{
	sr_arena *a = sr_arena_new(0);

	(void)state;
	assert_string_equal(jsc_uri_resolve(a, "", "#/definitions/a"), "#/definitions/a");
	assert_string_equal(jsc_uri_resolve(a, "http://x.com/s/a.json", "b.json"),
			    "http://x.com/s/b.json");
	assert_string_equal(jsc_uri_resolve(a, "http://x.com/s/a.json", "#foo"),
			    "http://x.com/s/a.json#foo");
	assert_string_equal(jsc_uri_resolve(a, "http://x.com/s/a.json", "/t/c.json#/x"),
			    "http://x.com/t/c.json#/x");
	assert_string_equal(jsc_uri_resolve(a, "http://x.com/s/a.json", "../c.json"),
			    "http://x.com/c.json");
	assert_string_equal(jsc_uri_resolve(a, "http://x.com", "c.json"), "http://x.com/c.json");
	assert_string_equal(jsc_uri_resolve(a, "a.json", "b.json"), "b.json");
	assert_string_equal(jsc_uri_resolve(a, "urn:x:y", "#z"), "urn:x:y#z");
	assert_string_equal(jsc_uri_resolve(a, "http://x.com/a", "urn:q"), "urn:q");
	sr_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_cases_with_validator),
		cmocka_unit_test(test_message_format),
		cmocka_unit_test(test_combinator_blowup_bounded),
		cmocka_unit_test(test_budget_exhausted_is_incompatible),
		cmocka_unit_test(test_deep_recursion_bounded),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_java_hash_order),
		cmocka_unit_test(test_decimals),
		cmocka_unit_test(test_uri_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

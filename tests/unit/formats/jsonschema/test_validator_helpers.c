/*
 * Helpers of the JSON Schema validator tests (included, not linked: the
 * Makefile builds one program per test file). Tests run with the
 * repository root as the working directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "formats/jsonschema/compiled.h"
#include "formats/jsonschema/jsonschema.h"
#include "json/json.h"
#include "test_util.h"

#define SUITE_DIR "tests/data/json-schema-test-suite"

static const sr_format_opts test_limits = { 1000, 1u << 24, NULL };

/* Parse a schema through the format op; returns the op's return code. */
static __attribute__((unused)) int parse_schema(sr_parsed *out, sr_arena *a, const char *text,
						const sr_ref_source *refs, size_t nrefs, sr_err *err)
{
	return sr_format_jsonschema.ops->parse(out, a, text, strlen(text), refs, nrefs, &test_limits,
					       err);
}

/* Parse or fail the test with the error message. */
static __attribute__((unused)) sr_parsed must_parse(sr_arena *a, const char *text)
{
	sr_parsed p;
	sr_err e = SR_ERR_INIT;

	if (parse_schema(&p, a, text, NULL, 0, &e) != 0)
		fail_msg("parse failed: %s\n  schema: %s", sr_err_message(&e), text);
	sr_err_dispose(&e);
	return p;
}

/* The error message of a parse that must fail (with 42201 or 42209). */
static __attribute__((unused)) const char *parse_error(sr_arena *a, const char *text)
{
	sr_parsed p;
	sr_err e = SR_ERR_INIT;
	const char *msg;
	int rc = parse_schema(&p, a, text, NULL, 0, &e);

	if (rc == 0)
		fail_msg("schema parsed but should not: %s", text);
	assert_true(e.code == SR_ERR_INVALID_SCHEMA || e.code == SR_ERR_SCHEMA_TOO_LARGE);
	msg = sr_arena_strdup(a, sr_err_message(&e));
	sr_err_dispose(&e);
	return msg;
}

/* Validate a document (JSON text); errors land in `v` (its arena is `a`). */
static __attribute__((unused)) bool validate_text(sr_arena *a, const sr_parsed *p, const char *doc,
						  sr_validation *v)
{
	memset(v, 0, sizeof(*v));
	v->arena = a;
	return sr_format_jsonschema.ops->validate(p, json_of(a, doc), v);
}

/* Flag-only verdict. */
static __attribute__((unused)) bool valid_flag(sr_arena *a, const sr_parsed *p, const char *doc)
{
	sr_validation v;

	memset(&v, 0, sizeof(v));
	v.arena = a;
	v.flag_only = true;
	return sr_format_jsonschema.ops->validate(p, json_of(a, doc), &v);
}

/* Does `v` hold an error with these locations and a message containing `needle`? */
static __attribute__((unused)) bool has_error(const sr_validation *v, const char *instance,
					      const char *keyword, const char *needle)
{
	size_t i;

	for (i = 0; i < v->count; i++) {
		const sr_validation_error *e = &v->errors[i];
		if ((!instance || strcmp(e->instance_location, instance) == 0) &&
		    (!keyword || strcmp(e->keyword_location, keyword) == 0) &&
		    (!needle || strstr(e->message, needle)))
			return true;
	}
	return false;
}

static __attribute__((unused)) void dump_errors(const sr_validation *v)
{
	size_t i;

	for (i = 0; i < v->count; i++)
		printf("    [%s] [%s] %s\n", v->errors[i].instance_location, v->errors[i].keyword_location,
		       v->errors[i].message);
}

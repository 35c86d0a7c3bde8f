/*
 * Helpers shared by the Avro unit tests (included, not linked: the
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
#include "formats/avro/avro.h"
#include "json/json.h"
#include "test_util.h"

static const sr_format_opts test_limits = { 1000, 1u << 24, NULL };

/* Parse an Avro schema text; returns the op's return code. */
static __attribute__((unused)) int parse_avro(sr_parsed *out, sr_arena *a, const char *text, size_t len,
		      const sr_ref_source *refs, size_t nrefs, sr_err *err)
{
	return sr_format_avro.ops->parse(out, a, text, len, refs, nrefs, &test_limits, err);
}

/* Parse or fail the test with the error message. */
static __attribute__((unused)) sr_parsed must_parse(sr_arena *a, const char *text)
{
	sr_parsed p;
	sr_err e = SR_ERR_INIT;

	if (parse_avro(&p, a, text, strlen(text), NULL, 0, &e) != 0)
		fail_msg("parse failed: %s\n  schema: %s", sr_err_message(&e), text);
	sr_err_dispose(&e);
	return p;
}

static __attribute__((unused)) const char *canonical_of(sr_arena *a, const sr_parsed *p)
{
	return render(a, sr_format_avro.ops->canonical, p);
}

static __attribute__((unused)) const char *normalized_of(sr_arena *a, const sr_parsed *p)
{
	return render(a, sr_format_avro.ops->normalize, p);
}

static __attribute__((unused)) const char *pcf_of(sr_arena *a, const sr_parsed *p)
{
	return render(a, sr_avro_parsing_canonical_form, p);
}

/* The error message of a failing parse ("" if it parsed). */
static __attribute__((unused)) const char *parse_error(sr_arena *a, const char *text, int *rc)
{
	sr_parsed p;
	sr_err e = SR_ERR_INIT;
	const char *msg;

	*rc = parse_avro(&p, a, text, strlen(text), NULL, 0, &e);
	msg = sr_arena_strdup(a, sr_err_message(&e));
	if (*rc != 0)
		assert_true(e.code == SR_ERR_INVALID_SCHEMA || e.code == SR_ERR_SCHEMA_TOO_LARGE);
	sr_err_dispose(&e);
	return msg;
}

static __attribute__((unused)) const char *jstr(const sr_json *obj, const char *key)
{
	const char *s = sr_json_get_string(obj, key);

	if (!s)
		fail_msg("data file: missing string \"%s\"", key);
	return s;
}

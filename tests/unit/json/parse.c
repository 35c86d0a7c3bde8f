/* Unit tests for src/json/parse.c: grammar, UTF-8, escapes, duplicate keys,
 * depth limit, numbers, error positions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "json/json.h"

/* Parse `len` bytes; on success return the compact serialization in `out`. */
static int parse_write(const char *text, size_t len, unsigned max_depth, sr_buf *out,
		       sr_json_error *err)
{
	sr_arena *a = sr_arena_new(0);
	sr_json_limits lim = { max_depth };
	sr_json *v = (sr_json *)1;
	int rc = sr_json_parse(&v, a, text, len, &lim, err);

	if (rc == 0) {
		assert_non_null(v);
		assert_int_equal(sr_json_write(out, v), 0);
	} else {
		assert_null(v);
	}
	sr_arena_free(a);
	return rc;
}

struct valid_case {
	const char *in;
	const char *out; /* compact form; NULL = same as `in` */
};

static const struct valid_case valid_cases[] = {
	{ "null", NULL },
	{ "true", NULL },
	{ "false", NULL },
	{ "0", NULL },
	{ "-0", NULL },
	{ "-0.0", NULL },
	{ "1E+2", NULL },
	{ "1e-2", NULL },
	{ "1E2", NULL },
	{ "0e0", NULL },
	{ "-12.5e007", NULL },
	{ "123456789012345678901234567890", NULL },
	{ "1.0000000000000000000000000000001", NULL },
	{ "1e99999", NULL },
	{ "\"\"", NULL },
	{ "\"abc\"", NULL },
	{ "[]", NULL },
	{ "{}", NULL },
	{ "[[],{},[[]]]", NULL },
	{ "{\"a\":{\"b\":[1,2,{\"c\":null}]}}", NULL },
	{ " \t\r\n[ 1 , 2 ]\n\t\r ", "[1,2]" },
	{ "{ \"a\" : 1 , \"b\" : [ ] }", "{\"a\":1,\"b\":[]}" },
	{ "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\\"\\\\/\\b\\f\\n\\r\\t\"" },
	{ "\"\\u0041\\u00e9\\u20AC\"", "\"A\xc3\xa9\xe2\x82\xac\"" },
	{ "\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"" },
	{ "\"\\uDBFF\\uDFFF\"", "\"\xf4\x8f\xbf\xbf\"" },
	{ "\"\\u001f\\u007f\"", "\"\\u001F\x7f\"" },
	{ "\"\x7f\"", NULL },
	{ "{\"a\":1,\"b\":1,\"A\":1}", NULL },
	{ "[{\"a\":1},{\"a\":1}]", NULL },
	{ "{\"a\":{\"a\":{\"a\":1}}}", NULL },
	{ "{\"\":0}", NULL },
	/* UTF-8 boundaries */
	{ "\"\xc2\x80\xdf\xbf\"", NULL },                 /* U+0080, U+07FF */
	{ "\"\xe0\xa0\x80\xef\xbf\xbf\"", NULL },         /* U+0800, U+FFFF */
	{ "\"\xed\x9f\xbf\xee\x80\x80\"", NULL },         /* U+D7FF, U+E000 */
	{ "\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"", NULL }, /* U+10000, U+10FFFF */
	{ "\"\xef\xbb\xbf\"", NULL },                     /* a BOM inside a string */
};

static void test_parse_valid_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++) {
		const struct valid_case *c = &valid_cases[i];
		sr_buf out = SR_BUF_INIT;
		sr_json_error err;
		int rc = parse_write(c->in, strlen(c->in), 0, &out, &err);

		if (rc != 0)
			fail_msg("case %zu %s: %s", i, c->in, err.msg);
		assert_string_equal(out.ptr, c->out ? c->out : c->in);
		sr_buf_dispose(&out);
	}
}

struct invalid_case {
	const char *in;
	size_t len;      /* 0 = strlen(in) */
	size_t offset;   /* expected error offset */
	const char *msg; /* expected substring of the message */
};

#define INV(s, off, m) { s, sizeof(s) - 1, off, m }

static const struct invalid_case invalid_cases[] = {
	INV("", 0, "end of input"),
	INV("   ", 3, "end of input"),
	INV("[", 1, "end of input"),
	INV("[1", 2, "expected ',' or ']'"),
	INV("[1,", 3, "end of input"),
	INV("[1,]", 3, "unexpected character ']'"),
	INV("[,1]", 1, "unexpected character ','"),
	INV("[1 2]", 3, "expected ',' or ']'"),
	INV("[1}", 2, "expected ',' or ']'"),
	INV("{", 1, "expected a string key"),
	INV("{\"a\"}", 4, "expected ':'"),
	INV("{\"a\":}", 5, "expected a value"),
	INV("{\"a\":1,}", 7, "expected a string key"),
	INV("{\"a\":1 \"b\":2}", 7, "expected ',' or '}'"),
	INV("{\"a\":1]", 6, "expected ',' or '}'"),
	INV("{a:1}", 1, "expected a string key"),
	INV("{'a':1}", 1, "expected a string key"),
	INV("{1:1}", 1, "expected a string key"),
	INV("{\"a\"::1}", 5, "expected a value"),
	INV("]", 0, "expected a value"),
	INV("}", 0, "expected a value"),
	INV("1 2", 2, "end of input after the value"),
	INV("{}{}", 2, "end of input after the value"),
	INV("[]]", 2, "end of input after the value"),
	INV("nul", 0, "invalid literal"),
	INV("nulL", 0, "invalid literal"),
	INV("True", 0, "unexpected character 'T'"),
	INV("truex", 4, "end of input after the value"),
	INV("fals", 0, "invalid literal"),
	INV("NaN", 0, "unexpected character 'N'"),
	INV("Infinity", 0, "unexpected character 'I'"),
	INV("undefined", 0, "unexpected character 'u'"),
	/* numbers */
	INV("01", 1, "leading zero"),
	INV("-01", 2, "leading zero"),
	INV("00", 1, "leading zero"),
	INV(".5", 0, "unexpected character '.'"),
	INV("-.5", 1, "expected a digit"),
	INV("+1", 0, "unexpected character '+'"),
	INV("-", 1, "expected a digit"),
	INV("- 1", 1, "expected a digit"),
	INV("1.", 2, "after '.'"),
	INV("1.e5", 2, "after '.'"),
	INV("1e", 2, "exponent"),
	INV("1e+", 3, "exponent"),
	INV("1E-x", 3, "exponent"),
	INV("1.5.3", 3, "end of input after the value"),
	INV("0x10", 1, "end of input after the value"),
	INV("[1.]", 3, "after '.'"),
	INV("-Infinity", 1, "expected a digit"),
	/* strings */
	INV("\"abc", 4, "unterminated string"),
	INV("\"abc\\", 4, "unterminated string"),
	INV("\"\\", 1, "unterminated string"),
	INV("'abc'", 0, "unexpected character '''"),
	INV("\"a\tb\"", 2, "control character 0x09"),
	INV("\"a\nb\"", 2, "control character 0x0a"),
	INV("\"\x01\"", 1, "control character 0x01"),
	INV("\"\x1f\"", 1, "control character 0x1f"),
	INV("\"a\0b\"", 2, "control character 0x00"),
	INV("\"\\x41\"", 1, "invalid escape '\\x'"),
	INV("\"\\a\"", 1, "invalid escape '\\a'"),
	INV("\"\\U0041\"", 1, "invalid escape '\\U'"),
	INV("\"\\'\"", 1, "invalid escape"),
	INV("\"\\\xc3\xa9\"", 1, "invalid escape"),
	INV("\"\\u12\"", 1, "four hex digits"),
	INV("\"\\u12G4\"", 1, "four hex digits"),
	INV("\"\\u", 1, "four hex digits"),
	INV("\"\\u-123\"", 1, "four hex digits"),
	/* surrogates in escapes */
	INV("\"\\ud800\"", 1, "high surrogate not followed"),
	INV("\"\\ud800x\"", 1, "high surrogate not followed"),
	INV("\"\\ud800\\u0041\"", 1, "high surrogate not followed"),
	INV("\"\\ud800\\ud800\"", 1, "high surrogate not followed"),
	INV("\"\\ud800\\n\"", 1, "high surrogate not followed"),
	INV("\"\\udbff\\ue000\"", 1, "high surrogate not followed"),
	INV("\"\\udc00\"", 1, "lone low surrogate"),
	INV("\"ab\\udfff\\ud800\"", 3, "lone low surrogate"),
	INV("\"\\ud83d\\ude00\\ude00\"", 13, "lone low surrogate"),
	/* UTF-8: unexpected continuation bytes */
	INV("\"\x80\"", 1, "continuation byte"),
	INV("\"\xbf\"", 1, "continuation byte"),
	INV("\"a\xc3\xa9\xa9\"", 4, "continuation byte"),
	/* UTF-8: overlongs */
	INV("\"\xc0\x80\"", 1, "overlong"),
	INV("\"\xc0\xaf\"", 1, "overlong"),
	INV("\"\xc1\xbf\"", 1, "overlong"),
	INV("\"\xe0\x80\x80\"", 1, "overlong"),
	INV("\"\xe0\x9f\xbf\"", 1, "overlong"),
	INV("\"\xf0\x80\x80\x80\"", 1, "overlong"),
	INV("\"\xf0\x8f\xbf\xbf\"", 1, "overlong"),
	/* UTF-8: encoded surrogates */
	INV("\"\xed\xa0\x80\"", 1, "encoded surrogate"),
	INV("\"\xed\xbf\xbf\"", 1, "encoded surrogate"),
	INV("\"\xed\xa0\xbd\xed\xb8\x80\"", 1, "encoded surrogate"),
	/* UTF-8: above U+10FFFF */
	INV("\"\xf4\x90\x80\x80\"", 1, "above U+10FFFF"),
	INV("\"\xf4\xbf\xbf\xbf\"", 1, "above U+10FFFF"),
	INV("\"\xf5\x80\x80\x80\"", 1, "above U+10FFFF"),
	INV("\"\xf7\xbf\xbf\xbf\"", 1, "above U+10FFFF"),
	/* UTF-8: bytes that never occur */
	INV("\"\xf8\x88\x80\x80\x80\"", 1, "invalid byte"),
	INV("\"\xfe\"", 1, "invalid byte"),
	INV("\"\xff\"", 1, "invalid byte"),
	/* UTF-8: truncated sequences */
	INV("\"\xc3\"", 1, "truncated"),
	INV("\"\xc3", 1, "truncated"),
	INV("\"\xe2\x82\"", 1, "truncated"),
	INV("\"\xe2\x82", 1, "truncated"),
	INV("\"\xf0\x9f\x98\"", 1, "truncated"),
	INV("\"\xf0\x9f\x98", 1, "truncated"),
	INV("\"\xe2x\x82\"", 1, "truncated"),
	INV("\"\xc3\xc3\xa9\"", 1, "truncated"),
	/* bytes outside strings */
	INV("\xef\xbb\xbf{}", 0, "unexpected byte 0xef"),
	INV("\xc3\xa9", 0, "unexpected byte 0xc3"),
	INV("[1]\0", 3, "unexpected byte 0x00"),
	INV("\0", 0, "unexpected byte 0x00"),
	/* whitespace JSON does not allow */
	INV("\f[]", 0, "unexpected byte 0x0c"),
	INV("\v[]", 0, "unexpected byte 0x0b"),
	INV("[\xc2\xa0]", 1, "unexpected byte 0xc2"),
	/* duplicate keys */
	INV("{\"a\":1,\"a\":2}", 7, "duplicate key \"a\""),
	INV("{\"a\":1,\"b\":2,\"a\":3}", 13, "duplicate key \"a\""),
	INV("{\"a\":1,\"\\u0061\":2}", 7, "duplicate key \"a\""),
	INV("{\"\":1,\"\":2}", 6, "duplicate key \"\""),
	INV("{\"x\":{\"a\":1,\"a\":1}}", 12, "duplicate key \"a\""),
	INV("{\"a\\u0000b\":1,\"a\\u0000b\":2}", 14, "duplicate key \"a?b\""),
	/* comments and other extensions */
	INV("[1]//", 3, "end of input after the value"),
	INV("/*x*/1", 0, "unexpected character '/'"),
};

static void test_parse_invalid_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(invalid_cases) / sizeof(invalid_cases[0]); i++) {
		const struct invalid_case *c = &invalid_cases[i];
		sr_buf out = SR_BUF_INIT;
		sr_json_error err;
		int rc = parse_write(c->in, c->len, 0, &out, &err);

		if (rc != SR_EINVALID)
			fail_msg("case %zu (%s) parsed to %s", i, c->in, out.ptr);
		if (err.offset != c->offset || !strstr(err.msg, c->msg))
			fail_msg("case %zu (%s): got offset %zu \"%s\", want %zu \"%s\"", i, c->in,
				 err.offset, err.msg, c->offset, c->msg);
		assert_false(err.too_deep);
		sr_buf_dispose(&out);
	}
}

static void test_parse_every_raw_control_char_rejected(void **state)
{
	char text[4] = { '"', 0, '"', 0 };
	unsigned c;

	for (c = 0; c < 0x20; c++) {
		sr_buf out = SR_BUF_INIT;
		sr_json_error err;
		text[1] = (char)c;
		assert_int_equal(parse_write(text, 3, 0, &out, &err), SR_EINVALID);
		assert_int_equal(err.offset, 1);
		assert_non_null(strstr(err.msg, "control character"));
	}
}

/* Every byte value as the only content of a string: 0x20..0x7f except '"'
 * and '\\' parse; every other lone byte is an error. */
static void test_parse_every_lone_byte_in_string(void **state)
{
	char text[3] = { '"', 0, '"' };
	unsigned c;

	for (c = 0; c < 256; c++) {
		sr_buf out = SR_BUF_INIT;
		sr_json_error err;
		int want_ok = c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
		text[1] = (char)c;
		if (c == '"') /* "" followed by '"' */
			continue;
		if ((parse_write(text, 3, 0, &out, &err) == 0) != want_ok)
			fail_msg("byte 0x%02x", c);
		sr_buf_dispose(&out);
	}
}

/* The escape decoder on every code point class, checked against an
 * independent encoder. */
static void test_parse_unicode_escapes_all_bmp(void **state)
{
	unsigned cp;
	sr_arena *a = sr_arena_new(0);

	for (cp = 1; cp < 0x10000; cp += 7) {
		char text[16], want[5];
		size_t wn;
		sr_json *v;
		sr_json_error err;
		int rc;

		snprintf(text, sizeof(text), "\"\\u%04X\"", cp);
		rc = sr_json_parse(&v, a, text, 8, NULL, &err);
		if (cp >= 0xd800 && cp <= 0xdfff) {
			assert_int_equal(rc, SR_EINVALID);
			continue;
		}
		assert_int_equal(rc, 0);
		if (cp < 0x80) {
			want[0] = (char)cp;
			wn = 1;
		} else if (cp < 0x800) {
			want[0] = (char)(0xc0 | cp >> 6);
			want[1] = (char)(0x80 | (cp & 63));
			wn = 2;
		} else {
			want[0] = (char)(0xe0 | cp >> 12);
			want[1] = (char)(0x80 | ((cp >> 6) & 63));
			want[2] = (char)(0x80 | (cp & 63));
			wn = 3;
		}
		assert_int_equal(v->len, wn);
		assert_memory_equal(v->u.str, want, wn);
		assert_int_equal(v->u.str[wn], '\0');
	}
	sr_arena_free(a);
}

static void test_parse_escaped_nul_keeps_length(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *v;
	const char *t = "{\"k\\u0000ey\":\"a\\u0000b\"}";

	assert_int_equal(sr_json_parse(&v, a, t, strlen(t), NULL, NULL), 0);
	assert_int_equal(v->type, SR_JSON_OBJECT);
	assert_int_equal(v->len, 1);
	assert_int_equal(v->u.members[0].key_len, 4);
	assert_memory_equal(v->u.members[0].key, "k\0ey", 5);
	assert_int_equal(v->u.members[0].value->len, 3);
	assert_memory_equal(v->u.members[0].value->u.str, "a\0b", 4);
	sr_arena_free(a);
}

static void test_parse_dom_shape(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *v;
	const char *t = "{\"b\":[1,\"x\",true,false,null],\"a\":{}}";

	assert_int_equal(sr_json_parse(&v, a, t, strlen(t), NULL, NULL), 0);
	assert_int_equal(v->type, SR_JSON_OBJECT);
	assert_int_equal(v->len, 2);
	assert_string_equal(v->u.members[0].key, "b");
	assert_string_equal(v->u.members[1].key, "a");
	assert_int_equal(v->u.members[1].value->type, SR_JSON_OBJECT);
	assert_int_equal(v->u.members[1].value->len, 0);
	v = v->u.members[0].value;
	assert_int_equal(v->type, SR_JSON_ARRAY);
	assert_int_equal(v->len, 5);
	assert_int_equal(v->u.items[0]->type, SR_JSON_NUMBER);
	assert_string_equal(v->u.items[0]->u.str, "1");
	assert_int_equal(v->u.items[1]->type, SR_JSON_STRING);
	assert_string_equal(v->u.items[1]->u.str, "x");
	assert_int_equal(v->u.items[2]->type, SR_JSON_TRUE);
	assert_int_equal(v->u.items[3]->type, SR_JSON_FALSE);
	assert_int_equal(v->u.items[4]->type, SR_JSON_NULL);
	sr_arena_free(a);
}

static void test_parse_number_lexeme_verbatim(void **state)
{
	static const char *const lexemes[] = {
		"0", "-0", "-0.0", "1E+2", "1e-0002", "0.10", "100",
		"123456789012345678901234567890123456789012345678901234567890",
		"-9223372036854775809", "1.7976931348623157e309", "4.9e-325",
		"0.000000000000000000000000000000000000000001",
	};
	size_t i;

	for (i = 0; i < sizeof(lexemes) / sizeof(lexemes[0]); i++) {
		sr_arena *a = sr_arena_new(0);
		sr_json *v;
		char text[128];
		int n = snprintf(text, sizeof(text), "[%s]", lexemes[i]);

		assert_int_equal(sr_json_parse(&v, a, text, (size_t)n, NULL, NULL), 0);
		v = v->u.items[0];
		assert_int_equal(v->type, SR_JSON_NUMBER);
		assert_int_equal(v->len, strlen(lexemes[i]));
		assert_string_equal(v->u.str, lexemes[i]);
		sr_arena_free(a);
	}
}

static void test_parse_error_line_column(void **state)
{
	const char *t = "{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}";
	sr_buf out = SR_BUF_INIT;
	sr_json_error err;

	assert_int_equal(parse_write(t, strlen(t), 0, &out, &err), SR_EINVALID);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 14);
	assert_int_equal(err.offset, 25);
	assert_int_equal(t[err.offset], ',');

	assert_int_equal(parse_write("x", 1, 0, &out, &err), SR_EINVALID);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.column, 1);

	/* CR alone is not a line break for the position; LF is. */
	assert_int_equal(parse_write("[\r\n\r\n  x]", 9, 0, &out, &err), SR_EINVALID);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 3);
}

static void test_parse_error_may_be_null(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_json *v;
	char deep[2001];

	assert_int_equal(sr_json_parse(&v, a, "[1,", 3, NULL, NULL), SR_EINVALID);
	assert_int_equal(sr_json_parse(&v, a, "{\"a\":1,\"a\":1}", 13, NULL, NULL), SR_EINVALID);
	memset(deep, '[', sizeof(deep));
	assert_int_equal(sr_json_parse(&v, a, deep, sizeof(deep), NULL, NULL), SR_EINVALID);
	assert_int_equal(sr_json_parse(&v, a, "[]", 2, NULL, NULL), 0);
	assert_int_equal(sr_json_parse(&v, a, NULL, 0, NULL, NULL), SR_EINVALID);
	sr_arena_free(a);
}

/* The parser reads exactly `len` bytes: what follows in memory never
 * completes or spoils the document. */
static void test_parse_respects_length(void **state)
{
	static const struct {
		const char *buf;
		size_t len;
		int ok;
	} cases[] = {
		{ "[1]garbage", 3, 1 },
		{ "tru" "e", 3, 0 },
		{ "\"abc\"", 4, 0 },
		{ "123", 2, 1 },
		{ "1.5", 2, 0 },
		{ "1e5", 2, 0 },
		{ "\"\xc3\xa9\"", 2, 0 },
		{ "\"\\u0041\"", 5, 0 },
		{ "\"\\ud83d\\ude00\"", 8, 0 },
		{ "{\"a\":1}", 6, 0 },
		{ "nullnull", 4, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* Copy into an exact-size heap block so that ASan catches any
		 * read past the end. */
		char *p = malloc(cases[i].len ? cases[i].len : 1);
		sr_buf out = SR_BUF_INIT;
		sr_json_error err;
		int rc;

		memcpy(p, cases[i].buf, cases[i].len);
		rc = parse_write(p, cases[i].len, 0, &out, &err);
		if ((rc == 0) != cases[i].ok)
			fail_msg("case %zu: rc %d (%s)", i, rc, err.msg);
		sr_buf_dispose(&out);
		free(p);
	}
}

/* ---- depth ----------------------------------------------------------------- */

static char *nested(size_t depth, char open, char close, const char *inner)
{
	size_t in = strlen(inner);
	char *t = malloc(2 * depth + in + 1);

	memset(t, open, depth);
	memcpy(t + depth, inner, in);
	memset(t + depth + in, close, depth);
	t[2 * depth + in] = '\0';
	return t;
}

static void test_parse_depth_limit_exact(void **state)
{
	static const unsigned limits[] = { 1, 2, 3, 17, 64, 1000 };
	size_t i;

	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		unsigned max = limits[i];
		char *ok = nested(max, '[', ']', "1");
		char *over = nested(max + 1, '[', ']', "1");
		sr_buf out = SR_BUF_INIT;
		sr_json_error err;

		assert_int_equal(parse_write(ok, strlen(ok), max, &out, &err), 0);
		assert_string_equal(out.ptr, ok);
		assert_int_equal(parse_write(over, strlen(over), max, &out, &err), SR_EINVALID);
		assert_true(err.too_deep);
		assert_int_equal(err.offset, max);
		assert_non_null(strstr(err.msg, "nesting"));
		free(ok);
		free(over);
		sr_buf_dispose(&out);
	}
}

static void test_parse_depth_default_is_1000(void **state)
{
	char *ok = nested(1000, '[', ']', "");
	char *over = nested(1001, '[', ']', "");
	sr_buf out = SR_BUF_INIT;
	sr_json_error err;

	assert_int_equal(parse_write(ok, strlen(ok), 0, &out, &err), 0);
	assert_int_equal(parse_write(over, strlen(over), 0, &out, &err), SR_EINVALID);
	assert_true(err.too_deep);
	assert_int_equal(err.offset, 1000);
	free(ok);
	free(over);
	sr_buf_dispose(&out);
}

static void test_parse_depth_counts_objects(void **state)
{
	sr_buf out = SR_BUF_INIT;
	sr_json_error err;
	const char *t = "{\"a\":[{\"b\":[]}]}";

	assert_int_equal(parse_write(t, strlen(t), 4, &out, &err), 0);
	assert_int_equal(parse_write(t, strlen(t), 3, &out, &err), SR_EINVALID);
	assert_true(err.too_deep);
	assert_int_equal(err.offset, 11);
	/* Scalars do not count as a level. */
	assert_int_equal(parse_write("[\"x\"]", 5, 1, &out, &err), 0);
	sr_buf_dispose(&out);
}

/* 100,000 '[' is a clean error: under the default limit, and also with a
 * limit high enough to reach the end of the input. */
static void test_parse_100k_nesting(void **state)
{
	size_t n = 100000;
	char *t = malloc(n);
	sr_arena *a = sr_arena_new(0);
	sr_json_limits big = { 200000 };
	sr_json_error err;
	sr_json *v;

	memset(t, '[', n);
	assert_int_equal(sr_json_parse(&v, a, t, n, NULL, &err), SR_EINVALID);
	assert_true(err.too_deep);
	assert_int_equal(sr_json_parse(&v, a, t, n, &big, &err), SR_EINVALID);
	assert_false(err.too_deep);
	assert_int_equal(err.offset, n);
	assert_non_null(strstr(err.msg, "end of input"));
	free(t);

	/* Balanced and within a raised limit: parses, writes and compares
	 * without deep C recursion. */
	t = nested(n, '[', ']', "");
	assert_int_equal(sr_json_parse(&v, a, t, 2 * n, &big, &err), 0);
	{
		sr_buf out = SR_BUF_INIT;
		sr_json *w;
		assert_int_equal(sr_json_write(&out, v), 0);
		assert_int_equal(out.len, 2 * n);
		assert_memory_equal(out.ptr, t, 2 * n);
		assert_int_equal(sr_json_parse(&w, a, out.ptr, out.len, &big, &err), 0);
		assert_true(sr_json_equal(v, w));
		sr_buf_dispose(&out);
	}
	free(t);
	sr_arena_free(a);
}

static void test_parse_100k_nested_objects(void **state)
{
	size_t n = 100000, i;
	char *t = malloc(6 * n + 2);
	sr_arena *a = sr_arena_new(0);
	sr_json_error err;
	sr_json *v;

	for (i = 0; i < n; i++)
		memcpy(t + 5 * i, "{\"a\":", 5);
	assert_int_equal(sr_json_parse(&v, a, t, 5 * n, NULL, &err), SR_EINVALID);
	assert_true(err.too_deep);
	assert_int_equal(err.offset, 5000);
	free(t);
	sr_arena_free(a);
}

/* ---- duplicate keys ---------------------------------------------------------- */

static char *object_with_keys(size_t n, size_t dup_of)
{
	sr_buf b = SR_BUF_INIT;
	size_t i;

	sr_buf_putc(&b, '{');
	for (i = 0; i < n; i++)
		sr_buf_printf(&b, "%s\"key%zu\":%zu", i ? "," : "", i, i);
	if (dup_of != SIZE_MAX)
		sr_buf_printf(&b, ",\"key%zu\":0", dup_of);
	sr_buf_putc(&b, '}');
	return sr_buf_detach(&b, NULL);
}

static void test_parse_duplicate_keys_around_index_threshold(void **state)
{
	size_t n;

	/* Objects on both sides of the switch from linear scan to hash index,
	 * with the duplicate of the first, a middle and the last key. */
	for (n = 1; n < 40; n++) {
		size_t which[3] = { 0, n / 2, n - 1 }, k;
		char *t = object_with_keys(n, SIZE_MAX);
		sr_buf out = SR_BUF_INIT;
		sr_json_error err;

		assert_int_equal(parse_write(t, strlen(t), 0, &out, &err), 0);
		assert_string_equal(out.ptr, t);
		free(t);
		for (k = 0; k < 3; k++) {
			char want[64];
			t = object_with_keys(n, which[k]);
			assert_int_equal(parse_write(t, strlen(t), 0, &out, &err), SR_EINVALID);
			snprintf(want, sizeof(want), "duplicate key \"key%zu\"", which[k]);
			assert_string_equal(err.msg, want);
			assert_int_equal(t[err.offset], '"');
			free(t);
		}
		sr_buf_dispose(&out);
	}
}

static void test_parse_duplicate_keys_nested_large_objects(void **state)
{
	/* Two large sibling objects with the same keys are fine; each object
	 * has its own index. */
	char *inner = object_with_keys(50, SIZE_MAX);
	sr_buf b = SR_BUF_INIT;
	sr_json_error err;
	sr_buf out = SR_BUF_INIT;

	sr_buf_printf(&b, "{\"x\":%s,\"y\":[%s,%s],\"key3\":{\"key3\":%s}}", inner, inner, inner,
		      inner);
	assert_int_equal(parse_write(b.ptr, b.len, 0, &out, &err), 0);
	assert_string_equal(out.ptr, b.ptr);
	sr_buf_clear(&out);
	/* ... and a duplicate in the outer object after the inner ones closed. */
	sr_buf_truncate(&b, b.len - 1);
	sr_buf_puts(&b, ",\"y\":1}");
	assert_int_equal(parse_write(b.ptr, b.len, 0, &out, &err), SR_EINVALID);
	assert_string_equal(err.msg, "duplicate key \"y\"");
	free(inner);
	sr_buf_dispose(&b);
	sr_buf_dispose(&out);
}

static void test_parse_duplicate_key_message_truncated(void **state)
{
	sr_buf b = SR_BUF_INIT, out = SR_BUF_INIT;
	sr_json_error err;
	size_t i;

	/* A long key of two-byte characters is cut at a character boundary. */
	sr_buf_puts(&b, "{\"");
	for (i = 0; i < 100; i++)
		sr_buf_puts(&b, "\xc3\xa9");
	sr_buf_puts(&b, "\":1,\"");
	for (i = 0; i < 100; i++)
		sr_buf_puts(&b, "\xc3\xa9");
	sr_buf_puts(&b, "\":2}");
	assert_int_equal(parse_write(b.ptr, b.len, 0, &out, &err), SR_EINVALID);
	assert_non_null(strstr(err.msg, "duplicate key \"\xc3\xa9"));
	assert_non_null(strstr(err.msg, "\xc3\xa9\"..."));
	assert_true(strlen(err.msg) < sizeof(err.msg) - 1);
	sr_buf_dispose(&b);
	sr_buf_dispose(&out);
}

static void test_parse_100k_member_object(void **state)
{
	char *t = object_with_keys(100000, SIZE_MAX);
	sr_arena *a = sr_arena_new(0);
	sr_json_error err;
	sr_json *v;

	assert_int_equal(sr_json_parse(&v, a, t, strlen(t), NULL, &err), 0);
	assert_int_equal(v->len, 100000);
	assert_string_equal(v->u.members[99999].key, "key99999");
	free(t);
	t = object_with_keys(100000, 77777);
	assert_int_equal(sr_json_parse(&v, a, t, strlen(t), NULL, &err), SR_EINVALID);
	assert_string_equal(err.msg, "duplicate key \"key77777\"");
	free(t);
	sr_arena_free(a);
}

/* ---- round trip ---------------------------------------------------------------- */

static void test_parse_round_trip_compact_is_identical(void **state)
{
	static const char *const docs[] = {
		"{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\","
		"\"fields\":[{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"email\","
		"\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"score\","
		"\"type\":\"double\",\"default\":1.50e+3}],\"doc\":\"caf\xc3\xa9 \\\"q\\\" \\\\ "
		"\\n\\t\\u0001\"}",
		"[0,-0,1.0,1E+2,1e-2,12345678901234567890,true,false,null,\"\",{},[]]",
		"\"\xf0\x9f\x98\x80\xe2\x82\xac\"",
	};
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		sr_buf out = SR_BUF_INIT;
		sr_json_error err;

		assert_int_equal(parse_write(docs[i], strlen(docs[i]), 0, &out, &err), 0);
		assert_string_equal(out.ptr, docs[i]);
		sr_buf_dispose(&out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid_table),
		cmocka_unit_test(test_parse_invalid_table),
		cmocka_unit_test(test_parse_every_raw_control_char_rejected),
		cmocka_unit_test(test_parse_every_lone_byte_in_string),
		cmocka_unit_test(test_parse_unicode_escapes_all_bmp),
		cmocka_unit_test(test_parse_escaped_nul_keeps_length),
		cmocka_unit_test(test_parse_dom_shape),
		cmocka_unit_test(test_parse_number_lexeme_verbatim),
		cmocka_unit_test(test_parse_error_line_column),
		cmocka_unit_test(test_parse_error_may_be_null),
		cmocka_unit_test(test_parse_respects_length),
		cmocka_unit_test(test_parse_depth_limit_exact),
		cmocka_unit_test(test_parse_depth_default_is_1000),
		cmocka_unit_test(test_parse_depth_counts_objects),
		cmocka_unit_test(test_parse_100k_nesting),
		cmocka_unit_test(test_parse_100k_nested_objects),
		cmocka_unit_test(test_parse_duplicate_keys_around_index_threshold),
		cmocka_unit_test(test_parse_duplicate_keys_nested_large_objects),
		cmocka_unit_test(test_parse_duplicate_key_message_truncated),
		cmocka_unit_test(test_parse_100k_member_object),
		cmocka_unit_test(test_parse_round_trip_compact_is_identical),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

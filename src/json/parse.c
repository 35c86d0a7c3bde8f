/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The strict JSON parser. It is iterative: open arrays and objects live on
 * an explicit frame stack bounded by the depth limit, and the children of
 * every open container are collected on two shared scratch vectors (items
 * and members) and copied into the arena, exactly sized, when the
 * container closes. So 100,000 '[' cost one error, not 100,000 stack
 * frames, and a node is allocated once.
 *
 * Strings are scanned once to find the closing quote while validating
 * UTF-8, control characters and escapes; only strings that contain escapes
 * take a second, error-free decoding pass. The scan skips eight plain ASCII
 * bytes at a time.
 */
#include "json/json.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/map.h"
#include "core/mem.h"
#include "json/internal.h"

#define DEFAULT_MAX_DEPTH 1000
/* Objects with up to this many members are checked for duplicate keys by
 * a linear scan; past it the object gets a hash index, so that an object
 * of n members costs O(n) and not O(n^2). */
#define DUP_LINEAR_MAX 16

struct frame {
	sr_json *node; /* the open array or object */
	size_t base;   /* its first child in the scratch vector */
	bool indexed;  /* `keys` holds every key of the object */
	sr_map keys;
};

struct parser {
	const unsigned char *start, *end;
	sr_arena *a;
	unsigned max_depth;
	sr_json_error *err;

	struct frame *frames;
	size_t nframes, frames_cap;
	sr_json **items;
	size_t nitems, items_cap;
	sr_json_member *members;
	size_t nmembers, members_cap;
};

/* ---- errors -------------------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static void fail(struct parser *P,
							const unsigned char *at,
							const char *fmt, ...)
{
	va_list ap;

	if (!P->err)
		return;
	P->err->offset = (size_t)(at - P->start);
	va_start(ap, fmt);
	vsnprintf(P->err->msg, sizeof(P->err->msg), fmt, ap);
	va_end(ap);
}

static void fail_unexpected(struct parser *P, const unsigned char *at, const char *what)
{
	if (at >= P->end)
		fail(P, at, "unexpected end of input, %s", what);
	else if (*at > 0x20 && *at < 0x7f)
		fail(P, at, "unexpected character '%c', %s", *at, what);
	else
		fail(P, at, "unexpected byte 0x%02x, %s", *at, what);
}

static void set_position(sr_json_error *err, const unsigned char *start)
{
	size_t i, line_start = 0;
	unsigned line = 1;

	for (i = 0; i < err->offset; i++) {
		if (start[i] == '\n') {
			line++;
			line_start = i + 1;
		}
	}
	err->line = line;
	err->column = (unsigned)(err->offset - line_start + 1);
}

/* Append at most ~60 bytes of `key` to a message, cut at a character
 * boundary and with control characters shown as '?'. */
static void fail_duplicate(struct parser *P, const unsigned char *at, const char *key,
			   size_t len)
{
	char shown[68];
	size_t n = len, i;

	if (n > 60) {
		n = 60;
		while (n > 0 && ((unsigned char)key[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++)
		shown[i] = (unsigned char)key[i] < 0x20 ? '?' : key[i];
	shown[n] = '\0';
	fail(P, at, "duplicate key \"%s\"%s", shown, n < len ? "..." : "");
}

/* ---- whitespace and strings ---------------------------------------------- */

static inline const unsigned char *skip_ws(const unsigned char *q, const unsigned char *end)
{
	while (q < end && (*q == ' ' || *q == '\n' || *q == '\r' || *q == '\t'))
		q++;
	return q;
}

enum { CH_PLAIN, CH_QUOTE, CH_ESCAPE, CH_CONTROL, CH_HIGH };

static const unsigned char char_class[256] = {
	[0x00 ... 0x1f] = CH_CONTROL,
	['"'] = CH_QUOTE,
	['\\'] = CH_ESCAPE,
	[0x80 ... 0xff] = CH_HIGH,
};

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Bit 7 of each byte of the result is set where `x` has a byte that needs
 * attention in a string: '"', '\\', a control character or a non-ASCII
 * byte. Borrows can flag bytes above a true hit, never below one, so the
 * lowest flagged byte is exact. */
static inline uint64_t special_bytes(uint64_t x)
{
	uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');

	return ((q - ONES) & ~q) | ((b - ONES) & ~b) | ((x - ONES * 0x20) & ~x) | x;
}

/* Validate the UTF-8 sequence that starts with the non-ASCII byte at `q`
 * (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). Returns
 * its length, or 0 with `*why` set. */
static size_t utf8_sequence(const unsigned char *q, const unsigned char *end, const char **why)
{
	unsigned c = q[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0xc0) {
		*why = "invalid UTF-8: unexpected continuation byte";
		return 0;
	}
	if (c < 0xc2) {
		*why = "invalid UTF-8: overlong encoding";
		return 0;
	}
	if (c < 0xe0) {
		n = 2;
	} else if (c < 0xf0) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c < 0xf5) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else if (c < 0xf8) {
		*why = "invalid UTF-8: code point above U+10FFFF";
		return 0;
	} else {
		*why = "invalid UTF-8: invalid byte";
		return 0;
	}
	for (i = 1; i < n; i++) {
		if (q + i >= end || (q[i] & 0xc0) != 0x80) {
			*why = "invalid UTF-8: truncated sequence";
			return 0;
		}
	}
	if (q[1] < lo) {
		*why = "invalid UTF-8: overlong encoding";
		return 0;
	}
	if (q[1] > hi) {
		*why = c == 0xed ? "invalid UTF-8: encoded surrogate"
				 : "invalid UTF-8: code point above U+10FFFF";
		return 0;
	}
	return n;
}

static int hex4(const unsigned char *q)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		unsigned c = q[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (int)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (int)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return v;
}

/* Validate the escape at `q` (a backslash); returns the byte after it. */
static const unsigned char *check_escape(struct parser *P, const unsigned char *q)
{
	const unsigned char *end = P->end;
	int u, lo;

	if (end - q < 2) {
		fail(P, q, "unterminated string");
		return NULL;
	}
	switch (q[1]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
		return q + 2;
	case 'u':
		break;
	default:
		if (q[1] >= 0x20 && q[1] < 0x7f)
			fail(P, q, "invalid escape '\\%c' in string", q[1]);
		else
			fail(P, q, "invalid escape in string");
		return NULL;
	}
	if (end - q < 6 || (u = hex4(q + 2)) < 0) {
		fail(P, q, "invalid \\u escape: expected four hex digits");
		return NULL;
	}
	if (u >= 0xdc00 && u <= 0xdfff) {
		fail(P, q, "invalid \\u escape: lone low surrogate");
		return NULL;
	}
	if (u < 0xd800 || u > 0xdbff)
		return q + 6;
	if (end - q < 12 || q[6] != '\\' || q[7] != 'u' || (lo = hex4(q + 8)) < 0 ||
	    lo < 0xdc00 || lo > 0xdfff) {
		fail(P, q, "invalid \\u escape: high surrogate not followed by a low surrogate");
		return NULL;
	}
	return q + 12;
}

/* Find the closing quote of the string whose content starts at `q`,
 * validating everything on the way. */
static const unsigned char *scan_string(struct parser *P, const unsigned char *q, bool *escaped)
{
	const unsigned char *end = P->end;
	const char *why;
	size_t n;

	for (;;) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		while (end - q >= 8) {
			uint64_t x, m;
			memcpy(&x, q, 8);
			m = special_bytes(x) & HIGHS;
			if (m) {
				q += __builtin_ctzll(m) >> 3;
				break;
			}
			q += 8;
		}
#endif
		if (q >= end) {
			fail(P, q, "unterminated string");
			return NULL;
		}
		switch (char_class[*q]) {
		case CH_PLAIN:
			q++;
			break;
		case CH_QUOTE:
			return q;
		case CH_ESCAPE:
			*escaped = true;
			q = check_escape(P, q);
			if (!q)
				return NULL;
			break;
		case CH_CONTROL:
			fail(P, q, "control character 0x%02x in string must be escaped", *q);
			return NULL;
		default:
			n = utf8_sequence(q, end, &why);
			if (!n) {
				fail(P, q, "%s", why);
				return NULL;
			}
			q += n;
		}
	}
}

static char *put_utf8(char *d, unsigned cp)
{
	if (cp < 0x80) {
		*d++ = (char)cp;
	} else if (cp < 0x800) {
		*d++ = (char)(0xc0 | (cp >> 6));
		*d++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*d++ = (char)(0xe0 | (cp >> 12));
		*d++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*d++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*d++ = (char)(0xf0 | (cp >> 18));
		*d++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*d++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*d++ = (char)(0x80 | (cp & 0x3f));
	}
	return d;
}

/* Decode the validated content `q[0..close)` into `dst` (room for as many
 * bytes: no escape is longer decoded than written). Returns the length. */
static size_t decode_string(char *dst, const unsigned char *q, const unsigned char *close)
{
	char *d = dst;

	while (q < close) {
		const unsigned char *bs = memchr(q, '\\', (size_t)(close - q));
		unsigned cp;

		if (!bs) {
			memcpy(d, q, (size_t)(close - q));
			d += close - q;
			break;
		}
		memcpy(d, q, (size_t)(bs - q));
		d += bs - q;
		switch (bs[1]) {
		case 'b': *d++ = '\b'; break;
		case 'f': *d++ = '\f'; break;
		case 'n': *d++ = '\n'; break;
		case 'r': *d++ = '\r'; break;
		case 't': *d++ = '\t'; break;
		case 'u':
			cp = (unsigned)hex4(bs + 2);
			if (cp >= 0xd800 && cp <= 0xdbff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + ((unsigned)hex4(bs + 8) - 0xdc00);
				bs += 6;
			}
			d = put_utf8(d, cp);
			q = bs + 6;
			continue;
		default: /* '"', '\\', '/' */
			*d++ = (char)bs[1];
		}
		q = bs + 2;
	}
	*d = '\0';
	return (size_t)(d - dst);
}

/* Parse the string whose opening quote is at `q` into memory of its own
 * placed `extra` bytes into a fresh arena allocation (so that a node and
 * its bytes can share one allocation). Returns the byte after the closing
 * quote. */
static const unsigned char *parse_string(struct parser *P, const unsigned char *q, size_t extra,
					 void **block, const char **str, size_t *len)
{
	const unsigned char *content = q + 1, *close;
	bool escaped = false;
	size_t raw;
	char *d;

	close = scan_string(P, content, &escaped);
	if (!close)
		return NULL;
	raw = (size_t)(close - content);
	*block = sr_arena_alloc(P->a, extra + raw + 1);
	d = (char *)*block + extra;
	if (escaped) {
		*len = decode_string(d, content, close);
	} else {
		memcpy(d, content, raw);
		d[raw] = '\0';
		*len = raw;
	}
	*str = d;
	return close + 1;
}

/* ---- containers ---------------------------------------------------------- */

static void *grow(void *v, size_t *cap, size_t elem)
{
	*cap = *cap ? *cap * 2 : 64;
	return sr_realloc(v, *cap * elem);
}

static sr_json *new_node(struct parser *P, sr_json_type type)
{
	sr_json *v = sr_arena_alloc(P->a, sizeof(*v));
	v->type = type;
	v->len = 0;
	v->u.str = NULL;
	return v;
}

static int open_container(struct parser *P, const unsigned char *at, sr_json_type type)
{
	struct frame *f;

	if (P->nframes >= P->max_depth) {
		if (P->err)
			P->err->too_deep = true;
		fail(P, at, "nesting deeper than %u levels", P->max_depth);
		return -1;
	}
	if (P->nframes == P->frames_cap)
		P->frames = grow(P->frames, &P->frames_cap, sizeof(*P->frames));
	f = &P->frames[P->nframes++];
	f->node = new_node(P, type);
	f->base = type == SR_JSON_ARRAY ? P->nitems : P->nmembers;
	f->indexed = false;
	f->keys = (sr_map)SR_MAP_INIT;
	return 0;
}

static sr_json *close_container(struct parser *P)
{
	struct frame *f = &P->frames[--P->nframes];
	sr_json *v = f->node;
	size_t n;

	if (v->type == SR_JSON_ARRAY) {
		n = P->nitems - f->base;
		if (n) {
			v->u.items = sr_json__vec_new(P->a, n, sizeof(sr_json *));
			memcpy(v->u.items, P->items + f->base, n * sizeof(sr_json *));
		}
		P->nitems = f->base;
	} else {
		n = P->nmembers - f->base;
		if (n) {
			v->u.members = sr_json__vec_new(P->a, n, sizeof(sr_json_member));
			memcpy(v->u.members, P->members + f->base, n * sizeof(sr_json_member));
		}
		P->nmembers = f->base;
		if (f->indexed)
			sr_map_dispose(&f->keys);
	}
	v->len = n;
	return v;
}

/* Record the key of a new member of the innermost object; false if the
 * object already has it. */
static bool add_key(struct parser *P, const char *key, size_t len)
{
	struct frame *f = &P->frames[P->nframes - 1];
	sr_json_member *m;
	size_t i, n = P->nmembers - f->base;

	if (!f->indexed && n < DUP_LINEAR_MAX) {
		for (i = f->base; i < P->nmembers; i++)
			if (P->members[i].key_len == len && memcmp(P->members[i].key, key, len) == 0)
				return false;
	} else {
		if (!f->indexed) {
			/* Sized for a large object at once: growing from 16 slots
			 * rehashed several times per object. The value only marks
			 * presence: the key itself. */
			sr_map_reserve(&f->keys, 4 * DUP_LINEAR_MAX);
			for (i = f->base; i < P->nmembers; i++)
				sr_map_put(&f->keys, P->members[i].key, P->members[i].key_len,
					   (void *)P->members[i].key);
			f->indexed = true;
		}
		if (sr_map_put(&f->keys, key, len, (void *)key))
			return false;
	}
	if (P->nmembers == P->members_cap)
		P->members = grow(P->members, &P->members_cap, sizeof(*P->members));
	m = &P->members[P->nmembers++];
	m->key = key;
	m->key_len = len;
	m->value = NULL;
	return true;
}

/* ---- the parser ---------------------------------------------------------- */

static int run(struct parser *P, sr_json **out)
{
	const unsigned char *q = P->start, *end = P->end, *at;
	sr_json *v = NULL;
	struct frame *f;
	void *block;
	const char *s, *why = NULL;
	size_t n, bad = 0;

value:
	q = skip_ws(q, end);
	if (q >= end) {
		fail(P, q, "unexpected end of input, expected a value");
		return -1;
	}
	switch (*q) {
	case '{':
		if (open_container(P, q, SR_JSON_OBJECT) < 0)
			return -1;
		q = skip_ws(q + 1, end);
		if (q < end && *q == '}') {
			q++;
			v = close_container(P);
			goto have_value;
		}
		goto key;
	case '[':
		if (open_container(P, q, SR_JSON_ARRAY) < 0)
			return -1;
		q = skip_ws(q + 1, end);
		if (q < end && *q == ']') {
			q++;
			v = close_container(P);
			goto have_value;
		}
		goto value;
	case '"':
		q = parse_string(P, q, sizeof(sr_json), &block, &s, &n);
		if (!q)
			return -1;
		v = block;
		v->type = SR_JSON_STRING;
		v->len = n;
		v->u.str = s;
		goto have_value;
	case 't':
		if (end - q >= 4 && memcmp(q, "true", 4) == 0) {
			v = new_node(P, SR_JSON_TRUE);
			q += 4;
			goto have_value;
		}
		break;
	case 'f':
		if (end - q >= 5 && memcmp(q, "false", 5) == 0) {
			v = new_node(P, SR_JSON_FALSE);
			q += 5;
			goto have_value;
		}
		break;
	case 'n':
		if (end - q >= 4 && memcmp(q, "null", 4) == 0) {
			v = new_node(P, SR_JSON_NULL);
			q += 4;
			goto have_value;
		}
		break;
	case '-':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		n = sr_json__scan_number((const char *)q, (size_t)(end - q), &bad, &why);
		if (!n) {
			fail(P, q + bad, "%s", why);
			return -1;
		}
		v = sr_arena_alloc(P->a, sizeof(sr_json) + n + 1);
		v->type = SR_JSON_NUMBER;
		v->len = n;
		v->u.str = (char *)(v + 1);
		memcpy((char *)(v + 1), q, n);
		((char *)(v + 1))[n] = '\0';
		q += n;
		goto have_value;
	default:
		fail_unexpected(P, q, "expected a value");
		return -1;
	}
	fail(P, q, "invalid literal");
	return -1;

key:
	if (q >= end || *q != '"') {
		fail_unexpected(P, q, "expected a string key");
		return -1;
	}
	at = q;
	q = parse_string(P, q, 0, &block, &s, &n);
	if (!q)
		return -1;
	if (!add_key(P, s, n)) {
		fail_duplicate(P, at, s, n);
		return -1;
	}
	q = skip_ws(q, end);
	if (q >= end || *q != ':') {
		fail_unexpected(P, q, "expected ':'");
		return -1;
	}
	q++;
	goto value;

have_value:
	if (!P->nframes) {
		q = skip_ws(q, end);
		if (q < end) {
			fail_unexpected(P, q, "expected the end of input after the value");
			return -1;
		}
		*out = v;
		return 0;
	}
	f = &P->frames[P->nframes - 1];
	q = skip_ws(q, end);
	if (f->node->type == SR_JSON_ARRAY) {
		if (P->nitems == P->items_cap)
			P->items = grow(P->items, &P->items_cap, sizeof(*P->items));
		P->items[P->nitems++] = v;
		if (q < end && *q == ',') {
			q++;
			goto value;
		}
		if (q < end && *q == ']') {
			q++;
			v = close_container(P);
			goto have_value;
		}
		fail_unexpected(P, q, "expected ',' or ']'");
		return -1;
	}
	P->members[P->nmembers - 1].value = v;
	if (q < end && *q == ',') {
		q = skip_ws(q + 1, end);
		goto key;
	}
	if (q < end && *q == '}') {
		q++;
		v = close_container(P);
		goto have_value;
	}
	fail_unexpected(P, q, "expected ',' or '}'");
	return -1;
}

int sr_json_parse(sr_json **out, sr_arena *a, const char *text, size_t len,
		  const sr_json_limits *limits, sr_json_error *err)
{
	struct parser P;
	size_t i;
	int rc;

	if (!text)
		text = ""; /* len is 0; keeps the pointer arithmetic defined */
	memset(&P, 0, sizeof(P));
	P.start = (const unsigned char *)text;
	P.end = P.start + len;
	P.a = a;
	P.max_depth = limits && limits->max_depth ? limits->max_depth : DEFAULT_MAX_DEPTH;
	P.err = err;
	if (err)
		memset(err, 0, sizeof(*err));
	*out = NULL;

	rc = run(&P, out);
	for (i = 0; i < P.nframes; i++)
		if (P.frames[i].indexed)
			sr_map_dispose(&P.frames[i].keys);
	free(P.frames);
	free(P.items);
	free(P.members);
	if (rc < 0) {
		*out = NULL;
		if (err)
			set_position(err, P.start);
		return SR_EINVALID;
	}
	return 0;
}

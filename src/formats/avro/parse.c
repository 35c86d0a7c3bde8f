/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Avro schema parsing and validation (Apache Avro specification 1.11/1.12,
 * with Apache Avro Java's Schema.Parser as the reference for details the
 * specification leaves open).
 *
 * The JSON text is parsed into a DOM (json/), then walked once to build the
 * model of avro_internal.h. Rules enforced:
 *  - types: the primitives, record/error, enum, array, map, fixed, unions
 *    (JSON arrays), and references by name to named types defined earlier
 *    (or by a referenced schema); an object {"type":"Name"} is a reference
 *    too, as in Java;
 *  - names: [A-Za-z_][A-Za-z0-9_]*; a dotted "name" sets the namespace;
 *    otherwise "namespace" (string, "" = the null namespace; null or absent
 *    = inherited from the enclosing named type); every namespace component
 *    follows the name grammar; a full name may not be a primitive type
 *    name; a full name is defined once; references resolve first in the
 *    current namespace, then in the null namespace;
 *  - records: "fields" is an array; field names valid and unique; "order"
 *    is ascending|descending|ignore (any case, as Java); field aliases are
 *    valid names; defaults are type-checked (see valid_default(); a
 *    float/double default must be finite, since Java would write an
 *    overflowing one back as the string "Infinity");
 *  - enums: symbols valid names, unique; "default" one of the symbols;
 *  - fixed: "size" an int32 >= 0;
 *  - unions: no nested unions, no two branches of the same unnamed type or
 *    the same full name;
 *  - aliases of named types: valid (possibly dotted) names, resolved
 *    against the type's namespace;
 *  - "doc" is a string (null is taken as absent);
 *  - logical types: a valid annotation is recorded in node->logical; an
 *    invalid one is ignored (the schema stays valid), as the spec says;
 *    the attributes stay as custom properties either way.
 * Other attributes are kept, in input order, as custom properties.
 *
 * References (Confluent schema references) are parsed first into the same
 * name table; their named types are marked external.
 *
 * Deliberate differences from Avro Java, all stricter and all following
 * the specification: names must be ASCII (Java accepts any Unicode letter),
 * namespaces are validated, bytes/fixed defaults must consist of code
 * points 0-255, an enum-typed default must be one of the symbols, a
 * non-string "namespace"/"doc" is an error rather than ignored.
 *
 * Work is bounded: recursion follows the JSON nesting (limited by
 * limits->max_json_depth, and never deeper than MAX_JSON_DEPTH), and
 * default-value checking, which can follow the defaults of nested record
 * fields, has a step budget.
 */
#include "formats/avro/avro_internal.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/map.h"
#include "core/mem.h"
#include "formats/avro/avro.h"

#define DEFAULT_JSON_DEPTH 1000
/* Hard ceiling on the JSON nesting of an Avro schema, whatever the
 * configured limit: the model, the writers and the checker recurse along
 * the nesting, and this keeps their stack use well under 1 MiB. */
#define MAX_JSON_DEPTH 2000
#define DEFAULT_CHECK_STEPS 1000000
#define DEFAULT_CHECK_DEPTH 2000
#define QUOTE_MAX 80

typedef struct seg {
	const char *key; /* NULL: array index */
	size_t idx;
} seg;

typedef struct pctx {
	sr_arena *a;
	sr_err *err;
	sr_map names;           /* full name -> node */
	sr_avro_node **named;
	size_t nnamed, named_cap;
	bool external;          /* parsing a referenced schema */
	const char *ref_name;   /* its name, for messages */
	seg *path;
	size_t depth, path_cap;
	unsigned long steps;    /* default-check budget left */
	bool failed;
	int rc;                 /* SR_EINVALID or SR_ETOOBIG once failed */
} pctx;

static const char *const schema_reserved[] = {
	"doc", "fields", "items", "name", "namespace", "size",
	"symbols", "values", "type", "aliases", NULL,
};
static const char *const field_reserved[] = {
	"default", "doc", "name", "order", "type", "aliases", NULL,
};

/* ---- path and errors ----------------------------------------------------- */

static void push_key(pctx *c, const char *key)
{
	if (c->depth == c->path_cap) {
		c->path_cap = c->path_cap ? c->path_cap * 2 : 32;
		c->path = sr_realloc(c->path, c->path_cap * sizeof(*c->path));
	}
	c->path[c->depth].key = key;
	c->path[c->depth].idx = 0;
	c->depth++;
}

static void push_idx(pctx *c, size_t idx)
{
	push_key(c, NULL);
	c->path[c->depth - 1].idx = idx;
}

static void pop(pctx *c)
{
	c->depth--;
}

static void put_pointer(sr_buf *b, const pctx *c)
{
	size_t i;

	if (c->depth == 0) {
		sr_buf_puts(b, "the top level");
		return;
	}
	for (i = 0; i < c->depth; i++) {
		sr_buf_putc(b, '/');
		if (!c->path[i].key) {
			sr_buf_printf(b, "%zu", c->path[i].idx);
			continue;
		}
		sr_json_pointer_put_token(b, c->path[i].key, strlen(c->path[i].key));
	}
}

/* Record the first error; returns NULL so callers can `return fail(...)`. */
static void *fail(pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void *fail(pctx *c, const char *fmt, ...)
{
	sr_buf b = SR_BUF_INIT;
	va_list ap;

	if (c->failed)
		return NULL;
	c->failed = true;
	c->rc = SR_EINVALID;
	sr_buf_init(&b, 4096);
	sr_buf_puts(&b, "Invalid schema: ");
	if (c->ref_name)
		sr_buf_printf(&b, "in reference \"%s\": ", c->ref_name);
	va_start(ap, fmt);
	sr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	sr_buf_puts(&b, " at ");
	put_pointer(&b, c);
	sr_err_set(c->err, SR_EINVALID, SR_ERR_INVALID_SCHEMA, "%s", b.ptr ? b.ptr : "");
	sr_buf_dispose(&b);
	return NULL;
}

/* A quoted, possibly shortened rendering of a string for messages. */
static const char *qs(pctx *c, const char *s, size_t n)
{
	sr_buf b = SR_BUF_INIT;
	const char *r;
	bool cut = n > QUOTE_MAX;

	sr_buf_put_json_string(&b, s, cut ? QUOTE_MAX : n);
	if (cut)
		sr_buf_puts(&b, "...");
	r = sr_arena_strndup(c->a, b.ptr, b.len);
	sr_buf_dispose(&b);
	return r;
}

/* A compact, possibly shortened rendering of a JSON value for messages. */
static const char *qv(pctx *c, const sr_json *v)
{
	sr_buf b = SR_BUF_INIT;
	const char *r;

	sr_buf_init(&b, 4 * QUOTE_MAX);
	if (sr_avro__put_value(&b, v, false) < 0 || b.len > QUOTE_MAX) {
		sr_buf_truncate(&b, QUOTE_MAX);
		sr_buf_puts(&b, "...");
	}
	r = sr_arena_strndup(c->a, b.ptr ? b.ptr : "", b.len);
	sr_buf_dispose(&b);
	return r;
}

/* ---- names --------------------------------------------------------------- */

static bool valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return false;
	for (i = 1; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == '_'))
			return false;
	}
	return true;
}

/* Every dot-separated component of `s[0..n)` is a valid name (n > 0). */
static bool valid_dotted(const char *s, size_t n)
{
	size_t start = 0, i;

	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (!valid_name(s + start, i - start))
				return false;
			start = i + 1;
		}
	}
	return true;
}

/*
 * Resolve `s[0..n)` (a name as written) against the namespace `space`
 * (NULL = null namespace) into `out`. A dotted name carries its own
 * namespace. Returns false (error recorded, `what` names the attribute)
 * if a part is not a valid name.
 */
static bool make_name(pctx *c, sr_avro_name *out, const char *s, size_t n,
		      const char *space, const char *what)
{
	const char *dot = n ? memrchr(s, '.', n) : NULL;
	char *full;

	if (memchr(s, '\0', n) || (dot ? !valid_dotted(s, n) : !valid_name(s, n))) {
		fail(c, "%s %s is not a valid Avro name", what, qs(c, s, n));
		return false;
	}
	if (dot) {
		full = sr_arena_strndup(c->a, s, n);
		out->full = full;
		out->space = sr_arena_strndup(c->a, s, (size_t)(dot - s));
		out->name = full + (dot - s) + 1;
	} else if (space) {
		full = sr_arena_printf(c->a, "%s.%.*s", space, (int)n, s);
		out->full = full;
		out->space = space;
		out->name = full + strlen(space) + 1;
	} else {
		full = sr_arena_strndup(c->a, s, n);
		out->full = full;
		out->space = NULL;
		out->name = full;
	}
	return true;
}

/* The named type a reference `s` denotes from namespace `space`, or NULL. */
static sr_avro_node *lookup(pctx *c, const char *s, size_t n, const char *space)
{
	sr_avro_node *found;
	char buf[256];
	char *tmp = buf;
	size_t sl;

	if (!memchr(s, '.', n) && space) {
		sl = strlen(space);
		if (sl + 1 + n > sizeof(buf))
			tmp = sr_malloc(sl + 1 + n);
		memcpy(tmp, space, sl);
		tmp[sl] = '.';
		memcpy(tmp + sl + 1, s, n);
		found = sr_map_get(&c->names, tmp, sl + 1 + n);
		if (tmp != buf)
			free(tmp);
		if (found)
			return found;
	}
	return sr_map_get(&c->names, s, n);
}

/* ---- small helpers ------------------------------------------------------- */

static bool is_reserved(const char *const *set, const sr_json_member *m)
{
	size_t i;

	for (i = 0; set[i]; i++)
		if (strlen(set[i]) == m->key_len && memcmp(set[i], m->key, m->key_len) == 0)
			return true;
	return false;
}

static sr_avro_props collect_props(pctx *c, const sr_json *obj,
				   const char *const *reserved, bool enum_default)
{
	sr_avro_props p = { NULL, 0 };
	size_t i, n = 0;

	for (i = 0; i < obj->len; i++) {
		const sr_json_member *m = &obj->u.members[i];
		if (is_reserved(reserved, m))
			continue;
		if (enum_default && m->key_len == 7 && memcmp(m->key, "default", 7) == 0)
			continue;
		n++;
	}
	if (!n)
		return p;
	p.items = sr_arena_alloc(c->a, n * sizeof(*p.items));
	for (i = 0; i < obj->len; i++) {
		const sr_json_member *m = &obj->u.members[i];
		if (is_reserved(reserved, m))
			continue;
		if (enum_default && m->key_len == 7 && memcmp(m->key, "default", 7) == 0)
			continue;
		p.items[p.count++] = m;
	}
	return p;
}

/*
 * A duplicate detector over NUL-terminated strings: linear for small sets,
 * a hash map beyond. The strings must outlive the set.
 */
typedef struct dupset {
	const char *small[16];
	size_t n;
	sr_map map;
} dupset;

/* Add `s`; false if it was already there. */
static bool dupset_add(dupset *d, const char *s)
{
	size_t i, len = strlen(s);

	if (d->n < 16) {
		for (i = 0; i < d->n; i++)
			if (strcmp(d->small[i], s) == 0)
				return false;
		d->small[d->n++] = s;
		return true;
	}
	if (d->n == 16)
		for (i = 0; i < 16; i++)
			sr_map_put(&d->map, d->small[i], strlen(d->small[i]), (void *)d->small[i]);
	if (sr_map_get(&d->map, s, len))
		return false;
	sr_map_put(&d->map, s, len, (void *)s);
	d->n++;
	return true;
}

static void dupset_dispose(dupset *d)
{
	sr_map_dispose(&d->map);
}

/* The value of an int32 JSON number (integer lexeme in range). */
static bool json_int32(const sr_json *v, int32_t *out)
{
	int64_t x;

	if (!sr_json_is_number(v) || sr_json_number_to_i64(v, &x) != 0 ||
	    x < INT32_MIN || x > INT32_MAX)
		return false;
	*out = (int32_t)x;
	return true;
}

/* Optional "doc": a string; null or absent = none. */
static bool get_doc(pctx *c, const sr_json *obj, const sr_json **out)
{
	const sr_json *d = sr_json_get(obj, "doc");

	*out = NULL;
	if (!d || d->type == SR_JSON_NULL)
		return true;
	if (d->type != SR_JSON_STRING) {
		push_key(c, "doc");
		fail(c, "\"doc\" must be a string, not %s", sr_json_kind(d));
		pop(c);
		return false;
	}
	*out = d;
	return true;
}

/* ---- logical types ------------------------------------------------------- */

static bool lt_is(const char *lt, const char *name)
{
	return strcmp(lt, name) == 0;
}

/* Largest decimal precision a fixed of `size` bytes holds (Avro Java). */
static long max_fixed_precision(int32_t size)
{
	if (size <= 0)
		return 0;
	if (size > 1000)
		return LONG_MAX;
	return (long)floor(log10(2.0) * (8.0 * size - 1));
}

/* The logical type of `n` if its annotation is valid (per the spec), else NULL. */
static const char *logical_type(const sr_avro_node *n, const sr_json *obj)
{
	const sr_json *jlt = sr_json_get(obj, "logicalType");
	const char *lt;
	int32_t precision, scale = 0;

	if (!sr_json_is_string(jlt) || strlen(jlt->u.str) != jlt->len)
		return NULL;
	lt = jlt->u.str;
	if (lt_is(lt, "decimal")) {
		const sr_json *js = sr_json_get(obj, "scale");
		if (n->type != SR_AVRO_BYTES && n->type != SR_AVRO_FIXED)
			return NULL;
		if (!json_int32(sr_json_get(obj, "precision"), &precision) || precision <= 0)
			return NULL;
		if (js && (!json_int32(js, &scale) || scale < 0))
			return NULL;
		if (scale > precision)
			return NULL;
		if (n->type == SR_AVRO_FIXED && precision > max_fixed_precision(n->size))
			return NULL;
		return lt;
	}
	if (lt_is(lt, "big-decimal"))
		return n->type == SR_AVRO_BYTES ? lt : NULL;
	if (lt_is(lt, "uuid"))
		return n->type == SR_AVRO_STRING || (n->type == SR_AVRO_FIXED && n->size == 16) ? lt : NULL;
	if (lt_is(lt, "date") || lt_is(lt, "time-millis"))
		return n->type == SR_AVRO_INT ? lt : NULL;
	if (lt_is(lt, "time-micros") || lt_is(lt, "timestamp-millis") ||
	    lt_is(lt, "timestamp-micros") || lt_is(lt, "timestamp-nanos") ||
	    lt_is(lt, "local-timestamp-millis") || lt_is(lt, "local-timestamp-micros") ||
	    lt_is(lt, "local-timestamp-nanos"))
		return n->type == SR_AVRO_LONG ? lt : NULL;
	if (lt_is(lt, "duration"))
		return n->type == SR_AVRO_FIXED && n->size == 12 ? lt : NULL;
	return NULL;
}

/* ---- default values ------------------------------------------------------ */

/* Every code point of the UTF-8 string is in 0..255 (Avro's bytes encoding in JSON). */
bool sr_avro__latin1_only(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0x80)
			continue;
		if ((b == 0xC2 || b == 0xC3) && i + 1 < n) {
			i++;
			continue;
		}
		return false;
	}
	return true;
}

bool sr_avro__enum_has(const sr_avro_node *e, const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < e->nsymbols; i++)
		if (strcmp(e->symbols[i], s) == 0)
			return true;
	return false;
}

typedef enum dv {
	DV_OK = 0,
	DV_BAD,
	DV_INCOMPLETE,  /* a record whose fields are still being parsed */
	DV_TOO_COMPLEX, /* budget or depth exhausted */
} dv;

/*
 * Is `v` a valid default for type `t`? (Avro Java's Schema.isValidDefault,
 * made stricter where the spec is: bytes/fixed code points, enum symbols.)
 * A record value may omit fields that have defaults of their own.
 */
static dv valid_default(pctx *c, const sr_avro_node *t, const sr_json *v, unsigned depth)
{
	size_t i;
	int64_t x;
	dv r;

	if (c->steps == 0 || depth > DEFAULT_CHECK_DEPTH)
		return DV_TOO_COMPLEX;
	c->steps--;
	switch (t->type) {
	case SR_AVRO_NULL:
		return v->type == SR_JSON_NULL ? DV_OK : DV_BAD;
	case SR_AVRO_BOOLEAN:
		return sr_json_is_bool(v) ? DV_OK : DV_BAD;
	case SR_AVRO_INT:
		return sr_json_is_number(v) && sr_json_number_to_i64(v, &x) == 0 &&
		       x >= INT32_MIN && x <= INT32_MAX ? DV_OK : DV_BAD;
	case SR_AVRO_LONG:
		return sr_json_is_number(v) && sr_json_number_to_i64(v, &x) == 0 ? DV_OK : DV_BAD;
	case SR_AVRO_FLOAT:
	case SR_AVRO_DOUBLE:
		/* A number that overflows a double (1e400) would be written back
		 * as the string "Infinity", which is not a valid default there. */
		return sr_json_is_number(v) && isfinite(sr_json_number_to_double(v)) ? DV_OK : DV_BAD;
	case SR_AVRO_BYTES:
	case SR_AVRO_FIXED:
		return sr_json_is_string(v) && sr_avro__latin1_only(v->u.str, v->len) ? DV_OK : DV_BAD;
	case SR_AVRO_STRING:
		return sr_json_is_string(v) ? DV_OK : DV_BAD;
	case SR_AVRO_ENUM:
		return sr_json_is_string(v) && sr_avro__enum_has(t, v->u.str, v->len) ? DV_OK : DV_BAD;
	case SR_AVRO_ARRAY:
		if (!sr_json_is_array(v))
			return DV_BAD;
		for (i = 0; i < v->len; i++) {
			r = valid_default(c, t->items, v->u.items[i], depth + 1);
			if (r != DV_OK)
				return r;
		}
		return DV_OK;
	case SR_AVRO_MAP:
		if (!sr_json_is_object(v))
			return DV_BAD;
		for (i = 0; i < v->len; i++) {
			r = valid_default(c, t->items, v->u.members[i].value, depth + 1);
			if (r != DV_OK)
				return r;
		}
		return DV_OK;
	case SR_AVRO_UNION:
		if (t->nbranches == 0)
			return DV_BAD;
		return valid_default(c, t->branches[0], v, depth + 1);
	case SR_AVRO_RECORD:
		if (!t->complete)
			return DV_INCOMPLETE;
		if (!sr_json_is_object(v))
			return DV_BAD;
		for (i = 0; i < t->nfields; i++) {
			const sr_avro_field *f = &t->fields[i];
			const sr_json *fv = sr_json_get(v, f->name);
			if (!fv) {
				if (!f->def)
					return DV_BAD;
				if (f->def_is_text_double)
					continue;
				fv = f->def;
			}
			r = valid_default(c, f->type, fv, depth + 1);
			if (r != DV_OK)
				return r;
		}
		return DV_OK;
	}
	return DV_BAD;
}

/* A description of a type for messages: "int", "record a.B", "union [...]". */
static const char *describe(pctx *c, const sr_avro_node *t)
{
	if (sr_avro_is_named(t))
		return sr_arena_printf(c->a, "%s %s", sr_avro__type_name(t->type), t->name.full);
	if (t->type == SR_AVRO_UNION)
		return t->nbranches ? sr_arena_printf(c->a, "union (whose first branch is %s)",
						      sr_avro__type_name(t->branches[0]->type))
				    : "empty union";
	return sr_avro__type_name(t->type);
}

/*
 * Java's Double.valueOf() on a float/double field's string default: accept
 * NaN, [+-]Infinity and decimal literals (optionally with a f/F/d/D suffix),
 * surrounded by optional whitespace.
 */
static bool text_double(const char *s, size_t n, double *out)
{
	char buf[128];
	size_t i = 0, j;
	char *end;

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	if (i == n || n - i >= sizeof(buf))
		return false;
	memcpy(buf, s + i, n - i);
	buf[n - i] = '\0';
	j = n - i;
	if (strcmp(buf, "NaN") == 0 || strcmp(buf, "+NaN") == 0 || strcmp(buf, "-NaN") == 0) {
		*out = NAN;
		return true;
	}
	if (strcmp(buf, "Infinity") == 0 || strcmp(buf, "+Infinity") == 0) {
		*out = INFINITY;
		return true;
	}
	if (strcmp(buf, "-Infinity") == 0) {
		*out = -INFINITY;
		return true;
	}
	if (j && strchr("fFdD", buf[j - 1]))
		buf[--j] = '\0';
	/* Only plain decimal literals: digits, one '.', an exponent. */
	for (i = 0; i < j; i++)
		if (!strchr("0123456789+-.eE", buf[i]))
			return false;
	if (j == 0)
		return false;
	*out = strtod(buf, &end);
	return *end == '\0' && end != buf;
}

/* ---- the walk ------------------------------------------------------------ */

static sr_avro_node *parse_schema(pctx *c, const sr_json *j, const char *space);

static sr_avro_node *new_node(pctx *c, sr_avro_type t)
{
	sr_avro_node *n = sr_arena_calloc(c->a, 1, sizeof(*n));

	n->type = t;
	return n;
}

static void register_named(pctx *c, sr_avro_node *n)
{
	c->named = sr_arena_grow(c->a, c->named, c->nnamed, &c->named_cap, sizeof(*c->named), 16);
	n->id = (unsigned)c->nnamed;
	n->external = c->external;
	c->named[c->nnamed++] = n;
	sr_map_put(&c->names, n->name.full, strlen(n->name.full), n);
}

/* A reference by name (a JSON string, or {"type": name}). */
static sr_avro_node *resolve(pctx *c, const sr_json *s, const char *space)
{
	int prim = sr_avro__primitive(s->u.str, s->len);
	sr_avro_node *n;

	if (prim >= 0)
		return new_node(c, (sr_avro_type)prim);
	n = lookup(c, s->u.str, s->len, space);
	if (!n)
		return fail(c, "%s is not a known type name (types must be defined before they are used)",
			    qs(c, s->u.str, s->len));
	return n;
}

static bool parse_aliases(pctx *c, const sr_json *obj, sr_avro_node *n)
{
	const sr_json *ja = sr_json_get(obj, "aliases");
	size_t i, k, cnt = 0;

	if (!ja)
		return true;
	push_key(c, "aliases");
	if (!sr_json_is_array(ja)) {
		fail(c, "\"aliases\" must be an array of names");
		pop(c);
		return false;
	}
	n->aliases = sr_arena_alloc(c->a, (ja->len ? ja->len : 1) * sizeof(*n->aliases));
	for (i = 0; i < ja->len; i++) {
		const sr_json *s = ja->u.items[i];
		sr_avro_name nm;
		bool dup = false;
		push_idx(c, i);
		if (!sr_json_is_string(s)) {
			fail(c, "an alias must be a string, not %s", sr_json_kind(s));
			return false;
		}
		if (!make_name(c, &nm, s->u.str, s->len, n->name.space, "alias"))
			return false;
		pop(c);
		for (k = 0; k < cnt && !dup; k++)
			dup = strcmp(n->aliases[k].full, nm.full) == 0;
		if (!dup)
			n->aliases[cnt++] = nm;
	}
	n->naliases = cnt;
	pop(c);
	return true;
}

static bool parse_field_aliases(pctx *c, const sr_json *obj, sr_avro_field *f)
{
	const sr_json *ja = sr_json_get(obj, "aliases");
	size_t i, k, cnt = 0;

	if (!ja)
		return true;
	push_key(c, "aliases");
	if (!sr_json_is_array(ja)) {
		fail(c, "\"aliases\" must be an array of names");
		return false;
	}
	f->aliases = sr_arena_alloc(c->a, (ja->len ? ja->len : 1) * sizeof(*f->aliases));
	for (i = 0; i < ja->len; i++) {
		const sr_json *s = ja->u.items[i];
		bool dup = false;
		push_idx(c, i);
		if (!sr_json_is_string(s)) {
			fail(c, "an alias must be a string, not %s", sr_json_kind(s));
			return false;
		}
		if (!valid_name(s->u.str, s->len)) {
			fail(c, "field alias %s is not a valid Avro name", qs(c, s->u.str, s->len));
			return false;
		}
		pop(c);
		for (k = 0; k < cnt && !dup; k++)
			dup = strcmp(f->aliases[k], s->u.str) == 0;
		if (!dup)
			f->aliases[cnt++] = s->u.str;
	}
	f->naliases = cnt;
	pop(c);
	return true;
}

static bool parse_default(pctx *c, sr_avro_field *f, const sr_json *def)
{
	dv r;

	push_key(c, "default");
	if ((f->type->type == SR_AVRO_FLOAT || f->type->type == SR_AVRO_DOUBLE) &&
	    def->type == SR_JSON_STRING) {
		/* Avro Java converts a string default of a float/double field. */
		if (!text_double(def->u.str, def->len, &f->def_double)) {
			fail(c, "field \"%s\" default %s is not a valid %s", f->name, qv(c, def),
			     sr_avro__type_name(f->type->type));
			return false;
		}
		f->def_is_text_double = true;
		f->def = def;
		pop(c);
		return true;
	}
	c->steps = DEFAULT_CHECK_STEPS;
	r = valid_default(c, f->type, def, 0);
	switch (r) {
	case DV_OK:
		break;
	case DV_BAD:
		fail(c, "field \"%s\" default %s is not a valid %s", f->name, qv(c, def),
		     describe(c, f->type));
		return false;
	case DV_INCOMPLETE:
		fail(c, "field \"%s\" has a default, but its type refers to a record that is still being defined",
		     f->name);
		return false;
	case DV_TOO_COMPLEX:
		fail(c, "field \"%s\" default is too complex to check", f->name);
		return false;
	}
	f->def = def;
	pop(c);
	return true;
}

static bool parse_field(pctx *c, sr_avro_node *rec, const sr_json *jf, sr_avro_field *f,
			dupset *seen)
{
	const sr_json *jn, *jt, *jd, *jo;

	if (!sr_json_is_object(jf)) {
		fail(c, "a field must be an object, not %s", sr_json_kind(jf));
		return false;
	}
	jn = sr_json_get(jf, "name");
	if (!jn) {
		fail(c, "field has no \"name\"");
		return false;
	}
	if (!sr_json_is_string(jn)) {
		push_key(c, "name");
		fail(c, "field \"name\" must be a string, not %s", sr_json_kind(jn));
		return false;
	}
	if (!valid_name(jn->u.str, jn->len)) {
		push_key(c, "name");
		fail(c, "field name %s is not a valid Avro name", qs(c, jn->u.str, jn->len));
		return false;
	}
	f->name = jn->u.str;
	if (!dupset_add(seen, f->name)) {
		push_key(c, "name");
		fail(c, "duplicate field \"%s\" in record %s", f->name, rec->name.full);
		return false;
	}
	jt = sr_json_get(jf, "type");
	if (!jt) {
		fail(c, "field \"%s\" has no \"type\"", f->name);
		return false;
	}
	push_key(c, "type");
	f->type = parse_schema(c, jt, rec->name.space);
	if (!f->type)
		return false;
	pop(c);
	if (!get_doc(c, jf, &f->doc))
		return false;
	jo = sr_json_get(jf, "order");
	if (jo) {
		push_key(c, "order");
		if (!sr_json_is_string(jo)) {
			fail(c, "\"order\" must be a string");
			return false;
		}
		if (strcasecmp(jo->u.str, "ascending") == 0)
			f->order = SR_AVRO_ASCENDING;
		else if (strcasecmp(jo->u.str, "descending") == 0)
			f->order = SR_AVRO_DESCENDING;
		else if (strcasecmp(jo->u.str, "ignore") == 0)
			f->order = SR_AVRO_IGNORE;
		else {
			fail(c, "\"order\" must be ascending, descending or ignore, not %s",
			     qs(c, jo->u.str, jo->len));
			return false;
		}
		pop(c);
	}
	if (!parse_field_aliases(c, jf, f))
		return false;
	jd = sr_json_get(jf, "default");
	if (jd && !parse_default(c, f, jd))
		return false;
	f->props = collect_props(c, jf, field_reserved, false);
	return true;
}

static bool parse_record(pctx *c, const sr_json *j, sr_avro_node *n)
{
	const sr_json *jf = sr_json_get(j, "fields");
	dupset seen = { .n = 0, .map = SR_MAP_INIT };
	size_t i;
	bool ok = true;

	if (!jf) {
		fail(c, "record %s has no \"fields\"", n->name.full);
		return false;
	}
	push_key(c, "fields");
	if (!sr_json_is_array(jf)) {
		fail(c, "\"fields\" of record %s must be an array", n->name.full);
		return false;
	}
	n->fields = sr_arena_calloc(c->a, jf->len ? jf->len : 1, sizeof(*n->fields));
	for (i = 0; i < jf->len && ok; i++) {
		size_t depth = c->depth;
		push_idx(c, i);
		n->fields[i].pos = (unsigned)i;
		ok = parse_field(c, n, jf->u.items[i], &n->fields[i], &seen);
		/* Fields parsed so far are visible to defaults of later ones. */
		n->nfields = ok ? i + 1 : i;
		if (ok)
			c->depth = depth;
	}
	dupset_dispose(&seen);
	if (!ok)
		return false;
	pop(c);
	n->complete = true;
	return true;
}

static bool parse_enum(pctx *c, const sr_json *j, sr_avro_node *n)
{
	const sr_json *js = sr_json_get(j, "symbols"), *jd;
	dupset seen = { .n = 0, .map = SR_MAP_INIT };
	size_t i;

	if (!js) {
		fail(c, "enum %s has no \"symbols\"", n->name.full);
		return false;
	}
	push_key(c, "symbols");
	if (!sr_json_is_array(js)) {
		fail(c, "\"symbols\" of enum %s must be an array", n->name.full);
		return false;
	}
	n->symbols = sr_arena_alloc(c->a, (js->len ? js->len : 1) * sizeof(*n->symbols));
	for (i = 0; i < js->len; i++) {
		const sr_json *s = js->u.items[i];
		push_idx(c, i);
		if (!sr_json_is_string(s)) {
			fail(c, "an enum symbol must be a string, not %s", sr_json_kind(s));
			goto bad;
		}
		if (!valid_name(s->u.str, s->len)) {
			fail(c, "enum symbol %s is not a valid Avro name", qs(c, s->u.str, s->len));
			goto bad;
		}
		if (!dupset_add(&seen, s->u.str)) {
			fail(c, "duplicate enum symbol \"%s\" in enum %s", s->u.str, n->name.full);
			goto bad;
		}
		n->symbols[i] = s->u.str;
		pop(c);
	}
	n->nsymbols = js->len;
	dupset_dispose(&seen);
	pop(c);
	jd = sr_json_get(j, "default");
	if (jd) {
		push_key(c, "default");
		if (!sr_json_is_string(jd) || !sr_avro__enum_has(n, jd->u.str, jd->len)) {
			fail(c, "enum default %s is not one of the symbols of enum %s", qv(c, jd),
			     n->name.full);
			return false;
		}
		n->enum_default = jd->u.str;
		pop(c);
	}
	return true;
bad:
	dupset_dispose(&seen);
	return false;
}

static bool parse_fixed(pctx *c, const sr_json *j, sr_avro_node *n)
{
	const sr_json *js = sr_json_get(j, "size");

	if (!js) {
		fail(c, "fixed %s has no \"size\"", n->name.full);
		return false;
	}
	if (!json_int32(js, &n->size) || n->size < 0) {
		push_key(c, "size");
		fail(c, "\"size\" of fixed %s must be a non-negative int, not %s", n->name.full,
		     qv(c, js));
		return false;
	}
	return true;
}

static sr_avro_node *parse_named(pctx *c, const sr_json *j, sr_avro_type t, bool is_error,
				 const char *space)
{
	const sr_json *jn = sr_json_get(j, "name"), *jns = sr_json_get(j, "namespace");
	const char *ns = space;
	sr_avro_node *n;
	bool ok;

	if (!jn)
		return fail(c, "%s has no \"name\"", sr_avro__type_name(t));
	if (!sr_json_is_string(jn)) {
		push_key(c, "name");
		return fail(c, "\"name\" must be a string, not %s", sr_json_kind(jn));
	}
	if (jns && jns->type != SR_JSON_NULL) {
		if (!sr_json_is_string(jns)) {
			push_key(c, "namespace");
			return fail(c, "\"namespace\" must be a string, not %s", sr_json_kind(jns));
		}
		if (jns->len == 0) {
			ns = NULL;
		} else if (memchr(jns->u.str, '\0', jns->len) || !valid_dotted(jns->u.str, jns->len)) {
			push_key(c, "namespace");
			return fail(c, "namespace %s is not a valid Avro namespace",
				    qs(c, jns->u.str, jns->len));
		} else {
			ns = jns->u.str;
		}
	}
	n = new_node(c, t);
	n->is_error = is_error;
	push_key(c, "name");
	if (!make_name(c, &n->name, jn->u.str, jn->len, ns, "name"))
		return NULL;
	if (sr_avro__primitive(n->name.full, strlen(n->name.full)) >= 0)
		return fail(c, "%s may not be the name of a %s: it is a primitive type",
			    qs(c, jn->u.str, jn->len), sr_avro__type_name(t));
	if (sr_map_get(&c->names, n->name.full, strlen(n->name.full)))
		return fail(c, "type \"%s\" is defined twice", n->name.full);
	pop(c);
	if (!get_doc(c, j, &n->doc) || !parse_aliases(c, j, n))
		return NULL;
	/* Registered before the body so that a record may refer to itself. */
	register_named(c, n);
	switch (t) {
	case SR_AVRO_RECORD:
		ok = parse_record(c, j, n);
		break;
	case SR_AVRO_ENUM:
		ok = parse_enum(c, j, n);
		break;
	default:
		ok = parse_fixed(c, j, n);
		break;
	}
	if (!ok)
		return NULL;
	n->props = collect_props(c, j, schema_reserved, t == SR_AVRO_ENUM);
	n->logical = logical_type(n, j);
	return n;
}

static sr_avro_node *parse_union(pctx *c, const sr_json *j, const char *space)
{
	sr_avro_node *u = new_node(c, SR_AVRO_UNION);
	dupset seen = { .n = 0, .map = SR_MAP_INIT };
	size_t i;

	u->branches = sr_arena_alloc(c->a, (j->len ? j->len : 1) * sizeof(*u->branches));
	for (i = 0; i < j->len; i++) {
		sr_avro_node *b;
		const char *key;
		push_idx(c, i);
		b = parse_schema(c, j->u.items[i], space);
		if (!b)
			goto bad;
		if (b->type == SR_AVRO_UNION) {
			fail(c, "a union may not contain a union");
			goto bad;
		}
		key = sr_avro_is_named(b) ? b->name.full : sr_avro__type_name(b->type);
		if (!dupset_add(&seen, key)) {
			fail(c, "the union contains %s twice", sr_avro_is_named(b) ? b->name.full : key);
			goto bad;
		}
		u->branches[i] = b;
		pop(c);
	}
	u->nbranches = j->len;
	dupset_dispose(&seen);
	return u;
bad:
	dupset_dispose(&seen);
	return NULL;
}

static sr_avro_node *parse_object(pctx *c, const sr_json *j, const char *space)
{
	const sr_json *jt = sr_json_get(j, "type"), *jx;
	sr_avro_node *n;
	const char *t;
	int prim;

	if (!jt)
		return fail(c, "a schema object needs a \"type\"");
	if (!sr_json_is_string(jt)) {
		push_key(c, "type");
		return fail(c, "\"type\" must be a string naming a type, not %s", sr_json_kind(jt));
	}
	t = jt->u.str;
	prim = sr_avro__primitive(t, jt->len);
	if (prim >= 0) {
		n = new_node(c, (sr_avro_type)prim);
		n->props = collect_props(c, j, schema_reserved, false);
		n->logical = logical_type(n, j);
		return n;
	}
	if (strlen(t) == jt->len) {
		if (strcmp(t, "record") == 0)
			return parse_named(c, j, SR_AVRO_RECORD, false, space);
		if (strcmp(t, "error") == 0)
			return parse_named(c, j, SR_AVRO_RECORD, true, space);
		if (strcmp(t, "enum") == 0)
			return parse_named(c, j, SR_AVRO_ENUM, false, space);
		if (strcmp(t, "fixed") == 0)
			return parse_named(c, j, SR_AVRO_FIXED, false, space);
		if (strcmp(t, "array") == 0 || strcmp(t, "map") == 0) {
			bool arr = t[0] == 'a';
			const char *key = arr ? "items" : "values";
			jx = sr_json_get(j, key);
			if (!jx)
				return fail(c, "%s has no \"%s\"", t, key);
			n = new_node(c, arr ? SR_AVRO_ARRAY : SR_AVRO_MAP);
			push_key(c, key);
			n->items = parse_schema(c, jx, space);
			if (!n->items)
				return NULL;
			pop(c);
			n->props = collect_props(c, j, schema_reserved, false);
			return n;
		}
	}
	/* {"type": "SomeName"} refers to a named type (as in Avro Java). */
	if (memchr(t, '.', jt->len) || valid_name(t, jt->len)) {
		if (lookup(c, t, jt->len, space)) {
			push_key(c, "type");
			n = resolve(c, jt, space);
			pop(c);
			return n;
		}
	}
	push_key(c, "type");
	return fail(c, "unknown type %s", qs(c, t, jt->len));
}

static sr_avro_node *parse_schema(pctx *c, const sr_json *j, const char *space)
{
	switch (j->type) {
	case SR_JSON_STRING:
		return resolve(c, j, space);
	case SR_JSON_ARRAY:
		return parse_union(c, j, space);
	case SR_JSON_OBJECT:
		return parse_object(c, j, space);
	default:
		return fail(c, "a schema must be a type name, an object or an array, not %s",
			    sr_json_kind(j));
	}
}

/* ---- entry point --------------------------------------------------------- */

static sr_avro_node *parse_text(pctx *c, const char *text, size_t len,
				const sr_format_opts *limits)
{
	unsigned depth = limits && limits->max_json_depth ? limits->max_json_depth
							  : DEFAULT_JSON_DEPTH;
	sr_json *doc = NULL;
	int rc;

	if (depth > MAX_JSON_DEPTH)
		depth = MAX_JSON_DEPTH;
	rc = sr_format_parse_json(&doc, c->a, text, len, depth, limits, c->ref_name, false, c->err);
	if (rc != 0) {
		c->failed = true;
		c->rc = rc;
		return NULL;
	}
	c->depth = 0;
	return parse_schema(c, doc, NULL);
}

int sr_avro__parse(sr_parsed *out, sr_arena *a, const char *text, size_t len,
		   const sr_ref_source *refs, size_t nrefs,
		   const sr_format_opts *limits, sr_err *err)
{
	pctx c;
	sr_avro_schema *s;
	sr_avro_node *root = NULL;
	size_t i;
	int rc = SR_EINVALID;

	memset(&c, 0, sizeof(c));
	c.a = a;
	c.err = err;
	for (i = 0; i < nrefs; i++) {
		c.external = true;
		c.ref_name = refs[i].name ? refs[i].name : "";
		if (!parse_text(&c, refs[i].text, refs[i].len, limits))
			goto done;
	}
	c.external = false;
	c.ref_name = NULL;
	root = parse_text(&c, text, len, limits);
	if (!root)
		goto done;
	s = sr_arena_calloc(a, 1, sizeof(*s));
	s->root = root;
	s->named = c.named;
	s->nnamed = c.nnamed;
	out->format = &sr_format_avro;
	out->impl = s;
	rc = 0;
done:
	if (rc != 0 && !c.failed)
		sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA, "Invalid schema");
	else if (rc != 0)
		rc = c.rc;
	sr_map_dispose(&c.names);
	free(c.path);
	return rc;
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Reader/writer compatibility: the Avro specification's schema-resolution
 * rules as Apache Avro Java's SchemaCompatibility implements them (the
 * checker Confluent Schema Registry calls), including its quirks, so that
 * verdicts, incompatibility lists and locations match:
 *  - same type: primitives match; arrays/maps recurse into items/values
 *    ("items"/"values"); fixed checks name then size; enums name then
 *    symbols (writer symbols missing in the reader are fine only when the
 *    reader enum has a default); records name then fields; union vs union
 *    checks each writer branch against the whole reader union (a fresh
 *    location) and reports MISSING_UNION_BRANCH at "/<branch index>";
 *  - different types: a writer union needs every branch readable (each
 *    checked from a fresh location, results merged); promotions int ->
 *    long/float/double, long -> float/double, float -> double, string <->
 *    bytes; a reader union needs one compatible branch, else
 *    MISSING_UNION_BRANCH; anything else is TYPE_MISMATCH;
 *  - names match when the unqualified names are equal or a reader alias
 *    equals the writer's full name;
 *  - record fields: each reader field is looked up in the writer by name,
 *    then by each reader alias (several matches: Java throws, and
 *    Confluent reports "Unexpected exception during compatibility check:
 *    ..." as the only message); without a writer field it needs a default
 *    (READER_FIELD_MISSING_DEFAULT_VALUE), except that an enum-typed field
 *    whose enum has a default is checked against the writer record itself,
 *    as Java does;
 *  - results are memoised per (reader node, writer node); a pair met again
 *    while in progress counts as compatible, which makes recursive schemas
 *    terminate; a memoised result is merged again wherever the pair
 *    recurs, with the locations of its first computation (as in Java).
 * Bounds: the incompatibility list of any intermediate result is capped at
 * the report's message limit (only the first ones can ever be reported,
 * since merging preserves order), and recursion depth is capped; a check
 * that exceeds it reports one plain message and fails.
 */
#include "formats/avro/avro_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

#define MAX_DEPTH 3000

typedef enum itype {
	NAME_MISMATCH,
	FIXED_SIZE_MISMATCH,
	MISSING_ENUM_SYMBOLS,
	READER_FIELD_MISSING_DEFAULT_VALUE,
	TYPE_MISMATCH,
	MISSING_UNION_BRANCH,
} itype;

static const char *const itype_names[] = {
	"NAME_MISMATCH", "FIXED_SIZE_MISMATCH", "MISSING_ENUM_SYMBOLS",
	"READER_FIELD_MISSING_DEFAULT_VALUE", "TYPE_MISMATCH", "MISSING_UNION_BRANCH",
};

typedef struct incompat {
	itype type;
	const char *location;
	const char *info; /* additionalInfo (Avro's message) */
} incompat;

/* An immutable result; `n == 0 && !bad` is "compatible". */
typedef struct result {
	bool bad;
	size_t n;
	const incompat *const *items;
} result;

static const result COMPATIBLE = { false, 0, NULL };

/* Location: a stack of reference tokens; token 0 is the root (""). */
typedef struct loc {
	const char **tok;
	size_t n, cap;
} loc;

typedef struct memo {
	const sr_avro_node *r, *w;
	bool done;
	result res;
} memo;

typedef struct checker {
	sr_arena *tmp;     /* everything but the final messages */
	memo *slots;
	size_t cap, count;
	size_t max_items;
	unsigned depth;
	bool too_deep;
	const char *exception; /* Java would throw: the whole check fails with this */
} checker;

/* ---- results --------------------------------------------------------------- */

static result merged(checker *c, result a, result b)
{
	result r;
	size_t n, i, k = 0;
	const incompat **items;

	if (!a.bad && !a.n)
		return b;
	if (!b.bad && !b.n)
		return a;
	r.bad = a.bad || b.bad;
	n = a.n + b.n;
	if (n > c->max_items)
		n = c->max_items;
	if (n == a.n) {
		r.n = a.n;
		r.items = a.items;
		return r;
	}
	items = sr_arena_alloc(c->tmp, n * sizeof(*items));
	for (i = 0; i < a.n && k < n; i++)
		items[k++] = a.items[i];
	for (i = 0; i < b.n && k < n; i++)
		items[k++] = b.items[i];
	r.n = k;
	r.items = items;
	return r;
}

static char *loc_string(checker *c, const loc *l)
{
	sr_buf b = SR_BUF_INIT;
	char *s;
	size_t i;

	sr_buf_putc(&b, '/');
	for (i = 1; i < l->n; i++) {
		if (i > 1)
			sr_buf_putc(&b, '/');
		sr_json_pointer_put_token(&b, l->tok[i], strlen(l->tok[i]));
	}
	s = sr_arena_strndup(c->tmp, b.ptr, b.len);
	sr_buf_dispose(&b);
	return s;
}

static result incompatible(checker *c, itype t, const char *info, const loc *l)
{
	incompat *in = sr_arena_alloc(c->tmp, sizeof(*in));
	const incompat **items = sr_arena_alloc(c->tmp, sizeof(*items));
	result r;

	in->type = t;
	in->info = info;
	in->location = loc_string(c, l);
	items[0] = in;
	r.bad = true;
	r.n = c->max_items ? 1 : 0;
	r.items = items;
	return r;
}

/* ---- locations ------------------------------------------------------------- */

static void loc_push(loc *l, const char *t)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->tok = sr_realloc(l->tok, l->cap * sizeof(*l->tok));
	}
	l->tok[l->n++] = t;
}

static void loc_pop(loc *l)
{
	l->n--;
}

static const char *index_token(checker *c, size_t i)
{
	static const char *const small[] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" };

	if (i < 10)
		return small[i];
	return sr_arena_printf(c->tmp, "%zu", i);
}

/* ---- memo ------------------------------------------------------------------ */

static size_t pair_hash(const sr_avro_node *r, const sr_avro_node *w)
{
	uint64_t h = (uint64_t)(uintptr_t)r * 0x9E3779B97F4A7C15ull;

	h ^= (uint64_t)(uintptr_t)w + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
	h *= 0xBF58476D1CE4E5B9ull;
	return (size_t)(h ^ (h >> 31));
}

static memo *memo_find(checker *c, const sr_avro_node *r, const sr_avro_node *w, bool add)
{
	size_t i, mask;

	if (add && (c->count + 1) * 2 > c->cap) {
		size_t oldcap = c->cap, k;
		memo *old = c->slots;
		c->cap = c->cap ? c->cap * 2 : 64;
		c->slots = sr_calloc(c->cap, sizeof(*c->slots));
		for (k = 0; k < oldcap; k++) {
			if (!old[k].r)
				continue;
			mask = c->cap - 1;
			for (i = pair_hash(old[k].r, old[k].w) & mask; c->slots[i].r; i = (i + 1) & mask)
				;
			c->slots[i] = old[k];
		}
		free(old);
	}
	if (!c->cap)
		return NULL;
	mask = c->cap - 1;
	for (i = pair_hash(r, w) & mask; c->slots[i].r; i = (i + 1) & mask)
		if (c->slots[i].r == r && c->slots[i].w == w)
			return &c->slots[i];
	if (!add)
		return NULL;
	c->slots[i].r = r;
	c->slots[i].w = w;
	c->slots[i].done = false;
	c->slots[i].res = COMPATIBLE;
	c->count++;
	return &c->slots[i];
}

/* ---- the checker ----------------------------------------------------------- */

static result calculate(checker *c, const sr_avro_node *r, const sr_avro_node *w, loc *l);

static result get_compat(checker *c, const char *token, const sr_avro_node *r,
			 const sr_avro_node *w, loc *l)
{
	memo *m;
	result res;

	loc_push(l, token);
	m = memo_find(c, r, w, false);
	if (m) {
		/* In progress: schemas are compatible unless proven otherwise. */
		res = m->done ? m->res : COMPATIBLE;
	} else if (c->depth >= MAX_DEPTH) {
		c->too_deep = true;
		res = COMPATIBLE;
	} else {
		memo_find(c, r, w, true);
		c->depth++;
		res = calculate(c, r, w, l);
		c->depth--;
		/* The table may have grown meanwhile: look the slot up again. */
		m = memo_find(c, r, w, false);
		m->done = true;
		m->res = res;
	}
	loc_pop(l);
	return res;
}

/* getCompatibility(reader, writer) with a fresh location. */
static result get_compat_fresh(checker *c, const sr_avro_node *r, const sr_avro_node *w)
{
	loc l = { NULL, 0, 0 };
	result res = get_compat(c, "", r, w, &l);

	free(l.tok);
	return res;
}

static result type_mismatch(checker *c, const sr_avro_node *r, const sr_avro_node *w, loc *l)
{
	const char *info = sr_arena_printf(c->tmp, "reader type: %s not compatible with writer type: %s",
					   sr_avro__type_upper(r->type), sr_avro__type_upper(w->type));
	return incompatible(c, TYPE_MISMATCH, info, l);
}

static bool name_equals(const sr_avro_node *r, const sr_avro_node *w)
{
	size_t i;

	if (strcmp(r->name.name, w->name.name) == 0)
		return true;
	for (i = 0; i < r->naliases; i++)
		if (strcmp(r->aliases[i].full, w->name.full) == 0)
			return true;
	return false;
}

static result check_names(checker *c, const sr_avro_node *r, const sr_avro_node *w, loc *l)
{
	result res = COMPATIBLE;

	loc_push(l, "name");
	if (!name_equals(r, w))
		res = incompatible(c, NAME_MISMATCH,
				   sr_arena_printf(c->tmp, "expected: %s", w->name.full), l);
	loc_pop(l);
	return res;
}

static result check_fixed_size(checker *c, const sr_avro_node *r, const sr_avro_node *w, loc *l)
{
	result res = COMPATIBLE;

	loc_push(l, "size");
	if (r->size != w->size)
		res = incompatible(c, FIXED_SIZE_MISMATCH,
				   sr_arena_printf(c->tmp, "expected: %d, found: %d", (int)w->size,
						   (int)r->size),
				   l);
	loc_pop(l);
	return res;
}

static int cmp_str(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static bool has_symbol(const sr_avro_node *e, const char *s)
{
	size_t i;

	for (i = 0; i < e->nsymbols; i++)
		if (strcmp(e->symbols[i], s) == 0)
			return true;
	return false;
}

static result check_enum_symbols(checker *c, const sr_avro_node *r, const sr_avro_node *w, loc *l)
{
	result res = COMPATIBLE;
	const char **missing;
	size_t i, n = 0;
	sr_buf b = SR_BUF_INIT;

	loc_push(l, "symbols");
	missing = sr_arena_alloc(c->tmp, (w->nsymbols ? w->nsymbols : 1) * sizeof(*missing));
	for (i = 0; i < w->nsymbols; i++)
		if (!has_symbol(r, w->symbols[i]))
			missing[n++] = w->symbols[i];
	if (n && !(r->enum_default && has_symbol(r, r->enum_default))) {
		/* Java: new TreeSet<>(symbols).toString() */
		qsort(missing, n, sizeof(*missing), cmp_str);
		sr_buf_putc(&b, '[');
		for (i = 0; i < n; i++) {
			if (i)
				sr_buf_puts(&b, ", ");
			sr_buf_puts(&b, missing[i]);
		}
		sr_buf_putc(&b, ']');
		res = incompatible(c, MISSING_ENUM_SYMBOLS, sr_arena_strndup(c->tmp, b.ptr, b.len), l);
		sr_buf_dispose(&b);
	}
	loc_pop(l);
	return res;
}

static const sr_avro_field *field_named(const sr_avro_node *rec, const char *name)
{
	size_t i;

	for (i = 0; i < rec->nfields; i++)
		if (strcmp(rec->fields[i].name, name) == 0)
			return &rec->fields[i];
	return NULL;
}

/*
 * Java's lookupWriterField: the writer field named like the reader field,
 * plus those named like its aliases; more than one is an error (Java
 * throws, Confluent reports the exception), signalled by *ambiguous.
 */
static const sr_avro_field *lookup_writer_field(const sr_avro_node *w, const sr_avro_field *rf,
						bool *ambiguous)
{
	const sr_avro_field *found = field_named(w, rf->name), *f;
	size_t i;

	*ambiguous = false;
	for (i = 0; i < rf->naliases; i++) {
		f = field_named(w, rf->aliases[i]);
		if (!f)
			continue;
		if (found) {
			*ambiguous = true;
			return NULL;
		}
		found = f;
	}
	return found;
}

static result check_fields(checker *c, const sr_avro_node *r, const sr_avro_node *w, loc *l)
{
	result res = COMPATIBLE;
	size_t i;
	bool ambiguous;

	loc_push(l, "fields");
	for (i = 0; i < r->nfields; i++) {
		const sr_avro_field *rf = &r->fields[i];
		const sr_avro_field *wf = lookup_writer_field(w, rf, &ambiguous);
		loc_push(l, index_token(c, rf->pos));
		if (ambiguous) {
			/* Java throws; Confluent reports the exception as the only message. */
			if (!c->exception)
				c->exception = sr_arena_printf(c->tmp,
					"Reader record field %s type:%s pos:%u matches multiple fields in writer record schema %s",
					rf->name, sr_avro__type_upper(rf->type->type), rf->pos, w->name.full);
		} else if (!wf) {
			if (!rf->def) {
				if (rf->type->type == SR_AVRO_ENUM && rf->type->enum_default)
					res = merged(c, res, get_compat(c, "type", rf->type, w, l));
				else
					res = merged(c, res, incompatible(c, READER_FIELD_MISSING_DEFAULT_VALUE,
									  rf->name, l));
			}
		} else {
			res = merged(c, res, get_compat(c, "type", rf->type, wf->type, l));
		}
		loc_pop(l);
	}
	loc_pop(l);
	return res;
}

static result calculate(checker *c, const sr_avro_node *r, const sr_avro_node *w, loc *l)
{
	result res = COMPATIBLE;
	size_t i;

	if (r->type == w->type) {
		switch (r->type) {
		case SR_AVRO_ARRAY:
			return get_compat(c, "items", r->items, w->items, l);
		case SR_AVRO_MAP:
			return get_compat(c, "values", r->items, w->items, l);
		case SR_AVRO_FIXED:
			res = check_names(c, r, w, l);
			return merged(c, res, check_fixed_size(c, r, w, l));
		case SR_AVRO_ENUM:
			res = check_names(c, r, w, l);
			return merged(c, res, check_enum_symbols(c, r, w, l));
		case SR_AVRO_RECORD:
			res = check_names(c, r, w, l);
			return merged(c, res, check_fields(c, r, w, l));
		case SR_AVRO_UNION:
			for (i = 0; i < w->nbranches; i++) {
				result b;
				loc_push(l, index_token(c, i));
				b = get_compat_fresh(c, r, w->branches[i]);
				if (b.bad)
					res = merged(c, res, incompatible(c, MISSING_UNION_BRANCH,
						sr_arena_printf(c->tmp, "reader union lacking writer type: %s",
								sr_avro__type_upper(w->branches[i]->type)), l));
				loc_pop(l);
			}
			return res;
		default:
			return res;
		}
	}
	if (w->type == SR_AVRO_UNION) {
		for (i = 0; i < w->nbranches; i++)
			res = merged(c, res, get_compat_fresh(c, r, w->branches[i]));
		return res;
	}
	switch (r->type) {
	case SR_AVRO_LONG:
		return w->type == SR_AVRO_INT ? res : type_mismatch(c, r, w, l);
	case SR_AVRO_FLOAT:
		return w->type == SR_AVRO_INT || w->type == SR_AVRO_LONG ? res : type_mismatch(c, r, w, l);
	case SR_AVRO_DOUBLE:
		return w->type == SR_AVRO_INT || w->type == SR_AVRO_LONG || w->type == SR_AVRO_FLOAT
			       ? res : type_mismatch(c, r, w, l);
	case SR_AVRO_BYTES:
		return w->type == SR_AVRO_STRING ? res : type_mismatch(c, r, w, l);
	case SR_AVRO_STRING:
		return w->type == SR_AVRO_BYTES ? res : type_mismatch(c, r, w, l);
	case SR_AVRO_UNION:
		for (i = 0; i < r->nbranches; i++) {
			result b = get_compat_fresh(c, r->branches[i], w);
			if (!b.bad)
				return res;
		}
		return incompatible(c, MISSING_UNION_BRANCH,
				    sr_arena_printf(c->tmp, "reader union lacking writer type: %s",
						    sr_avro__type_upper(w->type)), l);
	default:
		return type_mismatch(c, r, w, l);
	}
}

/* ---- Confluent's messages ---------------------------------------------- */

static void report_one(sr_compat_report *rep, const incompat *in)
{
	const char *rl = rep->reader_label ? rep->reader_label : "new";
	const char *wl = rep->writer_label ? rep->writer_label : "old";
	const char *t = itype_names[in->type];

	switch (in->type) {
	case FIXED_SIZE_MISMATCH:
		sr_compat_report_add(rep, "{errorType:'%s', description:'The size of FIXED type field at path '%s' in the %s schema does not match with the %s schema', additionalInfo:'%s'}",
				     t, in->location, rl, wl, in->info);
		break;
	case TYPE_MISMATCH:
		sr_compat_report_add(rep, "{errorType:'%s', description:'The type (path '%s') of a field in the %s schema does not match with the %s schema', additionalInfo:'%s'}",
				     t, in->location, rl, wl, in->info);
		break;
	case NAME_MISMATCH:
		sr_compat_report_add(rep, "{errorType:'%s', description:'The name of the schema has changed (path '%s')', additionalInfo:'%s'}",
				     t, in->location, in->info);
		break;
	case MISSING_ENUM_SYMBOLS:
		sr_compat_report_add(rep, "{errorType:'%s', description:'The %s schema is missing enum symbols '%s' at path '%s' in the %s schema', additionalInfo:'%s'}",
				     t, rl, in->info, in->location, wl, in->info);
		break;
	case MISSING_UNION_BRANCH:
		sr_compat_report_add(rep, "{errorType:'%s', description:'The %s schema is missing a type inside a union field at path '%s' in the %s schema', additionalInfo:'%s'}",
				     t, rl, in->location, wl, in->info);
		break;
	case READER_FIELD_MISSING_DEFAULT_VALUE:
		sr_compat_report_add(rep, "{errorType:'%s', description:'The field '%s' at path '%s' in the %s schema has no default value and is missing in the %s schema', additionalInfo:'%s'}",
				     t, in->info, in->location, rl, wl, in->info);
		break;
	}
}

bool sr_avro__compatible(const sr_parsed *reader, const sr_parsed *writer,
			 sr_compat_report *report)
{
	checker c;
	result res;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.tmp = sr_arena_new(0);
	c.max_items = report && report->max_messages ? report->max_messages : 100;
	res = get_compat_fresh(&c, sr_avro__schema(reader)->root, sr_avro__schema(writer)->root);
	if (c.exception || c.too_deep) {
		if (report)
			sr_compat_report_add(report, "Unexpected exception during compatibility check: %s",
					     c.exception ? c.exception
							 : "the schemas nest too deeply to be compared");
		free(c.slots);
		sr_arena_free(c.tmp);
		return false;
	}
	if (report)
		for (i = 0; i < res.n; i++)
			report_one(report, res.items[i]);
	free(c.slots);
	sr_arena_free(c.tmp);
	return !res.bad;
}

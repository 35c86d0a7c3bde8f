/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The validator: runs a compiled node's keyword instructions against an
 * instance (a parsed JSON document).
 *
 * Per-call state only: the evaluation path (for error locations and the
 * dynamic scope of $dynamicRef/$recursiveRef) is a chain of frames on the
 * C stack, annotation sets live on the stack or in the validation's
 * arena, and the compiled schema is never written. So many threads may
 * validate against one compiled schema at once.
 *
 * Speed. The valid path allocates nothing: no error strings are built,
 * locations are only materialised when an error is recorded, annotation
 * collection (for unevaluatedProperties/Items) happens only below a node
 * that has one of those keywords, and subschemas whose errors would be
 * thrown away (anyOf/oneOf branches, not, if, contains) are evaluated in
 * flag mode, which stops at the first failure. Only when such a keyword
 * fails and errors are wanted are the relevant branches evaluated again
 * to explain the failure, one combinator deep (a failed anyOf/oneOf inside
 * an explained branch is summarised), so explaining costs one more pass,
 * never 2^depth. An anyOf/oneOf over a discriminated union evaluates only
 * the branch the discriminating property selects.
 *
 * Bounds. Evaluation depth is capped (MAX_EVAL_DEPTH: instance nesting
 * and in-place applicators together) and so is the number of subschema
 * evaluations per call (STEP_BUDGET), which stops schemas built to blow up
 * (e.g. anyOf of anyOf of the same $ref) in bounded time; patterns run
 * under the regex module's match limits. Hitting any limit makes the
 * document invalid with a message that says which limit.
 *
 * Annotations. A node with unevaluated* collects, for its instance, the
 * set of members/items evaluated by its own keywords and its in-place
 * subschemas (bits indexed like the instance's members/items). Subschemas
 * whose failure does not fail the node (anyOf/oneOf branches, if) collect
 * into a temporary set merged only when they pass.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/mem.h"
#include "formats/jsonschema/compiled.h"

/* Evaluation depth: instance nesting plus in-place applicators. Each
 * level costs a few hundred bytes of stack. */
#define MAX_EVAL_DEPTH 4000
/* Subschema evaluations per validation. Linear schemas need about one
 * per instance value and keyword; this bounds crafted exponential ones. */
#define STEP_BUDGET ((uint64_t)1 << 26)
/* Past this many evaluations in one call, verdicts of subschemas evaluated
 * in flag mode without annotations are remembered per (subschema,
 * instance), when the schema has no dynamic references (so the verdict
 * cannot depend on the path): a schema of nested anyOf over the same
 * $refs then costs linear, not exponential, time. Small documents never
 * get here, so the common path allocates nothing. */
#define MEMO_AFTER 4096
#define MEMO_MAX ((size_t)1 << 20)
#define UNIQUE_LINEAR_MAX 16
#define QUOTE_MAX 64
#define BITS_STACK 4

enum { STEP_NONE = 0, STEP_KEY, STEP_INDEX };

typedef struct jpath {
	const struct jpath *up;
	const char *kw;               /* keyword-location segment(s) of this step, or NULL */
	const char *key;              /* STEP_KEY: the member name */
	size_t n;                     /* STEP_KEY: its length; STEP_INDEX: the item index */
	int step;
} jpath;

/* The dynamic scope: the schema resources entered, innermost first. */
typedef struct jscope {
	const struct jscope *up;
	const sr_js_resource *res;
} jscope;

typedef struct bits {
	uint64_t *w;
	size_t nw;
} bits;

typedef struct vctx {
	sr_validation *v;     /* where errors go (NULL: verdict only) */
	sr_arena *scratch;
	sr_arena *own_scratch;
	bool err;             /* record errors (false: flag mode) */
	bool full;            /* max_errors reached: behave as flag mode */
	bool format_assert;
	bool limit_hit;       /* a depth, step or regex limit stopped evaluation */
	bool limit_recorded;
	const jscope *scope;  /* innermost resource entered */
	unsigned explaining;  /* inside explain_alternatives() */
	bool memo_allowed;    /* the schema has no dynamic references */
	struct memo *memo;    /* remembered verdicts (see MEMO_AFTER) */
	size_t memo_cap, memo_n;
	unsigned depth;
	uint64_t steps;
	/* The last number instance read by a numeric keyword, so that
	 * minimum and maximum of one node parse it once. */
	const sr_json *num_inst;
	bool num_fast;
	double num_d;
} vctx;

static bool eval(vctx *c, const sr_js_node *n, const sr_json *inst, const jpath *p, bits *ann);

struct memo {
	const sr_js_node *n;
	const sr_json *inst;
	bool ok;
};

static size_t memo_slot(const sr_js_node *n, const sr_json *inst, size_t mask)
{
	uint64_t h = (uint64_t)(uintptr_t)n * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)inst;

	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 29;
	return (size_t)h & mask;
}

/* The remembered verdict, or -1. */
static int memo_get(const vctx *c, const sr_js_node *n, const sr_json *inst)
{
	size_t i;

	if (!c->memo_cap)
		return -1;
	for (i = memo_slot(n, inst, c->memo_cap - 1); c->memo[i].n; i = (i + 1) & (c->memo_cap - 1))
		if (c->memo[i].n == n && c->memo[i].inst == inst)
			return c->memo[i].ok;
	return -1;
}

static sr_arena *scratch(vctx *c);

static void memo_put(vctx *c, const sr_js_node *n, const sr_json *inst, bool ok)
{
	size_t i;

	if (c->memo_n >= MEMO_MAX)
		return;
	if ((c->memo_n + 1) * 2 > c->memo_cap) {
		struct memo *old = c->memo;
		size_t old_cap = c->memo_cap, k;
		c->memo_cap = old_cap ? old_cap * 2 : 1024;
		c->memo = sr_arena_calloc(scratch(c), c->memo_cap, sizeof(*c->memo));
		for (k = 0; k < old_cap; k++) {
			if (!old[k].n)
				continue;
			for (i = memo_slot(old[k].n, old[k].inst, c->memo_cap - 1); c->memo[i].n;
			     i = (i + 1) & (c->memo_cap - 1))
				;
			c->memo[i] = old[k];
		}
	}
	for (i = memo_slot(n, inst, c->memo_cap - 1); c->memo[i].n; i = (i + 1) & (c->memo_cap - 1))
		if (c->memo[i].n == n && c->memo[i].inst == inst)
			return;
	c->memo[i].n = n;
	c->memo[i].inst = inst;
	c->memo[i].ok = ok;
	c->memo_n++;
}

static inline bool eval_sub(vctx *c, const sr_js_node *n, const sr_json *inst, const jpath *p);

static inline bool want(const vctx *c)
{
	return c->err && !c->full;
}

static sr_arena *scratch(vctx *c)
{
	if (!c->scratch) {
		c->own_scratch = sr_arena_new(0);
		c->scratch = c->own_scratch;
	}
	return c->scratch;
}

static inline void frame_kw(jpath *q, const jpath *p, const char *kw)
{
	q->up = p;
	q->kw = kw;
	q->key = NULL;
	q->n = 0;
	q->step = STEP_NONE;
}

static inline void frame_key(jpath *q, const jpath *p, const char *kw, const char *key, size_t n)
{
	frame_kw(q, p, kw);
	q->key = key;
	q->n = n;
	q->step = STEP_KEY;
}

static inline void frame_index(jpath *q, const jpath *p, const char *kw, size_t i)
{
	frame_kw(q, p, kw);
	q->n = i;
	q->step = STEP_INDEX;
}

/* ---- annotation bits ----------------------------------------------------------- */

static void bits_new(vctx *c, bits *b, uint64_t *stack, size_t nbits)
{
	size_t nw = (nbits + 63) / 64;

	b->nw = nw;
	b->w = nw <= BITS_STACK ? stack : sr_arena_alloc(scratch(c), nw * sizeof(uint64_t));
	if (nw)
		memset(b->w, 0, nw * sizeof(uint64_t));
}

static inline void bits_set(bits *b, size_t i)
{
	b->w[i / 64] |= (uint64_t)1 << (i % 64);
}

static inline bool bits_get(const bits *b, size_t i)
{
	return (b->w[i / 64] >> (i % 64)) & 1;
}

static void bits_set_range(bits *b, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		bits_set(b, i);
}

static void bits_or(bits *dst, const bits *src)
{
	size_t i;

	for (i = 0; i < dst->nw && i < src->nw; i++)
		dst->w[i] |= src->w[i];
}

/* ---- messages -------------------------------------------------------------------- */

/* A JSON value written compactly, cut at `max` bytes on a UTF-8 boundary. */
static void put_value(sr_buf *b, const sr_json *v, size_t max)
{
	size_t start = b->len;

	if (v->type == SR_JSON_STRING) {
		size_t n = v->len;
		if (n > max) {
			n = max;
			while (n && ((unsigned char)v->u.str[n] & 0xc0) == 0x80)
				n--;
		}
		sr_buf_put_json_string(b, v->u.str, n);
		if (n < v->len) {
			sr_buf_truncate(b, b->len - 1);
			sr_buf_puts(b, "...\"");
		}
		return;
	}
	sr_json_write(b, v);
	if (b->len - start > max) {
		size_t n = max;
		while (n && ((unsigned char)b->ptr[start + n] & 0xc0) == 0x80)
			n--;
		sr_buf_truncate(b, start + n);
		sr_buf_puts(b, "...");
	}
}

/* "string \"x\"", "number 3", "boolean true", "null", "object", "array". */
static void put_desc(sr_buf *b, const sr_json *v)
{
	switch (v->type) {
	case SR_JSON_NULL:
		sr_buf_puts(b, "null");
		break;
	case SR_JSON_TRUE:
		sr_buf_puts(b, "boolean true");
		break;
	case SR_JSON_FALSE:
		sr_buf_puts(b, "boolean false");
		break;
	case SR_JSON_NUMBER:
		sr_buf_puts(b, "number ");
		put_value(b, v, QUOTE_MAX);
		break;
	case SR_JSON_STRING:
		sr_buf_puts(b, "string ");
		put_value(b, v, QUOTE_MAX);
		break;
	case SR_JSON_ARRAY:
		sr_buf_puts(b, "array");
		break;
	case SR_JSON_OBJECT:
		sr_buf_puts(b, "object");
		break;
	}
}

static void put_types(sr_buf *b, unsigned mask)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ SR_JS_K_OBJ, "object" }, { SR_JS_K_ARR, "array" },	   { SR_JS_K_STR, "string" },
		{ SR_JS_K_NUM, "number" }, { SR_JS_K_INT, "integer" },   { SR_JS_K_BOOL, "boolean" },
		{ SR_JS_K_NULL, "null" },
	};
	const char *list[7];
	size_t n = 0, i;

	if (mask & SR_JS_K_NUM)
		mask &= ~(unsigned)SR_JS_K_INT;
	for (i = 0; i < 7; i++)
		if (mask & names[i].bit)
			list[n++] = names[i].name;
	for (i = 0; i < n; i++) {
		if (i)
			sr_buf_puts(b, i == n - 1 ? " or " : ", ");
		sr_buf_puts(b, list[i]);
	}
}

/* Record an error: locations from the path, message already formatted. */
static void record(vctx *c, const jpath *p, const char *kwloc, const sr_buf *msg)
{
	sr_buf il = SR_BUF_INIT, kl = SR_BUF_INIT;
	const jpath **frames;
	const jpath *f;
	size_t n = 0, i;

	for (f = p; f; f = f->up)
		n++;
	frames = sr_malloc((n ? n : 1) * sizeof(*frames));
	for (f = p, i = n; f; f = f->up)
		frames[--i] = f;
	for (i = 0; i < n; i++) {
		f = frames[i];
		if (f->kw)
			sr_buf_puts(&kl, f->kw);
		if (f->step == STEP_KEY) {
			sr_buf_putc(&il, '/');
			sr_json_pointer_put_token(&il, f->key, f->n);
		} else if (f->step == STEP_INDEX) {
			sr_buf_printf(&il, "/%zu", f->n);
		}
	}
	if (kwloc)
		sr_buf_puts(&kl, kwloc);
	sr_buf_putc(&il, '\0');
	sr_buf_putc(&kl, '\0');
	sr_validation_add(c->v, il.ptr, kl.ptr, "%.*s", (int)msg->len, msg->ptr ? msg->ptr : "");
	if (c->v->count >= (c->v->max_errors ? c->v->max_errors : 100))
		c->full = true;
	free(frames);
	sr_buf_dispose(&il);
	sr_buf_dispose(&kl);
}

__attribute__((format(printf, 4, 5)))
static void failf(vctx *c, const jpath *p, const char *kwloc, const char *fmt, ...)
{
	sr_buf msg = SR_BUF_INIT;
	va_list ap;

	if (!want(c))
		return;
	va_start(ap, fmt);
	sr_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	record(c, p, kwloc, &msg);
	sr_buf_dispose(&msg);
}

/* A limit stops the whole validation: the document is invalid. */
static bool limit(vctx *c, const jpath *p, const char *kwloc, const char *what)
{
	if (!c->limit_recorded && c->v && !c->v->flag_only) {
		sr_buf msg = SR_BUF_INIT;
		bool full = c->full;
		sr_buf_puts(&msg, what);
		c->full = false;
		record(c, p, kwloc, &msg);
		c->full = full || c->full;
		sr_buf_dispose(&msg);
		c->limit_recorded = true;
	}
	c->limit_hit = true;
	return false;
}

/* ---- helpers --------------------------------------------------------------------- */

static inline unsigned kind_of(const sr_json *v)
{
	static const uint8_t kinds[] = {
		[SR_JSON_NULL] = SR_JS_K_NULL,	   [SR_JSON_FALSE] = SR_JS_K_BOOL,
		[SR_JSON_TRUE] = SR_JS_K_BOOL,	   [SR_JSON_NUMBER] = SR_JS_K_NUMBER,
		[SR_JSON_STRING] = SR_JS_K_STR,	   [SR_JSON_ARRAY] = SR_JS_K_ARR,
		[SR_JSON_OBJECT] = SR_JS_K_OBJ,
	};

	return kinds[v->type];
}

static bool number_is_integer(const sr_json *v, bool lexical)
{
	sr_js_dec d;
	size_t i;

	for (i = 0; i < v->len; i++) {
		char ch = v->u.str[i];
		if (ch == '.' || ch == 'e' || ch == 'E')
			break;
	}
	if (i == v->len)
		return true;
	if (lexical)
		return false;
	sr_js__dec_parse(&d, v->u.str, v->len);
	return sr_js__dec_is_integer(&d);
}

static bool type_ok(unsigned types, const sr_json *inst)
{
	unsigned k = kind_of(inst);

	if (k == SR_JS_K_NUMBER) {
		if (types & SR_JS_K_NUM)
			return true;
		if (types & SR_JS_K_INT)
			return number_is_integer(inst, types & SR_JS_TYPE_LEXICAL_INT);
		return false;
	}
	return (types & k) != 0;
}

static int number_cmp_exact(const sr_json *inst, const sr_js_number *lim);

/* Compare an instance number with a limit: <0, 0, >0. */
__attribute__((always_inline))
static inline int number_cmp(vctx *c, const sr_json *inst, const sr_js_number *lim)
{
	if (c->num_inst != inst) {
		c->num_inst = inst;
		c->num_fast = sr_js__fast_double(inst->u.str, inst->len, &c->num_d);
	}
	if (lim->is_fast && c->num_fast)
		return c->num_d < lim->d ? -1 : c->num_d > lim->d;
	return number_cmp_exact(inst, lim);
}

__attribute__((noinline))
static int number_cmp_exact(const sr_json *inst, const sr_js_number *lim)
{
	sr_js_dec d;


	if (lim->is_i64 && inst->len <= 18) {
		const char *s = inst->u.str;
		size_t i = s[0] == '-' ? 1 : 0;
		int64_t x = 0;
		for (; i < inst->len; i++) {
			if (s[i] < '0' || s[i] > '9')
				break;
			x = x * 10 + (s[i] - '0');
		}
		if (i == inst->len) {
			if (s[0] == '-')
				x = -x;
			return x < lim->i64 ? -1 : x > lim->i64;
		}
	}
	sr_js__dec_parse(&d, inst->u.str, inst->len);
	return sr_js__dec_cmp(&d, &lim->dec);
}

static size_t utf8_length(const char *s, size_t n)
{
	size_t i, cnt = 0;

	for (i = 0; i < n; i++)
		cnt += ((unsigned char)s[i] & 0xc0) != 0x80;
	return cnt;
}

static inline bool bytes_eq(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	uint32_t u, v;
	size_t i;

	if (n < 8) {
		if (n >= 4) {
			memcpy(&u, a, 4);
			memcpy(&v, b, 4);
			if (u != v)
				return false;
			memcpy(&u, a + n - 4, 4);
			memcpy(&v, b + n - 4, 4);
			return u == v;
		}
		/* 1 to 3 bytes: first, middle and last cover them all */
		return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
	}
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return false;
	}
	memcpy(&x, a + n - 8, 8);
	memcpy(&y, b + n - 8, 8);
	return x == y;
}

static bool enum_has(const sr_js_enum *e, const sr_json *inst)
{
	size_t i, s;

	if (e->strings) {
		if (inst->type != SR_JSON_STRING)
			return false;
		if (!e->table) {
			for (i = 0; i < e->n; i++)
				if (e->values[i]->len == inst->len &&
				    bytes_eq(e->values[i]->u.str, inst->u.str, inst->len))
					return true;
			return false;
		}
		for (s = (size_t)sr_js__key_hash(inst->u.str, inst->len) & e->table_mask; e->table[s];
		     s = (s + 1) & e->table_mask) {
			const sr_json *v = e->values[e->table[s] - 1];
			if (v->len == inst->len && bytes_eq(v->u.str, inst->u.str, inst->len))
				return true;
		}
		return false;
	}
	if (!e->table) {
		for (i = 0; i < e->n; i++)
			if (sr_js__value_equal(e->values[i], inst))
				return true;
		return false;
	}
	for (s = (size_t)sr_js__value_hash(inst) & e->table_mask; e->table[s]; s = (s + 1) & e->table_mask)
		if (sr_js__value_equal(e->values[e->table[s] - 1], inst))
			return true;
	return false;
}

/* The named property `k`. `hint` is where the previous member was found:
 * documents usually list members in the schema's order, so the next
 * property is tried before any lookup. */
static const sr_js_prop *prop_find(const sr_js_object *o, const char *k, size_t n, size_t *hint)
{
	const sr_js_prop *p;
	size_t i, s;
	uint64_t h;

	if (*hint < o->nprops) {
		p = &o->props[*hint];
		if (p->len == n && bytes_eq(p->name, k, n)) {
			(*hint)++;
			return p;
		}
	}
	if (!o->table) {
		for (i = 0; i < o->nprops; i++) {
			p = &o->props[i];
			if (p->len == n && bytes_eq(p->name, k, n)) {
				*hint = i + 1;
				return p;
			}
		}
		return NULL;
	}
	h = sr_js__key_hash(k, n);
	for (s = (size_t)h & o->table_mask; o->table[s]; s = (s + 1) & o->table_mask) {
		p = &o->props[o->table[s] - 1];
		if (p->hash == h && p->len == n && bytes_eq(p->name, k, n)) {
			*hint = o->table[s];
			return p;
		}
	}
	return NULL;
}

static bool has_member(const sr_json *obj, const char *k, size_t n)
{
	size_t i;

	for (i = 0; i < obj->len; i++)
		if (obj->u.members[i].key_len == n && memcmp(obj->u.members[i].key, k, n) == 0)
			return true;
	return false;
}

/* Member lookups in an object: linear scans while that is cheap, through
 * a hash index (scratch memory) when `lookups` scans of a large object
 * would not be, so that many dependencies over a large object stay
 * linear. */
typedef struct member_index {
	const sr_json *obj;
	uint32_t *t;
	size_t mask;
} member_index;

static void member_index_init(vctx *c, member_index *mi, const sr_json *obj, size_t lookups)
{
	size_t cap, i, s;

	mi->obj = obj;
	mi->t = NULL;
	if (obj->len <= 16 || lookups <= 1024 / obj->len)
		return;
	for (cap = 64; cap < obj->len * 2; cap *= 2)
		;
	mi->t = sr_arena_calloc(scratch(c), cap, sizeof(*mi->t));
	mi->mask = cap - 1;
	for (i = 0; i < obj->len; i++) {
		const sr_json_member *m = &obj->u.members[i];
		for (s = (size_t)sr_js__key_hash(m->key, m->key_len) & mi->mask; mi->t[s]; s = (s + 1) & mi->mask)
			;
		mi->t[s] = (uint32_t)(i + 1);
	}
}

static bool member_has(const member_index *mi, const char *k, size_t n)
{
	size_t s;

	if (!mi->t)
		return has_member(mi->obj, k, n);
	for (s = (size_t)sr_js__key_hash(k, n) & mi->mask; mi->t[s]; s = (s + 1) & mi->mask) {
		const sr_json_member *m = &mi->obj->u.members[mi->t[s] - 1];
		if (m->key_len == n && memcmp(m->key, k, n) == 0)
			return true;
	}
	return false;
}

/* Evaluate in flag mode (errors not recorded). */
static bool eval_flag(vctx *c, const sr_js_node *n, const sr_json *inst, const jpath *p, bits *ann)
{
	bool save = c->err, r;

	c->err = false;
	r = ann ? eval(c, n, inst, p, ann) : eval_sub(c, n, inst, p);
	c->err = save;
	return r;
}

/* Find two equal items (i < j); false when all are unique. */
static bool find_duplicate(vctx *c, const sr_json *arr, size_t *pi, size_t *pj)
{
	size_t n = arr->len, i, j, cap, s;
	uint32_t *table;
	uint64_t *hashes;

	if (n <= UNIQUE_LINEAR_MAX) {
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (sr_js__value_equal(arr->u.items[i], arr->u.items[j])) {
					*pi = i;
					*pj = j;
					return true;
				}
		return false;
	}
	for (cap = 64; cap < n * 2; cap *= 2)
		;
	table = sr_arena_calloc(scratch(c), cap, sizeof(*table));
	hashes = sr_arena_alloc(scratch(c), n * sizeof(*hashes));
	for (j = 0; j < n; j++) {
		hashes[j] = sr_js__value_hash(arr->u.items[j]);
		for (s = (size_t)hashes[j] & (cap - 1); table[s]; s = (s + 1) & (cap - 1)) {
			i = table[s] - 1;
			if (hashes[i] == hashes[j] && sr_js__value_equal(arr->u.items[i], arr->u.items[j])) {
				*pi = i;
				*pj = j;
				return true;
			}
		}
		table[s] = (uint32_t)(j + 1);
	}
	return false;
}

/* ---- combinator messages ------------------------------------------------------------ */

/* The type mask a branch rejects the instance with (following a leading
 * $ref a few steps), or 0 when the branch does not fail on `type`. */
static unsigned type_rejection(const sr_js_node *n, const sr_json *inst)
{
	unsigned hops;
	size_t i;

	for (hops = 0; hops < 8 && n && n->kind == SR_JS_NODE_SCHEMA; hops++) {
		const sr_js_node *next = NULL;
		if (!type_ok(n->types, inst))
			return n->types & SR_JS_K_ANY;
		for (i = 0; i < n->nkws; i++) {
			const sr_js_kw *w = &n->kws[i];
			if (w->op == SR_JS_OP_REF && n->nkws == 1)
				next = w->u.node;
		}
		n = next;
	}
	return 0;
}

/*
 * Does the branch rule itself out with a discriminator: a property whose
 * subschema pins it with const/enum, present in the object with another
 * value? ({"kind": {"const": "circle"}} when the object says "square".)
 * Following a leading $ref a few steps.
 */
static bool discriminator_mismatch(const sr_js_node *n, const sr_json *inst)
{
	unsigned hops;
	size_t i, k, m, hint;

	if (inst->type != SR_JSON_OBJECT)
		return false;
	for (hops = 0; hops < 8 && n && n->kind == SR_JS_NODE_SCHEMA; hops++) {
		const sr_js_node *next = NULL;
		for (i = 0; i < n->nkws; i++) {
			const sr_js_kw *w = &n->kws[i];
			if (w->op == SR_JS_OP_REF)
				next = w->u.node;
			if (w->op != SR_JS_OP_OBJECT)
				continue;
			/* by the instance's members, each looked up in the
			 * schema's property index: linear in the object */
			for (k = 0, hint = 0; k < inst->len; k++) {
				const sr_json_member *mb = &inst->u.members[k];
				const sr_js_prop *pr = prop_find(w->u.object, mb->key, mb->key_len, &hint);
				const sr_js_node *ps = pr ? pr->schema.node : NULL;
				const sr_json *v = mb->value;
				if (!ps || ps->kind != SR_JS_NODE_SCHEMA)
					continue;
				for (m = 0; m < ps->nkws; m++) {
					const sr_js_kw *pw = &ps->kws[m];
					if (pw->op == SR_JS_OP_CONST && !sr_js__value_equal(pw->u.value, v))
						return true;
					if (pw->op == SR_JS_OP_ENUM && !enum_has(pw->u.en, v))
						return true;
				}
			}
		}
		n = next;
	}
	return false;
}

/* Explain why no branch of anyOf/oneOf matched. */
__attribute__((noinline))
static void explain_alternatives(vctx *c, const sr_js_kw *w, const sr_json *inst, const jpath *p,
				 const char *name)
{
	const sr_js_list *l = w->u.list;
	unsigned all = 0;
	bool all_type = true, any_left = false;
	size_t i;

	for (i = 0; i < l->n; i++) {
		unsigned t = type_rejection(l->subs[i].node, inst);
		if (!t)
			all_type = false;
		all |= t;
	}
	if (all_type) {
		sr_buf msg = SR_BUF_INIT;
		sr_buf_puts(&msg, "expected ");
		put_types(&msg, all);
		sr_buf_puts(&msg, ", got ");
		put_desc(&msg, inst);
		record(c, p, w->loc, &msg);
		sr_buf_dispose(&msg);
		return;
	}
	/* The branches' own errors, one level deep: a nested anyOf/oneOf
	 * that fails inside an explained branch is summarised, which keeps
	 * the explanation readable and its cost linear. */
	if (c->explaining) {
		failf(c, p, w->loc, "value does not match any alternative of %s", name);
		return;
	}
	/* Branches ruled out by their type or a discriminator are not
	 * explained, unless that leaves none. */
	for (i = 0; i < l->n && !any_left; i++)
		any_left = !type_rejection(l->subs[i].node, inst) &&
			   !discriminator_mismatch(l->subs[i].node, inst);
	failf(c, p, w->loc, "value does not match any alternative of %s%s", name,
	      l->n > 1 ? "; the alternatives' errors follow" : "");
	c->explaining++;
	for (i = 0; i < l->n && want(c); i++) {
		jpath q;
		if (l->n > 1 && (type_rejection(l->subs[i].node, inst) ||
				 (any_left && discriminator_mismatch(l->subs[i].node, inst))))
			continue;
		frame_kw(&q, p, l->subs[i].loc);
		eval(c, l->subs[i].node, inst, &q, NULL);
	}
	c->explaining--;
}

/* ---- keywords ------------------------------------------------------------------------ */

__attribute__((noinline))
static bool exec_object(vctx *c, const sr_js_kw *w, const sr_json *inst, const jpath *p, bits *ann)
{
	const sr_js_object *o = w->u.object;
	uint64_t seen_small[BITS_STACK], all = 0;
	bits seen;
	bool ok = true;
	size_t i, k, hint = 0;

	if (o->nrequired <= 64) {
		/* one word, no memset call */
		seen_small[0] = 0;
		seen.w = seen_small;
		seen.nw = 1;
	} else {
		bits_new(c, &seen, seen_small, o->nrequired);
	}
	if (o->nrequired <= 64)
		all = o->nrequired == 64 ? UINT64_MAX : ((uint64_t)1 << o->nrequired) - 1;
	for (i = 0; i < inst->len; i++) {
		const sr_json_member *m = &inst->u.members[i];
		const sr_js_prop *pr = o->nprops ? prop_find(o, m->key, m->key_len, &hint) : NULL;
		bool matched = false;
		jpath q;

		if (pr) {
			if (pr->required != UINT32_MAX)
				bits_set(&seen, pr->required);
			if (pr->schema.node) {
				matched = true;
				frame_key(&q, p, pr->schema.loc, m->key, m->key_len);
				if (!eval_sub(c, pr->schema.node, m->value, &q)) {
					ok = false;
					if (!want(c))
						return false;
				}
			}
		}
		for (k = 0; k < o->npatterns; k++) {
			const sr_js_pattern *pt = &o->patterns[k];
			sr_regex_result r = sr_regex_search(pt->re, m->key, m->key_len);
			if (r == SR_REGEX_LIMIT) {
				frame_key(&q, p, NULL, m->key, m->key_len);
				sr_buf msg = SR_BUF_INIT;
				sr_buf_printf(&msg, "property name \"%.*s\" could not be matched against the "
					      "patternProperties pattern \"%s\": the regular expression hit its "
					      "match limit", (int)(m->key_len > QUOTE_MAX ? QUOTE_MAX : m->key_len),
					      m->key, pt->source);
				limit(c, &q, pt->schema.loc, msg.ptr);
				sr_buf_dispose(&msg);
				return false;
			}
			if (r != SR_REGEX_MATCH)
				continue;
			matched = true;
			frame_key(&q, p, pt->schema.loc, m->key, m->key_len);
			if (!eval_sub(c, pt->schema.node, m->value, &q)) {
				ok = false;
				if (!want(c))
					return false;
			}
		}
		if (!matched && o->additional.node) {
			matched = true;
			frame_key(&q, p, NULL, m->key, m->key_len);
			if (o->additional.node->kind == SR_JS_NODE_FALSE) {
				ok = false;
				if (!want(c))
					return false;
				failf(c, &q, o->additional.loc, "additional property \"%.*s\" is not allowed",
				      (int)m->key_len, m->key);
			} else {
				q.kw = o->additional.loc;
				if (!eval_sub(c, o->additional.node, m->value, &q)) {
					ok = false;
					if (!want(c))
						return false;
				}
			}
		}
		if (matched && ann)
			bits_set(ann, i);
	}
	if (o->nrequired <= 64 && seen_small[0] == all)
		return ok;
	for (k = 0; k < o->nrequired; k++) {
		const sr_js_prop *pr;
		if (bits_get(&seen, k))
			continue;
		ok = false;
		if (!want(c))
			return false;
		pr = &o->props[o->required[k]];
		failf(c, p, o->required_loc, "missing required property \"%.*s\"", (int)pr->len, pr->name);
	}
	return ok;
}

__attribute__((noinline))
static bool exec_items(vctx *c, const sr_js_kw *w, const sr_json *inst, const jpath *p, bits *ann)
{
	const sr_js_items *it = w->u.items;
	size_t n = inst->len, np = it->nprefix < n ? it->nprefix : n, i;
	bool ok = true;
	jpath q;

	for (i = 0; i < np; i++) {
		frame_index(&q, p, it->prefix[i].loc, i);
		if (!eval_sub(c, it->prefix[i].node, inst->u.items[i], &q)) {
			ok = false;
			if (!want(c))
				return false;
		}
	}
	if (ann)
		bits_set_range(ann, 0, np);
	if (!it->rest.node || n <= it->nprefix)
		return ok;
	if (it->rest.node->kind == SR_JS_NODE_FALSE) {
		if (want(c))
			failf(c, p, it->rest.loc, "array has %zu items, but only %zu %s allowed", n,
			      it->nprefix, it->nprefix == 1 ? "is" : "are");
		return false;
	}
	if (it->rest.node->kind != SR_JS_NODE_TRUE) {
		for (i = it->nprefix; i < n; i++) {
			frame_index(&q, p, it->rest.loc, i);
			if (!eval_sub(c, it->rest.node, inst->u.items[i], &q)) {
				ok = false;
				if (!want(c))
					return false;
			}
		}
	}
	if (ann)
		bits_set_range(ann, it->nprefix, n);
	return ok;
}

__attribute__((noinline))
static bool exec_contains(vctx *c, const sr_js_kw *w, const sr_json *inst, const jpath *p, bits *ann)
{
	const sr_js_contains *ct = w->u.contains;
	bool mark = ann && ct->annotate;
	uint64_t count = 0;
	size_t i;
	jpath q;

	for (i = 0; i < inst->len; i++) {
		frame_index(&q, p, ct->schema.loc, i);
		if (!eval_flag(c, ct->schema.node, inst->u.items[i], &q, NULL)) {
			if (c->limit_hit)
				return false;
			continue;
		}
		count++;
		if (mark)
			bits_set(ann, i);
		else if (count >= ct->min && (ct->max == UINT64_MAX || count > ct->max))
			break;
	}
	if (count < ct->min) {
		if (ct->min == 1 && ct->min_loc == ct->schema.loc)
			failf(c, p, ct->schema.loc,
			      "array does not contain any item matching the \"contains\" schema");
		else
			failf(c, p, ct->min_loc, "array contains %llu matching item%s, fewer than the "
			      "minimum of %llu", (unsigned long long)count, count == 1 ? "" : "s",
			      (unsigned long long)ct->min);
		return false;
	}
	if (count > ct->max) {
		failf(c, p, ct->max_loc, "array contains %s%llu matching items, more than the maximum of %llu",
		      mark ? "" : "at least ", (unsigned long long)count, (unsigned long long)ct->max);
		return false;
	}
	return true;
}

__attribute__((noinline))
static bool exec_property_names(vctx *c, const sr_js_kw *w, const sr_json *inst, const jpath *p)
{
	bool ok = true, memo = c->memo_allowed;
	size_t i;
	jpath q;

	/* The names are evaluated as string instances made on the stack, at
	 * one address: remembered verdicts (keyed by address) must not apply. */
	c->memo_allowed = false;
	frame_kw(&q, p, w->loc);
	for (i = 0; i < inst->len; i++) {
		const sr_json_member *m = &inst->u.members[i];
		sr_json key;

		key.type = SR_JSON_STRING;
		key.len = m->key_len;
		key.u.str = m->key;
		if (eval_flag(c, w->u.node, &key, &q, NULL))
			continue;
		ok = false;
		if (c->limit_hit || !want(c))
			break;
		failf(c, p, w->loc, "property name \"%.*s\" is not valid:",
		      (int)(m->key_len > QUOTE_MAX ? QUOTE_MAX : m->key_len), m->key);
		eval(c, w->u.node, &key, &q, NULL);
	}
	c->memo_allowed = memo;
	return ok;
}

__attribute__((noinline))
static bool exec_dependencies(vctx *c, const sr_js_kw *w, const sr_json *inst, const jpath *p, bits *ann)
{
	const sr_js_deps *ds = w->u.deps;
	member_index mi;
	bool ok = true;
	size_t i, k;
	jpath q;

	member_index_init(c, &mi, inst, ds->n);
	for (i = 0; i < ds->n; i++) {
		const sr_js_dependency *d = &ds->deps[i];
		if (!member_has(&mi, d->name, d->len))
			continue;
		if (d->schema.node) {
			frame_kw(&q, p, d->schema.loc);
			if (!eval(c, d->schema.node, inst, &q, ann)) {
				ok = false;
				if (!want(c))
					return false;
			}
			continue;
		}
		for (k = 0; k < d->nrequired; k++) {
			if (member_has(&mi, d->required[k], d->required_len[k]))
				continue;
			ok = false;
			if (!want(c))
				return false;
			failf(c, p, d->schema.loc, "property \"%.*s\" is required when \"%.*s\" is present",
			      (int)d->required_len[k], d->required[k], (int)d->len, d->name);
		}
	}
	return ok;
}

/* The outermost resource of the dynamic scope with a $dynamicAnchor `name`. */
static const sr_js_node *dynamic_target(const vctx *c, const char *name)
{
	const sr_js_node *found = NULL;
	const jscope *f;
	size_t i;

	for (f = c->scope; f; f = f->up) {
		const sr_js_resource *r = f->res;
		for (i = 0; i < r->ndynamic; i++)
			if (strcmp(r->dynamic[i].name, name) == 0) {
				found = r->dynamic[i].node;
				break;
			}
	}
	return found;
}

/* $recursiveRef: the outermost resource of the dynamic scope with
 * "$recursiveAnchor": true, when the static target has it too. */
static const sr_js_node *recursive_target(const vctx *c, const sr_js_node *t)
{
	const sr_js_node *found = NULL;
	const jscope *f;

	if (!t->resource || !t->resource->recursive_anchor || t->resource->root_node != t)
		return t;
	for (f = c->scope; f; f = f->up)
		if (f->res->recursive_anchor && f->res->root_node)
			found = f->res->root_node;
	return found ? found : t;
}

__attribute__((noinline))
/*
 * A discriminated union: the only branch that can pass, or -1 when none
 * can (not an object, no such property, or a value no branch has).
 */
static long disc_branch(const sr_js_list *l, const sr_json *inst)
{
	const sr_json *v = NULL;
	size_t i;

	if (inst->type != SR_JSON_OBJECT)
		return -1;
	for (i = 0; i < inst->len && !v; i++)
		if (inst->u.members[i].key_len == l->disc_len &&
		    bytes_eq(inst->u.members[i].key, l->disc, l->disc_len))
			v = inst->u.members[i].value;
	if (!v || v->type != SR_JSON_STRING)
		return -1;
	for (i = 0; i < l->n; i++)
		if (l->disc_values[i]->len == v->len && bytes_eq(l->disc_values[i]->u.str, v->u.str, v->len))
			return (long)i;
	return -1;
}

/* anyOf/oneOf over a discriminated union: one branch decides. */
static bool exec_disc(vctx *c, const sr_js_kw *w, const sr_json *inst, const jpath *p, bits *ann,
		      const char *name)
{
	const sr_js_list *l = w->u.list;
	long k = disc_branch(l, inst);
	uint64_t stack[BITS_STACK];
	bits tmp;
	jpath q;

	if (k >= 0) {
		frame_kw(&q, p, l->subs[k].loc);
		if (ann)
			bits_new(c, &tmp, stack, inst->len);
		if (eval_flag(c, l->subs[k].node, inst, &q, ann ? &tmp : NULL)) {
			if (ann)
				bits_or(ann, &tmp);
			return true;
		}
		if (c->limit_hit)
			return false;
	}
	if (want(c))
		explain_alternatives(c, w, inst, p, name);
	return false;
}

static bool exec_any_of(vctx *c, const sr_js_kw *w, const sr_json *inst, const jpath *p, bits *ann)
{
	const sr_js_list *l = w->u.list;
	bool any = false;
	size_t i;

	if (l->disc)
		return exec_disc(c, w, inst, p, ann, "anyOf");
	for (i = 0; i < l->n; i++) {
		uint64_t stack[BITS_STACK];
		bits tmp;
		jpath q;

		frame_kw(&q, p, l->subs[i].loc);
		if (ann)
			bits_new(c, &tmp, stack, inst->len);
		if (!eval_flag(c, l->subs[i].node, inst, &q, ann ? &tmp : NULL)) {
			if (c->limit_hit)
				return false;
			continue;
		}
		any = true;
		if (!ann)
			break;
		bits_or(ann, &tmp);
	}
	if (!any && want(c))
		explain_alternatives(c, w, inst, p, "anyOf");
	return any;
}

__attribute__((noinline))
static bool exec_one_of(vctx *c, const sr_js_kw *w, const sr_json *inst, const jpath *p, bits *ann)
{
	const sr_js_list *l = w->u.list;
	uint64_t keep_stack[BITS_STACK];
	bits keep = { NULL, 0 };
	size_t i, first = 0, nvalid = 0;

	if (l->disc)
		return exec_disc(c, w, inst, p, ann, "oneOf");
	for (i = 0; i < l->n; i++) {
		uint64_t stack[BITS_STACK];
		bits tmp;
		jpath q;

		frame_kw(&q, p, l->subs[i].loc);
		if (ann)
			bits_new(c, &tmp, nvalid == 0 ? keep_stack : stack, inst->len);
		if (!eval_flag(c, l->subs[i].node, inst, &q, ann ? &tmp : NULL)) {
			if (c->limit_hit)
				return false;
			continue;
		}
		if (++nvalid == 1) {
			first = i;
			if (ann)
				keep = tmp;
			continue;
		}
		failf(c, p, w->loc, "value matches more than one alternative of oneOf (%zu and %zu), "
		      "it must match exactly one", first, i);
		return false;
	}
	if (nvalid == 0) {
		if (want(c))
			explain_alternatives(c, w, inst, p, "oneOf");
		return false;
	}
	if (ann)
		bits_or(ann, &keep);
	return true;
}

__attribute__((noinline))
static bool exec_unevaluated(vctx *c, const sr_js_kw *w, const sr_json *inst, const jpath *p, bits *ann)
{
	bool props = w->op == SR_JS_OP_UNEVALUATED_PROPERTIES, ok = true;
	size_t i;

	for (i = 0; i < inst->len; i++) {
		jpath q;
		if (bits_get(ann, i))
			continue;
		if (props)
			frame_key(&q, p, w->loc, inst->u.members[i].key, inst->u.members[i].key_len);
		else
			frame_index(&q, p, w->loc, i);
		if (w->u.node->kind == SR_JS_NODE_FALSE) {
			ok = false;
			if (!want(c))
				return false;
			q.kw = NULL;
			if (props)
				failf(c, &q, w->loc, "unevaluated property \"%.*s\" is not allowed",
				      (int)inst->u.members[i].key_len, inst->u.members[i].key);
			else
				failf(c, &q, w->loc, "unevaluated item %zu is not allowed", i);
			continue;
		}
		if (!eval_sub(c, w->u.node, props ? inst->u.members[i].value : inst->u.items[i], &q)) {
			ok = false;
			if (!want(c))
				return false;
		}
		bits_set(ann, i);
	}
	return ok;
}

/*
 * The message of a failed leaf keyword. Out of line and cold: the checks
 * in exec() stay small, and nothing here runs on the valid path.
 */
__attribute__((noinline, cold))
static bool exec_fail(vctx *c, const sr_js_kw *w, const sr_json *inst, const jpath *p, int how)
{
	sr_buf msg = SR_BUF_INIT;
	size_t n, i, j;

	if (w->op == SR_JS_OP_PATTERN && how == SR_REGEX_LIMIT) {
		sr_buf_puts(&msg, "string ");
		put_value(&msg, inst, QUOTE_MAX);
		sr_buf_printf(&msg, " could not be matched against the pattern \"%s\": the regular "
			      "expression hit its match limit", w->u.pattern->source);
		limit(c, p, w->loc, msg.ptr);
		sr_buf_dispose(&msg);
		return false;
	}
	if (!want(c))
		return false;
	switch ((sr_js_op)w->op) {
	case SR_JS_OP_CONST:
		sr_buf_puts(&msg, "value ");
		put_value(&msg, inst, QUOTE_MAX);
		sr_buf_puts(&msg, " is not the constant ");
		put_value(&msg, w->u.value, 4 * QUOTE_MAX);
		break;
	case SR_JS_OP_ENUM:
		sr_buf_puts(&msg, "value ");
		put_value(&msg, inst, QUOTE_MAX);
		sr_buf_printf(&msg, " is not one of %s", w->u.en->source);
		break;
	case SR_JS_OP_MINIMUM:
		sr_buf_printf(&msg, "value %s is less than the minimum of %s", inst->u.str,
			      w->u.num->lexeme);
		break;
	case SR_JS_OP_MAXIMUM:
		sr_buf_printf(&msg, "value %s is greater than the maximum of %s", inst->u.str,
			      w->u.num->lexeme);
		break;
	case SR_JS_OP_EXCL_MINIMUM:
		sr_buf_printf(&msg, "value %s is not greater than the exclusive minimum of %s",
			      inst->u.str, w->u.num->lexeme);
		break;
	case SR_JS_OP_EXCL_MAXIMUM:
		sr_buf_printf(&msg, "value %s is not less than the exclusive maximum of %s", inst->u.str,
			      w->u.num->lexeme);
		break;
	case SR_JS_OP_MULTIPLE_OF:
		sr_buf_printf(&msg, "value %s is not a multiple of %s", inst->u.str, w->number_source);
		break;
	case SR_JS_OP_MIN_LENGTH:
	case SR_JS_OP_MAX_LENGTH:
		n = utf8_length(inst->u.str, inst->len);
		sr_buf_puts(&msg, "string ");
		put_value(&msg, inst, QUOTE_MAX);
		sr_buf_printf(&msg, " has %zu character%s, %s %llu", n, n == 1 ? "" : "s",
			      w->op == SR_JS_OP_MIN_LENGTH ? "fewer than the minimum of"
							   : "more than the maximum of",
			      (unsigned long long)w->u.count);
		break;
	case SR_JS_OP_PATTERN:
		sr_buf_puts(&msg, "string ");
		put_value(&msg, inst, QUOTE_MAX);
		sr_buf_printf(&msg, " does not match the pattern \"%s\"", w->u.pattern->source);
		break;
	case SR_JS_OP_FORMAT:
		sr_buf_puts(&msg, "string ");
		put_value(&msg, inst, QUOTE_MAX);
		sr_buf_printf(&msg, " is not a valid %s", w->u.format->name);
		break;
	case SR_JS_OP_MIN_ITEMS:
	case SR_JS_OP_MAX_ITEMS:
		sr_buf_printf(&msg, "array has %zu item%s, %s %llu", inst->len, inst->len == 1 ? "" : "s",
			      w->op == SR_JS_OP_MIN_ITEMS ? "fewer than the minimum of"
							  : "more than the maximum of",
			      (unsigned long long)w->u.count);
		break;
	case SR_JS_OP_UNIQUE_ITEMS:
		find_duplicate(c, inst, &i, &j);
		sr_buf_printf(&msg, "array items %zu and %zu are equal, but items must be unique", i, j);
		break;
	case SR_JS_OP_MIN_PROPERTIES:
	case SR_JS_OP_MAX_PROPERTIES:
		sr_buf_printf(&msg, "object has %zu propert%s, %s %llu", inst->len,
			      inst->len == 1 ? "y" : "ies",
			      w->op == SR_JS_OP_MIN_PROPERTIES ? "fewer than the minimum of"
							       : "more than the maximum of",
			      (unsigned long long)w->u.count);
		break;
	case SR_JS_OP_NOT:
		sr_buf_puts(&msg, "value must not match the \"not\" schema");
		break;
	default:
		sr_buf_puts(&msg, "value is not valid");
		break;
	}
	record(c, p, w->loc, &msg);
	sr_buf_dispose(&msg);
	return false;
}

/* The less common keywords without subschemas (out of line). */
__attribute__((noinline))
static bool exec_leaf_other(vctx *c, const sr_js_kw *w, const sr_json *inst, const jpath *p)
{
	sr_js_dec d;
	size_t i, j;

	switch ((sr_js_op)w->op) {
	case SR_JS_OP_CONST:
		return sr_js__value_equal(w->u.value, inst) || exec_fail(c, w, inst, p, 0);
	case SR_JS_OP_MULTIPLE_OF:
		sr_js__dec_parse(&d, inst->u.str, inst->len);
		return sr_js__dec_multiple_of(&d, w->u.div, scratch(c)) || exec_fail(c, w, inst, p, 0);
	case SR_JS_OP_PATTERN: {
		sr_regex_result r = sr_regex_search(w->u.pattern->re, inst->u.str, inst->len);
		return r == SR_REGEX_MATCH || exec_fail(c, w, inst, p, r);
	}
	case SR_JS_OP_FORMAT: {
		const sr_js_format *f = w->u.format;
		return !f->check || !(c->format_assert || f->always) || f->check(inst->u.str, inst->len) ||
		       exec_fail(c, w, inst, p, 0);
	}
	case SR_JS_OP_UNIQUE_ITEMS:
		return !find_duplicate(c, inst, &i, &j) || exec_fail(c, w, inst, p, 0);
	case SR_JS_OP_DEPENDENT_REQUIRED:
		return exec_dependencies(c, w, inst, p, NULL);
	default:
		return true;
	}
}

/* Keywords without subschemas; inlined, so the common ones cost no call. */
__attribute__((always_inline))
static inline bool exec_leaf(vctx *c, const sr_js_kw *w, const sr_json *inst, const jpath *p)
{
	switch ((sr_js_op)w->op) {
	case SR_JS_OP_ENUM:
		return enum_has(w->u.en, inst) || exec_fail(c, w, inst, p, 0);
	case SR_JS_OP_MINIMUM:
		return number_cmp(c, inst, w->u.num) >= 0 || exec_fail(c, w, inst, p, 0);
	case SR_JS_OP_MAXIMUM:
		return number_cmp(c, inst, w->u.num) <= 0 || exec_fail(c, w, inst, p, 0);
	case SR_JS_OP_EXCL_MINIMUM:
		return number_cmp(c, inst, w->u.num) > 0 || exec_fail(c, w, inst, p, 0);
	case SR_JS_OP_EXCL_MAXIMUM:
		return number_cmp(c, inst, w->u.num) < 0 || exec_fail(c, w, inst, p, 0);
	case SR_JS_OP_MIN_LENGTH:
		return inst->len / 4 >= w->u.count ||
		       (inst->len >= w->u.count && utf8_length(inst->u.str, inst->len) >= w->u.count) ||
		       exec_fail(c, w, inst, p, 0);
	case SR_JS_OP_MAX_LENGTH:
		return inst->len <= w->u.count || utf8_length(inst->u.str, inst->len) <= w->u.count ||
		       exec_fail(c, w, inst, p, 0);
	case SR_JS_OP_MIN_ITEMS:
	case SR_JS_OP_MIN_PROPERTIES:
		return inst->len >= w->u.count || exec_fail(c, w, inst, p, 0);
	case SR_JS_OP_MAX_ITEMS:
	case SR_JS_OP_MAX_PROPERTIES:
		return inst->len <= w->u.count || exec_fail(c, w, inst, p, 0);
	default:
		return exec_leaf_other(c, w, inst, p);
	}
}

static bool exec(vctx *c, const sr_js_kw *w, const sr_json *inst, const jpath *p, bits *ann)
{
	jpath q;
	size_t i;

	switch ((sr_js_op)w->op) {
	case SR_JS_OP_ITEMS:
		return exec_items(c, w, inst, p, ann);
	case SR_JS_OP_CONTAINS:
		return exec_contains(c, w, inst, p, ann);
	case SR_JS_OP_OBJECT:
		return exec_object(c, w, inst, p, ann);
	case SR_JS_OP_PROPERTY_NAMES:
		return exec_property_names(c, w, inst, p);
	case SR_JS_OP_DEPENDENT_SCHEMAS:
		return exec_dependencies(c, w, inst, p, ann);
	case SR_JS_OP_REF:
		frame_kw(&q, p, w->loc);
		return eval(c, w->u.node, inst, &q, ann);
	case SR_JS_OP_DYNAMIC_REF: {
		const sr_js_node *t = w->u.dynref->target.node;
		if (w->u.dynref->anchor) {
			const sr_js_node *dyn = dynamic_target(c, w->u.dynref->anchor);
			if (dyn)
				t = dyn;
		}
		frame_kw(&q, p, w->loc);
		return eval(c, t, inst, &q, ann);
	}
	case SR_JS_OP_RECURSIVE_REF:
		frame_kw(&q, p, w->loc);
		return eval(c, recursive_target(c, w->u.node), inst, &q, ann);
	case SR_JS_OP_ALL_OF: {
		bool ok = true;
		for (i = 0; i < w->u.list->n; i++) {
			frame_kw(&q, p, w->u.list->subs[i].loc);
			if (!eval(c, w->u.list->subs[i].node, inst, &q, ann)) {
				ok = false;
				if (!want(c))
					return false;
			}
		}
		return ok;
	}
	case SR_JS_OP_ANY_OF:
		return exec_any_of(c, w, inst, p, ann);
	case SR_JS_OP_ONE_OF:
		return exec_one_of(c, w, inst, p, ann);
	case SR_JS_OP_NOT:
		frame_kw(&q, p, w->loc);
		if (!eval_flag(c, w->u.node, inst, &q, NULL))
			return !c->limit_hit;
		return exec_fail(c, w, inst, p, 0);
	case SR_JS_OP_IF: {
		const sr_js_if *cond = w->u.cond;
		uint64_t stack[BITS_STACK];
		bits tmp;
		bool r;
		if (!ann && !cond->then.node && !cond->els.node)
			return true;
		if (ann)
			bits_new(c, &tmp, stack, inst->len);
		frame_kw(&q, p, cond->cond.loc);
		r = eval_flag(c, cond->cond.node, inst, &q, ann ? &tmp : NULL);
		if (c->limit_hit)
			return false;
		if (r && ann)
			bits_or(ann, &tmp);
		if (r && cond->then.node) {
			frame_kw(&q, p, cond->then.loc);
			return eval(c, cond->then.node, inst, &q, ann);
		}
		if (!r && cond->els.node) {
			frame_kw(&q, p, cond->els.loc);
			return eval(c, cond->els.node, inst, &q, ann);
		}
		return true;
	}
	case SR_JS_OP_UNEVALUATED_ITEMS:
	case SR_JS_OP_UNEVALUATED_PROPERTIES:
		return exec_unevaluated(c, w, inst, p, ann);
	default:
		return exec_leaf(c, w, inst, p);
	}
}

__attribute__((noinline, cold))
static bool type_fail(vctx *c, const sr_js_node *n, const sr_json *inst, const jpath *p)
{
	sr_buf msg = SR_BUF_INIT;

	if (want(c)) {
		sr_buf_puts(&msg, "expected ");
		put_types(&msg, n->types & SR_JS_K_ANY);
		sr_buf_puts(&msg, ", got ");
		put_desc(&msg, inst);
		record(c, p, "/type", &msg);
		sr_buf_dispose(&msg);
	}
	return false;
}

/* Does the instance have one of the node's types? Records the error. */
static inline bool check_type(vctx *c, const sr_js_node *n, unsigned kind, const sr_json *inst,
			      const jpath *p)
{
	if ((n->types & kind) &&
	    (kind != SR_JS_K_NUMBER || (n->types & SR_JS_K_NUM) ||
	     number_is_integer(inst, n->types & SR_JS_TYPE_LEXICAL_INT)))
		return true;
	return type_fail(c, n, inst, p);
}

/*
 * A node whose keywords evaluate no subschema: nothing recurses, so the
 * depth, budget, dynamic scope and annotation bookkeeping of eval() is
 * not needed (the parent's loop bounds the work).
 */
static bool eval_leaf(vctx *c, const sr_js_node *n, const sr_json *inst, const jpath *p,
		      unsigned kind, bool ok)
{
	size_t i;

	if (c->limit_hit)
		return false;
	for (i = 0; i < n->nkws; i++) {
		const sr_js_kw *w = &n->kws[i];
		if (!(w->kinds & kind))
			continue;
		if (!exec_leaf(c, w, inst, p)) {
			ok = false;
			if (!want(c) || c->limit_hit)
				break;
		}
	}
	return ok;
}

/* A subschema applied to a child instance (no annotations flow back).
 * Inlined: a leaf that only checks `type` costs no call. */
static inline bool eval_sub(vctx *c, const sr_js_node *n, const sr_json *inst, const jpath *p)
{
	unsigned kind;
	bool ok = true;

	if (n->kind == SR_JS_NODE_TRUE)
		return true;
	if (!n->leaf || n->kind != SR_JS_NODE_SCHEMA)
		return eval(c, n, inst, p, NULL);
	kind = kind_of(inst);
	if (n->types != SR_JS_K_ANY && !check_type(c, n, kind, inst, p)) {
		if (!want(c))
			return false;
		ok = false;
	}
	if (!n->nkws)
		return ok;
	return eval_leaf(c, n, inst, p, kind, ok);
}

static bool eval(vctx *c, const sr_js_node *n, const sr_json *inst, const jpath *p, bits *ann)
{
	uint64_t stack[BITS_STACK];
	bits own, *cur = ann;
	jscope self;
	const jscope *saved;
	jpath hop;
	bool memo;
	unsigned kind;
	bool ok = true;
	size_t i;

	if (n->ref_only && n->resource == c->scope->res) {
		/* A schema that is just a $ref: straight to its target (one
		 * frame for the keyword location; cycles of these were
		 * rejected when compiling). */
		frame_kw(&hop, p, "/$ref");
		p = &hop;
		n = n->kws[0].u.node;
	}
	if (n->kind == SR_JS_NODE_TRUE)
		return true;
	if (c->limit_hit)
		return false;
	if (n->kind == SR_JS_NODE_FALSE) {
		if (want(c)) {
			if (p->step == STEP_KEY)
				failf(c, p, NULL, "property \"%.*s\" is not allowed", (int)p->n, p->key);
			else if (p->step == STEP_INDEX)
				failf(c, p, NULL, "item %zu is not allowed", p->n);
			else
				failf(c, p, NULL, "no value is allowed here (the schema is false)");
		}
		return false;
	}
	memo = c->steps > MEMO_AFTER && c->memo_allowed && !ann && !want(c);
	if (memo) {
		int known = memo_get(c, n, inst);
		if (known >= 0)
			return known;
	}
	if (++c->steps > STEP_BUDGET)
		return limit(c, p, NULL, "validation stopped: this document needs more than 67108864 "
			     "subschema evaluations under this schema");
	if (c->depth >= MAX_EVAL_DEPTH)
		return limit(c, p, NULL, "validation stopped: the document and the schema nest deeper "
			     "than 4000 evaluation levels");
	saved = c->scope;
	kind = kind_of(inst);
	if (n->types != SR_JS_K_ANY && !check_type(c, n, kind, inst, p)) {
		if (!want(c))
			return false;
		ok = false;
	}
	if (n->resource && n->resource != c->scope->res) {
		/* Entering another schema resource: it joins the dynamic scope
		 * for the evaluation below (restored on the way out). */
		self.up = c->scope;
		self.res = n->resource;
		saved = c->scope;
		c->scope = &self;
	}
	if (n->uneval && (kind & (SR_JS_K_OBJ | SR_JS_K_ARR))) {
		bits_new(c, &own, stack, inst->len);
		cur = &own;
	} else if (!(kind & (SR_JS_K_OBJ | SR_JS_K_ARR))) {
		cur = NULL;
	}
	c->depth++;
	for (i = 0; i < n->nkws; i++) {
		const sr_js_kw *w = &n->kws[i];
		if (!(w->kinds & kind))
			continue;
		if (!exec(c, w, inst, p, cur)) {
			ok = false;
			if (!want(c) || c->limit_hit)
				break;
		}
	}
	c->depth--;
	c->scope = saved;
	if (ok && ann && cur != ann && cur)
		bits_or(ann, cur);
	if (memo && !c->limit_hit)
		memo_put(c, n, inst, ok);
	return ok;
}

bool sr_js__validate(const sr_js_schema *s, const sr_js_node *root, const sr_json *instance,
		     sr_validation *v)
{
	vctx c;
	jpath top;
	jscope scope;
	bool ok;

	memset(&c, 0, sizeof(c));
	c.v = v;
	c.scratch = v->arena;
	c.err = !v->flag_only;
	c.format_assert = v->format_assertion;
	c.memo_allowed = s && !s->dynamic;
	memset(&top, 0, sizeof(top));
	scope.up = NULL;
	scope.res = root->resource;
	c.scope = &scope;
	ok = eval(&c, root, instance, &top, NULL) && !c.limit_hit;
	if (!ok && c.err && v->count == 0)
		failf(&c, &top, NULL, "the document is not valid");
	sr_arena_free(c.own_scratch);
	return ok;
}

bool sr_js__valid(const sr_js_node *root, const sr_json *instance, sr_arena *scratch_arena)
{
	sr_validation v;

	memset(&v, 0, sizeof(v));
	v.arena = scratch_arena;
	v.flag_only = true;
	return sr_js__validate(NULL, root, instance, &v);
}

bool sr_js__validate_op(const sr_parsed *s, const sr_json *instance, sr_validation *v)
{
	const sr_js_schema *js = sr_js__schema(s);

	return sr_js__validate(js, js->root, instance, v);
}

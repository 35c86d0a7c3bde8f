/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Confluent's JSON Schema diff engine (SchemaDiff.compare(original,
 * update) and its per-kind classes), on the model of compat_model.c.
 * BACKWARD runs it with original = the previous schema and update = the
 * new one; a difference outside the policy's compatible set makes the
 * pair incompatible.
 *
 * compare(original, update):
 *  - a missing side: SCHEMA_ADDED / SCHEMA_REMOVED;
 *  - a non-combined schema against a combined one: a one-member
 *    combination is compared with its member; an anyOf/oneOf update is
 *    searched for a member the original is compatible with
 *    (SUM_TYPE_EXTENDED); a combined original against a plain update: a
 *    one-member combination likewise, an allOf original is searched for a
 *    member compatible with the update (PRODUCT_TYPE_NARROWED);
 *  - different kinds: nothing when the original is false or the update is
 *    {} or true, else TYPE_CHANGED;
 *  - then $id, description, title, default, and the kind's own rules:
 *    string (maxLength, minLength, pattern), number (maximum, minimum,
 *    exclusiveMaximum, exclusiveMinimum, multipleOf, integer vs number),
 *    enum (as sets), combined (criterion, member count, then a maximum
 *    bipartite matching of compatible members), not (the negated schemas
 *    compared both ways), object (additionalProperties,
 *    unevaluatedProperties, dependencies, required, properties by content
 *    model, maxProperties, minProperties), array (items, tuple items by
 *    content model, additionalItems, unevaluatedItems, maxItems, minItems,
 *    uniqueItems), if/then/else (an extension: `if` must be equal, then
 *    and else are compared).
 * Paths are Confluent's: "#/" and the keywords and names below the root
 * ("#/properties/a/items"); members of a combination are
 * "#/<criterion>/<index of the original's member>".
 * Property, required and dependency names are visited in the iteration
 * order of a Java HashSet of them (original's first), as Confluent does.
 *
 * Bounds: a pair of nodes met again while it is being compared counts as
 * equal (recursive schemas terminate); the differences of a pair compared
 * earlier are replayed at the new path (a schema used in many places costs
 * its comparison once); equal subschemas without references are not
 * walked; combination members are compared only as the matching needs
 * them, and probes (is this pair compatible?) stop at their first
 * incompatible difference; a list keeps JSC_MAX_DIFFS differences and
 * counts the rest; a work budget counts node pairs compared and
 * differences recorded, and a depth limit caps the nesting; running out
 * of either stops the comparison and marks the result exhausted.
 */
#include "formats/jsonschema/compat_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

/* Lists longer than this are looked up through a hash index. */
#define LINEAR_MAX 16

/*
 * A Context's difference list. A probe only answers "compatible?" (and
 * keeps the list when it is): it stops at its first incompatible
 * difference, which callers then discard.
 */
typedef struct list {
	jsc_diff *items;
	size_t n, cap;
	size_t incompatible; /* all of them, kept or not */
	size_t kept_incompatible;
	bool probe, stopped;
} list;

#define PROBE { NULL, 0, 0, 0, 0, true, false }
#define FULL_LIST { NULL, 0, 0, 0, 0, false, false }

typedef struct memo {
	const char **suffix; /* path below the pair's own path ("" or "/x/y") */
	jsc_type *types;
	size_t n;
	size_t dropped; /* incompatible differences not kept */
} memo;

typedef struct engine {
	sr_arena *a;
	sr_compat_policy policy;
	char *path;
	size_t path_len, path_cap;
	jsc_pmap active; /* pair -> non-NULL while being compared */
	jsc_pmap memo;   /* pair -> memo */
	size_t depth, used;
	bool exhausted;
} engine;

static void compare(engine *e, list *l, jsc_node *o, jsc_node *u);

/* ---- paths ------------------------------------------------------------- */

static void path_put(engine *e, const char *s, size_t n)
{
	if (e->path_len + n + 1 > e->path_cap) {
		while (e->path_len + n + 1 > e->path_cap)
			e->path_cap = e->path_cap ? e->path_cap * 2 : 256;
		e->path = sr_realloc(e->path, e->path_cap);
	}
	memcpy(e->path + e->path_len, s, n);
	e->path_len += n;
	e->path[e->path_len] = '\0';
}

/* Enter a path segment (which may contain '/'); returns what to restore. */
static size_t push(engine *e, const char *seg, size_t n)
{
	size_t saved = e->path_len;

	if (e->path_len > 2)
		path_put(e, "/", 1);
	path_put(e, seg, n);
	return saved;
}

static size_t push_s(engine *e, const char *seg)
{
	return push(e, seg, strlen(seg));
}

static size_t push_index(engine *e, const char *kw, size_t i)
{
	char buf[96];
	int n = snprintf(buf, sizeof(buf), "%s/%zu", kw, i);

	return push(e, buf, (size_t)n);
}

static void pop(engine *e, size_t saved)
{
	e->path_len = saved;
	e->path[saved] = '\0';
}

/* ---- difference lists ------------------------------------------------------ */

static bool spend(engine *e)
{
	if (e->exhausted)
		return false;
	if (++e->used > JSC_BUDGET) {
		e->exhausted = true;
		return false;
	}
	return true;
}

/* Record a difference; past JSC_MAX_DIFFS a list only counts them. */
static void list_push(engine *e, list *l, jsc_type t, const char *path)
{
	bool bad = !jsc_type_compatible(t, e->policy);

	if (l->n < JSC_MAX_DIFFS) {
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 8;
			l->items = sr_realloc(l->items, l->cap * sizeof(*l->items));
		}
		l->items[l->n].type = t;
		l->items[l->n].path = path ? path : sr_arena_strndup(e->a, e->path, e->path_len);
		l->n++;
		l->kept_incompatible += bad;
	}
	if (bad) {
		l->incompatible++;
		if (l->probe)
			l->stopped = true;
	}
}

static void add(engine *e, list *l, jsc_type t)
{
	if (!spend(e))
		return;
	list_push(e, l, t, NULL);
}

static void add_at(engine *e, list *l, const char *attr, jsc_type t)
{
	size_t saved = push_s(e, attr);

	add(e, l, t);
	pop(e, saved);
}

/* Count incompatible differences a list could not keep. */
static void merge_dropped(list *dst, size_t n)
{
	if (!n)
		return;
	dst->incompatible += n;
	if (dst->probe)
		dst->stopped = true;
}

/* Append `src`'s differences to `dst` (Context.addDifferences). */
static void append(engine *e, list *dst, const list *src)
{
	size_t i;

	for (i = 0; i < src->n && !dst->stopped; i++) {
		if (dst->n < JSC_MAX_DIFFS && !spend(e))
			return;
		list_push(e, dst, src->items[i].type, src->items[i].path);
	}
	merge_dropped(dst, src->incompatible - src->kept_incompatible);
}

static void list_free(list *l)
{
	bool probe = l->probe;

	free(l->items);
	memset(l, 0, sizeof(*l));
	l->probe = probe;
}

static bool compatible(const engine *e, const list *l)
{
	return !e->exhausted && l->incompatible == 0;
}

/* ---- memoisation ------------------------------------------------------------- */

static void memo_store(engine *e, jsc_node *o, jsc_node *u, const list *l, size_t start,
		       size_t kept_bad, size_t bad, size_t base_len)
{
	memo *m = sr_arena_alloc(e->a, sizeof(*m));
	size_t i, n = l->n - start;

	m->n = n;
	m->dropped = (l->incompatible - bad) - (l->kept_incompatible - kept_bad);
	m->suffix = sr_arena_alloc(e->a, (n ? n : 1) * sizeof(*m->suffix));
	m->types = sr_arena_alloc(e->a, (n ? n : 1) * sizeof(*m->types));
	for (i = 0; i < n; i++) {
		const char *p = l->items[start + i].path + base_len;

		/* below the root the segments follow "#/" without a slash */
		if (base_len == 2 && *p)
			p = sr_arena_printf(e->a, "/%s", p);
		m->suffix[i] = p;
		m->types[i] = l->items[start + i].type;
	}
	jsc_pmap_put(&e->memo, o, u, m);
}

static void memo_replay(engine *e, list *l, const memo *m)
{
	size_t i;

	for (i = 0; i < m->n && !l->stopped; i++) {
		const char *p;

		if (l->n >= JSC_MAX_DIFFS) {
			/* only the count matters now */
			if (!jsc_type_compatible(m->types[i], e->policy))
				merge_dropped(l, 1);
			continue;
		}
		if (!spend(e))
			return;
		if (!*m->suffix[i])
			p = sr_arena_strndup(e->a, e->path, e->path_len);
		else if (e->path_len == 2)
			p = sr_arena_printf(e->a, "#/%s", m->suffix[i] + 1);
		else
			p = sr_arena_printf(e->a, "%s%s", e->path, m->suffix[i]);
		list_push(e, l, m->types[i], p);
	}
	merge_dropped(l, m->dropped);
}

/* ---- helpers -------------------------------------------------------------- */

static jsc_node *child(jsc_node *n, jsc_child *c)
{
	return jsc_child_get(n->side, c);
}

/* A bound keyword (maxLength, minimum, ...): ADDED, REMOVED, INCREASED and
 * DECREASED are consecutive difference types starting at `base`. */
static void bound(engine *e, list *l, const char *kw, const sr_json *o, const sr_json *u,
		  jsc_type base)
{
	int c;

	if (!o && !u)
		return;
	if (!o) {
		add_at(e, l, kw, base);
	} else if (!u) {
		add_at(e, l, kw, base + 1);
	} else {
		c = jsc_num_cmp(o, u);
		if (c < 0)
			add_at(e, l, kw, base + 2);
		else if (c > 0)
			add_at(e, l, kw, base + 3);
	}
}

static bool str_equal(const sr_json *a, const sr_json *b)
{
	if (!a || !b)
		return a == b;
	return a->len == b->len && memcmp(a->u.str, b->u.str, a->len) == 0;
}

/* additionalProperties / additionalItems / unevaluated*: ADDED, REMOVED,
 * EXTENDED and NARROWED are consecutive starting at `base`. */
static void extra(engine *e, list *l, const char *kw, jsc_node *on, jsc_extra *o, jsc_node *un,
		  jsc_extra *u, jsc_type base)
{
	bool op = o->mode != JSC_CLOSED, up = u->mode != JSC_CLOSED;
	size_t saved = push_s(e, kw);

	if (op != up)
		add(e, l, op ? base + 1 : base);
	else if (o->mode == JSC_OPEN && u->mode == JSC_SCHEMA)
		add(e, l, base + 3);
	else if (o->mode == JSC_SCHEMA && u->mode == JSC_OPEN)
		add(e, l, base + 2);
	else if (o->mode == JSC_SCHEMA)
		compare(e, l, child(on, &o->schema), child(un, &u->schema));
	pop(e, saved);
}

/* ---- Java HashSet order of a union of names -------------------------------- */

typedef struct names {
	const char **key;
	size_t *len;
	size_t n;
} names;

/* The names of a Java HashMap filled in document order, in its order. */
static void hashmap_order(sr_arena *a, names *out, const char **keys, const size_t *lens,
			  size_t n)
{
	size_t *order = sr_malloc((n ? n : 1) * sizeof(*order)), i;

	jsc_java_order(order, keys, lens, n, jsc_java_cap(16, n));
	out->key = sr_arena_alloc(a, (n ? n : 1) * sizeof(*out->key));
	out->len = sr_arena_alloc(a, (n ? n : 1) * sizeof(*out->len));
	for (i = 0; i < n; i++) {
		out->key[i] = keys[order[i]];
		out->len[i] = lens[order[i]];
	}
	out->n = n;
	free(order);
}

/*
 * new HashSet<>(original names) then addAll(update names), iterated: both
 * inputs in their own HashMap order (`ordered`) or list order.
 */
static void union_order(sr_arena *a, names *out, const names *o, const names *u)
{
	size_t total = o->n + u->n, i, k, n = 0, cap;
	const char **seq = sr_arena_alloc(a, (total ? total : 1) * sizeof(*seq));
	size_t *lens = sr_arena_alloc(a, (total ? total : 1) * sizeof(*lens));
	size_t *order = sr_malloc((total ? total : 1) * sizeof(*order));
	sr_map seen = SR_MAP_INIT;

	for (i = 0; i < o->n + u->n; i++) {
		const char *key = i < o->n ? o->key[i] : u->key[i - o->n];
		size_t len = i < o->n ? o->len[i] : u->len[i - o->n];

		if (sr_map_get(&seen, key, len))
			continue;
		sr_map_put(&seen, key, len, (void *)key);
		seq[n] = key;
		lens[n++] = len;
	}
	sr_map_dispose(&seen);
	cap = jsc_java_cap(jsc_java_set_cap(o->n), n);
	jsc_java_order(order, seq, lens, n, cap);
	out->key = sr_arena_alloc(a, (n ? n : 1) * sizeof(*out->key));
	out->len = sr_arena_alloc(a, (n ? n : 1) * sizeof(*out->len));
	for (k = 0; k < n; k++) {
		out->key[k] = seq[order[k]];
		out->len[k] = lens[order[k]];
	}
	out->n = n;
	free(order);
}

/* ---- strings, numbers, enums ------------------------------------------------- */

static void compare_string(engine *e, list *l, jsc_node *o, jsc_node *u)
{
	bound(e, l, "maxLength", o->max_length, u->max_length, JSC_MAX_LENGTH_ADDED);
	bound(e, l, "minLength", o->min_length, u->min_length, JSC_MIN_LENGTH_ADDED);
	if (!str_equal(o->pattern, u->pattern)) {
		if (!o->pattern)
			add_at(e, l, "pattern", JSC_PATTERN_ADDED);
		else if (!u->pattern)
			add_at(e, l, "pattern", JSC_PATTERN_REMOVED);
		else
			add_at(e, l, "pattern", JSC_PATTERN_CHANGED);
	}
}

static void compare_number(engine *e, list *l, jsc_node *o, jsc_node *u)
{
	bound(e, l, "maximum", o->maximum, u->maximum, JSC_MAXIMUM_ADDED);
	bound(e, l, "minimum", o->minimum, u->minimum, JSC_MINIMUM_ADDED);
	bound(e, l, "exclusiveMaximum", o->excl_max, u->excl_max, JSC_EXCLUSIVE_MAXIMUM_ADDED);
	bound(e, l, "exclusiveMinimum", o->excl_min, u->excl_min, JSC_EXCLUSIVE_MINIMUM_ADDED);
	/* draft 4: exclusiveMaximum/Minimum are flags on maximum/minimum */
	if (o->excl_max_flag != u->excl_max_flag)
		add_at(e, l, "exclusiveMaximum",
		       u->excl_max_flag ? JSC_EXCLUSIVE_MAXIMUM_ADDED : JSC_EXCLUSIVE_MAXIMUM_REMOVED);
	if (o->excl_min_flag != u->excl_min_flag)
		add_at(e, l, "exclusiveMinimum",
		       u->excl_min_flag ? JSC_EXCLUSIVE_MINIMUM_ADDED : JSC_EXCLUSIVE_MINIMUM_REMOVED);
	if (o->multiple_of || u->multiple_of) {
		if (!o->multiple_of)
			add_at(e, l, "multipleOf", JSC_MULTIPLE_OF_ADDED);
		else if (!u->multiple_of)
			add_at(e, l, "multipleOf", JSC_MULTIPLE_OF_REMOVED);
		else if (jsc_num_cmp(o->multiple_of, u->multiple_of) == 0)
			;
		else if (jsc_num_divides(u->multiple_of, o->multiple_of))
			add_at(e, l, "multipleOf", JSC_MULTIPLE_OF_EXPANDED);
		else if (jsc_num_divides(o->multiple_of, u->multiple_of))
			add_at(e, l, "multipleOf", JSC_MULTIPLE_OF_REDUCED);
		else
			add_at(e, l, "multipleOf", JSC_MULTIPLE_OF_CHANGED);
	}
	if (o->integer != u->integer)
		add(e, l, o->integer ? JSC_TYPE_EXTENDED : JSC_TYPE_NARROWED);
}

/*
 * Is every value of a[0..na) among b[0..nb)? Equality is sr_json_equal;
 * beyond a few values b is indexed by sr_json_hash (open addressing of
 * indexes), so a 100,000-member enum costs a pass, not a square.
 */
static bool all_among(const sr_json *const *a, size_t na, const sr_json *const *b, size_t nb)
{
	size_t cap = 16, mask, i, k;
	uint64_t *hashes;
	size_t *slots;
	bool ok = true;

	if (nb <= LINEAR_MAX) {
		for (i = 0; i < na; i++) {
			for (k = 0; k < nb; k++)
				if (sr_json_equal(a[i], b[k]))
					break;
			if (k == nb)
				return false;
		}
		return true;
	}
	while (cap < nb * 2)
		cap *= 2;
	mask = cap - 1;
	slots = sr_calloc(cap, sizeof(*slots)); /* index + 1, 0 = empty */
	hashes = sr_malloc(nb * sizeof(*hashes));
	for (k = 0; k < nb; k++) {
		hashes[k] = sr_json_hash(b[k]);
		for (i = hashes[k] & mask; slots[i]; i = (i + 1) & mask)
			;
		slots[i] = k + 1;
	}
	for (k = 0; k < na && ok; k++) {
		uint64_t h = sr_json_hash(a[k]);
		bool found = false;

		for (i = h & mask; slots[i] && !found; i = (i + 1) & mask)
			found = hashes[slots[i] - 1] == h && sr_json_equal(a[k], b[slots[i] - 1]);
		ok = found;
	}
	free(slots);
	free(hashes);
	return ok;
}

static bool values_subset(const jsc_node *a, const jsc_node *b)
{
	return all_among(a->values, a->nvalues, b->values, b->nvalues);
}

static void compare_enum(engine *e, list *l, jsc_node *o, jsc_node *u)
{
	bool grew = values_subset(o, u), shrank = values_subset(u, o);

	if (grew && shrank)
		return;
	if (grew)
		add_at(e, l, o->enum_kw, JSC_ENUM_ARRAY_EXTENDED);
	else if (shrank)
		add_at(e, l, o->enum_kw, JSC_ENUM_ARRAY_NARROWED);
	else
		add_at(e, l, o->enum_kw, JSC_ENUM_ARRAY_CHANGED);
}

/* ---- combined ----------------------------------------------------------------- */

static const char *const criterion_names[] = { "allOf", "anyOf", "oneOf" };

/* Members without duplicates (a LinkedHashSet of them). */
static size_t unique_members(jsc_node *n, jsc_node **out)
{
	size_t i, k, count = 0;

	for (i = 0; i < n->nsubs; i++) {
		jsc_node *m = child(n, &n->subs[i]);

		for (k = 0; k < count; k++)
			if (jsc_node_equal(out[k], m))
				break;
		if (k == count)
			out[count++] = m;
	}
	return count;
}

/*
 * Maximum bipartite matching of compatible (original, update) member
 * pairs (Kuhn's augmenting paths). Edges are compared only when the search
 * needs them, an update member equal to the original member first, so
 * that equal members cost no comparison of the others.
 */
typedef struct matching {
	engine *e;
	jsc_node **om, **um;
	size_t no, nu;
	unsigned char *state; /* no x nu: 0 not compared, 1 compatible, 2 not */
	list **pairs;         /* no x nu: the differences of compatible pairs */
	long *match_o, *match_u, *prefer;
	bool *seen;
	jsc_criterion criterion;
} matching;

static bool edge(matching *m, size_t i, size_t j)
{
	size_t k = i * m->nu + j;

	if (!m->state[k]) {
		engine *e = m->e;
		size_t saved = push_index(e, criterion_names[m->criterion], i);
		list *l = sr_calloc(1, sizeof(*l));

		l->probe = true;
		compare(e, l, m->om[i], m->um[j]);
		pop(e, saved);
		if (compatible(e, l)) {
			m->state[k] = 1;
			m->pairs[k] = l;
		} else {
			m->state[k] = 2;
			list_free(l);
			free(l);
		}
	}
	return m->state[k] == 1;
}

static bool augment(matching *m, size_t i)
{
	size_t step, j;
	bool found = false;

	/* augmenting paths nest like pairs do: they share the depth limit */
	if (m->e->depth >= JSC_MAX_DEPTH) {
		m->e->exhausted = true;
		return false;
	}
	m->e->depth++;
	for (step = 0; step <= m->nu && !m->e->exhausted && !found; step++) {
		if (step == 0) {
			if (m->prefer[i] < 0)
				continue;
			j = (size_t)m->prefer[i];
		} else {
			j = step - 1;
			if ((long)j == m->prefer[i])
				continue;
		}
		if (m->seen[j] || !edge(m, i, j))
			continue;
		m->seen[j] = true;
		if (m->match_u[j] < 0 || augment(m, (size_t)m->match_u[j])) {
			m->match_u[j] = (long)i;
			m->match_o[i] = (long)j;
			found = true;
		}
	}
	m->e->depth--;
	return found;
}

static void compare_combined(engine *e, list *l, jsc_node *o, jsc_node *u)
{
	matching m;
	size_t no, nu, i, j, matched = 0, need;

	memset(&m, 0, sizeof(m));
	if (o->criterion != u->criterion) {
		if (u->criterion != JSC_ANY_OF) {
			add(e, l, JSC_COMBINED_TYPE_CHANGED);
			return;
		}
		add(e, l, JSC_COMBINED_TYPE_EXTENDED);
	}
	m.om = sr_malloc((o->nsubs ? o->nsubs : 1) * sizeof(*m.om));
	m.um = sr_malloc((u->nsubs ? u->nsubs : 1) * sizeof(*m.um));
	no = unique_members(o, m.om);
	nu = unique_members(u, m.um);
	if (no < nu)
		add(e, l, u->criterion == JSC_ALL_OF ? JSC_PRODUCT_TYPE_EXTENDED : JSC_SUM_TYPE_EXTENDED);
	else if (no > nu)
		add(e, l, u->criterion == JSC_ALL_OF ? JSC_PRODUCT_TYPE_NARROWED : JSC_SUM_TYPE_NARROWED);
	if (l->stopped || e->exhausted || !no || !nu)
		goto done;
	if (no > JSC_BUDGET / nu) {
		e->exhausted = true; /* the pairs alone would exceed the budget */
		goto done;
	}
	m.e = e;
	m.no = no;
	m.nu = nu;
	m.criterion = o->criterion;
	m.state = sr_calloc(no * nu, 1);
	m.pairs = sr_calloc(no * nu, sizeof(*m.pairs));
	m.match_o = sr_malloc(no * sizeof(long));
	m.match_u = sr_malloc(nu * sizeof(long));
	m.prefer = sr_malloc(no * sizeof(long));
	m.seen = sr_malloc(nu);
	for (i = 0; i < no; i++) {
		m.match_o[i] = -1;
		m.prefer[i] = -1;
		for (j = 0; j < nu && m.prefer[i] < 0; j++)
			if (jsc_node_same(m.om[i], m.um[j]))
				m.prefer[i] = (long)j;
	}
	for (j = 0; j < nu; j++)
		m.match_u[j] = -1;
	need = no < nu ? no : nu;
	for (i = 0; i < no && !e->exhausted; i++) {
		memset(m.seen, 0, nu);
		if (augment(&m, i))
			matched++;
		else if (l->probe && i + 1 - matched > no - need)
			break; /* a probe needs no more: the matching cannot be complete */
	}
	if (e->exhausted)
		goto done;
	if (matched < need) {
		add(e, l, JSC_COMBINED_TYPE_SUBSCHEMAS_CHANGED);
	} else {
		for (i = 0; i < no; i++)
			if (m.match_o[i] >= 0)
				append(e, l, m.pairs[i * nu + (size_t)m.match_o[i]]);
	}
done:
	if (m.pairs)
		for (i = 0; i < no * nu; i++)
			if (m.pairs[i]) {
				list_free(m.pairs[i]);
				free(m.pairs[i]);
			}
	free(m.pairs);
	free(m.state);
	free(m.match_o);
	free(m.match_u);
	free(m.prefer);
	free(m.seen);
	free(m.om);
	free(m.um);
}

static void compare_not(engine *e, list *l, jsc_node *o, jsc_node *u)
{
	jsc_node *on = child(o, &o->negated), *un = child(u, &u->negated);
	list fwd = PROBE, rev = PROBE;

	compare(e, &fwd, on, un);
	if (fwd.n && !e->exhausted) {
		/* not A accepts all that not B accepts exactly when B accepts all that A does */
		compare(e, &rev, un, on);
		add(e, l, compatible(e, &rev) ? JSC_NOT_TYPE_NARROWED : JSC_NOT_TYPE_EXTENDED);
	}
	list_free(&fwd);
	list_free(&rev);
}

static void compare_conditional(engine *e, list *l, jsc_node *o, jsc_node *u)
{
	size_t saved;

	if (!jsc_node_equal(child(o, &o->if_), child(u, &u->if_)))
		add_at(e, l, "if", JSC_COMBINED_TYPE_CHANGED);
	saved = push_s(e, "then");
	compare(e, l, child(o, &o->then_), child(u, &u->then_));
	pop(e, saved);
	saved = push_s(e, "else");
	compare(e, l, child(o, &o->else_), child(u, &u->else_));
	pop(e, saved);
}

/* ---- objects ------------------------------------------------------------------ */

static bool object_open(const jsc_node *n)
{
	return n->npatterns == 0 && n->addl_props.mode == JSC_OPEN &&
	       n->uneval_props.mode == JSC_OPEN;
}

/* The schema a partially open content model gives property `key`, or NULL. */
static jsc_node *object_partial(jsc_node *n, const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < n->npatterns; i++)
		if (jsc_pattern_matches(n->side, &n->patterns[i], key, len))
			return child(n, &n->patterns[i].schema);
	if (n->addl_props.mode == JSC_SCHEMA)
		return child(n, &n->addl_props.schema);
	if (n->addl_props.mode == JSC_OPEN && n->uneval_props.mode == JSC_SCHEMA)
		return child(n, &n->uneval_props.schema);
	return NULL;
}

static void dispose_index(void *map)
{
	sr_map_dispose(map);
}

/* A name index in `a` (disposed with it): names[i] -> i + 1. Later equal
 * names do not replace earlier ones. */
static sr_map *name_index(sr_arena *a, const char *const *keys, const size_t *lens, size_t n)
{
	sr_map *m = sr_arena_calloc(a, 1, sizeof(*m));
	size_t i;

	for (i = 0; i < n; i++)
		if (!sr_map_get(m, keys[i], lens[i]))
			sr_map_put(m, keys[i], lens[i], (void *)(uintptr_t)(i + 1));
	sr_arena_cleanup_add(a, dispose_index, m);
	return m;
}

static jsc_prop *find_prop(jsc_node *n, const char *key, size_t len)
{
	size_t i;

	if (n->nprops > LINEAR_MAX) {
		if (!n->prop_index) {
			const char **keys = sr_arena_alloc(n->side->arena, n->nprops * sizeof(*keys));
			size_t *lens = sr_arena_alloc(n->side->arena, n->nprops * sizeof(*lens));
			for (i = 0; i < n->nprops; i++) {
				keys[i] = n->props[i].key;
				lens[i] = n->props[i].key_len;
			}
			n->prop_index = name_index(n->side->arena, keys, lens, n->nprops);
		}
		i = (uintptr_t)sr_map_get(n->prop_index, key, len);
		return i ? &n->props[i - 1] : NULL;
	}
	for (i = 0; i < n->nprops; i++)
		if (n->props[i].key_len == len && memcmp(n->props[i].key, key, len) == 0)
			return &n->props[i];
	return NULL;
}

static bool is_required(jsc_node *n, const char *key, size_t len)
{
	size_t i;

	if (n->nrequired > LINEAR_MAX) {
		if (!n->required_index) {
			const char **keys = sr_arena_alloc(n->side->arena, n->nrequired * sizeof(*keys));
			size_t *lens = sr_arena_alloc(n->side->arena, n->nrequired * sizeof(*lens));
			for (i = 0; i < n->nrequired; i++) {
				keys[i] = n->required[i]->u.str;
				lens[i] = n->required[i]->len;
			}
			n->required_index = name_index(n->side->arena, keys, lens, n->nrequired);
		}
		return sr_map_get(n->required_index, key, len) != NULL;
	}
	for (i = 0; i < n->nrequired; i++)
		if (n->required[i]->len == len && memcmp(n->required[i]->u.str, key, len) == 0)
			return true;
	return false;
}

/* Compare through a partially open model: IS_COVERED when compatible (with
 * the details), else NOT_COVERED. */
static void covered(engine *e, list *l, jsc_node *o, jsc_node *u, jsc_type is, jsc_type not_)
{
	list sub = PROBE;

	compare(e, &sub, o, u);
	if (compatible(e, &sub)) {
		append(e, l, &sub);
		add(e, l, is);
	} else {
		add(e, l, not_);
	}
	list_free(&sub);
}

static void compare_properties(engine *e, list *l, jsc_node *o, jsc_node *u)
{
	names on, un, all;
	const char **keys;
	size_t *lens, i;

	keys = sr_arena_alloc(e->a, (o->nprops ? o->nprops : 1) * sizeof(*keys));
	lens = sr_arena_alloc(e->a, (o->nprops ? o->nprops : 1) * sizeof(*lens));
	for (i = 0; i < o->nprops; i++) {
		keys[i] = o->props[i].key;
		lens[i] = o->props[i].key_len;
	}
	hashmap_order(e->a, &on, keys, lens, o->nprops);
	keys = sr_arena_alloc(e->a, (u->nprops ? u->nprops : 1) * sizeof(*keys));
	lens = sr_arena_alloc(e->a, (u->nprops ? u->nprops : 1) * sizeof(*lens));
	for (i = 0; i < u->nprops; i++) {
		keys[i] = u->props[i].key;
		lens[i] = u->props[i].key_len;
	}
	hashmap_order(e->a, &un, keys, lens, u->nprops);
	union_order(e->a, &all, &on, &un);

	for (i = 0; i < all.n && !e->exhausted; i++) {
		jsc_prop *op = find_prop(o, all.key[i], all.len[i]);
		jsc_prop *up = find_prop(u, all.key[i], all.len[i]);
		size_t saved = push_s(e, "properties");
		jsc_node *ps;

		push(e, all.key[i], all.len[i]);
		if (!up) {
			jsc_node *os = child(o, &op->schema);

			if (object_open(u)) {
				add(e, l, JSC_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL);
			} else if ((ps = object_partial(u, all.key[i], all.len[i]))) {
				covered(e, l, os, ps,
					JSC_PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
					JSC_PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL);
			} else if (os->kind == JSC_K_FALSE) {
				add(e, l, JSC_PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL);
			} else {
				add(e, l, JSC_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL);
			}
		} else if (!op) {
			jsc_node *us = child(u, &up->schema);

			if (object_open(o)) {
				add(e, l, us->kind == JSC_K_EMPTY || us->kind == JSC_K_TRUE
						  ? JSC_PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
						  : JSC_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL);
			} else if ((ps = object_partial(o, all.key[i], all.len[i]))) {
				covered(e, l, ps, us,
					JSC_PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
					JSC_PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL);
			} else if (is_required(u, all.key[i], all.len[i])) {
				add(e, l, us->def
						  ? JSC_REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL
						  : JSC_REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL);
			} else {
				add(e, l, JSC_OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL);
			}
		} else {
			compare(e, l, child(o, &op->schema), child(u, &up->schema));
		}
		pop(e, saved);
	}
}

static void list_names(sr_arena *a, names *out, const sr_json *const *v, size_t n)
{
	size_t i;

	out->key = sr_arena_alloc(a, (n ? n : 1) * sizeof(*out->key));
	out->len = sr_arena_alloc(a, (n ? n : 1) * sizeof(*out->len));
	for (i = 0; i < n; i++) {
		out->key[i] = v[i]->u.str;
		out->len[i] = v[i]->len;
	}
	out->n = n;
}

static void compare_required(engine *e, list *l, jsc_node *o, jsc_node *u)
{
	names on, un, all;
	size_t i;

	list_names(e->a, &on, o->required, o->nrequired);
	list_names(e->a, &un, u->required, u->nrequired);
	union_order(e->a, &all, &on, &un);
	for (i = 0; i < all.n && !e->exhausted; i++) {
		bool in_o = is_required(o, all.key[i], all.len[i]);
		bool in_u = is_required(u, all.key[i], all.len[i]);
		size_t saved;

		if (in_o == in_u)
			continue;
		saved = push_s(e, "required");
		push(e, all.key[i], all.len[i]);
		if (in_o) {
			add(e, l, JSC_REQUIRED_ATTRIBUTE_REMOVED);
		} else {
			jsc_prop *p = find_prop(u, all.key[i], all.len[i]);
			jsc_node *ps = p ? child(u, &p->schema) : NULL;

			add(e, l, ps && ps->def ? JSC_REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED
						: JSC_REQUIRED_ATTRIBUTE_ADDED);
		}
		pop(e, saved);
	}
}

static bool dep_is(const jsc_dep *d, const char *kw, bool array)
{
	return strcmp(d->keyword, kw) == 0 && (d->names != NULL) == array;
}

static jsc_dep *find_dep(jsc_node *n, const char *kw, bool array, const char *key, size_t len)
{
	size_t i;

	if (n->ndeps > LINEAR_MAX) {
		if (!n->dep_index) {
			sr_arena *a = n->side->arena;
			n->dep_index = sr_arena_calloc(a, 1, sizeof(*n->dep_index));
			n->dep_next = sr_arena_calloc(a, n->ndeps, sizeof(*n->dep_next));
			sr_arena_cleanup_add(a, dispose_index, n->dep_index);
			/* Built backwards so that chains run in list order. */
			for (i = n->ndeps; i-- > 0;)
				n->dep_next[i] = (uintptr_t)sr_map_put(
					n->dep_index, n->deps[i].key, n->deps[i].key_len,
					(void *)(uintptr_t)(i + 1));
		}
		for (i = (uintptr_t)sr_map_get(n->dep_index, key, len); i; i = n->dep_next[i - 1])
			if (dep_is(&n->deps[i - 1], kw, array))
				return &n->deps[i - 1];
		return NULL;
	}
	for (i = 0; i < n->ndeps; i++) {
		jsc_dep *d = &n->deps[i];

		if (dep_is(d, kw, array) && d->key_len == len && memcmp(d->key, key, len) == 0)
			return d;
	}
	return NULL;
}

static void dep_names(sr_arena *a, names *out, const jsc_node *n, const char *kw, bool array)
{
	const char **keys = sr_arena_alloc(a, (n->ndeps ? n->ndeps : 1) * sizeof(*keys));
	size_t *lens = sr_arena_alloc(a, (n->ndeps ? n->ndeps : 1) * sizeof(*lens));
	size_t i, k = 0;

	for (i = 0; i < n->ndeps; i++) {
		if (strcmp(n->deps[i].keyword, kw) != 0 || (n->deps[i].names != NULL) != array)
			continue;
		keys[k] = n->deps[i].key;
		lens[k++] = n->deps[i].key_len;
	}
	hashmap_order(a, out, keys, lens, k);
}

static bool names_subset(const sr_json *a, const sr_json *b)
{
	return all_among((const sr_json *const *)a->u.items, a->len,
			 (const sr_json *const *)b->u.items, b->len);
}

static void compare_dependency_group(engine *e, list *l, jsc_node *o, jsc_node *u, const char *kw,
				     bool array)
{
	names on, un, all;
	size_t i;

	dep_names(e->a, &on, o, kw, array);
	dep_names(e->a, &un, u, kw, array);
	if (!on.n && !un.n)
		return;
	union_order(e->a, &all, &on, &un);
	for (i = 0; i < all.n && !e->exhausted; i++) {
		jsc_dep *od = find_dep(o, kw, array, all.key[i], all.len[i]);
		jsc_dep *ud = find_dep(u, kw, array, all.key[i], all.len[i]);
		size_t saved = push_s(e, kw);

		push(e, all.key[i], all.len[i]);
		if (!ud) {
			add(e, l, array ? JSC_DEPENDENCY_ARRAY_REMOVED : JSC_DEPENDENCY_SCHEMA_REMOVED);
		} else if (!od) {
			add(e, l, array ? JSC_DEPENDENCY_ARRAY_ADDED : JSC_DEPENDENCY_SCHEMA_ADDED);
		} else if (array) {
			bool grew = names_subset(od->names, ud->names);
			bool shrank = names_subset(ud->names, od->names);

			if (grew && !shrank)
				add(e, l, JSC_DEPENDENCY_ARRAY_EXTENDED);
			else if (shrank && !grew)
				add(e, l, JSC_DEPENDENCY_ARRAY_NARROWED);
			else if (!grew && !shrank)
				add(e, l, JSC_DEPENDENCY_ARRAY_CHANGED);
		} else {
			compare(e, l, child(o, &od->schema), child(u, &ud->schema));
		}
		pop(e, saved);
	}
}

static void compare_object(engine *e, list *l, jsc_node *o, jsc_node *u)
{
	extra(e, l, "additionalProperties", o, &o->addl_props, u, &u->addl_props,
	      JSC_ADDITIONAL_PROPERTIES_ADDED);
	extra(e, l, "unevaluatedProperties", o, &o->uneval_props, u, &u->uneval_props,
	      JSC_UNEVALUATED_PROPERTIES_ADDED);
	compare_dependency_group(e, l, o, u, "dependencies", true);
	compare_dependency_group(e, l, o, u, "dependencies", false);
	compare_dependency_group(e, l, o, u, "dependentRequired", true);
	compare_dependency_group(e, l, o, u, "dependentSchemas", false);
	compare_required(e, l, o, u);
	compare_properties(e, l, o, u);
	bound(e, l, "maxProperties", o->max_props, u->max_props, JSC_MAX_PROPERTIES_ADDED);
	bound(e, l, "minProperties", o->min_props, u->min_props, JSC_MIN_PROPERTIES_ADDED);
}

/* ---- arrays ------------------------------------------------------------------- */

static bool array_open(const jsc_node *n)
{
	return n->addl_items.mode == JSC_OPEN && n->uneval_items.mode == JSC_OPEN;
}

static jsc_node *array_partial(jsc_node *n)
{
	if (n->addl_items.mode == JSC_SCHEMA)
		return child(n, &n->addl_items.schema);
	if (n->addl_items.mode == JSC_OPEN && n->uneval_items.mode == JSC_SCHEMA)
		return child(n, &n->uneval_items.schema);
	return NULL;
}

static void compare_array(engine *e, list *l, jsc_node *o, jsc_node *u)
{
	size_t i, saved, common = o->ntuple < u->ntuple ? o->ntuple : u->ntuple;
	jsc_node *ps;

	saved = push_s(e, "items");
	compare(e, l, child(o, &o->items), child(u, &u->items));
	pop(e, saved);
	for (i = 0; i < common && !e->exhausted; i++) {
		saved = push_index(e, o->tuple_kw, i);
		compare(e, l, child(o, &o->tuple[i]), child(u, &u->tuple[i]));
		pop(e, saved);
	}
	for (i = common; i < u->ntuple && !e->exhausted; i++) {
		saved = push_index(e, u->tuple_kw, i);
		if (array_open(o))
			add(e, l, JSC_ITEM_ADDED_TO_OPEN_CONTENT_MODEL);
		else if ((ps = array_partial(o)))
			covered(e, l, ps, child(u, &u->tuple[i]),
				JSC_ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
				JSC_ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL);
		else
			add(e, l, JSC_ITEM_ADDED_TO_CLOSED_CONTENT_MODEL);
		pop(e, saved);
	}
	for (i = common; i < o->ntuple && !e->exhausted; i++) {
		saved = push_index(e, o->tuple_kw, i);
		if (array_open(u))
			add(e, l, JSC_ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL);
		else if ((ps = array_partial(u)))
			covered(e, l, child(o, &o->tuple[i]), ps,
				JSC_ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
				JSC_ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL);
		else
			add(e, l, JSC_ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL);
		pop(e, saved);
	}
	extra(e, l, o->addl_items_kw, o, &o->addl_items, u, &u->addl_items,
	      JSC_ADDITIONAL_ITEMS_ADDED);
	extra(e, l, "unevaluatedItems", o, &o->uneval_items, u, &u->uneval_items,
	      JSC_UNEVALUATED_ITEMS_ADDED);
	bound(e, l, "maxItems", o->max_items, u->max_items, JSC_MAX_ITEMS_ADDED);
	bound(e, l, "minItems", o->min_items, u->min_items, JSC_MIN_ITEMS_ADDED);
	if (o->unique != u->unique)
		add_at(e, l, "uniqueItems", o->unique ? JSC_UNIQUE_ITEMS_REMOVED : JSC_UNIQUE_ITEMS_ADDED);
}

/* ---- SchemaDiff.compare ----------------------------------------------------------- */

/* A combination on one side only: returns true when it decided the pair. */
static bool compare_one_combined(engine *e, list *l, jsc_node *o, jsc_node *u)
{
	list sub = PROBE;
	size_t i;

	if (o->kind != JSC_K_COMBINED && u->kind == JSC_K_COMBINED) {
		if (u->nsubs == 1) {
			compare(e, &sub, o, child(u, &u->subs[0]));
			if (compatible(e, &sub)) {
				append(e, l, &sub);
				list_free(&sub);
				return true;
			}
			list_free(&sub);
		} else if (u->criterion != JSC_ALL_OF) {
			for (i = 0; i < u->nsubs && !e->exhausted; i++) {
				compare(e, &sub, o, child(u, &u->subs[i]));
				if (compatible(e, &sub)) {
					append(e, l, &sub);
					add(e, l, JSC_SUM_TYPE_EXTENDED);
					list_free(&sub);
					return true;
				}
				list_free(&sub);
			}
		}
	} else if (o->kind == JSC_K_COMBINED && u->kind != JSC_K_COMBINED) {
		if (o->nsubs == 1) {
			compare(e, &sub, child(o, &o->subs[0]), u);
			if (compatible(e, &sub)) {
				append(e, l, &sub);
				list_free(&sub);
				return true;
			}
			list_free(&sub);
		} else if (o->criterion == JSC_ALL_OF) {
			for (i = 0; i < o->nsubs && !e->exhausted; i++) {
				compare(e, &sub, child(o, &o->subs[i]), u);
				if (compatible(e, &sub)) {
					append(e, l, &sub);
					add(e, l, JSC_PRODUCT_TYPE_NARROWED);
					list_free(&sub);
					return true;
				}
				list_free(&sub);
			}
		}
	}
	return false;
}

static void compare_body(engine *e, list *l, jsc_node *o, jsc_node *u)
{
	if (compare_one_combined(e, l, o, u) || e->exhausted)
		return;
	if (o->kind != u->kind) {
		/* everit's TrueSchema is an EmptySchema: anything widens to it */
		if (o->kind == JSC_K_FALSE || u->kind == JSC_K_EMPTY || u->kind == JSC_K_TRUE)
			return;
		add(e, l, JSC_TYPE_CHANGED);
		return;
	}
	if (!sr_json_equal(o->id, u->id))
		add(e, l, JSC_ID_CHANGED);
	if (!sr_json_equal(o->description, u->description))
		add(e, l, JSC_DESCRIPTION_CHANGED);
	if (!sr_json_equal(o->title, u->title))
		add(e, l, JSC_TITLE_CHANGED);
	if (!sr_json_equal(o->def, u->def))
		add(e, l, JSC_DEFAULT_CHANGED);
	switch (o->kind) {
	case JSC_K_STRING:
		compare_string(e, l, o, u);
		break;
	case JSC_K_NUMBER:
		compare_number(e, l, o, u);
		break;
	case JSC_K_ENUM:
		compare_enum(e, l, o, u);
		break;
	case JSC_K_COMBINED:
		compare_combined(e, l, o, u);
		break;
	case JSC_K_NOT:
		compare_not(e, l, o, u);
		break;
	case JSC_K_OBJECT:
		compare_object(e, l, o, u);
		break;
	case JSC_K_ARRAY:
		compare_array(e, l, o, u);
		break;
	case JSC_K_CONDITIONAL:
		compare_conditional(e, l, o, u);
		break;
	default:
		break;
	}
}

static void compare(engine *e, list *l, jsc_node *o, jsc_node *u)
{
	size_t start, base_len, kept_bad, bad;
	const memo *m;

	if (e->exhausted || l->stopped || (!o && !u))
		return;
	if (!o) {
		add(e, l, JSC_SCHEMA_ADDED);
		return;
	}
	if (!u) {
		add(e, l, JSC_SCHEMA_REMOVED);
		return;
	}
	if (!spend(e))
		return;
	if (o == u || jsc_node_same(o, u))
		return; /* nothing can differ */
	if (e->depth >= JSC_MAX_DEPTH) {
		e->exhausted = true;
		return;
	}
	if (jsc_pmap_get(&e->active, o, u))
		return; /* met again while being compared: assume equal (the fix point) */
	m = jsc_pmap_get(&e->memo, o, u);
	if (m) {
		memo_replay(e, l, m);
		return;
	}
	e->depth++;
	jsc_pmap_put(&e->active, o, u, (void *)o);
	start = l->n;
	kept_bad = l->kept_incompatible;
	bad = l->incompatible;
	base_len = e->path_len;

	compare_body(e, l, o, u);

	/*
	 * The result is kept even when it assumed an enclosing pair equal:
	 * that pair's own differences are reported where it is compared, so
	 * every difference is still found once, and each pair costs one
	 * comparison (recursive schemas with many paths stay linear).
	 */
	if (!e->exhausted && !l->stopped)
		memo_store(e, o, u, l, start, kept_bad, bad, base_len);
	jsc_pmap_put(&e->active, o, u, NULL);
	e->depth--;
}

void jsc_compare(jsc_result *out, sr_arena *a, jsc_side *original, jsc_side *update,
		 sr_compat_policy policy)
{
	engine e;
	list l = FULL_LIST;

	memset(&e, 0, sizeof(e));
	e.a = a;
	e.policy = policy;
	path_put(&e, "#/", 2);
	compare(&e, &l, jsc_side_root(original), jsc_side_root(update));
	out->n = l.n;
	out->incompatible = l.incompatible;
	out->exhausted = e.exhausted;
	out->diffs = sr_arena_alloc(a, (l.n ? l.n : 1) * sizeof(*out->diffs));
	if (l.n)
		memcpy(out->diffs, l.items, l.n * sizeof(*l.items));
	list_free(&l);
	free(e.path);
	jsc_pmap_dispose(&e.active);
	jsc_pmap_dispose(&e.memo);
}

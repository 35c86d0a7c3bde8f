/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_FORMATS_AVRO_AVRO_INTERNAL_H
#define SR_FORMATS_AVRO_AVRO_INTERNAL_H

/**
 * The in-memory model of a parsed Avro schema, shared by the files of
 * src/formats/avro/ (parse, canonical, normalize, pcf, compat).
 *
 * A schema is a graph of sr_avro_node. Every occurrence of an unnamed type
 * (primitive, array, map, union) is its own node; a named type (record,
 * error, enum, fixed) is one node, and every later reference to it by name
 * points at that same node, so recursive records are cycles. Node identity
 * therefore matches Apache Avro Java's object identity, which the
 * compatibility checker's memoisation relies on.
 *
 * Everything lives in the arena given to parse(), including the JSON DOM
 * that doc strings, default values and custom properties point into.
 * Parsed schemas are immutable: writers and the checker keep their
 * per-call state (e.g. "already written" bitmaps) on the side, so one
 * schema may be used by several threads at once.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "formats/format.h"
#include "json/json.h"

typedef enum sr_avro_type {
	SR_AVRO_NULL = 0,
	SR_AVRO_BOOLEAN,
	SR_AVRO_INT,
	SR_AVRO_LONG,
	SR_AVRO_FLOAT,
	SR_AVRO_DOUBLE,
	SR_AVRO_BYTES,
	SR_AVRO_STRING,
	SR_AVRO_RECORD,
	SR_AVRO_ENUM,
	SR_AVRO_ARRAY,
	SR_AVRO_MAP,
	SR_AVRO_UNION,
	SR_AVRO_FIXED,
} sr_avro_type;

#define SR_AVRO_NTYPES (SR_AVRO_FIXED + 1)

/** Field sort order. */
typedef enum sr_avro_order {
	SR_AVRO_ASCENDING = 0,
	SR_AVRO_DESCENDING,
	SR_AVRO_IGNORE,
} sr_avro_order;

typedef struct sr_avro_node sr_avro_node;

/** A full name split into its parts; all NUL-terminated, arena-owned. */
typedef struct sr_avro_name {
	const char *full;  /**< "a.b.C" (or "C" in the null namespace) */
	const char *space; /**< "a.b", or NULL for the null namespace */
	const char *name;  /**< "C" (points into `full`) */
} sr_avro_name;

/** Custom properties: the input members that are not reserved, in input order. */
typedef struct sr_avro_props {
	const sr_json_member **items;
	size_t count;
} sr_avro_props;

typedef struct sr_avro_field {
	const char *name;
	sr_avro_node *type;
	const sr_json *doc;      /**< string node, or NULL */
	/**
	 * Default value (validated against `type`), or NULL when absent. For
	 * a float/double field whose default was given as a string (Avro
	 * Java turns "NaN", "1.5" ... into a double), `def` is that string and
	 * `def_is_text_double` is set; `def_double` holds the value.
	 */
	const sr_json *def;
	bool def_is_text_double;
	double def_double;
	sr_avro_order order;
	const char **aliases;    /**< as written (validated, duplicates removed) */
	size_t naliases;
	sr_avro_props props;
	unsigned pos;            /**< index in the record */
} sr_avro_field;

struct sr_avro_node {
	sr_avro_type type;

	/* Named types (record, enum, fixed) */
	unsigned id;             /**< index into sr_avro_schema.named */
	bool is_error;           /**< record declared with "type":"error" */
	bool external;           /**< defined by a referenced schema */
	bool complete;           /**< record: all fields parsed */
	sr_avro_name name;
	const sr_json *doc;      /**< string node, or NULL */
	sr_avro_name *aliases;   /**< resolved against the type's namespace */
	size_t naliases;

	/** Non-reserved attributes (all types that can be an object). */
	sr_avro_props props;
	/** The logical type's name when the annotation is valid, else NULL. */
	const char *logical;

	/* record */
	sr_avro_field *fields;
	size_t nfields;
	/* enum */
	const char **symbols;
	size_t nsymbols;
	const char *enum_default; /**< NULL when absent */
	/* fixed */
	int32_t size;
	/* array items / map values */
	sr_avro_node *items;
	/* union */
	sr_avro_node **branches;
	size_t nbranches;
};

/** What sr_parsed.impl points to for AVRO. */
typedef struct sr_avro_schema {
	sr_avro_node *root;
	sr_avro_node **named;    /**< every named type, in definition order */
	size_t nnamed;
} sr_avro_schema;

static inline bool sr_avro_is_named(const sr_avro_node *n)
{
	return n->type == SR_AVRO_RECORD || n->type == SR_AVRO_ENUM ||
	       n->type == SR_AVRO_FIXED;
}

static inline const sr_avro_schema *sr_avro__schema(const sr_parsed *s)
{
	return (const sr_avro_schema *)s->impl;
}

/** Lower-case type name as Avro writes it ("record" for errors too). */
const char *sr_avro__type_name(sr_avro_type t);

/** Upper-case Java enum name (Schema.Type), e.g. "INT", "RECORD". */
const char *sr_avro__type_upper(sr_avro_type t);

/** The primitive type called `s`, or -1. */
int sr_avro__primitive(const char *s, size_t n);

/**
 * The name Avro Java writes for a reference to `n` from inside namespace
 * `space` (Schema.Name.getQualified): the short name when the namespaces
 * are equal (and the short name is not a type name), else the full name.
 */
const char *sr_avro__qualified(const sr_avro_name *n, const char *space);

/**
 * Write a JSON value the way Jackson re-serialises a parsed tree (which is
 * what Avro Java does with defaults and custom properties): compact,
 * strings escaped as sr_buf_put_json_string, integers as parsed ("-0" is
 * "0"), other numbers as Java's Double.toString ("1e3" is "1000.0",
 * non-finite values as the strings "NaN"/"Infinity"/"-Infinity").
 * With `sorted`, object members are written in bytewise key order.
 */
int sr_avro__put_value(sr_buf *out, const sr_json *v, bool sorted);

/**
 * Write field `f`'s default (f->def must be set) as Avro Java does: a
 * float/double default given as text (f->def_is_text_double) as the
 * double it stands for ("NaN", "Infinity" and "-Infinity" quoted, others
 * as Double.toString), any other as sr_avro__put_value(out, f->def,
 * sorted). 0, or SR_ETOOBIG at `out`'s ceiling.
 */
int sr_avro__put_default(sr_buf *out, const sr_avro_field *f, bool sorted);

/** Append a double as Java's Double.toString does (shortest round trip). */
int sr_avro__put_java_double(sr_buf *out, double d);

/** Is every code point of the UTF-8 string in 0..255? (bytes and fixed in JSON) */
bool sr_avro__latin1_only(const char *s, size_t n);

/** Is `s[0..n)` one of the enum's symbols? */
bool sr_avro__enum_has(const sr_avro_node *e, const char *s, size_t n);

/** The parse op (parse.c). */
int sr_avro__parse(sr_parsed *out, sr_arena *a, const char *text, size_t len,
		   const sr_ref_source *refs, size_t nrefs,
		   const sr_format_opts *limits, sr_err *err);

/** The canonical op (canonical.c). */
int sr_avro__canonical(const sr_parsed *s, sr_buf *out);
/* The canonical string with the types of referenced schemas inlined. */
int sr_avro__canonical_resolved(const sr_parsed *s, sr_buf *out);

/** The normalize op (normalize.c). */
int sr_avro__normalize(const sr_parsed *s, sr_buf *out);

/** The validate op (validate.c): a datum in Avro's JSON encoding. */
bool sr_avro__validate(const sr_parsed *s, const sr_json *instance, sr_validation *v);

/** The compatible op (compat.c). */
bool sr_avro__compatible(const sr_parsed *reader, const sr_parsed *writer,
			 sr_compat_report *report);

#endif

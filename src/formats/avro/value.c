/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Helpers shared by the Avro writers: type names, qualified names, and
 * JSON values (defaults, custom properties) written the way Jackson
 * re-serialises a tree it parsed, because that is what Apache Avro Java's
 * Schema.toString() (Confluent's stored schema string) does:
 *  - an integer lexeme is an IntNode/LongNode/BigIntegerNode and comes
 *    back as the same digits ("-0" becomes "0");
 *  - any other number is a DoubleNode and comes back as Java's
 *    Double.toString: shortest digits that round-trip, plain notation for
 *    1e-3 <= |d| < 1e7 ("1000.0", "0.5"), else computerized scientific
 *    notation ("1.0E7", "1.0E-4"); overflow to infinity is written as the
 *    quoted "Infinity"/"-Infinity" (Jackson's QUOTE_NON_NUMERIC_NUMBERS).
 *  - strings are escaped as sr_buf_put_json_string (Jackson's rules).
 */
#include "formats/avro/avro_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"

static const char *const type_names[SR_AVRO_NTYPES] = {
	[SR_AVRO_NULL] = "null",     [SR_AVRO_BOOLEAN] = "boolean",
	[SR_AVRO_INT] = "int",       [SR_AVRO_LONG] = "long",
	[SR_AVRO_FLOAT] = "float",   [SR_AVRO_DOUBLE] = "double",
	[SR_AVRO_BYTES] = "bytes",   [SR_AVRO_STRING] = "string",
	[SR_AVRO_RECORD] = "record", [SR_AVRO_ENUM] = "enum",
	[SR_AVRO_ARRAY] = "array",   [SR_AVRO_MAP] = "map",
	[SR_AVRO_UNION] = "union",   [SR_AVRO_FIXED] = "fixed",
};

static const char *const type_upper[SR_AVRO_NTYPES] = {
	[SR_AVRO_NULL] = "NULL",     [SR_AVRO_BOOLEAN] = "BOOLEAN",
	[SR_AVRO_INT] = "INT",       [SR_AVRO_LONG] = "LONG",
	[SR_AVRO_FLOAT] = "FLOAT",   [SR_AVRO_DOUBLE] = "DOUBLE",
	[SR_AVRO_BYTES] = "BYTES",   [SR_AVRO_STRING] = "STRING",
	[SR_AVRO_RECORD] = "RECORD", [SR_AVRO_ENUM] = "ENUM",
	[SR_AVRO_ARRAY] = "ARRAY",   [SR_AVRO_MAP] = "MAP",
	[SR_AVRO_UNION] = "UNION",   [SR_AVRO_FIXED] = "FIXED",
};

const char *sr_avro__type_name(sr_avro_type t)
{
	return type_names[t];
}

const char *sr_avro__type_upper(sr_avro_type t)
{
	return type_upper[t];
}

int sr_avro__primitive(const char *s, size_t n)
{
	int t;

	for (t = SR_AVRO_NULL; t <= SR_AVRO_STRING; t++)
		if (strlen(type_names[t]) == n && memcmp(type_names[t], s, n) == 0)
			return t;
	return -1;
}

static bool is_type_name(const char *s)
{
	int t;

	for (t = 0; t < SR_AVRO_NTYPES; t++)
		if (strcmp(type_names[t], s) == 0)
			return true;
	return false;
}

const char *sr_avro__qualified(const sr_avro_name *n, const char *space)
{
	/* Avro Java (Schema.Name.shouldWriteFull): a name in the null
	 * namespace is its full name; the short name is enough inside the
	 * same namespace unless it collides with a type name. */
	if (n->space && space && strcmp(n->space, space) == 0 && !is_type_name(n->name))
		return n->name;
	return n->space ? n->full : n->name;
}

int sr_avro__put_java_double(sr_buf *out, double d)
{
	char tmp[40], digits[24], res[64];
	int prec, exp10, nd = 0, len = 0, i;
	const char *p;

	if (d == 0)
		return sr_buf_puts(out, signbit(d) ? "-0.0" : "0.0");
	/* Shortest precision that round-trips, with at least two significant
	 * digits (Java writes "d.d" at least, and picks the closest two-digit
	 * decimal: 4.9E-324, not 5.0E-324); %.*e rounds correctly, so the
	 * first hit is also the closest decimal of that length. */
	for (prec = 1; prec < 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	if (prec == 17)
		snprintf(tmp, sizeof(tmp), "%.*e", 16, d);
	p = tmp;
	if (*p == '-') {
		res[len++] = '-';
		p++;
	}
	for (; *p && *p != 'e'; p++)
		if (*p != '.')
			digits[nd++] = *p;
	exp10 = (int)strtol(p + 1, NULL, 10);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (exp10 >= -3 && exp10 < 7) {
		if (exp10 >= 0) {
			for (i = 0; i <= exp10; i++)
				res[len++] = i < nd ? digits[i] : '0';
			res[len++] = '.';
			if (nd > exp10 + 1)
				for (i = exp10 + 1; i < nd; i++)
					res[len++] = digits[i];
			else
				res[len++] = '0';
		} else {
			res[len++] = '0';
			res[len++] = '.';
			for (i = 0; i < -exp10 - 1; i++)
				res[len++] = '0';
			for (i = 0; i < nd; i++)
				res[len++] = digits[i];
		}
	} else {
		res[len++] = digits[0];
		res[len++] = '.';
		if (nd > 1)
			for (i = 1; i < nd; i++)
				res[len++] = digits[i];
		else
			res[len++] = '0';
		len += snprintf(res + len, sizeof(res) - (size_t)len, "E%d", exp10);
	}
	return sr_buf_put(out, res, (size_t)len);
}

static int put_number(sr_buf *out, const sr_json *v)
{
	double d;

	if (sr_json_number_is_integer(v)) {
		if (v->len == 2 && v->u.str[0] == '-' && v->u.str[1] == '0')
			return sr_buf_putc(out, '0');
		return sr_buf_put(out, v->u.str, v->len);
	}
	d = sr_json_number_to_double(v);
	if (isinf(d))
		return sr_buf_puts(out, d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
	return sr_avro__put_java_double(out, d);
}

int sr_avro__put_default(sr_buf *out, const sr_avro_field *f, bool sorted)
{
	double d = f->def_double;

	if (!f->def_is_text_double)
		return sr_avro__put_value(out, f->def, sorted);
	if (isnan(d))
		return sr_buf_puts(out, "\"NaN\"");
	if (isinf(d))
		return sr_buf_puts(out, d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
	return sr_avro__put_java_double(out, d);
}

int sr_avro__put_value(sr_buf *out, const sr_json *v, bool sorted)
{
	const sr_json_member **order = NULL;
	size_t i;
	int rc = 0;

	switch (v->type) {
	case SR_JSON_NULL:
		return sr_buf_put(out, "null", 4);
	case SR_JSON_FALSE:
		return sr_buf_put(out, "false", 5);
	case SR_JSON_TRUE:
		return sr_buf_put(out, "true", 4);
	case SR_JSON_NUMBER:
		return put_number(out, v);
	case SR_JSON_STRING:
		return sr_buf_put_json_string(out, v->u.str, v->len);
	case SR_JSON_ARRAY:
		rc = sr_buf_putc(out, '[');
		for (i = 0; i < v->len && rc == 0; i++) {
			if (i)
				rc = sr_buf_putc(out, ',');
			if (rc == 0)
				rc = sr_avro__put_value(out, v->u.items[i], sorted);
		}
		return rc ? rc : sr_buf_putc(out, ']');
	case SR_JSON_OBJECT:
		if (sorted && v->len > 1) {
			order = sr_malloc(v->len * sizeof(*order));
			for (i = 0; i < v->len; i++)
				order[i] = &v->u.members[i];
			sr_json_sort_members(order, v->len);
		}
		rc = sr_buf_putc(out, '{');
		for (i = 0; i < v->len && rc == 0; i++) {
			const sr_json_member *m = order ? order[i] : &v->u.members[i];
			if (i)
				rc = sr_buf_putc(out, ',');
			if (rc == 0)
				rc = sr_buf_put_json_string(out, m->key, m->key_len);
			if (rc == 0)
				rc = sr_buf_putc(out, ':');
			if (rc == 0)
				rc = sr_avro__put_value(out, m->value, sorted);
		}
		free(order);
		return rc ? rc : sr_buf_putc(out, '}');
	}
	return SR_ERROR;
}

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * JSON Schema compatibility on documents, with Confluent's messages: a
 * consumer using `reader` can read what `writer` produced when Confluent's diff engine,
 * run as SchemaDiff.compare(original = writer, update = reader), finds no
 * difference outside the compatible set of the report's policy (STRICT
 * or LENIENT). Each incompatible difference becomes one message,
 * {errorType:"<TYPE>", description:"<what changed, where>"}, worded with
 * the report's reader/writer labels ("new"/"old").
 *
 * This file works on documents; compat.c is the entry on parsed schemas.
 */
#include "formats/jsonschema/compat_internal.h"

#include <string.h>

#include "core/buf.h"

/*
 * Descriptions: %P is the path, %R the reader's label, %W the writer's.
 * The reader is Confluent's "update", the writer its "original".
 */
static const char *const descriptions[JSC_TYPE_COUNT] = {
	[JSC_ID_CHANGED] = "The id at path '%P' in the %R schema differs from the %W schema",
	[JSC_DESCRIPTION_CHANGED] = "The description at path '%P' in the %R schema differs from the %W schema",
	[JSC_TITLE_CHANGED] = "The title at path '%P' in the %R schema differs from the %W schema",
	[JSC_DEFAULT_CHANGED] = "The default value at path '%P' in the %R schema differs from the %W schema",
	[JSC_SCHEMA_ADDED] = "A schema was added at path '%P' in the %R schema that the %W schema does not have",
	[JSC_SCHEMA_REMOVED] = "The %R schema has no schema at path '%P' where the %W schema has one",
	[JSC_TYPE_EXTENDED] = "The type at path '%P' in the %R schema is wider than in the %W schema",
	[JSC_TYPE_NARROWED] = "The type at path '%P' in the %R schema is narrower than in the %W schema",
	[JSC_TYPE_CHANGED] = "The type at path '%P' in the %R schema differs from its type in the %W schema",
	[JSC_MAX_LENGTH_ADDED] = "A maxLength was added at path '%P' in the %R schema",
	[JSC_MAX_LENGTH_REMOVED] = "The maxLength at path '%P' of the %W schema was removed in the %R schema",
	[JSC_MAX_LENGTH_INCREASED] = "The maxLength at path '%P' in the %R schema is greater than in the %W schema",
	[JSC_MAX_LENGTH_DECREASED] = "The maxLength at path '%P' in the %R schema is less than in the %W schema",
	[JSC_MIN_LENGTH_ADDED] = "A minLength was added at path '%P' in the %R schema",
	[JSC_MIN_LENGTH_REMOVED] = "The minLength at path '%P' of the %W schema was removed in the %R schema",
	[JSC_MIN_LENGTH_INCREASED] = "The minLength at path '%P' in the %R schema is greater than in the %W schema",
	[JSC_MIN_LENGTH_DECREASED] = "The minLength at path '%P' in the %R schema is less than in the %W schema",
	[JSC_PATTERN_ADDED] = "A pattern was added at path '%P' in the %R schema",
	[JSC_PATTERN_REMOVED] = "The pattern at path '%P' of the %W schema was removed in the %R schema",
	[JSC_PATTERN_CHANGED] = "The pattern at path '%P' in the %R schema differs from the %W schema",
	[JSC_MAXIMUM_ADDED] = "A maximum was added at path '%P' in the %R schema",
	[JSC_MAXIMUM_REMOVED] = "The maximum at path '%P' of the %W schema was removed in the %R schema",
	[JSC_MAXIMUM_INCREASED] = "The maximum at path '%P' in the %R schema is greater than in the %W schema",
	[JSC_MAXIMUM_DECREASED] = "The maximum at path '%P' in the %R schema is less than in the %W schema",
	[JSC_MINIMUM_ADDED] = "A minimum was added at path '%P' in the %R schema",
	[JSC_MINIMUM_REMOVED] = "The minimum at path '%P' of the %W schema was removed in the %R schema",
	[JSC_MINIMUM_INCREASED] = "The minimum at path '%P' in the %R schema is greater than in the %W schema",
	[JSC_MINIMUM_DECREASED] = "The minimum at path '%P' in the %R schema is less than in the %W schema",
	[JSC_EXCLUSIVE_MAXIMUM_ADDED] = "An exclusiveMaximum was added at path '%P' in the %R schema",
	[JSC_EXCLUSIVE_MAXIMUM_REMOVED] = "The exclusiveMaximum at path '%P' of the %W schema was removed in the %R schema",
	[JSC_EXCLUSIVE_MAXIMUM_INCREASED] = "The exclusiveMaximum at path '%P' in the %R schema is greater than in the %W schema",
	[JSC_EXCLUSIVE_MAXIMUM_DECREASED] = "The exclusiveMaximum at path '%P' in the %R schema is less than in the %W schema",
	[JSC_EXCLUSIVE_MINIMUM_ADDED] = "An exclusiveMinimum was added at path '%P' in the %R schema",
	[JSC_EXCLUSIVE_MINIMUM_REMOVED] = "The exclusiveMinimum at path '%P' of the %W schema was removed in the %R schema",
	[JSC_EXCLUSIVE_MINIMUM_INCREASED] = "The exclusiveMinimum at path '%P' in the %R schema is greater than in the %W schema",
	[JSC_EXCLUSIVE_MINIMUM_DECREASED] = "The exclusiveMinimum at path '%P' in the %R schema is less than in the %W schema",
	[JSC_MULTIPLE_OF_ADDED] = "A multipleOf was added at path '%P' in the %R schema",
	[JSC_MULTIPLE_OF_REMOVED] = "The multipleOf at path '%P' of the %W schema was removed in the %R schema",
	[JSC_MULTIPLE_OF_EXPANDED] = "The multipleOf at path '%P' in the %R schema is a multiple of the one in the %W schema",
	[JSC_MULTIPLE_OF_REDUCED] = "The multipleOf at path '%P' in the %R schema divides the one in the %W schema",
	[JSC_MULTIPLE_OF_CHANGED] = "The multipleOf at path '%P' in the %R schema is neither a multiple nor a divisor of the one in the %W schema",
	[JSC_REQUIRED_ATTRIBUTE_ADDED] = "The %R schema requires the property at path '%P' without a default, which the %W schema does not require",
	[JSC_REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED] = "The %R schema requires the property at path '%P', with a default, which the %W schema does not require",
	[JSC_REQUIRED_ATTRIBUTE_REMOVED] = "The %R schema no longer requires the property at path '%P' that the %W schema requires",
	[JSC_MAX_PROPERTIES_ADDED] = "A maxProperties was added at path '%P' in the %R schema",
	[JSC_MAX_PROPERTIES_REMOVED] = "The maxProperties at path '%P' of the %W schema was removed in the %R schema",
	[JSC_MAX_PROPERTIES_INCREASED] = "The maxProperties at path '%P' in the %R schema is greater than in the %W schema",
	[JSC_MAX_PROPERTIES_DECREASED] = "The maxProperties at path '%P' in the %R schema is less than in the %W schema",
	[JSC_MIN_PROPERTIES_ADDED] = "A minProperties was added at path '%P' in the %R schema",
	[JSC_MIN_PROPERTIES_REMOVED] = "The minProperties at path '%P' of the %W schema was removed in the %R schema",
	[JSC_MIN_PROPERTIES_INCREASED] = "The minProperties at path '%P' in the %R schema is greater than in the %W schema",
	[JSC_MIN_PROPERTIES_DECREASED] = "The minProperties at path '%P' in the %R schema is less than in the %W schema",
	[JSC_ADDITIONAL_PROPERTIES_ADDED] = "The %R schema allows additional properties at path '%P' that the %W schema forbids",
	[JSC_ADDITIONAL_PROPERTIES_REMOVED] = "The %R schema forbids additional properties at path '%P' that the %W schema allows",
	[JSC_ADDITIONAL_PROPERTIES_EXTENDED] = "The additional properties at path '%P' in the %R schema are less constrained than in the %W schema",
	[JSC_ADDITIONAL_PROPERTIES_NARROWED] = "The additional properties at path '%P' in the %R schema are constrained by a schema where the %W schema allows any",
	[JSC_UNEVALUATED_PROPERTIES_ADDED] = "The %R schema allows unevaluated properties at path '%P' that the %W schema forbids",
	[JSC_UNEVALUATED_PROPERTIES_REMOVED] = "The %R schema forbids unevaluated properties at path '%P' that the %W schema allows",
	[JSC_UNEVALUATED_PROPERTIES_EXTENDED] = "The unevaluated properties at path '%P' in the %R schema are less constrained than in the %W schema",
	[JSC_UNEVALUATED_PROPERTIES_NARROWED] = "The unevaluated properties at path '%P' in the %R schema are constrained by a schema where the %W schema allows any",
	[JSC_DEPENDENCY_ARRAY_ADDED] = "A property dependency was added at path '%P' in the %R schema",
	[JSC_DEPENDENCY_ARRAY_REMOVED] = "The property dependency at path '%P' of the %W schema was removed in the %R schema",
	[JSC_DEPENDENCY_ARRAY_EXTENDED] = "The property dependency at path '%P' in the %R schema requires more properties than in the %W schema",
	[JSC_DEPENDENCY_ARRAY_NARROWED] = "The property dependency at path '%P' in the %R schema requires fewer properties than in the %W schema",
	[JSC_DEPENDENCY_ARRAY_CHANGED] = "The property dependency at path '%P' in the %R schema differs from the %W schema",
	[JSC_DEPENDENCY_SCHEMA_ADDED] = "A schema dependency was added at path '%P' in the %R schema",
	[JSC_DEPENDENCY_SCHEMA_REMOVED] = "The schema dependency at path '%P' of the %W schema was removed in the %R schema",
	[JSC_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL] = "The %R schema adds the property at path '%P' to an open content model: data written with the %W schema may carry it with any value",
	[JSC_PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL] = "The %R schema adds the property at path '%P' with an empty schema to an open content model",
	[JSC_REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL] = "The %R schema adds the required property at path '%P' to a content model that is not open",
	[JSC_REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL] = "The %R schema adds the required property at path '%P', with a default, to a content model that is not open",
	[JSC_OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL] = "The %R schema adds the optional property at path '%P' to a content model that is not open",
	[JSC_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL] = "The %R schema removes the property at path '%P' from an open content model",
	[JSC_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL] = "The %R schema removes the property at path '%P' from a closed content model: data written with the %W schema may carry it",
	[JSC_PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL] = "The %R schema removes the property at path '%P', which the %W schema forbids, from a closed content model",
	[JSC_PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL] = "The property at path '%P' added in the %R schema is covered by the partially open content model of the %W schema",
	[JSC_PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL] = "The property at path '%P' added in the %R schema is not covered by the partially open content model of the %W schema",
	[JSC_PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL] = "The property at path '%P' of the %W schema removed in the %R schema is covered by the %R schema's partially open content model",
	[JSC_PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL] = "The property at path '%P' of the %W schema removed in the %R schema is not covered by the %R schema's partially open content model",
	[JSC_MAX_ITEMS_ADDED] = "A maxItems was added at path '%P' in the %R schema",
	[JSC_MAX_ITEMS_REMOVED] = "The maxItems at path '%P' of the %W schema was removed in the %R schema",
	[JSC_MAX_ITEMS_INCREASED] = "The maxItems at path '%P' in the %R schema is greater than in the %W schema",
	[JSC_MAX_ITEMS_DECREASED] = "The maxItems at path '%P' in the %R schema is less than in the %W schema",
	[JSC_MIN_ITEMS_ADDED] = "A minItems was added at path '%P' in the %R schema",
	[JSC_MIN_ITEMS_REMOVED] = "The minItems at path '%P' of the %W schema was removed in the %R schema",
	[JSC_MIN_ITEMS_INCREASED] = "The minItems at path '%P' in the %R schema is greater than in the %W schema",
	[JSC_MIN_ITEMS_DECREASED] = "The minItems at path '%P' in the %R schema is less than in the %W schema",
	[JSC_UNIQUE_ITEMS_ADDED] = "The %R schema requires unique items at path '%P' where the %W schema does not",
	[JSC_UNIQUE_ITEMS_REMOVED] = "The %R schema no longer requires unique items at path '%P'",
	[JSC_ADDITIONAL_ITEMS_ADDED] = "The %R schema allows additional items at path '%P' that the %W schema forbids",
	[JSC_ADDITIONAL_ITEMS_REMOVED] = "The %R schema forbids additional items at path '%P' that the %W schema allows",
	[JSC_ADDITIONAL_ITEMS_EXTENDED] = "The additional items at path '%P' in the %R schema are less constrained than in the %W schema",
	[JSC_ADDITIONAL_ITEMS_NARROWED] = "The additional items at path '%P' in the %R schema are constrained by a schema where the %W schema allows any",
	[JSC_UNEVALUATED_ITEMS_ADDED] = "The %R schema allows unevaluated items at path '%P' that the %W schema forbids",
	[JSC_UNEVALUATED_ITEMS_REMOVED] = "The %R schema forbids unevaluated items at path '%P' that the %W schema allows",
	[JSC_UNEVALUATED_ITEMS_EXTENDED] = "The unevaluated items at path '%P' in the %R schema are less constrained than in the %W schema",
	[JSC_UNEVALUATED_ITEMS_NARROWED] = "The unevaluated items at path '%P' in the %R schema are constrained by a schema where the %W schema allows any",
	[JSC_ITEM_ADDED_TO_OPEN_CONTENT_MODEL] = "The %R schema adds the item at path '%P' to an open content model: data written with the %W schema may carry any value there",
	[JSC_ITEM_ADDED_TO_CLOSED_CONTENT_MODEL] = "The %R schema adds the item at path '%P' to a closed content model",
	[JSC_ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL] = "The %R schema removes the item at path '%P' from an open content model",
	[JSC_ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL] = "The %R schema removes the item at path '%P' from a closed content model: data written with the %W schema may carry it",
	[JSC_ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL] = "The item at path '%P' added in the %R schema is covered by the partially open content model of the %W schema",
	[JSC_ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL] = "The item at path '%P' added in the %R schema is not covered by the partially open content model of the %W schema",
	[JSC_ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL] = "The item at path '%P' of the %W schema removed in the %R schema is covered by the %R schema's partially open content model",
	[JSC_ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL] = "The item at path '%P' of the %W schema removed in the %R schema is not covered by the %R schema's partially open content model",
	[JSC_ENUM_ARRAY_EXTENDED] = "The enum at path '%P' in the %R schema has more values than in the %W schema",
	[JSC_ENUM_ARRAY_NARROWED] = "The enum at path '%P' in the %R schema lacks values of the %W schema",
	[JSC_ENUM_ARRAY_CHANGED] = "The enum at path '%P' in the %R schema differs from the %W schema",
	[JSC_COMBINED_TYPE_EXTENDED] = "The combined type at path '%P' in the %R schema is anyOf where the %W schema's is stricter",
	[JSC_COMBINED_TYPE_CHANGED] = "The kind of combined type (allOf, anyOf, oneOf) at path '%P' in the %R schema differs from the %W schema",
	[JSC_PRODUCT_TYPE_EXTENDED] = "The allOf at path '%P' in the %R schema has more subschemas than in the %W schema",
	[JSC_PRODUCT_TYPE_NARROWED] = "The allOf at path '%P' in the %R schema has fewer subschemas than in the %W schema",
	[JSC_SUM_TYPE_EXTENDED] = "The anyOf/oneOf at path '%P' in the %R schema has more subschemas than in the %W schema",
	[JSC_SUM_TYPE_NARROWED] = "The anyOf/oneOf at path '%P' in the %R schema has fewer subschemas than in the %W schema",
	[JSC_COMBINED_TYPE_SUBSCHEMAS_CHANGED] = "The subschemas of the combined type at path '%P' in the %R schema do not match those of the %W schema",
	[JSC_NOT_TYPE_EXTENDED] = "The schema negated by 'not' at path '%P' in the %R schema is wider than in the %W schema",
	[JSC_NOT_TYPE_NARROWED] = "The schema negated by 'not' at path '%P' in the %R schema is narrower than in the %W schema",
};

static void describe(sr_buf *b, jsc_type t, const char *path, const char *rl, const char *wl)
{
	const char *p = descriptions[t] ? descriptions[t] : "A change at path '%P'";

	for (; *p; p++) {
		if (p[0] == '%' && p[1] == 'P') {
			sr_buf_puts(b, path);
			p++;
		} else if (p[0] == '%' && p[1] == 'R') {
			sr_buf_puts(b, rl);
			p++;
		} else if (p[0] == '%' && p[1] == 'W') {
			sr_buf_puts(b, wl);
			p++;
		} else {
			sr_buf_putc(b, *p);
		}
	}
}

bool sr_jsonschema__compatible_documents(const sr_jsonschema_document *reader, size_t nreader,
					 const sr_jsonschema_document *writer, size_t nwriter,
					 sr_compat_report *report)
{
	const char *rl = report->reader_label ? report->reader_label : "new";
	const char *wl = report->writer_label ? report->writer_label : "old";
	sr_arena *a = sr_arena_new(0);
	jsc_side original, update;
	jsc_result res;
	sr_buf b = SR_BUF_INIT;
	size_t i;
	bool ok;

	jsc_side_init(&original, a, writer, nwriter);
	jsc_side_init(&update, a, reader, nreader);
	jsc_compare(&res, a, &original, &update, report->policy);
	ok = !res.exhausted && res.incompatible == 0;
	for (i = 0; i < res.n; i++) {
		if (jsc_type_compatible(res.diffs[i].type, report->policy))
			continue;
		sr_buf_clear(&b);
		describe(&b, res.diffs[i].type, res.diffs[i].path, rl, wl);
		sr_compat_report_add(report, "{errorType:\"%s\", description:\"%.*s\"}",
				     jsc_type_name(res.diffs[i].type), (int)b.len, b.ptr ? b.ptr : "");
	}
	if (res.exhausted)
		sr_compat_report_add(report,
				     "{errorType:\"COMPATIBILITY_CHECK_TOO_COMPLEX\", description:\"The "
				     "comparison of the %s schema with the %s schema exceeded its work "
				     "limit (%d steps or %d levels of nesting); the schemas are treated "
				     "as incompatible\"}",
				     rl, wl, JSC_BUDGET, JSC_MAX_DEPTH);
	sr_buf_dispose(&b);
	jsc_side_dispose(&original);
	jsc_side_dispose(&update);
	sr_arena_free(a);
	return ok;
}

bool sr_jsonschema__differences_documents(sr_arena *a, const sr_jsonschema_document *original,
					  size_t noriginal,
					  const sr_jsonschema_document *update, size_t nupdate,
					  sr_compat_policy policy, sr_jsonschema_diff **out,
					  size_t *n)
{
	sr_arena *tmp = sr_arena_new(0);
	jsc_side o, u;
	jsc_result res;
	size_t i;
	bool complete;

	jsc_side_init(&o, tmp, original, noriginal);
	jsc_side_init(&u, tmp, update, nupdate);
	jsc_compare(&res, tmp, &o, &u, policy);
	*out = sr_arena_calloc(a, res.n ? res.n : 1, sizeof(**out));
	for (i = 0; i < res.n; i++) {
		(*out)[i].type = jsc_type_name(res.diffs[i].type);
		(*out)[i].path = sr_arena_strdup(a, res.diffs[i].path);
		(*out)[i].compatible = jsc_type_compatible(res.diffs[i].type, policy);
	}
	*n = res.n;
	complete = !res.exhausted;
	jsc_side_dispose(&o);
	jsc_side_dispose(&u);
	sr_arena_free(tmp);
	return complete;
}


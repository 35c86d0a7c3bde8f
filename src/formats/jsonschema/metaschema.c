/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Dialects and the embedded meta-schemas.
 *
 * The official meta-schemas and vocabulary meta-schemas live under
 * data/ and are compiled into the binary (core/embed.h); nothing is ever
 * fetched. They are parsed once per process, on first use, into a
 * process-lifetime arena; the five standard meta-schemas are compiled
 * once too, so that validating a schema against its meta-schema at
 * registration costs one validation, not a compilation. Both steps run
 * under pthread_once and the results are immutable afterwards.
 */
#include <pthread.h>
#include <string.h>

#include "core/embed.h"
#include "core/log.h"
#include "formats/jsonschema/compiled.h"

static const sr_js_dialect dialects[] = {
	{ SR_JS_DRAFT4, SR_JS_VOCAB_ALL, "http://json-schema.org/draft-04/schema#" },
	{ SR_JS_DRAFT6, SR_JS_VOCAB_ALL, "http://json-schema.org/draft-06/schema#" },
	{ SR_JS_DRAFT7, SR_JS_VOCAB_ALL, "http://json-schema.org/draft-07/schema#" },
	{ SR_JS_DRAFT2019, SR_JS_VOCAB_ALL, "https://json-schema.org/draft/2019-09/schema" },
	{ SR_JS_DRAFT2020, SR_JS_VOCAB_ALL, "https://json-schema.org/draft/2020-12/schema" },
};

/* Meta-schema URIs (as $schema values, any http/https, with or without an
 * empty fragment) after "json-schema.org/". */
static const char *const dialect_paths[] = {
	"draft-04/schema", "draft-06/schema", "draft-07/schema",
	"draft/2019-09/schema", "draft/2020-12/schema",
};

const sr_js_dialect *sr_js__dialect_standard(const char *uri, size_t len)
{
	size_t i;

	if (len && uri[len - 1] == '#')
		len--;
	if (len >= 7 && memcmp(uri, "http://", 7) == 0) {
		uri += 7;
		len -= 7;
	} else if (len >= 8 && memcmp(uri, "https://", 8) == 0) {
		uri += 8;
		len -= 8;
	} else {
		return NULL;
	}
	if (len < 16 || memcmp(uri, "json-schema.org/", 16) != 0)
		return NULL;
	uri += 16;
	len -= 16;
	for (i = 0; i < sizeof(dialect_paths) / sizeof(dialect_paths[0]); i++)
		if (strlen(dialect_paths[i]) == len && memcmp(dialect_paths[i], uri, len) == 0)
			return &dialects[i];
	return NULL;
}

const sr_js_dialect *sr_js__dialect_of_draft(int draft)
{
	size_t i;

	for (i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++)
		if (dialects[i].draft == draft)
			return &dialects[i];
	return NULL;
}

/* ---- embedded documents ----------------------------------------------------- */

static const struct {
	const char *uri;  /* without fragment */
	const char *path; /* under src/ */
} embedded_paths[] = {
	{ "http://json-schema.org/draft-04/schema", "formats/jsonschema/data/draft4/metaschema.json" },
	{ "http://json-schema.org/draft-06/schema", "formats/jsonschema/data/draft6/metaschema.json" },
	{ "http://json-schema.org/draft-07/schema", "formats/jsonschema/data/draft7/metaschema.json" },
	{ "https://json-schema.org/draft/2019-09/schema", "formats/jsonschema/data/draft201909/metaschema.json" },
	{ "https://json-schema.org/draft/2019-09/meta/applicator", "formats/jsonschema/data/draft201909/vocabularies/applicator.json" },
	{ "https://json-schema.org/draft/2019-09/meta/content", "formats/jsonschema/data/draft201909/vocabularies/content.json" },
	{ "https://json-schema.org/draft/2019-09/meta/core", "formats/jsonschema/data/draft201909/vocabularies/core.json" },
	{ "https://json-schema.org/draft/2019-09/meta/format", "formats/jsonschema/data/draft201909/vocabularies/format.json" },
	{ "https://json-schema.org/draft/2019-09/meta/meta-data", "formats/jsonschema/data/draft201909/vocabularies/meta-data.json" },
	{ "https://json-schema.org/draft/2019-09/meta/validation", "formats/jsonschema/data/draft201909/vocabularies/validation.json" },
	{ "https://json-schema.org/draft/2020-12/schema", "formats/jsonschema/data/draft202012/metaschema.json" },
	{ "https://json-schema.org/draft/2020-12/meta/applicator", "formats/jsonschema/data/draft202012/vocabularies/applicator.json" },
	{ "https://json-schema.org/draft/2020-12/meta/content", "formats/jsonschema/data/draft202012/vocabularies/content.json" },
	{ "https://json-schema.org/draft/2020-12/meta/core", "formats/jsonschema/data/draft202012/vocabularies/core.json" },
	{ "https://json-schema.org/draft/2020-12/meta/format-annotation", "formats/jsonschema/data/draft202012/vocabularies/format-annotation.json" },
	{ "https://json-schema.org/draft/2020-12/meta/format-assertion", "formats/jsonschema/data/draft202012/vocabularies/format-assertion.json" },
	{ "https://json-schema.org/draft/2020-12/meta/meta-data", "formats/jsonschema/data/draft202012/vocabularies/meta-data.json" },
	{ "https://json-schema.org/draft/2020-12/meta/unevaluated", "formats/jsonschema/data/draft202012/vocabularies/unevaluated.json" },
	{ "https://json-schema.org/draft/2020-12/meta/validation", "formats/jsonschema/data/draft202012/vocabularies/validation.json" },
};

#define NEMBEDDED (sizeof(embedded_paths) / sizeof(embedded_paths[0]))

static sr_arena *global_arena;
static sr_js_embedded embedded[NEMBEDDED];
static pthread_once_t embedded_once = PTHREAD_ONCE_INIT;

static void load_embedded(void)
{
	size_t i;

	global_arena = sr_arena_new(1 << 16);
	for (i = 0; i < NEMBEDDED; i++) {
		const sr_embedded_file *f = sr_embed_find(embedded_paths[i].path);
		sr_json_limits lim = { 64 };
		sr_json *root = NULL;

		embedded[i].uri = embedded_paths[i].uri;
		if (!f || sr_json_parse(&root, global_arena, (const char *)f->data, f->len, &lim, NULL) != 0) {
			sr_logf(SR_LOG_ERROR, "jsonschema: embedded meta-schema %s is missing or broken",
				embedded_paths[i].path);
			continue;
		}
		embedded[i].root = root;
		embedded[i].text = (const char *)f->data;
		embedded[i].len = f->len;
	}
}

const sr_js_embedded *sr_js__embedded_find(const char *uri, size_t len)
{
	size_t i;

	pthread_once(&embedded_once, load_embedded);
	if (len && uri[len - 1] == '#')
		len--;
	for (i = 0; i < NEMBEDDED; i++)
		if (embedded[i].root && strlen(embedded[i].uri) == len &&
		    memcmp(embedded[i].uri, uri, len) == 0)
			return &embedded[i];
	return NULL;
}

/* ---- compiled standard meta-schemas ------------------------------------------- */

static const sr_js_schema *compiled_meta[5];
static sr_arena *meta_arena;
static pthread_once_t meta_once = PTHREAD_ONCE_INIT;

static void compile_metaschemas(void)
{
	size_t i;

	meta_arena = sr_arena_new(1 << 16);
	for (i = 0; i < 5; i++) {
		const sr_js_embedded *e = sr_js__embedded_find(dialects[i].uri, strlen(dialects[i].uri));
		sr_js_compile_opts opts = { NULL, NULL, NULL, true };
		sr_js_source src;
		sr_js_schema *s = NULL;
		sr_err err = SR_ERR_INIT;

		if (!e)
			continue;
		src.name = e->uri;
		src.text = e->text;
		src.len = e->len;
		if (sr_js__compile(&s, meta_arena, &src, 1, &opts, &err) != 0)
			sr_logf(SR_LOG_ERROR, "jsonschema: meta-schema %s does not compile: %s", e->uri,
				sr_err_message(&err));
		else
			compiled_meta[i] = s;
		sr_err_dispose(&err);
	}
}

const sr_js_schema *sr_js__metaschema(int draft)
{
	size_t i;

	pthread_once(&meta_once, compile_metaschemas);
	for (i = 0; i < 5; i++)
		if (dialects[i].draft == draft)
			return compiled_meta[i];
	return NULL;
}

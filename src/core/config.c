/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "core/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"

typedef enum { OPT_STR, OPT_UINT, OPT_SIZE, OPT_BOOL } opt_kind;

typedef struct {
	const char *flag;    /* --flag */
	const char *env;     /* environment variable */
	const char *deflt;   /* default as text */
	opt_kind kind;
	size_t offset;       /* into sr_config */
	unsigned long long max;
	bool secret;         /* mask when logged */
	const char *help;
} opt_def;

#define OFF(f) offsetof(sr_config, f)

/* The one list of settings. */
static const opt_def options[] = {
	{ "database-url", "DATABASE_URL", "sqlite:./data/registry.db", OPT_STR,
	  OFF(database_url), 0, true,
	  "store: sqlite:PATH, mem: (tests) or postgres://..." },
	{ "listen", "SCHEMA_REGISTRY_LISTEN", "0.0.0.0:8081", OPT_STR,
	  OFF(listen), 0, false, "HOST:PORT to listen on (port 0 = any free port)" },
	{ "threads", "SCHEMA_REGISTRY_THREADS", "0", OPT_UINT, OFF(threads),
	  1024, false, "HTTP worker threads (0 = one per core)" },
	{ "max-body-bytes", "SCHEMA_REGISTRY_MAX_BODY_BYTES", "16777216",
	  OPT_SIZE, OFF(max_body_bytes), 1ULL << 31, false,
	  "largest request body accepted (413 beyond)" },
	{ "max-json-depth", "SCHEMA_REGISTRY_MAX_JSON_DEPTH", "1000", OPT_UINT,
	  OFF(max_json_depth), 100000, false, "deepest JSON nesting accepted" },
	{ "max-schema-bytes", "SCHEMA_REGISTRY_MAX_SCHEMA_BYTES", "8388608",
	  OPT_SIZE, OFF(max_schema_bytes), 1ULL << 31, false,
	  "largest schema text accepted (42209 beyond)" },
	{ "max-references", "SCHEMA_REGISTRY_MAX_REFERENCES", "1000", OPT_UINT,
	  OFF(max_references), 1000000, false,
	  "most schema references (transitively) per schema" },
	{ "max-reference-depth", "SCHEMA_REGISTRY_MAX_REFERENCE_DEPTH", "64",
	  OPT_UINT, OFF(max_reference_depth), 10000, false,
	  "deepest chain of schema references" },
	{ "connection-timeout", "SCHEMA_REGISTRY_CONNECTION_TIMEOUT", "30",
	  OPT_UINT, OFF(connection_timeout_s), 86400, false,
	  "seconds an idle or stalled connection is kept" },
	{ "shutdown-timeout", "SCHEMA_REGISTRY_SHUTDOWN_TIMEOUT", "25", OPT_UINT,
	  OFF(shutdown_timeout_s), 3600, false,
	  "seconds SIGTERM waits for in-flight requests" },
	{ "log-level", "SCHEMA_REGISTRY_LOG_LEVEL", "info", OPT_STR,
	  OFF(log_level), 0, false, "debug, info, warn or error" },
	{ "cluster-id", "SCHEMA_REGISTRY_CLUSTER_ID", "schema-registry",
	  OPT_STR, OFF(cluster_id), 0, false,
	  "id reported by GET /v1/metadata/id" },
	{ "port-file", "SCHEMA_REGISTRY_PORT_FILE", "", OPT_STR, OFF(port_file),
	  0, false, "write the bound port to this file once listening" },
	{ "format-assertion", "SCHEMA_REGISTRY_FORMAT_ASSERTION", "false", OPT_BOOL,
	  OFF(format_assertion), 0, false,
	  "JSON Schema `format` asserts when validating documents (else it annotates)" },
	{ "json-schema-dialect", "SCHEMA_REGISTRY_JSON_SCHEMA_DIALECT",
	  "http://json-schema.org/draft-07/schema#", OPT_STR, OFF(json_schema_dialect), 0, false,
	  "JSON Schema dialect ($schema) of schemas that declare none" },
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static int set_value(sr_config *cfg, const opt_def *o, const char *v,
		     const char *origin, sr_err *err)
{
	char *field = (char *)cfg + o->offset;
	unsigned long long n;
	char *end;

	if (o->kind == OPT_STR) {
		char **dst = (char **)field;
		free(*dst);
		*dst = sr_strdup(v);
		return 0;
	}
	if (o->kind == OPT_BOOL) {
		if (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0)
			*(bool *)field = true;
		else if (strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0)
			*(bool *)field = false;
		else
			return sr_err_set(err, SR_EINVALID, SR_ERR_BAD_REQUEST,
					  "%s: '%s' is not true or false", origin, v);
		return 0;
	}
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || n > o->max)
		return sr_err_set(err, SR_EINVALID, SR_ERR_BAD_REQUEST,
				  "%s: '%s' is not a number between 0 and %llu",
				  origin, v, o->max);
	if (o->kind == OPT_UINT)
		*(unsigned *)field = (unsigned)n;
	else
		*(size_t *)field = (size_t)n;
	return 0;
}

int sr_config_load_env(sr_config *cfg, sr_err *err)
{
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < N_OPTIONS; i++) {
		const char *env = getenv(options[i].env);
		if (set_value(cfg, &options[i], options[i].deflt, options[i].flag, err) < 0)
			return SR_EINVALID;
		if (env && set_value(cfg, &options[i], env, options[i].env, err) < 0)
			return SR_EINVALID;
	}
	return 0;
}

static const opt_def *find_flag(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < N_OPTIONS; i++)
		if (strlen(options[i].flag) == len &&
		    memcmp(options[i].flag, name, len) == 0)
			return &options[i];
	return NULL;
}

int sr_config_apply_args(sr_config *cfg, int argc, char **argv, sr_err *err)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq, *value;
		const opt_def *o;
		size_t len;

		if (strncmp(arg, "--", 2) != 0)
			return sr_err_set(err, SR_EINVALID, SR_ERR_BAD_REQUEST,
					  "unexpected argument '%s'", arg);
		arg += 2;
		eq = strchr(arg, '=');
		len = eq ? (size_t)(eq - arg) : strlen(arg);
		o = find_flag(arg, len);
		if (!o)
			return sr_err_set(err, SR_EINVALID, SR_ERR_BAD_REQUEST,
					  "unknown flag '--%.*s' (see --help)",
					  (int)len, arg);
		if (eq) {
			value = eq + 1;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			return sr_err_set(err, SR_EINVALID, SR_ERR_BAD_REQUEST,
					  "flag '--%s' needs a value", o->flag);
		}
		if (set_value(cfg, o, value, o->flag, err) < 0)
			return SR_EINVALID;
	}
	return 0;
}

int sr_config_finish(sr_config *cfg, sr_err *err)
{
	const char *colon = strrchr(cfg->listen, ':');
	unsigned long port;
	char *end;
	sr_log_level lvl;

	if (!colon || colon == cfg->listen)
		return sr_err_set(err, SR_EINVALID, SR_ERR_BAD_REQUEST,
				  "SCHEMA_REGISTRY_LISTEN: '%s' is not HOST:PORT",
				  cfg->listen);
	port = strtoul(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port > 65535)
		return sr_err_set(err, SR_EINVALID, SR_ERR_BAD_REQUEST,
				  "SCHEMA_REGISTRY_LISTEN: bad port in '%s'",
				  cfg->listen);
	free(cfg->listen_host);
	/* An IPv6 address is written in brackets: [::]:8081. */
	if (cfg->listen[0] == '[' && colon[-1] == ']')
		cfg->listen_host = sr_strndup(cfg->listen + 1, (size_t)(colon - cfg->listen) - 2);
	else
		cfg->listen_host = sr_strndup(cfg->listen, (size_t)(colon - cfg->listen));
	cfg->listen_port = (uint16_t)port;
	if (!sr_log_parse_level(cfg->log_level, &lvl))
		return sr_err_set(err, SR_EINVALID, SR_ERR_BAD_REQUEST,
				  "SCHEMA_REGISTRY_LOG_LEVEL: unknown level '%s'",
				  cfg->log_level);
	sr_log_set_level(lvl);
	if (cfg->max_json_depth < 2)
		cfg->max_json_depth = 2;
	return 0;
}

/* Is `p` the start of a `password=` (or `sslpassword=`) parameter? */
static size_t password_key_len(const char *url, const char *p)
{
	static const char *const keys[] = { "password=", "sslpassword=" };
	size_t i;

	if (p != url && p[-1] != '?' && p[-1] != '&' && p[-1] != ' ')
		return 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strncasecmp(p, keys[i], strlen(keys[i])) == 0)
			return strlen(keys[i]);
	return 0;
}

/*
 * The userinfo password (scheme://user:PASSWORD@host) and the values of
 * password parameters (?password=..., as libpq accepts them) become "****".
 */
char *sr_config_mask_url(const char *url)
{
	const char *scheme = strstr(url, "://");
	const char *auth = scheme ? scheme + 3 : NULL;
	size_t auth_len = auth ? strcspn(auth, "/?#") : 0;
	const char *at = NULL, *colon = NULL, *p;
	sr_buf b = SR_BUF_INIT;
	size_t k;

	for (p = auth; p && p < auth + auth_len; p++)
		if (*p == '@')
			at = p;
	if (at)
		colon = memchr(auth, ':', (size_t)(at - auth));
	for (p = url; *p;) {
		if (colon && p == colon + 1) {
			sr_buf_puts(&b, "****");
			p = at;
		} else if ((k = password_key_len(url, p)) > 0) {
			sr_buf_put(&b, p, k);
			sr_buf_puts(&b, "****");
			p += k;
			p += strcspn(p, "& #");
		} else {
			sr_buf_putc(&b, *p++);
		}
	}
	return sr_buf_detach(&b, NULL);
}

void sr_config_log(const sr_config *cfg)
{
	sr_buf fields = SR_BUF_INIT;
	size_t i;

	sr_buf_puts(&fields, "\"config\":{");
	for (i = 0; i < N_OPTIONS; i++) {
		const opt_def *o = &options[i];
		const char *field = (const char *)cfg + o->offset;

		if (i)
			sr_buf_putc(&fields, ',');
		sr_buf_put_json_string(&fields, o->env, strlen(o->env));
		sr_buf_putc(&fields, ':');
		if (o->kind == OPT_STR) {
			const char *v = *(char *const *)field;
			char *masked = o->secret ? sr_config_mask_url(v) : sr_strdup(v);
			sr_buf_put_json_string(&fields, masked, strlen(masked));
			free(masked);
		} else if (o->kind == OPT_UINT) {
			sr_buf_printf(&fields, "%u", *(const unsigned *)field);
		} else if (o->kind == OPT_BOOL) {
			sr_buf_puts(&fields, *(const bool *)field ? "true" : "false");
		} else {
			sr_buf_printf(&fields, "%zu", *(const size_t *)field);
		}
	}
	sr_buf_putc(&fields, '}');
	sr_log(SR_LOG_INFO, "effective configuration", fields.ptr);
	sr_buf_dispose(&fields);
}

void sr_config_print_help(void)
{
	size_t i;

	printf("Settings (flag, environment variable, default):\n");
	for (i = 0; i < N_OPTIONS; i++)
		printf("  --%-22s %-36s %s\n      %s\n", options[i].flag,
		       options[i].env,
		       options[i].deflt[0] ? options[i].deflt : "(unset)",
		       options[i].help);
}

void sr_config_dispose(sr_config *cfg)
{
	size_t i;

	for (i = 0; i < N_OPTIONS; i++)
		if (options[i].kind == OPT_STR)
			free(*(char **)((char *)cfg + options[i].offset));
	free(cfg->listen_host);
	memset(cfg, 0, sizeof(*cfg));
}

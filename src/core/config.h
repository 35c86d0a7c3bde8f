/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_CORE_CONFIG_H
#define SR_CORE_CONFIG_H

/**
 * Runtime configuration. Every setting has a default, can be set from the
 * environment, and can be overridden by a command-line flag; the table in
 * config.c is the single list of settings (name, variable, flag, default,
 * whether it is secret). The effective configuration is logged at start
 * with secrets masked.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef struct sr_config {
	char *database_url;        /**< DATABASE_URL, default sqlite:./data/registry.db */
	char *listen;              /**< SCHEMA_REGISTRY_LISTEN, default 0.0.0.0:8081 */
	char *listen_host;         /**< parsed from listen */
	uint16_t listen_port;      /**< parsed from listen (0 = pick a free port) */
	unsigned threads;          /**< SCHEMA_REGISTRY_THREADS, 0 = one per core */
	size_t max_body_bytes;     /**< SCHEMA_REGISTRY_MAX_BODY_BYTES, default 16 MiB */
	unsigned max_json_depth;   /**< SCHEMA_REGISTRY_MAX_JSON_DEPTH, default 1000 */
	size_t max_schema_bytes;   /**< SCHEMA_REGISTRY_MAX_SCHEMA_BYTES, default 8 MiB */
	unsigned max_references;   /**< SCHEMA_REGISTRY_MAX_REFERENCES, default 1000 */
	unsigned max_reference_depth; /**< SCHEMA_REGISTRY_MAX_REFERENCE_DEPTH, default 64 */
	unsigned connection_timeout_s; /**< SCHEMA_REGISTRY_CONNECTION_TIMEOUT, default 30 */
	unsigned shutdown_timeout_s;   /**< SCHEMA_REGISTRY_SHUTDOWN_TIMEOUT, default 25 */
	char *log_level;           /**< SCHEMA_REGISTRY_LOG_LEVEL, default info */
	char *cluster_id;          /**< SCHEMA_REGISTRY_CLUSTER_ID (GET /v1/metadata/id) */
	char *port_file;           /**< SCHEMA_REGISTRY_PORT_FILE: write the bound port here */
	bool format_assertion;     /**< SCHEMA_REGISTRY_FORMAT_ASSERTION: JSON Schema `format` asserts */
	char *json_schema_dialect; /**< SCHEMA_REGISTRY_JSON_SCHEMA_DIALECT: $schema when absent */
} sr_config;

/** Fill `cfg` with defaults, then the environment. Free with sr_config_dispose(). */
int sr_config_load_env(sr_config *cfg, sr_err *err);

/**
 * Apply command-line flags `argv[0..argc)` (`--name value` or
 * `--name=value`, names as in the table). Unknown flags are an error.
 */
int sr_config_apply_args(sr_config *cfg, int argc, char **argv, sr_err *err);

/** Validate and derive parsed fields (listen_host/listen_port). */
int sr_config_finish(sr_config *cfg, sr_err *err);

/** Log the effective configuration as one line, secrets masked. */
void sr_config_log(const sr_config *cfg);

/** Print the flag/variable reference (for --help). */
void sr_config_print_help(void);

/**
 * Mask the passwords in a URL: postgres://user:secret@host/db?password=x
 * → postgres://user:****@host/db?password=****. Returns a heap string.
 */
char *sr_config_mask_url(const char *url);

void sr_config_dispose(sr_config *cfg);

#endif

/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The command line: serve | migrate | version | help. Thin: configuration,
 * wiring of store → registry → API → HTTP server, and signals.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "core/config.h"
#include "core/log.h"
#include "http/server.h"
#include "registry/registry.h"
#include "storage/storage.h"
#include "tools/backup.h"

#ifndef SR_VERSION
#define SR_VERSION "0.0.0"
#endif
#ifndef SR_COMMIT
#define SR_COMMIT "unknown"
#endif

static void usage(FILE *out)
{
	fprintf(out,
		"LLM Schema Registry %s — a Confluent-compatible schema registry\n\n"
		"usage: schema-registry <command> [--flag value ...]\n\n"
		"commands:\n"
		"  serve     start the server (migrates a new database first)\n"
		"  migrate   apply pending database migrations and exit\n"
		"  backup FILE|-   write a logical dump of the store (beside a running server)\n"
		"  restore FILE|-  load a dump into an empty store (server stopped)\n"
		"  version   print the version and exit\n"
		"  help      print this text and the settings\n\n",
		SR_VERSION);
}

static int fail(const char *what, sr_err *err)
{
	sr_logf(SR_LOG_ERROR, "%s: %s", what, sr_err_message(err));
	return 1;
}

static int load_config(sr_config *cfg, int argc, char **argv, sr_err *err)
{
	if (sr_config_load_env(cfg, err) < 0 ||
	    sr_config_apply_args(cfg, argc, argv, err) < 0 ||
	    sr_config_finish(cfg, err) < 0)
		return -1;
	return 0;
}

/* Open the store; a new database is migrated, an existing one must be current. */
static int open_store(const sr_config *cfg, bool migrate_new, sr_storage **out, sr_err *err)
{
	sr_migration_status st;
	int applied = 0;

	if (sr_storage_open(out, cfg->database_url, err) < 0)
		return -1;
	if (sr_storage_migration_status(*out, &st, err) < 0)
		return -1;
	if (migrate_new && st.applied == 0) {
		if (sr_storage_migrate(*out, &applied, err) < 0)
			return -1;
		sr_logf(SR_LOG_INFO, "new database: applied %d migrations", applied);
	}
	return sr_storage_check_ready(*out, err);
}

static int cmd_migrate(int argc, char **argv)
{
	sr_config cfg;
	sr_err err = SR_ERR_INIT;
	sr_storage *store = NULL;
	sr_migration_status st;
	int applied = 0, rc = 1;

	if (load_config(&cfg, argc, argv, &err) < 0) {
		rc = fail("configuration", &err);
		goto done;
	}
	if (sr_storage_open(&store, cfg.database_url, &err) < 0 ||
	    sr_storage_migrate(store, &applied, &err) < 0 ||
	    sr_storage_migration_status(store, &st, &err) < 0) {
		rc = fail("migrate", &err);
		goto done;
	}
	sr_logf(SR_LOG_INFO, "migrations applied: %d now; database at %d of %d", applied,
		st.applied, st.known);
	rc = 0;
done:
	sr_storage_close(store);
	sr_config_dispose(&cfg);
	sr_err_dispose(&err);
	return rc;
}

static void write_port_file(const char *path, unsigned port)
{
	char tmp[4096];
	FILE *f;

	if (!path || !*path)
		return;
	/* Write then rename, so that readers never see a partial file. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		sr_logf(SR_LOG_WARN, "cannot write port file %s: %s", path, strerror(errno));
		return;
	}
	fprintf(f, "%u\n", port);
	fclose(f);
	rename(tmp, path);
}

/* Block the shutdown signals in every thread; main waits for them. */
static void block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int cmd_serve(int argc, char **argv)
{
	sr_config cfg;
	sr_err err = SR_ERR_INIT;
	sr_storage *store = NULL;
	sr_registry *registry = NULL;
	sr_http_server *server = NULL;
	sr_registry_opts ropts;
	sr_http_server_opts hopts;
	sr_registry_stats stats;
	sr_api api = { 0 };
	sigset_t set;
	int sig = 0, rc = 1;
	unsigned left;

	block_signals(&set);
	if (load_config(&cfg, argc, argv, &err) < 0) {
		rc = fail("configuration", &err);
		goto done;
	}
	sr_config_log(&cfg);
	sr_log_async_start();
	if (open_store(&cfg, true, &store, &err) < 0) {
		rc = fail("store", &err);
		goto done;
	}
	memset(&ropts, 0, sizeof(ropts));
	ropts.format.max_json_depth = cfg.max_json_depth;
	ropts.format.max_schema_bytes = cfg.max_schema_bytes;
	ropts.max_references = cfg.max_references;
	ropts.max_reference_depth = cfg.max_reference_depth;
	ropts.format.default_dialect = cfg.json_schema_dialect;
	ropts.format_assertion = cfg.format_assertion;
	if (sr_registry_open(&registry, store, &ropts, &err) < 0) {
		rc = fail("loading the registry", &err);
		goto done;
	}
	sr_registry_stats_get(registry, &stats);
	sr_logf(SR_LOG_INFO, "registry loaded from %s: %zu schemas, %zu subjects, %zu versions",
		sr_storage_backend_name(store), stats.schemas, stats.subjects, stats.versions);

	sr_api_init(&api, registry, &cfg);
	api.version = SR_VERSION;
	api.commit = SR_COMMIT;
	memset(&hopts, 0, sizeof(hopts));
	hopts.host = cfg.listen_host;
	hopts.port = cfg.listen_port;
	hopts.threads = cfg.threads;
	hopts.max_body = cfg.max_body_bytes;
	hopts.connection_timeout_s = cfg.connection_timeout_s;
	hopts.observe = sr_api_observe;
	if (sr_http_server_start(&server, &hopts, sr_api_handle, &api, &err) < 0) {
		rc = fail("http", &err);
		goto done;
	}
	write_port_file(cfg.port_file, sr_http_server_port(server));
	sr_logf(SR_LOG_INFO, "listening on %s:%u", cfg.listen_host, sr_http_server_port(server));

	sigwait(&set, &sig);
	sr_logf(SR_LOG_INFO, "signal %d: draining in-flight requests (up to %us)", sig,
		cfg.shutdown_timeout_s);
	left = sr_http_server_drain(server, cfg.shutdown_timeout_s);
	if (left) {
		/* Stopping the server would wait for those requests without
		 * bound. Nothing they do is acknowledged yet, and the store's
		 * transactions survive an exit, so leave now: shutdown stays
		 * bounded. */
		sr_logf(SR_LOG_ERROR,
			"shutdown timeout: %u requests still in flight after %us; exiting without them",
			left, cfg.shutdown_timeout_s);
		sr_log_async_stop();
		_exit(1);
	}
	rc = 0;
done:
	sr_http_server_stop(server);
	sr_api_dispose(&api);
	sr_registry_free(registry);
	sr_storage_close(store);
	if (rc == 0)
		sr_log(SR_LOG_INFO, "stopped", NULL);
	sr_log_async_stop();
	sr_config_dispose(&cfg);
	sr_err_dispose(&err);
	return rc;
}

/* `backup FILE` and `restore FILE`: the file first, then the usual flags. */
static int cmd_dump(bool restore, int argc, char **argv)
{
	sr_config cfg;
	sr_err err = SR_ERR_INIT;
	sr_dump_stats st;
	const char *path = argc > 0 ? argv[0] : NULL;
	int rc = 1;

	if (!path || (path[0] == '-' && path[1] == '-')) {
		fprintf(stderr, "usage: schema-registry %s FILE|- [--database-url URL ...]\n",
			restore ? "restore" : "backup");
		return 2;
	}
	if (load_config(&cfg, argc - 1, argv + 1, &err) < 0) {
		rc = fail("configuration", &err);
		goto done;
	}
	if ((restore ? sr_restore_from : sr_backup_to)(&cfg, path, &st, &err) < 0) {
		rc = fail(restore ? "restore" : "backup", &err);
		goto done;
	}
	sr_logf(SR_LOG_INFO, "%s %s: %zu schemas, %zu versions, %zu configs, %zu modes",
		restore ? "restored from" : "backup written to", path, st.schemas, st.versions,
		st.configs, st.modes);
	rc = 0;
done:
	sr_config_dispose(&cfg);
	sr_err_dispose(&err);
	return rc;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "help";

	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 2, argv + 2);
	if (strcmp(cmd, "migrate") == 0)
		return cmd_migrate(argc - 2, argv + 2);
	if (strcmp(cmd, "backup") == 0 || strcmp(cmd, "restore") == 0)
		return cmd_dump(cmd[0] == 'r', argc - 2, argv + 2);
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("schema-registry %s (%s)\n", SR_VERSION, SR_COMMIT);
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		usage(stdout);
		sr_config_print_help();
		return 0;
	}
	usage(stderr);
	fprintf(stderr, "unknown command '%s'\n", cmd);
	return 2;
}

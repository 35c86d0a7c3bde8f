/* Unit tests for src/http/router.c, negotiate.c and request.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/error.h"
#include "http/negotiate.h"
#include "http/router.h"

static const sr_route routes[] = {
	{ SR_HTTP_GET, "/", "root", 0 },
	{ SR_HTTP_GET, "/schemas/types", "types", 0 },
	{ SR_HTTP_GET, "/schemas/ids/{id}", "by-id", 0 },
	{ SR_HTTP_GET, "/subjects/{subject}/versions/{version}", "version", 0 },
	{ SR_HTTP_DELETE, "/subjects/{subject}/versions/{version}", "delete-version", 0 },
};
#define N (sizeof(routes) / sizeof(routes[0]))

static void test_match_literal_and_params(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_route_match m;

	assert_int_equal(sr_router_match(routes, N, a, SR_HTTP_GET, "/", &m), 0);
	assert_string_equal(m.route->handler, "root");
	assert_int_equal(sr_router_match(routes, N, a, SR_HTTP_GET, "/schemas/types", &m), 0);
	assert_string_equal(m.route->handler, "types");
	assert_int_equal(sr_router_match(routes, N, a, SR_HTTP_GET, "/schemas/ids/42", &m), 0);
	assert_int_equal(m.nparams, 1);
	assert_string_equal(m.params[0], "42");
	assert_int_equal(sr_router_match(routes, N, a, SR_HTTP_DELETE,
					 "/subjects/a%2Fb%20c/versions/latest", &m), 0);
	assert_string_equal(m.route->handler, "delete-version");
	assert_string_equal(m.params[0], "a/b c");
	assert_string_equal(m.params[1], "latest");
	sr_arena_free(a);
}

static void test_404_405_and_bad_escapes(void **state)
{
	sr_arena *a = sr_arena_new(0);
	sr_route_match m;

	assert_int_equal(sr_router_match(routes, N, a, SR_HTTP_GET, "/nope", &m), SR_ENOTFOUND);
	assert_int_equal(sr_router_match(routes, N, a, SR_HTTP_GET, "/schemas/ids", &m),
			 SR_ENOTFOUND);
	assert_int_equal(sr_router_match(routes, N, a, SR_HTTP_POST, "/schemas/types", &m),
			 SR_EINVALID);
	assert_int_equal(sr_router_match(routes, N, a, SR_HTTP_GET, "/schemas/ids/%zz", &m),
			 SR_ETOOBIG);
	assert_int_equal(sr_router_match(routes, N, a, SR_HTTP_GET, "/schemas/ids/%4", &m),
			 SR_ETOOBIG);
	/* Far too many segments is a plain 404, not a crash. */
	assert_int_equal(sr_router_match(routes, N, a, SR_HTTP_GET,
					 "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s", &m), SR_ENOTFOUND);
	sr_arena_free(a);
}

static void test_percent_decode(void **state)
{
	sr_arena *a = sr_arena_new(0);
	size_t n;
	char *s = sr_http_percent_decode(a, "a+b%2B%00c", 10, true, &n);

	assert_int_equal(n, 6);
	assert_memory_equal(s, "a b+\0c", 6);
	assert_string_equal(sr_http_percent_decode(a, "a+b", 3, false, NULL), "a+b");
	assert_null(sr_http_percent_decode(a, "%", 1, false, NULL));
	sr_arena_free(a);
}

static const char *const offered[] = {
	"application/vnd.schemaregistry.v1+json",
	"application/vnd.schemaregistry+json",
	"application/json",
	NULL,
};

static void test_negotiate(void **state)
{
	assert_string_equal(sr_http_negotiate(NULL, offered), offered[0]);
	assert_string_equal(sr_http_negotiate("*/*", offered), offered[0]);
	assert_string_equal(sr_http_negotiate("application/json", offered), offered[2]);
	assert_string_equal(sr_http_negotiate("application/*", offered), offered[0]);
	assert_string_equal(sr_http_negotiate("application/json, application/vnd.schemaregistry+json;q=0.9",
					      offered), offered[2]);
	assert_string_equal(sr_http_negotiate("text/html, application/JSON; charset=utf-8", offered),
			    offered[2]);
	assert_null(sr_http_negotiate("text/html", offered));
	assert_null(sr_http_negotiate("application/json;q=0", offered));
}

static void test_media_type_in(void **state)
{
	assert_true(sr_http_media_type_in("application/json; charset=UTF-8", offered));
	assert_true(sr_http_media_type_in(" Application/Vnd.SchemaRegistry.v1+JSON", offered));
	assert_false(sr_http_media_type_in("text/plain", offered));
	assert_false(sr_http_media_type_in("application/json-patch", offered));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_literal_and_params),
		cmocka_unit_test(test_404_405_and_bad_escapes),
		cmocka_unit_test(test_percent_decode),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_media_type_in),
	};
	return cmocka_run_group_tests_name("http/router", tests, NULL, NULL);
}

/* Unit tests for src/core/config.c: masking secrets in logged URLs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

static void check_mask(const char *url, const char *want)
{
	char *got = sr_config_mask_url(url);

	assert_string_equal(got, want);
	free(got);
}

static void test_userinfo_password_is_masked(void **state)
{
	check_mask("postgres://u:s3cret@db:5432/registry", "postgres://u:****@db:5432/registry");
	check_mask("postgresql://u:p%40ss@db/r", "postgresql://u:****@db/r");
	/* the last '@' of the authority ends the userinfo */
	check_mask("postgres://u:a@b@db/r", "postgres://u:****@db/r");
}

static void test_password_parameters_are_masked(void **state)
{
	check_mask("postgres://db/r?user=u&password=x2&sslmode=require",
		   "postgres://db/r?user=u&password=****&sslmode=require");
	check_mask("postgres://u:p@db/r?PASSWORD=x", "postgres://u:****@db/r?PASSWORD=****");
	check_mask("postgres://db/r?sslpassword=k", "postgres://db/r?sslpassword=****");
	/* a parameter that only ends in "password" is not one */
	check_mask("postgres://db/r?xpassword=1", "postgres://db/r?xpassword=1");
}

static void test_urls_without_secrets_are_unchanged(void **state)
{
	check_mask("sqlite:./data/registry.db", "sqlite:./data/registry.db");
	check_mask("sqlite:///var/lib/r.db", "sqlite:///var/lib/r.db");
	check_mask("postgres://u@db/r", "postgres://u@db/r");
	check_mask("postgres://db:5432/r", "postgres://db:5432/r");
	check_mask("mem:", "mem:");
	check_mask("", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_userinfo_password_is_masked),
		cmocka_unit_test(test_password_parameters_are_masked),
		cmocka_unit_test(test_urls_without_secrets_are_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

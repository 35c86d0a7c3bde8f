/* Unit tests for src/core/map.c, src/core/hash.c and src/core/arena.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/hash.h"
#include "core/map.h"

static void test_map_put_get_remove(void **state)
{
	sr_map m = SR_MAP_INIT;
	sr_arena *a = sr_arena_new(0);
	char *keys[1000];
	int i;

	for (i = 0; i < 1000; i++) {
		keys[i] = sr_arena_printf(a, "subject-%d", i);
		assert_null(sr_map_put(&m, keys[i], strlen(keys[i]), keys[i]));
	}
	assert_int_equal(m.count, 1000);
	for (i = 0; i < 1000; i += 2)
		assert_ptr_equal(sr_map_remove(&m, keys[i], strlen(keys[i])), keys[i]);
	for (i = 0; i < 1000; i++) {
		void *v = sr_map_get(&m, keys[i], strlen(keys[i]));
		if (i % 2)
			assert_ptr_equal(v, keys[i]);
		else
			assert_null(v);
	}
	/* Re-inserting after removal reuses the key. */
	assert_null(sr_map_put(&m, keys[0], strlen(keys[0]), keys[1]));
	assert_ptr_equal(sr_map_get(&m, "subject-0", 9), keys[1]);
	sr_map_dispose(&m);
	sr_arena_free(a);
}

static void test_map_iterate(void **state)
{
	sr_map m = SR_MAP_INIT;
	sr_map_entry *e;
	size_t pos = 0, n = 0;

	sr_map_put(&m, "a", 1, (void *)1);
	sr_map_put(&m, "b", 1, (void *)2);
	while (sr_map_next(&m, &pos, &e))
		n++;
	assert_int_equal(n, 2);
	sr_map_dispose(&m);
}

static void test_crc64_avro_and_md5(void **state)
{
	unsigned char d[16];
	char uuid[37];

	/* CRC-64-AVRO of "\"null\"" (Avro schema-tests.txt case 000). */
	assert_true((int64_t)sr_crc64_avro("\"null\"", 6) == 7195948357588979594LL);
	sr_md5_digest(d, "", 0);
	sr_uuid_format(uuid, d);
	assert_string_equal(uuid, "d41d8cd9-8f00-b204-e980-0998ecf8427e");
}

static void count_cleanup(void *p)
{
	(*(int *)p)++;
}

static void test_arena_large_and_cleanup(void **state)
{
	sr_arena *a = sr_arena_new(64);
	int hits = 0;
	char *big = sr_arena_alloc(a, 100000);
	char *small = sr_arena_strdup(a, "kept");

	memset(big, 'x', 100000);
	sr_arena_cleanup_add(a, count_cleanup, &hits);
	sr_arena_cleanup_add(a, count_cleanup, &hits);
	assert_string_equal(small, "kept");
	assert_true(sr_arena_used(a) >= 100000);
	assert_int_equal((uintptr_t)big % 16, 0);
	sr_arena_free(a);
	assert_int_equal(hits, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_put_get_remove),
		cmocka_unit_test(test_map_iterate),
		cmocka_unit_test(test_crc64_avro_and_md5),
		cmocka_unit_test(test_arena_large_and_cleanup),
	};
	return cmocka_run_group_tests_name("core/map", tests, NULL, NULL);
}

/* Unit tests for src/core/arena.c: growing arena arrays. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>

#include "core/arena.h"

static void test_grow_doubles_from_first_and_keeps_contents(void **state)
{
	sr_arena *a = sr_arena_new(0);
	int64_t *items = NULL, *before;
	size_t n, cap = 0;

	for (n = 0; n < 100; n++) {
		before = items;
		items = sr_arena_grow(a, items, n, &cap, sizeof(*items), 4);
		/* Only a full array moves; the capacity goes 4, 8, 16, ... */
		assert_true(n < cap);
		if (n && n != 4 && n != 8 && n != 16 && n != 32 && n != 64)
			assert_ptr_equal(items, before);
		items[n] = (int64_t)n * 7;
	}
	assert_int_equal(cap, 128);
	for (n = 0; n < 100; n++)
		assert_int_equal(items[n], (int64_t)n * 7);
	sr_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_doubles_from_first_and_keeps_contents),
	};

	return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}

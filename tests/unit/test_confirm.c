/* vrrpd/ctl/confirm.c: the deadline of a confirmed commit, with the clock
 * injected (RFC 6241 8.4: a follow-up confirmed commit moves the deadline
 * but the rollback still goes back to before the first one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "confirm.h"

#define S 1000000ull

static void test_deadline(void **state)
{
	struct confirm c = { 0 };
	json_object *before = json_object_new_string("before");

	(void)state;
	assert_false(confirm_due(&c, 0));
	assert_int_equal(confirm_left_s(&c, 0), 0);
	confirm_arm(&c, 100 * S, 15 * S, before, 7);
	assert_true(c.pending);
	assert_int_equal(c.commit_no, 7);
	assert_false(confirm_due(&c, 114 * S));
	assert_int_equal(confirm_left_s(&c, 114 * S), 1);
	assert_int_equal(confirm_left_s(&c, 100 * S + 1), 15);
	assert_true(confirm_due(&c, 115 * S));
	confirm_clear(&c);
	assert_false(c.pending);
	assert_false(confirm_due(&c, 200 * S));
	assert_null(c.restore);
	json_object_put(before);
}

static void test_extend_keeps_restore(void **state)
{
	struct confirm c = { 0 };
	json_object *first = json_object_new_string("first");
	json_object *second = json_object_new_string("second");

	(void)state;
	confirm_arm(&c, 0, 60 * S, first, 1);
	/* A second confirmed commit at 50 s: deadline 50 + 60. */
	confirm_arm(&c, 50 * S, 60 * S, second, 2);
	assert_false(confirm_due(&c, 60 * S));
	assert_false(confirm_due(&c, 109 * S));
	assert_true(confirm_due(&c, 110 * S));
	assert_string_equal(json_object_get_string(c.restore), "first");
	assert_int_equal(c.commit_no, 2);
	/* A shorter extension also moves it (the newest deadline counts). */
	confirm_arm(&c, 60 * S, 5 * S, second, 3);
	assert_true(confirm_due(&c, 65 * S));
	confirm_clear(&c);
	json_object_put(first);
	json_object_put(second);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_extend_keeps_restore),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* Unit tests for lib/topo/cpuset: the CPU bitmap, its list format and parser. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "topo/cpuset.h"

static void set_range(struct cpuset *s, unsigned first, unsigned last)
{
	for (unsigned cpu = first; cpu <= last; cpu++)
		cpuset__set(s, cpu);
}

static void assert_list(const struct cpuset *s, const char *expected)
{
	char buf[1024];

	cpuset__format(s, buf, sizeof(buf));
	assert_string_equal(buf, expected);
}

static void test_set_clear_test(void **state)
{
	struct cpuset s;

	(void)state;
	cpuset__zero(&s);
	assert_true(cpuset__empty(&s));
	assert_int_equal(cpuset__count(&s), 0);
	cpuset__set(&s, 0);
	cpuset__set(&s, 63);
	cpuset__set(&s, 64);
	cpuset__set(&s, 255);
	assert_true(cpuset__test(&s, 0));
	assert_true(cpuset__test(&s, 63));
	assert_true(cpuset__test(&s, 64));
	assert_true(cpuset__test(&s, 255));
	assert_false(cpuset__test(&s, 1));
	assert_false(cpuset__test(&s, 62));
	assert_false(cpuset__test(&s, 65));
	assert_int_equal(cpuset__count(&s), 4);
	assert_false(cpuset__empty(&s));

	cpuset__clear(&s, 63);
	assert_false(cpuset__test(&s, 63));
	assert_true(cpuset__test(&s, 64));
	assert_int_equal(cpuset__count(&s), 3);
	cpuset__clear(&s, 63);	/* clearing twice is harmless */
	assert_int_equal(cpuset__count(&s), 3);
}

static void test_out_of_range_ignored(void **state)
{
	struct cpuset s, before;

	(void)state;
	cpuset__zero(&s);
	cpuset__set(&s, 256);
	cpuset__set(&s, 1000);
	cpuset__set(&s, ~0u);
	assert_true(cpuset__empty(&s));
	assert_false(cpuset__test(&s, 256));
	assert_false(cpuset__test(&s, ~0u));

	set_range(&s, 0, 255);
	before = s;
	cpuset__clear(&s, 256);
	cpuset__clear(&s, ~0u);
	assert_true(cpuset__equal(&s, &before));
	assert_int_equal(cpuset__count(&s), 256);
}

static void test_equal_subset(void **state)
{
	struct cpuset a, b, empty;

	(void)state;
	cpuset__zero(&a);
	cpuset__zero(&b);
	cpuset__zero(&empty);
	set_range(&a, 0, 7);
	set_range(&b, 2, 5);
	assert_false(cpuset__equal(&a, &b));
	assert_true(cpuset__subset(&b, &a));
	assert_false(cpuset__subset(&a, &b));
	assert_true(cpuset__subset(&a, &a));
	assert_true(cpuset__subset(&empty, &a));
	assert_true(cpuset__subset(&empty, &empty));
	assert_false(cpuset__subset(&a, &empty));

	cpuset__set(&b, 200);
	assert_false(cpuset__subset(&b, &a));
	set_range(&b, 0, 7);
	cpuset__clear(&b, 200);
	assert_true(cpuset__equal(&a, &b));
}

static void test_and_or_andnot(void **state)
{
	struct cpuset a, b, r;

	(void)state;
	cpuset__zero(&a);
	cpuset__zero(&b);
	set_range(&a, 0, 7);
	set_range(&b, 4, 11);
	cpuset__set(&b, 130);

	cpuset__and(&r, &a, &b);
	assert_list(&r, "4-7");
	cpuset__or(&r, &a, &b);
	assert_list(&r, "0-11,130");
	cpuset__andnot(&r, &a, &b);
	assert_list(&r, "0-3");
	cpuset__andnot(&r, &b, &a);
	assert_list(&r, "8-11,130");

	/* The destination may be one of the operands. */
	r = a;
	cpuset__and(&r, &r, &b);
	assert_list(&r, "4-7");
	r = a;
	cpuset__or(&r, &b, &r);
	assert_list(&r, "0-11,130");
	r = a;
	cpuset__andnot(&r, &r, &b);
	assert_list(&r, "0-3");
}

static void test_to_array(void **state)
{
	struct cpuset s;
	unsigned out[8];

	(void)state;
	cpuset__zero(&s);
	assert_int_equal(cpuset__to_array(&s, out, 8), 0);
	cpuset__set(&s, 9);
	cpuset__set(&s, 2);
	cpuset__set(&s, 255);
	cpuset__set(&s, 64);
	assert_int_equal(cpuset__to_array(&s, out, 8), 4);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 9);
	assert_int_equal(out[2], 64);
	assert_int_equal(out[3], 255);

	/* Stops at max, lowest CPUs first. */
	memset(out, 0xff, sizeof(out));
	assert_int_equal(cpuset__to_array(&s, out, 2), 2);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 9);
	assert_int_equal(out[2], ~0u);
	assert_int_equal(cpuset__to_array(&s, out, 0), 0);
}

static void test_last(void **state)
{
	struct cpuset s;

	(void)state;
	cpuset__zero(&s);
	assert_int_equal(cpuset__last(&s), -1);
	cpuset__set(&s, 0);
	assert_int_equal(cpuset__last(&s), 0);
	cpuset__set(&s, 63);
	assert_int_equal(cpuset__last(&s), 63);
	cpuset__set(&s, 64);
	assert_int_equal(cpuset__last(&s), 64);
	cpuset__set(&s, 191);
	assert_int_equal(cpuset__last(&s), 191);
	cpuset__set(&s, 255);
	assert_int_equal(cpuset__last(&s), 255);
	cpuset__clear(&s, 255);
	assert_int_equal(cpuset__last(&s), 191);
}

static void test_format_ranges(void **state)
{
	struct cpuset s;

	(void)state;
	cpuset__zero(&s);
	assert_list(&s, "");
	set_range(&s, 0, 3);
	cpuset__set(&s, 5);
	set_range(&s, 7, 9);
	assert_list(&s, "0-3,5,7-9");

	cpuset__zero(&s);
	cpuset__set(&s, 5);
	assert_list(&s, "5");
	cpuset__set(&s, 6);
	assert_list(&s, "5-6");
	cpuset__set(&s, 8);
	assert_list(&s, "5-6,8");

	cpuset__zero(&s);
	set_range(&s, 0, 255);
	assert_list(&s, "0-255");
	cpuset__clear(&s, 128);
	assert_list(&s, "0-127,129-255");

	cpuset__zero(&s);
	for (unsigned cpu = 0; cpu < 10; cpu += 2)
		cpuset__set(&s, cpu);
	cpuset__set(&s, 255);
	assert_list(&s, "0,2,4,6,8,255");
}

static void test_format_truncation(void **state)
{
	struct cpuset s;
	char buf[16];

	(void)state;
	cpuset__zero(&s);
	set_range(&s, 0, 3);
	cpuset__set(&s, 5);
	set_range(&s, 7, 9);

	/* Returns the full length, like snprintf, and always terminates. */
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(cpuset__format(&s, buf, 5), 9);
	assert_string_equal(buf, "0-3,");
	assert_int_equal(buf[5], 'x');
	assert_int_equal(cpuset__format(&s, buf, 1), 9);
	assert_string_equal(buf, "");
	assert_int_equal(cpuset__format(&s, buf, 9), 9);
	assert_string_equal(buf, "0-3,5,7-");
	assert_int_equal(cpuset__format(&s, buf, 10), 9);
	assert_string_equal(buf, "0-3,5,7-9");
	assert_int_equal(cpuset__format(&s, NULL, 0), 9);

	cpuset__zero(&s);
	assert_int_equal(cpuset__format(&s, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void test_parse_ok(void **state)
{
	struct cpuset s, want;
	char err[128] = "";

	(void)state;
	assert_int_equal(cpuset__parse("0-3,6", &s, err, sizeof(err)), 0);
	cpuset__zero(&want);
	set_range(&want, 0, 3);
	cpuset__set(&want, 6);
	assert_true(cpuset__equal(&s, &want));
	assert_int_equal(cpuset__count(&s), 5);

	/* Whitespace around items. */
	assert_int_equal(cpuset__parse("  0-3 ,\t6\n", &s, err, sizeof(err)), 0);
	assert_true(cpuset__equal(&s, &want));

	/* Single CPUs, one-CPU ranges, overlaps, the largest CPU. */
	assert_int_equal(cpuset__parse("7", &s, err, sizeof(err)), 0);
	assert_list(&s, "7");
	assert_int_equal(cpuset__parse("4-4", &s, err, sizeof(err)), 0);
	assert_list(&s, "4");
	assert_int_equal(cpuset__parse("0-5,3-8,2", &s, err, sizeof(err)), 0);
	assert_list(&s, "0-8");
	assert_int_equal(cpuset__parse("255", &s, err, sizeof(err)), 0);
	assert_list(&s, "255");
	assert_int_equal(cpuset__parse("0-255", &s, err, sizeof(err)), 0);
	assert_int_equal(cpuset__count(&s), 256);
	assert_int_equal(cpuset__parse("010", &s, err, sizeof(err)), 0);
	assert_list(&s, "10");

	/* NULL or zero-sized message buffers are fine. */
	assert_int_equal(cpuset__parse("1,2", &s, NULL, 0), 0);
	assert_list(&s, "1-2");
}

static void test_parse_roundtrip(void **state)
{
	static const char *const lists[] = {
		"0", "0-3,5,7-9", "1,3,5,7", "0-251", "100-199,250-255", "63-64,127-128",
	};
	char buf[1024], err[128];
	struct cpuset s;

	(void)state;
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		assert_int_equal(cpuset__parse(lists[i], &s, err, sizeof(err)), 0);
		cpuset__format(&s, buf, sizeof(buf));
		assert_string_equal(buf, lists[i]);
	}
}

/* Parse must fail with -EINVAL, the exact message, and leave @out alone. */
static void expect_parse_error(const char *str, const char *msg)
{
	struct cpuset s, sentinel;
	char err[256] = "";

	cpuset__zero(&sentinel);
	cpuset__set(&sentinel, 42);
	s = sentinel;
	assert_int_equal(cpuset__parse(str, &s, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, msg);
	assert_true(cpuset__equal(&s, &sentinel));
	/* Without a message buffer the result is the same. */
	assert_int_equal(cpuset__parse(str, &s, NULL, 0), -EINVAL);
	assert_int_equal(cpuset__parse(str, &s, err, 0), -EINVAL);
}

static void test_parse_reversed(void **state)
{
	(void)state;
	expect_parse_error("9-3", "'9-3' is a reversed range");
	expect_parse_error("0-1, 9-3 ,5", "'9-3' is a reversed range");
	expect_parse_error("1-0", "'1-0' is a reversed range");
}

static void test_parse_out_of_range(void **state)
{
	(void)state;
	expect_parse_error("300", "CPU 300 is out of range");
	expect_parse_error("256", "CPU 256 is out of range");
	expect_parse_error("0-300", "CPU 300 is out of range");
	expect_parse_error("1,2,999-1000", "CPU 999 is out of range");
	expect_parse_error("99999999999999999999", "CPU 99999999999999999999 is out of range");
}

static void test_parse_garbage(void **state)
{
	(void)state;
	expect_parse_error("abc", "'abc' is not a CPU number or range (expected e.g. 0-3,6)");
	expect_parse_error("0-3,x", "'x' is not a CPU number or range (expected e.g. 0-3,6)");
	expect_parse_error("-1", "'-1' is not a CPU number or range (expected e.g. 0-3,6)");
	expect_parse_error("+1", "'+1' is not a CPU number or range (expected e.g. 0-3,6)");
	expect_parse_error("1-", "'1-' is not a CPU number or range (expected e.g. 0-3,6)");
	expect_parse_error("1 2", "'1 2' is not a CPU number or range (expected e.g. 0-3,6)");
	expect_parse_error("1 - 2", "'1 - 2' is not a CPU number or range (expected e.g. 0-3,6)");
	expect_parse_error("1-2-3", "'1-2-3' is not a CPU number or range (expected e.g. 0-3,6)");
	expect_parse_error("0x10", "'0x10' is not a CPU number or range (expected e.g. 0-3,6)");
	expect_parse_error("1;2", "'1;2' is not a CPU number or range (expected e.g. 0-3,6)");
}

static void test_parse_empty_items(void **state)
{
	(void)state;
	expect_parse_error("", "empty CPU list (expected e.g. 0-3,6)");
	expect_parse_error("   ", "empty CPU list (expected e.g. 0-3,6)");
	expect_parse_error("0,,3", "empty item in CPU list '0,,3' (expected e.g. 0-3,6)");
	expect_parse_error("0-3,", "empty item in CPU list '0-3,' (expected e.g. 0-3,6)");
	expect_parse_error(",1", "empty item in CPU list ',1' (expected e.g. 0-3,6)");
	expect_parse_error("1, ,2", "empty item in CPU list '1, ,2' (expected e.g. 0-3,6)");
	expect_parse_error(NULL, "missing CPU list (expected e.g. 0-3,6)");
}

static void test_parse_error_truncated(void **state)
{
	struct cpuset s;
	char err[8];

	(void)state;
	assert_int_equal(cpuset__parse("9-3", &s, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "'9-3' i");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_clear_test),
		cmocka_unit_test(test_out_of_range_ignored),
		cmocka_unit_test(test_equal_subset),
		cmocka_unit_test(test_and_or_andnot),
		cmocka_unit_test(test_to_array),
		cmocka_unit_test(test_last),
		cmocka_unit_test(test_format_ranges),
		cmocka_unit_test(test_format_truncation),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_roundtrip),
		cmocka_unit_test(test_parse_reversed),
		cmocka_unit_test(test_parse_out_of_range),
		cmocka_unit_test(test_parse_garbage),
		cmocka_unit_test(test_parse_empty_items),
		cmocka_unit_test(test_parse_error_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The host's reader of the guest's COM2 lines (cmd/run/com2_lines.h): the
 * two lines it acts on, in any chunking, and an exit code that is not a whole
 * int (the guest is untrusted) ignored rather than truncated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "run/com2_lines.h"

static struct com2_lines feed(const char *s)
{
	struct com2_lines c = { 0 };

	com2_lines__feed(&c, s, strlen(s));
	return c;
}

static void test_started_and_exit(void **state)
{
	struct com2_lines c = { 0 };
	const char *s = "noise\r\nKTSTR_AGENT_STARTED\nKTSTR_EXIT=3\n";

	(void)state;
	/* One byte at a time gives the same as all at once. */
	for (size_t i = 0; i < strlen(s); i++)
		com2_lines__feed(&c, s + i, 1);
	assert_true(c.started);
	assert_true(c.exited);
	assert_int_equal(c.exit, 3);
	c = feed("KTSTR_EXIT=-1\n");
	assert_true(c.exited);
	assert_int_equal(c.exit, -1);
	/* The last exit line counts. */
	c = feed("KTSTR_EXIT=1\nKTSTR_EXIT=0\n");
	assert_int_equal(c.exit, 0);
	/* A line is only complete at its end. */
	c = feed("KTSTR_EXIT=4");
	assert_false(c.exited);
}

static void test_bad_exit_codes(void **state)
{
	static const char *const bad[] = {
		"KTSTR_EXIT=99999999999\n",	/* over INT_MAX: once truncated by sscanf */
		"KTSTR_EXIT=2147483648\n",
		"KTSTR_EXIT=-2147483649\n",
		"KTSTR_EXIT=\n",
		"KTSTR_EXIT=3x\n",
		"KTSTR_EXIT= 3 \n",
		"KTSTR_AGENT_STARTED_NOT\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct com2_lines c = feed(bad[i]);

		assert_false(c.exited);
		assert_false(c.started);
	}
	assert_int_equal(feed("KTSTR_EXIT=2147483647\n").exit, 2147483647);
	assert_int_equal(feed("KTSTR_EXIT=-2147483648\n").exit, -2147483647 - 1);
}

static void test_long_line(void **state)
{
	char big[1000];
	struct com2_lines c = { 0 };

	(void)state;
	memset(big, 'x', sizeof(big));
	com2_lines__feed(&c, big, sizeof(big));
	assert_true(c.len < sizeof(c.line));
	com2_lines__feed(&c, "\nKTSTR_AGENT_STARTED\n", 21);
	assert_true(c.started);
	assert_int_equal(c.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_started_and_exit),
		cmocka_unit_test(test_bad_exit_codes),
		cmocka_unit_test(test_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

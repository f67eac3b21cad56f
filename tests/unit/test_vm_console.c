// SPDX-License-Identifier: GPL-2.0
/* The console window of a failure report grows back to a crash report's start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vm/vm_console.h"

/* @before lines, then @mark, then @after lines; the last one unterminated when @partial. */
static void console(char *buf, size_t cap, int before, const char *mark, int after, int partial)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < before; i++)
		len += (size_t)snprintf(buf + len, cap - len, "[    1.%06d] boot line %d\n", i, i);
	if (mark)
		len += (size_t)snprintf(buf + len, cap - len, "[    2.000000] %s\n", mark);
	for (int i = 0; i < after; i++)
		len += (size_t)snprintf(buf + len, cap - len, "[    2.%06d]  frame_%d+0x10/0x20%s",
					i, i, partial && i == after - 1 ? "" : "\n");
}

static void test_no_crash_keeps_nlines(void **state)
{
	char buf[16384];

	(void)state;
	console(buf, sizeof(buf), 100, NULL, 0, 0);
	assert_int_equal(vm_console__crash_lines(buf, 30), 30);
	assert_int_equal(vm_console__crash_lines("", 40), 40);
}

static void test_panic_beyond_the_tail(void **state)
{
	char buf[16384];

	(void)state;
	/* The panic line, then 49 lines: 50 from it, plus one before. */
	console(buf, sizeof(buf), 10, "Kernel panic - not syncing: sysrq triggered crash", 49, 0);
	assert_int_equal(vm_console__crash_lines(buf, 30), 51);
	/* An unterminated last line (the reset cut it) is a line too. */
	console(buf, sizeof(buf), 10, "Kernel panic - not syncing: sysrq triggered crash", 49, 1);
	assert_int_equal(vm_console__crash_lines(buf, 30), 51);
}

static void test_panic_within_the_tail(void **state)
{
	char buf[16384];

	(void)state;
	console(buf, sizeof(buf), 50, "Kernel panic - not syncing: Attempted to kill init!", 5, 0);
	assert_int_equal(vm_console__crash_lines(buf, 30), 30);
}

/* An oops that ends in a panic is shown from the oops, not the panic. */
static void test_oops_before_panic(void **state)
{
	char buf[16384];
	size_t len;

	(void)state;
	console(buf, sizeof(buf), 3, "BUG: kernel NULL pointer dereference, address: 0000000000000008", 40, 0);
	len = strlen(buf);
	snprintf(buf + len, sizeof(buf) - len,
		 "[    3.000000] Kernel panic - not syncing: Fatal exception\n[    3.1] more\n");
	/* BUG line + 40 frames + panic + 1 + the line before the BUG. */
	assert_int_equal(vm_console__crash_lines(buf, 30), 44);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_crash_keeps_nlines),
		cmocka_unit_test(test_panic_beyond_the_tail),
		cmocka_unit_test(test_panic_within_the_tail),
		cmocka_unit_test(test_oops_before_panic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

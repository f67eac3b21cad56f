// SPDX-License-Identifier: GPL-2.0
/*
 * How far the guest's kernel got (cmd/run/boot_progress.h): milestones and
 * the last timestamp from console bytes in any chunking, a line cut short,
 * hostile bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "run/boot_progress.h"

static const char boot_log[] =
	"SeaBIOS noise\r\n"
	"[    0.000000] Linux version 6.12.118 (root@h) #1 SMP\n"
	"[    0.210000] smp: Bringing up secondary CPUs ...\n"
	"[    0.912345] smp: Brought up 1 node, 6 CPUs\n"
	"[    4.812999] Serial: 8250/16550 driver, 4 ports, IRQ sharing enabled\n";

static void feed_str(struct boot_progress *b, const char *s)
{
	boot_progress__feed(b, s, strlen(s));
}

static void format(const struct boot_progress *b, char *buf, size_t len)
{
	assert_true(boot_progress__format(b, buf, len) > 0);
}

static void test_nothing(void **state)
{
	struct boot_progress b;
	char line[256];

	(void)state;
	boot_progress__init(&b, false);
	format(&b, line, sizeof(line));
	assert_non_null(strstr(line, "nothing on the console"));
}

static void test_stops_after_cpus(void **state)
{
	struct boot_progress b;
	char line[256];

	(void)state;
	/* One byte at a time: the chunking must not matter. */
	boot_progress__init(&b, false);
	for (size_t i = 0; i < strlen(boot_log); i++)
		boot_progress__feed(&b, boot_log + i, 1);
	assert_int_equal(b.reached, BOOT_CPUS);
	assert_int_equal(b.last_ts_us, 4812999);
	format(&b, line, sizeof(line));
	assert_string_equal(line, "its CPUs are up (smp: Brought up 1 node, 6 CPUs); "
			    "its log stops at 4.812 s guest time");
}

static void test_init_and_unfinished_line(void **state)
{
	static const char more[] =
		"[   16.700000] Freeing unused kernel image (initmem) memory: 2048K\n"
		"[   16.800000] Run /init as init process\n"
		"[   17.000001] partial line with no newline";
	struct boot_progress b;
	char line[256];

	(void)state;
	boot_progress__init(&b, false);
	boot_progress__feed(&b, boot_log, strlen(boot_log));
	boot_progress__feed(&b, more, strlen(more));
	format(&b, line, sizeof(line));
	/* The unfinished last line's timestamp counts. */
	assert_string_equal(line, "init started (Run /init as init process); "
			    "its log stops at 17.000 s guest time");
	/* Milestones never go back. */
	feed_str(&b, "\n[   18.000000] Linux version again\n");
	assert_int_equal(b.reached, BOOT_INIT);
}

static void test_no_banner_and_hostile(void **state)
{
	struct boot_progress b;
	char big[5000], line[512];

	(void)state;
	boot_progress__init(&b, false);
	/* An overlong line with NULs and control bytes, then a bad timestamp. */
	memset(big, 0, sizeof(big));
	big[100] = '\x1b';
	boot_progress__feed(&b, big, sizeof(big));
	feed_str(&b, "\n[ 99999999999999.1] x\n[ 1.2345678] y\n[1.0] z\n");
	assert_int_equal(b.reached, BOOT_OUTPUT);
	assert_false(b.has_ts);
	format(&b, line, sizeof(line));
	assert_string_equal(line, "console output but no kernel banner");
	/* A milestone in a line cut at BOOT_PROGRESS_LINE is still found if it starts early. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "Linux version ", 14);
	boot_progress__feed(&b, big, sizeof(big));
	boot_progress__feed(&b, "\n", 1);
	assert_int_equal(b.reached, BOOT_KERNEL);
	assert_true(strlen(b.milestone_line) < BOOT_PROGRESS_LINE);
}

static void test_quiet(void **state)
{
	struct boot_progress b;
	char line[256];

	(void)state;
	boot_progress__init(&b, true);
	format(&b, line, sizeof(line));
	assert_string_equal(line, "nothing on the console; the boot was quiet (loglevel=1): "
			    "run with -v to see how far it got");
	feed_str(&b, "[    1.935401] Kernel Offset: disabled\n");
	format(&b, line, sizeof(line));
	assert_string_equal(line, "no milestone on the console; its log stops at 1.935 s guest "
			    "time; the boot was quiet (loglevel=1): run with -v to see how far it got");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing),
		cmocka_unit_test(test_stops_after_cpus),
		cmocka_unit_test(test_init_and_unfinished_line),
		cmocka_unit_test(test_no_banner_and_hostile),
		cmocka_unit_test(test_quiet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

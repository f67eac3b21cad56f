// SPDX-License-Identifier: GPL-2.0
/* The agent's /proc parsers for the NUMA checks: numa_maps, vmstat, schedstat. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/work_int.h"

static FILE *text(const char *s)
{
	FILE *f = fmemopen((void *)s, strlen(s), "r");

	assert_non_null(f);
	return f;
}

static void test_numa_maps(void **state)
{
	static const char maps[] =
		"00400000 default file=/init mapped=10 N0=10 kernelpagesize_kB=4\n"
		"7f0000000000 bind:1 anon=300 dirty=300 N0=100 N1=200 kernelpagesize_kB=4\n"
		"7f1000000000 default file=/dev/hugepages/x huge dirty=2 N1=2 kernelpagesize_kB=2048\n"
		"7f2000000000 default file=/weird/N3=7/path\n"
		"7f3000000000 default anon=1 N99=5 Nx=3 N2=junk N2=4 kernelpagesize_kB=4\n"
		"7ffd0000 default stack anon=3 dirty=3 N0=3 kernelpagesize_kB=4\n";
	uint64_t pages[KTSTR_REPORT_MAX_NODES];
	FILE *f = text(maps);

	(void)state;
	work_report__parse_numa_maps(f, 4, pages);
	fclose(f);
	assert_int_equal(pages[0], 113);
	assert_int_equal(pages[1], 200 + 2 * 512);	/* huge pages counted as base pages */
	assert_int_equal(pages[2], 4);			/* "N2=junk" adds nothing */
	assert_int_equal(pages[3], 0);			/* inside a path token: not a field */
	for (unsigned n = 4; n < KTSTR_REPORT_MAX_NODES; n++)
		assert_int_equal(pages[n], 0);

	work_report__parse_numa_maps(NULL, 4, pages);	/* no numa_maps: all zero */
	assert_int_equal(pages[0], 0);
}

/* The worker's own reader on this host, where the kernel has NUMA. */
static void test_numa_maps_live(void **state)
{
	uint64_t pages[KTSTR_REPORT_MAX_NODES], total = 0;

	(void)state;
	if (access("/proc/self/numa_maps", R_OK)) {
		skip();	/* kernel without CONFIG_NUMA/PROC_PAGE_MONITOR */
		return;
	}
	work_report__numa_maps(pages);
	for (unsigned n = 0; n < KTSTR_REPORT_MAX_NODES; n++)
		total += pages[n];
	assert_true(total > 0);	/* this process has pages somewhere */
}

static void test_vmstat(void **state)
{
	static const char vmstat[] =
		"nr_free_pages 1000\n"
		"numa_pages_migrated_extra 9\n"
		"bogus\n"
		"numa_pages_migrated 42\n"
		"pgmigrate_success 7\n";
	FILE *f = text(vmstat);

	(void)state;
	assert_int_equal(work_report__parse_vmstat(f, "numa_pages_migrated"), 42);
	fclose(f);
	f = text(vmstat);
	assert_int_equal(work_report__parse_vmstat(f, "numa_hint_faults"), 0);	/* absent */
	fclose(f);
	assert_int_equal(work_report__parse_vmstat(NULL, "numa_pages_migrated"), 0);
}

static void test_schedstat(void **state)
{
	uint64_t s[3];
	FILE *f = text("123456 7890 12\n");

	(void)state;
	work_report__parse_schedstat(f, s);
	fclose(f);
	assert_int_equal(s[0], 123456);
	assert_int_equal(s[1], 7890);
	assert_int_equal(s[2], 12);
	f = text("garbage\n");
	work_report__parse_schedstat(f, s);
	fclose(f);
	assert_int_equal(s[0] + s[1] + s[2], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numa_maps),
		cmocka_unit_test(test_numa_maps_live),
		cmocka_unit_test(test_vmstat),
		cmocka_unit_test(test_schedstat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

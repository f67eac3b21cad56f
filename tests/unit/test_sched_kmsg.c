// SPDX-License-Identifier: GPL-2.0
/*
 * The guest agent's reading of the kernel log (initramfs/agent/sched_kernel.c):
 * the sched_ext lines of kernel/sched/ext.c (6.12) give the exit reason and
 * message; the error's stack follows; unrelated lines are dropped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "agent/sched_kernel.h"

static void test_stall(void **state)
{
	struct sched_kmsg k = { .fd = -1 };

	(void)state;
	sched_kmsg__line(&k, "sched_ext: \"ktstr\" does not implement cgroup cpu.weight", false);
	sched_kmsg__line(&k, "sched_ext: BPF scheduler \"ktstr\" enabled", false);
	sched_kmsg__line(&k, "random: crng init done", false);
	assert_string_equal(k.reason, "");
	assert_false(sched_kmsg__kernel_exit(&k));
	sched_kmsg__line(&k, "sched_ext: BPF scheduler \"ktstr\" disabled (runnable task stall)",
			 true);
	sched_kmsg__line(&k, "sched_ext: ktstr: kworker/0:1[10] failed to run for 2.345s", true);
	sched_kmsg__line(&k, "   scx_tick+0x85/0x90", true);
	sched_kmsg__line(&k, "init (60) used greatest stack depth: 14176 bytes left", false);
	assert_string_equal(k.ops, "ktstr");
	assert_string_equal(k.reason, "runnable task stall");
	assert_true(sched_kmsg__kernel_exit(&k));
	assert_string_equal(k.message, "kworker/0:1[10] failed to run for 2.345s");
	assert_string_equal(k.lines,
			    "sched_ext: \"ktstr\" does not implement cgroup cpu.weight\n"
			    "sched_ext: BPF scheduler \"ktstr\" enabled\n"
			    "sched_ext: BPF scheduler \"ktstr\" disabled (runnable task stall)\n"
			    "sched_ext: ktstr: kworker/0:1[10] failed to run for 2.345s\n"
			    "   scx_tick+0x85/0x90\n");
}

static void test_bpf_error_and_unreg(void **state)
{
	struct sched_kmsg k = { .fd = -1 };

	(void)state;
	/* scx_bpf_error's text may itself start with the ops name */
	sched_kmsg__line(&k, "sched_ext: BPF scheduler \"ktstr\" disabled (scx_bpf_error)", true);
	sched_kmsg__line(&k, "sched_ext: ktstr: ktstr: injected crash", true);
	assert_string_equal(k.reason, "scx_bpf_error");
	assert_string_equal(k.message, "ktstr: injected crash");

	/* An orderly exit is pr_info, without a message or a stack */
	memset(&k, 0, sizeof(k));
	sched_kmsg__line(&k, "sched_ext: BPF scheduler \"simple\" disabled (unregistered from "
			     "user space)", false);
	sched_kmsg__line(&k, "   not_a_stack+0x1/0x2", false);
	assert_string_equal(k.reason, "unregistered from user space");
	assert_false(sched_kmsg__kernel_exit(&k));	/* its process went: it died */
	assert_string_equal(k.message, "");
	assert_null(strstr(k.lines, "not_a_stack"));
}

static void test_bounded(void **state)
{
	struct sched_kmsg k = { .fd = -1 };
	char line[300];

	(void)state;
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	memcpy(line, "sched_ext", 9);
	for (int i = 0; i < 100; i++)
		sched_kmsg__line(&k, line, false);
	assert_true(k.len < sizeof(k.lines));
	assert_int_equal(strlen(k.lines), k.len);
	/* A malformed disable line: no closing quote, no reason */
	memset(&k, 0, sizeof(k));
	sched_kmsg__line(&k, "sched_ext: BPF scheduler \"ktstr disabled (x", true);
	assert_string_equal(k.reason, "");
	assert_string_equal(k.ops, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stall),
		cmocka_unit_test(test_bpf_error_and_unreg),
		cmocka_unit_test(test_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

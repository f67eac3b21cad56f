// SPDX-License-Identifier: GPL-2.0
/*
 * TCG's threads (cmd/run/run_opts.h): --tcg-threads auto is multi only for a
 * kernel known to patch no static keys; what the user asks wins; the words
 * --tcg-threads takes; the report's backend line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "run/run_opts.h"

static void test_pick(void **state)
{
	static const int keys[] = { 1, 0, -ENOENT, -EINVAL, -EIO };

	(void)state;
	/* auto: multi only when the kernel is known to patch no static keys */
	assert_int_equal(tcg_threads__pick(VM_TCG_AUTO, 0), VM_TCG_MULTI);
	assert_int_equal(tcg_threads__pick(VM_TCG_AUTO, 1), VM_TCG_SINGLE);
	assert_int_equal(tcg_threads__pick(VM_TCG_AUTO, -ENOENT), VM_TCG_SINGLE);
	assert_int_equal(tcg_threads__pick(VM_TCG_AUTO, -EINVAL), VM_TCG_SINGLE);
	/* what the user asks for, whatever the kernel */
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		assert_int_equal(tcg_threads__pick(VM_TCG_SINGLE, keys[i]), VM_TCG_SINGLE);
		assert_int_equal(tcg_threads__pick(VM_TCG_MULTI, keys[i]), VM_TCG_MULTI);
		assert_int_not_equal(tcg_threads__pick(VM_TCG_AUTO, keys[i]), VM_TCG_AUTO);
	}
}

static void test_why(void **state)
{
	(void)state;
	assert_string_equal(tcg_threads__why(VM_TCG_AUTO, 0), "the kernel patches no static keys");
	assert_string_equal(tcg_threads__why(VM_TCG_AUTO, 1),
			    "the kernel patches static keys: CONFIG_JUMP_LABEL");
	assert_string_equal(tcg_threads__why(VM_TCG_AUTO, -ENOENT),
			    "no vmlinux to tell whether the kernel patches static keys");
	assert_non_null(strstr(tcg_threads__why(VM_TCG_AUTO, -EINVAL), "symbol table"));
	assert_string_equal(tcg_threads__why(VM_TCG_SINGLE, 0), "--tcg-threads single");
	assert_string_equal(tcg_threads__why(VM_TCG_MULTI, 1), "--tcg-threads multi");
}

static void test_parse(void **state)
{
	static const char *const words[] = { "single", "multi", "auto" };
	enum vm_tcg_threads t = VM_TCG_AUTO;

	(void)state;
	assert_int_equal(tcg_threads__parse("single", &t), 0);
	assert_int_equal(t, VM_TCG_SINGLE);
	assert_int_equal(tcg_threads__parse("multi", &t), 0);
	assert_int_equal(t, VM_TCG_MULTI);
	assert_int_equal(tcg_threads__parse("auto", &t), 0);
	assert_int_equal(t, VM_TCG_AUTO);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		assert_int_equal(tcg_threads__parse(words[i], &t), 0);
		assert_string_equal(tcg_threads__name(t), words[i]);
	}
	t = VM_TCG_MULTI;
	assert_int_equal(tcg_threads__parse("", &t), -1);
	assert_int_equal(tcg_threads__parse("Multi", &t), -1);
	assert_int_equal(tcg_threads__parse("multi ", &t), -1);
	assert_int_equal(tcg_threads__parse("1", &t), -1);
	assert_int_equal(t, VM_TCG_MULTI);	/* untouched on a bad word */
}

static void test_run_opts(void **state)
{
	struct run_opts o = { .backend = VM_BACKEND_QEMU, .accel = VM_ACCEL_TCG,
			      .tcg_threads = VM_TCG_AUTO, .kernel_static_keys = 0,
			      .work_type = -1 };
	char buf[160];

	(void)state;
	assert_int_equal(run_opts__tcg_threads(&o), VM_TCG_MULTI);
	run_opts__describe_vm(&o, buf, sizeof(buf));
	assert_string_equal(buf, "qemu with multi-threaded TCG (the kernel patches no static keys)");
	o.kernel_static_keys = 1;
	assert_int_equal(run_opts__tcg_threads(&o), VM_TCG_SINGLE);
	run_opts__describe_vm(&o, buf, sizeof(buf));
	assert_string_equal(buf, "qemu with single-threaded TCG (the kernel patches static keys: "
			    "CONFIG_JUMP_LABEL)");
	o.tcg_threads = VM_TCG_MULTI;
	run_opts__describe_vm(&o, buf, sizeof(buf));
	assert_string_equal(buf, "qemu with multi-threaded TCG (--tcg-threads multi)");
	o.kernel_static_keys = 0;
	o.tcg_threads = VM_TCG_SINGLE;
	run_opts__describe_vm(&o, buf, sizeof(buf));
	assert_string_equal(buf, "qemu with single-threaded TCG (--tcg-threads single)");
	o.accel = VM_ACCEL_KVM;
	run_opts__describe_vm(&o, buf, sizeof(buf));
	assert_string_equal(buf, "qemu with KVM");
	o.backend = VM_BACKEND_VMM;
	run_opts__describe_vm(&o, buf, sizeof(buf));
	assert_string_equal(buf, "the in-process VMM");
	run_opts__describe_vm(&o, buf, 4);
	assert_string_equal(buf, "the");
}

/* The default timeout: 60 s + the duration, + 2 s per vCPU under TCG only. */
static void test_timeout(void **state)
{
	struct run_opts o = { .backend = VM_BACKEND_QEMU, .accel = VM_ACCEL_TCG,
			      .work_type = -1 };
	struct topology t = { .numa_nodes = 1, .llcs = 8, .cores_per_llc = 8,
			      .threads_per_core = 2 };	/* 128 vCPUs */
	uint64_t five = 5000000000ull;

	(void)state;
	assert_int_equal(run_opts__timeout_s(&o, &t, five), 60 + 5 + 2 * 128);
	o.accel = VM_ACCEL_KVM;
	assert_int_equal(run_opts__timeout_s(&o, &t, five), 65);
	o.backend = VM_BACKEND_VMM;
	o.accel = VM_ACCEL_AUTO;
	assert_int_equal(run_opts__timeout_s(&o, &t, five), 65);
	o.timeout_s = 7;	/* --timeout wins */
	assert_int_equal(run_opts__timeout_s(&o, &t, five), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_why),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_run_opts),
		cmocka_unit_test(test_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

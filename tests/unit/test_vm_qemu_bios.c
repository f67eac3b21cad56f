// SPDX-License-Identifier: GPL-2.0
/* The qemu backend's choice of firmware (lib/vm/vm_qemu_bios.c) and its -bios. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm/vm_qemu.h"

static char root[64];

static void put(const char *rel, const char *data)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(data, f);
	fclose(f);
}

static int setup(void **state)
{
	char d[PATH_MAX];

	(void)state;
	snprintf(root, sizeof(root), "/tmp/ktstr-bios-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	for (const char *const *s = (const char *const[]){ "bin", "share", "share/qemu", "sys",
							    NULL }; *s; s++) {
		snprintf(d, sizeof(d), "%s/%s", root, *s);
		if (mkdir(d, 0755))
			return -1;
	}
	put("bin/qemu-system-x86_64", "#!/bin/sh\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) ? -1 : 0;
}

/* <prefix>/bin/qemu finds <prefix>/share/qemu/qboot.rom before the system dirs. */
static void test_find_next_to_binary(void **state)
{
	char qemu[PATH_MAX], sys[PATH_MAX], out[PATH_MAX], want[PATH_MAX];
	const char *dirs[] = { sys, NULL };

	(void)state;
	snprintf(qemu, sizeof(qemu), "%s/bin/qemu-system-x86_64", root);
	snprintf(sys, sizeof(sys), "%s/sys", root);
	put("sys/qboot.rom", "sys");
	put("share/qemu/qboot.rom", "prefix");
	assert_true(vm_qemu__find_qboot(qemu, dirs, out, sizeof(out)));
	assert_non_null(realpath(root, want));
	strcat(want, "/share/qemu/qboot.rom");
	assert_string_equal(out, want);

	/* Gone from the prefix: the system dir's. */
	snprintf(want, sizeof(want), "%s/share/qemu/qboot.rom", root);
	assert_int_equal(unlink(want), 0);
	assert_true(vm_qemu__find_qboot(qemu, dirs, out, sizeof(out)));
	snprintf(want, sizeof(want), "%s/sys/qboot.rom", root);
	assert_string_equal(out, want);

	/* An empty file is not firmware; nothing found is false. */
	put("sys/qboot.rom", "");
	assert_false(vm_qemu__find_qboot(qemu, dirs, out, sizeof(out)));
	assert_false(vm_qemu__find_qboot("/nonexistent/qemu", dirs, out, sizeof(out)));
	assert_false(vm_qemu__find_qboot(NULL, NULL, out, sizeof(out)));
}

/* KTSTR_QEMU_BIOS overrides the search: "" is qemu's default, a path is used as is. */
static void test_env_override(void **state)
{
	char buf[PATH_MAX];

	(void)state;
	setenv("KTSTR_QEMU_BIOS", "", 1);
	assert_null(vm__qemu_firmware("qemu-system-x86_64", buf, sizeof(buf)));
	setenv("KTSTR_QEMU_BIOS", "/opt/fw/bios.bin", 1);
	assert_string_equal(vm__qemu_firmware("qemu-system-x86_64", buf, sizeof(buf)),
			    "/opt/fw/bios.bin");
	unsetenv("KTSTR_QEMU_BIOS");
}

/* -bios goes before -kernel when given, and nowhere when not. */
static void test_argv_bios(void **state)
{
	struct vm_opts o = {
		.topo = { 1, 1, 1, 1 },
		.memory_mb = 256,
		.kernel = "/k/vmlinux",
	};
	struct vm_qemu_argv a;
	char err[256];
	bool seen = false;

	(void)state;
	assert_int_equal(vm_qemu__argv(&o, VM_ACCEL_TCG, "qemu", "/fw/qboot.rom", "quiet", "/d",
				       &a, err, sizeof(err)), 0);
	for (size_t i = 0; i + 3 < a.argc; i++) {
		if (!strcmp(a.argv[i], "-bios")) {
			assert_string_equal(a.argv[i + 1], "/fw/qboot.rom");
			assert_string_equal(a.argv[i + 2], "-kernel");
			assert_string_equal(a.argv[i + 3], "/k/vmlinux");
			seen = true;
		}
	}
	assert_true(seen);
	vm_qemu__argv_free(&a);
	assert_int_equal(vm_qemu__argv(&o, VM_ACCEL_TCG, "qemu", NULL, "quiet", "/d", &a, err,
				       sizeof(err)), 0);
	for (size_t i = 0; i < a.argc; i++)
		assert_string_not_equal(a.argv[i], "-bios");
	vm_qemu__argv_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_next_to_binary),
		cmocka_unit_test(test_env_override),
		cmocka_unit_test(test_argv_bios),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

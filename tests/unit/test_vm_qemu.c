// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the qemu VM backend's command line (lib/vm/vm_qemu_argv.c),
 * the kernel command line (lib/vm/vm_cmdline.c), the console ring
 * (lib/base/ringbuf.c) and vm__start()'s checks. Booting is in test_vm_boot.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/ringbuf.h"
#include "vm/vm.h"
#include "vm/vm_qemu.h"

#define TOPO(n, l, c, t) ((struct topology){ n, l, c, t })

#define CMD "console=ttyS0 quiet"
#define HEAD_TCG "qemu -M q35 -accel tcg,thread=single -cpu max,la57=off,vendor=GenuineIntel"
#define KERNEL " -kernel /k/bzImage -initrd /k/initrd.cpio.gz -append " CMD
#define DEVICES \
	" -display none -nodefaults -no-user-config -no-reboot" \
	" -chardev socket,id=com1,path=/d/com1.sock -serial chardev:com1" \
	" -chardev socket,id=com2,path=/d/com2.sock -serial chardev:com2" \
	" -device virtio-serial-pci,id=vser0" \
	" -chardev socket,id=results,path=/d/results.sock" \
	" -device virtserialport,bus=vser0.0,chardev=results,name=org.ktstr.results" \
	" -chardev socket,id=control,path=/d/control.sock" \
	" -device virtserialport,bus=vser0.0,chardev=control,name=org.ktstr.control" \
	" -chardev socket,id=sched,path=/d/sched.sock" \
	" -device virtserialport,bus=vser0.0,chardev=sched,name=org.ktstr.sched" \
	" -chardev socket,id=qmp,path=/d/qmp.sock -mon chardev=qmp,mode=control" \
	" -name ktstr,debug-threads=on"

static struct vm_opts opts_for(struct topology t, uint32_t mb)
{
	return (struct vm_opts){
		.topo = t,
		.memory_mb = mb,
		.kernel = "/k/bzImage",
		.initramfs = "/k/initrd.cpio.gz",
	};
}

/* argv joined with single spaces. */
static char *argv_join(const struct vm_opts *o, enum vm_accel accel, const char *dir)
{
	struct vm_qemu_argv a;
	char err[256] = "";
	size_t len = 0;
	char *s;

	assert_int_equal(vm_qemu__argv(o, accel, "qemu", NULL, CMD, dir, &a, err, sizeof(err)), 0);
	assert_non_null(a.argv);
	assert_null(a.argv[a.argc]);
	for (size_t i = 0; i < a.argc; i++)
		len += strlen(a.argv[i]) + 1;
	s = calloc(1, len + 1);
	assert_non_null(s);
	for (size_t i = 0; i < a.argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, a.argv[i]);
	}
	vm_qemu__argv_free(&a);
	return s;
}

static void expect_argv(struct topology t, uint32_t mb, const char *expected)
{
	struct vm_opts o = opts_for(t, mb);
	char *s = argv_join(&o, VM_ACCEL_TCG, "/d");

	assert_string_equal(s, expected);
	free(s);
}

static void test_argv_1n1l2c1t(void **state)
{
	(void)state;
	expect_argv(TOPO(1, 1, 2, 1), 512,
		    HEAD_TCG " -m 512 -smp cpus=2,sockets=1,cores=2,threads=1" KERNEL DEVICES);
}

static void test_argv_1n2l4c1t(void **state)
{
	(void)state;
	expect_argv(TOPO(1, 2, 4, 1), 1024,
		    HEAD_TCG " -m 1024 -smp cpus=8,sockets=2,cores=4,threads=1" KERNEL DEVICES);
}

static void test_argv_2n4l2c2t(void **state)
{
	(void)state;
	expect_argv(TOPO(2, 4, 2, 2), 2048,
		    HEAD_TCG " -m 2048 -smp cpus=16,sockets=4,cores=2,threads=2"
		    " -object memory-backend-ram,id=mem0,size=1024M"
		    " -numa node,nodeid=0,cpus=0-7,memdev=mem0"
		    " -object memory-backend-ram,id=mem1,size=1024M"
		    " -numa node,nodeid=1,cpus=8-15,memdev=mem1"
		    KERNEL DEVICES);
}

static void test_argv_smt(void **state)
{
	(void)state;
	expect_argv(TOPO(1, 1, 2, 2), 256,
		    HEAD_TCG " -m 256 -smp cpus=4,sockets=1,cores=2,threads=2" KERNEL DEVICES);
	expect_argv(TOPO(2, 2, 1, 2), 512,
		    HEAD_TCG " -m 512 -smp cpus=4,sockets=2,cores=1,threads=2"
		    " -object memory-backend-ram,id=mem0,size=256M"
		    " -numa node,nodeid=0,cpus=0-1,memdev=mem0"
		    " -object memory-backend-ram,id=mem1,size=256M"
		    " -numa node,nodeid=1,cpus=2-3,memdev=mem1"
		    KERNEL DEVICES);
}

/* Uneven memory: each node a multiple of 2 MiB, the last takes the rest. */
static void test_argv_numa_uneven(void **state)
{
	(void)state;
	expect_argv(TOPO(3, 6, 1, 1), 1001,
		    HEAD_TCG " -m 1000 -smp cpus=6,sockets=6,cores=1,threads=1"
		    " -object memory-backend-ram,id=mem0,size=332M"
		    " -numa node,nodeid=0,cpus=0-1,memdev=mem0"
		    " -object memory-backend-ram,id=mem1,size=332M"
		    " -numa node,nodeid=1,cpus=2-3,memdev=mem1"
		    " -object memory-backend-ram,id=mem2,size=336M"
		    " -numa node,nodeid=2,cpus=4-5,memdev=mem2"
		    KERNEL DEVICES);
}

static void test_node_mem(void **state)
{
	(void)state;
	assert_int_equal(vm_qemu__node_mem(513, 1, 0), 513);
	assert_int_equal(vm_qemu__mem_total(513, 1), 513);
	assert_int_equal(vm_qemu__mem_total(513, 2), 512);
	assert_int_equal(vm_qemu__node_mem(4096, 4, 0), 1024);
	assert_int_equal(vm_qemu__node_mem(4096, 4, 3), 1024);
	assert_int_equal(vm_qemu__node_mem(1000, 4, 0), 250);
	assert_int_equal(vm_qemu__node_mem(1000, 4, 3), 250);
	assert_int_equal(vm_qemu__node_mem(1002, 4, 0), 250);
	assert_int_equal(vm_qemu__node_mem(1002, 4, 3), 252);
	for (uint32_t mb = 2; mb < 3000; mb += 7) {
		for (uint32_t n = 2; n <= 8; n++) {
			uint32_t sum = 0;

			for (uint32_t i = 0; i < n; i++) {
				assert_int_equal(vm_qemu__node_mem(mb, n, i) % 2, 0);
				sum += vm_qemu__node_mem(mb, n, i);
			}
			assert_int_equal(sum, vm_qemu__mem_total(mb, n));
		}
	}
}

static void test_argv_numa_too_little(void **state)
{
	struct vm_opts o = opts_for(TOPO(4, 4, 1, 1), 7);
	struct vm_qemu_argv a;
	char err[256] = "";

	(void)state;
	assert_int_equal(vm_qemu__argv(&o, VM_ACCEL_TCG, "qemu", NULL, CMD, "/d", &a, err,
				       sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "7 MiB"));
	assert_null(a.argv);
}

/* QEMU 7.2's TCG has no x2APIC: topologies with APIC IDs past 254 are refused. */
static void test_apic_ids(void **state)
{
	struct vm_opts o = opts_for(TOPO(1, 14, 9, 2), 4096);	/* max-cpu: 252 CPUs */
	struct vm_qemu_argv a;
	char err[256] = "";
	char *s;

	(void)state;
	assert_int_equal(vm_qemu__max_apic_id(&TOPO(1, 1, 1, 1)), 0);
	assert_int_equal(vm_qemu__max_apic_id(&TOPO(1, 1, 2, 1)), 1);
	assert_int_equal(vm_qemu__max_apic_id(&TOPO(1, 2, 3, 1)), 6);	/* 0b1_10 */
	assert_int_equal(vm_qemu__max_apic_id(&TOPO(1, 3, 3, 2)), 21);	/* 0b10_10_1 */
	assert_int_equal(vm_qemu__max_apic_id(&TOPO(1, 15, 8, 2)), 239);
	assert_int_equal(vm_qemu__max_apic_id(&TOPO(1, 14, 9, 2)), 433);
	assert_int_equal(vm_qemu__max_apic_id(&TOPO(1, 14, 18, 1)), 433);
	assert_int_equal(vm_qemu__argv(&o, VM_ACCEL_TCG, "qemu", NULL, CMD, "/d", &a, err,
				       sizeof(err)), -EINVAL);
	assert_string_equal(err, "topology 1n14l9c2t needs APIC IDs up to 433, and QEMU's TCG "
			    "has no x2APIC for IDs past 254: use fewer LLCs or cores per LLC, "
			    "or KVM");
	/* KVM has x2APIC. */
	s = argv_join(&o, VM_ACCEL_KVM, "/d");
	assert_non_null(strstr(s, "-smp cpus=252,sockets=14,cores=9,threads=2"));
	free(s);
	/* near-max-llc (240 CPUs) still fits. */
	o.topo = TOPO(1, 15, 8, 2);
	s = argv_join(&o, VM_ACCEL_TCG, "/d");
	assert_non_null(strstr(s, "-smp cpus=240,sockets=15,cores=8,threads=2"));
	free(s);
}

static void test_tcg_threads(void **state)
{
	struct vm_opts o = opts_for(TOPO(1, 2, 2, 1), 512);
	char *s;

	(void)state;
	o.tcg_threads = VM_TCG_SINGLE;
	s = argv_join(&o, VM_ACCEL_TCG, "/d");
	assert_non_null(strstr(s, "qemu -M q35 -accel tcg,thread=single -cpu max,la57=off,"
				  "vendor=GenuineIntel -m 512 -smp cpus=4,sockets=2,cores=2,threads=1 "));
	free(s);
	o.tcg_threads = VM_TCG_MULTI;
	s = argv_join(&o, VM_ACCEL_TCG, "/d");
	assert_non_null(strstr(s, "qemu -M q35 -accel tcg,thread=multi -cpu max,la57=off,"));
	free(s);
}

static void test_argv_kvm_no_initrd_comma(void **state)
{
	struct vm_opts o = opts_for(TOPO(1, 1, 1, 1), 128);
	char *s;

	(void)state;
	o.initramfs = NULL;
	s = argv_join(&o, VM_ACCEL_KVM, "/tmp/a,b");
	assert_non_null(strstr(s, "qemu -M q35 -accel kvm -cpu host -m 128 "
				  "-smp cpus=1,sockets=1,cores=1,threads=1 "
				  "-kernel /k/bzImage -append " CMD " -display none"));
	assert_null(strstr(s, "-initrd"));
	assert_null(strstr(s, "tcg"));
	assert_non_null(strstr(s, "socket,id=com1,path=/tmp/a,,b/com1.sock"));
	assert_non_null(strstr(s, "socket,id=qmp,path=/tmp/a,,b/qmp.sock"));
	free(s);
}

/* ---- kernel command line ---- */

#define CMDLINE_BASE \
	"console=ttyS0 mitigations=off no_timer_check random.trust_cpu=on " \
	"swiotlb=noforce i8042.noaux i8042.nomux i8042.nopnp i8042.dumbkbd " \
	"reboot=k panic=-1 iomem=relaxed nokaslr lockdown=none " \
	"sysctl.kernel.unprivileged_bpf_disabled=0 sysctl.kernel.sched_schedstats=1"

static void test_cmdline(void **state)
{
	const char *extra[] = { "numa_balancing=0", "KTSTR_TOPO=1,1,2,1", NULL };
	struct vm_opts o = opts_for(TOPO(1, 1, 2, 1), 512);
	char buf[VM_CMDLINE_MAX], err[256];
	int n;

	(void)state;
	n = vm__cmdline(&o, NULL, buf, sizeof(buf), err, sizeof(err));
	assert_string_equal(buf, CMDLINE_BASE " loglevel=1 rdinit=/init");
	assert_int_equal(n, (int)strlen(buf));

	o.cmdline_extra = extra;
	o.verbose = true;
	vm__cmdline(&o, "pci=off", buf, sizeof(buf), err, sizeof(err));
	assert_string_equal(buf, CMDLINE_BASE " earlyprintk=serial loglevel=7 rdinit=/init "
			    "pci=off numa_balancing=0 KTSTR_TOPO=1,1,2,1");
}

static void test_cmdline_errors(void **state)
{
	static char big[VM_CMDLINE_MAX];
	const char *extra[] = { big, NULL };
	const char *bad[] = { "ok=1", "", NULL };
	const char *nl[] = { "a\nb", NULL };
	struct vm_opts o = opts_for(TOPO(1, 1, 2, 1), 512);
	char buf[VM_CMDLINE_MAX], err[256];

	(void)state;
	memset(big, 'x', 1800);
	o.cmdline_extra = extra;
	assert_int_equal(vm__cmdline(&o, NULL, buf, sizeof(buf), err, sizeof(err)), -E2BIG);
	assert_non_null(strstr(err, "longer than 2047 bytes"));
	o.cmdline_extra = bad;
	assert_int_equal(vm__cmdline(&o, NULL, buf, sizeof(buf), err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "empty"));
	o.cmdline_extra = nl;
	assert_int_equal(vm__cmdline(&o, NULL, buf, sizeof(buf), err, sizeof(err)), -EINVAL);
	/* A small buffer is a limit too. */
	o.cmdline_extra = NULL;
	assert_int_equal(vm__cmdline(&o, NULL, buf, 64, err, sizeof(err)), -E2BIG);
}

/* ---- ring ---- */

static void test_ring_tail(void **state)
{
	struct ringbuf rb;
	char out[256];

	(void)state;
	assert_int_equal(ringbuf__init(&rb, 32), 0);
	ringbuf__tail(&rb, 3, out, sizeof(out));
	assert_string_equal(out, "");
	ringbuf__append(&rb, "one\r\ntwo\r\nthree\r\n", 17);
	ringbuf__tail(&rb, 2, out, sizeof(out));
	assert_string_equal(out, "two\nthree\n");
	ringbuf__tail(&rb, 10, out, sizeof(out));
	assert_string_equal(out, "one\ntwo\nthree\n");
	/* Wrap: only the last 32 bytes are kept ("one\r\ntwo\r\n" is gone). */
	ringbuf__append(&rb, "four\nfive\nsix\nseven\neight", 25);
	assert_int_equal(ringbuf__len(&rb), 32);
	ringbuf__tail(&rb, 2, out, sizeof(out));
	assert_string_equal(out, "seven\neight");
	ringbuf__tail(&rb, 100, out, sizeof(out));
	assert_string_equal(out, "three\nfour\nfive\nsix\nseven\neight");
	/* Too small an output: the newest bytes win. */
	ringbuf__tail(&rb, 2, out, 6);
	assert_string_equal(out, "eight");
	assert_true(ringbuf__contains(&rb, "six\nse"));
	assert_true(ringbuf__contains(&rb, "eight"));
	assert_true(ringbuf__contains(&rb, "three\r\nfour"));
	assert_false(ringbuf__contains(&rb, "two"));
	ringbuf__copy(&rb, out, sizeof(out));
	assert_string_equal(out, "three\r\nfour\nfive\nsix\nseven\neight");
	/* A chunk larger than the ring. */
	ringbuf__append(&rb, "0123456789012345678901234567890123456789", 40);
	ringbuf__copy(&rb, out, sizeof(out));
	assert_string_equal(out, "89012345678901234567890123456789");
	ringbuf__free(&rb);
}

/* ---- vm__start checks (nothing boots) ---- */

static char kernel_file[64];

static int make_kernel_file(void **state)
{
	int fd;

	(void)state;
	snprintf(kernel_file, sizeof(kernel_file), "/tmp/ktstr-test-kernel-XXXXXX");
	fd = mkstemp(kernel_file);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "not a kernel\n", 13), 13);
	close(fd);
	return 0;
}

static int remove_kernel_file(void **state)
{
	(void)state;
	unlink(kernel_file);
	return 0;
}

static void test_start_checks(void **state)
{
	struct vm_opts o = opts_for(TOPO(1, 1, 2, 1), 256);
	struct vm *vm = (struct vm *)1;
	char err[256] = "";

	(void)state;
	o.initramfs = NULL;
	o.kernel = kernel_file;

	assert_int_equal(vm__start(NULL, &vm, err, sizeof(err)), -EINVAL);
	assert_null(vm);
	assert_non_null(strstr(err, "no vm options"));

	o.topo = TOPO(2, 3, 1, 1);
	assert_int_equal(vm__start(&o, &vm, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "topology"));
	o.topo = TOPO(1, 1, 2, 1);

	o.kernel = "/nonexistent/bzImage";
	assert_int_equal(vm__start(&o, &vm, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/bzImage"));
	o.kernel = kernel_file;

	o.qemu = "/nonexistent/qemu-system-x86_64";
	assert_int_equal(vm__start(&o, &vm, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "install qemu-system-x86"));
	o.qemu = "ktstr-no-such-qemu";
	assert_int_equal(vm__start(&o, &vm, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "ktstr-no-such-qemu not found in PATH: "
				    "install qemu-system-x86"));

	o.qemu = NULL;
	o.backend = VM_BACKEND_VMM;
	assert_int_equal(vm__start(&o, &vm, err, sizeof(err)), -ENOSYS);
}

/* qemu refuses a file that is not a kernel: a backend error with its stderr. */
static void test_qemu_error(void **state)
{
	struct vm_opts o = opts_for(TOPO(1, 1, 1, 1), 128);
	struct vm_result res;
	struct vm *vm;
	char err[256] = "", tail[4096];
	char dir[128];

	(void)state;
	if (access("/usr/bin/qemu-system-x86_64", X_OK) && !getenv("KTSTR_QEMU"))
		skip();
	o.initramfs = NULL;
	o.kernel = kernel_file;
	o.accel = VM_ACCEL_TCG;
	o.timeout_ms = 30000;
	assert_int_equal(vm__start(&o, &vm, err, sizeof(err)), 0);
	assert_non_null(vm__tmpdir(vm));
	snprintf(dir, sizeof(dir), "%s", vm__tmpdir(vm));
	assert_int_equal(vm__wait(vm, &res), 0);
	assert_int_equal(res.exit, VM_EXIT_BACKEND_ERROR);
	assert_int_equal(res.status, 1);
	vm__report(vm, &res, 5, tail, sizeof(tail));
	assert_true(!strncmp(tail, "VM backend error after ", 23));
	assert_non_null(strstr(tail, "(exit status 1)\n--- console (last 5 lines) ---\n"
				     "--- backend stderr ---\n"));
	vm__tail(vm, VM_CHAN_STDERR, 5, tail, sizeof(tail));
	/* "qemu: invalid kernel header" (7.2), or the like. */
	assert_non_null(strstr(tail, "kernel"));
	assert_null(vm__tmpdir(vm));
	vm__free(vm);
	assert_int_equal(access(dir, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv_1n1l2c1t),
		cmocka_unit_test(test_argv_1n2l4c1t),
		cmocka_unit_test(test_argv_2n4l2c2t),
		cmocka_unit_test(test_argv_smt),
		cmocka_unit_test(test_argv_numa_uneven),
		cmocka_unit_test(test_node_mem),
		cmocka_unit_test(test_argv_numa_too_little),
		cmocka_unit_test(test_apic_ids),
		cmocka_unit_test(test_tcg_threads),
		cmocka_unit_test(test_argv_kvm_no_initrd_comma),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_cmdline_errors),
		cmocka_unit_test(test_ring_tail),
		cmocka_unit_test_setup_teardown(test_start_checks, make_kernel_file,
						remove_kernel_file),
		cmocka_unit_test_setup_teardown(test_qemu_error, make_kernel_file,
						remove_kernel_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

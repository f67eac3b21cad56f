// SPDX-License-Identifier: GPL-2.0
/*
 * The qemu backend's RAM shared with the host (lib/vm/vm_qemu_ram.c, for the
 * monitor): qemu's argv carries a memory-backend-file on the memfd's
 * /proc/self/fd/N, share=on, one per NUMA node, and nothing of it without
 * share_ram; the memfds are sized and mapped, and the guest_mem view puts
 * them where q35 puts RAM (split at 2 GiB below the 4 GiB hole once RAM
 * reaches 2.75 GiB), showing what another writer (qemu) writes. No VM runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "monitor/guest_mem.h"
#include "vm/vm_backend.h"
#include "vm/vm_qemu.h"

#define TOPO(n, l, c, t) ((struct topology){ n, l, c, t })

static char *argv_join(const struct vm_opts *o)
{
	struct vm_qemu_argv a;
	char err[256] = "";
	size_t len = 1;
	char *s;

	assert_int_equal(vm_qemu__argv(o, VM_ACCEL_TCG, "qemu", NULL, "c", "/d", &a, err,
				       sizeof(err)), 0);
	for (size_t i = 0; i < a.argc; i++)
		len += strlen(a.argv[i]) + 1;
	s = calloc(1, len);
	assert_non_null(s);
	for (size_t i = 0; i < a.argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, a.argv[i]);
	}
	vm_qemu__argv_free(&a);
	return s;
}

static void test_argv(void **state)
{
	struct vm_opts o = { .topo = TOPO(1, 1, 2, 1), .memory_mb = 256, .kernel = "/k" };
	char *s;

	(void)state;
	unsetenv("KTSTR_MONITOR_DEBUG");
	s = argv_join(&o);
	assert_null(strstr(s, "memory-backend-file"));
	assert_null(strstr(s, "share=on"));
	free(s);

	o.share_ram = true;
	s = argv_join(&o);
	assert_non_null(strstr(s, " -m 256 "));
	assert_non_null(strstr(s, " -object memory-backend-file,id=ram0,size=256M,"
				  "mem-path=/proc/self/fd/3,share=on -machine memory-backend=ram0 "));
	free(s);

	/* Two nodes: each its own file, where the NUMA node's memdev is. */
	o.topo = TOPO(2, 2, 2, 1);
	o.memory_mb = 1024;
	s = argv_join(&o);
	assert_non_null(strstr(s, " -object memory-backend-file,id=mem0,size=512M,"
				  "mem-path=/proc/self/fd/3,share=on -numa node,nodeid=0,"));
	assert_non_null(strstr(s, " -object memory-backend-file,id=mem1,size=512M,"
				  "mem-path=/proc/self/fd/4,share=on -numa node,nodeid=1,"));
	assert_null(strstr(s, "memory-backend=ram0"));
	assert_null(strstr(s, "memory-backend-ram"));
	free(s);

	/* The debug variable turns it on too. */
	o.share_ram = false;
	o.topo = TOPO(1, 1, 2, 1);
	setenv("KTSTR_MONITOR_DEBUG", "/nonexistent/vmlinux", 1);
	s = argv_join(&o);
	assert_non_null(strstr(s, "mem-path=/proc/self/fd/3,share=on"));
	unsetenv("KTSTR_MONITOR_DEBUG");
	free(s);
}

/* 3 GiB over two nodes: node 1's second half lands at 4 GiB. */
static void test_ram_view(void **state)
{
	struct vm_opts o = { .topo = TOPO(2, 2, 1, 1), .memory_mb = 3072, .share_ram = true };
	struct vm_qemu *q = calloc(1, sizeof(*q));
	struct vm *vm = calloc(1, sizeof(*vm));
	uint64_t v = 0x0123456789abcdefull, got = 0;
	char err[256];
	struct gmem m;
	int fd0, fd1;

	(void)state;
	assert_non_null(q);
	assert_non_null(vm);
	vm->priv = q;
	/* Not shared: said. */
	assert_int_equal(vm_qemu__guest_mem(vm, &m, err, sizeof(err)), -EOPNOTSUPP);
	assert_non_null(strstr(err, "share_ram"));

	assert_int_equal(vm_qemu__ram_create(q, &o, err, sizeof(err)), 0);
	assert_int_equal(q->ram_nr, 2);
	assert_true(q->ram_len[0] == 1536ull << 20 && q->ram_len[1] == 1536ull << 20);
	assert_true(q->ram_low == 2ull << 30);
	assert_true(lseek(q->ram_fd[1], 0, SEEK_END) == (off_t)(1536ull << 20));
	/* The fds are close-on-exec: no other child inherits the guest's RAM. */
	assert_true(fcntl(q->ram_fd[0], F_GETFD) & FD_CLOEXEC);

	assert_int_equal(vm_qemu__guest_mem(vm, &m, err, sizeof(err)), 0);
	assert_int_equal(m.nr, 3);
	/* Written through the file, as qemu writes it: seen through the view. */
	assert_int_equal(pwrite(q->ram_fd[0], &v, 8, 0x1000), 8);
	assert_int_equal(gmem__u64(&m, 0x1000, &got), 0);
	assert_true(got == v);
	assert_int_equal(pwrite(q->ram_fd[1], &v, 8, 512ull << 20), 8);	/* RAM offset 2 GiB */
	assert_int_equal(gmem__u64(&m, GMEM_4G, &got), 0);
	assert_true(got == v);
	assert_int_equal(pwrite(q->ram_fd[1], &v, 8, (512ull << 20) - 8), 8);
	assert_int_equal(gmem__u64(&m, (2ull << 30) - 8, &got), 0);
	assert_true(got == v);
	/* The hole, and past the end. */
	assert_int_equal(gmem__u64(&m, 2ull << 30, &got), -EFAULT);
	assert_int_equal(gmem__u64(&m, GMEM_4G + (1ull << 30), &got), -EFAULT);

	fd0 = q->ram_fd[0];
	fd1 = q->ram_fd[1];
	vm_qemu__ram_free(q);
	assert_int_equal(q->ram_nr, 0);
	assert_true(fcntl(fd0, F_GETFD) < 0 && fcntl(fd1, F_GETFD) < 0);
	vm_qemu__ram_free(q);	/* idempotent */
	free(q);
	free(vm);
}

/*
 * The in-process VMM's RAM as vm__guest_mem() hands it out
 * (vm__guest_mem_ram()): 3 GiB at 0, the rest from 4 GiB, one host block.
 * No memory behind the pointer is touched; reads are checked elsewhere.
 */
static void test_vmm_ram_view(void **state)
{
	const uint8_t *host = (const uint8_t *)(uintptr_t)0x7f0000000000ull;
	uint64_t low = 3ull << 30, size = 5ull << 30;
	struct gmem m;
	char err[256];

	(void)state;
	assert_int_equal(vm__guest_mem_ram(&m, host, size, low, err, sizeof(err)), 0);
	assert_int_equal(m.nr, 2);
	assert_true(m.r[0].gpa == 0 && m.r[0].len == low && m.r[0].host == host);
	assert_true(m.r[1].gpa == GMEM_4G && m.r[1].len == size - low &&
		    m.r[1].host == host + low);
	/* Small RAM: all of it low. */
	assert_int_equal(vm__guest_mem_ram(&m, host, 256u << 20, 256u << 20, err, sizeof(err)), 0);
	assert_int_equal(m.nr, 1);
	assert_int_equal(vm__guest_mem_ram(&m, NULL, 256u << 20, 256u << 20, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "the guest's RAM (268435456 bytes, 268435456 below 4 GiB) "
			    "does not fit the monitor's view");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_ram_view),
		cmocka_unit_test(test_vmm_ram_view),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

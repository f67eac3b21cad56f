// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's RAM shared with the host for the monitor (vm.h, share_ram).
 * Each NUMA node's RAM is a memfd: ktstr creates and sizes it, qemu gets it
 * as fd VM_QEMU_RAM_FD0 + n and opens /proc/self/fd/N as a
 * memory-backend-file with share=on, and ktstr maps it read-only. A memfd
 * rather than a file in /dev/shm: it has no name, so a ktstr killed with
 * SIGKILL leaves nothing behind (qemu dies with it, PR_SET_PDEATHSIG, and
 * the memory goes with the last reference), and it is not bounded by
 * /dev/shm's size, which (64 MiB in a default container) would SIGBUS a
 * guest that touches more.
 */
#include "vm_qemu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/err.h"
#include "monitor/guest_mem.h"

int vm_qemu__ram_create(struct vm_qemu *q, const struct vm_opts *opts, char *err, size_t errlen)
{
	uint32_t nodes = opts->topo.numa_nodes ? opts->topo.numa_nodes : 1;
	uint64_t total = 0;

	if (nodes > VM_QEMU_MAX_NODES)
		return err__set(-EINVAL, err, errlen, "%u NUMA nodes: at most %u share their RAM",
				nodes, VM_QEMU_MAX_NODES);
	for (uint32_t n = 0; n < nodes; n++) {
		uint64_t mb = nodes > 1 ? vm_qemu__node_mem(opts->memory_mb, nodes, n) :
			      opts->memory_mb;
		char name[32];
		void *p;
		int fd;

		snprintf(name, sizeof(name), "ktstr-guest-ram%u", n);
		fd = memfd_create(name, MFD_CLOEXEC);
		if (fd < 0)
			return err__set(-errno, err, errlen, "memfd_create for the guest's RAM: %s",
					strerror(errno));
		q->ram_fd[q->ram_nr] = fd;
		q->ram_len[q->ram_nr] = mb << 20;
		q->ram_map[q->ram_nr] = NULL;
		q->ram_nr++;
		if (ftruncate(fd, (off_t)(mb << 20)) < 0)
			return err__set(-errno, err, errlen, "sizing the guest's RAM (%llu MiB): %s",
					(unsigned long long)mb, strerror(errno));
		p = mmap(NULL, mb << 20, PROT_READ, MAP_SHARED | MAP_NORESERVE, fd, 0);
		if (p == MAP_FAILED)
			return err__set(-errno, err, errlen, "mapping the guest's RAM: %s",
					strerror(errno));
		q->ram_map[q->ram_nr - 1] = p;
		total += mb << 20;
	}
	q->ram_low = gmem__q35_low(total);
	return 0;
}

void vm_qemu__ram_free(struct vm_qemu *q)
{
	for (unsigned int i = 0; i < q->ram_nr; i++) {
		if (q->ram_map[i])
			munmap((void *)q->ram_map[i], q->ram_len[i]);
		if (q->ram_fd[i] >= 0)
			close(q->ram_fd[i]);
	}
	q->ram_nr = 0;
}

int vm_qemu__guest_mem(struct vm *vm, struct gmem *m, char *err, size_t errlen)
{
	struct vm_qemu *q = vm->priv;
	uint64_t off = 0;
	int ret;

	gmem__init(m);
	if (!q || !q->ram_nr)
		return err__set(-EOPNOTSUPP, err, errlen,
				"the VM was not started with its RAM shared (share_ram)");
	/* The nodes' backends are the machine's RAM in node order (qemu's numa.c). */
	for (unsigned int i = 0; i < q->ram_nr; i++) {
		ret = gmem__add_ram(m, off, q->ram_map[i], q->ram_len[i], q->ram_low);
		if (ret)
			return err__set(ret, err, errlen, "the guest's RAM does not fit the view");
		off += q->ram_len[i];
	}
	return 0;
}

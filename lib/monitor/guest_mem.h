/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room lib/monitor: the host-side monitor of the guest kernel's run queues
 * (issue #19): a read-only view of guest memory (this header), the kernel's
 * layout from its vmlinux (kernel_layout.h), address translation for nokaslr
 * guests (kaddr.h), one sample of every CPU's run queue (sampler.h), the
 * checks over a series of samples (monitor_eval.h), the thread that takes
 * that series (monitor_run.h) and the guest's CONFIG_HZ (kconfig_hz.h). It
 * may include lib/base, lib/topo and lib/wire.
 */

/*
 * Guest physical memory as the host sees it while the guest runs: up to
 * GMEM_MAX_REGIONS ranges of guest-physical addresses, each backed by host
 * memory (qemu's RAM file mapped read-only, or the in-process VMM's RAM).
 * The guest writes under our feet, so every read copies out (memcpy) and
 * may be torn; nothing here hands out a pointer into guest memory. A read
 * of any byte outside the regions fails with -EFAULT and touches nothing.
 */
#ifndef KTSTR_MONITOR_GUEST_MEM_H
#define KTSTR_MONITOR_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

#define GMEM_MAX_REGIONS	8
#define GMEM_4G			0x100000000ull

struct gmem_region {
	uint64_t gpa;		/* first guest-physical address */
	uint64_t len;		/* bytes */
	const uint8_t *host;	/* host address of gpa */
};

struct gmem {
	unsigned int nr;
	struct gmem_region r[GMEM_MAX_REGIONS];
};

void gmem__init(struct gmem *m);

/*
 * Add guest [gpa, gpa + len) at @host. -EINVAL when it wraps, is empty or
 * overlaps a region already there; -ENOSPC when the table is full.
 */
int gmem__add(struct gmem *m, uint64_t gpa, const void *host, uint64_t len);

/*
 * Add a piece of the machine's RAM, @len bytes at RAM offset @ram_off (host
 * @host), as x86 machines place RAM: offsets below @low_size at the same
 * guest address, the rest from 4 GiB up. qemu q35: gmem__q35_low(); the
 * in-process VMM: min(RAM, 3 GiB) (vmm/kvm/kvm.h).
 */
int gmem__add_ram(struct gmem *m, uint64_t ram_off, const void *host, uint64_t len,
		  uint64_t low_size);

/* The bytes of RAM qemu's q35 machine puts below 4 GiB for @ram_size bytes. */
uint64_t gmem__q35_low(uint64_t ram_size);

/*
 * Copy guest [gpa, gpa + len) to @dst; the range may cross from one region
 * into the next when they are contiguous. 0, or -EFAULT with @dst untouched
 * when any byte lies outside the regions (or the range wraps).
 */
int gmem__read(const struct gmem *m, uint64_t gpa, void *dst, size_t len);
int gmem__u32(const struct gmem *m, uint64_t gpa, uint32_t *v);
int gmem__u64(const struct gmem *m, uint64_t gpa, uint64_t *v);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel virtual to guest physical addresses for x86-64 guests booted with
 * nokaslr (vm_cmdline.c puts it on every guest's command line), without a
 * page-table walk: the two linear mappings.
 *   kernel image (text, data, bss):  pa = va - 0xffffffff80000000 + phys_base
 *   direct map (slab, per-CPU areas): pa = va - page_offset_base
 * Anything else (vmalloc, vmemmap, modules, fixmap) is -EFAULT here.
 */
#ifndef KTSTR_MONITOR_KADDR_H
#define KTSTR_MONITOR_KADDR_H

#include <stdint.h>

#include "guest_mem.h"
#include "kernel_layout.h"

#define KADDR_START_KERNEL_MAP	0xffffffff80000000ull
#define KADDR_IMAGE_SIZE	0x40000000ull		/* KERNEL_IMAGE_SIZE: 1 GiB */
#define KADDR_PAGE_OFFSET	0xffff888000000000ull	/* 4-level, no KASLR */
#define KADDR_DIRECT_MAP_SIZE	(1ull << 46)		/* 64 TiB, 4-level paging */

struct kaddr {
	uint64_t page_offset;	/* page_offset_base's value */
	uint64_t phys_base;	/* 0 unless the kernel was moved */
};

/* The defaults of a nokaslr kernel, loaded where it was linked. */
void kaddr__init(struct kaddr *k);

/*
 * Refresh @k from the running guest: page_offset_base's value (kept at the
 * default while the guest has not set it yet, or when what is read is no
 * direct-map base). Returns 0, or -EFAULT when the symbol is unreadable.
 */
int kaddr__refresh(struct kaddr *k, const struct klayout *kl, const struct gmem *m);

/* The guest-physical address of @va, or -EFAULT outside both mappings. */
int kaddr__pa(const struct kaddr *k, uint64_t va, uint64_t *pa);

/* Read a @size-byte (1, 2, 4, 8) little-endian value at kernel address @va. */
int kaddr__read(const struct kaddr *k, const struct gmem *m, uint64_t va, uint32_t size,
		uint64_t *v);

#endif

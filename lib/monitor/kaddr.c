// SPDX-License-Identifier: GPL-2.0
/* Kernel virtual to guest physical addresses, nokaslr x86-64 (kaddr.h). */
#include "kaddr.h"

#include <errno.h>

void kaddr__init(struct kaddr *k)
{
	k->page_offset = KADDR_PAGE_OFFSET;
	k->phys_base = 0;
}

/*
 * A direct map base: in the kernel half, below the image mapping, aligned
 * to 1 GiB (the kernel aligns it to a PUD, 5-level to a P4D).
 */
static int plausible_page_offset(uint64_t v)
{
	return v >= 0xff00000000000000ull && v < KADDR_START_KERNEL_MAP && !(v & 0x3fffffffull);
}

int kaddr__refresh(struct kaddr *k, const struct klayout *kl, const struct gmem *m)
{
	uint64_t v;
	int ret;

	if (!kl->page_offset_base)
		return 0;
	ret = kaddr__read(k, m, kl->page_offset_base, 8, &v);
	if (ret)
		return ret;
	if (plausible_page_offset(v))
		k->page_offset = v;
	return 0;
}

int kaddr__pa(const struct kaddr *k, uint64_t va, uint64_t *pa)
{
	if (va >= KADDR_START_KERNEL_MAP) {
		if (va - KADDR_START_KERNEL_MAP >= KADDR_IMAGE_SIZE)
			return -EFAULT;		/* modules, fixmap */
		*pa = va - KADDR_START_KERNEL_MAP + k->phys_base;
		return 0;
	}
	if (va >= k->page_offset && va - k->page_offset < KADDR_DIRECT_MAP_SIZE) {
		*pa = va - k->page_offset;
		return 0;
	}
	return -EFAULT;
}

int kaddr__read(const struct kaddr *k, const struct gmem *m, uint64_t va, uint32_t size,
		uint64_t *v)
{
	uint8_t b[8] = { 0 };
	uint64_t pa, r = 0;
	int ret;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -EINVAL;
	ret = kaddr__pa(k, va, &pa);
	if (ret)
		return ret;
	/* The value's last byte must translate too (no wrap past a mapping). */
	if (va + size - 1 < va)
		return -EFAULT;
	ret = gmem__read(m, pa, b, size);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < size; i++)	/* little-endian guest */
		r |= (uint64_t)b[i] << (8 * i);
	*v = r;
	return 0;
}

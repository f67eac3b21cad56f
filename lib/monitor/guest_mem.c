// SPDX-License-Identifier: GPL-2.0
/*
 * Bounds-checked copies out of guest physical memory (guest_mem.h). The
 * regions are few (one or two per NUMA node), so a linear scan per read is
 * cheaper than keeping them sorted.
 */
#include "guest_mem.h"

#include <errno.h>
#include <string.h>

void gmem__init(struct gmem *m)
{
	memset(m, 0, sizeof(*m));
}

int gmem__add(struct gmem *m, uint64_t gpa, const void *host, uint64_t len)
{
	if (!len || !host || gpa + len < gpa || gpa + len == 0)
		return -EINVAL;
	for (unsigned int i = 0; i < m->nr; i++) {
		const struct gmem_region *r = &m->r[i];

		if (gpa < r->gpa + r->len && r->gpa < gpa + len)
			return -EINVAL;
	}
	if (m->nr >= GMEM_MAX_REGIONS)
		return -ENOSPC;
	m->r[m->nr++] = (struct gmem_region){ .gpa = gpa, .len = len, .host = host };
	return 0;
}

int gmem__add_ram(struct gmem *m, uint64_t ram_off, const void *host, uint64_t len,
		  uint64_t low_size)
{
	const uint8_t *h = host;
	uint64_t below = 0;
	int ret;

	if (!len || ram_off + len < ram_off || low_size > GMEM_4G)
		return -EINVAL;
	if (ram_off < low_size) {
		below = low_size - ram_off < len ? low_size - ram_off : len;
		ret = gmem__add(m, ram_off, h, below);
		if (ret)
			return ret;
	}
	if (below == len)
		return 0;
	/* The part at or above low_size: 4 GiB + its distance from low_size. */
	return gmem__add(m, GMEM_4G + (ram_off + below - low_size), h + below, len - below);
}

uint64_t gmem__q35_low(uint64_t ram_size)
{
	/* qemu hw/i386/pc_q35.c: 2 GiB below 4 GiB once RAM reaches 2.75 GiB. */
	uint64_t lowmem = ram_size >= 0xb0000000ull ? 0x80000000ull : 0xb0000000ull;

	return ram_size >= lowmem ? lowmem : ram_size;
}

/* The region holding @gpa, or NULL. */
static const struct gmem_region *find(const struct gmem *m, uint64_t gpa)
{
	for (unsigned int i = 0; i < m->nr; i++)
		if (gpa >= m->r[i].gpa && gpa - m->r[i].gpa < m->r[i].len)
			return &m->r[i];
	return NULL;
}

int gmem__read(const struct gmem *m, uint64_t gpa, void *dst, size_t len)
{
	uint64_t a = gpa, left = len;

	if (gpa + len < gpa)
		return -EFAULT;
	/* Check the whole range first so that a failed read leaves @dst alone. */
	while (left) {
		const struct gmem_region *r = find(m, a);
		uint64_t n;

		if (!r)
			return -EFAULT;
		n = r->len - (a - r->gpa);
		if (n > left)
			n = left;
		a += n;
		left -= n;
	}
	for (a = gpa, left = len; left;) {
		const struct gmem_region *r = find(m, a);
		uint64_t n = r->len - (a - r->gpa);

		if (n > left)
			n = left;
		memcpy((uint8_t *)dst + (a - gpa), r->host + (a - r->gpa), n);
		a += n;
		left -= n;
	}
	return 0;
}

int gmem__u32(const struct gmem *m, uint64_t gpa, uint32_t *v)
{
	return gmem__read(m, gpa, v, sizeof(*v));
}

int gmem__u64(const struct gmem *m, uint64_t gpa, uint64_t *v)
{
	return gmem__read(m, gpa, v, sizeof(*v));
}

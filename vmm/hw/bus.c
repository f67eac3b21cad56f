// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "bus.h"

void bus__init(struct bus *bus, const char *name)
{
	memset(bus, 0, sizeof(*bus));
	bus->name = name;
}

int bus__register(struct bus *bus, uint64_t base, uint64_t len, bus_fn fn, void *dev)
{
	unsigned int i;

	if (!len || !fn || base + len < base)
		return -EINVAL;
	for (i = 0; i < bus->nr; i++) {
		const struct bus_range *r = &bus->r[i];

		if (base < r->base + r->len && r->base < base + len)
			return -EEXIST;
	}
	if (bus->nr == BUS_MAX_RANGES)
		return -ENOSPC;
	bus->r[bus->nr++] = (struct bus_range){ base, len, fn, dev };
	return 0;
}

bool bus__access(const struct bus *bus, uint64_t addr, uint8_t *data, uint32_t len,
		 bool is_write)
{
	unsigned int i;

	if (!len || len > 8)
		return false;
	if (!is_write)
		memset(data, 0xff, len);
	if (addr + len < addr)
		return false;
	for (i = 0; i < bus->nr; i++) {
		const struct bus_range *r = &bus->r[i];

		if (addr < r->base || addr - r->base >= r->len)
			continue;
		if (addr - r->base + len > r->len)
			return false;
		r->fn(r->dev, addr - r->base, data, len, is_write);
		return true;
	}
	return false;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room vmm/hw, the legacy devices: the port-I/O and MMIO bus that routes
 * vCPU exits to device handlers (bus.h), the 16550 UARTs COM1 and COM2
 * (serial.h) and the i8042's reset line (i8042.h). Pure device models (no
 * /dev/kvm but the UARTs' interrupt line); it may include lib/base only.
 */

/*
 * Port-I/O and MMIO dispatch: a device registers an address range and a
 * handler; a vCPU exit is routed to the one range that holds it. Ranges are
 * registered before the vCPUs start and never change afterwards, so lookups
 * take no lock; devices lock their own state.
 */
#ifndef KTSTR_VMM_BUS_H
#define KTSTR_VMM_BUS_H

#include <stdbool.h>
#include <stdint.h>

#define BUS_MAX_RANGES 16

/*
 * @off is the offset into the range; @data holds @len bytes (1..8) to write,
 * or receives them on a read (pre-filled with 0xff).
 */
typedef void (*bus_fn)(void *dev, uint64_t off, uint8_t *data, uint32_t len, bool is_write);

struct bus_range {
	uint64_t base, len;
	bus_fn fn;
	void *dev;
};

struct bus {
	const char *name;		/* "pio" or "mmio", for messages */
	unsigned int nr;
	struct bus_range r[BUS_MAX_RANGES];
};

void bus__init(struct bus *bus, const char *name);
/* -EEXIST when it overlaps a registered range, -ENOSPC when full, -EINVAL for len 0. */
int bus__register(struct bus *bus, uint64_t base, uint64_t len, bus_fn fn, void *dev);
/*
 * Dispatch one access of 1..8 bytes (other lengths are refused untouched).
 * Unclaimed reads return all ones, unclaimed writes are dropped; an access
 * that straddles a range's end is unclaimed too. Returns whether a device
 * took it.
 */
bool bus__access(const struct bus *bus, uint64_t addr, uint8_t *data, uint32_t len,
		 bool is_write);

#endif

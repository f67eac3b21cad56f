/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal i8042 keyboard controller at ports 0x60 and 0x64, there only for
 * its reset line: the pulse-reset command 0xFE written to 0x64 ends the VM
 * as a reset (Linux's reboot=k path, and panic=-1). To a driver it looks
 * absent: the status port reads OBF set and IBF clear (a byte that never
 * drains), the data port 0xff.
 */
#ifndef KTSTR_VMM_I8042_H
#define KTSTR_VMM_I8042_H

#include <stdbool.h>
#include <stdint.h>

#define I8042_DATA_PORT		0x60
#define I8042_CMD_PORT		0x64
#define I8042_CMD_RESET		0xFE
#define I8042_STATUS_OBF	0x01	/* output buffer full */

struct i8042 {
	void (*reset)(void *arg);	/* called from the vCPU thread that asked */
	void *arg;
};

void i8042__init(struct i8042 *k, void (*reset)(void *arg), void *arg);
/* Bus handler for the range 0x60..0x64 (5 ports, 0x61-0x63 read 0 too). */
void i8042__io(void *dev, uint64_t off, uint8_t *data, uint32_t len, bool is_write);

#endif

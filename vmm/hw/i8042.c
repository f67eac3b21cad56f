// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "i8042.h"

void i8042__init(struct i8042 *k, void (*reset)(void *arg), void *arg)
{
	k->reset = reset;
	k->arg = arg;
}

void i8042__io(void *dev, uint64_t off, uint8_t *data, uint32_t len, bool is_write)
{
	struct i8042 *k = dev;

	if (!is_write) {
		/*
		 * The status port says a byte is always waiting (OBF) and the
		 * input buffer is empty (IBF clear); the data port reads 0xff.
		 * Linux's i8042 driver drains 16 bytes, says "No controller
		 * found" and gives up at once, where a silent controller cost a
		 * second of timeouts ("Can't read CTR") at every boot; reboot=k
		 * sees IBF clear and sends 0xFE at once. 0x61-0x63 read 0.
		 */
		memset(data, 0, len);
		if (off == 0)
			data[0] = 0xff;
		else if (off == I8042_CMD_PORT - I8042_DATA_PORT)
			data[0] = I8042_STATUS_OBF;
		return;
	}
	if (off == I8042_CMD_PORT - I8042_DATA_PORT && data[0] == I8042_CMD_RESET && k->reset)
		k->reset(k->arg);
}

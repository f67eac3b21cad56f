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
		memset(data, 0, len);
		return;
	}
	if (off == I8042_CMD_PORT - I8042_DATA_PORT && data[0] == I8042_CMD_RESET && k->reset)
		k->reset(k->arg);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * What the console's data queues (virtio_console.c) and control queues
 * (virtio_console_ctrl.c) both do with a popped chain: copy bytes into its
 * device-writable segments, or turn a ring error into DEVICE_NEEDS_RESET.
 */
#include <errno.h>
#include <string.h>

#include "virtio_console_int.h"

uint32_t vcon__chain_write(const struct virtq_chain *ch, const void *src, uint32_t len)
{
	uint32_t done = 0;

	for (unsigned i = 0; i < ch->nseg && done < len; i++) {
		uint32_t n;

		if (!ch->seg[i].writable)
			continue;
		n = ch->seg[i].len < len - done ? ch->seg[i].len : len - done;
		memcpy(ch->seg[i].p, (const uint8_t *)src + done, n);
		done += n;
	}
	return done;
}

void vcon__ring_error(struct virtio_console *c, int err)
{
	const char *why;

	switch (err) {
	case -EFAULT:
		why = "virtqueue descriptor points outside guest memory";
		break;
	case -ELOOP:
		why = "virtqueue descriptor chain loops or is longer than the queue";
		break;
	case -E2BIG:
		why = "virtqueue descriptor chain too long or too large";
		break;
	default:
		why = "virtqueue index, descriptor or flag out of range";
		break;
	}
	virtio_mmio__fail(&c->mmio, why);
}

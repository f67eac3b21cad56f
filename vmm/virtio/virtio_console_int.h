/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to virtio_console.c, virtio_console_ctrl.c and virtio_console_ring.c. */
#ifndef KTSTR_VMM_VIRTIO_CONSOLE_INT_H
#define KTSTR_VMM_VIRTIO_CONSOLE_INT_H

#include "virtio_console.h"

static inline unsigned vcon__rx_queue(unsigned port)
{
	return port ? 2 * port + 2 : 0;
}

static inline bool vcon__multiport(const struct virtio_console *c)
{
	return c->mmio.driver_features & (1ull << 1 /* VIRTIO_CONSOLE_F_MULTIPORT */);
}

/* Ring helpers both halves use (virtio_console_ring.c). */
/* Copy @len bytes into the chain's device-writable segments; returns bytes written. */
uint32_t vcon__chain_write(const struct virtq_chain *ch, const void *src, uint32_t len);
/* Turn a virtq__pop() error into DEVICE_NEEDS_RESET. */
void vcon__ring_error(struct virtio_console *c, int err);

/* Control queues (virtio_console_ctrl.c). */
void vcon_ctrl__handle_tx(struct virtio_console *c);
void vcon_ctrl__flush(struct virtio_console *c);
void vcon_ctrl__reset(struct virtio_console *c);

#endif

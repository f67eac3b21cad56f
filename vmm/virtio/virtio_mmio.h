/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room vmm/virtio: the split virtqueues (virtq.h), the virtio-mmio transport
 * (this header) and the multiport virtio console on it (virtio_console.h).
 * Pure: guest memory is reached only through guest_mem.h, never /dev/kvm,
 * and every model is fuzzed. It may include lib/base and lib/wire (the
 * ktstr port names).
 */

/*
 * virtio-mmio transport, version 2 (virtio 1.x 4.2.2): the register file of
 * one device window. A device model (virtio_console.c) supplies the device
 * ID, features, config space and a notify hook.
 *
 * Errors in the guest's rings put the device in DEVICE_NEEDS_RESET (status
 * bit 0x40, a configuration-change interrupt) and stop all queue work until
 * the driver resets the device by writing 0 to Status.
 *
 * Not thread-safe: the caller serialises MMIO accesses and host-side calls.
 */
#ifndef KTSTR_VMM_VIRTIO_MMIO_H
#define KTSTR_VMM_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/virtio_mmio.h>	/* register offsets, VIRTIO_MMIO_INT_* */

#include "guest_mem.h"
#include "virtq.h"

#define VIRTIO_MMIO_WINDOW	0x1000
#define VIRTIO_MMIO_VENDOR	0x5253544bu	/* "KTSR" */
#define VIRTIO_MMIO_MAX_QUEUES	16


struct virtio_mmio;

struct virtio_mmio_ops {
	/* The driver wrote QueueNotify for queue @q (already known ready). */
	void (*notify)(struct virtio_mmio *vm, unsigned q);
	/* The driver reset the device (Status 0) or it was reset by the host. */
	void (*reset)(struct virtio_mmio *vm);
	/* Status gained DRIVER_OK. */
	void (*driver_ok)(struct virtio_mmio *vm);
};

/* Raise the device's interrupt line (edge: the VMM injects it once). */
typedef void (*virtio_irq_fn)(void *ctx);

struct virtio_mmio {
	/* set by virtio_mmio__init() */
	const struct virtio_mmio_ops *ops;
	struct guest_mem mem;
	uint32_t device_id;
	uint64_t device_features;
	uint16_t nqueues;
	uint8_t *config;		/* device config space (device-owned bytes) */
	uint32_t config_len;
	virtio_irq_fn irq;
	void *irq_ctx;

	/* driver-visible state */
	uint32_t status;
	uint32_t device_features_sel, driver_features_sel;
	uint64_t driver_features;
	uint32_t queue_sel;
	uint32_t interrupt_status;
	uint32_t config_generation;
	struct virtq vq[VIRTIO_MMIO_MAX_QUEUES];

	/* why the device stopped (NULL while healthy) */
	const char *error;
};

void virtio_mmio__init(struct virtio_mmio *vm, const struct virtio_mmio_ops *ops,
		       const struct guest_mem *mem, uint32_t device_id,
		       uint64_t device_features, uint16_t nqueues,
		       void *config, uint32_t config_len, virtio_irq_fn irq, void *irq_ctx);

/*
 * A guest access at @offset into the window. @len is 1, 2, 4 or 8; register
 * accesses other than 4 bytes read as 0 and are ignored on write (config
 * space takes any width). Reads fill @data with @len little-endian bytes.
 */
void virtio_mmio__read(struct virtio_mmio *vm, uint64_t offset, void *data, uint32_t len);
void virtio_mmio__write(struct virtio_mmio *vm, uint64_t offset, const void *data, uint32_t len);

/* Device-side helpers. */
bool virtio_mmio__running(const struct virtio_mmio *vm);	/* DRIVER_OK, no error */
bool virtio_mmio__queue_live(const struct virtio_mmio *vm, unsigned q);
void virtio_mmio__interrupt(struct virtio_mmio *vm, uint32_t bits);
/* Mark the device broken (@why is a static string) and tell the driver. */
void virtio_mmio__fail(struct virtio_mmio *vm, const char *why);
/* The Linux kernel command-line fragment: "virtio_mmio.device=4K@0x...:IRQ". */
int virtio_mmio__cmdline(char *buf, unsigned long len, uint64_t base, unsigned irq);

#endif

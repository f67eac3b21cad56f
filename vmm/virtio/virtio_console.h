/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A multiport virtio-console (virtio 1.x 5.3) on the virtio-mmio transport:
 * port 0 and port 1..N each have a receiveq (host -> guest) and a
 * transmitq (guest -> host); queues 2 and 3 are the control receiveq and
 * transmitq. Queue of port p: rx = p ? 2p+2 : 0, tx = rx + 1.
 *
 * The device announces every port after the driver's DEVICE_READY, then,
 * per PORT_READY: CONSOLE_PORT (the console port), PORT_NAME (named ports,
 * /sys/class/virtio-ports/ * /name) and PORT_OPEN (the host side is open).
 *
 * Guest -> host bytes go to a callback; host -> guest bytes are buffered
 * per port (VCON_PENDING_MAX) and copied into the buffers the guest posts.
 * Not thread-safe: the caller serialises every call on one device.
 */
#ifndef KTSTR_VMM_VIRTIO_CONSOLE_H
#define KTSTR_VMM_VIRTIO_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtio_mmio.h"

#define VCON_MAX_PORTS		7	/* 2 * (7 + 1) queues = VIRTIO_MMIO_MAX_QUEUES */
#define VCON_NAME_MAX		128
#define VCON_PENDING_MAX	16384	/* host -> guest bytes buffered per port */
#define VCON_CTRL_QUEUE_MAX	(4 * VCON_MAX_PORTS + 4)
#define VIRTIO_ID_CONSOLE_DEV	3

#define VCON_CTRL_RX_QUEUE	2	/* c_ivq: device -> driver */
#define VCON_CTRL_TX_QUEUE	3	/* c_ovq: driver -> device */

struct vcon_port_cfg {
	const char *name;		/* NULL: no PORT_NAME */
	bool console;			/* announced as the console port (hvc) */
};

struct virtio_console_ops {
	/* Bytes the guest wrote to @port (points into guest memory). */
	void (*rx)(void *ctx, unsigned port, const uint8_t *data, size_t len);
	/* The guest opened (true) or closed (false) @port. Optional. */
	void (*open)(void *ctx, unsigned port, bool open);
};

struct vcon_port {
	char name[VCON_NAME_MAX];
	bool console;
	bool added, ready, guest_open;
	uint32_t pend_len;
	uint8_t pend[VCON_PENDING_MAX];
};

struct vcon_ctrl {
	uint32_t id;
	uint16_t event, value;
	uint8_t name_len;		/* PORT_NAME payload length */
};

struct virtio_console_config_le {
	uint16_t cols, rows;
	uint32_t max_nr_ports;
	uint32_t emerg_wr;
} __attribute__((packed));
_Static_assert(sizeof(struct virtio_console_config_le) == 12, "console config is 12 bytes");

struct virtio_console {
	struct virtio_mmio mmio;
	struct virtio_console_config_le config;
	const struct virtio_console_ops *ops;
	void *ctx;
	unsigned nports;
	struct vcon_port port[VCON_MAX_PORTS];
	struct vcon_ctrl ctrl[VCON_CTRL_QUEUE_MAX];
	unsigned ctrl_head, ctrl_n;
	bool device_ready;
};

/* The default port set: 0 the console, then the three ktstr_proto.h ports. */
extern const struct vcon_port_cfg virtio_console__ktstr_ports[4];

/*
 * Set up @c with @nports (1..VCON_MAX_PORTS) ports. Returns 0 or -EINVAL
 * (bad count, a name that is too long, more than one console).
 */
int virtio_console__init(struct virtio_console *c, const struct guest_mem *mem,
			 const struct vcon_port_cfg *ports, unsigned nports,
			 const struct virtio_console_ops *ops, void *ctx,
			 virtio_irq_fn irq, void *irq_ctx);

/* MMIO accesses in the device window (offset from its base). */
void virtio_console__mmio_read(struct virtio_console *c, uint64_t off, void *data, uint32_t len);
void virtio_console__mmio_write(struct virtio_console *c, uint64_t off, const void *data,
				uint32_t len);

/*
 * Queue @len bytes for the guest on @port and deliver what fits in posted
 * buffers now. Returns the bytes accepted (fewer when the port's buffer is
 * full: try again later) or -EINVAL for a bad port.
 */
long virtio_console__send(struct virtio_console *c, unsigned port, const void *buf, size_t len);
/* Deliver buffered bytes (e.g. after the guest posted buffers). */
void virtio_console__flush(struct virtio_console *c);

/* Port index by name, or -1. */
int virtio_console__port_by_name(const struct virtio_console *c, const char *name);
/* NULL while healthy, else why the device stopped (needs a guest reset). */
const char *virtio_console__error(const struct virtio_console *c);

#endif

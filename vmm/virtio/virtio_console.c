// SPDX-License-Identifier: GPL-2.0
/*
 * The multiport virtio-console device: ports, the data queues, and the
 * glue to the virtio-mmio transport. Control messages: virtio_console_ctrl.c;
 * what both use on a queue: virtio_console_ring.c.
 */
#include <errno.h>
#include <string.h>
#include <linux/virtio_console.h>

#include "wire/ktstr_proto.h"
#include "virtio_console_int.h"

const struct vcon_port_cfg virtio_console__ktstr_ports[4] = {
	{ .name = NULL, .console = true },
	{ .name = KTSTR_PORT_RESULTS },
	{ .name = KTSTR_PORT_CONTROL },
	{ .name = KTSTR_PORT_SCHED },
};

static struct virtio_console *to_console(struct virtio_mmio *vm)
{
	return (struct virtio_console *)((char *)vm - offsetof(struct virtio_console, mmio));
}

/* Host -> guest: move @port's buffered bytes into the buffers the guest posted. */
static void flush_port(struct virtio_console *c, unsigned port)
{
	struct vcon_port *p = &c->port[port];
	unsigned qi = vcon__rx_queue(port);
	struct virtq *q = &c->mmio.vq[qi];
	struct virtq_chain ch;
	bool pushed = false;

	if (port && !vcon__multiport(c))
		return;
	while (p->pend_len && virtio_mmio__queue_live(&c->mmio, qi)) {
		int ret = virtq__pop(q, &c->mmio.mem, &ch);
		uint32_t n;

		if (ret < 0) {
			vcon__ring_error(c, ret);
			return;
		}
		if (!ret)
			break;
		n = vcon__chain_write(&ch, p->pend, p->pend_len);
		memmove(p->pend, p->pend + n, p->pend_len - n);
		p->pend_len -= n;
		virtq__push(q, ch.head, n);
		pushed = true;
	}
	if (pushed)
		virtio_mmio__interrupt(&c->mmio, VIRTIO_MMIO_INT_VRING);
}

/* Guest -> host: hand every readable byte of every chain to the callback. */
static void drain_tx(struct virtio_console *c, unsigned port, unsigned qi)
{
	struct virtq *q = &c->mmio.vq[qi];
	struct virtq_chain ch;
	bool pushed = false;
	int ret;

	while (virtio_mmio__queue_live(&c->mmio, qi) &&
	       (ret = virtq__pop(q, &c->mmio.mem, &ch)) != 0) {
		if (ret < 0) {
			vcon__ring_error(c, ret);
			return;
		}
		for (unsigned i = 0; i < ch.nseg; i++)
			if (!ch.seg[i].writable && ch.seg[i].len && c->ops && c->ops->rx)
				c->ops->rx(c->ctx, port, ch.seg[i].p, ch.seg[i].len);
		virtq__push(q, ch.head, 0);
		pushed = true;
	}
	if (pushed)
		virtio_mmio__interrupt(&c->mmio, VIRTIO_MMIO_INT_VRING);
}

static void console_notify(struct virtio_mmio *vm, unsigned qi)
{
	struct virtio_console *c = to_console(vm);
	unsigned port;

	if (qi == VCON_CTRL_RX_QUEUE) {
		vcon_ctrl__flush(c);
		return;
	}
	if (qi == VCON_CTRL_TX_QUEUE) {
		vcon_ctrl__handle_tx(c);
		return;
	}
	port = qi < 2 ? 0 : qi / 2 - 1;
	if (port >= c->nports)
		return;
	if (qi & 1)
		drain_tx(c, port, qi);
	else
		flush_port(c, port);
}

static void console_reset(struct virtio_mmio *vm)
{
	vcon_ctrl__reset(to_console(vm));
}

static const struct virtio_mmio_ops console_mmio_ops = {
	.notify = console_notify,
	.reset = console_reset,
};

int virtio_console__init(struct virtio_console *c, const struct guest_mem *mem,
			 const struct vcon_port_cfg *ports, unsigned nports,
			 const struct virtio_console_ops *ops, void *ctx,
			 virtio_irq_fn irq, void *irq_ctx)
{
	unsigned consoles = 0;

	if (!c || !mem || !ports || !nports || nports > VCON_MAX_PORTS)
		return -EINVAL;
	for (unsigned i = 0; i < nports; i++) {
		if (ports[i].name && strlen(ports[i].name) >= VCON_NAME_MAX)
			return -EINVAL;
		consoles += ports[i].console;
	}
	if (consoles > 1)
		return -EINVAL;

	memset(c, 0, sizeof(*c));
	c->ops = ops;
	c->ctx = ctx;
	c->nports = nports;
	for (unsigned i = 0; i < nports; i++) {
		if (ports[i].name)
			strcpy(c->port[i].name, ports[i].name);
		c->port[i].console = ports[i].console;
	}
	c->config.max_nr_ports = nports;
	virtio_mmio__init(&c->mmio, &console_mmio_ops, mem, VIRTIO_ID_CONSOLE_DEV,
			  1ull << VIRTIO_CONSOLE_F_MULTIPORT, (uint16_t)(2 * (nports + 1)),
			  &c->config, sizeof(c->config), irq, irq_ctx);
	return 0;
}

void virtio_console__mmio_read(struct virtio_console *c, uint64_t off, void *data, uint32_t len)
{
	virtio_mmio__read(&c->mmio, off, data, len);
}

void virtio_console__mmio_write(struct virtio_console *c, uint64_t off, const void *data,
				uint32_t len)
{
	virtio_mmio__write(&c->mmio, off, data, len);
}

long virtio_console__send(struct virtio_console *c, unsigned port, const void *buf, size_t len)
{
	struct vcon_port *p;
	size_t n;

	if (port >= c->nports || (len && !buf))
		return -EINVAL;
	p = &c->port[port];
	n = VCON_PENDING_MAX - p->pend_len;
	if (n > len)
		n = len;
	memcpy(p->pend + p->pend_len, buf, n);
	p->pend_len += (uint32_t)n;
	flush_port(c, port);
	return (long)n;
}

void virtio_console__flush(struct virtio_console *c)
{
	vcon_ctrl__flush(c);
	for (unsigned i = 0; i < c->nports; i++)
		flush_port(c, i);
}

int virtio_console__port_by_name(const struct virtio_console *c, const char *name)
{
	for (unsigned i = 0; i < c->nports; i++)
		if (name && c->port[i].name[0] && !strcmp(c->port[i].name, name))
			return (int)i;
	return -1;
}

const char *virtio_console__error(const struct virtio_console *c)
{
	return c->mmio.error;
}

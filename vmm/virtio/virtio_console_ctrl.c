// SPDX-License-Identifier: GPL-2.0
/*
 * The multiport console's control queues: the driver's DEVICE_READY,
 * PORT_READY and PORT_OPEN on the transmitq; our PORT_ADD, CONSOLE_PORT,
 * PORT_NAME and PORT_OPEN on the receiveq.
 */
#include <string.h>
#include <linux/virtio_console.h>

#include "virtio_console_int.h"

#define CTRL_HDR 8u

void vcon_ctrl__reset(struct virtio_console *c)
{
	c->ctrl_head = c->ctrl_n = 0;
	c->device_ready = false;
	for (unsigned i = 0; i < c->nports; i++) {
		c->port[i].added = false;
		c->port[i].ready = false;
		c->port[i].guest_open = false;
	}
}

static void ctrl_queue(struct virtio_console *c, uint32_t id, uint16_t event, uint16_t value)
{
	struct vcon_ctrl *m;

	/* Bounded by the protocol: at most 3 messages per port and event. */
	if (c->ctrl_n >= VCON_CTRL_QUEUE_MAX)
		return;
	m = &c->ctrl[(c->ctrl_head + c->ctrl_n++) % VCON_CTRL_QUEUE_MAX];
	m->id = id;
	m->event = event;
	m->value = value;
	m->name_len = 0;
	if (event == VIRTIO_CONSOLE_PORT_NAME && id < c->nports)
		m->name_len = (uint8_t)strnlen(c->port[id].name, VCON_NAME_MAX - 1);
}

void vcon_ctrl__flush(struct virtio_console *c)
{
	struct virtq *q = &c->mmio.vq[VCON_CTRL_RX_QUEUE];
	struct virtq_chain ch;
	bool pushed = false;

	while (c->ctrl_n && virtio_mmio__queue_live(&c->mmio, VCON_CTRL_RX_QUEUE)) {
		struct vcon_ctrl *m = &c->ctrl[c->ctrl_head];
		uint8_t msg[CTRL_HDR + VCON_NAME_MAX];
		uint32_t len = CTRL_HDR + m->name_len, n;
		int ret = virtq__pop(q, &c->mmio.mem, &ch);

		if (ret < 0) {
			vcon__ring_error(c, ret);
			return;
		}
		if (!ret)
			break;
		le32_put(msg, m->id);
		le16_put(msg + 4, m->event);
		le16_put(msg + 6, m->value);
		if (m->name_len)
			memcpy(msg + CTRL_HDR, c->port[m->id].name, m->name_len);
		n = vcon__chain_write(&ch, msg, len);
		virtq__push(q, ch.head, n);
		pushed = true;
		c->ctrl_head = (c->ctrl_head + 1) % VCON_CTRL_QUEUE_MAX;
		c->ctrl_n--;
	}
	if (pushed)
		virtio_mmio__interrupt(&c->mmio, VIRTIO_MMIO_INT_VRING);
}

/* Gather the first @len readable bytes of a chain; returns how many there were. */
static uint32_t chain_read(const struct virtq_chain *ch, void *dst, uint32_t len)
{
	uint32_t done = 0;

	for (unsigned i = 0; i < ch->nseg && done < len; i++) {
		uint32_t n;

		if (ch->seg[i].writable)
			continue;
		n = ch->seg[i].len < len - done ? ch->seg[i].len : len - done;
		memcpy((uint8_t *)dst + done, ch->seg[i].p, n);
		done += n;
	}
	return done;
}

static void handle_msg(struct virtio_console *c, uint32_t id, uint16_t event, uint16_t value)
{
	struct vcon_port *p = id < c->nports ? &c->port[id] : NULL;

	switch (event) {
	case VIRTIO_CONSOLE_DEVICE_READY:
		if (value != 1 || c->device_ready)
			break;
		c->device_ready = true;
		for (unsigned i = 0; i < c->nports; i++) {
			c->port[i].added = true;
			ctrl_queue(c, i, VIRTIO_CONSOLE_PORT_ADD, 1);
		}
		break;
	case VIRTIO_CONSOLE_PORT_READY:
		if (!p || !p->added || p->ready || value != 1)
			break;
		p->ready = true;
		if (p->console)
			ctrl_queue(c, id, VIRTIO_CONSOLE_CONSOLE_PORT, 1);
		if (p->name[0])
			ctrl_queue(c, id, VIRTIO_CONSOLE_PORT_NAME, 1);
		ctrl_queue(c, id, VIRTIO_CONSOLE_PORT_OPEN, 1);
		break;
	case VIRTIO_CONSOLE_PORT_OPEN:
		if (!p || !p->ready || p->guest_open == !!value)
			break;
		p->guest_open = !!value;
		if (c->ops && c->ops->open)
			c->ops->open(c->ctx, id, p->guest_open);
		break;
	default:
		break;		/* RESIZE and friends: nothing to do */
	}
}

void vcon_ctrl__handle_tx(struct virtio_console *c)
{
	struct virtq *q = &c->mmio.vq[VCON_CTRL_TX_QUEUE];
	struct virtq_chain ch;
	bool pushed = false;
	int ret;

	while (virtio_mmio__queue_live(&c->mmio, VCON_CTRL_TX_QUEUE) &&
	       (ret = virtq__pop(q, &c->mmio.mem, &ch)) != 0) {
		uint8_t msg[CTRL_HDR];

		if (ret < 0) {
			vcon__ring_error(c, ret);
			return;
		}
		if (chain_read(&ch, msg, CTRL_HDR) == CTRL_HDR)
			handle_msg(c, le32_get(msg), le16_get(msg + 4), le16_get(msg + 6));
		virtq__push(q, ch.head, 0);
		pushed = true;
	}
	if (pushed)
		virtio_mmio__interrupt(&c->mmio, VIRTIO_MMIO_INT_VRING);
	vcon_ctrl__flush(c);
}

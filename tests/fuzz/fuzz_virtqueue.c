// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the virtio-mmio console: the input is a program of MMIO register
 * reads and writes, guest memory writes (descriptors, rings, raw bytes),
 * queue notifications and host-side sends, run against a 64 KiB guest
 * memory. Whatever the guest does, the device must not touch memory outside
 * the guest buffer (ASan), must not crash, and once it reports an error it
 * must say so in its status register.
 *
 * Ops (first byte % 9): 0 write reg, 1 read, 2 canned probe, 3 notify,
 * 4 host send, 5 raw memory write, 6 flush, 7 descriptor, 8 publish.
 * The canned probe puts queue q's rings at 0x1000*q (desc), +0x200 (avail),
 * +0x400 (used), 8 entries each, as ops 7 and 8 assume.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/virtio_config.h>

#include "virtio/virtio_console.h"

#define FMEM		(64u * 1024)
#define FQNUM		8
#define NPORTS		4
#define NQUEUES		(2 * (NPORTS + 1))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct in {
	const uint8_t *p;
	size_t n;
};

static uint32_t take(struct in *in, unsigned bytes)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < bytes; i++) {
		v |= (uint32_t)(in->n ? *in->p : 0) << (8 * i);
		if (in->n) {
			in->p++;
			in->n--;
		}
	}
	return v;
}

static uint64_t bytes_seen;

static void on_rx(void *ctx, unsigned port, const uint8_t *d, size_t len)
{
	const uint8_t *host = ctx;

	if (port >= NPORTS || d < host || d + len > host + FMEM)
		abort();
	for (size_t i = 0; i < len; i++)
		bytes_seen += d[i];
}

static void on_irq(void *ctx)
{
	(void)ctx;
}

static const struct virtio_console_ops fops = { .rx = on_rx };

static void wr(struct virtio_console *c, uint32_t off, uint32_t v)
{
	virtio_console__mmio_write(c, off, &v, 4);
}

static void probe(struct virtio_console *c)
{
	wr(c, VIRTIO_MMIO_STATUS, 0);
	wr(c, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	wr(c, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(c, VIRTIO_MMIO_DRIVER_FEATURES, 2);
	wr(c, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(c, VIRTIO_MMIO_DRIVER_FEATURES, 1);
	wr(c, VIRTIO_MMIO_STATUS, 0xb);
	for (uint32_t q = 0; q < NQUEUES; q++) {
		wr(c, VIRTIO_MMIO_QUEUE_SEL, q);
		wr(c, VIRTIO_MMIO_QUEUE_NUM, FQNUM);
		wr(c, VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1000 * q);
		wr(c, VIRTIO_MMIO_QUEUE_AVAIL_LOW, 0x1000 * q + 0x200);
		wr(c, VIRTIO_MMIO_QUEUE_USED_LOW, 0x1000 * q + 0x400);
		wr(c, VIRTIO_MMIO_QUEUE_READY, 1);
	}
	wr(c, VIRTIO_MMIO_STATUS, 0xf);
}

static void check(struct virtio_console *c)
{
	uint32_t st;

	virtio_console__mmio_read(c, VIRTIO_MMIO_STATUS, &st, 4);
	if (virtio_console__error(c) && !(st & VIRTIO_CONFIG_S_NEEDS_RESET))
		abort();
	for (unsigned q = 0; q < c->mmio.nqueues; q++) {
		const struct virtq *vq = &c->mmio.vq[q];

		if (vq->ready && (!vq->num || vq->num > VIRTQ_MAX_SIZE || !vq->desc))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static _Alignas(4096) uint8_t mem[FMEM];
	static struct virtio_console c;
	struct guest_mem gm = { .host = mem, .size = FMEM };
	struct in in = { data, size };
	unsigned steps = 0;

	memset(mem, 0, sizeof(mem));
	if (virtio_console__init(&c, &gm, virtio_console__ktstr_ports, NPORTS, &fops, mem,
				 on_irq, NULL))
		abort();
	while (in.n && steps++ < 4096) {
		uint8_t op = (uint8_t)take(&in, 1) % 9;

		switch (op) {
		case 0: {
			uint32_t off = take(&in, 1) * 4;

			wr(&c, off, take(&in, 4));
			break;
		}
		case 1: {
			static const uint32_t widths[4] = { 1, 2, 4, 8 };
			uint64_t v;
			uint32_t off = take(&in, 2) & 0xfff;

			virtio_console__mmio_read(&c, off, &v, widths[take(&in, 1) & 3]);
			break;
		}
		case 2:
			probe(&c);
			break;
		case 3:
			wr(&c, VIRTIO_MMIO_QUEUE_NOTIFY, take(&in, 1) % 16);
			break;
		case 4: {
			unsigned port = take(&in, 1) % (NPORTS + 1);
			size_t len = take(&in, 1);

			if (len > in.n)
				len = in.n;
			virtio_console__send(&c, port, in.p, len);
			in.p += len;
			in.n -= len;
			break;
		}
		case 5: {
			uint32_t off = take(&in, 2), len = take(&in, 1);

			if (len > in.n)
				len = (uint32_t)in.n;
			if (off + len > FMEM)
				len = FMEM - off;
			memcpy(mem + off, in.p, len);
			in.p += len;
			in.n -= len;
			break;
		}
		case 6:
			virtio_console__flush(&c);
			break;
		case 7: {
			uint32_t q = take(&in, 1) % NQUEUES, slot = take(&in, 1) % FQNUM;
			uint8_t *d = mem + 0x1000 * q + 16 * slot;
			uint64_t addr = take(&in, 2);
			uint32_t len = take(&in, 2);
			uint16_t flags = (uint16_t)take(&in, 1), next = (uint16_t)take(&in, 1);

			memcpy(d, &addr, 8);
			memcpy(d + 8, &len, 4);
			memcpy(d + 12, &flags, 2);
			memcpy(d + 14, &next, 2);
			break;
		}
		case 8: {
			uint32_t q = take(&in, 1) % NQUEUES;
			uint16_t head = (uint16_t)take(&in, 1), idx;
			uint8_t *avail = mem + 0x1000 * q + 0x200;

			memcpy(&idx, avail + 2, 2);
			memcpy(avail + 4 + 2 * (idx % FQNUM), &head, 2);
			idx++;
			memcpy(avail + 2, &idx, 2);
			break;
		}
		}
		check(&c);
	}
	return 0;
}

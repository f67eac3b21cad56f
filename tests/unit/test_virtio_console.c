// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for vmm/virtq, vmm/virtio_mmio and vmm/virtio_console: a fake
 * guest driver in a heap "guest memory" probes the device, negotiates
 * features, sets up the queues, runs the multiport control handshake and
 * moves bytes both ways; then hostile rings (loops, bad addresses, huge
 * lengths, bad indexes, index wrap) must end in DEVICE_NEEDS_RESET, not a
 * crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/virtio_config.h>
#include <linux/virtio_console.h>
#include <linux/virtio_ring.h>

#include "wire/ktstr_proto.h"
#include "virtio/virtio_console.h"

#define MEM_SIZE	(1u << 20)
#define QNUM		16
#define NPORTS		4
#define NQUEUES		(2 * (NPORTS + 1))
#define QAREA(q)	(0x1000ull * (q))	/* desc +0, avail +0x400, used +0x800 */
#define BUF(q, i)	(0x40000ull + 0x1000ull * (q) * QNUM + 0x1000ull * (i))

struct drv {
	struct guest_mem mem;
	struct virtio_console c;
	uint16_t avail_idx[NQUEUES], used_seen[NQUEUES];
	int irqs;
	/* what the host side saw */
	uint8_t rx[NPORTS][256];
	size_t rx_len[NPORTS];
	int opened[NPORTS];
};

static void on_rx(void *ctx, unsigned port, const uint8_t *data, size_t len)
{
	struct drv *d = ctx;
	size_t room;

	assert_true(port < NPORTS);
	room = sizeof(d->rx[port]) - d->rx_len[port];
	if (len > room)
		len = room;
	memcpy(d->rx[port] + d->rx_len[port], data, len);
	d->rx_len[port] += len;
}

static void on_open(void *ctx, unsigned port, bool open)
{
	struct drv *d = ctx;

	d->opened[port] += open ? 1 : -1;
}

static void on_irq(void *ctx)
{
	((struct drv *)ctx)->irqs++;
}

static const struct virtio_console_ops ops = { .rx = on_rx, .open = on_open };

static uint32_t rd(struct drv *d, uint32_t off)
{
	uint32_t v;

	virtio_console__mmio_read(&d->c, off, &v, 4);
	return v;
}

static void wr(struct drv *d, uint32_t off, uint32_t v)
{
	virtio_console__mmio_write(&d->c, off, &v, 4);
}

static uint8_t *gp(struct drv *d, uint64_t gpa)
{
	return d->mem.host + gpa;
}

static void put_desc(struct drv *d, unsigned q, unsigned i, uint64_t addr, uint32_t len,
		     uint16_t flags, uint16_t next)
{
	uint8_t *p = gp(d, QAREA(q) + 16 * i);

	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

/* Make descriptor @head available on @q (without notifying). */
static void publish(struct drv *d, unsigned q, uint16_t head)
{
	uint8_t *avail = gp(d, QAREA(q) + 0x400);
	uint16_t idx = d->avail_idx[q];

	memcpy(avail + 4 + 2 * (idx % QNUM), &head, 2);
	idx++;
	memcpy(avail + 2, &idx, 2);
	d->avail_idx[q] = idx;
}

static void notify(struct drv *d, unsigned q)
{
	wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

/* A one-descriptor buffer at BUF(q, slot). */
static void post(struct drv *d, unsigned q, const void *data, uint32_t len, bool writable)
{
	unsigned slot = d->avail_idx[q] % QNUM;

	if (data)
		memcpy(gp(d, BUF(q, slot)), data, len);
	put_desc(d, q, slot, BUF(q, slot), len, writable ? VRING_DESC_F_WRITE : 0, 0);
	publish(d, q, (uint16_t)slot);
}

/* The next used element of @q: returns false when there is none. */
static bool used(struct drv *d, unsigned q, uint32_t *id, uint32_t *len)
{
	uint8_t *u = gp(d, QAREA(q) + 0x800);
	uint16_t idx;

	memcpy(&idx, u + 2, 2);
	if (idx == d->used_seen[q])
		return false;
	memcpy(id, u + 4 + 8 * (d->used_seen[q] % QNUM), 4);
	memcpy(len, u + 8 + 8 * (d->used_seen[q] % QNUM), 4);
	d->used_seen[q]++;
	return true;
}

static void setup_queue(struct drv *d, unsigned q, uint32_t num)
{
	wr(d, VIRTIO_MMIO_QUEUE_SEL, q);
	assert_int_equal(rd(d, VIRTIO_MMIO_QUEUE_NUM_MAX), VIRTQ_MAX_SIZE);
	assert_int_equal(rd(d, VIRTIO_MMIO_QUEUE_READY), 0);
	wr(d, VIRTIO_MMIO_QUEUE_NUM, num);
	wr(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)QAREA(q));
	wr(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
	wr(d, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)QAREA(q) + 0x400);
	wr(d, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, 0);
	wr(d, VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)QAREA(q) + 0x800);
	wr(d, VIRTIO_MMIO_QUEUE_USED_HIGH, 0);
	wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
}

/* Probe like Linux's virtio_mmio + virtio_console: features, queues, DRIVER_OK. */
static void probe(struct drv *d)
{
	uint32_t st = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;

	wr(d, VIRTIO_MMIO_STATUS, 0);
	wr(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	wr(d, VIRTIO_MMIO_STATUS, st);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES, 1u << VIRTIO_CONSOLE_F_MULTIPORT);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES, 1u << (VIRTIO_F_VERSION_1 - 32));
	st |= VIRTIO_CONFIG_S_FEATURES_OK;
	wr(d, VIRTIO_MMIO_STATUS, st);
	assert_int_equal(rd(d, VIRTIO_MMIO_STATUS), st);
	for (unsigned q = 0; q < NQUEUES; q++)
		setup_queue(d, q, QNUM);
	st |= VIRTIO_CONFIG_S_DRIVER_OK;
	wr(d, VIRTIO_MMIO_STATUS, st);
	assert_int_equal(rd(d, VIRTIO_MMIO_STATUS), st);
	memset(d->avail_idx, 0, sizeof(d->avail_idx));
	memset(d->used_seen, 0, sizeof(d->used_seen));
}

static int setup(void **state)
{
	struct drv *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	d->mem.host = aligned_alloc(4096, MEM_SIZE);
	assert_non_null(d->mem.host);
	memset(d->mem.host, 0, MEM_SIZE);
	d->mem.size = MEM_SIZE;
	assert_int_equal(virtio_console__init(&d->c, &d->mem, virtio_console__ktstr_ports, NPORTS,
					      &ops, d, on_irq, d), 0);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct drv *d = *state;

	free(d->mem.host);
	free(d);
	return 0;
}

static void send_ctrl(struct drv *d, uint32_t id, uint16_t event, uint16_t value)
{
	struct virtio_console_control m = { .id = id, .event = event, .value = value };
	uint32_t uid, len;

	post(d, VCON_CTRL_TX_QUEUE, &m, sizeof(m), false);
	notify(d, VCON_CTRL_TX_QUEUE);
	assert_true(used(d, VCON_CTRL_TX_QUEUE, &uid, &len));
}

/* The next control message the device sent; returns its payload length. */
static uint32_t recv_ctrl(struct drv *d, struct virtio_console_control *m, char *name)
{
	uint32_t id = 0, len = 0;

	assert_true(used(d, VCON_CTRL_RX_QUEUE, &id, &len));
	assert_true(len >= sizeof(*m) && id < QNUM);
	memcpy(m, gp(d, BUF(VCON_CTRL_RX_QUEUE, id)), sizeof(*m));
	if (name) {
		memcpy(name, gp(d, BUF(VCON_CTRL_RX_QUEUE, id)) + sizeof(*m), len - sizeof(*m));
		name[len - sizeof(*m)] = 0;
	}
	/* recycle the buffer, as the driver does */
	post(d, VCON_CTRL_RX_QUEUE, NULL, 256, true);
	return len - (uint32_t)sizeof(*m);
}

static void handshake(struct drv *d)
{
	struct virtio_console_control m;
	char name[256];

	for (int i = 0; i < QNUM; i++)
		post(d, VCON_CTRL_RX_QUEUE, NULL, 256, true);
	notify(d, VCON_CTRL_RX_QUEUE);
	send_ctrl(d, VIRTIO_CONSOLE_BAD_ID, VIRTIO_CONSOLE_DEVICE_READY, 1);
	for (uint32_t p = 0; p < NPORTS; p++) {
		assert_int_equal(recv_ctrl(d, &m, NULL), 0);
		assert_int_equal(m.id, p);
		assert_int_equal(m.event, VIRTIO_CONSOLE_PORT_ADD);
	}
	for (uint32_t p = 0; p < NPORTS; p++) {
		send_ctrl(d, p, VIRTIO_CONSOLE_PORT_READY, 1);
		if (p == 0) {
			recv_ctrl(d, &m, NULL);
			assert_int_equal(m.event, VIRTIO_CONSOLE_CONSOLE_PORT);
			assert_int_equal(m.id, 0);
		} else {
			recv_ctrl(d, &m, name);
			assert_int_equal(m.event, VIRTIO_CONSOLE_PORT_NAME);
			assert_int_equal(m.id, p);
			assert_string_equal(name, virtio_console__ktstr_ports[p].name);
		}
		recv_ctrl(d, &m, NULL);
		assert_int_equal(m.event, VIRTIO_CONSOLE_PORT_OPEN);
		assert_int_equal(m.id, p);
		assert_int_equal(m.value, 1);
	}
	assert_false(used(d, VCON_CTRL_RX_QUEUE, &(uint32_t){ 0 }, &(uint32_t){ 0 }));
}

static void test_registers(void **state)
{
	struct drv *d = *state;
	uint32_t v;
	uint8_t b;

	assert_int_equal(rd(d, VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
	assert_int_equal(rd(d, VIRTIO_MMIO_VERSION), 2);
	assert_int_equal(rd(d, VIRTIO_MMIO_DEVICE_ID), 3);
	assert_int_equal(rd(d, VIRTIO_MMIO_VENDOR_ID), VIRTIO_MMIO_VENDOR);
	wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	assert_int_equal(rd(d, VIRTIO_MMIO_DEVICE_FEATURES), 1u << VIRTIO_CONSOLE_F_MULTIPORT);
	wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(rd(d, VIRTIO_MMIO_DEVICE_FEATURES), 1u << (VIRTIO_F_VERSION_1 - 32));
	wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 7);
	assert_int_equal(rd(d, VIRTIO_MMIO_DEVICE_FEATURES), 0);
	/* config: cols, rows, max_nr_ports */
	assert_int_equal(rd(d, VIRTIO_MMIO_CONFIG + 4), NPORTS);
	virtio_console__mmio_read(&d->c, VIRTIO_MMIO_CONFIG + 4, &b, 1);
	assert_int_equal(b, NPORTS);
	/* past the config space, odd widths, unaligned: zero, no crash */
	assert_int_equal(rd(d, VIRTIO_MMIO_CONFIG + 12), 0);
	assert_int_equal(rd(d, VIRTIO_MMIO_CONFIG + 10), 0);
	virtio_console__mmio_read(&d->c, VIRTIO_MMIO_VERSION, &b, 1);
	assert_int_equal(b, 0);
	virtio_console__mmio_read(&d->c, 0xfff, &v, 4);
	virtio_console__mmio_read(&d->c, UINT64_MAX - 2, &v, 4);
	virtio_console__mmio_write(&d->c, UINT64_MAX - 2, &v, 4);
	virtio_console__mmio_read(&d->c, 0, &v, 9);
	/* queue registers of a queue that does not exist */
	wr(d, VIRTIO_MMIO_QUEUE_SEL, 99);
	assert_int_equal(rd(d, VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
	wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
	wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, 99);
	assert_null(virtio_console__error(&d->c));
	/* features outside the offer: FEATURES_OK does not stick */
	wr(d, VIRTIO_MMIO_STATUS, 3);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES, 1u << 5);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES, 1);
	wr(d, VIRTIO_MMIO_STATUS, 3 | VIRTIO_CONFIG_S_FEATURES_OK);
	assert_int_equal(rd(d, VIRTIO_MMIO_STATUS), 3);
	/* no VERSION_1: refused too */
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES, 0);
	wr(d, VIRTIO_MMIO_STATUS, 3 | VIRTIO_CONFIG_S_FEATURES_OK);
	assert_int_equal(rd(d, VIRTIO_MMIO_STATUS), 3);
	assert_int_equal(virtio_console__port_by_name(&d->c, KTSTR_PORT_CONTROL), 2);
	assert_int_equal(virtio_console__port_by_name(&d->c, "nope"), -1);
}

static void test_handshake_and_data(void **state)
{
	struct drv *d = *state;
	unsigned results = 1, control = 2;
	unsigned tx_results = 2 * results + 3, rx_control = 2 * control + 2;
	uint32_t id = 0, len = 0;
	int irqs;

	probe(d);
	handshake(d);
	assert_true(d->irqs > 0);
	assert_true(rd(d, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_VRING);
	wr(d, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING);
	assert_int_equal(rd(d, VIRTIO_MMIO_INTERRUPT_STATUS), 0);

	/* the guest opens the results port */
	send_ctrl(d, results, VIRTIO_CONSOLE_PORT_OPEN, 1);
	assert_int_equal(d->opened[results], 1);
	send_ctrl(d, results, VIRTIO_CONSOLE_PORT_OPEN, 1);	/* no double count */
	assert_int_equal(d->opened[results], 1);
	send_ctrl(d, 77, VIRTIO_CONSOLE_PORT_OPEN, 1);		/* unknown port: ignored */

	/* guest -> host: one buffer, then a two-descriptor chain */
	post(d, tx_results, "hello", 5, false);
	notify(d, tx_results);
	assert_true(used(d, tx_results, &id, &len));
	assert_int_equal(d->rx_len[results], 5);
	assert_memory_equal(d->rx[results], "hello", 5);
	memcpy(gp(d, 0xf0000), " wor", 4);
	memcpy(gp(d, 0xf0100), "ld", 2);
	put_desc(d, tx_results, 3, 0xf0000, 4, VRING_DESC_F_NEXT, 9);
	put_desc(d, tx_results, 9, 0xf0100, 2, 0, 0);
	publish(d, tx_results, 3);
	notify(d, tx_results);
	assert_true(used(d, tx_results, &id, &len));
	assert_int_equal(id, 3);
	assert_int_equal(d->rx_len[results], 11);
	assert_memory_equal(d->rx[results], "hello world", 11);
	assert_int_equal(d->rx_len[0] + d->rx_len[2] + d->rx_len[3], 0);

	/* host -> guest: 12 bytes into two 8-byte buffers */
	post(d, rx_control, NULL, 8, true);
	post(d, rx_control, NULL, 8, true);
	notify(d, rx_control);
	irqs = d->irqs;
	assert_int_equal(virtio_console__send(&d->c, control, "0123456789ab", 12), 12);
	assert_true(d->irqs > irqs);
	assert_true(used(d, rx_control, &id, &len));
	assert_int_equal(len, 8);
	assert_memory_equal(gp(d, BUF(rx_control, id)), "01234567", 8);
	assert_true(used(d, rx_control, &id, &len));
	assert_int_equal(len, 4);
	assert_memory_equal(gp(d, BUF(rx_control, id)), "89ab", 4);
	/* no buffer posted: buffered until the guest posts one */
	assert_int_equal(virtio_console__send(&d->c, control, "xyz", 3), 3);
	assert_false(used(d, rx_control, &id, &len));
	post(d, rx_control, NULL, 64, true);
	notify(d, rx_control);
	assert_true(used(d, rx_control, &id, &len));
	assert_int_equal(len, 3);
	assert_memory_equal(gp(d, BUF(rx_control, id)), "xyz", 3);
	/* the per-port buffer is bounded */
	{
		static uint8_t big[VCON_PENDING_MAX + 100];

		assert_int_equal(virtio_console__send(&d->c, 3, big, sizeof(big)),
				 VCON_PENDING_MAX);
		assert_int_equal(virtio_console__send(&d->c, 3, big, 1), 0);
	}
	assert_int_equal(virtio_console__send(&d->c, NPORTS, "x", 1), -EINVAL);
	assert_null(virtio_console__error(&d->c));
}

/* Expect the device to be broken, and a reset plus a new probe to revive it. */
static void expect_broken(struct drv *d, unsigned q)
{
	uint32_t id = 0, len = 0;
	size_t before = d->rx_len[1];

	assert_non_null(virtio_console__error(&d->c));
	assert_true(rd(d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET);
	assert_true(rd(d, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_CONFIG);
	/* nothing moves while broken */
	post(d, 5, "zz", 2, false);
	notify(d, 5);
	assert_int_equal(d->rx_len[1], before);
	(void)q;
	/* the driver resets: healthy again */
	wr(d, VIRTIO_MMIO_STATUS, 0);
	assert_null(virtio_console__error(&d->c));
	assert_int_equal(rd(d, VIRTIO_MMIO_STATUS), 0);
	memset(d->mem.host, 0, MEM_SIZE);
	probe(d);
	post(d, 5, "ok", 2, false);
	notify(d, 5);
	assert_true(used(d, 5, &id, &len));
	assert_int_equal(d->rx_len[1], before + 2);
	memset(d->mem.host, 0, MEM_SIZE);
	probe(d);
}

static void test_hostile_chains(void **state)
{
	struct drv *d = *state;
	const unsigned q = 5;	/* port 1 transmitq */

	probe(d);

	/* a descriptor loop */
	put_desc(d, q, 0, BUF(q, 0), 4, VRING_DESC_F_NEXT, 1);
	put_desc(d, q, 1, BUF(q, 1), 4, VRING_DESC_F_NEXT, 0);
	publish(d, q, 0);
	notify(d, q);
	assert_string_equal(virtio_console__error(&d->c),
			    "virtqueue descriptor chain loops or is longer than the queue");
	expect_broken(d, q);

	/* a buffer that runs off the end of guest memory */
	put_desc(d, q, 0, MEM_SIZE - 4, 8, 0, 0);
	publish(d, q, 0);
	notify(d, q);
	assert_string_equal(virtio_console__error(&d->c),
			    "virtqueue descriptor points outside guest memory");
	expect_broken(d, q);

	/* a huge length, and an address that wraps around */
	put_desc(d, q, 0, 0x1000, 0xffffffffu, 0, 0);
	publish(d, q, 0);
	notify(d, q);
	assert_non_null(virtio_console__error(&d->c));
	expect_broken(d, q);
	put_desc(d, q, 0, UINT64_MAX - 1, 16, 0, 0);
	publish(d, q, 0);
	notify(d, q);
	assert_string_equal(virtio_console__error(&d->c),
			    "virtqueue descriptor points outside guest memory");
	expect_broken(d, q);

	/* a head index past the ring */
	publish(d, q, QNUM + 3);
	notify(d, q);
	assert_non_null(virtio_console__error(&d->c));
	expect_broken(d, q);

	/* a next index past the ring */
	put_desc(d, q, 0, BUF(q, 0), 4, VRING_DESC_F_NEXT, 0xffff);
	publish(d, q, 0);
	notify(d, q);
	assert_non_null(virtio_console__error(&d->c));
	expect_broken(d, q);

	/* an indirect descriptor (not offered) */
	put_desc(d, q, 0, BUF(q, 0), 16, VRING_DESC_F_INDIRECT, 0);
	publish(d, q, 0);
	notify(d, q);
	assert_non_null(virtio_console__error(&d->c));
	expect_broken(d, q);

	/* an avail index far ahead of what the ring can hold */
	{
		uint16_t idx = QNUM + 1;

		memcpy(gp(d, QAREA(q) + 0x400 + 2), &idx, 2);
		notify(d, q);
		assert_non_null(virtio_console__error(&d->c));
		expect_broken(d, q);
	}

	/* a chain longer than the ring (no loop, just all descriptors chained) */
	for (unsigned i = 0; i < QNUM; i++)
		put_desc(d, q, i, BUF(q, 0), 1, VRING_DESC_F_NEXT, (uint16_t)(i + 1));
	publish(d, q, 0);
	notify(d, q);
	assert_non_null(virtio_console__error(&d->c));
	expect_broken(d, q);

	/* a bad rx buffer hit by host -> guest data */
	put_desc(d, 6, 0, MEM_SIZE, 1, VRING_DESC_F_WRITE, 0);
	publish(d, 6, 0);
	assert_int_equal(virtio_console__send(&d->c, 2, "a", 1), 1);
	assert_non_null(virtio_console__error(&d->c));
	expect_broken(d, q);
}

static void test_hostile_queue_setup(void **state)
{
	struct drv *d = *state;
	const uint32_t bad_num[] = { 0, 3, VIRTQ_MAX_SIZE * 2, 0x10000 };

	for (size_t i = 0; i < sizeof(bad_num) / sizeof(bad_num[0]); i++) {
		probe(d);
		wr(d, VIRTIO_MMIO_STATUS, 0);
		wr(d, VIRTIO_MMIO_STATUS, 3);
		setup_queue(d, 0, bad_num[i]);
		assert_non_null(virtio_console__error(&d->c));
		assert_int_equal(rd(d, VIRTIO_MMIO_QUEUE_READY), 0);
		wr(d, VIRTIO_MMIO_STATUS, 0);
	}
	/* rings outside guest memory, and misaligned */
	wr(d, VIRTIO_MMIO_STATUS, 3);
	wr(d, VIRTIO_MMIO_QUEUE_SEL, 1);
	wr(d, VIRTIO_MMIO_QUEUE_NUM, QNUM);
	wr(d, VIRTIO_MMIO_QUEUE_DESC_LOW, 0);
	wr(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, 0x10);
	wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
	assert_int_equal(rd(d, VIRTIO_MMIO_QUEUE_READY), 0);
	assert_non_null(virtio_console__error(&d->c));
	wr(d, VIRTIO_MMIO_STATUS, 0);
	wr(d, VIRTIO_MMIO_STATUS, 3);
	wr(d, VIRTIO_MMIO_QUEUE_SEL, 1);
	wr(d, VIRTIO_MMIO_QUEUE_NUM, QNUM);
	wr(d, VIRTIO_MMIO_QUEUE_USED_LOW, MEM_SIZE - 8);
	wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
	assert_non_null(virtio_console__error(&d->c));
	wr(d, VIRTIO_MMIO_STATUS, 0);
	wr(d, VIRTIO_MMIO_STATUS, 3);
	wr(d, VIRTIO_MMIO_QUEUE_SEL, 1);
	wr(d, VIRTIO_MMIO_QUEUE_NUM, QNUM);
	wr(d, VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1008);
	wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
	assert_non_null(virtio_console__error(&d->c));
	wr(d, VIRTIO_MMIO_STATUS, 0);
	assert_null(virtio_console__error(&d->c));
}

/* 70000 buffers through one queue: the 16-bit ring indexes wrap. */
static void test_index_wrap(void **state)
{
	struct drv *d = *state;
	const unsigned q = 7;	/* port 2 transmitq */
	uint32_t id = 0, len = 0, n = 0;

	probe(d);
	for (uint32_t i = 0; i < 70000; i++) {
		post(d, q, "x", 1, false);
		notify(d, q);
		while (used(d, q, &id, &len))
			n++;
		d->rx_len[2] = 0;	/* keep the capture from filling */
	}
	assert_int_equal(n, 70000);
	assert_null(virtio_console__error(&d->c));
	assert_int_equal(d->c.mmio.vq[q].used_idx, (uint16_t)70000);
}

/* A driver without MULTIPORT: port 0 on queues 0/1 only, no control queues. */
static void test_single_port(void **state)
{
	struct drv *d = *state;
	uint32_t st = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER, id = 0, len = 0;

	wr(d, VIRTIO_MMIO_STATUS, 0);
	wr(d, VIRTIO_MMIO_STATUS, st);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES, 1u << (VIRTIO_F_VERSION_1 - 32));
	st |= VIRTIO_CONFIG_S_FEATURES_OK;
	wr(d, VIRTIO_MMIO_STATUS, st);
	assert_int_equal(rd(d, VIRTIO_MMIO_STATUS), st);
	setup_queue(d, 0, QNUM);
	setup_queue(d, 1, QNUM);
	wr(d, VIRTIO_MMIO_STATUS, st | VIRTIO_CONFIG_S_DRIVER_OK);

	post(d, 1, "hvc0", 4, false);
	notify(d, 1);
	assert_true(used(d, 1, &id, &len));
	assert_int_equal(d->rx_len[0], 4);
	assert_memory_equal(d->rx[0], "hvc0", 4);
	post(d, 0, NULL, 16, true);
	notify(d, 0);
	assert_int_equal(virtio_console__send(&d->c, 0, "hi", 2), 2);
	assert_true(used(d, 0, &id, &len));
	assert_int_equal(len, 2);
	/* other ports are not there without MULTIPORT: kept, not delivered */
	assert_int_equal(virtio_console__send(&d->c, 1, "no", 2), 2);
	assert_int_equal(d->c.port[1].pend_len, 2);
	/* control queues were never set up: notifying them does nothing */
	notify(d, VCON_CTRL_TX_QUEUE);
	assert_null(virtio_console__error(&d->c));
}

static void test_init_errors(void **state)
{
	struct drv *d = *state;
	char longname[VCON_NAME_MAX + 1];
	struct vcon_port_cfg bad[2] = { { .name = longname }, { .console = true } };
	struct vcon_port_cfg two_consoles[2] = { { .console = true }, { .console = true } };

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	assert_int_equal(virtio_console__init(&d->c, &d->mem, bad, 2, &ops, d, NULL, NULL),
			 -EINVAL);
	assert_int_equal(virtio_console__init(&d->c, &d->mem, two_consoles, 2, &ops, d, NULL,
					      NULL), -EINVAL);
	assert_int_equal(virtio_console__init(&d->c, &d->mem, virtio_console__ktstr_ports, 0,
					      &ops, d, NULL, NULL), -EINVAL);
	assert_int_equal(virtio_console__init(&d->c, &d->mem, virtio_console__ktstr_ports,
					      VCON_MAX_PORTS + 1, &ops, d, NULL, NULL), -EINVAL);
}

static void test_cmdline(void **state)
{
	char buf[128];

	virtio_mmio__cmdline(buf, sizeof(buf), 0xc0000000ull, 5);
	assert_string_equal(buf, "virtio_mmio.device=4K@0xc0000000:5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handshake_and_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_chains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_queue_setup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_errors, setup, teardown),
		cmocka_unit_test(test_cmdline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A test guest that drives the VMM's virtio-mmio console at CPL3 (polling:
 * the device answers each QueueNotify before the MMIO exit returns), then
 * powers off through ACPI. On COM1:
 *
 *   KTSTR_GUEST virtio start
 *   virtio magic=0x74726976 version=2 device=3 features=0x100000002
 *   virtio ports=4 status=0xf
 *   port 0 name=console console=1 open=1
 *   port 1 name=org.ktstr.results console=0 open=1
 *   ...
 *   results sent type=5 len=26
 *   control frame type=64 len=17 crc=ok payload=<text>     (one per frame)
 *   KTSTR_GUEST virtio end
 *
 * The device window at 0xC0000000 lies outside the VMM's 1 GiB identity map:
 * the guest maps it user-accessible through a page directory of its own,
 * hooked into the (user-writable) PDPT entry 3, which was never present, so
 * no TLB entry needs flushing. Its rings and buffers are in its own .bss.
 */
#include "guest.h"

#define MAPPED_END	0x200000ull
#define VIO_BASE	0xC0000000ull
#define PTE_P		0x1ull
#define PTE_RW		0x2ull
#define PTE_U		0x4ull
#define PTE_PWT		0x8ull
#define PTE_PCD		0x10ull
#define PTE_PS		0x80ull
#define PM1A_CNT	0x604

/* virtio-mmio v2 registers */
#define R_MAGIC		0x000
#define R_VERSION	0x004
#define R_DEVICE_ID	0x008
#define R_DEV_FEAT	0x010
#define R_DEV_FEAT_SEL	0x014
#define R_DRV_FEAT	0x020
#define R_DRV_FEAT_SEL	0x024
#define R_QUEUE_SEL	0x030
#define R_QUEUE_NUM_MAX	0x034
#define R_QUEUE_NUM	0x038
#define R_QUEUE_READY	0x044
#define R_QUEUE_NOTIFY	0x050
#define R_INT_STATUS	0x060
#define R_INT_ACK	0x064
#define R_STATUS	0x070
#define R_DESC_LO	0x080
#define R_DESC_HI	0x084
#define R_AVAIL_LO	0x090
#define R_AVAIL_HI	0x094
#define R_USED_LO	0x0a0
#define R_USED_HI	0x0a4
#define R_CONFIG	0x100

#define S_ACK		1
#define S_DRIVER	2
#define S_DRIVER_OK	4
#define S_FEATURES_OK	8
#define F_MULTIPORT	(1ull << 1)
#define F_VERSION_1	(1ull << 32)
#define D_WRITE		2

/* virtio-console control events */
#define C_DEVICE_READY	0
#define C_PORT_ADD	1
#define C_PORT_READY	3
#define C_CONSOLE_PORT	4
#define C_PORT_OPEN	6
#define C_PORT_NAME	7

#define QSZ		16
#define MAX_PORTS	4
#define NQUEUES		(2 * (MAX_PORTS + 1))
#define BUF_SZ		256
#define NAME_MAX	64

#define FRAME_MAGIC	0x5253544bu
#define MSG_LOG		5

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

struct vq {
	struct desc desc[QSZ];			/* 256 bytes, 16-aligned */
	struct {
		uint16_t flags, idx, ring[QSZ], event;
	} avail;
	uint16_t pad;
	struct {
		uint16_t flags, idx;
		struct { uint32_t id, len; } ring[QSZ];
		uint16_t event;
	} used;
	uint16_t num;				/* 0: not set up */
	uint16_t last_used;
	uint8_t buf[QSZ][BUF_SZ];		/* buffer of descriptor i */
} __attribute__((aligned(4096)));

struct port {
	char name[NAME_MAX];
	int added, console, open;
};

static struct vq vqs[NQUEUES];
static struct port ports[MAX_PORTS];
static uint64_t my_pd[512] __attribute__((aligned(4096)));
static unsigned int nports;

static volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(VIO_BASE + off);
}

static uint32_t rd32(uint32_t off)
{
	return *reg(off);
}

static void wr32(uint32_t off, uint32_t v)
{
	*reg(off) = v;
}

static void barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

static void say(const char *s)
{
	uart_puts(COM1, s);
}

__attribute__((noreturn)) static void fail(const char *why)
{
	say("virtio FAIL ");
	say(why);
	say("\n");
	guest_reset();
}

/* Map 0xC0000000..+2 MiB uncached and user-accessible. */
static int map_mmio(void)
{
	volatile uint64_t *pml4 = (volatile uint64_t *)0x9000, *pdpt;
	uint64_t a = pml4[0] & ~0xfffull;

	if (!(pml4[0] & PTE_P) || a >= MAPPED_END)
		return -1;
	pdpt = (volatile uint64_t *)a;
	if (pdpt[3] & PTE_P)
		return -1;
	my_pd[0] = VIO_BASE | PTE_P | PTE_RW | PTE_U | PTE_PS | PTE_PCD | PTE_PWT;
	barrier();
	pdpt[3] = (uint64_t)my_pd | PTE_P | PTE_RW | PTE_U;
	barrier();
	return 0;
}

static uint32_t crc32(const uint8_t *p, uint32_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return ~c;
}

static uint32_t ld(const uint8_t *p, unsigned int n)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static void st(uint8_t *p, uint32_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void q_setup(unsigned int qi)
{
	struct vq *q = &vqs[qi];
	uint32_t max;

	wr32(R_QUEUE_SEL, qi);
	max = rd32(R_QUEUE_NUM_MAX);
	if (max < QSZ)
		fail("queue too small");
	q->num = QSZ;
	wr32(R_QUEUE_NUM, QSZ);
	wr32(R_DESC_LO, (uint32_t)(uint64_t)q->desc);
	wr32(R_DESC_HI, 0);
	wr32(R_AVAIL_LO, (uint32_t)(uint64_t)&q->avail);
	wr32(R_AVAIL_HI, 0);
	wr32(R_USED_LO, (uint32_t)(uint64_t)&q->used);
	wr32(R_USED_HI, 0);
	wr32(R_QUEUE_READY, 1);
}

/* Post the buffer of the next slot: @len bytes, device-writable or not. Returns its slot. */
static unsigned int q_post(struct vq *q, uint32_t len, int writable)
{
	unsigned int slot = q->avail.idx % QSZ;

	q->desc[slot] = (struct desc){
		.addr = (uint64_t)q->buf[slot], .len = len, .flags = writable ? D_WRITE : 0,
	};
	q->avail.ring[slot] = (uint16_t)slot;
	barrier();
	q->avail.idx++;
	barrier();
	return slot;
}

static void q_notify(unsigned int qi)
{
	wr32(R_QUEUE_NOTIFY, qi);
}

/* The next used element: 1 with its slot and length (bounded), 0 when none. */
static int q_used(struct vq *q, unsigned int *slot, uint32_t *len)
{
	volatile uint16_t *idx = &q->used.idx;
	uint32_t id;

	if (*idx == q->last_used)
		return 0;
	barrier();
	id = q->used.ring[q->last_used % QSZ].id;
	*len = q->used.ring[q->last_used % QSZ].len;
	q->last_used++;
	if (id >= QSZ)
		fail("used id out of range");
	if (*len > BUF_SZ)
		*len = BUF_SZ;
	*slot = id;
	return 1;
}

/* Send @len bytes on tx queue @qi and wait (bounded) for the device to take them. */
static void q_send(unsigned int qi, const uint8_t *data, uint32_t len)
{
	struct vq *q = &vqs[qi];
	unsigned int slot;
	uint32_t n;

	if (len > BUF_SZ)
		len = BUF_SZ;
	slot = q->avail.idx % QSZ;
	memcpy(q->buf[slot], data, len);
	q_post(q, len, 0);
	q_notify(qi);
	for (int i = 0; i < 1000000; i++)
		if (q_used(q, &slot, &n))
			return;
	fail("tx not consumed");
}

static void ctrl_send(uint32_t id, uint16_t event, uint16_t value)
{
	uint8_t m[8];

	st(m, id, 4);
	st(m + 4, event, 2);
	st(m + 6, value, 2);
	q_send(3, m, 8);
}

static void ctrl_msg(const uint8_t *m, uint32_t len)
{
	uint32_t id = ld(m, 4), event = ld(m + 4, 2), value = ld(m + 6, 2);
	struct port *p = id < nports ? &ports[id] : 0;

	if (len < 8 || !p)
		return;
	switch (event) {
	case C_PORT_ADD:
		p->added = 1;
		ctrl_send(id, C_PORT_READY, 1);
		break;
	case C_CONSOLE_PORT:
		p->console = 1;
		break;
	case C_PORT_NAME: {
		uint32_t n = len - 8 < NAME_MAX - 1 ? len - 8 : NAME_MAX - 1;

		memcpy(p->name, m + 8, n);
		p->name[n] = 0;
		break;
	}
	case C_PORT_OPEN:
		p->open = value == 1;
		break;
	}
}

/* Handle control messages until none arrive (each reply may bring more). */
static void ctrl_drain(void)
{
	struct vq *q = &vqs[2];
	unsigned int slot;
	uint32_t len;

	for (int i = 0; i < 256 && q_used(q, &slot, &len); i++) {
		uint8_t m[BUF_SZ];

		memcpy(m, q->buf[slot], len);
		q_post(q, BUF_SZ, 1);
		q_notify(2);
		ctrl_msg(m, len);
	}
}

static int port_named(const char *name)
{
	for (unsigned int i = 0; i < nports; i++) {
		const char *a = ports[i].name, *b = name;

		while (*a && *a == *b)
			a++, b++;
		if (!*a && !*b)
			return (int)i;
	}
	return -1;
}

static unsigned int rxq(int port)
{
	return port ? 2u * (unsigned int)port + 2 : 0;
}

/* Print every complete frame in the bytes received so far on the control port. */
static uint8_t ctl_acc[1024];
static uint32_t ctl_len;

static void control_frames(void)
{
	while (ctl_len >= 16) {
		uint32_t magic = ld(ctl_acc, 4), len = ld(ctl_acc + 8, 4);

		if (magic != FRAME_MAGIC) {
			say("control garbage\n");
			ctl_len = 0;
			return;
		}
		if (len > sizeof(ctl_acc) - 16)
			fail("control frame too long");
		if (ctl_len < 16 + len)
			return;
		say("control frame type=");
		uart_dec(COM1, ld(ctl_acc + 6, 2));
		say(" len=");
		uart_dec(COM1, len);
		say(crc32(ctl_acc + 16, len) == ld(ctl_acc + 12, 4) ? " crc=ok" : " crc=BAD");
		say(" payload=");
		for (uint32_t i = 0; i < len; i++) {
			uint8_t c = ctl_acc[16 + i];

			uart_putc(COM1, c >= 0x20 && c < 0x7f ? (char)c : '?');
		}
		say("\n");
		memcpy(ctl_acc, ctl_acc + 16 + len, ctl_len - 16 - len);
		ctl_len -= 16 + len;
	}
}

static void control_poll(int port)
{
	struct vq *q = &vqs[rxq(port)];
	unsigned int slot;
	uint32_t len;

	while (q_used(q, &slot, &len)) {
		if (len > sizeof(ctl_acc) - ctl_len)
			fail("control overflow");
		memcpy(ctl_acc + ctl_len, q->buf[slot], len);
		ctl_len += len;
		q_post(q, BUF_SZ, 1);
		q_notify(rxq(port));
	}
	control_frames();
}

static void setup(void)
{
	uint64_t feat;
	uint32_t max_ports;

	say("virtio magic=");
	uart_hex(COM1, rd32(R_MAGIC));
	say(" version=");
	uart_dec(COM1, rd32(R_VERSION));
	say(" device=");
	uart_dec(COM1, rd32(R_DEVICE_ID));
	if (rd32(R_MAGIC) != 0x74726976 || rd32(R_VERSION) != 2 || rd32(R_DEVICE_ID) != 3)
		fail("not a virtio-mmio v2 console");
	wr32(R_STATUS, 0);
	wr32(R_STATUS, S_ACK);
	wr32(R_STATUS, S_ACK | S_DRIVER);
	wr32(R_DEV_FEAT_SEL, 1);
	feat = (uint64_t)rd32(R_DEV_FEAT) << 32;
	wr32(R_DEV_FEAT_SEL, 0);
	feat |= rd32(R_DEV_FEAT);
	say(" features=");
	uart_hex(COM1, feat);
	say("\n");
	if (!(feat & F_MULTIPORT) || !(feat & F_VERSION_1))
		fail("no MULTIPORT or VERSION_1");
	wr32(R_DRV_FEAT_SEL, 0);
	wr32(R_DRV_FEAT, (uint32_t)F_MULTIPORT);
	wr32(R_DRV_FEAT_SEL, 1);
	wr32(R_DRV_FEAT, (uint32_t)(F_VERSION_1 >> 32));
	wr32(R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	if (!(rd32(R_STATUS) & S_FEATURES_OK))
		fail("FEATURES_OK refused");
	max_ports = rd32(R_CONFIG + 4);
	if (!max_ports || max_ports > MAX_PORTS)
		fail("max_nr_ports out of range");
	nports = max_ports;
	for (unsigned int qi = 0; qi < 2 * (nports + 1); qi++)
		q_setup(qi);
	wr32(R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	say("virtio ports=");
	uart_dec(COM1, nports);
	say(" status=");
	uart_hex(COM1, rd32(R_STATUS));
	say("\n");
}

__attribute__((noreturn)) void guest_main(const uint8_t *bp);
void guest_main(const uint8_t *bp)
{
	static const char text[] = "hello from the virtio guest";
	uint8_t frame[16 + sizeof(text) - 1];
	int results, control;

	(void)bp;
	say("KTSTR_GUEST virtio start\n");
	if (map_mmio())
		fail("cannot map the device window");
	setup();

	for (int i = 0; i < QSZ; i++)
		q_post(&vqs[2], BUF_SZ, 1);
	q_notify(2);
	ctrl_send(0, C_DEVICE_READY, 1);
	ctrl_drain();
	for (unsigned int i = 0; i < nports; i++) {
		say("port ");
		uart_dec(COM1, i);
		say(" name=");
		say(ports[i].name[0] ? ports[i].name : "-");
		say(" console=");
		uart_dec(COM1, (uint64_t)ports[i].console);
		say(" open=");
		uart_dec(COM1, (uint64_t)ports[i].open);
		say("\n");
	}
	results = port_named("org.ktstr.results");
	control = port_named("org.ktstr.control");
	if (results < 0 || control < 0)
		fail("ports org.ktstr.results / org.ktstr.control not announced");
	ctrl_send((uint32_t)results, C_PORT_OPEN, 1);
	ctrl_send((uint32_t)control, C_PORT_OPEN, 1);
	ctrl_drain();

	/* Buffers for the host's control frames: what is pending arrives now. */
	for (int i = 0; i < 4; i++)
		q_post(&vqs[rxq(control)], BUF_SZ, 1);
	q_notify(rxq(control));
	control_poll(control);

	/* One KTSTR_MSG_LOG frame on the results port. */
	st(frame, FRAME_MAGIC, 4);
	st(frame + 4, 1, 2);
	st(frame + 6, MSG_LOG, 2);
	st(frame + 8, sizeof(text) - 1, 4);
	st(frame + 12, crc32((const uint8_t *)text, sizeof(text) - 1), 4);
	memcpy(frame + 16, text, sizeof(text) - 1);
	q_send(rxq(results) + 1, frame, sizeof(frame));
	say("results sent type=5 len=");
	uart_dec(COM1, sizeof(text) - 1);
	say("\n");
	/* Raw bytes on the console port (port 0's transmitq is queue 1). */
	q_send(1, (const uint8_t *)"console bytes\n", 14);

	/* The host's answer to the frame, delivered while it handled our notify. */
	control_poll(control);
	wr32(R_INT_ACK, rd32(R_INT_STATUS));
	say("KTSTR_GUEST virtio end\n");
	outw(PM1A_CNT, 5 << 10 | 1 << 13);
	guest_reset();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the VMM's 16550A UART (vmm/hw/serial.h) as the guest's 8250 driver
 * and the host drive it: a program of operations, each an opcode byte
 * (bits 0-3 the register offset, 8 and up out of range; bits 6-7 the
 * kind: 0 read, 1 write of the next byte, 2 host input of the next byte's
 * count of bytes, 3 a write of 2, 4, 6 or 8 bytes as bits 4-5 say). A
 * model of the receive FIFO checks every byte the guest reads, LSR's
 * data-ready bit, and that each transmitted byte reaches the host in order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hw/serial.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t sent[4096];
static size_t nsent;

static void out(void *arg, unsigned int idx, uint8_t byte)
{
	(void)arg;
	if (idx != 1)
		abort();
	if (nsent < sizeof(sent))
		sent[nsent++] = byte;
}

struct model {
	uint8_t q[SERIAL_RX_FIFO];
	unsigned int head, len;
};

static void model_push(struct model *m, uint8_t b)
{
	if (m->len < SERIAL_RX_FIFO)
		m->q[(m->head + m->len++) % SERIAL_RX_FIFO] = b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct serial s;
	struct model m = { 0 };
	uint8_t want[4096];
	size_t nwant = 0, i = 0;

	nsent = 0;
	serial__init(&s, 1, SERIAL_COM2_IRQ, -1, out, NULL);
	while (i < size) {
		uint8_t op = data[i++], buf[8];
		unsigned int off = op & 0x0f, kind = op >> 6, n;
		bool dlab = s.lcr & 0x80, loop = s.mcr & 0x10;

		switch (kind) {
		case 0:
			memset(buf, 0xee, sizeof(buf));
			serial__io(&s, off, buf, 1, false);
			if (off == 0 && !dlab) {
				uint8_t exp = 0;

				if (m.len) {
					exp = m.q[m.head];
					m.head = (m.head + 1) % SERIAL_RX_FIFO;
					m.len--;
				}
				if (buf[0] != exp)
					abort();	/* not the byte the FIFO held */
			}
			if (off == 5 && !!(buf[0] & 0x01) != !!m.len)
				abort();		/* LSR.DR disagrees with the FIFO */
			break;
		case 1:
		case 3:
			n = kind == 1 ? 1 : 2 + (op >> 4 & 3) * 2;
			if (i + n > size)
				return serial__exit(&s), 0;
			memcpy(buf, data + i, n);
			i += n;
			serial__io(&s, off, buf, n, true);
			if (off == 0 && !dlab) {
				if (loop)
					model_push(&m, buf[0]);
				else if (nwant < sizeof(want))
					want[nwant++] = buf[0];
			}
			if (off == 2 && (buf[0] & 0x02))
				m.len = 0;		/* FCR clears the receive FIFO */
			break;
		default:
			n = i < size ? data[i++] : 0;
			if (i + n > size)
				n = (unsigned int)(size - i);
			if (serial__input(&s, data + i, n) != (n < SERIAL_RX_FIFO - m.len ?
							       n : SERIAL_RX_FIFO - m.len))
				abort();
			for (unsigned int k = 0; k < n; k++)
				model_push(&m, data[i + k]);
			i += n;
			break;
		}
		if (s.rx_len != m.len || s.rx_head >= SERIAL_RX_FIFO)
			abort();
	}
	if (nsent != nwant || memcmp(sent, want, nsent))
		abort();	/* the host did not get what the guest sent */
	serial__exit(&s);
	return 0;
}

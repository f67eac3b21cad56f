/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 16550A UART on the port-I/O bus (COM1 0x3F8 IRQ 4, COM2 0x2F8 IRQ 3):
 * enough for Linux's 8250 driver (FIFO detection, loopback test, THRE and
 * receive interrupts gated by MCR.OUT2) and for polling writers (LSR.THRE
 * is always set: a byte written is passed on at once).
 */
#ifndef KTSTR_VMM_SERIAL_H
#define KTSTR_VMM_SERIAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SERIAL_COM1_PORT	0x3F8
#define SERIAL_COM2_PORT	0x2F8
#define SERIAL_COM1_IRQ		4
#define SERIAL_COM2_IRQ		3
#define SERIAL_NR_REGS		8
#define SERIAL_RX_FIFO		64

/* Called with each byte the guest transmits (in order, from a vCPU thread). */
typedef void (*serial_out_fn)(void *arg, unsigned int idx, uint8_t byte);

struct serial {
	pthread_mutex_t lock;
	unsigned int idx;		/* 0 = COM1, 1 = COM2 */
	unsigned int irq;
	int vm_fd;			/* KVM_IRQ_LINE target; -1: no interrupts */
	serial_out_fn out;
	void *arg;
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thri_pending;		/* THR-empty interrupt not yet acknowledged */
	bool irq_level;
	uint8_t rx[SERIAL_RX_FIFO];
	unsigned int rx_head, rx_len;
};

void serial__init(struct serial *s, unsigned int idx, unsigned int irq, int vm_fd,
		  serial_out_fn out, void *arg);
void serial__exit(struct serial *s);
/* The bus handler: @dev is a struct serial, @off 0..7. */
void serial__io(void *dev, uint64_t off, uint8_t *data, uint32_t len, bool is_write);
/* Queue bytes for the guest to read; returns how many fit. */
size_t serial__input(struct serial *s, const uint8_t *data, size_t len);

#endif

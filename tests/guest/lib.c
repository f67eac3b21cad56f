// SPDX-License-Identifier: GPL-2.0
#include "guest.h"

#define UART_LSR	5
#define UART_LSR_THRE	0x20

void uart_putc(uint16_t base, char c)
{
	/* Bounded wait: a UART that never drains must not hang the guest. */
	for (int i = 0; i < 1000 && !(inb(base + UART_LSR) & UART_LSR_THRE); i++)
		;
	outb(base, (uint8_t)c);
}

void uart_puts(uint16_t base, const char *s)
{
	while (*s) {
		if (*s == '\n')
			uart_putc(base, '\r');
		uart_putc(base, *s++);
	}
}

void uart_hex(uint16_t base, uint64_t v)
{
	char buf[19];
	int i = 18;

	buf[i] = 0;
	do {
		buf[--i] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	uart_puts(base, buf + i);
}

void uart_dec(uint16_t base, uint64_t v)
{
	char buf[21];
	int i = 20;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	uart_puts(base, buf + i);
}

void *memset(void *d, int c, size_t n)
{
	volatile uint8_t *p = d;

	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	volatile uint8_t *p = d;
	const uint8_t *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

void guest_reset(void)
{
	outb(0x64, 0xfe);
	for (;;)
		;
}

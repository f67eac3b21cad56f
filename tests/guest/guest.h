/* SPDX-License-Identifier: GPL-2.0 */
/* Freestanding helpers for the test guests: port I/O, a polling UART writer. */
#ifndef KTSTR_GUEST_H
#define KTSTR_GUEST_H

#include <stddef.h>
#include <stdint.h>

#define COM1 0x3f8
#define COM2 0x2f8

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void uart_putc(uint16_t base, char c);
void uart_puts(uint16_t base, const char *s);
void uart_hex(uint16_t base, uint64_t v);
void uart_dec(uint16_t base, uint64_t v);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
__attribute__((noreturn)) void guest_reset(void);

#endif

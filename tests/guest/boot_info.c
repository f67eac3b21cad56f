// SPDX-License-Identifier: GPL-2.0
/*
 * The test guest's real work, at CPL3: report what the VMM handed over in
 * boot_params on COM1, one fact per line, write a line to COM2, and end the
 * VM through the i8042 reset.
 *
 *   KTSTR_GUEST start
 *   loader=0xff boot_flag=0xaa55 header=HdrS version=0x0 (bzImage: its own)
 *   e820 count=3
 *   e820 0 addr=0x0 size=0x9fc00 type=1
 *   ...
 *   cmdline=<the command line>
 *   KTSTR_GUEST end
 *
 * "ktstr.guest=hang" on the command line makes it spin at CPL3 forever (for
 * the watchdog), "ktstr.guest=fault" makes it execute ud2 (a triple fault),
 * "ktstr.guest=mmio" reads and writes an address with no RAM (MMIO exits),
 * "ktstr.guest=mmio-exec" jumps there (KVM cannot run code from MMIO), and
 * "ktstr.guest=irq" turns on the UARTs' THRE interrupts, and "ktstr.guest=pm"
 * writes an S0 sleep (ignored), then S5 as the high byte of PM1a_CNT alone.
 */
#include "guest.h"

#define BP_E820_ENTRIES		0x1e8
#define BP_HDR_BOOT_FLAG	0x1fe
#define BP_HDR_HEADER		0x202
#define BP_HDR_VERSION		0x206
#define BP_HDR_LOADER		0x210
#define BP_HDR_CMDLINE_PTR	0x228
#define BP_HDR_CMDLINE_SIZE	0x238
#define BP_E820_TABLE		0x2d0
#define E820_MAX		128
#define CMDLINE_MAX		4096
#define MAPPED_END		0x200000	/* what entry.S made user-accessible */

static int has_word(const char *s, uint64_t len, const char *w)
{
	uint64_t n = 0;

	while (w[n])
		n++;
	for (uint64_t i = 0; i + n <= len; i++) {
		uint64_t j = 0;

		if (i && s[i - 1] != ' ')
			continue;
		while (j < n && s[i + j] == w[j])
			j++;
		if (j == n && (i + n == len || s[i + n] == ' ' || !s[i + n]))
			return 1;
	}
	return 0;
}

static uint64_t rd(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void report_e820(const uint8_t *bp)
{
	unsigned int n = bp[BP_E820_ENTRIES];

	uart_puts(COM1, "e820 count=");
	uart_dec(COM1, n);
	uart_puts(COM1, "\n");
	if (n > E820_MAX)
		n = E820_MAX;
	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *e = bp + BP_E820_TABLE + 20 * i;

		uart_puts(COM1, "e820 ");
		uart_dec(COM1, i);
		uart_puts(COM1, " addr=");
		uart_hex(COM1, rd(e, 8));
		uart_puts(COM1, " size=");
		uart_hex(COM1, rd(e + 8, 8));
		uart_puts(COM1, " type=");
		uart_dec(COM1, rd(e + 16, 4));
		uart_puts(COM1, "\n");
	}
}

/*
 * The VMM's page tables map the first 1 GiB with 2 MiB pages; PD[511] covers
 * 1022-1024 MiB, no RAM when the VM is smaller, so an access there is MMIO.
 * The page tables lie in the user-accessible first 2 MiB, so CPL3 code can
 * open that page to itself (never accessed before: no stale TLB entry).
 */
#define PROBE_GPA 0x3fe00000ull

static void mmio_probe(const uint8_t *bp, int exec)
{
	volatile uint64_t *pd;
	volatile uint32_t *mmio = (volatile uint32_t *)PROBE_GPA;
	uint64_t cr3_pd;

	(void)bp;
	/* PML4 at 0x9000 -> PDPT -> PD: follow the entries the VMM wrote. */
	cr3_pd = *(volatile uint64_t *)0x9000 & ~0xfffull;
	cr3_pd = *(volatile uint64_t *)cr3_pd & ~0xfffull;
	if (cr3_pd >= MAPPED_END) {
		uart_puts(COM1, "mmio: page tables out of reach\n");
		return;
	}
	pd = (volatile uint64_t *)cr3_pd;
	pd[511] |= 4;
	if (exec) {
		uart_puts(COM1, "KTSTR_GUEST executing from MMIO\n");
		((void (*)(void))PROBE_GPA)();
	}
	mmio[1] = 0x12345678;
	uart_puts(COM1, "mmio read=");
	uart_hex(COM1, mmio[0]);
	uart_puts(COM1, "\n");
}

/* THRE interrupts on: IER.THRI with MCR.OUT2, so COM1 and COM2 raise IRQ 4 and 3. */
static void uart_irqs(void)
{
	outb(COM1 + 4, 0x0b);
	outb(COM1 + 1, 0x02);
	outb(COM2 + 4, 0x0b);
	outb(COM2 + 1, 0x02);
	uart_puts(COM1, "uart irqs on\n");
}

/* The ACPI PM1a ports (FADT): S0 with SLP_EN does nothing, S5 powers off. */
static void pm_probe(void)
{
	uart_puts(COM1, "pm1a_sts=");
	uart_hex(COM1, inb(0x600));
	uart_puts(COM1, " pm1a_cnt=");
	uart_hex(COM1, inb(0x604));
	uart_puts(COM1, "\n");
	outw(0x604, 1u << 13);			/* SLP_TYP 0 | SLP_EN */
	uart_puts(COM1, "pm s0 ignored\n");
	outb(0x605, (5u << 10 | 1u << 13) >> 8);	/* SLP_TYP 5 | SLP_EN, high byte */
	uart_puts(COM1, "pm still running\n");
}

static void report_cmdline(const uint8_t *bp)
{
	uint64_t ptr = rd(bp + BP_HDR_CMDLINE_PTR, 4);
	uint64_t size = rd(bp + BP_HDR_CMDLINE_SIZE, 4);

	uart_puts(COM1, "cmdline=");
	if (ptr && ptr < MAPPED_END) {
		const char *s = (const char *)ptr;

		if (size > CMDLINE_MAX)
			size = CMDLINE_MAX;
		if (size > MAPPED_END - ptr)
			size = MAPPED_END - ptr;
		for (uint64_t i = 0; i < size && s[i]; i++)
			uart_putc(COM1, s[i]);
		uart_puts(COM1, "\n");
		if (has_word(s, size, "ktstr.guest=hang")) {
			uart_puts(COM1, "KTSTR_GUEST hanging\n");
			for (;;)
				__asm__ volatile("" ::: "memory");
		}
		if (has_word(s, size, "ktstr.guest=mmio"))
			mmio_probe(bp, 0);
		if (has_word(s, size, "ktstr.guest=mmio-exec"))
			mmio_probe(bp, 1);
		if (has_word(s, size, "ktstr.guest=irq"))
			uart_irqs();
		if (has_word(s, size, "ktstr.guest=pm"))
			pm_probe();
		if (has_word(s, size, "ktstr.guest=fault")) {
			uart_puts(COM1, "KTSTR_GUEST faulting\n");
			__asm__ volatile("ud2");
		}
		return;
	}
	uart_puts(COM1, "\n");
}

__attribute__((noreturn)) void guest_main(const uint8_t *bp);
void guest_main(const uint8_t *bp)
{
	uart_puts(COM1, "KTSTR_GUEST start\n");
	if ((uint64_t)bp >= MAPPED_END - 4096) {
		uart_puts(COM1, "boot_params pointer out of range\n");
		guest_reset();
	}
	uart_puts(COM1, "loader=");
	uart_hex(COM1, bp[BP_HDR_LOADER]);
	uart_puts(COM1, " boot_flag=");
	uart_hex(COM1, rd(bp + BP_HDR_BOOT_FLAG, 2));
	uart_puts(COM1, " header=");
	for (int i = 0; i < 4; i++)
		uart_putc(COM1, (char)bp[BP_HDR_HEADER + i]);
	uart_puts(COM1, " version=");
	uart_hex(COM1, rd(bp + BP_HDR_VERSION, 2));
	uart_puts(COM1, "\n");
	report_e820(bp);
	report_cmdline(bp);
	uart_puts(COM2, "KTSTR_GUEST com2 hello\n");
	uart_puts(COM1, "KTSTR_GUEST end\n");
	guest_reset();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A test guest that brings up the application processors and reports every
 * vCPU's CPUID topology on COM1, then powers off through ACPI:
 *
 *   KTSTR_GUEST smp start
 *   cpu bsp apic=0x0 x2apic=0x0 lapic=0x0 shift=1/2
 *   cpu ap apic=0x1 x2apic=0x1 lapic=0x1 shift=1/2   (one per AP, arrival order)
 *
 * apic and x2apic are what CPUID says (leaves 1 and 0xB), lapic what the
 * local APIC's ID register says: KVM's vCPU id, which must be the same.
 *   smp aps=7
 *   KTSTR_GUEST smp end
 *
 * At CPL3 the boot CPU copies ap_tramp.S's code to 0x10000, maps the local
 * APIC page (0xFEE00000) user-accessible through a page directory of its own
 * (hooked into the never-present PDPT entry 3) and writes the ICR: INIT, then
 * SIPI twice, to all but itself. The APs run their start-up code at CPL0
 * and store their IDs; the boot CPU polls (bounded) for ktstr.aps=N of them.
 */
#include "guest.h"

#define MAPPED_END	0x200000ull
#define AP_TRAMP_BASE	0x10000ull
#define AP_MAX_SLOTS	64
#define LAPIC_BASE	0xFEE00000ull
#define PD_LAPIC	((LAPIC_BASE - 0xC0000000ull) >> 21)
#define APIC_ID		0x20
#define APIC_ICR_LO	0x300
#define APIC_ICR_HI	0x310
#define ICR_ALL_BUT_SELF (3u << 18)
#define ICR_ASSERT	(1u << 14)
#define ICR_INIT	(5u << 8)
#define ICR_SIPI	(6u << 8)
#define ICR_BUSY	(1u << 12)
#define BP_CMDLINE_PTR	0x228
#define BP_CMDLINE_SIZE	0x238

extern const uint8_t ap_tramp_start[], ap_tramp_end[], ap_cr3[], ap_count[], ap_slots[];

static uint64_t my_pd[512] __attribute__((aligned(4096)));

static uint64_t rd(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* The copy's address of a trampoline symbol. */
static volatile uint32_t *tramp(const uint8_t *sym)
{
	return (volatile uint32_t *)(AP_TRAMP_BASE + (uint64_t)(sym - ap_tramp_start));
}

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static void report(const char *who, uint32_t apic, uint32_t x2apic, uint32_t lapic,
		   uint32_t shifts)
{
	uart_puts(COM1, "cpu ");
	uart_puts(COM1, who);
	uart_puts(COM1, " apic=");
	uart_hex(COM1, apic);
	uart_puts(COM1, " x2apic=");
	uart_hex(COM1, x2apic);
	uart_puts(COM1, " lapic=");
	uart_hex(COM1, lapic);
	uart_puts(COM1, " shift=");
	uart_dec(COM1, shifts & 0xff);
	uart_puts(COM1, "/");
	uart_dec(COM1, shifts >> 8);
	uart_puts(COM1, "\n");
}

/* ktstr.aps=N on the command line: how many APs to wait for. */
static unsigned int want_aps(const uint8_t *bp)
{
	uint64_t ptr = rd(bp + BP_CMDLINE_PTR, 4), size = rd(bp + BP_CMDLINE_SIZE, 4);
	const char *s = (const char *)ptr, *w = "ktstr.aps=";
	unsigned int n = 0;

	if (!ptr || ptr >= MAPPED_END || size > MAPPED_END - ptr)
		return 0;
	for (uint64_t i = 0; i + 10 < size; i++) {
		uint64_t j = 0;

		while (j < 10 && s[i + j] == w[j])
			j++;
		if (j < 10 || (i && s[i - 1] != ' '))
			continue;
		for (i += 10; i < size && s[i] >= '0' && s[i] <= '9' && n < 1000; i++)
			n = n * 10 + (unsigned int)(s[i] - '0');
		return n;
	}
	return 0;
}

static int map_lapic(void)
{
	volatile uint64_t *pml4 = (volatile uint64_t *)0x9000, *pdpt;
	uint64_t a = pml4[0] & ~0xfffull;

	if (!(pml4[0] & 1) || a >= MAPPED_END)
		return -1;
	pdpt = (volatile uint64_t *)a;
	if (pdpt[3] & 1)
		return -1;
	my_pd[PD_LAPIC] = LAPIC_BASE | 0x9f;	/* P RW U PWT PCD PS */
	__asm__ volatile("" ::: "memory");
	pdpt[3] = (uint64_t)my_pd | 7;
	__asm__ volatile("" ::: "memory");
	return 0;
}

static void icr(uint32_t lo)
{
	volatile uint32_t *apic = (volatile uint32_t *)LAPIC_BASE;

	apic[APIC_ICR_HI / 4] = 0;
	apic[APIC_ICR_LO / 4] = lo;
	for (int i = 0; i < 100000 && (apic[APIC_ICR_LO / 4] & ICR_BUSY); i++)
		__asm__ volatile("pause");
}

__attribute__((noreturn)) void guest_main(const uint8_t *bp);
void guest_main(const uint8_t *bp)
{
	uint64_t len = (uint64_t)(ap_tramp_end - ap_tramp_start);
	unsigned int want = 0, up = 0;
	uint32_t a[4], b[4], c[4];

	uart_puts(COM1, "KTSTR_GUEST smp start\n");
	cpuid(1, 0, a);
	cpuid(0xb, 0, b);
	cpuid(0xb, 1, c);
	if (map_lapic()) {
		uart_puts(COM1, "smp cannot map the local APIC\n");
		guest_reset();
	}
	report("bsp", a[1] >> 24, b[3], ((volatile uint32_t *)LAPIC_BASE)[APIC_ID / 4] >> 24,
	       (b[0] & 0x1f) | (c[0] & 0x1f) << 8);
	if ((uint64_t)bp < MAPPED_END - 4096)
		want = want_aps(bp);
	if (want > AP_MAX_SLOTS)
		want = AP_MAX_SLOTS;
	if (want) {
		if (len > 0x10000) {
			uart_puts(COM1, "smp trampoline too large\n");
			guest_reset();
		}
		memcpy((void *)AP_TRAMP_BASE, ap_tramp_start, len);
		*tramp(ap_cr3) = 0x9000;
		icr(ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_INIT);
		for (volatile int i = 0; i < 100000; i++)
			;
		icr(ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_SIPI | (uint32_t)(AP_TRAMP_BASE >> 12));
		icr(ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_SIPI | (uint32_t)(AP_TRAMP_BASE >> 12));
		/* Bounded: some 10 s at native speed. */
		for (uint64_t spin = 0; spin < 10000000000ull; spin++) {
			volatile uint32_t *slots = tramp(ap_slots);

			up = 0;
			for (unsigned int i = 0; i < want; i++)
				up += slots[i * 8] == 1;
			if (up >= want)
				break;
			__asm__ volatile("pause");
		}
		for (unsigned int i = 0; i < want; i++) {
			volatile uint32_t *s = tramp(ap_slots) + i * 8;

			if (s[0] == 1)
				report("ap", s[1], s[2], s[4], s[3]);
		}
	}
	uart_puts(COM1, "smp aps=");
	uart_dec(COM1, up);
	uart_puts(COM1, " count=");
	uart_dec(COM1, *tramp(ap_count));
	uart_puts(COM1, "\nKTSTR_GUEST smp end\n");
	outw(0x604, 5 << 10 | 1 << 13);
	guest_reset();
}

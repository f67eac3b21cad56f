// SPDX-License-Identifier: GPL-2.0
/*
 * A test guest that walks the VMM's firmware tables at CPL3 and reports them
 * on COM1, then powers off through ACPI (S5 on the FADT's PM1a_CNT):
 *
 *   KTSTR_GUEST acpi start
 *   rsdp at=0xe0000 bp=0xe0000 rev=2 sum=ok xsum=ok
 *   table APIC at=0xe0... len=... sum=ok          (every XSDT/RSDT entry, DSDT)
 *   madt cpu uid=0 apic=0x0 flags=0x1              (type 0 or 9 entries)
 *   srat cpu apic=0x0 node=0                       (type 0 or 2 entries)
 *   srat mem node=0 base=0x0 size=0x9fc00
 *   slit nodes=2
 *   slit 0: 10 20
 *   mptable cpus=8 sum=ok                          (or "mptable none")
 *   fadt pm1a_evt=0x600 pm1a_cnt=0x604 s5=5
 *   acpi tables=6 bad=0
 *   KTSTR_GUEST acpi end
 *
 * Every table must lie in the user-mapped first 2 MiB (entry.S): anything
 * else is reported as "bad" and not read.
 */
#include "guest.h"

#define MAPPED_END	0x200000ull
#define BP_ACPI_RSDP	0x070
#define RSDP_SCAN_START	0xE0000ull
#define RSDP_SCAN_END	0x100000ull
#define SDT_HDR		36
#define MAX_TABLES	32
#define MPTABLE_BASE	0x9FC00ull

static unsigned int nr_tables, nr_bad;

static uint64_t rd(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint8_t sum(const uint8_t *p, uint64_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}

static int in_map(uint64_t addr, uint64_t len)
{
	return addr && addr < MAPPED_END && len <= MAPPED_END - addr;
}

static int sig_is(const uint8_t *p, const char *sig, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (p[i] != (uint8_t)sig[i])
			return 0;
	return 1;
}

static void puts_n(const uint8_t *p, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		uart_putc(COM1, p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?');
}

/* A table at @addr: check that it is mapped, its length sane and its sum 0. */
static const uint8_t *table(uint64_t addr)
{
	const uint8_t *t = (const uint8_t *)addr;
	uint64_t len;
	int ok;

	if (!in_map(addr, SDT_HDR)) {
		uart_puts(COM1, "table at=");
		uart_hex(COM1, addr);
		uart_puts(COM1, " unmapped\n");
		nr_bad++;
		return 0;
	}
	len = rd(t + 4, 4);
	ok = len >= SDT_HDR && in_map(addr, len);
	nr_tables++;
	uart_puts(COM1, "table ");
	puts_n(t, 4);
	uart_puts(COM1, " at=");
	uart_hex(COM1, addr);
	uart_puts(COM1, " len=");
	uart_dec(COM1, len);
	uart_puts(COM1, ok && !sum(t, len) ? " sum=ok\n" : " sum=BAD\n");
	if (!ok || sum(t, len)) {
		nr_bad++;
		return 0;
	}
	return t;
}

static void madt(const uint8_t *t)
{
	uint64_t len = rd(t + 4, 4);

	uart_puts(COM1, "madt lapic=");
	uart_hex(COM1, rd(t + 36, 4));
	uart_puts(COM1, "\n");
	for (uint64_t off = 44; off + 2 <= len;) {
		const uint8_t *e = t + off;
		uint8_t type = e[0], elen = e[1];

		if (elen < 2 || off + elen > len) {
			uart_puts(COM1, "madt bad entry\n");
			nr_bad++;
			return;
		}
		if (type == 0 && elen >= 8) {
			uart_puts(COM1, "madt cpu uid=");
			uart_dec(COM1, e[2]);
			uart_puts(COM1, " apic=");
			uart_hex(COM1, e[3]);
			uart_puts(COM1, " flags=");
			uart_hex(COM1, rd(e + 4, 4));
			uart_puts(COM1, "\n");
		} else if (type == 9 && elen >= 16) {
			uart_puts(COM1, "madt cpu uid=");
			uart_dec(COM1, rd(e + 12, 4));
			uart_puts(COM1, " apic=");
			uart_hex(COM1, rd(e + 4, 4));
			uart_puts(COM1, " flags=");
			uart_hex(COM1, rd(e + 8, 4));
			uart_puts(COM1, "\n");
		}
		off += elen;
	}
}

static void srat(const uint8_t *t)
{
	uint64_t len = rd(t + 4, 4);

	for (uint64_t off = 48; off + 2 <= len;) {
		const uint8_t *e = t + off;
		uint8_t type = e[0], elen = e[1];

		if (elen < 2 || off + elen > len) {
			uart_puts(COM1, "srat bad entry\n");
			nr_bad++;
			return;
		}
		if (type == 0 && elen >= 16) {
			uart_puts(COM1, "srat cpu apic=");
			uart_hex(COM1, e[3]);
			uart_puts(COM1, " node=");
			uart_dec(COM1, e[2] | rd(e + 9, 3) << 8);
			uart_puts(COM1, "\n");
		} else if (type == 2 && elen >= 24) {
			uart_puts(COM1, "srat cpu apic=");
			uart_hex(COM1, rd(e + 8, 4));
			uart_puts(COM1, " node=");
			uart_dec(COM1, rd(e + 4, 4));
			uart_puts(COM1, "\n");
		} else if (type == 1 && elen >= 40) {
			uart_puts(COM1, "srat mem node=");
			uart_dec(COM1, rd(e + 2, 4));
			uart_puts(COM1, " base=");
			uart_hex(COM1, rd(e + 8, 8));
			uart_puts(COM1, " size=");
			uart_hex(COM1, rd(e + 16, 8));
			uart_puts(COM1, "\n");
		}
		off += elen;
	}
}

static void slit(const uint8_t *t)
{
	uint64_t len = rd(t + 4, 4), n = rd(t + 36, 8);

	uart_puts(COM1, "slit nodes=");
	uart_dec(COM1, n);
	uart_puts(COM1, "\n");
	if (n > 64 || 44 + n * n > len) {
		uart_puts(COM1, "slit bad size\n");
		nr_bad++;
		return;
	}
	for (uint64_t i = 0; i < n; i++) {
		uart_puts(COM1, "slit ");
		uart_dec(COM1, i);
		uart_puts(COM1, ":");
		for (uint64_t j = 0; j < n; j++) {
			uart_puts(COM1, " ");
			uart_dec(COM1, t[44 + i * n + j]);
		}
		uart_puts(COM1, "\n");
	}
}

/* SLP_TYPa of the DSDT's \_S5 package (NameOp "_S5_" PackageOp len count ...), or -1. */
static int dsdt_s5(const uint8_t *t)
{
	uint64_t len = rd(t + 4, 4);

	for (uint64_t i = SDT_HDR; i + 9 <= len; i++) {
		const uint8_t *p = t + i;

		if (p[0] != 0x08 || !sig_is(p + 1, "_S5_", 4) || p[5] != 0x12)
			continue;
		if (p[6] & 0xc0)	/* multi-byte PkgLength: not what the VMM writes */
			return -1;
		if (p[8] == 0x0a)
			return p[9];
		return p[8] <= 1 ? p[8] : -1;	/* ZeroOp / OneOp */
	}
	return -1;
}

static uint16_t pm1a_cnt;
static int s5;			/* -1: no \_S5 found (set in guest_main: no .data) */

static void fadt(const uint8_t *t)
{
	uint64_t len = rd(t + 4, 4), dsdt = rd(t + 40, 4);
	const uint8_t *d;

	if (len >= 148 && rd(t + 140, 8))
		dsdt = rd(t + 140, 8);
	pm1a_cnt = len >= 68 ? (uint16_t)rd(t + 64, 4) : 0;
	d = table(dsdt);
	if (d && sig_is(d, "DSDT", 4))
		s5 = dsdt_s5(d);
	uart_puts(COM1, "fadt pm1a_evt=");
	uart_hex(COM1, len >= 60 ? rd(t + 56, 4) : 0);
	uart_puts(COM1, " pm1a_cnt=");
	uart_hex(COM1, pm1a_cnt);
	uart_puts(COM1, " s5=");
	if (s5 < 0)
		uart_puts(COM1, "none");
	else
		uart_dec(COM1, (uint64_t)s5);
	uart_puts(COM1, "\n");
}

static void walk(uint64_t sdt, unsigned int entry_size)
{
	const uint8_t *t = table(sdt);
	uint64_t n;

	if (!t)
		return;
	n = (rd(t + 4, 4) - SDT_HDR) / entry_size;
	if (n > MAX_TABLES)
		n = MAX_TABLES;
	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *e = table(rd(t + SDT_HDR + i * entry_size, entry_size));

		if (!e || entry_size == 4)	/* the RSDT lists the same tables: check only */
			continue;
		if (sig_is(e, "APIC", 4))
			madt(e);
		else if (sig_is(e, "SRAT", 4))
			srat(e);
		else if (sig_is(e, "SLIT", 4))
			slit(e);
		else if (sig_is(e, "FACP", 4))
			fadt(e);
	}
}

static const uint8_t *find_rsdp(void)
{
	for (uint64_t a = RSDP_SCAN_START; a + 36 <= RSDP_SCAN_END; a += 16)
		if (sig_is((const uint8_t *)a, "RSD PTR ", 8))
			return (const uint8_t *)a;
	return 0;
}

/* The MP floating pointer at 0x9FC00 and its configuration table. */
static void mptable(void)
{
	const uint8_t *f = (const uint8_t *)MPTABLE_BASE, *c;
	uint64_t cfg, len, count, cpus = 0;

	if (!sig_is(f, "_MP_", 4)) {
		uart_puts(COM1, "mptable none\n");
		return;
	}
	cfg = rd(f + 4, 4);
	if (sum(f, 16) || !in_map(cfg, 44)) {
		uart_puts(COM1, "mptable bad pointer\n");
		nr_bad++;
		return;
	}
	c = (const uint8_t *)cfg;
	len = rd(c + 4, 2);
	count = rd(c + 34, 2);
	if (!sig_is(c, "PCMP", 4) || len < 44 || !in_map(cfg, len) || sum(c, len)) {
		uart_puts(COM1, "mptable sum=BAD\n");
		nr_bad++;
		return;
	}
	for (uint64_t off = 44, i = 0; i < count && off < len; i++) {
		uint8_t type = c[off];

		cpus += type == 0;
		off += type == 0 ? 20 : 8;
	}
	uart_puts(COM1, "mptable cpus=");
	uart_dec(COM1, cpus);
	uart_puts(COM1, " sum=ok\n");
}

__attribute__((noreturn)) void guest_main(const uint8_t *bp);
void guest_main(const uint8_t *bp)
{
	const uint8_t *rsdp;
	uint64_t bp_rsdp = 0;

	s5 = -1;
	uart_puts(COM1, "KTSTR_GUEST acpi start\n");
	if (in_map((uint64_t)bp, 4096))
		bp_rsdp = rd(bp + BP_ACPI_RSDP, 8);
	rsdp = find_rsdp();
	if (!rsdp) {
		uart_puts(COM1, "rsdp none\n");
		guest_reset();
	}
	uart_puts(COM1, "rsdp at=");
	uart_hex(COM1, (uint64_t)rsdp);
	uart_puts(COM1, " bp=");
	uart_hex(COM1, bp_rsdp);
	uart_puts(COM1, " rev=");
	uart_dec(COM1, rsdp[15]);
	uart_puts(COM1, " oem=");
	puts_n(rsdp + 9, 6);
	uart_puts(COM1, sum(rsdp, 20) ? " sum=BAD" : " sum=ok");
	nr_bad += sum(rsdp, 20) != 0;
	if (rsdp[15] >= 2) {
		uint8_t x = sum(rsdp, 36);

		uart_puts(COM1, x ? " xsum=BAD" : " xsum=ok");
		nr_bad += x != 0;
	}
	uart_puts(COM1, "\n");
	walk(rd(rsdp + 16, 4), 4);
	if (rsdp[15] >= 2)
		walk(rd(rsdp + 24, 8), 8);
	mptable();
	uart_puts(COM1, "acpi tables=");
	uart_dec(COM1, nr_tables);
	uart_puts(COM1, " bad=");
	uart_dec(COM1, nr_bad);
	uart_puts(COM1, "\nKTSTR_GUEST acpi end\n");
	if (pm1a_cnt && s5 >= 0 && s5 < 8)
		outw(pm1a_cnt, (uint16_t)(s5 << 10 | 1u << 13));
	uart_puts(COM1, "KTSTR_GUEST power-off failed\n");
	guest_reset();
}

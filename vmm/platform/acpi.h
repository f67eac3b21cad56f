/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room vmm/platform, what the guest reads about its machine, built from a
 * topology: the ACPI tables (acpi.h, acpi_madt.c, acpi_numa.c, acpi_sdt.h),
 * the MP table (mptable.h), the APIC ids that encode the topology
 * (topo_apic.h) and the CPUID topology leaves (cpuid.h). Pure (no
 * /dev/kvm) and fuzzed; it may include lib/base and lib/topo.
 */

/*
 * ACPI tables for the guest (ktstr-internals(7), THE GUEST): RSDP rev 2 at
 * the base, then DSDT, MADT, FADT, SRAT, SLIT, RSDT, XSDT packed after it
 * (8-byte aligned), all with valid checksums. OEM id "KTSTR", creator "KTSR".
 */
#ifndef KTSTR_VMM_ACPI_H
#define KTSTR_VMM_ACPI_H

#include <stddef.h>
#include <stdint.h>

#include "topo/topology.h"

#define ACPI_RSDP_GPA		0xE0000ull	/* boot_params.acpi_rsdp_addr */
#define ACPI_REGION_SIZE	0x20000ull	/* 0xE0000..0x100000 */
#define ACPI_LAPIC_GPA		0xFEE00000u
#define ACPI_IOAPIC_GPA		0xFEC00000u
#define ACPI_SCI_IRQ		9
/*
 * The FADT's fixed-hardware register blocks (HW_REDUCED is off, so the spec
 * requires PM1a event and control blocks). The VMM answers these I/O ports:
 * reads 0, writes ignored; PM1a_CNT SLP_EN may be treated as power-off.
 */
#define ACPI_PM1A_EVT_PORT	0x600	/* 4 bytes: PM1_STS, PM1_EN */
#define ACPI_PM1A_EVT_LEN	4
#define ACPI_PM1A_CNT_PORT	0x604	/* 2 bytes: PM1_CNT */
#define ACPI_PM1A_CNT_LEN	2
/*
 * The ACPI power-management timer: a free-running 32-bit counter at
 * 3.579545 MHz (FADT TMR_VAL_EXT). It is the guest's reference clock for
 * calibrating the TSC and for the clocksource watchdog when there is no
 * HPET, as on QEMU's pc and q35 machines.
 */
#define ACPI_PM_TMR_PORT	0x608
#define ACPI_PM_TMR_LEN		4
#define ACPI_PM_TMR_HZ		3579545u
/* The PM timer's count @ns after it started: 32 bits, wrapping. */
uint32_t acpi__pm_timer_count(uint64_t ns);
/*
 * The DSDT's \_S5 package: Linux powers off by writing
 * SLP_TYP = ACPI_S5_SLP_TYP and SLP_EN to PM1a_CNT: a 16-bit write to
 * ACPI_PM1A_CNT_PORT with (v & ACPI_PM1_CNT_SLP_EN) and
 * ((v >> 10) & 7) == ACPI_S5_SLP_TYP means "power off".
 */
#define ACPI_S5_SLP_TYP		5
#define ACPI_PM1_CNT_SLP_EN	(1u << 13)

/* One SRAT memory affinity range: guest RAM [base, base + size) on @node. */
struct acpi_mem_range {
	uint64_t base;
	uint64_t size;
	uint32_t node;
};

struct acpi_config {
	const struct topology *topo;
	const struct acpi_mem_range *mem;
	size_t nmem;
};

enum acpi_table_id {
	ACPI_T_RSDP, ACPI_T_DSDT, ACPI_T_MADT, ACPI_T_FADT, ACPI_T_SRAT,
	ACPI_T_SLIT, ACPI_T_RSDT, ACPI_T_XSDT, ACPI_T_COUNT,
};

/* Where each table went: offsets from the buffer start, and lengths. */
struct acpi_layout {
	uint32_t off[ACPI_T_COUNT];
	uint32_t len[ACPI_T_COUNT];
	uint32_t total;
};

/* The table's signature ("RSD PTR " for the RSDP, else the 4-char one). */
const char *acpi__table_name(enum acpi_table_id id);

/*
 * Build every table into @buf (@buflen bytes, which the guest sees at @gpa;
 * the RSDP is at @buf[0]). The topology must be valid, every memory range on
 * an existing node. Returns 0, -EINVAL (bad config) or -ENOSPC (too small);
 * fills @layout when not NULL.
 */
int acpi__build(void *buf, size_t buflen, uint64_t gpa, const struct acpi_config *cfg,
		struct acpi_layout *layout);

/* Bytes acpi__build() needs for @cfg. */
size_t acpi__size(const struct acpi_config *cfg);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Intel MultiProcessor Specification 1.4 tables (ktstr-internals(7),
 * THE GUEST): the floating pointer at the base (0x9FC00) with the
 * configuration table right after it. A legacy fallback: Linux prefers ACPI.
 *
 * 0x9FC00..0xA0000 (the last KiB below the EBDA end) holds up to 40 CPUs;
 * a caller with more CPUs passes a larger buffer (the guest RAM above 0xA0000
 * is backed, only left out of E820). APIC IDs above 254 cannot be expressed:
 * mptable__build() then returns -ERANGE and the caller relies on ACPI alone.
 */
#ifndef KTSTR_VMM_MPTABLE_H
#define KTSTR_VMM_MPTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "topo/topology.h"

#define MPTABLE_GPA		0x9FC00ull
#define MPTABLE_IOAPIC_ID	0xfe
#define MPTABLE_APIC_VERSION	0x14
#define MPTABLE_IOAPIC_VERSION	0x11
#define MPTABLE_ISA_IRQS	16

struct mpf_intel {
	char signature[4];		/* "_MP_" */
	uint32_t physptr;		/* GPA of the configuration table */
	uint8_t length;			/* in 16-byte units: 1 */
	uint8_t specification;		/* 4 */
	uint8_t checksum;
	uint8_t feature1;		/* 0: a configuration table is present */
	uint8_t feature2;		/* bit 7 IMCR: 0, virtual wire mode */
	uint8_t feature3, feature4, feature5;
} __attribute__((packed));
_Static_assert(sizeof(struct mpf_intel) == 16, "MP floating pointer is 16 bytes");

struct mpc_table {
	char signature[4];		/* "PCMP" */
	uint16_t length;		/* header + entries */
	uint8_t spec;			/* 4 */
	uint8_t checksum;
	char oem[8];
	char productid[12];
	uint32_t oemptr;
	uint16_t oemsize;
	uint16_t oemcount;		/* number of entries */
	uint32_t lapic;
	uint16_t ext_length;
	uint8_t ext_checksum;
	uint8_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct mpc_table) == 44, "MP config header is 44 bytes");

enum { MP_PROCESSOR = 0, MP_BUS = 1, MP_IOAPIC = 2, MP_INTSRC = 3, MP_LINTSRC = 4 };

struct mpc_cpu {
	uint8_t type;
	uint8_t apicid;
	uint8_t apicver;
	uint8_t cpuflag;		/* bit 0 enabled, bit 1 boot processor */
	uint32_t cpufeature;
	uint32_t featureflag;
	uint32_t reserved[2];
} __attribute__((packed));
_Static_assert(sizeof(struct mpc_cpu) == 20, "MP processor entry is 20 bytes");

struct mpc_bus {
	uint8_t type;
	uint8_t busid;
	char bustype[6];
} __attribute__((packed));
_Static_assert(sizeof(struct mpc_bus) == 8, "MP bus entry is 8 bytes");

struct mpc_ioapic {
	uint8_t type;
	uint8_t apicid;
	uint8_t apicver;
	uint8_t flags;			/* bit 0 enabled */
	uint32_t apicaddr;
} __attribute__((packed));
_Static_assert(sizeof(struct mpc_ioapic) == 8, "MP IOAPIC entry is 8 bytes");

struct mpc_intsrc {
	uint8_t type;
	uint8_t irqtype;		/* 0 INT, 1 NMI, 2 SMI, 3 ExtINT */
	uint16_t irqflag;
	uint8_t srcbus;
	uint8_t srcbusirq;
	uint8_t dstapic;
	uint8_t dstirq;
} __attribute__((packed));
_Static_assert(sizeof(struct mpc_intsrc) == 8, "MP interrupt entry is 8 bytes");

enum { MP_IRQ_INT = 0, MP_IRQ_NMI = 1, MP_IRQ_EXTINT = 3 };

/* Bytes the tables take for @t (floating pointer included). */
size_t mptable__size(const struct topology *t);

/*
 * Write the floating pointer at @buf (guest address @gpa) and the
 * configuration table after it. Returns 0, -EINVAL (invalid topology),
 * -ERANGE (an APIC ID above 254) or -ENOSPC (@buflen too small).
 */
int mptable__build(void *buf, size_t buflen, uint64_t gpa, const struct topology *t);

#endif

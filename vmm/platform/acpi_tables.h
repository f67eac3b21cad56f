/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI table layouts (ACPI 6.x, little-endian, packed) used by acpi.c and
 * by the tests that read the tables back.
 */
#ifndef KTSTR_VMM_ACPI_TABLES_H
#define KTSTR_VMM_ACPI_TABLES_H

#include <stdint.h>

#define ACPI_PACKED __attribute__((packed))

struct acpi_rsdp {
	char signature[8];		/* "RSD PTR " */
	uint8_t checksum;		/* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;		/* 2 */
	uint32_t rsdt_addr;
	uint32_t length;		/* 36 */
	uint64_t xsdt_addr;
	uint8_t ext_checksum;		/* over all 36 bytes */
	uint8_t reserved[3];
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP is 36 bytes");

struct acpi_sdt_hdr {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_sdt_hdr) == 36, "SDT header is 36 bytes");

struct acpi_gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS is 12 bytes");

struct acpi_fadt {
	struct acpi_sdt_hdr hdr;
	uint32_t firmware_ctrl;
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint8_t acpi_disable;
	uint8_t s4bios_req;
	uint8_t pstate_cnt;
	uint32_t pm1a_evt_blk;
	uint32_t pm1b_evt_blk;
	uint32_t pm1a_cnt_blk;
	uint32_t pm1b_cnt_blk;
	uint32_t pm2_cnt_blk;
	uint32_t pm_tmr_blk;
	uint32_t gpe0_blk;
	uint32_t gpe1_blk;
	uint8_t pm1_evt_len;
	uint8_t pm1_cnt_len;
	uint8_t pm2_cnt_len;
	uint8_t pm_tmr_len;
	uint8_t gpe0_blk_len;
	uint8_t gpe1_blk_len;
	uint8_t gpe1_base;
	uint8_t cst_cnt;
	uint16_t p_lvl2_lat;
	uint16_t p_lvl3_lat;
	uint16_t flush_size;
	uint16_t flush_stride;
	uint8_t duty_offset;
	uint8_t duty_width;
	uint8_t day_alrm;
	uint8_t mon_alrm;
	uint8_t century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	struct acpi_gas x_pm1a_evt_blk;
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
	struct acpi_gas sleep_control_reg;
	struct acpi_gas sleep_status_reg;
	uint64_t hypervisor_vendor_id;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT rev 6 is 276 bytes");

#define ACPI_FADT_PWR_BUTTON	(1u << 4)
#define ACPI_FADT_SLP_BUTTON	(1u << 5)
#define ACPI_FADT_TMR_VAL_EXT	(1u << 8)	/* the PM timer counts 32 bits */
#define ACPI_FADT_HW_REDUCED	(1u << 20)
#define ACPI_IAPC_8042		(1u << 1)
#define ACPI_IAPC_NO_VGA	(1u << 2)
#define ACPI_IAPC_NO_CMOS_RTC	(1u << 5)

struct acpi_madt {
	struct acpi_sdt_hdr hdr;
	uint32_t lapic_addr;
	uint32_t flags;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT header is 44 bytes");

#define ACPI_MADT_PCAT_COMPAT	1u

enum {
	ACPI_MADT_LAPIC = 0,
	ACPI_MADT_IOAPIC = 1,
	ACPI_MADT_ISO = 2,
	ACPI_MADT_LAPIC_NMI = 4,
	ACPI_MADT_X2APIC = 9,
	ACPI_MADT_X2APIC_NMI = 10,
};

struct acpi_madt_lapic {
	uint8_t type, length;
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;			/* bit 0: enabled */
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "MADT LAPIC is 8 bytes");

struct acpi_madt_x2apic {
	uint8_t type, length;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t processor_uid;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_madt_x2apic) == 16, "MADT x2APIC is 16 bytes");

struct acpi_madt_ioapic {
	uint8_t type, length;
	uint8_t ioapic_id;
	uint8_t reserved;
	uint32_t address;
	uint32_t gsi_base;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_madt_ioapic) == 12, "MADT IOAPIC is 12 bytes");

struct acpi_madt_iso {
	uint8_t type, length;
	uint8_t bus;
	uint8_t source;
	uint32_t gsi;
	uint16_t flags;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_madt_iso) == 10, "MADT ISO is 10 bytes");

struct acpi_madt_lapic_nmi {
	uint8_t type, length;
	uint8_t processor_uid;		/* 0xff: all */
	uint16_t flags;
	uint8_t lint;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_madt_lapic_nmi) == 6, "MADT LAPIC NMI is 6 bytes");

struct acpi_madt_x2apic_nmi {
	uint8_t type, length;
	uint16_t flags;
	uint32_t processor_uid;		/* 0xffffffff: all */
	uint8_t lint;
	uint8_t reserved[3];
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_madt_x2apic_nmi) == 12, "MADT x2APIC NMI is 12 bytes");

struct acpi_srat {
	struct acpi_sdt_hdr hdr;
	uint32_t reserved1;		/* 1, for compatibility */
	uint64_t reserved2;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_srat) == 48, "SRAT header is 48 bytes");

enum {
	ACPI_SRAT_LAPIC = 0,
	ACPI_SRAT_MEMORY = 1,
	ACPI_SRAT_X2APIC = 2,
};

struct acpi_srat_lapic {
	uint8_t type, length;
	uint8_t proximity_lo;
	uint8_t apic_id;
	uint32_t flags;			/* bit 0: enabled */
	uint8_t sapic_eid;
	uint8_t proximity_hi[3];
	uint32_t clock_domain;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_srat_lapic) == 16, "SRAT LAPIC affinity is 16 bytes");

struct acpi_srat_mem {
	uint8_t type, length;
	uint32_t proximity;
	uint16_t reserved1;
	uint32_t base_lo, base_hi;
	uint32_t length_lo, length_hi;
	uint32_t reserved2;
	uint32_t flags;			/* bit 0: enabled */
	uint64_t reserved3;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_srat_mem) == 40, "SRAT memory affinity is 40 bytes");

struct acpi_srat_x2apic {
	uint8_t type, length;
	uint16_t reserved1;
	uint32_t proximity;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t clock_domain;
	uint32_t reserved2;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_srat_x2apic) == 24, "SRAT x2APIC affinity is 24 bytes");

struct acpi_slit {
	struct acpi_sdt_hdr hdr;
	uint64_t localities;
	/* localities * localities bytes follow */
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_slit) == 44, "SLIT header is 44 bytes");

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI table set: layout, RSDP, RSDT, XSDT, FADT and DSDT. MADT is in
 * acpi_madt.c, SRAT and SLIT in acpi_numa.c, the common header and checksum
 * in acpi_sdt.c.
 */
#include <errno.h>
#include <string.h>

#include "acpi_int.h"

#define ACPI_ALIGN	8u

static const char *const table_names[ACPI_T_COUNT] = {
	[ACPI_T_RSDP] = "RSD PTR ", [ACPI_T_DSDT] = "DSDT", [ACPI_T_MADT] = "APIC",
	[ACPI_T_FADT] = "FACP", [ACPI_T_SRAT] = "SRAT", [ACPI_T_SLIT] = "SLIT",
	[ACPI_T_RSDT] = "RSDT", [ACPI_T_XSDT] = "XSDT",
};

/* Tables the RSDT/XSDT list (the DSDT hangs off the FADT). */
static const enum acpi_table_id listed[] = {
	ACPI_T_FADT, ACPI_T_MADT, ACPI_T_SRAT, ACPI_T_SLIT,
};
#define NLISTED (sizeof(listed) / sizeof(listed[0]))

/*
 * The DSDT's AML: no devices, only Name (_S5, Package (4) { 5, 5, 0, 0 }) so
 * that an ACPI power-off writes SLP_TYP 5 to PM1a_CNT.
 */
static const uint8_t dsdt_aml[] = {
	0x08, '_', 'S', '5', '_',	/* NameOp "_S5_" */
	0x12, 0x08, 0x04,		/* PackageOp, PkgLength 8, 4 elements */
	0x0a, ACPI_S5_SLP_TYP,		/* BytePrefix: SLP_TYPa */
	0x0a, ACPI_S5_SLP_TYP,		/* BytePrefix: SLP_TYPb */
	0x00, 0x00,			/* ZeroOp, ZeroOp: reserved */
};
#define DSDT_LEN (sizeof(struct acpi_sdt_hdr) + sizeof(dsdt_aml))

const char *acpi__table_name(enum acpi_table_id id)
{
	return (unsigned)id < ACPI_T_COUNT ? table_names[id] : "?";
}

static int config_check(const struct acpi_config *cfg)
{
	const struct topology *t = cfg ? cfg->topo : NULL;
	char err[128];

	if (!t || topology__validate(t, err, sizeof(err)))
		return -EINVAL;
	if (cfg->nmem && !cfg->mem)
		return -EINVAL;
	for (size_t i = 0; i < cfg->nmem; i++) {
		const struct acpi_mem_range *r = &cfg->mem[i];

		if (r->node >= t->numa_nodes || !r->size || r->base + r->size < r->base)
			return -EINVAL;
	}
	return 0;
}

static size_t align_up(size_t v)
{
	return (v + ACPI_ALIGN - 1) & ~(size_t)(ACPI_ALIGN - 1);
}

/* Lengths of every table; returns 0 or -EINVAL. */
static int table_lengths(const struct acpi_config *cfg, uint32_t len[ACPI_T_COUNT])
{
	int ret = config_check(cfg);

	if (ret)
		return ret;
	len[ACPI_T_RSDP] = sizeof(struct acpi_rsdp);
	len[ACPI_T_DSDT] = DSDT_LEN;
	len[ACPI_T_MADT] = (uint32_t)acpi_madt__size(cfg->topo);
	len[ACPI_T_FADT] = sizeof(struct acpi_fadt);
	len[ACPI_T_SRAT] = (uint32_t)acpi_srat__size(cfg);
	len[ACPI_T_SLIT] = (uint32_t)acpi_slit__size(cfg->topo);
	len[ACPI_T_RSDT] = sizeof(struct acpi_sdt_hdr) + NLISTED * 4;
	len[ACPI_T_XSDT] = sizeof(struct acpi_sdt_hdr) + NLISTED * 8;
	return 0;
}

/* Placement order: RSDP first, then as acpi.h lists them. */
static const enum acpi_table_id order[ACPI_T_COUNT] = {
	ACPI_T_RSDP, ACPI_T_DSDT, ACPI_T_MADT, ACPI_T_FADT, ACPI_T_SRAT,
	ACPI_T_SLIT, ACPI_T_RSDT, ACPI_T_XSDT,
};

static size_t place(const uint32_t len[ACPI_T_COUNT], uint32_t off[ACPI_T_COUNT])
{
	size_t pos = 0;

	for (unsigned i = 0; i < ACPI_T_COUNT; i++) {
		off[order[i]] = (uint32_t)pos;
		pos = align_up(pos + len[order[i]]);
	}
	return pos;
}

size_t acpi__size(const struct acpi_config *cfg)
{
	uint32_t len[ACPI_T_COUNT], off[ACPI_T_COUNT];

	if (table_lengths(cfg, len))
		return 0;
	return place(len, off);
}


static void write_dsdt(void *p)
{
	struct acpi_sdt_hdr *h = p;

	acpi_sdt__hdr(h, "DSDT", DSDT_LEN, 2, "KTSTRDSD");
	memcpy(h + 1, dsdt_aml, sizeof(dsdt_aml));
	acpi_sdt__seal(h);
}

/* A system-I/O generic address of @len bytes. */
static struct acpi_gas io_gas(uint16_t port, uint8_t len)
{
	return (struct acpi_gas){
		.space_id = 1, .bit_width = (uint8_t)(len * 8), .access_size = len == 4 ? 3 : 2,
		.address = port,
	};
}

uint32_t acpi__pm_timer_count(uint64_t ns)
{
	/* Split so that no product overflows, whatever @ns. */
	uint64_t sec = ns / 1000000000ull, rem = ns % 1000000000ull;

	return (uint32_t)(sec * ACPI_PM_TMR_HZ + rem * ACPI_PM_TMR_HZ / 1000000000ull);
}

static void write_fadt(void *p, uint64_t dsdt_gpa)
{
	struct acpi_fadt *f = p;

	memset(f, 0, sizeof(*f));
	acpi_sdt__hdr(&f->hdr, "FACP", sizeof(*f), 6, "KTSTRFAC");
	f->dsdt = (uint32_t)dsdt_gpa;
	f->x_dsdt = dsdt_gpa;
	f->sci_int = ACPI_SCI_IRQ;
	f->pm1a_evt_blk = ACPI_PM1A_EVT_PORT;
	f->pm1_evt_len = ACPI_PM1A_EVT_LEN;
	f->pm1a_cnt_blk = ACPI_PM1A_CNT_PORT;
	f->pm1_cnt_len = ACPI_PM1A_CNT_LEN;
	f->x_pm1a_evt_blk = io_gas(ACPI_PM1A_EVT_PORT, ACPI_PM1A_EVT_LEN);
	f->x_pm1a_cnt_blk = io_gas(ACPI_PM1A_CNT_PORT, ACPI_PM1A_CNT_LEN);
	f->pm_tmr_blk = ACPI_PM_TMR_PORT;
	f->pm_tmr_len = ACPI_PM_TMR_LEN;
	f->x_pm_tmr_blk = io_gas(ACPI_PM_TMR_PORT, ACPI_PM_TMR_LEN);
	/* No SMI command port: the platform is always in ACPI mode. */
	/*
	 * No CMOS RTC at 0x70: without this flag Linux registers rtc_cmos,
	 * which polled the missing chip for 4.8 s of every nested boot
	 * ("broken or not accessible"). The wall clock comes from kvmclock.
	 */
	f->iapc_boot_arch = ACPI_IAPC_8042 | ACPI_IAPC_NO_VGA | ACPI_IAPC_NO_CMOS_RTC;
	f->flags = ACPI_FADT_PWR_BUTTON | ACPI_FADT_SLP_BUTTON | ACPI_FADT_TMR_VAL_EXT;
	f->minor_version = 5;
	memcpy(&f->hypervisor_vendor_id, "KTSTR\0\0\0", 8);
	acpi_sdt__seal(&f->hdr);
}

static void write_sdt_lists(uint8_t *base, uint64_t gpa, const uint32_t off[ACPI_T_COUNT])
{
	struct acpi_sdt_hdr *rsdt = (void *)(base + off[ACPI_T_RSDT]);
	struct acpi_sdt_hdr *xsdt = (void *)(base + off[ACPI_T_XSDT]);
	uint8_t *r = (uint8_t *)(rsdt + 1), *x = (uint8_t *)(xsdt + 1);

	acpi_sdt__hdr(rsdt, "RSDT", sizeof(*rsdt) + NLISTED * 4, 1, "KTSTRRSD");
	acpi_sdt__hdr(xsdt, "XSDT", sizeof(*xsdt) + NLISTED * 8, 1, "KTSTRXSD");
	for (size_t i = 0; i < NLISTED; i++) {
		uint64_t a = gpa + off[listed[i]];
		uint32_t a32 = (uint32_t)a;

		memcpy(r + 4 * i, &a32, 4);
		memcpy(x + 8 * i, &a, 8);
	}
	acpi_sdt__seal(rsdt);
	acpi_sdt__seal(xsdt);
}

static void write_rsdp(void *p, uint64_t gpa, const uint32_t off[ACPI_T_COUNT])
{
	struct acpi_rsdp *r = p;

	memset(r, 0, sizeof(*r));
	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, ACPI_OEM_ID, strlen(ACPI_OEM_ID));
	r->revision = 2;
	r->rsdt_addr = (uint32_t)(gpa + off[ACPI_T_RSDT]);
	r->length = sizeof(*r);
	r->xsdt_addr = gpa + off[ACPI_T_XSDT];
	r->checksum = (uint8_t)-acpi_sdt__sum(r, 20);
	r->ext_checksum = (uint8_t)-acpi_sdt__sum(r, sizeof(*r));
}

int acpi__build(void *buf, size_t buflen, uint64_t gpa, const struct acpi_config *cfg,
		struct acpi_layout *layout)
{
	uint32_t len[ACPI_T_COUNT], off[ACPI_T_COUNT];
	uint8_t *b = buf;
	size_t total;
	int ret;

	ret = table_lengths(cfg, len);
	if (ret)
		return ret;
	total = place(len, off);
	/* The RSDT holds 32-bit addresses: everything must sit below 4 GiB. */
	if (gpa + total > 0x100000000ull)
		return -EINVAL;
	if (!buf || buflen < total)
		return -ENOSPC;
	memset(b, 0, total);

	write_dsdt(b + off[ACPI_T_DSDT]);
	acpi_madt__write(b + off[ACPI_T_MADT], cfg->topo);
	write_fadt(b + off[ACPI_T_FADT], gpa + off[ACPI_T_DSDT]);
	acpi_srat__write(b + off[ACPI_T_SRAT], cfg);
	acpi_slit__write(b + off[ACPI_T_SLIT], cfg->topo);
	write_sdt_lists(b, gpa, off);
	write_rsdp(b + off[ACPI_T_RSDP], gpa, off);

	if (layout) {
		memcpy(layout->off, off, sizeof(off));
		memcpy(layout->len, len, sizeof(len));
		layout->total = (uint32_t)total;
	}
	return 0;
}

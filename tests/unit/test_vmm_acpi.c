// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for vmm/platform/acpi*, mptable and topo_apic: the firmware
 * tables read back field by field for several topologies (ktstr-internals(7),
 * THE GUEST: the ACPI and MP tables).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apic_ref.h"
#include "platform/acpi.h"
#include "platform/acpi_sdt.h"
#include "platform/acpi_tables.h"
#include "platform/mptable.h"
#include "platform/topo_apic.h"

#define TOPO(n, l, c, t) ((struct topology){ n, l, c, t })
#define MiB (1024ull * 1024)

static const struct topology topos[] = {
	TOPO(1, 1, 2, 1), TOPO(1, 2, 4, 2), TOPO(2, 4, 2, 1), TOPO(4, 8, 4, 1),
	TOPO(2, 14, 9, 2),	/* 252 CPUs, APIC IDs up to 433: x2APIC */
};

struct built {
	uint8_t *buf;
	size_t len;
	struct acpi_layout lay;
	struct acpi_mem_range mem[KTSTR_MAX_NUMA];
	struct acpi_config cfg;
};

/* One memory range per node: 512 MiB each, from 1 MiB up. */
static void build(struct built *b, const struct topology *t)
{
	uint64_t base = 1 * MiB;

	for (uint32_t n = 0; n < t->numa_nodes; n++) {
		b->mem[n] = (struct acpi_mem_range){ base, 512 * MiB, n };
		base += 512 * MiB;
	}
	b->cfg = (struct acpi_config){ .topo = t, .mem = b->mem, .nmem = t->numa_nodes };
	b->len = acpi__size(&b->cfg);
	assert_true(b->len > 0 && b->len <= ACPI_REGION_SIZE);
	b->buf = malloc(b->len);
	assert_non_null(b->buf);
	assert_int_equal(acpi__build(b->buf, b->len, ACPI_RSDP_GPA, &b->cfg, &b->lay), 0);
	assert_int_equal(b->lay.total, b->len);
}

/* The table at guest address @gpa, checked to be inside the buffer and to sum to 0. */
static const struct acpi_sdt_hdr *table_at(const struct built *b, uint64_t gpa, const char *sig)
{
	const struct acpi_sdt_hdr *h;

	assert_true(gpa >= ACPI_RSDP_GPA && gpa + sizeof(*h) <= ACPI_RSDP_GPA + b->len);
	h = (const void *)(b->buf + (gpa - ACPI_RSDP_GPA));
	assert_memory_equal(h->signature, sig, 4);
	assert_true(gpa + h->length <= ACPI_RSDP_GPA + b->len);
	assert_int_equal(acpi_sdt__sum(h, h->length), 0);
	assert_memory_equal(h->oem_id, "KTSTR", 5);
	return h;
}

static void check_rsdp_and_lists(const struct built *b, const struct acpi_sdt_hdr **fadt,
				 const struct acpi_sdt_hdr **madt, const struct acpi_sdt_hdr **srat,
				 const struct acpi_sdt_hdr **slit)
{
	const struct acpi_rsdp *r = (const void *)b->buf;
	const struct acpi_sdt_hdr *xsdt, *rsdt;
	const char *sigs[4] = { "FACP", "APIC", "SRAT", "SLIT" };
	const struct acpi_sdt_hdr **out[4] = { fadt, madt, srat, slit };

	assert_memory_equal(r->signature, "RSD PTR ", 8);
	assert_int_equal(r->revision, 2);
	assert_int_equal(r->length, 36);
	assert_int_equal(acpi_sdt__sum(r, 20), 0);
	assert_int_equal(acpi_sdt__sum(r, 36), 0);
	xsdt = table_at(b, r->xsdt_addr, "XSDT");
	rsdt = table_at(b, r->rsdt_addr, "RSDT");
	assert_int_equal(xsdt->length, 36 + 4 * 8);
	assert_int_equal(rsdt->length, 36 + 4 * 4);
	for (int i = 0; i < 4; i++) {
		uint64_t x;
		uint32_t r32;

		memcpy(&x, (const uint8_t *)(xsdt + 1) + 8 * i, 8);
		memcpy(&r32, (const uint8_t *)(rsdt + 1) + 4 * i, 4);
		assert_int_equal(x, r32);
		*out[i] = table_at(b, x, sigs[i]);
	}
}

static void check_fadt(const struct built *b, const struct acpi_sdt_hdr *h)
{
	const struct acpi_fadt *f = (const void *)h;
	const struct acpi_sdt_hdr *dsdt;

	assert_int_equal(h->length, 276);
	assert_int_equal(h->revision, 6);
	assert_int_equal(f->minor_version, 5);
	assert_int_equal(f->flags, ACPI_FADT_PWR_BUTTON | ACPI_FADT_SLP_BUTTON |
				   ACPI_FADT_TMR_VAL_EXT);
	/* The PM timer, in both the legacy and the extended field. */
	assert_int_equal(f->pm_tmr_blk, ACPI_PM_TMR_PORT);
	assert_int_equal(f->pm_tmr_len, 4);
	assert_int_equal(f->x_pm_tmr_blk.space_id, 1);	/* system I/O */
	assert_int_equal(f->x_pm_tmr_blk.bit_width, 32);
	assert_int_equal(f->x_pm_tmr_blk.address, ACPI_PM_TMR_PORT);
	assert_false(f->flags & ACPI_FADT_HW_REDUCED);
	/* An i8042 (for its reset line), no VGA, no CMOS RTC (Linux must not probe one). */
	assert_int_equal(f->iapc_boot_arch, ACPI_IAPC_8042 | ACPI_IAPC_NO_VGA |
					    ACPI_IAPC_NO_CMOS_RTC);
	assert_int_equal(f->iapc_boot_arch, 0x26);
	assert_int_equal(f->x_dsdt, f->dsdt);
	dsdt = table_at(b, f->x_dsdt, "DSDT");
	assert_int_equal(dsdt->length, 36 + 14);
	/* Name (_S5, Package (4) { 5, 5, 0, 0 }) */
	assert_memory_equal((const uint8_t *)(dsdt + 1),
			    "\x08_S5_\x12\x08\x04\x0a\x05\x0a\x05\x00\x00", 14);
}

static void check_madt(const struct acpi_sdt_hdr *h, const struct topology *t)
{
	const struct acpi_madt *m = (const void *)h;
	const uint8_t *p = (const uint8_t *)(m + 1), *end = (const uint8_t *)h + h->length;
	uint32_t ncpu = 0, nio = 0, niso = 0, nnmi = 0, nx2 = 0;
	bool x2 = topo_apic__needs_x2apic(t);

	assert_int_equal(m->lapic_addr, 0xFEE00000u);
	assert_int_equal(m->flags, ACPI_MADT_PCAT_COMPAT);
	while (p < end) {
		assert_true(p + 2 <= end && p[1] >= 2 && p + p[1] <= end);
		switch (p[0]) {
		case ACPI_MADT_LAPIC: {
			const struct acpi_madt_lapic *e = (const void *)p;

			assert_int_equal(e->length, 8);
			assert_int_equal(e->processor_uid, ncpu);
			assert_int_equal(e->apic_id, apic_ref__id(t, ncpu));
			assert_true(e->apic_id <= 254);
			assert_int_equal(e->flags, 1);
			ncpu++;
			break;
		}
		case ACPI_MADT_X2APIC: {
			const struct acpi_madt_x2apic *e = (const void *)p;

			assert_int_equal(e->length, 16);
			assert_int_equal(e->processor_uid, ncpu);
			assert_int_equal(e->x2apic_id, apic_ref__id(t, ncpu));
			assert_true(e->x2apic_id > 254);
			ncpu++;
			nx2++;
			break;
		}
		case ACPI_MADT_IOAPIC: {
			const struct acpi_madt_ioapic *e = (const void *)p;

			assert_int_equal(e->address, 0xFEC00000u);
			assert_int_equal(e->gsi_base, 0);
			nio++;
			break;
		}
		case ACPI_MADT_ISO: {
			const struct acpi_madt_iso *e = (const void *)p;

			assert_int_equal(e->source, 0);
			assert_int_equal(e->gsi, 2);
			niso++;
			break;
		}
		case ACPI_MADT_LAPIC_NMI:
			assert_int_equal(p[2], 0xff);
			assert_int_equal(p[5], 1);
			nnmi++;
			break;
		case ACPI_MADT_X2APIC_NMI:
			assert_true(x2);
			break;
		default:
			fail_msg("unexpected MADT entry type %u", p[0]);
		}
		p += p[1];
	}
	assert_ptr_equal(p, end);
	assert_int_equal(ncpu, topology__total_cpus(t));
	assert_int_equal(nio, 1);
	assert_int_equal(niso, 1);
	assert_int_equal(nnmi, 1);
	assert_int_equal(nx2 > 0, x2);
}

/* SRAT entries come in CPU order: each on the node of its LLC. */
static void check_srat_cpu(const struct topology *t, uint32_t cpu, uint32_t apic, uint32_t node)
{
	assert_int_equal(apic, topo_apic__id(t, cpu));
	assert_int_equal(node, topology__llc_node(t, topology__decompose(t, cpu).llc));
}

static void check_srat(const struct acpi_sdt_hdr *h, const struct topology *t,
		       const struct built *b)
{
	const uint8_t *p = (const uint8_t *)h + sizeof(struct acpi_srat);
	const uint8_t *end = (const uint8_t *)h + h->length;
	uint32_t ncpu = 0, nmem = 0;

	assert_int_equal(h->revision, 3);
	while (p < end) {
		uint32_t apic, node;

		assert_true(p + 2 <= end && p[1] >= 2 && p + p[1] <= end);
		switch (p[0]) {
		case ACPI_SRAT_LAPIC: {
			const struct acpi_srat_lapic *e = (const void *)p;

			apic = e->apic_id;
			node = e->proximity_lo | e->proximity_hi[0] << 8 |
			       e->proximity_hi[1] << 16 | (uint32_t)e->proximity_hi[2] << 24;
			assert_int_equal(e->flags, 1);
			check_srat_cpu(t, ncpu++, apic, node);
			break;
		}
		case ACPI_SRAT_X2APIC: {
			const struct acpi_srat_x2apic *e = (const void *)p;

			apic = e->x2apic_id;
			node = e->proximity;
			assert_int_equal(e->flags, 1);
			check_srat_cpu(t, ncpu++, apic, node);
			break;
		}
		case ACPI_SRAT_MEMORY: {
			const struct acpi_srat_mem *e = (const void *)p;
			uint64_t base = e->base_lo | (uint64_t)e->base_hi << 32;
			uint64_t len = e->length_lo | (uint64_t)e->length_hi << 32;

			assert_true(nmem < b->cfg.nmem);
			assert_int_equal(e->proximity, b->mem[nmem].node);
			assert_int_equal(base, b->mem[nmem].base);
			assert_int_equal(len, b->mem[nmem].size);
			assert_int_equal(e->flags, 1);
			nmem++;
			break;
		}
		default:
			fail_msg("unexpected SRAT entry type %u", p[0]);
		}
		p += p[1];
	}
	assert_int_equal(ncpu, topology__total_cpus(t));
	assert_int_equal(nmem, t->numa_nodes);
}

static void check_slit(const struct acpi_sdt_hdr *h, const struct topology *t)
{
	const struct acpi_slit *s = (const void *)h;
	const uint8_t *d = (const uint8_t *)(s + 1);
	uint32_t n = t->numa_nodes;

	assert_int_equal(s->localities, n);
	assert_int_equal(h->length, 44 + n * n);
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < n; j++)
			assert_int_equal(d[i * n + j], i == j ? 10 : 20);
}

static void test_tables(void **state)
{
	for (size_t i = 0; i < sizeof(topos) / sizeof(topos[0]); i++) {
		const struct topology *t = &topos[i];
		const struct acpi_sdt_hdr *fadt, *madt, *srat, *slit;
		struct built b;

		build(&b, t);
		check_rsdp_and_lists(&b, &fadt, &madt, &srat, &slit);
		check_fadt(&b, fadt);
		check_madt(madt, t);
		check_srat(srat, t, &b);
		check_slit(slit, t);
		free(b.buf);
	}
}

static void test_errors(void **state)
{
	struct topology t = TOPO(2, 4, 2, 1), bad = TOPO(2, 3, 2, 1);
	struct acpi_mem_range r = { 0, 1 * MiB, 2 };	/* node 2 does not exist */
	struct acpi_config cfg = { .topo = &t };
	static uint8_t buf[ACPI_REGION_SIZE];
	size_t need = acpi__size(&cfg);

	assert_int_equal(acpi__build(buf, need - 1, ACPI_RSDP_GPA, &cfg, NULL), -ENOSPC);
	assert_int_equal(acpi__build(buf, need, ACPI_RSDP_GPA, &cfg, NULL), 0);
	cfg.mem = &r;
	cfg.nmem = 1;
	assert_int_equal(acpi__build(buf, sizeof(buf), ACPI_RSDP_GPA, &cfg, NULL), -EINVAL);
	r = (struct acpi_mem_range){ UINT64_MAX - 10, 100, 0 };	/* wraps */
	assert_int_equal(acpi__build(buf, sizeof(buf), ACPI_RSDP_GPA, &cfg, NULL), -EINVAL);
	cfg = (struct acpi_config){ .topo = &bad };
	assert_int_equal(acpi__build(buf, sizeof(buf), ACPI_RSDP_GPA, &cfg, NULL), -EINVAL);
	assert_int_equal(acpi__size(&cfg), 0);
	cfg = (struct acpi_config){ .topo = &t };
	assert_int_equal(acpi__build(buf, sizeof(buf), 0xFFFFFF00ull, &cfg, NULL), -EINVAL);
}

static void test_apic_ids(void **state)
{
	struct topology t = TOPO(1, 2, 3, 2);	/* smt 1 bit, core 2 bits */

	assert_int_equal(topo_apic__bits_needed(0), 0);
	assert_int_equal(topo_apic__bits_needed(1), 0);
	assert_int_equal(topo_apic__bits_needed(2), 1);
	assert_int_equal(topo_apic__bits_needed(3), 2);
	assert_int_equal(topo_apic__bits_needed(4), 2);
	assert_int_equal(topo_apic__bits_needed(5), 3);
	assert_int_equal(topo_apic__bits_needed(252), 8);
	assert_int_equal(topo_apic__smt_shift(&t), 1);
	assert_int_equal(topo_apic__core_shift(&t), 3);
	/* cpu 7 = llc 1, core 0, thread 1 -> 1<<3 | 0<<1 | 1 */
	assert_int_equal(topo_apic__id(&t, 7), 9);
	/* cpu 11 = llc 1, core 2, thread 1 -> 8 | 4 | 1 */
	assert_int_equal(topo_apic__id(&t, 11), 13);
	assert_int_equal(topo_apic__max_id(&t), 13);
	assert_false(topo_apic__needs_x2apic(&t));
	t = TOPO(2, 14, 9, 2);
	assert_int_equal(topo_apic__max_id(&t), 13 << 5 | 8 << 1 | 1);
	assert_true(topo_apic__needs_x2apic(&t));
}

static void check_mptable(const struct topology *t)
{
	size_t size = mptable__size(t);
	uint8_t *buf = malloc(size);
	const struct mpf_intel *mpf = (const void *)buf;
	const struct mpc_table *mpc;
	const uint8_t *p, *end;
	uint32_t ncpu = 0, n = 0, nint = 0;

	assert_non_null(buf);
	assert_int_equal(mptable__build(buf, size - 1, MPTABLE_GPA, t), -ENOSPC);
	assert_int_equal(mptable__build(buf, size, MPTABLE_GPA, t), 0);
	assert_memory_equal(mpf->signature, "_MP_", 4);
	assert_int_equal(acpi_sdt__sum(mpf, 16), 0);
	assert_int_equal(mpf->physptr, MPTABLE_GPA + 16);
	mpc = (const void *)(buf + 16);
	assert_memory_equal(mpc->signature, "PCMP", 4);
	assert_int_equal(acpi_sdt__sum(mpc, mpc->length), 0);
	assert_int_equal(mpc->length + 16, size);
	p = (const uint8_t *)(mpc + 1);
	end = (const uint8_t *)mpc + mpc->length;
	while (p < end) {
		n++;
		if (p[0] == MP_PROCESSOR) {
			const struct mpc_cpu *c = (const void *)p;

			assert_int_equal(c->apicid, apic_ref__id(t, ncpu));
			assert_int_equal(c->cpuflag, ncpu ? 1 : 3);
			ncpu++;
			p += sizeof(*c);
		} else {
			if (p[0] == MP_INTSRC)
				nint++;
			if (p[0] == MP_IOAPIC)
				assert_int_equal(p[1], MPTABLE_IOAPIC_ID);
			p += 8;
		}
	}
	assert_ptr_equal(p, end);
	assert_int_equal(n, mpc->oemcount);
	assert_int_equal(ncpu, topology__total_cpus(t));
	assert_int_equal(nint, 16);
	free(buf);
}

static void test_mptable(void **state)
{
	struct topology x2 = TOPO(2, 14, 9, 2), bad = TOPO(0, 1, 1, 1);
	uint8_t buf[64];

	for (size_t i = 0; i < 4; i++)
		check_mptable(&topos[i]);
	/* 0x9FC00..0xA0000 fits 40 CPUs, not 41. */
	assert_true(mptable__size(&TOPO(1, 1, 40, 1)) <= 0x400);
	assert_true(mptable__size(&TOPO(1, 1, 41, 1)) > 0x400);
	assert_int_equal(mptable__build(buf, sizeof(buf), MPTABLE_GPA, &x2), -ERANGE);
	assert_int_equal(mptable__build(buf, sizeof(buf), MPTABLE_GPA, &bad), -EINVAL);
}

/* The PM timer counts 3,579,545 per second from 0, in 32 bits that wrap. */
static void test_pm_timer(void **state)
{
	const uint64_t s = 1000000000ull;
	uint32_t prev = 0;

	(void)state;
	assert_int_equal(acpi__pm_timer_count(0), 0);
	assert_int_equal(acpi__pm_timer_count(s), ACPI_PM_TMR_HZ);
	assert_int_equal(acpi__pm_timer_count(s / 1000), 3579);	/* 1 ms */
	assert_int_equal(acpi__pm_timer_count(280), 1);		/* one tick is ~279.4 ns */
	assert_int_equal(acpi__pm_timer_count(3600 * s),
			 (uint32_t)(3600ull * ACPI_PM_TMR_HZ));		/* wrapped */
	/* Far out (a year) without overflow in the arithmetic. */
	assert_int_equal(acpi__pm_timer_count(365ull * 86400 * s + s),
			 (uint32_t)((365ull * 86400 + 1) * ACPI_PM_TMR_HZ));
	/* Never backwards over a second of 1 us steps, short of the wrap. */
	for (uint64_t ns = 0; ns < s; ns += 1000) {
		uint32_t v = acpi__pm_timer_count(ns);

		assert_true(v >= prev);
		prev = v;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apic_ids),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_mptable),
		cmocka_unit_test(test_pm_timer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

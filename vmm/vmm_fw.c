// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware tables in guest RAM and the ACPI fixed-hardware ports:
 *   0x9FC00  MP table (when every APIC ID is below 255; ACPI alone otherwise)
 *   0xE0000  RSDP, then DSDT, MADT, FADT, SRAT, SLIT, RSDT, XSDT
 *   I/O 0x600-0x603 PM1a_EVT, 0x604-0x605 PM1a_CNT: reads 0; SLP_EN with
 *   SLP_TYP 5 (the DSDT's \_S5) written to PM1a_CNT powers the VM off;
 *   0x608-0x60b the PM timer, counting from the VM's creation.
 * The SRAT gives each NUMA node an even share of the E820's RAM, in address
 * order (node 0 has the low memory), node boundaries on 2 MiB.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "platform/acpi.h"
#include "platform/mptable.h"
#include "vmm_int.h"

#define VMM_E820_MAX		8
#define VMM_NODE_ALIGN		(2ull << 20)
#define VMM_MEM_RANGES_MAX	(KTSTR_MAX_NUMA + VMM_E820_MAX)

/* The guest address below which @ram bytes of the E820's RAM lie. */
static uint64_t vmm__ram_addr(const struct boot_e820_entry *e, unsigned int ne, uint64_t ram)
{
	for (unsigned int i = 0; i < ne; i++) {
		if (ram <= e[i].size)
			return e[i].addr + ram;
		ram -= e[i].size;
	}
	return ne ? e[ne - 1].addr + e[ne - 1].size : 0;
}

/*
 * Split the E820 RAM evenly between @nodes nodes: node k starts where k/nodes
 * of the RAM lie below, rounded down to 2 MiB in the address space. Returns
 * the ranges written to @out (E820 entries clipped to each node's span).
 */
static size_t vmm__node_ranges(const struct kvm *kvm, uint32_t nodes,
			       struct acpi_mem_range *out, size_t max)
{
	struct boot_e820_entry e[VMM_E820_MAX];
	unsigned int ne = kvm__e820(kvm, e, VMM_E820_MAX);
	uint64_t total = 0, lo = 0;
	size_t k = 0;

	for (unsigned int i = 0; i < ne; i++)
		total += e[i].size;
	for (uint32_t n = 0; n < nodes; n++) {
		uint64_t hi = UINT64_MAX;

		if (n + 1 < nodes) {
			hi = vmm__ram_addr(e, ne, total / nodes * (n + 1)) & ~(VMM_NODE_ALIGN - 1);
			if (hi < lo)
				hi = lo;
		}
		for (unsigned int i = 0; i < ne && k < max; i++) {
			uint64_t s = e[i].addr > lo ? e[i].addr : lo;
			uint64_t end = e[i].addr + e[i].size < hi ? e[i].addr + e[i].size : hi;

			if (s < end)
				out[k++] = (struct acpi_mem_range){ s, end - s, n };
		}
		lo = hi;
	}
	return k;
}

int vmm__firmware(struct vmm *vmm, char *err, size_t errlen)
{
	struct acpi_mem_range mem[VMM_MEM_RANGES_MAX];
	struct acpi_config cfg = { .topo = &vmm->topo, .mem = mem };
	size_t need, mp;
	void *p;
	int ret;

	cfg.nmem = vmm__node_ranges(&vmm->kvm, vmm->topo.numa_nodes, mem, VMM_MEM_RANGES_MAX);
	need = acpi__size(&cfg);
	p = need && need <= ACPI_REGION_SIZE ? kvm__gpa(&vmm->kvm, ACPI_RSDP_GPA, need) : NULL;
	if (!p) {
		snprintf(err, errlen, "the ACPI tables (%zu bytes) do not fit at %#llx",
			 need, (unsigned long long)ACPI_RSDP_GPA);
		return -ENOSPC;
	}
	ret = acpi__build(p, need, ACPI_RSDP_GPA, &cfg, NULL);
	if (ret) {
		snprintf(err, errlen, "building the ACPI tables: %s", strerror(-ret));
		return ret;
	}
	vmm->acpi = true;

	/* Legacy fallback: skipped when an APIC ID does not fit (or no room below 0xE0000). */
	mp = mptable__size(&vmm->topo);
	if (mp && mp <= ACPI_RSDP_GPA - MPTABLE_GPA) {
		p = kvm__gpa(&vmm->kvm, MPTABLE_GPA, mp);
		vmm->mptable = p && !mptable__build(p, mp, MPTABLE_GPA, &vmm->topo);
	}
	return 0;
}

/* PM1a_EVT (off 0-3) and PM1a_CNT (off 4-5): reads 0, S5 through SLP_EN powers off. */
static void vmm__pm_io(void *dev, uint64_t off, uint8_t *data, uint32_t len, bool is_write)
{
	struct vmm *vmm = dev;
	uint16_t cnt;

	if (!is_write) {
		memset(data, 0, len);
		return;
	}
	if (off + len <= ACPI_PM1A_EVT_LEN)
		return;
	cnt = vmm->pm.cnt;
	for (uint32_t i = 0; i < len; i++) {
		uint64_t b = off + i;

		if (b < ACPI_PM1A_EVT_LEN || b >= ACPI_PM1A_EVT_LEN + ACPI_PM1A_CNT_LEN)
			continue;
		b -= ACPI_PM1A_EVT_LEN;
		cnt = (uint16_t)((cnt & ~(0xffu << (8 * b))) | ((unsigned)data[i] << (8 * b)));
	}
	/* SLP_EN is write-only: it never stays set. */
	vmm->pm.cnt = cnt & (uint16_t)~ACPI_PM1_CNT_SLP_EN;
	if ((cnt & ACPI_PM1_CNT_SLP_EN) && ((cnt >> 10) & 7) == ACPI_S5_SLP_TYP)
		vmm__device_end(vmm, VMM_END_POWEROFF,
				"guest powered off through ACPI (S5: SLP_TYP 5 | SLP_EN to port 0x604)");
}

/* The PM timer: reads give the count; writes are ignored (it is read-only). */
static void vmm__pm_tmr_io(void *dev, uint64_t off, uint8_t *data, uint32_t len,
			   bool is_write)
{
	struct vmm *vmm = dev;
	struct timespec ts;
	uint32_t v;

	if (is_write)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	v = acpi__pm_timer_count((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec -
				 vmm->pm.t0_ns);
	for (uint32_t i = 0; i < len; i++)
		data[i] = off + i < 4 ? (uint8_t)(v >> (8 * (off + i))) : 0;
}

int vmm__pm_register(struct vmm *vmm)
{
	struct timespec ts;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	vmm->pm.t0_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	ret = bus__register(&vmm->pio, ACPI_PM_TMR_PORT, ACPI_PM_TMR_LEN, vmm__pm_tmr_io, vmm);
	if (ret)
		return ret;
	_Static_assert(ACPI_PM1A_CNT_PORT == ACPI_PM1A_EVT_PORT + ACPI_PM1A_EVT_LEN,
		       "PM1a_EVT and PM1a_CNT are adjacent");
	return bus__register(&vmm->pio, ACPI_PM1A_EVT_PORT,
			     ACPI_PM1A_EVT_LEN + ACPI_PM1A_CNT_LEN, vmm__pm_io, vmm);
}

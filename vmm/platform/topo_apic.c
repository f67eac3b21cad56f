// SPDX-License-Identifier: GPL-2.0
/* APIC ID encoding of the VM topology (see topo_apic.h). */
#include "topo_apic.h"

uint32_t topo_apic__bits_needed(uint32_t n)
{
	return n <= 1 ? 0 : 32 - (uint32_t)__builtin_clz(n - 1);
}

uint32_t topo_apic__smt_shift(const struct topology *t)
{
	return topo_apic__bits_needed(t->threads_per_core);
}

uint32_t topo_apic__core_shift(const struct topology *t)
{
	return topo_apic__bits_needed(t->threads_per_core) +
	       topo_apic__bits_needed(t->cores_per_llc);
}

uint32_t topo_apic__id(const struct topology *t, uint32_t cpu)
{
	struct cpu_pos p = topology__decompose(t, cpu);

	return p.llc << topo_apic__core_shift(t) |
	       p.core << topo_apic__smt_shift(t) | p.thread;
}

uint32_t topo_apic__max_id(const struct topology *t)
{
	uint32_t n = topology__total_cpus(t);

	/* IDs grow with the CPU number: the last CPU has the largest. */
	return n ? topo_apic__id(t, n - 1) : 0;
}

bool topo_apic__needs_x2apic(const struct topology *t)
{
	return topo_apic__max_id(t) > TOPO_APIC_XAPIC_MAX;
}

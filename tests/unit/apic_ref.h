/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x2APIC ID a CPU of a topology must have, computed here from the
 * architecture's rule rather than with the VMM's own generator (vmm/platform/
 * topo_apic.c), so the tests that check MADT, MP table and CPUID against it
 * can catch a wrong generator. Intel SDM vol. 3A, "Hierarchical Mapping of
 * Shared Resources" and CPUID leaf 0Bh: the SMT field is the low
 * ceil(log2(threads per core)) bits, the core field the next
 * ceil(log2(cores per package)) bits, and the package (one per LLC here,
 * numbered across nodes) sits above both. ktstr numbers CPUs LLC by LLC, core
 * by core, thread by thread.
 */
#ifndef KTSTR_TEST_APIC_REF_H
#define KTSTR_TEST_APIC_REF_H

#include <stdint.h>

#include "topo/topology.h"

static inline unsigned apic_ref__field_bits(uint32_t n)
{
	unsigned b = 0;

	while ((1u << b) < n)
		b++;
	return b;
}

static inline uint32_t apic_ref__id(const struct topology *t, uint32_t cpu)
{
	uint32_t thread = cpu % t->threads_per_core;
	uint32_t core = cpu / t->threads_per_core % t->cores_per_llc;
	uint32_t llc = cpu / (t->threads_per_core * t->cores_per_llc);
	unsigned smt_bits = apic_ref__field_bits(t->threads_per_core);
	unsigned core_bits = apic_ref__field_bits(t->cores_per_llc);

	return llc << (smt_bits + core_bits) | core << smt_bits | thread;
}

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * APIC IDs that encode the topology (ktstr-internals(7), THE GUEST): each
 * LLC is its own package, so Linux sees one last-level cache domain per LLC.
 *
 *   apic = llc << core_shift | core << smt_shift | thread
 *   smt_shift = bits(T), core_shift = bits(T) + bits(C)
 *   bits(n) = n <= 1 ? 0 : 32 - clz(n - 1)
 *
 * Shared by the CPUID, ACPI and MP table builders.
 */
#ifndef KTSTR_VMM_TOPO_APIC_H
#define KTSTR_VMM_TOPO_APIC_H

#include <stdbool.h>
#include <stdint.h>

#include "topo/topology.h"

/* The largest APIC ID a type-0 MADT entry (and the MP table) may carry. */
#define TOPO_APIC_XAPIC_MAX 254

uint32_t topo_apic__bits_needed(uint32_t n);
uint32_t topo_apic__smt_shift(const struct topology *t);
uint32_t topo_apic__core_shift(const struct topology *t);
/* APIC ID of CPU @cpu (thread-fastest numbering, lib/topo/topology.h). */
uint32_t topo_apic__id(const struct topology *t, uint32_t cpu);
/* Highest APIC ID of any CPU of @t. */
uint32_t topo_apic__max_id(const struct topology *t);
/* True when some APIC ID does not fit xAPIC (> 254): x2APIC entries needed. */
bool topo_apic__needs_x2apic(const struct topology *t);

#endif

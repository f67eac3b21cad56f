// SPDX-License-Identifier: GPL-2.0
/* The guest's fixed cache model in CPUID (cpuid_cache.h). */
#include <string.h>

#include "cpuid_cache.h"

#define LINE 64u

static const struct {
	uint8_t type;		/* 1 data, 2 instruction, 3 unified */
	uint8_t level;
	uint16_t ways;
	uint32_t kib;
	bool per_llc;		/* else per core */
	bool inclusive;
} caches[CPUID_CACHE_SUBLEAVES - 1] = {
	{ 1, 1, 8, 32, false, false },
	{ 2, 1, 8, 32, false, false },
	{ 3, 2, 8, 1024, false, false },
	{ 3, 3, 16, 16384, true, true },
};

void cpuid_cache__leaf(struct kvm_cpuid_entry2 *e, uint32_t function, uint32_t sub,
		       uint32_t smt_shift, uint32_t core_shift, uint32_t core_bits)
{
	uint32_t sets, sharing;

	memset(e, 0, sizeof(*e));
	e->function = function;
	e->index = sub;
	e->flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
	if (sub >= CPUID_CACHE_SUBLEAVES - 1)
		return;		/* type 0: no more caches */
	sets = caches[sub].kib * 1024u / (LINE * caches[sub].ways);
	/* "Maximum number of addressable IDs sharing this cache" - 1, in APIC ids. */
	sharing = (1u << (caches[sub].per_llc ? core_shift : smt_shift)) - 1;
	e->eax = caches[sub].type | (uint32_t)caches[sub].level << 5 | 1u << 8 /* self-init */ |
		 (sharing & 0xfff) << 14;
	if (function == 0x4)
		e->eax |= (((1u << core_bits) - 1) & 0x3f) << 26;
	e->ebx = (LINE - 1) | 0u << 12 /* one partition */ | (uint32_t)(caches[sub].ways - 1) << 22;
	e->ecx = sets - 1;
	e->edx = caches[sub].inclusive ? 1u << 1 : 0;
}

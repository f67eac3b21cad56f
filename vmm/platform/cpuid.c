// SPDX-License-Identifier: GPL-2.0
/* Per-vCPU CPUID topology patching (see cpuid.h). */
#include <errno.h>
#include <string.h>

#include "cpuid.h"
#include "cpuid_cache.h"
#include "topo_apic.h"

#define LEAF1_EDX_HTT		(1u << 28)
#define LEAF1_ECX_TSC_DEADLINE	(1u << 24)
#define LEAF1_ECX_HYPERVISOR	(1u << 31)
#define EXT1_ECX_CMP_LEGACY	(1u << 1)
#define EXT1_ECX_TOPOEXT	(1u << 22)
#define KVM_HINTS_REALTIME_BIT	(1u << 0)
#define HV_LEAF			0x40000000u
#define HV_FEATURES_LEAF	0x40000001u

/* Level types in 0xB/0x1F ECX[15:8]. */
#define TOPO_LEVEL_INVALID	0
#define TOPO_LEVEL_SMT		1
#define TOPO_LEVEL_CORE		2

struct topo_ctx {
	const struct topology *t;
	struct cpu_pos pos;
	uint32_t apic;
	uint32_t smt_shift, core_shift;
	uint32_t threads_per_llc;
	enum cpuid_vendor vendor;
};

const struct kvm_cpuid_entry2 *cpuid__find(const struct kvm_cpuid_entry2 *e, uint32_t n,
					   uint32_t function, uint32_t index)
{
	for (uint32_t i = 0; i < n; i++) {
		if (e[i].function != function)
			continue;
		if (!(e[i].flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) || e[i].index == index)
			return &e[i];
	}
	return NULL;
}

enum cpuid_vendor cpuid__vendor(const struct kvm_cpuid_entry2 *base, uint32_t nbase)
{
	const struct kvm_cpuid_entry2 *l0 = cpuid__find(base, nbase, 0, 0);
	char v[12];

	if (!l0)
		return CPUID_VENDOR_OTHER;
	memcpy(v, &l0->ebx, 4);
	memcpy(v + 4, &l0->edx, 4);
	memcpy(v + 8, &l0->ecx, 4);
	if (!memcmp(v, "GenuineIntel", 12))
		return CPUID_VENDOR_INTEL;
	if (!memcmp(v, "AuthenticAMD", 12) || !memcmp(v, "HygonGenuine", 12))
		return CPUID_VENDOR_AMD;
	return CPUID_VENDOR_OTHER;
}

static uint32_t set_bits(uint32_t v, unsigned lo, unsigned width, uint32_t field)
{
	uint32_t mask = ((width >= 32) ? ~0u : ((1u << width) - 1)) << lo;

	return (v & ~mask) | ((field << lo) & mask);
}

static void patch_leaf1(struct kvm_cpuid_entry2 *e, const struct topo_ctx *c, unsigned flags)
{
	uint32_t logical = c->threads_per_llc > 255 ? 255 : c->threads_per_llc;

	e->ebx = set_bits(e->ebx, 24, 8, c->apic & 0xff);
	e->ebx = set_bits(e->ebx, 16, 8, logical);
	if (c->threads_per_llc > 1)
		e->edx |= LEAF1_EDX_HTT;
	else
		e->edx &= ~LEAF1_EDX_HTT;
	e->ecx |= LEAF1_ECX_HYPERVISOR;
	if (flags & CPUID_F_TSC_DEADLINE)
		e->ecx |= LEAF1_ECX_TSC_DEADLINE;
}

static void topo_level(struct kvm_cpuid_entry2 *e, uint32_t function, uint32_t sub,
		       const struct topo_ctx *c)
{
	memset(e, 0, sizeof(*e));
	e->function = function;
	e->index = sub;
	e->flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
	e->edx = c->apic;
	switch (sub) {
	case 0:
		e->eax = c->smt_shift;
		e->ebx = c->t->threads_per_core;
		e->ecx = TOPO_LEVEL_SMT << 8 | 0;
		break;
	case 1:
		e->eax = c->core_shift;
		e->ebx = c->threads_per_llc;
		e->ecx = TOPO_LEVEL_CORE << 8 | 1;
		break;
	default:
		e->ecx = TOPO_LEVEL_INVALID << 8 | sub;
		break;
	}
}

static void patch_amd(struct kvm_cpuid_entry2 *e, const struct topo_ctx *c)
{
	switch (e->function) {
	case 0x80000000:
		/* Room for 0x8000001D and 0x8000001E, which are always there. */
		if (e->eax < 0x8000001e)
			e->eax = 0x8000001e;
		break;
	case 0x80000001:
		/* TopoExt: the guest reads its caches from 0x8000001D (cpuid_cache.h). */
		e->ecx |= EXT1_ECX_TOPOEXT;
		if (c->threads_per_llc > 1)
			e->ecx |= EXT1_ECX_CMP_LEGACY;
		break;
	case 0x80000008:
		e->ecx = c->threads_per_llc > 1 ?
			 (c->core_shift << 12) | (c->threads_per_llc - 1) : 0;
		break;
	case 0x8000001e:
		e->eax = c->apic;
		e->ebx = (c->t->threads_per_core - 1) << 8 | (c->pos.core & 0xff);
		e->ecx = (c->pos.node & 0xff) | (c->t->numa_nodes - 1) << 8;
		e->edx = 0;
		break;
	}
}

static void patch_entry(struct kvm_cpuid_entry2 *e, const struct topo_ctx *c, unsigned flags)
{
	switch (e->function) {
	case 0x1:
		patch_leaf1(e, c, flags);
		break;
	case 0xa:
		e->eax = e->ebx = e->ecx = e->edx = 0;
		break;
	case HV_LEAF:
		if ((flags & CPUID_F_REALTIME) && e->eax < HV_FEATURES_LEAF)
			e->eax = HV_FEATURES_LEAF;
		break;
	case HV_FEATURES_LEAF:
		if (flags & CPUID_F_REALTIME)
			e->edx |= KVM_HINTS_REALTIME_BIT;
		break;
	default:
		if (c->vendor == CPUID_VENDOR_AMD)
			patch_amd(e, c);
		break;
	}
}

static int emit(struct kvm_cpuid_entry2 *out, uint32_t max_out, uint32_t *n,
		const struct kvm_cpuid_entry2 *e)
{
	if (*n >= max_out)
		return -E2BIG;
	out[(*n)++] = *e;
	return 0;
}

static int emit_levels(struct kvm_cpuid_entry2 *out, uint32_t max_out, uint32_t *n,
		       uint32_t function, const struct topo_ctx *c)
{
	struct kvm_cpuid_entry2 e;
	int ret;

	for (uint32_t sub = 0; sub < 3; sub++) {
		topo_level(&e, function, sub, c);
		ret = emit(out, max_out, n, &e);
		if (ret)
			return ret;
	}
	return 0;
}

/* The fixed cache model: 0x8000001D on AMD, 0x4 elsewhere. */
static int emit_caches(struct kvm_cpuid_entry2 *out, uint32_t max_out, uint32_t *n,
		       const struct topo_ctx *c)
{
	uint32_t fn = c->vendor == CPUID_VENDOR_AMD ? 0x8000001d : 0x4;
	struct kvm_cpuid_entry2 e;
	int ret = 0;

	for (uint32_t sub = 0; !ret && sub < CPUID_CACHE_SUBLEAVES; sub++) {
		cpuid_cache__leaf(&e, fn, sub, c->smt_shift, c->core_shift,
				  topo_apic__bits_needed(c->t->cores_per_llc));
		ret = emit(out, max_out, n, &e);
	}
	return ret;
}

int cpuid__build(const struct kvm_cpuid_entry2 *base, uint32_t nbase,
		 const struct topology *t, uint32_t cpu, unsigned flags,
		 struct kvm_cpuid_entry2 *out, uint32_t max_out, uint32_t *nout)
{
	const struct kvm_cpuid_entry2 *l0;
	struct topo_ctx c;
	uint32_t n = 0;
	bool has_1f;
	char err[128];
	int ret;

	if (!t || !out || !nout || (nbase && !base) ||
	    topology__validate(t, err, sizeof(err)) || cpu >= topology__total_cpus(t))
		return -EINVAL;
	c = (struct topo_ctx){
		.t = t,
		.pos = topology__decompose(t, cpu),
		.apic = topo_apic__id(t, cpu),
		.smt_shift = topo_apic__smt_shift(t),
		.core_shift = topo_apic__core_shift(t),
		.threads_per_llc = topology__cpus_per_llc(t),
		.vendor = cpuid__vendor(base, nbase),
	};
	l0 = cpuid__find(base, nbase, 0, 0);
	has_1f = cpuid__find(base, nbase, 0x1f, 0) || (l0 && l0->eax >= 0x1f);

	for (uint32_t i = 0; i < nbase; i++) {
		struct kvm_cpuid_entry2 e = base[i];

		/* 0xB, 0x1F and the cache leaves are regenerated whole below. */
		if (e.function == 0xb || e.function == 0x1f || e.function == 0x4 ||
		    e.function == 0x8000001d)
			continue;
		patch_entry(&e, &c, flags);
		ret = emit(out, max_out, &n, &e);
		if (ret)
			return ret;
	}
	ret = emit_levels(out, max_out, &n, 0xb, &c);
	if (!ret && has_1f)
		ret = emit_levels(out, max_out, &n, 0x1f, &c);
	if (!ret)
		ret = emit_caches(out, max_out, &n, &c);
	if (!ret && c.vendor == CPUID_VENDOR_AMD && !cpuid__find(base, nbase, 0x8000001e, 0)) {
		struct kvm_cpuid_entry2 e = { .function = 0x8000001e };

		patch_amd(&e, &c);
		ret = emit(out, max_out, &n, &e);
	}
	if (ret)
		return ret;

	if (!cpuid__find(base, nbase, HV_LEAF, 0)) {
		struct kvm_cpuid_entry2 hv = { .function = HV_LEAF };
		bool has_features = cpuid__find(base, nbase, HV_FEATURES_LEAF, 0);

		hv.eax = has_features ? HV_FEATURES_LEAF : HV_LEAF;
		memcpy(&hv.ebx, "KVMK", 4);
		memcpy(&hv.ecx, "VMKV", 4);
		memcpy(&hv.edx, "M\0\0\0", 4);
		ret = emit(out, max_out, &n, &hv);
		if (ret)
			return ret;
	}
	*nout = n;
	return 0;
}

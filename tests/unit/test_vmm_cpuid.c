// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for vmm/platform/cpuid: the per-vCPU CPUID topology leaves
 * (ktstr-internals(7), THE GUEST) on synthetic Intel and AMD base lists,
 * against hand-computed values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "apic_ref.h"
#include "platform/cpuid.h"
#include "platform/topo_apic.h"

#define TOPO(n, l, c, t) ((struct topology){ n, l, c, t })
#define IDX KVM_CPUID_FLAG_SIGNIFCANT_INDEX
#define MAX_OUT 64

/* A cache subleaf's EAX: type (1 data, 2 code, 3 unified) and level. */
#define CACHE(type, level) ((type) | (level) << 5 | 1u << 8)

static void vendor(struct kvm_cpuid_entry2 *e, uint32_t max, const char *v)
{
	*e = (struct kvm_cpuid_entry2){ .function = 0, .eax = max };
	memcpy(&e->ebx, v, 4);
	memcpy(&e->edx, v + 4, 4);
	memcpy(&e->ecx, v + 8, 4);
}

/* What KVM_GET_SUPPORTED_CPUID might say on an Intel host. */
static uint32_t intel_base(struct kvm_cpuid_entry2 *b)
{
	uint32_t n = 0;

	vendor(&b[n++], 0x1f, "GenuineIntel");
	/* No TSC deadline (ECX bit 24): KVM leaves that to userspace. */
	b[n++] = (struct kvm_cpuid_entry2){ .function = 1, .eax = 0x906ea, .ebx = 0xaabb0800,
					    .ecx = 0x7efafbff, .edx = 0xbfebfbff };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 4, .index = 0, .flags = IDX,
					    .eax = CACHE(1, 1) | 0xfc000000u | 3u << 14,
					    .ebx = 0x1c0003f };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 4, .index = 1, .flags = IDX,
					    .eax = CACHE(2, 1) };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 4, .index = 2, .flags = IDX,
					    .eax = CACHE(3, 2) };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 4, .index = 3, .flags = IDX,
					    .eax = CACHE(3, 3) | 0xfff << 14 };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 4, .index = 4, .flags = IDX, .eax = 0 };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0xa, .eax = 0x07300404, .edx = 0x603 };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0xb, .index = 0, .flags = IDX,
					    .eax = 1, .ebx = 2, .ecx = 0x100, .edx = 99 };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0xb, .index = 1, .flags = IDX,
					    .eax = 4, .ebx = 12, .ecx = 0x201, .edx = 99 };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0x1f, .index = 0, .flags = IDX,
					    .eax = 1, .ebx = 2, .ecx = 0x100, .edx = 99 };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0x80000000, .eax = 0x80000008 };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0x80000001, .ecx = 0x121,
					    .edx = 0x2c100800 };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0x80000008, .eax = 0x3027, .ecx = 0 };
	return n;
}

/* ... and on an AMD host (hypervisor leaves present, no 0xB/0x1F). */
static uint32_t amd_base(struct kvm_cpuid_entry2 *b)
{
	uint32_t n = 0;

	vendor(&b[n++], 0x10, "AuthenticAMD");
	b[n++] = (struct kvm_cpuid_entry2){ .function = 1, .eax = 0xa20f10, .ebx = 0x10800,
					    .edx = 0x178bfbff };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0xa, .eax = 5 };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0x40000000, .eax = 0x40000001,
					    .ebx = 0x4b4d564b, .ecx = 0x564b4d56, .edx = 0x4d };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0x40000001, .eax = 0x1fff };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0x80000000, .eax = 0x80000021 };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0x80000001, .ecx = 0x75c237ff };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0x80000008, .eax = 0x3030, .ecx = 0x700f };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0x8000001d, .index = 0, .flags = IDX,
					    .eax = CACHE(1, 1) };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0x8000001d, .index = 1, .flags = IDX,
					    .eax = CACHE(3, 3) | 0xfc000000u };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0x8000001d, .index = 2, .flags = IDX };
	b[n++] = (struct kvm_cpuid_entry2){ .function = 0x8000001e, .eax = 7, .ebx = 0x107,
					    .ecx = 3, .edx = 9 };
	return n;
}

struct out {
	struct kvm_cpuid_entry2 e[MAX_OUT];
	uint32_t n;
};

static const struct kvm_cpuid_entry2 *get(const struct out *o, uint32_t fn, uint32_t idx)
{
	const struct kvm_cpuid_entry2 *e = cpuid__find(o->e, o->n, fn, idx);

	assert_non_null(e);
	return e;
}

static void build(const struct kvm_cpuid_entry2 *b, uint32_t nb, struct topology t,
		  uint32_t cpu, unsigned flags, struct out *o)
{
	assert_int_equal(cpuid__build(b, nb, &t, cpu, flags, o->e, MAX_OUT, &o->n), 0);
}

static void check_levels(const struct out *o, uint32_t fn, uint32_t apic, uint32_t smt_shift,
			 uint32_t t, uint32_t core_shift, uint32_t per_llc)
{
	const struct kvm_cpuid_entry2 *e;

	e = get(o, fn, 0);
	assert_int_equal(e->eax, smt_shift);
	assert_int_equal(e->ebx, t);
	assert_int_equal(e->ecx, 0x100);
	assert_int_equal(e->edx, apic);
	e = get(o, fn, 1);
	assert_int_equal(e->eax, core_shift);
	assert_int_equal(e->ebx, per_llc);
	assert_int_equal(e->ecx, 0x201);
	assert_int_equal(e->edx, apic);
	e = get(o, fn, 2);
	assert_int_equal(e->eax, 0);
	assert_int_equal(e->ebx, 0);
	assert_int_equal(e->ecx, 2);
	assert_int_equal(e->edx, apic);
	assert_null(cpuid__find(o->e, o->n, fn, 3));
}

/* 1n2l3c2t, CPU 11 = LLC 1, core 2, thread 1: APIC 1<<3 | 2<<1 | 1 = 13. */
static void test_intel_smt(void **state)
{
	struct kvm_cpuid_entry2 b[32];
	uint32_t nb = intel_base(b);
	const struct kvm_cpuid_entry2 *e;
	struct out o;

	assert_int_equal(cpuid__vendor(b, nb), CPUID_VENDOR_INTEL);
	build(b, nb, TOPO(1, 2, 3, 2), 11, 0, &o);
	/* the base minus 3 old 0xB/0x1F entries, plus 2x3 levels and the hypervisor leaf */
	assert_int_equal(o.n, nb - 3 + 6 + 1);

	e = get(&o, 1, 0);
	assert_int_equal(e->ebx, 13u << 24 | 6u << 16 | 0x0800);
	assert_true(e->edx & 1u << 28);
	assert_true(e->ecx & 1u << 31);
	assert_false(e->ecx & 1u << 24);	/* no TSC deadline unless KVM has it */
	assert_int_equal(e->eax, 0x906ea);
	build(b, nb, TOPO(1, 2, 3, 2), 11, CPUID_F_TSC_DEADLINE, &o);
	assert_true(get(&o, 1, 0)->ecx & 1u << 24);
	build(b, nb, TOPO(1, 2, 3, 2), 11, 0, &o);

	e = get(&o, 4, 0);	/* L1d: shared by the 2 threads; 4 core IDs per package */
	assert_int_equal(e->eax, CACHE(1, 1) | 1u << 14 | 3u << 26);
	assert_int_equal(e->ebx, 0x1c0003f);
	e = get(&o, 4, 2);	/* L2: per core */
	assert_int_equal(e->eax, CACHE(3, 2) | 1u << 14 | 3u << 26);
	e = get(&o, 4, 3);	/* L3: the whole LLC = 1 << core_shift IDs */
	assert_int_equal(e->eax, CACHE(3, 3) | 7u << 14 | 3u << 26);
	e = get(&o, 4, 4);	/* the null subleaf stays null */
	assert_int_equal(e->eax, 0);

	check_levels(&o, 0xb, 13, 1, 2, 3, 6);
	check_levels(&o, 0x1f, 13, 1, 2, 3, 6);

	e = get(&o, 0xa, 0);
	assert_int_equal(e->eax | e->ebx | e->ecx | e->edx, 0);

	e = get(&o, 0x40000000, 0);
	assert_int_equal(e->eax, 0x40000000);
	assert_memory_equal(&e->ebx, "KVMK", 4);
	assert_memory_equal(&e->ecx, "VMKV", 4);
	assert_memory_equal(&e->edx, "M\0\0\0", 4);

	/* Intel: the AMD leaves are left alone. */
	assert_int_equal(get(&o, 0x80000001, 0)->ecx, 0x121);
	assert_int_equal(get(&o, 0x80000008, 0)->ecx, 0);
}

/* 2n4l2c1t, no SMT, CPU 5 = LLC 2 (node 1), core 1: APIC 2<<1 | 1 = 5. */
static void test_intel_multi_llc(void **state)
{
	struct kvm_cpuid_entry2 b[32];
	uint32_t nb = intel_base(b);
	const struct kvm_cpuid_entry2 *e;
	struct out o;

	build(b, nb, TOPO(2, 4, 2, 1), 5, 0, &o);
	e = get(&o, 1, 0);
	assert_int_equal(e->ebx >> 24, 5);
	assert_int_equal((e->ebx >> 16) & 0xff, 2);
	assert_true(e->edx & 1u << 28);		/* 2 logical CPUs per package */
	check_levels(&o, 0xb, 5, 0, 1, 1, 2);
	e = get(&o, 4, 0);
	assert_int_equal((e->eax >> 14) & 0xfff, 0);	/* L1 private */
	assert_int_equal(e->eax >> 26, 1);
	e = get(&o, 4, 3);
	assert_int_equal((e->eax >> 14) & 0xfff, 1);	/* L3 shared by the LLC's 2 CPUs */

	/* One CPU per LLC: no HTT. */
	build(b, nb, TOPO(1, 4, 1, 1), 3, 0, &o);
	e = get(&o, 1, 0);
	assert_int_equal(e->ebx >> 24, 3);
	assert_false(e->edx & 1u << 28);
	check_levels(&o, 0xb, 3, 0, 1, 0, 1);
}

static void test_apic_ids_all_cpus(void **state)
{
	static const struct topology topos[] = {
		TOPO(1, 1, 2, 1), TOPO(1, 2, 4, 2), TOPO(2, 4, 2, 1), TOPO(4, 8, 4, 1),
		TOPO(2, 14, 9, 2),
	};
	struct kvm_cpuid_entry2 b[32];
	uint32_t nb = intel_base(b);

	for (size_t i = 0; i < sizeof(topos) / sizeof(topos[0]); i++) {
		uint32_t n = topology__total_cpus(&topos[i]), prev = 0;

		for (uint32_t cpu = 0; cpu < n; cpu++) {
			struct out o;
			uint32_t apic;

			build(b, nb, topos[i], cpu, 0, &o);
			apic = get(&o, 0xb, 0)->edx;
			assert_int_equal(apic, apic_ref__id(&topos[i], cpu));
			assert_int_equal(get(&o, 0x1f, 1)->edx, apic);
			assert_int_equal(get(&o, 1, 0)->ebx >> 24, apic & 0xff);
			/* The package (LLC) is apic >> core_shift. */
			assert_int_equal(apic >> get(&o, 0xb, 1)->eax,
					 topology__decompose(&topos[i], cpu).llc);
			if (cpu)
				assert_true(apic > prev);
			prev = apic;
		}
	}
}

/* AMD, 1n2l3c2t CPU 11 (APIC 13) and 2n4l2c1t CPU 5 (APIC 5, node 1). */
static void test_amd(void **state)
{
	struct kvm_cpuid_entry2 b[32];
	uint32_t nb = amd_base(b);
	const struct kvm_cpuid_entry2 *e;
	struct out o;

	assert_int_equal(cpuid__vendor(b, nb), CPUID_VENDOR_AMD);
	build(b, nb, TOPO(1, 2, 3, 2), 11, 0, &o);
	/* 0xB levels added; no 0x1F (max leaf 0x10); the hypervisor leaf was there;
	 * the 3 cache subleaves replaced by the model's 5 */
	assert_int_equal(o.n, nb + 3 - 3 + 5);
	assert_null(cpuid__find(o.e, o.n, 0x1f, 0));
	check_levels(&o, 0xb, 13, 1, 2, 3, 6);
	assert_int_equal(get(&o, 0x80000001, 0)->ecx, 0x75c237ffu | 1u << 1 | 1u << 22);
	assert_int_equal(get(&o, 0x80000008, 0)->ecx, 3u << 12 | 5);
	assert_int_equal(get(&o, 0x80000008, 0)->eax, 0x3030);
	e = get(&o, 0x8000001e, 0);
	assert_int_equal(e->eax, 13);
	assert_int_equal(e->ebx, 1u << 8 | 2);
	assert_int_equal(e->ecx, 0);
	assert_int_equal(e->edx, 0);
	/* The fixed cache model; EAX[31:26] is reserved on AMD: zero. */
	e = get(&o, 0x8000001d, 0);
	assert_int_equal(e->eax, CACHE(1, 1) | 1u << 14);
	e = get(&o, 0x8000001d, 1);
	assert_int_equal(e->eax, CACHE(2, 1) | 1u << 14);
	e = get(&o, 0x8000001d, 3);
	assert_int_equal(e->eax, CACHE(3, 3) | 7u << 14);
	assert_int_equal(get(&o, 0x8000001d, 4)->eax, 0);
	assert_int_equal(get(&o, 0x80000000, 0)->eax, 0x80000021);
	assert_int_equal(get(&o, 0xa, 0)->eax, 0);
	assert_int_equal(get(&o, 0x40000000, 0)->eax, 0x40000001);
	assert_int_equal(get(&o, 0x40000001, 0)->edx, 0);

	build(b, nb, TOPO(2, 4, 2, 1), 5, CPUID_F_REALTIME, &o);
	e = get(&o, 0x8000001e, 0);
	assert_int_equal(e->eax, 5);
	assert_int_equal(e->ebx, 1);
	assert_int_equal(e->ecx, 1 | 1u << 8);
	assert_int_equal(get(&o, 0x80000008, 0)->ecx, 1u << 12 | 1);
	assert_int_equal(get(&o, 0x40000001, 0)->edx & 1, 1);

	/* One thread per LLC: no CmpLegacy, still TopoExt, 0x80000008 ECX 0. */
	build(b, nb, TOPO(1, 2, 1, 1), 1, 0, &o);
	assert_int_equal(get(&o, 0x80000001, 0)->ecx, 0x75c237ffu | 1u << 22);
	assert_int_equal(get(&o, 0x80000008, 0)->ecx, 0);
}

/*
 * An AMD host without TopoExt (QEMU's TCG, the nested L1): KVM offers no
 * 0x8000001D or 0x8000001E and its largest extended leaf is 0x80000008. The
 * guest must still see L3 shared per LLC, or Linux builds its LLC groups
 * from nothing (the guest's cache/index3 was missing under the VMM there).
 */
static void test_amd_without_topoext(void **state)
{
	struct kvm_cpuid_entry2 b[8];
	const struct kvm_cpuid_entry2 *e;
	uint32_t nb = 0;
	struct out o;

	(void)state;
	vendor(&b[nb++], 0xd, "AuthenticAMD");
	b[nb++] = (struct kvm_cpuid_entry2){ .function = 1, .eax = 0xf6b, .edx = 0x178bfbff };
	b[nb++] = (struct kvm_cpuid_entry2){ .function = 0x80000000, .eax = 0x80000008 };
	b[nb++] = (struct kvm_cpuid_entry2){ .function = 0x80000001, .ecx = 0x4 };
	b[nb++] = (struct kvm_cpuid_entry2){ .function = 0x80000008, .eax = 0x3028 };
	/* 1n2l3c1t, CPU 4 = LLC 1, core 1: APIC 1 << 2 | 1 = 5 */
	build(b, nb, TOPO(1, 2, 3, 1), 4, 0, &o);
	assert_int_equal(get(&o, 0x80000000, 0)->eax, 0x8000001e);
	assert_int_equal(get(&o, 0x80000001, 0)->ecx, 0x4u | 1u << 1 | 1u << 22);
	e = get(&o, 0x8000001d, 3);		/* L3: 4 APIC ids (2 bits of cores) */
	assert_int_equal(e->eax, CACHE(3, 3) | 3u << 14);
	assert_int_equal(e->ebx, 63u | 15u << 22);	/* 64-byte lines, 16 ways */
	assert_int_equal(e->ecx, 16u * 1024 * 1024 / 64 / 16 - 1);
	assert_int_equal(e->edx, 2);			/* inclusive */
	e = get(&o, 0x8000001d, 0);		/* L1d: private (no SMT) */
	assert_int_equal(e->eax, CACHE(1, 1));
	assert_int_equal(get(&o, 0x8000001d, 4)->eax, 0);
	e = get(&o, 0x8000001e, 0);		/* added */
	assert_int_equal(e->eax, 5);
	assert_int_equal(e->ebx, 1);
	assert_int_equal(e->ecx, 0);
	/* the base, 3 0xB levels, 5 cache subleaves, 0x8000001E, the hypervisor leaf */
	assert_int_equal(o.n, nb + 3 + 5 + 1 + 1);
	assert_true(o.n <= nb + CPUID_EXTRA_ENTRIES);
}

static void test_errors(void **state)
{
	struct kvm_cpuid_entry2 b[32], out[16];
	uint32_t nb = intel_base(b), n;
	struct topology t = TOPO(1, 1, 2, 1), bad = TOPO(2, 3, 1, 1);

	assert_int_equal(cpuid__build(b, nb, &t, 2, 0, out, 4, &n), -EINVAL);
	assert_int_equal(cpuid__build(b, nb, &bad, 0, 0, out, 4, &n), -EINVAL);
	assert_int_equal(cpuid__build(b, nb, &t, 0, 0, out, 4, &n), -E2BIG);
	assert_int_equal(cpuid__build(NULL, 3, &t, 0, 0, out, 4, &n), -EINVAL);
	/* An empty base still gets the topology, cache and hypervisor leaves. */
	assert_int_equal(cpuid__build(NULL, 0, &t, 1, 0, out, 16, &n), 0);
	assert_int_equal(n, 3 + 5 + 1);
	assert_non_null(cpuid__find(out, n, 4, 3));
	assert_int_equal(cpuid__vendor(NULL, 0), CPUID_VENDOR_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intel_smt),
		cmocka_unit_test(test_intel_multi_llc),
		cmocka_unit_test(test_apic_ids_all_cpus),
		cmocka_unit_test(test_amd),
		cmocka_unit_test(test_amd_without_topoext),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

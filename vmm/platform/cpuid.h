/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-vCPU CPUID (ktstr-internals(7), THE GUEST): the host's
 * KVM_GET_SUPPORTED_CPUID list patched so that the guest sees the VM
 * topology, with APIC IDs from topo_apic.h and each LLC as its own package:
 *   0x1 (APIC ID, logical count, HTT, TSC deadline), 0x4 / 0x8000001D (replaced by a fixed
 *   cache model with the VM's sharing, cpuid_cache.h),
 *   0xB and 0x1F (SMT and core levels), 0xA zeroed (no PMU),
 *   AMD 0x80000000 (max leaf >= 0x8000001E), 0x80000001 (CmpLegacy, TopoExt),
 *   0x80000008 ECX, 0x8000001E (added when missing),
 *   and the hypervisor leaf 0x40000000 "KVMKVMKVM" when missing.
 */
#ifndef KTSTR_VMM_CPUID_H
#define KTSTR_VMM_CPUID_H

#include <stdint.h>
#include <linux/kvm.h>

#include "topo/topology.h"

/* Performance mode: KVM_HINTS_REALTIME in 0x40000001 EDX bit 0. */
#define CPUID_F_REALTIME	(1u << 0)
/*
 * The in-kernel LAPIC has the TSC-deadline timer (KVM_CAP_TSC_DEADLINE_TIMER),
 * which KVM_GET_SUPPORTED_CPUID leaves to userspace to announce: 0x1 ECX bit
 * 24. With it Linux skips its LAPIC timer calibration, 100 ms of every boot.
 */
#define CPUID_F_TSC_DEADLINE	(1u << 1)

/* Entries the output may need beyond the base list: 0xB and 0x1F levels (6),
 * the cache subleaves (5), 0x8000001E, the hypervisor leaf, and room. */
#define CPUID_EXTRA_ENTRIES	16

enum cpuid_vendor { CPUID_VENDOR_OTHER, CPUID_VENDOR_INTEL, CPUID_VENDOR_AMD };

enum cpuid_vendor cpuid__vendor(const struct kvm_cpuid_entry2 *base, uint32_t nbase);

/*
 * Write @cpu's entries to @out (room for @max_out; nbase +
 * CPUID_EXTRA_ENTRIES is always enough) and their number to @nout.
 * Returns 0, -EINVAL (invalid topology or @cpu out of range) or -E2BIG.
 */
int cpuid__build(const struct kvm_cpuid_entry2 *base, uint32_t nbase,
		 const struct topology *t, uint32_t cpu, unsigned flags,
		 struct kvm_cpuid_entry2 *out, uint32_t max_out, uint32_t *nout);

/* The entry for (function, index) in @e, or NULL. */
const struct kvm_cpuid_entry2 *cpuid__find(const struct kvm_cpuid_entry2 *e, uint32_t n,
					   uint32_t function, uint32_t index);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's caches as CPUID describes them (0x4 on Intel, 0x8000001D on
 * AMD): one fixed model, the same on every host, with the sharing the VM's
 * topology gives: L1 and L2 per core, L3 per LLC. KVM passes the host's
 * cache leaves through only when the host has them (an AMD CPU without
 * TopoExt has no 0x8000001D), and then with the host's sharing; the guest's
 * LLC groups (sysfs cache/index3/shared_cpu_list, the scheduler's LLC
 * domains) must come from the scenario's topology instead. QEMU does the same
 * with its own cache model.
 *
 *   L1d 32 KiB 8-way, L1i 32 KiB 8-way, L2 1 MiB 8-way, L3 16 MiB 16-way,
 *   64-byte lines; then the null subleaf that ends the list.
 */
#ifndef KTSTR_VMM_CPUID_CACHE_H
#define KTSTR_VMM_CPUID_CACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

/* Subleaves written: four caches and the terminating null one. */
#define CPUID_CACHE_SUBLEAVES 5

/*
 * Subleaf @sub (0..CPUID_CACHE_SUBLEAVES-1) of @function (0x4 or 0x8000001D)
 * into @e. @smt_shift and @core_shift are topo_apic.h's: the APIC id bits
 * of the threads of a core, and of the CPUs of an LLC. @core_bits (Intel's
 * EAX[31:26], cores per package) is ignored for 0x8000001D, where those bits
 * are reserved.
 */
void cpuid_cache__leaf(struct kvm_cpuid_entry2 *e, uint32_t function, uint32_t sub,
		       uint32_t smt_shift, uint32_t core_shift, uint32_t core_bits);

#endif

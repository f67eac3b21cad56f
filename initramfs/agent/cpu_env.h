/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which machine the guest runs on, as its CPU says (the hypervisor leaf):
 * QEMU's TCG emulator, KVM, or anything else. Work that spins depends on it
 * (work.h, work__spin_mode).
 */
#ifndef KTSTR_AGENT_CPU_ENV_H
#define KTSTR_AGENT_CPU_ENV_H

enum cpu_env { CPU_ENV_OTHER, CPU_ENV_KVM, CPU_ENV_TCG };

/* From CPUID 0x1 ECX bit 31 and the signature at 0x40000000. */
enum cpu_env cpu_env__detect(void);
/* From a 12-byte hypervisor signature ("TCGTCGTCGTCG", "KVMKVMKVM\0\0\0"). */
enum cpu_env cpu_env__from_signature(const char sig[12]);
const char *cpu_env__name(enum cpu_env e);

#endif

// SPDX-License-Identifier: GPL-2.0
/* Which machine the guest runs on (cpu_env.h). */
#include "cpu_env.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

enum cpu_env cpu_env__from_signature(const char sig[12])
{
	if (!memcmp(sig, "TCGTCGTCGTCG", 12))
		return CPU_ENV_TCG;
	if (!memcmp(sig, "KVMKVMKVM\0\0\0", 12))
		return CPU_ENV_KVM;
	return CPU_ENV_OTHER;
}

enum cpu_env cpu_env__detect(void)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned int a, b, c, d;
	char sig[12];

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31)))
		return CPU_ENV_OTHER;	/* no hypervisor bit: bare metal */
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	return cpu_env__from_signature(sig);
#else
	return CPU_ENV_OTHER;
#endif
}

const char *cpu_env__name(enum cpu_env e)
{
	switch (e) {
	case CPU_ENV_TCG:
		return "QEMU TCG";
	case CPU_ENV_KVM:
		return "KVM";
	default:
		return "other";
	}
}

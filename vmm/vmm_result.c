// SPDX-License-Identifier: GPL-2.0
/* The text of how a VM ended: end codes and results (vmm_result.h). */
#include <stdio.h>

#include "vmm_result.h"

const char *vmm_end__str(enum vmm_end e)
{
	switch (e) {
	case VMM_END_NONE: return "running";
	case VMM_END_RESET: return "reset";
	case VMM_END_POWEROFF: return "powered off";
	case VMM_END_SHUTDOWN: return "triple fault";
	case VMM_END_CRASH: return "crashed";
	case VMM_END_TIMEOUT: return "timed out";
	case VMM_END_KILLED: return "killed";
	case VMM_END_KVM_ERROR: return "KVM error";
	}
	return "?";
}

size_t vmm_result__format(const struct vmm_result *r, char *buf, size_t cap)
{
	int n;

	if (r->end == VMM_END_TIMEOUT || r->end == VMM_END_KILLED || r->end == VMM_END_NONE)
		n = snprintf(buf, cap, "%s after %.3f s", vmm_end__str(r->end),
			     (double)r->wall_ns / 1e9);
	else
		n = snprintf(buf, cap, "%s on vCPU %u at RIP %#llx after %.3f s: %s",
			     vmm_end__str(r->end), r->vcpu, (unsigned long long)r->rip,
			     (double)r->wall_ns / 1e9, r->msg);
	if (n < 0)
		return 0;
	return (size_t)n < cap ? (size_t)n : (cap ? cap - 1 : 0);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a VM run ended: the end codes, the result vmm__run() fills, and their
 * text. Shared by the VMM (vmm.h) and its vCPUs (vcpu.h), which report the
 * exit that ended the VM.
 */
#ifndef KTSTR_VMM_VMM_RESULT_H
#define KTSTR_VMM_VMM_RESULT_H

#include <stddef.h>
#include <stdint.h>

/* How the VM ended. */
enum vmm_end {
	VMM_END_NONE = 0,	/* still running */
	VMM_END_RESET,		/* i8042 reset (0xFE to port 0x64) or a reset system event */
	VMM_END_POWEROFF,	/* ACPI S5 (SLP_TYP 5 | SLP_EN to PM1a_CNT, port 0x604)
				 * or a shutdown system event */
	VMM_END_SHUTDOWN,	/* triple fault (KVM_EXIT_SHUTDOWN) */
	VMM_END_CRASH,		/* a crash system event */
	VMM_END_TIMEOUT,	/* the watchdog's hard timeout */
	VMM_END_KILLED,		/* vmm__kill() */
	VMM_END_KVM_ERROR,	/* FAIL_ENTRY, INTERNAL_ERROR, KVM_RUN failure, bad exit */
};

struct vmm_result {
	enum vmm_end end;
	unsigned int vcpu;	/* the vCPU whose exit ended the VM */
	uint64_t rip;		/* its RIP then (0 for timeout/kill) */
	uint32_t exit_reason;	/* its kvm_run exit_reason */
	uint64_t detail;	/* suberror, entry failure reason, errno... */
	char msg[128];
	uint64_t wall_ns;	/* vmm__run() start to end */
};

const char *vmm_end__str(enum vmm_end e);
/* "reset by the guest (i8042) on vCPU 0 at RIP 0x100034" and the like. */
size_t vmm_result__format(const struct vmm_result *r, char *buf, size_t cap);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * One vCPU: its fd, its kvm_run mapping, its thread. Every vCPU, the boot CPU
 * included, runs KVM_RUN in a thread of its own (never the caller's, so the
 * caller's FPU, FS/GS base and signal mask are never the guest's business).
 *
 * Exits: port I/O and MMIO go to the VMM's buses; HLT continues; triple
 * fault (SHUTDOWN), SYSTEM_EVENT, FAIL_ENTRY, INTERNAL_ERROR and unknown
 * exits end the VM with the vCPU's RIP. A kick (vcpu__kick) sets
 * kvm_run.immediate_exit and sends VCPU_KICK_SIGNAL so that a vCPU inside
 * KVM_RUN comes out at once.
 */
#ifndef KTSTR_VMM_VCPU_H
#define KTSTR_VMM_VCPU_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/kvm.h>

#define VCPU_KICK_SIGNAL (SIGRTMIN + 3)

struct vmm;
struct kvm;
struct boot_info;

struct vcpu {
	struct vmm *vmm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	pthread_t thread;		/* valid once created */
	bool created;			/* thread created: join it */
	pthread_t self;			/* written by the thread before running */
	atomic_bool running;		/* set by the thread itself: kick it */
	uint64_t exits;			/* exits handled (statistics) */
};

/*
 * Create vCPU @id with @cpuid (NULL: leave KVM's default), its MSRs, FPU and
 * LAPIC set up (catalog 5.1). On error -errno and a message in @err; call
 * vcpu__destroy() either way.
 */
int vcpu__create(struct vcpu *v, struct vmm *vmm, const struct kvm *kvm, unsigned int id,
		 const struct kvm_cpuid2 *cpuid, char *err, size_t errlen);
/* The boot CPU's long-mode registers for the loaded kernel. */
int vcpu__setup_bsp(struct vcpu *v, const struct boot_info *info, char *err, size_t errlen);
/* Start the thread (signals blocked in it but the kick). */
int vcpu__start(struct vcpu *v);
/* Make the vCPU leave KVM_RUN; safe from any thread, any time after create. */
void vcpu__kick(struct vcpu *v);
void vcpu__join(struct vcpu *v);
void vcpu__destroy(struct vcpu *v);
/* The vCPU whose thread this is, or NULL. */
struct vcpu *vcpu__current(void);
uint64_t vcpu__get_rip(struct vcpu *v);
/* Install the no-op kick signal handler (once per process). */
int vcpu__signal_init(void);

#endif

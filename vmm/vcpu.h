/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One vCPU: its fd, its kvm_run mapping, its thread. Every vCPU, the boot CPU
 * included, runs KVM_RUN in a thread of its own (never the caller's, so the
 * caller's FPU, FS/GS base and signal mask are never the guest's business).
 *
 * Exits: port I/O and MMIO go to the VM's buses; HLT continues; triple
 * fault (SHUTDOWN), SYSTEM_EVENT, FAIL_ENTRY, INTERNAL_ERROR and unknown
 * exits end the VM with the vCPU's RIP. A kick (vcpu__kick) sets
 * kvm_run.immediate_exit and sends VCPU_KICK_SIGNAL so that a vCPU inside
 * KVM_RUN comes out at once.
 *
 * A vCPU knows its VM only through struct vcpu_ops, which the VMM passes to
 * vcpu__create(): it never includes vmm.h.
 */
#ifndef KTSTR_VMM_VCPU_H
#define KTSTR_VMM_VCPU_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/kvm.h>

#include "vmm_result.h"

#define VCPU_KICK_SIGNAL (SIGRTMIN + 3)

struct kvm;
struct boot_info;

/* What a vCPU needs from its VM; every call gets the @ctx given to vcpu__create(). */
struct vcpu_ops {
	/* A port I/O or MMIO access of the guest (KVM_EXIT_IO, KVM_EXIT_MMIO). */
	void (*pio)(void *ctx, uint16_t port, uint8_t *data, uint32_t len, bool is_write);
	void (*mmio)(void *ctx, uint64_t addr, uint8_t *data, uint32_t len, bool is_write);
	/* End the VM because of this vCPU's exit: the first end wins, every vCPU is kicked. */
	void (*end)(void *ctx, const struct vmm_result *r);
	/* True once the VM is ending: the thread leaves its KVM_RUN loop. */
	bool (*stopping)(void *ctx);
};

struct vcpu {
	const struct vcpu_ops *ops;
	void *ctx;
	unsigned int id;		/* the guest's CPU number */
	uint32_t apic_id;		/* KVM's vCPU id: the CPU's local APIC id */
	int fd;
	struct kvm_run *run;
	size_t run_size;
	pthread_t thread;		/* valid once created */
	bool created;			/* thread created: join it */
	pthread_t self;			/* written by the thread before running */
	_Atomic pid_t tid;		/* its kernel thread id, set by the thread before
					 * running and cleared as it ends; 0 otherwise
					 * (the host CPU it got: lib/vm's vm__host_cpu()) */
	atomic_bool running;		/* set by the thread itself: kick it */
	uint64_t exits;			/* exits handled (statistics) */
};

/*
 * Create vCPU @id (the guest's CPU number) of the VM @ops and @ctx stand for,
 * with @cpuid (NULL: leave KVM's default), its MSRs, FPU and LAPIC set up
 * (LINT0 ExtINT, LINT1 NMI). KVM makes the vCPU id the local APIC's id, so
 * the vCPU is created with @apic_id, the id the firmware tables and CPUID
 * give CPU @id (topo_apic__id()): with cores or threads per LLC not a power
 * of two the two numberings differ. On error -errno and a message in @err;
 * call vcpu__destroy() either way.
 */
int vcpu__create(struct vcpu *v, const struct vcpu_ops *ops, void *ctx, const struct kvm *kvm,
		 unsigned int id, uint32_t apic_id, const struct kvm_cpuid2 *cpuid, char *err,
		 size_t errlen);
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
/*
 * Handle the exit in @v->run (the vCPU thread's loop, after each KVM_RUN);
 * returns false when the vCPU must stop. Needs only @v's ops, ctx, id, run
 * and run_size (and fd, for the RIP in a report), so tests and fuzzers can
 * drive it with a synthetic kvm_run.
 */
bool vcpu__handle_exit(struct vcpu *v);
/* Install the no-op kick signal handler (once per process). */
int vcpu__signal_init(void);

#endif

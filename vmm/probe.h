/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Does this KVM run guest kernel code at hardware speed?
 *
 * Some KVMs (nested, or paravirtual like kvm_pvm) emulate every instruction
 * a guest runs at CPL0: about 1,800 ns per loop iteration against 0.5 ns
 * natively. A Linux guest then needs many minutes to boot, so ktstr uses
 * qemu with TCG instead. vmm_probe__cpl0_speed() finds out in milliseconds:
 * a throw-away VM with one vCPU in 64-bit mode at CPL0 runs a counted loop
 * (two loads, lahf, dec rcx; jnz) and KVM_RUN is timed, less a
 * one-iteration baseline run. (The 1,800 ns were measured with dec/jnz
 * alone; the loads and lahf cost an emulator more, bare metal nothing.)
 *
 * vmm_probe__dev() inspects /dev/kvm for `ktstr doctor` without needing
 * everything the VMM needs.
 */
#ifndef KTSTR_VMM_PROBE_H
#define KTSTR_VMM_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* At or above this many ns per loop iteration, CPL0 code is emulated. */
#define VMM_PROBE_HW_NS		50.0
/*
 * Under this, the loop runs as on bare metal (a cycle or two per iteration:
 * 0.2-1.3 ns). Between this and VMM_PROBE_HW_NS the KVM is usable but its
 * guest runs kernel code slower than hardware, as nested KVM on TCG does:
 * ktstr then judges with the tcg thresholds.
 */
#define VMM_PROBE_NATIVE_NS	2.0
/* Iterations of the first timed run: 9 ms at 1,800 ns per iteration. */
#define VMM_PROBE_ITERS		5000u
/* The loop grows 16-fold per run up to this (100 ms at 5 ns under TCG). */
#define VMM_PROBE_ITERS_MAX	20480000u
/* A run counts when its loop takes this long and this many baselines. */
#define VMM_PROBE_LOOP_MIN_NS	1000000u
#define VMM_PROBE_BASE_FACTOR	20u
/* Settled runs wanted (the fastest counts), and timed runs at most. */
#define VMM_PROBE_RUNS		2u
#define VMM_PROBE_RUNS_MAX	8u

struct vmm_probe_result {
	uint64_t iters;		/* iterations of the fastest timed run */
	uint64_t loop_ns;	/* its KVM_RUN wall time less the baseline run's */
	uint64_t base_ns;	/* the baseline run (one iteration): entry and exit cost */
	uint64_t total_ns;	/* the whole probe, VM creation and teardown included */
	unsigned int runs;	/* timed runs made, the ones too short to count included */
	bool settled;		/* some run's loop outweighed the baseline */
	double ns_per_iter;	/* loop_ns / iters; > 0 */
	bool hw_speed;		/* ns_per_iter < VMM_PROBE_HW_NS: the VMM is usable */
	bool native;		/* ns_per_iter < VMM_PROBE_NATIVE_NS: as on bare metal */
};

/*
 * Time the CPL0 loop in a throw-away VM on /dev/kvm. Returns 0 with @r
 * filled, or -errno with a message in @err: -ENOENT without /dev/kvm,
 * -EACCES without permission (add the user to the kvm group), -ENODEV or
 * -ENOTSUP when it is not a usable KVM, -EIO when the guest did not end as
 * it should.
 */
int vmm_probe__cpl0_speed(struct vmm_probe_result *r, char *err, size_t errlen);

/* Does a loop of @loop_ns outweigh a baseline of @base_ns enough to count? */
bool vmm_probe__settled(uint64_t loop_ns, uint64_t base_ns);

/* "hardware speed", "nested speed" (usable, slower than hardware) or "emulated" */
const char *vmm_probe__verdict(const struct vmm_probe_result *r);

/* ---- /dev/kvm as it is (vmm/probe_dev.c) ---- */

struct vmm_probe_cap {
	const char *name;	/* "KVM_CAP_IRQCHIP" */
	int value;		/* KVM_CHECK_EXTENSION's answer: 0 = absent */
	bool needed;		/* the in-process VMM needs it */
};

#define VMM_PROBE_NCAPS		20

struct vmm_probe_dev {
	bool present;		/* the path exists */
	bool is_chardev;
	mode_t mode;		/* permission bits */
	char owner[32];		/* user and group names (or numbers) */
	char group[32];
	bool user_in_group;	/* this process has the device's group */
	int open_errno;		/* 0 when it opened read-write */
	int api_version;	/* -1 when unknown */
	int vcpu_mmap_size;	/* -1 when unknown */
	int max_vcpus;		/* KVM_CAP_MAX_VCPUS, 0 when unknown */
	unsigned int ncaps;
	struct vmm_probe_cap caps[VMM_PROBE_NCAPS];
	unsigned int missing;	/* needed caps that are absent */
};

/*
 * Stat, open and ask @path (NULL: /dev/kvm). Never fails: what could not be
 * found out is left at "unknown" (see the fields).
 */
void vmm_probe__dev(const char *path, struct vmm_probe_dev *d);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `--vmm auto` / `--accel auto` pick, and why: time a CPL0 loop in a
 * throw-away KVM VM (vmm/probe.h). Hardware speed: the in-process VMM
 * (VM_BACKEND_VMM; `--accel` given alone still means qemu with that
 * accelerator). Emulated (nested or paravirtual KVM) or no usable /dev/kvm:
 * qemu with TCG. Shared by `ktstr run` and `ktstr doctor`.
 */
#ifndef KTSTR_VMM_SELECT_H
#define KTSTR_VMM_SELECT_H

#include <stdbool.h>

#include "probe.h"
#include "vm/vm.h"

struct vmm_select {
	enum vm_backend backend;	/* VM_BACKEND_VMM at hardware speed, else QEMU */
	enum vm_accel accel;		/* VM_ACCEL_KVM or VM_ACCEL_TCG: qemu's, when
					 * the backend is qemu */
	int probe_ret;			/* 0, or the probe's -errno */
	char probe_err[256];		/* the probe's message when it failed */
	struct vmm_probe_result probe;	/* valid when probe_ret == 0 */
	bool notice;			/* say @reason on stderr: not the obvious choice */
	char reason[384];		/* one line: what was found, what is used */
};

/* Run the probe once and decide. Never fails: without KVM it is TCG. */
void vmm_select__auto(struct vmm_select *s);

/* "the in-process VMM", "qemu with KVM", "qemu with TCG" */
const char *vmm_select__name(const struct vmm_select *s);

#endif

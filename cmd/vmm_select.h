/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `--vmm auto` / `--accel auto` pick, and why: time a CPL0 loop in a
 * throw-away KVM VM (vmm/probe.h). Hardware speed: qemu with KVM (the
 * in-process VMM cannot boot Linux end to end yet). Emulated (nested or
 * paravirtual KVM) or no usable /dev/kvm: qemu with TCG. Shared by `ktstr
 * run` and `ktstr doctor`.
 */
#ifndef KTSTR_VMM_SELECT_H
#define KTSTR_VMM_SELECT_H

#include <stdbool.h>

#include "probe.h"
#include "vm.h"

struct vmm_select {
	enum vm_backend backend;	/* VM_BACKEND_QEMU for now */
	enum vm_accel accel;		/* VM_ACCEL_KVM or VM_ACCEL_TCG */
	int probe_ret;			/* 0, or the probe's -errno */
	char probe_err[256];		/* the probe's message when it failed */
	struct vmm_probe_result probe;	/* valid when probe_ret == 0 */
	bool notice;			/* say @reason on stderr: not the obvious choice */
	char reason[384];		/* one line: what was found, what is used */
};

/* Run the probe once and decide. Never fails: without KVM it is TCG. */
void vmm_select__auto(struct vmm_select *s);

/* "qemu with KVM", "qemu with TCG" */
const char *vmm_select__name(const struct vmm_select *s);

#endif

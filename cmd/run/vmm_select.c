// SPDX-License-Identifier: GPL-2.0
/* --vmm auto / --accel auto: the CPL0 probe and the choice it leads to. */
#include <stdio.h>
#include <string.h>

#include "vmm_select.h"

const char *vmm_select__name(const struct vmm_select *s)
{
	if (s->backend == VM_BACKEND_VMM)
		return "the in-process VMM";
	return s->accel == VM_ACCEL_KVM ? "qemu with KVM" : "qemu with TCG";
}

void vmm_select__auto(struct vmm_select *s)
{
	memset(s, 0, sizeof(*s));
	s->backend = VM_BACKEND_QEMU;
	s->accel = VM_ACCEL_TCG;
	s->probe_ret = vmm_probe__cpl0_speed(&s->probe, s->probe_err, sizeof(s->probe_err));
	if (s->probe_ret) {
		s->notice = true;
		snprintf(s->reason, sizeof(s->reason), "KVM is not usable (%s): using qemu with TCG",
			 s->probe_err);
		return;
	}
	if (!s->probe.hw_speed) {
		s->notice = true;
		snprintf(s->reason, sizeof(s->reason),
			 "this KVM runs guest kernel code at %.0f ns per loop (emulated, nested or paravirtual): using qemu with TCG",
			 s->probe.ns_per_iter);
		return;
	}
	s->backend = VM_BACKEND_VMM;
	s->accel = VM_ACCEL_KVM;
	snprintf(s->reason, sizeof(s->reason),
		 "this KVM runs guest kernel code at %s (%.1f ns per loop): using the in-process VMM",
		 vmm_probe__verdict(&s->probe), s->probe.ns_per_iter);
}

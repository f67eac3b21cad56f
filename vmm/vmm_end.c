// SPDX-License-Identifier: GPL-2.0
/*
 * How the VM ends: the first end recorded wins, stops and kicks every vCPU
 * and wakes the watchdog; devices and the host end it through here too.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "vcpu.h"
#include "vmm_int.h"

void vmm__end(struct vmm *vmm, const struct vmm_result *r)
{
	pthread_mutex_lock(&vmm->lock);
	if (vmm->res.end == VMM_END_NONE) {
		vmm->res = *r;
		atomic_store(&vmm->stop, true);
		pthread_cond_broadcast(&vmm->cond);
	}
	pthread_mutex_unlock(&vmm->lock);
	for (unsigned int i = 0; i < vmm->nr_vcpus; i++)
		vcpu__kick(&vmm->vcpus[i]);
}

void vmm__kill(struct vmm *vmm)
{
	struct vmm_result r = { .end = VMM_END_KILLED };

	snprintf(r.msg, sizeof(r.msg), "killed by the host");
	vmm__end(vmm, &r);
}

void vmm__device_end(struct vmm *vmm, enum vmm_end end, const char *msg)
{
	struct vcpu *v = vcpu__current();
	struct vmm_result r = { .end = end };

	if (v) {
		r.vcpu = v->id;
		r.rip = vcpu__get_rip(v);
		r.exit_reason = v->run->exit_reason;
	}
	snprintf(r.msg, sizeof(r.msg), "%s", msg);
	vmm__end(vmm, &r);
}

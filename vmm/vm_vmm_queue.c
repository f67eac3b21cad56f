// SPDX-License-Identifier: GPL-2.0
/*
 * The VMM backend's output queue: the vCPU threads append what the guest
 * wrote (any thread), vm__wait()'s thread takes it all and hands it to
 * vm__deliver(); the wake pipe tells the loop there is something.
 */
#include "vm_vmm_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void vm_vmm__wake(struct vm *vm)
{
	if (write(vm->wake[1], "v", 1) < 0) {
		/* full: the loop is awake anyway */
	}
}

void vm_vmm__queue(struct vm_vmm *v, enum vm_chan chan, const void *data, size_t len)
{
	struct vm_vmm_rec rec = { .chan = (uint32_t)chan, .len = (uint32_t)len };
	bool wake = false;

	if (!len)
		return;
	pthread_mutex_lock(&v->lock);
	if (v->qhas_last) {
		memcpy(&rec, v->q + v->qlast, sizeof(rec));
		if (rec.chan != (uint32_t)chan || rec.len > UINT32_MAX - len)
			v->qhas_last = false;
	}
	if (v->qlen + sizeof(rec) + len > VM_VMM_QUEUE_MAX) {
		v->dropped += len;
		goto out;
	}
	if (v->qlen + sizeof(rec) + len > v->qcap) {
		size_t cap = v->qcap ? v->qcap : 4096;
		uint8_t *nq;

		while (cap < v->qlen + sizeof(rec) + len)
			cap *= 2;
		nq = realloc(v->q, cap);
		if (!nq) {
			v->dropped += len;
			goto out;
		}
		v->q = nq;
		v->qcap = cap;
	}
	if (v->qhas_last) {
		/* The same stream as the last chunk: make that one longer. */
		rec.len += (uint32_t)len;
		memcpy(v->q + v->qlast, &rec, sizeof(rec));
	} else {
		rec = (struct vm_vmm_rec){ .chan = (uint32_t)chan, .len = (uint32_t)len };
		v->qlast = v->qlen;
		v->qhas_last = true;
		memcpy(v->q + v->qlen, &rec, sizeof(rec));
		v->qlen += sizeof(rec);
	}
	memcpy(v->q + v->qlen, data, len);
	v->qlen += len;
	wake = !v->notified;
	v->notified = true;
out:
	pthread_mutex_unlock(&v->lock);
	if (wake)
		vm_vmm__wake(v->vm);
}

void vm_vmm__flush(struct vm_vmm *v)
{
	uint8_t *q;
	size_t len, off = 0;
	uint64_t dropped;

	pthread_mutex_lock(&v->lock);
	q = v->q;
	len = v->qlen;
	dropped = v->dropped;
	v->q = NULL;
	v->qlen = v->qcap = 0;
	v->qhas_last = false;
	v->notified = false;
	v->dropped = 0;
	pthread_mutex_unlock(&v->lock);

	while (off + sizeof(struct vm_vmm_rec) <= len) {
		struct vm_vmm_rec rec;

		memcpy(&rec, q + off, sizeof(rec));
		off += sizeof(rec);
		vm__deliver(v->vm, (enum vm_chan)rec.chan, q + off, rec.len);
		off += rec.len;
	}
	free(q);
	if (dropped) {
		char msg[96];
		int n = snprintf(msg, sizeof(msg), "vmm: %llu bytes of guest output dropped "
				 "(queue full)\n", (unsigned long long)dropped);

		if (n > 0)
			vm__deliver(v->vm, VM_CHAN_STDERR, msg, (size_t)n);
	}
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vm_vmm.c (start, callbacks, teardown), vm_vmm_queue.c (the output
 * queue) and vm_vmm_loop.c (the runner thread, vm__wait's event loop) share.
 */
#ifndef KTSTR_VMM_VM_VMM_INT_H
#define KTSTR_VMM_VM_VMM_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "vm/vm_backend.h"
#include "vmm.h"

/* Output not yet handed to vm__wait()'s thread; past this it is dropped. */
#define VM_VMM_QUEUE_MAX	(64u << 20)

/* A queued chunk: this header, then @len bytes of @chan. */
struct vm_vmm_rec {
	uint32_t chan;
	uint32_t len;
};

struct vm_vmm {
	struct vm *vm;
	struct vmm *vmm;
	pthread_t runner;		/* runs vmm__run(), from the first vm__wait() */
	bool running;			/* runner started, not joined yet */
	atomic_bool done;		/* vmm__run() returned */
	int run_ret;			/* its return value */
	struct vmm_result vres;		/* its result */
	enum vm_exit stop_why;		/* why we killed it, or VM_EXIT_NONE */

	pthread_mutex_t lock;		/* guards the queue */
	uint8_t *q;
	size_t qlen, qcap;
	size_t qlast;			/* offset of the last record, to extend it */
	bool qhas_last;
	bool notified;			/* the wake pipe was written since the last take */
	uint64_t dropped;		/* bytes lost to a full queue */
};

/* vm_vmm_queue.c. Append @len bytes of @chan from any thread; wakes the loop. */
void vm_vmm__queue(struct vm_vmm *v, enum vm_chan chan, const void *data, size_t len);
/* Hand everything queued to vm__deliver(). vm__wait()'s thread only. */
void vm_vmm__flush(struct vm_vmm *v);
/* Wake vm__wait()'s loop (a byte into the wake pipe). */
void vm_vmm__wake(struct vm *vm);

/* vm_vmm_loop.c. vmm__kill() with a reason, once. */
void vm_vmm__kill(struct vm_vmm *v, enum vm_exit why);
/* Wait for the runner thread, if it runs. */
void vm_vmm__join(struct vm_vmm *v);

int vm_vmm__wait(struct vm *vm, struct vm_result *res);

#endif

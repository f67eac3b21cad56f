/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the VM backends share behind lib/vm/vm.h: the VM object with its rings,
 * console tee, control-port queue and wake-up pipe. Not for callers.
 */
#ifndef KTSTR_VM_INT_H
#define KTSTR_VM_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "base/ringbuf.h"
#include "vm.h"

#define VM_CONTROL_QUEUE_MAX (1u << 20)

struct vm;

struct vm_ops {
	int (*wait)(struct vm *vm, struct vm_result *res);
	/* Kill now if it runs (the owner thread only); idempotent. */
	void (*stop)(struct vm *vm);
	/* Reap, remove temporary files, free the backend part. */
	void (*destroy)(struct vm *vm);
	pid_t (*pid)(const struct vm *vm);
	const char *(*tmpdir)(const struct vm *vm);
};

struct vm {
	const struct vm_ops *ops;
	struct vm_opts opts;		/* copy; its pointers are not used after start */
	char cmdline[VM_CMDLINE_MAX];
	struct ringbuf ring[VM_CHAN__NR];
	int tee_fd;
	struct timespec t0;
	struct vm_result res;

	int wake[2];			/* written by vm__kill()/vm__write_control() */
	atomic_bool kill_requested;
	pthread_mutex_t ctl_lock;	/* guards ctl_* */
	char *ctl_buf;
	size_t ctl_len, ctl_off;	/* queued bytes are ctl_buf[ctl_off, ctl_len) */

	void *priv;			/* the backend's state */
};

/* Keep @data in @chan's ring, tee the console, call opts.on_data. */
void vm__deliver(struct vm *vm, enum vm_chan chan, const void *data, size_t len);
/* Milliseconds since vm__start(). */
uint64_t vm__elapsed_ms(const struct vm *vm);
/* The read end of the pipe the signal handler writes to, or -1. */
int vm__signal_fd(void);
/* Drain the wake pipe. */
void vm__wake_drain(struct vm *vm);

/* The qemu backend's start (lib/vm/vm_qemu.c). */
int vm_qemu__start(struct vm *vm, char *err, size_t errlen);

/*
 * A backend linked in from outside lib/ (the in-process VMM, vmm/vm_vmm.c):
 * start() sets vm->ops and vm->priv and starts the VM, or returns -errno
 * with a message. Registered once at program start-up, before any
 * vm__start(); a backend never registered makes vm__start() fail with
 * -ENOSYS.
 */
struct vm_backend_ops {
	int (*start)(struct vm *vm, char *err, size_t errlen);
};

void vm__register_backend(enum vm_backend b, const struct vm_backend_ops *ops);

/* Put a message in @err (when given) and return @ret: the backends' error helper. */
__attribute__((format(printf, 4, 5)))
int vm__error(int ret, char *err, size_t errlen, const char *fmt, ...);

#endif

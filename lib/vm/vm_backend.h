/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between vm_lifecycle.c (vm__start() and the rest of vm.h's
 * life cycle) and the backends (qemu in vm_qemu*.c, the in-process VMM in
 * vmm/vm_vmm*.c): the VM object with its rings, console tee, control-port
 * queue and wake-up pipe, the backend table, and the services vm_backend.c
 * offers a backend's event loop. Not for callers.
 */
#ifndef KTSTR_VM_BACKEND_H
#define KTSTR_VM_BACKEND_H

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
	/*
	 * The host threads that run the guest, at most @cap into @tids, for
	 * vm__host_cpu(): qemu's every thread, the VMM's vCPU threads. Returns
	 * how many were written: 0 once they are gone (a reaped qemu's pid may
	 * be another process's by then). NULL: none.
	 */
	size_t (*threads)(const struct vm *vm, pid_t *tids, size_t cap);
	/* vm__guest_mem() (vm.h); NULL: the backend cannot share its RAM. */
	int (*guest_mem)(struct vm *vm, struct gmem *m, char *err, size_t errlen);
	/*
	 * For vm__vcpu_host_ns(): the host thread of each vCPU, @tids[i] for
	 * guest CPU i, 0 when not found (not started yet); the same thread in
	 * every entry when one runs them all. Any thread, between start and
	 * destroy. Returns how many entries are found: 0 once the backend is
	 * gone. NULL: the backend cannot tell.
	 */
	size_t (*vcpu_threads)(const struct vm *vm, pid_t *tids, uint32_t n);
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
	/* vm__write_console(): bytes for COM1's receiver, the same way (ctl_lock). */
	char *con_buf;
	size_t con_len, con_off;

	void *priv;			/* the backend's state */

	/* vm__vcpu_host_ns() (vm_host_cpu.c): each vCPU thread's schedstat, kept open. */
	pthread_mutex_t vcpu_lock;
	int *vcpu_fd;			/* [vcpu_nr]; NULL until all threads are found */
	uint32_t vcpu_nr;
	bool vcpu_shared;		/* one thread runs every vCPU: vcpu_fd[0] only */
};

/*
 * For a backend's guest_mem op: @m = @size bytes of RAM at @host, the first
 * @low at guest address 0 and the rest from 4 GiB. -errno with a message.
 */
int vm__guest_mem_ram(struct gmem *m, const void *host, uint64_t size, uint64_t low,
		      char *err, size_t errlen);

/* vm_host_cpu.c: vm__vcpu_host_ns()'s state in a new struct vm, and its end. */
void vm__vcpu_init(struct vm *vm);
void vm__vcpu_fini(struct vm *vm);

/* vm_backend.c: what a backend's event loop uses. */

/* Keep @data in @chan's ring, tee the console, call opts.on_data. */
void vm__deliver(struct vm *vm, enum vm_chan chan, const void *data, size_t len);
/* Milliseconds since vm__start(). */
uint64_t vm__elapsed_ms(const struct vm *vm);
/* The read end of the pipe the signal handler writes to, or -1. */
int vm__signal_fd(void);
/* Drain the wake pipe. */
void vm__wake_drain(struct vm *vm);

/*
 * A backend: start() sets vm->ops and vm->priv and starts the VM, or returns
 * -errno with a message. The table of backends in vm_lifecycle.c holds
 * qemu's from the start; one linked in from outside lib/ (the in-process
 * VMM, vmm/vm_vmm.c) is registered once at program start-up, before any
 * vm__start(). A backend never registered makes vm__start() fail with
 * -ENOSYS.
 */
struct vm_backend_ops {
	int (*start)(struct vm *vm, char *err, size_t errlen);
};

void vm__register_backend(enum vm_backend b, const struct vm_backend_ops *ops);

/* The qemu backend (vm_qemu.c), in vm_lifecycle.c's table from the start. */
extern const struct vm_backend_ops vm_qemu__backend;

#endif

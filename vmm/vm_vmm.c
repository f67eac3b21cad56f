// SPDX-License-Identifier: GPL-2.0
/*
 * The in-process VMM behind lib/vm/vm.h: map struct vm_opts onto struct
 * vmm_opts, create the VMM, run it in a thread of its own, queue what the
 * vCPU threads produce for vm__wait()'s thread, and tear it all down. The
 * event loop is in vm_vmm_loop.c.
 */
#include "vm_vmm.h"
#include "vm_vmm_int.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wire/ktstr_proto.h"

/*
 * What only this backend adds to the kernel command line (lib/vm/vm_cmdline.c):
 * no PCI bus here, and the KVM clock is always there. The VMM appends the
 * virtio_mmio.device= word itself.
 */
#define VM_VMM_CMDLINE	"pci=off clocksource=kvm-clock"

static void vm_vmm_wake(struct vm *vm)
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
		vm_vmm_wake(v->vm);
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

static void vm_vmm_on_serial(void *arg, unsigned int com, uint8_t byte)
{
	struct vm_vmm *v = arg;

	vm_vmm__queue(v, com ? VM_CHAN_COM2 : VM_CHAN_CONSOLE, &byte, 1);
}

static void vm_vmm_on_port(void *arg, const char *port, const uint8_t *data, size_t len)
{
	struct vm_vmm *v = arg;

	if (!strcmp(port, KTSTR_PORT_RESULTS))
		vm_vmm__queue(v, VM_CHAN_RESULTS, data, len);
	else if (!strcmp(port, KTSTR_PORT_SCHED))
		vm_vmm__queue(v, VM_CHAN_SCHED, data, len);
	else if (!strcmp(port, "console"))
		vm_vmm__queue(v, VM_CHAN_CONSOLE, data, len);
	/* Bytes the guest writes to the control port are dropped, as with qemu. */
}

static void *vm_vmm_runner(void *arg)
{
	struct vm_vmm *v = arg;

	v->run_ret = vmm__run(v->vmm, &v->vres);
	atomic_store(&v->done, true);
	vm_vmm_wake(v->vm);
	return NULL;
}

void vm_vmm__kill(struct vm_vmm *v, enum vm_exit why)
{
	if (!v->vmm || v->stop_why != VM_EXIT_NONE || atomic_load(&v->done))
		return;
	v->stop_why = why;
	vmm__kill(v->vmm);
}

void vm_vmm__join(struct vm_vmm *v)
{
	if (!v->running)
		return;
	pthread_join(v->runner, NULL);
	v->running = false;
}

static void vm_vmm_stop(struct vm *vm)
{
	struct vm_vmm *v = vm->priv;

	if (!v)
		return;
	vm_vmm__kill(v, VM_EXIT_KILLED);
	vm_vmm__join(v);
}

static void vm_vmm_destroy(struct vm *vm)
{
	struct vm_vmm *v = vm->priv;

	if (!v)
		return;
	vm_vmm__join(v);
	if (v->vmm)
		vmm__destroy(v->vmm);
	pthread_mutex_destroy(&v->lock);
	free(v->q);
	free(v);
	vm->priv = NULL;
}

static pid_t vm_vmm_pid(const struct vm *vm)
{
	(void)vm;
	return -1;
}

static const char *vm_vmm_tmpdir(const struct vm *vm)
{
	(void)vm;
	return NULL;
}

static const struct vm_ops vm_vmm_ops = {
	.wait = vm_vmm__wait,
	.stop = vm_vmm_stop,
	.destroy = vm_vmm_destroy,
	.pid = vm_vmm_pid,
	.tmpdir = vm_vmm_tmpdir,
};

static int vm_vmm_start(struct vm *vm, char *err, size_t errlen)
{
	struct vmm_opts o = {
		.kernel = vm->opts.kernel,
		.initrd = vm->opts.initramfs,
		.cmdline = vm->cmdline,
		.topo = vm->opts.topo,
		.ram_size = (uint64_t)vm->opts.memory_mb << 20,
		.timeout_ms = vm->opts.timeout_ms,
		.on_serial = vm_vmm_on_serial,
		.on_port = vm_vmm_on_port,
	};
	struct vm_vmm *v;
	int ret;

	ret = vm__cmdline(&vm->opts, VM_VMM_CMDLINE, vm->cmdline, sizeof(vm->cmdline),
			  err, errlen);
	if (ret < 0)
		return ret;
	v = calloc(1, sizeof(*v));
	if (!v) {
		snprintf(err, errlen, "out of memory creating a VM");
		return -ENOMEM;
	}
	v->vm = vm;
	pthread_mutex_init(&v->lock, NULL);
	vm->priv = v;
	vm->ops = &vm_vmm_ops;
	o.arg = v;
	ret = vmm__create(&o, &v->vmm, err, errlen);
	if (ret)
		v->vmm = NULL;
	return ret;
}

int vm_vmm__run_start(struct vm_vmm *v)
{
	sigset_t all, old;
	int ret;

	/* Signals stay with the caller's threads (vm__signals_catch()). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = -pthread_create(&v->runner, NULL, vm_vmm_runner, v);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return ret;
	v->running = true;
	return 0;
}

static const struct vm_backend_ops vm_vmm_backend = {
	.start = vm_vmm_start,
};

void vm_vmm__register(void)
{
	vm__register_backend(VM_BACKEND_VMM, &vm_vmm_backend);
}

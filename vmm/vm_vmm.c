// SPDX-License-Identifier: GPL-2.0
/*
 * The in-process VMM behind lib/vm/vm.h: map struct vm_opts onto struct
 * vmm_opts, create the VMM, route what the vCPU threads produce to the
 * output queue (vm_vmm_queue.c), and tear it all down. The runner thread
 * and vm__wait()'s event loop are in vm_vmm_loop.c.
 */
#include "vm_vmm.h"
#include "vm_vmm_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/ktstr_proto.h"

/*
 * What only this backend adds to the kernel command line (lib/vm/vm_cmdline.c):
 * no PCI bus here, and the KVM clock is always there. The VMM appends the
 * virtio_mmio.device= word itself.
 */
#define VM_VMM_CMDLINE	"pci=off clocksource=kvm-clock"

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

/* The vCPU threads, not found by name: several VMs may run in this process. */
static size_t vm_vmm_threads(const struct vm *vm, pid_t *tids, size_t cap)
{
	const struct vm_vmm *v = vm->priv;

	return v && v->vmm ? vmm__vcpu_tids(v->vmm, tids, cap) : 0;
}

/* vCPU i's thread while it runs: the VMM has one per vCPU. */
static size_t vm_vmm_vcpu_threads(const struct vm *vm, pid_t *tids, uint32_t n)
{
	const struct vm_vmm *v = vm->priv;
	size_t found = 0;

	for (uint32_t i = 0; i < n; i++) {
		tids[i] = v && v->vmm ? vmm__vcpu_tid(v->vmm, i) : 0;
		found += tids[i] > 0;
	}
	return found;
}

/* The VMM's RAM, mapped in this process, as vm__guest_mem() hands it out. */
static int vm_vmm_guest_mem(struct vm *vm, struct gmem *m, char *err, size_t errlen)
{
	const struct vm_vmm *v = vm->priv;
	const void *host;
	uint64_t size, low;

	if (!v || !v->vmm || vmm__ram(v->vmm, &host, &size, &low)) {
		snprintf(err, errlen, "the VM's RAM is not mapped");
		return -ENOENT;
	}
	return vm__guest_mem_ram(m, host, size, low, err, errlen);
}

static const struct vm_ops vm_vmm_ops = {
	.wait = vm_vmm__wait,
	.stop = vm_vmm_stop,
	.destroy = vm_vmm_destroy,
	.pid = vm_vmm_pid,
	.tmpdir = vm_vmm_tmpdir,
	.threads = vm_vmm_threads,
	.guest_mem = vm_vmm_guest_mem,
	.vcpu_threads = vm_vmm_vcpu_threads,
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

static const struct vm_backend_ops vm_vmm_backend = {
	.start = vm_vmm_start,
};

void vm_vmm__register(void)
{
	vm__register_backend(VM_BACKEND_VMM, &vm_vmm_backend);
}

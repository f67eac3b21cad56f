// SPDX-License-Identifier: GPL-2.0
/*
 * The VMM's lifecycle: create (KVM, firmware, kernel, devices, vCPUs), run
 * (one thread per vCPU and the watchdog), destroy; the device buses. How the
 * VM ends is in vmm_end.c.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "platform/cpuid.h"
#include "platform/topo_apic.h"
#include "vcpu.h"
#include "vmm_int.h"

#define VMM_DEFAULT_RAM		(256ull << 20)

static uint64_t vmm__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* What the vCPUs need from the VMM (vcpu.h): its buses, its end, its stop flag. */
static void vmm__pio(void *ctx, uint16_t port, uint8_t *data, uint32_t len, bool is_write)
{
	struct vmm *vmm = ctx;

	bus__access(&vmm->pio, port, data, len, is_write);
}

static void vmm__mmio(void *ctx, uint64_t addr, uint8_t *data, uint32_t len, bool is_write)
{
	struct vmm *vmm = ctx;

	bus__access(&vmm->mmio, addr, data, len, is_write);
}

static void vmm__vcpu_end(void *ctx, const struct vmm_result *r)
{
	vmm__end(ctx, r);
}

static bool vmm__stopping(void *ctx)
{
	struct vmm *vmm = ctx;

	return atomic_load(&vmm->stop);
}

static const struct vcpu_ops vmm_vcpu_ops = {
	.pio = vmm__pio,
	.mmio = vmm__mmio,
	.end = vmm__vcpu_end,
	.stopping = vmm__stopping,
};

static void vmm__serial_out(void *arg, unsigned int idx, uint8_t byte)
{
	struct vmm *vmm = arg;

	if (vmm->on_serial)
		vmm->on_serial(vmm->arg, idx, byte);
}

size_t vmm__serial_input(struct vmm *vmm, unsigned int com, const void *data, size_t len)
{
	if (com > 1 || !vmm->com_init)
		return 0;
	return serial__input(&vmm->com[com], data, len);
}

static void vmm__i8042_reset(void *arg)
{
	vmm__device_end(arg, VMM_END_RESET, "guest reset through the i8042 (0xFE to port 0x64)");
}

static int vmm__devices(struct vmm *vmm, char *err, size_t errlen)
{
	int vm_fd = vmm->kvm.vm_fd;
	int ret;

	bus__init(&vmm->pio, "pio");
	bus__init(&vmm->mmio, "mmio");
	serial__init(&vmm->com[0], 0, SERIAL_COM1_IRQ, vm_fd, vmm__serial_out, vmm);
	serial__init(&vmm->com[1], 1, SERIAL_COM2_IRQ, vm_fd, vmm__serial_out, vmm);
	vmm->com_init = true;
	i8042__init(&vmm->i8042, vmm__i8042_reset, vmm);
	ret = bus__register(&vmm->pio, SERIAL_COM1_PORT, SERIAL_NR_REGS, serial__io, &vmm->com[0]);
	if (!ret)
		ret = bus__register(&vmm->pio, SERIAL_COM2_PORT, SERIAL_NR_REGS, serial__io,
				    &vmm->com[1]);
	if (!ret)
		ret = bus__register(&vmm->pio, I8042_DATA_PORT, I8042_CMD_PORT - I8042_DATA_PORT + 1,
				    i8042__io, &vmm->i8042);
	if (!ret)
		ret = vmm__pm_register(vmm);
	if (ret)
		snprintf(err, errlen, "registering the legacy devices: %s", strerror(-ret));
	return ret;
}

static int vmm__vcpus(struct vmm *vmm, char *err, size_t errlen)
{
	struct kvm_cpuid2 *base = NULL, *c = NULL;
	unsigned flags = kvm__has_cap(&vmm->kvm, KVM_CAP_TSC_DEADLINE_TIMER) ?
			 CPUID_F_TSC_DEADLINE : 0;
	int ret;

	vmm->vcpus = calloc(vmm->nr_vcpus, sizeof(*vmm->vcpus));
	if (!vmm->vcpus)
		return -ENOMEM;
	for (unsigned int i = 0; i < vmm->nr_vcpus; i++)
		vmm->vcpus[i].fd = -1;
	ret = kvm__supported_cpuid(&vmm->kvm, 0, &base, err, errlen);
	if (ret)
		return ret;
	c = calloc(1, sizeof(*c) + (base->nent + CPUID_EXTRA_ENTRIES) * sizeof(c->entries[0]));
	if (!c) {
		free(base);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < vmm->nr_vcpus && !ret; i++) {
		ret = cpuid__build(base->entries, base->nent, &vmm->topo, i, flags, c->entries,
				   base->nent + CPUID_EXTRA_ENTRIES, &c->nent);
		if (ret) {
			snprintf(err, errlen, "CPUID for vCPU %u: %s", i, strerror(-ret));
			break;
		}
		ret = vcpu__create(&vmm->vcpus[i], &vmm_vcpu_ops, vmm, &vmm->kvm, i,
				   topo_apic__id(&vmm->topo, i), c, err, errlen);
	}
	free(c);
	free(base);
	if (!ret)
		ret = vcpu__setup_bsp(&vmm->vcpus[0], &vmm->boot, err, errlen);
	return ret;
}

/* The user's command line with the virtio console's "virtio_mmio.device=" word. */
static char *vmm__cmdline(const char *user)
{
	size_t ulen = user ? strlen(user) : 0;
	char word[64], *s;
	int n = vmm__vcon_cmdline(word, sizeof(word));

	if (n < 0 || (size_t)n >= sizeof(word))
		return NULL;
	s = malloc(ulen + (size_t)n + 2);
	if (!s)
		return NULL;
	if (ulen) {
		memcpy(s, user, ulen);
		s[ulen++] = ' ';
	}
	memcpy(s + ulen, word, (size_t)n + 1);
	return s;
}

int vmm__create(const struct vmm_opts *o, struct vmm **out, char *err, size_t errlen)
{
	struct boot_opts bo = { .kernel = o->kernel, .initrd = o->initrd };
	pthread_condattr_t ca;
	struct vmm *vmm;
	char *cmdline = NULL;
	int ret;

	*out = NULL;
	if (!o->kernel) {
		snprintf(err, errlen, "no kernel given");
		return -EINVAL;
	}
	vmm = calloc(1, sizeof(*vmm));
	if (!vmm)
		return -ENOMEM;
	kvm__init(&vmm->kvm);
	pthread_mutex_init(&vmm->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&vmm->cond, &ca);
	pthread_condattr_destroy(&ca);
	vmm->on_serial = o->on_serial;
	vmm->on_port = o->on_port;
	vmm->arg = o->arg;
	vmm->timeout_ms = o->timeout_ms;
	vmm->topo = o->topo;
	if (!vmm->topo.numa_nodes)
		vmm->topo = (struct topology){ 1, 1, 1, 1 };
	ret = topology__validate(&vmm->topo, err, errlen);
	if (ret)
		goto fail;
	vmm->nr_vcpus = topology__total_cpus(&vmm->topo);

	ret = vcpu__signal_init();
	if (ret) {
		snprintf(err, errlen, "installing the vCPU kick signal handler: %s", strerror(-ret));
		goto fail;
	}
	cmdline = vmm__cmdline(o->cmdline);
	if (!cmdline) {
		ret = -ENOMEM;
		goto fail;
	}
	bo.cmdline = cmdline;
	ret = kvm__open(&vmm->kvm, o->ram_size ? o->ram_size : VMM_DEFAULT_RAM, o->shm_size,
			err, errlen);
	if (!ret)
		ret = vmm__firmware(vmm, err, errlen);
	if (!ret) {
		bo.rsdp_addr = vmm->acpi ? BOOT_RSDP_ADDR : 0;
		ret = boot__load(&vmm->kvm, &bo, &vmm->boot, err, errlen);
	}
	if (!ret)
		ret = vmm__devices(vmm, err, errlen);
	if (!ret)
		ret = vmm__vcon_init(vmm, err, errlen);
	if (!ret)
		ret = vmm__vcpus(vmm, err, errlen);
	if (ret)
		goto fail;
	free(cmdline);
	*out = vmm;
	return 0;
fail:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory creating the VM");
	free(cmdline);
	vmm__destroy(vmm);
	return ret;
}

static void *vmm__watchdog(void *arg)
{
	struct vmm *vmm = arg;
	uint64_t deadline = vmm->t0 + (uint64_t)vmm->timeout_ms * 1000000ull;
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / 1000000000ull),
		.tv_nsec = (long)(deadline % 1000000000ull),
	};

	pthread_setname_np(pthread_self(), "vmm-watchdog");
	pthread_mutex_lock(&vmm->lock);
	while (vmm->res.end == VMM_END_NONE) {
		if (!vmm->timeout_ms) {
			pthread_cond_wait(&vmm->cond, &vmm->lock);
			continue;
		}
		if (pthread_cond_timedwait(&vmm->cond, &vmm->lock, &ts) == ETIMEDOUT &&
		    vmm->res.end == VMM_END_NONE) {
			struct vmm_result r = { .end = VMM_END_TIMEOUT };

			snprintf(r.msg, sizeof(r.msg), "hard timeout of %u ms", vmm->timeout_ms);
			pthread_mutex_unlock(&vmm->lock);
			vmm__end(vmm, &r);
			pthread_mutex_lock(&vmm->lock);
		}
	}
	pthread_mutex_unlock(&vmm->lock);
	return NULL;
}

int vmm__run(struct vmm *vmm, struct vmm_result *res)
{
	sigset_t all, old;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	if (vmm->ran)
		return -EALREADY;
	vmm->ran = true;
	vmm->t0 = vmm__now_ns();

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = -pthread_create(&vmm->watchdog, NULL, vmm__watchdog, vmm);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	vmm->watchdog_started = !ret;
	for (unsigned int i = 0; i < vmm->nr_vcpus && !ret; i++)
		ret = vcpu__start(&vmm->vcpus[i]);
	if (ret) {
		struct vmm_result r = { .end = VMM_END_KILLED };

		snprintf(r.msg, sizeof(r.msg), "could not start a thread: %s", strerror(-ret));
		vmm__end(vmm, &r);
	}
	for (unsigned int i = 0; i < vmm->nr_vcpus; i++)
		vcpu__join(&vmm->vcpus[i]);
	/* Every vCPU stopped, so the VM has ended: the watchdog returns now. */
	if (vmm->watchdog_started)
		pthread_join(vmm->watchdog, NULL);
	vmm->watchdog_started = false;

	pthread_mutex_lock(&vmm->lock);
	*res = vmm->res;
	pthread_mutex_unlock(&vmm->lock);
	res->wall_ns = vmm__now_ns() - vmm->t0;
	return ret;
}

int vmm__register_pio(struct vmm *vmm, uint16_t base, uint16_t len, vmm_io_fn fn, void *dev)
{
	if (vmm->ran)
		return -EBUSY;
	return bus__register(&vmm->pio, base, len, fn, dev);
}

int vmm__register_mmio(struct vmm *vmm, uint64_t base, uint64_t len, vmm_io_fn fn, void *dev)
{
	if (vmm->ran)
		return -EBUSY;
	if (kvm__gpa(&vmm->kvm, base, 1) || kvm__gpa(&vmm->kvm, base + len - 1, 1))
		return -EEXIST;		/* RAM there: the guest would never exit */
	return bus__register(&vmm->mmio, base, len, fn, dev);
}

int vmm__pic_irr(const struct vmm *vmm, uint16_t *irr)
{
	return kvm__pic_irr(&vmm->kvm, irr);
}

size_t vmm__vcpu_tids(const struct vmm *vmm, pid_t *tids, size_t cap)
{
	size_t n = 0;

	for (unsigned int i = 0; vmm->vcpus && i < vmm->nr_vcpus && n < cap; i++) {
		pid_t tid = atomic_load(&vmm->vcpus[i].tid);

		if (tid > 0)
			tids[n++] = tid;
	}
	return n;
}

pid_t vmm__vcpu_tid(const struct vmm *vmm, unsigned int i)
{
	return vmm->vcpus && i < vmm->nr_vcpus ? atomic_load(&vmm->vcpus[i].tid) : 0;
}

int vmm__ram(const struct vmm *vmm, const void **host, uint64_t *size, uint64_t *low)
{
	if (!vmm->kvm.ram)
		return -ENOENT;
	*host = vmm->kvm.ram;
	*size = vmm->kvm.ram_size;
	*low = vmm->kvm.low_size;
	return 0;
}

uint64_t vmm__ram_resident(const struct vmm *vmm)
{
	size_t pages = vmm->kvm.ram_size / 4096;
	unsigned char *vec;
	uint64_t n = 0;

	if (!vmm->kvm.ram)
		return 0;
	vec = malloc(pages);
	if (!vec)
		return 0;
	if (mincore(vmm->kvm.ram, vmm->kvm.ram_size, vec) == 0)
		for (size_t i = 0; i < pages; i++)
			n += vec[i] & 1;
	free(vec);
	return n * 4096;
}

void vmm__destroy(struct vmm *vmm)
{
	if (!vmm)
		return;
	if (vmm->watchdog_started) {
		vmm__kill(vmm);
		pthread_join(vmm->watchdog, NULL);
	}
	if (vmm->vcpus) {
		for (unsigned int i = 0; i < vmm->nr_vcpus; i++)
			vcpu__destroy(&vmm->vcpus[i]);
		free(vmm->vcpus);
	}
	vmm__vcon_exit(vmm);
	if (vmm->com_init) {
		serial__exit(&vmm->com[0]);
		serial__exit(&vmm->com[1]);
	}
	kvm__close(&vmm->kvm);
	pthread_cond_destroy(&vmm->cond);
	pthread_mutex_destroy(&vmm->lock);
	free(vmm);
}

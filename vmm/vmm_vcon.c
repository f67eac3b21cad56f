// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-mmio multiport console in the VMM: ports console, and the
 * ktstr_proto.h ports results, control and sched. The device window is on
 * the MMIO bus at VMM_VCON_GPA (no memory slot there, so every access exits
 * to us); its interrupt is ISA IRQ 5 pulsed through KVM_IRQ_LINE.
 *
 * One recursive mutex serialises the device: vCPU threads' MMIO accesses
 * and vmm__port_send() from any thread (the on_port callback, which runs
 * with it held, may send).
 *
 * The device sees guest RAM as the two memory slots lay it out: below the
 * MMIO gap at guest address 0, and the rest from 4 GiB (kvm.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/kvm.h>

#include "virtio/virtio_console.h"
#include "vmm_int.h"

#define VMM_VCON_CONSOLE_NAME	"console"
#define VMM_VCON_NPORTS		4

struct vmm_vcon {
	pthread_mutex_t lock;		/* recursive */
	struct vmm *vmm;
	struct virtio_console dev;
};

_Static_assert(sizeof(virtio_console__ktstr_ports) / sizeof(virtio_console__ktstr_ports[0]) ==
	       VMM_VCON_NPORTS, "the ktstr port set");

static const char *vmm__vcon_name(const struct virtio_console *c, unsigned int port)
{
	if (port >= c->nports)
		return NULL;
	return c->port[port].name[0] ? c->port[port].name : VMM_VCON_CONSOLE_NAME;
}

static void vmm__vcon_rx(void *ctx, unsigned port, const uint8_t *data, size_t len)
{
	struct vmm_vcon *v = ctx;
	const char *name = vmm__vcon_name(&v->dev, port);

	if (name && v->vmm->on_port)
		v->vmm->on_port(v->vmm->arg, name, data, len);
}

static const struct virtio_console_ops vmm_vcon_ops = {
	.rx = vmm__vcon_rx,
};

/* An edge on IRQ 5: raise and lower the line of the in-kernel PIC and IOAPIC. */
static void vmm__vcon_irq(void *ctx)
{
	struct vmm_vcon *v = ctx;
	struct kvm_irq_level l = { .irq = VMM_VCON_IRQ, .level = 1 };

	if (ioctl(v->vmm->kvm.vm_fd, KVM_IRQ_LINE, &l) == 0) {
		l.level = 0;
		ioctl(v->vmm->kvm.vm_fd, KVM_IRQ_LINE, &l);
	}
}

static void vmm__vcon_io(void *dev, uint64_t off, uint8_t *data, uint32_t len, bool is_write)
{
	struct vmm_vcon *v = dev;

	pthread_mutex_lock(&v->lock);
	if (is_write)
		virtio_console__mmio_write(&v->dev, off, data, len);
	else
		virtio_console__mmio_read(&v->dev, off, data, len);
	pthread_mutex_unlock(&v->lock);
}

int vmm__vcon_cmdline(char *buf, size_t len)
{
	return virtio_mmio__cmdline(buf, len, VMM_VCON_GPA, VMM_VCON_IRQ);
}

int vmm__vcon_init(struct vmm *vmm, char *err, size_t errlen)
{
	struct guest_mem mem = { .host = vmm->kvm.ram, .size = vmm->kvm.low_size };
	pthread_mutexattr_t ma;
	struct vmm_vcon *v;
	int ret;

	if (vmm->kvm.ram_size > vmm->kvm.low_size) {
		mem.high_host = vmm->kvm.ram + vmm->kvm.low_size;
		mem.high_gpa = KVM_MMIO_GAP_END;
		mem.high_size = vmm->kvm.ram_size - vmm->kvm.low_size;
	}
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->vmm = vmm;
	ret = virtio_console__init(&v->dev, &mem, virtio_console__ktstr_ports, VMM_VCON_NPORTS,
				   &vmm_vcon_ops, v, vmm__vcon_irq, v);
	if (ret) {
		free(v);
		snprintf(err, errlen, "setting up the virtio console: %s", strerror(-ret));
		return ret;
	}
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&v->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	vmm->vcon = v;
	ret = bus__register(&vmm->mmio, VMM_VCON_GPA, VIRTIO_MMIO_WINDOW, vmm__vcon_io, v);
	if (ret)
		snprintf(err, errlen, "registering the virtio console at %#llx: %s",
			 (unsigned long long)VMM_VCON_GPA, strerror(-ret));
	return ret;
}

void vmm__vcon_exit(struct vmm *vmm)
{
	if (!vmm->vcon)
		return;
	pthread_mutex_destroy(&vmm->vcon->lock);
	free(vmm->vcon);
	vmm->vcon = NULL;
}

long vmm__port_send(struct vmm *vmm, const char *port, const void *buf, size_t len)
{
	struct vmm_vcon *v = vmm->vcon;
	long ret = -ENOENT;

	if (!v || !port)
		return -ENOENT;
	pthread_mutex_lock(&v->lock);
	for (unsigned int i = 0; i < v->dev.nports; i++) {
		if (!strcmp(vmm__vcon_name(&v->dev, i), port)) {
			ret = virtio_console__send(&v->dev, i, buf, len);
			break;
		}
	}
	pthread_mutex_unlock(&v->lock);
	return ret;
}

const char *vmm__port_name(const struct vmm *vmm, unsigned int idx)
{
	return vmm->vcon ? vmm__vcon_name(&vmm->vcon->dev, idx) : NULL;
}

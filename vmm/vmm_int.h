/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMM's own state, shared by vmm.c (lifecycle), vmm_end.c (how the VM
 * ends), vmm_fw.c (ACPI tables, MP table, the ACPI PM1a ports) and
 * vmm_vcon.c (the virtio-mmio console).
 * Not for users of the VMM: they see vmm.h.
 */
#ifndef KTSTR_VMM_VMM_INT_H
#define KTSTR_VMM_VMM_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "boot/boot.h"
#include "hw/bus.h"
#include "hw/i8042.h"
#include "kvm/kvm.h"
#include "hw/serial.h"
#include "vmm.h"

/* The virtio-mmio console: one device window at the bottom of the MMIO gap. */
#define VMM_VCON_GPA		0xC0000000ull
#define VMM_VCON_IRQ		5

struct vmm_vcon;

struct vmm_pm {
	_Atomic uint16_t cnt;		/* PM1a_CNT as last written */
	uint64_t t0_ns;			/* CLOCK_MONOTONIC when the PM timer read 0 */
};

struct vmm {
	struct kvm kvm;
	struct bus pio, mmio;
	struct serial com[2];
	bool com_init;
	struct i8042 i8042;
	struct vmm_pm pm;
	struct vmm_vcon *vcon;		/* NULL until vmm__vcon_init() */
	struct boot_info boot;
	struct topology topo;
	unsigned int nr_vcpus;
	struct vcpu *vcpus;
	vmm_serial_fn on_serial;
	vmm_port_fn on_port;
	void *arg;
	uint32_t timeout_ms;
	bool acpi;			/* ACPI tables written at ACPI_RSDP_GPA */
	bool mptable;			/* MP table written at MPTABLE_GPA */

	pthread_mutex_t lock;
	pthread_cond_t cond;		/* CLOCK_MONOTONIC; signalled at the end */
	atomic_bool stop;
	struct vmm_result res;		/* under lock */
	pthread_t watchdog;
	bool watchdog_started;
	bool ran;
	uint64_t t0;
};

/*
 * vmm_end.c. The first call wins: records @r, stops and kicks every vCPU,
 * wakes the watchdog.
 */
void vmm__end(struct vmm *vmm, const struct vmm_result *r);
/* End the VM from a device handler, with the current vCPU's RIP when there is one. */
void vmm__device_end(struct vmm *vmm, enum vmm_end end, const char *msg);

/*
 * vmm_fw.c: ACPI tables (one SRAT memory range per node, the E820's RAM split
 * evenly between the nodes) and the MP table (when every APIC ID fits) into
 * guest RAM; the PM1a event/control ports on the port-I/O bus.
 */
int vmm__firmware(struct vmm *vmm, char *err, size_t errlen);
int vmm__pm_register(struct vmm *vmm);

/* vmm_vcon.c: the virtio console at VMM_VCON_GPA, IRQ VMM_VCON_IRQ. */
int vmm__vcon_init(struct vmm *vmm, char *err, size_t errlen);
void vmm__vcon_exit(struct vmm *vmm);
/* "virtio_mmio.device=4K@0xc0000000:5" into @buf; its length or -1. */
int vmm__vcon_cmdline(char *buf, size_t len);

#endif

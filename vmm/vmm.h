/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room vmm (the top of vmm/), the in-process KVM virtual machine monitor for
 * x86_64: the VMM core (this header; vmm.c, vmm_end.c, vmm_fw.c, vmm_vcon.c,
 * the vCPU threads in vcpu.c, how a run ended in vmm_result.h), the CPL0
 * speed probe and /dev/kvm inspection (probe.h) and the VMM as a backend of
 * lib/vm/vm.h (vm_vmm.h). It may include lib/ (base, topo, wire, vm) and the
 * rooms below it in vmm/ (kvm, hw, virtio, platform, boot); of the program,
 * only cmd/ and cmd/run include it.
 */

/*
 * The in-process VMM: create a VM (KVM, RAM, devices, vCPUs), boot a kernel
 * or test guest in it, run it to its end and tear it down.
 *
 *   vmm__create() -> vmm__run() -> vmm__destroy()
 *
 * vmm__run() starts one thread per vCPU and a watchdog thread (the hard
 * timeout), waits for the VM to end, joins every thread and fills the
 * result. vmm__destroy() closes every fd and unmaps every mapping.
 * vmm__kill() may be called from any thread.
 *
 * The guest gets ACPI tables (RSDP at 0xE0000, in boot_params), an MP table,
 * the PM1a ports (power-off), COM1/COM2, the i8042 and a multiport
 * virtio-console on virtio-mmio at 0xC0000000 IRQ 5, announced by a
 * "virtio_mmio.device=" word appended to the command line.
 */
#ifndef KTSTR_VMM_VMM_H
#define KTSTR_VMM_VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "topo/topology.h"
#include "vmm_result.h"

/* Each byte a guest UART transmits; @com 0 = COM1, 1 = COM2. Runs in a vCPU thread. */
typedef void (*vmm_serial_fn)(void *arg, unsigned int com, uint8_t byte);

/*
 * Bytes the guest wrote to a virtio-console port: @port is "console" for
 * port 0, else the port's name (ktstr_proto.h: KTSTR_PORT_RESULTS,
 * KTSTR_PORT_SCHED...). Runs in a vCPU thread with the device locked; it may
 * call vmm__port_send(). @data points into guest memory: copy what you keep.
 */
typedef void (*vmm_port_fn)(void *arg, const char *port, const uint8_t *data, size_t len);

struct vmm_opts {
	const char *kernel;		/* ELF (64-bit entry) or bzImage */
	const char *initrd;		/* NULL: none */
	const char *cmdline;		/* NULL: empty */
	struct topology topo;		/* zero: one vCPU */
	uint64_t ram_size;		/* bytes; 0: 256 MiB */
	uint64_t shm_size;		/* top of RAM kept out of E820; 0: none */
	uint32_t timeout_ms;		/* hard timeout; 0: none */
	vmm_serial_fn on_serial;	/* may be NULL */
	void *arg;			/* for on_serial and on_port */
	vmm_port_fn on_port;		/* virtio-console bytes; may be NULL */
};

struct vmm;

/* -errno and a message in @err that says what to do (no /dev/kvm, bad kernel file...). */
int vmm__create(const struct vmm_opts *o, struct vmm **out, char *err, size_t errlen);
/* Run to the end. 0 with @res filled, or -errno when a thread could not start. */
int vmm__run(struct vmm *vmm, struct vmm_result *res);
void vmm__kill(struct vmm *vmm);
void vmm__destroy(struct vmm *vmm);

/*
 * Host -> guest bytes on the virtio-console port named @port ("console" for
 * port 0; ktstr_proto.h's KTSTR_PORT_CONTROL...). Any thread, any time
 * between vmm__create() and vmm__destroy(); bytes wait in the device until
 * the guest posts buffers. Returns the bytes accepted (fewer when the port's
 * buffer is full: try again later) or -ENOENT for an unknown port.
 */
long vmm__port_send(struct vmm *vmm, const char *port, const void *buf, size_t len);
/*
 * Host -> guest bytes on UART @com (0 = COM1, 1 = COM2), into its 64-byte
 * receive FIFO (hw/serial.h). Any thread, between vmm__create() and
 * vmm__destroy(). Returns the bytes accepted: fewer when the FIFO is full
 * (the guest has not read it yet: try again later).
 */
size_t vmm__serial_input(struct vmm *vmm, unsigned int com, const void *data, size_t len);
/* The virtio console's names of its ports (index 0 = "console"), NULL past the end. */
const char *vmm__port_name(const struct vmm *vmm, unsigned int idx);

/*
 * Add a device to the port-I/O or MMIO bus (between vmm__create() and
 * vmm__run()): -EEXIST on overlap, -ENOSPC when the bus is full, -EBUSY
 * once running. The handler runs in vCPU threads.
 */
typedef void (*vmm_io_fn)(void *dev, uint64_t off, uint8_t *data, uint32_t len, bool is_write);
int vmm__register_pio(struct vmm *vmm, uint16_t base, uint16_t len, vmm_io_fn fn, void *dev);
int vmm__register_mmio(struct vmm *vmm, uint64_t base, uint64_t len, vmm_io_fn fn, void *dev);

/* The in-kernel PICs' interrupt request register: bit n = ISA IRQ n raised. */
int vmm__pic_irr(const struct vmm *vmm, uint16_t *irr);

/* Bytes of guest RAM resident in the host (touched by the guest or the loader). */
uint64_t vmm__ram_resident(const struct vmm *vmm);

/*
 * The kernel thread ids of the vCPU threads running now (at most @cap, into
 * @tids): none before vmm__run() starts them or after they end. Any thread,
 * between vmm__create() and vmm__destroy(). Returns how many were written.
 */
size_t vmm__vcpu_tids(const struct vmm *vmm, pid_t *tids, size_t cap);

/* The kernel thread id of vCPU @i (guest CPU i) while it runs, else 0. Any thread. */
pid_t vmm__vcpu_tid(const struct vmm *vmm, unsigned int i);

/*
 * The guest's RAM as this process maps it, for the host-side monitor (#19):
 * *@size bytes at *@host, the first *@low of them at guest address 0, the
 * rest from 4 GiB (kvm/kvm.h's layout). Valid until vmm__destroy().
 * -ENOENT when not mapped.
 */
int vmm__ram(const struct vmm *vmm, const void **host, uint64_t *size, uint64_t *low);

#endif

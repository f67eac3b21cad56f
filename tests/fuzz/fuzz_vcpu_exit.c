// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the vCPU exit handler (vcpu__handle_exit, vmm/vcpu.h) with synthetic
 * kvm_run exits, no /dev/kvm: the port-I/O and MMIO exits go through the
 * VMM's buses (vmm/hw/bus.h) to its legacy devices, COM1 and COM2 (a guest
 * with its UARTs, vmm/hw/serial.h), the i8042 (vmm/hw/i8042.h), the ACPI PM1a
 * and PM timer ports (vmm/vmm_fw.c, on a struct vmm without KVM: S5 ends
 * it), and to two probe devices that check the bus hands them only what lies
 * in their range. KVM fills kvm_run; the handler must not trust it blindly.
 *
 * Input: records of [reason][offset lo][offset hi][n][n bytes]: the n bytes
 * are written into the kvm_run mapping at the offset (kept inside it), then
 * the exit reason (an index into the reasons below; 0xff: the next four
 * bytes, raw) is handled, as the vCPU thread does until the VM is ending. A
 * vCPU that stops must have reported why, once, naming its exit.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hw/bus.h"
#include "hw/i8042.h"
#include "hw/serial.h"
#include "platform/acpi.h"
#include "vcpu.h"
#include "vmm_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RUN_SIZE	(3u * 4096)	/* what KVM_GET_VCPU_MMAP_SIZE says on x86 */
#define PROBE_PIO	0x700u
#define PROBE_MMIO	0xd0000000ull
#define PROBE_LEN	0x40u

static const uint32_t reasons[] = {
	KVM_EXIT_IO, KVM_EXIT_MMIO, KVM_EXIT_HLT, KVM_EXIT_INTR, KVM_EXIT_SHUTDOWN,
	KVM_EXIT_SYSTEM_EVENT, KVM_EXIT_FAIL_ENTRY, KVM_EXIT_INTERNAL_ERROR, KVM_EXIT_UNKNOWN,
};

struct ctx {
	struct bus pio, mmio;
	struct serial com[2];
	struct i8042 kbd;
	unsigned int ends, resets, want_resets;
	struct vmm_result last;
	struct vmm vmm;		/* its PM ports and its end, as vmm.c has them */
};

static void probe(void *dev, uint64_t off, uint8_t *data, uint32_t len, bool is_write)
{
	(void)dev;
	if (!len || len > 8 || off + len > PROBE_LEN)
		abort();	/* the bus passed on an access outside the range */
	if (!is_write)
		memset(data, (int)off, len);
}

static void reset(void *arg)
{
	((struct ctx *)arg)->resets++;
}

static void serial_out(void *arg, unsigned int idx, uint8_t byte)
{
	(void)arg, (void)idx, (void)byte;
}

static void on_pio(void *p, uint16_t port, uint8_t *data, uint32_t len, bool is_write)
{
	struct ctx *c = p;

	if (is_write && len == 1 && port == I8042_CMD_PORT && data[0] == I8042_CMD_RESET)
		c->want_resets++;
	if (port >= ACPI_PM1A_EVT_PORT && port < ACPI_PM_TMR_PORT + ACPI_PM_TMR_LEN)
		bus__access(&c->vmm.pio, port, data, len, is_write);
	else
		bus__access(&c->pio, port, data, len, is_write);
}

static void on_mmio(void *p, uint64_t addr, uint8_t *data, uint32_t len, bool is_write)
{
	struct ctx *c = p;
	uint8_t before[8];
	bool took;

	memcpy(before, data, len);
	took = bus__access(&c->mmio, addr, data, len, is_write);
	if (!took && !is_write)
		for (uint32_t i = 0; i < len; i++)
			if (data[i] != 0xff)
				abort();	/* an unclaimed read is all ones */
	if (is_write && memcmp(before, data, len))
		abort();		/* a write's bytes are the guest's */
}

static void on_end(void *p, const struct vmm_result *r)
{
	struct ctx *c = p;

	c->ends++;
	c->last = *r;
}

static bool stopping(void *p)
{
	struct ctx *c = p;

	return c->ends > 0 || atomic_load(&c->vmm.stop);
}

static const struct vcpu_ops ops = { on_pio, on_mmio, on_end, stopping };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ctx c;
	struct vcpu v;
	size_t i = 0;

	memset(&c, 0, sizeof(c));
	bus__init(&c.pio, "pio");
	bus__init(&c.mmio, "mmio");
	serial__init(&c.com[0], 0, SERIAL_COM1_IRQ, -1, serial_out, &c);
	serial__init(&c.com[1], 1, SERIAL_COM2_IRQ, -1, serial_out, &c);
	i8042__init(&c.kbd, reset, &c);
	pthread_mutex_init(&c.vmm.lock, NULL);
	pthread_cond_init(&c.vmm.cond, NULL);
	bus__init(&c.vmm.pio, "pio");
	if (bus__register(&c.pio, SERIAL_COM1_PORT, SERIAL_NR_REGS, serial__io, &c.com[0]) ||
	    bus__register(&c.pio, SERIAL_COM2_PORT, SERIAL_NR_REGS, serial__io, &c.com[1]) ||
	    bus__register(&c.pio, I8042_DATA_PORT, I8042_CMD_PORT - I8042_DATA_PORT + 1,
			  i8042__io, &c.kbd) ||
	    bus__register(&c.pio, PROBE_PIO, PROBE_LEN, probe, NULL) ||
	    bus__register(&c.mmio, PROBE_MMIO, PROBE_LEN, probe, NULL) ||
	    vmm__pm_register(&c.vmm) ||
	    bus__register(&c.pio, SERIAL_COM1_PORT + 4, 1, probe, NULL) != -EEXIST)
		abort();

	memset(&v, 0, sizeof(v));
	v.ops = &ops;
	v.ctx = &c;
	v.fd = -1;
	v.run_size = RUN_SIZE;
	v.run = calloc(1, RUN_SIZE);
	if (!v.run)
		abort();
	while (i + 4 <= size) {
		uint8_t why = data[i];
		size_t off = ((size_t)data[i + 1] | (size_t)data[i + 2] << 8) % RUN_SIZE;
		size_t n = data[i + 3];
		bool go;

		i += 4;
		if (n > size - i)
			n = size - i;
		memcpy((uint8_t *)v.run + off, data + i, n < RUN_SIZE - off ? n : RUN_SIZE - off);
		i += n;
		if (why == 0xff && i + 4 <= size) {
			memcpy(&v.run->exit_reason, data + i, 4);
			i += 4;
		} else {
			v.run->exit_reason = reasons[why % (sizeof(reasons) / sizeof(reasons[0]))];
		}
		go = vcpu__handle_exit(&v);
		if ((!go && !c.ends) || c.ends > 1)
			abort();	/* a stop without a report, or two reports */
		if (c.resets != c.want_resets)
			abort();	/* 0xFE to port 0x64 is a reset, nothing else is */
		if (c.ends && (c.last.end == VMM_END_NONE || !c.last.msg[0] ||
			       c.last.exit_reason != v.run->exit_reason))
			abort();
		if (c.vmm.pm.cnt & ACPI_PM1_CNT_SLP_EN)
			abort();	/* SLP_EN is write-only */
		if (atomic_load(&c.vmm.stop) && (c.vmm.res.end != VMM_END_POWEROFF ||
						 !c.vmm.res.msg[0]))
			abort();	/* the PM ports end the VM only by S5 */
		/* The vCPU thread's loop: on while the VM is not ending. */
		if (!go || stopping(&c))
			break;
	}
	serial__exit(&c.com[0]);
	serial__exit(&c.com[1]);
	pthread_mutex_destroy(&c.vmm.lock);
	pthread_cond_destroy(&c.vmm.cond);
	free(v.run);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * MP table: processors with the topology's APIC IDs, one ISA bus, the IOAPIC,
 * the 16 ISA interrupts (IRQ0 on pin 2, pin 0 ExtINT) and LINT0/LINT1.
 */
#include <errno.h>
#include <string.h>

#include "mptable.h"
#include "topo_apic.h"

#define MP_LAPIC_GPA 0xFEE00000u
#define MP_IOAPIC_GPA 0xFEC00000u

/* ISA IRQs 0..15 on pins 0..15, IRQ0 moved to pin 2, pin 0 ExtINT; IRQ2 is the cascade. */
#define MP_NINTSRC (MPTABLE_ISA_IRQS)
#define MP_NLINT 2

static uint8_t sum8(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (len--)
		s += *b++;
	return s;
}

size_t mptable__size(const struct topology *t)
{
	return sizeof(struct mpf_intel) + sizeof(struct mpc_table) +
	       (size_t)topology__total_cpus(t) * sizeof(struct mpc_cpu) +
	       sizeof(struct mpc_bus) + sizeof(struct mpc_ioapic) +
	       (MP_NINTSRC + MP_NLINT) * sizeof(struct mpc_intsrc);
}

static uint8_t *put(uint8_t *pos, const void *e, size_t len)
{
	memcpy(pos, e, len);
	return pos + len;
}

int mptable__build(void *buf, size_t buflen, uint64_t gpa, const struct topology *t)
{
	struct mpf_intel *mpf = buf;
	struct mpc_table *mpc = (struct mpc_table *)(mpf + 1);
	uint8_t *pos = (uint8_t *)(mpc + 1);
	uint32_t ncpus;
	uint16_t count = 0;
	size_t size;
	char err[128];

	if (!t || topology__validate(t, err, sizeof(err)))
		return -EINVAL;
	if (topo_apic__needs_x2apic(t))
		return -ERANGE;
	size = mptable__size(t);
	if (!buf || buflen < size)
		return -ENOSPC;
	if (gpa + size > 0x100000000ull || size - sizeof(*mpf) > UINT16_MAX)
		return -EINVAL;
	memset(buf, 0, size);
	ncpus = topology__total_cpus(t);

	for (uint32_t cpu = 0; cpu < ncpus; cpu++, count++) {
		struct mpc_cpu c = {
			.type = MP_PROCESSOR,
			.apicid = (uint8_t)topo_apic__id(t, cpu),
			.apicver = MPTABLE_APIC_VERSION,
			.cpuflag = 1 | (cpu == 0 ? 2 : 0),
			.cpufeature = 0x600,	/* family 6 */
			.featureflag = 0x201,	/* FPU | APIC */
		};

		pos = put(pos, &c, sizeof(c));
	}

	struct mpc_bus bus = { .type = MP_BUS, .busid = 0, .bustype = "ISA   " };
	pos = put(pos, &bus, sizeof(bus));
	count++;

	struct mpc_ioapic io = {
		.type = MP_IOAPIC, .apicid = MPTABLE_IOAPIC_ID,
		.apicver = MPTABLE_IOAPIC_VERSION, .flags = 1, .apicaddr = MP_IOAPIC_GPA,
	};
	pos = put(pos, &io, sizeof(io));
	count++;

	for (uint8_t irq = 0; irq < MPTABLE_ISA_IRQS; irq++, count++) {
		struct mpc_intsrc is = {
			.type = MP_INTSRC, .irqtype = MP_IRQ_INT, .srcbus = 0,
			.srcbusirq = irq, .dstapic = MPTABLE_IOAPIC_ID, .dstirq = irq,
		};

		if (irq == 0) {
			is.dstirq = 2;		/* the PIT on pin 2 */
		} else if (irq == 2) {
			is.irqtype = MP_IRQ_EXTINT;	/* the 8259 on pin 0 */
			is.srcbusirq = 0;
			is.dstirq = 0;
		}
		pos = put(pos, &is, sizeof(is));
	}

	struct mpc_intsrc lint0 = {
		.type = MP_LINTSRC, .irqtype = MP_IRQ_EXTINT, .srcbus = 0,
		.dstapic = 0xff, .dstirq = 0,
	};
	struct mpc_intsrc lint1 = {
		.type = MP_LINTSRC, .irqtype = MP_IRQ_NMI, .srcbus = 0,
		.dstapic = 0xff, .dstirq = 1,
	};
	pos = put(pos, &lint0, sizeof(lint0));
	pos = put(pos, &lint1, sizeof(lint1));
	count += 2;

	memcpy(mpc->signature, "PCMP", 4);
	mpc->length = (uint16_t)(pos - (uint8_t *)mpc);
	mpc->spec = 4;
	memcpy(mpc->oem, "KTSTR   ", 8);
	memcpy(mpc->productid, "KTSTR-VM    ", 12);
	mpc->oemcount = count;
	mpc->lapic = MP_LAPIC_GPA;
	mpc->checksum = (uint8_t)-sum8(mpc, mpc->length);

	memcpy(mpf->signature, "_MP_", 4);
	mpf->physptr = (uint32_t)(gpa + sizeof(*mpf));
	mpf->length = 1;
	mpf->specification = 4;
	mpf->checksum = (uint8_t)-sum8(mpf, sizeof(*mpf));
	return 0;
}

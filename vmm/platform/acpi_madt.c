// SPDX-License-Identifier: GPL-2.0
/*
 * MADT: one local APIC entry per CPU (type 0, or type 9 x2APIC for an APIC
 * ID above 254, as the ACPI spec requires), the IOAPIC, IRQ0 -> GSI2 and the
 * LINT1 NMI for all processors.
 */
#include <string.h>

#include "acpi_int.h"
#include "topo_apic.h"

#define MADT_ENABLED 1u

size_t acpi_madt__size(const struct topology *t)
{
	uint32_t n = topology__total_cpus(t);
	size_t sz = sizeof(struct acpi_madt);
	bool x2 = false;

	for (uint32_t cpu = 0; cpu < n; cpu++) {
		if (topo_apic__id(t, cpu) > TOPO_APIC_XAPIC_MAX) {
			sz += sizeof(struct acpi_madt_x2apic);
			x2 = true;
		} else {
			sz += sizeof(struct acpi_madt_lapic);
		}
	}
	sz += sizeof(struct acpi_madt_ioapic) + sizeof(struct acpi_madt_iso) +
	      sizeof(struct acpi_madt_lapic_nmi);
	if (x2)
		sz += sizeof(struct acpi_madt_x2apic_nmi);
	return sz;
}

void acpi_madt__write(void *p, const struct topology *t)
{
	struct acpi_madt *m = p;
	uint8_t *pos = (uint8_t *)(m + 1);
	uint32_t n = topology__total_cpus(t);
	bool x2 = false;

	acpi_sdt__hdr(&m->hdr, "APIC", (uint32_t)acpi_madt__size(t), 3, "KTSTRMAD");
	m->lapic_addr = ACPI_LAPIC_GPA;
	m->flags = ACPI_MADT_PCAT_COMPAT;

	for (uint32_t cpu = 0; cpu < n; cpu++) {
		uint32_t apic = topo_apic__id(t, cpu);

		if (apic > TOPO_APIC_XAPIC_MAX) {
			struct acpi_madt_x2apic e = {
				.type = ACPI_MADT_X2APIC, .length = sizeof(e),
				.x2apic_id = apic, .flags = MADT_ENABLED,
				.processor_uid = cpu,
			};

			memcpy(pos, &e, sizeof(e));
			pos += sizeof(e);
			x2 = true;
		} else {
			struct acpi_madt_lapic e = {
				.type = ACPI_MADT_LAPIC, .length = sizeof(e),
				.processor_uid = (uint8_t)cpu, .apic_id = (uint8_t)apic,
				.flags = MADT_ENABLED,
			};

			memcpy(pos, &e, sizeof(e));
			pos += sizeof(e);
		}
	}

	struct acpi_madt_ioapic io = {
		.type = ACPI_MADT_IOAPIC, .length = sizeof(io), .ioapic_id = 0,
		.address = ACPI_IOAPIC_GPA, .gsi_base = 0,
	};
	memcpy(pos, &io, sizeof(io));
	pos += sizeof(io);

	/* The PIT's IRQ0 arrives on IOAPIC pin 2; polarity/trigger conform to the bus. */
	struct acpi_madt_iso iso = {
		.type = ACPI_MADT_ISO, .length = sizeof(iso), .bus = 0, .source = 0,
		.gsi = 2, .flags = 0,
	};
	memcpy(pos, &iso, sizeof(iso));
	pos += sizeof(iso);

	struct acpi_madt_lapic_nmi nmi = {
		.type = ACPI_MADT_LAPIC_NMI, .length = sizeof(nmi),
		.processor_uid = 0xff, .flags = 0, .lint = 1,
	};
	memcpy(pos, &nmi, sizeof(nmi));
	pos += sizeof(nmi);

	if (x2) {
		struct acpi_madt_x2apic_nmi xn = {
			.type = ACPI_MADT_X2APIC_NMI, .length = sizeof(xn),
			.flags = 0, .processor_uid = 0xffffffffu, .lint = 1,
		};
		memcpy(pos, &xn, sizeof(xn));
	}
	acpi_sdt__seal(&m->hdr);
}

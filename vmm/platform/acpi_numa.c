// SPDX-License-Identifier: GPL-2.0
/*
 * SRAT (each CPU's proximity domain = the node of its LLC; one memory
 * affinity per caller-given RAM range) and SLIT (10 local, 20 remote).
 */
#include <string.h>

#include "acpi_int.h"
#include "topo_apic.h"

#define SRAT_ENABLED 1u
#define SLIT_LOCAL 10
#define SLIT_REMOTE 20

size_t acpi_srat__size(const struct acpi_config *cfg)
{
	const struct topology *t = cfg->topo;
	uint32_t n = topology__total_cpus(t);
	size_t sz = sizeof(struct acpi_srat);

	for (uint32_t cpu = 0; cpu < n; cpu++)
		sz += topo_apic__id(t, cpu) > TOPO_APIC_XAPIC_MAX ?
		      sizeof(struct acpi_srat_x2apic) : sizeof(struct acpi_srat_lapic);
	return sz + cfg->nmem * sizeof(struct acpi_srat_mem);
}

void acpi_srat__write(void *p, const struct acpi_config *cfg)
{
	const struct topology *t = cfg->topo;
	struct acpi_srat *s = p;
	uint8_t *pos = (uint8_t *)(s + 1);
	uint32_t n = topology__total_cpus(t);

	acpi_sdt__hdr(&s->hdr, "SRAT", (uint32_t)acpi_srat__size(cfg), 3, "KTSTRSRA");
	s->reserved1 = 1;

	for (uint32_t cpu = 0; cpu < n; cpu++) {
		uint32_t apic = topo_apic__id(t, cpu);
		uint32_t node = topology__decompose(t, cpu).node;

		if (apic > TOPO_APIC_XAPIC_MAX) {
			struct acpi_srat_x2apic e = {
				.type = ACPI_SRAT_X2APIC, .length = sizeof(e),
				.proximity = node, .x2apic_id = apic, .flags = SRAT_ENABLED,
			};

			memcpy(pos, &e, sizeof(e));
			pos += sizeof(e);
		} else {
			struct acpi_srat_lapic e = {
				.type = ACPI_SRAT_LAPIC, .length = sizeof(e),
				.proximity_lo = (uint8_t)node, .apic_id = (uint8_t)apic,
				.flags = SRAT_ENABLED,
				.proximity_hi = { (uint8_t)(node >> 8), (uint8_t)(node >> 16),
						  (uint8_t)(node >> 24) },
			};

			memcpy(pos, &e, sizeof(e));
			pos += sizeof(e);
		}
	}
	for (size_t i = 0; i < cfg->nmem; i++) {
		const struct acpi_mem_range *r = &cfg->mem[i];
		struct acpi_srat_mem e = {
			.type = ACPI_SRAT_MEMORY, .length = sizeof(e),
			.proximity = r->node,
			.base_lo = (uint32_t)r->base, .base_hi = (uint32_t)(r->base >> 32),
			.length_lo = (uint32_t)r->size, .length_hi = (uint32_t)(r->size >> 32),
			.flags = SRAT_ENABLED,
		};

		memcpy(pos, &e, sizeof(e));
		pos += sizeof(e);
	}
	acpi_sdt__seal(&s->hdr);
}

size_t acpi_slit__size(const struct topology *t)
{
	return sizeof(struct acpi_slit) + (size_t)t->numa_nodes * t->numa_nodes;
}

void acpi_slit__write(void *p, const struct topology *t)
{
	struct acpi_slit *s = p;
	uint8_t *d = (uint8_t *)(s + 1);
	uint32_t n = t->numa_nodes;

	acpi_sdt__hdr(&s->hdr, "SLIT", (uint32_t)acpi_slit__size(t), 1, "KTSTRSLI");
	s->localities = n;
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < n; j++)
			d[i * n + j] = i == j ? SLIT_LOCAL : SLIT_REMOTE;
	acpi_sdt__seal(&s->hdr);
}

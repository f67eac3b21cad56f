// SPDX-License-Identifier: GPL-2.0
/*
 * acpi_dump TOPOLOGY DIR: build the VMM's ACPI tables for TOPOLOGY (e.g.
 * 2n4l2c1t; one 512 MiB memory range per node) and write each table to
 * DIR/<signature>.dat (rsdp, dsdt, apic, facp, srat, slit, rsdt, xsdt),
 * ready for `iasl -d`. Exit 0, 1 on a build or write error, 2 on usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/acpi.h"

static const char *const file_names[ACPI_T_COUNT] = {
	[ACPI_T_RSDP] = "rsdp", [ACPI_T_DSDT] = "dsdt", [ACPI_T_MADT] = "apic",
	[ACPI_T_FADT] = "facp", [ACPI_T_SRAT] = "srat", [ACPI_T_SLIT] = "slit",
	[ACPI_T_RSDT] = "rsdt", [ACPI_T_XSDT] = "xsdt",
};

int main(int argc, char **argv)
{
	struct acpi_mem_range mem[KTSTR_MAX_NUMA];
	static uint8_t buf[ACPI_REGION_SIZE];
	struct acpi_layout lay;
	struct acpi_config cfg;
	struct topology t;
	char err[256], path[4096];
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: acpi_dump TOPOLOGY DIR\n");
		return 2;
	}
	if (topology__parse(argv[1], &t, err, sizeof(err)) ||
	    topology__validate(&t, err, sizeof(err))) {
		fprintf(stderr, "acpi_dump: %s\n", err);
		return 2;
	}
	for (uint32_t n = 0; n < t.numa_nodes; n++)
		mem[n] = (struct acpi_mem_range){ (1ull << 20) + n * (512ull << 20),
						  512ull << 20, n };
	cfg = (struct acpi_config){ .topo = &t, .mem = mem, .nmem = t.numa_nodes };
	ret = acpi__build(buf, sizeof(buf), ACPI_RSDP_GPA, &cfg, &lay);
	if (ret) {
		fprintf(stderr, "acpi_dump: building the tables for %s: %s\n", argv[1],
			strerror(-ret));
		return 1;
	}
	for (int i = 0; i < ACPI_T_COUNT; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s.dat", argv[2], file_names[i]);
		f = fopen(path, "wb");
		if (!f || fwrite(buf + lay.off[i], 1, lay.len[i], f) != lay.len[i] || fclose(f)) {
			fprintf(stderr, "acpi_dump: writing %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	printf("%s: %u bytes of tables\n", argv[1], lay.total);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every ACPI table shares: the checksum and the common SDT header (the
 * OEM and creator ids ktstr stamps on each). The builders of the table set
 * (acpi.c), the MADT (acpi_madt.c) and SRAT/SLIT (acpi_numa.c) all use it.
 */
#ifndef KTSTR_VMM_ACPI_SDT_H
#define KTSTR_VMM_ACPI_SDT_H

#include <stddef.h>
#include <stdint.h>

#include "acpi_tables.h"

#define ACPI_OEM_ID		"KTSTR"
#define ACPI_CREATOR_ID		"KTSR"

/* Sum of @len bytes mod 256 (0 for a table with a valid checksum). */
uint8_t acpi_sdt__sum(const void *p, size_t len);
/* Fill a table header (checksum left 0; acpi_sdt__seal() sets it). */
void acpi_sdt__hdr(struct acpi_sdt_hdr *h, const char sig[4], uint32_t length,
		   uint8_t revision, const char *table_id);
/* Set the header checksum so that the whole table sums to 0. */
void acpi_sdt__seal(struct acpi_sdt_hdr *h);

#endif

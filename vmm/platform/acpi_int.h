/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to the ACPI builder: shared by acpi.c, acpi_madt.c, acpi_numa.c. */
#ifndef KTSTR_VMM_ACPI_INT_H
#define KTSTR_VMM_ACPI_INT_H

#include <stddef.h>
#include <stdint.h>

#include "acpi.h"
#include "acpi_sdt.h"

size_t acpi_madt__size(const struct topology *t);
void acpi_madt__write(void *p, const struct topology *t);

size_t acpi_srat__size(const struct acpi_config *cfg);
void acpi_srat__write(void *p, const struct acpi_config *cfg);
size_t acpi_slit__size(const struct topology *t);
void acpi_slit__write(void *p, const struct topology *t);

#endif

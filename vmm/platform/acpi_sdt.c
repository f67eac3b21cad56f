// SPDX-License-Identifier: GPL-2.0
/* The common ACPI table header and checksum, for every table builder. */
#include <string.h>

#include "acpi_sdt.h"

uint8_t acpi_sdt__sum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (len--)
		s += *b++;
	return s;
}

void acpi_sdt__hdr(struct acpi_sdt_hdr *h, const char sig[4], uint32_t length,
		   uint8_t revision, const char *table_id)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->signature, sig, 4);
	h->length = length;
	h->revision = revision;
	memcpy(h->oem_id, ACPI_OEM_ID, strlen(ACPI_OEM_ID));
	memset(h->oem_table_id, ' ', sizeof(h->oem_table_id));
	memcpy(h->oem_table_id, table_id, strnlen(table_id, sizeof(h->oem_table_id)));
	h->oem_revision = 1;
	memcpy(h->creator_id, ACPI_CREATOR_ID, 4);
	h->creator_revision = 1;
}

void acpi_sdt__seal(struct acpi_sdt_hdr *h)
{
	h->checksum = 0;
	h->checksum = (uint8_t)-acpi_sdt__sum(h, h->length);
}

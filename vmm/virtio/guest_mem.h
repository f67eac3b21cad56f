/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest physical memory as the device models see it: one host mapping of
 * [0, size), and optionally a second one above the MMIO gap. Every address
 * and length from the guest goes through guest_mem__ptr(), which refuses
 * ranges that wrap, leave a mapping or straddle two.
 */
#ifndef KTSTR_VMM_GUEST_MEM_H
#define KTSTR_VMM_GUEST_MEM_H

#include <stdint.h>
#include <string.h>

struct guest_mem {
	uint8_t *host;
	uint64_t size;
	/*
	 * Optional second range (zero: none): guest [high_gpa, high_gpa +
	 * high_size) at high_host, for RAM above the MMIO gap.
	 */
	uint8_t *high_host;
	uint64_t high_gpa, high_size;
};

/* Host pointer to [gpa, gpa + len), or NULL when any byte is outside one range. */
static inline void *guest_mem__ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	if (m->host && gpa <= m->size && len <= m->size - gpa)
		return m->host + gpa;
	if (m->high_host && gpa >= m->high_gpa && gpa - m->high_gpa <= m->high_size &&
	    len <= m->high_size - (gpa - m->high_gpa))
		return m->high_host + (gpa - m->high_gpa);
	return NULL;
}

/* Unaligned little-endian accessors (the guest picks the alignment). */
static inline uint16_t le16_get(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t le32_get(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t le64_get(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void le16_put(void *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void le32_put(void *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For targets whose parser opens a path (kernel images, ELF files): the
 * input as an in-memory file, named /proc/self/fd/N, rewritten per input.
 */
#ifndef KTSTR_FUZZ_MEMFD_H
#define KTSTR_FUZZ_MEMFD_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Fill memfd *@fd (created on first use) with @data; its path in @path. */
static inline void fuzz_memfd(int *fd, char *path, size_t cap, const uint8_t *data, size_t size)
{
	if (*fd < 0) {
		*fd = memfd_create("fuzz", MFD_CLOEXEC);
		if (*fd < 0)
			abort();
		snprintf(path, cap, "/proc/self/fd/%d", *fd);
	}
	if (ftruncate(*fd, 0) || (size && pwrite(*fd, data, size, 0) != (ssize_t)size))
		abort();
}

#endif

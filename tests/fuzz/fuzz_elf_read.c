// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the initramfs closure's ELF reader (elf_read, initramfs/elf_read.h):
 * the input is a file the user names as a guest program (or a library it
 * needs), read for PT_INTERP and the dynamic section's DT_NEEDED, DT_SONAME,
 * DT_RPATH and DT_RUNPATH. What it returns must be whole strings; a refusal
 * must say why and leave nothing allocated.
 */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elf_read.h"
#include "fuzz_memfd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_info info;
	char err[512];
	size_t total = 0;

	fuzz_memfd(&fd, path, sizeof(path), data, size);
	err[0] = '\0';
	if (elf_read(path, &info, err, sizeof(err))) {
		if (!err[0] || info.interp || info.needed || info.nneeded)
			abort();
		return 0;
	}
	if (info.type != ET_EXEC && info.type != ET_DYN)
		abort();
	if (info.interp && info.interp[0] != '/')
		abort();
	for (size_t i = 0; i < info.nneeded; i++)
		total += strlen(info.needed[i]);	/* each a whole string */
	if (total > size || (info.soname && strlen(info.soname) > size))
		abort();
	elf_info__free(&info);
	return 0;
}

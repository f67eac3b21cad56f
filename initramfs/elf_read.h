/* SPDX-License-Identifier: GPL-2.0 */
/* Read what the dynamic loader reads from one ELF file: PT_INTERP and PT_DYNAMIC. */
#ifndef KTSTR_ELF_READ_H
#define KTSTR_ELF_READ_H

#include <stddef.h>

struct elf_info {
	char *interp;		/* PT_INTERP, or NULL */
	char *soname;		/* DT_SONAME, or NULL */
	char *rpath;		/* DT_RPATH, or NULL */
	char *runpath;		/* DT_RUNPATH, or NULL */
	char **needed;		/* DT_NEEDED in order */
	size_t nneeded;
	int type;		/* e_type */
};

/*
 * Read @path with libelf. Returns 0; -ENOEXEC with the reason in @err when
 * it is not a 64-bit little-endian x86_64 ELF executable or shared object
 * (32-bit, another machine, not ELF, a malformed dynamic section); -errno
 * when it cannot be opened (@err names the path).
 */
int elf_read(const char *path, struct elf_info *info, char *err, size_t errlen);
void elf_info__free(struct elf_info *info);

#endif

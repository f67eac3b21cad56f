/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vmlinux's symbols by name, from its ELF symbol table (libelf): what the
 * monitor's kernel layout and the guest's HZ (the embedded config's bounds)
 * look up.
 */
#ifndef KTSTR_MONITOR_ELF_SYMS_H
#define KTSTR_MONITOR_ELF_SYMS_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elf_sym_want {
	const char *name;
	uint64_t *addr;			/* set to st_value when found; 0 = not yet */
	uint64_t *size;			/* st_size, or NULL */
	bool object_only;		/* only an STT_OBJECT symbol counts */
};

/*
 * Fill @w's addresses from @elf's (first) symbol table; a symbol not there
 * leaves its address 0. Returns 0, -ENOENT without a symbol table
 * (stripped), -EINVAL or -EIO for a broken one.
 */
int elf_syms__find(Elf *elf, struct elf_sym_want *w, size_t nw);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Does a vmlinux patch its own text when a static key flips? With
 * CONFIG_JUMP_LABEL each static_branch_*() site is an entry of __jump_table,
 * which text_poke_bp() rewrites (through an int3) whenever its key changes;
 * without it, or with no sites, the table is empty. On x86 __jump_table is no
 * output section of its own (it is ro_after_init data, inside .rodata), so
 * the linker's __start___jump_table and __stop___jump_table in the symbol
 * table tell: stop > start means entries.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "kernel_find.h"
#include "base/fsutil.h"

struct jt_bounds {
	bool has_start, has_stop;
	GElf_Addr start, stop;
};

/* Walk the symbol table @scn (header @sh) for the two symbols. */
static int scan_symtab(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, struct jt_bounds *b)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t entsize = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	size_t n;

	if (!data || !entsize || (data->d_size && !data->d_buf))
		return -EIO;
	n = data->d_size / entsize;
	for (size_t i = 1; i < n; i++) {	/* 0 is the undefined symbol */
		const char *name;
		GElf_Sym sym;

		if (!gelf_getsym(data, (int)i, &sym))
			return -EIO;
		if (sym.st_shndx == SHN_UNDEF || !sym.st_name)
			continue;
		/* NULL when sh_link or st_name points outside a string table. */
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name || strncmp(name, "__st", 4))
			continue;
		if (!strcmp(name, "__start___jump_table")) {
			b->has_start = true;
			b->start = sym.st_value;
		} else if (!strcmp(name, "__stop___jump_table")) {
			b->has_stop = true;
			b->stop = sym.st_value;
		}
		if (b->has_start && b->has_stop)
			break;
	}
	return 0;
}

int kernel_find__static_keys(const char *vmlinux)
{
	struct jt_bounds b = { 0 };
	bool symtab = false;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t shnum;
	Elf *elf;
	int fd, ret = 0;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EINVAL;
	fd = fsutil__open_regular(vmlinux);
	if (fd < 0)
		return fd;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrnum(elf, &shnum))
		ret = -EINVAL;
	while (!ret && !symtab && (scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh)) {
			ret = -EINVAL;
		} else if (sh.sh_type == SHT_SYMTAB) {
			symtab = true;
			if (sh.sh_link == SHN_UNDEF || sh.sh_link >= shnum)
				ret = -EINVAL;
			else
				ret = scan_symtab(elf, scn, &sh, &b);
		}
	}
	if (!ret && !symtab)
		ret = -EINVAL;		/* stripped: nothing to tell by */
	else if (!ret && b.has_start != b.has_stop)
		ret = -EINVAL;		/* one bound without the other: not a vmlinux */
	else if (!ret && b.has_start)
		ret = b.stop > b.start ? 1 : b.stop == b.start ? 0 : -EINVAL;
	elf_end(elf);
	close(fd);
	return ret;
}

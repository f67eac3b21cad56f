// SPDX-License-Identifier: GPL-2.0
/* A vmlinux's symbols by name (elf_syms.h). */
#include "elf_syms.h"

#include <errno.h>
#include <string.h>

/* Fill the wanted symbols' addresses from the symbol table @scn. */
static int scan(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, struct elf_sym_want *w, size_t nw)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t entsize = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT), n, found = 0;

	if (!data || !entsize || (data->d_size && !data->d_buf))
		return -EIO;
	n = data->d_size / entsize;
	for (size_t i = 1; i < n && found < nw; i++) {
		const char *name;
		GElf_Sym sym;

		if (!gelf_getsym(data, (int)i, &sym))
			return -EIO;
		if (sym.st_shndx == SHN_UNDEF || !sym.st_name)
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name)
			continue;
		for (size_t j = 0; j < nw; j++) {
			if (*w[j].addr || strcmp(name, w[j].name) ||
			    (w[j].object_only && GELF_ST_TYPE(sym.st_info) != STT_OBJECT))
				continue;
			*w[j].addr = sym.st_value;
			if (w[j].size)
				*w[j].size = sym.st_size;
			found++;
			break;
		}
	}
	return 0;
}

int elf_syms__find(Elf *elf, struct elf_sym_want *w, size_t nw)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t shnum;

	if (elf_getshdrnum(elf, &shnum))
		return -EINVAL;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		if (sh.sh_link == SHN_UNDEF || sh.sh_link >= shnum)
			return -EINVAL;
		return scan(elf, scn, &sh, w, nw);
	}
	return -ENOENT;
}

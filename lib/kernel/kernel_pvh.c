// SPDX-License-Identifier: GPL-2.0
/*
 * Does an ELF vmlinux have a PVH entry point? Linux with CONFIG_PVH carries a
 * Xen ELF note of type XEN_ELFNOTE_PHYS32_ENTRY (18) giving its 32-bit entry;
 * QEMU boots such an ELF directly (-kernel vmlinux) and refuses one without
 * it. Booting the ELF skips the bzImage's decompression: under TCG that is
 * a few hundred milliseconds of every VM's boot.
 */
#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "kernel_find.h"
#include "base/fsutil.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18

static bool section_has_pvh(Elf_Scn *scn)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;

	while (data && (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type == XEN_ELFNOTE_PHYS32_ENTRY && nh.n_namesz == 4 &&
		    !memcmp((const char *)data->d_buf + name_off, "Xen", 4))
			return true;
	}
	return false;
}

bool kernel_find__has_pvh(const char *path)
{
	Elf_Scn *scn = NULL;
	bool found = false;
	GElf_Shdr sh;
	Elf *elf;
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return false;
	fd = fsutil__open_regular(path);
	if (fd < 0)
		return false;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF) {
		while (!found && (scn = elf_nextscn(elf, scn))) {
			if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_NOTE)
				found = section_has_pvh(scn);
		}
	}
	elf_end(elf);
	close(fd);
	return found;
}

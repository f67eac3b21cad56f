// SPDX-License-Identifier: GPL-2.0
/*
 * An uncompressed ELF kernel (vmlinux, or a test guest) entered directly in
 * 64-bit mode: PT_LOAD segments are copied to their physical addresses
 * (p_paddr), and e_entry is taken as a physical address, as Linux's
 * vmlinux.lds has it (ENTRY(phys_startup_64)).
 */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "base/err.h"
#include "boot.h"

static int boot__elf_check(const struct boot_file *f, const Elf64_Ehdr *eh,
			   char *err, size_t errlen)
{
	if (f->size < sizeof(*eh))
		return err__set(-ENOEXEC, err, errlen, "%s: truncated ELF header (%zu bytes)",
				f->path, f->size);
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64)
		return err__set(-ENOEXEC, err, errlen,
				"%s: not a 64-bit x86-64 ELF (class %u, machine %u)", f->path,
				eh->e_ident[EI_CLASS], eh->e_machine);
	if (eh->e_type != ET_EXEC)
		return err__set(-ENOEXEC, err, errlen,
				"%s: ELF type %u is not an executable (ET_EXEC): link it static, not PIE",
				f->path, eh->e_type);
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || !eh->e_phnum ||
	    eh->e_phoff > f->size ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > f->size - eh->e_phoff)
		return err__set(-ENOEXEC, err, errlen,
				"%s: ELF program headers (%u at %#llx) lie outside the file",
				f->path, eh->e_phnum, (unsigned long long)eh->e_phoff);
	return 0;
}

int boot__load_elf(struct kvm *kvm, const struct boot_file *f, struct boot_info *info,
		   char *err, size_t errlen)
{
	Elf64_Ehdr eh;
	bool entry_ok = false;
	unsigned int loads = 0;
	int ret;

	memcpy(&eh, f->data, f->size < sizeof(eh) ? f->size : sizeof(eh));
	ret = boot__elf_check(f, &eh, err, errlen);
	if (ret)
		return ret;
	info->kernel_start = UINT64_MAX;
	info->kernel_end = 0;
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		uint8_t *dst;

		memcpy(&ph, f->data + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > f->size ||
		    ph.p_filesz > f->size - ph.p_offset)
			return err__set(-ENOEXEC, err, errlen,
					"%s: PT_LOAD %u (offset %#llx, %#llx bytes) lies outside the file",
					f->path, i, (unsigned long long)ph.p_offset,
					(unsigned long long)ph.p_filesz);
		dst = kvm__gpa(kvm, ph.p_paddr, ph.p_memsz);
		if (ph.p_paddr < BOOT_KERNEL_START || !dst)
			return err__set(-ENOEXEC, err, errlen,
					"%s: PT_LOAD %u at physical %#llx+%#llx is not inside guest RAM above 1 MiB (%llu MiB of RAM)",
					f->path, i, (unsigned long long)ph.p_paddr,
					(unsigned long long)ph.p_memsz,
					(unsigned long long)(kvm->ram_size >> 20));
		memcpy(dst, f->data + ph.p_offset, ph.p_filesz);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
		if (ph.p_paddr < info->kernel_start)
			info->kernel_start = ph.p_paddr;
		if (ph.p_paddr + ph.p_memsz > info->kernel_end)
			info->kernel_end = ph.p_paddr + ph.p_memsz;
		if (eh.e_entry >= ph.p_paddr && eh.e_entry - ph.p_paddr < ph.p_memsz)
			entry_ok = true;
		loads++;
	}
	if (!loads)
		return err__set(-ENOEXEC, err, errlen, "%s: ELF has no PT_LOAD segment", f->path);
	if (!entry_ok || eh.e_entry >= BOOT_IDENT_MAP_END)
		return err__set(-ENOEXEC, err, errlen,
				"%s: entry point %#llx is not inside a loaded segment below 1 GiB (is it a virtual address?)",
				f->path, (unsigned long long)eh.e_entry);
	info->bzimage = false;
	info->entry = eh.e_entry;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* PT_INTERP and the dynamic section of one ELF file, read with libelf (gelf). */
#include "elf_read.h"
#include "base/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void elf_info__free(struct elf_info *info)
{
	free(info->interp);
	free(info->soname);
	free(info->rpath);
	free(info->runpath);
	for (size_t i = 0; i < info->nneeded; i++)
		free(info->needed[i]);
	free(info->needed);
	memset(info, 0, sizeof(*info));
}

/* File offset of virtual address @addr through the PT_LOAD segments. */
static bool vaddr_to_off(Elf *e, size_t nph, uint64_t addr, uint64_t *off, uint64_t *room)
{
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (addr >= ph.p_vaddr && addr - ph.p_vaddr < ph.p_filesz) {
			*off = ph.p_offset + (addr - ph.p_vaddr);
			*room = ph.p_filesz - (addr - ph.p_vaddr);
			return true;
		}
	}
	return false;
}

static char *dup_str(const char *raw, size_t rawlen, uint64_t stroff, uint64_t strsz, uint64_t idx)
{
	const char *s, *nul;

	if (idx >= strsz || stroff > rawlen || strsz > rawlen - stroff)
		return NULL;
	s = raw + stroff + idx;
	nul = memchr(s, '\0', strsz - idx);
	return nul ? strndup(s, (size_t)(nul - s)) : NULL;
}

static int read_dynamic(Elf *e, const char *path, const GElf_Phdr *dyn, size_t nph,
			struct elf_info *info, char *err, size_t errlen)
{
	size_t rawlen, ndyn;
	const char *raw = elf_rawfile(e, &rawlen);
	uint64_t strtab = 0, strsz = 0, stroff, room;
	bool have_strtab = false;
	Elf_Data *d;

	if (!raw || dyn->p_offset > rawlen || dyn->p_filesz > rawlen - dyn->p_offset)
		goto bad;
	d = elf_getdata_rawchunk(e, (int64_t)dyn->p_offset, dyn->p_filesz, ELF_T_DYN);
	if (!d)
		goto bad;
	ndyn = dyn->p_filesz / sizeof(Elf64_Dyn);
	for (size_t i = 0; i < ndyn; i++) {
		GElf_Dyn dy;

		if (!gelf_getdyn(d, (int)i, &dy) || dy.d_tag == DT_NULL)
			break;
		if (dy.d_tag == DT_STRTAB) {
			strtab = dy.d_un.d_ptr;
			have_strtab = true;
		} else if (dy.d_tag == DT_STRSZ) {
			strsz = dy.d_un.d_val;
		}
	}
	if (!have_strtab)
		return 0;	/* nothing named: no needed libraries */
	if (!vaddr_to_off(e, nph, strtab, &stroff, &room) || strsz > room)
		goto bad;
	for (size_t i = 0; i < ndyn; i++) {
		GElf_Dyn dy;
		char *s, **v;

		if (!gelf_getdyn(d, (int)i, &dy) || dy.d_tag == DT_NULL)
			break;
		if (dy.d_tag != DT_NEEDED && dy.d_tag != DT_SONAME && dy.d_tag != DT_RPATH &&
		    dy.d_tag != DT_RUNPATH)
			continue;
		s = dup_str(raw, rawlen, stroff, strsz, dy.d_un.d_val);
		if (!s)
			goto bad;
		switch (dy.d_tag) {
		case DT_NEEDED:
			v = realloc(info->needed, (info->nneeded + 1) * sizeof(*v));
			if (!v) {
				free(s);
				snprintf(err, errlen, "out of memory reading %s", path);
				return -ENOMEM;
			}
			info->needed = v;
			v[info->nneeded++] = s;
			break;
		case DT_SONAME:
			free(info->soname);
			info->soname = s;
			break;
		case DT_RPATH:
			free(info->rpath);
			info->rpath = s;
			break;
		default:
			free(info->runpath);
			info->runpath = s;
			break;
		}
	}
	return 0;
bad:
	snprintf(err, errlen, "%s: malformed dynamic section (%s)", path,
		 elf_errno() ? elf_errmsg(-1) : "offsets outside the file");
	return -ENOEXEC;
}

static int read_elf(Elf *e, const char *path, struct elf_info *info, char *err, size_t errlen)
{
	GElf_Ehdr eh;
	size_t nph;
	int ret;

	if (elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		snprintf(err, errlen, "%s is not an ELF file", path);
		return -ENOEXEC;
	}
	if (gelf_getclass(e) != ELFCLASS64) {
		snprintf(err, errlen, "%s is a 32-bit ELF: ktstr guests are x86_64, give a 64-bit build",
			 path);
		return -ENOEXEC;
	}
	if (eh.e_machine != EM_X86_64 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		snprintf(err, errlen, "%s is an ELF for machine %u, not x86_64: ktstr guests are x86_64",
			 path, eh.e_machine);
		return -ENOEXEC;
	}
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) {
		snprintf(err, errlen, "%s is an ELF %s, not an executable or shared library", path,
			 eh.e_type == ET_REL ? "object file" : eh.e_type == ET_CORE ? "core dump" :
			 "of unknown type");
		return -ENOEXEC;
	}
	info->type = eh.e_type;
	if (elf_getphdrnum(e, &nph)) {
		snprintf(err, errlen, "%s: cannot read program headers: %s", path, elf_errmsg(-1));
		return -ENOEXEC;
	}
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		size_t rawlen;
		const char *raw;

		if (!gelf_getphdr(e, (int)i, &ph))
			continue;
		if (ph.p_type == PT_DYNAMIC) {
			ret = read_dynamic(e, path, &ph, nph, info, err, errlen);
			if (ret)
				return ret;
		} else if (ph.p_type == PT_INTERP) {
			raw = elf_rawfile(e, &rawlen);
			if (!raw || ph.p_offset > rawlen || ph.p_filesz > rawlen - ph.p_offset ||
			    !ph.p_filesz || !memchr(raw + ph.p_offset, '\0', ph.p_filesz) ||
			    raw[ph.p_offset] != '/') {
				snprintf(err, errlen, "%s: malformed PT_INTERP", path);
				return -ENOEXEC;
			}
			free(info->interp);
			info->interp = strdup(raw + ph.p_offset);
			if (!info->interp) {
				snprintf(err, errlen, "out of memory reading %s", path);
				return -ENOMEM;
			}
		}
	}
	return 0;
}

int elf_read(const char *path, struct elf_info *info, char *err, size_t errlen)
{
	Elf *e;
	int fd, ret;

	memset(info, 0, sizeof(*info));
	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(err, errlen, "libelf is too old: %s", elf_errmsg(-1));
		return -ENOSYS;
	}
	fd = fsutil__open_regular(path);
	if (fd < 0) {
		ret = fd;
		snprintf(err, errlen, "cannot open %s: %s", path, fsutil__strerror(-ret));
		return ret;
	}
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e) {
		snprintf(err, errlen, "%s is not an ELF file (%s)", path, elf_errmsg(-1));
		close(fd);
		return -ENOEXEC;
	}
	ret = read_elf(e, path, info, err, errlen);
	elf_end(e);
	close(fd);
	if (ret)
		elf_info__free(info);
	return ret;
}

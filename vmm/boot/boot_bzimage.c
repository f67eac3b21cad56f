// SPDX-License-Identifier: GPL-2.0
/*
 * A bzImage by the Linux x86 boot protocol (Documentation/arch/x86/boot.rst),
 * entered at its 64-bit entry point: the protected-mode part goes to 1 MiB,
 * or, for a kernel built without CONFIG_RELOCATABLE, to its pref_address
 * (16 MiB by default: ktstr's lean kernel is one), and the 64-bit entry is
 * 0x200 bytes into it.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "base/err.h"
#include "boot.h"

#define SETUP_HDR_OFF		0x1f1u
#define BZ_MIN_PROTOCOL		0x0206u
#define BZ_LOADED_HIGH		0x01u
#define BZ_XLF_KERNEL_64	0x01u
#define BZ_ENTRY64_OFF		0x200u

/* The header's end as far as the fields this loader reads go (init_size). */
#define SETUP_HDR_NEEDED (SETUP_HDR_OFF + offsetof(struct setup_header, handover_offset))

static int boot__bz_check(const struct boot_file *f, const struct setup_header *h,
			  char *err, size_t errlen)
{
	uint16_t v = h->version;

	if (memcmp(&h->header, "HdrS", 4))
		return err__set(-ENOEXEC, err, errlen,
				"%s: not a bzImage: no HdrS signature at 0x202", f->path);
	if (h->boot_flag != 0xAA55)
		return err__set(-ENOEXEC, err, errlen,
				"%s: not a bzImage: boot flag at 0x1fe is %#x, not 0xaa55", f->path,
				h->boot_flag);
	if (v < BZ_MIN_PROTOCOL)
		return err__set(-ENOEXEC, err, errlen,
				"%s: boot protocol %u.%02u is older than 2.06 (Linux 2.6.22): no 64-bit boot",
				f->path, v >> 8, v & 0xff);
	if (!(h->loadflags & BZ_LOADED_HIGH))
		return err__set(-ENOEXEC, err, errlen,
				"%s: a zImage (loaded low at 0x10000): only bzImage is supported",
				f->path);
	if (v >= 0x020c && !(h->xloadflags & BZ_XLF_KERNEL_64))
		return err__set(-ENOEXEC, err, errlen,
				"%s: no 64-bit entry point (XLF_KERNEL_64 clear): is it a 32-bit kernel? Build an x86_64 kernel",
				f->path);
	/* Not relocatable: it runs where it was linked, pref_address (2.10+). */
	if (!h->relocatable_kernel && v < 0x020a)
		return err__set(-ENOEXEC, err, errlen,
				"%s: not relocatable (CONFIG_RELOCATABLE off) and boot protocol %u.%02u has no pref_address to load it at",
				f->path, v >> 8, v & 0xff);
	if (!h->relocatable_kernel &&
	    (h->pref_address < BOOT_KERNEL_START || h->pref_address & 0xfff ||
	     h->pref_address >= BOOT_IDENT_MAP_END))
		return err__set(-ENOEXEC, err, errlen,
				"%s: not relocatable (CONFIG_RELOCATABLE off) and wants to run at %#llx, not a page-aligned address between 1 MiB and 1 GiB",
				f->path, (unsigned long long)h->pref_address);
	return 0;
}

int boot__load_bzimage(struct kvm *kvm, const struct boot_file *f, struct boot_params *bp,
		       struct boot_info *info, char *err, size_t errlen)
{
	struct setup_header h;
	size_t hdr_end, setup_size, kernel_size;
	uint64_t need, load;
	uint8_t *dst;
	int ret;

	if (f->size < 0x206 || memcmp(f->data + 0x202, "HdrS", 4))
		return err__set(-ENOEXEC, err, errlen,
				"%s: not an ELF file, and not a bzImage: no HdrS signature at 0x202",
				f->path);
	if (f->size < SETUP_HDR_NEEDED)
		return err__set(-ENOEXEC, err, errlen,
				"%s: truncated setup header: the file is %zu bytes, the header needs %#x",
				f->path, f->size, (unsigned int)SETUP_HDR_NEEDED);
	memcpy(&h, f->data + SETUP_HDR_OFF, sizeof(h) < f->size - SETUP_HDR_OFF ?
	       sizeof(h) : f->size - SETUP_HDR_OFF);
	ret = boot__bz_check(f, &h, err, errlen);
	if (ret)
		return ret;

	setup_size = ((size_t)(h.setup_sects ? h.setup_sects : 4) + 1) * 512;
	if (setup_size + BZ_ENTRY64_OFF >= f->size)
		return err__set(-ENOEXEC, err, errlen,
				"%s: truncated: %u setup sectors but the file is only %zu bytes",
				f->path, h.setup_sects, f->size);
	kernel_size = f->size - setup_size;
	need = kernel_size;
	if (h.version >= 0x020a && h.init_size > need)
		need = h.init_size;
	load = h.relocatable_kernel ? BOOT_KERNEL_START : h.pref_address;
	dst = kvm__gpa(kvm, load, need);
	if (!dst || load + need > BOOT_IDENT_MAP_END)
		return err__set(-ENOEXEC, err, errlen,
				"%s: the kernel needs %llu MiB from %llu MiB (init_size), more than guest RAM below 1 GiB",
				f->path, (unsigned long long)(need >> 20) + 1,
				(unsigned long long)(load >> 20));
	memcpy(dst, f->data + setup_size, kernel_size);

	/* The header runs to 0x202 + the byte at 0x201 (the jump's offset). */
	hdr_end = 0x202 + (size_t)f->data[0x201];
	if (hdr_end > f->size)
		hdr_end = f->size;
	if (hdr_end > SETUP_HDR_OFF + sizeof(bp->hdr))
		hdr_end = SETUP_HDR_OFF + sizeof(bp->hdr);
	memcpy(&bp->hdr, f->data + SETUP_HDR_OFF, hdr_end - SETUP_HDR_OFF);

	info->bzimage = true;
	info->protocol = h.version;
	info->entry = load + BZ_ENTRY64_OFF;
	info->kernel_start = load;
	info->kernel_end = load + need;
	return 0;
}

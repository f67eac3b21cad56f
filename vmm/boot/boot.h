/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room vmm/boot, the x86_64 boot protocol: a bzImage or ELF vmlinux and the
 * initramfs loaded into guest RAM, boot_params with the E820 map and the
 * command line, the GDT, the identity-mapped page tables and the boot CPU's
 * registers. It may include lib/base and vmm/kvm (guest RAM).
 */

/*
 * Loading a kernel into guest RAM by the Linux x86 boot protocol, 64-bit
 * entry (Firecracker's layout; ktstr-internals(7), THE GUEST):
 *   0x500   GDT: NULL, CODE 0xa09b, DATA 0xc093, TSS 0x808b
 *   0x520   IDT (empty: any exception before the guest sets its own is a
 *           triple fault, reported as such)
 *   0x7000  boot_params (the zero page), passed in RSI
 *   0x8ff0  initial RSP and RBP
 *   0x9000  PML4, 0xa000 PDPT, 0xb000 PD: identity map of the first 1 GiB
 *           with 2 MiB pages
 *   0x20000 kernel command line
 *   1 MiB   kernel: a bzImage's protected-mode part (entry at +0x200; at its
 *           pref_address, 16 MiB, when it is not relocatable), or
 *           an ELF's PT_LOAD segments at their physical addresses
 *   128 MiB initramfs (lower when RAM is small)
 */
#ifndef KTSTR_VMM_BOOT_H
#define KTSTR_VMM_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/kvm.h>

#include "kvm/kvm.h"

#define BOOT_GDT_ADDR		0x500ull
#define BOOT_IDT_ADDR		0x520ull
#define BOOT_ZERO_PAGE		0x7000ull
#define BOOT_STACK		0x8ff0ull
#define BOOT_PML4		0x9000ull
#define BOOT_PDPT		0xa000ull
#define BOOT_PD			0xb000ull
#define BOOT_CMDLINE		0x20000ull
#define BOOT_CMDLINE_MAX	4096u		/* NUL included */
#define BOOT_KERNEL_START	0x100000ull
#define BOOT_INITRD_ADDR	0x8000000ull
#define BOOT_IDENT_MAP_END	0x40000000ull	/* what the page tables map */
#define BOOT_RSDP_ADDR		0xE0000ull

struct boot_opts {
	const char *kernel;		/* ELF vmlinux / test guest, or bzImage */
	const char *initrd;		/* NULL: none */
	const char *cmdline;		/* NULL: empty */
	uint64_t rsdp_addr;		/* boot_params.acpi_rsdp_addr; 0: none */
};

struct boot_info {
	bool bzimage;
	uint64_t entry;			/* guest-physical 64-bit entry point */
	uint64_t kernel_start, kernel_end;	/* guest-physical, end exclusive */
	uint64_t initrd_addr, initrd_size;
	uint16_t protocol;		/* bzImage boot protocol version; 0 for ELF */
};

/*
 * Load @o->kernel (and the initramfs), write the zero page, the command line,
 * the GDT, IDT and page tables into @kvm's RAM (only kvm->ram, ram_size,
 * low_size and shm_size are used, so tests can pass a plain buffer). Returns
 * 0 or -errno with a message in @err that says what is wrong with which file.
 */
int boot__load(struct kvm *kvm, const struct boot_opts *o, struct boot_info *info,
	       char *err, size_t errlen);

/* The boot CPU's registers for the 64-bit entry at @info->entry. */
void boot__bsp_regs(const struct boot_info *info, struct kvm_regs *regs,
		    struct kvm_sregs *sregs);

/* ---- internal to boot*.c ---- */

struct boot_file {
	const char *path;
	const uint8_t *data;
	size_t size;
};

int boot__map_file(const char *path, const char *what, struct boot_file *f,
		   char *err, size_t errlen);
void boot__unmap_file(struct boot_file *f);
/* Is this file an ELF / does it have a bzImage header (without judging it)? */
bool boot__is_elf(const struct boot_file *f);
/*
 * Check a bzImage's setup header and copy its protected-mode part to 1 MiB;
 * copy the setup header into @bp. -ENOEXEC with the reason on a bad header.
 */
int boot__load_bzimage(struct kvm *kvm, const struct boot_file *f, struct boot_params *bp,
		       struct boot_info *info, char *err, size_t errlen);
/* Check an ELF64 x86-64 executable and copy its PT_LOAD segments. */
int boot__load_elf(struct kvm *kvm, const struct boot_file *f, struct boot_info *info,
		   char *err, size_t errlen);

/* GDT descriptor flags of the flat 64-bit code, data and TSS segments. */
#define GDT_CODE	0xa09bu
#define GDT_DATA	0xc093u
#define GDT_TSS		0x808bu

/* A GDT descriptor with @flags, @base and a 20-bit @limit. */
uint64_t boot__gdt_entry(uint16_t flags, uint32_t base, uint32_t limit);
/* The KVM segment register for GDT entry @index with descriptor @flags. */
struct kvm_segment boot__segment(uint16_t flags, unsigned int index);

#endif

// SPDX-License-Identifier: GPL-2.0
/* The zero page, command line, initramfs, GDT and page tables; BSP registers. */
#include <errno.h>
#include <string.h>

#include "base/err.h"
#include "boot.h"

#define PTE_P		0x1ull
#define PTE_RW		0x2ull
#define PTE_PS		0x80ull
#define X86_CR0_PE	0x1ull
#define X86_CR0_PG	0x80000000ull
#define X86_CR4_PAE	0x20ull
#define EFER_LME	0x100ull
#define EFER_LMA	0x400ull


uint64_t boot__gdt_entry(uint16_t flags, uint32_t base, uint32_t limit)
{
	return ((uint64_t)(base & 0xff000000u) << 32) | ((uint64_t)(base & 0x00ffffffu) << 16) |
	       (limit & 0xffffu) | ((uint64_t)(limit & 0xf0000u) << 32) |
	       ((uint64_t)(flags & 0xf0ffu) << 40);
}

struct kvm_segment boot__segment(uint16_t flags, unsigned int index)
{
	struct kvm_segment s = {
		.base = 0,
		.limit = 0xffffffff,	/* 0xfffff pages, G=1 */
		.selector = (uint16_t)(index * 8),
		.type = flags & 0xf,
		.present = (flags >> 7) & 1,
		.dpl = (flags >> 5) & 3,
		.db = (flags >> 14) & 1,
		.s = (flags >> 4) & 1,
		.l = (flags >> 13) & 1,
		.g = (flags >> 15) & 1,
	};
	return s;
}

static void boot__tables(struct kvm *kvm)
{
	uint64_t *gdt = kvm__gpa(kvm, BOOT_GDT_ADDR, 4 * 8);
	uint64_t *idt = kvm__gpa(kvm, BOOT_IDT_ADDR, 8);
	uint64_t *pml4 = kvm__gpa(kvm, BOOT_PML4, 4096);
	uint64_t *pdpt = kvm__gpa(kvm, BOOT_PDPT, 4096);
	uint64_t *pd = kvm__gpa(kvm, BOOT_PD, 4096);

	gdt[0] = 0;
	gdt[1] = boot__gdt_entry(GDT_CODE, 0, 0xfffff);
	gdt[2] = boot__gdt_entry(GDT_DATA, 0, 0xfffff);
	gdt[3] = boot__gdt_entry(GDT_TSS, 0, 0xfffff);
	idt[0] = 0;
	memset(pml4, 0, 4096);
	memset(pdpt, 0, 4096);
	pml4[0] = BOOT_PDPT | PTE_P | PTE_RW;
	pdpt[0] = BOOT_PD | PTE_P | PTE_RW;
	for (uint64_t i = 0; i < 512; i++)
		pd[i] = (i << 21) | PTE_P | PTE_RW | PTE_PS;
}

void boot__bsp_regs(const struct boot_info *info, struct kvm_regs *regs,
		    struct kvm_sregs *sregs)
{
	memset(regs, 0, sizeof(*regs));
	regs->rflags = 0x2;
	regs->rip = info->entry;
	regs->rsp = BOOT_STACK;
	regs->rbp = BOOT_STACK;
	regs->rsi = BOOT_ZERO_PAGE;

	sregs->gdt.base = BOOT_GDT_ADDR;
	sregs->gdt.limit = 4 * 8 - 1;
	sregs->idt.base = BOOT_IDT_ADDR;
	sregs->idt.limit = 8 - 1;
	sregs->cs = boot__segment(GDT_CODE, 1);
	sregs->ds = boot__segment(GDT_DATA, 2);
	sregs->es = sregs->ds;
	sregs->fs = sregs->ds;
	sregs->gs = sregs->ds;
	sregs->ss = sregs->ds;
	sregs->tr = boot__segment(GDT_TSS, 3);
	sregs->cr3 = BOOT_PML4;
	sregs->cr4 |= X86_CR4_PAE;
	sregs->cr0 |= X86_CR0_PE | X86_CR0_PG;
	sregs->efer |= EFER_LME | EFER_LMA;
}

/* The end of RAM below the MMIO gap that E820 hands out. */
static uint64_t boot__low_usable(const struct kvm *kvm)
{
	uint64_t usable = kvm->ram_size - kvm->shm_size;

	return usable < kvm->low_size ? usable : kvm->low_size;
}

static int boot__initrd(struct kvm *kvm, const struct boot_opts *o, struct boot_params *bp,
			struct boot_info *info, char *err, size_t errlen)
{
	uint64_t limit = boot__low_usable(kvm), addr, lo;
	struct boot_file f;
	int ret;

	ret = boot__map_file(o->initrd, "initramfs", &f, err, errlen);
	if (ret)
		return ret;
	if (info->bzimage && bp->hdr.initrd_addr_max && bp->hdr.initrd_addr_max < limit - 1)
		limit = (uint64_t)bp->hdr.initrd_addr_max + 1;
	if (limit > 0xffffffffull)
		limit = 0xffffffffull;
	lo = (info->kernel_end + 0xfff) & ~0xfffull;
	addr = BOOT_INITRD_ADDR;
	if (addr < lo || f.size > limit || addr > limit - f.size)
		addr = f.size <= limit ? (limit - f.size) & ~0xfffull : 0;
	if (f.size > limit || addr < lo || !kvm__gpa(kvm, addr, f.size)) {
		ret = err__set(-ENOSPC, err, errlen,
			       "initramfs %s (%zu KiB) does not fit in guest RAM between the kernel and %#llx: give the VM more memory",
			       o->initrd, f.size >> 10, (unsigned long long)limit);
		boot__unmap_file(&f);
		return ret;
	}
	memcpy(kvm__gpa(kvm, addr, f.size), f.data, f.size);
	bp->hdr.ramdisk_image = (uint32_t)addr;
	bp->hdr.ramdisk_size = (uint32_t)f.size;
	info->initrd_addr = addr;
	info->initrd_size = f.size;
	boot__unmap_file(&f);
	return 0;
}

int boot__load(struct kvm *kvm, const struct boot_opts *o, struct boot_info *info,
	       char *err, size_t errlen)
{
	const char *cmdline = o->cmdline ? o->cmdline : "";
	size_t cmdlen = strlen(cmdline), cmdmax = BOOT_CMDLINE_MAX - 1;
	struct boot_params *bp;
	struct boot_file f;
	int ret;

	memset(info, 0, sizeof(*info));
	if (kvm->ram_size < 2 * BOOT_KERNEL_START || !kvm__gpa(kvm, 0, BOOT_KERNEL_START))
		return err__set(-EINVAL, err, errlen,
				"guest RAM of %llu bytes is too small to boot",
				(unsigned long long)kvm->ram_size);
	bp = kvm__gpa(kvm, BOOT_ZERO_PAGE, sizeof(*bp));
	memset(bp, 0, sizeof(*bp));

	ret = boot__map_file(o->kernel, "kernel", &f, err, errlen);
	if (ret)
		return ret;
	if (boot__is_elf(&f))
		ret = boot__load_elf(kvm, &f, info, err, errlen);
	else
		ret = boot__load_bzimage(kvm, &f, bp, info, err, errlen);
	boot__unmap_file(&f);
	if (ret)
		return ret;

	if (info->bzimage && bp->hdr.cmdline_size && bp->hdr.cmdline_size < cmdmax)
		cmdmax = bp->hdr.cmdline_size;
	if (cmdlen > cmdmax)
		return err__set(-E2BIG, err, errlen,
				"kernel command line is %zu bytes, the kernel takes at most %zu",
				cmdlen, cmdmax);
	memcpy(kvm__gpa(kvm, BOOT_CMDLINE, cmdlen + 1), cmdline, cmdlen + 1);

	bp->hdr.type_of_loader = 0xff;
	bp->hdr.boot_flag = 0xaa55;
	memcpy(&bp->hdr.header, "HdrS", 4);
	bp->hdr.loadflags |= 0x01;	/* LOADED_HIGH */
	bp->hdr.cmd_line_ptr = (uint32_t)BOOT_CMDLINE;
	bp->hdr.cmdline_size = (uint32_t)cmdlen + 1;
	bp->hdr.kernel_alignment = 0x1000000;
	bp->acpi_rsdp_addr = o->rsdp_addr;
	bp->e820_entries = (uint8_t)kvm__e820(kvm, bp->e820_table, E820_MAX_ENTRIES_ZEROPAGE);

	if (o->initrd) {
		ret = boot__initrd(kvm, o, bp, info, err, errlen);
		if (ret)
			return ret;
	}
	boot__tables(kvm);
	return 0;
}

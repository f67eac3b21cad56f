// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the kernel image loaders: the VMM's (boot__load, vmm/boot: a bzImage's
 * setup header or an ELF's program headers, then the zero page, the command
 * line and an initramfs placed after the kernel) and the readers that judge a
 * kernel file before a boot (lib/kernel: is it an image, has it a PVH entry
 * note, does it patch static keys; initramfs/kmods.c: the bzImage's release
 * string). Input: the kernel file, as it would be on disk. The VMM has 48 MiB
 * of RAM here (a non-relocatable kernel wants 16 MiB + init_size); what loads
 * must lie in it, above 1 MiB, its entry point inside; odd-sized inputs come
 * with an initramfs, which must land above the kernel.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "fuzz_memfd.h"
#include "kernel/kernel_find.h"
#include "kmods.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RAM_SIZE (48ull << 20)

static int kfd = -1, ifd = -1;
static char kpath[64], ipath[64];
static struct kvm vm;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t initrd[8192] = { '0', '7', '0', '7', '0', '1' };
	struct boot_opts o = { .cmdline = "console=ttyS0 quiet panic=-1 ktstr.fuzz=1" };
	struct boot_info info;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	char err[512], rel[128];

	if (!vm.ram) {
		vm.ram = calloc(1, RAM_SIZE);
		vm.ram_size = vm.low_size = RAM_SIZE;
		if (!vm.ram)
			abort();
		fuzz_memfd(&ifd, ipath, sizeof(ipath), initrd, sizeof(initrd));
	}
	fuzz_memfd(&kfd, kpath, sizeof(kpath), data, size);
	o.kernel = kpath;
	/* Every other input with an initramfs: its placement reads the header. */
	o.initrd = size & 1 ? ipath : NULL;
	err[0] = '\0';
	if (boot__load(&vm, &o, &info, err, sizeof(err))) {
		if (!err[0])
			abort();
	} else {
		if (info.kernel_start < BOOT_KERNEL_START || info.kernel_end > RAM_SIZE ||
		    info.kernel_start >= info.kernel_end || info.entry < info.kernel_start ||
		    info.entry >= info.kernel_end)
			abort();
		if (o.initrd && (info.initrd_addr < info.kernel_end ||
				 info.initrd_addr + info.initrd_size > RAM_SIZE ||
				 info.initrd_size != sizeof(initrd)))
			abort();
		if (kernel_find__is_image(kpath) != 1)
			abort();	/* the VMM boots what the finder would not take */
		boot__bsp_regs(&info, &regs, &sregs);
	}
	(void)kernel_find__has_pvh(kpath);
	(void)kernel_find__static_keys(kpath);
	if (!kmods__image_release(kpath, rel, sizeof(rel), err, sizeof(err)) &&
	    (!rel[0] || strchr(rel, ' ')))
		abort();
	return 0;
}

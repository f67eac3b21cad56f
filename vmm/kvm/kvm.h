/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room vmm/kvm, the bottom of the VMM: the KVM ioctl layer (/dev/kvm, the VM
 * fd, guest RAM and its memory slots, capabilities, the in-kernel irqchip and
 * PIT). It may include lib/base only; vmm/boot and the vmm top build on it.
 */

/*
 * The KVM VM: /dev/kvm, API and capability checks, the VM fd, guest RAM
 * (one anonymous mapping, two memory slots around the 3-4 GiB MMIO gap),
 * the TSS and identity-map pages, the in-kernel irqchip and PIT.
 *
 * Guest physical layout (ktstr-internals(7), THE GUEST):
 *   [0, low)                 slot 0, host ram + 0       low = min(ram, 3 GiB)
 *   [3 GiB, 4 GiB)           MMIO gap (virtio-mmio, IOAPIC, LAPIC, TSS)
 *   [4 GiB, 4 GiB + high)    slot 1, host ram + low     high = ram - low
 * The top @shm_size bytes of RAM are left out of the E820 map.
 */
#ifndef KTSTR_VMM_KVM_H
#define KTSTR_VMM_KVM_H

#include <stddef.h>
#include <stdint.h>

#include <asm/bootparam.h>

#define KVM_MMIO_GAP_START	0xC0000000ull
#define KVM_MMIO_GAP_END	0x100000000ull
#define KVM_TSS_ADDR		0xfffbd000ull
#define KVM_IDENTITY_MAP_ADDR	(KVM_TSS_ADDR + 3 * 4096)
#define KVM_LOW_RAM_END		0x9FC00ull	/* E820 entry 0 ends here (EBDA above) */
#define KVM_HIGH_RAM_START	0x100000ull

struct kvm {
	int sys_fd;
	int vm_fd;
	int run_size;		/* bytes of a vCPU's struct kvm_run mapping */
	uint8_t *ram;		/* MAP_FAILED-free: NULL when not mapped */
	uint64_t ram_size;
	uint64_t low_size;	/* bytes of RAM at GPA 0 */
	uint64_t shm_size;	/* top bytes of RAM kept out of the E820 map */
};

/* Fill with closed values so kvm__close() is safe at any point. */
void kvm__init(struct kvm *kvm);
/*
 * Open /dev/kvm, check API version 12 and the capabilities the VMM needs,
 * create the VM with @ram_size bytes of RAM (at least 2 MiB, a multiple of
 * 4 KiB), its TSS/identity-map addresses, irqchip and PIT. On error returns
 * -errno with a message in @err that says what to do; call kvm__close().
 */
int kvm__open(struct kvm *kvm, uint64_t ram_size, uint64_t shm_size, char *err, size_t errlen);
void kvm__close(struct kvm *kvm);
/* The first step of kvm__open(): open @path, check the API version and caps. */
int kvm__open_dev(struct kvm *kvm, const char *path, char *err, size_t errlen);

/* Host pointer for guest-physical [gpa, gpa+len) when it lies in RAM, else NULL. */
void *kvm__gpa(const struct kvm *kvm, uint64_t gpa, uint64_t len);
/* Guest-physical address of the SHM region (the top of RAM), 0 if none. */
uint64_t kvm__shm_gpa(const struct kvm *kvm);
/* Write the E820 map into @e (up to @max entries). Returns the number written. */
unsigned int kvm__e820(const struct kvm *kvm, struct boot_e820_entry *e, unsigned int max);

/*
 * KVM_GET_SUPPORTED_CPUID into a malloc'd list (free() it), with room for
 * @extra more entries beyond nent. -errno with a message on failure.
 */
struct kvm_cpuid2;
int kvm__supported_cpuid(const struct kvm *kvm, unsigned int extra, struct kvm_cpuid2 **out,
			 char *err, size_t errlen);

/* IRR of the in-kernel PICs (master in bits 0-7, slave in 8-15). */
int kvm__pic_irr(const struct kvm *kvm, uint16_t *irr);

/* ioctl(/dev/kvm, KVM_CHECK_EXTENSION, cap) > 0 */
int kvm__has_cap(const struct kvm *kvm, long cap);

#endif

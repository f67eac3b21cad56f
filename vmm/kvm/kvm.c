// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "base/err.h"
#include "kvm.h"

static const struct {
	long cap;
	const char *name;
} kvm_required_caps[] = {
	{ KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP" },
	{ KVM_CAP_IOEVENTFD, "KVM_CAP_IOEVENTFD" },
	{ KVM_CAP_IRQFD, "KVM_CAP_IRQFD" },
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
	{ KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR" },
	{ KVM_CAP_PIT2, "KVM_CAP_PIT2" },
	{ KVM_CAP_PIT_STATE2, "KVM_CAP_PIT_STATE2" },
	{ KVM_CAP_ADJUST_CLOCK, "KVM_CAP_ADJUST_CLOCK" },
	{ KVM_CAP_DEBUGREGS, "KVM_CAP_DEBUGREGS" },
	{ KVM_CAP_MP_STATE, "KVM_CAP_MP_STATE" },
	{ KVM_CAP_VCPU_EVENTS, "KVM_CAP_VCPU_EVENTS" },
	{ KVM_CAP_XCRS, "KVM_CAP_XCRS" },
	{ KVM_CAP_XSAVE, "KVM_CAP_XSAVE" },
	{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
};

void kvm__init(struct kvm *kvm)
{
	memset(kvm, 0, sizeof(*kvm));
	kvm->sys_fd = -1;
	kvm->vm_fd = -1;
}

int kvm__has_cap(const struct kvm *kvm, long cap)
{
	return ioctl(kvm->sys_fd, KVM_CHECK_EXTENSION, cap) > 0;
}

int kvm__open_dev(struct kvm *kvm, const char *path, char *err, size_t errlen)
{
	int ver;

	kvm->sys_fd = open(path, O_RDWR | O_CLOEXEC);
	if (kvm->sys_fd < 0) {
		int e = errno;

		if (e == ENOENT)
			return err__set(-e, err, errlen,
					"no %s: load kvm_intel or kvm_amd, or use --vmm qemu", path);
		if (e == EACCES || e == EPERM)
			return err__set(-e, err, errlen,
					"%s: permission denied: add yourself to the kvm group (sudo usermod -aG kvm $USER, then log in again), or use --vmm qemu",
					path);
		return err__set(-e, err, errlen, "%s: %s", path, strerror(e));
	}
	ver = ioctl(kvm->sys_fd, KVM_GET_API_VERSION, 0);
	if (ver < 0) {
		int e = errno;

		return err__set(-ENODEV, err, errlen,
				"%s is not a KVM device (KVM_GET_API_VERSION: %s)", path,
				strerror(e));
	}
	if (ver != KVM_API_VERSION)
		return err__set(-ENOTSUP, err, errlen, "%s: KVM API version %d, need %d", path, ver,
				KVM_API_VERSION);
	for (size_t i = 0; i < sizeof(kvm_required_caps) / sizeof(kvm_required_caps[0]); i++) {
		if (!kvm__has_cap(kvm, kvm_required_caps[i].cap))
			return err__set(-ENOTSUP, err, errlen,
					"%s lacks %s, which the in-process VMM needs: use --vmm qemu",
					path, kvm_required_caps[i].name);
	}
	kvm->run_size = ioctl(kvm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (kvm->run_size < (int)sizeof(struct kvm_run))
		return err__set(-ENOTSUP, err, errlen, "KVM_GET_VCPU_MMAP_SIZE: %s",
				kvm->run_size < 0 ? strerror(errno) : "too small");
	return 0;
}

static int kvm__set_slot(struct kvm *kvm, uint32_t slot, uint64_t gpa, uint64_t size,
			 void *host, char *err, size_t errlen)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};

	if (ioctl(kvm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0) {
		int e = errno;

		return err__set(-e, err, errlen,
				"KVM_SET_USER_MEMORY_REGION slot %u (%#llx+%#llx): %s", slot,
				(unsigned long long)gpa, (unsigned long long)size, strerror(e));
	}
	return 0;
}

static int kvm__setup_ram(struct kvm *kvm, uint64_t ram_size, uint64_t shm_size,
			  char *err, size_t errlen)
{
	void *p;
	int ret;

	if (ram_size < (2u << 20) || ram_size % 4096 || shm_size % 4096 ||
	    shm_size > ram_size / 2 || ram_size > (1ull << 40))
		return err__set(-EINVAL, err, errlen,
				"guest RAM %llu bytes (SHM %llu): need 2 MiB..1 TiB in 4 KiB pages, SHM at most half",
				(unsigned long long)ram_size, (unsigned long long)shm_size);
	p = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		int e = errno;

		return err__set(-e, err, errlen, "mmap of %llu MiB guest RAM: %s",
				(unsigned long long)(ram_size >> 20), strerror(e));
	}
	kvm->ram = p;
	kvm->ram_size = ram_size;
	kvm->shm_size = shm_size;
	kvm->low_size = ram_size < KVM_MMIO_GAP_START ? ram_size : KVM_MMIO_GAP_START;

	ret = kvm__set_slot(kvm, 0, 0, kvm->low_size, kvm->ram, err, errlen);
	if (!ret && ram_size > kvm->low_size)
		ret = kvm__set_slot(kvm, 1, KVM_MMIO_GAP_END, ram_size - kvm->low_size,
				    kvm->ram + kvm->low_size, err, errlen);
	return ret;
}

static int kvm__vm_ioctl(struct kvm *kvm, unsigned long req, void *arg, const char *what,
			 char *err, size_t errlen)
{
	if (ioctl(kvm->vm_fd, req, arg) < 0) {
		int e = errno;

		return err__set(-e, err, errlen, "%s: %s", what, strerror(e));
	}
	return 0;
}

int kvm__open(struct kvm *kvm, uint64_t ram_size, uint64_t shm_size, char *err, size_t errlen)
{
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
	uint64_t ident = KVM_IDENTITY_MAP_ADDR;
	int ret;

	ret = kvm__open_dev(kvm, "/dev/kvm", err, errlen);
	if (ret)
		return ret;
	kvm->vm_fd = ioctl(kvm->sys_fd, KVM_CREATE_VM, 0);
	if (kvm->vm_fd < 0) {
		int e = errno;

		return err__set(-e, err, errlen, "KVM_CREATE_VM: %s%s", strerror(e),
				e == EBUSY ? " (another hypervisor owns VT-x/AMD-V?)" : "");
	}
	/*
	 * Memory slots before the irqchip: once the PIC, IOAPIC and PIT are on
	 * KVM's buses every slot change waits for an SRCU grace period (about
	 * 4 ms on nested KVM); before, it is 0.1 ms.
	 */
	ret = kvm__setup_ram(kvm, ram_size, shm_size, err, errlen);
	/* The TSS pages and the identity map sit at the top of the MMIO gap. */
	if (!ret)
		ret = kvm__vm_ioctl(kvm, KVM_SET_TSS_ADDR, (void *)(uintptr_t)KVM_TSS_ADDR,
				    "KVM_SET_TSS_ADDR", err, errlen);
	if (!ret && kvm__has_cap(kvm, KVM_CAP_SET_IDENTITY_MAP_ADDR))
		ret = kvm__vm_ioctl(kvm, KVM_SET_IDENTITY_MAP_ADDR, &ident,
				    "KVM_SET_IDENTITY_MAP_ADDR", err, errlen);
	if (!ret)
		ret = kvm__vm_ioctl(kvm, KVM_CREATE_IRQCHIP, NULL, "KVM_CREATE_IRQCHIP",
				    err, errlen);
	if (!ret)
		ret = kvm__vm_ioctl(kvm, KVM_CREATE_PIT2, &pit, "KVM_CREATE_PIT2", err, errlen);
	return ret;
}

void kvm__close(struct kvm *kvm)
{
	if (kvm->vm_fd >= 0)
		close(kvm->vm_fd);
	if (kvm->sys_fd >= 0)
		close(kvm->sys_fd);
	if (kvm->ram)
		munmap(kvm->ram, kvm->ram_size);
	kvm__init(kvm);
}

void *kvm__gpa(const struct kvm *kvm, uint64_t gpa, uint64_t len)
{
	uint64_t high = kvm->ram_size - kvm->low_size;

	if (!kvm->ram || gpa + len < gpa)
		return NULL;
	if (gpa < kvm->low_size)
		return len <= kvm->low_size - gpa ? kvm->ram + gpa : NULL;
	if (gpa >= KVM_MMIO_GAP_END && gpa - KVM_MMIO_GAP_END < high &&
	    len <= high - (gpa - KVM_MMIO_GAP_END))
		return kvm->ram + kvm->low_size + (gpa - KVM_MMIO_GAP_END);
	return NULL;
}

uint64_t kvm__shm_gpa(const struct kvm *kvm)
{
	uint64_t top;

	if (!kvm->shm_size)
		return 0;
	top = kvm->ram_size > kvm->low_size ?
	      KVM_MMIO_GAP_END + (kvm->ram_size - kvm->low_size) : kvm->ram_size;
	return top - kvm->shm_size;
}

static unsigned int kvm__e820_add(struct boot_e820_entry *e, unsigned int n, unsigned int max,
				  uint64_t start, uint64_t end)
{
	if (n >= max || end <= start)
		return n;
	e[n].addr = start;
	e[n].size = end - start;
	e[n].type = 1;	/* E820_TYPE_RAM */
	return n + 1;
}

unsigned int kvm__e820(const struct kvm *kvm, struct boot_e820_entry *e, unsigned int max)
{
	uint64_t usable = kvm->ram_size - kvm->shm_size;	/* bytes of RAM in the map */
	unsigned int n = 0;

	n = kvm__e820_add(e, n, max, 0, KVM_LOW_RAM_END);
	if (usable <= KVM_MMIO_GAP_START) {
		n = kvm__e820_add(e, n, max, KVM_HIGH_RAM_START, usable);
	} else {
		n = kvm__e820_add(e, n, max, KVM_HIGH_RAM_START, KVM_MMIO_GAP_START);
		n = kvm__e820_add(e, n, max, KVM_MMIO_GAP_END,
				  KVM_MMIO_GAP_END + usable - KVM_MMIO_GAP_START);
	}
	return n;
}

int kvm__supported_cpuid(const struct kvm *kvm, unsigned int extra, struct kvm_cpuid2 **out,
			 char *err, size_t errlen)
{
	unsigned int n = 128;

	*out = NULL;
	for (;;) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + (n + extra) * sizeof(c->entries[0]));

		if (!c)
			return -ENOMEM;
		c->nent = n;
		if (ioctl(kvm->sys_fd, KVM_GET_SUPPORTED_CPUID, c) == 0) {
			*out = c;
			return 0;
		}
		free(c);
		if (errno != E2BIG || n >= 4096) {
			int e = errno;

			return err__set(-e, err, errlen, "KVM_GET_SUPPORTED_CPUID: %s",
					strerror(e));
		}
		n *= 2;
	}
}

int kvm__pic_irr(const struct kvm *kvm, uint16_t *irr)
{
	struct kvm_irqchip chip;

	*irr = 0;
	for (unsigned int i = 0; i < 2; i++) {
		memset(&chip, 0, sizeof(chip));
		chip.chip_id = i ? KVM_IRQCHIP_PIC_SLAVE : KVM_IRQCHIP_PIC_MASTER;
		if (ioctl(kvm->vm_fd, KVM_GET_IRQCHIP, &chip) < 0)
			return -errno;
		*irr |= (uint16_t)(chip.chip.pic.irr << (8 * i));
	}
	return 0;
}

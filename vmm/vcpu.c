// SPDX-License-Identifier: GPL-2.0
/* One vCPU: creation and register set-up, its KVM_RUN thread, its exits (vcpu.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/err.h"
#include "boot/boot.h"
#include "kvm/kvm.h"
#include "vcpu.h"

#define MSR_IA32_TSC			0x10
#define MSR_IA32_SYSENTER_CS		0x174
#define MSR_IA32_SYSENTER_ESP		0x175
#define MSR_IA32_SYSENTER_EIP		0x176
#define MSR_IA32_MISC_ENABLE		0x1a0
#define MSR_MTRR_DEF_TYPE		0x2ff
#define MSR_STAR			0xc0000081
#define MSR_LSTAR			0xc0000082
#define MSR_CSTAR			0xc0000083
#define MSR_SYSCALL_MASK		0xc0000084
#define MSR_KERNEL_GS_BASE		0xc0000102
#define MISC_ENABLE_FAST_STRING		0x1ull
#define MTRR_DEF_TYPE_E			(1ull << 11)
#define MTRR_TYPE_WB			6ull

#define APIC_LVT0			0x350
#define APIC_LVT1			0x360
#define APIC_MODE_NMI			0x4
#define APIC_MODE_EXTINT		0x7

static int vcpu__ioctl(struct vcpu *v, unsigned long req, void *arg, const char *what,
		       char *err, size_t errlen)
{
	if (ioctl(v->fd, req, arg) < 0) {
		int e = errno;

		return err__set(-e, err, errlen, "vCPU %u: %s: %s", v->id, what, strerror(e));
	}
	return 0;
}

static int vcpu__set_msrs(struct vcpu *v, char *err, size_t errlen)
{
	static const struct { uint32_t index; uint64_t data; } msrs[] = {
		{ MSR_IA32_SYSENTER_CS, 0 },
		{ MSR_IA32_SYSENTER_ESP, 0 },
		{ MSR_IA32_SYSENTER_EIP, 0 },
		{ MSR_STAR, 0 },
		{ MSR_CSTAR, 0 },
		{ MSR_KERNEL_GS_BASE, 0 },
		{ MSR_SYSCALL_MASK, 0 },
		{ MSR_LSTAR, 0 },
		{ MSR_IA32_TSC, 0 },
		{ MSR_IA32_MISC_ENABLE, MISC_ENABLE_FAST_STRING },
		{ MSR_MTRR_DEF_TYPE, MTRR_DEF_TYPE_E | MTRR_TYPE_WB },
	};
	const unsigned int n = sizeof(msrs) / sizeof(msrs[0]);
	/* struct kvm_msrs ends in a flexible array: give it room in a union. */
	union {
		struct kvm_msrs hdr;
		char room[sizeof(struct kvm_msrs) +
			  sizeof(msrs) / sizeof(msrs[0]) * sizeof(struct kvm_msr_entry)];
	} buf;
	int ret;

	memset(&buf, 0, sizeof(buf));
	buf.hdr.nmsrs = n;
	for (unsigned int i = 0; i < n; i++) {
		buf.hdr.entries[i].index = msrs[i].index;
		buf.hdr.entries[i].data = msrs[i].data;
	}
	ret = ioctl(v->fd, KVM_SET_MSRS, &buf);
	if (ret < 0) {
		int e = errno;

		return err__set(-e, err, errlen, "vCPU %u: KVM_SET_MSRS: %s", v->id, strerror(e));
	}
	if ((unsigned int)ret != n)
		return err__set(-EINVAL, err, errlen, "vCPU %u: KVM_SET_MSRS: KVM refused MSR %#x",
				v->id, msrs[ret].index);
	return 0;
}

static void vcpu__lvt(struct kvm_lapic_state *l, unsigned int reg, uint32_t mode)
{
	uint32_t val;

	memcpy(&val, &l->regs[reg], sizeof(val));
	val = (val & ~0x700u) | (mode << 8);
	memcpy(&l->regs[reg], &val, sizeof(val));
}

int vcpu__create(struct vcpu *v, const struct vcpu_ops *ops, void *ctx, const struct kvm *kvm,
		 unsigned int id, uint32_t apic_id, const struct kvm_cpuid2 *cpuid, char *err,
		 size_t errlen)
{
	struct kvm_fpu fpu = { .fcw = 0x37f, .mxcsr = 0x1f80 };
	struct kvm_lapic_state lapic;
	void *run;
	int ret;

	memset(v, 0, sizeof(*v));
	v->ops = ops;
	v->ctx = ctx;
	v->id = id;
	v->apic_id = apic_id;
	v->fd = ioctl(kvm->vm_fd, KVM_CREATE_VCPU, (unsigned long)apic_id);
	if (v->fd < 0) {
		int e = errno;

		v->fd = -1;
		return err__set(-e, err, errlen, "vCPU %u: KVM_CREATE_VCPU (APIC id %u): %s", id,
				apic_id, strerror(e));
	}
	run = mmap(NULL, (size_t)kvm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (run == MAP_FAILED) {
		int e = errno;

		return err__set(-e, err, errlen, "vCPU %u: mmap of kvm_run: %s", id, strerror(e));
	}
	v->run = run;
	v->run_size = (size_t)kvm->run_size;

	if (cpuid) {
		ret = vcpu__ioctl(v, KVM_SET_CPUID2, (void *)cpuid, "KVM_SET_CPUID2", err, errlen);
		if (ret)
			return ret;
	}
	ret = vcpu__set_msrs(v, err, errlen);
	if (!ret)
		ret = vcpu__ioctl(v, KVM_SET_FPU, &fpu, "KVM_SET_FPU", err, errlen);
	if (!ret)
		ret = vcpu__ioctl(v, KVM_GET_LAPIC, &lapic, "KVM_GET_LAPIC", err, errlen);
	if (ret)
		return ret;
	vcpu__lvt(&lapic, APIC_LVT0, APIC_MODE_EXTINT);
	vcpu__lvt(&lapic, APIC_LVT1, APIC_MODE_NMI);
	return vcpu__ioctl(v, KVM_SET_LAPIC, &lapic, "KVM_SET_LAPIC", err, errlen);
}

int vcpu__setup_bsp(struct vcpu *v, const struct boot_info *info, char *err, size_t errlen)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int ret;

	ret = vcpu__ioctl(v, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS", err, errlen);
	if (ret)
		return ret;
	boot__bsp_regs(info, &regs, &sregs);
	ret = vcpu__ioctl(v, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS", err, errlen);
	if (!ret)
		ret = vcpu__ioctl(v, KVM_SET_REGS, &regs, "KVM_SET_REGS", err, errlen);
	return ret;
}

static __thread struct vcpu *vcpu_self;

struct vcpu *vcpu__current(void)
{
	return vcpu_self;
}

uint64_t vcpu__get_rip(struct vcpu *v)
{
	struct kvm_regs regs;

	if (ioctl(v->fd, KVM_GET_REGS, &regs) < 0)
		return 0;
	return regs.rip;
}

/* End the VM because of this vCPU's exit. */
static void vcpu__end(struct vcpu *v, enum vmm_end how, uint64_t detail, const char *msg)
{
	struct vmm_result r = {
		.end = how,
		.vcpu = v->id,
		.rip = vcpu__get_rip(v),
		.exit_reason = v->run->exit_reason,
		.detail = detail,
	};

	snprintf(r.msg, sizeof(r.msg), "%s", msg);
	v->ops->end(v->ctx, &r);
}

static void vcpu__io(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint32_t size = run->io.size, count = run->io.count;
	uint64_t off = run->io.data_offset;
	bool is_write = run->io.direction == KVM_EXIT_IO_OUT;

	/* KVM chooses these, but check them against the mapping all the same. */
	if (!size || size > 4 || !count || off > v->run_size ||
	    (uint64_t)size * count > v->run_size - off) {
		vcpu__end(v, VMM_END_KVM_ERROR, run->io.port, "KVM_EXIT_IO outside kvm_run");
		return;
	}
	for (uint32_t i = 0; i < count; i++)
		v->ops->pio(v->ctx, run->io.port, (uint8_t *)run + off + (uint64_t)i * size, size,
			    is_write);
}

static void vcpu__mmio(struct vcpu *v)
{
	struct kvm_run *run = v->run;

	if (!run->mmio.len || run->mmio.len > sizeof(run->mmio.data)) {
		vcpu__end(v, VMM_END_KVM_ERROR, run->mmio.phys_addr, "KVM_EXIT_MMIO bad length");
		return;
	}
	v->ops->mmio(v->ctx, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
		     run->mmio.is_write);
}

static void vcpu__system_event(struct vcpu *v)
{
	switch (v->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		vcpu__end(v, VMM_END_POWEROFF, 0, "guest powered off (system event)");
		break;
	case KVM_SYSTEM_EVENT_RESET:
		vcpu__end(v, VMM_END_RESET, 0, "guest reset (system event)");
		break;
	case KVM_SYSTEM_EVENT_CRASH:
		vcpu__end(v, VMM_END_CRASH, 0, "guest crashed (system event)");
		break;
	default:
		vcpu__end(v, VMM_END_KVM_ERROR, v->run->system_event.type,
			  "unknown KVM system event");
		break;
	}
}

bool vcpu__handle_exit(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	char msg[96];

	v->exits++;
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		vcpu__io(v);
		return true;
	case KVM_EXIT_MMIO:
		vcpu__mmio(v);
		return true;
	case KVM_EXIT_HLT:
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_SHUTDOWN:
		vcpu__end(v, VMM_END_SHUTDOWN, 0, "triple fault (KVM_EXIT_SHUTDOWN)");
		return false;
	case KVM_EXIT_SYSTEM_EVENT:
		vcpu__system_event(v);
		return false;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(msg, sizeof(msg), "VM entry failed (KVM_EXIT_FAIL_ENTRY, reason %#llx)",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		vcpu__end(v, VMM_END_KVM_ERROR, run->fail_entry.hardware_entry_failure_reason, msg);
		return false;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(msg, sizeof(msg), "KVM internal error, suberror %u%s",
			 run->internal.suberror,
			 run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ?
			 " (instruction emulation failed)" : "");
		vcpu__end(v, VMM_END_KVM_ERROR, run->internal.suberror, msg);
		return false;
	default:
		snprintf(msg, sizeof(msg), "unexpected KVM exit reason %u", run->exit_reason);
		vcpu__end(v, VMM_END_KVM_ERROR, run->exit_reason, msg);
		return false;
	}
}

static void *vcpu__thread(void *arg)
{
	struct vcpu *v = arg;
	sigset_t kick;
	char name[16];

	snprintf(name, sizeof(name), "vcpu%u", v->id);
	pthread_setname_np(pthread_self(), name);
	sigemptyset(&kick);
	sigaddset(&kick, VCPU_KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &kick, NULL);
	v->self = pthread_self();
	atomic_store(&v->tid, (pid_t)syscall(SYS_gettid));
	vcpu_self = v;
	atomic_store(&v->running, true);

	while (!v->ops->stopping(v->ctx)) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			vcpu__end(v, VMM_END_KVM_ERROR, (uint64_t)errno, "KVM_RUN failed");
			break;
		}
		if (!vcpu__handle_exit(v))
			break;
	}
	atomic_store(&v->running, false);
	/* Gone soon, and its tid free for reuse: not ours to sample any more. */
	atomic_store(&v->tid, 0);
	return NULL;
}

static void vcpu__kick_handler(int sig)
{
	(void)sig;
}

static int vcpu__signal_ret;

static void vcpu__signal_once(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = vcpu__kick_handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(VCPU_KICK_SIGNAL, &sa, NULL) < 0)
		vcpu__signal_ret = -errno;
}

int vcpu__signal_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, vcpu__signal_once);
	return vcpu__signal_ret;
}

int vcpu__start(struct vcpu *v)
{
	sigset_t all, old;
	int ret;

	/* The thread starts with every signal blocked and unblocks only the kick. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&v->thread, NULL, vcpu__thread, v);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return -ret;
	v->created = true;
	return 0;
}

void vcpu__kick(struct vcpu *v)
{
	if (!v->run)
		return;
	/* Checked by KVM on entry: covers a vCPU about to enter KVM_RUN. */
	__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	if (atomic_load(&v->running))
		pthread_kill(v->self, VCPU_KICK_SIGNAL);
}

void vcpu__join(struct vcpu *v)
{
	if (v->created)
		pthread_join(v->thread, NULL);
	v->created = false;
}

void vcpu__destroy(struct vcpu *v)
{
	vcpu__join(v);
	if (v->run)
		munmap(v->run, v->run_size);
	if (v->fd >= 0)
		close(v->fd);
	v->run = NULL;
	v->fd = -1;
}

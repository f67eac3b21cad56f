// SPDX-License-Identifier: GPL-2.0
/*
 * Why an option of a fragment may not survive `make olddefconfig`, for the
 * options ktstr's fragment relies on. Each hint names what the option
 * depends on in Linux 6.12's Kconfig files (x86_64), and the usual cause
 * where there is one. On an allnoconfig base (the lean kernel) nothing is on
 * unless a fragment says so, so a missing dependency is the common cause.
 */
#include "kernel_config.h"

#include <string.h>

static const struct {
	const char *name;
	const char *hint;
} hints[] = {
	/* the machine */
	{ "CONFIG_64BIT", "an x86 build is 64-bit unless ARCH=i386: build on an x86_64 host "
			  "without ARCH=, or with ARCH=x86_64" },
	{ "CONFIG_NR_CPUS", "needs SMP; above 512 it also needs CPUMASK_OFFSTACK (MAXSMP), else "
			    "olddefconfig clamps it" },
	{ "CONFIG_X86_X2APIC", "needs X86_64 and either HYPERVISOR_GUEST (ktstr's fragment sets "
			       "it) or IRQ_REMAP (which needs PCI_MSI and ACPI)" },
	{ "CONFIG_PCI", "needs HAVE_PCI, which x86 has; ktstr's fragment sets it (allnoconfig "
			"turns it off)" },
	{ "CONFIG_ACPI", "needs ARCH_SUPPORTS_ACPI, which x86 has" },
	/* the scheduler core */
	{ "CONFIG_PREEMPT_VOLUNTARY", "an answer of the 'Preemption Model' choice: a later "
				      "fragment that sets PREEMPT_NONE, PREEMPT or PREEMPT_RT "
				      "takes its place" },
	{ "CONFIG_PREEMPT_DYNAMIC", "needs HAVE_PREEMPT_DYNAMIC (x86 has it) and not PREEMPT_RT" },
	{ "CONFIG_HZ_1000", "an answer of the 'Timer frequency' choice: a later fragment that "
			    "sets another HZ_* takes its place" },
	{ "CONFIG_NO_HZ_FULL", "needs SMP and a 64-bit kernel (HAVE_CONTEXT_TRACKING_USER and "
			       "HAVE_VIRT_CPU_ACCOUNTING_GEN come with X86_64); an answer of the "
			       "'Timer tick handling' choice, so a later fragment that sets "
			       "NO_HZ_IDLE or HZ_PERIODIC takes its place" },
	{ "CONFIG_SCHED_SMT", "on x86 it follows SMP (no prompt)" },
	{ "CONFIG_SCHED_MC", "needs SMP" },
	{ "CONFIG_SCHED_DEBUG", "needs DEBUG_KERNEL and DEBUG_FS" },
	{ "CONFIG_SCHEDSTATS", "needs PROC_FS" },
	{ "CONFIG_NUMA", "needs SMP and X86_64" },
	{ "CONFIG_MIGRATION", "needs NUMA (or COMPACTION, CMA or memory hot-remove)" },
	{ "CONFIG_ACPI_NUMA", "has no prompt on x86: X86_64_ACPI_NUMA selects it, which needs "
			      "NUMA, ACPI and PCI" },
	{ "CONFIG_X86_64_ACPI_NUMA", "needs X86_64, NUMA, ACPI and PCI (ktstr's fragment sets "
				     "PCI; on an allnoconfig base nothing else does)" },
	{ "CONFIG_NUMA_BALANCING", "needs SMP, NUMA and MIGRATION, and not PREEMPT_RT" },
	/* cgroups */
	{ "CONFIG_CGROUP_SCHED", "needs CGROUPS" },
	{ "CONFIG_FAIR_GROUP_SCHED", "needs CGROUP_SCHED" },
	{ "CONFIG_EXT_GROUP_SCHED", "has no prompt: it is on when SCHED_CLASS_EXT and "
				    "CGROUP_SCHED are" },
	{ "CONFIG_CPUSETS", "needs CGROUPS and SMP" },
	{ "CONFIG_MEMCG", "needs CGROUPS" },
	/* sched_ext and BPF */
	{ "CONFIG_BPF", "has no prompt: BPF_SYSCALL selects it" },
	{ "CONFIG_SCHED_CLASS_EXT", "needs BPF_SYSCALL, BPF_JIT and DEBUG_INFO_BTF, and a kernel "
				    "of 6.12 or newer (sched_ext arrived in 6.12)" },
	{ "CONFIG_BPF_JIT", "needs BPF (BPF_SYSCALL selects it) and an eBPF JIT, which x86_64 "
			    "has" },
	{ "CONFIG_BPF_JIT_ALWAYS_ON", "needs BPF_SYSCALL and BPF_JIT" },
	{ "CONFIG_BPF_JIT_DEFAULT_ON", "has no prompt: it follows BPF_JIT_ALWAYS_ON (and needs "
				       "BPF_JIT)" },
	/* BTF from DWARF */
	{ "CONFIG_DEBUG_INFO_BTF", "needs pahole 1.21 or newer for DWARF 5 (1.16 for DWARF 4), "
				   "found when configuring: apt-get install dwarves, check "
				   "`pahole --version`, build again; also BPF_SYSCALL, and "
				   "DEBUG_INFO without DEBUG_INFO_REDUCED or DEBUG_INFO_SPLIT" },
	{ "CONFIG_DEBUG_INFO", "has no prompt: a DEBUG_INFO_DWARF* answer of the 'Debug "
			       "information' choice selects it, and that choice needs "
			       "DEBUG_KERNEL" },
	{ "CONFIG_DEBUG_INFO_DWARF5", "the 'Debug information' choice needs DEBUG_KERNEL; with "
				      "clang, DWARF 5 also needs its integrated assembler "
				      "(LLVM_IAS=1) or GNU as 2.35.2 or newer" },
	/* tracing */
	{ "CONFIG_FTRACE", "needs TRACING_SUPPORT, which x86 has" },
	{ "CONFIG_FUNCTION_TRACER", "needs FTRACE" },
	{ "CONFIG_DYNAMIC_FTRACE", "needs FUNCTION_TRACER" },
	{ "CONFIG_KPROBES", "needs HAVE_KPROBES, which x86 has" },
	{ "CONFIG_KPROBE_EVENTS", "needs FTRACE and KPROBES" },
	{ "CONFIG_BPF_EVENTS", "has no prompt: it is on with BPF_SYSCALL, PERF_EVENTS and "
			       "KPROBE_EVENTS (or UPROBE_EVENTS), all under FTRACE" },
	{ "CONFIG_SOFTLOCKUP_DETECTOR", "needs DEBUG_KERNEL" },
	{ "CONFIG_DETECT_HUNG_TASK", "needs DEBUG_KERNEL" },
	/* devices */
	{ "CONFIG_SERIAL_8250", "needs TTY" },
	{ "CONFIG_SERIAL_8250_CONSOLE", "needs SERIAL_8250=y (not m)" },
	{ "CONFIG_VIRTIO_MMIO", "needs VIRTIO_MENU" },
	{ "CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES", "needs VIRTIO_MMIO" },
	{ "CONFIG_VIRTIO_PCI", "needs VIRTIO_MENU and PCI" },
	{ "CONFIG_VIRTIO_CONSOLE", "needs TTY (it selects VIRTIO itself)" },
	{ "CONFIG_KVM_GUEST", "needs HYPERVISOR_GUEST and PARAVIRT" },
	{ "CONFIG_PARAVIRT", "needs HYPERVISOR_GUEST" },
	{ "CONFIG_PVH", "needs HYPERVISOR_GUEST" },
	{ "CONFIG_PARAVIRT_TIME_ACCOUNTING", "needs HYPERVISOR_GUEST and PARAVIRT" },
	/* boot and userspace */
	{ "CONFIG_RD_GZIP", "needs BLK_DEV_INITRD" },
	{ "CONFIG_DEVTMPFS_MOUNT", "needs DEVTMPFS" },
	{ "CONFIG_PROC_SYSCTL", "needs PROC_FS" },
	{ "CONFIG_TMPFS", "needs SHMEM (on unless an EXPERT configuration turns it off)" },
	{ "CONFIG_PRINTK_TIME", "needs PRINTK (on unless an EXPERT configuration turns it off)" },
	{ "CONFIG_IKCONFIG_PROC", "needs IKCONFIG and PROC_FS" },
	{ "CONFIG_KALLSYMS_ALL", "needs KALLSYMS and DEBUG_KERNEL" },
	{ "CONFIG_MODULES", "a later fragment turned it on, or something selects it; with "
			    "modules on, the guest needs them in the initramfs" },
};

const char *kernel_config__hint(const char *name, const char *want)
{
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (!strcmp(hints[i].name, name))
			return hints[i].hint;
	if (!strcmp(want, "m"))
		return "=m needs MODULES, which ktstr's fragment turns off (a monolithic kernel): "
		       "use =y";
	if (!strcmp(want, "not set"))
		return "something selects it: look it up with `make menuconfig` and '/' "
		       "(Selected by)";
	return "it does not exist in this kernel, or its dependencies are not met: look it up "
	       "with `make menuconfig` and '/' (Depends on / Selected by)";
}

// SPDX-License-Identifier: GPL-2.0
/*
 * qemu-system-x86_64's argv for a VM: machine, accelerator, topology, NUMA
 * memory, kernel, and the chardev sockets of the serial lines, virtio-serial
 * ports and QMP monitor. Never run through a shell.
 */
#include "vm_qemu.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "topo/cpuset.h"
#include "wire/ktstr_proto.h"

static const char *const vm_qemu_sock_ids[VM_QSOCK__NR] = {
	[VM_QSOCK_COM1] = "com1",
	[VM_QSOCK_COM2] = "com2",
	[VM_QSOCK_RESULTS] = "results",
	[VM_QSOCK_CONTROL] = "control",
	[VM_QSOCK_SCHED] = "sched",
	[VM_QSOCK_QMP] = "qmp",
};

const char *vm_qemu__sock_id(enum vm_qemu_sock s)
{
	return (unsigned int)s < VM_QSOCK__NR ? vm_qemu_sock_ids[s] : "?";
}

uint32_t vm_qemu__node_mem(uint32_t total_mb, uint32_t nodes, uint32_t node)
{
	uint32_t even, per;

	if (nodes <= 1)
		return total_mb;
	even = total_mb & ~1u;
	per = (even / nodes) & ~1u;
	return node + 1 < nodes ? per : even - per * (nodes - 1);
}

uint32_t vm_qemu__mem_total(uint32_t total_mb, uint32_t nodes)
{
	return nodes <= 1 ? total_mb : total_mb & ~1u;
}

static uint32_t apic_bits(uint32_t count)
{
	uint32_t bits = 0;

	while ((1u << bits) < count)
		bits++;
	return bits;
}

uint32_t vm_qemu__max_apic_id(const struct topology *t)
{
	uint32_t tb = apic_bits(t->threads_per_core), cb = apic_bits(t->cores_per_llc);

	return ((t->llcs - 1) << (cb + tb)) | ((t->cores_per_llc - 1) << tb) |
	       (t->threads_per_core - 1);
}

__attribute__((format(printf, 2, 3)))
static int argv_add(struct vm_qemu_argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (a->argc + 2 > a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		char **nv = realloc(a->argv, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		a->argv = nv;
		a->cap = cap;
	}
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	a->argv[a->argc++] = s;
	a->argv[a->argc] = NULL;
	return 0;
}

void vm_qemu__argv_free(struct vm_qemu_argv *a)
{
	for (size_t i = 0; i < a->argc; i++)
		free(a->argv[i]);
	free(a->argv);
	a->argv = NULL;
	a->argc = a->cap = 0;
}

/* qemu's option parser splits on ','; a literal comma is written ",,". */
static char *qemu_escape(const char *s)
{
	size_t n = strlen(s), commas = 0;
	char *out, *p;

	for (const char *q = s; *q; q++)
		commas += *q == ',';
	out = malloc(n + commas + 1);
	if (!out)
		return NULL;
	p = out;
	for (const char *q = s; *q; q++) {
		*p++ = *q;
		if (*q == ',')
			*p++ = ',';
	}
	*p = '\0';
	return out;
}

static int argv_chardev(struct vm_qemu_argv *a, const char *sockdir, enum vm_qemu_sock s)
{
	/*
	 * ktstr listens on the socket before qemu starts and qemu connects as
	 * a client (server=off). qemu connects while it creates its chardevs,
	 * before the guest runs, so no early console byte is lost; with qemu
	 * as the server (server=on,wait=off) ktstr would have to poll for the
	 * socket to appear, and a serial line drops its output while no
	 * client is connected.
	 */
	return argv_add(a, "-chardev") ?:
	       argv_add(a, "socket,id=%s,path=%s/%s.sock", vm_qemu_sock_ids[s], sockdir,
			vm_qemu_sock_ids[s]);
}

/* Here, not in vm_qemu_ram.c: the argv asks it, and that file needs this one. */
bool vm_qemu__share_ram(const struct vm_opts *opts)
{
	const char *dbg = getenv("KTSTR_MONITOR_DEBUG");

	return opts->share_ram || (dbg && *dbg);
}

static int argv_numa(struct vm_qemu_argv *a, const struct topology *t, uint32_t memory_mb,
		     bool share)
{
	char cpus[64];
	int ret = 0;

	for (uint32_t n = 0; !ret && n < t->numa_nodes; n++) {
		struct cpuset set;

		/* LLCs are spread evenly over nodes: each node's CPUs are one range. */
		topology__node_cpus(t, n, &set);
		cpuset__format(&set, cpus, sizeof(cpus));
		ret = argv_add(a, "-object") ?:
		      (share ? argv_add(a, "memory-backend-file,id=mem%u,size=%uM,"
					"mem-path=/proc/self/fd/%u,share=on", n,
					vm_qemu__node_mem(memory_mb, t->numa_nodes, n),
					VM_QEMU_RAM_FD0 + n) :
		       argv_add(a, "memory-backend-ram,id=mem%u,size=%uM", n,
				vm_qemu__node_mem(memory_mb, t->numa_nodes, n))) ?:
		      argv_add(a, "-numa") ?:
		      argv_add(a, "node,nodeid=%u,cpus=%s,memdev=mem%u", n, cpus, n);
	}
	return ret;
}

int vm_qemu__argv(const struct vm_opts *opts, enum vm_accel accel, const char *qemu,
		  const char *bios, const char *cmdline, const char *sockdir,
		  struct vm_qemu_argv *out, char *err, size_t errlen)
{
	const struct topology *t = &opts->topo;
	char *dir = qemu_escape(sockdir);
	int ret;

	memset(out, 0, sizeof(*out));
	if (!dir)
		return -ENOMEM;
	if (t->numa_nodes > 1 &&
	    vm_qemu__node_mem(opts->memory_mb, t->numa_nodes, 0) < 2) {
		free(dir);
		return err__set(-EINVAL, err, errlen,
				"%u MiB of memory cannot be split over %u NUMA nodes "
				"in 2 MiB units: give the VM more memory",
				opts->memory_mb, t->numa_nodes);
	}
	if (accel != VM_ACCEL_KVM && vm_qemu__max_apic_id(t) > VM_QEMU_TCG_APIC_ID_MAX) {
		char name[TOPOLOGY_NAME_MAX];

		free(dir);
		topology__format(t, name);
		return err__set(-EINVAL, err, errlen,
				"topology %s needs APIC IDs up to %u, and QEMU's TCG "
				"has no x2APIC for IDs past %u: use fewer LLCs or cores per LLC, "
				"or KVM", name, vm_qemu__max_apic_id(t), VM_QEMU_TCG_APIC_ID_MAX);
	}
	ret = argv_add(out, "%s", qemu) ?:
	      /*
	       * -M q35: with TCG and 4 vCPUs here, boot to the agent took a
	       * median 1.36 s against -M pc's 1.65 s (10 runs each): on pc
	       * the guest evaluates the DSDT's _PRT, a 128-entry AML loop,
	       * to route the virtio device's INTx (120 ms of AML under TCG);
	       * q35's _PRT is a plain package. Not microvm: microvm,acpi=on
	       * with virtio-mmio took 6.4 s against pc's 4.0 s, and with
	       * acpi=off it hangs at power-off. q35 also gives the legacy
	       * COM1/COM2 UARTs and ACPI power-off with no extra options.
	       */
	      argv_add(out, "-M") ?: argv_add(out, "q35");
	if (!ret && accel == VM_ACCEL_KVM)
		ret = argv_add(out, "-accel") ?: argv_add(out, "kvm") ?:
		      argv_add(out, "-cpu") ?: argv_add(out, "host");
	else if (!ret)
		/*
		 * la57=off: with 5-level paging TCG guests panicked in hrtimer
		 * code here. vendor=GenuineIntel: TCG's max CPU is otherwise an
		 * AMD model, which warns on SMT ("doesn't support
		 * hyperthreading") and warns again with topoext=on; as Intel
		 * the guest reads its topology from leaves 4 and 0xb, silently
		 * and the same on every host.
		 */
		ret = argv_add(out, "-accel") ?:
		      argv_add(out, "tcg,thread=%s",
			       /* AUTO too: see enum vm_tcg_threads for why */
			       opts->tcg_threads == VM_TCG_MULTI ? "multi" : "single") ?:
		      argv_add(out, "-cpu") ?: argv_add(out, "max,la57=off,vendor=GenuineIntel");
	ret = ret ?:
	      argv_add(out, "-m") ?:
	      argv_add(out, "%u", vm_qemu__mem_total(opts->memory_mb, t->numa_nodes)) ?:
	      /* One socket per LLC: QEMU 7.2 shares the L3 per socket, not per die. */
	      argv_add(out, "-smp") ?:
	      argv_add(out, "cpus=%u,sockets=%u,cores=%u,threads=%u",
		       topology__total_cpus(t), t->llcs, t->cores_per_llc, t->threads_per_core);
	if (!ret && t->numa_nodes > 1)
		ret = argv_numa(out, t, opts->memory_mb, vm_qemu__share_ram(opts));
	else if (!ret && vm_qemu__share_ram(opts))
		/* One node: the machine's RAM is this backend (vm_qemu_ram.c). */
		ret = argv_add(out, "-object") ?:
		      argv_add(out, "memory-backend-file,id=ram0,size=%uM,"
			       "mem-path=/proc/self/fd/%u,share=on", opts->memory_mb,
			       VM_QEMU_RAM_FD0) ?:
		      argv_add(out, "-machine") ?: argv_add(out, "memory-backend=ram0");
	if (!ret && bios)
		ret = argv_add(out, "-bios") ?: argv_add(out, "%s", bios);
	ret = ret ?:
	      argv_add(out, "-kernel") ?: argv_add(out, "%s", opts->kernel);
	if (!ret && opts->initramfs)
		ret = argv_add(out, "-initrd") ?: argv_add(out, "%s", opts->initramfs);
	ret = ret ?:
	      argv_add(out, "-append") ?: argv_add(out, "%s", cmdline) ?:
	      argv_add(out, "-display") ?: argv_add(out, "none") ?:
	      argv_add(out, "-nodefaults") ?: argv_add(out, "-no-user-config") ?:
	      /* A guest reset (reboot, panic=-1, triple fault) ends qemu. */
	      argv_add(out, "-no-reboot") ?:
	      argv_chardev(out, dir, VM_QSOCK_COM1) ?:
	      argv_add(out, "-serial") ?: argv_add(out, "chardev:com1") ?:
	      argv_chardev(out, dir, VM_QSOCK_COM2) ?:
	      argv_add(out, "-serial") ?: argv_add(out, "chardev:com2") ?:
	      argv_add(out, "-device") ?: argv_add(out, "virtio-serial-pci,id=vser0") ?:
	      argv_chardev(out, dir, VM_QSOCK_RESULTS) ?:
	      argv_add(out, "-device") ?:
	      argv_add(out, "virtserialport,bus=vser0.0,chardev=results,name=%s",
		       KTSTR_PORT_RESULTS) ?:
	      argv_chardev(out, dir, VM_QSOCK_CONTROL) ?:
	      argv_add(out, "-device") ?:
	      argv_add(out, "virtserialport,bus=vser0.0,chardev=control,name=%s",
		       KTSTR_PORT_CONTROL) ?:
	      argv_chardev(out, dir, VM_QSOCK_SCHED) ?:
	      argv_add(out, "-device") ?:
	      argv_add(out, "virtserialport,bus=vser0.0,chardev=sched,name=%s",
		       KTSTR_PORT_SCHED) ?:
	      /* QMP tells a power-off ("guest-shutdown") from a reset. */
	      argv_chardev(out, dir, VM_QSOCK_QMP) ?:
	      argv_add(out, "-mon") ?: argv_add(out, "chardev=qmp,mode=control") ?:
	      /*
	       * Named vCPU threads ("CPU 2/TCG", "CPU 2/KVM"; "ALL CPUs/TCG"
	       * with thread=single): vm__vcpu_host_ns() finds each vCPU's
	       * thread by its comm for the monitor's stall check (#19).
	       */
	      argv_add(out, "-name") ?: argv_add(out, "ktstr,debug-threads=on");
	free(dir);
	if (ret) {
		vm_qemu__argv_free(out);
		return err__set(ret, err, errlen, "out of memory building qemu's command line");
	}
	return 0;
}

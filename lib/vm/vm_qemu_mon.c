// SPDX-License-Identifier: GPL-2.0
/*
 * $KTSTR_MONITOR_DEBUG (vm_qemu.h): the monitor's sampler thread
 * (lib/monitor/monitor_run.h) on the live guest's run queues through the
 * shared RAM (vm_qemu_ram.c), every 100 ms, with each vCPU thread's host
 * CPU time (vm__vcpu_host_ns()). Every tenth sample (once a second) is
 * logged to stderr, e.g.
 *   ktstr: monitor 2.0s: cpu0 nr 1 scx 0 dsq 0 clock 1873210921 pid 0 | cpu1 ...
 * and when qemu is gone the series is judged with the original's default
 * limits (monitor_eval.h) and the verdict and summary printed, each line
 * starting "ktstr: monitor". =1 reads the vmlinux next to the kernel image,
 * any other value is the vmlinux's path. It reads only; it never fails the VM.
 */
#include "vm_qemu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fsutil.h"
#include "monitor/kconfig_hz.h"
#include "monitor/monitor_run.h"

struct vm_qemu_mon {
	struct vm *vm;
	struct mon_run *run;
	uint32_t vcpus;
	uint32_t hz;
	char hz_how[1024];
	struct klayout kl;
	struct gmem m;
};

static void mon_log(void *arg, const struct mon_point *p, uint64_t idx)
{
	struct vm_qemu_mon *mon = arg;
	const struct mon_sample *s = p->s;
	char line[4096];
	size_t o = 0;
	uint64_t ms;

	if (idx % 10 != 9)
		return;
	ms = vm__elapsed_ms(mon->vm);
	o += (size_t)snprintf(line, sizeof(line), "ktstr: monitor %llu.%llus:",
			      (unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000 / 100));
	if (s->flags & MON_SAMPLE_NO_KERNEL)
		snprintf(line + o, sizeof(line) - o, " kernel not up");
	for (uint32_t c = 0; c < s->nr_cpus && o < sizeof(line) - 128; c++) {
		const struct mon_cpu *x = &s->cpu[c];

		if (x->flags & ~MON_CPU_NO_SCX)
			o += (size_t)snprintf(line + o, sizeof(line) - o, "%s cpu%u %s",
					      c ? " |" : "", c, sampler__cpu_flag_str(x->flags));
		else
			o += (size_t)snprintf(line + o, sizeof(line) - o,
					      "%s cpu%u nr %u scx %u dsq %u clock %llu pid %d",
					      c ? " |" : "", c, x->nr_running, x->scx_nr_running,
					      x->local_dsq_nr, (unsigned long long)x->clock,
					      x->curr_pid);
	}
	fprintf(stderr, "%s\n", line);
}

/*
 * Each vCPU's own thread time, or "unknown": with thread=single TCG one
 * thread runs every vCPU, and its time says nothing about one of them.
 */
static int mon_vcpu_ns(void *arg, uint64_t *ns, uint32_t n)
{
	struct vm_qemu_mon *mon = arg;
	int ret = vm__vcpu_host_ns(mon->vm, ns, n);

	return ret == VM_VCPU_HOST_SHARED ? -EOPNOTSUPP : ret;
}

void vm_qemu__mon_start(struct vm *vm)
{
	struct vm_qemu *q = vm->priv;
	const char *dbg = getenv("KTSTR_MONITOR_DEBUG");
	struct vm_qemu_mon *mon;
	struct mon_run_opts o = { 0 };
	char path[4096], err[512];

	if (!dbg || !*dbg || q->mon)
		return;
	if (strcmp(dbg, "1"))
		snprintf(path, sizeof(path), "%s", dbg);
	else
		fsutil__beside(vm->opts.kernel, "vmlinux", path, sizeof(path));
	mon = calloc(1, sizeof(*mon));
	if (!mon)
		return;
	mon->vm = vm;
	mon->vcpus = topology__total_cpus(&vm->opts.topo);
	if (klayout__load(&mon->kl, path, err, sizeof(err)) ||
	    vm_qemu__guest_mem(vm, &mon->m, err, sizeof(err))) {
		fprintf(stderr, "ktstr: monitor: %s\n", err);
		free(mon);
		return;
	}
	mon->hz = kconfig_hz__beside(path, mon->hz_how, sizeof(mon->hz_how));
	o.m = &mon->m;
	o.kl = &mon->kl;
	o.ncpus = mon->vcpus;
	o.vcpu_ns = mon_vcpu_ns;
	o.on_sample = mon_log;
	o.arg = mon;
	if (mon_run__start(&o, &mon->run, err, sizeof(err))) {
		fprintf(stderr, "ktstr: monitor: %s\n", err);
		free(mon);
		return;
	}
	q->mon = mon;
}

/* The series judged with the original's default limits, for the debug log. */
static void mon_report(const struct vm_qemu_mon *mon, const struct mon_series *s)
{
	struct mon_summary *sum = calloc(1, sizeof(*sum));
	struct mon_verdict *v = calloc(1, sizeof(*v));
	struct mon_limits l;

	if (!sum || !v)
		goto out;
	mon_eval__defaults(&l);
	l.hz = mon->hz;
	mon_eval__series(s->pts, s->n, &l, v, sum);
	fprintf(stderr, "ktstr: monitor: %zu samples every %u ms (%llu dropped past %u), "
		"vCPU times in %u; %s\n", s->n, s->period_ms, (unsigned long long)s->dropped,
		s->cap, s->vcpu_known, mon->hz_how);
	fprintf(stderr, "ktstr: monitor: the sampler used %.1f ms of host CPU (%.1f us a sample)\n",
		(double)s->cpu_ns / 1e6,
		s->taken ? (double)s->cpu_ns / 1e3 / (double)s->taken : 0.0);
	fprintf(stderr, "ktstr: monitor: %s with the default limits (imbalance %.1f, DSQ %u, "
		"stall on, %u consecutive samples, first %u trimmed)\n",
		v->passed ? "passed" : "failed", l.max_imbalance_ratio, l.max_local_dsq_depth,
		l.sustained, l.trim);
	for (uint32_t i = 0; i < v->nr_fail; i++)
		fprintf(stderr, "ktstr: monitor: fail: %s\n", v->fail[i]);
	if (v->nr_fail_dropped)
		fprintf(stderr, "ktstr: monitor: ... and %u more\n", v->nr_fail_dropped);
	for (uint32_t i = 0; i < v->nr_note; i++)
		fprintf(stderr, "ktstr: monitor: note: %s\n", v->note[i]);
	mon_eval__print_summary(stderr, sum);
out:
	free(sum);
	free(v);
}

void vm_qemu__mon_stop(struct vm_qemu *q)
{
	struct vm_qemu_mon *mon = q->mon;
	struct mon_series *s;

	if (!mon)
		return;
	q->mon = NULL;
	s = mon_run__stop(mon->run);
	if (s)
		mon_report(mon, s);
	mon_series__free(s);
	free(mon);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * $KTSTR_MONITOR_DEBUG (vm_qemu.h): a host thread that reads the live
 * guest's run queues through the shared RAM (vm_qemu_ram.c) once a second
 * and logs each sample to stderr, e.g.
 *   ktstr: monitor 2.0s: cpu0 nr 1 scx 0 dsq 0 clock 1873210921 pid 0 | cpu1 ...
 * =1 reads the vmlinux next to the kernel image, any other value is the
 * vmlinux's path. It reads only; it never fails the VM.
 */
#include "vm_qemu.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "monitor/sampler.h"

struct vm_qemu_mon {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	struct vm *vm;
	uint32_t vcpus;
	struct klayout kl;
	struct gmem m;
	struct kaddr k;
	struct mon_sample s;
};

static void mon_log(struct vm_qemu_mon *mon)
{
	char line[4096];
	size_t o = 0;
	uint64_t ms = vm__elapsed_ms(mon->vm);

	if (sampler__sample(&mon->kl, &mon->m, &mon->k, mon->vcpus, &mon->s))
		return;
	o += (size_t)snprintf(line, sizeof(line), "ktstr: monitor %llu.%llus:",
			      (unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000 / 100));
	if (mon->s.flags & MON_SAMPLE_NO_KERNEL)
		snprintf(line + o, sizeof(line) - o, " kernel not up");
	for (uint32_t c = 0; c < mon->s.nr_cpus && o < sizeof(line) - 128; c++) {
		const struct mon_cpu *x = &mon->s.cpu[c];

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

static void *mon_main(void *arg)
{
	struct vm_qemu_mon *mon = arg;
	struct timespec t;

	pthread_mutex_lock(&mon->lock);
	while (!mon->stop) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		t.tv_sec += 1;
		if (pthread_cond_timedwait(&mon->cond, &mon->lock, &t) == ETIMEDOUT && !mon->stop)
			mon_log(mon);
	}
	pthread_mutex_unlock(&mon->lock);
	return NULL;
}

void vm_qemu__mon_start(struct vm *vm)
{
	struct vm_qemu *q = vm->priv;
	const char *dbg = getenv("KTSTR_MONITOR_DEBUG");
	struct vm_qemu_mon *mon;
	pthread_condattr_t ca;
	char path[4096], err[512];
	const char *slash;

	if (!dbg || !*dbg || q->mon)
		return;
	if (strcmp(dbg, "1")) {
		snprintf(path, sizeof(path), "%s", dbg);
	} else {
		slash = vm->opts.kernel ? strrchr(vm->opts.kernel, '/') : NULL;
		snprintf(path, sizeof(path), "%.*s/vmlinux",
			 slash ? (int)(slash - vm->opts.kernel) : 1, slash ? vm->opts.kernel : ".");
	}
	mon = calloc(1, sizeof(*mon));
	if (!mon)
		return;
	mon->vm = vm;
	mon->vcpus = topology__total_cpus(&vm->opts.topo);
	kaddr__init(&mon->k);
	if (klayout__load(&mon->kl, path, err, sizeof(err)) ||
	    vm_qemu__guest_mem(vm, &mon->m, err, sizeof(err))) {
		fprintf(stderr, "ktstr: monitor: %s\n", err);
		free(mon);
		return;
	}
	pthread_mutex_init(&mon->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&mon->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&mon->thread, NULL, mon_main, mon)) {
		free(mon);
		return;
	}
	q->mon = mon;
}

void vm_qemu__mon_stop(struct vm_qemu *q)
{
	struct vm_qemu_mon *mon = q->mon;

	if (!mon)
		return;
	pthread_mutex_lock(&mon->lock);
	mon->stop = true;
	pthread_cond_signal(&mon->cond);
	pthread_mutex_unlock(&mon->lock);
	pthread_join(mon->thread, NULL);
	pthread_cond_destroy(&mon->cond);
	pthread_mutex_destroy(&mon->lock);
	free(mon);
	q->mon = NULL;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One sample of every guest CPU's run queue, read from the host while the
 * guest runs (issue #19): per CPU nr_running, the sched_ext part's
 * nr_running, the local dispatch queue's depth, the rq clock and the pid of
 * the task on the CPU. Every guest pointer is translated and bounds-checked
 * before use; a value that cannot be read or cannot be true (torn by a
 * concurrent update) is flagged, and its consumer must not trust it.
 */
#ifndef KTSTR_MONITOR_SAMPLER_H
#define KTSTR_MONITOR_SAMPLER_H

#include <stdint.h>

#include "guest_mem.h"
#include "kaddr.h"
#include "kernel_layout.h"

#define MON_MAX_CPUS	512
/* No counter of tasks can exceed the kernel's PID_MAX_LIMIT (4 Mi). */
#define MON_COUNT_MAX	(4u << 20)

/* struct mon_cpu.flags */
enum {
	MON_CPU_NO_RQ	= 1u << 0,	/* __per_cpu_offset[cpu] or the rq unreadable:
					 * no value of this CPU is valid */
	MON_CPU_TORN	= 1u << 1,	/* counts that cannot hold together (scx above
					 * the total, above MON_COUNT_MAX): a read in
					 * the middle of an update */
	MON_CPU_NO_CURR	= 1u << 2,	/* rq->curr or its pid unreadable: curr_pid -1 */
	MON_CPU_NO_SCX	= 1u << 3,	/* kernel without sched_ext: scx values 0 */
};

/* struct mon_sample.flags */
enum {
	MON_SAMPLE_NO_KERNEL	= 1u << 0,	/* nr_cpu_ids unreadable, 0 or above
						 * NR_CPUS: the kernel is not up */
	MON_SAMPLE_CLAMPED	= 1u << 1,	/* more CPUs than MON_MAX_CPUS */
};

struct mon_cpu {
	uint32_t flags;			/* MON_CPU_* */
	uint32_t nr_running;		/* rq->nr_running */
	uint32_t scx_nr_running;	/* rq->scx.nr_running */
	uint32_t local_dsq_nr;		/* rq->scx.local_dsq.nr */
	uint64_t clock;			/* rq->clock, ns */
	int32_t curr_pid;		/* rq->curr->pid (0: idle), -1 unknown */
};

struct mon_sample {
	uint32_t flags;			/* MON_SAMPLE_* */
	uint32_t nr_cpu_ids;		/* as read from the guest */
	uint32_t nr_cpus;		/* CPUs sampled: min(nr_cpu_ids, vcpus) */
	struct mon_cpu cpu[MON_MAX_CPUS];
};

/*
 * Sample the run queues of the guest's first min(nr_cpu_ids, @vcpus) CPUs
 * into @s, refreshing @k (page_offset_base) first. Returns 0 with whatever
 * could be read flagged as above; -EINVAL for a layout without the symbols.
 */
int sampler__sample(const struct klayout *kl, const struct gmem *m, struct kaddr *k,
		    uint32_t vcpus, struct mon_sample *s);

/* "rq unreadable", "torn", ... for the first flag set in @flags, or "ok". */
const char *sampler__cpu_flag_str(uint32_t flags);

#endif

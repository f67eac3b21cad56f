/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The periodic sampler (issue #19): a host thread that samples every guest
 * CPU's run queue (sampler.h) once a period, with each vCPU's host CPU time
 * from a callback, and keeps the series for monitor_eval.h. Memory is
 * bounded: past a cap the samples are counted, not kept. Stopping at any
 * moment is prompt (the thread waits on a condition variable, never sleeps
 * blind) and hands back the series.
 *
 *	mon_run__start(&opts, &run, err, errlen);
 *	...the guest runs...
 *	series = mon_run__stop(run);		joins; run is gone
 *	mon_eval__series(series->pts, series->n, &limits, &verdict, &summary);
 *	mon_series__free(series);
 */
#ifndef KTSTR_MONITOR_RUN_H
#define KTSTR_MONITOR_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "guest_mem.h"
#include "kernel_layout.h"
#include "monitor_eval.h"

#define MON_RUN_PERIOD_MS	100			/* the original's cadence */
#define MON_RUN_MAX_SAMPLES	(30u * 60u * 10u)	/* 30 minutes at 100 ms */
/* The series' bytes at most; lowers the sample cap for VMs with many CPUs. */
#define MON_RUN_MAX_BYTES	(64u << 20)

/*
 * Each vCPU's host CPU time in ns into @ns[0..@n) (index = guest CPU),
 * cumulative, now. 0 when all @n are known; a negative errno for "not
 * known" (the sample then carries none, and the stall check skips it).
 * Called in the sampler thread, right after each sample.
 */
typedef int (*mon_vcpu_ns_fn)(void *arg, uint64_t *ns, uint32_t n);

/*
 * Called in the sampler thread after each sample, kept or not: @p is valid
 * during the call only; @idx counts samples from 0. For a debug log.
 */
typedef void (*mon_sample_fn)(void *arg, const struct mon_point *p, uint64_t idx);

struct mon_run_opts {
	const struct gmem *m;		/* copied */
	const struct klayout *kl;	/* copied */
	uint32_t ncpus;			/* the guest's vCPUs (at most MON_MAX_CPUS sampled) */
	uint32_t period_ms;		/* 0: MON_RUN_PERIOD_MS */
	uint32_t max_samples;		/* 0: MON_RUN_MAX_SAMPLES; the byte cap applies too */
	mon_vcpu_ns_fn vcpu_ns;		/* NULL: vCPU times never known */
	mon_sample_fn on_sample;	/* NULL: none */
	void *arg;			/* for both */
};

/* What mon_run__stop() hands back; one mon_series__free() frees it all. */
struct mon_series {
	struct mon_point *pts;		/* [n], in time order; their samples and vCPU
					 * times live in this object */
	size_t n;
	uint64_t taken;			/* samples taken: n + dropped */
	uint64_t dropped;		/* taken past the cap, not kept */
	uint32_t cap;			/* the cap that applied */
	uint32_t period_ms;
	uint32_t vcpu_known;		/* kept samples with vCPU times */
	uint64_t cpu_ns;		/* host CPU the sampler thread used, callbacks included */
	void *store;			/* the samples and times behind pts */
};

struct mon_run;

/*
 * Start the thread; its first sample is taken one period after the start.
 * -EINVAL (with @err) for missing options or a layout without the symbols
 * the sampler needs, -errno when the thread cannot start.
 */
int mon_run__start(const struct mon_run_opts *o, struct mon_run **out, char *err, size_t errlen);

/*
 * Stop the thread (within one sample's time, not a period's), join it, free
 * @r and hand back the series, or NULL when out of memory (or @r NULL).
 */
struct mon_series *mon_run__stop(struct mon_run *r);

void mon_series__free(struct mon_series *s);

/* The sample cap for @ncpus CPUs under @max_samples (0: default) and MON_RUN_MAX_BYTES. */
uint32_t mon_run__cap(uint32_t ncpus, uint32_t max_samples);

#endif

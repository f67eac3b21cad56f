/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Evaluate a series of run queue samples (sampler.h), one per sampling
 * period, against the monitor's three checks (issue #19): the imbalance
 * ratio between CPUs, the local DSQ depth, rq clock stalls. Pure: no I/O
 * but mon_eval__print_summary(), no allocation, no clock.
 *
 * The original's rules: the first @trim samples are dropped (the guest is
 * still settling); a series whose data cannot be true (a local DSQ deeper
 * than MON_EVAL_DSQ_IMPLAUSIBLE, or one rq clock value everywhere) passes
 * with a note; a violation counts only when it holds for @sustained
 * consecutive samples. A value the sampler flagged (torn, unreadable) never
 * counts toward a violation and ends a run of them.
 */
#ifndef KTSTR_MONITOR_EVAL_H
#define KTSTR_MONITOR_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sampler.h"

#define MON_EVAL_TRIM			20	/* ~2 s at 100 ms */
#define MON_EVAL_SUSTAINED		5	/* ~500 ms at 100 ms */
#define MON_EVAL_HZ_DEFAULT		250	/* CONFIG_HZ when unknown */
#define MON_EVAL_DSQ_IMPLAUSIBLE	10000	/* deeper: not a live rq */
#define MON_EVAL_PREEMPT_TICKS		10	/* vCPU ran less: preempted */

#define MON_EVAL_MAX_MSGS	16
#define MON_EVAL_MAX_NOTES	4
#define MON_EVAL_MSG_LEN	224

/* One sample of the series. */
struct mon_point {
	uint64_t t_ns;			/* host monotonic time it was taken */
	const struct mon_sample *s;	/* NULL: no sample this period */
	/*
	 * Per vCPU (index = guest CPU), the host CPU time its thread had
	 * consumed when the sample was taken, ns; NULL or too short when not
	 * known. Tells a stalled rq clock from a vCPU the host did not run.
	 */
	const uint64_t *vcpu_ns;
	uint32_t nr_vcpu_ns;
};

/* Which checks run, and their limits (the run's merged `checks:`). */
struct mon_limits {
	bool imbalance_on;
	double max_imbalance_ratio;	/* max/max(1,min) nr_running above: violated */
	bool dsq_on;
	uint32_t max_local_dsq_depth;	/* above: violated */
	bool stall_on;			/* fail_on_stall */
	uint32_t sustained;		/* consecutive samples; 0 counts as 1 */
	uint32_t trim;			/* leading samples dropped */
	uint32_t hz;			/* the guest's CONFIG_HZ; 0: MON_EVAL_HZ_DEFAULT */
};

/* Which check a failure message is of (struct mon_verdict.fail_check). */
enum mon_check { MON_CHECK_IMBALANCE, MON_CHECK_DSQ, MON_CHECK_STALL };

struct mon_verdict {
	bool passed;
	uint32_t nr_fail;		/* messages in fail[] */
	enum mon_check fail_check[MON_EVAL_MAX_MSGS];	/* and their checks */
	uint32_t nr_fail_dropped;	/* violations beyond MON_EVAL_MAX_MSGS */
	char fail[MON_EVAL_MAX_MSGS][MON_EVAL_MSG_LEN];
	uint32_t nr_note;		/* what was not judged, and why */
	char note[MON_EVAL_MAX_NOTES][MON_EVAL_MSG_LEN];
};

/* Per CPU, over the samples after the trim in which its values were usable. */
struct mon_cpu_summary {
	uint32_t samples;		/* usable samples */
	uint32_t flagged;		/* samples with this CPU torn or unreadable */
	uint32_t max_nr_running;
	uint32_t max_scx_nr_running;
	uint32_t max_local_dsq;
	uint64_t clock_first, clock_last;	/* rq clock in the first and last usable one */
};

/* For the report's `--- monitor ---` section. */
struct mon_summary {
	uint32_t samples;		/* in the series */
	uint32_t trimmed;		/* dropped at its start */
	uint32_t used;			/* after the trim, with a readable kernel */
	uint32_t nr_cpus;		/* entries in cpu[] */
	bool has_imbalance;		/* some sample had every CPU usable */
	double max_imbalance;		/* the worst ratio in one */
	size_t max_imbalance_at;	/* its sample index */
	uint64_t max_imbalance_t_ns;	/* and time since the series' first sample */
	struct mon_cpu_summary cpu[MON_MAX_CPUS];
};

/* The original's defaults: 4.0, 50, stall on, 5 samples, trim 20, HZ 250. */
void mon_eval__defaults(struct mon_limits *l);

/*
 * Judge @pts[0..@n) against @l into @v and, unless NULL, summarize it into
 * @sum. Messages give sample indices into @pts and times since @pts[0].
 */
void mon_eval__series(const struct mon_point *pts, size_t n, const struct mon_limits *l,
		      struct mon_verdict *v, struct mon_summary *sum);

/* @sum as lines for the `--- monitor ---` section (without that header). */
void mon_eval__print_summary(FILE *f, const struct mon_summary *sum);

#endif

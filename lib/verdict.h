/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verdicts: evaluate a run's worker reports against merged check thresholds,
 * and compute the per-cgroup statistics of the report's `--- stats ---` block.
 */
#ifndef KTSTR_VERDICT_H
#define KTSTR_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "checks.h"
#include "cpuset.h"
#include "ktstr_proto.h"
#include "metrics.h"

/*
 * Named threshold profiles. "default" is for real hardware and KVM; "tcg" is
 * looser for emulated guests, where vCPUs are host threads sharing a few
 * cores and guest time runs slower.
 */
enum threshold_profile { THRESHOLDS_DEFAULT, THRESHOLDS_TCG };

const char *threshold_profile__name(enum threshold_profile p);
int threshold_profile__parse(const char *name, enum threshold_profile *out);
/* The bottom layer of the merge: not_starved on, max_gap and max_spread set. */
void checks__defaults(enum threshold_profile p, struct checks *out);

/* One worker as the host received it. */
struct worker_result {
	struct ktstr_msg_worker_report r;
	const uint64_t *latencies;	/* r.nlatencies samples, ns */
	const struct ktstr_migration *migrations;
};

/* What a cgroup's workers were allowed to run on (for the isolation check). */
struct cgroup_allowed {
	const char *cgroup;
	bool constrained;		/* false: no cpuset at some point, anything goes */
	struct cpuset cpus;		/* union of every cpuset it had */
};

struct cgroup_stats {
	char name[KTSTR_NAME_MAX];
	unsigned workers;
	unsigned cpus;			/* distinct CPUs its workers ran on */
	double min_off_pct, max_off_pct, spread_pct;
	uint64_t max_gap_ms;
	unsigned max_gap_cpu;
	uint64_t migrations;
	uint64_t iterations;
};

#define VERDICT_MAX_REASONS 64

struct verdict {
	bool passed;
	char *reasons[VERDICT_MAX_REASONS];	/* malloc'd; "stuck 3500ms on cpu1 at +1200ms" */
	size_t nreasons;
	size_t dropped_reasons;
	struct cgroup_stats *cgroups;		/* malloc'd, in first-seen order */
	size_t ncgroups;
	/* Totals for the stats header line. */
	unsigned workers, cpus;
	uint64_t migrations;
	double worst_spread_pct;
	uint64_t worst_gap_ms;
};

/*
 * Evaluate the worker checks (not_starved, max_gap, max_spread, isolation) of
 * @c over @w, grouped by cgroup. Returns 0 (out->passed says the verdict) or
 * -ENOMEM. Free with verdict__free().
 */
int verdict__evaluate(const struct checks *c, const struct worker_result *w, size_t n,
		      const struct cgroup_allowed *allowed, size_t nallowed, struct verdict *out);
/* Add a reason of the harness's own (guest crashed, timed out, ...); fails the verdict. */
__attribute__((format(printf, 2, 3)))
void verdict__fail(struct verdict *v, const char *fmt, ...);
/* "4 workers, 2 cpus, 8 migrations, worst_spread=12.3%, worst_gap=3500ms" + per cgroup. */
void verdict__print_stats(const struct verdict *v, FILE *out);
/*
 * The run-level metrics of lib/metrics.h that this verdict has data for
 * (worst_spread, worst_gap_ms, ...), in table order; at most @max written.
 * Returns the number written. Metrics without data (no wake samples, no
 * NUMA pages) are left out rather than reported as 0.
 */
size_t verdict__metrics(const struct verdict *v, struct metric_value *out, size_t max);
void verdict__free(struct verdict *v);

#endif

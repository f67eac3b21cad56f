/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room lib/verdict: check thresholds (checks.h: the keys, their defaults and
 * named profiles, the layer merge), the registry of run metrics (metrics.h)
 * and the verdict over the guest's worker reports (this header). It knows no
 * scenarios: it may include lib/base, lib/topo and lib/wire.
 */

/*
 * Verdicts: evaluate a run's worker reports against merged check thresholds
 * (ktstr-scenario(5), CHECKS), per cgroup, and compute the per-cgroup statistics of the
 * report's `--- stats ---` block and of the run metrics.
 */
#ifndef KTSTR_VERDICT_H
#define KTSTR_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "checks.h"
#include "topo/cpuset.h"
#include "wire/ktstr_proto.h"
#include "metrics.h"
#include "topo/topology.h"

/* One worker as the host received it. */
struct worker_result {
	struct ktstr_msg_worker_report r;
	const uint64_t *latencies;	/* r.nlatencies samples, ns */
	const struct ktstr_migration *migrations;
};

/*
 * What a cgroup's workers were allowed to run on: the isolation check, and
 * the NUMA nodes its pages should be on (the nodes of these CPUs).
 */
struct cgroup_allowed {
	const char *cgroup;
	bool constrained;		/* false: no cpuset at some point, anything goes */
	struct cpuset cpus;		/* union of every cpuset it had */
};

/* Everything verdict__evaluate() reads. */
struct verdict_input {
	const struct checks *checks;		/* merged thresholds (checks__resolve) */
	const struct worker_result *workers;
	size_t nworkers;
	const struct cgroup_allowed *allowed;	/* per cgroup; a cgroup not listed is unconstrained */
	size_t nallowed;
	const struct topology *topo;		/* CPU -> NUMA node; NULL: a single node */
};

/*
 * One cgroup's statistics. "Checked" workers are those the checks read: they
 * completed and are not exec workers (a program's exit status is its report).
 */
struct cgroup_stats {
	char name[KTSTR_NAME_MAX];
	unsigned workers;		/* every report, exec workers and dead ones included */
	unsigned checked;
	unsigned cpus;			/* distinct CPUs its workers ran on */
	double min_off_pct, max_off_pct, spread_pct;
	uint64_t max_gap_ms;
	unsigned max_gap_cpu;
	uint64_t migrations;
	uint64_t iterations;
	double iterations_per_worker;	/* iterations / workers */
	double migration_ratio;		/* migrations / iterations; 0 without iterations */
	/* Throughput, work units per CPU-second over the checked workers (>= 2 of them). */
	bool has_throughput;
	double mean_work_rate, throughput_cv;
	/* Wake latency over the pooled samples; valid when wake_samples > 0. */
	uint64_t wake_samples;
	double p99_wake_us, median_wake_us, mean_wake_ns, wake_cv;
	double tail_ratio;		/* p99 / median; 0 when the median is 0 */
	/*
	 * How evenly the guest kept its workers going: the slowest worker's
	 * iteration rate (iterations per wall second) as a percentage of the
	 * median of its peers (checked workers of its cgroup and work type).
	 * has_peers is false when no work type has two checked workers.
	 */
	bool has_peers;
	double slowest_rate_pct;
	int32_t slowest_pid;
	/* schedstat run delay (time runnable but waiting) per checked worker, us. */
	double mean_run_delay_us, worst_run_delay_us;
	/* NUMA, from numa_maps and vmstat; valid when pages > 0. */
	uint64_t pages, local_pages, pages_migrated;
	struct cpuset nodes;		/* the expected nodes (a node bitmap) */
	double page_locality;		/* local_pages / pages; 1.0 without pages */
	double cross_node_ratio;	/* pages_migrated / pages */
};

#define VERDICT_MAX_REASONS 64

struct verdict {
	bool passed;
	char *reasons[VERDICT_MAX_REASONS];	/* malloc'd; "stuck 3500ms on cpu1 at +1200ms ..." */
	size_t nreasons;
	size_t dropped_reasons;
	size_t check_failures;			/* reasons that are threshold checks */
	/*
	 * hardware_only limits missed under the tcg profile: reported, not
	 * failed (ktstr-scenario(5), CHECKS). Same form as reasons.
	 */
	char *waived[VERDICT_MAX_REASONS];
	size_t nwaived;
	struct cgroup_stats *cgroups;		/* malloc'd, in first-seen order */
	size_t ncgroups;
	/* Totals for the stats header line. */
	unsigned workers, cpus;
	uint64_t migrations;
	uint64_t iterations;
	double worst_spread_pct;
	uint64_t worst_gap_ms;
};

/*
 * Evaluate every worker check of @in->checks over @in->workers, grouped by
 * cgroup (ktstr-scenario(5), CHECKS): not_starved, max_gap, isolation, min_work_rate and
 * min_iteration_rate per worker; max_spread, max_throughput_cv,
 * max_p99_wake_latency, max_wake_latency_cv, max_migration_ratio,
 * min_page_locality and max_cross_node_migration_ratio per cgroup. A worker
 * that died or sent no report fails too. Returns 0 (out->passed says the
 * verdict) or -ENOMEM. Free with verdict__free().
 */
int verdict__evaluate(const struct verdict_input *in, struct verdict *out);
/* Add a reason of the harness's own (guest crashed, timed out, ...); fails the verdict. */
__attribute__((format(printf, 2, 3)))
void verdict__fail(struct verdict *v, const char *fmt, ...);
/*
 * Threshold @id of @c failed (a worker check, or one judged elsewhere: the
 * host-side monitor's): a reason that counts for `expect: fail`, or, for a
 * hardware_only limit that @c waives, a note in v->waived.
 */
__attribute__((format(printf, 4, 5)))
void verdict__check_fail(struct verdict *v, const struct checks *c, enum check_id id,
			 const char *fmt, ...);
/*
 * `expect: fail`: a verdict that failed on threshold checks alone passes; one
 * that passed fails with "expected failure but passed"; one that failed for
 * any other reason (a crash, a timeout, a dead worker) stays failed.
 */
void verdict__expect_fail(struct verdict *v);
/* "4 workers, 2 cpus, 8 migrations, worst_spread=12.3%, worst_gap=3500ms" + per cgroup. */
void verdict__print_stats(const struct verdict *v, FILE *out);
/*
 * The run-level metrics of lib/verdict/metrics.h that this verdict has data for
 * (worst_spread, worst_gap_ms, ...), in table order; at most @max written.
 * Returns the number written. Metrics without data (no wake samples, no
 * NUMA pages) are left out rather than reported as 0.
 */
size_t verdict__metrics(const struct verdict *v, struct metric_value *out, size_t max);
void verdict__free(struct verdict *v);

#endif

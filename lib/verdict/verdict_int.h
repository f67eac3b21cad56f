/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by verdict*.c only: the pieces of one evaluation. */
#ifndef KTSTR_VERDICT_INT_H
#define KTSTR_VERDICT_INT_H

#include "verdict.h"

/* The threshold of @id when it is set (not unset, not disabled). */
static inline bool verdict__limit(const struct checks *c, enum check_id id, double *out)
{
	if (c->t[id].state != TH_SET)
		return false;
	*out = c->t[id].value;
	return true;
}

/* A boolean check that is on. */
static inline bool verdict__on(const struct checks *c, enum check_id id)
{
	return c->t[id].state == TH_SET && c->t[id].value != 0;
}

/* The checks read this worker: it completed and is not an exec worker. */
static inline bool verdict__checked(const struct ktstr_msg_worker_report *r)
{
	return r->exit_kind == KTSTR_WORKER_COMPLETED && !(r->flags & KTSTR_REPORT_F_EXEC);
}

/*
 * The worker lived at least the stuck threshold (any time when max_gap is
 * off): long enough for not_starved and the spread to judge it. A churned
 * cgroup's worker, spawned and stopped in one step, lives milliseconds.
 */
static inline bool verdict__long_lived(const struct checks *c,
				       const struct ktstr_msg_worker_report *r)
{
	double lim;

	return !verdict__limit(c, CHECK_MAX_GAP, &lim) ||
	       (double)(r->wall_time_ns / 1000000u) >= lim;
}

/* "(root)" for the ktstr root cgroup's "". */
static inline const char *verdict__cg_name(const struct cgroup_stats *st)
{
	return st->name[0] ? st->name : "(root)";
}

/* verdict_worker.c: one worker's checks; adds it to @st and its CPUs to @cg_cpus. */
void verdict__check_worker(const struct checks *c, const struct worker_result *w,
			   const struct cgroup_allowed *allowed, struct cgroup_stats *st,
			   struct cpuset *cg_cpus, struct verdict *v);

/*
 * verdict_cgroup.c: the checks over one cgroup's workers as a set (spread,
 * throughput, wake latency, migrations, NUMA), with their statistics.
 * st->cpus must be final. Returns 0 or -ENOMEM.
 */
int verdict__check_cgroup(const struct verdict_input *in, const struct cgroup_allowed *allowed,
			  struct cgroup_stats *st, struct verdict *v);

#endif

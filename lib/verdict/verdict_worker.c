// SPDX-License-Identifier: GPL-2.0
/*
 * The checks on one worker's report (ktstr-scenario(5), CHECKS): it ended as asked,
 * not_starved, max_gap, isolation, min_work_rate, min_iteration_rate.
 */
#include <stdio.h>

#include "base/units.h"
#include "verdict_int.h"

static void cpus_of(const struct ktstr_msg_worker_report *r, struct cpuset *out)
{
	cpuset__zero(out);
	for (unsigned cpu = 0; cpu < KTSTR_MAX_CPUS_WIRE; cpu++)
		if (r->cpus_used[cpu / 64] & (1ULL << (cpu % 64)))
			cpuset__set(out, cpu);
}

static const char *exit_text(const struct ktstr_msg_worker_report *r, char *buf, size_t len)
{
	switch (r->exit_kind) {
	case KTSTR_WORKER_EXITED:
		snprintf(buf, len, "exited with status %d before it was stopped", r->exit_value);
		break;
	case KTSTR_WORKER_SIGNALED:
		snprintf(buf, len, "was killed by signal %d", r->exit_value);
		break;
	case KTSTR_WORKER_TIMED_OUT:
		snprintf(buf, len, "sent no report by the stop deadline and was killed");
		break;
	default:
		snprintf(buf, len, "was lost (exit kind %u)", r->exit_kind);
	}
	return buf;
}

/*
 * A program (exec work): its exit status is its report. Ending with status 0,
 * or still running when the scenario stopped it, is a pass; failing on its
 * own is the scenario's failure, as a worker's death is.
 */
static void check_exec(const struct ktstr_msg_worker_report *r, const struct cgroup_stats *st,
		       struct verdict *v)
{
	if (r->flags & KTSTR_REPORT_F_EXEC_STOPPED)
		return;
	if (r->flags & KTSTR_REPORT_F_EXEC_SIGNALED)
		verdict__fail(v, "exec pid %d in %s was killed by signal %d", r->pid,
			      verdict__cg_name(st), r->exit_value);
	else if (r->exit_value)
		verdict__fail(v, "exec pid %d in %s exited with status %d%s", r->pid,
			      verdict__cg_name(st), r->exit_value,
			      r->exit_value == 127 ? " (the guest could not run it)" : "");
}

static void check_isolation(const struct checks *c, const struct worker_result *w,
			    const struct cpuset *used, const struct cgroup_allowed *allowed,
			    const struct cgroup_stats *st, struct verdict *v)
{
	struct cpuset bad;
	char bad_s[256], ok_s[256];

	if (!allowed || !allowed->constrained)
		return;
	cpuset__andnot(&bad, used, &allowed->cpus);
	if (cpuset__empty(&bad))
		return;
	cpuset__format(&bad, bad_s, sizeof(bad_s));
	cpuset__format(&allowed->cpus, ok_s, sizeof(ok_s));
	verdict__check_fail(v, c, CHECK_ISOLATION,
			    "tid %d ran on unexpected CPUs %s (cgroup %s allows %s)",
			    w->r.pid, bad_s, verdict__cg_name(st), ok_s);
}

/* Work units per CPU-second; 0 for a worker that got no CPU time. */
static double work_rate(const struct ktstr_msg_worker_report *r)
{
	return r->cpu_time_ns ? (double)r->work_units / ((double)r->cpu_time_ns / 1e9) : 0;
}

void verdict__check_worker(const struct checks *c, const struct worker_result *w,
			   const struct cgroup_allowed *allowed, struct cgroup_stats *st,
			   struct cpuset *cg_cpus, struct verdict *v)
{
	const struct ktstr_msg_worker_report *r = &w->r;
	struct cpuset used;
	double lim;
	char buf[128];

	cpus_of(r, &used);
	cpuset__or(cg_cpus, cg_cpus, &used);
	st->workers++;
	st->migrations += r->migration_count;
	st->iterations += r->iterations;

	if (r->flags & KTSTR_REPORT_F_EXEC) {
		check_exec(r, st, v);
		return;
	}
	if (r->exit_kind != KTSTR_WORKER_COMPLETED) {
		verdict__fail(v, "tid %d in %s %s", r->pid, verdict__cg_name(st),
			      exit_text(r, buf, sizeof(buf)));
		return;
	}
	st->checked++;
	/*
	 * No work in less time than the stuck threshold is not starvation: a
	 * worker stopped that soon is not judged. One that ran longer is.
	 */
	if (verdict__on(c, CHECK_NOT_STARVED) && r->work_units == 0 && verdict__long_lived(c, r))
		verdict__check_fail(v, c, CHECK_NOT_STARVED,
				    "tid %d starved (0 work units)", r->pid);

	uint64_t gap_ms = r->max_gap_ns / NSEC_PER_MSEC;

	if (gap_ms > st->max_gap_ms) {
		st->max_gap_ms = gap_ms;
		st->max_gap_cpu = r->max_gap_cpu;
	}
	if (verdict__limit(c, CHECK_MAX_GAP, &lim) && (double)gap_ms > lim)
		verdict__check_fail(v, c, CHECK_MAX_GAP,
				    "stuck %llums on cpu%u at +%llums (threshold %.0fms)",
				    (unsigned long long)gap_ms, r->max_gap_cpu,
				    (unsigned long long)(r->max_gap_at_ns / NSEC_PER_MSEC), lim);

	if (verdict__on(c, CHECK_ISOLATION))
		check_isolation(c, w, &used, allowed, st, v);

	if (verdict__limit(c, CHECK_MIN_WORK_RATE, &lim) && work_rate(r) < lim)
		verdict__check_fail(v, c, CHECK_MIN_WORK_RATE,
				    "worker %d throughput %.0f work/cpu_s below floor %.0f",
				    r->pid, work_rate(r), lim);

	if (verdict__limit(c, CHECK_MIN_ITERATION_RATE, &lim) && r->wall_time_ns) {
		double rate = (double)r->iterations / ((double)r->wall_time_ns / 1e9);

		if (rate < lim)
			verdict__check_fail(v, c, CHECK_MIN_ITERATION_RATE,
					    "worker %d iteration rate %.1f/s below floor %.1f/s",
					    r->pid, rate, lim);
	}
}

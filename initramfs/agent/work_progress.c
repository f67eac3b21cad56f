// SPDX-License-Identifier: GPL-2.0
/*
 * A worker's clock and progress points (work_int.h): the gap between them (max_gap,
 * the stuck check), the CPUs and migrations seen at them, and the
 * work-conservation watchdog. A point costs one read of the kernel's
 * tick-granular clock; the full check runs once per tick that passes (1 ms
 * at HZ=1000), whatever the type's iterations cost: a fork-exit iteration
 * takes a millisecond or more under TCG, a cpu-spin one a few microseconds.
 */
#include "work_int.h"

#include <sched.h>
#include <signal.h>
#include <time.h>

uint64_t wk__now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* CLOCK_MONOTONIC_COARSE: a memory read in the vDSO, no TSC read. */
static uint64_t coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static void record_cpu(struct wk *w, int cpu, uint64_t now)
{
	if (cpu < 0)
		return;
	if (cpu < KTSTR_MAX_CPUS_WIRE)
		w->r.cpus_used[cpu / 64] |= 1ull << (cpu % 64);
	if (w->last_cpu >= 0 && cpu != w->last_cpu) {
		if (w->r.nmigrations < KTSTR_REPORT_MAX_MIGRATIONS)
			w->mig[w->r.nmigrations++] = (struct ktstr_migration){
				.at_ns = now - w->start_ns,
				.from_cpu = (uint16_t)w->last_cpu,
				.to_cpu = (uint16_t)cpu,
			};
		w->r.migration_count++;
	}
	w->last_cpu = cpu;
}

void wk__progress_start(struct wk *w)
{
	w->last_cpu = -1;
	w->tick = coarse_ns();
	w->start_ns = w->last_ns = wk__now();
	record_cpu(w, sched_getcpu(), w->start_ns);
}

void wk__progress_check(struct wk *w)
{
	uint64_t now = wk__now();
	uint64_t gap = now - w->last_ns;
	int cpu = sched_getcpu();

	if (gap > w->r.max_gap_ns) {
		w->r.max_gap_ns = gap;
		w->r.max_gap_cpu = cpu < 0 ? 0 : (uint32_t)cpu;
		w->r.max_gap_at_ns = now - w->start_ns;
	}
	/*
	 * The work-conservation watchdog: a stall this long kills the scheduler.
	 * The host sets it to the run's max_gap threshold, so it fires only when
	 * the gap check fails anyway (a fixed 2 s would kill healthy schedulers
	 * under TCG, where 2 s gaps happen).
	 */
	if (w->ctx->sched_gap_kill_ns && gap > w->ctx->sched_gap_kill_ns) {
		pid_t pid = w->ctx->sched_pid_live ? *w->ctx->sched_pid_live : w->ctx->sched_pid;

		if (pid > 0)
			kill(pid, SIGUSR2);
	}
	w->last_ns = now;
	record_cpu(w, cpu, now);
}

void wk__progress(struct wk *w)
{
	uint64_t t = coarse_ns();

	if (t != w->tick) {
		w->tick = t;
		wk__progress_check(w);
	}
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host-side monitor for one variant (#19, lib/monitor/): whether it
 * runs, its sampler thread from the scenario's start to its end, and its
 * judgement folded into the run's verdict.
 *
 * It runs for a sched_ext scheduler when one of its checks is on
 * (max_imbalance_ratio, max_local_dsq_depth, fail_on_stall: on by default)
 * and the kernel's vmlinux (symbols and BTF) is there; without a vmlinux it
 * says why it did not run, in the report, and fails nothing.
 *
 *	run_monitor__prepare(sc, &checks, vmlinux, t, &rm, &res->monitor);
 *	vo.share_ram = rm != NULL;
 *	...SCENARIO_START: run_monitor__start(rm, vm);
 *	...SCENARIO_END, and always before vm__free(): run_monitor__stop(rm);
 *	run_monitor__judge(rm, &checks, &res->monitor, &res->verdict);
 *	run_monitor__free(rm);
 */
#ifndef KTSTR_RUN_MONITOR_H
#define KTSTR_RUN_MONITOR_H

#include <stdio.h>

#include "run_result.h"
#include "scenario/scenario.h"
#include "verdict/checks.h"
#include "verdict/metrics.h"
#include "vm/vm.h"

struct run_monitor;

/*
 * Decide for @sc on @t with the merged @c, and load @vmlinux's layout (may
 * be NULL or ""). Sets @mr->state (and why), and *@out to the monitor when
 * it will run, else NULL. Returns 0 or -ENOMEM.
 */
int run_monitor__prepare(const struct scenario *sc, const struct checks *c, const char *vmlinux,
			 const struct topology *t, struct run_monitor **out,
			 struct run_monitor_result *mr);

/*
 * Start sampling @vm's run queues (at SCENARIO_START). A failure (the RAM
 * not shared) leaves the monitor not run, with why. Once only.
 */
void run_monitor__start(struct run_monitor *rm, struct vm *vm);

/* Stop sampling (SCENARIO_END, and before vm__free()). Idempotent; NULL is fine. */
void run_monitor__stop(struct run_monitor *rm);

/*
 * Judge the series against @c and hand it to @mr; each failure becomes a
 * check failure of @v (waived under tcg when hardware_only). NULL @rm: nothing.
 */
int run_monitor__judge(struct run_monitor *rm, const struct checks *c,
		       struct run_monitor_result *mr, struct verdict *v);

/*
 * The same for a series already taken (@s, which @mr then owns, freed on
 * error too); @mr from run_monitor__prepare(), or with its limits set.
 */
int run_monitor__judge_series(struct mon_series *s, const struct checks *c,
			      struct run_monitor_result *mr, struct verdict *v);

void run_monitor__free(struct run_monitor *rm);

/* The report's `--- monitor ---` section; nothing when the monitor was off. */
void run_monitor__print(const struct run_monitor_result *mr, FILE *out);

/*
 * The samples as CSV, one line per sample and CPU (for --results-dir's
 * monitor.csv): t_ms,sample,cpu,nr_running,scx_nr_running,local_dsq,
 * rq_clock_ns,curr_pid,vcpu_ns,flags. @mr is a struct run_monitor_result.
 */
int run_monitor__csv(FILE *f, const void *mr);

/*
 * The monitor's metrics for the JSON line and `ktstr compare`
 * (monitor_max_imbalance, monitor_max_local_dsq, monitor_stall_cpus); none
 * unless it ran. Returns how many were written to @out (at most @max).
 */
size_t run_monitor__metrics(const struct run_monitor_result *mr, struct metric_value *out,
			    size_t max);

/* "passed", "failed", "not run: <why>", or NULL when off: the JSON line's "monitor". */
const char *run_monitor__state_str(const struct run_monitor_result *mr, char *buf, size_t len);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * The work types' operations by enum work_type, and the catalog defaults of
 * their params (lib/wire/workload.c's table, which the agent does not link).
 */
#include "work_int.h"

#define KIB 1024
#define US 1000LL
#define MS (1000 * US)

static const struct work_ops *const ops[WORK_TYPE_COUNT] = {
	[WORK_CPU_SPIN] = &work_ops_cpu_spin,
	[WORK_YIELD_HEAVY] = &work_ops_yield_heavy,
	[WORK_MIXED] = &work_ops_mixed,
	[WORK_IO_SYNC] = &work_ops_io_sync,
	[WORK_BURSTY] = &work_ops_bursty,
	[WORK_PIPE_IO] = &work_ops_pipe_io,
	[WORK_FUTEX_PING_PONG] = &work_ops_futex_ping_pong,
	[WORK_CACHE_PRESSURE] = &work_ops_cache_pressure,
	[WORK_CACHE_YIELD] = &work_ops_cache_yield,
	[WORK_CACHE_PIPE] = &work_ops_cache_pipe,
	[WORK_FUTEX_FAN_OUT] = &work_ops_futex_fan_out,
	[WORK_FAN_OUT_COMPUTE] = &work_ops_fan_out_compute,
	[WORK_SEQUENCE] = &work_ops_sequence,
	[WORK_FORK_EXIT] = &work_ops_fork_exit,
	[WORK_NICE_SWEEP] = &work_ops_nice_sweep,
	[WORK_AFFINITY_CHURN] = &work_ops_affinity_churn,
	[WORK_POLICY_CHURN] = &work_ops_policy_churn,
	[WORK_PAGE_FAULT_CHURN] = &work_ops_page_fault_churn,
	[WORK_MUTEX_CONTENTION] = &work_ops_mutex_contention,
	[WORK_EXEC] = &work_ops_exec,
};

static const int64_t defaults[WORK_TYPE_COUNT][WORK_MAX_PARAMS] = {
	[WORK_BURSTY] = { 50 * MS, 100 * MS },
	[WORK_PIPE_IO] = { 1024 },
	[WORK_FUTEX_PING_PONG] = { 1024 },
	[WORK_CACHE_PRESSURE] = { 32 * KIB, 64 },
	[WORK_CACHE_YIELD] = { 32 * KIB, 64 },
	[WORK_CACHE_PIPE] = { 32 * KIB, 1024 },
	[WORK_FUTEX_FAN_OUT] = { 4, 1024 },
	[WORK_FAN_OUT_COMPUTE] = { 4, 256 * KIB, 5, 100 * US },
	[WORK_AFFINITY_CHURN] = { 1024 },
	[WORK_POLICY_CHURN] = { 1024 },
	[WORK_PAGE_FAULT_CHURN] = { 4096 * KIB, 256, 64 },
	[WORK_MUTEX_CONTENTION] = { 4, 256, 1024 },
};

const struct work_ops *work_ops__get(enum work_type t)
{
	return ops[t];
}

int64_t work__param(const struct work_spec *s, unsigned i)
{
	if ((unsigned)s->type >= WORK_TYPE_COUNT || i >= WORK_MAX_PARAMS)
		return 0;
	/* A 0 means "the default", except for the sleeps, whose minimum is 0. */
	if (s->params[i] > 0 || (!s->params[i] && ((s->type == WORK_BURSTY && i == 1) ||
						    (s->type == WORK_FAN_OUT_COMPUTE && i == 3))))
		return s->params[i];
	return defaults[s->type][i];
}

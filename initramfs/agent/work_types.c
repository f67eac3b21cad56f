// SPDX-License-Identifier: GPL-2.0
/*
 * The work types' operations by enum work_type (work_params.c has their
 * params' defaults).
 */
#include "work_int.h"

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

const struct work_ops *work_ops__get(enum work_type t)
{
	return ops[t];
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The work-type catalog: the names, parameters, defaults and group sizes of
 * every worker behaviour. Shared by the scenario loader (to parse and
 * validate), the guest agent (to run) and the docs.
 */
#ifndef KTSTR_WORKLOAD_H
#define KTSTR_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

enum work_type {
	WORK_CPU_SPIN,
	WORK_YIELD_HEAVY,
	WORK_MIXED,
	WORK_IO_SYNC,
	WORK_BURSTY,
	WORK_PIPE_IO,
	WORK_FUTEX_PING_PONG,
	WORK_CACHE_PRESSURE,
	WORK_CACHE_YIELD,
	WORK_CACHE_PIPE,
	WORK_FUTEX_FAN_OUT,
	WORK_FAN_OUT_COMPUTE,
	WORK_SEQUENCE,
	WORK_FORK_EXIT,
	WORK_NICE_SWEEP,
	WORK_AFFINITY_CHURN,
	WORK_POLICY_CHURN,
	WORK_PAGE_FAULT_CHURN,
	WORK_MUTEX_CONTENTION,
	WORK_EXEC,
	WORK_TYPE_COUNT
};

enum work_param_kind {
	PARAM_COUNT,		/* a plain positive integer: spin_iters: 512 */
	PARAM_DURATION,		/* nanoseconds, written with a unit: 50ms */
	PARAM_SIZE,		/* bytes, written with a unit: 32KiB */
};

#define WORK_MAX_PARAMS 4

struct work_param_desc {
	const char *name;	/* snake_case key in the work map */
	enum work_param_kind kind;
	int64_t def;		/* default, in ns / bytes / count */
	int64_t min, max;	/* inclusive bounds */
};

struct work_type_desc {
	const char *name;	/* kebab-case: "cpu-spin" */
	enum work_type type;
	const char *summary;	/* one line, for docs and --help */
	size_t nparams;
	struct work_param_desc params[WORK_MAX_PARAMS];
	/*
	 * Workers come in groups of this size (pipe pairs, fan-out sets); 1
	 * when ungrouped. When group_param >= 0 the group size is
	 * params[group_param] + group_extra instead.
	 */
	uint32_t group_size;
	int group_param;
	uint32_t group_extra;
	/* Swappable by the gauntlet's --work-type (0 for sequence and exec). */
	int overridable;
};

const struct work_type_desc *workload__find(const char *name);
const struct work_type_desc *workload__desc(enum work_type type);
/* NULL-terminated list of every work-type name, for did-you-mean. */
const char *const *workload__names(size_t *n);
/* Index of the parameter named @name in @d, or -1. */
int workload__param_index(const struct work_type_desc *d, const char *name);
/* Group size for a work with the given parameter values. */
uint32_t workload__group_size(const struct work_type_desc *d, const int64_t *params);

#endif

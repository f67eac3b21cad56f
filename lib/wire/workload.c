// SPDX-License-Identifier: GPL-2.0
/*
 * The work-type catalog (ktstr-scenario(5), WORK TYPES). Parameter names are
 * upstream's in snake_case, minus the unit suffix where the value carries
 * its unit (burst_ms -> burst: 50ms, size_kb -> size: 32KiB).
 */
#include "workload.h"

#include <string.h>

#define KIB 1024LL
#define MIB (1024LL * KIB)
#define GIB (1024LL * MIB)
#define US 1000LL
#define MS (1000LL * US)
#define SEC (1000LL * MS)

/* Bounds shared by every parameter of one kind. */
#define ITERS(n, d)	{ n, PARAM_COUNT, d, 1, 1LL << 30 }
#define SIZE(n, d)	{ n, PARAM_SIZE, d, 1 * KIB, 1 * GIB }
#define FAN_OUT		{ "fan_out", PARAM_COUNT, 4, 1, 64 }

static const struct work_type_desc work_types[WORK_TYPE_COUNT] = {
	[WORK_CPU_SPIN] = {
		.name = "cpu-spin", .type = WORK_CPU_SPIN, .group_size = 1, .group_param = -1,
		.overridable = 1,
		.summary = "spin on the CPU without ever blocking",
	},
	[WORK_YIELD_HEAVY] = {
		.name = "yield-heavy", .type = WORK_YIELD_HEAVY, .group_size = 1,
		.group_param = -1, .overridable = 1,
		.summary = "call sched_yield() in a tight loop",
	},
	[WORK_MIXED] = {
		.name = "mixed", .type = WORK_MIXED, .group_size = 1, .group_param = -1,
		.overridable = 1,
		.summary = "spin a burst, then yield",
	},
	[WORK_IO_SYNC] = {
		.name = "io-sync", .type = WORK_IO_SYNC, .group_size = 1, .group_param = -1,
		.overridable = 1,
		.summary = "small file writes, then a 100us sleep",
	},
	[WORK_BURSTY] = {
		.name = "bursty", .type = WORK_BURSTY, .group_size = 1, .group_param = -1,
		.overridable = 1,
		.summary = "spin for `burst`, then sleep for `sleep`",
		.nparams = 2,
		.params = {
			{ "burst", PARAM_DURATION, 50 * MS, 1 * US, 60 * SEC },
			{ "sleep", PARAM_DURATION, 100 * MS, 0, 60 * SEC },
		},
	},
	[WORK_PIPE_IO] = {
		.name = "pipe-io", .type = WORK_PIPE_IO, .group_size = 2, .group_param = -1,
		.overridable = 1,
		.summary = "pairs that spin, then pass a byte through a pipe",
		.nparams = 1,
		.params = { ITERS("burst_iters", 1024) },
	},
	[WORK_FUTEX_PING_PONG] = {
		.name = "futex-ping-pong", .type = WORK_FUTEX_PING_PONG, .group_size = 2,
		.group_param = -1, .overridable = 1,
		.summary = "pairs that spin, then wake each other through a futex",
		.nparams = 1,
		.params = { ITERS("spin_iters", 1024) },
	},
	[WORK_CACHE_PRESSURE] = {
		.name = "cache-pressure", .type = WORK_CACHE_PRESSURE, .group_size = 1,
		.group_param = -1, .overridable = 1,
		.summary = "strided read-modify-write over a private buffer",
		.nparams = 2,
		.params = {
			SIZE("size", 32 * KIB),
			{ "stride", PARAM_COUNT, 64, 1, 1 * MIB },
		},
	},
	[WORK_CACHE_YIELD] = {
		.name = "cache-yield", .type = WORK_CACHE_YIELD, .group_size = 1,
		.group_param = -1, .overridable = 1,
		.summary = "strided read-modify-write, then yield",
		.nparams = 2,
		.params = {
			SIZE("size", 32 * KIB),
			{ "stride", PARAM_COUNT, 64, 1, 1 * MIB },
		},
	},
	[WORK_CACHE_PIPE] = {
		.name = "cache-pipe", .type = WORK_CACHE_PIPE, .group_size = 2, .group_param = -1,
		.overridable = 1,
		.summary = "pairs that touch a buffer, then pass a byte through a pipe",
		.nparams = 2,
		.params = {
			SIZE("size", 32 * KIB),
			ITERS("burst_iters", 1024),
		},
	},
	[WORK_FUTEX_FAN_OUT] = {
		.name = "futex-fan-out", .type = WORK_FUTEX_FAN_OUT, .group_size = 5,
		.group_param = 0, .group_extra = 1, .overridable = 1,
		.summary = "one messenger wakes `fan_out` receivers through a futex",
		.nparams = 2,
		.params = {
			FAN_OUT,
			ITERS("spin_iters", 1024),
		},
	},
	[WORK_FAN_OUT_COMPUTE] = {
		.name = "fan-out-compute", .type = WORK_FAN_OUT_COMPUTE, .group_size = 5,
		.group_param = 0, .group_extra = 1, .overridable = 1,
		.summary = "one messenger wakes `fan_out` workers that sleep, then multiply matrices",
		.nparams = 4,
		.params = {
			FAN_OUT,
			SIZE("cache_footprint", 256 * KIB),
			{ "operations", PARAM_COUNT, 5, 1, 1000 },
			{ "sleep", PARAM_DURATION, 100 * US, 0, 10 * SEC },
		},
	},
	[WORK_SEQUENCE] = {
		.name = "sequence", .type = WORK_SEQUENCE, .group_size = 1, .group_param = -1,
		.overridable = 0,
		.summary = "run `phases` (spin, sleep, yield, io) in order, repeatedly",
	},
	[WORK_FORK_EXIT] = {
		.name = "fork-exit", .type = WORK_FORK_EXIT, .group_size = 1, .group_param = -1,
		.overridable = 1,
		.summary = "fork a child that exits at once, and reap it",
	},
	[WORK_NICE_SWEEP] = {
		.name = "nice-sweep", .type = WORK_NICE_SWEEP, .group_size = 1, .group_param = -1,
		.overridable = 1,
		.summary = "spin, then step through nice levels",
	},
	[WORK_AFFINITY_CHURN] = {
		.name = "affinity-churn", .type = WORK_AFFINITY_CHURN, .group_size = 1,
		.group_param = -1, .overridable = 1,
		.summary = "spin, then pin itself to a random CPU",
		.nparams = 1,
		.params = { ITERS("spin_iters", 1024) },
	},
	[WORK_POLICY_CHURN] = {
		.name = "policy-churn", .type = WORK_POLICY_CHURN, .group_size = 1,
		.group_param = -1, .overridable = 1,
		.summary = "spin, then switch to the next scheduling policy",
		.nparams = 1,
		.params = { ITERS("spin_iters", 1024) },
	},
	[WORK_PAGE_FAULT_CHURN] = {
		.name = "page-fault-churn", .type = WORK_PAGE_FAULT_CHURN, .group_size = 1,
		.group_param = -1, .overridable = 1,
		.summary = "fault in random pages of a region, drop them, spin",
		.nparams = 3,
		.params = {
			{ "region", PARAM_SIZE, 4096 * KIB, 4 * KIB, 1 * GIB },
			{ "touches_per_cycle", PARAM_COUNT, 256, 1, 1 << 20 },
			ITERS("spin_iters", 64),
		},
	},
	[WORK_MUTEX_CONTENTION] = {
		.name = "mutex-contention", .type = WORK_MUTEX_CONTENTION, .group_size = 4,
		.group_param = 0, .group_extra = 0, .overridable = 1,
		.summary = "`contenders` workers fight over one futex lock",
		.nparams = 3,
		.params = {
			{ "contenders", PARAM_COUNT, 4, 2, 64 },
			ITERS("hold_iters", 256),
			ITERS("work_iters", 1024),
		},
	},
	[WORK_EXEC] = {
		.name = "exec", .type = WORK_EXEC, .group_size = 1, .group_param = -1,
		.overridable = 0,
		.summary = "run a program given by `argv` (never through a shell)",
	},
};

static const char *const work_names[WORK_TYPE_COUNT + 1] = {
	"cpu-spin", "yield-heavy", "mixed", "io-sync", "bursty", "pipe-io", "futex-ping-pong",
	"cache-pressure", "cache-yield", "cache-pipe", "futex-fan-out", "fan-out-compute",
	"sequence", "fork-exit", "nice-sweep", "affinity-churn", "policy-churn",
	"page-fault-churn", "mutex-contention", "exec", NULL,
};

const struct work_type_desc *workload__find(const char *name)
{
	for (size_t i = 0; i < WORK_TYPE_COUNT; i++)
		if (!strcmp(work_types[i].name, name))
			return &work_types[i];
	return NULL;
}

const struct work_type_desc *workload__desc(enum work_type type)
{
	if ((unsigned)type >= WORK_TYPE_COUNT)
		return NULL;
	return &work_types[type];
}

const char *const *workload__names(size_t *n)
{
	if (n)
		*n = WORK_TYPE_COUNT;
	return work_names;
}

int workload__param_index(const struct work_type_desc *d, const char *name)
{
	for (size_t i = 0; i < d->nparams; i++)
		if (!strcmp(d->params[i].name, name))
			return (int)i;
	return -1;
}

uint32_t workload__group_size(const struct work_type_desc *d, const int64_t *params)
{
	if (d->group_param >= 0 && (size_t)d->group_param < d->nparams) {
		int64_t v = params ? params[d->group_param] : d->params[d->group_param].def;

		if (v < 0 || v > UINT32_MAX - d->group_extra)
			return 1;
		return (uint32_t)v + d->group_extra;
	}
	return d->group_size ? d->group_size : 1;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The work types' params with their defaults (lib/wire/workload.c's table,
 * which the agent does not link).
 */
#include "work_int.h"

#define KIB 1024
#define US 1000LL
#define MS (1000 * US)

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

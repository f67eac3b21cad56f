// SPDX-License-Identifier: GPL-2.0
/*
 * The check keys a scenario or scheduler may set, and the layer merge
 * (ktstr-scenario(5), CHECKS).
 */
#include "checks.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/units.h"

static const struct check_desc check_table[CHECK_COUNT] = {
	[CHECK_NOT_STARVED] = { "not_starved", CHECK_NOT_STARVED, CHECKV_BOOL,
		"every worker made progress" },
	[CHECK_ISOLATION] = { "isolation", CHECK_ISOLATION, CHECKV_BOOL,
		"workers ran only on their cgroup's cpuset" },
	[CHECK_MAX_GAP] = { "max_gap", CHECK_MAX_GAP, CHECKV_DURATION_MS,
		"longest time a worker went without running" },
	[CHECK_MAX_SPREAD] = { "max_spread", CHECK_MAX_SPREAD, CHECKV_PERCENT,
		"spread of CPU shares between workers of a cgroup" },
	[CHECK_MAX_THROUGHPUT_CV] = { "max_throughput_cv", CHECK_MAX_THROUGHPUT_CV,
		CHECKV_NUMBER, "coefficient of variation of worker throughput" },
	[CHECK_MIN_WORK_RATE] = { "min_work_rate", CHECK_MIN_WORK_RATE, CHECKV_NUMBER,
		"work units per CPU-second, at least" },
	[CHECK_MAX_P99_WAKE_LATENCY] = { "max_p99_wake_latency", CHECK_MAX_P99_WAKE_LATENCY,
		CHECKV_DURATION_NS, "99th percentile wake-up latency" },
	[CHECK_MAX_WAKE_LATENCY_CV] = { "max_wake_latency_cv", CHECK_MAX_WAKE_LATENCY_CV,
		CHECKV_NUMBER, "coefficient of variation of wake-up latency" },
	[CHECK_MIN_ITERATION_RATE] = { "min_iteration_rate", CHECK_MIN_ITERATION_RATE,
		CHECKV_NUMBER, "worker iterations per second, at least" },
	[CHECK_MAX_MIGRATION_RATIO] = { "max_migration_ratio", CHECK_MAX_MIGRATION_RATIO,
		CHECKV_NUMBER, "CPU migrations per iteration" },
	[CHECK_MIN_PAGE_LOCALITY] = { "min_page_locality", CHECK_MIN_PAGE_LOCALITY,
		CHECKV_FRACTION, "share of pages on the worker's own NUMA node" },
	[CHECK_MAX_CROSS_NODE_MIGRATION_RATIO] = { "max_cross_node_migration_ratio",
		CHECK_MAX_CROSS_NODE_MIGRATION_RATIO, CHECKV_NUMBER,
		"share of migrations that crossed NUMA nodes" },
	[CHECK_MAX_IMBALANCE_RATIO] = { "max_imbalance_ratio", CHECK_MAX_IMBALANCE_RATIO,
		CHECKV_NUMBER, "host monitor: busiest over idlest run-queue" },
	[CHECK_MAX_LOCAL_DSQ_DEPTH] = { "max_local_dsq_depth", CHECK_MAX_LOCAL_DSQ_DEPTH,
		CHECKV_INTEGER, "host monitor: tasks queued on one CPU's local DSQ" },
	[CHECK_FAIL_ON_STALL] = { "fail_on_stall", CHECK_FAIL_ON_STALL, CHECKV_BOOL,
		"host monitor: fail when a CPU's run-queue stops moving" },
};

static const char *const check_keys[CHECK_COUNT + 1] = {
	"not_starved", "isolation", "max_gap", "max_spread", "max_throughput_cv",
	"min_work_rate", "max_p99_wake_latency", "max_wake_latency_cv", "min_iteration_rate",
	"max_migration_ratio", "min_page_locality", "max_cross_node_migration_ratio",
	"max_imbalance_ratio", "max_local_dsq_depth", "fail_on_stall", NULL,
};

/* The keys of a `checks:` map: every check key, then "hardware_only". */
static const char *const check_map_keys[CHECK_COUNT + 2] = {
	"not_starved", "isolation", "max_gap", "max_spread", "max_throughput_cv",
	"min_work_rate", "max_p99_wake_latency", "max_wake_latency_cv", "min_iteration_rate",
	"max_migration_ratio", "min_page_locality", "max_cross_node_migration_ratio",
	"max_imbalance_ratio", "max_local_dsq_depth", "fail_on_stall", "hardware_only", NULL,
};

const char *const *checks__map_keys(void)
{
	return check_map_keys;
}

const struct check_desc *checks__desc(enum check_id id)
{
	if ((unsigned)id >= CHECK_COUNT)
		return NULL;
	return &check_table[id];
}

bool checks__monitor(enum check_id id)
{
	return id == CHECK_MAX_IMBALANCE_RATIO || id == CHECK_MAX_LOCAL_DSQ_DEPTH ||
	       id == CHECK_FAIL_ON_STALL;
}

const struct check_desc *checks__find(const char *key)
{
	for (size_t i = 0; i < CHECK_COUNT; i++)
		if (!strcmp(check_table[i].key, key))
			return &check_table[i];
	return NULL;
}

/* NULL-terminated, in check_id order. */
const char *const *checks__keys(size_t *n)
{
	if (n)
		*n = CHECK_COUNT;
	return check_keys;
}

void checks__merge(struct checks *base, const struct checks *top)
{
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		bool hw = base->t[i].hardware_only || top->t[i].hardware_only;

		if (top->t[i].state != TH_UNSET)
			base->t[i] = top->t[i];
		base->t[i].hardware_only = hw;
	}
}

void checks__resolve(enum threshold_profile p, const struct checks *sched,
		     const struct checks *scenario, struct checks *out)
{
	checks__defaults(p, out);
	if (sched)
		checks__merge(out, sched);
	if (scenario)
		checks__merge(out, scenario);
	out->waive_hardware_only = p == THRESHOLDS_TCG;
}

void checks__format(enum check_id id, const struct threshold *th, char *buf, size_t len)
{
	const struct check_desc *cd = checks__desc(id);

	if (!cd || th->state == TH_UNSET) {
		snprintf(buf, len, "none");
		return;
	}
	if (th->state == TH_DISABLED) {
		snprintf(buf, len, "off");
		return;
	}
	switch (cd->kind) {
	case CHECKV_BOOL:
		snprintf(buf, len, "%s", th->value != 0 ? "true" : "false");
		break;
	case CHECKV_DURATION_MS:
	case CHECKV_DURATION_NS: {
		double ns = cd->kind == CHECKV_DURATION_MS ? th->value * 1e6 : th->value;

		if (ns < 1) {
			snprintf(buf, len, "%gns", ns);	/* written as 0 */
			break;
		}
		units__format_duration((uint64_t)llround(ns), buf, len);
		break;
	}
	case CHECKV_PERCENT:
		snprintf(buf, len, "%g%%", th->value);
		break;
	case CHECKV_INTEGER:
		snprintf(buf, len, "%.0f", th->value);
		break;
	case CHECKV_NUMBER:
	case CHECKV_FRACTION:
		snprintf(buf, len, "%g", th->value);
		break;
	}
}

// SPDX-License-Identifier: GPL-2.0
/* The metric registry: names, polarity and significance gates. */
#include <string.h>

#include "metrics.h"

#define L METRIC_LOWER_BETTER
#define H METRIC_HIGHER_BETTER

static const struct metric_desc table[] = {
	{ "worst_spread", L, 5.0, 0.25, "%" },
	{ "worst_gap_ms", L, 500, 0.50, "ms" },
	{ "total_migrations", L, 10, 0.30, "" },
	{ "worst_migration_ratio", L, 0.05, 0.20, "" },
	{ "worst_p99_wake_latency_us", L, 50, 0.25, "us" },
	{ "worst_median_wake_latency_us", L, 20, 0.25, "us" },
	{ "worst_wake_latency_cv", L, 0.10, 0.25, "" },
	{ "total_iterations", H, 100, 0.10, "" },
	{ "worst_mean_run_delay_us", L, 50, 0.25, "us" },
	{ "worst_run_delay_us", L, 100, 0.50, "us" },
	{ "worst_wake_latency_tail_ratio", L, 0.5, 0.25, "x" },
	{ "worst_iterations_per_worker", H, 10, 0.10, "" },
	{ "worst_page_locality", H, 0.05, 0.10, "" },
	{ "worst_cross_node_migration_ratio", L, 0.05, 0.20, "" },
	{ "worst_slowest_rate_pct", H, 10, 0.20, "%" },
	/* The host-side monitor's (sched_ext only): */
	{ "monitor_max_imbalance", L, 1.0, 0.50, "x" },
	{ "monitor_max_local_dsq", L, 8, 0.50, "" },
	{ "monitor_stall_cpus", L, 1, 0, "" },
};

const struct metric_desc *metrics__table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

const struct metric_desc *metrics__find(const char *name)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

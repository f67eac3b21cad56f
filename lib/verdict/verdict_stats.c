// SPDX-License-Identifier: GPL-2.0
/* A verdict's statistics for people (the `--- stats ---` block) and machines (metrics). */
#include <string.h>

#include "verdict_int.h"

void verdict__print_stats(const struct verdict *v, FILE *out)
{
	fprintf(out, "%u workers, %u cpus, %llu migrations, worst_spread=%.1f%%, worst_gap=%llums\n",
		v->workers, v->cpus, (unsigned long long)v->migrations, v->worst_spread_pct,
		(unsigned long long)v->worst_gap_ms);
	for (size_t i = 0; i < v->ncgroups; i++) {
		const struct cgroup_stats *st = &v->cgroups[i];

		fprintf(out, "  %s: workers=%u cpus=%u spread=%.1f%% gap=%llums migrations=%llu "
			"iter=%llu", verdict__cg_name(st), st->workers, st->cpus,
			st->spread_pct, (unsigned long long)st->max_gap_ms,
			(unsigned long long)st->migrations, (unsigned long long)st->iterations);
		/* The slowest worker's iteration rate against its peers' median. */
		if (st->has_peers)
			fprintf(out, " slowest=%.0f%%", st->slowest_rate_pct);
		fputc('\n', out);
	}
}

/* Fold one cgroup's value into a run-level worst. */
struct worst {
	bool any;
	double v;
};

static void worst_max(struct worst *w, double x)
{
	if (!w->any || x > w->v)
		w->v = x;
	w->any = true;
}

static void worst_min(struct worst *w, double x)
{
	if (!w->any || x < w->v)
		w->v = x;
	w->any = true;
}

enum {
	M_MIG_RATIO, M_P99, M_MEDIAN, M_WAKE_CV, M_MEAN_DELAY, M_WORST_DELAY, M_TAIL,
	M_ITER_PER_WORKER, M_LOCALITY, M_CROSS_NODE, M_SLOWEST, M_COUNT
};

static const char *const folded_names[M_COUNT] = {
	[M_MIG_RATIO] = "worst_migration_ratio",
	[M_P99] = "worst_p99_wake_latency_us",
	[M_MEDIAN] = "worst_median_wake_latency_us",
	[M_WAKE_CV] = "worst_wake_latency_cv",
	[M_MEAN_DELAY] = "worst_mean_run_delay_us",
	[M_WORST_DELAY] = "worst_run_delay_us",
	[M_TAIL] = "worst_wake_latency_tail_ratio",
	[M_ITER_PER_WORKER] = "worst_iterations_per_worker",
	[M_LOCALITY] = "worst_page_locality",
	[M_CROSS_NODE] = "worst_cross_node_migration_ratio",
	[M_SLOWEST] = "worst_slowest_rate_pct",
};

static void fold(const struct verdict *v, struct worst w[M_COUNT])
{
	memset(w, 0, M_COUNT * sizeof(*w));
	for (size_t i = 0; i < v->ncgroups; i++) {
		const struct cgroup_stats *st = &v->cgroups[i];

		if (st->iterations)
			worst_max(&w[M_MIG_RATIO], st->migration_ratio);
		if (st->wake_samples) {
			worst_max(&w[M_P99], st->p99_wake_us);
			worst_max(&w[M_MEDIAN], st->median_wake_us);
			worst_max(&w[M_WAKE_CV], st->wake_cv);
			if (st->median_wake_us > 0)
				worst_max(&w[M_TAIL], st->tail_ratio);
		}
		if (st->checked) {
			worst_max(&w[M_MEAN_DELAY], st->mean_run_delay_us);
			worst_max(&w[M_WORST_DELAY], st->worst_run_delay_us);
		}
		if (st->workers)
			worst_min(&w[M_ITER_PER_WORKER], st->iterations_per_worker);
		if (st->has_peers)
			worst_min(&w[M_SLOWEST], st->slowest_rate_pct);
		if (st->pages) {
			worst_min(&w[M_LOCALITY], st->page_locality);
			worst_max(&w[M_CROSS_NODE], st->cross_node_ratio);
		}
	}
}

/* The value of metric @name, false when this verdict has no data for it. */
static bool metric_value(const struct verdict *v, const struct worst w[M_COUNT],
			 const char *name, double *out)
{
	if (!strcmp(name, "worst_spread"))
		*out = v->worst_spread_pct;
	else if (!strcmp(name, "worst_gap_ms"))
		*out = (double)v->worst_gap_ms;
	else if (!strcmp(name, "total_migrations"))
		*out = (double)v->migrations;
	else if (!strcmp(name, "total_iterations"))
		*out = (double)v->iterations;
	else {
		for (unsigned i = 0; i < M_COUNT; i++) {
			if (!strcmp(name, folded_names[i])) {
				*out = w[i].v;
				return w[i].any;
			}
		}
		return false;	/* a metric the verdict does not compute */
	}
	return v->workers > 0;
}

size_t verdict__metrics(const struct verdict *v, struct metric_value *out, size_t max)
{
	struct worst w[M_COUNT];
	const struct metric_desc *table;
	size_t n, k = 0;

	fold(v, w);
	table = metrics__table(&n);
	for (size_t i = 0; i < n && k < max; i++) {
		double x;

		if (metric_value(v, w, table[i].name, &x))
			out[k++] = (struct metric_value){ .name = table[i].name, .value = x };
	}
	return k;
}

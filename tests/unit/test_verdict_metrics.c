// SPDX-License-Identifier: GPL-2.0
/* verdict__metrics: the registry's metrics that a verdict has data for, worst over cgroups. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "verdict/verdict.h"

#define MS 1000000ULL

static uint64_t lat0[4] = { 10000, 10000, 10000, 10000 };	/* cg0: all 10us */
static uint64_t lat1[100];					/* cg1: 1..100us */

static struct worker_result worker(const char *cg, int pid, uint64_t iters, unsigned cpu)
{
	struct worker_result w;

	memset(&w, 0, sizeof(w));
	snprintf(w.r.cgroup, sizeof(w.r.cgroup), "%s", cg);
	w.r.pid = pid;
	w.r.work_units = iters * 1024;
	w.r.iterations = iters;
	w.r.wall_time_ns = 1000 * MS;
	w.r.cpu_time_ns = 500 * MS;
	w.r.off_cpu_ns = 500 * MS;
	w.r.cpus_used[0] = 1ULL << cpu;
	w.r.exit_kind = KTSTR_WORKER_COMPLETED;
	return w;
}

/* cg0: 2 workers, 300 iterations, 6 migrations; cg1: 1 worker, 100 iterations, 1 migration. */
static void run(struct worker_result w[3])
{
	w[0] = worker("cg0", 1, 100, 0);
	w[1] = worker("cg0", 2, 200, 1);
	w[2] = worker("cg1", 3, 100, 2);
	w[0].r.migration_count = 2;
	w[1].r.migration_count = 4;
	w[2].r.migration_count = 1;
	w[0].r.schedstat_run_delay_ns = 100000;	/* 100us */
	w[1].r.schedstat_run_delay_ns = 300000;	/* 300us: cg0 mean 200us */
	w[2].r.schedstat_run_delay_ns = 250000;
	w[0].latencies = lat0;
	w[0].r.nlatencies = 4;
	for (unsigned i = 0; i < 100; i++)
		lat1[i] = (i + 1) * 1000ULL;
	w[2].latencies = lat1;
	w[2].r.nlatencies = 100;
	w[0].r.numa_pages[0] = 90;
	w[0].r.numa_pages[1] = 10;	/* cg0 pinned to node 0: 0.9 local */
	w[2].r.numa_pages[1] = 100;
	w[2].r.vmstat_numa_pages_migrated = 5;	/* cg1: 0.05 */
}

static bool get(const struct metric_value *m, size_t n, const char *name, double *out)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(m[i].name, name)) {
			*out = m[i].value;
			return true;
		}
	}
	return false;
}

static void expect_metric(const struct metric_value *m, size_t n, const char *name, double want)
{
	double v = 0;

	if (!get(m, n, name, &v))
		fail_msg("metric %s missing", name);
	if (fabs(v - want) > 1e-9 * (fabs(want) + 1))
		fail_msg("metric %s = %.9g, want %.9g", name, v, want);
}

static const struct topology topo = { 2, 2, 2, 1 };	/* CPUs 0-1 node 0, 2-3 node 1 */

static void evaluate(struct worker_result *w, size_t n, struct verdict *v)
{
	struct checks c;
	struct cgroup_allowed allowed = { .cgroup = "cg0", .constrained = true };

	checks__defaults(THRESHOLDS_DEFAULT, &c);
	cpuset__zero(&allowed.cpus);
	cpuset__set(&allowed.cpus, 0);
	cpuset__set(&allowed.cpus, 1);
	assert_int_equal(verdict__evaluate(&(struct verdict_input){
		.checks = &c, .workers = w, .nworkers = n, .allowed = &allowed, .nallowed = 1,
		.topo = &topo }, v), 0);
}

static void test_all_metrics(void **state)
{
	struct worker_result w[3];
	struct metric_value m[METRICS_MAX];
	struct verdict v;
	size_t n, ntable;
	const struct metric_desc *table = metrics__table(&ntable);

	(void)state;
	run(w);
	evaluate(w, 3, &v);
	n = verdict__metrics(&v, m, METRICS_MAX);
	/* data for every metric of the registry but the host-side monitor's (cmd/run's) */
	while (ntable && !strncmp(table[ntable - 1].name, "monitor_", 8))
		ntable--;
	assert_int_equal(n, ntable);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(m[i].name, table[i].name);	/* table order */

	expect_metric(m, n, "worst_spread", 0);
	expect_metric(m, n, "worst_gap_ms", 0);
	expect_metric(m, n, "total_migrations", 7);
	expect_metric(m, n, "total_iterations", 400);
	expect_metric(m, n, "worst_migration_ratio", 6.0 / 300);	/* cg0 over cg1's 0.01 */
	expect_metric(m, n, "worst_p99_wake_latency_us", 99);		/* cg1 */
	expect_metric(m, n, "worst_median_wake_latency_us", 51);	/* cg1: sorted[50] */
	expect_metric(m, n, "worst_wake_latency_tail_ratio", 99.0 / 51);
	/* cg1's samples 1..100us: population stddev sqrt((100^2 - 1) / 12) over mean 50.5. */
	expect_metric(m, n, "worst_wake_latency_cv", sqrt((100.0 * 100 - 1) / 12) / 50.5);
	expect_metric(m, n, "worst_mean_run_delay_us", 250);		/* cg1's one worker */
	expect_metric(m, n, "worst_run_delay_us", 300);			/* cg0's second */
	expect_metric(m, n, "worst_iterations_per_worker", 100);	/* cg1: 100 vs cg0: 150 */
	expect_metric(m, n, "worst_page_locality", 0.9);		/* cg0 */
	expect_metric(m, n, "worst_cross_node_migration_ratio", 0.05);	/* cg1 */
	assert_true(fabs(v.cgroups[0].mean_run_delay_us - 200) < 1e-9);

	/* @max caps what is written. */
	assert_int_equal(verdict__metrics(&v, m, 3), 3);
	assert_string_equal(m[2].name, table[2].name);
	verdict__free(&v);
}

static void test_missing_data(void **state)
{
	struct worker_result w[3];
	struct metric_value m[METRICS_MAX];
	struct verdict v;
	double x;
	size_t n;

	(void)state;
	run(w);
	for (int i = 0; i < 3; i++) {
		w[i].r.nlatencies = 0;
		memset(w[i].r.numa_pages, 0, sizeof(w[i].r.numa_pages));
	}
	evaluate(w, 3, &v);
	n = verdict__metrics(&v, m, METRICS_MAX);
	/* No wake samples, no pages: those metrics are left out, not 0. */
	assert_false(get(m, n, "worst_p99_wake_latency_us", &x));
	assert_false(get(m, n, "worst_median_wake_latency_us", &x));
	assert_false(get(m, n, "worst_wake_latency_cv", &x));
	assert_false(get(m, n, "worst_wake_latency_tail_ratio", &x));
	assert_false(get(m, n, "worst_page_locality", &x));
	assert_false(get(m, n, "worst_cross_node_migration_ratio", &x));
	expect_metric(m, n, "total_iterations", 400);
	verdict__free(&v);

	/* No workers at all: nothing to report. */
	evaluate(w, 0, &v);
	assert_int_equal(verdict__metrics(&v, m, METRICS_MAX), 0);
	verdict__free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_metrics),
		cmocka_unit_test(test_missing_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

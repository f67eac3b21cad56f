// SPDX-License-Identifier: GPL-2.0
/*
 * Worker checks on synthetic reports (ktstr-scenario(5), CHECKS): each check
 * passes on a healthy set and fails with its exact message on a bad one;
 * `expect: fail`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/verdict.h"

#define MS 1000000ULL
#define NW 4
#define NLAT 50

/* A run's reports and the wake-latency samples they point at. */
struct run {
	struct worker_result w[NW];
	uint64_t lat[NW][NLAT];
};

static struct worker_result worker(const char *cg, int pid, uint64_t units, uint64_t wall_ms,
				   uint64_t off_ms, uint64_t gap_ms, unsigned cpu)
{
	struct worker_result w;

	memset(&w, 0, sizeof(w));
	snprintf(w.r.cgroup, sizeof(w.r.cgroup), "%s", cg);
	w.r.pid = pid;
	w.r.work_units = units;
	w.r.iterations = units / 1024;
	w.r.wall_time_ns = wall_ms * MS;
	w.r.off_cpu_ns = off_ms * MS;
	w.r.cpu_time_ns = (wall_ms - off_ms) * MS;
	w.r.max_gap_ns = gap_ms * MS;
	w.r.max_gap_at_ns = 1200 * MS;
	w.r.max_gap_cpu = cpu;
	w.r.cpus_used[0] = 1ULL << cpu;
	w.r.exit_kind = KTSTR_WORKER_COMPLETED;
	return w;
}

/*
 * A healthy 2-cgroup run on topology 2n2l2c1t: cg0 on CPUs 0-1 (node 0), cg1
 * on CPUs 2-3 (node 1). Every worker has NLAT wake samples of 10-10.49us and
 * 100 pages on its own node.
 */
static void healthy(struct run *r)
{
	r->w[0] = worker("cg0", 101, 1 << 20, 2000, 1000, 30, 0);
	r->w[1] = worker("cg0", 102, 1 << 20, 2000, 1100, 40, 1);
	r->w[2] = worker("cg1", 103, 1 << 20, 2000, 1000, 25, 2);
	r->w[3] = worker("cg1", 104, 1 << 20, 2000, 1050, 35, 3);
	r->w[1].r.migration_count = 3;
	for (int i = 0; i < NW; i++) {
		for (int s = 0; s < NLAT; s++)
			r->lat[i][s] = 10000 + 10 * (uint64_t)s;
		r->w[i].latencies = r->lat[i];
		r->w[i].r.nlatencies = NLAT;
		r->w[i].r.wake_sample_total = NLAT;
		r->w[i].r.numa_pages[i < 2 ? 0 : 1] = 100;
		r->w[i].r.schedstat_run_delay_ns = (uint64_t)(i + 1) * 1000000;
	}
}

static const struct topology topo2n = { 2, 2, 2, 1 };	/* 2n2l2c1t */

static void evaluate(const struct checks *c, struct worker_result *w, size_t n,
		     struct verdict *v)
{
	struct cgroup_allowed allowed[2] = {
		{ .cgroup = "cg0", .constrained = true },
		{ .cgroup = "cg1", .constrained = true },
	};

	cpuset__zero(&allowed[0].cpus);
	cpuset__set(&allowed[0].cpus, 0);
	cpuset__set(&allowed[0].cpus, 1);
	cpuset__zero(&allowed[1].cpus);
	cpuset__set(&allowed[1].cpus, 2);
	cpuset__set(&allowed[1].cpus, 3);
	assert_int_equal(verdict__evaluate(&(struct verdict_input){
		.checks = c, .workers = w, .nworkers = n, .allowed = allowed, .nallowed = 2,
		.topo = &topo2n }, v), 0);
}

static struct checks defaults_with_isolation(void)
{
	struct checks c;

	checks__defaults(THRESHOLDS_DEFAULT, &c);
	c.t[CHECK_ISOLATION] = (struct threshold){ .state = TH_SET, .value = 1 };
	return c;
}

static void set(struct checks *c, enum check_id id, double v)
{
	c->t[id] = (struct threshold){ .state = TH_SET, .value = v };
}

/* Every worker check on, loose enough for the healthy set (the gate matrix's positives). */
static struct checks all_loose(void)
{
	struct checks c = defaults_with_isolation();

	set(&c, CHECK_MAX_THROUGHPUT_CV, 100.0);
	set(&c, CHECK_MIN_WORK_RATE, 1.0);
	set(&c, CHECK_MAX_P99_WAKE_LATENCY, 100e6);
	set(&c, CHECK_MAX_WAKE_LATENCY_CV, 100.0);
	set(&c, CHECK_MIN_ITERATION_RATE, 1.0);
	set(&c, CHECK_MAX_MIGRATION_RATIO, 100.0);
	set(&c, CHECK_MIN_PAGE_LOCALITY, 0.5);
	set(&c, CHECK_MAX_CROSS_NODE_MIGRATION_RATIO, 1.0);
	return c;
}

/* @c fails @r with exactly one reason, @msg, which counts as a check failure. */
static void expect_one(const struct checks *c, struct run *r, const char *msg)
{
	struct verdict v;

	evaluate(c, r->w, NW, &v);
	assert_false(v.passed);
	assert_int_equal(v.nreasons, 1);
	assert_string_equal(v.reasons[0], msg);
	assert_int_equal(v.check_failures, 1);
	verdict__free(&v);
}

static void expect_pass(const struct checks *c, struct run *r)
{
	struct verdict v;

	evaluate(c, r->w, NW, &v);
	for (size_t i = 0; i < v.nreasons; i++)
		fprintf(stderr, "unexpected reason: %s\n", v.reasons[i]);
	assert_true(v.passed);
	assert_int_equal(v.nreasons, 0);
	verdict__free(&v);
}

static void test_healthy_passes(void **state)
{
	struct run r;
	struct checks c = all_loose();
	struct verdict v;

	(void)state;
	healthy(&r);
	evaluate(&c, r.w, NW, &v);
	assert_true(v.passed);
	assert_int_equal(v.nreasons, 0);
	assert_int_equal(v.ncgroups, 2);
	assert_int_equal(v.workers, 4);
	assert_int_equal(v.cpus, 4);
	assert_int_equal(v.migrations, 3);
	assert_int_equal(v.iterations, 4096);
	assert_int_equal(v.worst_gap_ms, 40);
	assert_string_equal(v.cgroups[0].name, "cg0");
	assert_true(v.cgroups[0].spread_pct > 4.99 && v.cgroups[0].spread_pct < 5.01);
	verdict__free(&v);
}

static void test_starved(void **state)
{
	struct run r;
	struct checks c = all_loose();

	(void)state;
	healthy(&r);
	r.w[2].r.work_units = 0;
	r.w[2].r.iterations = 0;
	c.t[CHECK_MIN_WORK_RATE].state = TH_UNSET;
	c.t[CHECK_MIN_ITERATION_RATE].state = TH_UNSET;
	expect_one(&c, &r, "tid 103 starved (0 work units)");

	/* Stopped sooner than the stuck threshold (2000 ms here): not judged. */
	r.w[2].r.wall_time_ns = 1999 * MS;
	r.w[2].r.cpu_time_ns = 1000 * MS;
	r.w[2].r.off_cpu_ns = 999 * MS;
	expect_pass(&c, &r);
	r.w[2].r.wall_time_ns = 2000 * MS;	/* as long as the threshold: judged */
	r.w[2].r.off_cpu_ns = 1000 * MS;
	expect_one(&c, &r, "tid 103 starved (0 work units)");
	c.t[CHECK_MAX_GAP].state = TH_DISABLED;	/* no stuck threshold: always judged */
	r.w[2].r.wall_time_ns = 10 * MS;
	r.w[2].r.cpu_time_ns = 5 * MS;
	r.w[2].r.off_cpu_ns = 5 * MS;
	expect_one(&c, &r, "tid 103 starved (0 work units)");

	c.t[CHECK_NOT_STARVED] = (struct threshold){ .state = TH_DISABLED, .value = 0 };
	expect_pass(&c, &r);	/* `not_starved: false` disables it */
}

static void test_gap(void **state)
{
	struct run r;
	struct checks c = defaults_with_isolation();
	struct verdict v;

	(void)state;
	healthy(&r);
	r.w[1].r.max_gap_ns = 3500 * MS;
	expect_one(&c, &r, "stuck 3500ms on cpu1 at +1200ms (threshold 2000ms)");
	evaluate(&c, r.w, NW, &v);
	assert_int_equal(v.worst_gap_ms, 3500);
	assert_int_equal(v.cgroups[0].max_gap_cpu, 1);
	verdict__free(&v);

	/* The TCG profile is tighter on gaps: 750 ms (see checks_profile.c). */
	checks__defaults(THRESHOLDS_TCG, &c);
	expect_one(&c, &r, "stuck 3500ms on cpu1 at +1200ms (threshold 750ms)");
	r.w[1].r.max_gap_ns = 700 * MS;
	expect_pass(&c, &r);
}

static void test_spread(void **state)
{
	struct run r;
	struct checks c = defaults_with_isolation();

	(void)state;
	healthy(&r);
	r.w[3].r.off_cpu_ns = 1600 * MS;	/* 80% off-CPU against 50% */
	r.w[3].r.cpu_time_ns = 400 * MS;
	expect_one(&c, &r, "unfair cgroup cg1: spread=30% (50-80%) 2 workers on 2 cpus "
			   "(threshold 15%)");

	/* Only peers compare: a blocking type is off-CPU by design next to a spinner. */
	r.w[3].r.work_type = r.w[2].r.work_type + 1;
	expect_pass(&c, &r);
	r.w[3].r.work_type = r.w[2].r.work_type;

	/* A worker that lived less than the stuck threshold (2000 ms) is not compared. */
	r.w[3].r.wall_time_ns = 1000 * MS;
	r.w[3].r.off_cpu_ns = 800 * MS;
	r.w[3].r.cpu_time_ns = 200 * MS;
	expect_pass(&c, &r);
	r.w[3].r.wall_time_ns = 2000 * MS;
	r.w[3].r.off_cpu_ns = 1600 * MS;
	r.w[3].r.cpu_time_ns = 400 * MS;

	set(&c, CHECK_MAX_SPREAD, 35);
	expect_pass(&c, &r);
}

static void test_isolation(void **state)
{
	struct run r;
	struct checks c = defaults_with_isolation();

	(void)state;
	healthy(&r);
	r.w[0].r.cpus_used[0] |= (1ULL << 2) | (1ULL << 3);
	expect_one(&c, &r, "tid 101 ran on unexpected CPUs 2-3 (cgroup cg0 allows 0-1)");

	/* Off by default: only `isolation: true` turns it on. */
	checks__defaults(THRESHOLDS_DEFAULT, &c);
	expect_pass(&c, &r);
}

/* Two workers of cg0 at 1e6 and 3e6 work units per CPU-second: CV 0.5. */
static void skewed_throughput(struct run *r)
{
	healthy(r);
	r->w[0].r.work_units = 1000000;
	r->w[0].r.cpu_time_ns = 1000 * MS;
	r->w[1].r.work_units = 3000000;
	r->w[1].r.cpu_time_ns = 1000 * MS;
}

static void test_throughput_cv(void **state)
{
	struct run r;
	struct checks c = all_loose();
	struct verdict v;

	(void)state;
	healthy(&r);
	set(&c, CHECK_MAX_THROUGHPUT_CV, 0.3);
	expect_pass(&c, &r);	/* healthy: CV about 0.05 */
	skewed_throughput(&r);
	expect_one(&c, &r, "cgroup cg0: throughput CV 0.500 exceeds limit 0.300 "
			   "(mean=2000000 work/cpu_s)");
	evaluate(&c, r.w, NW, &v);
	assert_true(v.cgroups[0].has_throughput);
	assert_true(v.cgroups[0].throughput_cv > 0.4999 && v.cgroups[0].throughput_cv < 0.5001);
	verdict__free(&v);

	/* One worker is no population. */
	r.w[0].r.exit_kind = KTSTR_WORKER_SIGNALED;
	evaluate(&c, r.w, NW, &v);
	assert_false(v.cgroups[0].has_throughput);
	assert_int_equal(v.check_failures, 0);	/* only the death is a reason */
	verdict__free(&v);
}

static void test_min_work_rate(void **state)
{
	struct run r;
	struct checks c = all_loose();

	(void)state;
	skewed_throughput(&r);
	set(&c, CHECK_MIN_WORK_RATE, 900000);
	expect_pass(&c, &r);
	set(&c, CHECK_MIN_WORK_RATE, 1000001);	/* cg1's run at 1048576 and more */
	expect_one(&c, &r, "worker 101 throughput 1000000 work/cpu_s below floor 1000001");
}

static void test_p99_wake_latency(void **state)
{
	struct run r;
	struct checks c = all_loose();
	struct verdict v;

	(void)state;
	healthy(&r);
	set(&c, CHECK_MAX_P99_WAKE_LATENCY, 50000);	/* 50us */
	expect_pass(&c, &r);
	/* cg0 pools 1..100us: p99 = sorted[ceil(100 * 0.99) - 1] = 99us. */
	for (int s = 0; s < NLAT; s++) {
		r.lat[0][s] = (uint64_t)(2 * s + 1) * 1000;
		r.lat[1][s] = (uint64_t)(2 * s + 2) * 1000;
	}
	expect_one(&c, &r, "cgroup cg0: p99 wake latency 99000ns exceeds limit 50000ns "
			   "(100 samples)");
	evaluate(&c, r.w, NW, &v);
	assert_int_equal(v.cgroups[0].wake_samples, 100);
	assert_true(v.cgroups[0].p99_wake_us == 99.0);
	assert_true(v.cgroups[0].median_wake_us == 51.0);	/* sorted[n / 2] */
	assert_true(v.cgroups[0].tail_ratio > 99.0 / 51 - 1e-9 &&
		    v.cgroups[0].tail_ratio < 99.0 / 51 + 1e-9);
	verdict__free(&v);

	/*
	 * hardware_only: waived (reported in v.waived, not failed) only where
	 * the thresholds say so (the tcg profile); failed as before elsewhere.
	 */
	c.t[CHECK_MAX_P99_WAKE_LATENCY].hardware_only = true;
	expect_one(&c, &r, "cgroup cg0: p99 wake latency 99000ns exceeds limit 50000ns "
			   "(100 samples)");
	c.waive_hardware_only = true;
	evaluate(&c, r.w, NW, &v);
	assert_true(v.passed);
	assert_int_equal(v.nreasons, 0);
	assert_int_equal(v.check_failures, 0);
	assert_int_equal(v.nwaived, 1);
	assert_string_equal(v.waived[0], "cgroup cg0: p99 wake latency 99000ns exceeds limit "
					 "50000ns (100 samples)");
	verdict__free(&v);
	/* Only the marked key is waived: a stuck worker still fails. */
	r.w[1].r.max_gap_ns = 9000 * MS;
	set(&c, CHECK_MAX_GAP, 2000);
	evaluate(&c, r.w, NW, &v);
	assert_false(v.passed);
	assert_int_equal(v.nreasons, 1);
	assert_int_equal(v.nwaived, 1);
	verdict__free(&v);
	r.w[1].r.max_gap_ns = 0;
	c.waive_hardware_only = false;
	c.t[CHECK_MAX_P99_WAKE_LATENCY].hardware_only = false;

	/* A cgroup without wake samples has nothing to check. */
	for (int i = 0; i < NW; i++)
		r.w[i].r.nlatencies = 0;
	set(&c, CHECK_MAX_P99_WAKE_LATENCY, 0);
	expect_pass(&c, &r);
}

static void test_wake_latency_cv(void **state)
{
	struct run r;
	struct checks c = all_loose();

	(void)state;
	healthy(&r);
	set(&c, CHECK_MAX_WAKE_LATENCY_CV, 0.1);
	expect_pass(&c, &r);	/* healthy: CV under 0.02 */
	/* cg1: half the samples 1us, half 3us: mean 2us, stddev 1us. */
	for (int s = 0; s < NLAT; s++) {
		r.lat[2][s] = 1000;
		r.lat[3][s] = 3000;
	}
	expect_one(&c, &r, "cgroup cg1: wake latency CV 0.500 exceeds limit 0.100 (mean=2000ns)");
}

static void test_min_iteration_rate(void **state)
{
	struct run r;
	struct checks c = all_loose();

	(void)state;
	healthy(&r);	/* 1024 iterations in 2s: 512/s */
	set(&c, CHECK_MIN_ITERATION_RATE, 500);
	expect_pass(&c, &r);
	r.w[0].r.iterations = 900;
	expect_one(&c, &r, "worker 101 iteration rate 450.0/s below floor 500.0/s");
}

static void test_migration_ratio(void **state)
{
	struct run r;
	struct checks c = all_loose();
	struct verdict v;

	(void)state;
	healthy(&r);	/* cg0: 3 migrations / 2048 iterations */
	set(&c, CHECK_MAX_MIGRATION_RATIO, 0.002);
	expect_pass(&c, &r);
	set(&c, CHECK_MAX_MIGRATION_RATIO, 0.001);
	expect_one(&c, &r, "cgroup cg0: migration ratio 0.0015 exceeds threshold 0.0010 "
			   "(3 migrations / 2048 iterations)");
	set(&c, CHECK_MAX_MIGRATION_RATIO, 0.0);	/* the gate matrix's negative */
	evaluate(&c, r.w, NW, &v);
	assert_false(v.passed);
	assert_int_equal(v.cgroups[1].migration_ratio, 0);	/* cg1 did not migrate */
	assert_int_equal(v.nreasons, 1);
	verdict__free(&v);
}

static void test_page_locality(void **state)
{
	struct run r;
	struct checks c = all_loose();
	struct verdict v;

	(void)state;
	healthy(&r);
	set(&c, CHECK_MIN_PAGE_LOCALITY, 1.0);
	expect_pass(&c, &r);	/* every page on its cgroup's node */
	/* cg1 (CPUs 2-3: node 1): 150 pages on node 1, 50 on node 0. */
	r.w[3].r.numa_pages[0] = 50;
	r.w[3].r.numa_pages[1] = 50;
	set(&c, CHECK_MIN_PAGE_LOCALITY, 0.9);
	expect_one(&c, &r, "cgroup cg1: page locality 0.750 below floor 0.900 (150 of 200 pages "
			   "on node 1)");
	evaluate(&c, r.w, NW, &v);
	assert_int_equal(v.cgroups[1].pages, 200);
	assert_int_equal(v.cgroups[1].local_pages, 150);
	assert_true(cpuset__test(&v.cgroups[1].nodes, 1) && cpuset__count(&v.cgroups[1].nodes) == 1);
	verdict__free(&v);

	/* Unconstrained (no cpuset): every node of the topology is expected. */
	assert_int_equal(verdict__evaluate(&(struct verdict_input){
		.checks = &c, .workers = r.w, .nworkers = NW, .topo = &topo2n }, &v), 0);
	assert_true(v.passed);
	assert_true(v.cgroups[1].page_locality == 1.0);
	assert_int_equal(cpuset__count(&v.cgroups[1].nodes), 2);
	verdict__free(&v);

	/* No pages reported: vacuously local. */
	for (int i = 0; i < NW; i++)
		memset(r.w[i].r.numa_pages, 0, sizeof(r.w[i].r.numa_pages));
	set(&c, CHECK_MIN_PAGE_LOCALITY, 1.0);
	evaluate(&c, r.w, NW, &v);
	assert_true(v.passed);
	assert_true(v.cgroups[0].page_locality == 1.0);
	assert_int_equal(v.cgroups[0].pages, 0);
	verdict__free(&v);
}

/* A cgroup spanning both nodes: CPUs 1-2 are on nodes 0 and 1. */
static void test_page_locality_two_nodes(void **state)
{
	struct run r;
	struct checks c = all_loose();
	struct cgroup_allowed allowed = { .cgroup = "cg0", .constrained = true };
	struct verdict v;

	(void)state;
	healthy(&r);
	r.w[0].r.numa_pages[1] = 100;	/* 200 pages over nodes 0 and 1 */
	cpuset__zero(&allowed.cpus);
	cpuset__set(&allowed.cpus, 1);
	cpuset__set(&allowed.cpus, 2);
	set(&c, CHECK_MIN_PAGE_LOCALITY, 1.0);
	c.t[CHECK_ISOLATION].state = TH_UNSET;	/* worker 101 ran on CPU 0 */
	assert_int_equal(verdict__evaluate(&(struct verdict_input){
		.checks = &c, .workers = r.w, .nworkers = 2, .allowed = &allowed, .nallowed = 1,
		.topo = &topo2n }, &v), 0);
	assert_true(v.passed);
	assert_true(v.cgroups[0].page_locality == 1.0);
	verdict__free(&v);

	/* On 1n1l4c1t the same CPUs are all node 0: node 1's pages are remote. */
	struct topology one = { 1, 1, 4, 1 };

	assert_int_equal(verdict__evaluate(&(struct verdict_input){
		.checks = &c, .workers = r.w, .nworkers = 2, .allowed = &allowed, .nallowed = 1,
		.topo = &one }, &v), 0);
	assert_false(v.passed);
	assert_string_equal(v.reasons[0], "cgroup cg0: page locality 0.667 below floor 1.000 "
					  "(200 of 300 pages on node 0)");
	verdict__free(&v);
}

static void test_cross_node_migration(void **state)
{
	struct run r;
	struct checks c = all_loose();
	struct verdict v;

	(void)state;
	healthy(&r);
	set(&c, CHECK_MAX_CROSS_NODE_MIGRATION_RATIO, 0.0);
	expect_pass(&c, &r);	/* nothing migrated */
	/* The system's count over each worker's life: the run's is the largest. */
	r.w[0].r.vmstat_numa_pages_migrated = 20;
	r.w[1].r.vmstat_numa_pages_migrated = 15;
	set(&c, CHECK_MAX_CROSS_NODE_MIGRATION_RATIO, 0.05);
	expect_one(&c, &r, "cgroup cg0: cross-node migration ratio 0.1000 exceeds threshold 0.0500 "
			   "(20 pages migrated / 200 pages)");
	evaluate(&c, r.w, NW, &v);
	assert_int_equal(v.cgroups[0].pages_migrated, 20);
	verdict__free(&v);
	set(&c, CHECK_MAX_CROSS_NODE_MIGRATION_RATIO, 0.1);
	expect_pass(&c, &r);
}

/* `false` on any numeric check turns it off, whatever the data. */
static void test_disabled_checks(void **state)
{
	struct run r;
	struct checks c = all_loose();

	(void)state;
	skewed_throughput(&r);
	r.w[1].r.max_gap_ns = 9000 * MS;
	r.w[3].r.off_cpu_ns = 1900 * MS;
	set(&c, CHECK_MAX_THROUGHPUT_CV, 0);
	set(&c, CHECK_MAX_P99_WAKE_LATENCY, 1);
	set(&c, CHECK_MAX_WAKE_LATENCY_CV, 0);
	set(&c, CHECK_MIN_ITERATION_RATE, 1e9);
	set(&c, CHECK_MIN_WORK_RATE, 1e12);
	set(&c, CHECK_MAX_MIGRATION_RATIO, 0);
	set(&c, CHECK_MIN_PAGE_LOCALITY, 1.0);
	r.w[0].r.numa_pages[1] = 1;
	for (int id = 0; id < CHECK_COUNT; id++)
		if (c.t[id].state == TH_SET)
			c.t[id] = (struct threshold){ .state = TH_DISABLED, .value = 0 };
	expect_pass(&c, &r);
}

static void test_dead_workers(void **state)
{
	struct run r;
	struct checks c = defaults_with_isolation();
	struct verdict v;

	(void)state;
	healthy(&r);
	r.w[0].r.exit_kind = KTSTR_WORKER_TIMED_OUT;
	r.w[2].r.exit_kind = KTSTR_WORKER_SIGNALED;
	r.w[2].r.exit_value = 9;
	evaluate(&c, r.w, NW, &v);
	assert_false(v.passed);
	assert_int_equal(v.nreasons, 2);
	assert_int_equal(v.check_failures, 0);
	assert_string_equal(v.reasons[0], "tid 101 in cg0 sent no report by the stop deadline and "
					  "was killed");
	assert_string_equal(v.reasons[1], "tid 103 in cg1 was killed by signal 9");
	verdict__free(&v);
}

static void test_exec_worker(void **state)
{
	struct worker_result w = worker("", 7, 0, 100, 100, 0, 0);
	struct checks c = all_loose();
	struct verdict v;

	(void)state;
	w.r.flags = KTSTR_REPORT_F_EXEC;
	w.r.exit_kind = KTSTR_WORKER_EXITED;
	assert_int_equal(verdict__evaluate(&(struct verdict_input){
		.checks = &c, .workers = &w, .nworkers = 1 }, &v), 0);
	assert_true(v.passed);	/* a program is not a starved worker */
	assert_int_equal(v.cgroups[0].workers, 1);
	assert_int_equal(v.cgroups[0].checked, 0);
	verdict__free(&v);

	/* Its exit status is its report. */
	w.r.exit_value = 3;
	assert_int_equal(verdict__evaluate(&(struct verdict_input){
		.checks = &c, .workers = &w, .nworkers = 1 }, &v), 0);
	assert_false(v.passed);
	assert_string_equal(v.reasons[0], "exec pid 7 in (root) exited with status 3");
	verdict__free(&v);
	w.r.exit_value = 127;
	assert_int_equal(verdict__evaluate(&(struct verdict_input){
		.checks = &c, .workers = &w, .nworkers = 1 }, &v), 0);
	assert_string_equal(v.reasons[0], "exec pid 7 in (root) exited with status 127 "
					  "(the guest could not run it)");
	verdict__free(&v);
	w.r.flags = KTSTR_REPORT_F_EXEC | KTSTR_REPORT_F_EXEC_SIGNALED;
	w.r.exit_value = 11;
	assert_int_equal(verdict__evaluate(&(struct verdict_input){
		.checks = &c, .workers = &w, .nworkers = 1 }, &v), 0);
	assert_string_equal(v.reasons[0], "exec pid 7 in (root) was killed by signal 11");
	verdict__free(&v);
	/* Still running at stop, ended by the worker: a pass, whatever the signal. */
	w.r.flags |= KTSTR_REPORT_F_EXEC_STOPPED;
	w.r.exit_value = 15;
	assert_int_equal(verdict__evaluate(&(struct verdict_input){
		.checks = &c, .workers = &w, .nworkers = 1 }, &v), 0);
	assert_true(v.passed);
	verdict__free(&v);
}

static void test_stats_format(void **state)
{
	struct run r;
	struct checks c = defaults_with_isolation();
	struct verdict v;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	healthy(&r);
	snprintf(r.w[3].r.cgroup, sizeof(r.w[3].r.cgroup), "%s", "");
	/* cg0's second worker ran half as many iterations in the same wall time. */
	r.w[1].r.iterations = 512;
	evaluate(&c, r.w, NW, &v);
	/* Against the median of its peers (512 and 1024: 768), 67%. */
	assert_true(v.cgroups[0].has_peers);
	assert_true(v.cgroups[0].slowest_rate_pct > 66.6 && v.cgroups[0].slowest_rate_pct < 66.7);
	assert_int_equal(v.cgroups[0].slowest_pid, r.w[1].r.pid);
	assert_false(v.cgroups[1].has_peers);	/* one worker: no peers */
	f = open_memstream(&buf, &len);
	verdict__print_stats(&v, f);
	fclose(f);
	assert_string_equal(buf,
		"4 workers, 4 cpus, 3 migrations, worst_spread=5.0%, worst_gap=40ms\n"
		"  cg0: workers=2 cpus=2 spread=5.0% gap=40ms migrations=3 iter=1536 slowest=67%\n"
		"  cg1: workers=1 cpus=1 spread=0.0% gap=25ms migrations=0 iter=1024\n"
		"  (root): workers=1 cpus=1 spread=0.0% gap=35ms migrations=0 iter=1024\n");
	free(buf);
	verdict__free(&v);
}

static void test_harness_reasons(void **state)
{
	struct verdict v = { .passed = true };

	(void)state;
	for (int i = 0; i < VERDICT_MAX_REASONS + 3; i++)
		verdict__fail(&v, "reason %d", i);
	assert_false(v.passed);
	assert_int_equal(v.nreasons, VERDICT_MAX_REASONS);
	assert_int_equal(v.dropped_reasons, 3);
	assert_int_equal(v.check_failures, 0);
	assert_string_equal(v.reasons[0], "reason 0");
	verdict__free(&v);
}

static void test_expect_fail(void **state)
{
	struct run r;
	struct checks c = defaults_with_isolation();
	struct verdict v;

	(void)state;
	/* Passed: that is the failure. */
	healthy(&r);
	evaluate(&c, r.w, NW, &v);
	verdict__expect_fail(&v);
	assert_false(v.passed);
	assert_int_equal(v.nreasons, 1);
	assert_string_equal(v.reasons[0], "expected failure but passed");
	verdict__free(&v);

	/* Failed on a check: passes, the reason kept for the report. */
	r.w[1].r.max_gap_ns = 3500 * MS;
	evaluate(&c, r.w, NW, &v);
	verdict__expect_fail(&v);
	assert_true(v.passed);
	assert_int_equal(v.nreasons, 1);
	verdict__free(&v);

	/* A check failed, but the guest also crashed: a harness failure is no expected one. */
	evaluate(&c, r.w, NW, &v);
	verdict__fail(&v, "guest crashed: Kernel panic - not syncing: sysrq triggered crash");
	verdict__expect_fail(&v);
	assert_false(v.passed);
	assert_non_null(strstr(v.reasons[v.nreasons - 1], "the run failed for other reasons too"));
	verdict__free(&v);

	/* A timeout alone: the report says why expect: fail did not take it. */
	v = (struct verdict){ .passed = true };
	verdict__fail(&v, "timed out after 8.0s (the scenario started but never finished)");
	verdict__expect_fail(&v);
	assert_false(v.passed);
	assert_int_equal(v.nreasons, 2);
	assert_string_equal(v.reasons[1], "expect: fail was not met: it accepts failed checks only, "
			    "and no check failed, the run failed for the reason above; to expect "
			    "this failure, write expect: {fail: TEXT} with TEXT from its reason");
	verdict__free(&v);

	/* A worker that died is not a check failure either. */
	healthy(&r);
	r.w[2].r.exit_kind = KTSTR_WORKER_EXITED;
	r.w[2].r.exit_value = 3;
	evaluate(&c, r.w, NW, &v);
	verdict__expect_fail(&v);
	assert_false(v.passed);
	assert_string_equal(v.reasons[0], "tid 103 in cg1 exited with status 3 before it was "
					  "stopped");
	verdict__free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy_passes),
		cmocka_unit_test(test_starved),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_isolation),
		cmocka_unit_test(test_throughput_cv),
		cmocka_unit_test(test_min_work_rate),
		cmocka_unit_test(test_p99_wake_latency),
		cmocka_unit_test(test_wake_latency_cv),
		cmocka_unit_test(test_min_iteration_rate),
		cmocka_unit_test(test_migration_ratio),
		cmocka_unit_test(test_page_locality),
		cmocka_unit_test(test_page_locality_two_nodes),
		cmocka_unit_test(test_cross_node_migration),
		cmocka_unit_test(test_disabled_checks),
		cmocka_unit_test(test_dead_workers),
		cmocka_unit_test(test_exec_worker),
		cmocka_unit_test(test_stats_format),
		cmocka_unit_test(test_harness_reasons),
		cmocka_unit_test(test_expect_fail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

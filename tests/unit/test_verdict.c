// SPDX-License-Identifier: GPL-2.0
/* Worker checks on synthetic reports: each passes on a healthy set and fails with its message. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

#define MS 1000000ULL

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

/* A healthy 2-cgroup run on CPUs 0-3. */
static void healthy(struct worker_result *w)
{
	w[0] = worker("cg0", 101, 1 << 20, 2000, 1000, 30, 0);
	w[1] = worker("cg0", 102, 1 << 20, 2000, 1100, 40, 1);
	w[2] = worker("cg1", 103, 1 << 20, 2000, 1000, 25, 2);
	w[3] = worker("cg1", 104, 1 << 20, 2000, 1050, 35, 3);
	w[1].r.migration_count = 3;
}

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
	assert_int_equal(verdict__evaluate(c, w, n, allowed, 2, v), 0);
}

static struct checks defaults_with_isolation(void)
{
	struct checks c;

	checks__defaults(THRESHOLDS_DEFAULT, &c);
	c.t[CHECK_ISOLATION] = (struct threshold){ TH_SET, 1 };
	return c;
}

static void test_healthy_passes(void **state)
{
	struct worker_result w[4];
	struct checks c = defaults_with_isolation();
	struct verdict v;

	healthy(w);
	evaluate(&c, w, 4, &v);
	assert_true(v.passed);
	assert_int_equal(v.nreasons, 0);
	assert_int_equal(v.ncgroups, 2);
	assert_int_equal(v.workers, 4);
	assert_int_equal(v.cpus, 4);
	assert_int_equal(v.migrations, 3);
	assert_int_equal(v.worst_gap_ms, 40);
	assert_string_equal(v.cgroups[0].name, "cg0");
	assert_true(v.cgroups[0].spread_pct > 4.99 && v.cgroups[0].spread_pct < 5.01);
	verdict__free(&v);
}

static void test_starved(void **state)
{
	struct worker_result w[4];
	struct checks c = defaults_with_isolation();
	struct verdict v;

	healthy(w);
	w[2].r.work_units = 0;
	evaluate(&c, w, 4, &v);
	assert_false(v.passed);
	assert_int_equal(v.nreasons, 1);
	assert_string_equal(v.reasons[0], "tid 103 starved (0 work units)");
	verdict__free(&v);

	c.t[CHECK_NOT_STARVED] = (struct threshold){ TH_DISABLED, 0 };
	evaluate(&c, w, 4, &v);
	assert_true(v.passed);	/* `not_starved: false` disables it */
	verdict__free(&v);
}

static void test_gap(void **state)
{
	struct worker_result w[4];
	struct checks c = defaults_with_isolation();
	struct verdict v;

	healthy(w);
	w[1].r.max_gap_ns = 3500 * MS;
	evaluate(&c, w, 4, &v);
	assert_false(v.passed);
	assert_int_equal(v.nreasons, 1);
	assert_string_equal(v.reasons[0], "stuck 3500ms on cpu1 at +1200ms (threshold 2000ms)");
	assert_int_equal(v.worst_gap_ms, 3500);
	verdict__free(&v);

	checks__defaults(THRESHOLDS_TCG, &c);
	evaluate(&c, w, 4, &v);
	assert_true(v.passed);	/* the TCG profile allows 5000ms */
	verdict__free(&v);
}

static void test_spread(void **state)
{
	struct worker_result w[4];
	struct checks c = defaults_with_isolation();
	struct verdict v;

	healthy(w);
	w[3].r.off_cpu_ns = 1600 * MS;	/* 80% off-CPU against 50% */
	evaluate(&c, w, 4, &v);
	assert_false(v.passed);
	assert_int_equal(v.nreasons, 1);
	assert_string_equal(v.reasons[0], "unfair cgroup cg1: spread=30% (50-80%) 2 workers on 2 cpus "
					  "(threshold 15%)");
	verdict__free(&v);

	c.t[CHECK_MAX_SPREAD] = (struct threshold){ TH_SET, 35 };
	evaluate(&c, w, 4, &v);
	assert_true(v.passed);
	verdict__free(&v);
}

static void test_isolation(void **state)
{
	struct worker_result w[4];
	struct checks c = defaults_with_isolation();
	struct verdict v;

	healthy(w);
	w[0].r.cpus_used[0] |= (1ULL << 2) | (1ULL << 3);
	evaluate(&c, w, 4, &v);
	assert_false(v.passed);
	assert_int_equal(v.nreasons, 1);
	assert_string_equal(v.reasons[0], "tid 101 ran on unexpected CPUs 2-3 (cgroup cg0 allows 0-1)");
	verdict__free(&v);

	/* Off by default: only `isolation: true` turns it on. */
	checks__defaults(THRESHOLDS_DEFAULT, &c);
	evaluate(&c, w, 4, &v);
	assert_true(v.passed);
	verdict__free(&v);
}

static void test_dead_workers(void **state)
{
	struct worker_result w[4];
	struct checks c = defaults_with_isolation();
	struct verdict v;

	healthy(w);
	w[0].r.exit_kind = KTSTR_WORKER_TIMED_OUT;
	w[2].r.exit_kind = KTSTR_WORKER_SIGNALED;
	w[2].r.exit_value = 9;
	evaluate(&c, w, 4, &v);
	assert_false(v.passed);
	assert_int_equal(v.nreasons, 2);
	assert_string_equal(v.reasons[0], "tid 101 in cg0 sent no report by the stop deadline and "
					  "was killed");
	assert_string_equal(v.reasons[1], "tid 103 in cg1 was killed by signal 9");
	verdict__free(&v);
}

static void test_exec_worker(void **state)
{
	struct worker_result w = worker("cg0", 7, 0, 100, 100, 0, 0);
	struct checks c = defaults_with_isolation();
	struct verdict v;

	w.r.flags = KTSTR_REPORT_F_EXEC;
	w.r.exit_kind = KTSTR_WORKER_EXITED;
	assert_int_equal(verdict__evaluate(&c, &w, 1, NULL, 0, &v), 0);
	assert_true(v.passed);	/* a program is not a starved worker */
	verdict__free(&v);
}

static void test_stats_format(void **state)
{
	struct worker_result w[4];
	struct checks c = defaults_with_isolation();
	struct verdict v;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	healthy(w);
	evaluate(&c, w, 4, &v);
	f = open_memstream(&buf, &len);
	verdict__print_stats(&v, f);
	fclose(f);
	assert_string_equal(buf,
		"4 workers, 4 cpus, 3 migrations, worst_spread=5.0%, worst_gap=40ms\n"
		"  cg0: workers=2 cpus=2 spread=5.0% gap=40ms migrations=3 iter=2048\n"
		"  cg1: workers=2 cpus=2 spread=2.5% gap=35ms migrations=0 iter=2048\n");
	free(buf);
	verdict__free(&v);
}

static void test_harness_reasons(void **state)
{
	struct verdict v = { .passed = true };

	for (int i = 0; i < VERDICT_MAX_REASONS + 3; i++)
		verdict__fail(&v, "reason %d", i);
	assert_false(v.passed);
	assert_int_equal(v.nreasons, VERDICT_MAX_REASONS);
	assert_int_equal(v.dropped_reasons, 3);
	assert_string_equal(v.reasons[0], "reason 0");
	verdict__free(&v);
}

static void test_profiles(void **state)
{
	enum threshold_profile p;

	assert_int_equal(threshold_profile__parse("tcg", &p), 0);
	assert_int_equal(p, THRESHOLDS_TCG);
	assert_string_equal(threshold_profile__name(p), "tcg");
	assert_int_equal(threshold_profile__parse("default", &p), 0);
	assert_int_equal(p, THRESHOLDS_DEFAULT);
	assert_int_not_equal(threshold_profile__parse("fast", &p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy_passes),
		cmocka_unit_test(test_starved),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_isolation),
		cmocka_unit_test(test_dead_workers),
		cmocka_unit_test(test_exec_worker),
		cmocka_unit_test(test_stats_format),
		cmocka_unit_test(test_harness_reasons),
		cmocka_unit_test(test_profiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

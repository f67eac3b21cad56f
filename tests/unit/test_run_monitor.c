// SPDX-License-Identifier: GPL-2.0
/*
 * The host-side monitor's part of a run (cmd/run/run_monitor.h): when it
 * runs, why it does not, its failures as check failures of the verdict
 * (waived under tcg when hardware_only), the --- monitor --- section, the
 * CSV of --results-dir and the metrics of the JSON line. The sampler thread
 * itself is test_monitor_run's; a real run is the harness-selftest's.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmlinux_fx.h"

#include "kernel/kernel_find.h"
#include "monitor/monitor_run.h"
#include "run/run_monitor.h"

#define NCPU	2
#define NPTS	40

static struct sched_def scx = { .name = "scx-ktstr" };
static struct sched_def eevdf = { .name = "eevdf", .eevdf = true };

static void defaults(struct checks *c)
{
	checks__defaults(THRESHOLDS_DEFAULT, c);
}

/* A series of NPTS samples, 100 ms apart: CPU 1's local DSQ @dsq deep from sample @from. */
static struct mon_series *series(uint32_t dsq, size_t from)
{
	struct mon_series *s = calloc(1, sizeof(*s));
	struct mon_sample *smp = calloc(NPTS, sizeof(*smp));

	assert_non_null(s);
	assert_non_null(smp);
	s->pts = calloc(NPTS, sizeof(*s->pts));
	assert_non_null(s->pts);
	s->store = smp;
	s->n = s->taken = NPTS;
	s->period_ms = 100;
	s->cap = 1000;
	s->cpu_ns = NPTS * 150000ull;		/* 150 us a sample */
	for (size_t i = 0; i < NPTS; i++) {
		smp[i].nr_cpu_ids = smp[i].nr_cpus = NCPU;
		for (uint32_t c = 0; c < NCPU; c++)
			smp[i].cpu[c] = (struct mon_cpu){
				.nr_running = 1, .scx_nr_running = 1,
				.local_dsq_nr = c == 1 && i >= from ? dsq : 0,
				.clock = 1000000000ull + i * 100000000ull + c, .curr_pid = 10 + (int)c,
			};
		s->pts[i] = (struct mon_point){ .t_ns = 7000000000ull + i * 100000000ull,
						.s = &smp[i] };
	}
	return s;
}

static char *capture(void (*fn)(const struct run_monitor_result *, FILE *),
		     const struct run_monitor_result *mr)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(mr, f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* ---- when it runs */

static void test_off_for_eevdf_and_without_checks(void **state)
{
	struct scenario sc = { .sched = &eevdf };
	struct run_monitor_result mr;
	struct run_monitor *rm = (void *)1;
	struct topology t = TOPOLOGY_DEFAULT;
	struct checks c;
	char *text;

	defaults(&c);
	assert_int_equal(run_monitor__prepare(&sc, &c, "/nonexistent/vmlinux", &t, &rm, &mr), 0);
	assert_null(rm);
	assert_int_equal(mr.state, RUN_MON_OFF);
	sc.sched = NULL;	/* no scheduler named: eevdf */
	assert_int_equal(run_monitor__prepare(&sc, &c, "/nonexistent/vmlinux", &t, &rm, &mr), 0);
	assert_int_equal(mr.state, RUN_MON_OFF);

	/* sched_ext with the three checks off (fail_on_stall false counts as off) */
	sc.sched = &scx;
	c.t[CHECK_MAX_IMBALANCE_RATIO].state = TH_DISABLED;
	c.t[CHECK_MAX_LOCAL_DSQ_DEPTH].state = TH_DISABLED;
	c.t[CHECK_FAIL_ON_STALL].value = 0;
	assert_int_equal(run_monitor__prepare(&sc, &c, "/nonexistent/vmlinux", &t, &rm, &mr), 0);
	assert_null(rm);
	assert_int_equal(mr.state, RUN_MON_OFF);
	text = capture(run_monitor__print, &mr);
	assert_string_equal(text, "");		/* no section */
	free(text);
	assert_null(run_monitor__state_str(&mr, (char[8]){ 0 }, 8));
}

static void test_not_run_says_why(void **state)
{
	struct scenario sc = { .sched = &scx };
	struct run_monitor_result mr;
	struct run_monitor *rm = NULL;
	struct topology t = TOPOLOGY_DEFAULT;
	struct verdict v = { .passed = true };
	struct checks c;
	char buf[512], *text;

	defaults(&c);
	assert_int_equal(run_monitor__prepare(&sc, &c, NULL, &t, &rm, &mr), 0);
	assert_null(rm);
	assert_int_equal(mr.state, RUN_MON_NOT_RUN);
	assert_non_null(strstr(mr.why, "no vmlinux"));
	text = capture(run_monitor__print, &mr);
	assert_non_null(strstr(text, "\n--- monitor ---\nnot run: the kernel has no vmlinux"));
	free(text);
	assert_non_null(strstr(run_monitor__state_str(&mr, buf, sizeof(buf)), "not run: "));
	/* nothing judged, nothing failed */
	assert_int_equal(run_monitor__judge(rm, &c, &mr, &v), 0);
	assert_true(v.passed);
	assert_true(mr.scenario_passed);
	assert_int_equal(run_monitor__metrics(&mr, (struct metric_value[4]){ 0 }, 4), 0);

	assert_int_equal(run_monitor__prepare(&sc, &c, "/nonexistent/vmlinux", &t, &rm, &mr), 0);
	assert_null(rm);
	assert_int_equal(mr.state, RUN_MON_NOT_RUN);
	assert_non_null(strstr(mr.why, "/nonexistent/vmlinux"));
}

static void test_prepared_with_the_merged_limits(void **state)
{
	struct scenario sc = { .sched = &scx };
	struct run_monitor_result mr;
	struct run_monitor *rm = NULL;
	struct topology t = { 1, 1, 4, 1 };
	struct checks c;
	char vmlinux[PATH_MAX];

	if (!fx__find_vmlinux(vmlinux, sizeof(vmlinux))) {
		skip();
		return;
	}
	defaults(&c);
	c.t[CHECK_MAX_IMBALANCE_RATIO].value = 2.5;
	c.t[CHECK_MAX_LOCAL_DSQ_DEPTH].state = TH_DISABLED;
	c.t[CHECK_FAIL_ON_STALL].value = 0;
	assert_int_equal(run_monitor__prepare(&sc, &c, vmlinux, &t, &rm, &mr), 0);
	assert_non_null(rm);
	assert_int_equal(mr.state, RUN_MON_NOT_RUN);	/* until it has run */
	assert_int_equal(mr.ncpus, 4);
	assert_true(mr.limits.imbalance_on);
	assert_true(mr.limits.max_imbalance_ratio == 2.5);
	assert_false(mr.limits.dsq_on);
	assert_false(mr.limits.stall_on);
	assert_true(mr.limits.hz > 0);
	assert_non_null(strstr(mr.hz_how, "HZ"));
	run_monitor__stop(rm);		/* never started: fine */
	run_monitor__free(rm);
}

/* ---- judged */

static void prepare_limits(struct run_monitor_result *mr, const struct checks *c)
{
	memset(mr, 0, sizeof(*mr));
	mr->state = RUN_MON_NOT_RUN;
	mr->ncpus = NCPU;
	mon_eval__defaults(&mr->limits);
	mr->limits.imbalance_on = mr->limits.dsq_on = true;
	mr->limits.max_local_dsq_depth = (uint32_t)c->t[CHECK_MAX_LOCAL_DSQ_DEPTH].value;
	mr->limits.stall_on = false;
	snprintf(mr->hz_how, sizeof(mr->hz_how), "CONFIG_HZ=1000 from a test");
}

static void free_result(struct run_monitor_result *mr)
{
	mon_series__free(mr->series);
	free(mr->verdict);
	free(mr->summary);
}

static void test_a_deep_dsq_fails_the_verdict_as_a_check(void **state)
{
	struct run_monitor_result mr;
	struct verdict v = { .passed = true };
	struct metric_value mv[4];
	struct checks c;
	char buf[64], *text;
	size_t n;

	defaults(&c);
	prepare_limits(&mr, &c);
	assert_int_equal(run_monitor__judge_series(series(63, 25), &c, &mr, &v), 0);
	assert_int_equal(mr.state, RUN_MON_RAN);
	assert_true(mr.scenario_passed);
	assert_false(v.passed);
	assert_int_equal(v.nreasons, 1);
	assert_int_equal(v.check_failures, 1);	/* expect: fail accepts it */
	assert_non_null(strstr(v.reasons[0], "monitor: local DSQ depth 63 on cpu1 exceeded "
			       "threshold 50 for 15 consecutive samples"));
	assert_string_equal(run_monitor__state_str(&mr, buf, sizeof(buf)), "failed");

	text = capture(run_monitor__print, &mr);
	assert_non_null(strstr(text, "\n--- monitor ---\n2 CPUs sampled every 100 ms from the "
			       "scenario's start: 40 samples; host CPU 6.0 ms, 150 us a sample, "
			       "0.15% of one CPU\n"));
	assert_non_null(strstr(text, "\nlimits: max_imbalance_ratio 4.0, max_local_dsq_depth 50, "
			       "each for 5 consecutive samples after the first 20\n"));
	assert_non_null(strstr(text, "\nverdict: failed\n  local DSQ depth 63 on cpu1"));
	assert_non_null(strstr(text, "\n40 samples, first 20 trimmed, 20 used\n"));
	free(text);

	n = run_monitor__metrics(&mr, mv, 4);
	assert_int_equal(n, 2);		/* no stall metric: that check is off */
	assert_string_equal(mv[0].name, "monitor_max_imbalance");
	assert_true(mv[0].value == 1.0);
	assert_string_equal(mv[1].name, "monitor_max_local_dsq");
	assert_true(mv[1].value == 63);
	assert_non_null(metrics__find(mv[0].name));	/* `ktstr compare` knows them */
	assert_non_null(metrics__find(mv[1].name));
	assert_non_null(metrics__find("monitor_stall_cpus"));
	free_result(&mr);
	verdict__free(&v);
}

static void test_short_or_shallow_passes(void **state)
{
	struct run_monitor_result mr;
	struct verdict v = { .passed = true };
	struct checks c;

	defaults(&c);
	prepare_limits(&mr, &c);
	/* 63 deep for the last 4 samples only: not sustained */
	assert_int_equal(run_monitor__judge_series(series(63, NPTS - 4), &c, &mr, &v), 0);
	assert_true(v.passed);
	assert_true(mr.verdict->passed);
	free_result(&mr);
	prepare_limits(&mr, &c);
	/* at the limit, not above */
	assert_int_equal(run_monitor__judge_series(series(50, 0), &c, &mr, &v), 0);
	assert_true(v.passed);
	free_result(&mr);
}

static void test_hardware_only_is_waived_under_tcg(void **state)
{
	struct run_monitor_result mr;
	struct verdict v = { .passed = true };
	struct checks c;

	checks__defaults(THRESHOLDS_TCG, &c);
	c.t[CHECK_MAX_LOCAL_DSQ_DEPTH].hardware_only = true;
	c.waive_hardware_only = true;
	prepare_limits(&mr, &c);
	assert_int_equal(run_monitor__judge_series(series(80, 0), &c, &mr, &v), 0);
	assert_true(v.passed);			/* reported, not failed */
	assert_int_equal(v.nwaived, 1);
	assert_non_null(strstr(v.waived[0], "monitor: local DSQ depth 80"));
	assert_false(mr.verdict->passed);	/* the monitor's own verdict says it */
	free_result(&mr);
	verdict__free(&v);
}

static void test_csv(void **state)
{
	struct run_monitor_result mr;
	struct verdict v = { .passed = true };
	struct checks c;
	char *buf = NULL, *line;
	size_t len = 0, lines = 0;
	FILE *f;

	defaults(&c);
	prepare_limits(&mr, &c);
	assert_int_equal(run_monitor__judge_series(series(7, 0), &c, &mr, &v), 0);
	mr.series->pts[3].s = NULL;		/* a period without a sample */
	((struct mon_sample *)mr.series->store)[5].cpu[1].flags = MON_CPU_TORN;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(run_monitor__csv(f, &mr), 0);
	assert_int_equal(fclose(f), 0);
	assert_true(!strncmp(buf, "t_ms,sample,cpu,nr_running,scx_nr_running,local_dsq,"
			     "rq_clock_ns,curr_pid,vcpu_ns,flags\n", 80));
	assert_non_null(strstr(buf, "\n0.0,0,0,1,1,0,1000000000,10,,ok\n0.0,0,1,1,1,7,1000000001,11,,ok\n"));
	assert_non_null(strstr(buf, "\n300.0,3,,,,,,,,kernel not up\n"));
	assert_non_null(strstr(buf, "\n500.0,5,1,1,1,7,1500000001,11,,torn\n"));
	for (line = buf; (line = strchr(line, '\n')); line++)
		lines++;
	assert_int_equal(lines, 1 + (NPTS - 1) * NCPU + 1);	/* header, the gap's one line */
	free(buf);
	free_result(&mr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_off_for_eevdf_and_without_checks),
		cmocka_unit_test(test_not_run_says_why),
		cmocka_unit_test(test_prepared_with_the_merged_limits),
		cmocka_unit_test(test_a_deep_dsq_fails_the_verdict_as_a_check),
		cmocka_unit_test(test_short_or_shallow_passes),
		cmocka_unit_test(test_hardware_only_is_waived_under_tcg),
		cmocka_unit_test(test_csv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

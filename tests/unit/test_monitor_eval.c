// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's checks over a series of samples (lib/monitor/monitor_eval.h)
 * on synthetic series: 4 CPUs sampled every 100 ms from t = 5 s, each CPU
 * with 2 tasks, 1 in its local DSQ, its rq clock advancing and its vCPU
 * running 50 ms of every 100 ms on the host. Each test bends that series
 * to break one rule, and checks the exact message, or that nothing fires.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "monitor/monitor_eval.h"

#define NCPU		4
#define NPTS		60
#define PERIOD_NS	100000000ull
#define T0_NS		5000000000ull
#define VCPU_RUN_NS	50000000ull	/* per period; HZ 250 needs 40 ms */

struct series {
	struct mon_sample s[NPTS];
	uint64_t vcpu[NPTS][NCPU];
	struct mon_point p[NPTS];
	struct mon_limits l;
	struct mon_verdict v;
	struct mon_summary sum;
};

static uint64_t clock_at(size_t i, uint32_t c)
{
	return 1000000000ull + i * PERIOD_NS + c * 7;
}

static int setup(void **state)
{
	struct series *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	for (size_t i = 0; i < NPTS; i++) {
		x->s[i].nr_cpu_ids = NCPU;
		x->s[i].nr_cpus = NCPU;
		for (uint32_t c = 0; c < NCPU; c++) {
			x->s[i].cpu[c] = (struct mon_cpu){
				.nr_running = 2, .scx_nr_running = 2, .local_dsq_nr = 1,
				.clock = clock_at(i, c), .curr_pid = 100 + (int32_t)c,
			};
			x->vcpu[i][c] = i * VCPU_RUN_NS;
		}
		x->p[i] = (struct mon_point){
			.t_ns = T0_NS + i * PERIOD_NS, .s = &x->s[i],
			.vcpu_ns = x->vcpu[i], .nr_vcpu_ns = NCPU,
		};
	}
	mon_eval__defaults(&x->l);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void eval(struct series *x, size_t n)
{
	mon_eval__series(x->p, n, &x->l, &x->v, &x->sum);
}

static void assert_passes(struct series *x)
{
	eval(x, NPTS);
	if (x->v.nr_fail)
		fprintf(stderr, "unexpected: %s\n", x->v.fail[0]);
	assert_int_equal(x->v.nr_fail, 0);
	assert_true(x->v.passed);
}

static void assert_fails(struct series *x, const char *msg)
{
	eval(x, NPTS);
	assert_false(x->v.passed);
	assert_int_equal(x->v.nr_fail, 1);
	assert_string_equal(x->v.fail[0], msg);
}

static void set_nr(struct series *x, size_t from, size_t to, uint32_t c, uint32_t nr)
{
	for (size_t i = from; i <= to; i++)
		x->s[i].cpu[c].nr_running = nr;
}

static void set_dsq(struct series *x, size_t from, size_t to, uint32_t c, uint32_t nr)
{
	for (size_t i = from; i <= to; i++)
		x->s[i].cpu[c].local_dsq_nr = nr;
}

/* cpu @c's rq clock stands still from sample @from to @to. */
static void freeze(struct series *x, size_t from, size_t to, uint32_t c)
{
	for (size_t i = from; i <= to; i++)
		x->s[i].cpu[c].clock = clock_at(from, c);
}

static void test_healthy(void **state)
{
	struct series *x = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_passes(x);
	assert_int_equal(x->v.nr_note, 0);
	assert_int_equal(x->sum.samples, NPTS);
	assert_int_equal(x->sum.trimmed, 20);
	assert_int_equal(x->sum.used, NPTS - 20);
	assert_int_equal(x->sum.nr_cpus, NCPU);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	x->s[44].cpu[1].nr_running = 5;
	x->s[50].cpu[3].local_dsq_nr = 9;
	x->s[51].cpu[2].flags = MON_CPU_TORN;
	eval(x, NPTS);
	mon_eval__print_summary(f, &x->sum);
	fclose(f);
	assert_string_equal(buf,
		"60 samples, first 20 trimmed, 40 used\n"
		"max imbalance 2.5 at sample 44 (4.4s)\n"
		"  cpu     samples  flagged  max_nr  max_scx  max_dsq  clock_progress\n"
		"  cpu0         40        0       2        2        1  3.900s\n"
		"  cpu1         40        0       5        2        1  3.900s\n"
		"  cpu2         39        1       2        2        1  3.900s\n"
		"  cpu3         40        0       2        2        9  3.900s\n");
	free(buf);
}

static void test_imbalance(void **state)
{
	struct series *x = *state;

	set_nr(x, 30, 33, 1, 9);	/* 9 / 2 = 4.5 for 4 samples */
	assert_passes(x);
	set_nr(x, 34, 34, 1, 9);	/* and a 5th */
	assert_fails(x, "imbalance ratio 4.5 exceeded threshold 4.0 for 5 consecutive samples "
		     "(ending at sample 34, 3.4s; nr_running 9 on cpu1, 2 on cpu0)");
	/* Exactly at the threshold is no violation. */
	set_nr(x, 30, 34, 1, 8);
	assert_passes(x);
	/* An idle CPU divides by 1, not 0: 5 / max(1, 0). */
	set_nr(x, 30, 34, 1, 5);
	set_nr(x, 30, 34, 2, 0);
	assert_fails(x, "imbalance ratio 5.0 exceeded threshold 4.0 for 5 consecutive samples "
		     "(ending at sample 34, 3.4s; nr_running 5 on cpu1, 0 on cpu2)");
	x->l.imbalance_on = false;
	assert_passes(x);
}

static void test_dsq(void **state)
{
	struct series *x = *state;

	set_dsq(x, 37, 40, 2, 73);
	assert_passes(x);
	set_dsq(x, 41, 41, 2, 73);
	assert_fails(x, "local DSQ depth 73 on cpu2 exceeded threshold 50 for 5 consecutive "
		     "samples (ending at sample 41, 4.1s)");
	/* Any CPU over the limit keeps the run going; the message names the last. */
	set_dsq(x, 39, 41, 2, 1);
	set_dsq(x, 39, 41, 3, 60);
	assert_fails(x, "local DSQ depth 60 on cpu3 exceeded threshold 50 for 5 consecutive "
		     "samples (ending at sample 41, 4.1s)");
	set_dsq(x, 39, 41, 3, 50);	/* at the limit: not over */
	assert_passes(x);
	x->l.max_local_dsq_depth = 0;	/* every CPU holds 1 */
	assert_fails(x, "local DSQ depth 1 on cpu0 exceeded threshold 0 for 40 consecutive "
		     "samples (ending at sample 59, 5.9s)");
	x->l.dsq_on = false;
	assert_passes(x);
}

/* A flagged CPU or sample never counts toward a violation and ends a run. */
static void test_torn(void **state)
{
	struct series *x = *state;

	set_dsq(x, 30, 38, 2, 73);
	assert_fails(x, "local DSQ depth 73 on cpu2 exceeded threshold 50 for 9 consecutive "
		     "samples (ending at sample 38, 3.8s)");
	x->s[34].cpu[2].flags = MON_CPU_TORN;	/* 4 + 4 */
	assert_passes(x);
	x->s[34].cpu[2].flags = MON_CPU_NO_RQ;
	assert_passes(x);
	/* Another CPU torn: cpu2's depth still counts. */
	x->s[34].cpu[2].flags = 0;
	x->s[34].cpu[0].flags = MON_CPU_TORN;
	assert_fails(x, "local DSQ depth 73 on cpu2 exceeded threshold 50 for 9 consecutive "
		     "samples (ending at sample 38, 3.8s)");
	/* No current task is no reason to doubt the counts. */
	x->s[34].cpu[0].flags = MON_CPU_NO_CURR;
	assert_fails(x, "local DSQ depth 73 on cpu2 exceeded threshold 50 for 9 consecutive "
		     "samples (ending at sample 38, 3.8s)");
	x->s[34].cpu[0].flags = 0;
	x->s[34].flags = MON_SAMPLE_NO_KERNEL;
	assert_passes(x);
	x->s[34].flags = 0;
	x->p[34].s = NULL;		/* no sample that period */
	assert_passes(x);
	x->p[34].s = &x->s[34];
	set_dsq(x, 30, 38, 2, 1);

	/* Imbalance: any CPU torn leaves the ratio unknown. */
	set_nr(x, 30, 38, 1, 9);
	assert_fails(x, "imbalance ratio 4.5 exceeded threshold 4.0 for 9 consecutive samples "
		     "(ending at sample 38, 3.8s; nr_running 9 on cpu1, 2 on cpu0)");
	x->s[34].cpu[3].flags = MON_CPU_TORN;
	assert_passes(x);
	x->s[34].cpu[3].flags = 0;
	set_nr(x, 30, 38, 1, 2);

	/* Stall: a torn sample in the middle ends the run. */
	freeze(x, 30, 38, 3);
	assert_fails(x, "rq_clock stall on cpu3 for 8 consecutive samples (ending at sample 38, "
		     "3.8s, clock=4000000021, nr_running 2)");
	x->s[34].cpu[3].flags = MON_CPU_TORN;	/* intervals 31-33 and 36-38 */
	assert_passes(x);
}

static void test_trim(void **state)
{
	struct series *x = *state;

	set_dsq(x, 15, 19, 0, 99);	/* all within the first 20 */
	assert_passes(x);
	x->l.trim = 0;
	assert_fails(x, "local DSQ depth 99 on cpu0 exceeded threshold 50 for 5 consecutive "
		     "samples (ending at sample 19, 1.9s)");
	x->l.trim = 20;
	set_dsq(x, 15, 19, 0, 1);
	set_dsq(x, 16, 20, 0, 99);	/* one sample past the trim */
	assert_passes(x);
	set_dsq(x, 21, 24, 0, 99);
	assert_fails(x, "local DSQ depth 99 on cpu0 exceeded threshold 50 for 5 consecutive "
		     "samples (ending at sample 24, 2.4s)");
	/* Nothing left after the trim. */
	eval(x, 20);
	assert_true(x->v.passed);
	assert_int_equal(x->v.nr_fail, 0);
	assert_int_equal(x->v.nr_note, 1);
	assert_string_equal(x->v.note[0], "no monitor samples after the first 20 (boot settle)");
	assert_int_equal(x->sum.used, 0);
}

static void assert_gate(struct series *x, const char *note)
{
	eval(x, NPTS);
	assert_true(x->v.passed);
	assert_int_equal(x->v.nr_fail, 0);
	assert_int_equal(x->v.nr_note, 1);
	assert_string_equal(x->v.note[0], note);
}

static void test_gate(void **state)
{
	struct series *x = *state;

	set_dsq(x, 25, 29, 1, 10000);	/* deep, but a kernel could hold it */
	assert_fails(x, "local DSQ depth 10000 on cpu1 exceeded threshold 50 for 5 consecutive "
		     "samples (ending at sample 29, 2.9s)");
	set_dsq(x, 27, 27, 1, 10001);
	assert_gate(x, "monitor data not yet initialized (local DSQ depth 10001 on cpu1 at "
		    "sample 27)");
	/* A flagged value is no evidence either way. */
	x->s[27].cpu[1].flags = MON_CPU_TORN;
	eval(x, NPTS);
	assert_int_equal(x->v.nr_note, 0);
	x->s[27].cpu[1].flags = 0;
	/* Within the trim it does not count. */
	set_dsq(x, 25, 29, 1, 1);
	set_dsq(x, 10, 10, 1, 20000);
	assert_passes(x);
	assert_int_equal(x->v.nr_note, 0);

	/* One rq clock everywhere: memory no kernel wrote. Even with violations. */
	for (size_t i = 20; i < NPTS; i++)
		for (uint32_t c = 0; c < NCPU; c++)
			x->s[i].cpu[c].clock = 0;
	set_nr(x, 30, 40, 1, 9);
	assert_gate(x, "monitor data not yet initialized (every rq clock reads 0)");
	x->s[45].cpu[2].clock = 5;
	assert_fails(x, "imbalance ratio 4.5 exceeded threshold 4.0 for 11 consecutive samples "
		     "(ending at sample 40, 4.0s; nr_running 9 on cpu1, 2 on cpu0)");
	x->s[45].cpu[2].flags = MON_CPU_TORN;	/* the one different clock is flagged */
	assert_gate(x, "monitor data not yet initialized (every rq clock reads 0)");
	/* No sample with a kernel. */
	for (size_t i = 0; i < NPTS; i++)
		x->s[i].flags = MON_SAMPLE_NO_KERNEL;
	assert_gate(x, "monitor data not yet initialized (no usable sample after the first 20)");
}

static void test_stall(void **state)
{
	struct series *x = *state;

	freeze(x, 30, 34, 3);		/* 4 intervals */
	assert_passes(x);
	freeze(x, 30, 35, 3);		/* 5 */
	assert_fails(x, "rq_clock stall on cpu3 for 5 consecutive samples (ending at sample 35, "
		     "3.5s, clock=4000000021, nr_running 2)");
	/* Busy in one of the two samples is not idle. */
	set_nr(x, 30, 35, 3, 0);
	x->s[31].cpu[3].nr_running = 1;
	x->s[33].cpu[3].nr_running = 1;
	x->s[35].cpu[3].nr_running = 1;
	assert_fails(x, "rq_clock stall on cpu3 for 5 consecutive samples (ending at sample 35, "
		     "3.5s, clock=4000000021, nr_running 1)");
	/* Idle in both (NOHZ stopped its tick) is no stall. */
	x->s[33].cpu[3].nr_running = 0;
	assert_passes(x);
	set_nr(x, 30, 35, 3, 2);
	/* A clock of 0 is a CPU not up. */
	for (size_t i = 30; i <= 35; i++)
		x->s[i].cpu[3].clock = 0;
	assert_passes(x);
	freeze(x, 30, 35, 3);
	x->l.stall_on = false;
	assert_passes(x);
	x->l.stall_on = true;
	assert_fails(x, "rq_clock stall on cpu3 for 5 consecutive samples (ending at sample 35, "
		     "3.5s, clock=4000000021, nr_running 2)");
}

/* Not judged without the vCPU's host CPU time, nor when the host did not run it. */
static void test_stall_vcpu(void **state)
{
	struct series *x = *state;

	freeze(x, 30, 35, 3);
	/* 40 ms (10 ticks at HZ 250) in interval 33: just enough. */
	for (size_t i = 33; i < NPTS; i++)
		x->vcpu[i][3] -= 10000000ull;
	assert_fails(x, "rq_clock stall on cpu3 for 5 consecutive samples (ending at sample 35, "
		     "3.5s, clock=4000000021, nr_running 2)");
	/* 39.999999 ms: preempted. */
	for (size_t i = 33; i < NPTS; i++)
		x->vcpu[i][3] -= 1;
	assert_passes(x);
	assert_int_equal(x->v.nr_note, 0);
	for (size_t i = 33; i < NPTS; i++)
		x->vcpu[i][3] += 10000001ull;
	assert_fails(x, "rq_clock stall on cpu3 for 5 consecutive samples (ending at sample 35, "
		     "3.5s, clock=4000000021, nr_running 2)");
	/* At HZ 100, 10 ticks are 100 ms: 50 ms is preempted. */
	x->l.hz = 100;
	assert_passes(x);
	x->l.hz = 1000;
	assert_fails(x, "rq_clock stall on cpu3 for 5 consecutive samples (ending at sample 35, "
		     "3.5s, clock=4000000021, nr_running 2)");
	x->l.hz = 0;			/* unknown: 250 */
	assert_fails(x, "rq_clock stall on cpu3 for 5 consecutive samples (ending at sample 35, "
		     "3.5s, clock=4000000021, nr_running 2)");
	/* A CPU time going back is no evidence the vCPU ran. */
	x->vcpu[33][3] = x->vcpu[32][3] - 1;
	assert_passes(x);
	x->vcpu[33][3] = 33 * VCPU_RUN_NS;

	/* One sample without times: intervals 33 and 34 not judged. */
	x->p[33].vcpu_ns = NULL;
	assert_passes(x);
	assert_int_equal(x->v.nr_note, 1);
	assert_string_equal(x->v.note[0], "rq clock stalls not judged in 2 of 39 intervals: the "
			    "host CPU time of the vCPU threads is not known");
	/* Too short an array is as good as none for the CPUs it misses. */
	x->p[33].vcpu_ns = x->vcpu[33];
	x->p[33].nr_vcpu_ns = 3;
	assert_passes(x);
	x->p[33].nr_vcpu_ns = NCPU;

	/* None at all. */
	for (size_t i = 0; i < NPTS; i++)
		x->p[i].vcpu_ns = NULL;
	assert_passes(x);
	assert_int_equal(x->v.nr_note, 1);
	assert_string_equal(x->v.note[0], "rq clock stalls not judged: the host CPU time of the "
			    "vCPU threads is not known");
	/* The other checks still run. */
	set_dsq(x, 40, 44, 0, 51);
	eval(x, NPTS);
	assert_false(x->v.passed);
	assert_int_equal(x->v.nr_fail, 1);
	assert_string_equal(x->v.fail[0], "local DSQ depth 51 on cpu0 exceeded threshold 50 for 5 "
			    "consecutive samples (ending at sample 44, 4.4s)");
}

/* Every rule at once, in the original's order; a stall per CPU. */
static void test_all(void **state)
{
	struct series *x = *state;

	set_nr(x, 30, 34, 0, 12);
	set_dsq(x, 40, 44, 1, 51);
	freeze(x, 45, 50, 2);
	freeze(x, 50, 56, 3);
	x->l.sustained = 3;
	eval(x, NPTS);
	assert_false(x->v.passed);
	assert_int_equal(x->v.nr_fail, 4);
	assert_string_equal(x->v.fail[0], "imbalance ratio 6.0 exceeded threshold 4.0 for 5 "
			    "consecutive samples (ending at sample 34, 3.4s; nr_running 12 on "
			    "cpu0, 2 on cpu1)");
	assert_string_equal(x->v.fail[1], "local DSQ depth 51 on cpu1 exceeded threshold 50 for 5 "
			    "consecutive samples (ending at sample 44, 4.4s)");
	assert_string_equal(x->v.fail[2], "rq_clock stall on cpu2 for 5 consecutive samples "
			    "(ending at sample 50, 5.0s, clock=5500000014, nr_running 2)");
	assert_string_equal(x->v.fail[3], "rq_clock stall on cpu3 for 6 consecutive samples "
			    "(ending at sample 56, 5.6s, clock=6000000021, nr_running 2)");
	x->l.sustained = 6;
	eval(x, NPTS);
	assert_int_equal(x->v.nr_fail, 1);
	assert_string_equal(x->v.fail[0], "rq_clock stall on cpu3 for 6 consecutive samples "
			    "(ending at sample 56, 5.6s, clock=6000000021, nr_running 2)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_healthy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_imbalance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dsq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stall, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stall_vcpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

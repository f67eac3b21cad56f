// SPDX-License-Identifier: GPL-2.0
/*
 * The guest agent's workers, run for real on the host: every work type
 * reports sensible numbers, hung and dead workers get sentinels, affinity
 * holds, and nothing (process, zombie, fd) is left behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent/cpu_env.h"
#include "agent/work.h"

#define MS 1000000ull
#define MAXW 16

struct got {
	int n;
	struct ktstr_msg_worker_report r[MAXW];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void on_report(const struct ktstr_msg_worker_report *r, const uint64_t *lat,
		      const struct ktstr_migration *mig, void *arg)
{
	struct got *g = arg;

	assert_true(g->n < MAXW);
	g->r[g->n++] = *r;
	assert_true(r->nlatencies <= r->wake_sample_total);
	if (r->nlatencies)
		assert_non_null(lat);
	for (uint32_t i = 0; i < r->nlatencies; i++)
		assert_true(lat[i] < 10000 * MS);
	for (uint32_t i = 0; i < r->nmigrations; i++)
		assert_true(mig[i].from_cpu != mig[i].to_cpu);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Processes whose parent is us, or whose process group is @pgid (0 = skip). */
static int leftovers(pid_t pgid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[300], buf[512];
		int ppid, pgrp;
		FILE *f;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f)) {
			char *p = strrchr(buf, ')');

			if (p && sscanf(p + 2, "%*c %d %d", &ppid, &pgrp) == 2 &&
			    (ppid == getpid() || (pgid && pgrp == pgid)))
				n++;
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

static struct work_spec spec_of(enum work_type t, uint32_t workers)
{
	struct work_spec s = { .type = t, .workers = workers, .cgroup = "cg_test", .step = 1 };

	return s;
}

/* Spawn, run @ms, stop; returns the sentinel count and checks nothing leaks. */
static int run(const struct work_spec *s, unsigned ms, uint64_t timeout, struct got *got,
	       uint64_t *elapsed)
{
	struct work_ctx ctx = { .tmpdir = "/tmp" };
	struct work_group *g;
	int fds = count_fds(), missing;
	pid_t pids[MAXW];
	size_t n;
	uint64_t t0 = now_ns();

	memset(got, 0, sizeof(*got));
	assert_int_equal(work_group__spawn(s, NULL, &ctx, &g), 0);
	n = work_group__count(g);
	assert_int_equal(n, s->workers);
	for (size_t i = 0; i < n; i++)
		pids[i] = work_group__pid(g, i);
	sleep_ms(ms);
	missing = work_group__stop(g, timeout, on_report, got);
	if (elapsed)
		*elapsed = now_ns() - t0;
	assert_int_equal(got->n, (int)n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(got->r[i].pid, pids[i]);
		assert_int_equal(leftovers(pids[i]), 0);
	}
	assert_int_equal(count_fds(), fds);
	return missing;
}

struct type_case {
	enum work_type type;
	uint32_t workers;
	int64_t params[WORK_MAX_PARAMS];
	bool blocking;		/* expects wake-latency samples */
};

static const struct work_phase phases[] = {
	{ WORK_PHASE_SPIN, 5 * MS },
	{ WORK_PHASE_SLEEP, 2 * MS },
	{ WORK_PHASE_YIELD, 2 * MS },
	{ WORK_PHASE_IO, 2 * MS },
};

static void test_every_type(void **state)
{
	static const struct type_case cases[] = {
		{ WORK_CPU_SPIN, 2, { 0 }, false },
		{ WORK_YIELD_HEAVY, 2, { 0 }, false },
		{ WORK_MIXED, 2, { 0 }, false },
		{ WORK_IO_SYNC, 2, { 0 }, true },
		{ WORK_BURSTY, 2, { 10 * MS, 10 * MS }, true },
		{ WORK_PIPE_IO, 2, { 0 }, true },
		{ WORK_FUTEX_PING_PONG, 2, { 0 }, true },
		{ WORK_CACHE_PRESSURE, 2, { 0 }, false },
		{ WORK_CACHE_YIELD, 2, { 64 * 1024, 128 }, true },
		{ WORK_CACHE_PIPE, 2, { 0 }, true },
		{ WORK_FUTEX_FAN_OUT, 3, { 2 }, true },
		{ WORK_FAN_OUT_COMPUTE, 3, { 2, 64 * 1024, 2, 50000 }, true },
		{ WORK_SEQUENCE, 2, { 0 }, true },
		{ WORK_FORK_EXIT, 2, { 0 }, true },
		{ WORK_NICE_SWEEP, 2, { 0 }, true },
		{ WORK_AFFINITY_CHURN, 2, { 0 }, true },
		{ WORK_POLICY_CHURN, 2, { 0 }, true },
		{ WORK_PAGE_FAULT_CHURN, 2, { 1024 * 1024 }, false },
		{ WORK_MUTEX_CONTENTION, 4, { 4 }, true },
	};

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct type_case *tc = &cases[c];
		struct work_spec s = spec_of(tc->type, tc->workers);
		uint64_t elapsed, samples = 0;
		struct got got;

		memcpy(s.params, tc->params, sizeof(s.params));
		s.phases = phases;
		s.nphases = 4;
		assert_int_equal(run(&s, 200, 0, &got, &elapsed), 0);
		for (int i = 0; i < got.n; i++) {
			const struct ktstr_msg_worker_report *r = &got.r[i];

			print_message("  %-2d type %-2d pid %d: units %llu iters %llu cpu %llums "
				      "wall %llums samples %llu gap %lluus\n", (int)c, tc->type,
				      r->pid, (unsigned long long)r->work_units,
				      (unsigned long long)r->iterations,
				      (unsigned long long)(r->cpu_time_ns / MS),
				      (unsigned long long)(r->wall_time_ns / MS),
				      (unsigned long long)r->wake_sample_total,
				      (unsigned long long)(r->max_gap_ns / 1000));
			assert_int_equal(r->exit_kind, KTSTR_WORKER_COMPLETED);
			assert_int_equal(r->work_type, tc->type);
			assert_string_equal(r->cgroup, "cg_test");
			assert_int_equal(r->step, 1);
			assert_true(r->work_units > 0);
			assert_true(r->iterations > 0);
			/*
			 * wall ~ elapsed, but no floor: on a busy host a worker
			 * saw 21 ms of a 200 ms run (its start delayed 180 ms).
			 */
			assert_true(r->wall_time_ns > 0);
			assert_true(r->wall_time_ns <= elapsed);
			assert_true(r->cpu_time_ns <= r->wall_time_ns + 5 * MS);
			assert_true(r->off_cpu_ns + r->cpu_time_ns >= r->wall_time_ns);
			assert_true(r->max_gap_ns < r->wall_time_ns);
			assert_true(r->cpus_used[0] || r->cpus_used[1] || r->cpus_used[2] ||
				    r->cpus_used[3]);
			assert_true(r->migration_count >= r->nmigrations);
			samples += r->wake_sample_total;
			if (tc->blocking && !(r->flags & KTSTR_REPORT_F_MESSENGER) &&
			    tc->type != WORK_MUTEX_CONTENTION)
				assert_true(r->wake_sample_total > 0);
		}
		if (tc->blocking)
			assert_true(samples > 0);
		if (tc->type == WORK_FUTEX_FAN_OUT || tc->type == WORK_FAN_OUT_COMPUTE) {
			assert_true(got.r[0].flags & KTSTR_REPORT_F_MESSENGER);
			assert_false(got.r[1].flags & KTSTR_REPORT_F_MESSENGER);
		}
	}
}

static void test_exec(void **state)
{
	char *exit7[] = { "/bin/sh", "-c", "exit 7", NULL };
	char *sleeper[] = { "sleep", "30", NULL };
	char *missing[] = { "/nonexistent/ktstr-no-such-program", NULL };
	struct work_spec s = spec_of(WORK_EXEC, 1);
	uint64_t elapsed;
	struct got got;

	(void)state;
	s.argv = exit7;
	assert_int_equal(run(&s, 300, 0, &got, NULL), 0);
	assert_int_equal(got.r[0].exit_kind, KTSTR_WORKER_COMPLETED);
	assert_true(got.r[0].flags & KTSTR_REPORT_F_EXEC);
	assert_false(got.r[0].flags & (KTSTR_REPORT_F_EXEC_STOPPED | KTSTR_REPORT_F_EXEC_SIGNALED));
	assert_int_equal(got.r[0].exit_value, 7);
	assert_int_equal(got.r[0].iterations, 0);

	s.argv = sleeper;
	assert_int_equal(run(&s, 100, 0, &got, &elapsed), 0);
	assert_true(got.r[0].flags & KTSTR_REPORT_F_EXEC_STOPPED);
	assert_true(got.r[0].flags & KTSTR_REPORT_F_EXEC_SIGNALED);
	assert_int_equal(got.r[0].exit_value, SIGTERM);
	/* Stopped, not waited for: the sleeper alone would take 30 s. */
	assert_true(elapsed < 10000 * MS);

	/* Long enough for the failed exec to be seen before the stop, even on a busy host. */
	s.argv = missing;
	assert_int_equal(run(&s, 300, 0, &got, NULL), 0);
	assert_int_equal(got.r[0].exit_value, 127);

	s.argv = NULL;
	struct work_group *g = (struct work_group *)1;

	assert_int_equal(work_group__spawn(&s, NULL, NULL, &g), -EINVAL);
	assert_null(g);
}

/* Without pause (QEMU TCG) spinning still counts its units, 1024 per round. */
static void test_spin_without_pause(void **state)
{
	struct work_spec s = spec_of(WORK_CPU_SPIN, 2);
	uint64_t elapsed;
	struct got got;

	(void)state;
	work__spin_mode(false);
	assert_int_equal(run(&s, 100, 0, &got, &elapsed), 0);
	work__spin_mode(true);
	assert_int_equal(got.n, 2);
	for (int i = 0; i < got.n; i++) {
		assert_int_equal(got.r[i].exit_kind, KTSTR_WORKER_COMPLETED);
		assert_true(got.r[i].work_units > 0);
		assert_int_equal(got.r[i].work_units % 1024, 0);
		assert_true(got.r[i].iterations > 0);
	}
}

/* The hypervisor signatures the agent tells apart. */
static void test_cpu_env(void **state)
{
	(void)state;
	assert_int_equal(cpu_env__from_signature("TCGTCGTCGTCG"), CPU_ENV_TCG);
	assert_int_equal(cpu_env__from_signature("KVMKVMKVM\0\0\0"), CPU_ENV_KVM);
	assert_int_equal(cpu_env__from_signature("Microsoft Hv"), CPU_ENV_OTHER);
	assert_int_equal(cpu_env__from_signature("VMwareVMware"), CPU_ENV_OTHER);
	assert_string_equal(cpu_env__name(CPU_ENV_TCG), "QEMU TCG");
}

static void test_hung_and_dead(void **state)
{
	struct work_spec s = spec_of(WORK_CPU_SPIN, 2);
	uint64_t elapsed;
	struct got got;

	(void)state;
	s.test_hook = WORK_TEST_IGNORE_STOP;
	assert_int_equal(run(&s, 50, 300 * MS, &got, &elapsed), 2);
	/* Killed after the grace: workers that ignore the stop would spin forever. */
	assert_true(elapsed < 10000 * MS);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(got.r[i].exit_kind, KTSTR_WORKER_TIMED_OUT);
		assert_int_equal(got.r[i].work_units, 0);
		assert_string_equal(got.r[i].cgroup, "cg_test");
	}

	s.test_hook = WORK_TEST_EXIT_EARLY;
	assert_int_equal(run(&s, 50, 0, &got, &elapsed), 2);
	assert_true(elapsed < 10000 * MS);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(got.r[i].exit_kind, KTSTR_WORKER_EXITED);
		assert_int_equal(got.r[i].exit_value, 3);
	}

	/* A worker killed under us: SIGNALED. */
	struct work_group *g;
	struct work_ctx ctx = { 0 };

	s.test_hook = WORK_TEST_NONE;
	assert_int_equal(work_group__spawn(&s, NULL, &ctx, &g), 0);
	sleep_ms(30);
	kill(work_group__pid(g, 1), SIGKILL);
	memset(&got, 0, sizeof(got));
	assert_int_equal(work_group__stop(g, 0, on_report, &got), 1);
	assert_int_equal(got.r[0].exit_kind, KTSTR_WORKER_COMPLETED);
	assert_int_equal(got.r[1].exit_kind, KTSTR_WORKER_SIGNALED);
	assert_int_equal(got.r[1].exit_value, SIGKILL);

	/* kill: no reports, nothing left. */
	int fds = count_fds();

	assert_int_equal(work_group__spawn(&s, NULL, &ctx, &g), 0);
	pid_t p0 = work_group__pid(g, 0);

	for (int i = 0; i < 200 && !work_group__iterations(g, 0); i++)
		sleep_ms(10);
	assert_true(work_group__iterations(g, 0) > 0);
	work_group__kill(g);
	assert_int_equal(leftovers(p0), 0);
	assert_int_equal(count_fds(), fds);
}

static unsigned weight(const struct ktstr_msg_worker_report *r)
{
	unsigned n = 0;

	for (int i = 0; i < KTSTR_MAX_CPUS_WIRE / 64; i++)
		n += (unsigned)__builtin_popcountll(r->cpus_used[i]);
	return n;
}

static void test_affinity(void **state)
{
	struct work_spec s = spec_of(WORK_CPU_SPIN, 2);
	int32_t llc[WORK_MAX_CPUS];
	struct work_cpumask pool = { { 0 } };
	cpu_set_t cs;
	int first = -1, last = -1;
	struct got got;

	(void)state;
	assert_int_equal(sched_getaffinity(0, sizeof(cs), &cs), 0);
	for (int c = 0; c < CPU_SETSIZE && c < WORK_MAX_CPUS; c++)
		if (CPU_ISSET(c, &cs)) {
			if (first < 0)
				first = c;
			last = c;
		}

	s.affinity.kind = WORK_AFF_SINGLE_CPU;
	assert_int_equal(run(&s, 150, 0, &got, NULL), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(weight(&got.r[i]), 1);
		assert_true(got.r[i].cpus_used[first / 64] & (1ull << (first % 64)));
		assert_int_equal(got.r[i].migration_count, 0);
		assert_false(got.r[i].flags & KTSTR_REPORT_F_AFFINITY_FAILED);
	}
	if (first == last) {
		print_message("  one CPU: skipping the isolation checks\n");
		return;
	}

	/* An explicit list, intersected with the pool (the "cpuset"). */
	s.affinity.kind = WORK_AFF_CPUS;
	s.affinity.cpus.bits[last / 64] |= 1ull << (last % 64);
	s.affinity.cpus.bits[first / 64] |= 1ull << (first % 64);
	pool.bits[last / 64] |= 1ull << (last % 64);
	s.affinity.pool = &pool;
	s.workers = 2;
	assert_int_equal(run(&s, 150, 0, &got, NULL), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(weight(&got.r[i]), 1);
		assert_true(got.r[i].cpus_used[last / 64] & (1ull << (last % 64)));
	}

	/* llc-aligned: the LLC with the most pool CPUs, here the first CPU's. */
	for (int c = 0; c < WORK_MAX_CPUS; c++)
		llc[c] = c == first ? 0 : c <= last ? 1 : -1;
	for (int c = 0; c < WORK_MAX_CPUS; c++)
		llc[c] = c == first ? 0 : (c == last ? 1 : llc[c]);
	memset(&pool, 0, sizeof(pool));
	pool.bits[first / 64] |= 1ull << (first % 64);
	s.affinity = (struct work_affinity){ .kind = WORK_AFF_LLC_ALIGNED, .pool = &pool,
					     .cpu_llc = llc };
	assert_int_equal(run(&s, 100, 0, &got, NULL), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(weight(&got.r[i]), 1);
		assert_true(got.r[i].cpus_used[first / 64] & (1ull << (first % 64)));
	}

	/* set_affinity on a running group moves it. */
	struct work_group *g;
	struct work_affinity a = { .kind = WORK_AFF_SINGLE_CPU, .pool = &pool };

	s.affinity.kind = WORK_AFF_INHERIT;
	memset(&pool, 0, sizeof(pool));
	pool.bits[last / 64] |= 1ull << (last % 64);
	assert_int_equal(work_group__spawn(&s, NULL, NULL, &g), 0);
	assert_int_equal(work_group__set_affinity(g, &a), 0);
	sleep_ms(50);
	assert_int_equal(sched_getaffinity(work_group__pid(g, 0), sizeof(cs), &cs), 0);
	assert_int_equal(CPU_COUNT(&cs), 1);
	assert_true(CPU_ISSET(last, &cs));
	work_group__kill(g);
}

static void test_placement(void **state)
{
	struct work_spec s = spec_of(WORK_CPU_SPIN, 1);
	struct got got;

	(void)state;
	s.policy = WORK_POL_BATCH;
	s.has_nice = true;
	s.nice = 5;
	s.mempol.mode = WORK_MPOL_LOCAL;
	assert_int_equal(run(&s, 50, 0, &got, NULL), 0);
	assert_false(got.r[0].flags & KTSTR_REPORT_F_POLICY_FAILED);
	if (access("/proc/self/numa_maps", R_OK) == 0) {
		assert_false(got.r[0].flags & KTSTR_REPORT_F_MEMPOL_FAILED);
		assert_true(got.r[0].numa_pages[0] > 0);
	}
	/* A spinner may run its 50 ms without ever being switched out and back
	 * in, so its run count delta can be 0; its CPU time cannot. */
	assert_true(got.r[0].schedstat_cpu_time_ns > 0);

	s.policy = WORK_POL_FIFO;
	s.priority = 1;
	s.has_nice = false;
	s.mempol.mode = WORK_MPOL_BIND;
	s.mempol.nodes = 1;
	assert_int_equal(run(&s, 50, 0, &got, NULL), 0);
	assert_int_equal(got.r[0].exit_kind, KTSTR_WORKER_COMPLETED);

	/* Grouped types need a multiple of the group. */
	struct work_group *g;

	s = spec_of(WORK_PIPE_IO, 3);
	assert_int_equal(work_group__spawn(&s, NULL, NULL, &g), -EINVAL);
	s = spec_of(WORK_FUTEX_FAN_OUT, 4);	/* fan_out 4: groups of 5 */
	assert_int_equal(work_group__spawn(&s, NULL, NULL, &g), -EINVAL);
	s = spec_of(WORK_SEQUENCE, 1);		/* no phases */
	assert_int_equal(work_group__spawn(&s, NULL, NULL, &g), -EINVAL);
}

/*
 * A >2 s gap sends SIGUSR2 to the scheduler pid: a spinner stopped for 2.1 s
 * (SIGSTOP, then SIGCONT) sees it at its first progress check after.
 */
static void test_gap_watchdog(void **state)
{
	struct work_spec s = spec_of(WORK_CPU_SPIN, 1);
	struct work_ctx ctx = { .tmpdir = "/tmp" };
	struct work_group *g;
	struct got got = { 0 };
	int status;
	pid_t sched = fork();

	(void)state;
	if (sched == 0) {
		for (;;)
			pause();
	}
	assert_true(sched > 0);
	ctx.sched_pid = sched;
	ctx.sched_gap_kill_ns = 2000 * MS;
	assert_int_equal(work_group__spawn(&s, NULL, &ctx, &g), 0);
	sleep_ms(100);
	assert_int_equal(kill(work_group__pid(g, 0), SIGSTOP), 0);
	sleep_ms(2100);
	assert_int_equal(waitpid(sched, &status, WNOHANG), 0);	/* not before the worker runs */
	assert_int_equal(kill(work_group__pid(g, 0), SIGCONT), 0);
	pid_t dead = 0;

	for (int i = 0; i < 500 && dead != sched; i++) {
		sleep_ms(10);
		dead = waitpid(sched, &status, WNOHANG);
	}
	assert_int_equal(work_group__stop(g, 0, on_report, &got), 0);
	if (dead != sched) {
		kill(sched, SIGKILL);
		waitpid(sched, &status, 0);
		fail_msg("the scheduler pid got no SIGUSR2");
	}
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGUSR2);
	assert_true(got.r[0].max_gap_ns > 2000 * MS);
	assert_true(got.r[0].max_gap_at_ns >= got.r[0].max_gap_ns);
}

/* The cgroup v2 mount point, or NULL. */
static const char *cgroup2_root(void)
{
	static char root[256];
	char dev[64], type[64];
	FILE *f = fopen("/proc/mounts", "re");
	const char *found = NULL;

	if (!f)
		return NULL;
	while (fscanf(f, "%63s %255s %63s %*[^\n]", dev, root, type) == 3)
		if (!strcmp(type, "cgroup2")) {
			found = root;
			break;
		}
	fclose(f);
	return found;
}

/* True if @pid's cgroup v2 path ends with @name. */
static bool in_cgroup(pid_t pid, const char *name)
{
	char path[64], line[512];
	bool yes = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	f = fopen(path, "re");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = 0;
			size_t l = strlen(line), n = strlen(name);

			yes = l >= n && !strcmp(line + l - n, name);
		}
	fclose(f);
	return yes;
}

/*
 * move_tasks' pieces: alive() tells a running worker from an exited one
 * without reaping it (its report still says how it ended), and split()
 * takes one worker out into a group of its own that keeps its progress
 * counter and reports by itself; both groups stop cleanly.
 */
static void test_split(void **state)
{
	struct work_spec s = spec_of(WORK_CPU_SPIN, 3);
	struct work_ctx ctx = { 0 };
	struct work_group *g, *one;
	struct got got;
	pid_t p[3];
	uint64_t it;
	int fds = count_fds();

	(void)state;
	assert_int_equal(work_group__spawn(&s, NULL, &ctx, &g), 0);
	for (size_t i = 0; i < 3; i++)
		p[i] = work_group__pid(g, i);
	for (int i = 0; i < 200 && !work_group__iterations(g, 1); i++)
		sleep_ms(10);
	for (size_t i = 0; i < 3; i++)
		assert_true(work_group__alive(g, i));
	assert_false(work_group__alive(g, 3));
	kill(p[2], SIGKILL);
	for (int i = 0; i < 200 && work_group__alive(g, 2); i++)
		sleep_ms(10);
	assert_false(work_group__alive(g, 2));
	assert_false(work_group__alive(g, 2));	/* still a zombie, not reaped */

	assert_int_equal(work_group__split(g, 3, &one), -EINVAL);
	assert_null(one);
	assert_int_equal(work_group__split(g, 1, &one), 0);
	assert_int_equal(work_group__count(g), 2);
	assert_int_equal(work_group__count(one), 1);
	assert_int_equal(work_group__pid(g, 0), p[0]);
	assert_int_equal(work_group__pid(g, 1), p[2]);
	assert_int_equal(work_group__pid(one, 0), p[1]);
	assert_true(work_group__alive(one, 0));
	/* Its counter through the new group's own mapping of the shared memory. */
	it = work_group__iterations(one, 0);
	for (int i = 0; i < 200 && work_group__iterations(one, 0) == it; i++)
		sleep_ms(10);
	assert_true(work_group__iterations(one, 0) > it);

	memset(&got, 0, sizeof(got));
	assert_int_equal(work_group__stop(one, 0, on_report, &got), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.r[0].pid, p[1]);
	assert_int_equal(got.r[0].exit_kind, KTSTR_WORKER_COMPLETED);
	assert_int_equal(kill(p[1], 0), -1);	/* reaped by its own group's stop */
	assert_true(work_group__alive(g, 0));

	memset(&got, 0, sizeof(got));
	assert_int_equal(work_group__stop(g, 0, on_report, &got), 1);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.r[0].pid, p[0]);
	assert_int_equal(got.r[0].exit_kind, KTSTR_WORKER_COMPLETED);
	assert_int_equal(got.r[1].pid, p[2]);
	assert_int_equal(got.r[1].exit_kind, KTSTR_WORKER_SIGNALED);
	assert_int_equal(got.r[1].exit_value, SIGKILL);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(leftovers(p[i]), 0);
	assert_int_equal(count_fds(), fds);
}

/* Into a real cgroup, then move_all_tasks to another (skipped without cgroup v2). */
static void test_cgroup(void **state)
{
	char a[400], b[400], procs_a[420], procs_b[420], na[64], nb[64];
	struct work_spec s = spec_of(WORK_CPU_SPIN, 2);
	const char *root = cgroup2_root();
	struct work_group *g, *none;

	(void)state;
	if (!root)
		skip();
	snprintf(na, sizeof(na), "/ktstr-work-test-%d-a", (int)getpid());
	snprintf(nb, sizeof(nb), "/ktstr-work-test-%d-b", (int)getpid());
	snprintf(a, sizeof(a), "%s%s", root, na);
	snprintf(b, sizeof(b), "%s%s", root, nb);
	if (mkdir(a, 0755) || mkdir(b, 0755)) {
		rmdir(a);
		skip();
	}
	snprintf(procs_a, sizeof(procs_a), "%s/cgroup.procs", a);
	snprintf(procs_b, sizeof(procs_b), "%s/cgroup.procs", b);
	assert_int_equal(work_group__spawn(&s, procs_a, NULL, &g), 0);
	for (size_t i = 0; i < 2; i++)
		assert_true(in_cgroup(work_group__pid(g, i), na));
	assert_int_equal(work_group__move(g, procs_b), 0);
	for (size_t i = 0; i < 2; i++)
		assert_true(in_cgroup(work_group__pid(g, i), nb));
	assert_int_equal(work_group__spawn(&s, "/nonexistent/cgroup.procs", NULL, &none),
			 -ENOENT);
	assert_null(none);
	work_group__kill(g);
	assert_int_equal(rmdir(a), 0);
	assert_int_equal(rmdir(b), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_type),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_spin_without_pause),
		cmocka_unit_test(test_cpu_env),
		cmocka_unit_test(test_hung_and_dead),
		cmocka_unit_test(test_affinity),
		cmocka_unit_test(test_placement),
		cmocka_unit_test(test_gap_watchdog),
		cmocka_unit_test(test_cgroup),
		cmocka_unit_test(test_split),
	};

	/* Under a test runner SIGUSR1/SIGCHLD could be odd; make them default. */
	signal(SIGCHLD, SIG_DFL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

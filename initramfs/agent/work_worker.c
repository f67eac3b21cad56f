// SPDX-License-Identifier: GPL-2.0
/*
 * The worker process: wait for the start byte, apply placement, run the
 * work type's outer iterations until SIGUSR1 with gap and migration tracking
 * (what the checks read: ktstr-scenario(5), CHECKS), then write the report to
 * the report pipe and _exit.
 */
#include "work_int.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void on_sigusr1(int sig)
{
	(void)sig;
	work__stop = 1;
}

static void apply_placement(struct wk *w)
{
	const struct work_spec *s = w->spec;
	struct work_cpumask m;

	if (!work_affinity__resolve(&s->affinity, (uint64_t)getpid() * 0x9e3779b97f4a7c15ull ^ wk__now(),
				    &m) &&
	    work_affinity__apply(0, &m))
		w->r.flags |= KTSTR_REPORT_F_AFFINITY_FAILED;

	if (s->policy != WORK_POL_NORMAL) {
		static const int pol[] = {
			[WORK_POL_NORMAL] = SCHED_OTHER, [WORK_POL_BATCH] = SCHED_BATCH,
			[WORK_POL_IDLE] = SCHED_IDLE, [WORK_POL_FIFO] = SCHED_FIFO,
			[WORK_POL_RR] = SCHED_RR,
		};
		struct sched_param sp = { 0 };

		if (s->policy == WORK_POL_FIFO || s->policy == WORK_POL_RR)
			sp.sched_priority = s->priority ? (int)s->priority : 1;
		/* FIFO/RR without CAP_SYS_NICE fail with EPERM: ignored, as upstream. */
		if ((unsigned)s->policy < sizeof(pol) / sizeof(pol[0]) &&
		    sched_setscheduler(0, pol[s->policy], &sp))
			w->r.flags |= KTSTR_REPORT_F_POLICY_FAILED;
	}
	if (s->has_nice && setpriority(PRIO_PROCESS, 0, s->nice))
		w->r.flags |= KTSTR_REPORT_F_POLICY_FAILED;

	if (s->mempol.mode != WORK_MPOL_DEFAULT) {
		/* Kernel MPOL_* numbering, indexed by enum work_mempol. */
		static const int mode[] = { 0, 4, 2, 1, 3, 5, 6 };
		unsigned long nodes = (unsigned long)s->mempol.nodes;

		if (s->mempol.mode == WORK_MPOL_PREFERRED && nodes)
			nodes &= -nodes;	/* the lowest node only */
		if ((unsigned)s->mempol.mode >= sizeof(mode) / sizeof(mode[0]) ||
		    syscall(SYS_set_mempolicy, mode[s->mempol.mode] | (int)s->mempol.flags,
			    s->mempol.mode == WORK_MPOL_LOCAL ? NULL : &nodes,
			    s->mempol.mode == WORK_MPOL_LOCAL ? 0 : 65ul))
			w->r.flags |= KTSTR_REPORT_F_MEMPOL_FAILED;
	}
}

static uint64_t cpu_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* Detach from the parent's signal setup; die with it. */
static void child_signals(void)
{
	static const int dfl[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGUSR2, SIGALRM, SIGQUIT };
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	sigset_t none;

	work__stop = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: blocking calls return EINTR */
	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 0; i < sizeof(dfl) / sizeof(dfl[0]); i++)
		signal(dfl[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void test_hooks(const struct work_spec *s)
{
	if (s->test_hook == WORK_TEST_EXIT_EARLY)
		_exit(3);
	if (s->test_hook == WORK_TEST_IGNORE_STOP) {
		signal(SIGUSR1, SIG_IGN);
		for (;;)
			cpu_relax();
	}
}

void work_worker__main(struct wk *w, int start_fd, int report_fd)
{
	const struct work_ops *ops = work_ops__get(w->spec->type);
	uint64_t ss0[3], ss1[3], cpu0, mig0;
	pid_t parent = getppid();
	char c;

	child_signals();
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	setpgid(0, 0);

	/* Two-phase start: EOF instead of a byte means the spawn was abandoned. */
	ssize_t n;
	do
		n = read(start_fd, &c, 1);
	while (n < 0 && errno == EINTR && !work__stop);
	if (n != 1)
		_exit(0);
	close(start_fd);
	test_hooks(w->spec);

	apply_placement(w);
	work_fault__apply();
	w->rng = ((uint64_t)getpid() << 32 | 1) ^ wk__now();
	w->r.pid = getpid();
	if (ops->setup && ops->setup(w))
		_exit(2);

	work_report__schedstat(ss0);
	mig0 = work_report__numa_migrated();
	cpu0 = cpu_clock_ns();
	wk__progress_start(w);

	if (ops->run) {
		ops->run(w);
	} else {
		uint64_t it = 0;

		while (!work__stop) {
			ops->iter(w);
			*w->progress = ++it;
			wk__progress(w);
		}
		/* Once more at the stop: a worker starved until the end shows it. */
		wk__progress_check(w);
		w->r.iterations = it;
	}

	uint64_t wall = wk__now() - w->start_ns;
	uint64_t cpu = cpu_clock_ns() - cpu0;

	/* NUMA placement before teardown, which frees the type's buffers. */
	uint64_t pages[KTSTR_REPORT_MAX_NODES];

	w->r.vmstat_numa_pages_migrated = work_report__numa_migrated() - mig0;
	work_report__numa_maps(pages);
	memcpy(w->r.numa_pages, pages, sizeof(pages));	/* packed: no pointer into it */
	if (ops->teardown)
		ops->teardown(w);
	work_report__schedstat(ss1);
	w->r.work_units = w->work_units;
	w->r.wall_time_ns = wall;
	if (!(w->r.flags & KTSTR_REPORT_F_EXEC))
		w->r.cpu_time_ns = cpu;	/* exec: the program's, set by run */
	w->r.off_cpu_ns = wall > w->r.cpu_time_ns ? wall - w->r.cpu_time_ns : 0;
	w->r.schedstat_cpu_time_ns = ss1[0] - ss0[0];
	w->r.schedstat_run_delay_ns = ss1[1] - ss0[1];
	w->r.schedstat_run_count = ss1[2] - ss0[2];
	w->r.exit_kind = KTSTR_WORKER_COMPLETED;

	if (work_fd__write_all(report_fd, &w->r, sizeof(w->r)) ||
	    work_fd__write_all(report_fd, w->lat, w->r.nlatencies * sizeof(w->lat[0])) ||
	    work_fd__write_all(report_fd, w->mig, w->r.nmigrations * sizeof(w->mig[0])))
		_exit(1);
	_exit(0);
}

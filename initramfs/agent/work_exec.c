// SPDX-License-Identifier: GPL-2.0
/*
 * exec: the worker forks and execvp()s its argv (never through a shell),
 * waits for the program, and at stop ends it (SIGTERM, SIGKILL after
 * 200 ms) if it still runs. The report has iterations 0, the program's exit
 * status in exit_value and KTSTR_REPORT_F_EXEC, and the program's CPU time.
 */
#include "work_int.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXEC_GRACE_NS (200 * NSEC_PER_MSEC)

static void on_sigchld(int sig)
{
	(void)sig;
}

static void note_exit(struct wk *w, int status, const struct rusage *ru)
{
	if (WIFSIGNALED(status)) {
		w->r.flags |= KTSTR_REPORT_F_EXEC_SIGNALED;
		w->r.exit_value = WTERMSIG(status);
	} else {
		w->r.exit_value = WEXITSTATUS(status);
	}
	w->r.cpu_time_ns = ((uint64_t)ru->ru_utime.tv_sec + (uint64_t)ru->ru_stime.tv_sec) *
			   NSEC_PER_SEC +
			   ((uint64_t)ru->ru_utime.tv_usec + (uint64_t)ru->ru_stime.tv_usec) *
			   NSEC_PER_USEC;
}

static pid_t start_program(struct wk *w)
{
	pid_t pid = fork();

	if (pid == 0) {
		sigset_t none;

		signal(SIGUSR1, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		work_fd__close_except(NULL, 0);
		execvp(w->spec->argv[0], w->spec->argv);
		_exit(127);
	}
	return pid;
}

static void exec_run(struct wk *w)
{
	struct sigaction sa = { .sa_handler = on_sigchld };
	struct rusage ru;
	sigset_t block, wait_mask;
	int status;
	pid_t pid, r;

	w->r.flags |= KTSTR_REPORT_F_EXEC;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	/* Block USR1 and CHLD outside sigsuspend: no lost wakeup between check and wait. */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigdelset(&wait_mask, SIGUSR1);
	sigdelset(&wait_mask, SIGCHLD);

	pid = start_program(w);
	if (pid < 0) {
		w->r.exit_value = 127;
		while (!work__stop)
			sigsuspend(&wait_mask);
		return;
	}
	for (;;) {
		r = wait4(pid, &status, WNOHANG, &ru);
		if (r == pid) {
			note_exit(w, status, &ru);
			break;
		}
		if (work__stop) {
			/* Still running at stop: ask, then insist. */
			uint64_t t0 = wk__now();

			w->r.flags |= KTSTR_REPORT_F_EXEC_STOPPED;
			kill(pid, SIGTERM);
			while ((r = wait4(pid, &status, WNOHANG, &ru)) == 0 &&
			       wk__now() - t0 < EXEC_GRACE_NS)
				wk__sleep(5 * NSEC_PER_MSEC);
			if (r != pid) {
				kill(pid, SIGKILL);
				while ((r = wait4(pid, &status, 0, &ru)) < 0 && errno == EINTR)
					;
			}
			if (r == pid)
				note_exit(w, status, &ru);
			return;
		}
		sigsuspend(&wait_mask);
	}
	while (!work__stop)
		sigsuspend(&wait_mask);
}

const struct work_ops work_ops_exec = { .run = exec_run };

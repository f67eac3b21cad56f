// SPDX-License-Identifier: GPL-2.0
/* The gauntlet's job runner: a child process per variant, --jobs at once. */
#include "gauntlet_run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outcome_run.h"
#include "progress.h"
#include "out/results_dir.h"
#include "run_variant.h"

#define KILL_GRACE_MS	15000	/* after a signal: SIGKILL children still running */

struct slot {
	pid_t pid;
	int fd;				/* read end of the child's result pipe */
	char *buf;
	size_t len, cap;
	size_t job;
	uint64_t t0_ms;
};

static volatile sig_atomic_t run_sig;
static int run_sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;

	if (!run_sig)
		run_sig = sig;
	if (write(run_sig_pipe[1], "s", 1) < 0) {
		/* full pipe: a wake-up is already pending */
	}
	errno = saved;
}

static const int caught_sigs[] = { SIGINT, SIGTERM, SIGHUP };
#define NSIGS (sizeof(caught_sigs) / sizeof(caught_sigs[0]))

static int signals_catch(struct sigaction *old)
{
	struct sigaction sa;

	if (pipe2(run_sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NSIGS; i++)
		sigaction(caught_sigs[i], &sa, &old[i]);
	return 0;
}

static void signals_restore(const struct sigaction *old)
{
	for (size_t i = 0; i < NSIGS; i++)
		sigaction(caught_sigs[i], &old[i], NULL);
	close(run_sig_pipe[0]);
	close(run_sig_pipe[1]);
	run_sig_pipe[0] = run_sig_pipe[1] = -1;
}

/* ---- outcomes built here: skips, setup errors, children that died */

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void outcome_basic(struct outcome *o, const struct gauntlet_job *j, enum outcome_verdict v)
{
	char topo[TOPOLOGY_NAME_MAX], prof[256];

	memset(o, 0, sizeof(*o));
	topology__format(j->topo, topo);
	sched_profile__name(j->sc->sched, j->profile, prof, sizeof(prof));
	o->name = xstrdup(j->name);
	o->scenario = xstrdup(j->sc->name);
	o->preset = xstrdup(j->preset);
	o->topology = xstrdup(topo);
	o->scheduler = xstrdup(j->sc->sched ? j->sc->sched->name : "eevdf");
	o->profile = xstrdup(prof);
	o->kernel = xstrdup(j->kernel->label);
	o->expect_fail = j->sc->expect_fail;
	o->verdict = v;
}

static void outcome_reason(struct outcome *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void outcome_reason(struct outcome *o, const char *fmt, ...)
{
	char **r = realloc(o->reasons, (o->nreasons + 1) * sizeof(*r));
	va_list ap;

	if (!r)
		return;
	o->reasons = r;
	va_start(ap, fmt);
	if (vasprintf(&r[o->nreasons], fmt, ap) >= 0)
		o->nreasons++;
	va_end(ap);
}

static void outcome_skip(struct outcome *o, const struct gauntlet_job *j, const char *why)
{
	char prof[256];

	sched_profile__name(j->sc->sched, j->profile, prof, sizeof(prof));
	if (outcome__skipped(o, j->sc, j->topo, j->name, j->preset, prof, j->kernel->label, why))
		outcome_basic(o, j, OUTCOME_SKIP);	/* out of memory: what strdup gives */
}

/* ---- the child */

/*
 * Runs with the caught signals blocked (see start()): they are unblocked once
 * lib/vm/vm.h's handlers are in place, so a signal that arrived in between
 * reaches them.
 */
/* A job's exit status: its result was sent, but its --results-dir was not written. */
#define JOB_EXIT_LOST_OUTPUT 4

static void child_main(const struct gauntlet_job *j, const struct gauntlet_run_opts *o, int wfd,
		       const sigset_t *mask)
{
	struct run_opts ro = *o->ro;
	struct run_result res;
	struct results_logs logs;
	struct outcome oc;
	char err[1024] = "", prof[256];
	bool lost = false;
	FILE *f;
	int ret;

	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 0; i < NSIGS; i++)
		signal(caught_sigs[i], SIG_DFL);
	vm__signals_catch();		/* from now on a signal kills the VM, then we exit */
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (vm__signal_caught())
		_exit(128 + vm__signal_caught());
	ro.kernel = j->kernel->image;
	ro.kernel_elf = j->kernel->elf[0] ? j->kernel->elf : NULL;
	ro.vmlinux = j->kernel->vmlinux[0] ? j->kernel->vmlinux : NULL;
	ro.kernel_static_keys = j->kernel->static_keys;
	ro.kernel_label = j->kernel->label;
	ro.profile = j->profile;
	sched_profile__name(j->sc->sched, j->profile, prof, sizeof(prof));
	ret = run__variant(j->sc, j->topo, &ro, &res, err, sizeof(err));
	if (vm__signal_caught())
		_exit(128 + vm__signal_caught());
	if (ret == -ENOENT) {
		/* Something this variant needs is not on this host (a program, the scheduler). */
		outcome_skip(&oc, j, err);
	} else if (ret) {
		outcome_basic(&oc, j, OUTCOME_FAIL);
		oc.harness_failure = true;
		outcome_reason(&oc, "setup failed: %s", err);
	} else if (outcome__from_run(&oc, j->sc, j->topo, j->preset, prof, &ro, &res)) {
		outcome_basic(&oc, j, OUTCOME_FAIL);
		oc.harness_failure = true;
		outcome_reason(&oc, "out of memory flattening the result");
	} else {
		free(oc.name);
		oc.name = xstrdup(j->name);
	}
	logs = outcome__logs_from_run(&res);
	if (ro.results_dir &&
	    results_dir__write(ro.results_dir, &oc, ret ? NULL : &logs, err, sizeof(err))) {
		fprintf(stderr, "ktstr gauntlet: %s: --results-dir: %s\n", j->name, err);
		lost = true;
	}
	if (!ret)
		run_result__free(&res);
	f = fdopen(wfd, "w");
	if (!f || outcome__write_json(&oc, f) || fclose(f))
		_exit(3);
	outcome__free(&oc);
	_exit(lost ? JOB_EXIT_LOST_OUTPUT : 0);
}

/* ---- the parent */

struct runner {
	struct gauntlet_job *jobs;
	const struct gauntlet_run_opts *o;
	struct gauntlet_tally *t;
	struct progress pg;
	struct slot *slots;
	unsigned nslots;
};

static void print_line(struct runner *r, const struct outcome *oc, double secs)
{
	const char *v = oc->verdict == OUTCOME_PASS ? "PASS" :
			oc->verdict == OUTCOME_SKIP ? "SKIP" : "FAIL";
	FILE *out = r->o->out;
	bool show = !r->o->tty || oc->verdict != OUTCOME_PASS || r->o->verbose;

	progress__clear(&r->pg);
	if (show) {
		fprintf(out, "%s [%7.2fs] %s", v, secs, oc->name);
		if (oc->verdict == OUTCOME_SKIP)
			fprintf(out, " (%s)", oc->skip_reason ? oc->skip_reason : "skipped");
		fputc('\n', out);
		/* hardware_only limits missed under TCG (a report lists them too) */
		for (size_t i = 0; oc->verdict == OUTCOME_PASS && !r->o->verbose && i < oc->nwaived; i++)
			fprintf(out, "  waived (hardware_only, %s thresholds): %s\n",
				oc->checks_profile ? oc->checks_profile : "tcg", oc->waived[i]);
	}
	if (oc->verdict == OUTCOME_FAIL || (r->o->verbose && oc->verdict == OUTCOME_PASS)) {
		fputc('\n', out);
		if (oc->report && oc->report[0]) {
			fputs(oc->report, out);
			if (oc->report[strlen(oc->report) - 1] != '\n')
				fputc('\n', out);
		} else {
			for (size_t i = 0; i < oc->nreasons; i++)
				fprintf(out, "  %s\n", oc->reasons[i]);
		}
		fputc('\n', out);
	}
	fflush(out);
}

static void emit(struct runner *r, struct outcome *oc, double wall_s)
{
	double secs = oc->ms_total ? oc->ms_total / 1000.0 : wall_s;

	if (oc->verdict == OUTCOME_PASS)
		r->t->passed++;
	else if (oc->verdict == OUTCOME_SKIP)
		r->t->skipped++;
	else
		r->t->failed++;
	progress__finish(&r->pg, oc->verdict == OUTCOME_FAIL, oc->verdict == OUTCOME_SKIP, wall_s);
	print_line(r, oc, oc->verdict == OUTCOME_SKIP ? 0 : secs);
	if (r->o->on_outcome)
		r->o->on_outcome(oc, r->o->arg);
	progress__draw(&r->pg);
}

static int start(struct runner *r, struct slot *s, size_t job)
{
	sigset_t block, old;
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	fflush(NULL);
	/* No signal may reach the child before it has its own handlers. */
	sigemptyset(&block);
	for (size_t i = 0; i < NSIGS; i++)
		sigaddset(&block, caught_sigs[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid = fork();
	if (pid < 0) {
		int e = errno;

		sigprocmask(SIG_SETMASK, &old, NULL);
		close(fds[0]);
		close(fds[1]);
		return -e;
	}
	if (pid == 0) {
		close(fds[0]);
		close(run_sig_pipe[0]);
		close(run_sig_pipe[1]);
		for (unsigned i = 0; i < r->nslots; i++)
			if (r->slots[i].pid > 0)
				close(r->slots[i].fd);
		child_main(&r->jobs[job], r->o, fds[1], &old);
		_exit(3);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	memset(s, 0, sizeof(*s));
	s->pid = pid;
	s->fd = fds[0];
	s->job = job;
	s->t0_ms = progress__now_ms();
	r->pg.running++;
	return 0;
}

/* Read what is there; returns 1 at EOF, 0 otherwise. */
static int slot_read(struct slot *s)
{
	for (;;) {
		ssize_t n;

		if (s->cap - s->len < 4096) {
			size_t cap = s->cap ? s->cap * 2 : 65536;
			char *b = realloc(s->buf, cap);

			if (!b)
				return 1;	/* treated as a child without a result */
			s->buf = b;
			s->cap = cap;
		}
		n = read(s->fd, s->buf + s->len, s->cap - s->len - 1);
		if (n > 0) {
			s->len += (size_t)n;
			continue;
		}
		if (n == 0)
			return 1;
		if (errno == EINTR)
			continue;
		return errno == EAGAIN ? 0 : 1;
	}
}

/* The child closed its pipe: reap it and hand on its outcome. */
static void slot_finish(struct runner *r, struct slot *s)
{
	const struct gauntlet_job *j = &r->jobs[s->job];
	double wall = (double)(progress__now_ms() - s->t0_ms) / 1000.0;
	struct outcome oc;
	char err[256] = "";
	int status = 0;
	bool parsed = false;

	close(s->fd);
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	s->pid = 0;
	r->pg.running--;
	if (WIFEXITED(status) && WEXITSTATUS(status) == JOB_EXIT_LOST_OUTPUT) {
		r->t->lost_outputs++;	/* its result came; its results directory did not */
		status = 0;
	}
	if (run_sig) {
		/* Stopping: a child that did not finish its variant is not counted. */
		if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
			r->t->not_run++;
			goto out;
		}
	}
	if (s->len) {
		memset(&oc, 0, sizeof(oc));
		parsed = !outcome__parse_json(s->buf, s->len, &oc, err, sizeof(err));
		if (!parsed)
			outcome__free(&oc);
	}
	if (!parsed) {
		outcome_basic(&oc, j, OUTCOME_FAIL);
		oc.harness_failure = true;
		if (WIFSIGNALED(status))
			outcome_reason(&oc, "the job process was killed by signal %d (%s) before it "
				       "reported a result", WTERMSIG(status),
				       strsignal(WTERMSIG(status)));
		else if (s->len)
			outcome_reason(&oc, "the job process's result could not be read: %s", err);
		else
			outcome_reason(&oc, "the job process exited with status %d without a result",
				       WEXITSTATUS(status));
	}
	emit(r, &oc, wall);
	outcome__free(&oc);
out:
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

static void kill_all(struct runner *r, int sig)
{
	for (unsigned i = 0; i < r->nslots; i++)
		if (r->slots[i].pid > 0)
			kill(r->slots[i].pid, sig);
}

int gauntlet__run(struct gauntlet_job *jobs, size_t n, const struct gauntlet_run_opts *o,
		  struct gauntlet_tally *t)
{
	struct sigaction old[NSIGS];
	struct runner r = { .jobs = jobs, .o = o, .t = t };
	struct pollfd *pfd;
	size_t next = 0;
	uint64_t stop_ms = 0;
	bool killed = false;
	double est = 0;
	int ret = 0;

	memset(t, 0, sizeof(*t));
	r.nslots = o->jobs ? o->jobs : 1;
	r.slots = calloc(r.nslots, sizeof(*r.slots));
	pfd = calloc(r.nslots + 1, sizeof(*pfd));
	if (!r.slots || !pfd) {
		free(r.slots);
		free(pfd);
		fprintf(stderr, "ktstr gauntlet: out of memory\n");
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		est += jobs[i].est_s;
	progress__init(&r.pg, o->out, o->tty, n, r.nslots, n ? est / (double)n : 0);
	run_sig = 0;
	ret = signals_catch(old);
	if (ret) {
		fprintf(stderr, "ktstr gauntlet: cannot catch signals: %s\n", strerror(-ret));
		free(r.slots);
		free(pfd);
		return ret;
	}
	for (;;) {
		unsigned np = 0;
		int pr;

		/* Fill free slots; skips need no process. */
		for (unsigned i = 0; i < r.nslots && !run_sig && next < n; i++) {
			if (r.slots[i].pid > 0)
				continue;
			while (next < n && jobs[next].skip_reason[0]) {
				struct outcome oc;

				outcome_skip(&oc, &jobs[next], jobs[next].skip_reason);
				emit(&r, &oc, 0);
				outcome__free(&oc);
				next++;
			}
			if (next == n)
				break;
			ret = start(&r, &r.slots[i], next);
			if (ret) {
				progress__clear(&r.pg);
				fprintf(stderr, "ktstr gauntlet: cannot start a job process for %s: "
					"%s\n", jobs[next].name, strerror(-ret));
				run_sig = SIGTERM;	/* stop like an interrupt, but report ret */
				break;
			}
			next++;
		}
		if (!r.pg.running)
			break;
		progress__draw(&r.pg);

		for (unsigned i = 0; i < r.nslots; i++) {
			if (r.slots[i].pid > 0) {
				pfd[np].fd = r.slots[i].fd;
				pfd[np].events = POLLIN;
				pfd[np].revents = 0;
				np++;
			}
		}
		pfd[np].fd = run_sig_pipe[0];
		pfd[np].events = POLLIN;
		pfd[np].revents = 0;
		pr = poll(pfd, np + 1, 1000);
		if (pr < 0 && errno != EINTR) {
			ret = -errno;
			fprintf(stderr, "ktstr gauntlet: poll: %s\n", strerror(errno));
			run_sig = SIGTERM;
		}
		if (run_sig && !stop_ms) {
			char c;

			while (read(run_sig_pipe[0], &c, 1) > 0)
				;
			stop_ms = progress__now_ms();
			kill_all(&r, SIGTERM);
		}
		if (stop_ms && !killed && progress__now_ms() - stop_ms > KILL_GRACE_MS) {
			kill_all(&r, SIGKILL);
			killed = true;
		}
		if (pr <= 0)
			continue;
		for (unsigned i = 0; i < r.nslots; i++) {
			struct slot *s = &r.slots[i];
			bool ready = false;

			if (s->pid <= 0)
				continue;
			for (unsigned k = 0; k < np; k++)
				if (pfd[k].fd == s->fd && pfd[k].revents)
					ready = true;
			if (ready && slot_read(s))
				slot_finish(&r, s);
		}
	}
	progress__clear(&r.pg);
	if (run_sig) {
		t->signal = ret ? 0 : run_sig;
		t->not_run += n - next;
	}
	signals_restore(old);
	free(r.slots);
	free(pfd);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Work types that churn the scheduler's view of the task: fork-exit,
 * nice-sweep, affinity-churn, policy-churn (ktstr-scenario(5), WORK TYPES).
 */
#include "work_int.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void timed_yield(struct wk *w)
{
	uint64_t t0 = wk__now();

	sched_yield();
	wk__sample(w, wk__now() - t0);
}

/* ---- fork-exit: the child exits at once; the sample is fork to reaped */

static void fork_exit_iter(struct wk *w)
{
	uint64_t t0 = wk__now();
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return;
	/* Reap it even when SIGUSR1 interrupts the wait. */
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	w->work_units++;
	wk__sample(w, wk__now() - t0);
}

const struct work_ops work_ops_fork_exit = { .iter = fork_exit_iter };

/* ---- nice-sweep: -20..19, skipping negatives without CAP_SYS_NICE */

struct nice_state {
	int next, lowest, orig;
};

static int nice_setup(struct wk *w)
{
	struct nice_state *n = calloc(1, sizeof(*n));

	if (!n)
		return -ENOMEM;
	errno = 0;
	n->orig = getpriority(PRIO_PROCESS, 0);
	n->lowest = setpriority(PRIO_PROCESS, 0, -20) ? 0 : -20;
	setpriority(PRIO_PROCESS, 0, n->orig);
	n->next = n->lowest;
	w->priv = n;
	return 0;
}

static void nice_iter(struct wk *w)
{
	struct nice_state *n = w->priv;

	wk__spin(w, 512);
	setpriority(PRIO_PROCESS, 0, n->next);	/* may fail going down: ignored */
	n->next = n->next >= 19 ? n->lowest : n->next + 1;
	timed_yield(w);
}

static void nice_teardown(struct wk *w)
{
	struct nice_state *n = w->priv;

	setpriority(PRIO_PROCESS, 0, n->orig);
	free(n);
}

const struct work_ops work_ops_nice_sweep = {
	.setup = nice_setup, .iter = nice_iter, .teardown = nice_teardown,
};

/* ---- affinity-churn: pin to a random CPU of the mask the worker started with */

struct churn_cpus {
	int n;
	int cpu[CPU_SETSIZE];
};

static int affinity_setup(struct wk *w)
{
	struct churn_cpus *c = calloc(1, sizeof(*c));
	cpu_set_t cs;

	if (!c)
		return -ENOMEM;
	if (!sched_getaffinity(0, sizeof(cs), &cs))
		for (int i = 0; i < CPU_SETSIZE; i++)
			if (CPU_ISSET(i, &cs))
				c->cpu[c->n++] = i;
	w->priv = c;
	return 0;
}

static void affinity_iter(struct wk *w)
{
	struct churn_cpus *c = w->priv;
	cpu_set_t cs;

	wk__spin(w, (uint64_t)work__param(w->spec, 0));
	if (c->n) {
		CPU_ZERO(&cs);
		CPU_SET(c->cpu[wk__rand(w) % (uint64_t)c->n], &cs);
		sched_setaffinity(0, sizeof(cs), &cs);
	}
	timed_yield(w);
}

static void affinity_teardown(struct wk *w)
{
	free(w->priv);
}

const struct work_ops work_ops_affinity_churn = {
	.setup = affinity_setup, .iter = affinity_iter,
	.teardown = affinity_teardown,
};

/* ---- policy-churn: OTHER, BATCH, IDLE, FIFO 1, RR 1 as far as permitted */

struct policy_state {
	int n, next;
	int pol[5];
};

static int policy_setup(struct wk *w)
{
	struct policy_state *p = calloc(1, sizeof(*p));
	struct sched_param one = { .sched_priority = 1 }, zero = { 0 };

	if (!p)
		return -ENOMEM;
	p->pol[p->n++] = SCHED_OTHER;
	p->pol[p->n++] = SCHED_BATCH;
	/*
	 * FIFO permitted means CAP_SYS_NICE, which is also what it takes to
	 * leave SCHED_IDLE again; without it, IDLE would be a one-way street.
	 */
	if (!sched_setscheduler(0, SCHED_FIFO, &one)) {
		sched_setscheduler(0, SCHED_OTHER, &zero);
		p->pol[p->n++] = SCHED_IDLE;
		p->pol[p->n++] = SCHED_FIFO;
		p->pol[p->n++] = SCHED_RR;
	}
	w->priv = p;
	return 0;
}

static void policy_iter(struct wk *w)
{
	struct policy_state *p = w->priv;
	int pol = p->pol[p->next];
	struct sched_param sp = { .sched_priority = pol == SCHED_FIFO || pol == SCHED_RR };

	wk__spin(w, (uint64_t)work__param(w->spec, 0));
	sched_setscheduler(0, pol, &sp);
	p->next = (p->next + 1) % p->n;
	timed_yield(w);
}

static void policy_teardown(struct wk *w)
{
	struct sched_param zero = { 0 };

	sched_setscheduler(0, SCHED_OTHER, &zero);
	free(w->priv);
}

const struct work_ops work_ops_policy_churn = {
	.setup = policy_setup, .iter = policy_iter,
	.teardown = policy_teardown,
};

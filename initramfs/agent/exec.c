// SPDX-License-Identifier: GPL-2.0
/* The step executor: backdrop, steps, holds, loops and teardown; see exec.h. */
#include "exec_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

static void step__report(struct exec_state *x, uint32_t index, uint32_t nops, int status)
{
	struct ktstr_msg_step m = { .index = index, .nops = nops, .status = (uint32_t)-status };

	m.elapsed_ms = (uint32_t)((mono_ns() - x->start_ns) / NSEC_PER_MSEC);
	for (size_t i = 0; i < x->ncgs; i++)
		m.ncgroups += x->cgs[i].live;
	for (size_t i = 0; i < x->ngroups; i++)
		if (x->groups[i].g)
			m.nworkers += (uint32_t)work_group__count(x->groups[i].g);
	proto_out__send(x->e->out, KTSTR_MSG_STEP, &m, sizeof(m));
}

/* Create a section's own cgroups and start their work groups. */
static int step__setup(struct exec_state *x, const struct plan_section *sec, bool step_local)
{
	for (size_t i = 0; i < sec->ncgroups; i++) {
		const struct plan_cgroup *pc = &sec->cgroups[i];
		struct exec_cg *cg;
		int ret;

		ret = exec__cg_create(x, pc->name, pc->has_cpus ? &pc->cpus : NULL, step_local);
		if (ret)
			return ret;
		cg = exec__cg_find(x, pc->name);
		for (size_t j = 0; j < pc->nworks; j++) {
			ret = exec__spawn(x, cg, &pc->works[j]);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int step__run_ops(struct exec_state *x, const struct plan_section *sec)
{
	for (size_t i = 0; i < sec->nops; i++) {
		int ret = op__exec(x, &sec->ops[i]);

		if (ret) {
			char msg[sizeof(x->err)];

			snprintf(msg, sizeof(msg), "%s", x->err);
			snprintf(x->err, sizeof(x->err), "op %zu (%s): %.440s", i + 1,
				 plan_op__name(sec->ops[i].kind), msg);
			return ret;
		}
	}
	return 0;
}

/* End of a step: its own cgroups go, with their workers' reports. */
static int step__teardown(struct exec_state *x)
{
	int ret = 0;

	for (size_t i = x->ncgs; i-- > 0;) {
		struct exec_cg *cg = &x->cgs[i];

		if (cg->live && cg->step_local) {
			int r = exec__cg_remove(x, cg);

			if (r && !ret)
				ret = r;
		}
	}
	return ret;
}

static int step__run(struct exec_state *x, uint32_t i)
{
	const struct plan_section *sec = &x->e->plan->steps[i];
	int ret;

	x->step = i;
	ret = step__setup(x, sec, true);
	if (!ret)
		ret = step__run_ops(x, sec);
	step__report(x, i, (uint32_t)sec->nops, ret);
	if (ret)
		return ret;
	if (!sec->loop) {
		exec__sleep_until(x, mono_ns() + sec->ns);
	} else {
		/* Repeat the ops every interval until the scenario's (absolute) end. */
		for (;;) {
			uint64_t now = mono_ns();

			if (now >= x->end_ns || exec__stopping(x))
				break;
			exec__sleep_until(x, now + sec->ns < x->end_ns ? now + sec->ns : x->end_ns);
			if (mono_ns() >= x->end_ns || exec__stopping(x))
				break;
			ret = step__run_ops(x, sec);
			if (ret)
				return ret;
		}
	}
	return step__teardown(x);
}

/* The end of the run: every group stopped with reports, programs killed, cgroups removed. */
static void exec__teardown(struct exec_state *x)
{
	for (size_t i = 0; i < x->ngroups; i++)
		exec__group_stop(x, &x->groups[i], true);
	for (size_t i = 0; i < EXEC_MAX_PROGS; i++)
		exec__prog_kill(x, &x->progs[i]);
	for (size_t i = x->ncgs; i-- > 0;)
		if (x->cgs[i].live) {
			char err[256];

			if (cgroup__remove(x->e->cg, x->cgs[i].name, err, sizeof(err)))
				agent__log("%s", err);
			x->cgs[i].live = false;
		}
}

int exec__run(const struct exec_env *e)
{
	const struct plan *p = e->plan;
	struct ktstr_msg_scenario_start ss = { 0 };
	struct ktstr_msg_scenario_end se = { 0 };
	struct exec_state *x = calloc(1, sizeof(*x));
	int ret = 0;

	if (!x) {
		proto_out__text(e->out, KTSTR_MSG_ERROR, "out of memory");
		return -ENOMEM;
	}
	x->e = e;
	x->control_fd = e->control_fd;
	x->step = EXEC_BACKDROP;
	for (size_t c = 0; c < WORK_MAX_CPUS; c++)
		x->cpu_llc[c] = c < p->ncpus ? p->cpu_llc[c] : -1;
	x->start_ns = mono_ns();
	x->end_ns = x->start_ns + p->duration_ns;
	x->wctx.sched_pid = e->sched_pid;
	/* One shared word for the live scheduler pid (restart_scheduler rewrites it). */
	x->sched_pid_page = mmap(NULL, sizeof(pid_t), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (x->sched_pid_page != MAP_FAILED) {
		*x->sched_pid_page = e->sched_pid;
		x->wctx.sched_pid_live = x->sched_pid_page;
	}
	x->wctx.sched_gap_kill_ns = e->plan->sched_gap_kill_ns;
	x->wctx.start_ns = x->start_ns;
	x->wctx.tmpdir = e->tmpdir;

	ss.monotonic_ns = x->start_ns;
	ss.ncpus = (uint32_t)sysconf(_SC_NPROCESSORS_ONLN);
	ss.nsteps = (uint32_t)p->nsteps;
	proto_out__send(e->out, KTSTR_MSG_SCENARIO_START, &ss, sizeof(ss));

	ret = step__setup(x, &p->backdrop, false);
	if (!ret)
		ret = step__run_ops(x, &p->backdrop);
	step__report(x, EXEC_BACKDROP, (uint32_t)p->backdrop.nops, ret);
	if (ret) {
		proto_out__text(e->out, KTSTR_MSG_ERROR, "Backdrop setup failed: %s", x->err);
		agent__log("Backdrop setup failed: %s", x->err);
	}
	for (uint32_t i = 0; !ret && i < p->nsteps && !exec__stopping(x); i++) {
		ret = step__run(x, i);
		if (ret) {
			proto_out__text(e->out, KTSTR_MSG_ERROR, "step %u failed: %s", i + 1,
					x->err);
			agent__log("step %u failed: %s", i + 1, x->err);
		}
	}
	/* Without steps the backdrop runs for the whole duration. */
	if (!ret && !p->nsteps)
		exec__sleep_until(x, x->end_ns);
	if (!ret && exec__stopping(x)) {
		ret = -ECANCELED;
		/* A scheduler's end is reported by its SCHED_EXIT. */
		if (!exec__sched_gone(x))
			proto_out__text(e->out, KTSTR_MSG_ERROR,
					"stopped before the scenario's end (%s)",
					x->shutdown ? "the host asked" : "signal");
	}
	x->step = EXEC_BACKDROP;
	exec__teardown(x);
	se.elapsed_ms = (uint32_t)((mono_ns() - x->start_ns) / NSEC_PER_MSEC);
	se.status = -ret;
	proto_out__send(e->out, KTSTR_MSG_SCENARIO_END, &se, sizeof(se));
	agent__log("scenario ended after %u ms: %u reports, %u without a clean stop, status %d",
		   se.elapsed_ms, x->reports, x->sentinels, se.status);
	if (x->sched_pid_page && x->sched_pid_page != MAP_FAILED)
		munmap((void *)x->sched_pid_page, sizeof(pid_t));
	free(x);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/* The executor's ops and the cgroup/group/program bookkeeping behind them. */
#include "exec_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "sched_proc.h"
#include "util.h"

int exec__fail(struct exec_state *x, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->err, sizeof(x->err), fmt, ap);
	va_end(ap);
	return ret ? ret : -EINVAL;
}

struct exec_cg *exec__cg_find(struct exec_state *x, const char *name)
{
	for (size_t i = 0; i < x->ncgs; i++)
		if (x->cgs[i].live && !strcmp(x->cgs[i].name, name))
			return &x->cgs[i];
	return NULL;
}

/* @path is @name or below it. */
static bool under(const char *path, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(path, name, n) && (path[n] == '\0' || path[n] == '/');
}

static void to_work_mask(struct work_cpumask *dst, const struct cpumask *src)
{
	_Static_assert(sizeof(*dst) == sizeof(*src), "same bitmap layout");
	memcpy(dst, src, sizeof(*dst));
}

int exec__cg_create(struct exec_state *x, const char *name, const struct cpumask *cpus,
		    bool step_local)
{
	struct exec_cg *cg = NULL;
	char err[256];
	int ret;

	if (exec__cg_find(x, name))
		return exec__fail(x, -EEXIST, "cgroup '%s' already exists", name);
	if (x->ncgs >= EXEC_MAX_CGROUPS)
		return exec__fail(x, -ENOSPC, "more than %d cgroups in one run", EXEC_MAX_CGROUPS);
	ret = cgroup__create(x->e->cg, name, err, sizeof(err));
	if (ret)
		return exec__fail(x, ret, "%s", err);
	cg = &x->cgs[x->ncgs++];
	memset(cg, 0, sizeof(*cg));
	snprintf(cg->name, sizeof(cg->name), "%s", name);
	cg->live = true;
	cg->backdrop = x->step == EXEC_BACKDROP;
	cg->step_local = step_local;
	if (cpus) {
		ret = cgroup__set_cpus(x->e->cg, name, cpus, err, sizeof(err));
		if (ret)
			return exec__fail(x, ret, "%s", err);
		cg->has_cpus = true;
		to_work_mask(&cg->cpus, cpus);
	}
	return 0;
}

struct exec_emit {
	struct exec_state *x;
	const char *cgroup;
};

static void exec__emit_report(const struct ktstr_msg_worker_report *r, const uint64_t *lat,
			      const struct ktstr_migration *mig, void *arg)
{
	struct exec_emit *em = arg;
	struct ktstr_msg_worker_report c = *r;

	/* Tasks may have moved (move_all_tasks): report where they are now. */
	memset(c.cgroup, 0, sizeof(c.cgroup));
	snprintf(c.cgroup, sizeof(c.cgroup), "%s", em->cgroup);
	if (c.exit_kind != KTSTR_WORKER_COMPLETED)
		em->x->sentinels++;
	em->x->reports++;
	proto_out__report(em->x->e->out, &c, lat, mig);
}

void exec__group_stop(struct exec_state *x, struct exec_group *xg, bool reports)
{
	struct exec_emit em = { .x = x, .cgroup = xg->cgroup };

	if (!xg->g)
		return;
	if (reports)
		work_group__stop(xg->g, x->e->stop_timeout_ns, exec__emit_report, &em);
	else
		work_group__kill(xg->g);
	xg->g = NULL;
}

void exec__prog_kill(struct exec_state *x, struct exec_prog *p)
{
	int st;

	if (!p->live)
		return;
	kill(-p->pid, SIGKILL);
	kill(p->pid, SIGKILL);
	while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR)
		;
	p->live = false;
	proto_out__text(x->e->out, KTSTR_MSG_LOG, "program '%s' (pid %d) killed", p->name, p->pid);
}

void exec__cg_stop(struct exec_state *x, const char *name, bool reports)
{
	for (size_t i = 0; i < x->ngroups; i++)
		if (x->groups[i].g && x->groups[i].cgroup[0] && under(x->groups[i].cgroup, name))
			exec__group_stop(x, &x->groups[i], reports);
	for (size_t i = 0; i < EXEC_MAX_PROGS; i++)
		if (x->progs[i].live && x->progs[i].cgroup[0] && under(x->progs[i].cgroup, name))
			exec__prog_kill(x, &x->progs[i]);
}

int exec__cg_remove(struct exec_state *x, struct exec_cg *cg)
{
	char err[256];
	int ret = 0;

	/* Children first, deepest (latest created) first. */
	for (size_t i = x->ncgs; i-- > 0;) {
		struct exec_cg *c = &x->cgs[i];

		if (c != cg && c->live && under(c->name, cg->name)) {
			int r = exec__cg_remove(x, c);

			if (r && !ret)
				ret = r;
		}
	}
	/* remove_cgroup kills without reports; step ends stop with them. */
	exec__cg_stop(x, cg->name, cg->step_local);
	if (cgroup__remove(x->e->cg, cg->name, err, sizeof(err)) < 0) {
		agent__log("%s", err);
		if (!ret)
			ret = exec__fail(x, -EBUSY, "%s", err);
	}
	cg->live = false;
	return ret;
}

static struct exec_group *exec__group_slot(struct exec_state *x)
{
	for (size_t i = 0; i < x->ngroups; i++)
		if (!x->groups[i].g)
			return &x->groups[i];
	if (x->ngroups >= EXEC_MAX_GROUPS)
		return NULL;
	return &x->groups[x->ngroups++];
}

int exec__spawn(struct exec_state *x, struct exec_cg *cg, const struct plan_work *w)
{
	struct work_phase phases[PLAN_MAX_PHASES];
	struct work_spec s = { 0 };
	struct exec_group *xg = exec__group_slot(x);
	char procs[CGROUP_PATH_MAX];
	const char *procs_path = NULL;
	int ret;

	if (!xg)
		return exec__fail(x, -ENOSPC, "more than %d work groups in one run",
				  EXEC_MAX_GROUPS);
	for (size_t i = 0; i < w->nphases && i < PLAN_MAX_PHASES; i++) {
		phases[i].kind = (enum work_phase_kind)w->phases[i].kind;
		phases[i].duration_ns = w->phases[i].ns;
	}
	s.type = w->type;
	memcpy(s.params, w->params, sizeof(s.params));
	s.phases = phases;
	s.nphases = w->nphases;
	s.argv = w->argv;
	s.policy = (enum work_policy)w->policy;
	s.priority = w->prio;
	s.has_nice = w->has_nice;
	s.nice = w->nice;
	s.affinity.kind = (enum work_affinity_kind)w->affinity;
	to_work_mask(&s.affinity.cpus, &w->aff_cpus);
	s.affinity.pool = cg && cg->has_cpus ? &cg->cpus : NULL;
	s.affinity.cpu_llc = x->cpu_llc;
	s.mempol.mode = (enum work_mempol)w->mempol;
	s.mempol.nodes = w->nodes;
	s.mempol.flags = w->mpol_flags;
	s.workers = w->workers;
	s.cgroup = cg ? cg->name : NULL;
	s.step = x->step;
	s.group = cg ? cg->next_group++ : 0;
	if (cg)
		procs_path = cgroup__procs(x->e->cg, cg->name, procs, sizeof(procs));
	ret = work_group__spawn(&s, procs_path, &x->wctx, &xg->g);
	if (ret) {
		xg->g = NULL;
		return exec__fail(x, ret, "cannot start %u workers in cgroup '%s': %s", w->workers,
				  cg ? cg->name : "", strerror(-ret));
	}
	xg->step = x->step;
	xg->since = ++x->seq;
	snprintf(xg->cgroup, sizeof(xg->cgroup), "%s", cg ? cg->name : "");
	return 0;
}

/* Look up a live cgroup an op names. */
static struct exec_cg *op__need_cg(struct exec_state *x, const struct plan_op *op, const char *name)
{
	struct exec_cg *cg = exec__cg_find(x, name);

	if (!cg)
		exec__fail(x, -ENOENT, "op '%s' names cgroup '%s', which does not exist",
			   plan_op__name(op->kind), name);
	return cg;
}

static struct exec_prog *exec__prog_find(struct exec_state *x, const char *name)
{
	for (size_t i = 0; i < EXEC_MAX_PROGS; i++)
		if (x->progs[i].live && !strcmp(x->progs[i].name, name))
			return &x->progs[i];
	return NULL;
}

/* fork + execvp (never a shell); the child starts after joining its cgroup. */
static int op__run_program(struct exec_state *x, const struct plan_op *op)
{
	struct exec_prog *p = NULL;
	int go[2], status[2], child_err = 0, ret;
	pid_t pid;

	if (exec__prog_find(x, op->name))
		return exec__fail(x, -EEXIST, "program '%s' is already running", op->name);
	if (op->cgroup && !op__need_cg(x, op, op->cgroup))
		return -ENOENT;
	for (size_t i = 0; i < EXEC_MAX_PROGS && !p; i++)
		if (!x->progs[i].live)
			p = &x->progs[i];
	if (!p)
		return exec__fail(x, -ENOSPC, "more than %d programs at once", EXEC_MAX_PROGS);
	if (pipe2(go, O_CLOEXEC))
		return exec__fail(x, -errno, "pipe: %s", strerror(errno));
	if (pipe2(status, O_CLOEXEC)) {
		ret = -errno;
		close(go[0]);
		close(go[1]);
		return exec__fail(x, ret, "pipe: %s", strerror(-ret));
	}
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(go[0]);
		close(go[1]);
		close(status[0]);
		close(status[1]);
		return exec__fail(x, ret, "fork: %s", strerror(-ret));
	}
	if (!pid) {
		char c;
		int e;

		close(go[1]);
		close(status[0]);
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		execvp(op->argv[0], op->argv);
		e = errno;
		if (write(status[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(status[1]);
	if (op->cgroup)
		cgroup__add_pid(x->e->cg, op->cgroup, pid);
	if (write(go[1], "g", 1) < 0)
		child_err = errno;
	close(go[1]);
	/* EOF: execvp succeeded (close-on-exec); 4 bytes: its errno. */
	while ((ret = (int)read(status[0], &child_err, sizeof(child_err))) < 0 && errno == EINTR)
		;
	close(status[0]);
	if (ret > 0 || child_err) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return exec__fail(x, -child_err, "cannot run '%s' (%s): %s", op->name, op->argv[0],
				  strerror(child_err));
	}
	p->live = true;
	p->pid = pid;
	snprintf(p->name, sizeof(p->name), "%s", op->name);
	snprintf(p->cgroup, sizeof(p->cgroup), "%s", op->cgroup ? op->cgroup : "");
	proto_out__text(x->e->out, KTSTR_MSG_LOG, "program '%s' started, pid %d", p->name, pid);
	return 0;
}

/* Wait for a program, bounded by the scenario's end plus 10 s. */
static int op__wait_program(struct exec_state *x, struct exec_prog *p)
{
	uint64_t deadline = x->end_ns + 10 * NSEC_PER_SEC;
	int st;

	for (;;) {
		pid_t r = waitpid(p->pid, &st, WNOHANG);

		if (r == p->pid)
			break;
		if (r < 0 && errno != EINTR) {
			p->live = false;
			return exec__fail(x, -errno, "waiting for program '%s': %s", p->name,
					  strerror(errno));
		}
		if (mono_ns() >= deadline || x->shutdown ||
		    (x->e->stop && *x->e->stop)) {
			exec__prog_kill(x, p);
			return exec__fail(x, -ETIMEDOUT,
					  "program '%s' did not end by the scenario's end",
					  p->name);
		}
		usleep(10000);
	}
	p->live = false;
	if (WIFEXITED(st))
		proto_out__text(x->e->out, KTSTR_MSG_LOG, "program '%s' exited with status %d",
				p->name, WEXITSTATUS(st));
	else
		proto_out__text(x->e->out, KTSTR_MSG_LOG, "program '%s' killed by signal %d",
				p->name, WTERMSIG(st));
	return 0;
}

static int op__set_cpus(struct exec_state *x, struct exec_cg *cg, const struct work_cpumask *m)
{
	char err[256];
	int ret;

	_Static_assert(sizeof(struct cpumask) == sizeof(*m), "same bitmap layout");
	ret = cgroup__set_cpus(x->e->cg, cg->name, m ? (const struct cpumask *)m : NULL, err,
			       sizeof(err));
	if (ret)
		return exec__fail(x, ret, "%s", err);
	cg->has_cpus = m && !cpumask__empty((const struct cpumask *)m);
	if (m)
		cg->cpus = *m;
	else
		memset(&cg->cpus, 0, sizeof(cg->cpus));
	return 0;
}

/*
 * Move a group's tasks into @to (@procs: its cgroup.procs, NULL without
 * cgroups) and account them there from now on: their reports name @to
 * (exec__emit_report), and stop_cgroup, set_affinity and the moves act on
 * them as @to's. Both move ops come through here.
 */
static int exec__group_move(struct exec_state *x, struct exec_group *xg, const struct exec_cg *from,
			    const struct exec_cg *to, const char *procs)
{
	int r = procs ? work_group__move(xg->g, procs) : 0;

	snprintf(xg->cgroup, sizeof(xg->cgroup), "%s", to->name);
	xg->since = ++x->seq;
	if (r)
		return exec__fail(x, r, "moving tasks from '%s' to '%s': %s", from->name, to->name,
				  strerror(-r));
	return 0;
}

static int op__move_all(struct exec_state *x, struct exec_cg *from, struct exec_cg *to)
{
	char procs[CGROUP_PATH_MAX];
	const char *path = cgroup__procs(x->e->cg, to->name, procs, sizeof(procs));
	int ret = 0;

	cgroup__clear_subtree(x->e->cg, to->name);
	for (size_t i = 0; i < x->ngroups; i++) {
		struct exec_group *xg = &x->groups[i];
		int r;

		if (!xg->g || strcmp(xg->cgroup, from->name))
			continue;
		r = exec__group_move(x, xg, from, to, path);
		if (r && !ret)
			ret = r;
	}
	for (size_t i = 0; i < EXEC_MAX_PROGS; i++) {
		struct exec_prog *p = &x->progs[i];

		if (p->live && !strcmp(p->cgroup, from->name)) {
			cgroup__add_pid(x->e->cg, to->name, p->pid);
			snprintf(p->cgroup, sizeof(p->cgroup), "%s", to->name);
		}
	}
	return ret;
}

/*
 * The task that has been in @from longest: the group there that came
 * first (spawned or moved in), its first running worker. Taking the oldest
 * makes a loop of a->b and b->a moves cycle the tasks through both.
 */
static struct exec_group *oldest_in(struct exec_state *x, const struct exec_cg *from, size_t *w)
{
	struct exec_group *best = NULL;
	size_t best_w = 0;

	for (size_t i = 0; i < x->ngroups; i++) {
		struct exec_group *xg = &x->groups[i];
		size_t n;

		if (!xg->g || strcmp(xg->cgroup, from->name) || (best && xg->since >= best->since))
			continue;
		n = work_group__count(xg->g);
		for (size_t k = 0; k < n; k++) {
			if (work_group__alive(xg->g, k)) {
				best = xg;
				best_w = k;
				break;
			}
		}
	}
	*w = best_w;
	return best;
}

/*
 * move_tasks: up to op->count of from's running workers, one at a time; a
 * worker of a larger group becomes a group of its own (work_group__split)
 * so that it is moved and accounted apart from the rest. Fewer there: those.
 */
static int op__move_tasks(struct exec_state *x, const struct plan_op *op, struct exec_cg *from,
			  struct exec_cg *to)
{
	char procs[CGROUP_PATH_MAX];
	const char *path = cgroup__procs(x->e->cg, to->name, procs, sizeof(procs));

	cgroup__clear_subtree(x->e->cg, to->name);
	for (uint32_t moved = 0; moved < op->count; moved++) {
		struct exec_group *xg;
		size_t w;
		int ret;

		xg = oldest_in(x, from, &w);
		if (!xg)
			break;
		if (work_group__count(xg->g) > 1) {
			struct exec_group *nx = exec__group_slot(x);

			if (!nx)
				return exec__fail(x, -ENOSPC, "more than %d work groups in one run",
						  EXEC_MAX_GROUPS);
			ret = work_group__split(xg->g, w, &nx->g);
			if (ret)
				return exec__fail(x, ret, "move_tasks: taking a worker out of its group: %s",
						  strerror(-ret));
			nx->step = xg->step;
			snprintf(nx->cgroup, sizeof(nx->cgroup), "%s", xg->cgroup);
			xg = nx;
		}
		ret = exec__group_move(x, xg, from, to, path);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * restart_scheduler: stop it (no report), keep it down op->down_ns, start
 * it again and wait for its attach (sched_proc.h). The host reads the
 * KTSTR_LOG_SCHED_RESTARTED line for its timeline.
 */
static int op__restart_scheduler(struct exec_state *x, const struct plan_op *op)
{
	struct sched *s = x->e->sched;
	char what[64], err[400];
	uint64_t down = 0;
	int ret;

	if (!s)
		return exec__fail(x, -ESRCH, "no scheduler to restart: this run has the kernel's own");
	if (x->step == EXEC_BACKDROP)
		snprintf(what, sizeof(what), "restart_scheduler in the backdrop");
	else
		snprintf(what, sizeof(what), "restart_scheduler at step %u", x->step + 1);
	ret = sched__halt(s, err, sizeof(err));
	if (ret)
		return exec__fail(x, ret, "%s", err);
	if (x->wctx.sched_pid_live)
		*x->wctx.sched_pid_live = 0;	/* down: no gap watchdog to signal */
	exec__sleep_until(x, mono_ns() + op->down_ns);
	if (exec__stopping(x))
		return 0;	/* the run ends now; sched__stop() knows it is down */
	ret = sched__resume(s, what, &down, err, sizeof(err));
	if (ret)
		return exec__fail(x, ret, "%s", err);
	/* Every worker, forked before or after, watches the new process for gaps. */
	x->wctx.sched_pid = sched__pid(s);
	if (x->wctx.sched_pid_live)
		*x->wctx.sched_pid_live = x->wctx.sched_pid;
	agent__log(KTSTR_LOG_SCHED_RESTARTED, x->step, (unsigned)(down / NSEC_PER_MSEC),
		   (int)sched__pid(s));
	return 0;
}

int op__exec(struct exec_state *x, const struct plan_op *op)
{
	struct exec_cg *a = NULL, *b = NULL;
	struct exec_prog *p;

	switch (op->kind) {
	case PLAN_OP_ADD_CGROUP:
		return exec__cg_create(x, op->cgroup, op->has_cpus ? &op->cpus : NULL, false);
	case PLAN_OP_REMOVE_CGROUP:
		if (!(a = op__need_cg(x, op, op->cgroup)))
			return -ENOENT;
		if (a->backdrop && x->step != EXEC_BACKDROP)
			return exec__fail(x, -EPERM, "remove_cgroup: '%s' is a backdrop cgroup",
					  a->name);
		for (size_t i = 0; i < x->ncgs; i++)
			if (x->cgs[i].live && &x->cgs[i] != a && under(x->cgs[i].name, a->name))
				return exec__fail(x, -EBUSY,
						  "remove_cgroup: '%s' has child cgroup '%s'",
						  a->name, x->cgs[i].name);
		return exec__cg_remove(x, a);
	case PLAN_OP_SET_CPUSET: {
		struct work_cpumask m;

		if (!(a = op__need_cg(x, op, op->cgroup)))
			return -ENOENT;
		to_work_mask(&m, &op->cpus);
		return op__set_cpus(x, a, &m);
	}
	case PLAN_OP_CLEAR_CPUSET:
		if (!(a = op__need_cg(x, op, op->cgroup)))
			return -ENOENT;
		return op__set_cpus(x, a, NULL);
	case PLAN_OP_SWAP_CPUSETS: {
		struct work_cpumask ma, mb;
		bool ha, hb;
		int ret;

		if (!(a = op__need_cg(x, op, op->cgroup)) || !(b = op__need_cg(x, op, op->cgroup2)))
			return -ENOENT;
		ma = a->cpus;
		mb = b->cpus;
		ha = a->has_cpus;
		hb = b->has_cpus;
		ret = op__set_cpus(x, a, hb ? &mb : NULL);
		return ret ? ret : op__set_cpus(x, b, ha ? &ma : NULL);
	}
	case PLAN_OP_SPAWN:
		if (!(a = op__need_cg(x, op, op->cgroup)))
			return -ENOENT;
		return exec__spawn(x, a, &op->work);
	case PLAN_OP_SPAWN_HOST:
		return exec__spawn(x, NULL, &op->work);
	case PLAN_OP_STOP_CGROUP:
		if (!(a = op__need_cg(x, op, op->cgroup)))
			return -ENOENT;
		exec__cg_stop(x, a->name, true);
		return 0;
	case PLAN_OP_SET_AFFINITY: {
		struct work_affinity af = { .kind = (enum work_affinity_kind)op->affinity,
					    .cpu_llc = x->cpu_llc };
		int ret = 0;

		if (!(a = op__need_cg(x, op, op->cgroup)))
			return -ENOENT;
		to_work_mask(&af.cpus, &op->aff_cpus);
		af.pool = a->has_cpus ? &a->cpus : NULL;
		for (size_t i = 0; i < x->ngroups; i++) {
			int r;

			if (!x->groups[i].g || strcmp(x->groups[i].cgroup, a->name))
				continue;
			r = work_group__set_affinity(x->groups[i].g, &af);
			if (r && !ret)
				ret = exec__fail(x, r, "set_affinity on '%s': %s", a->name,
						 strerror(-r));
		}
		return ret;
	}
	case PLAN_OP_MOVE_ALL_TASKS:
		if (!(a = op__need_cg(x, op, op->cgroup)) || !(b = op__need_cg(x, op, op->cgroup2)))
			return -ENOENT;
		return op__move_all(x, a, b);
	case PLAN_OP_MOVE_TASKS:
		if (!(a = op__need_cg(x, op, op->cgroup)) || !(b = op__need_cg(x, op, op->cgroup2)))
			return -ENOENT;
		return op__move_tasks(x, op, a, b);
	case PLAN_OP_RESTART_SCHEDULER:
		return op__restart_scheduler(x, op);
	case PLAN_OP_RUN:
		return op__run_program(x, op);
	case PLAN_OP_WAIT:
	case PLAN_OP_KILL:
		p = exec__prog_find(x, op->name);
		if (!p)
			return exec__fail(x, -ENOENT, "op '%s': program '%s' is not running",
					  plan_op__name(op->kind), op->name);
		if (op->kind == PLAN_OP_KILL) {
			exec__prog_kill(x, p);
			return 0;
		}
		return op__wait_program(x, p);
	case PLAN_OP_COUNT:
		break;
	}
	return exec__fail(x, -EINVAL, "unknown op %d", (int)op->kind);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The walk over a scenario's steps, the core of its validation.
 *
 * Cgroup and program lifetimes, as the guest agent runs them (and as the
 * validator simulates them, one pass over the steps):
 *  - backdrop cgroups (top-level `cgroups:`) are created in list order
 *    before the first step and live for the whole run; remove_cgroup may not
 *    remove them;
 *  - a step first creates its own `cgroups:` (list order), which live until
 *    the end of that step, then runs its ops in order. A loop hold repeats
 *    the ops; only one pass is checked;
 *  - what an op creates (add_cgroup) lives until remove_cgroup or the end of
 *    the run; a program started by `run` lives until wait, kill, or the end
 *    of the run, or until its cgroup is stopped (stop_cgroup) or removed
 *    (remove_cgroup, or the end of the step for a step's own cgroup);
 *  - a nested cgroup "a/b" needs "a" alive when it is created; "a" cannot be
 *    removed while a child lives, and a step's own cgroup cannot end while a
 *    child created by an op still lives;
 *  - move_all_tasks moves programs as well as workers: they then end with
 *    their new cgroup; move_tasks moves workers only.
 * Cpusets are tracked through set_cpuset, clear_cpuset and swap_cpusets so
 * that memory policies of workers spawned later are checked against the
 * cpuset their cgroup has at that point.
 *
 * The same walk, restricted to topology-dependent problems and stopping at
 * the first one, decides whether a scenario fits a gauntlet preset.
 */
#include "scenario_validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_inst.h"
#include "scenario_validate_int.h"
#include "base/units.h"
#include "wire/plan_format.h"

/* A growable string for lists in messages. */
struct strbuf {
	char *s;
	size_t len, cap;
};

static void strbuf__add(struct strbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->s, cap);

		if (!p)
			return;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

static const char *strbuf__str(const struct strbuf *b, const char *empty)
{
	return b->len ? b->s : empty;
}

/* ---- the live state of a run ---- */

enum cg_origin { CG_BACKDROP, CG_STEP, CG_OP };

struct live_cg {
	const char *name;
	struct src_loc loc;
	enum cg_origin origin;
	bool has_cpus;			/* a cpuset that resolved on this topology */
	struct cpuset cpus;
};

struct live_prog {
	const char *name;
	const char *cgroup;		/* NULL: the agent's own cgroup */
	struct src_loc loc;
};

struct live {
	struct live_cg *cg;
	size_t ncg, capcg;
	struct live_prog *pr;
	size_t npr, cappr;
	size_t step;			/* 0 = backdrop, else 1-based */
};

static void live__free(struct live *l)
{
	free(l->cg);
	free(l->pr);
}

static struct live_cg *live__find(struct live *l, const char *name)
{
	for (size_t i = 0; i < l->ncg; i++)
		if (!strcmp(l->cg[i].name, name))
			return &l->cg[i];
	return NULL;
}

static struct live_prog *live__find_prog(struct live *l, const char *name)
{
	for (size_t i = 0; i < l->npr; i++)
		if (!strcmp(l->pr[i].name, name))
			return &l->pr[i];
	return NULL;
}

/* Is @child a descendant of @parent ("a/b/c" of "a")? */
static bool is_descendant(const char *child, const char *parent)
{
	size_t n = strlen(parent);

	return !strncmp(child, parent, n) && child[n] == '/';
}

static void live__remove_cg(struct live *l, struct live_cg *cg)
{
	size_t i = (size_t)(cg - l->cg);

	memmove(&l->cg[i], &l->cg[i + 1], (l->ncg - i - 1) * sizeof(*cg));
	l->ncg--;
}

static void live__remove_prog(struct live *l, struct live_prog *p)
{
	size_t i = (size_t)(p - l->pr);

	memmove(&l->pr[i], &l->pr[i + 1], (l->npr - i - 1) * sizeof(*p));
	l->npr--;
}

/* Programs die with the cgroup they run in. */
static void live__end_progs_in(struct live *l, const char *cgroup)
{
	for (size_t i = 0; i < l->npr;) {
		if (l->pr[i].cgroup && !strcmp(l->pr[i].cgroup, cgroup))
			live__remove_prog(l, &l->pr[i]);
		else
			i++;
	}
}

static void where(const struct live *l, char *buf, size_t len)
{
	if (l->step)
		snprintf(buf, len, "at step %zu", l->step);
	else
		snprintf(buf, len, "in the backdrop");
}

static void live__cg_names(const struct live *l, struct strbuf *b)
{
	for (size_t i = 0; i < l->ncg; i++) {
		if (i)
			strbuf__add(b, ", ");
		strbuf__add(b, l->cg[i].name);
	}
}

static void live__prog_names(const struct live *l, struct strbuf *b)
{
	for (size_t i = 0; i < l->npr; i++) {
		if (i)
			strbuf__add(b, ", ");
		strbuf__add(b, l->pr[i].name);
	}
}

/* ---- topology-dependent checks ---- */

static void check_cpus_in_topology(struct vctx *c, const char *who, const char *what,
				   const struct cpuset *s, struct src_loc loc)
{
	struct cpuset out;
	char bad[128], all[64];

	cpuset__andnot(&out, s, &c->all_cpus);
	if (cpuset__empty(&out))
		return;
	cpuset__format(&out, bad, sizeof(bad));
	cpuset__format(&c->all_cpus, all, sizeof(all));
	vctx__report(c, TOPOLOGICAL, loc,
		     "%s: %s CPUs %s are outside the topology's CPUs %s", who, what, bad, all);
}

/* Resolve a cpuset spec on the topology; true when @out is valid. */
static bool resolve_cpuset(struct vctx *c, const char *cgname, const struct cpuset_spec *spec,
			   struct src_loc loc, struct cpuset *out)
{
	char err[256], who[256];

	if (!c->t)
		return false;
	err[0] = '\0';
	if (cpuset_spec__resolve(spec, c->t, out, err, sizeof(err))) {
		vctx__report(c, TOPOLOGICAL, loc, "cgroup '%s': %s", cgname, err);
		return false;
	}
	if (spec->kind == CPUSET_EXACT) {
		snprintf(who, sizeof(who), "cgroup '%s'", cgname);
		check_cpus_in_topology(c, who, "cpuset", &spec->cpus, loc);
	}
	return true;
}

static bool mem_policy_has_nodes(enum mem_policy_kind k)
{
	return k != MEMPOL_DEFAULT && k != MEMPOL_LOCAL;
}

/* The NUMA nodes that the CPUs of @s belong to. */
static uint64_t cpuset_nodes(const struct topology *t, const struct cpuset *s)
{
	uint32_t total = topology__total_cpus(t);
	uint64_t nodes = 0;

	for (uint32_t cpu = 0; cpu < total && cpu < KTSTR_CPUSET_BITS; cpu++) {
		if (!cpuset__test(s, cpu))
			continue;
		struct cpu_pos p = topology__decompose(t, cpu);
		uint32_t node = topology__llc_node(t, p.llc);

		if (node < 64)
			nodes |= 1ULL << node;
	}
	return nodes;
}

static void check_mem_policy(struct vctx *c, const char *who, const struct mem_policy *mp,
			     const struct cpuset *pool, struct src_loc loc)
{
	const char *kind = mem_policy_kind__name(mp->kind);
	uint64_t covered;

	if (!c->t || !mem_policy_has_nodes(mp->kind))
		return;
	for (uint32_t n = 0; n < 64; n++) {
		if (!(mp->nodes & (1ULL << n)))
			continue;
		if (n >= c->t->numa_nodes) {
			vctx__report(c, TOPOLOGICAL, loc,
				     "%s: mem_policy %s uses NUMA node %u, but the topology has %u node%s",
				     who, kind, n, c->t->numa_nodes,
				     c->t->numa_nodes == 1 ? "" : "s");
			return;
		}
	}
	/* Relative node numbers are taken within the cpuset's nodes by the kernel. */
	if (!pool || (mp->flags & MPOL_FLAG_RELATIVE_NODES))
		return;
	covered = cpuset_nodes(c->t, pool);
	for (uint32_t n = 0; n < 64; n++) {
		if ((mp->nodes & (1ULL << n)) && !(covered & (1ULL << n))) {
			char cpus[128];

			cpuset__format(pool, cpus, sizeof(cpus));
			vctx__report(c, TOPOLOGICAL, loc,
				     "%s: mem_policy %s uses NUMA node %u, which its cpuset (CPUs %s) does not cover",
				     who, kind, n, cpus);
			return;
		}
	}
}

static void check_affinity(struct vctx *c, const char *who, const struct affinity *a,
			   struct src_loc loc)
{
	if (c->t && a->kind == AFFINITY_CPUS)
		check_cpus_in_topology(c, who, "affinity", &a->cpus, loc);
}

/* ---- structural checks of works ---- */

static uint32_t work_workers(const struct vctx *c, const struct work *w)
{
	if (w->workers)
		return w->workers;
	return c->sc->workers ? c->sc->workers : SCENARIO_DEFAULT_WORKERS;
}

static void check_work(struct vctx *c, const char *who, const struct work *w,
		       const struct cpuset *pool)
{
	const struct work_type_desc *desc = workload__desc(w->type);

	if (desc) {
		uint32_t group = workload__group_size(desc, w->params);
		uint32_t n = work_workers(c, w);

		if (group > 1 && n % group)
			vctx__report(c, STRUCTURAL, w->loc,
				     "work '%s' needs workers in groups of %u, got %u", desc->name,
				     group, n);
	}
	check_affinity(c, who, &w->affinity, w->loc);
	check_mem_policy(c, who, &w->mem_policy, pool, w->loc);
}

/* ---- cgroup creation and ops ---- */

static struct live_cg *live__push_cg(struct vctx *c, struct live *l, struct src_loc loc)
{
	if (l->ncg == l->capcg) {
		size_t cap = l->capcg ? l->capcg * 2 : 16;
		struct live_cg *p = realloc(l->cg, cap * sizeof(*p));

		if (!p) {
			vctx__report(c, STRUCTURAL, loc, "out of memory");
			return NULL;
		}
		l->cg = p;
		l->capcg = cap;
	}
	return memset(&l->cg[l->ncg++], 0, sizeof(struct live_cg));
}

static void check_parent(struct vctx *c, struct live *l, const char *name, struct src_loc loc)
{
	const char *slash = strrchr(name, '/');
	char parent[256], at[32];

	if (!slash)
		return;
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - name), name);
	if (live__find(l, parent))
		return;
	where(l, at, sizeof(at));
	if (!l->step) {
		vctx__report(c, STRUCTURAL, loc,
			     "cgroup '%s' needs its parent '%s', which is not defined before it",
			     name, parent);
		return;
	}
	struct strbuf b = { 0 };

	live__cg_names(l, &b);
	vctx__report(c, STRUCTURAL, loc,
		     "cgroup '%s' needs its parent '%s', which does not exist %s; live cgroups: %s",
		     name, parent, at, strbuf__str(&b, "none"));
	free(b.s);
}

struct cg_create {
	const char *name;
	struct src_loc loc;
	enum cg_origin origin;
	const struct cpuset_spec *cpuset;	/* NULL: none */
	struct src_loc cpuset_loc;
	const struct work *works;
	size_t nworks;
};

static void create_cgroup(struct vctx *c, struct live *l, const struct cg_create *cr)
{
	struct live_cg *cg = cr->name ? live__find(l, cr->name) : NULL;
	struct cpuset cpus;
	bool has_cpus = false;
	char who[256];

	if (!cr->name)
		return;		/* the loader reports a missing name */
	if (!plan__cgroup_path_ok(cr->name)) {
		vctx__report(c, STRUCTURAL, cr->loc,
			     "cgroup name '%s' is not a relative path of non-empty components ('a' or 'a/b')",
			     cr->name);
		return;
	}
	if (cg) {
		vctx__report(c, STRUCTURAL, cr->loc,
			     "cgroup '%s' already exists (defined at %s:%u:%u)", cr->name,
			     validate__loc_file(cg->loc), cg->loc.line, cg->loc.col);
		return;
	}
	check_parent(c, l, cr->name, cr->loc);
	if (cr->cpuset)
		has_cpus = resolve_cpuset(c, cr->name, cr->cpuset, cr->cpuset_loc, &cpus);
	snprintf(who, sizeof(who), "cgroup '%s'", cr->name);
	for (size_t i = 0; i < cr->nworks; i++)
		check_work(c, who, &cr->works[i], has_cpus ? &cpus : NULL);

	cg = live__push_cg(c, l, cr->loc);
	if (!cg)
		return;
	cg->name = cr->name;
	cg->loc = cr->loc;
	cg->origin = cr->origin;
	cg->has_cpus = has_cpus;
	if (has_cpus)
		cg->cpus = cpus;
}

static void create_defs(struct vctx *c, struct live *l, const struct cgroup_def *defs, size_t n,
			enum cg_origin origin)
{
	for (size_t i = 0; i < n && !vctx__fits_done(c); i++) {
		const struct cgroup_def *d = &defs[i];
		struct cg_create cr = {
			.name = d->name,
			.loc = d->loc,
			.origin = origin,
			.cpuset = d->has_cpuset ? &d->cpuset : NULL,
			.cpuset_loc = d->cpuset_loc.line ? d->cpuset_loc : d->loc,
			.works = d->works,
			.nworks = d->nworks,
		};

		create_cgroup(c, l, &cr);
	}
}

/* The live cgroup an op names, or NULL after reporting that it is not alive. */
static struct live_cg *op_cgroup(struct vctx *c, struct live *l, const struct op *op,
				 const char *name)
{
	struct live_cg *cg;
	struct strbuf b = { 0 };
	char at[32];

	if (!name)
		return NULL;	/* the loader requires it; nothing to check */
	cg = live__find(l, name);
	if (cg)
		return cg;
	where(l, at, sizeof(at));
	live__cg_names(l, &b);
	vctx__report(c, STRUCTURAL, op->loc,
		     "op '%s' names cgroup '%s', which does not exist %s; live cgroups: %s",
		     op_kind__name(op->kind), name, at, strbuf__str(&b, "none"));
	free(b.s);
	return NULL;
}

static void op_remove_cgroup(struct vctx *c, struct live *l, const struct op *op)
{
	struct live_cg *cg = op_cgroup(c, l, op, op->cgroup);

	if (!cg)
		return;
	if (cg->origin == CG_BACKDROP) {
		vctx__report(c, STRUCTURAL, op->loc,
			     "op 'remove_cgroup' cannot remove backdrop cgroup '%s', which lives for the whole run; create it with add_cgroup instead",
			     cg->name);
		return;
	}
	for (size_t i = 0; i < l->ncg; i++) {
		if (is_descendant(l->cg[i].name, cg->name)) {
			vctx__report(c, STRUCTURAL, op->loc,
				     "op 'remove_cgroup' removes cgroup '%s', which still has child '%s'; remove the child first",
				     cg->name, l->cg[i].name);
			return;
		}
	}
	live__end_progs_in(l, cg->name);
	live__remove_cg(l, cg);
}

static void op_two_cgroups(struct vctx *c, struct live *l, const struct op *op)
{
	struct live_cg *a = op_cgroup(c, l, op, op->cgroup);
	struct live_cg *b = op_cgroup(c, l, op, op->cgroup2);

	if (!a || !b)
		return;
	if (a == b) {
		vctx__report(c, STRUCTURAL, op->loc, "op '%s' %s cgroup '%s' %s itself",
			     op_kind__name(op->kind),
			     op->kind == OP_SWAP_CPUSETS ? "swaps" : "moves", a->name,
			     op->kind == OP_SWAP_CPUSETS ? "with" : "into");
		return;
	}
	if (op->kind == OP_SWAP_CPUSETS) {
		struct live_cg tmp = *a;

		a->has_cpus = b->has_cpus;
		a->cpus = b->cpus;
		b->has_cpus = tmp.has_cpus;
		b->cpus = tmp.cpus;
		return;
	}
	if (op->kind != OP_MOVE_ALL_TASKS)
		return;		/* move_tasks moves workers only */
	/* move_all_tasks: programs follow their tasks. */
	for (size_t i = 0; i < l->npr; i++)
		if (l->pr[i].cgroup && !strcmp(l->pr[i].cgroup, a->name))
			l->pr[i].cgroup = b->name;
}

static void op_run(struct vctx *c, struct live *l, const struct op *op)
{
	struct live_prog *p;

	if (op->cgroup && !op_cgroup(c, l, op, op->cgroup))
		return;
	if (!op->name)
		return;
	p = live__find_prog(l, op->name);
	if (p) {
		vctx__report(c, STRUCTURAL, op->loc,
			     "op 'run' starts program '%s', which is already running (started at %s:%u:%u)",
			     op->name, validate__loc_file(p->loc), p->loc.line, p->loc.col);
		return;
	}
	if (l->npr == l->cappr) {
		size_t cap = l->cappr ? l->cappr * 2 : 8;
		struct live_prog *np = realloc(l->pr, cap * sizeof(*np));

		if (!np) {
			vctx__report(c, STRUCTURAL, op->loc, "out of memory");
			return;
		}
		l->pr = np;
		l->cappr = cap;
	}
	l->pr[l->npr++] = (struct live_prog){ op->name, op->cgroup, op->loc };
}

static void op_end_prog(struct vctx *c, struct live *l, const struct op *op)
{
	struct live_prog *p = op->name ? live__find_prog(l, op->name) : NULL;
	struct strbuf b = { 0 };
	char at[32];

	if (p) {
		live__remove_prog(l, p);
		return;
	}
	if (!op->name)
		return;
	where(l, at, sizeof(at));
	live__prog_names(l, &b);
	vctx__report(c, STRUCTURAL, op->loc,
		     "op '%s' names program '%s', which is not running %s; running programs: %s",
		     op_kind__name(op->kind), op->name, at, strbuf__str(&b, "none"));
	free(b.s);
}

/*
 * restart_scheduler needs a sched_ext scheduler: under eevdf (the kernel's
 * own) there is none to restart, so the scenario must say so with
 * `requires: {sched_ext: true}`, which skips it there. Its down time fits
 * in the duration.
 */
static void op_restart_scheduler(struct vctx *c, const struct op *op)
{
	const struct scenario *sc = c->sc;
	uint64_t dur = sc->duration_ns ? sc->duration_ns : SCENARIO_DEFAULT_DURATION_NS;
	char a[32], b[32];

	if (sc->sched && sc->sched->eevdf && !sc->requires.sched_ext)
		vctx__report(c, STRUCTURAL, op->loc,
			     "op 'restart_scheduler' restarts a sched_ext scheduler, but this scenario "
			     "runs the kernel's own (eevdf); add 'requires: {sched_ext: true}' (the "
			     "scenario is then skipped under eevdf) or name a sched_ext scheduler");
	if (op->down_ns > dur) {
		units__format_duration(op->down_ns, a, sizeof(a));
		units__format_duration(dur, b, sizeof(b));
		vctx__report(c, STRUCTURAL, op->loc,
			     "op 'restart_scheduler': down %s is longer than the duration %s", a, b);
	}
}

static void apply_op(struct vctx *c, struct live *l, const struct op *op)
{
	struct live_cg *cg;
	struct cpuset cpus;
	char who[256];

	switch (op->kind) {
	case OP_ADD_CGROUP: {
		struct cg_create cr = {
			.name = op->cgroup,
			.loc = op->loc,
			.origin = CG_OP,
			.cpuset = op->has_cpuset ? &op->cpuset : NULL,
			.cpuset_loc = op->loc,
		};

		if (op->cgroup)
			create_cgroup(c, l, &cr);
		break;
	}
	case OP_REMOVE_CGROUP:
		op_remove_cgroup(c, l, op);
		break;
	case OP_SET_CPUSET:
		cg = op_cgroup(c, l, op, op->cgroup);
		if (cg && op->has_cpuset) {
			cg->has_cpus = resolve_cpuset(c, cg->name, &op->cpuset, op->loc, &cpus);
			if (cg->has_cpus)
				cg->cpus = cpus;
		}
		break;
	case OP_CLEAR_CPUSET:
		cg = op_cgroup(c, l, op, op->cgroup);
		if (cg)
			cg->has_cpus = false;
		break;
	case OP_SWAP_CPUSETS:
	case OP_MOVE_ALL_TASKS:
	case OP_MOVE_TASKS:
		op_two_cgroups(c, l, op);
		break;
	case OP_RESTART_SCHEDULER:
		op_restart_scheduler(c, op);
		break;
	case OP_SPAWN:
		cg = op_cgroup(c, l, op, op->cgroup);
		if (cg) {
			snprintf(who, sizeof(who), "cgroup '%s'", cg->name);
			check_work(c, who, &op->work, cg->has_cpus ? &cg->cpus : NULL);
		}
		break;
	case OP_STOP_CGROUP:
		cg = op_cgroup(c, l, op, op->cgroup);
		if (cg)
			live__end_progs_in(l, cg->name);
		break;
	case OP_SET_AFFINITY:
		cg = op_cgroup(c, l, op, op->cgroup);
		if (cg) {
			snprintf(who, sizeof(who), "cgroup '%s'", cg->name);
			check_affinity(c, who, &op->affinity, op->loc);
		}
		break;
	case OP_SPAWN_HOST:
		check_work(c, "op 'spawn_host'", &op->work, NULL);
		break;
	case OP_RUN:
		op_run(c, l, op);
		break;
	case OP_WAIT:
	case OP_KILL:
		op_end_prog(c, l, op);
		break;
	case OP_KIND_COUNT:
		break;
	}
}

/* A cgroup of the current step that @name lives under, or NULL. */
static const struct live_cg *step_ancestor(const struct live *l, const char *name)
{
	for (size_t i = 0; i < l->ncg; i++)
		if (l->cg[i].origin == CG_STEP && is_descendant(name, l->cg[i].name))
			return &l->cg[i];
	return NULL;
}

/* The end of a step: its own cgroups go, with their programs. */
static void end_step(struct vctx *c, struct live *l)
{
	for (size_t i = 0; i < l->ncg;) {
		struct live_cg *ch = &l->cg[i];
		const struct live_cg *parent = ch->origin == CG_STEP ? NULL :
					       step_ancestor(l, ch->name);

		if (!parent) {
			i++;
			continue;
		}
		vctx__report(c, STRUCTURAL, ch->loc,
			     "cgroup '%s' outlives its parent '%s', which ends with step %zu; remove '%s' in that step or define '%s' in the backdrop",
			     ch->name, parent->name, l->step, ch->name, parent->name);
		live__end_progs_in(l, ch->name);
		live__remove_cg(l, ch);
	}
	for (size_t i = 0; i < l->ncg;) {
		if (l->cg[i].origin != CG_STEP) {
			i++;
			continue;
		}
		live__end_progs_in(l, l->cg[i].name);
		live__remove_cg(l, &l->cg[i]);
	}
}

static void walk(struct vctx *c)
{
	const struct scenario *sc = c->sc;
	struct live l = { 0 };

	if (c->t)
		topology__all_cpus(c->t, &c->all_cpus);
	create_defs(c, &l, sc->cgroups, sc->ncgroups, CG_BACKDROP);
	for (size_t s = 0; s < sc->nsteps && !vctx__fits_done(c); s++) {
		const struct step *st = &sc->steps[s];

		l.step = s + 1;
		create_defs(c, &l, st->cgroups, st->ncgroups, CG_STEP);
		for (size_t i = 0; i < st->nops && !vctx__fits_done(c); i++)
			apply_op(c, &l, &st->ops[i]);
		end_step(c, &l);
	}
	live__free(&l);
}

/*
 * A scenario with counts is walked as its instance on c->t (its counts
 * evaluated, its repeats expanded), where a cgroup name or a worker count,
 * and so any problem, may depend on the topology.
 */
void validate__walk(struct vctx *c)
{
	const struct scenario *tmpl = c->sc;
	struct scenario_inst in;

	if (!scenario__has_counts(tmpl)) {
		walk(c);
		return;
	}
	if (!c->t)
		return;		/* nothing to count on: the topology's own error says why */
	if (scenario_inst__init(&in, tmpl, c->t)) {
		vctx__report(c, TOPOLOGICAL, in.loc, "%s", in.why);
	} else {
		c->sc = in.sc;
		c->counted = true;
		walk(c);
		c->counted = false;
		c->sc = tmpl;
	}
	scenario_inst__free(&in);
}

int scenario__fits_topology(const struct scenario *sc, const struct topology *t, char *why,
			    size_t len)
{
	struct vctx c = { .sc = sc, .t = t, .why = why, .whylen = len };

	if (why && len)
		why[0] = '\0';
	validate__walk(&c);
	return c.nerr ? -EINVAL : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Semantic validation of loaded scenarios.
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
 *    their new cgroup.
 * Cpusets are tracked through set_cpuset, clear_cpuset and swap_cpusets so
 * that memory policies of workers spawned later are checked against the
 * cpuset their cgroup has at that point.
 *
 * The same walk, restricted to topology-dependent problems and stopping at
 * the first one, decides whether a scenario fits a gauntlet preset.
 */
#include "scenario_validate.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario_load.h"
#include "base/units.h"

#define FRAC_EPSILON 1e-9

/* ---- reporting ---- */

struct vctx {
	const struct scenario *sc;
	const struct topology *t;	/* NULL when the topology is invalid */
	struct cpuset all_cpus;
	struct diag_list *d;		/* NULL: fits mode */
	char *why;			/* fits mode: the first problem */
	size_t whylen;
	int nerr;
};

enum problem { STRUCTURAL, TOPOLOGICAL };

__attribute__((format(printf, 4, 5)))
static void report(struct vctx *c, enum problem kind, struct src_loc loc, const char *fmt, ...)
{
	va_list ap;

	if (!c->d) {
		/* Fits mode: only what depends on the topology, first one only. */
		if (kind != TOPOLOGICAL || c->nerr++)
			return;
		if (c->why && c->whylen) {
			va_start(ap, fmt);
			vsnprintf(c->why, c->whylen, fmt, ap);
			va_end(ap);
		}
		return;
	}
	char *msg = NULL;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	diag__add(c->d, loc, "%s", msg ? msg : "out of memory formatting a message");
	free(msg);
	c->nerr++;
}

static bool fits_done(const struct vctx *c)
{
	return !c->d && c->nerr;
}

static const char *loc_file(struct src_loc loc)
{
	return loc.file ? loc.file : "<input>";
}

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
	report(c, TOPOLOGICAL, loc, "%s: %s CPUs %s are outside the topology's CPUs %s", who, what,
	       bad, all);
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
		report(c, TOPOLOGICAL, loc, "cgroup '%s': %s", cgname, err);
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
			report(c, TOPOLOGICAL, loc,
			       "%s: mem_policy %s uses NUMA node %u, but the topology has %u node%s",
			       who, kind, n, c->t->numa_nodes, c->t->numa_nodes == 1 ? "" : "s");
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
			report(c, TOPOLOGICAL, loc,
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
			report(c, STRUCTURAL, w->loc,
			       "work '%s' needs workers in groups of %u, got %u", desc->name,
			       group, n);
	}
	check_affinity(c, who, &w->affinity, w->loc);
	check_mem_policy(c, who, &w->mem_policy, pool, w->loc);
}

/* ---- cgroup creation and ops ---- */

static bool cg_name_ok(const char *name)
{
	const char *p = name;

	if (!*name || *name == '/')
		return false;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (!n || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!end)
			break;
		p = end + 1;
		if (!*p)
			return false;	/* trailing '/' */
	}
	return true;
}

static struct live_cg *live__push_cg(struct vctx *c, struct live *l, struct src_loc loc)
{
	if (l->ncg == l->capcg) {
		size_t cap = l->capcg ? l->capcg * 2 : 16;
		struct live_cg *p = realloc(l->cg, cap * sizeof(*p));

		if (!p) {
			report(c, STRUCTURAL, loc, "out of memory");
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
		report(c, STRUCTURAL, loc,
		       "cgroup '%s' needs its parent '%s', which is not defined before it",
		       name, parent);
		return;
	}
	struct strbuf b = { 0 };

	live__cg_names(l, &b);
	report(c, STRUCTURAL, loc,
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
	if (!cg_name_ok(cr->name)) {
		report(c, STRUCTURAL, cr->loc,
		       "cgroup name '%s' is not a relative path of non-empty components ('a' or 'a/b')",
		       cr->name);
		return;
	}
	if (cg) {
		report(c, STRUCTURAL, cr->loc, "cgroup '%s' already exists (defined at %s:%u:%u)",
		       cr->name, loc_file(cg->loc), cg->loc.line, cg->loc.col);
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
	for (size_t i = 0; i < n && !fits_done(c); i++) {
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
	report(c, STRUCTURAL, op->loc,
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
		report(c, STRUCTURAL, op->loc,
		       "op 'remove_cgroup' cannot remove backdrop cgroup '%s', which lives for the whole run; create it with add_cgroup instead",
		       cg->name);
		return;
	}
	for (size_t i = 0; i < l->ncg; i++) {
		if (is_descendant(l->cg[i].name, cg->name)) {
			report(c, STRUCTURAL, op->loc,
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
		report(c, STRUCTURAL, op->loc, "op '%s' %s cgroup '%s' %s itself",
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
		report(c, STRUCTURAL, op->loc,
		       "op 'run' starts program '%s', which is already running (started at %s:%u:%u)",
		       op->name, loc_file(p->loc), p->loc.line, p->loc.col);
		return;
	}
	if (l->npr == l->cappr) {
		size_t cap = l->cappr ? l->cappr * 2 : 8;
		struct live_prog *np = realloc(l->pr, cap * sizeof(*np));

		if (!np) {
			report(c, STRUCTURAL, op->loc, "out of memory");
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
	report(c, STRUCTURAL, op->loc,
	       "op '%s' names program '%s', which is not running %s; running programs: %s",
	       op_kind__name(op->kind), op->name, at, strbuf__str(&b, "none"));
	free(b.s);
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
		op_two_cgroups(c, l, op);
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
		report(c, STRUCTURAL, ch->loc,
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
	for (size_t s = 0; s < sc->nsteps && !fits_done(c); s++) {
		const struct step *st = &sc->steps[s];

		l.step = s + 1;
		create_defs(c, &l, st->cgroups, st->ncgroups, CG_STEP);
		for (size_t i = 0; i < st->nops && !fits_done(c); i++)
			apply_op(c, &l, &st->ops[i]);
		end_step(c, &l);
	}
	live__free(&l);
}

int scenario__fits_topology(const struct scenario *sc, const struct topology *t, char *why,
			    size_t len)
{
	struct vctx c = { .sc = sc, .t = t, .why = why, .whylen = len };

	if (why && len)
		why[0] = '\0';
	walk(&c);
	return c.nerr ? -EINVAL : 0;
}

/* ---- holds ---- */

static void check_holds(struct vctx *c)
{
	const struct scenario *sc = c->sc;
	uint64_t dur = sc->duration_ns ? sc->duration_ns : SCENARIO_DEFAULT_DURATION_NS;
	double frac_sum = 0, total_ns = 0;
	bool frac_reported = false, fixed_reported = false;
	char a[32], b[32];
	size_t loop_step = 0;

	units__format_duration(dur, b, sizeof(b));
	for (size_t s = 0; s < sc->nsteps; s++) {
		const struct step *st = &sc->steps[s];
		const struct hold *h = &st->hold;

		if (loop_step) {
			report(c, STRUCTURAL, st->loc,
			       "step %zu never runs: step %zu loops until the end of the run",
			       s + 1, loop_step);
			loop_step = 0;	/* once is enough */
		}
		switch (h->kind) {
		case HOLD_FRAC:
			if (!(h->frac > 0) || !isfinite(h->frac)) {
				report(c, STRUCTURAL, st->loc, "step %zu: hold must be > 0", s + 1);
				break;
			}
			frac_sum += h->frac;
			total_ns += h->frac * (double)dur;
			if (frac_sum > 1.0 + FRAC_EPSILON && !frac_reported) {
				double sum = frac_sum;

				for (size_t r = s + 1; r < sc->nsteps; r++)
					if (sc->steps[r].hold.kind == HOLD_FRAC &&
					    sc->steps[r].hold.frac > 0)
						sum += sc->steps[r].hold.frac;
				report(c, STRUCTURAL, st->loc,
				       "steps hold %g of the duration; at most 1", sum);
				frac_reported = true;
			}
			break;
		case HOLD_FIXED:
			if (!h->ns) {
				report(c, STRUCTURAL, st->loc, "step %zu: hold must be > 0", s + 1);
				break;
			}
			total_ns += (double)h->ns;
			if (h->ns > dur) {
				units__format_duration(h->ns, a, sizeof(a));
				report(c, STRUCTURAL, st->loc,
				       "step %zu holds %s, longer than the duration %s", s + 1, a,
				       b);
				fixed_reported = true;
			}
			break;
		case HOLD_LOOP:
			if (!h->ns)
				report(c, STRUCTURAL, st->loc,
				       "step %zu: loop interval must be > 0", s + 1);
			loop_step = s + 1;
			break;
		}
	}
	if (!frac_reported && !fixed_reported && total_ns > (double)dur * (1.0 + FRAC_EPSILON)) {
		units__format_duration((uint64_t)total_ns, a, sizeof(a));
		report(c, STRUCTURAL, sc->nsteps ? sc->steps[sc->nsteps - 1].loc : sc->loc,
		       "steps hold %s in total, longer than the duration %s", a, b);
	}
}

/* ---- scheduler resolution ---- */

struct tried_file {
	char *path;
	bool failed;			/* it exists but did not load */
	bool loaded;			/* it loaded */
};

struct vstate {
	struct scenario_set *set;
	struct diag_list *d;
	struct tried_file *tried;	/* scheduler files already looked for */
	size_t ntried;
	const struct sched_def **checked;	/* definitions already checked */
	size_t nchecked;
};

static const struct sched_def *find_def(const struct scenario_set *set, const char *name)
{
	for (size_t i = 0; i < set->nscheds; i++)
		if (set->scheds[i]->name && !strcmp(set->scheds[i]->name, name))
			return set->scheds[i];
	return NULL;
}

/* "<dir of @file>/schedulers" ("schedulers" for a file in the current directory). */
static void sched_dir(const char *file, char *buf, size_t len)
{
	const char *slash = file ? strrchr(file, '/') : NULL;

	if (!slash)
		snprintf(buf, len, "schedulers");
	else
		snprintf(buf, len, "%.*s/schedulers", (int)(slash - file), file);
}

/* The record of @path, added (not yet tried) when new; NULL on OOM. */
static struct tried_file *tried_file(struct vstate *vs, const char *path, bool *is_new)
{
	struct tried_file *p;

	*is_new = false;
	for (size_t i = 0; i < vs->ntried; i++)
		if (!strcmp(vs->tried[i].path, path))
			return &vs->tried[i];
	p = realloc(vs->tried, (vs->ntried + 1) * sizeof(*p));
	if (!p)
		return NULL;
	vs->tried = p;
	p[vs->ntried].path = strdup(path);
	p[vs->ntried].failed = false;
	p[vs->ntried].loaded = false;
	if (!p[vs->ntried].path)
		return NULL;
	*is_new = true;
	return &p[vs->ntried++];
}

static void suggest_scheduler(struct vstate *vs, const char *name, const char *dir,
			      char *buf, size_t len)
{
	const char **names = malloc((vs->set->nscheds + 1 + 64) * sizeof(*names));
	char stems[64][128];
	size_t n = 0, nstems = 0;
	const char *pick;
	DIR *dh;

	buf[0] = '\0';
	if (!names)
		return;
	names[n++] = "eevdf";
	for (size_t i = 0; i < vs->set->nscheds; i++)
		names[n++] = vs->set->scheds[i]->name;
	dh = opendir(dir);
	if (dh) {
		struct dirent *e;

		while ((e = readdir(dh)) && nstems < 64) {
			size_t l = strlen(e->d_name);

			if (l <= 5 || l - 5 >= sizeof(stems[0]) || strcmp(e->d_name + l - 5, ".yaml"))
				continue;
			snprintf(stems[nstems], sizeof(stems[0]), "%.*s", (int)(l - 5), e->d_name);
			names[n++] = stems[nstems++];
		}
		closedir(dh);
	}
	pick = diag__suggest(name, names, n);
	if (pick)
		snprintf(buf, len, "; did you mean '%s'?", pick);
	free(names);
}

static const struct sched_def *resolve_scheduler(struct vstate *vs, struct vctx *c)
{
	const struct scenario *sc = c->sc;
	const char *name = sc->sched_name ? sc->sched_name : "eevdf";
	const struct sched_def *def;
	char dir[1024], path[1200], hint[160];
	struct tried_file *tf;
	bool is_new;

	if (sc->sched_inline)
		return sc->sched_inline;
	if (!strcmp(name, "eevdf"))
		return sched_def__eevdf();
	def = find_def(vs->set, name);
	if (def)
		return def;

	sched_dir(sc->file, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s.yaml", dir, name);
	/* A name with a '/' would reach outside the schedulers directory. */
	tf = strchr(name, '/') ? NULL : tried_file(vs, path, &is_new);
	if (tf && is_new && access(path, F_OK) == 0) {
		size_t before = vs->d->n;

		if (sched_defs__load_file(vs->set, path, vs->d)) {
			/* Its own errors say what is wrong; do not pile on. */
			c->nerr += (int)(vs->d->n - before);
			tf->failed = true;
			return NULL;
		}
		tf->loaded = true;
		def = find_def(vs->set, name);
		if (def)
			return def;
	}
	if (tf && tf->failed) {
		report(c, STRUCTURAL, sc->sched_loc, "scheduler '%s': %s has errors", name, path);
		return NULL;
	}
	if (tf && tf->loaded) {
		report(c, STRUCTURAL, sc->sched_loc,
		       "unknown scheduler '%s': %s does not define it (its 'name' must be '%s')",
		       name, path, name);
		return NULL;
	}
	suggest_scheduler(vs, name, dir, hint, sizeof(hint));
	report(c, STRUCTURAL, sc->sched_loc,
	       "unknown scheduler '%s': define it in %s or pass --schedulers FILE%s", name, path,
	       hint);
	return NULL;
}

/* ---- definitions and flags ---- */

static bool def_checked(struct vstate *vs, const struct sched_def *def)
{
	const struct sched_def **p;

	for (size_t i = 0; i < vs->nchecked; i++)
		if (vs->checked[i] == def)
			return true;
	p = realloc(vs->checked, (vs->nchecked + 1) * sizeof(*p));
	if (p) {
		vs->checked = p;
		p[vs->nchecked++] = def;
	}
	return false;
}

static bool def_in_set(const struct scenario_set *set, const struct sched_def *def)
{
	for (size_t i = 0; i < set->nscheds; i++)
		if (set->scheds[i] == def)
			return true;
	return false;
}

static void suggest_flag(const struct sched_def *def, const char *name, char *buf, size_t len)
{
	const char *names[SCHED_MAX_FLAGS];
	size_t n = 0;
	const char *pick;

	for (size_t i = 0; i < def->nflags && n < SCHED_MAX_FLAGS; i++)
		names[n++] = def->flags[i].name;
	pick = diag__suggest(name, names, n);
	if (pick)
		snprintf(buf, len, "; did you mean '%s'?", pick);
	else
		buf[0] = '\0';
}

static void check_def(struct vstate *vs, struct vctx *c, const struct sched_def *def)
{
	char hint[160];

	if (def_checked(vs, def))
		return;
	for (size_t i = 0; i < vs->set->nscheds && def_in_set(vs->set, def); i++) {
		const struct sched_def *o = vs->set->scheds[i];

		if (o == def)
			break;
		if (o->name && def->name && !strcmp(o->name, def->name)) {
			report(c, STRUCTURAL, def->loc,
			       "scheduler '%s' is defined twice (first at %s:%u:%u)", def->name,
			       loc_file(o->loc), o->loc.line, o->loc.col);
			break;
		}
	}
	if (def->nflags > SCHED_MAX_FLAGS) {
		report(c, STRUCTURAL, def->loc, "scheduler '%s' declares %zu flags; at most %d",
		       def->name, def->nflags, SCHED_MAX_FLAGS);
		return;
	}
	for (size_t i = 0; i < def->nflags; i++) {
		const struct sched_flag *f = &def->flags[i];
		int first = sched_def__flag_index(def, f->name);

		if (first >= 0 && (size_t)first != i) {
			const struct sched_flag *o = &def->flags[first];

			report(c, STRUCTURAL, f->loc,
			       "flag '%s' is declared twice in scheduler '%s' (first at %s:%u:%u)",
			       f->name, def->name, loc_file(o->loc), o->loc.line, o->loc.col);
		}
		for (size_t r = 0; r < f->nrequires; r++) {
			if (sched_def__flag_index(def, f->requires[r]) >= 0)
				continue;
			suggest_flag(def, f->requires[r], hint, sizeof(hint));
			report(c, STRUCTURAL, f->loc,
			       "flag '%s' of scheduler '%s' requires '%s', which the scheduler does not declare%s",
			       f->name, def->name, f->requires[r], hint);
		}
	}
}

/* Turn flag names into a mask; false after reporting an unknown one. */
static bool flag_names_mask(struct vctx *c, const struct sched_def *def, const char **names,
			    size_t n, flag_mask *out)
{
	bool ok = true;
	char hint[160];

	*out = 0;
	for (size_t i = 0; i < n; i++) {
		int idx = sched_def__flag_index(def, names[i]);

		if (idx >= 0) {
			*out |= (flag_mask)1 << idx;
			continue;
		}
		ok = false;
		if (!def->nflags) {
			report(c, STRUCTURAL, c->sc->flags_loc, "scheduler '%s' has no flags",
			       def->name);
			break;
		}
		suggest_flag(def, names[i], hint, sizeof(hint));
		report(c, STRUCTURAL, c->sc->flags_loc, "unknown flag '%s' for scheduler '%s'%s",
		       names[i], def->name, hint);
	}
	return ok;
}

static void check_flags(struct vctx *c, const struct sched_def *def)
{
	const struct scenario *sc = c->sc;
	flag_mask req, exc;
	bool bad = false;

	if (!flag_names_mask(c, def, sc->flags_required, sc->nflags_required, &req) ||
	    !flag_names_mask(c, def, sc->flags_excluded, sc->nflags_excluded, &exc))
		return;
	for (size_t i = 0; i < def->nflags; i++) {
		if (!(req & exc & ((flag_mask)1 << i)))
			continue;
		report(c, STRUCTURAL, sc->flags_loc, "flag '%s' is both required and excluded",
		       def->flags[i].name);
		bad = true;
	}
	for (size_t i = 0; i < def->nflags && !bad; i++) {
		const struct sched_flag *f = &def->flags[i];

		if (!(req & ((flag_mask)1 << i)))
			continue;
		for (size_t r = 0; r < f->nrequires; r++) {
			int idx = sched_def__flag_index(def, f->requires[r]);

			if (idx >= 0 && (exc & ((flag_mask)1 << idx))) {
				report(c, STRUCTURAL, sc->flags_loc,
				       "flag '%s' requires '%s', which is excluded", f->name,
				       f->requires[r]);
				bad = true;
			}
		}
	}
	if (!bad && sched_profiles__expand(def, req, exc, NULL, 0) <= 0)
		report(c, STRUCTURAL, sc->flags_loc,
		       "the required and excluded flags leave no valid flag profile of scheduler '%s'",
		       def->name);
}

/* ---- topology ---- */

static void preset_hint(const char *name, char *buf, size_t len)
{
	size_t n;
	const struct topo_preset *p = topo_presets(&n);
	const char *names[64];
	const char *pick;

	for (size_t i = 0; i < n && i < 64; i++)
		names[i] = p[i].name;
	pick = diag__suggest(name, names, n < 64 ? n : 64);
	if (pick)
		snprintf(buf, len, "; did you mean '%s'?", pick);
	else
		buf[0] = '\0';
}

/* Fill the unset dimensions of @t from @p; false when its preset is unknown. */
static bool fill_dims(struct topology *t, const struct topology_partial *p)
{
	struct topology src = { p->numa_nodes, p->llcs, p->cores_per_llc, p->threads_per_core };

	if (p->preset) {
		const struct topo_preset *pr = topo_preset__find(p->preset);

		if (!pr)
			return false;
		src = pr->topo;
	}
	if (!t->numa_nodes)
		t->numa_nodes = src.numa_nodes;
	if (!t->llcs)
		t->llcs = src.llcs;
	if (!t->cores_per_llc)
		t->cores_per_llc = src.cores_per_llc;
	if (!t->threads_per_core)
		t->threads_per_core = src.threads_per_core;
	return true;
}

static struct src_loc topology_err_loc(const struct scenario *sc)
{
	if (sc->topology_loc.line)
		return sc->topology_loc;
	if (sc->sched_loc.line)
		return sc->sched_loc;
	return sc->loc;
}

/* Resolve sc->topology; true when it is valid. */
static bool resolve_topology(struct vctx *c, struct scenario *sc, const struct sched_def *def)
{
	struct topology_partial given = sc->topo_given;
	struct topology t = { 0 };
	char err[256], name[TOPOLOGY_NAME_MAX], hint[160];

	if (!given.preset)
		given.preset = sc->topology_preset;
	if (!fill_dims(&t, &given)) {
		preset_hint(given.preset, hint, sizeof(hint));
		report(c, STRUCTURAL, topology_err_loc(sc), "unknown topology preset '%s'%s",
		       given.preset, hint);
		return false;
	}
	if (def && !fill_dims(&t, &def->topology)) {
		preset_hint(def->topology.preset, hint, sizeof(hint));
		report(c, STRUCTURAL, def->loc,
		       "scheduler '%s': unknown topology preset '%s'%s", def->name,
		       def->topology.preset, hint);
		return false;
	}
	fill_dims(&t, &(struct topology_partial){ TOPOLOGY_DEFAULT.numa_nodes,
			TOPOLOGY_DEFAULT.llcs, TOPOLOGY_DEFAULT.cores_per_llc,
			TOPOLOGY_DEFAULT.threads_per_core, NULL });
	sc->topology = t;
	err[0] = '\0';
	if (topology__validate(&t, err, sizeof(err))) {
		topology__format(&t, name);
		report(c, STRUCTURAL, topology_err_loc(sc), "topology %s: %s", name, err);
		return false;
	}
	return true;
}

/* ---- the gauntlet block ---- */

static void check_minmax(struct vctx *c, const char *what, uint32_t min, uint32_t max)
{
	if (max && min > max)
		report(c, STRUCTURAL, c->sc->gauntlet.loc,
		       "gauntlet constraints: min_%s %u is larger than max_%s %u", what, min, what,
		       max);
}

static void check_gauntlet(struct vctx *c)
{
	const struct gauntlet_spec *g = &c->sc->gauntlet;
	char hint[160];

	for (size_t i = 0; i < g->npresets; i++) {
		if (topo_preset__find(g->presets[i]))
			continue;
		preset_hint(g->presets[i], hint, sizeof(hint));
		report(c, STRUCTURAL, g->loc, "unknown topology preset '%s'%s", g->presets[i],
		       hint);
	}
	check_minmax(c, "numa_nodes", g->constraints.min_numa_nodes, g->constraints.max_numa_nodes);
	check_minmax(c, "llcs", g->constraints.min_llcs, g->constraints.max_llcs);
	check_minmax(c, "cpus", g->constraints.min_cpus, g->constraints.max_cpus);
}

/* ---- the set ---- */

static int validate_one(struct vstate *vs, struct scenario *sc)
{
	struct vctx c = { .sc = sc, .d = vs->d };
	const struct sched_def *def = resolve_scheduler(vs, &c);

	if (def && def->flags_from_binary && !def->flags_learned) {
		struct sched_def *d = (struct sched_def *)def;	/* the set's own */
		char err[768] = "no way to run it here";

		d->flags_learned = true;	/* tried once, whatever the outcome */
		if (!vs->set->learn_flags || vs->set->learn_flags(vs->set, d, err, sizeof(err)))
			report(&c, STRUCTURAL, def->loc,
			       "scheduler '%s' has flags: from-binary, and its --list-flags could "
			       "not be read: %s", def->name, err);
	}
	if (def) {
		check_def(vs, &c, def);
		check_flags(&c, def);
	}
	if (sc->watchdog_timeout_ns && def && def->eevdf)
		report(&c, STRUCTURAL, sc->watchdog_loc,
		       "'watchdog_timeout' is for a sched_ext scheduler; this scenario runs the "
		       "kernel's own (eevdf)");
	else if (sc->watchdog_timeout_ns && def && !def->watchdog_arg)
		report(&c, STRUCTURAL, sc->watchdog_loc,
		       "'watchdog_timeout': scheduler '%s' has no 'watchdog_arg' (its option that "
		       "sets ops.timeout_ms, e.g. watchdog_arg: \"--timeout-ms={ms}\")", def->name);
	sc->sched = def ? def : sched_def__eevdf();
	c.t = resolve_topology(&c, sc, def) ? &sc->topology : NULL;
	walk(&c);
	check_holds(&c);
	check_gauntlet(&c);
	return c.nerr;
}

int scenario_set__validate(struct scenario_set *set, struct diag_list *d)
{
	struct vstate vs = { .set = set, .d = d };
	int nerr = 0;

	for (size_t i = 0; i < set->n; i++)
		nerr += validate_one(&vs, set->items[i]);
	/* Definitions no scenario uses are still checked. */
	for (size_t i = 0; i < set->nscheds; i++) {
		struct vctx c = { .d = d };

		check_def(&vs, &c, set->scheds[i]);
		nerr += c.nerr;
	}
	for (size_t i = 0; i < vs.ntried; i++)
		free(vs.tried[i].path);
	free(vs.tried);
	free(vs.checked);
	return nerr;
}

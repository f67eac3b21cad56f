// SPDX-License-Identifier: GPL-2.0
/* Isolation: the union of the cpusets each cgroup had over the run. */
#include "run_allowed.h"

#include <stdlib.h>
#include <string.h>

static struct cgroup_allowed *allowed_get(struct run_allowed *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->items[i].cgroup, name))
			return &a->items[i];

	struct cgroup_allowed *p = realloc(a->items, (a->n + 1) * sizeof(*p));

	if (!p)
		return NULL;
	a->items = p;
	p = &a->items[a->n++];
	memset(p, 0, sizeof(*p));
	p->cgroup = name;
	p->constrained = true;	/* until a moment without a cpuset is seen */
	return p;
}

static void allowed_add(struct run_allowed *a, const char *name, bool has_cpuset,
			const struct cpuset_spec *spec, const struct topology *t)
{
	struct cgroup_allowed *ca = allowed_get(a, name);
	struct cpuset cpus;

	if (!ca)
		return;
	if (!has_cpuset || cpuset_spec__resolve(spec, t, &cpus, NULL, 0)) {
		ca->constrained = false;
		return;
	}
	cpuset__or(&ca->cpus, &ca->cpus, &cpus);
}

/* b's tasks (or cpusets) reach a: a allows whatever b allowed. */
static void allowed_merge(struct run_allowed *a, const char *into, const char *from)
{
	struct cgroup_allowed *x = allowed_get(a, into), *y;
	size_t ix = x ? (size_t)(x - a->items) : 0;

	y = allowed_get(a, from);	/* may move the array */
	if (!x || !y)
		return;
	x = &a->items[ix];
	x->constrained = x->constrained && y->constrained;
	cpuset__or(&x->cpus, &x->cpus, &y->cpus);
}

static void allowed_ops(struct run_allowed *a, const struct op *ops, size_t n,
			const struct topology *t)
{
	for (size_t i = 0; i < n; i++) {
		const struct op *op = &ops[i];

		switch (op->kind) {
		case OP_ADD_CGROUP:
		case OP_SET_CPUSET:
			allowed_add(a, op->cgroup, op->has_cpuset, &op->cpuset, t);
			break;
		case OP_CLEAR_CPUSET:
			allowed_add(a, op->cgroup, false, NULL, t);
			break;
		case OP_SWAP_CPUSETS:
			allowed_merge(a, op->cgroup, op->cgroup2);
			allowed_merge(a, op->cgroup2, op->cgroup);
			break;
		case OP_MOVE_ALL_TASKS:
		case OP_MOVE_TASKS:
			allowed_merge(a, op->cgroup2, op->cgroup);
			break;
		default:
			break;
		}
	}
}

void run_allowed__build(const struct scenario *sc, const struct topology *t,
			struct run_allowed *a)
{
	/* Repeated entries expanded, as the agent created them; validated before the run. */
	if (!scenario_inst__init(&a->inst, sc, t))
		sc = a->inst.sc;
	for (size_t i = 0; i < sc->ncgroups; i++)
		allowed_add(a, sc->cgroups[i].name, sc->cgroups[i].has_cpuset,
			    &sc->cgroups[i].cpuset, t);
	for (size_t s = 0; s < sc->nsteps; s++) {
		const struct step *st = &sc->steps[s];

		for (size_t i = 0; i < st->ncgroups; i++)
			allowed_add(a, st->cgroups[i].name, st->cgroups[i].has_cpuset,
				    &st->cgroups[i].cpuset, t);
		allowed_ops(a, st->ops, st->nops, t);
	}
}

void run_allowed__free(struct run_allowed *a)
{
	free(a->items);
	a->items = NULL;
	a->n = 0;
	scenario_inst__free(&a->inst);
}

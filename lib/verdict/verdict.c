// SPDX-License-Identifier: GPL-2.0
/*
 * A run's verdict: group the worker reports by cgroup, run the per-worker and
 * per-cgroup checks (verdict_worker.c, verdict_cgroup.c); the reasons are
 * collected by verdict_reason.c.
 */
#include "verdict.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verdict_int.h"

static struct cgroup_stats *stats_for(struct verdict *v, const char *name)
{
	for (size_t i = 0; i < v->ncgroups; i++)
		if (!strncmp(v->cgroups[i].name, name, KTSTR_NAME_MAX))
			return &v->cgroups[i];

	struct cgroup_stats *p = realloc(v->cgroups, (v->ncgroups + 1) * sizeof(*p));

	if (!p)
		return NULL;
	v->cgroups = p;
	p = &v->cgroups[v->ncgroups++];
	memset(p, 0, sizeof(*p));
	memcpy(p->name, name, strnlen(name, KTSTR_NAME_MAX - 1));
	p->min_off_pct = 100;
	return p;
}

static const struct cgroup_allowed *allowed_for(const struct cgroup_allowed *a, size_t n,
						const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].cgroup && !strncmp(a[i].cgroup, name, KTSTR_NAME_MAX))
			return &a[i];
	return NULL;
}

/* The report's cgroup name, NUL-terminated (untrusted: it may lack its NUL). */
static void cg_name(const struct worker_result *w, char name[KTSTR_NAME_MAX])
{
	memcpy(name, w->r.cgroup, KTSTR_NAME_MAX);
	name[KTSTR_NAME_MAX - 1] = '\0';
}

int verdict__evaluate(const struct verdict_input *in, struct verdict *out)
{
	struct cpuset all_cpus, *cg_cpus;
	char name[KTSTR_NAME_MAX];
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->passed = true;
	cpuset__zero(&all_cpus);
	/* Group by cgroup in first-seen order. */
	for (size_t i = 0; i < in->nworkers; i++) {
		cg_name(&in->workers[i], name);
		if (!stats_for(out, name))
			return -ENOMEM;
	}
	cg_cpus = calloc(out->ncgroups ? out->ncgroups : 1, sizeof(*cg_cpus));
	if (!cg_cpus)
		return -ENOMEM;
	for (size_t i = 0; i < in->nworkers; i++) {
		struct cgroup_stats *st;

		cg_name(&in->workers[i], name);
		st = stats_for(out, name);
		verdict__check_worker(in->checks, &in->workers[i],
				      allowed_for(in->allowed, in->nallowed, name), st,
				      &cg_cpus[st - out->cgroups], out);
	}
	for (size_t i = 0; i < out->ncgroups && !ret; i++) {
		struct cgroup_stats *st = &out->cgroups[i];

		st->cpus = cpuset__count(&cg_cpus[i]);
		cpuset__or(&all_cpus, &all_cpus, &cg_cpus[i]);
		ret = verdict__check_cgroup(in, allowed_for(in->allowed, in->nallowed, st->name),
					    st, out);
		out->workers += st->workers;
		out->migrations += st->migrations;
		out->iterations += st->iterations;
		if (st->spread_pct > out->worst_spread_pct)
			out->worst_spread_pct = st->spread_pct;
		if (st->max_gap_ms > out->worst_gap_ms)
			out->worst_gap_ms = st->max_gap_ms;
	}
	out->cpus = cpuset__count(&all_cpus);
	free(cg_cpus);
	if (ret)
		verdict__free(out);
	return ret;
}

void verdict__free(struct verdict *v)
{
	for (size_t i = 0; i < v->nreasons; i++)
		free(v->reasons[i]);
	for (size_t i = 0; i < v->nwaived; i++)
		free(v->waived[i]);
	free(v->cgroups);
	memset(v, 0, sizeof(*v));
}

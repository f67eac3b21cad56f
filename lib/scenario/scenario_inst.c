// SPDX-License-Identifier: GPL-2.0
/*
 * A scenario made concrete on one topology (scenario_inst.h): a shallow
 * copy in its own arena whose worker counts are numbers and whose repeated
 * cgroup entries are expanded. Arrays that need no change are shared with
 * the template.
 */
#include "scenario_inst.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "count_expr.h"
#include "wire/plan_format.h"

/* ---- templates ---- */

int scenario_tmpl__subst(const char *tmpl, uint32_t i, uint32_t n, char *out, size_t len,
			 char *err, size_t errlen)
{
	size_t o = 0;

	for (const char *p = tmpl; *p; p++) {
		char num[16];
		size_t k;

		if (*p != '{') {
			if (o + 1 >= len)
				goto toolong;
			out[o++] = *p;
			continue;
		}
		if ((p[1] != 'i' && p[1] != 'n') || p[2] != '}') {
			const char *close = strchr(p, '}');

			if (close && close - p <= 16)
				snprintf(err, errlen, "unknown placeholder '%.*s' (use {i} or {n})",
					 (int)(close - p + 1), p);
			else
				snprintf(err, errlen, "a '{' that is not {i} or {n}");
			return -EINVAL;
		}
		k = (size_t)snprintf(num, sizeof(num), "%" PRIu32, p[1] == 'i' ? i : n);
		if (o + k >= len)
			goto toolong;
		memcpy(out + o, num, k);
		o += k;
		p += 2;
	}
	if (!len)
		goto toolong;
	out[o] = '\0';
	return 0;
toolong:
	snprintf(err, errlen, "too long once {i} and {n} are replaced");
	return -ENAMETOOLONG;
}

/* Digits only, at most 6 of them; -1 otherwise. */
static long small_uint(const char *s, size_t len)
{
	long v = 0;

	if (!len || len > 6)
		return -1;
	for (size_t k = 0; k < len; k++) {
		if (s[k] < '0' || s[k] > '9')
			return -1;
		v = v * 10 + (s[k] - '0');
	}
	return v;
}

static const char *spec_key(enum cpuset_kind k)
{
	switch (k) {
	case CPUSET_LLC: return "llc";
	case CPUSET_NUMA: return "numa";
	case CPUSET_RANGE: return "range";
	case CPUSET_DISJOINT: return "disjoint";
	case CPUSET_OVERLAP: return "overlap";
	case CPUSET_EXACT: return "cpus";
	}
	return "?";
}

int scenario_tmpl__cpuset(struct cpuset_spec *spec, const char *tmpl, uint32_t i, uint32_t n,
			  char *err, size_t errlen)
{
	const char *key = spec_key(spec->kind);
	char s[256], why[160];
	const char *slash;
	long idx, of;

	if (scenario_tmpl__subst(tmpl, i, n, s, sizeof(s), why, sizeof(why))) {
		snprintf(err, errlen, "'%s': %s", key, why);
		return -EINVAL;
	}
	switch (spec->kind) {
	case CPUSET_LLC:
	case CPUSET_NUMA:
		idx = small_uint(s, strlen(s));
		if (idx < 0 || idx >= (spec->kind == CPUSET_LLC ? KTSTR_MAX_CPUS : KTSTR_MAX_NUMA)) {
			snprintf(err, errlen, "'%s': '%s' (from '%s') is not an index from 0 to %d",
				 key, s, tmpl,
				 (spec->kind == CPUSET_LLC ? KTSTR_MAX_CPUS : KTSTR_MAX_NUMA) - 1);
			return -EINVAL;
		}
		spec->index = (uint32_t)idx;
		return 0;
	case CPUSET_DISJOINT:
	case CPUSET_OVERLAP:
		/* INDEX >= COUNT is the resolver's to report, as for a literal. */
		slash = strchr(s, '/');
		idx = slash ? small_uint(s, (size_t)(slash - s)) : -1;
		of = slash ? small_uint(slash + 1, strlen(slash + 1)) : -1;
		if (idx < 0 || of <= 0) {
			snprintf(err, errlen, "'%s': '%s' (from '%s') is not INDEX/COUNT with a "
				 "COUNT above 0, e.g. \"{i}/{n}\"", key, s, tmpl);
			return -EINVAL;
		}
		spec->index = (uint32_t)idx;
		spec->of = (uint32_t)of;
		return 0;
	case CPUSET_EXACT:
		why[0] = '\0';
		if (cpuset__parse(s, &spec->cpus, why, sizeof(why))) {
			snprintf(err, errlen, "'%s': '%s' (from '%s'): %s", key, s, tmpl, why);
			return -EINVAL;
		}
		if (cpuset__empty(&spec->cpus)) {
			snprintf(err, errlen, "'%s': '%s' (from '%s') is empty", key, s, tmpl);
			return -EINVAL;
		}
		return 0;
	case CPUSET_RANGE:
		break;
	}
	snprintf(err, errlen, "'%s' takes no {i} or {n} (llc, numa, disjoint, overlap and cpus do)",
		 key);
	return -EINVAL;
}

/* ---- which parts need work ---- */

static bool works_counted(const struct work *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (w[i].workers_expr)
			return true;
	return false;
}

static bool defs_counted(const struct cgroup_def *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (d[i].repeat || works_counted(d[i].works, d[i].nworks))
			return true;
	return false;
}

static bool ops_counted(const struct op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ops[i].work.workers_expr)
			return true;
	return false;
}

bool scenario__has_counts(const struct scenario *sc)
{
	if (sc->workers_expr || defs_counted(sc->cgroups, sc->ncgroups))
		return true;
	for (size_t s = 0; s < sc->nsteps; s++)
		if (defs_counted(sc->steps[s].cgroups, sc->steps[s].ncgroups) ||
		    ops_counted(sc->steps[s].ops, sc->steps[s].nops))
			return true;
	return false;
}

/* ---- the copy ---- */

/*
 * Cgroups in all sections together: a plan holds at most PLAN_MAX_BYTES
 * (4 MiB), a cgroup with its work about 100 bytes of it. Also bounds the
 * copy's memory, whatever the repeats multiply.
 */
#define INST_MAX_CGROUPS 16384

struct builder {
	struct scenario_inst *in;
	struct count_vars vars;
	char topo[TOPOLOGY_NAME_MAX];
	size_t ncgroups;		/* made so far, all sections */
};

__attribute__((format(printf, 3, 4)))
static int fail(struct builder *b, struct src_loc loc, const char *fmt, ...)
{
	va_list ap;

	b->in->loc = loc;
	va_start(ap, fmt);
	vsnprintf(b->in->why, sizeof(b->in->why), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int oom(struct builder *b, struct src_loc loc)
{
	fail(b, loc, "out of memory");
	return -ENOMEM;
}

/* Evaluate count @e (of key @what) into 1..@max, @max @unit at most. */
static int count(struct builder *b, const struct count_expr *e, struct src_loc loc,
		 const char *what, int64_t max, const char *unit, uint32_t *out)
{
	char err[96];
	int64_t v;

	if (count_expr__eval(e, &b->vars, &v, err, sizeof(err)))
		return fail(b, loc, "'%s': count expression '%s' %s on %s", what, e->text, err,
			    b->topo);
	if (v < 1)
		return fail(b, loc, "'%s': count expression '%s' is %" PRId64 " on %s; a count "
			    "must be at least 1", what, e->text, v, b->topo);
	if (v > max)
		return fail(b, loc, "'%s': count expression '%s' is %" PRId64 " on %s; at most "
			    "%" PRId64 " %s", what, e->text, v, b->topo, max, unit);
	*out = (uint32_t)v;
	return 0;
}

static int works(struct builder *b, const struct work *w, size_t n, struct work **out)
{
	struct work *copy;
	int ret;

	if (!works_counted(w, n)) {
		*out = (struct work *)w;	/* shared with the template, never written */
		return 0;
	}
	copy = arena__calloc(&b->in->arena, n, sizeof(*copy));
	if (!copy)
		return oom(b, w->loc);
	for (size_t i = 0; i < n; i++) {
		copy[i] = w[i];
		if (!w[i].workers_expr)
			continue;
		ret = count(b, w[i].workers_expr, w[i].workers_loc, "workers", PLAN_MAX_WORKERS,
			    "workers in a work group", &copy[i].workers);
		if (ret)
			return ret;
		copy[i].workers_expr = NULL;
	}
	*out = copy;
	return 0;
}

/* Copy @k of @n of repeated entry @d into @cg. */
static int one_copy(struct builder *b, const struct cgroup_def *d, uint32_t k, uint32_t n,
		    struct cgroup_def *cg)
{
	char name[256], err[256];	/* no longer than the template's 128 */

	if (scenario_tmpl__subst(d->name, k, n, name, sizeof(name), err, sizeof(err)))
		return fail(b, d->loc, "cgroup '%s': name %s", d->name, err);
	cg->name = arena__strdup(&b->in->arena, name);
	if (!cg->name)
		return oom(b, d->loc);
	if (d->has_cpuset && d->cpuset_tmpl &&
	    scenario_tmpl__cpuset(&cg->cpuset, d->cpuset_tmpl, k, n, err, sizeof(err)))
		return fail(b, d->cpuset_loc.line ? d->cpuset_loc : d->loc, "cgroup '%s': %s",
			    name, err);
	cg->repeat = NULL;
	cg->cpuset_tmpl = NULL;
	return 0;
}

/* The cgroups of a section (the backdrop, or step @step from 1) expanded. */
static int cgroups(struct builder *b, const struct cgroup_def *defs, size_t n, size_t step,
		   struct cgroup_def **out, size_t *nout)
{
	uint32_t reps[PLAN_MAX_CGROUPS];	/* with a repeat, n <= PLAN_MAX_CGROUPS */
	struct cgroup_def *copy;
	size_t total = 0, o = 0;
	bool repeated = false;
	int ret;

	*out = (struct cgroup_def *)defs;
	*nout = n;
	if (!defs_counted(defs, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		repeated |= defs[i].repeat != NULL;
	if (repeated && n > PLAN_MAX_CGROUPS)
		return fail(b, defs[PLAN_MAX_CGROUPS].loc, "more than %d cgroups in %s",
			    PLAN_MAX_CGROUPS, step ? "one step" : "the backdrop");
	for (size_t i = 0; i < n && repeated; i++) {
		reps[i] = 1;
		if (defs[i].repeat) {
			ret = count(b, defs[i].repeat, defs[i].repeat_loc, "repeat",
				    PLAN_MAX_CGROUPS, "cgroups in a step or the backdrop",
				    &reps[i]);
			if (ret)
				return ret;
		}
		total += reps[i];
		if (total > PLAN_MAX_CGROUPS) {
			char where[32];

			snprintf(where, sizeof(where), step ? "step %zu" : "the backdrop", step);
			return fail(b, defs[i].repeat ? defs[i].repeat_loc : defs[i].loc,
				    "%s has more than %d cgroups on %s (the plan's limit)",
				    where, PLAN_MAX_CGROUPS, b->topo);
		}
	}
	if (!repeated)
		total = n;
	b->ncgroups += total;
	if (b->ncgroups > INST_MAX_CGROUPS)
		return fail(b, defs[0].loc, "more than %d cgroups in all on %s, more than a plan "
			    "holds", INST_MAX_CGROUPS, b->topo);
	copy = arena__calloc(&b->in->arena, total, sizeof(*copy));
	if (!copy)
		return oom(b, defs[0].loc);
	for (size_t i = 0; i < n; i++) {
		struct work *w;

		ret = works(b, defs[i].works, defs[i].nworks, &w);
		if (ret)
			return ret;
		for (uint32_t k = 0; k < (repeated ? reps[i] : 1); k++) {
			copy[o] = defs[i];
			copy[o].works = w;
			if (defs[i].repeat) {
				ret = one_copy(b, &defs[i], k, reps[i], &copy[o]);
				if (ret)
					return ret;
			}
			o++;
		}
	}
	*out = copy;
	*nout = total;
	return 0;
}

static int ops(struct builder *b, const struct op *src, size_t n, struct op **out)
{
	struct op *copy;
	struct work *w;
	int ret;

	*out = (struct op *)src;
	if (!ops_counted(src, n))
		return 0;
	copy = arena__calloc(&b->in->arena, n, sizeof(*copy));
	if (!copy)
		return oom(b, src[0].loc);
	for (size_t i = 0; i < n; i++) {
		copy[i] = src[i];
		if (!src[i].work.workers_expr)
			continue;
		ret = works(b, &src[i].work, 1, &w);
		if (ret)
			return ret;
		copy[i].work = *w;
	}
	*out = copy;
	return 0;
}

int scenario_inst__init(struct scenario_inst *in, const struct scenario *sc,
			const struct topology *t)
{
	struct builder b = { .in = in };
	struct scenario *copy;
	int ret;

	memset(in, 0, sizeof(*in));
	in->sc = sc;
	if (!scenario__has_counts(sc))
		return 0;
	count_vars__of(t, &b.vars);
	topology__format(t, b.topo);
	copy = arena__alloc(&in->arena, sizeof(*copy));
	if (!copy)
		return oom(&b, sc->loc);
	*copy = *sc;
	if (sc->workers_expr) {
		ret = count(&b, sc->workers_expr, sc->workers_loc, "workers", PLAN_MAX_WORKERS,
			    "workers in a work group", &copy->workers);
		if (ret)
			return ret;
		copy->workers_expr = NULL;
	}
	ret = cgroups(&b, sc->cgroups, sc->ncgroups, 0, &copy->cgroups, &copy->ncgroups);
	if (ret)
		return ret;
	if (sc->nsteps) {
		copy->steps = arena__calloc(&in->arena, sc->nsteps, sizeof(*copy->steps));
		if (!copy->steps)
			return oom(&b, sc->loc);
	}
	for (size_t s = 0; s < sc->nsteps; s++) {
		struct step *st = &copy->steps[s];

		*st = sc->steps[s];
		ret = cgroups(&b, sc->steps[s].cgroups, sc->steps[s].ncgroups, s + 1, &st->cgroups,
			      &st->ncgroups);
		if (!ret)
			ret = ops(&b, sc->steps[s].ops, sc->steps[s].nops, &st->ops);
		if (ret)
			return ret;
	}
	in->sc = copy;
	return 0;
}

void scenario_inst__free(struct scenario_inst *in)
{
	arena__free(&in->arena);
	in->sc = NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Works (type, parameters and the keys every work takes) and the cgroups
 * that hold them.
 */
#include <stdio.h>
#include <string.h>

#include "scenario_load_int.h"
#include "base/units.h"

/* ---- works ---- */

static const char *const common_keys[W_COMMON] = {
	"workers", "policy", "nice", "affinity", "mem_policy", "mpol_flags", "swappable",
};

/* Where each common key of a work was given, for conflicts and late checks. */
struct work_src {
	const yaml_node_t *key[W_COMMON];
	const yaml_node_t *val[W_COMMON];
};

static void work_common(struct load_ctx *c, int k, const yaml_node_t *v, struct work *w)
{
	int64_t nice;

	switch (k) {
	case W_WORKERS:
		load__count(c, v, "workers", LOAD_MAX_WORKERS, &w->workers, &w->workers_expr,
			    &w->workers_loc);
		break;
	case W_POLICY:
		load__policy(c, v, &w->policy);
		break;
	case W_NICE:
		if (load__int(c, v, "nice", -20, 19, &nice)) {
			w->nice = (int32_t)nice;
			w->has_nice = true;
		}
		break;
	case W_AFFINITY:
		load__affinity(c, v, &w->affinity);
		break;
	case W_MEM_POLICY:
		load__mem_policy(c, v, &w->mem_policy);
		break;
	case W_MPOL_FLAGS:
		load__mpol_flags(c, v, &w->mem_policy.flags);
		break;
	case W_SWAPPABLE:
		load__bool(c, v, "swappable", &w->swappable);
		break;
	}
}

/* Checks that need several keys, after all of them are in. */
static void work_finish(struct load_ctx *c, const struct work_src *src, struct work *w)
{
	uint32_t f = w->mem_policy.flags;
	const yaml_node_t *at = src->val[W_MPOL_FLAGS];
	enum mem_policy_kind k = w->mem_policy.kind;

	if (!f || !at)
		return;
	if ((f & MPOL_FLAG_STATIC_NODES) && (f & MPOL_FLAG_RELATIVE_NODES))
		load__err(c, at, "mpol_flags static-nodes and relative-nodes cannot be combined");
	if (k == MEMPOL_DEFAULT || k == MEMPOL_LOCAL)
		load__err(c, at, "mpol_flags need a mem_policy with nodes (bind, preferred, interleave, ...), not '%s'",
			  mem_policy_kind__name(k));
	else if ((f & MPOL_FLAG_NUMA_BALANCING) && k != MEMPOL_BIND && k != MEMPOL_PREFERRED_MANY)
		load__err(c, at, "mpol flag numa-balancing works only with bind or preferred_many, not '%s'",
			  mem_policy_kind__name(k));
}

void load__work_default(struct work *w, const struct src_loc *loc)
{
	const struct work_type_desc *d = workload__desc(WORK_CPU_SPIN);

	memset(w, 0, sizeof(*w));
	w->type = d->type;
	if (loc)
		w->loc = *loc;
}

static bool work_type(struct load_ctx *c, const yaml_node_t *n, struct work *w)
{
	const struct work_type_desc *d;
	const char *const *names;
	size_t nnames;
	char hint[128];
	const char *s = load__scalar(c, n, "type");

	if (!s)
		return false;
	d = workload__find(s);
	if (!d) {
		char list[400];
		size_t o = 0;

		names = workload__names(&nnames);
		load__hint(c, s, names, nnames, hint, sizeof(hint));
		if (hint[0]) {
			load__err(c, n, "unknown work type %s%s", load__show(c, n), hint);
			return false;
		}
		list[0] = '\0';
		for (size_t i = 0; i < nnames && o < sizeof(list); i++)
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "",
					      names[i]);
		load__err(c, n, "unknown work type %s (expected %s)", load__show(c, n), list);
		return false;
	}
	w->type = d->type;
	for (size_t i = 0; i < d->nparams; i++)
		w->params[i] = d->params[i].def;
	return true;
}

static void format_size(uint64_t b, char *buf, size_t len)
{
	static const char *const u[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int i = 0;

	while (i < 4 && b && b % 1024 == 0) {
		b /= 1024;
		i++;
	}
	snprintf(buf, len, "%llu%s", (unsigned long long)b, u[i]);
}

static void work_param(struct load_ctx *c, const yaml_node_t *n, const struct work_param_desc *p,
		       int64_t *out)
{
	char lo[32], hi[32], got[32];
	uint64_t v;

	switch (p->kind) {
	case PARAM_COUNT:
		load__int(c, n, p->name, p->min, p->max, out);
		return;
	case PARAM_DURATION:
		if (!load__duration(c, n, p->name, &v))
			return;
		if (v < (uint64_t)p->min || v > (uint64_t)p->max) {
			units__format_duration((uint64_t)p->min, lo, sizeof(lo));
			units__format_duration((uint64_t)p->max, hi, sizeof(hi));
			units__format_duration(v, got, sizeof(got));
			load__err(c, n, "'%s' must be between %s and %s, got %s", p->name, lo, hi, got);
			return;
		}
		break;
	case PARAM_SIZE:
		if (!load__size(c, n, p->name, &v))
			return;
		if (v < (uint64_t)p->min || v > (uint64_t)p->max) {
			format_size((uint64_t)p->min, lo, sizeof(lo));
			format_size((uint64_t)p->max, hi, sizeof(hi));
			format_size(v, got, sizeof(got));
			load__err(c, n, "'%s' must be between %s and %s, got %s", p->name, lo, hi, got);
			return;
		}
		break;
	}
	*out = (int64_t)v;
}

static const char *const phase_names[] = { "spin", "sleep", "yield", "io", NULL };
static const struct keyset phase_ks = { "sequence phase", phase_names };

static void phases(struct load_ctx *c, const yaml_node_t *n, struct work *w)
{
	size_t len;

	if (!load__seq(c, n, "phases", &len, false))
		return;
	w->phases = load__array(c, n, len, sizeof(*w->phases));
	if (!w->phases)
		return;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);
		struct seq_phase *ph = &w->phases[w->nphases];
		struct mapiter it;
		int k;

		if (!item)
			return;
		if (!mapiter__init(&it, c, item, &phase_ks, "phase"))
			continue;
		if (it.n != 1) {
			load__err(c, item, "a phase is a map with one key, e.g. {spin: 10ms}; got %zu keys",
				  it.n);
			continue;
		}
		while ((k = mapiter__next(&it)) >= 0) {
			ph->kind = (enum seq_phase_kind)k;
			if (!load__duration(c, it.val, phase_names[k], &ph->duration_ns))
				continue;
			if (!ph->duration_ns) {
				load__err(c, it.val, "phase '%s' must last longer than 0", phase_names[k]);
				continue;
			}
			w->nphases++;
		}
	}
}

/* Parse a work into @w, recording where common keys were given in @src. */
static bool work_parse(struct load_ctx *c, const yaml_node_t *n, struct work *w,
		       struct work_src *src)
{
	const char *keys[LOAD_MAX_KEYS];
	const struct work_type_desc *d;
	const yaml_node_t *type = NULL;
	struct keyset ks;
	struct mapiter it;
	char what[64];
	int errs = c->errs, k, nk = 0;

	memset(src, 0, sizeof(*src));
	load__work_default(w, NULL);
	w->loc = load__loc(c, n);
	if (ytree__kind(n) == YNODE_SCALAR)
		return work_type(c, n, w);
	if (ytree__kind(n) != YNODE_MAP) {
		load__err(c, n, "a work must be a type name such as cpu-spin or a map with 'type', got %s",
			  load__show(c, n));
		return false;
	}
	/* The keys a work takes depend on its type: find the type first. */
	for (size_t i = 0; i < ytree__map_len(n); i++) {
		yaml_node_t *key, *val;
		const char *s;

		if (!ytree__map_at(c->t, n, i, &key, &val))
			break;
		s = ytree__scalar(key, NULL);
		if (s && !strcmp(s, "type")) {
			type = val;
			break;
		}
	}
	if (!type) {
		load__err(c, n, "work has no 'type' (e.g. {type: bursty, burst: 50ms})");
		return false;
	}
	if (!work_type(c, type, w))
		return false;
	d = workload__desc(w->type);
	keys[nk++] = "type";
	for (int i = 0; i < W_COMMON; i++)
		keys[nk++] = common_keys[i];
	for (size_t i = 0; i < d->nparams; i++)
		keys[nk++] = d->params[i].name;
	if (w->type == WORK_SEQUENCE)
		keys[nk++] = "phases";
	if (w->type == WORK_EXEC)
		keys[nk++] = "argv";
	keys[nk] = NULL;
	snprintf(what, sizeof(what), "work type '%s'", d->name);
	ks = (struct keyset){ what, keys };
	if (!mapiter__init(&it, c, n, &ks, "work"))
		return false;
	while ((k = mapiter__next(&it)) >= 0) {
		const char *key = keys[k];

		if (k == 0)
			continue;
		if (k <= W_COMMON) {
			src->key[k - 1] = it.key;
			src->val[k - 1] = it.val;
			work_common(c, k - 1, it.val, w);
		} else if (!strcmp(key, "phases")) {
			phases(c, it.val, w);
		} else if (!strcmp(key, "argv")) {
			w->argv = load__str_list(c, it.val, "argv", &w->argc, false, NULL);
			if (w->argv && w->argc && !w->argv[0][0])
				load__err(c, it.val, "'argv' must start with a program name");
		} else {
			int p = workload__param_index(d, key);

			work_param(c, it.val, &d->params[p], &w->params[p]);
		}
	}
	if (w->type == WORK_SEQUENCE && !mapiter__seen(&it, nk - 1))
		load__err(c, n, "work type 'sequence' needs 'phases', e.g. phases: [{spin: 10ms}, {sleep: 5ms}]");
	if (w->type == WORK_EXEC && !mapiter__seen(&it, nk - 1))
		load__err(c, n, "work type 'exec' needs 'argv', e.g. argv: [schbench, -m, 2]");
	return c->errs == errs;
}

bool load__work(struct load_ctx *c, const yaml_node_t *n, struct work *w)
{
	struct work_src src;
	int errs = c->errs;

	work_parse(c, n, w, &src);
	work_finish(c, &src, w);
	return c->errs == errs;
}

void load__work_with_keys(struct load_ctx *c, const yaml_node_t *n, const yaml_node_t *at,
			   const yaml_node_t *const keys[W_COMMON],
			   const yaml_node_t *const vals[W_COMMON], struct work *w)
{
	struct work_src src;
	struct src_loc loc = load__loc(c, at);

	if (n) {
		work_parse(c, n, w, &src);	/* on errors, go on: the keys may have theirs */
	} else {
		memset(&src, 0, sizeof(src));
		load__work_default(w, &loc);
	}
	for (int k = 0; k < W_COMMON; k++) {
		if (!vals[k])
			continue;
		if (src.val[k]) {
			load__err(c, keys[k],
				  "'%s' is given both here and in the work (line %u, column %u); keep one",
				  common_keys[k], ytree__line(src.key[k]), ytree__col(src.key[k]));
			continue;
		}
		src.key[k] = keys[k];
		src.val[k] = vals[k];
		work_common(c, k, vals[k], w);
	}
	work_finish(c, &src, w);
}

/* ---- cgroups ---- */

enum { CG_NAME, CG_CPUSET, CG_WORK, CG_WORKS, CG_REPEAT, CG_COMMON,
       CG_COUNT = CG_COMMON + W_COMMON };

static const char *const cgroup_keys[] = {
	"name", "cpuset", "work", "works", "repeat",
	"workers", "policy", "nice", "affinity", "mem_policy", "mpol_flags", "swappable", NULL,
};
static const struct keyset cgroup_ks = { "cgroup", cgroup_keys };

static bool cgroup(struct load_ctx *c, const yaml_node_t *n, struct cgroup_def *cg)
{
	const yaml_node_t *keys[CG_COUNT] = { 0 }, *vals[CG_COUNT] = { 0 };
	struct mapiter it;
	int errs = c->errs, k;

	cg->loc = load__loc(c, n);
	if (!mapiter__init(&it, c, n, &cgroup_ks, "cgroup"))
		return false;
	while ((k = mapiter__next(&it)) >= 0) {
		keys[k] = it.key;
		vals[k] = it.val;
	}
	if (!vals[CG_NAME])
		load__err(c, n, "cgroup has no 'name'");
	/* The name, with the {i} of a repeated entry (scenario_load_count.c). */
	load__cgroup_counts(c, vals[CG_NAME], vals[CG_REPEAT], cg);
	if (vals[CG_CPUSET]) {
		cg->cpuset_loc = load__loc(c, vals[CG_CPUSET]);
		cg->has_cpuset = load__cpuset_tmpl(c, vals[CG_CPUSET], &cg->cpuset,
						   &cg->cpuset_tmpl);
		if (cg->cpuset_tmpl && !vals[CG_REPEAT])
			load__err(c, vals[CG_CPUSET], "{i} and {n} in a cpuset need 'repeat' on "
				  "the cgroup, e.g. repeat: \"usable\"");
	}
	if (vals[CG_WORK] && vals[CG_WORKS]) {
		struct work scratch;

		load__err(c, keys[CG_WORKS],
			  "'work' and 'works' cannot both be given; use 'works' for several "
			  "groups");
		load__work(c, vals[CG_WORK], &scratch);	/* for its own errors */
	}
	if (vals[CG_WORKS]) {
		size_t len;

		for (k = CG_COMMON; k < CG_COUNT; k++)
			if (keys[k])
				load__err(c, keys[k],
					  "'%s' on a cgroup applies to its single 'work'; with 'works', put it inside each work",
					  cgroup_keys[k]);
		if (!load__seq(c, vals[CG_WORKS], "works", &len, false))
			return false;
		cg->works = load__array(c, vals[CG_WORKS], len, sizeof(*cg->works));
		if (!cg->works)
			return false;
		for (size_t i = 0; i < len; i++) {
			const yaml_node_t *item = ytree__seq_at(c->t, vals[CG_WORKS], i);

			if (!item)
				break;
			load__work(c, item, &cg->works[cg->nworks++]);
		}
		return c->errs == errs;
	}
	cg->works = load__array(c, n, 1, sizeof(*cg->works));
	if (!cg->works)
		return false;
	cg->nworks = 1;
	load__work_with_keys(c, vals[CG_WORK], n, keys + CG_COMMON, vals + CG_COMMON,
			     &cg->works[0]);
	return c->errs == errs;
}

void load__cgroups(struct load_ctx *c, const yaml_node_t *n, struct cgroup_def **out,
		   size_t *count)
{
	size_t len;

	*out = NULL;
	*count = 0;
	if (!load__seq(c, n, "cgroups", &len, true))
		return;
	*out = load__array(c, n, len, sizeof(**out));
	if (!*out)
		return;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);

		if (!item)
			break;
		if (ytree__kind(item) != YNODE_MAP) {
			load__err(c, item, "each cgroup must be a map with a 'name', got %s",
				  load__show(c, item));
			continue;
		}
		cgroup(c, item, &(*out)[(*count)++]);
	}
}

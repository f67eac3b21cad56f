// SPDX-License-Identifier: GPL-2.0
/*
 * Gauntlet expansion: scenarios (by name) x presets (table order) x flag
 * profiles (mask order), then the shard cut. Nothing here depends on the
 * order of files on the command line or of a directory listing.
 */
#include "gauntlet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "scenario/scenario_skip.h"
#include "scenario/scenario_validate.h"

#define MAX_PRESETS 64

struct sorted_sc {
	const struct scenario *sc;
	size_t idx;			/* position in the set, to break ties */
};

static int sorted_sc__cmp(const void *a, const void *b)
{
	const struct sorted_sc *x = a, *y = b;
	int r = strcmp(x->sc->name, y->sc->name);

	if (r)
		return r;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static const char *sc_file(const struct scenario *sc)
{
	if (sc->loc.file)
		return sc->loc.file;
	return sc->file ? sc->file : "<input>";
}

/* The set's scenarios sorted by name; NULL after an error. */
static struct sorted_sc *sort_scenarios(const struct scenario_set *set, char *err, size_t errlen)
{
	struct sorted_sc *v = calloc(set->n ? set->n : 1, sizeof(*v));

	if (!v) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < set->n; i++) {
		v[i].sc = set->items[i];
		v[i].idx = i;
		if (!v[i].sc->name || !v[i].sc->sched) {
			snprintf(err, errlen, "scenario %zu of the set was not validated", i + 1);
			free(v);
			return NULL;
		}
	}
	qsort(v, set->n, sizeof(*v), sorted_sc__cmp);
	for (size_t i = 1; i < set->n; i++) {
		const struct scenario *a = v[i - 1].sc, *b = v[i].sc;

		if (strcmp(a->name, b->name))
			continue;
		snprintf(err, errlen, "scenario '%s' is defined twice: %s:%u and %s:%u", a->name,
			 sc_file(a), a->loc.line, sc_file(b), b->loc.line);
		free(v);
		return NULL;
	}
	return v;
}

static void preset_suggest(const char *name, const struct topo_preset *tab, size_t n, char *buf,
			   size_t len)
{
	const char *names[MAX_PRESETS];
	const char *pick;

	for (size_t i = 0; i < n; i++)
		names[i] = tab[i].name;
	pick = diag__suggest(name, names, n);
	if (pick) {
		snprintf(buf, len, "; did you mean '%s'?", pick);
		return;
	}
	size_t off = (size_t)snprintf(buf, len, " (known presets:");

	for (size_t i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : " ", names[i]);
	if (off < len)
		snprintf(buf + off, len - off, ")");
}

/* Mark the presets --presets selects (all when none given). */
static int select_presets(const struct gauntlet_opts *o, const struct topo_preset *tab, size_t n,
			  bool *sel, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		sel[i] = !o->presets || !o->npresets;
	for (size_t j = 0; o->presets && j < o->npresets; j++) {
		size_t i;

		for (i = 0; i < n; i++)
			if (!strcmp(tab[i].name, o->presets[j]))
				break;
		if (i == n) {
			char hint[1024];

			preset_suggest(o->presets[j], tab, n, hint, sizeof(hint));
			snprintf(err, errlen, "unknown preset '%s'%s", o->presets[j], hint);
			return -EINVAL;
		}
		sel[i] = true;
	}
	return 0;
}

static bool scenario_wants_preset(const struct scenario *sc, const char *name)
{
	const struct gauntlet_spec *g = &sc->gauntlet;

	if (g->all_presets || !g->npresets)
		return true;
	for (size_t i = 0; i < g->npresets; i++)
		if (!strcmp(g->presets[i], name))
			return true;
	return false;
}

static bool host_is_zero(const struct host_capacity *h)
{
	return !h->unlimited && !h->cpus && !h->llc_groups && !h->max_cpus_per_llc;
}

/* ---- --flags ---- */

/* "default" names the profile without flags (as profiles are printed). */
/*
 * "required" names each scenario's own smallest profile: the flags it
 * requires and no other (what `ktstr run` runs), one variant per preset.
 */
static bool is_required_sel(const struct gauntlet_opts *o)
{
	return o->flags && o->nflags == 1 && !strcmp(o->flags[0], "required");
}

static bool is_default(const char *name)
{
	return !strcmp(name, "default");
}

/* Is @name a flag of any scenario's scheduler? Collects candidates for hints. */
static bool flag_known(const struct sorted_sc *v, size_t n, const char *name, const char **cands,
		       size_t *ncands, size_t maxc)
{
	for (size_t i = 0; i < n; i++) {
		const struct sched_def *d = v[i].sc->sched;

		if (sched_def__flag_index(d, name) >= 0)
			return true;
		for (size_t f = 0; f < d->nflags && *ncands < maxc; f++)
			cands[(*ncands)++] = d->flags[f].name;
	}
	return false;
}

static int check_flag_names(const struct gauntlet_opts *o, const struct sorted_sc *v, size_t n,
			    char *err, size_t errlen)
{
	for (size_t j = 0; j < o->nflags; j++) {
		const char *cands[256];
		size_t ncands = 0;
		const char *pick;

		if (is_default(o->flags[j]) || is_required_sel(o) ||
		    flag_known(v, n, o->flags[j], cands, &ncands, 256))
			continue;
		pick = diag__suggest(o->flags[j], cands, ncands);
		snprintf(err, errlen,
			 "unknown flag '%s' in --flags: no scheduler of these scenarios has it%s%s%s",
			 o->flags[j], pick ? "; did you mean '" : "", pick ? pick : "",
			 pick ? "'?" : "");
		return -EINVAL;
	}
	return 0;
}

/*
 * The --flags profile for @sc's scheduler in @m. Returns 1 when it applies
 * to @sc, 0 when @sc is skipped (its scheduler lacks a flag, or the scenario
 * requires or excludes otherwise), -EINVAL when the profile itself is
 * invalid (a flag without its requirement).
 */
static int flags_profile(const struct gauntlet_opts *o, const struct scenario *sc,
			 flag_mask req, flag_mask exc, flag_mask *m, char *err, size_t errlen)
{
	const struct sched_def *d = sc->sched;
	flag_mask all = ((flag_mask)1 << d->nflags) - 1;

	*m = 0;
	for (size_t j = 0; j < o->nflags; j++) {
		int idx = sched_def__flag_index(d, o->flags[j]);

		if (idx < 0 && is_default(o->flags[j]))
			continue;
		if (idx < 0)
			return 0;
		*m |= (flag_mask)1 << idx;
	}
	if (sched_profiles__expand(d, *m, all & ~*m, NULL, 0) != 1) {
		for (size_t i = 0; i < d->nflags; i++) {
			const struct sched_flag *f = &d->flags[i];

			if (!(*m & ((flag_mask)1 << i)))
				continue;
			for (size_t r = 0; r < f->nrequires; r++) {
				int idx = sched_def__flag_index(d, f->requires[r]);

				if (idx < 0 || !(*m & ((flag_mask)1 << idx))) {
					snprintf(err, errlen,
						 "--flags: flag '%s' of scheduler '%s' requires '%s'; add it",
						 f->name, d->name, f->requires[r]);
					return -EINVAL;
				}
			}
		}
		snprintf(err, errlen, "--flags: not a valid profile of scheduler '%s'", d->name);
		return -EINVAL;
	}
	return (*m & req) == req && !(*m & exc);
}

/* ---- the variant list ---- */

#define NAME_MAX_LEN (sizeof(((struct variant *)0)->name) - 1)

/* A profile's name, computed once per scenario rather than once per variant. */
struct prof_name {
	char s[sizeof(((struct variant *)0)->name)];
	size_t len;
};

static int grow(struct variant_list *out, char *err, size_t errlen)
{
	size_t cap = out->cap ? out->cap * 2 : 256;
	struct variant *items = realloc(out->items, cap * sizeof(*items));

	if (!items) {
		snprintf(err, errlen, "out of memory expanding the gauntlet");
		return -ENOMEM;
	}
	out->items = items;
	out->cap = cap;
	return 0;
}

/* Append "PREFIX" + profile name, where @prefix is "scenario/preset/". */
static int push_variant(struct variant_list *out, const struct scenario *sc,
			const struct topo_preset *p, const char *prefix, size_t plen, flag_mask m,
			const struct prof_name *pn, char *err, size_t errlen)
{
	struct variant *v;

	if (plen + pn->len > NAME_MAX_LEN) {
		snprintf(err, errlen, "variant name '%s/%s/%s' is longer than %zu characters",
			 sc->name, p->name, pn->s, NAME_MAX_LEN);
		return -ENAMETOOLONG;
	}
	if (out->n == out->cap && grow(out, err, errlen))
		return -ENOMEM;
	v = &out->items[out->n++];
	memcpy(v->name, prefix, plen);
	memcpy(v->name + plen, pn->s, pn->len + 1);
	v->scenario = sc;
	v->preset = p;
	v->profile = m;
	return 0;
}

/*
 * A skipped variant's profile is what the scenario asked for: its required
 * flags joined by '+' ("borrow+rebal"), or "default".
 */
static void skip_profile_name(const struct scenario *sc, struct prof_name *pn)
{
	size_t off = 0;

	pn->s[0] = '\0';
	for (size_t i = 0; i < sc->nflags_required && off < sizeof(pn->s); i++)
		off += (size_t)snprintf(pn->s + off, sizeof(pn->s) - off, "%s%s", i ? "+" : "",
					sc->flags_required[i]);
	if (!sc->nflags_required)
		snprintf(pn->s, sizeof(pn->s), "default");
	pn->len = strnlen(pn->s, sizeof(pn->s) - 1);
	pn->s[pn->len] = '\0';
}

struct expand_ctx {
	const struct gauntlet_opts *o;
	char sched_skip[160];		/* the current scenario's scheduler cannot run it */
	char topo_skip[160];		/* the current preset lacks what it requires */
	const struct topo_preset *tab;
	size_t ntab;
	const bool *sel;
	struct host_capacity host;
	bool host_dropped[MAX_PRESETS];
	flag_mask *profiles;		/* room for 1 << SCHED_MAX_FLAGS */
	struct prof_name *pnames;	/* their names */
	size_t cap_pnames;
	struct variant_list *out;
	char *err;
	size_t errlen;
};

static int name_profiles(struct expand_ctx *x, const struct sched_def *d, size_t np)
{
	if (np > x->cap_pnames) {
		struct prof_name *p = realloc(x->pnames, np * sizeof(*p));

		if (!p) {
			snprintf(x->err, x->errlen, "out of memory");
			return -ENOMEM;
		}
		x->pnames = p;
		x->cap_pnames = np;
	}
	for (size_t k = 0; k < np; k++) {
		sched_profile__name(d, x->profiles[k], x->pnames[k].s, sizeof(x->pnames[k].s));
		x->pnames[k].len = strlen(x->pnames[k].s);
	}
	return 0;
}

/* A max_ bound below what `requires:` asks rises to it: such a scenario wants bigger presets. */
static struct topo_constraints lifted_constraints(const struct scenario *sc)
{
	struct topo_constraints c = sc->gauntlet.constraints;
	const struct scenario_requires *r = &sc->requires;

	if (c.max_numa_nodes && c.max_numa_nodes < r->min_numa)
		c.max_numa_nodes = r->min_numa;
	if (c.max_llcs && c.max_llcs < r->min_llcs)
		c.max_llcs = r->min_llcs;
	if (c.max_cpus && c.max_cpus < r->min_cpus)
		c.max_cpus = r->min_cpus;
	return c;
}

/*
 * Preset @i of the table is kept for @sc (and marks host drops). A kept
 * preset that lacks what @sc requires leaves the reason in x->topo_skip.
 */
static bool preset_kept(struct expand_ctx *x, const struct scenario *sc, size_t i)
{
	const struct topo_preset *p = &x->tab[i];
	struct topo_constraints c = lifted_constraints(sc);
	bool named = (x->o->presets && x->o->npresets) ||
		     (!sc->gauntlet.all_presets && sc->gauntlet.npresets);

	x->topo_skip[0] = '\0';
	if (!x->sel[i] || !scenario_wants_preset(sc, p->name) ||
	    !topo_constraints__accept(&c, &p->topo))
		return false;
	if (!x->host.unlimited && !host_capacity__fits(&x->host, &p->topo)) {
		x->host_dropped[i] = true;
		return false;
	}
	if (scenario__topology_unmet(sc, &p->topo, x->topo_skip, sizeof(x->topo_skip)))
		return named;
	return !scenario__fits_topology(sc, &p->topo, NULL, 0);
}

/*
 * @sc's profiles into x->profiles: how many (0: none, the scenario has no
 * variant), or -errno.
 */
static long scenario_profiles(struct expand_ctx *x, const struct scenario *sc)
{
	const struct sched_def *d = sc->sched;
	flag_mask req, exc;
	long np;

	x->sched_skip[0] = '\0';
	if (scenario__sched_unmet(sc, d, x->sched_skip, sizeof(x->sched_skip))) {
		/* One skipped variant per preset, named by the required flags. */
		x->profiles[0] = 0;
		return 1;
	}
	if (d->flags_unknown) {
		/* Not learned (check, list run no binary): its default profile only. */
		x->profiles[0] = 0;
		return 1;
	}
	if (scenario__flag_masks(sc, d, &req, &exc, NULL)) {
		snprintf(x->err, x->errlen,
			 "scenario '%s' names flags its scheduler lacks; validate it first",
			 sc->name);
		return -EINVAL;
	}
	if (is_required_sel(x->o)) {
		flag_mask all = ((flag_mask)1 << d->nflags) - 1;

		/* Valid when the required flags carry their own requirements. */
		if (sched_profiles__expand(d, req, all & ~req, NULL, 0) != 1)
			return 0;
		x->profiles[0] = req;
		np = 1;
	} else if (x->o->flags) {
		int r = flags_profile(x->o, sc, req, exc, &x->profiles[0], x->err, x->errlen);

		if (r <= 0)
			return r;
		np = 1;
	} else {
		np = sched_profiles__expand(d, req, exc, x->profiles, (size_t)1 << SCHED_MAX_FLAGS);
		if (np <= 0)
			return 0;
	}
	return np;
}

/* How many variants @sc expands to (nothing allocated), or -errno. */
static long count_scenario(struct expand_ctx *x, const struct scenario *sc)
{
	long np = scenario_profiles(x, sc), n = 0;

	if (np <= 0)
		return np;
	for (size_t i = 0; i < x->ntab; i++)
		if (preset_kept(x, sc, i))
			n += np;
	return n;
}

static int expand_scenario(struct expand_ctx *x, const struct scenario *sc)
{
	long np = scenario_profiles(x, sc);

	if (np <= 0)
		return (int)np;
	if (name_profiles(x, sc->sched, (size_t)np))
		return -ENOMEM;
	if (x->sched_skip[0])
		skip_profile_name(sc, &x->pnames[0]);
	for (size_t i = 0; i < x->ntab; i++) {
		const struct topo_preset *p = &x->tab[i];
		char prefix[sizeof(((struct variant *)0)->name) + 1];
		int plen;

		if (!preset_kept(x, sc, i))
			continue;
		plen = snprintf(prefix, sizeof(prefix), "%s/%s/", sc->name, p->name);
		if (plen < 0 || (size_t)plen >= sizeof(prefix))
			plen = (int)sizeof(prefix) - 1;	/* too long: push_variant says so */
		for (long k = 0; k < np; k++) {
			int r = push_variant(x->out, sc, p, prefix, (size_t)plen, x->profiles[k],
					     &x->pnames[k], x->err, x->errlen);

			if (r)
				return r;
			snprintf(x->out->items[x->out->n - 1].skip,
				 sizeof(x->out->items[x->out->n - 1].skip), "%s",
				 x->sched_skip[0] ? x->sched_skip : x->topo_skip);
		}
	}
	return 0;
}

static void shard_cut(struct variant_list *out, unsigned k, unsigned n)
{
	size_t w = 0;

	if (!n)
		return;
	for (size_t i = 0; i < out->n; i++)
		if (i % n == k - 1)
			out->items[w++] = out->items[i];
	out->n = w;
}

static int check_shard(unsigned k, unsigned n, char *err, size_t errlen)
{
	if (!k && !n)
		return 0;
	if (!k || !n || k > n) {
		snprintf(err, errlen, "bad shard %u/%u: K must be in 1..N", k, n);
		return -EINVAL;
	}
	return 0;
}

/* Count every variant first: refuse more than the limit before allocating any. */
static int check_count(struct expand_ctx *x, const struct gauntlet_opts *o,
		       const struct sorted_sc *v, size_t n)
{
	size_t limit = o->max_variants ? o->max_variants : GAUNTLET_MAX_VARIANTS;
	unsigned long long total = 0, worst = 0;
	const char *worst_name = "";

	for (size_t i = 0; i < n; i++) {
		long c = count_scenario(x, v[i].sc);

		if (c < 0)
			return (int)c;
		total += (unsigned long long)c;
		if ((unsigned long long)c > worst) {
			worst = (unsigned long long)c;
			worst_name = v[i].sc->name;
		}
	}
	if (total <= limit)
		return 0;
	snprintf(x->err, x->errlen,
		 "the gauntlet expands to %llu variants, more than the limit of %zu ('%s' alone "
		 "gives %llu); narrow it with --presets or --flags, or raise the limit with "
		 "--max-variants N", total, limit, worst_name, worst);
	return -E2BIG;
}

int gauntlet__expand(const struct scenario_set *set, const struct gauntlet_opts *opts,
		     struct variant_list *out, char *err, size_t errlen)
{
	struct gauntlet_opts o = { 0 };
	struct expand_ctx x = { .o = &o, .out = out, .err = err, .errlen = errlen };
	bool sel[MAX_PRESETS];
	struct sorted_sc *v = NULL;
	int r;

	if (errlen)
		err[0] = '\0';
	out->n = 0;
	out->filtered_host = 0;
	if (opts)
		o = *opts;
	x.tab = topo_presets(&x.ntab);
	if (x.ntab > MAX_PRESETS)
		x.ntab = MAX_PRESETS;

	r = check_shard(o.shard_index, o.shard_count, err, errlen);
	if (!r)
		r = select_presets(&o, x.tab, x.ntab, sel, err, errlen);
	if (r)
		return r;
	x.sel = sel;
	x.host = o.host;
	if (host_is_zero(&x.host) && host_capacity__detect(&x.host)) {
		snprintf(err, errlen,
			 "cannot read the host's CPU topology from sysfs; pass --host-cpus N or --overcommit");
		return -ENODEV;
	}
	v = sort_scenarios(set, err, errlen);
	if (!v)
		return -EINVAL;
	if (o.flags) {
		r = check_flag_names(&o, v, set->n, err, errlen);
		if (r)
			goto out;
	}
	x.profiles = malloc(((size_t)1 << SCHED_MAX_FLAGS) * sizeof(*x.profiles));
	if (!x.profiles) {
		snprintf(err, errlen, "out of memory");
		r = -ENOMEM;
		goto out;
	}
	r = check_count(&x, &o, v, set->n);
	for (size_t i = 0; i < set->n && !r; i++)
		r = expand_scenario(&x, v[i].sc);
	if (r)
		goto out;
	for (size_t i = 0; i < x.ntab; i++)
		out->filtered_host += x.host_dropped[i];
	shard_cut(out, o.shard_index, o.shard_count);
out:
	if (r)
		out->n = 0;
	free(x.profiles);
	free(x.pnames);
	free(v);
	return r;
}

void variant_list__free(struct variant_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = l->cap = l->filtered_host = 0;
}

int gauntlet__parse_shard(const char *s, unsigned *k, unsigned *n, char *err, size_t errlen)
{
	unsigned long kk, nn;
	char *end;

	if (!s || *s < '0' || *s > '9')
		goto bad;
	errno = 0;
	kk = strtoul(s, &end, 10);
	if (errno || *end != '/' || end[1] < '0' || end[1] > '9')
		goto bad;
	nn = strtoul(end + 1, &end, 10);
	if (errno || *end)
		goto bad;
	if (!kk || !nn || kk > nn || nn > 1000000) {
		snprintf(err, errlen, "bad shard '%s': need K/N with 1 <= K <= N (e.g. 2/4)", s);
		return -EINVAL;
	}
	*k = (unsigned)kk;
	*n = (unsigned)nn;
	return 0;
bad:
	snprintf(err, errlen, "bad shard '%s': expected K/N, e.g. 2/4 for the second of four", s);
	return -EINVAL;
}

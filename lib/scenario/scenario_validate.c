// SPDX-License-Identifier: GPL-2.0
/*
 * Semantic validation of loaded scenarios: for each one, find its scheduler
 * (sched_def_find.c), check the definition and the flags asked for, resolve
 * the topology (scenario_resolve.c), walk the steps (scenario_walk.c), and
 * check the holds and the gauntlet block.
 */
#include "scenario_validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/units.h"
#include "scenario_skip.h"
#include "scenario_validate_int.h"

#define FRAC_EPSILON 1e-9

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
			vctx__report(c, STRUCTURAL, st->loc,
				     "step %zu never runs: step %zu loops until the end of the run",
				     s + 1, loop_step);
			loop_step = 0;	/* once is enough */
		}
		switch (h->kind) {
		case HOLD_FRAC:
			if (!(h->frac > 0) || !isfinite(h->frac)) {
				vctx__report(c, STRUCTURAL, st->loc,
					     "step %zu: hold must be > 0", s + 1);
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
				vctx__report(c, STRUCTURAL, st->loc,
					     "steps hold %g of the duration; at most 1", sum);
				frac_reported = true;
			}
			break;
		case HOLD_FIXED:
			if (!h->ns) {
				vctx__report(c, STRUCTURAL, st->loc,
					     "step %zu: hold must be > 0", s + 1);
				break;
			}
			total_ns += (double)h->ns;
			if (h->ns > dur) {
				units__format_duration(h->ns, a, sizeof(a));
				vctx__report(c, STRUCTURAL, st->loc,
					     "step %zu holds %s, longer than the duration %s",
					     s + 1, a, b);
				fixed_reported = true;
			}
			break;
		case HOLD_LOOP:
			if (!h->ns)
				vctx__report(c, STRUCTURAL, st->loc,
					     "step %zu: loop interval must be > 0", s + 1);
			loop_step = s + 1;
			break;
		}
	}
	if (!frac_reported && !fixed_reported && total_ns > (double)dur * (1.0 + FRAC_EPSILON)) {
		units__format_duration((uint64_t)total_ns, a, sizeof(a));
		vctx__report(c, STRUCTURAL, sc->nsteps ? sc->steps[sc->nsteps - 1].loc : sc->loc,
			     "steps hold %s in total, longer than the duration %s", a, b);
	}
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
			vctx__report(c, STRUCTURAL, def->loc,
				     "scheduler '%s' is defined twice (first at %s:%u:%u)",
				     def->name, validate__loc_file(o->loc), o->loc.line,
				     o->loc.col);
			break;
		}
	}
	if (def->nflags > SCHED_MAX_FLAGS) {
		vctx__report(c, STRUCTURAL, def->loc,
			     "scheduler '%s' declares %zu flags; at most %d", def->name,
			     def->nflags, SCHED_MAX_FLAGS);
		return;
	}
	for (size_t i = 0; i < def->nflags; i++) {
		const struct sched_flag *f = &def->flags[i];
		int first = sched_def__flag_index(def, f->name);

		if (first >= 0 && (size_t)first != i) {
			const struct sched_flag *o = &def->flags[first];

			vctx__report(c, STRUCTURAL, f->loc,
				     "flag '%s' is declared twice in scheduler '%s' (first at %s:%u:%u)",
				     f->name, def->name, validate__loc_file(o->loc), o->loc.line,
				     o->loc.col);
		}
		for (size_t r = 0; r < f->nrequires; r++) {
			if (sched_def__flag_index(def, f->requires[r]) >= 0)
				continue;
			suggest_flag(def, f->requires[r], hint, sizeof(hint));
			vctx__report(c, STRUCTURAL, f->loc,
				     "flag '%s' of scheduler '%s' requires '%s', which the scheduler does not declare%s",
				     f->name, def->name, f->requires[r], hint);
		}
	}
}

/*
 * Turn flag names into a mask; false after reporting an unknown one. A
 * built-in name the scheduler lacks is left out: not an error, a skip
 * (scenario_skip.h).
 */
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
		/* A built-in flag this scheduler does not offer: the scenario skips. */
		if (scenario__builtin_flag(names[i]))
			continue;
		ok = false;
		if (!def->nflags) {
			vctx__report(c, STRUCTURAL, c->sc->flags_loc,
				     "scheduler '%s' has no flags", def->name);
			break;
		}
		suggest_flag(def, names[i], hint, sizeof(hint));
		vctx__report(c, STRUCTURAL, c->sc->flags_loc,
			     "unknown flag '%s' for scheduler '%s'%s", names[i], def->name, hint);
	}
	return ok;
}

static void check_flags(struct vctx *c, const struct sched_def *def)
{
	const struct scenario *sc = c->sc;
	flag_mask req, exc;
	bool bad = false;

	if (def->flags_unknown)
		return;		/* the binary was not asked: nothing to check names against */
	if (!flag_names_mask(c, def, sc->flags_required, sc->nflags_required, &req) ||
	    !flag_names_mask(c, def, sc->flags_excluded, sc->nflags_excluded, &exc))
		return;
	for (size_t i = 0; i < def->nflags; i++) {
		if (!(req & exc & ((flag_mask)1 << i)))
			continue;
		vctx__report(c, STRUCTURAL, sc->flags_loc,
			     "flag '%s' is both required and excluded", def->flags[i].name);
		bad = true;
	}
	for (size_t i = 0; i < def->nflags && !bad; i++) {
		const struct sched_flag *f = &def->flags[i];

		if (!(req & ((flag_mask)1 << i)))
			continue;
		for (size_t r = 0; r < f->nrequires; r++) {
			int idx = sched_def__flag_index(def, f->requires[r]);

			if (idx >= 0 && (exc & ((flag_mask)1 << idx))) {
				vctx__report(c, STRUCTURAL, sc->flags_loc,
					     "flag '%s' requires '%s', which is excluded", f->name,
					     f->requires[r]);
				bad = true;
			}
		}
	}
	if (!bad && sched_profiles__expand(def, req, exc, NULL, 0) <= 0)
		vctx__report(c, STRUCTURAL, sc->flags_loc,
			     "the required and excluded flags leave no valid flag profile of scheduler '%s'",
			     def->name);
}

/* ---- the gauntlet block ---- */

static void check_minmax(struct vctx *c, const char *what, uint32_t min, uint32_t max)
{
	if (max && min > max)
		vctx__report(c, STRUCTURAL, c->sc->gauntlet.loc,
			     "gauntlet constraints: min_%s %u is larger than max_%s %u", what, min,
			     what, max);
}

static void check_gauntlet(struct vctx *c)
{
	const struct gauntlet_spec *g = &c->sc->gauntlet;
	char hint[160];

	for (size_t i = 0; i < g->npresets; i++) {
		if (topo_preset__find(g->presets[i]))
			continue;
		validate__preset_hint(g->presets[i], hint, sizeof(hint));
		vctx__report(c, STRUCTURAL, g->loc,
			     "unknown topology preset '%s'%s", g->presets[i], hint);
	}
	check_minmax(c, "numa_nodes", g->constraints.min_numa_nodes, g->constraints.max_numa_nodes);
	check_minmax(c, "llcs", g->constraints.min_llcs, g->constraints.max_llcs);
	check_minmax(c, "cpus", g->constraints.min_cpus, g->constraints.max_cpus);
}

/* ---- the set ---- */

static int validate_one(struct vstate *vs, struct scenario *sc)
{
	struct vctx c = { .sc = sc, .d = vs->d };
	const struct sched_def *def = validate__find_scheduler(vs, &c);

	validate__learn_flags(vs, &c, def);
	if (def) {
		check_def(vs, &c, def);
		check_flags(&c, def);
	}
	if (sc->watchdog_timeout_ns && def && def->eevdf)
		vctx__report(&c, STRUCTURAL, sc->watchdog_loc,
			     "'watchdog_timeout' is for a sched_ext scheduler; this scenario runs the "
			     "kernel's own (eevdf)");
	else if (sc->watchdog_timeout_ns && def && !def->watchdog_arg)
		vctx__report(&c, STRUCTURAL, sc->watchdog_loc,
			     "'watchdog_timeout': scheduler '%s' has no 'watchdog_arg' (its option that "
			     "sets ops.timeout_ms, e.g. watchdog_arg: \"--timeout-ms={ms}\")",
			     def->name);
	sc->sched = def ? def : sched_def__eevdf();
	c.t = validate__resolve_topology(&c, sc, def) ? &sc->topology : NULL;
	/* Its own topology lacks what it requires: it skips there, so only its structure is checked. */
	if (c.t && scenario__topology_unmet(sc, c.t, NULL, 0))
		c.t = NULL;
	validate__walk(&c);
	check_holds(&c);
	check_gauntlet(&c);
	return c.nerr;
}

/*
 * Scenario names are unique across the set: a variant's name, its results
 * directory and --json's lines are keyed by it, so check refuses what the
 * gauntlet would. The same file given twice is a repeat, not a clash (`run`
 * runs it twice and compare averages the two). Quadratic, but sets are files
 * given on one command line.
 */
static int check_unique_names(const struct scenario_set *set, struct diag_list *d)
{
	int nerr = 0;

	for (size_t i = 1; i < set->n; i++) {
		const struct scenario *b = set->items[i];

		for (size_t j = 0; b->name && j < i; j++) {
			const struct scenario *a = set->items[j];
			struct vctx c = { .d = d };

			if (!a->name || strcmp(a->name, b->name) ||
			    (a->loc.line == b->loc.line && a->loc.file && b->loc.file &&
			     !strcmp(a->loc.file, b->loc.file)))
				continue;
			vctx__report(&c, STRUCTURAL, b->loc,
				     "scenario name '%s' is already used at %s:%u; names must be "
				     "unique among the files given", b->name,
				     a->loc.file ? a->loc.file : "?", a->loc.line);
			nerr += c.nerr;
			break;
		}
	}
	return nerr;
}

int scenario_set__validate(struct scenario_set *set, struct diag_list *d)
{
	struct vstate vs = { .set = set, .d = d };
	int nerr = check_unique_names(set, d);

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

// SPDX-License-Identifier: GPL-2.0
/*
 * When a variant is skipped rather than run: the scenario's `requires:` that
 * its topology or scheduler lacks, or a required built-in flag (llc, borrow,
 * ...) its scheduler does not offer. A catalog scenario states what it needs
 * once, and every scheduler and topology that cannot host it reports a SKIP
 * with the reason instead of a failure or a vacuous pass.
 */
#include "scenario_skip.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

bool scenario__builtin_flag(const char *name)
{
	return name && sched_flags__builtin_find(name) != NULL;
}

static int names_mask(const struct sched_def *def, const char *const *names, size_t n,
		      flag_mask *out, const char **missing)
{
	*out = 0;
	for (size_t i = 0; i < n; i++) {
		int idx = def ? sched_def__flag_index(def, names[i]) : -1;

		if (idx >= 0) {
			*out |= (flag_mask)1 << idx;
			continue;
		}
		if (!scenario__builtin_flag(names[i]))
			return -EINVAL;
		if (missing && !*missing)
			*missing = names[i];
	}
	return 0;
}

int scenario__flag_masks(const struct scenario *sc, const struct sched_def *def, flag_mask *req,
			 flag_mask *exc, const char **missing)
{
	if (missing)
		*missing = NULL;
	if (names_mask(def, sc->flags_required, sc->nflags_required, req, missing))
		return -EINVAL;
	/* An excluded flag the scheduler lacks is never on: nothing to skip. */
	return names_mask(def, sc->flags_excluded, sc->nflags_excluded, exc, NULL);
}

static bool topo_short(char *why, size_t len, const struct topology *t, uint32_t need,
		       uint32_t has, const char *what)
{
	char topo[TOPOLOGY_NAME_MAX];

	if (has >= need)
		return false;
	if (!len)
		return true;
	topology__format(t, topo);
	snprintf(why, len, "needs >= %u %s (%s has %u)", need, what, topo, has);
	return true;
}

bool scenario__topology_unmet(const struct scenario *sc, const struct topology *t, char *why,
			      size_t len)
{
	const struct scenario_requires *r = &sc->requires;
	char topo[TOPOLOGY_NAME_MAX];

	if (topo_short(why, len, t, r->min_cpus, topology__total_cpus(t), "CPUs") ||
	    topo_short(why, len, t, r->min_llcs, t->llcs, "LLCs") ||
	    topo_short(why, len, t, r->min_numa, t->numa_nodes, "NUMA nodes"))
		return true;
	if (r->smt && !topology__has_smt(t)) {
		if (!len)
			return true;
		topology__format(t, topo);
		snprintf(why, len, "needs SMT (%s has 1 thread per core)", topo);
		return true;
	}
	return false;
}

bool scenario__sched_unmet(const struct scenario *sc, const struct sched_def *def, char *why,
			   size_t len)
{
	const char *missing = NULL;
	flag_mask req, exc;

	if (sc->requires.sched_ext && (!def || def->eevdf)) {
		snprintf(why, len, "needs a sched_ext scheduler (eevdf is the kernel's own)");
		return true;
	}
	if (!def || def->flags_unknown)
		return false;	/* flags not learned: nothing to judge them by */
	if (!scenario__flag_masks(sc, def, &req, &exc, &missing) && missing) {
		snprintf(why, len, "scheduler %s has no flag '%s'", def->name, missing);
		return true;
	}
	return false;
}

bool scenario__skip_reason(const struct scenario *sc, const struct topology *t, char *why,
			   size_t len)
{
	return scenario__sched_unmet(sc, sc->sched, why, len) ||
	       scenario__topology_unmet(sc, t, why, len);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Skips: a variant whose topology or scheduler lacks what its scenario
 * `requires:`, or whose scheduler does not offer a required built-in flag,
 * is reported as SKIP with the reason and never run (man 5 ktstr-scenario,
 * REQUIREMENTS).
 */
#ifndef KTSTR_SCENARIO_SKIP_H
#define KTSTR_SCENARIO_SKIP_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario.h"

/* @name is one of the built-in flag names (llc, borrow, steal, rebal, reject-pin, no-ctrl). */
bool scenario__builtin_flag(const char *name);

/*
 * @sc's required and excluded flags as masks over @def's flags. A built-in
 * flag @def does not declare is left out of the masks; the first such
 * required one is put in *@missing (NULL when none). Returns 0, or -EINVAL
 * for a name that is neither @def's nor built in (validation reports it).
 */
int scenario__flag_masks(const struct scenario *sc, const struct sched_def *def, flag_mask *req,
			 flag_mask *exc, const char **missing);

/* @t lacks what sc->requires asks ("needs >= 2 LLCs (1n1l4c1t has 1)" in @why). */
bool scenario__topology_unmet(const struct scenario *sc, const struct topology *t, char *why,
			      size_t len);
/* @def lacks what @sc asks: a sched_ext scheduler, or a required built-in flag. */
bool scenario__sched_unmet(const struct scenario *sc, const struct sched_def *def, char *why,
			   size_t len);
/* Either of the two, for @sc on @t under sc->sched (validated). */
bool scenario__skip_reason(const struct scenario *sc, const struct topology *t, char *why,
			   size_t len);

#endif

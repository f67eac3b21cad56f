/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --work-type TYPE of `ktstr run` and `ktstr gauntlet`: TYPE replaces the
 * work of every group marked `swappable: true` (run_opts.work_type, written
 * into the plan as plan_opts.work_type_override). Here: the name's check,
 * whether a variant takes it (for the JSON line), and the one stderr note
 * per run naming what it replaced nothing in.
 */
#ifndef KTSTR_WORK_OVERRIDE_H
#define KTSTR_WORK_OVERRIDE_H

#include <stdbool.h>
#include <stddef.h>

#include "run_opts.h"
#include "scenario/scenario.h"
#include "topo/topology.h"

/*
 * @arg, a work type that can replace a group, into @type (enum work_type).
 * Returns 0, or -1 after printing "ktstr CMD: --work-type ..." with the
 * names it takes: an unknown name, or sequence and exec, which need what a
 * swapped group does not have (phases, a command line).
 */
int work_override__parse(const char *arg, int *type, const char *cmd);

/* The name of @ro's --work-type when it replaces a group of @sc on @t, else NULL. */
const char *work_override__applied(const struct scenario *sc, const struct topology *t,
				   const struct run_opts *ro);

/* The scenarios (run) or scenario/preset pairs (gauntlet) it replaces nothing in. */
struct work_override_note {
	char text[768];
	size_t len;
	size_t n, shown;
	const struct scenario *last_sc;	/* the last checked ... */
	const struct topology *last_t;	/* ... on this topology */
	const struct scenario *none_sc;	/* the last one named for having no swappable group */
};

/*
 * Add @sc on @t (named @label: the scenario, or scenario/preset) to @n when
 * @ro's --work-type replaces none of its groups. Consecutive calls for the
 * same scenario and topology (profiles, kernels) count once; a scenario with
 * no swappable group at all is named once, without its preset.
 */
void work_override__check(struct work_override_note *n, const char *label,
			  const struct scenario *sc, const struct topology *t,
			  const struct run_opts *ro);

/* One line on stderr for the whole run, nothing when each took the override. */
void work_override__print(const struct work_override_note *n, const struct run_opts *ro,
			  const char *cmd);

#endif

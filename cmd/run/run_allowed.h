/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each cgroup's workers were allowed to run on over the whole run, for
 * the isolation check: the union of every cpuset the cgroup had (its own,
 * set_cpuset, swap_cpusets, and the cgroups whose tasks move_all_tasks or
 * move_tasks brought in); a moment without a cpuset lifts the constraint.
 */
#ifndef KTSTR_RUN_ALLOWED_H
#define KTSTR_RUN_ALLOWED_H

#include <stddef.h>

#include "scenario/scenario.h"
#include "scenario/scenario_inst.h"
#include "topo/topology.h"
#include "verdict/verdict.h"

struct run_allowed {
	struct cgroup_allowed *items;	/* malloc'd; names point into the scenario */
	size_t n;
	struct scenario_inst inst;	/* the scenario on the run's topology (its names) */
};

void run_allowed__build(const struct scenario *sc, const struct topology *t,
			struct run_allowed *a);
void run_allowed__free(struct run_allowed *a);

#endif

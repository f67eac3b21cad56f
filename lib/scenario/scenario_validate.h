/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Semantic checks of loaded scenarios: scheduler and flags resolved,
 * topology complete and valid, cpusets in range for it, cgroup names alive
 * where ops use them, worker counts that fit their work type.
 */
#ifndef KTSTR_SCENARIO_VALIDATE_H
#define KTSTR_SCENARIO_VALIDATE_H

#include "base/diag.h"
#include "scenario.h"

/*
 * Validate every scenario in @set, resolving sc->sched and sc->topology.
 * Scheduler names are looked up in set->scheds, then in
 * "<dir of the scenario file>/schedulers/NAME.yaml", which is loaded into
 * @set when found. Returns the number of errors added to @d.
 */
int scenario_set__validate(struct scenario_set *set, struct diag_list *d);

/*
 * Check @sc's cpusets, affinities and memory policies against another
 * topology (a gauntlet preset). Returns 0, or -EINVAL with the first
 * problem in @why ("cgroup 'cg1': Llc(1) out of range: topology has 1 LLCs").
 */
int scenario__fits_topology(const struct scenario *sc, const struct topology *t, char *why,
			    size_t len);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scenario on one topology: its count expressions evaluated and its
 * repeated cgroup entries expanded (ktstr-scenario(5), COUNTS). The walk
 * (validation on the scenario's own topology, the gauntlet's fits check on
 * a preset), the plan writer and the run's reports all work on the
 * instance, so they agree on every count and every cgroup name.
 *
 * A scenario without counts is its own instance: nothing is copied.
 */
#ifndef KTSTR_SCENARIO_INST_H
#define KTSTR_SCENARIO_INST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/diag.h"
#include "scenario.h"
#include "topo/cpuset_spec.h"
#include "topo/topology.h"

struct scenario_inst {
	const struct scenario *sc;	/* concrete: no expression, no repeat */
	struct arena arena;		/* the copy, when one was made */
	struct src_loc loc;		/* on failure: the count or cpuset at fault */
	char why[384];			/* on failure: "'workers': count expression ..." */
};

/* Does @sc hold a count expression or a repeat anywhere? */
bool scenario__has_counts(const struct scenario *sc);

/*
 * Make @sc concrete on @t into @in. Returns 0, or -EINVAL (a count below 1
 * or above the plan's limits, a division by zero, an overflow, a cpuset
 * that does not parse once its {i} is replaced) or -ENOMEM, with in->loc
 * and in->why. Call scenario_inst__free() either way.
 */
int scenario_inst__init(struct scenario_inst *in, const struct scenario *sc,
			const struct topology *t);
void scenario_inst__free(struct scenario_inst *in);

/* ---- the templates of a repeated entry ---- */

/*
 * @tmpl with "{i}" replaced by @i and "{n}" by @n, into @out. Returns 0, or
 * -EINVAL with @err for another "{...}" or an unclosed '{', -ENAMETOOLONG
 * when @out is too small.
 */
int scenario_tmpl__subst(const char *tmpl, uint32_t i, uint32_t n, char *out, size_t len,
			 char *err, size_t errlen);

/*
 * Fill @spec (its kind, and frac for overlap, already set) from the value
 * @tmpl of its key for copy @i of @n: the index of llc and numa, INDEX/COUNT
 * of disjoint and overlap, the CPU list of cpus. Returns 0 or -EINVAL with
 * @err ("'disjoint': '0/x' (from '{i}/x') is not INDEX/COUNT").
 */
int scenario_tmpl__cpuset(struct cpuset_spec *spec, const char *tmpl, uint32_t i, uint32_t n,
			  char *err, size_t errlen);

#endif

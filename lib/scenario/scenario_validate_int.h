/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the validator's files share: the context of one scenario's checks and
 * its reporting, the state kept over a whole set, and the pieces
 * scenario_validate.c calls (the walk over the steps, the resolution of the
 * topology, finding scheduler definitions).
 */
#ifndef KTSTR_SCENARIO_VALIDATE_INT_H
#define KTSTR_SCENARIO_VALIDATE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "scenario.h"
#include "topo/cpuset.h"
#include "topo/topology.h"

/* The checks of one scenario, or of one scenario against a topology (fits mode). */
struct vctx {
	const struct scenario *sc;
	const struct topology *t;	/* NULL when the topology is invalid */
	struct cpuset all_cpus;
	struct diag_list *d;		/* NULL: fits mode */
	char *why;			/* fits mode: the first problem */
	size_t whylen;
	int nerr;
	/*
	 * Walking an instance (scenario_inst.h): its names and counts depend on
	 * the topology, so in fits mode every problem is one of the topology.
	 */
	bool counted;
};

enum problem { STRUCTURAL, TOPOLOGICAL };

/*
 * scenario_validate_report.c: add a problem to c->d, or in fits mode keep
 * the first topological one in c->why.
 */
__attribute__((format(printf, 4, 5)))
void vctx__report(struct vctx *c, enum problem kind, struct src_loc loc, const char *fmt, ...);

/* Fits mode found its problem: nothing more to check. */
static inline bool vctx__fits_done(const struct vctx *c)
{
	return !c->d && c->nerr;
}

static inline const char *validate__loc_file(struct src_loc loc)
{
	return loc.file ? loc.file : "<input>";
}

/* A scheduler file looked for (sched_def_find.c). */
struct tried_file {
	char *path;
	bool failed;			/* it exists but did not load */
	bool loaded;			/* it loaded */
};

/* What scenario_set__validate() keeps over the whole set. */
struct vstate {
	struct scenario_set *set;
	struct diag_list *d;
	struct tried_file *tried;	/* scheduler files already looked for */
	size_t ntried;
	const struct sched_def **checked;	/* definitions already checked */
	size_t nchecked;
};

/*
 * scenario_walk.c: one pass over the backdrop and the steps as the agent
 * runs them: cgroup and program lifetimes, cpusets, affinities, memory
 * policies and works (c->t NULL: the topology-dependent checks are skipped).
 */
void validate__walk(struct vctx *c);

/* scenario_resolve.c: resolve sc->topology; true when it is valid. */
bool validate__resolve_topology(struct vctx *c, struct scenario *sc, const struct sched_def *def);
/* "; did you mean 'x'?" for an unknown topology preset @name, or "". */
void validate__preset_hint(const char *name, char *buf, size_t len);

/*
 * sched_def_find.c: the definition of c->sc's scheduler: inline, eevdf, in
 * the set, or loaded from "<dir of the scenario>/schedulers/NAME.yaml".
 * NULL after reporting why not.
 */
const struct sched_def *validate__find_scheduler(struct vstate *vs, struct vctx *c);
/* Learn @def's flags from its binary's --list-flags once, for `flags: from-binary`. */
void validate__learn_flags(struct vstate *vs, struct vctx *c, const struct sched_def *def);

#endif

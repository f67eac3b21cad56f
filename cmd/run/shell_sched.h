/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktstr shell's --topology and --scheduler S[:FLAG+FLAG...] made into the
 * one scenario run__variant boots: no cgroups, one step the agent never
 * runs (shell mode runs busybox instead), the topology, and the scheduler
 * found as a scenario's would be. S is eevdf, a definition (from
 * --schedulers files, else S.yaml in ./schedulers, ./scenarios/schedulers or
 * the caller's extra_dir), or else a bare
 * binary: S found as sched_find.h finds schedulers, or the path S, with no
 * arguments and no flags. FLAGS name the definition's flags, joined by '+'
 * (the gauntlet's profile names) or ','; a flag's requirements must be
 * among them.
 */
#ifndef KTSTR_SHELL_SCHED_H
#define KTSTR_SHELL_SCHED_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario/scenario.h"
#include "topo/topology.h"

struct shell_sched_opts {
	const char *topology;		/* --topology: "1n2l4c1t" or a preset; NULL: default */
	const char *sched;		/* --scheduler S[:FLAGS]; NULL: eevdf */
	const char **sched_files;	/* --schedulers FILE... */
	size_t nsched_files;
	const char *extra_dir;		/* a last folder of S.yaml files (the source tree's); NULL */
};

struct shell_sched {
	struct scenario_set set;	/* owns sc */
	bool loaded;
	const struct scenario *sc;	/* the scenario to boot (sc->topology resolved) */
	flag_mask profile;		/* run_opts.profile */
	char topo_name[TOPOLOGY_NAME_MAX];
	char label[192];		/* "eevdf", "scx-ktstr:short-slice" */
};

/*
 * Build @s from @o. 0, or -EINVAL with @err (definition errors are printed
 * to stderr as FILE:LINE:COLUMN lines first).
 */
int shell_sched__resolve(const struct shell_sched_opts *o, struct shell_sched *s, char *err,
			 size_t errlen);
void shell_sched__free(struct shell_sched *s);

/*
 * The flags @list ("a+b" or "a,b") of @d as a mask: 0, or -EINVAL with @err
 * naming an unknown flag (and the definition's flags) or a requirement left
 * out.
 */
int shell_sched__flags(const struct sched_def *d, const char *list, flag_mask *out, char *err,
		       size_t errlen);

#endif

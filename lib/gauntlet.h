/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Gauntlet expansion: every scenario x accepted topology preset x valid flag
 * profile, in one stable order that is the same on every machine, so that
 * --shard K/N over N machines covers each variant exactly once.
 */
#ifndef KTSTR_GAUNTLET_H
#define KTSTR_GAUNTLET_H

#include <stddef.h>

#include "scenario.h"
#include "scheduler.h"
#include "topology.h"

struct variant {
	const struct scenario *scenario;
	const struct topo_preset *preset;
	flag_mask profile;
	char name[192];			/* "scenario/preset/profile" */
};

struct gauntlet_opts {
	size_t sz;			/* sizeof(struct gauntlet_opts) */
	const char *const *presets;	/* NULL = the scenario's own choice */
	size_t npresets;
	const char *const *flags;	/* --flags: run only this profile */
	size_t nflags;
	struct host_capacity host;	/* zero = detect */
	unsigned shard_index;		/* 1-based K of --shard K/N; 0 = no sharding */
	unsigned shard_count;
};

struct variant_list {
	struct variant *items;
	size_t n, cap;
	size_t filtered_host;		/* presets dropped by the host-capacity filter */
};

/*
 * Expand @set (validated) into @out, sorted by scenario name, preset table
 * order, profile order, then cut to the shard. Returns 0 or -errno with a
 * message in @err (unknown preset or flag names, bad shard).
 */
int gauntlet__expand(const struct scenario_set *set, const struct gauntlet_opts *opts,
		     struct variant_list *out, char *err, size_t errlen);
void variant_list__free(struct variant_list *l);

/* Parse "K/N" (1 <= K <= N). */
int gauntlet__parse_shard(const char *s, unsigned *k, unsigned *n, char *err, size_t errlen);

#endif

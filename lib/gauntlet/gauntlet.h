/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room lib/gauntlet: a set of validated scenarios expanded into variants
 * (this header: presets x profiles, sharding, the host-capacity filter) and
 * the --budget selection among them (budget.h). It may include lib/base,
 * lib/topo, lib/wire, lib/verdict and lib/scenario.
 */

/*
 * Gauntlet expansion: every scenario x accepted topology preset x valid flag
 * profile, in one stable order that is the same on every machine, so that
 * --shard K/N over N machines covers each variant exactly once.
 */
#ifndef KTSTR_GAUNTLET_H
#define KTSTR_GAUNTLET_H

#include <stddef.h>

#include "scenario/scenario.h"
#include "scenario/scheduler.h"
#include "topo/topology.h"

struct variant {
	const struct scenario *scenario;
	const struct topo_preset *preset;
	flag_mask profile;
	char name[192];			/* "scenario/preset/profile" */
	/*
	 * Non-empty: report it as SKIP with this reason, run nothing: its
	 * scheduler lacks a required flag or a sched_ext need, or a preset
	 * asked for by name lacks what the scenario `requires:`.
	 */
	char skip[160];
};

struct gauntlet_opts {
	const char *const *presets;	/* NULL = the scenario's own choice */
	size_t npresets;
	const char *const *flags;	/* --flags: run only this profile */
	size_t nflags;
	struct host_capacity host;	/* zero = detect */
	unsigned shard_index;		/* 1-based K of --shard K/N; 0 = no sharding */
	unsigned shard_count;
	size_t max_variants;		/* 0 = GAUNTLET_MAX_VARIANTS */
};

/*
 * The most variants an expansion may produce unless raised (--max-variants):
 * a few flags over every preset multiply into millions, each about 200 bytes
 * before any VM runs. The count is taken before anything is allocated.
 */
#define GAUNTLET_MAX_VARIANTS 100000

struct variant_list {
	struct variant *items;
	size_t n, cap;
	size_t filtered_host;		/* presets dropped by the host-capacity filter */
};

/*
 * Expand @set (validated) into @out, sorted by scenario name, preset table
 * order, profile order, then cut to the shard. Returns 0 or -errno with a
 * message in @err (unknown preset or flag names, bad shard, two scenarios
 * of one name); @out is then empty.
 *
 * A preset is kept for a scenario when it is in the scenario's
 * gauntlet.presets (all when `all` or none), in opts->presets (when given),
 * accepted by the scenario's constraints (whose max_ bounds its `requires:`
 * min_ values lift), by the host capacity, by its `requires:` and by
 * scenario__fits_topology(). A preset named (in opts->presets or the
 * scenario's list) that lacks what `requires:` asks is kept as a skipped
 * variant (variant.skip says why) instead of dropped, so that a run on
 * chosen presets reports every scenario. So is every kept preset of a
 * scenario whose scheduler lacks a required built-in flag or is not the
 * sched_ext one it requires (scenario_skip.h); such a variant's profile is
 * named by the required flags. The host is opts->host, or the detected host
 * when opts->host is all zero (-ENODEV when it cannot be read).
 * out->filtered_host counts distinct presets the host filter dropped for at
 * least one scenario (before sharding).
 *
 * opts->flags (non-NULL, even with nflags 0) selects exactly one profile:
 * those flags; "default" names the profile without flags; "required" alone
 * selects, per scenario, the profile of exactly its required flags. A flag no
 * scheduler in the set declares is an error (with a did-you-mean), and so
 * is a set of flags that misses a requirement ("steal" without "llc") for a
 * scheduler that declares them all. A scenario whose scheduler lacks one of
 * the flags, or that requires a flag not given or excludes one given, is
 * skipped: it has no variant under that profile.
 *
 * Sharding keeps the variants whose index i in the full sorted list has
 * i % shard_count == shard_index - 1, so shards 1/N..N/N partition it.
 *
 * More variants than opts->max_variants (before sharding) is -E2BIG, with
 * the count and the way to narrow or raise it in @err; nothing is expanded.
 */
int gauntlet__expand(const struct scenario_set *set, const struct gauntlet_opts *opts,
		     struct variant_list *out, char *err, size_t errlen);
void variant_list__free(struct variant_list *l);

/* Parse "K/N" (1 <= K <= N). */
int gauntlet__parse_shard(const char *s, unsigned *k, unsigned *n, char *err, size_t errlen);

#endif

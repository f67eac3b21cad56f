/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers the subcommands share: loading scenario files, common options. */
#ifndef KTSTR_CLI_H
#define KTSTR_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "gauntlet/gauntlet.h"
#include "scenario/scenario.h"

/* Options every scenario-reading command takes. */
struct cli_inputs {
	const char **sched_files;	/* --schedulers FILE, repeatable */
	size_t nsched_files;
	const char **files;		/* scenario files */
	size_t nfiles;
	/*
	 * Run `flags: from-binary` schedulers' --list-flags while validating.
	 * Only commands that run the scheduler anyway (run, gauntlet), or with
	 * --learn-flags: check and list run nothing on the host by default.
	 */
	bool learn_flags;
	/* --scheduler NAME: every scenario runs under NAME instead of its own. */
	const char *sched_override;
};

/* --schedulers FILE: remember it. Returns 0 or -ENOMEM. */
int cli_inputs__add_sched(struct cli_inputs *in, const char *path);
void cli_inputs__free(struct cli_inputs *in);
/* --scheduler NAME (a name, not a path): 0, or -EINVAL after printing why. */
int cli_inputs__sched_override(struct cli_inputs *in, const char *name, const char *cmd);

/*
 * Load the scheduler files, then the scenario files (a directory stands for
 * every *.yaml under it, recursively, schedulers/ folders aside, in byte order
 * of the paths), then validate. Prints every error to stderr as
 * FILE:LINE:COLUMN: message. Returns the number of errors (0 = all valid).
 */
int cli__load(struct scenario_set *set, const struct cli_inputs *in);
/*
 * One stderr line per scheduler of @set whose `flags: from-binary` were not
 * asked for (cli_inputs.learn_flags off): what that leaves out, and how to
 * ask.
 */
void cli__note_unknown_flags(const struct scenario_set *set, const char *cmd);
/*
 * Remove what runs killed with SIGKILL left in $TMPDIR (tmpdir.h: only
 * directories whose owner is gone) and say so on stderr when there was any.
 */
void cli__clean_leftovers(const char *cmd);

/*
 * Options for gauntlet expansion shared by `list` and `gauntlet`:
 * --presets a,b  --flags a,b  --host-cpus N  --overcommit  --max-variants N
 * --shard K/N  --scheduler NAME.
 */
struct cli_expand {
	char *presets_arg;
	char *flags_arg;
	const char **presets;
	size_t npresets;
	const char **flags;
	size_t nflags;
	long host_cpus;			/* 0 = detect */
	bool overcommit;
	long max_variants;		/* 0 = GAUNTLET_MAX_VARIANTS */
	unsigned shard_k, shard_n;
};

/* getopt_long values of the options above; commands number their own from CLI_OPT_OWN. */
enum {
	CLI_OPT_SCHED = 256, CLI_OPT_PRESETS, CLI_OPT_FLAGS, CLI_OPT_HOST_CPUS,
	CLI_OPT_OVERCOMMIT, CLI_OPT_MAX_VARIANTS, CLI_OPT_LEARN_FLAGS, CLI_OPT_SHARD,
	CLI_OPT_SCHEDULER, CLI_OPT_OWN
};

/* The struct option entries of --schedulers and the expansion options. */
#define CLI_EXPAND_LONGOPTS \
	{ "schedulers", required_argument, NULL, CLI_OPT_SCHED }, \
	{ "presets", required_argument, NULL, CLI_OPT_PRESETS }, \
	{ "flags", required_argument, NULL, CLI_OPT_FLAGS }, \
	{ "host-cpus", required_argument, NULL, CLI_OPT_HOST_CPUS }, \
	{ "overcommit", no_argument, NULL, CLI_OPT_OVERCOMMIT }, \
	{ "max-variants", required_argument, NULL, CLI_OPT_MAX_VARIANTS }, \
	{ "learn-flags", no_argument, NULL, CLI_OPT_LEARN_FLAGS }, \
	{ "scheduler", required_argument, NULL, CLI_OPT_SCHEDULER }

/* The --help line of --scheduler, for every command that takes it. */
#define CLI_SCHEDULER_USAGE \
	"  --scheduler NAME   run every scenario under the scheduler NAME (eevdf, a\n" \
	"                     definition from --schedulers, or schedulers/NAME.yaml beside\n" \
	"                     the scenario or in its parent folder) instead of its own\n"

/*
 * Handle one of the CLI_EXPAND_LONGOPTS (and --shard when @shard). Returns 1
 * when @c was one of them, 0 when not, -1 after printing a usage error.
 */
int cli_expand__option(struct cli_inputs *in, struct cli_expand *e, int c, const char *arg,
		       bool shard, const char *cmd);

/*
 * Load and validate @in, then expand it with @e's options into @vl. Returns
 * EXIT_OK, EXIT_FAILED (invalid files, errors printed) or EXIT_USAGE (bad
 * options, message printed). @set must be initialised; the caller frees it.
 */
int cli__load_expand(const struct cli_inputs *in, struct cli_expand *e, struct scenario_set *set,
		     struct variant_list *vl, struct gauntlet_opts *opts, const char *cmd);

/* Parse a comma-separated list in place into @out (malloc'd array). */
int cli__split_list(char *arg, const char ***out, size_t *n);
/* Fill @opts from @e; returns 0 or EXIT_USAGE after printing why. */
int cli_expand__opts(struct cli_expand *e, struct gauntlet_opts *opts);
void cli_expand__free(struct cli_expand *e);
/* Parse a positive integer option value; prints an error naming @opt. */
int cli__parse_uint(const char *opt, const char *arg, long min, long max, long *out);

/* Explain an empty expansion caused by the host filter, on stderr. */
void cli__explain_host_filter(const struct variant_list *l, const struct gauntlet_opts *opts);

/*
 * Report the option getopt_long rejected (call with opterr = 0 and a ':'
 * leading the short-option string). Always returns EXIT_USAGE.
 */
int cli__bad_option(const char *cmd, int c, char **argv);

/*
 * The source tree's scenarios/ folder into @buf when this ktstr runs from its
 * build tree (<build>/cmd/ktstr with build.ninja one up): where `verifier` and
 * `shell` find the bundled scheduler definitions without a scenario file.
 * False for an installed ktstr.
 */
bool cli__source_scenarios(char *buf, size_t len);

#endif

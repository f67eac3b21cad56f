// SPDX-License-Identifier: GPL-2.0
/* ktstr check: load and validate scenario files; needs no kernel and no KVM. */
#include <getopt.h>
#include <stdio.h>

#include "verdict/checks.h"
#include "cli.h"
#include "cmd.h"
#include "scenario/scenario_inst.h"
#include "scenario/scenario_skip.h"

const char cmd_check_usage[] =
	"usage: ktstr check [--schedulers FILE]... [--thresholds[=PROFILE]] [--learn-flags] [-q]\n"
	"                   FILE|DIR...\n"
	"\n"
	"Load and validate scenario files (schema v1) without running anything: no kernel,\n"
	"no scheduler binary and no KVM are needed, so it fits editors and pre-commit hooks.\n"
	"\n"
	"A DIR stands for every *.yaml under it, recursively (schedulers/ folders aside).\n"
	"Prints one line per valid scenario. Otherwise prints every error as\n"
	"FILE:LINE:COLUMN: message and exits 1.\n"
	"\n"
	"Options:\n"
	"  --schedulers FILE  load scheduler definitions from FILE (repeatable); a scenario's\n"
	"                     'scheduler: NAME' is also looked up in schedulers/NAME.yaml\n"
	"                     next to the scenario file, then in its parent folder\n"
	CLI_SCHEDULER_USAGE
	"  --thresholds[=PROFILE]\n"
	"                     also print each scenario's merged check thresholds, one per\n"
	"                     line ('  key: value', 'none' when no layer sets it, 'off' when\n"
	"                     a layer disables it): the profile's defaults, then the\n"
	"                     scheduler's, then the scenario's; under both profiles\n"
	"                     (default and tcg), or only PROFILE\n"
	"  --learn-flags      run a 'flags: from-binary' scheduler's --list-flags (5 s at most)\n"
	"                     to check the scenarios' flag names; without it, check runs\n"
	"                     nothing on this host and says which flags it left unchecked\n"
	"  -q, --quiet        print nothing when all files are valid (--thresholds still prints\n"
	"                     the thresholds)\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 all valid, 1 errors found, 2 usage error.\n";

/* The cgroups on the scenario's own topology, repeated entries expanded. */
static size_t own_cgroups(const struct scenario *sc)
{
	struct scenario_inst in;
	const struct scenario *c = scenario_inst__init(&in, sc, &sc->topology) ? sc : in.sc;
	size_t n = c->ncgroups;

	for (size_t i = 0; i < c->nsteps; i++)
		n += c->steps[i].ncgroups;
	scenario_inst__free(&in);
	return n;
}

static void print_scenario(const struct scenario *sc)
{
	char topo[TOPOLOGY_NAME_MAX], why[160];
	size_t ncg = own_cgroups(sc);

	topology__format(&sc->topology, topo);
	printf("ok %s: %s [topo=%s] %zu cgroup%s, %zu step%s, scheduler %s%s", sc->file,
	       sc->name, topo, ncg, ncg == 1 ? "" : "s", sc->nsteps, sc->nsteps == 1 ? "" : "s",
	       sc->sched ? sc->sched->name : "?", sc->expect_fail ? ", expect fail" : "");
	/* Valid, but `run` would skip it: say so rather than let it look runnable. */
	if (scenario__skip_reason(sc, &sc->topology, why, sizeof(why)))
		printf(", skips: %s", why);
	putchar('\n');
}

/* "two_cgroups thresholds (tcg):" and one "  key: value" line per check. */
static void print_thresholds(const struct scenario *sc, enum threshold_profile p)
{
	struct checks c;
	char val[64];

	bool eevdf = !sc->sched || sc->sched->eevdf;

	checks__resolve(p, sc->sched ? &sc->sched->checks : NULL, &sc->checks, &c);
	printf("%s thresholds (%s):\n", sc->name, threshold_profile__name(p));
	for (unsigned id = 0; id < CHECK_COUNT; id++) {
		checks__format((enum check_id)id, &c.t[id], val, sizeof(val));
		printf("  %s: %s%s%s\n", checks__desc((enum check_id)id)->key, val,
		       !c.t[id].hardware_only ? "" :
		       c.waive_hardware_only ? " (hardware_only: waived)" : " (hardware_only)",
		       /* The host-side monitor judges sched_ext schedulers only. */
		       eevdf && checks__monitor((enum check_id)id) && c.t[id].state == TH_SET ?
		       " (not evaluated: the monitor judges sched_ext schedulers, not eevdf)" : "");
	}
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "schedulers", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "thresholds", optional_argument, NULL, 't' },
		{ "learn-flags", no_argument, NULL, 'L' },
		{ "scheduler", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	enum threshold_profile profile = THRESHOLDS_DEFAULT;
	bool thresholds = false, one_profile = false;
	struct cli_inputs in = { 0 };
	struct scenario_set set;
	bool quiet = false;
	int c, errors;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":q", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (cli_inputs__add_sched(&in, optarg))
				goto usage_err;
			break;
		case 'S':
			if (cli_inputs__sched_override(&in, optarg, "check"))
				goto usage_err;
			break;
		case 'q':
			quiet = true;
			break;
		case 'L':
			in.learn_flags = true;
			break;
		case 't':
			thresholds = true;
			if (optarg && threshold_profile__parse(optarg, &profile)) {
				fprintf(stderr, "ktstr check: --thresholds takes default or tcg, got "
					"'%s'\n", optarg);
				goto usage_err;
			}
			one_profile = optarg != NULL;
			break;
		default:
			cli__bad_option("check", c, argv);
			goto usage_err;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ktstr check: no scenario files given\n%s", cmd_check_usage);
		goto usage_err;
	}
	in.files = (const char **)argv + optind;
	in.nfiles = (size_t)(argc - optind);

	scenario_set__init(&set);
	errors = cli__load(&set, &in);
	if (!errors)
		cli__note_unknown_flags(&set, "check");
	for (size_t i = 0; !errors && i < set.n; i++) {
		if (!quiet)
			print_scenario(set.items[i]);
		for (unsigned p = 0; thresholds && p < THRESHOLDS_COUNT; p++)
			if (!one_profile || p == profile)
				print_thresholds(set.items[i], (enum threshold_profile)p);
	}
	if (errors)
		fprintf(stderr, "ktstr check: %d error%s\n", errors, errors == 1 ? "" : "s");
	scenario_set__free(&set);
	cli_inputs__free(&in);
	return errors ? EXIT_FAILED : EXIT_OK;

usage_err:
	cli_inputs__free(&in);
	return EXIT_USAGE;
}

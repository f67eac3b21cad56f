// SPDX-License-Identifier: GPL-2.0
/* ktstr check: load and validate scenario files; needs no kernel and no KVM. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "cmd.h"

const char cmd_check_usage[] =
	"usage: ktstr check [--schedulers FILE]... [-q] FILE...\n"
	"\n"
	"Load and validate scenario files (schema v1) without running anything: no kernel,\n"
	"no scheduler binary and no KVM are needed, so it fits editors and pre-commit hooks.\n"
	"\n"
	"Prints one line per valid scenario. Otherwise prints every error as\n"
	"FILE:LINE:COLUMN: message and exits 1.\n"
	"\n"
	"Options:\n"
	"  --schedulers FILE  load scheduler definitions from FILE (repeatable); a scenario's\n"
	"                     'scheduler: NAME' is also looked up in schedulers/NAME.yaml\n"
	"                     next to the scenario file\n"
	"  -q, --quiet        print nothing when all files are valid\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 all valid, 1 errors found, 2 usage error.\n";

static void print_scenario(const struct scenario *sc)
{
	char topo[TOPOLOGY_NAME_MAX];
	size_t ncg = sc->ncgroups;

	topology__format(&sc->topology, topo);
	for (size_t i = 0; i < sc->nsteps; i++)
		ncg += sc->steps[i].ncgroups;
	printf("ok %s: %s [topo=%s] %zu cgroup%s, %zu step%s, scheduler %s%s\n", sc->file,
	       sc->name, topo, ncg, ncg == 1 ? "" : "s", sc->nsteps, sc->nsteps == 1 ? "" : "s",
	       sc->sched ? sc->sched->name : "?", sc->expect_fail ? ", expect fail" : "");
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "schedulers", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
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
		case 'q':
			quiet = true;
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
	if (!errors && !quiet)
		for (size_t i = 0; i < set.n; i++)
			print_scenario(set.items[i]);
	if (errors)
		fprintf(stderr, "ktstr check: %d error%s\n", errors, errors == 1 ? "" : "s");
	scenario_set__free(&set);
	cli_inputs__free(&in);
	return errors ? EXIT_FAILED : EXIT_OK;

usage_err:
	cli_inputs__free(&in);
	return EXIT_USAGE;
}

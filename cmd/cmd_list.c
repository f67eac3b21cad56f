// SPDX-License-Identifier: GPL-2.0
/* ktstr list: each scenario with its topology, scheduler and variant count. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "base/json_out.h"
#include "out/term_text.h"
#include "scenario/scenario_skip.h"

const char cmd_list_usage[] =
	"usage: ktstr list [OPTIONS] FILE|DIR...\n"
	"\n"
	"Print each scenario's name, topology, scheduler, number of gauntlet variants and\n"
	"description, one per line.\n"
	"\n"
	"Options:\n"
	"  --json             one JSON object per scenario per line (JSON lines)\n"
	"  --schedulers FILE  load scheduler definitions from FILE (repeatable)\n"
	CLI_SCHEDULER_USAGE
	"  --presets A,B      count only these topology presets\n"
	"  --flags A,B        count only the profile with exactly these flags ('default'\n"
	"                     for none; 'required': each scenario's required flags)\n"
	"  --host-cpus N      count presets as if the host had N CPUs\n"
	"  --max-variants N   refuse to expand to more than N variants (default 100000)\n"
	"  --overcommit       count presets larger than this host too\n"
	"  --learn-flags      run 'flags: from-binary' schedulers' --list-flags to count their\n"
	"                     profiles (list runs nothing on this host without it)\n"
	"  -h, --help         show this help\n"
	"\n"
	"Variant counts apply the same filters as 'ktstr gauntlet' (see its --help),\n"
	"including the host-capacity filter.\n";

enum { OPT_JSON = CLI_OPT_OWN };

static size_t count_variants(const struct variant_list *l, const struct scenario *sc)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += l->items[i].scenario == sc;
	return n;
}

static void print_json(struct json_out *j, const struct scenario *sc, const struct variant_list *l)
{
	char topo[TOPOLOGY_NAME_MAX];
	char prof[256], cat[256];
	const char *missing = NULL;
	flag_mask req = 0, excl = 0;
	long nprof;

	scenario__category(sc, cat, sizeof(cat));
	/* Built-in flags its scheduler lacks are left out: such a scenario skips (no profile). */
	if (scenario__flag_masks(sc, sc->sched, &req, &excl, &missing) || missing)
		nprof = 0;
	else
		nprof = sched_profiles__expand(sc->sched, req, excl, NULL, 0);

	topology__format(&sc->topology, topo);
	json_out__object_begin(j);
	json_out__key(j, "name");
	json_out__string(j, sc->name);
	json_out__key(j, "file");
	json_out__string(j, sc->file);
	json_out__key(j, "category");
	json_out__string(j, cat);
	json_out__key(j, "description");
	json_out__string(j, sc->description);
	json_out__key(j, "topology");
	json_out__string(j, topo);
	json_out__key(j, "cpus");
	json_out__u64(j, topology__total_cpus(&sc->topology));
	json_out__key(j, "scheduler");
	json_out__string(j, sc->sched->name);
	json_out__key(j, "steps");
	json_out__u64(j, sc->nsteps);
	json_out__key(j, "expect_fail");
	json_out__bool(j, sc->expect_fail);
	json_out__key(j, "requires");
	json_out__object_begin(j);
	if (sc->requires.min_cpus) {
		json_out__key(j, "min_cpus");
		json_out__u64(j, sc->requires.min_cpus);
	}
	if (sc->requires.min_llcs) {
		json_out__key(j, "min_llcs");
		json_out__u64(j, sc->requires.min_llcs);
	}
	if (sc->requires.min_numa) {
		json_out__key(j, "min_numa");
		json_out__u64(j, sc->requires.min_numa);
	}
	if (sc->requires.smt) {
		json_out__key(j, "smt");
		json_out__bool(j, true);
	}
	if (sc->requires.sched_ext) {
		json_out__key(j, "sched_ext");
		json_out__bool(j, true);
	}
	json_out__object_end(j);
	json_out__key(j, "flags_required");
	json_out__array_begin(j);
	for (size_t i = 0; i < sc->nflags_required; i++)
		json_out__string(j, sc->flags_required[i]);
	json_out__array_end(j);
	json_out__key(j, "flags_excluded");
	json_out__array_begin(j);
	for (size_t i = 0; i < sc->nflags_excluded; i++)
		json_out__string(j, sc->flags_excluded[i]);
	json_out__array_end(j);
	json_out__key(j, "variants");
	json_out__u64(j, count_variants(l, sc));
	json_out__key(j, "profiles");
	json_out__array_begin(j);
	if (nprof > 0) {
		flag_mask *m = calloc((size_t)nprof, sizeof(*m));
		long got = m ? sched_profiles__expand(sc->sched, req, excl, m, (size_t)nprof) : 0;

		for (long i = 0; i < got; i++) {
			sched_profile__name(sc->sched, m[i], prof, sizeof(prof));
			json_out__string(j, prof);
		}
		free(m);
	}
	json_out__array_end(j);
	json_out__object_end(j);
	json_out__newline(j);
}

int cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		CLI_EXPAND_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cli_inputs in = { 0 };
	struct cli_expand ex = { 0 };
	struct gauntlet_opts opts;
	struct variant_list vl = { 0 };
	struct scenario_set set;
	bool json = false, loaded = false;
	int c, handled, ret = EXIT_USAGE;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		handled = cli_expand__option(&in, &ex, c, optarg, false, "list");
		if (handled < 0)
			goto out;
		if (handled)
			continue;
		switch (c) {
		case OPT_JSON:
			json = true;
			break;
		default:
			cli__bad_option("list", c, argv);
			goto out;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ktstr list: no scenario files given\n%s", cmd_list_usage);
		goto out;
	}
	in.files = (const char **)argv + optind;
	in.nfiles = (size_t)(argc - optind);
	scenario_set__init(&set);
	loaded = true;
	ret = cli__load_expand(&in, &ex, &set, &vl, &opts, "list");
	if (ret != EXIT_OK)
		goto out;

	if (json) {
		struct json_out j;

		json_out__init(&j, stdout);
		for (size_t i = 0; i < set.n; i++)
			print_json(&j, set.items[i], &vl);
	} else {
		char cat[256] = "", prev[256] = "";
		bool headings = false;
		int namew = 32;

		/* The name column fits the longest name (the catalog has some past 32). */
		for (size_t i = 0; i < set.n; i++) {
			size_t l = strlen(set.items[i]->name);

			if (l > (size_t)namew)
				namew = l > 64 ? 64 : (int)l;
		}

		/* Headings only when the scenarios come from more than one folder. */
		for (size_t i = 1; i < set.n && !headings; i++) {
			scenario__category(set.items[i - 1], prev, sizeof(prev));
			scenario__category(set.items[i], cat, sizeof(cat));
			headings = strcmp(prev, cat) != 0;
		}
		prev[0] = '\0';
		for (size_t i = 0; i < set.n; i++) {
			const struct scenario *sc = set.items[i];
			char topo[TOPOLOGY_NAME_MAX];

			/* The catalog's folders are its categories: a heading where one begins. */
			scenario__category(sc, cat, sizeof(cat));
			if (headings && (strcmp(cat, prev) || !i)) {
				printf("%s%s:\n", i ? "\n" : "", cat[0] ? cat : ".");
				snprintf(prev, sizeof(prev), "%s", cat);
			}
			topology__format(&sc->topology, topo);
			printf("%-*s %-12s %-12s %5zu variants  ", namew, sc->name, topo,
			       sc->sched->name, count_variants(&vl, sc));
			term_text__line(stdout, sc->description);
			putchar('\n');
		}
		fprintf(stderr, "%zu scenario%s, %zu variant%s\n", set.n, set.n == 1 ? "" : "s",
			vl.n, vl.n == 1 ? "" : "s");
	}
	cli__explain_host_filter(&vl, &opts);
	cli__note_unknown_flags(&set, "list");
	ret = EXIT_OK;
out:
	variant_list__free(&vl);
	if (loaded)
		scenario_set__free(&set);
	cli_expand__free(&ex);
	cli_inputs__free(&in);
	return ret;
}

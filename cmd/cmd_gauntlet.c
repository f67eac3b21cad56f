// SPDX-License-Identifier: GPL-2.0
/* ktstr gauntlet: every scenario x topology preset x flag profile. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "cmd.h"
#include "json_out.h"

const char cmd_gauntlet_usage[] =
	"usage: ktstr gauntlet --list [OPTIONS] FILE...\n"
	"\n"
	"Expand each scenario into its variants: every topology preset the scenario\n"
	"accepts x every valid flag profile of its scheduler. Variants are named\n"
	"scenario/preset/profile and listed in one stable order, the same on every\n"
	"machine given the same files and options.\n"
	"\n"
	"Options:\n"
	"  --list             print the variants, one per line (running them comes with\n"
	"                     the VM backends)\n"
	"  --json             one JSON object per variant per line (JSON lines)\n"
	"  --presets A,B      only these topology presets ('ktstr gauntlet --list' of a\n"
	"                     scenario with 'gauntlet: {presets: all}' shows them all)\n"
	"  --flags A,B        only the profile with exactly these flags ('default' for none)\n"
	"  --shard K/N        only the K-th of N equal shares of the list (1 <= K <= N);\n"
	"                     N machines running shards 1/N..N/N cover every variant once\n"
	"  --host-cpus N      treat the host as having N CPUs for the host-capacity filter\n"
	"  --overcommit       no host-capacity filter: keep presets larger than this host\n"
	"  --schedulers FILE  load scheduler definitions from FILE (repeatable)\n"
	"  -h, --help         show this help\n"
	"\n"
	"Host-capacity filter: by default a preset is dropped when it has more CPUs than\n"
	"this host, more LLCs than the host has LLC groups, or more CPUs per LLC than the\n"
	"host's largest LLC. Sharded CI jobs on unlike machines should pass --host-cpus\n"
	"or --overcommit so that every machine computes the same list.\n";

enum { OPT_LIST = CLI_OPT_OWN, OPT_JSON };

static void print_json(struct json_out *j, const struct variant *v)
{
	char topo[TOPOLOGY_NAME_MAX], prof[256];

	topology__format(&v->preset->topo, topo);
	sched_profile__name(v->scenario->sched, v->profile, prof, sizeof(prof));
	json_out__object_begin(j);
	json_out__key(j, "name");
	json_out__string(j, v->name);
	json_out__key(j, "scenario");
	json_out__string(j, v->scenario->name);
	json_out__key(j, "file");
	json_out__string(j, v->scenario->file);
	json_out__key(j, "preset");
	json_out__string(j, v->preset->name);
	json_out__key(j, "topology");
	json_out__string(j, topo);
	json_out__key(j, "cpus");
	json_out__u64(j, topology__total_cpus(&v->preset->topo));
	json_out__key(j, "scheduler");
	json_out__string(j, v->scenario->sched->name);
	json_out__key(j, "profile");
	json_out__string(j, prof);
	json_out__key(j, "flags");
	json_out__array_begin(j);
	for (size_t i = 0; i < v->scenario->sched->nflags; i++)
		if (v->profile & ((flag_mask)1 << i))
			json_out__string(j, v->scenario->sched->flags[i].name);
	json_out__array_end(j);
	json_out__object_end(j);
	json_out__newline(j);
}

int cmd_gauntlet(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "list", no_argument, NULL, OPT_LIST },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "shard", required_argument, NULL, CLI_OPT_SHARD },
		CLI_EXPAND_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cli_inputs in = { 0 };
	struct cli_expand ex = { 0 };
	struct gauntlet_opts opts;
	struct variant_list vl = { 0 };
	struct scenario_set set;
	bool list = false, json = false, loaded = false;
	int c, handled, ret = EXIT_USAGE;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		handled = cli_expand__option(&in, &ex, c, optarg, true, "gauntlet");
		if (handled < 0)
			goto out;
		if (handled)
			continue;
		switch (c) {
		case OPT_LIST:
			list = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		default:
			cli__bad_option("gauntlet", c, argv);
			goto out;
		}
	}
	if (!list) {
		fprintf(stderr, "ktstr gauntlet: only --list is available in this version; run "
				"single scenarios with 'ktstr run'\n");
		goto out;
	}
	if (optind >= argc) {
		fprintf(stderr, "ktstr gauntlet: no scenario files given\n%s", cmd_gauntlet_usage);
		goto out;
	}
	in.files = (const char **)argv + optind;
	in.nfiles = (size_t)(argc - optind);
	scenario_set__init(&set);
	loaded = true;
	ret = cli__load_expand(&in, &ex, &set, &vl, &opts, "gauntlet");
	if (ret != EXIT_OK)
		goto out;
	if (json) {
		struct json_out j;

		json_out__init(&j, stdout);
		for (size_t i = 0; i < vl.n; i++)
			print_json(&j, &vl.items[i]);
	} else {
		for (size_t i = 0; i < vl.n; i++)
			puts(vl.items[i].name);
	}
	if (ex.shard_n)
		fprintf(stderr, "%zu variant%s in shard %u/%u\n", vl.n, vl.n == 1 ? "" : "s",
			ex.shard_k, ex.shard_n);
	else
		fprintf(stderr, "%zu variant%s\n", vl.n, vl.n == 1 ? "" : "s");
	cli__explain_host_filter(&vl, &opts);
	ret = EXIT_OK;
out:
	variant_list__free(&vl);
	if (loaded)
		scenario_set__free(&set);
	cli_expand__free(&ex);
	cli_inputs__free(&in);
	return ret;
}

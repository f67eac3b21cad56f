// SPDX-License-Identifier: GPL-2.0
/* ktstr run: each scenario once, on its own topology, in its own VM. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cli.h"
#include "cmd.h"
#include "kernel/kernel_find.h"
#include "out/outputs.h"
#include "run_setup.h"
#include "run/outcome_run.h"
#include "run/run_host.h"
#include "run/run_report.h"
#include "run/run_variant.h"
#include "base/units.h"
#include "run/vmm_select.h"
#include "run/work_override.h"
#include "scenario/scenario_skip.h"

const char cmd_run_usage[] =
	"usage: ktstr run [OPTIONS] FILE|DIR...\n"
	"\n"
	"Run each scenario once, on its own topology, in its own virtual machine, and\n"
	"print one line per scenario:\n"
	"\n"
	"    PASS [  4.21s] two_cgroups [topo=1n2l4c1t]\n"
	"\n"
	"A failed scenario is followed by its report: the reasons, --- stats --- and\n"
	"--- diagnostics --- (how far the guest got, how the VM ended, the console tail).\n"
	"\n"
	"Options:\n"
	"  --kernel K         kernel to boot: an image, a build tree, a cache key or a version\n"
	"                     (default: $KTSTR_KERNEL, then the newest cached kernel; see\n"
	"                     'ktstr kernel build')\n"
	RUN_SETUP_USAGE
	"  --schedulers FILE  load scheduler definitions from FILE (repeatable)\n"
	CLI_SCHEDULER_USAGE
	"  --host             run on this machine's own kernel and scheduler, without a VM\n"
	"                     (root and cgroup v2; see HOST MODE in ktstr(1))\n"
	"  --host-cgroup DIR  the cgroup v2 directory --host runs under (default:\n"
	"                     $KTSTR_HOST_CGROUP, else the cgroup2 mount)\n"
	OUTPUTS_USAGE
	"  -v, --verbose      kernel log level 7 and the agent's log lines\n"
	"  -h, --help         show this help\n"
	"\n"
	"The report of a failed scenario (and of every one with -v) ends with\n"
	"--- timeline ---: each step's start, its ops, cgroups and workers live.\n"
	"\n"
	"A scenario whose topology or scheduler lacks what it requires (its requires:,\n"
	"or a built-in flag the scheduler does not offer) is not run: SKIP and the reason.\n"
	"\n"
	"Exit status: 0 all passed (or skipped), 1 any failed, 2 usage or setup error.\n";


static void print_line(FILE *out, const char *verdict, const struct run_result *res,
		       const struct scenario *sc)
{
	char topo[TOPOLOGY_NAME_MAX];

	topology__format(&sc->topology, topo);
	fprintf(out, "%4s [%7.2fs] %s [topo=%s]", verdict, res->ms_total / 1000.0, sc->name, topo);
	if (sc->sched && !sc->sched->eevdf)
		fprintf(out, " [sched=%s]", sc->sched->name);
	fputc('\n', out);
	/* hardware_only limits missed under TCG: shown, not failed (a report lists them too). */
	for (size_t i = 0; !strcmp(verdict, "PASS") && i < res->verdict.nwaived; i++)
		fprintf(out, "  waived (hardware_only, %s thresholds): %s\n", res->checks_profile,
			res->verdict.waived[i]);
	fflush(out);
}

/* A scenario its topology or scheduler cannot host (scenario_skip.h): not run, not passed. */
static void print_skip(FILE *out, const struct scenario *sc, const char *why)
{
	char topo[TOPOLOGY_NAME_MAX];

	topology__format(&sc->topology, topo);
	fprintf(out, "SKIP [%7.2fs] %s [topo=%s]", 0.0, sc->name, topo);
	if (sc->sched && !sc->sched->eevdf)
		fprintf(out, " [sched=%s]", sc->sched->name);
	fprintf(out, " (%s)\n", why);
	fflush(out);
}

static void record_skip(struct outputs *outs, const struct scenario *sc,
			const struct run_opts *ro, const char *why)
{
	struct outcome o;

	if (!outs)
		return;
	if (outcome__skipped(&o, sc, &sc->topology, NULL, NULL, NULL,
			     ro->kernel_label ? ro->kernel_label : ro->kernel, why)) {
		fprintf(stderr, "ktstr run: %s: out of memory for --json/--junit\n", sc->name);
		return;
	}
	outputs__variant(outs, &o, &(struct results_logs){ 0 });
	outcome__free(&o);
}

/* --json, --junit, --results-dir for one scenario. */
static void record(struct outputs *outs, const struct scenario *sc, const struct run_opts *ro,
		   const struct run_result *res)
{
	struct results_logs logs = outcome__logs_from_run(res);
	struct outcome o;

	if (!outs)
		return;
	if (outcome__from_run(&o, sc, &sc->topology, NULL, NULL, ro, res)) {
		fprintf(stderr, "ktstr run: %s: out of memory for --json/--junit\n", sc->name);
		return;
	}
	outputs__variant(outs, &o, &logs);
	outcome__free(&o);
}

/* --work-type: one note for the scenarios it replaces nothing in (skipped ones aside). */
static void note_work_type(const struct scenario_set *set, const struct run_opts *ro)
{
	struct work_override_note wn = { 0 };
	char why[160];

	for (size_t i = 0; ro->work_type >= 0 && i < set->n; i++) {
		const struct scenario *sc = set->items[i];

		if (!scenario__skip_reason(sc, &sc->topology, why, sizeof(why)))
			work_override__check(&wn, sc->name, sc, &sc->topology, ro);
	}
	work_override__print(&wn, ro, "run");
}

enum { RUN_OPT_HOST = 448, RUN_OPT_HOST_CGROUP };

/*
 * --host (run_host.h): no kernel to find and no VM to pick; the agent, the
 * default thresholds unless --thresholds, and the host's cgroup v2 tree.
 * Fills @kr with nothing and @label with this kernel's release.
 */
static int host_setup(struct run_setup *rs, struct run_opts *ro, const char *cgroup_dir,
		      struct run_host *rh, struct kfind_result *kr, char *label, size_t len)
{
	struct utsname u;
	char err[1024];

	memset(kr, 0, sizeof(*kr));
	kr->static_keys = -ENOENT;
	if (rs->nkernels) {
		fprintf(stderr, "ktstr run: --host runs this machine's own kernel; drop --kernel\n");
		return EXIT_USAGE;
	}
	if (run__find_agent(rs->agent, sizeof(rs->agent), err, sizeof(err)) ||
	    run_host__open(rh, cgroup_dir, rs->agent, "run", err, sizeof(err))) {
		fprintf(stderr, "ktstr run: %s\n", err);
		return EXIT_USAGE;
	}
	ro->agent = rs->agent;
	if (!rs->thresholds_given)
		ro->thresholds = THRESHOLDS_DEFAULT;	/* hardware, not TCG */
	snprintf(label, len, "%s", uname(&u) ? "host" : u.release);
	return 0;
}

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		RUN_SETUP_LONGOPTS,
		{ "schedulers", required_argument, NULL, CLI_OPT_SCHED },
		{ "scheduler", required_argument, NULL, CLI_OPT_SCHEDULER },
		{ "verbose", no_argument, NULL, 'v' },
		{ "host", no_argument, NULL, RUN_OPT_HOST },
		{ "host-cgroup", required_argument, NULL, RUN_OPT_HOST_CGROUP },
		OUTPUTS_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cli_inputs in = { 0 };
	struct run_setup rs;
	struct run_opts ro;
	struct kfind_result kr;
	struct outputs_opts oo = { 0 };
	struct outputs *outs = NULL;
	FILE *human = stdout;
	struct scenario_set set;
	bool loaded = false, started = false;
	char err[1024], klabel[160];
	unsigned passed = 0, failed = 0, skipped = 0;
	int c, ret = EXIT_USAGE;
	bool host = false;
	const char *host_cg = NULL;
	struct run_host rh;

	run_setup__init(&rs, &ro);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":v", longopts, NULL)) != -1) {
		switch (run_setup__option(&rs, &ro, c, optarg, "run")) {
		case 1:
			continue;
		case -1:
			goto out;
		}
		switch (c) {
		case CLI_OPT_SCHED:
			if (cli_inputs__add_sched(&in, optarg))
				goto out;
			break;
		case CLI_OPT_SCHEDULER:
			if (cli_inputs__sched_override(&in, optarg, "run"))
				goto out;
			break;
		case 'v':
			ro.verbose = true;
			break;
		case RUN_OPT_HOST:
			host = true;
			break;
		case RUN_OPT_HOST_CGROUP:
			host = true;
			host_cg = optarg;
			break;
		default:
			switch (outputs__option(&oo, c, optarg, "run")) {
			case 1:
				continue;
			case -1:
				goto out;
			}
			cli__bad_option("run", c, argv);
			goto out;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ktstr run: no scenario files given\n%s", cmd_run_usage);
		goto out;
	}
	in.files = (const char **)argv + optind;
	in.nfiles = (size_t)(argc - optind);
	in.learn_flags = true;	/* it runs the scheduler anyway */

	scenario_set__init(&set);
	loaded = true;
	if (cli__load(&set, &in)) {
		ret = EXIT_FAILED;
		goto out;
	}
	note_work_type(&set, &ro);
	/* A bad --json/--junit/--results-dir path fails before anything boots. */
	if (outputs__open(&oo, "run", &outs))
		goto out;
	human = outputs__human(outs);
	/* The last --kernel counts. */
	if (host ? host_setup(&rs, &ro, host_cg, &rh, &kr, klabel, sizeof(klabel)) :
	    run_setup__kernel(rs.nkernels ? rs.kernels[rs.nkernels - 1] : NULL, &kr, "run"))
		goto out;
	ro.kernel = kr.image;
	ro.kernel_elf = kr.vmlinux_pvh ? kr.vmlinux : NULL;
	ro.vmlinux = kr.vmlinux[0] ? kr.vmlinux : NULL;
	ro.kernel_static_keys = kr.static_keys;
	if (!host && run_setup__resolve(&rs, &ro, "run"))
		goto out;
	if (!host)
		run_setup__kernel_label(rs.nkernels ? rs.kernels[rs.nkernels - 1] : NULL, &kr,
					klabel, sizeof(klabel));
	ro.kernel_label = klabel;
	ro.results_dir = outputs__results_dir(outs);
	vm__signals_catch();
	started = true;
	cli__clean_leftovers("run");

	for (size_t i = 0; i < set.n; i++) {
		const struct scenario *sc = set.items[i];
		struct run_result res;
		char why[160];

		if (scenario__skip_reason(sc, &sc->topology, why, sizeof(why)) ||
		    (host && run_host__skip_reason(&rh, sc, &sc->topology, why, sizeof(why)))) {
			skipped++;
			print_skip(human, sc, why);
			record_skip(outs, sc, &ro, why);
			continue;
		}
		if (host ? run_host__variant(&rh, sc, &sc->topology, &ro, &res, err, sizeof(err)) :
		    run__variant(sc, &sc->topology, &ro, &res, err, sizeof(err))) {
			fprintf(stderr, "ktstr run: %s: %s\n", sc->name, err);
			run_result__free(&res);
			ret = EXIT_USAGE;
			goto out;
		}
		if (vm__signal_caught()) {
			fprintf(stderr, "ktstr run: interrupted\n");
			run_result__free(&res);
			ret = 128 + vm__signal_caught();
			goto out;
		}
		if (res.verdict.passed) {
			passed++;
			print_line(human, "PASS", &res, sc);
			if (ro.verbose)
				run__print_report(sc, &sc->topology, &res, human);
		} else {
			failed++;
			print_line(human, "FAIL", &res, sc);
			fputc('\n', human);
			run__print_report(sc, &sc->topology, &res, human);
			fputc('\n', human);
		}
		record(outs, sc, &ro, &res);
		if (ro.verbose)
			fprintf(stderr, "  times: initramfs %llums, boot to agent %llums, scenario "
				"%llums, teardown %llums\n",
				(unsigned long long)res.ms_initramfs,
				(unsigned long long)res.ms_boot,
				(unsigned long long)res.ms_scenario,
				(unsigned long long)res.ms_teardown);
		run_result__free(&res);
	}
	fprintf(human, "%u passed, %u failed", passed, failed);
	if (skipped)
		fprintf(human, ", %u skipped", skipped);
	fputc('\n', human);
	ret = failed ? EXIT_FAILED : EXIT_OK;
out:
	if (!started)
		outputs__abort(outs);	/* setup failed: --json/--junit stay as they were */
	else if (outputs__close(outs) && ret == EXIT_OK)
		ret = EXIT_USAGE;
	if (loaded)
		scenario_set__free(&set);
	run_setup__free(&rs);
	cli_inputs__free(&in);
	return ret;
}

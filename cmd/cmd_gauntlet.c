// SPDX-License-Identifier: GPL-2.0
/* ktstr gauntlet: every scenario x topology preset x flag profile (x kernel). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gauntlet/budget.h"
#include "cli.h"
#include "cmd.h"
#include "base/fsutil.h"
#include "run/gauntlet_run.h"
#include "base/json_out.h"
#include "out/outputs.h"
#include "run_setup.h"
#include "run/work_override.h"
#include "base/units.h"

const char cmd_gauntlet_usage[] =
	"usage: ktstr gauntlet [OPTIONS] FILE|DIR...\n"
	"       ktstr gauntlet --list [--json] [OPTIONS] FILE...\n"
	"\n"
	"Expand each scenario into its variants: every topology preset the scenario\n"
	"accepts x every valid flag profile of its scheduler (x every --kernel), named\n"
	"scenario/preset/profile[@kernel] in one stable order, the same on every machine\n"
	"given the same files and options; then run each in its own VM, --jobs at once.\n"
	"\n"
	"Off a terminal it prints one line per variant as it finishes, a failure\n"
	"followed by its report:\n"
	"\n"
	"    PASS [   9.87s] two_cgroups/tiny-2llc/default\n"
	"    SKIP [   0.00s] steady/tiny-1llc/llc (kernel 6.6.30 has no sched_ext\n"
	"                    (CONFIG_SCHED_CLASS_EXT) for scx-ktstr)\n"
	"\n"
	"On a terminal, one progress line (done/total, failed, skipped, running,\n"
	"elapsed, estimate left) with each FAIL and SKIP line printed above it. At the\n"
	"end: 'N passed, N failed, N skipped'.\n"
	"\n"
	"Options:\n"
	"  --list             print the variants, one per line, and run nothing\n"
	"  --json             with --list: one JSON object per variant per line\n"
	"  --presets A,B      only these topology presets ('ktstr gauntlet --list' of a\n"
	"                     scenario with 'gauntlet: {presets: all}' shows them all)\n"
	"  --flags A,B        only the profile with exactly these flags ('default' for none;\n"
	"                     'required': each scenario's required flags, no other)\n"
	"  --kernel K         a kernel to boot: an image, a build tree, a cache key or a\n"
	"                     version (default: $KTSTR_KERNEL, then the newest cached\n"
	"                     kernel). Repeatable: every variant runs on every kernel,\n"
	"                     and names end in @LABEL (the kernel's version, or its cache\n"
	"                     key or file name when versions repeat)\n"
	"  --shard K/N        only the K-th of N equal shares of the list (1 <= K <= N);\n"
	"                     N machines running shards 1/N..N/N cover every variant once\n"
	"  --jobs N           VMs at once (default: what fits this host: its CPUs under\n"
	"                     single-threaded TCG, its CPUs / the variants' vCPUs under\n"
	"                     KVM and multi-threaded TCG, no more than its free memory\n"
	"                     holds)\n"
	"  --budget SECONDS   run only the most diverse variants that fit SECONDS of wall\n"
	"                     time (see man ktstr, BUDGET); with --list, list them\n"
	"  --host-cpus N      treat the host as having N CPUs for the host-capacity filter\n"
	"  --max-variants N   refuse to expand to more than N variants (default 100000)\n"
	"  --overcommit       no host-capacity filter: keep presets larger than this host\n"
	"  --learn-flags      with --list: run 'flags: from-binary' schedulers' --list-flags\n"
	"                     (a gauntlet that runs always does; --list alone runs nothing)\n"
	"  --schedulers FILE  load scheduler definitions from FILE (repeatable)\n"
	CLI_SCHEDULER_USAGE
	RUN_SETUP_USAGE
	OUTPUTS_USAGE
	"  -v, --verbose      PASS reports too, kernel log level 7, the agent's log lines\n"
	"  -h, --help         show this help\n"
	"\n"
	"Host-capacity filter: by default a preset is dropped when it has more CPUs than\n"
	"this host, more LLCs than the host has LLC groups, or more CPUs per LLC than the\n"
	"host's largest LLC. Sharded CI jobs on unlike machines should pass --host-cpus\n"
	"or --overcommit so that every machine computes the same list.\n"
	"\n"
	"A variant is skipped (SKIP, with the reason) when its scheduler needs sched_ext\n"
	"and the kernel's .config says it has none, or when something it needs is not\n"
	"on this host (the scheduler binary, a program it runs).\n"
	"\n"
	"Exit status: 0 nothing failed, 1 any failed, 2 usage or setup error or\n"
	"nothing to run, 128+N stopped by signal N (130 for Ctrl-C).\n";

enum { OPT_LIST = CLI_OPT_OWN, OPT_LIST_JSON, OPT_JOBS, OPT_BUDGET };

/* Everything the command holds, freed in one place. */
struct gauntlet_cmd {
	struct cli_inputs in;
	struct cli_expand ex;
	struct run_setup rs;
	struct run_opts ro;
	struct outputs_opts oo;
	struct outputs *outs;
	struct gauntlet_kernel *kernels;
	size_t nkernels;
	struct gauntlet_job *jobs;
	size_t njobs;
	bool list, list_json, verbose;
	long jobs_arg;
	double budget_s;		/* 0: none */
	size_t budget_selected;		/* variants the budget kept ... */
	size_t budget_total;		/* ... of those it chose from (skips excluded) */
};

static void print_json(struct json_out *j, const struct gauntlet_job *g,
		       const struct run_opts *ro)
{
	char topo[TOPOLOGY_NAME_MAX], prof[256];
	const struct scenario *sc = g->sc;

	topology__format(g->topo, topo);
	sched_profile__name(sc->sched, g->profile, prof, sizeof(prof));
	json_out__object_begin(j);
	json_out__key(j, "name");
	json_out__string(j, g->name);
	json_out__key(j, "scenario");
	json_out__string(j, sc->name);
	json_out__key(j, "file");
	json_out__string(j, sc->file);
	json_out__key(j, "preset");
	json_out__string(j, g->preset);
	json_out__key(j, "topology");
	json_out__string(j, topo);
	json_out__key(j, "cpus");
	json_out__u64(j, topology__total_cpus(g->topo));
	json_out__key(j, "scheduler");
	json_out__string(j, sc->sched->name);
	json_out__key(j, "profile");
	json_out__string(j, prof);
	json_out__key(j, "flags");
	json_out__array_begin(j);
	for (size_t i = 0; i < sc->sched->nflags; i++)
		if (g->profile & ((flag_mask)1 << i))
			json_out__string(j, sc->sched->flags[i].name);
	json_out__array_end(j);
	if (g->kernel->label[0]) {
		json_out__key(j, "kernel");
		json_out__string(j, g->kernel->label);
	}
	if (g->skip_reason[0]) {
		json_out__key(j, "skip");
		json_out__string(j, g->skip_reason);
	}
	if (ro->work_type >= 0) {
		/* null: the variant has no swappable group the override fits */
		json_out__key(j, "work_type");
		json_out__string(j, work_override__applied(sc, g->topo, ro));
	}
	json_out__object_end(j);
	json_out__newline(j);
}

/* ---- kernels */

/* Does the kernel's .config (next to the image, in its tree, or /boot's) have sched_ext? */
static int kernel_has_scx(const char *image)
{
	char dir[PATH_MAX], *text = NULL, *base;
	const char *cands[3];
	size_t len, ncand = 0;
	int ret = -1;

	snprintf(dir, sizeof(dir), "%s", image);
	base = strrchr(dir, '/');
	if (!base)
		return -1;
	*base++ = '\0';
	char c0[PATH_MAX + 16], c1[PATH_MAX + 32], c2[PATH_MAX + 32];

	snprintf(c0, sizeof(c0), "%s/.config", dir);			/* cache entry */
	cands[ncand++] = c0;
	snprintf(c1, sizeof(c1), "%s/../../../.config", dir);		/* tree/arch/x86/boot */
	cands[ncand++] = c1;
	if (!strncmp(base, "vmlinuz-", 8)) {
		snprintf(c2, sizeof(c2), "%s/config-%s", dir, base + 8);	/* /boot */
		cands[ncand++] = c2;
	}
	for (size_t i = 0; i < ncand && ret < 0; i++) {
		if (fsutil__read(cands[i], 64u << 20, &text, &len))
			continue;
		ret = strstr(text, "\nCONFIG_SCHED_CLASS_EXT=y") != NULL;
		free(text);
		text = NULL;
	}
	return ret;
}

/* The longer name of a kernel whose version another kernel shares. */
static void alt_label(const struct kfind_result *kr, char *buf, size_t len)
{
	const char *b = strrchr(kr->image, '/');

	if (kr->key[0])
		fsutil__fmt(buf, len, "%s", kr->key);
	else
		fsutil__fmt(buf, len, "%s", b ? b + 1 : kr->image);
}

static int resolve_kernels(struct gauntlet_cmd *g)
{
	size_t n = g->rs.nkernels ? g->rs.nkernels : 1;
	struct kfind_result *kr = calloc(n, sizeof(*kr));
	int ret = EXIT_USAGE;

	g->kernels = calloc(n, sizeof(*g->kernels));
	if (!kr || !g->kernels) {
		fprintf(stderr, "ktstr gauntlet: out of memory\n");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *arg = g->rs.nkernels ? g->rs.kernels[i] : NULL;
		struct gauntlet_kernel *k = &g->kernels[i];

		if (run_setup__kernel(arg, &kr[i], "gauntlet"))
			goto out;
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(kr[j].image, kr[i].image)) {
				fprintf(stderr, "ktstr gauntlet: --kernel %s and --kernel %s are the "
					"same kernel (%s); give each kernel once\n",
					g->rs.kernels[j], arg, kr[i].image);
				goto out;
			}
		}
		snprintf(k->image, sizeof(k->image), "%s", kr[i].image);
		if (kr[i].vmlinux_pvh)
			snprintf(k->elf, sizeof(k->elf), "%s", kr[i].vmlinux);
		snprintf(k->vmlinux, sizeof(k->vmlinux), "%s", kr[i].vmlinux);
		k->static_keys = kr[i].static_keys;
		run_setup__kernel_label(arg, &kr[i], k->label, sizeof(k->label));
		k->scx = kernel_has_scx(k->image);
		g->nkernels++;
	}
	/* Two kernels of one version: name them by cache key or file instead. */
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			if (strcmp(g->kernels[i].label, g->kernels[j].label))
				continue;
			alt_label(&kr[i], g->kernels[i].label, sizeof(g->kernels[i].label));
			alt_label(&kr[j], g->kernels[j].label, sizeof(g->kernels[j].label));
			if (!strcmp(g->kernels[i].label, g->kernels[j].label)) {
				fprintf(stderr, "ktstr gauntlet: --kernel %s and --kernel %s both "
					"name themselves '%s'; pass cache keys or distinct paths\n",
					g->rs.kernels[i], g->rs.kernels[j], g->kernels[i].label);
				goto out;
			}
		}
	}
	ret = EXIT_OK;
out:
	free(kr);
	return ret;
}

/* The job list: variants x kernels, then --shard over that (the rule of lib/gauntlet). */
static int make_jobs(struct gauntlet_cmd *g, const struct variant_list *vl)
{
	size_t nk = g->nkernels, total = vl->n * nk, k = 0;
	static const struct gauntlet_kernel nokernel = { .scx = -1, .static_keys = -ENOENT };

	if (!nk)
		total = vl->n;
	g->jobs = calloc(total ? total : 1, sizeof(*g->jobs));
	if (!g->jobs)
		return -ENOMEM;
	for (size_t i = 0; i < total; i++) {
		const struct variant *v = &vl->items[nk ? i / nk : i];
		const struct gauntlet_kernel *kern = nk ? &g->kernels[i % nk] : &nokernel;
		struct gauntlet_job *j;
		uint64_t dur = g->ro.duration_ns ? g->ro.duration_ns : v->scenario->duration_ns;

		if (g->ex.shard_n && i % g->ex.shard_n != g->ex.shard_k - 1)
			continue;
		j = &g->jobs[k++];
		j->sc = v->scenario;
		j->topo = &v->preset->topo;
		j->preset = v->preset->name;
		j->profile = v->profile;
		j->kernel = kern;
		if (nk > 1)
			snprintf(j->name, sizeof(j->name), "%s@%s", v->name, kern->label);
		else
			snprintf(j->name, sizeof(j->name), "%s", v->name);
		if (!dur)
			dur = SCENARIO_DEFAULT_DURATION_NS;
		j->est_s = budget__estimate_s((double)dur / NSEC_PER_SEC,
					      g->ro.accel != VM_ACCEL_KVM);
		if (v->skip[0])
			snprintf(j->skip_reason, sizeof(j->skip_reason), "%s", v->skip);
		else if (kern->scx == 0 && j->sc->sched && !j->sc->sched->eevdf)
			snprintf(j->skip_reason, sizeof(j->skip_reason),
				 "kernel %s has no sched_ext (CONFIG_SCHED_CLASS_EXT) for %s",
				 kern->label, j->sc->sched->name);
	}
	g->njobs = k;
	return 0;
}

/* --budget: keep the selected jobs (and the skips, which cost nothing). */
static int apply_budget(struct gauntlet_cmd *g, unsigned jobs)
{
	struct budget_item *items = calloc(g->njobs ? g->njobs : 1, sizeof(*items));
	bool *sel = calloc(g->njobs ? g->njobs : 1, sizeof(*sel));
	struct budget_result r;
	size_t k = 0, cand = 0, skips = 0;
	int ret = -ENOMEM;

	if (!items || !sel)
		goto out;
	for (size_t i = 0; i < g->njobs; i++) {
		struct gauntlet_job *j = &g->jobs[i];
		const struct variant v = { .scenario = j->sc, .profile = j->profile,
			.preset = topo_preset__find(j->preset) };

		if (j->skip_reason[0]) {
			skips++;
			continue;
		}
		items[cand].bits = budget__variant_bits(&v, g->nkernels > 1 ? j->kernel->label :
							NULL);
		items[cand].est_s = j->est_s;
		cand++;
	}
	ret = budget__select(items, cand, g->budget_s * jobs, sel, &r);
	if (ret)
		goto out;
	cand = 0;
	for (size_t i = 0; i < g->njobs; i++)
		if (g->jobs[i].skip_reason[0] || sel[cand++])
			g->jobs[k++] = g->jobs[i];
	g->budget_selected = r.selected;
	g->budget_total = g->njobs - skips;
	fprintf(stderr, "ktstr budget: %zu/%zu variants, %.0f/%.0f s estimated, %u/%u "
		"configurations covered\n", r.selected, g->njobs - skips, r.used_s / jobs,
		g->budget_s, r.covered, r.possible);
	g->njobs = k;
out:
	free(items);
	free(sel);
	return ret;
}

/*
 * A job process reports what its variant lacks on this host (-ENOENT) as a
 * SKIP; qemu lacking would skip them all, so it is a setup error up front.
 */
static bool qemu_found(const struct run_opts *ro)
{
	const char *name = getenv("KTSTR_QEMU");
	char path[PATH_MAX];

	if (ro->backend != VM_BACKEND_QEMU)
		return true;
	if (!name || !*name)
		name = "qemu-system-x86_64";
	if (!fsutil__which(name, path, sizeof(path)))
		return true;
	fprintf(stderr, "ktstr gauntlet: %s not found%s: install qemu-system-x86 (apt-get install "
		"qemu-system-x86), or set KTSTR_QEMU to its path\n", name,
		strchr(name, '/') ? "" : " in PATH");
	return false;
}

/* ---- --jobs default */

static unsigned long mem_available_mb(void)
{
	char *text = NULL, *p;
	size_t len;
	unsigned long kb = 0;

	if (fsutil__read("/proc/meminfo", 1u << 20, &text, &len))
		return 0;
	p = strstr(text, "MemAvailable:");
	if (p)
		kb = strtoul(p + 13, NULL, 10);
	free(text);
	return kb / 1024;
}

static unsigned default_jobs(const struct gauntlet_cmd *g)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	uint32_t vcpus = 1, mem = 0;
	unsigned long avail = mem_available_mb();
	unsigned long jobs;

	if (cpus < 1)
		cpus = 1;
	for (size_t i = 0; i < g->njobs; i++) {
		uint32_t c = topology__total_cpus(g->jobs[i].topo);
		uint32_t m = g->jobs[i].sc->memory_mb ? g->jobs[i].sc->memory_mb :
			     SCENARIO_DEFAULT_MEMORY_MB;

		vcpus = c > vcpus ? c : vcpus;
		mem = m > mem ? m : mem;
	}
	/*
	 * Single-threaded TCG runs a VM's vCPUs on one host thread (measured
	 * here: a 4-vCPU guest keeps one core busy), so one VM per host CPU.
	 * Under KVM and multi-threaded TCG each vCPU is a host thread: as many
	 * VMs as the host has CPUs for (at least one). Multi when any kernel
	 * gets it: more VMs than that would share the cores further.
	 */
	bool thread_per_vcpu = g->ro.accel == VM_ACCEL_KVM;

	for (size_t i = 0; i < g->nkernels && !thread_per_vcpu; i++)
		thread_per_vcpu = tcg_threads__pick(g->ro.tcg_threads, g->kernels[i].static_keys) ==
				  VM_TCG_MULTI;
	jobs = thread_per_vcpu ? (unsigned long)cpus / vcpus : (unsigned long)cpus;
	if (avail && mem && jobs > avail / mem)
		jobs = avail / mem;
	if (jobs > g->njobs)
		jobs = g->njobs;
	return jobs ? (unsigned)jobs : 1;
}

/* --work-type: one note for the variants it replaces nothing in (skipped ones aside). */
static void note_work_type(const struct gauntlet_cmd *g)
{
	struct work_override_note wn = { 0 };
	char label[384];

	for (size_t i = 0; g->ro.work_type >= 0 && i < g->njobs; i++) {
		const struct gauntlet_job *j = &g->jobs[i];

		if (j->skip_reason[0])
			continue;
		snprintf(label, sizeof(label), "%s/%s", j->sc->name, j->preset);
		work_override__check(&wn, label, j->sc, j->topo, &g->ro);
	}
	work_override__print(&wn, &g->ro, g->list ? "gauntlet --list" : "gauntlet");
}

/* ---- outcomes to --json/--junit/--results-dir */

static void on_outcome(const struct outcome *o, void *arg)
{
	struct gauntlet_cmd *g = arg;
	struct outcome copy;

	/* outputs__variant may set the log file names: hand it a copy. */
	if (outcome__dup(&copy, o))
		return;
	outputs__variant(g->outs, &copy, NULL);
	outcome__free(&copy);
}

/* ---- the command */

static int parse(struct gauntlet_cmd *g, int argc, char **argv)
{
	static const struct option run_longopts[] = {
		{ "list", no_argument, NULL, OPT_LIST },
		{ "shard", required_argument, NULL, CLI_OPT_SHARD },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ "budget", required_argument, NULL, OPT_BUDGET },
		{ "verbose", no_argument, NULL, 'v' },
		CLI_EXPAND_LONGOPTS,
		RUN_SETUP_LONGOPTS,
		OUTPUTS_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	/* With --list, --json takes no value (JSON lines on stdout), as before. */
	static const struct option list_longopts[] = {
		{ "list", no_argument, NULL, OPT_LIST },
		{ "json", no_argument, NULL, OPT_LIST_JSON },
		{ "shard", required_argument, NULL, CLI_OPT_SHARD },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ "budget", required_argument, NULL, OPT_BUDGET },
		{ "verbose", no_argument, NULL, 'v' },
		CLI_EXPAND_LONGOPTS,
		RUN_SETUP_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const struct option *longopts = run_longopts;
	char err[256];
	uint64_t ns;
	int c, h;

	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--list"))
			longopts = list_longopts;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":v", longopts, NULL)) != -1) {
		h = cli_expand__option(&g->in, &g->ex, c, optarg, true, "gauntlet");
		if (!h)
			h = run_setup__option(&g->rs, &g->ro, c, optarg, "gauntlet");
		if (!h && c == OUTPUTS_OPT_JSON && optarg &&
		    (strstr(optarg, ".yaml") || strstr(optarg, ".yml"))) {
			fprintf(stderr, "ktstr gauntlet: --json %s: that looks like a scenario "
				"file; --json takes the file to write ('-' for stdout)\n", optarg);
			return EXIT_USAGE;
		}
		if (!h)
			h = outputs__option(&g->oo, c, optarg, "gauntlet");
		if (h < 0)
			return EXIT_USAGE;
		if (h)
			continue;
		switch (c) {
		case OPT_LIST:
			g->list = true;
			break;
		case OPT_LIST_JSON:
			g->list_json = true;
			break;
		case OPT_JOBS:
			if (cli__parse_uint("--jobs", optarg, 1, 1024, &g->jobs_arg))
				return EXIT_USAGE;
			break;
		case OPT_BUDGET:
			/* Plain seconds ("600") are a duration in s; no inf, exponents or hex. */
			snprintf(err, sizeof(err), "%ss", optarg);
			if (units__parse_duration(optarg[strspn(optarg, "0123456789.")] ? optarg : err,
						  &ns, err, sizeof(err))) {
				fprintf(stderr, "ktstr gauntlet: --budget %s: %s; give seconds (600) "
					"or a duration (10m)\n", optarg, err);
				return EXIT_USAGE;
			}
			g->budget_s = (double)ns / NSEC_PER_SEC;
			if (!(g->budget_s > 0)) {
				fprintf(stderr, "ktstr gauntlet: --budget must be > 0\n");
				return EXIT_USAGE;
			}
			break;
		case 'v':
			g->verbose = g->ro.verbose = true;
			break;
		default:
			return cli__bad_option("gauntlet", c, argv);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ktstr gauntlet: no scenario files given\n%s", cmd_gauntlet_usage);
		return EXIT_USAGE;
	}
	g->in.files = (const char **)argv + optind;
	g->in.nfiles = (size_t)(argc - optind);
	return EXIT_OK;
}

static int list(struct gauntlet_cmd *g)
{
	if (g->list_json) {
		struct json_out j;

		json_out__init(&j, stdout);
		for (size_t i = 0; i < g->njobs; i++)
			print_json(&j, &g->jobs[i], &g->ro);
	} else {
		for (size_t i = 0; i < g->njobs; i++)
			puts(g->jobs[i].name);
	}
	return EXIT_OK;
}

static bool want_progress(FILE *human)
{
	const char *term = getenv("TERM");

	return isatty(fileno(human)) && !(term && !strcmp(term, "dumb"));
}

static int run_all(struct gauntlet_cmd *g, unsigned jobs)
{
	struct gauntlet_run_opts o = {
		.ro = &g->ro, .jobs = jobs, .verbose = g->verbose,
		.on_outcome = on_outcome, .arg = g,
	};
	struct gauntlet_tally t;
	FILE *human;
	int ret;

	if ((ret = outputs__open(&g->oo, "gauntlet", &g->outs)))
		return ret;
	human = outputs__human(g->outs);
	g->ro.results_dir = outputs__results_dir(g->outs);
	o.out = human;
	o.tty = want_progress(human);
	if (gauntlet__run(g->jobs, g->njobs, &o, &t))
		return EXIT_USAGE;
	if (t.signal)
		fprintf(stderr, "ktstr gauntlet: stopped by SIG%s: %zu of %zu variants finished\n",
			sigabbrev_np(t.signal), t.passed + t.failed + t.skipped, g->njobs);
	if (t.skipped && !t.passed && !t.failed && !t.signal)
		fprintf(stderr, "ktstr gauntlet: every variant was skipped: nothing was tested\n");
	fprintf(human, "%zu passed, %zu failed, %zu skipped\n", t.passed, t.failed, t.skipped);
	if (g->budget_s > 0)
		fprintf(human, "budget: selected %zu of %zu variants\n", g->budget_selected,
			g->budget_total);
	fflush(human);
	if (t.lost_outputs)
		fprintf(stderr, "ktstr gauntlet: %zu variant%s --results-dir could not be written "
			"(see above)\n", t.lost_outputs, t.lost_outputs == 1 ? "'s" : "s'");
	if (t.signal)
		return 128 + t.signal;
	/* A result that could not be kept is not a green run. */
	return t.failed ? EXIT_FAILED : t.lost_outputs ? EXIT_USAGE : EXIT_OK;
}

int cmd_gauntlet(int argc, char **argv)
{
	struct gauntlet_cmd g = { 0 };
	struct gauntlet_opts opts;
	struct variant_list vl = { 0 };
	struct scenario_set set;
	unsigned shard_k, shard_n, jobs;
	bool loaded = false;
	int ret;

	run_setup__init(&g.rs, &g.ro);
	ret = parse(&g, argc, argv);
	if (ret != EXIT_OK)
		goto out;
	/* Shard after crossing with the kernels: expand the whole list. */
	shard_k = g.ex.shard_k;
	shard_n = g.ex.shard_n;
	g.ex.shard_k = g.ex.shard_n = 0;
	scenario_set__init(&set);
	loaded = true;
	if (!g.list)
		g.in.learn_flags = true;	/* it runs the schedulers anyway */
	ret = cli__load_expand(&g.in, &g.ex, &set, &vl, &opts, "gauntlet");
	if (ret != EXIT_OK)
		goto out;
	g.ex.shard_k = shard_k;
	g.ex.shard_n = shard_n;
	ret = EXIT_USAGE;
	/*
	 * Kernels: --list needs them only to name variants across several, and
	 * an empty gauntlet (all presets filtered) none: it reports 0 of each.
	 */
	if (((!g.list && vl.n) || g.rs.nkernels > 1) && resolve_kernels(&g))
		goto out;
	if (!g.list && vl.n && run_setup__resolve(&g.rs, &g.ro, "gauntlet"))
		goto out;
	if (!g.list && vl.n && !qemu_found(&g.ro))
		goto out;
	if (g.list && g.ro.accel == VM_ACCEL_AUTO && !g.rs.vmm_auto &&
	    g.ro.backend == VM_BACKEND_VMM)
		g.ro.accel = VM_ACCEL_KVM;	/* only for the --budget estimate */
	if (make_jobs(&g, &vl)) {
		fprintf(stderr, "ktstr gauntlet: out of memory\n");
		goto out;
	}
	jobs = g.jobs_arg ? (unsigned)g.jobs_arg : default_jobs(&g);
	if (g.budget_s > 0 && apply_budget(&g, jobs)) {
		fprintf(stderr, "ktstr gauntlet: out of memory\n");
		goto out;
	}
	note_work_type(&g);
	if (g.list) {
		ret = list(&g);
		if (shard_n)
			fprintf(stderr, "%zu variant%s in shard %u/%u\n", g.njobs,
				g.njobs == 1 ? "" : "s", shard_k, shard_n);
		else
			fprintf(stderr, "%zu variant%s\n", g.njobs, g.njobs == 1 ? "" : "s");
		cli__explain_host_filter(&vl, &opts);
		cli__note_unknown_flags(&set, "gauntlet --list");
		goto out;
	}
	cli__explain_host_filter(&vl, &opts);
	cli__clean_leftovers("gauntlet");
	if (!vl.n) {
		/* A gauntlet that ran nothing must not look green. */
		fprintf(stderr, "ktstr gauntlet: nothing to run: %s\n", vl.filtered_host ?
			"every variant was dropped for this host; --overcommit runs them here" :
			"no variant is left after --presets, --flags and the scenarios' "
			"own filters; 'ktstr gauntlet --list --overcommit' shows them all");
		goto out;
	}
	if (g.jobs_arg == 0 && g.verbose)
		fprintf(stderr, "ktstr gauntlet: %zu variants, %u at once\n", g.njobs, jobs);
	ret = run_all(&g, jobs);
out:
	if (g.outs && outputs__close(g.outs) && ret == EXIT_OK)
		ret = EXIT_USAGE;
	free(g.jobs);
	free(g.kernels);
	variant_list__free(&vl);
	if (loaded)
		scenario_set__free(&set);
	run_setup__free(&g.rs);
	cli_expand__free(&g.ex);
	cli_inputs__free(&g.in);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/* ktstr verifier: a scheduler's BPF programs as the kernel's verifier saw them. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "run_setup.h"
#include "verifier.h"
#include "base/diag.h"
#include "base/fsutil.h"
#include "kernel/kernel_find.h"
#include "run/run_variant.h"
#include "run/sched_find.h"
#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"

const char cmd_verifier_usage[] =
	"usage: ktstr verifier [OPTIONS] SCHEDULER\n"
	"\n"
	"Load the sched_ext scheduler SCHEDULER in a small VM (its definition's\n"
	"topology, else 2 CPUs; a light load for 1 s) and list its BPF programs as the\n"
	"kernel verified them:\n"
	"\n"
	"  PROGRAM          TYPE             VERIFIED    XLATED     JITED  MAPS        RUNS\n"
	"  ktstr_enqueue    struct_ops             76       640       411     2         257\n"
	"\n"
	"VERIFIED is the instructions the verifier processed (bpf_prog_info's\n"
	"verified_insns; the limit is 1000000 a program), XLATED and JITED the\n"
	"program's sizes in bytes, MAPS the maps it uses, RUNS its calls while the\n"
	"scheduler ran (kernel.bpf_stats_enabled). Names are the kernel's: 15\n"
	"characters at most.\n"
	"\n"
	"Several --kernel or --flags compare: every kernel runs every profile, and each\n"
	"run after the first (B) is shown against the first (A), program by program,\n"
	"matched by name: A, B, DELTA and DELTA% of the verified instructions.\n"
	"\n"
	"When the verifier rejects a program, its log (from libbpf, in the scheduler's\n"
	"output) is shown cut to its end: the message, the rejected instruction and\n"
	"the lines before it, and the verifier's figures (processed insns, states).\n"
	"\n"
	"SCHEDULER is a definition's name (man 5 ktstr-scenario, SCHEDULERS): one from\n"
	"--schedulers FILE, else schedulers/NAME.yaml or scenarios/schedulers/NAME.yaml\n"
	"under the current directory, else (ktstr run from its build tree) the source\n"
	"tree's scenarios/schedulers/NAME.yaml. Without a definition, a binary NAME\n"
	"found as 'run' finds schedulers ($KTSTR_SCHEDULER, next to ktstr, the build's\n"
	"bpf/, $PATH) is loaded with no arguments and no flags.\n"
	"\n"
	"Options:\n"
	"  --kernel K         kernel to boot, as 'run' takes it (repeatable: compare)\n"
	"  --flags P          the scheduler's flag profile: flag names joined by '+' (or\n"
	"                     ','), or 'default' for none (repeatable: compare; default:\n"
	"                     'default')\n"
	"  --schedulers FILE  load scheduler definitions from FILE (repeatable)\n"
	"  --json             one JSON line per run on stdout instead of the tables\n"
	RUN_SETUP_USAGE
	"  -v, --verbose      kernel log level 7 and the agent's log lines\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 every run loaded the scheduler, 1 the verifier rejected a\n"
	"program or a run failed otherwise, 2 usage or setup error.\n";

enum { OPT_JSON = CLI_OPT_OWN };

/* The load: one cgroup of light bursty work, so that the programs run. */
static const char scenario_yaml[] =
	"name: verifier\n"
	"duration: 1s\n"
	"memory: 512MiB\n"
	"cgroups:\n"
	"  - name: verify\n"
	"    workers: 2\n"
	"    work: {type: bursty, burst: 5ms, sleep: 5ms}\n";

/* A scheduler's inline definition, when none is written: the binary of that name. */
static const char scenario_inline_yaml[] =
	"scheduler: {name: \"%s\"}\n";

static bool name_ok(const char *s)
{
	if (!*s || strlen(s) > 128)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.+-", *s))
			return false;
	return true;
}

/* The folders whose schedulers/ hold definitions, in search order. */
static size_t def_dirs(char dirs[][PATH_MAX], size_t max)
{
	size_t n = 0;

	snprintf(dirs[n++], PATH_MAX, ".");
	snprintf(dirs[n++], PATH_MAX, "scenarios");
	if (n < max && cli__source_scenarios(dirs[n], PATH_MAX))
		n++;
	return n;
}

static bool set_has_def(const struct scenario_set *set, const char *name)
{
	for (size_t i = 0; i < set->nscheds; i++)
		if (set->scheds[i]->name && !strcmp(set->scheds[i]->name, name))
			return true;
	return false;
}

/* Every definition name in reach, for a did-you-mean. */
static void suggest(const struct scenario_set *set, char dirs[][PATH_MAX], size_t ndirs,
		    const char *name, char *buf, size_t len)
{
	static char stems[64][128];
	const char *cands[64 + 64];
	size_t n = 0, ns = 0;
	const char *pick;

	buf[0] = '\0';
	for (size_t i = 0; i < set->nscheds && n < 64; i++)
		cands[n++] = set->scheds[i]->name;
	for (size_t d = 0; d < ndirs; d++) {
		char path[PATH_MAX + 16];
		struct dirent *e;
		DIR *dh;

		fsutil__fmt(path, sizeof(path), "%s/schedulers", dirs[d]);
		dh = opendir(path);
		while (dh && (e = readdir(dh)) && ns < 64) {
			size_t l = strlen(e->d_name);

			if (l <= 5 || l - 5 >= sizeof(stems[0]) || strcmp(e->d_name + l - 5, ".yaml"))
				continue;
			snprintf(stems[ns], sizeof(stems[0]), "%.*s", (int)(l - 5), e->d_name);
			cands[n++] = stems[ns++];
		}
		if (dh)
			closedir(dh);
	}
	pick = diag__suggest(name, cands, n);
	if (pick)
		snprintf(buf, len, "; did you mean '%s'?", pick);
}

/*
 * Build the scenario in @set: the load above under scheduler @name, found
 * as the usage says. Returns 0 with *@sc, or EXIT_USAGE after printing why.
 */
static int load_scenario(struct scenario_set *set, const struct cli_inputs *in, const char *name,
			 struct scenario **sc)
{
	char dirs[3][PATH_MAX], file[PATH_MAX + 32], yaml[sizeof(scenario_yaml) + 256];
	char host[PATH_MAX], err[1024], hint[160];
	struct diag_list d = { 0 };
	size_t ndirs = def_dirs(dirs, 3), at = ndirs;
	bool inline_def = false;
	int errors = 0;

	if (!strcmp(name, "eevdf")) {
		fprintf(stderr, "ktstr verifier: eevdf is the kernel's own scheduler: it loads no "
			"BPF programs to verify\n");
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < in->nsched_files; i++)
		errors += sched_defs__load_file(set, in->sched_files[i], &d);
	if (!errors && !set_has_def(set, name)) {
		for (size_t i = 0; i < ndirs && at == ndirs; i++) {
			fsutil__fmt(file, sizeof(file), "%s/schedulers/%s.yaml", dirs[i], name);
			if (!access(file, F_OK))
				at = i;
		}
		if (at == ndirs) {
			/* No definition: the binary itself, if there is one. */
			if (sched_find(name, host, sizeof(host), err, sizeof(err))) {
				suggest(set, dirs, ndirs, name, hint, sizeof(hint));
				fprintf(stderr, "ktstr verifier: no scheduler '%s': no definition "
					"(--schedulers, schedulers/%s.yaml, scenarios/schedulers/%s.yaml) "
					"and no binary: %s%s\n", name, name, name, err, hint);
				diag__free(&d);
				return EXIT_USAGE;
			}
			inline_def = true;
		}
	}
	/* The "file" sits in the folder whose schedulers/ has the definition. */
	fsutil__fmt(file, sizeof(file), "%s/verifier.yaml", at < ndirs ? dirs[at] : ".");
	snprintf(yaml, sizeof(yaml), "%s", scenario_yaml);
	if (inline_def)
		snprintf(yaml + strlen(yaml), sizeof(yaml) - strlen(yaml), scenario_inline_yaml,
			 name);
	if (!errors)
		errors += scenario__load_buffer(set, file, yaml, strlen(yaml), &d);
	if (!errors && set->n == 1) {
		*sc = set->items[0];
		if (!inline_def)
			(*sc)->sched_name = name;
		set->learn_flags = sched_find__learn_flags;	/* it runs the scheduler anyway */
		errors += scenario_set__validate(set, &d);
	}
	diag__print(&d, stderr);
	diag__free(&d);
	if (errors || set->n != 1)
		return EXIT_USAGE;
	if (!(*sc)->sched || (*sc)->sched->eevdf) {
		fprintf(stderr, "ktstr verifier: '%s' is the kernel's own scheduler: it loads no BPF "
			"programs to verify\n", name);
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * --flags SPEC of scheduler @d: "default" or flag names joined by '+' or
 * ','. Returns 0 with the mask, or EXIT_USAGE after printing why.
 */
static int parse_profile(const struct sched_def *d, const char *spec, flag_mask *m)
{
	flag_mask all = d->nflags >= 32 ? ~(flag_mask)0 : ((flag_mask)1 << d->nflags) - 1;
	char buf[512], *save = NULL;

	*m = 0;
	if (!strcmp(spec, "default"))
		return 0;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *tok = strtok_r(buf, "+,", &save); tok; tok = strtok_r(NULL, "+,", &save)) {
		int idx = sched_def__flag_index(d, tok);

		if (idx < 0) {
			const char *cands[SCHED_MAX_FLAGS];
			const char *pick;
			size_t n = 0;

			for (size_t i = 0; i < d->nflags && n < SCHED_MAX_FLAGS; i++)
				cands[n++] = d->flags[i].name;
			pick = diag__suggest(tok, cands, n);
			fprintf(stderr, "ktstr verifier: --flags %s: scheduler '%s' has no flag '%s'%s%s%s\n",
				spec, d->name, tok, pick ? "; did you mean '" : "",
				pick ? pick : "", pick ? "'?" : (n ? "" : " (it has no flags)"));
			return EXIT_USAGE;
		}
		*m |= (flag_mask)1 << idx;
	}
	if (!*m) {
		fprintf(stderr, "ktstr verifier: --flags '%s' names no flag ('default' is the "
			"profile without flags)\n", spec);
		return EXIT_USAGE;
	}
	if (sched_profiles__expand(d, *m, all & ~*m, NULL, 0) == 1)
		return 0;
	for (size_t i = 0; i < d->nflags; i++) {
		if (!(*m & ((flag_mask)1 << i)))
			continue;
		for (size_t r = 0; r < d->flags[i].nrequires; r++) {
			int idx = sched_def__flag_index(d, d->flags[i].requires[r]);

			if (idx < 0 || !(*m & ((flag_mask)1 << idx))) {
				fprintf(stderr, "ktstr verifier: --flags %s: flag '%s' of scheduler "
					"'%s' requires '%s'; add it\n", spec, d->flags[i].name,
					d->name, d->flags[i].requires[r]);
				return EXIT_USAGE;
			}
		}
	}
	fprintf(stderr, "ktstr verifier: --flags %s: not a profile of scheduler '%s'\n", spec,
		d->name);
	return EXIT_USAGE;
}

/* The run's reasons, joined. */
static void reasons(const struct verdict *v, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < v->nreasons && off + 1 < len; i++) {
		int n = snprintf(buf + off, len - off, "%s%s", i ? "; " : "", v->reasons[i]);

		if (n < 0)
			break;
		off += (size_t)n;
	}
}

/* What one run says: loaded (programs), rejected (a load log) or failed. */
static int classify(struct vrun *v, struct run_result *res)
{
	int ret;

	v->secs = res->ms_total / 1000.0;
	if (res->bpf.seen) {
		v->state = VRUN_LOADED;
		v->bpf = res->bpf;
		memset(&res->bpf, 0, sizeof(res->bpf));
		/* Not the checks' verdict: what went wrong with the scheduler or the VM. */
		if (res->harness_failure || res->sched_exit)
			reasons(&res->verdict, v->reason, sizeof(v->reason));
		return 0;
	}
	reasons(&res->verdict, v->reason, sizeof(v->reason));
	if (res->bpf.bad[0])
		snprintf(v->reason + strlen(v->reason), sizeof(v->reason) - strlen(v->reason),
			 "%sthe guest's report of its BPF programs was malformed: %s",
			 v->reason[0] ? "; " : "", res->bpf.bad);
	ret = res->sched_log ? verifier_log__cut(res->sched_log, res->sched_log_len,
						 VERIFIER_LOG_CONTEXT, &v->cut) : 0;
	if (ret < 0)
		return ret;
	if (ret == 1) {
		v->state = VRUN_REJECTED;
		return 0;
	}
	v->state = VRUN_FAILED;
	v->sched_log = res->sched_log;
	v->sched_log_len = res->sched_log_len;
	v->sched_exit = res->sched_exit;
	res->sched_log = res->sched_exit = NULL;
	return 0;
}

struct vopts {
	struct cli_inputs in;
	const char **profiles;		/* every --flags */
	size_t nprofiles;
	bool json;
};

static int parse_args(int argc, char **argv, struct vopts *v, struct run_setup *rs,
		      struct run_opts *ro)
{
	static const struct option longopts[] = {
		RUN_SETUP_LONGOPTS,
		{ "schedulers", required_argument, NULL, CLI_OPT_SCHED },
		{ "flags", required_argument, NULL, CLI_OPT_FLAGS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":v", longopts, NULL)) != -1) {
		switch (run_setup__option(rs, ro, c, optarg, "verifier")) {
		case 1:
			continue;
		case -1:
			return EXIT_USAGE;
		}
		switch (c) {
		case CLI_OPT_SCHED:
			if (cli_inputs__add_sched(&v->in, optarg))
				return EXIT_USAGE;
			break;
		case CLI_OPT_FLAGS: {
			const char **p = realloc(v->profiles, (v->nprofiles + 1) * sizeof(*p));

			if (!p)
				return EXIT_USAGE;
			v->profiles = p;
			p[v->nprofiles++] = optarg;
			break;
		}
		case OPT_JSON:
			v->json = true;
			break;
		case 'v':
			ro->verbose = true;
			break;
		default:
			return cli__bad_option("verifier", c, argv);
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "ktstr verifier: %s\n%s", optind >= argc ?
			"name the scheduler to load" : "one scheduler at a time", cmd_verifier_usage);
		return EXIT_USAGE;
	}
	if (!name_ok(argv[optind])) {
		fprintf(stderr, "ktstr verifier: '%s' is not a scheduler's name (letters, digits "
			"and _.+- only; a definition file goes to --schedulers)\n", argv[optind]);
		return EXIT_USAGE;
	}
	return 0;
}

/* Every kernel named (or the default one), found before any VM boots. */
static int find_kernels(const struct run_setup *rs, struct kfind_result **kr, size_t *n)
{
	*n = rs->nkernels ? rs->nkernels : 1;
	*kr = calloc(*n, sizeof(**kr));
	if (!*kr)
		return EXIT_USAGE;
	for (size_t i = 0; i < *n; i++)
		if (run_setup__kernel(rs->nkernels ? rs->kernels[i] : NULL, &(*kr)[i], "verifier"))
			return EXIT_USAGE;
	return 0;
}

static void progress(const struct vrun *v, size_t i, size_t n, const char *sched)
{
	fprintf(stderr, "verifier [%zu/%zu] %s on %s, profile %s: ", i + 1, n, sched, v->kernel,
		v->profile);
	if (v->state == VRUN_LOADED)
		fprintf(stderr, "loaded, %zu programs", v->bpf.nprogs);
	else if (v->state == VRUN_REJECTED)
		fprintf(stderr, "rejected (%s)", v->cut.prog[0] ? v->cut.prog : "a program");
	else
		fprintf(stderr, "did not load");
	fprintf(stderr, " [%.2fs]\n", v->secs);
}

/* Everything after the runs: tables (or JSON), comparisons, failures. Returns the exit status. */
static int report(const struct vrun *runs, size_t n, const char *sched, bool json)
{
	int ret = EXIT_OK;

	bool sep = false;	/* a blank line between sections */

	for (size_t i = 0; i < n; i++) {
		if (json)
			verifier__print_json(stdout, sched, &runs[i]);
		if (runs[i].state != VRUN_LOADED) {
			/* The cut log goes with the tables, or beside the JSON on stderr. */
			if (sep && !json)
				fputc('\n', stdout);
			verifier__print_failure(json ? stderr : stdout, sched, &runs[i]);
			ret = EXIT_FAILED;
			sep = true;
		} else if (!json && n == 1) {
			verifier__print_run(stdout, sched, &runs[i]);
		}
	}
	for (size_t i = 1; !json && i < n; i++) {
		if (sep)
			fputc('\n', stdout);
		verifier__print_ab(stdout, &runs[0], &runs[i]);
		sep = true;
	}
	for (size_t i = 0; !json && n > 1 && i < n; i++)
		verifier__print_notes(stdout, &runs[i], true);
	return ret;
}

int cmd_verifier(int argc, char **argv)
{
	struct vopts v = { 0 };
	struct run_setup rs;
	struct run_opts ro;
	struct scenario_set set;
	struct scenario *sc = NULL;
	struct kfind_result *kr = NULL;
	flag_mask masks[64];
	struct vrun *runs = NULL;
	size_t nkernels = 0, nprof, nruns = 0;
	char err[1024];
	int ret;

	run_setup__init(&rs, &ro);
	scenario_set__init(&set);
	ret = parse_args(argc, argv, &v, &rs, &ro);
	if (ret)
		goto out;
	ret = load_scenario(&set, &v.in, argv[optind], &sc);
	if (ret)
		goto out;
	nprof = v.nprofiles ? v.nprofiles : 1;
	if (nprof > sizeof(masks) / sizeof(masks[0])) {
		fprintf(stderr, "ktstr verifier: at most %zu --flags\n",
			sizeof(masks) / sizeof(masks[0]));
		ret = EXIT_USAGE;
		goto out;
	}
	for (size_t p = 0; p < nprof; p++)
		if ((ret = parse_profile(sc->sched, v.nprofiles ? v.profiles[p] : "default",
					 &masks[p])))
			goto out;
	ret = find_kernels(&rs, &kr, &nkernels);
	if (!ret)
		ret = run_setup__resolve(&rs, &ro, "verifier");
	if (ret)
		goto out;
	runs = calloc(nkernels * nprof, sizeof(*runs));
	if (!runs) {
		ret = EXIT_USAGE;
		goto out;
	}
	vm__signals_catch();
	cli__clean_leftovers("verifier");
	ro.bpf_progs = true;
	for (size_t k = 0; k < nkernels; k++) {
		char klabel[160];

		ro.kernel = kr[k].image;
		ro.kernel_elf = kr[k].vmlinux_pvh ? kr[k].vmlinux : NULL;
		ro.vmlinux = kr[k].vmlinux[0] ? kr[k].vmlinux : NULL;
		ro.kernel_static_keys = kr[k].static_keys;
		run_setup__kernel_label(rs.nkernels ? rs.kernels[k] : NULL, &kr[k], klabel,
					sizeof(klabel));
		ro.kernel_label = klabel;
		for (size_t p = 0; p < nprof; p++) {
			struct vrun *vr = &runs[nruns];
			struct run_result res;

			ro.profile = masks[p];
			snprintf(vr->kernel, sizeof(vr->kernel), "%s", klabel);
			sched_profile__name(sc->sched, masks[p], vr->profile, sizeof(vr->profile));
			if (run__variant(sc, &sc->topology, &ro, &res, err, sizeof(err))) {
				fprintf(stderr, "ktstr verifier: %s: %s\n", sc->sched->name, err);
				run_result__free(&res);
				ret = EXIT_USAGE;
				goto out;
			}
			if (vm__signal_caught()) {
				fprintf(stderr, "ktstr verifier: interrupted\n");
				run_result__free(&res);
				ret = 128 + vm__signal_caught();
				goto out;
			}
			ret = classify(vr, &res);
			run_result__free(&res);
			nruns++;
			if (ret) {
				fprintf(stderr, "ktstr verifier: out of memory\n");
				ret = EXIT_USAGE;
				goto out;
			}
			progress(vr, nruns - 1, nkernels * nprof, sc->sched->name);
		}
	}
	ret = report(runs, nruns, sc->sched->name, v.json);
out:
	for (size_t i = 0; i < nruns; i++)
		vrun__free(&runs[i]);
	free(runs);
	free(kr);
	free(v.profiles);
	scenario_set__free(&set);
	run_setup__free(&rs);
	cli_inputs__free(&v.in);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/* ktstr run: each scenario once, on its own topology, in its own VM. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "kernel_find.h"
#include "run_variant.h"
#include "units.h"
#include "vmm_select.h"

const char cmd_run_usage[] =
	"usage: ktstr run [OPTIONS] FILE...\n"
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
	"  --vmm qemu|kvm|auto  VM backend: qemu, or kvm, the in-process VMM on /dev/kvm\n"
	"                     (needs a KVM that runs guest kernels at hardware speed; see\n"
	"                     ktstr doctor). Default auto: kvm when a tiny CPL0 loop\n"
	"                     timed in a throw-away VM runs at hardware speed, else qemu\n"
	"                     with TCG, with a notice saying why\n"
	"  --accel tcg|kvm|auto qemu accelerator (default auto: kvm at hardware speed, else\n"
	"                     tcg); given with --vmm auto, it means qemu\n"
	"  --thresholds default|tcg  check threshold profile (default: tcg under TCG)\n"
	"  --duration D       override every scenario's duration (e.g. 3s)\n"
	"  --workers N        override the default workers per group\n"
	"  --timeout S        hard limit per VM in seconds (default 60 + the duration)\n"
	"  --modules DIR      a modular kernel's modules (default: $KTSTR_MODULES_DIR, or\n"
	"                     PREFIX/lib/modules/REL for an image PREFIX/boot/vmlinuz-REL);\n"
	"                     the guest's virtio modules are loaded from there\n"
	"  --schedulers FILE  load scheduler definitions from FILE (repeatable)\n"
	"  -v, --verbose      kernel log level 7 and the agent's log lines\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 all passed, 1 any failed, 2 usage or setup error.\n";

enum { OPT_KERNEL = CLI_OPT_OWN, OPT_VMM, OPT_ACCEL, OPT_THRESHOLDS, OPT_DURATION, OPT_WORKERS,
       OPT_TIMEOUT, OPT_MODULES };

static int parse_accel(const char *s, enum vm_accel *a)
{
	if (!strcmp(s, "tcg"))
		*a = VM_ACCEL_TCG;
	else if (!strcmp(s, "kvm"))
		*a = VM_ACCEL_KVM;
	else if (!strcmp(s, "auto"))
		*a = VM_ACCEL_AUTO;
	else
		return -1;
	return 0;
}

static void print_line(const char *verdict, const struct run_result *res,
		       const struct scenario *sc)
{
	char topo[TOPOLOGY_NAME_MAX];

	topology__format(&sc->topology, topo);
	printf("%4s [%7.2fs] %s [topo=%s]", verdict, res->ms_total / 1000.0, sc->name, topo);
	if (sc->sched && !sc->sched->eevdf)
		printf(" [sched=%s]", sc->sched->name);
	putchar('\n');
	fflush(stdout);
}

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "vmm", required_argument, NULL, OPT_VMM },
		{ "accel", required_argument, NULL, OPT_ACCEL },
		{ "thresholds", required_argument, NULL, OPT_THRESHOLDS },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "workers", required_argument, NULL, OPT_WORKERS },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "modules", required_argument, NULL, OPT_MODULES },
		{ "schedulers", required_argument, NULL, CLI_OPT_SCHED },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_inputs in = { 0 };
	struct run_opts ro = { .sz = sizeof(ro), .accel = VM_ACCEL_AUTO };
	struct kfind_opts ko = { 0 };
	struct kfind_result kr;
	struct scenario_set set;
	bool loaded = false, thresholds_given = false, vmm_auto = true;
	char agent[PATH_MAX], err[1024];
	unsigned passed = 0, failed = 0;
	long n;
	int c, ret = EXIT_USAGE;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":v", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_KERNEL:
			ko.kernel = optarg;
			break;
		case OPT_VMM:
			if (!strcmp(optarg, "kvm")) {
				ro.backend = VM_BACKEND_VMM;
				vmm_auto = false;
			} else if (!strcmp(optarg, "qemu")) {
				ro.backend = VM_BACKEND_QEMU;
				vmm_auto = false;
			} else if (!strcmp(optarg, "auto")) {
				vmm_auto = true;
			} else {
				fprintf(stderr, "ktstr run: --vmm takes qemu, kvm or auto\n");
				goto out;
			}
			break;
		case OPT_ACCEL:
			if (parse_accel(optarg, &ro.accel)) {
				fprintf(stderr, "ktstr run: --accel takes tcg, kvm or auto\n");
				goto out;
			}
			break;
		case OPT_THRESHOLDS:
			if (threshold_profile__parse(optarg, &ro.thresholds)) {
				fprintf(stderr, "ktstr run: --thresholds takes default or tcg\n");
				goto out;
			}
			thresholds_given = true;
			break;
		case OPT_DURATION:
			if (units__parse_duration(optarg, &ro.duration_ns, err, sizeof(err)) ||
			    !ro.duration_ns) {
				fprintf(stderr, "ktstr run: --duration: %s\n",
					ro.duration_ns ? err : "must be > 0");
				goto out;
			}
			break;
		case OPT_WORKERS:
			if (cli__parse_uint("--workers", optarg, 1, 4096, &n))
				goto out;
			ro.workers = (uint32_t)n;
			break;
		case OPT_TIMEOUT:
			if (cli__parse_uint("--timeout", optarg, 1, 86400, &n))
				goto out;
			ro.timeout_s = (uint32_t)n;
			break;
		case OPT_MODULES:
			ro.modules_dir = optarg;
			break;
		case CLI_OPT_SCHED:
			if (cli_inputs__add_sched(&in, optarg))
				goto out;
			break;
		case 'v':
			ro.verbose = true;
			break;
		default:
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

	scenario_set__init(&set);
	loaded = true;
	if (cli__load(&set, &in)) {
		ret = EXIT_FAILED;
		goto out;
	}
	if (kernel_find(&ko, &kr, err, sizeof(err))) {
		fprintf(stderr, "ktstr run: %s\n", err);
		goto out;
	}
	if (kr.warning[0])
		fprintf(stderr, "ktstr run: %s\n", kr.warning);
	if (run__find_agent(agent, sizeof(agent), err, sizeof(err))) {
		fprintf(stderr, "ktstr run: %s\n", err);
		goto out;
	}
	ro.kernel = kr.image;
	ro.agent = agent;
	if (!vmm_auto && ro.backend == VM_BACKEND_VMM) {
		/* The in-process VMM is KVM: --accel is qemu's and does not apply. */
		ro.accel = VM_ACCEL_KVM;
	} else if (ro.accel == VM_ACCEL_AUTO) {
		struct vmm_select sel;

		vmm_select__auto(&sel);
		ro.accel = sel.accel;
		ro.backend = vmm_auto ? sel.backend : VM_BACKEND_QEMU;
		if (sel.notice || ro.verbose)
			fprintf(stderr, "ktstr: %s\n", sel.reason);
	}
	if (!thresholds_given)
		ro.thresholds = ro.accel == VM_ACCEL_KVM ? THRESHOLDS_DEFAULT : THRESHOLDS_TCG;
	vm__signals_catch();

	for (size_t i = 0; i < set.n; i++) {
		const struct scenario *sc = set.items[i];
		struct run_result res;

		if (run__variant(sc, &sc->topology, &ro, &res, err, sizeof(err))) {
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
			print_line("PASS", &res, sc);
			if (ro.verbose)
				run__print_report(sc, &sc->topology, &res, stdout);
		} else {
			failed++;
			print_line("FAIL", &res, sc);
			putchar('\n');
			run__print_report(sc, &sc->topology, &res, stdout);
			putchar('\n');
		}
		if (ro.verbose)
			fprintf(stderr, "  times: initramfs %llums, boot to agent %llums, scenario "
				"%llums, teardown %llums\n",
				(unsigned long long)res.ms_initramfs,
				(unsigned long long)res.ms_boot,
				(unsigned long long)res.ms_scenario,
				(unsigned long long)res.ms_teardown);
		run_result__free(&res);
	}
	printf("%u passed, %u failed\n", passed, failed);
	ret = failed ? EXIT_FAILED : EXIT_OK;
out:
	if (loaded)
		scenario_set__free(&set);
	cli_inputs__free(&in);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * scx-ktstr: the loader of ktstr's fixture scheduler (scx_ktstr.bpf.c).
 * Opens the skeleton, sets the knobs, loads and attaches the struct_ops,
 * then polls every 100 ms until the kernel ejects the scheduler or a signal
 * asks it to stop, and reports how it ended (the UEI: kind, reason, message).
 *
 * Exit status: 0 after SIGINT/SIGTERM, 1 on a usage error or when loading or
 * attaching fails (libbpf prints the verifier log), 2 when the kernel ejected
 * the scheduler (a watchdog stall, scx_bpf_error(), sysrq-S, ...).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
#include <scx/common.h>
#pragma GCC diagnostic pop

#include "scx_ktstr.bpf.skel.h"

#define PROG "scx-ktstr"
#define TIMEOUT_MS_MAX 30000	/* the kernel's SCX_WATCHDOG_MAX_TIMEOUT */
#define POLL_MS 100

/* Files whose appearance triggers a knob (a guest-side test can touch them). */
#define STALL_FILE "/tmp/ktstr_stall"
#define CRASH_FILE "/tmp/ktstr_crash"
#define DEGRADE_FILE "/tmp/ktstr_degrade"
#define ONLINE_FILE "/sys/devices/system/cpu/online"

/*
 * The flags ktstr's gauntlet expands into profiles (`--list-flags`). They
 * must keep the scheduler correct: only the bug knobs below break it, and
 * those are not flags.
 */
struct flag_decl {
	const char *name;
	const char *arg;
	const char *requires;	/* another flag's name, or NULL */
	const char *help;
};

static const struct flag_decl flag_decls[] = {
	{ "short-slice", "--short-slice", NULL, "a quarter of the default slice (5 ms)" },
	{ "local-first", "--local-first", "short-slice",
	  "a waking task that finds an idle CPU goes straight to it" },
};

struct opts {
	long stall_after, crash_after, degrade_after;	/* seconds; -1: never */
	bool degrade, slow, scattershot, fail_verify;
	bool short_slice, local_first;
	long pile_on, pile_on_after;	/* a CPU; seconds; -1: never */
	long timeout_ms;
	bool verbose, dry_run;
};

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig)
{
	stop_sig = sig;
}

static bool verbose;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [OPTION]...\n"
		"ktstr's fixture sched_ext scheduler: a global FIFO (ops name \"ktstr\") with\n"
		"knobs that inject the failures ktstr must catch.\n"
		"\n"
		"Flags (expanded by the gauntlet; see --list-flags):\n"
		"  --short-slice        a quarter of the default slice (5 ms)\n"
		"  --local-first        a waking task that finds an idle CPU goes straight to\n"
		"                       it (requires --short-slice)\n"
		"Failure injection:\n"
		"  --stall-after=N      stop dispatching after N seconds (0: at once); the\n"
		"                       kernel's watchdog then ejects the scheduler. Also when\n"
		"                       " STALL_FILE " appears\n"
		"  --crash-after=N      call scx_bpf_error(\"ktstr: injected crash\") after N\n"
		"                       seconds; also when " CRASH_FILE " appears\n"
		"  --degrade            place tasks on random CPUs and skip every other\n"
		"                       dispatch: worse latency and throughput, no stall\n"
		"  --degrade-after=N    the same from N seconds on; also when " DEGRADE_FILE "\n"
		"                       appears\n"
		"  --slow               skip 3 of every 4 dispatches\n"
		"  --scattershot        place every task on a random CPU (migration storm);\n"
		"                       makes --slow and --degrade no-ops\n"
		"  --pile-on=CPU        queue every task that may run on CPU on that CPU: one\n"
		"                       long local queue, the other CPUs idle, no stall (not\n"
		"                       with --local-first, --degrade or --scattershot)\n"
		"  --pile-on-after=N    the same from N seconds on (needs --pile-on)\n"
		"  --fail-verify        load a program the verifier rejects (exit 1)\n"
		"Other:\n"
		"  --timeout-ms=N       the watchdog timeout, 1..%d ms (default 20000)\n"
		"  --list-flags         print the flags as JSON ([{name, args, requires}])\n"
		"  --dry-run            check the options, print what would run, and exit\n"
		"  -v, --verbose        print libbpf's debug messages\n"
		"  -h, --help           this help\n"
		"\n"
		"Prints \"" PROG ": attached (flags ...)\" once running. Exit status: 0 after\n"
		"SIGINT/SIGTERM, 1 when it cannot load (with the verifier's log) or on a usage\n"
		"error, 2 when the kernel ejected it (the exit kind, reason and message are\n"
		"printed on stderr).\n",
		TIMEOUT_MS_MAX);
}

static void list_flags(void)
{
	size_t i;

	fputs("[", stdout);
	for (i = 0; i < sizeof(flag_decls) / sizeof(flag_decls[0]); i++) {
		const struct flag_decl *d = &flag_decls[i];

		printf("%s{\"name\":\"%s\",\"args\":[\"%s\"],\"requires\":[", i ? "," : "",
		       d->name, d->arg);
		if (d->requires)
			printf("\"%s\"", d->requires);
		fputs("]}", stdout);
	}
	fputs("]\n", stdout);
}

/* parse_num: a decimal in [lo, hi] for option @opt, or exit 1 naming it. */
static long parse_num(const char *opt, const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, PROG ": --%s: '%s' is not a number from %ld to %ld\n", opt, s, lo,
			hi);
		exit(1);
	}
	return v;
}

/*
 * cpu_online: whether @cpu is in ONLINE_FILE ("0-3,5"); without that file,
 * whether it is below sysconf's online count. Sets *@list for the message.
 */
static bool cpu_online(long cpu, char *list, size_t cap)
{
	FILE *f = fopen(ONLINE_FILE, "r");
	char *p, *end;
	bool found = false;

	if (!f || !fgets(list, (int)cap, f)) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		if (f)
			fclose(f);
		snprintf(list, cap, "0-%ld", n - 1);
		return cpu < n;
	}
	fclose(f);
	list[strcspn(list, "\n")] = '\0';
	for (p = list; *p; p = end + (*end == ',')) {
		long lo = strtol(p, &end, 10), hi = lo;

		if (end == p)
			break;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		found |= cpu >= lo && cpu <= hi;
	}
	return found;
}

enum {
	OPT_STALL_AFTER = 256, OPT_CRASH_AFTER, OPT_DEGRADE, OPT_DEGRADE_AFTER, OPT_SLOW,
	OPT_SCATTERSHOT, OPT_FAIL_VERIFY, OPT_TIMEOUT_MS, OPT_SHORT_SLICE, OPT_LOCAL_FIRST,
	OPT_LIST_FLAGS, OPT_DRY_RUN, OPT_PILE_ON, OPT_PILE_ON_AFTER,
};

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "stall-after", required_argument, NULL, OPT_STALL_AFTER },
		{ "crash-after", required_argument, NULL, OPT_CRASH_AFTER },
		{ "degrade", no_argument, NULL, OPT_DEGRADE },
		{ "degrade-after", required_argument, NULL, OPT_DEGRADE_AFTER },
		{ "slow", no_argument, NULL, OPT_SLOW },
		{ "scattershot", no_argument, NULL, OPT_SCATTERSHOT },
		{ "pile-on", required_argument, NULL, OPT_PILE_ON },
		{ "pile-on-after", required_argument, NULL, OPT_PILE_ON_AFTER },
		{ "fail-verify", no_argument, NULL, OPT_FAIL_VERIFY },
		{ "timeout-ms", required_argument, NULL, OPT_TIMEOUT_MS },
		{ "short-slice", no_argument, NULL, OPT_SHORT_SLICE },
		{ "local-first", no_argument, NULL, OPT_LOCAL_FIRST },
		{ "list-flags", no_argument, NULL, OPT_LIST_FLAGS },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const long day = 86400;
	char online[256];
	int c;

	*o = (struct opts){ .stall_after = -1, .crash_after = -1, .degrade_after = -1,
			    .pile_on = -1, .pile_on_after = -1, .timeout_ms = 20000 };
	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_STALL_AFTER: o->stall_after = parse_num("stall-after", optarg, 0, day); break;
		case OPT_CRASH_AFTER: o->crash_after = parse_num("crash-after", optarg, 0, day); break;
		case OPT_DEGRADE: o->degrade = true; break;
		case OPT_DEGRADE_AFTER:
			o->degrade_after = parse_num("degrade-after", optarg, 0, day);
			break;
		case OPT_SLOW: o->slow = true; break;
		case OPT_SCATTERSHOT: o->scattershot = true; break;
		case OPT_PILE_ON: o->pile_on = parse_num("pile-on", optarg, 0, INT_MAX); break;
		case OPT_PILE_ON_AFTER:
			o->pile_on_after = parse_num("pile-on-after", optarg, 0, day);
			break;
		case OPT_FAIL_VERIFY: o->fail_verify = true; break;
		case OPT_TIMEOUT_MS:
			o->timeout_ms = parse_num("timeout-ms", optarg, 1, TIMEOUT_MS_MAX);
			break;
		case OPT_SHORT_SLICE: o->short_slice = true; break;
		case OPT_LOCAL_FIRST: o->local_first = true; break;
		case OPT_LIST_FLAGS: list_flags(); exit(0);
		case OPT_DRY_RUN: o->dry_run = true; break;
		case 'v': o->verbose = true; break;
		case 'h': usage(stdout); exit(0);
		default:
			fprintf(stderr, "Try '" PROG " --help'.\n");
			exit(1);
		}
	}
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'; try '" PROG " --help'\n",
			argv[optind]);
		exit(1);
	}
	if (o->local_first && !o->short_slice) {
		fprintf(stderr, PROG ": --local-first requires --short-slice\n");
		exit(1);
	}
	if (o->pile_on_after >= 0 && o->pile_on < 0) {
		fprintf(stderr, PROG ": --pile-on-after requires --pile-on=CPU\n");
		exit(1);
	}
	if (o->pile_on < 0)
		return;
	/* each of these would place the tasks elsewhere and hide the pile-up */
	if (o->local_first || o->degrade || o->degrade_after >= 0 || o->scattershot) {
		fprintf(stderr, PROG ": --pile-on cannot be combined with --%s\n",
			o->local_first ? "local-first" : o->scattershot ? "scattershot" :
			o->degrade ? "degrade" : "degrade-after");
		exit(1);
	}
	if (!cpu_online(o->pile_on, online, sizeof(online))) {
		fprintf(stderr, PROG ": --pile-on: CPU %ld is not online (online CPUs: %s)\n",
			o->pile_on, online);
		exit(1);
	}
}

/* describe: the active flags and knobs, for the "attached" line. */
static void describe(const struct opts *o, char *buf, size_t cap)
{
	size_t n = 0;

#define ADD(...) (n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, __VA_ARGS__))
	buf[0] = '\0';
	if (o->short_slice) ADD("%sshort-slice", n ? " " : "");
	if (o->local_first) ADD("%slocal-first", n ? " " : "");
	if (o->degrade) ADD("%sdegrade", n ? " " : "");
	if (o->slow) ADD("%sslow", n ? " " : "");
	if (o->scattershot) ADD("%sscattershot", n ? " " : "");
	if (o->pile_on >= 0) ADD("%spile-on=%ld", n ? " " : "", o->pile_on);
	if (o->pile_on_after >= 0) ADD("%spile-on-after=%ld", n ? " " : "", o->pile_on_after);
	if (o->stall_after >= 0) ADD("%sstall-after=%ld", n ? " " : "", o->stall_after);
	if (o->crash_after >= 0) ADD("%scrash-after=%ld", n ? " " : "", o->crash_after);
	if (o->degrade_after >= 0) ADD("%sdegrade-after=%ld", n ? " " : "", o->degrade_after);
	if (!n) ADD("none");
	ADD("; timeout %ld ms", o->timeout_ms);
#undef ADD
}

static const char *exit_kind_name(int kind)
{
	switch (kind) {
	case 0: return "none";
	case 1: return "done";
	case 64: return "unregistered";
	case 65: return "unregistered by BPF";
	case 66: return "unregistered by the kernel";
	case 67: return "sysrq";
	case 1024: return "error";
	case 1025: return "BPF error";
	case 1026: return "runnable task stall";
	default: return kind >= 1024 ? "error" : "other";
	}
}

static void report_exit(struct scx_ktstr *skel)
{
	struct user_exit_info *uei = &skel->data->uei;
	const char *dump = skel->data_uei_dump->uei_dump;

	if (dump[0]) {
		fputs(PROG ": debug dump:\n", stderr);
		fputs(dump, stderr);
		fputs("\n", stderr);
	}
	fprintf(stderr, PROG ": exit kind: %d (%s)\n", uei->kind, exit_kind_name(uei->kind));
	fprintf(stderr, PROG ": exit reason: %s\n", uei->reason);
	fprintf(stderr, PROG ": exit message: %s\n", uei->msg);
	fprintf(stderr, "EXIT: %s%s%s%s\n", uei->reason, uei->msg[0] ? " (" : "", uei->msg,
		uei->msg[0] ? ")" : "");
	fflush(stderr);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool due(long after_s, double elapsed, const char *file)
{
	return (after_s >= 0 && elapsed >= (double)after_s) || access(file, F_OK) == 0;
}

/* run: poll until the scheduler exits or a signal comes; returns the status. */
static int run(struct scx_ktstr *skel, const struct opts *o, double t0)
{
	bool stalled = false, crashed = false, degraded = false, piled = false;

	while (!stop_sig && !UEI_EXITED(skel, uei)) {
		double el = now_s() - t0;

		if (!stalled && due(o->stall_after, el, STALL_FILE)) {
			skel->bss->stall = 1;
			stalled = true;
			fprintf(stderr, PROG ": stalling at %.1fs\n", el);
		}
		if (!crashed && due(o->crash_after, el, CRASH_FILE)) {
			skel->bss->crash = 1;
			crashed = true;
			fprintf(stderr, PROG ": crashing at %.1fs\n", el);
		}
		if (!degraded && due(o->degrade_after, el, DEGRADE_FILE)) {
			skel->bss->degrade_rt = 1;
			degraded = true;
			fprintf(stderr, PROG ": degrading at %.1fs\n", el);
		}
		if (!piled && o->pile_on_after >= 0 && el >= (double)o->pile_on_after) {
			skel->bss->pile_on_rt = 1;
			piled = true;
			fprintf(stderr, PROG ": piling onto CPU %ld at %.1fs\n", o->pile_on, el);
		}
		usleep(POLL_MS * 1000);
	}
	return stop_sig && !UEI_EXITED(skel, uei) ? 0 : 2;
}

int main(int argc, char **argv)
{
	struct scx_ktstr *skel;
	struct bpf_link *link;
	struct opts o;
	char desc[256];
	int status, err;
	double t0;

	parse_args(argc, argv, &o);
	describe(&o, desc, sizeof(desc));
	if (o.dry_run) {
		printf(PROG ": would attach (flags %s)\n", desc);
		return 0;
	}
	verbose = o.verbose;
	libbpf_set_print(print_libbpf);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	if (access("/sys/kernel/sched_ext", F_OK)) {
		fprintf(stderr, PROG ": this kernel has no sched_ext (/sys/kernel/sched_ext is "
			"missing): boot one built with CONFIG_SCHED_CLASS_EXT=y (ktstr kernel build)\n");
		return 1;
	}
	skel = scx_ktstr__open();
	if (!skel) {
		fprintf(stderr, PROG ": cannot open the BPF object: %s\n", strerror(errno));
		return 1;
	}
	skel->struct_ops.ktstr_ops->hotplug_seq = scx_hotplug_seq();
	skel->struct_ops.ktstr_ops->timeout_ms = (u32)o.timeout_ms;
	skel->rodata->degrade = o.degrade;
	skel->rodata->slow = o.slow;
	skel->rodata->scattershot = o.scattershot;
	skel->rodata->fail_verify = o.fail_verify;
	skel->rodata->short_slice = o.short_slice;
	skel->rodata->local_first = o.local_first;
	skel->rodata->pile_cpu = (s32)o.pile_on;
	skel->rodata->pile_on = o.pile_on >= 0 && o.pile_on_after < 0;
	UEI_SET_SIZE(skel, ktstr_ops, uei);

	err = scx_ktstr__load(skel);
	if (err) {
		fprintf(stderr, PROG ": loading the scheduler failed: %s%s\n", strerror(-err),
			err == -EACCES || err == -EINVAL ? " (the verifier's log is above)" : "");
		scx_ktstr__destroy(skel);
		return 1;
	}
	link = bpf_map__attach_struct_ops(skel->maps.ktstr_ops);
	if (!link) {
		err = -errno;
		fprintf(stderr, PROG ": attaching the struct_ops failed: %s%s\n", strerror(-err),
			err == -EBUSY || err == -EEXIST ? " (another sched_ext scheduler is running)"
						       : "");
		scx_ktstr__destroy(skel);
		return 1;
	}
	printf(PROG ": attached (flags %s)\n", desc);

	t0 = now_s();
	status = run(skel, &o, t0);
	t0 = now_s() - t0;	/* how long it ran */

	bpf_link__destroy(link);	/* waits for the kernel's disable: the UEI is final */
	report_exit(skel);
	fprintf(stderr, PROG ": ran for %.1fs\n", t0);
	fprintf(stderr,
		PROG ": %llu enqueued, %llu dispatched, %llu skipped, %llu scattered, %llu piled\n",
		(unsigned long long)skel->bss->nr_enqueued,
		(unsigned long long)skel->bss->nr_dispatched,
		(unsigned long long)skel->bss->nr_skipped,
		(unsigned long long)skel->bss->nr_scattered,
		(unsigned long long)skel->bss->nr_piled);
	scx_ktstr__destroy(skel);
	return status;
}

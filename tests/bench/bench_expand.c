// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark (no pass/fail on time): load, validate and expand 100 varied
 * scenario files with the whole preset table, the 48 profiles of the
 * built-in flags and an unlimited host, several times over.
 *
 * usage: bench_expand [REPETITIONS]   (default 10)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gauntlet/gauntlet.h"
#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"

#define NFILES 100

static const char sched_yaml[] =
	"name: scx-ktstr\n"
	"binary: scx_ktstr\n"
	"args: [--slice-us, \"5000\"]\n"
	"topology: 1n2l4c1t\n"
	"flags: [llc, borrow, steal, rebal, reject-pin, no-ctrl]\n";

/* Four shapes, with flags, constraints and schedulers varied on top. */
static void write_scenario(FILE *f, int i)
{
	fprintf(f, "name: bench_%03d\n", i);
	fprintf(f, "description: generated scenario %d\n", i);
	fprintf(f, "scheduler: %s\n", i % 10 == 9 ? "eevdf" : "scx-ktstr");
	fprintf(f, "duration: %ds\n", 2 + i % 3);
	if (i % 10 != 9 && i % 5 == 0)
		fprintf(f, "flags: {required: [llc], excluded: [no-ctrl]}\n");
	else if (i % 10 != 9 && i % 7 == 0)
		fprintf(f, "flags: {excluded: [steal]}\n");
	switch (i % 4) {
	case 0:
		fprintf(f,
			"cgroups:\n"
			"  - name: cg0\n"
			"    cpuset: {disjoint: 0/2}\n"
			"  - name: cg1\n"
			"    cpuset: {disjoint: 1/2}\n"
			"    work: {type: bursty, burst: 50ms, sleep: 100ms}\n"
			"    workers: 4\n"
			"checks:\n"
			"  max_gap: 2000ms\n"
			"  max_spread: 15%%\n");
		break;
	case 1:
		fprintf(f,
			"cgroups:\n"
			"  - {name: cg0, work: cpu-spin}\n"
			"steps:\n"
			"  - ops: [{set_cpuset: {cgroup: cg0, cpuset: {range: [0.0, 0.5]}}}]\n"
			"    hold: 1/3\n"
			"  - ops:\n"
			"      - {add_cgroup: extra}\n"
			"      - {spawn: {cgroup: extra, work: pipe-io, workers: 2}}\n"
			"    hold: 1/3\n"
			"  - ops:\n"
			"      - {move_all_tasks: {from: extra, to: cg0}}\n"
			"      - {remove_cgroup: extra}\n"
			"      - {clear_cpuset: cg0}\n"
			"    cgroups: [{name: cg1, work: yield-heavy}]\n"
			"    hold: 1/3\n");
		break;
	case 2:
		fprintf(f,
			"topology: {llcs: 2}\n"
			"cgroups:\n"
			"  - name: cg0\n"
			"    cpuset: {llc: 0}\n"
			"    works:\n"
			"      - {type: pipe-io, workers: 2}\n"
			"      - {type: cpu-spin, workers: 1}\n"
			"  - name: cg1\n"
			"    cpuset: {llc: 1}\n"
			"    work: cache-pressure\n");
		break;
	default:
		fprintf(f,
			"workers: 4\n"
			"cgroups:\n"
			"  - name: outer\n"
			"    cpuset: {overlap: 0/2, frac: 0.5}\n"
			"  - name: outer/inner\n"
			"    work: mixed\n"
			"steps:\n"
			"  - ops: [{run: {name: bench, argv: [schbench, -m, 2], cgroup: outer}}]\n"
			"    hold: 500ms\n"
			"  - ops: [{kill: {name: bench}}, {set_affinity: {cgroup: outer/inner, affinity: single-cpu}}]\n"
			"    hold: {loop: 200ms}\n");
		break;
	}
	fprintf(f, "gauntlet:\n  presets: all\n");
	if (i % 3 == 0)
		fprintf(f, "  constraints: {max_numa: 2}\n");
}

static int write_files(const char *dir)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/schedulers", dir);
	if (mkdir(path, 0700))
		return -errno;
	snprintf(path, sizeof(path), "%s/schedulers/scx-ktstr.yaml", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(sched_yaml, f);
	fclose(f);
	for (int i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/s%03d.yaml", dir, i);
		f = fopen(path, "w");
		if (!f)
			return -errno;
		write_scenario(f, i);
		if (fclose(f))
			return -EIO;
	}
	return 0;
}

static void remove_files(const char *dir)
{
	char path[4096];

	for (int i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/s%03d.yaml", dir, i);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/schedulers/scx-ktstr.yaml", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/schedulers", dir);
	rmdir(path);
	rmdir(dir);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double now_ms(void);

/* Milliseconds per phase of one pass. */
struct phases {
	double load, validate, expand;
};

/* One full pass; returns the number of variants, or -1 after printing errors. */
static long run_once(const char *dir, size_t *arena_bytes, struct phases *ph)
{
	struct gauntlet_opts opts = { .host = { .unlimited = true } };
	struct variant_list vl = { 0 };
	struct diag_list d = { 0 };
	struct scenario_set set;
	char path[4096], err[512];
	int errors = 0;
	long n = -1;
	double t0 = now_ms(), t1, t2;

	scenario_set__init(&set);
	for (int i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/s%03d.yaml", dir, i);
		errors += scenario__load_file(&set, path, &d);
	}
	t1 = now_ms();
	errors += scenario_set__validate(&set, &d);
	t2 = now_ms();
	ph->load = t1 - t0;
	ph->validate = t2 - t1;
	if (errors) {
		diag__print(&d, stderr);
		goto out;
	}
	if (gauntlet__expand(&set, &opts, &vl, err, sizeof(err))) {
		fprintf(stderr, "bench_expand: %s\n", err);
		goto out;
	}
	ph->expand = now_ms() - t2;
	n = (long)vl.n;
	*arena_bytes = set.arena.used_total;
out:
	variant_list__free(&vl);
	diag__free(&d);
	scenario_set__free(&set);
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 10;
	char dir[] = "/tmp/ktstr-bench-XXXXXX";
	double *ms, *load, *val, *exp;
	long variants = 0;
	size_t arena = 0;
	struct rusage ru;
	int ret = 1;

	if (reps < 1)
		reps = 1;
	ms = calloc((size_t)reps * 4, sizeof(*ms));
	if (!ms || !mkdtemp(dir)) {
		perror("bench_expand");
		free(ms);
		return 1;
	}
	load = ms + reps;
	val = load + reps;
	exp = val + reps;
	if (write_files(dir)) {
		fprintf(stderr, "bench_expand: cannot write the scenario files in %s\n", dir);
		goto out;
	}
	for (int r = 0; r < reps; r++) {
		double t0 = now_ms();
		struct phases ph = { 0 };

		variants = run_once(dir, &arena, &ph);
		ms[r] = now_ms() - t0;
		load[r] = ph.load;
		val[r] = ph.validate;
		exp[r] = ph.expand;
		if (variants < 0)
			goto out;
	}
	qsort(ms, (size_t)reps, sizeof(*ms), cmp_double);
	qsort(load, (size_t)reps, sizeof(*ms), cmp_double);
	qsort(val, (size_t)reps, sizeof(*ms), cmp_double);
	qsort(exp, (size_t)reps, sizeof(*ms), cmp_double);
	getrusage(RUSAGE_SELF, &ru);
	printf("load+validate+expand %d files: %ld variants x %d runs, median %.1f ms, "
	       "min %.1f ms, max %.1f ms; model %zu KiB, peak RSS %ld KiB\n",
	       NFILES, variants, reps, ms[reps / 2], ms[0], ms[reps - 1], arena / 1024,
	       ru.ru_maxrss);
	printf("medians: load %.1f ms, validate %.1f ms, expand %.1f ms\n", load[reps / 2],
	       val[reps / 2], exp[reps / 2]);
	ret = 0;
out:
	remove_files(dir);
	free(ms);
	return ret;
}

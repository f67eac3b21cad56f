/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gauntlet's job runner: every variant in its own child process (which
 * calls run__variant() and hands its outcome back as one JSON line over a
 * pipe), at most @jobs at once, results printed in completion order.
 *
 * Why a process per variant: each VM, its signals, its memory and whatever
 * goes wrong in it stay apart, and the VMs really run in parallel.
 *
 * SIGINT, SIGTERM, SIGHUP: no new variant starts; each running child gets
 * SIGTERM, kills its qemu (lib/vm/vm.h's signal handling) and removes its
 * temporary files; the runner waits for them (SIGKILL after 15 s), counts
 * what had finished and reports the signal.
 */
#ifndef KTSTR_GAUNTLET_RUN_H
#define KTSTR_GAUNTLET_RUN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "out/outcome.h"
#include "run_opts.h"
#include "scenario/scenario.h"

/* One resolved --kernel. */
struct gauntlet_kernel {
	char image[PATH_MAX];
	char elf[PATH_MAX];		/* its ELF vmlinux with a PVH entry, or "" */
	char vmlinux[PATH_MAX];		/* its ELF vmlinux (the monitor's symbols), or "" */
	char label[160];		/* "6.12.117", or the cache key / file name */
	int scx;			/* has sched_ext: 1 yes, 0 no (a SKIP), -1 unknown */
	int static_keys;		/* kfind_result.static_keys: 1, 0, <0 unknown */
};

struct gauntlet_job {
	const struct scenario *sc;
	const struct topology *topo;
	const char *preset;		/* preset name */
	flag_mask profile;
	const struct gauntlet_kernel *kernel;
	char name[384];			/* variant name, "@label" appended across kernels */
	double est_s;			/* estimated wall time (lib/gauntlet/budget.h) */
	char skip_reason[256];		/* "": run it; else a SKIP without a VM */
};

struct gauntlet_run_opts {
	const struct run_opts *ro;	/* kernel, kernel_label and profile set per job */
	unsigned jobs;			/* >= 1 */
	bool tty;			/* progress line on @out instead of PASS lines */
	bool verbose;			/* PASS reports too */
	FILE *out;
	/* Each outcome as it arrives (for --json, --junit, --results-dir); may be NULL. */
	void (*on_outcome)(const struct outcome *o, void *arg);
	void *arg;
};

struct gauntlet_tally {
	size_t passed, failed, skipped;
	size_t not_run;			/* interrupted before they finished */
	size_t lost_outputs;		/* variants whose --results-dir could not be written */
	int signal;			/* the signal that stopped the run, or 0 */
};

/*
 * Run @jobs[0..n). Prints one line per variant ("PASS [  4.21s] name",
 * "FAIL ..." followed by its report, "SKIP [  0.00s] name (reason)") or,
 * when @o->tty, the progress line with FAIL and SKIP lines above it.
 * Returns 0 with @t filled, or -errno when the runner itself failed (no
 * pipe, no fork): then the message is printed.
 */
int gauntlet__run(struct gauntlet_job *jobs, size_t n, const struct gauntlet_run_opts *o,
		  struct gauntlet_tally *t);

#endif

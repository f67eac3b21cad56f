/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plan: one scenario variant serialized for the guest agent, with every
 * host-side resolution done (cpusets to CPU lists, holds to nanoseconds,
 * worker counts and work parameters complete). The agent knows no topology
 * maths and no YAML; it reads the plan from /ktstr/plan in the initramfs
 * (initramfs/agent/plan_read.c is the reader). The format, its version and
 * the limits the reader enforces are in lib/wire/plan_format.h, which both
 * sides include.
 */
#ifndef KTSTR_PLAN_H
#define KTSTR_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"
#include "topo/topology.h"
#include "wire/plan_format.h"

/* ktstr shell's records (plan_format.h, shell mode). */
struct plan_shell_req {
	const char *cmd;		/* "shell cmd" with this command; NULL: tty or script */
	bool script;			/* without cmd: "shell script", not "shell tty" */
	const char *const *env;		/* "NAME=VALUE", at most PLAN_MAX_SHELL_ENV */
	size_t nenv;
	uint32_t rows, cols;		/* the console's window size; 0: unknown */
};

struct plan_opts {
	uint64_t duration_ns;		/* 0 = the scenario's */
	uint32_t workers;		/* 0 = the scenario's default per group */
	int work_type_override;		/* enum work_type for swappable groups, -1 = none */
	const char *sched_path;		/* the scheduler binary in the guest; NULL = none */
	const char *const *sched_args;	/* the definition's and the profile's arguments */
	size_t nsched_args;
	/* A worker that sees a scheduling gap this long sends the scheduler
	 * SIGUSR2 (the work-conservation watchdog); 0 = never. */
	uint64_t sched_gap_kill_ns;
	/* "bpf-progs": the agent reports the loaded BPF programs (ktstr verifier). */
	bool bpf_progs;
	/* ktstr shell (plan_format.h): NULL for a scenario run. */
	const struct plan_shell_req *shell;
};

#define PLAN_OPTS_DEFAULT ((struct plan_opts){ .work_type_override = -1 })

/*
 * Write the plan of @sc on topology @t to @out. Returns 0, or a negative
 * errno with a message in @err (a cpuset that does not resolve on @t, a
 * worker count that is not a multiple of its group size, a write error).
 */
int plan__write(const struct scenario *sc, const struct topology *t, const struct plan_opts *o,
		FILE *out, char *err, size_t errlen);

/* What plan__write() does with @o's work_type_override on a scenario. */
struct plan_swaps {
	size_t swapped;		/* swappable groups it replaces */
	size_t kept;		/* swappable groups it leaves: workers not a multiple of its group size */
};

/*
 * Count, into @s, the swappable work groups (backdrop and steps' cgroups;
 * never spawn ops) of @sc on @t that @o's work_type_override replaces and
 * those it keeps, as plan__write() decides. Both 0 when there is no
 * override or no swappable group. Returns 0 or the error of making @sc
 * concrete on @t (then @s is zero).
 */
int plan__swaps(const struct scenario *sc, const struct topology *t, const struct plan_opts *o,
		struct plan_swaps *s);

/* Percent-encode @s as a plan string token ("=..."). */
void plan__put_str(FILE *out, const char *s);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's reading of the plan (format, version and limits:
 * lib/wire/plan_format.h). The parser is strict and bounded: every count,
 * length and number has a limit, and any deviation is an error naming the
 * line.
 */
#ifndef KTSTR_AGENT_PLAN_H
#define KTSTR_AGENT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpumask.h"
#include "plan_format.h"
#include "workload.h"

enum plan_policy { PLAN_POLICY_NORMAL, PLAN_POLICY_BATCH, PLAN_POLICY_IDLE, PLAN_POLICY_FIFO,
		   PLAN_POLICY_RR };

enum plan_affinity { PLAN_AFF_INHERIT, PLAN_AFF_RANDOM_SUBSET, PLAN_AFF_LLC_ALIGNED,
		     PLAN_AFF_CROSS_CGROUP, PLAN_AFF_SINGLE_CPU, PLAN_AFF_CPUS };

enum plan_mempol { PLAN_MPOL_DEFAULT, PLAN_MPOL_LOCAL, PLAN_MPOL_BIND, PLAN_MPOL_PREFERRED,
		   PLAN_MPOL_INTERLEAVE, PLAN_MPOL_PREFERRED_MANY,
		   PLAN_MPOL_WEIGHTED_INTERLEAVE };

enum plan_phase_kind { PLAN_PHASE_SPIN, PLAN_PHASE_SLEEP, PLAN_PHASE_YIELD, PLAN_PHASE_IO };

/* The op kinds, numbered as the host's enum op_kind. */
enum plan_op_kind {
	PLAN_OP_ADD_CGROUP, PLAN_OP_REMOVE_CGROUP, PLAN_OP_SET_CPUSET, PLAN_OP_CLEAR_CPUSET,
	PLAN_OP_SWAP_CPUSETS, PLAN_OP_SPAWN, PLAN_OP_STOP_CGROUP, PLAN_OP_SET_AFFINITY,
	PLAN_OP_SPAWN_HOST, PLAN_OP_MOVE_ALL_TASKS, PLAN_OP_RUN, PLAN_OP_WAIT, PLAN_OP_KILL,
	PLAN_OP_MOVE_TASKS, PLAN_OP_RESTART_SCHEDULER, PLAN_OP_COUNT
};

struct plan_phase {
	enum plan_phase_kind kind;
	uint64_t ns;
};

struct plan_work {
	enum work_type type;
	uint32_t workers;
	enum plan_policy policy;
	uint32_t prio;
	bool has_nice;
	int32_t nice;
	enum plan_affinity affinity;
	struct cpumask aff_cpus;	/* PLAN_AFF_CPUS */
	enum plan_mempol mempol;
	uint64_t nodes;
	uint32_t mpol_flags;
	int64_t params[WORK_MAX_PARAMS];
	struct plan_phase *phases;
	size_t nphases;
	char **argv;			/* exec; argv[argc] == NULL */
	size_t argc;
};

struct plan_cgroup {
	char *name;
	bool has_cpus;
	struct cpumask cpus;
	struct plan_work *works;
	size_t nworks;
};

struct plan_op {
	enum plan_op_kind kind;
	char *cgroup;			/* target; swap's a, move's from, run's (optional) */
	char *cgroup2;			/* swap's b, move's to */
	char *name;			/* run, wait, kill */
	bool has_cpus;			/* add_cgroup, set_cpuset */
	struct cpumask cpus;
	enum plan_affinity affinity;	/* set_affinity */
	struct cpumask aff_cpus;
	bool has_work;			/* spawn, spawn_host */
	struct plan_work work;
	char **argv;			/* run; argv[argc] == NULL */
	size_t argc;
	uint32_t count;			/* move_tasks: at most this many tasks */
	uint64_t down_ns;		/* restart_scheduler: time between stop and start */
};

struct plan_section {
	bool loop;			/* hold: repeat the ops every ns until the end */
	uint64_t ns;			/* hold time or loop interval; 0 for the backdrop */
	struct plan_cgroup *cgroups;
	size_t ncgroups;
	struct plan_op *ops;
	size_t nops;
};

/* ktstr shell (plan_format.h, shell mode): the records "shell" and "shell-*". */
enum plan_shell_mode { PLAN_SHELL_NONE = 0, PLAN_SHELL_TTY, PLAN_SHELL_CMD, PLAN_SHELL_SCRIPT };

struct plan_shell {
	enum plan_shell_mode mode;
	char *cmd;			/* PLAN_SHELL_CMD: sh -c's argument */
	char **env;			/* "NAME=VALUE", env[nenv] == NULL */
	size_t nenv;
	uint32_t rows, cols;		/* the console's window size; 0: unknown */
};

struct plan {
	char *name;
	uint64_t duration_ns;
	uint32_t workers;
	uint32_t ncpus;
	uint16_t cpu_llc[CPUMASK_BITS];
	uint16_t cpu_node[CPUMASK_BITS];
	char *sched_path;		/* NULL: the kernel's own scheduler */
	char **sched_args;		/* sched_args[nsched_args] == NULL */
	size_t nsched_args;
	uint64_t sched_gap_kill_ns;	/* SIGUSR2 to the scheduler on a gap this long; 0 = never */
	bool bpf_progs;			/* "bpf-progs": report the loaded BPF programs */
	struct plan_shell shell;	/* mode NONE: run the steps */
	struct plan_section backdrop;
	struct plan_section *steps;
	size_t nsteps;
};

/* Parse @len bytes of @buf into @p. Returns 0, or -EINVAL with "line N: why". */
int plan__parse(const char *buf, size_t len, struct plan *p, char *err, size_t errlen);
/* Read and parse the file @path. */
int plan__load(const char *path, struct plan *p, char *err, size_t errlen);
void plan__free(struct plan *p);

const char *plan_op__name(enum plan_op_kind k);

#endif

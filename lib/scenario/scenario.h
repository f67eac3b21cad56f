/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room lib/scenario: the scenario model (this header) and its scheduler
 * definitions (scheduler.h), the YAML loader (scenario_load.h), validation
 * with the resolution of schedulers and topologies (scenario_validate.h) and
 * the plan writer that turns a scenario into the agent's plan (plan_write.h).
 * It may include lib/base, lib/topo, lib/wire and lib/verdict.
 */

/*
 * The scenario model: a plain C description of what runs inside one VM.
 *
 * Everything hangs off a struct scenario_set, which owns all memory (one
 * arena) and is released by scenario_set__free(). Nothing here knows YAML:
 * scenario_load.h fills the model, scenario_validate.h checks it.
 */
#ifndef KTSTR_SCENARIO_H
#define KTSTR_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "verdict/checks.h"
#include "topo/cpuset.h"
#include "topo/cpuset_spec.h"
#include "base/diag.h"
#include "scheduler.h"
#include "topo/topology.h"
#include "wire/workload.h"

/* A count expression ("usable/2"), count_expr.h; evaluated per topology by scenario_inst.h. */
struct count_expr;

#define SCENARIO_DEFAULT_DURATION_NS (2ULL * 1000000000ULL)
#define SCENARIO_DEFAULT_WORKERS 2
#define SCENARIO_DEFAULT_MEMORY_MB 2048

enum sched_policy_kind { POLICY_NORMAL, POLICY_BATCH, POLICY_IDLE, POLICY_FIFO, POLICY_RR };

struct sched_policy {
	enum sched_policy_kind kind;
	uint32_t priority;		/* 1..99 for fifo and rr */
};

enum affinity_kind {
	AFFINITY_INHERIT,
	AFFINITY_RANDOM_SUBSET,
	AFFINITY_LLC_ALIGNED,
	AFFINITY_CROSS_CGROUP,
	AFFINITY_SINGLE_CPU,
	AFFINITY_CPUS,			/* an explicit CPU list */
};

struct affinity {
	enum affinity_kind kind;
	struct cpuset cpus;		/* AFFINITY_CPUS */
};

enum mem_policy_kind {
	MEMPOL_DEFAULT,
	MEMPOL_LOCAL,
	MEMPOL_BIND,
	MEMPOL_PREFERRED,
	MEMPOL_INTERLEAVE,
	MEMPOL_PREFERRED_MANY,
	MEMPOL_WEIGHTED_INTERLEAVE,
};

#define MPOL_FLAG_STATIC_NODES   (1u << 15)
#define MPOL_FLAG_RELATIVE_NODES (1u << 14)
#define MPOL_FLAG_NUMA_BALANCING (1u << 13)

struct mem_policy {
	enum mem_policy_kind kind;
	uint64_t nodes;			/* bitmask of NUMA nodes */
	uint32_t flags;			/* MPOL_FLAG_* */
};

enum seq_phase_kind { PHASE_SPIN, PHASE_SLEEP, PHASE_YIELD, PHASE_IO };

struct seq_phase {
	enum seq_phase_kind kind;
	uint64_t duration_ns;
};

/* One group of identical workers. */
struct work {
	enum work_type type;
	int64_t params[WORK_MAX_PARAMS];	/* by workload.h's parameter order */
	struct seq_phase *phases;		/* sequence */
	size_t nphases;
	const char **argv;			/* exec; argv[argc] == NULL */
	size_t argc;
	uint32_t workers;			/* 0 = the scenario's `workers` */
	const struct count_expr *workers_expr;	/* workers as an expression (workers then 0) */
	struct src_loc workers_loc;		/* where `workers` was given */
	struct sched_policy policy;
	int32_t nice;
	bool has_nice;
	struct affinity affinity;
	struct mem_policy mem_policy;
	bool swappable;				/* the gauntlet's --work-type may replace it */
	struct src_loc loc;
};

struct cgroup_def {
	const char *name;			/* may be nested: "a/b" */
	bool has_cpuset;
	struct cpuset_spec cpuset;
	struct work *works;			/* at least one */
	size_t nworks;
	struct src_loc loc;
	struct src_loc cpuset_loc;
	/*
	 * repeat: this entry stands for that many cgroups, with {i} (0..N-1)
	 * and {n} (N) replaced in the name and in cpuset_tmpl, the text of
	 * the cpuset's value when it holds them (scenario_inst.h).
	 */
	const struct count_expr *repeat;
	struct src_loc repeat_loc;
	const char *cpuset_tmpl;
};

enum op_kind {
	OP_ADD_CGROUP,
	OP_REMOVE_CGROUP,
	OP_SET_CPUSET,
	OP_CLEAR_CPUSET,
	OP_SWAP_CPUSETS,
	OP_SPAWN,
	OP_STOP_CGROUP,
	OP_SET_AFFINITY,
	OP_SPAWN_HOST,
	OP_MOVE_ALL_TASKS,
	OP_RUN,
	OP_WAIT,
	OP_KILL,
	OP_MOVE_TASKS,
	OP_RESTART_SCHEDULER,
	OP_KIND_COUNT
};

struct op {
	enum op_kind kind;
	/*
	 * cgroup: add/remove/set/clear/spawn/stop/set_affinity, run's optional
	 * cgroup, swap's first and the moves' `from`. cgroup2: swap's second and
	 * the moves' `to`.
	 */
	const char *cgroup;
	const char *cgroup2;
	bool has_cpuset;		/* add_cgroup with a cpuset, set_cpuset */
	struct cpuset_spec cpuset;
	struct work work;		/* spawn, spawn_host */
	struct affinity affinity;	/* set_affinity */
	const char *name;		/* run, wait, kill */
	const char **argv;		/* run */
	size_t argc;
	uint32_t count;			/* move_tasks: at most this many tasks (>= 1) */
	uint64_t down_ns;		/* restart_scheduler: time between stop and start */
	struct src_loc loc;
};

enum hold_kind { HOLD_FRAC, HOLD_FIXED, HOLD_LOOP };

struct hold {
	enum hold_kind kind;
	double frac;			/* HOLD_FRAC: share of the scenario duration */
	uint64_t ns;			/* HOLD_FIXED: time; HOLD_LOOP: interval */
};

struct step {
	struct op *ops;
	size_t nops;
	struct cgroup_def *cgroups;	/* live for this step only */
	size_t ncgroups;
	struct hold hold;
	struct src_loc loc;
};

struct gauntlet_spec {
	bool all_presets;		/* `presets: all` or no gauntlet block */
	const char **presets;
	size_t npresets;
	struct topo_constraints constraints;
	struct src_loc loc;
};

/*
 * requires: what the variant's topology and scheduler must offer. A variant
 * that lacks it is skipped with the reason ("needs >= 2 LLCs (1n1l4c1t has
 * 1)"), never run and never passed. Zero / false = no requirement.
 */
struct scenario_requires {
	uint32_t min_cpus, min_llcs, min_numa;
	bool smt;			/* threads per core >= 2 */
	bool sched_ext;			/* a sched_ext scheduler, not eevdf */
	struct src_loc loc;
};

struct scenario {
	const char *name;
	const char *description;
	const char *file;
	struct src_loc loc;

	/* Dimensions the file set (0 = unset) and the resolved topology. */
	struct topology_partial topo_given;
	struct topology topology;
	const char *topology_preset;	/* set when written as a preset name */
	struct src_loc topology_loc;

	uint64_t duration_ns;
	uint32_t workers;		/* default workers per group */
	const struct count_expr *workers_expr;	/* given as an expression; evaluated per topology */
	struct src_loc workers_loc;
	uint32_t memory_mb;

	struct cgroup_def *cgroups;	/* the backdrop: alive for the whole run */
	size_t ncgroups;
	struct step *steps;
	size_t nsteps;

	struct checks checks;
	bool expect_fail;
	const char *expect_reason;	/* expect: {fail: TEXT}: a reason must contain TEXT */

	/* The scheduler: a name to look up (sched_name) or an inline definition. */
	const char *sched_name;		/* NULL with an inline def; "eevdf" by default */
	struct sched_def *sched_inline;
	const struct sched_def *sched;	/* resolved by validation; never NULL after it */
	struct src_loc sched_loc;
	/* watchdog_timeout: overrides the scheduler's (passed by its watchdog_arg); 0 = its own */
	uint64_t watchdog_timeout_ns;
	struct src_loc watchdog_loc;

	const char **flags_required;
	size_t nflags_required;
	const char **flags_excluded;
	size_t nflags_excluded;
	struct src_loc flags_loc;

	struct gauntlet_spec gauntlet;
	struct scenario_requires requires;
};

struct scenario_set {
	struct arena arena;		/* owns everything below */
	struct scenario **items;
	size_t n, cap;
	struct sched_def **scheds;	/* definitions from --schedulers files */
	size_t nscheds, cap_scheds;
	const char **files;		/* file names, for src_loc.file */
	size_t nfiles, cap_files;
	/*
	 * Fills the flags of a `flags: from-binary` definition (run by
	 * validation, once per definition); returns 0 or -errno with @err.
	 * NULL: nothing is run; such definitions get flags_unknown.
	 */
	int (*learn_flags)(struct scenario_set *set, struct sched_def *def, char *err,
			   size_t errlen);
};

void scenario_set__init(struct scenario_set *s);
void scenario_set__free(struct scenario_set *s);

const char *op_kind__name(enum op_kind k);		/* "set_cpuset" */
const char *affinity_kind__name(enum affinity_kind k);	/* "random-subset" */
const char *mem_policy_kind__name(enum mem_policy_kind k);
const char *sched_policy_kind__name(enum sched_policy_kind k);
const char *seq_phase_kind__name(enum seq_phase_kind k);

/*
 * @sc's category: the name of the folder its file is in ("basic" for
 * scenarios/basic/x.yaml), "" for a file in the current directory or from
 * a buffer. The catalog's folders are its categories.
 */
void scenario__category(const struct scenario *sc, char *buf, size_t len);

/* Total workers across all groups of @cg, given the scenario default. */
uint32_t cgroup_def__workers(const struct cgroup_def *cg, uint32_t dflt);

#endif

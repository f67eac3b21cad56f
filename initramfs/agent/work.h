/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workers: groups of forked processes that each run one work type
 * (ktstr-scenario(5), WORK TYPES) until stopped, then report (struct
 * ktstr_msg_worker_report).
 *
 * Lifecycle: work_group__spawn() forks the workers blocked on
 * a start pipe, moves their pids into the cgroup, then releases them, so the
 * first instruction of work runs inside the cgroup. work_group__stop() sends
 * SIGUSR1, collects every report before a shared deadline, kills and reaps
 * everything, and frees the group; a worker that died or hung gets a
 * sentinel report saying so. work_group__kill() does the same without
 * reports. No path leaves a worker running or unreaped.
 *
 * Single-threaded parent assumed (the agent). The parent must not reap
 * worker pids itself (no waitpid(-1) while a group is alive): the group
 * waits for its own pids. Orphans (descendants of a killed worker) are
 * reparented as usual and are the init's to reap.
 */
#ifndef KTSTR_AGENT_WORK_H
#define KTSTR_AGENT_WORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ktstr_proto.h"
#include "workload.h"		/* enum work_type, WORK_MAX_PARAMS */

#define WORK_MAX_CPUS 256
#define WORK_STOP_TIMEOUT_NS (5ull * 1000000000ull)	/* the default deadline */

struct work_cpumask {
	uint64_t bits[WORK_MAX_CPUS / 64];
};

/* Same numbering as lib/scenario/scenario.h's enum affinity_kind. */
enum work_affinity_kind {
	WORK_AFF_INHERIT,
	WORK_AFF_RANDOM_SUBSET,		/* each worker: random max(|pool|/2,1) CPUs of pool */
	WORK_AFF_LLC_ALIGNED,		/* the LLC overlapping pool most, & pool */
	WORK_AFF_CROSS_CGROUP,		/* all CPUs; the kernel intersects with the cpuset */
	WORK_AFF_SINGLE_CPU,		/* first CPU of pool, for every worker */
	WORK_AFF_CPUS,			/* cpus & pool (empty: none), or cpus if no pool */
};

struct work_affinity {
	enum work_affinity_kind kind;
	struct work_cpumask cpus;		/* WORK_AFF_CPUS */
	/* The cgroup's current cpuset; NULL = no cpuset (pool = all CPUs). */
	const struct work_cpumask *pool;
	/* LLC index of each CPU [WORK_MAX_CPUS], -1 = unknown; NULL = none. */
	const int32_t *cpu_llc;
};

/* Same numbering as lib/scenario/scenario.h's enum sched_policy_kind. */
enum work_policy { WORK_POL_NORMAL, WORK_POL_BATCH, WORK_POL_IDLE, WORK_POL_FIFO, WORK_POL_RR };

/* Same numbering as lib/scenario/scenario.h's enum mem_policy_kind. */
enum work_mempol {
	WORK_MPOL_DEFAULT,		/* no syscall */
	WORK_MPOL_LOCAL,
	WORK_MPOL_BIND,
	WORK_MPOL_PREFERRED,		/* the lowest node of `nodes` */
	WORK_MPOL_INTERLEAVE,
	WORK_MPOL_PREFERRED_MANY,
	WORK_MPOL_WEIGHTED_INTERLEAVE,
};

/* Same numbering as lib/scenario/scenario.h's enum seq_phase_kind. */
enum work_phase_kind { WORK_PHASE_SPIN, WORK_PHASE_SLEEP, WORK_PHASE_YIELD, WORK_PHASE_IO };

struct work_phase {
	enum work_phase_kind kind;
	uint64_t duration_ns;
};

/* Test-only behaviours (tests/unit/test_work.c); 0 in production. */
enum work_test_hook {
	WORK_TEST_NONE,
	WORK_TEST_IGNORE_STOP,		/* ignore SIGUSR1 and spin forever */
	WORK_TEST_EXIT_EARLY,		/* _exit(3) right after start, no report */
};

struct work_spec {
	enum work_type type;
	/*
	 * In lib/wire/workload.c's order for the type, complete (ns, bytes,
	 * counts); a 0 is replaced by the type's default (work_params.c).
	 */
	int64_t params[WORK_MAX_PARAMS];
	const struct work_phase *phases;	/* WORK_SEQUENCE */
	size_t nphases;
	char *const *argv;			/* WORK_EXEC, NULL-terminated; never a shell */
	enum work_policy policy;
	uint32_t priority;			/* 1..99 for fifo and rr */
	bool has_nice;
	int32_t nice;
	struct work_affinity affinity;
	struct {
		enum work_mempol mode;
		uint64_t nodes;			/* bitmask of NUMA nodes */
		uint32_t flags;			/* MPOL_F_STATIC_NODES etc: 1<<15, 1<<14, 1<<13 */
	} mempol;
	uint32_t workers;			/* > 0, a multiple of the type's group size */
	/* Copied into every report. */
	const char *cgroup;			/* relative to the ktstr root; NULL = "" */
	uint32_t step;				/* UINT32_MAX = backdrop */
	uint32_t group;
	enum work_test_hook test_hook;
};

struct work_ctx {
	pid_t sched_pid;		/* the scheduler, for the gap watchdog; 0 = none */
	/*
	 * When set: the scheduler's pid as it is now, a MAP_SHARED word the
	 * agent rewrites on restart_scheduler (0 while it is down), so that
	 * workers forked before a restart watch the new process, not a pid
	 * that may be reused. Wins over sched_pid.
	 */
	volatile pid_t *sched_pid_live;
	uint64_t sched_gap_kill_ns;	/* kill(sched_pid, SIGUSR2) on a gap this long; 0 = never */
	uint64_t start_ns;		/* scenario start, CLOCK_MONOTONIC (informational) */
	const char *tmpdir;		/* io-sync / sequence io files; NULL = "/tmp" */
};

struct work_group;

/*
 * How spinning work waits between its units (cpu-spin, the spin phases of
 * the other types), for workers forked from now on. true (the default):
 * with pause, as real spinning code does. false: a plain loop, for QEMU's
 * TCG, where every pause ends the vCPU's turn of the round-robin, so that a
 * spinner got one pause per turn and two iterations in a 3 s scenario.
 */
void work__spin_mode(bool pause);

/*
 * Guest-side faults for ktstr's own end-to-end tests (work_fault.c): main.c
 * sets one from ktstr.selftest=X; it applies to workers forked from then on,
 * right after their placement. Only in builds with -Dguest_faults=true
 * (work_fault__built); elsewhere work__fault() keeps WORK_FAULT_NONE.
 */
enum work_fault {
	WORK_FAULT_NONE,
	WORK_FAULT_ESCAPE_CPUSET,	/* the first worker leaves its cgroup for CPUs outside its cpuset */
	WORK_FAULT_WRONG_NODE,		/* every worker's memory bound to the nodes away from its CPUs */
	WORK_FAULT_SLOW_SPIN,		/* the first worker pauses in its spin loops, as off TCG */
};
extern const bool work_fault__built;
void work__fault(enum work_fault f);

typedef void (*work_emit_fn)(const struct ktstr_msg_worker_report *r, const uint64_t *lat,
			     const struct ktstr_migration *mig, void *arg);

/*
 * Fork s->workers workers, write their pids to @cgroup_procs (a path to a
 * cgroup.procs file, or NULL to leave them where they are: EBUSY is retried
 * 3 times 100 ms apart, ESRCH tolerated), then start them. Returns 0, or a
 * negative errno with nothing left behind (EINVAL: bad spec).
 */
int work_group__spawn(const struct work_spec *s, const char *cgroup_procs,
		      const struct work_ctx *ctx, struct work_group **out);

/* Write every worker pid to @cgroup_procs (move_all_tasks). 0 or -errno. */
int work_group__move(struct work_group *g, const char *cgroup_procs);

/*
 * Is worker @i still running (not exited, not reaped)? An exited one is
 * left for work_group__stop() to reap and report.
 */
bool work_group__alive(const struct work_group *g, size_t i);

/*
 * Take worker @i out of @g into a group of its own (*@out), which from then
 * on is moved, stopped and reported by itself (move_tasks moves one task at
 * a time). Its reports keep its group's step and index; its progress
 * counter and its type group's shared memory stay shared with @g. 0, or
 * -errno with @g unchanged.
 */
int work_group__split(struct work_group *g, size_t i, struct work_group **out);

/* Re-pin every worker (set_affinity op), resolved per worker as at spawn. */
int work_group__set_affinity(struct work_group *g, const struct work_affinity *a);

/*
 * SIGUSR1 every worker and collect reports until @timeout_ns from now (0 =
 * WORK_STOP_TIMEOUT_NS); kill the late ones. @emit (may be NULL) gets one
 * report per worker, in spawn order, then everything is reaped and @g is
 * freed. Returns the number of workers that did not report (sentinels).
 */
int work_group__stop(struct work_group *g, uint64_t timeout_ns, work_emit_fn emit, void *arg);

/* SIGKILL every worker and its process group, reap, free (remove_cgroup). */
void work_group__kill(struct work_group *g);

size_t work_group__count(const struct work_group *g);
pid_t work_group__pid(const struct work_group *g, size_t i);
/* Outer iterations worker @i has done so far (a shared counter). */
uint64_t work_group__iterations(const struct work_group *g, size_t i);

/* Group size of @s's type with its params (1 when ungrouped). */
uint32_t work_spec__group_size(const struct work_spec *s);

#endif

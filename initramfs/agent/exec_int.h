/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The executor's state, shared by exec.c (exec__run, step__*: the steps),
 * exec_ops.c (op__*: the ops, exec__*: the cgroup, group and program
 * bookkeeping behind them) and exec_wait.c (the waits).
 */
#ifndef KTSTR_AGENT_EXEC_INT_H
#define KTSTR_AGENT_EXEC_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "exec.h"
#include "work.h"

#define EXEC_MAX_CGROUPS 512
#define EXEC_MAX_GROUPS 2048
#define EXEC_MAX_PROGS 64
#define EXEC_BACKDROP UINT32_MAX

struct exec_cg {
	bool live;
	bool backdrop;			/* created while setting up the backdrop */
	bool step_local;		/* from a step's cgroups: removed when the step ends */
	bool has_cpus;
	struct work_cpumask cpus;	/* the current cpuset, as written */
	uint32_t next_group;		/* work group index for the next spawn */
	char name[KTSTR_NAME_MAX];
};

struct exec_group {
	struct work_group *g;		/* NULL: a free slot */
	uint32_t step;
	uint64_t since;			/* exec_state.seq when its tasks came to their cgroup */
	char cgroup[KTSTR_NAME_MAX];	/* where its tasks are now; "" = outside (spawn_host) */
};

struct exec_prog {
	bool live;
	pid_t pid;
	char name[KTSTR_NAME_MAX];
	char cgroup[KTSTR_NAME_MAX];	/* "" = none */
};

struct exec_state {
	const struct exec_env *e;
	struct exec_cg cgs[EXEC_MAX_CGROUPS];	/* in creation order */
	size_t ncgs;
	struct exec_group groups[EXEC_MAX_GROUPS];
	size_t ngroups;
	struct exec_prog progs[EXEC_MAX_PROGS];
	uint32_t step;			/* EXEC_BACKDROP while setting up the backdrop */
	uint64_t start_ns, end_ns;
	int32_t cpu_llc[WORK_MAX_CPUS];
	struct work_ctx wctx;
	volatile pid_t *sched_pid_page;	/* MAP_SHARED: wctx.sched_pid_live, or MAP_FAILED */
	int control_fd;
	bool shutdown;			/* the host asked to stop */
	uint32_t reports, sentinels;
	uint64_t seq;			/* spawns and moves so far: exec_group.since */
	char err[512];
};

/* The live cgroup @name, or NULL. */
struct exec_cg *exec__cg_find(struct exec_state *x, const char *name);
/* Format the reason into x->err; returns @ret, or -EINVAL when @ret is 0. */
int exec__fail(struct exec_state *x, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Create a cgroup (optionally with a cpuset) and track it. */
int exec__cg_create(struct exec_state *x, const char *name, const struct cpumask *cpus,
		    bool step_local);
/* Stop (with reports) every group whose tasks are in @name or below; kill its programs. */
void exec__cg_stop(struct exec_state *x, const char *name, bool reports);
/* Stop, drain and remove a cgroup and everything below it. */
int exec__cg_remove(struct exec_state *x, struct exec_cg *cg);
/* Spawn a work group into @cg (NULL = outside the test cgroups). */
int exec__spawn(struct exec_state *x, struct exec_cg *cg, const struct plan_work *w);
/* Stop one group and forward its reports. */
void exec__group_stop(struct exec_state *x, struct exec_group *xg, bool reports);
void exec__prog_kill(struct exec_state *x, struct exec_prog *p);

/* exec_wait.c: the scheduler died or was disabled (its SCHED_EXIT went out). */
bool exec__sched_gone(const struct exec_state *x);
/* The host asked to stop, a signal came, or the scheduler is gone. */
bool exec__stopping(const struct exec_state *x);
/* Sleep until @deadline (CLOCK_MONOTONIC), watching the control port and exec__stopping(). */
void exec__sleep_until(struct exec_state *x, uint64_t deadline);

/* exec_ops.c: run one op of a section; 0, or a negative errno with the reason in x->err. */
int op__exec(struct exec_state *x, const struct plan_op *op);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The executor's state, shared by exec.c (steps) and exec_ops.c (ops). */
#ifndef KTSTR_AGENT_EXEC_INT_H
#define KTSTR_AGENT_EXEC_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "exec.h"
#include "work.h"

#define X_MAX_CGROUPS 512
#define X_MAX_GROUPS 2048
#define X_MAX_PROGS 64
#define X_BACKDROP UINT32_MAX

struct xcg {
	bool live;
	bool backdrop;			/* created while setting up the backdrop */
	bool step_local;		/* from a step's cgroups: removed when the step ends */
	bool has_cpus;
	struct work_cpumask cpus;	/* the current cpuset, as written */
	uint32_t next_group;		/* work group index for the next spawn */
	char name[KTSTR_NAME_MAX];
};

struct xgroup {
	struct work_group *g;		/* NULL: a free slot */
	uint32_t step;
	char cgroup[KTSTR_NAME_MAX];	/* where its tasks are now; "" = outside (spawn_host) */
};

struct xprog {
	bool live;
	pid_t pid;
	char name[KTSTR_NAME_MAX];
	char cgroup[KTSTR_NAME_MAX];	/* "" = none */
};

struct xstate {
	const struct exec_env *e;
	struct xcg cgs[X_MAX_CGROUPS];	/* in creation order */
	size_t ncgs;
	struct xgroup groups[X_MAX_GROUPS];
	size_t ngroups;
	struct xprog progs[X_MAX_PROGS];
	uint32_t step;			/* X_BACKDROP while setting up the backdrop */
	uint64_t start_ns, end_ns;
	int32_t cpu_llc[WORK_MAX_CPUS];
	struct work_ctx wctx;
	int control_fd;
	bool shutdown;			/* the host asked to stop */
	uint32_t reports, sentinels;
	char err[512];
};

struct xcg *x__cg(struct xstate *x, const char *name);
int x__fail(struct xstate *x, int ret, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Create a cgroup (optionally with a cpuset) and track it. */
int x__cg_create(struct xstate *x, const char *name, const struct cpumask *cpus, bool step_local);
/* Stop (with reports) every group whose tasks are in @name or below; kill its programs. */
void x__cg_stop(struct xstate *x, const char *name, bool reports);
/* Stop, drain and remove a cgroup and everything below it. */
int x__cg_remove(struct xstate *x, struct xcg *cg);
/* Spawn a work group into @cg (NULL = outside the test cgroups). */
int x__spawn(struct xstate *x, struct xcg *cg, const struct plan_work *w);
/* Stop one group and forward its reports. */
void x__group_stop(struct xstate *x, struct xgroup *xg, bool reports);
void x__prog_kill(struct xstate *x, struct xprog *p);

int x__op(struct xstate *x, const struct plan_op *op);

#endif

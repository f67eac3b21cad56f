// SPDX-License-Identifier: GPL-2.0
/* The scenario model's lifetime and names; see scenario.h. */
#include "scenario.h"

#include <stdio.h>
#include <string.h>

void scenario_set__init(struct scenario_set *s)
{
	memset(s, 0, sizeof(*s));
}

/* Every array hangs off the arena, so one free releases the whole set. */
void scenario_set__free(struct scenario_set *s)
{
	arena__free(&s->arena);
	memset(s, 0, sizeof(*s));
}

const char *op_kind__name(enum op_kind k)
{
	static const char *const names[OP_KIND_COUNT] = {
		[OP_ADD_CGROUP] = "add_cgroup",
		[OP_REMOVE_CGROUP] = "remove_cgroup",
		[OP_SET_CPUSET] = "set_cpuset",
		[OP_CLEAR_CPUSET] = "clear_cpuset",
		[OP_SWAP_CPUSETS] = "swap_cpusets",
		[OP_SPAWN] = "spawn",
		[OP_STOP_CGROUP] = "stop_cgroup",
		[OP_SET_AFFINITY] = "set_affinity",
		[OP_SPAWN_HOST] = "spawn_host",
		[OP_MOVE_ALL_TASKS] = "move_all_tasks",
		[OP_RUN] = "run",
		[OP_WAIT] = "wait",
		[OP_KILL] = "kill",
		[OP_MOVE_TASKS] = "move_tasks",
		[OP_RESTART_SCHEDULER] = "restart_scheduler",
	};

	return (unsigned)k < OP_KIND_COUNT ? names[k] : "?";
}

const char *affinity_kind__name(enum affinity_kind k)
{
	switch (k) {
	case AFFINITY_INHERIT: return "inherit";
	case AFFINITY_RANDOM_SUBSET: return "random-subset";
	case AFFINITY_LLC_ALIGNED: return "llc-aligned";
	case AFFINITY_CROSS_CGROUP: return "cross-cgroup";
	case AFFINITY_SINGLE_CPU: return "single-cpu";
	case AFFINITY_CPUS: return "cpus";
	}
	return "?";
}

const char *mem_policy_kind__name(enum mem_policy_kind k)
{
	switch (k) {
	case MEMPOL_DEFAULT: return "default";
	case MEMPOL_LOCAL: return "local";
	case MEMPOL_BIND: return "bind";
	case MEMPOL_PREFERRED: return "preferred";
	case MEMPOL_INTERLEAVE: return "interleave";
	case MEMPOL_PREFERRED_MANY: return "preferred_many";
	case MEMPOL_WEIGHTED_INTERLEAVE: return "weighted_interleave";
	}
	return "?";
}

const char *sched_policy_kind__name(enum sched_policy_kind k)
{
	switch (k) {
	case POLICY_NORMAL: return "normal";
	case POLICY_BATCH: return "batch";
	case POLICY_IDLE: return "idle";
	case POLICY_FIFO: return "fifo";
	case POLICY_RR: return "rr";
	}
	return "?";
}

const char *seq_phase_kind__name(enum seq_phase_kind k)
{
	switch (k) {
	case PHASE_SPIN: return "spin";
	case PHASE_SLEEP: return "sleep";
	case PHASE_YIELD: return "yield";
	case PHASE_IO: return "io";
	}
	return "?";
}

void scenario__category(const struct scenario *sc, char *buf, size_t len)
{
	const char *f = sc->file, *end, *start;

	if (!len)
		return;
	buf[0] = '\0';
	end = f ? strrchr(f, '/') : NULL;
	if (!end)
		return;
	/* Trailing "/." and "//" say nothing: "scenarios/./x.yaml" is in scenarios. */
	while (end > f && (end[-1] == '/' || (end[-1] == '.' && (end - 1 == f || end[-2] == '/'))))
		end--;
	for (start = end; start > f && start[-1] != '/'; start--)
		;
	snprintf(buf, len, "%.*s", (int)(end - start), start);
}

uint32_t cgroup_def__workers(const struct cgroup_def *cg, uint32_t dflt)
{
	uint64_t total = 0;

	for (size_t i = 0; i < cg->nworks; i++)
		total += cg->works[i].workers ? cg->works[i].workers : dflt;
	return total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
}

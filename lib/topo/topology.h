/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room lib/topo: CPU topologies (this header: the model, parsing and
 * validation in topology.c, the gauntlet's presets in topo_presets.c, the
 * host's capacity and the preset constraints in topo_host.c), cpusets
 * (cpuset.h) and cpuset specs resolved on a topology (cpuset_spec.h). It may
 * include lib/base only.
 */

/*
 * The VM topology model: NUMA nodes > LLCs > cores > SMT threads.
 *
 * CPUs are numbered thread-fastest: cpu = (llc * C + core) * T + thread.
 * "1n2l4c2t" means 1 node, 2 LLCs in total (not per node), 4 cores per LLC,
 * 2 threads per core = 16 CPUs. LLCs are spread evenly over the nodes.
 */
#ifndef KTSTR_TOPOLOGY_H
#define KTSTR_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpuset.h"

#define KTSTR_MAX_CPUS 252	/* the x86 KVM vCPU limit upstream aims at */
#define KTSTR_MAX_NUMA 64

struct topology {
	uint32_t numa_nodes;
	uint32_t llcs;		/* total, across all nodes */
	uint32_t cores_per_llc;
	uint32_t threads_per_core;
};

#define TOPOLOGY_DEFAULT ((struct topology){ 1, 1, 2, 1 })	/* 1n1l2c1t */

/* Longest formatted name: "64n252l252c252t" + NUL. */
#define TOPOLOGY_NAME_MAX 24

/*
 * Parse "1n2l4c2t" (all four parts, in that order). Does not validate the
 * values beyond being decimal integers; call topology__validate() for that.
 * Returns 0 or -EINVAL with a message in @err.
 */
int topology__parse(const char *s, struct topology *out, char *err, size_t errlen);
/*
 * Every field > 0, llcs a multiple of numa_nodes, at most KTSTR_MAX_CPUS CPUs
 * in total. Returns 0 or -EINVAL with a message that names the bad field.
 */
int topology__validate(const struct topology *t, char *err, size_t errlen);
void topology__format(const struct topology *t, char buf[TOPOLOGY_NAME_MAX]);

uint32_t topology__total_cpus(const struct topology *t);
uint32_t topology__cpus_per_llc(const struct topology *t);
bool topology__has_smt(const struct topology *t);

struct cpu_pos {
	uint32_t node, llc, core, thread;
};
/* Position of @cpu: llc = cpu/(T*C), core = (cpu/T)%C, thread = cpu%T. */
struct cpu_pos topology__decompose(const struct topology *t, uint32_t cpu);
/* NUMA node of an LLC: llc / (llcs / numa_nodes). */
uint32_t topology__llc_node(const struct topology *t, uint32_t llc);

void topology__all_cpus(const struct topology *t, struct cpuset *out);
/* All CPUs except the last one when there are more than two (it is kept for
 * the host side of the guest: the agent, the root cgroup). */
void topology__usable_cpus(const struct topology *t, struct cpuset *out);
void topology__llc_cpus(const struct topology *t, uint32_t llc, struct cpuset *out);
void topology__node_cpus(const struct topology *t, uint32_t node, struct cpuset *out);

/* ---- presets (the gauntlet's topology table) ---- */

struct topo_preset {
	const char *name;
	struct topology topo;
	uint32_t memory_mb;
	const char *description;
};

/* The 24 x86_64 presets, in their fixed table order. */
const struct topo_preset *topo_presets(size_t *n);
const struct topo_preset *topo_preset__find(const char *name);

/* ---- constraints and the host-capacity filter ---- */

/* A max of 0 means "no upper limit". */
struct topo_constraints {
	uint32_t min_numa_nodes, max_numa_nodes;
	uint32_t min_llcs, max_llcs;
	uint32_t min_cpus, max_cpus;
	bool requires_smt;
};

/* min_numa 1, max_numa 1, min_llcs 1, max_llcs 12, min_cpus 1, max_cpus 192, no SMT needed. */
#define TOPO_CONSTRAINTS_DEFAULT ((struct topo_constraints){ \
	.min_numa_nodes = 1, .max_numa_nodes = 1, .min_llcs = 1, .max_llcs = 12, \
	.min_cpus = 1, .max_cpus = 192, .requires_smt = false })

/*
 * What the host can give a VM without overcommitting: a preset with more CPUs
 * than the host, more LLCs than host LLC groups, or more CPUs per LLC than
 * the host's largest LLC is filtered out (as upstream does).
 */
struct host_capacity {
	bool unlimited;		/* --overcommit: no host filter */
	uint32_t cpus;
	uint32_t llc_groups;
	uint32_t max_cpus_per_llc;
};

/* Read the host from sysfs (online CPUs, cache/index<highest>/shared_cpu_list). */
int host_capacity__detect(struct host_capacity *out);
/*
 * The same from the tree @sysfs that plays /sys (NULL: /sys itself). A given
 * tree without a readable devices/system/cpu/online is -ENOENT, where /sys
 * falls back to counting this host's CPUs.
 */
int host_capacity__detect_at(const char *sysfs, struct host_capacity *out);
/* --host-cpus N: pretend a host of N CPUs in which any LLC grouping fits. */
struct host_capacity host_capacity__cpus(uint32_t cpus);

bool topo_constraints__accept(const struct topo_constraints *c, const struct topology *t);
bool host_capacity__fits(const struct host_capacity *h, const struct topology *t);

#endif

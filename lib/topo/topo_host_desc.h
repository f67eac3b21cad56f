/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the host is (`ktstr topo`, ktstr(1)): its NUMA nodes, LLCs, cores,
 * SMT threads and memory as sysfs shows them, and the scenario topology
 * (topology.h) nearest to it. What fits the host is topology.h's
 * host_capacity; this only describes.
 */
#ifndef KTSTR_TOPO_HOST_DESC_H
#define KTSTR_TOPO_HOST_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topology.h"

struct host_topo {
	uint32_t cpus;			/* online */
	uint32_t nodes;			/* NUMA nodes with online CPUs; 1 without node info */
	uint32_t cpuless_nodes;		/* online nodes of memory only (not in @nodes) */
	uint32_t llcs;			/* last-level caches of the online CPUs */
	uint32_t min_llc_cpus, max_llc_cpus;	/* online CPUs in the smallest/largest */
	uint32_t cores;			/* distinct cores (thread_siblings_list) */
	uint32_t min_threads, max_threads;	/* online threads per core */
	uint64_t memory_mb;		/* total RAM; 0 unknown */
	bool numa_known, llc_known, smt_known;	/* false: the sysfs files were missing */
};

/*
 * Read the host from the tree @sysfs that plays /sys (NULL: /sys; then the
 * memory is sysconf's, the figure a VM's memory is checked against). Returns
 * 0, or -errno with @err naming what could not be read.
 */
int host_topo__detect(const char *sysfs, struct host_topo *out, char *err, size_t errlen);

/*
 * The scenario topology nearest to @h: its nodes; its LLCs, rounded down to
 * a multiple of the nodes (up to one per node when fewer); threads per core
 * the online CPUs over the cores and cores per LLC the CPUs over LLCs times
 * threads, each rounded down (at least 1), so it never has more CPUs than
 * the host. Writes into @note how an irregular host was rounded ("" when it
 * is regular and named exactly); returns true when it was.
 */
bool host_topo__nearest(const struct host_topo *h, struct topology *t, char *note,
			size_t notelen);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Topology constraints (ktstr-scenario(5), TOP-LEVEL KEYS, gauntlet) and the
 * host-capacity filter (ktstr(1), OPTIONS): which presets a scenario
 * accepts, and which of those this host can run without overcommitting its
 * CPUs or LLCs.
 */
#include "topology.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "topo_sysfs.h"

/*
 * Group the online CPUs by LLC. A group is keyed by the lowest CPU of its
 * shared_cpu_list, which is the same string for every member. Returns 0, or
 * -ENOENT when some CPU has no cache information (the caller falls back).
 */
static int detect_llcs(const char *root, const struct topo_ids *online, uint32_t *groups,
		       uint32_t *max_per_llc)
{
	struct topo_ids keys = { 0 };
	char buf[4096];
	int ret = 0;

	*groups = 0;
	*max_per_llc = 0;
	for (size_t i = 0; i < online->n; i++) {
		unsigned key;
		long size;

		ret = topo_sysfs__llc_cpus(root, online->ids[i], buf, sizeof(buf));
		if (ret)
			break;
		size = topo_sysfs__cpulist(buf, NULL, &key);
		if (size <= 0) {
			ret = -ENOENT;
			break;
		}
		if (topo_ids__find(&keys, key) >= 0)
			continue;
		ret = topo_ids__push(&keys, key);
		if (ret)
			break;
		if ((uint32_t)size > *max_per_llc)
			*max_per_llc = (uint32_t)size;
	}
	if (!ret)
		*groups = (uint32_t)keys.n;
	topo_ids__free(&keys);
	return ret;
}

int host_capacity__detect(struct host_capacity *out)
{
	return host_capacity__detect_at(NULL, out);
}

int host_capacity__detect_at(const char *sysfs, struct host_capacity *out)
{
	struct topo_ids online = { 0 };
	char buf[4096];
	unsigned min;
	long n = -1;

	if (!topo_sysfs__read(sysfs, buf, sizeof(buf), "devices/system/cpu/online"))
		n = topo_sysfs__cpulist(buf, &online, &min);
	if (n <= 0 && sysfs) {
		/* A given tree is read as it is: no guessing from this host. */
		topo_ids__free(&online);
		return -ENOENT;
	}
	if (n <= 0) {
		/* No usable sysfs: count CPUs, assume one LLC holding them all. */
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		topo_ids__free(&online);
		if (cpus <= 0)
			return -ENODEV;
		*out = host_capacity__cpus((uint32_t)cpus);
		out->llc_groups = 1;
		return 0;
	}
	*out = (struct host_capacity){
		.unlimited = false,
		.cpus = (uint32_t)n,
	};
	if (detect_llcs(sysfs, &online, &out->llc_groups, &out->max_cpus_per_llc)) {
		out->llc_groups = 1;
		out->max_cpus_per_llc = out->cpus;
	}
	topo_ids__free(&online);
	return 0;
}

struct host_capacity host_capacity__cpus(uint32_t cpus)
{
	return (struct host_capacity){
		.unlimited = false,
		.cpus = cpus,
		.llc_groups = cpus,
		.max_cpus_per_llc = cpus,
	};
}

/* A max of 0 is "no upper limit". */
static bool in_range(uint32_t v, uint32_t min, uint32_t max)
{
	return v >= min && (!max || v <= max);
}

bool topo_constraints__accept(const struct topo_constraints *c, const struct topology *t)
{
	return in_range(t->numa_nodes, c->min_numa_nodes, c->max_numa_nodes) &&
	       in_range(t->llcs, c->min_llcs, c->max_llcs) &&
	       (!c->requires_smt || topology__has_smt(t)) &&
	       in_range(topology__total_cpus(t), c->min_cpus, c->max_cpus);
}

bool host_capacity__fits(const struct host_capacity *h, const struct topology *t)
{
	if (h->unlimited)
		return true;
	return topology__total_cpus(t) <= h->cpus &&
	       t->llcs <= h->llc_groups &&
	       topology__cpus_per_llc(t) <= h->max_cpus_per_llc;
}

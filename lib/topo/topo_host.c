// SPDX-License-Identifier: GPL-2.0
/*
 * Topology constraints (ktstr-scenario(5), TOP-LEVEL KEYS, gauntlet) and the
 * host-capacity filter (ktstr(1), OPTIONS): which presets a scenario
 * accepts, and which of those this host can run without overcommitting its
 * CPUs or LLCs.
 */
#include "topology.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SYS_CPU "/sys/devices/system/cpu"

/* Hosts can have far more CPUs than a struct cpuset holds: use id arrays. */
struct id_list {
	unsigned *ids;
	size_t n, cap;
};

static int id_list__push(struct id_list *l, unsigned id)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		unsigned *ids = realloc(l->ids, cap * sizeof(*ids));

		if (!ids)
			return -ENOMEM;
		l->ids = ids;
		l->cap = cap;
	}
	l->ids[l->n++] = id;
	return 0;
}

static bool id_list__has(const struct id_list *l, unsigned id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->ids[i] == id)
			return true;
	return false;
}

/* Read a small sysfs file into @buf; returns 0 or -errno. */
static int read_sysfs(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n ? 0 : -ENODATA;
}

/*
 * Walk a kernel CPU list ("0-3,8,10-11\n"). Appends each CPU to @out when it
 * is not NULL; returns the number of CPUs, or -EINVAL on a malformed list.
 */
static long cpulist_walk(const char *s, struct id_list *out, unsigned *min)
{
	long count = 0;
	char *end;

	*min = ~0u;
	while (*s && *s != '\n') {
		unsigned long lo = strtoul(s, &end, 10), hi = lo;

		if (end == s)
			return -EINVAL;
		s = end;
		if (*s == '-') {
			hi = strtoul(++s, &end, 10);
			if (end == s || hi < lo || hi - lo > 1u << 20)
				return -EINVAL;
			s = end;
		}
		if (lo < *min)
			*min = (unsigned)lo;
		for (unsigned long cpu = lo; cpu <= hi; cpu++, count++)
			if (out && id_list__push(out, (unsigned)cpu))
				return -ENOMEM;
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -EINVAL;
	}
	return count;
}

/*
 * The last-level cache of @cpu: the cache/indexN with the highest "level".
 * Fills @path with its shared_cpu_list path; returns 0 or -ENOENT.
 */
static int llc_shared_list_path(unsigned cpu, char *path, size_t len)
{
	char dirpath[64], buf[32];
	int best_level = -1, best_index = -1;
	struct dirent *de;
	DIR *dir;

	snprintf(dirpath, sizeof(dirpath), SYS_CPU "/cpu%u/cache", cpu);
	dir = opendir(dirpath);
	if (!dir)
		return -ENOENT;
	while ((de = readdir(dir))) {
		char lpath[96];
		int index, level;

		if (sscanf(de->d_name, "index%d", &index) != 1)
			continue;
		snprintf(lpath, sizeof(lpath), "%s/index%d/level", dirpath, index);
		if (read_sysfs(lpath, buf, sizeof(buf)) || sscanf(buf, "%d", &level) != 1)
			continue;
		if (level > best_level || (level == best_level && index > best_index)) {
			best_level = level;
			best_index = index;
		}
	}
	closedir(dir);
	if (best_index < 0)
		return -ENOENT;
	snprintf(path, len, "%s/index%d/shared_cpu_list", dirpath, best_index);
	return 0;
}

/*
 * Group the online CPUs by LLC. A group is keyed by the lowest CPU of its
 * shared_cpu_list, which is the same string for every member. Returns 0, or
 * -ENOENT when some CPU has no cache information (the caller falls back).
 */
static int detect_llcs(const struct id_list *online, uint32_t *groups, uint32_t *max_per_llc)
{
	struct id_list keys = { 0 };
	char path[320], buf[4096];
	int ret = 0;

	*groups = 0;
	*max_per_llc = 0;
	for (size_t i = 0; i < online->n; i++) {
		unsigned key;
		long size;

		ret = llc_shared_list_path(online->ids[i], path, sizeof(path));
		if (!ret)
			ret = read_sysfs(path, buf, sizeof(buf));
		if (ret)
			break;
		size = cpulist_walk(buf, NULL, &key);
		if (size <= 0) {
			ret = -ENOENT;
			break;
		}
		if (id_list__has(&keys, key))
			continue;
		ret = id_list__push(&keys, key);
		if (ret)
			break;
		if ((uint32_t)size > *max_per_llc)
			*max_per_llc = (uint32_t)size;
	}
	if (!ret)
		*groups = (uint32_t)keys.n;
	free(keys.ids);
	return ret;
}

int host_capacity__detect(struct host_capacity *out)
{
	struct id_list online = { 0 };
	char buf[4096];
	unsigned min;
	long n = -1;

	if (!read_sysfs(SYS_CPU "/online", buf, sizeof(buf)))
		n = cpulist_walk(buf, &online, &min);
	if (n <= 0) {
		/* No usable sysfs: count CPUs, assume one LLC holding them all. */
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		free(online.ids);
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
	if (detect_llcs(&online, &out->llc_groups, &out->max_cpus_per_llc)) {
		out->llc_groups = 1;
		out->max_cpus_per_llc = out->cpus;
	}
	free(online.ids);
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

// SPDX-License-Identifier: GPL-2.0
/*
 * The host's topology as sysfs shows it, and the scenario topology nearest
 * to it (`ktstr topo`, ktstr(1)).
 */
#include "topo_host_desc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "topo_sysfs.h"

typedef int (*cpu_list_fn)(const char *root, unsigned cpu, char *buf, size_t len);

static int thread_siblings(const char *root, unsigned cpu, char *buf, size_t len)
{
	return topo_sysfs__read(root, buf, len,
				"devices/system/cpu/cpu%u/topology/thread_siblings_list", cpu);
}

/*
 * Group the online CPUs by the CPU list @list_of gives each (keyed by its
 * lowest CPU) and count the online members of each group. Returns 0, or
 * -ENOENT when some CPU has no such list.
 */
static int group_cpus(const char *root, const struct topo_ids *online, cpu_list_fn list_of,
		      uint32_t *groups, uint32_t *min, uint32_t *max)
{
	struct topo_ids keys = { 0 }, counts = { 0 };
	char buf[4096];
	int ret = 0;

	for (size_t i = 0; i < online->n && !ret; i++) {
		unsigned key;
		long at;

		ret = list_of(root, online->ids[i], buf, sizeof(buf));
		if (ret || topo_sysfs__cpulist(buf, NULL, &key) <= 0) {
			ret = -ENOENT;
			break;
		}
		at = topo_ids__find(&keys, key);
		if (at >= 0)
			counts.ids[at]++;
		else
			ret = topo_ids__push(&keys, key) ?: topo_ids__push(&counts, 1);
	}
	*groups = *min = *max = 0;
	for (size_t i = 0; !ret && i < counts.n; i++) {
		if (!i || counts.ids[i] < *min)
			*min = counts.ids[i];
		if (counts.ids[i] > *max)
			*max = counts.ids[i];
	}
	if (!ret)
		*groups = (uint32_t)keys.n;
	topo_ids__free(&keys);
	topo_ids__free(&counts);
	return ret;
}

/* "Node 0 MemTotal:       24683744 kB" in nodeN/meminfo, in kB; 0 when absent. */
static uint64_t node_mem_kb(const char *root, unsigned node)
{
	char buf[4096], *p;
	unsigned long long kb;

	if (topo_sysfs__read(root, buf, sizeof(buf), "devices/system/node/node%u/meminfo", node))
		return 0;
	p = strstr(buf, "MemTotal:");
	if (!p || sscanf(p + 9, "%llu", &kb) != 1)
		return 0;
	return kb;
}

/* Nodes with online CPUs, memory-only nodes and (with a given tree) RAM. */
static int detect_nodes(const char *root, const struct topo_ids *online, struct host_topo *h)
{
	struct topo_ids nodes = { 0 };
	char buf[4096];
	uint64_t kb = 0;
	unsigned min;
	int ret = 0;

	h->nodes = 1;
	if (topo_sysfs__read(root, buf, sizeof(buf), "devices/system/node/online") ||
	    topo_sysfs__cpulist(buf, &nodes, &min) <= 0) {
		topo_ids__free(&nodes);
		return 0;	/* no NUMA in this kernel: one node */
	}
	h->nodes = 0;
	for (size_t i = 0; i < nodes.n && !ret; i++) {
		struct topo_ids cpus = { 0 };
		bool has_cpu = false;

		ret = topo_sysfs__read(root, buf, sizeof(buf), "devices/system/node/node%u/cpulist",
				       nodes.ids[i]);
		if (ret == -ENODATA) {	/* a node without CPUs */
			ret = 0;
			buf[0] = '\0';
		}
		if (!ret && topo_sysfs__cpulist(buf, &cpus, &min) < 0)
			ret = -EINVAL;
		for (size_t c = 0; !ret && c < cpus.n && !has_cpu; c++)
			has_cpu = topo_ids__find(online, cpus.ids[c]) >= 0;
		topo_ids__free(&cpus);
		if (has_cpu)
			h->nodes++;
		else
			h->cpuless_nodes++;
		kb += node_mem_kb(root, nodes.ids[i]);
	}
	topo_ids__free(&nodes);
	if (ret)
		return ret;
	if (!h->nodes)
		h->nodes = 1;	/* a tree whose node lists miss the online CPUs */
	h->numa_known = true;
	h->memory_mb = kb / 1024;
	return 0;
}

int host_topo__detect(const char *sysfs, struct host_topo *out, char *err, size_t errlen)
{
	struct topo_ids online = { 0 };
	const char *shown = sysfs ? sysfs : "/sys";
	char buf[4096];
	unsigned min;
	long n;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = topo_sysfs__read(sysfs, buf, sizeof(buf), "devices/system/cpu/online");
	if (ret)
		return err__set(ret, err, errlen, "%s/devices/system/cpu/online: %s", shown,
				strerror(-ret));
	n = topo_sysfs__cpulist(buf, &online, &min);
	if (n <= 0) {
		topo_ids__free(&online);
		return err__set(n ? (int)n : -EINVAL, err, errlen,
				"%s/devices/system/cpu/online: not a CPU list ('%.*s')", shown,
				(int)strcspn(buf, "\n"), buf);
	}
	out->cpus = (uint32_t)n;

	ret = detect_nodes(sysfs, &online, out);
	if (ret) {
		topo_ids__free(&online);
		return err__set(ret, err, errlen, "%s/devices/system/node: a node's cpulist: %s",
				shown, strerror(-ret));
	}
	if (!sysfs) {
		/* As a VM's memory is checked before it boots (lib/vm). */
		long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);

		if (pages > 0 && psize > 0)
			out->memory_mb = (uint64_t)pages * (uint64_t)psize >> 20;
	}

	out->llc_known = !group_cpus(sysfs, &online, topo_sysfs__llc_cpus, &out->llcs,
				     &out->min_llc_cpus, &out->max_llc_cpus);
	if (!out->llc_known) {	/* as host_capacity__detect: one LLC of them all */
		out->llcs = 1;
		out->min_llc_cpus = out->max_llc_cpus = out->cpus;
	}
	out->smt_known = !group_cpus(sysfs, &online, thread_siblings, &out->cores,
				     &out->min_threads, &out->max_threads);
	if (!out->smt_known) {
		out->cores = out->cpus;
		out->min_threads = out->max_threads = 1;
	}
	topo_ids__free(&online);
	return 0;
}

static uint32_t at_least_1(uint32_t v)
{
	return v ? v : 1;
}

/* Append "; " and a formatted clause to @note. */
static void note_add(char *note, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note_add(char *note, size_t len, const char *fmt, ...)
{
	size_t used = strnlen(note, len);
	va_list ap;

	if (!len || used + 1 >= len)
		return;
	if (used)
		used += (size_t)snprintf(note + used, len - used, "; ");
	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(note + used, len - used, fmt, ap);
	va_end(ap);
}

bool host_topo__nearest(const struct host_topo *h, struct topology *t, char *note,
			size_t notelen)
{
	uint32_t n = at_least_1(h->nodes), l = at_least_1(h->llcs), total;

	if (notelen)
		note[0] = '\0';
	if (l % n) {
		uint32_t was = l;

		l = l < n ? n : l / n * n;
		note_add(note, notelen, "%u LLC%s over %u nodes: counted as %u%s", was,
			 was == 1 ? "" : "s", n, l,
			 l > was ? " (an LLC spans nodes: split at each node)" :
				   " (rounded down to a multiple of the nodes)");
	}
	t->numa_nodes = n;
	t->llcs = l;
	t->threads_per_core = at_least_1(h->cpus / at_least_1(h->cores));
	t->cores_per_llc = at_least_1(h->cpus / (l * t->threads_per_core));
	if (h->min_threads != h->max_threads)
		note_add(note, notelen, "cores of %u to %u threads: %u per core (CPUs over cores, "
			 "rounded down)", h->min_threads, h->max_threads, t->threads_per_core);
	if (h->min_llc_cpus != h->max_llc_cpus)
		note_add(note, notelen, "LLCs of unequal size (%u to %u CPUs): %u cores per LLC "
			 "(the CPUs split evenly, rounded down)", h->min_llc_cpus, h->max_llc_cpus,
			 t->cores_per_llc);
	total = topology__total_cpus(t);
	if (total != h->cpus)
		note_add(note, notelen, "the name covers %u of the host's %u CPUs", total, h->cpus);
	if (total > KTSTR_MAX_CPUS)
		note_add(note, notelen, "more CPUs than a VM can have (%u)", KTSTR_MAX_CPUS);
	return notelen && note[0];
}

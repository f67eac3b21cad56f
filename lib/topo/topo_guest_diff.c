// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's topology (parsed, topo_guest.c) against the scenario's: one
 * line per mismatch, in ktstr's CPU numbering; see topo_guest.h for what
 * Linux reports and why die ids take two conventions.
 */
#include "topo_guest.h"

#include <stdarg.h>
#include <stdio.h>

#define LIST_SHOWN 72			/* a CPU list in a line, with "..." past it */
#define LOCAL_DISTANCE 10
#define REMOTE_DISTANCE 20

struct ctx {
	const struct topo_guest *g;
	const struct topology *t;
	char name[TOPOLOGY_NAME_MAX];
	struct topo_guest_diff *d;
	size_t total;
};

__attribute__((format(printf, 2, 3)))
static void mismatch(struct ctx *c, const char *fmt, ...)
{
	struct topo_guest_diff *d = c->d;
	va_list ap;
	int n;

	c->total++;
	if (d->n == TOPO_GUEST_DIFF_MAX) {
		d->more++;
		return;
	}
	n = snprintf(d->lines[d->n], TOPO_GUEST_DIFF_LINE, "topology: ");
	va_start(ap, fmt);
	vsnprintf(d->lines[d->n] + n, TOPO_GUEST_DIFF_LINE - (size_t)n, fmt, ap);
	va_end(ap);
	d->n++;
}

/* "0-2,6", cut to LIST_SHOWN characters with "..." */
static const char *list(const struct cpuset *s, char buf[LIST_SHOWN + 4])
{
	if (cpuset__format(s, buf, LIST_SHOWN + 1) > LIST_SHOWN)
		snprintf(buf + LIST_SHOWN - 3, 7, "...");
	return buf;
}

static const char *plural(uint32_t n)
{
	return n == 1 ? "" : "s";
}

/* "CPU" or "CPUs" for @s */
static const char *cpus_word(const struct cpuset *s)
{
	return cpuset__count(s) == 1 ? "CPU" : "CPUs";
}

static void cpu_set(struct ctx *c, const struct cpuset *want)
{
	struct cpuset have, missing, extra;
	char a[LIST_SHOWN + 4], b[LIST_SHOWN + 4];
	uint32_t total = topology__total_cpus(c->t);

	cpuset__zero(&have);
	for (unsigned i = 0; i < TOPO_GUEST_MAX_CPUS; i++)
		if (c->g->cpus[i].present)
			cpuset__set(&have, i);
	cpuset__andnot(&missing, want, &have);
	cpuset__andnot(&extra, &have, want);
	if (!cpuset__empty(&missing))
		mismatch(c, "CPU%s %s %s missing in the guest; %s has %u CPU%s (%s)",
			 cpuset__count(&missing) > 1 ? "s" : "", list(&missing, a),
			 cpuset__count(&missing) > 1 ? "are" : "is", c->name, total, plural(total),
			 list(want, b));
	if (!cpuset__empty(&extra))
		mismatch(c, "the guest has CPU%s %s, which %s does not have (%u CPU%s: %s)",
			 cpuset__count(&extra) > 1 ? "s" : "", list(&extra, a), c->name, total,
			 plural(total), list(want, b));
}

/* Linux 6.9+ numbers dies system-wide (die = package with one die each), older ones from 0. */
static bool dies_system_wide(const struct topo_guest *g)
{
	for (unsigned i = 0; i < TOPO_GUEST_MAX_CPUS; i++)
		if (g->cpus[i].present && g->cpus[i].die != 0 && g->cpus[i].die != TOPO_GUEST_NONE)
			return true;
	return false;
}

static void cpu_ids(struct ctx *c, unsigned cpu, const struct topo_guest_cpu *g,
		    struct cpu_pos p, bool dies_sys)
{
	uint32_t die = dies_sys ? p.llc : 0;

	if (g->pkg == TOPO_GUEST_NONE)
		mismatch(c, "CPU %u has no physical_package_id in the guest; %s puts it in LLC %u "
			 "(package %u)", cpu, c->name, p.llc, p.llc);
	else if (g->pkg != p.llc)
		mismatch(c, "CPU %u is in package %u in the guest; %s puts it in LLC %u "
			 "(package %u)", cpu, g->pkg, c->name, p.llc, p.llc);
	if (g->die == TOPO_GUEST_NONE)
		mismatch(c, "CPU %u has no die_id in the guest; %s has one die per package",
			 cpu, c->name);
	else if (g->die != die)
		mismatch(c, "CPU %u is in die %u in the guest; %s has one die per package: die "
			 "%u here (the package's id on Linux 6.9+, 0 on every CPU before)", cpu,
			 g->die, c->name, die);
	if (g->core == TOPO_GUEST_NONE)
		mismatch(c, "CPU %u has no core_id in the guest; %s makes it core %u of LLC %u",
			 cpu, c->name, p.core, p.llc);
	else if (g->core != p.core)
		mismatch(c, "CPU %u has core id %u in the guest; %s makes it core %u of LLC %u",
			 cpu, g->core, c->name, p.core, p.llc);
}

static void cpu_lists(struct ctx *c, unsigned cpu, const struct topo_guest_cpu *g,
		      struct cpu_pos p)
{
	char a[LIST_SHOWN + 4], b[LIST_SHOWN + 4];
	struct cpuset core, llc;

	cpuset__zero(&core);
	for (uint32_t k = 0; k < c->t->threads_per_core; k++)
		cpuset__set(&core, cpu - p.thread + k);
	topology__llc_cpus(c->t, p.llc, &llc);
	if (!g->has_siblings)
		mismatch(c, "CPU %u has no thread_siblings_list in the guest; %s makes its core "
			 "%s (core %u of LLC %u)", cpu, c->name, list(&core, b), p.core, p.llc);
	else if (!cpuset__equal(&g->siblings, &core))
		mismatch(c, "CPU %u's thread siblings are %s in the guest; %s makes them %s "
			 "(core %u of LLC %u)", cpu, list(&g->siblings, a), c->name, list(&core, b),
			 p.core, p.llc);
	if (!g->has_l3)
		mismatch(c, "CPU %u has no level-3 cache in the guest; %s gives LLC %u %s %s",
			 cpu, c->name, p.llc, cpus_word(&llc), list(&llc, b));
	else if (!cpuset__equal(&g->l3, &llc))
		mismatch(c, "CPU %u shares its L3 with %s %s in the guest; %s gives LLC %u %s %s",
			 cpu, cpus_word(&g->l3), list(&g->l3, a), c->name, p.llc, cpus_word(&llc),
			 list(&llc, b));
}

/* "10,20,20" into @buf (at most 64 entries of 3 digits and a comma). */
static const char *dists(const uint8_t *d, uint32_t n, char buf[TOPO_GUEST_MAX_NODES * 4 + 1])
{
	size_t o = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < n && i < TOPO_GUEST_MAX_NODES; i++)
		o += (size_t)snprintf(buf + o, TOPO_GUEST_MAX_NODES * 4 + 1 - o, "%s%u",
				      i ? "," : "", d[i]);
	return buf;
}

static void node(struct ctx *c, uint32_t n)
{
	const struct topo_guest_node *g = &c->g->nodes[n];
	uint32_t nodes = c->t->numa_nodes;
	char a[LIST_SHOWN + 4], b[LIST_SHOWN + 4];
	char da[TOPO_GUEST_MAX_NODES * 4 + 1], db[TOPO_GUEST_MAX_NODES * 4 + 1];
	uint8_t want[TOPO_GUEST_MAX_NODES];
	struct cpuset cpus;
	bool same;

	topology__node_cpus(c->t, n, &cpus);
	if (!g->present) {
		mismatch(c, "node %u is missing in the guest; %s has %u node%s (node %u: CPUs %s)",
			 n, c->name, nodes, plural(nodes), n, list(&cpus, b));
		return;
	}
	if (!g->has_cpus)
		mismatch(c, "node %u has no CPUs in the guest; %s gives it %s", n, c->name,
			 list(&cpus, b));
	else if (!cpuset__equal(&g->cpus, &cpus))
		mismatch(c, "node %u has %s %s in the guest; %s gives it %s", n,
			 cpus_word(&g->cpus), list(&g->cpus, a), c->name, list(&cpus, b));
	for (uint32_t m = 0; m < nodes; m++)
		want[m] = m == n ? LOCAL_DISTANCE : REMOTE_DISTANCE;
	same = g->ndist == nodes;
	for (uint32_t m = 0; same && m < nodes; m++)
		same = g->dist[m] == want[m];
	if (!g->ndist)
		mismatch(c, "node %u has no distances in the guest; %s expects %s (%d local, %d "
			 "remote)", n, c->name, dists(want, nodes, db), LOCAL_DISTANCE,
			 REMOTE_DISTANCE);
	else if (!same)
		mismatch(c, "node %u's distances are %s in the guest; %s expects %s (%d local, %d "
			 "remote)", n, dists(g->dist, g->ndist, da), c->name, dists(want, nodes, db),
			 LOCAL_DISTANCE, REMOTE_DISTANCE);
}

size_t topo_guest__compare(const struct topo_guest *g, const struct topology *t,
			   struct topo_guest_diff *d)
{
	struct ctx c = { .g = g, .t = t, .d = d };
	bool dies_sys = dies_system_wide(g);
	char a[LIST_SHOWN + 4];
	struct cpuset want;

	d->n = 0;
	d->more = 0;
	topology__format(t, c.name);
	topology__all_cpus(t, &want);
	cpu_set(&c, &want);
	for (unsigned i = 0; i < TOPO_GUEST_MAX_CPUS; i++) {
		struct cpu_pos p;

		if (!g->cpus[i].present || !cpuset__test(&want, i))
			continue;
		p = topology__decompose(t, i);
		cpu_ids(&c, i, &g->cpus[i], p, dies_sys);
		cpu_lists(&c, i, &g->cpus[i], p);
	}
	for (uint32_t n = 0; n < t->numa_nodes && n < TOPO_GUEST_MAX_NODES; n++)
		node(&c, n);
	for (uint32_t n = t->numa_nodes; n < TOPO_GUEST_MAX_NODES; n++)
		if (g->nodes[n].present)
			mismatch(&c, "the guest has node %u (CPUs %s), which %s does not have (%u "
				 "node%s)", n, g->nodes[n].has_cpus ? list(&g->nodes[n].cpus, a) :
				 "none", c.name, t->numa_nodes, plural(t->numa_nodes));
	return c.total;
}

void topo_guest__summary(const struct topo_guest *g, const struct topology *t, char *buf,
			 size_t len)
{
	char name[TOPOLOGY_NAME_MAX];
	uint32_t cpus = 0, pkgs = 0, nodes = 0;

	for (unsigned i = 0; i < TOPO_GUEST_MAX_CPUS; i++) {
		bool seen = false;

		if (!g->cpus[i].present)
			continue;
		cpus++;
		for (unsigned k = 0; k < i && !seen; k++)
			seen = g->cpus[k].present && g->cpus[k].pkg == g->cpus[i].pkg;
		pkgs += !seen;
	}
	for (unsigned n = 0; n < TOPO_GUEST_MAX_NODES; n++)
		nodes += g->nodes[n].present;
	topology__format(t, name);
	snprintf(buf, len, "the guest sees %s (%u CPU%s, %u package%s, %u node%s)", name, cpus,
		 plural(cpus), pkgs, plural(pkgs), nodes, plural(nodes));
}

const char *topo_guest_status__str(enum topo_guest_status s)
{
	switch (s) {
	case TOPO_GUEST_NOT_REPORTED:
		return "not_reported";
	case TOPO_GUEST_MATCH:
		return "match";
	case TOPO_GUEST_MISMATCH:
		return "mismatch";
	case TOPO_GUEST_UNREADABLE:
		return "unreadable";
	}
	return "?";
}

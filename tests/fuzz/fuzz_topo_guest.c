// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the host's parser of the guest's TOPOLOGY text and the comparison
 * (lib/topo/topo_guest.h): byte 0 picks the scenario's topology, the rest is
 * the frame's payload. A rejected text must leave a "line N ..." message and
 * nothing parsed; an accepted one is written back in the wire's form and
 * must parse to the same thing, and its comparison must keep its bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo/topo_guest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const topos[] = { "1n1l3c1t", "1n2l3c1t", "2n2l3c2t", "2n4l3c2t",
				     "4n8l4c2t", "1n1l1c1t" };

static struct topo_guest a, b;
static char text[(TOPO_GUEST_MAX_CPUS + TOPO_GUEST_MAX_NODES) * TOPO_GUEST_LINE_MAX];

static size_t put_id(char *p, uint32_t v)
{
	return v == TOPO_GUEST_NONE ? (size_t)sprintf(p, " -") : (size_t)sprintf(p, " %u", v);
}

static size_t put_list(char *p, bool has, const struct cpuset *s)
{
	if (!has)
		return (size_t)sprintf(p, " -");
	*p = ' ';
	return 1 + cpuset__format(s, p + 1, TOPO_GUEST_LINE_MAX);
}

/* @g in the wire's form. */
static size_t write_back(const struct topo_guest *g)
{
	size_t o = 0;

	for (unsigned i = 0; i < TOPO_GUEST_MAX_CPUS; i++) {
		const struct topo_guest_cpu *c = &g->cpus[i];

		if (!c->present)
			continue;
		o += (size_t)sprintf(text + o, "cpu %u", i);
		o += put_id(text + o, c->pkg);
		o += put_id(text + o, c->die);
		o += put_id(text + o, c->core);
		o += put_list(text + o, c->has_siblings, &c->siblings);
		o += put_list(text + o, c->has_l3, &c->l3);
		text[o++] = '\n';
	}
	for (unsigned n = 0; n < TOPO_GUEST_MAX_NODES; n++) {
		const struct topo_guest_node *nd = &g->nodes[n];

		if (!nd->present)
			continue;
		o += (size_t)sprintf(text + o, "node %u", n);
		o += put_list(text + o, nd->has_cpus, &nd->cpus);
		o += (size_t)sprintf(text + o, " %s", nd->ndist ? "" : "-");
		for (uint32_t k = 0; k < nd->ndist; k++)
			o += (size_t)sprintf(text + o, "%s%u", k ? "," : "", nd->dist[k]);
		text[o++] = '\n';
	}
	return o;
}

static bool same(const struct topo_guest *x, const struct topo_guest *y)
{
	if (x->ncpus != y->ncpus || x->nnodes != y->nnodes)
		return false;
	for (unsigned i = 0; i < TOPO_GUEST_MAX_CPUS; i++) {
		const struct topo_guest_cpu *c = &x->cpus[i], *d = &y->cpus[i];

		if (c->present != d->present || (c->present &&
		    (c->pkg != d->pkg || c->die != d->die || c->core != d->core ||
		     c->has_siblings != d->has_siblings || c->has_l3 != d->has_l3 ||
		     !cpuset__equal(&c->siblings, &d->siblings) || !cpuset__equal(&c->l3, &d->l3))))
			return false;
	}
	for (unsigned n = 0; n < TOPO_GUEST_MAX_NODES; n++) {
		const struct topo_guest_node *c = &x->nodes[n], *d = &y->nodes[n];

		if (c->present != d->present || (c->present &&
		    (c->has_cpus != d->has_cpus || !cpuset__equal(&c->cpus, &d->cpus) ||
		     c->ndist != d->ndist || memcmp(c->dist, d->dist, c->ndist))))
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topology t;
	struct topo_guest_diff d;
	char err[320], sum[128];
	size_t n, len, cpus = 0;

	if (!size)
		return 0;
	if (topology__parse(topos[data[0] % (sizeof(topos) / sizeof(topos[0]))], &t, NULL, 0))
		abort();
	err[0] = 'x';
	if (topo_guest__parse((const char *)data + 1, size - 1, &a, err, sizeof(err))) {
		if (strncmp(err, "line ", 5) || a.ncpus || a.nnodes || a.cpus[0].present)
			abort();
		return 0;
	}
	for (unsigned i = 0; i < TOPO_GUEST_MAX_CPUS; i++)
		cpus += a.cpus[i].present;
	if (cpus != a.ncpus || a.ncpus > TOPO_GUEST_MAX_CPUS || a.nnodes > TOPO_GUEST_MAX_NODES)
		abort();
	len = write_back(&a);
	if (topo_guest__parse(text, len, &b, err, sizeof(err)) || !same(&a, &b))
		abort();
	n = topo_guest__compare(&a, &t, &d);
	if (n != d.n + d.more || d.n > TOPO_GUEST_DIFF_MAX)
		abort();
	for (size_t i = 0; i < d.n; i++)
		if (strncmp(d.lines[i], "topology: ", 10) ||
		    !memchr(d.lines[i], '\0', TOPO_GUEST_DIFF_LINE))
			abort();
	topo_guest__summary(&a, &t, sum, sizeof(sum));
	if (strncmp(sum, "the guest sees ", 15))
		abort();
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The gauntlet's topology presets (ktstr-scenario(5), PRESETS; upstream's
 * gauntlet_presets() on x86_64). The order is part of the contract: gauntlet variant names and
 * --shard K/N depend on it.
 */
#include "topology.h"

#include <string.h>

#define P(name_, n, l, c, t, mem, desc) \
	{ .name = name_, .topo = { n, l, c, t }, .memory_mb = mem, .description = desc }

static const struct topo_preset presets[] = {
	P("tiny-1llc",		1,  1,  4, 1, 2048, "Single LLC"),
	P("tiny-2llc",		1,  2,  2, 1, 2048, "Minimal multi-LLC"),
	P("odd-3llc",		1,  3,  3, 1, 2048, "Odd CPU count"),
	P("odd-5llc",		1,  5,  3, 1, 2048, "Prime LLC count"),
	P("odd-7llc",		1,  7,  2, 1, 2048, "Prime LLC count"),
	P("smt-2llc",		1,  2,  2, 2, 2048, "SMT enabled"),
	P("smt-3llc",		1,  3,  2, 2, 2048, "SMT, 3 LLCs"),
	P("medium-4llc",	1,  4,  4, 2, 2048, "Medium"),
	P("medium-8llc",	1,  8,  4, 2, 2048, "Medium, many LLCs"),
	P("large-4llc",		1,  4, 16, 2, 2048, "Large, few LLCs"),
	P("large-8llc",		1,  8,  8, 2, 2048, "Large, many LLCs"),
	P("near-max-llc",	1, 15,  8, 2, 2048, "Near maximum"),
	P("max-cpu",		1, 14,  9, 2, 4096, "Near KVM vCPU limit"),
	P("medium-4llc-nosmt",	1,  4,  8, 1, 2048, "Medium, no SMT"),
	P("medium-8llc-nosmt",	1,  8,  8, 1, 2048, "Medium, many LLCs, no SMT"),
	P("large-4llc-nosmt",	1,  4, 32, 1, 2048, "Large, no SMT"),
	P("large-8llc-nosmt",	1,  8, 16, 1, 2048, "Large, many LLCs, no SMT"),
	P("near-max-llc-nosmt",	1, 15, 16, 1, 2048, "Near maximum, no SMT"),
	P("max-cpu-nosmt",	1, 14, 18, 1, 4096, "Near KVM vCPU limit, no SMT"),
	P("numa2-4llc",		2,  4,  4, 1, 2048, "Multi-NUMA, 2 nodes"),
	P("numa2-8llc",		2,  8,  8, 2, 2048, "Multi-NUMA, 2 nodes, SMT"),
	P("numa2-8llc-nosmt",	2,  8, 16, 1, 2048, "Multi-NUMA, 2 nodes, no SMT"),
	P("numa4-8llc",		4,  8,  4, 1, 2048, "Multi-NUMA, 4 nodes"),
	P("numa4-12llc",	4, 12,  8, 2, 4096, "Multi-NUMA, 4 nodes, SMT"),
};

#undef P

const struct topo_preset *topo_presets(size_t *n)
{
	if (n)
		*n = sizeof(presets) / sizeof(presets[0]);
	return presets;
}

const struct topo_preset *topo_preset__find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
		if (!strcmp(presets[i].name, name))
			return &presets[i];
	return NULL;
}

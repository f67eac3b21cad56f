// SPDX-License-Identifier: GPL-2.0
/*
 * Filling in a scenario's topology: its own dimensions or preset, then its
 * scheduler's, then the default, validated as a whole.
 */
#include "scenario_validate_int.h"

#include <stdio.h>

#include "topo/topology.h"

void validate__preset_hint(const char *name, char *buf, size_t len)
{
	size_t n;
	const struct topo_preset *p = topo_presets(&n);
	const char *names[64];
	const char *pick;

	for (size_t i = 0; i < n && i < 64; i++)
		names[i] = p[i].name;
	pick = diag__suggest(name, names, n < 64 ? n : 64);
	if (pick)
		snprintf(buf, len, "; did you mean '%s'?", pick);
	else
		buf[0] = '\0';
}

/* Fill the unset dimensions of @t from @p; false when its preset is unknown. */
static bool fill_dims(struct topology *t, const struct topology_partial *p)
{
	struct topology src = { p->numa_nodes, p->llcs, p->cores_per_llc, p->threads_per_core };

	if (p->preset) {
		const struct topo_preset *pr = topo_preset__find(p->preset);

		if (!pr)
			return false;
		src = pr->topo;
	}
	if (!t->numa_nodes)
		t->numa_nodes = src.numa_nodes;
	if (!t->llcs)
		t->llcs = src.llcs;
	if (!t->cores_per_llc)
		t->cores_per_llc = src.cores_per_llc;
	if (!t->threads_per_core)
		t->threads_per_core = src.threads_per_core;
	return true;
}

static struct src_loc topology_err_loc(const struct scenario *sc)
{
	if (sc->topology_loc.line)
		return sc->topology_loc;
	if (sc->sched_loc.line)
		return sc->sched_loc;
	return sc->loc;
}

/* Resolve sc->topology; true when it is valid. */
bool validate__resolve_topology(struct vctx *c, struct scenario *sc, const struct sched_def *def)
{
	struct topology_partial given = sc->topo_given;
	struct topology t = { 0 };
	char err[256], name[TOPOLOGY_NAME_MAX], hint[160];

	if (!given.preset)
		given.preset = sc->topology_preset;
	if (!fill_dims(&t, &given)) {
		validate__preset_hint(given.preset, hint, sizeof(hint));
		vctx__report(c, STRUCTURAL, topology_err_loc(sc), "unknown topology preset '%s'%s",
			     given.preset, hint);
		return false;
	}
	if (def && !fill_dims(&t, &def->topology)) {
		validate__preset_hint(def->topology.preset, hint, sizeof(hint));
		vctx__report(c, STRUCTURAL, def->loc,
			     "scheduler '%s': unknown topology preset '%s'%s", def->name,
			     def->topology.preset, hint);
		return false;
	}
	fill_dims(&t, &(struct topology_partial){ TOPOLOGY_DEFAULT.numa_nodes,
			TOPOLOGY_DEFAULT.llcs, TOPOLOGY_DEFAULT.cores_per_llc,
			TOPOLOGY_DEFAULT.threads_per_core, NULL });
	sc->topology = t;
	err[0] = '\0';
	if (topology__validate(&t, err, sizeof(err))) {
		topology__format(&t, name);
		vctx__report(c, STRUCTURAL, topology_err_loc(sc), "topology %s: %s", name, err);
		return false;
	}
	return true;
}

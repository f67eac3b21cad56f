// SPDX-License-Identifier: GPL-2.0
/* Budget selection: the most diverse variants that fit a time budget. */
#include "budget.h"

#include <errno.h>
#include <string.h>

#include "base/units.h"
#include "scenario/scenario_inst.h"

enum {
	B_SCHED = 0, B_REQ = 4, B_EXCL = 10, B_ACTIVE = 16, B_CPUS = 22, B_LLCS = 27,
	B_SMT = 32, B_EXPECT_FAIL = 33, B_DURATION = 34, B_WORKERS = 37, B_NAME = 38,
	B_NUMA = 42, B_KERNEL = 46,
};

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static budget_bits bit(unsigned n)
{
	return (budget_bits)1 << n;
}

/* A flag's slot of 6: its place among the built-in flags, else a hash. */
static unsigned flag_slot(const char *name)
{
	size_t n;
	const struct sched_flag *all = sched_flags__builtin(&n);
	const struct sched_flag *f = sched_flags__builtin_find(name);

	if (f && (size_t)(f - all) < 6)
		return (unsigned)(f - all);
	return fnv1a(name) % 6;
}

static unsigned bucket(uint32_t v, const uint32_t *limits, unsigned nlimits)
{
	unsigned i;

	for (i = 0; i < nlimits; i++)
		if (v <= limits[i])
			return i;
	return nlimits;
}

double budget__estimate_s(double duration_s, bool tcg)
{
	return (tcg ? BUDGET_BOOT_S_TCG : BUDGET_BOOT_S_KVM) + (duration_s > 0 ? duration_s : 0);
}

static uint32_t max_group_workers(const struct cgroup_def *cgs, size_t n, uint32_t dflt)
{
	uint32_t m = 0, w;

	for (size_t i = 0; i < n; i++)
		if ((w = cgroup_def__workers(&cgs[i], dflt)) > m)
			m = w;
	return m;
}

budget_bits budget__variant_bits(const struct variant *v, const char *kernel)
{
	static const uint32_t cpu_lim[] = { 8, 16, 64, 128 };
	static const uint32_t llc_lim[] = { 1, 2, 4, 8 };
	static const uint32_t numa_lim[] = { 1, 2, 4 };
	const struct scenario *sc = v->scenario;
	const struct sched_def *d = sc->sched;
	const struct topology *t = &v->preset->topo;
	uint64_t dur_ns = sc->duration_ns ? sc->duration_ns : SCENARIO_DEFAULT_DURATION_NS;
	double dur_s = (double)dur_ns / NSEC_PER_SEC;
	uint32_t dflt, workers;
	struct scenario_inst in;
	budget_bits b = 0;

	b |= bit(B_SCHED + fnv1a(d ? d->name : "eevdf") % 4);
	for (size_t i = 0; i < sc->nflags_required; i++)
		b |= bit(B_REQ + flag_slot(sc->flags_required[i]));
	for (size_t i = 0; i < sc->nflags_excluded; i++)
		b |= bit(B_EXCL + flag_slot(sc->flags_excluded[i]));
	for (size_t i = 0; d && i < d->nflags && i < 32; i++)
		if (v->profile & ((flag_mask)1 << i))
			b |= bit(B_ACTIVE + flag_slot(d->flags[i].name));
	b |= bit(B_CPUS + bucket(topology__total_cpus(t), cpu_lim, 4));
	b |= bit(B_LLCS + bucket(t->llcs, llc_lim, 4));
	if (topology__has_smt(t))
		b |= bit(B_SMT);
	if (sc->expect_fail)
		b |= bit(B_EXPECT_FAIL);
	b |= bit(B_DURATION + (dur_s <= 2 ? 0 : dur_s <= 10 ? 1 : 2));
	/* Worker counts on this preset (the expanded gauntlet dropped those that fail). */
	if (!scenario_inst__init(&in, sc, t))
		sc = in.sc;
	dflt = sc->workers ? sc->workers : SCENARIO_DEFAULT_WORKERS;
	workers = max_group_workers(sc->cgroups, sc->ncgroups, dflt);
	for (size_t s = 0; s < sc->nsteps; s++) {
		uint32_t w = max_group_workers(sc->steps[s].cgroups, sc->steps[s].ncgroups, dflt);

		if (w > workers)
			workers = w;
	}
	sc = v->scenario;
	scenario_inst__free(&in);
	if (workers > 2)
		b |= bit(B_WORKERS);
	b |= bit(B_NAME + fnv1a(sc->name) % 4);
	b |= bit(B_NUMA + bucket(t->numa_nodes, numa_lim, 3));
	if (kernel)
		b |= bit(B_KERNEL + fnv1a(kernel) % 4);
	return b;
}

int budget__select(const struct budget_item *items, size_t n, double capacity_s, bool *sel,
		   struct budget_result *res)
{
	budget_bits covered = 0, all = 0;
	double left = capacity_s;

	memset(res, 0, sizeof(*res));
	if (capacity_s < 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!(items[i].est_s > 0))
			return -EINVAL;
		sel[i] = false;
		all |= items[i].bits;
	}
	for (;;) {
		size_t best = n;
		double best_score = 0;
		unsigned best_gain = 0;

		for (size_t i = 0; i < n; i++) {
			unsigned gain;
			double score;

			if (sel[i] || items[i].est_s > left)
				continue;
			gain = (unsigned)__builtin_popcountll(items[i].bits & ~covered);
			score = gain / items[i].est_s;
			if (best == n || (best_gain ? score > best_score :
					  gain > 0 || items[i].est_s < items[best].est_s)) {
				best = i;
				best_score = score;
				best_gain = gain;
			}
		}
		if (best == n)
			break;
		sel[best] = true;
		covered |= items[best].bits;
		left -= items[best].est_s;
		res->selected++;
		res->used_s += items[best].est_s;
	}
	res->covered = (unsigned)__builtin_popcountll(covered);
	res->possible = (unsigned)__builtin_popcountll(all);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Cpuset specs (ktstr-scenario(5), CGROUPS), scenario partitions and
 * upstream's overlapping_cpusets. Fractional specs slice the sorted usable
 * CPUs (all but the held-back last CPU); LLC, node and exact specs do not.
 */
#include "cpuset_spec.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"

/* The sorted CPUs of a set as an array, for slicing by position. */
struct cpu_array {
	unsigned cpu[KTSTR_CPUSET_BITS];
	size_t len;
};

static void cpu_array__from(struct cpu_array *a, const struct cpuset *s)
{
	a->len = cpuset__to_array(s, a->cpu, KTSTR_CPUSET_BITS);
}

/* out = a[start .. end), with the bounds clamped so the slice never inverts. */
static void slice(const struct cpu_array *a, size_t start, size_t end, struct cpuset *out)
{
	if (end > a->len)
		end = a->len;
	cpuset__zero(out);
	for (size_t i = start; i < end; i++)
		cpuset__set(out, a->cpu[i]);
}

/* floor(len * frac) for a frac already checked to lie in [0, 1]. */
static size_t frac_index(size_t len, double frac)
{
	double v = floor((double)len * frac);

	return v <= 0 ? 0 : v >= (double)len ? len : (size_t)v;
}

static int check_partition(const struct cpuset_spec *spec, size_t usable,
			   char *err, size_t errlen)
{
	if (!spec->of)
		return err__set(-EINVAL, err, errlen, "partition count (of) must be > 0");
	if (spec->index >= spec->of)
		return err__set(-EINVAL, err, errlen, "index %u >= partition count %u",
				spec->index, spec->of);
	if (spec->kind == CPUSET_OVERLAP) {
		if (!isfinite(spec->frac))
			return err__set(-EINVAL, err, errlen,
					"Overlap frac (%g) is not finite", spec->frac);
		if (spec->frac < 0.0 || spec->frac > 1.0)
			return err__set(-EINVAL, err, errlen,
					"Overlap frac (%g) must lie in [0.0, 1.0]", spec->frac);
	}
	if (usable < spec->of)
		return err__set(-EINVAL, err, errlen,
				"not enough usable CPUs (%zu) for %u partitions", usable, spec->of);
	return 0;
}

static int check_range(const struct cpuset_spec *spec, char *err, size_t errlen)
{
	double s = spec->start, e = spec->end;

	if (!isfinite(s) || !isfinite(e))
		return err__set(-EINVAL, err, errlen,
				"Range start_frac (%g) or end_frac (%g) is not finite", s, e);
	if (s < 0.0 || e > 1.0)
		return err__set(-EINVAL, err, errlen,
				"Range fracs must lie in [0.0, 1.0]: start_frac=%g, end_frac=%g",
				s, e);
	if (s >= e)
		return err__set(-EINVAL, err, errlen,
				"Range start_frac (%g) >= end_frac (%g)", s, e);
	return 0;
}

/*
 * Exact sets may name the held-back CPU (pinning to it is legitimate), but
 * not CPUs the topology does not have: cpuset.cpus would reject those.
 */
static int check_exact(const struct cpuset_spec *spec, const struct topology *t,
		       char *err, size_t errlen)
{
	struct cpuset all, missing;
	char list[128];

	if (cpuset__empty(&spec->cpus))
		return err__set(-EINVAL, err, errlen,
				"Exact(empty) would assign no CPUs to the cgroup; cpuset.cpus rejects an empty mask and the cgroup would become unschedulable");
	topology__all_cpus(t, &all);
	cpuset__andnot(&missing, &spec->cpus, &all);
	if (cpuset__empty(&missing))
		return 0;
	cpuset__format(&missing, list, sizeof(list));
	return err__set(-EINVAL, err, errlen,
			"Exact contains CPU(s) %s outside the topology's physical CPU set (max CPU index: %d); writing them to cpuset.cpus would fail with EINVAL",
			list, cpuset__last(&all));
}

/* Disjoint: equal chunks, the last one takes the remainder. */
static void resolve_disjoint(const struct cpuset_spec *spec, const struct cpu_array *u,
			     struct cpuset *out)
{
	size_t chunk = u->len / spec->of;
	size_t start = spec->index * chunk;
	size_t end = spec->index == spec->of - 1 ? u->len : (spec->index + 1) * chunk;

	slice(u, start, end, out);
}

/* Overlap: disjoint chunks widened by floor(chunk * frac) on inner edges. */
static void resolve_overlap(const struct cpuset_spec *spec, const struct cpu_array *u,
			    struct cpuset *out)
{
	size_t chunk = u->len / spec->of;
	size_t ov = (size_t)floor((double)chunk * spec->frac);
	size_t start = spec->index == 0 ? 0 : spec->index * chunk - ov;
	size_t end = spec->index == spec->of - 1 ? u->len : (spec->index + 1) * chunk + ov;

	slice(u, start, end, out);
}

int cpuset_spec__resolve(const struct cpuset_spec *spec, const struct topology *t,
			 struct cpuset *out, char *err, size_t errlen)
{
	struct cpuset usable_set;
	struct cpu_array usable;
	int ret = topology__validate(t, err, errlen);

	if (ret)
		return ret;
	topology__usable_cpus(t, &usable_set);
	cpu_array__from(&usable, &usable_set);

	switch (spec->kind) {
	case CPUSET_LLC:
		if (spec->index >= t->llcs)
			return err__set(-EINVAL, err, errlen,
					"Llc(%u) out of range: topology has %u LLCs",
					spec->index, t->llcs);
		topology__llc_cpus(t, spec->index, out);
		return 0;
	case CPUSET_NUMA:
		if (spec->index >= t->numa_nodes)
			return err__set(-EINVAL, err, errlen,
					"Numa(%u) out of range: topology has %u NUMA nodes",
					spec->index, t->numa_nodes);
		topology__node_cpus(t, spec->index, out);
		return 0;
	case CPUSET_RANGE:
		ret = check_range(spec, err, errlen);
		if (ret)
			return ret;
		slice(&usable, frac_index(usable.len, spec->start),
		      frac_index(usable.len, spec->end), out);
		return 0;
	case CPUSET_DISJOINT:
		ret = check_partition(spec, usable.len, err, errlen);
		if (ret)
			return ret;
		resolve_disjoint(spec, &usable, out);
		return 0;
	case CPUSET_OVERLAP:
		ret = check_partition(spec, usable.len, err, errlen);
		if (ret)
			return ret;
		resolve_overlap(spec, &usable, out);
		return 0;
	case CPUSET_EXACT:
		ret = check_exact(spec, t, err, errlen);
		if (ret)
			return ret;
		*out = spec->cpus;
		return 0;
	}
	return err__set(-EINVAL, err, errlen, "unknown cpuset kind %d", (int)spec->kind);
}

void cpuset_spec__describe(const struct cpuset_spec *spec, char *buf, size_t len)
{
	char list[1024];

	if (!buf || !len)
		return;
	switch (spec->kind) {
	case CPUSET_LLC:
		snprintf(buf, len, "llc %u", spec->index);
		return;
	case CPUSET_NUMA:
		snprintf(buf, len, "numa %u", spec->index);
		return;
	case CPUSET_RANGE:
		snprintf(buf, len, "range [%g, %g]", spec->start, spec->end);
		return;
	case CPUSET_DISJOINT:
		snprintf(buf, len, "disjoint %u/%u", spec->index, spec->of);
		return;
	case CPUSET_OVERLAP:
		snprintf(buf, len, "overlap %u/%u, frac %g", spec->index, spec->of, spec->frac);
		return;
	case CPUSET_EXACT:
		cpuset__format(&spec->cpus, list, sizeof(list));
		snprintf(buf, len, "cpus %s", list);
		return;
	}
	snprintf(buf, len, "cpuset kind %d", (int)spec->kind);
}

/* ---- scenario-level partitions ---- */

void cpuset__overlapping(const struct topology *t, unsigned n, double frac, struct cpuset *sets)
{
	struct cpuset all_set;
	struct cpu_array all;
	size_t base, stride, width;
	double overlap;

	if (!n)
		return;
	for (unsigned i = 0; i < n; i++)
		cpuset__zero(&sets[i]);
	topology__all_cpus(t, &all_set);
	cpu_array__from(&all, &all_set);
	if (!all.len)
		return;
	base = all.len / n;
	/* ceil(base * frac); NaN and negatives count as no overlap, as upstream. */
	overlap = frac > 0 ? ceil((double)base * frac) : 0;
	stride = (double)base > overlap ? base - (size_t)overlap : 1;
	width = base ? base : 1;
	for (size_t i = 0; i < n; i++) {
		size_t start = (i * stride) % all.len;

		for (size_t j = 0; j < width; j++)
			cpuset__set(&sets[i], all.cpu[(start + j) % all.len]);
	}
}

/* The first @n LLCs, one per set; the last CPU overall stays with the host. */
static void partition_llc_aligned(const struct topology *t, const struct cpu_array *all,
				  unsigned n, struct cpuset *sets)
{
	unsigned used = n < t->llcs ? n : t->llcs;

	/* One LLC cannot be split into two cgroups: leave every set empty. */
	if (t->llcs < 2)
		return;
	for (unsigned i = 0; i < used; i++)
		topology__llc_cpus(t, i, &sets[i]);
	if (cpuset__count(&sets[used - 1]) > 1)
		cpuset__clear(&sets[used - 1], all->cpu[all->len - 1]);
}

/* Two sets: a[0 .. mid) and a[mid .. end). */
static void split_two(const struct cpu_array *a, size_t mid, size_t end, struct cpuset *sets)
{
	if (mid > end)
		mid = end;
	slice(a, 0, mid, &sets[0]);
	slice(a, mid, end, &sets[1]);
}

static bool is_frac(double f)
{
	return isfinite(f) && f >= 0.0 && f <= 1.0;
}

/* The two-way partitions: SplitHalf, SplitMisaligned, Uneven, Holdback. */
static void partition_two(enum cpuset_partition p, double param, const struct topology *t,
			  const struct cpu_array *all, const struct cpu_array *usable,
			  struct cpuset *sets)
{
	size_t split, keep;

	switch (p) {
	case PARTITION_SPLIT_HALF:
		split_two(usable, usable->len / 2, usable->len, sets);
		break;
	case PARTITION_SPLIT_MISALIGNED:
		/* Half an LLC in: the split crosses the first LLC boundary. */
		split = t->llcs > 1 ? topology__cpus_per_llc(t) / 2 : usable->len / 2;
		split_two(usable, split, usable->len, sets);
		break;
	case PARTITION_UNEVEN:
		split = frac_index(usable->len, param);
		split_two(usable, split ? split : 1, usable->len, sets);
		break;
	case PARTITION_HOLDBACK:
		keep = all->len - frac_index(all->len, param);
		split = keep / 2;
		split_two(all, split ? split : 1, keep, sets);
		break;
	default:
		break;
	}
}

int cpuset_partition__resolve(enum cpuset_partition p, double param, const struct topology *t,
			      unsigned n, struct cpuset *sets)
{
	struct cpuset all_set, usable_set;
	struct cpu_array all, usable;

	if (topology__validate(t, NULL, 0))
		return -EINVAL;
	if (n && !sets)
		return -EINVAL;
	for (unsigned i = 0; i < n; i++)
		cpuset__zero(&sets[i]);
	topology__all_cpus(t, &all_set);
	topology__usable_cpus(t, &usable_set);
	cpu_array__from(&all, &all_set);
	cpu_array__from(&usable, &usable_set);

	switch (p) {
	case PARTITION_NONE:
		return 0;	/* no cpusets: the sets stay empty and unused */
	case PARTITION_LLC_ALIGNED:
		if (!n)
			return -EINVAL;
		partition_llc_aligned(t, &all, n, sets);
		break;
	case PARTITION_OVERLAP:
		if (!n || !is_frac(param))
			return -EINVAL;
		cpuset__overlapping(t, n, param, sets);
		break;
	case PARTITION_SPLIT_HALF:
	case PARTITION_SPLIT_MISALIGNED:
	case PARTITION_UNEVEN:
	case PARTITION_HOLDBACK:
		/* These always make exactly two sets. */
		if (n != 2)
			return -EINVAL;
		if ((p == PARTITION_UNEVEN || p == PARTITION_HOLDBACK) && !is_frac(param))
			return -EINVAL;
		partition_two(p, param, t, &all, &usable, sets);
		break;
	default:
		return -EINVAL;
	}
	for (unsigned i = 0; i < n; i++)
		if (cpuset__empty(&sets[i]))
			return 1;
	return 0;
}

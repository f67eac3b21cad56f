/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Topology-relative cpuset specifications ({llc: 1}, {disjoint: 1/2}, ...)
 * and scenario-level partitions, as pure functions of a topology.
 */
#ifndef KTSTR_CPUSET_SPEC_H
#define KTSTR_CPUSET_SPEC_H

#include <stddef.h>

#include "cpuset.h"
#include "topology.h"

enum cpuset_kind {
	CPUSET_LLC,		/* all CPUs of LLC index */
	CPUSET_NUMA,		/* all CPUs of node index */
	CPUSET_RANGE,		/* usable[floor(len*start) .. floor(len*end)) */
	CPUSET_DISJOINT,	/* part index of `of` equal parts of usable */
	CPUSET_OVERLAP,		/* like disjoint, widened by floor(chunk*frac) */
	CPUSET_EXACT,		/* the CPUs verbatim (may include the held-back CPU) */
};

struct cpuset_spec {
	enum cpuset_kind kind;
	uint32_t index;		/* LLC, NUMA, DISJOINT, OVERLAP */
	uint32_t of;		/* DISJOINT, OVERLAP */
	double start, end;	/* RANGE */
	double frac;		/* OVERLAP */
	struct cpuset cpus;	/* EXACT */
};

/*
 * Resolve @spec on @t. Unlike upstream, an out-of-range LLC or node is an
 * error, not clamped. Errors (returned -EINVAL, text in @err) are worded as
 * in ktstr-scenario(5), CGROUPS, e.g. "Llc(3) out of range: topology has 2 LLCs",
 * "index 2 >= partition count 2", "not enough usable CPUs (3) for 4 partitions",
 * "Range fracs must lie in [0.0, 1.0]: start_frac=..., end_frac=...".
 */
int cpuset_spec__resolve(const struct cpuset_spec *spec, const struct topology *t,
			 struct cpuset *out, char *err, size_t errlen);
/* Human form for messages and JSON: "llc 1", "disjoint 1/2", "cpus 0-3". */
void cpuset_spec__describe(const struct cpuset_spec *spec, char *buf, size_t len);

/* Scenario-level partitions of n cgroups. */
enum cpuset_partition {
	PARTITION_NONE,
	PARTITION_LLC_ALIGNED,
	PARTITION_SPLIT_HALF,
	PARTITION_SPLIT_MISALIGNED,
	PARTITION_OVERLAP,	/* param = overlap fraction */
	PARTITION_UNEVEN,	/* param = fraction for the first set */
	PARTITION_HOLDBACK,	/* param = fraction held back */
};

/*
 * Fill sets[0..n-1]. Returns 0, 1 when any resulting set is empty (the
 * scenario must be skipped: "not enough CPUs/LLCs"), or -EINVAL.
 */
int cpuset_partition__resolve(enum cpuset_partition p, double param, const struct topology *t,
			      unsigned n, struct cpuset *sets);
/* Upstream's overlapping_cpusets(n, f), over all CPUs. */
void cpuset__overlapping(const struct topology *t, unsigned n, double frac, struct cpuset *sets);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for lib/topo/cpuset_spec: every cpuset spec formula of
 * ktstr-scenario(5), CGROUPS, with hand-computed CPU lists, every validation
 * message, the scenario partitions and upstream's overlapping_cpusets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "topo/cpuset_spec.h"

#define TOPO(n, l, c, t) ((struct topology){ n, l, c, t })

/* 8 CPUs in two LLCs of 4: usable = 0-6 (len 7), CPU 7 held back. */
static const struct topology T8 = { 1, 2, 4, 1 };
/* 16 CPUs, 2 nodes x 2 LLCs x 4 cores: usable = 0-14 (len 15). */
static const struct topology T16N2 = { 2, 4, 4, 1 };

static void assert_list(const struct cpuset *s, const char *expected)
{
	char buf[1024];

	cpuset__format(s, buf, sizeof(buf));
	assert_string_equal(buf, expected);
}

static struct cpuset_spec llc(uint32_t i)
{
	return (struct cpuset_spec){ .kind = CPUSET_LLC, .index = i };
}

static struct cpuset_spec numa(uint32_t i)
{
	return (struct cpuset_spec){ .kind = CPUSET_NUMA, .index = i };
}

static struct cpuset_spec range(double start, double end)
{
	return (struct cpuset_spec){ .kind = CPUSET_RANGE, .start = start, .end = end };
}

static struct cpuset_spec disjoint(uint32_t index, uint32_t of)
{
	return (struct cpuset_spec){ .kind = CPUSET_DISJOINT, .index = index, .of = of };
}

static struct cpuset_spec overlap(uint32_t index, uint32_t of, double frac)
{
	return (struct cpuset_spec){
		.kind = CPUSET_OVERLAP, .index = index, .of = of, .frac = frac,
	};
}

static struct cpuset_spec exact(const char *list)
{
	struct cpuset_spec s = { .kind = CPUSET_EXACT };

	cpuset__zero(&s.cpus);
	if (*list)
		assert_int_equal(cpuset__parse(list, &s.cpus, NULL, 0), 0);
	return s;
}

static void expect_cpus(struct cpuset_spec spec, struct topology t, const char *want)
{
	char err[512] = "";
	struct cpuset out;

	memset(&out, 0xa5, sizeof(out));
	assert_int_equal(cpuset_spec__resolve(&spec, &t, &out, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_list(&out, want);
	/* No message buffer: same result. */
	assert_int_equal(cpuset_spec__resolve(&spec, &t, &out, NULL, 0), 0);
	assert_list(&out, want);
}

static void expect_error(struct cpuset_spec spec, struct topology t, const char *msg)
{
	char err[512] = "";
	struct cpuset out;

	assert_int_equal(cpuset_spec__resolve(&spec, &t, &out, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, msg);
	assert_int_equal(cpuset_spec__resolve(&spec, &t, &out, NULL, 0), -EINVAL);
}

/* ---- Llc / Numa ---- */

static void test_llc(void **state)
{
	(void)state;
	expect_cpus(llc(0), T8, "0-3");
	expect_cpus(llc(1), T8, "4-7");	/* all of the LLC, the held-back CPU too */
	expect_cpus(llc(2), TOPO(1, 3, 2, 2), "8-11");
	expect_cpus(llc(13), TOPO(1, 14, 9, 2), "234-251");
	expect_error(llc(2), T8, "Llc(2) out of range: topology has 2 LLCs");
	expect_error(llc(1), TOPO(1, 1, 4, 1), "Llc(1) out of range: topology has 1 LLCs");
}

static void test_numa(void **state)
{
	(void)state;
	expect_cpus(numa(0), T16N2, "0-7");
	expect_cpus(numa(1), T16N2, "8-15");
	expect_cpus(numa(0), T8, "0-7");
	expect_cpus(numa(3), TOPO(4, 12, 8, 2), "144-191");
	expect_error(numa(2), T16N2, "Numa(2) out of range: topology has 2 NUMA nodes");
	expect_error(numa(1), T8, "Numa(1) out of range: topology has 1 NUMA nodes");
}

/* ---- Range: usable[floor(len*s) .. floor(len*e)) ---- */

static void test_range(void **state)
{
	(void)state;
	expect_cpus(range(0.0, 0.5), T8, "0-2");	/* floor(3.5) = 3 */
	expect_cpus(range(0.5, 1.0), T8, "3-6");
	expect_cpus(range(0.25, 0.75), T8, "1-4");	/* [1, 5) */
	expect_cpus(range(0.0, 1.0), T8, "0-6");	/* never the held-back CPU */
	expect_cpus(range(0.0, 0.5), TOPO(1, 2, 4, 2), "0-6");	/* len 15: [0, 7) */
	expect_cpus(range(0.5, 0.75), TOPO(1, 2, 4, 2), "7-10");	/* [7, 11) */
	/* Valid but too thin to hold a CPU: empty, as upstream. */
	expect_cpus(range(0.0, 0.1), T8, "");
}

static void test_range_errors(void **state)
{
	(void)state;
	expect_error(range(NAN, 0.5), T8, "Range start_frac (nan) or end_frac (0.5) is not finite");
	expect_error(range(0.0, INFINITY), T8, "Range start_frac (0) or end_frac (inf) is not finite");
	expect_error(range(-0.1, 0.5), T8,
		     "Range fracs must lie in [0.0, 1.0]: start_frac=-0.1, end_frac=0.5");
	expect_error(range(0.0, 1.5), T8,
		     "Range fracs must lie in [0.0, 1.0]: start_frac=0, end_frac=1.5");
	expect_error(range(0.5, 0.5), T8, "Range start_frac (0.5) >= end_frac (0.5)");
	expect_error(range(0.75, 0.25), T8, "Range start_frac (0.75) >= end_frac (0.25)");
}

/* ---- Disjoint: chunk = len/of, the last part takes the rest ---- */

static void test_disjoint(void **state)
{
	(void)state;
	expect_cpus(disjoint(0, 2), T8, "0-2");
	expect_cpus(disjoint(1, 2), T8, "3-6");
	expect_cpus(disjoint(0, 3), T8, "0-1");
	expect_cpus(disjoint(1, 3), T8, "2-3");
	expect_cpus(disjoint(2, 3), T8, "4-6");
	expect_cpus(disjoint(6, 7), T8, "6");
	expect_cpus(disjoint(0, 1), T8, "0-6");

	/* 1n2l4c2t: usable 0-14, chunk 3 */
	expect_cpus(disjoint(0, 4), TOPO(1, 2, 4, 2), "0-2");
	expect_cpus(disjoint(1, 4), TOPO(1, 2, 4, 2), "3-5");
	expect_cpus(disjoint(2, 4), TOPO(1, 2, 4, 2), "6-8");
	expect_cpus(disjoint(3, 4), TOPO(1, 2, 4, 2), "9-14");

	/* Two CPUs: nothing is held back. */
	expect_cpus(disjoint(0, 2), TOPO(1, 1, 2, 1), "0");
	expect_cpus(disjoint(1, 2), TOPO(1, 1, 2, 1), "1");
}

static void test_disjoint_errors(void **state)
{
	(void)state;
	expect_error(disjoint(0, 0), T8, "partition count (of) must be > 0");
	expect_error(disjoint(2, 2), T8, "index 2 >= partition count 2");
	expect_error(disjoint(5, 3), T8, "index 5 >= partition count 3");
	expect_error(disjoint(0, 8), T8, "not enough usable CPUs (7) for 8 partitions");
	expect_error(disjoint(0, 3), TOPO(1, 1, 3, 1), "not enough usable CPUs (2) for 3 partitions");
}

/* ---- Overlap: disjoint widened by ov = floor(chunk*frac) ---- */

static void test_overlap(void **state)
{
	(void)state;
	/* len 7, of 2: chunk 3, ov 1 */
	expect_cpus(overlap(0, 2, 0.5), T8, "0-3");	/* [0, min(4, 7)) */
	expect_cpus(overlap(1, 2, 0.5), T8, "2-6");	/* [3-1, 7) */
	/* of 3: chunk 2, ov 1 */
	expect_cpus(overlap(0, 3, 0.5), T8, "0-2");
	expect_cpus(overlap(1, 3, 0.5), T8, "1-4");
	expect_cpus(overlap(2, 3, 0.5), T8, "3-6");
	/* frac 1: ov = chunk = 2 */
	expect_cpus(overlap(0, 3, 1.0), T8, "0-3");
	expect_cpus(overlap(1, 3, 1.0), T8, "0-5");
	expect_cpus(overlap(2, 3, 1.0), T8, "2-6");
	/* frac 0 is disjoint */
	expect_cpus(overlap(1, 3, 0.0), T8, "2-3");
	/* floor: chunk 3 * 0.3 = 0.9 -> no overlap */
	expect_cpus(overlap(0, 2, 0.3), T8, "0-2");
	/* len 15, of 4: chunk 3, ov floor(1.5) = 1 */
	expect_cpus(overlap(1, 4, 0.5), TOPO(1, 2, 4, 2), "2-6");
	expect_cpus(overlap(3, 4, 0.5), TOPO(1, 2, 4, 2), "8-14");
}

static void test_overlap_errors(void **state)
{
	(void)state;
	expect_error(overlap(0, 0, 0.5), T8, "partition count (of) must be > 0");
	expect_error(overlap(3, 3, 0.5), T8, "index 3 >= partition count 3");
	expect_error(overlap(0, 2, NAN), T8, "Overlap frac (nan) is not finite");
	expect_error(overlap(0, 2, -INFINITY), T8, "Overlap frac (-inf) is not finite");
	expect_error(overlap(0, 2, 1.5), T8, "Overlap frac (1.5) must lie in [0.0, 1.0]");
	expect_error(overlap(0, 2, -0.25), T8, "Overlap frac (-0.25) must lie in [0.0, 1.0]");
	expect_error(overlap(0, 8, 0.5), T8, "not enough usable CPUs (7) for 8 partitions");
}

/* ---- Exact ---- */

static void test_exact(void **state)
{
	(void)state;
	expect_cpus(exact("0,7"), T8, "0,7");	/* the held-back CPU is allowed */
	expect_cpus(exact("2-5"), T8, "2-5");
	expect_cpus(exact("0-251"), TOPO(1, 14, 9, 2), "0-251");
	expect_error(exact(""), T8,
		     "Exact(empty) would assign no CPUs to the cgroup; cpuset.cpus rejects an empty mask and the cgroup would become unschedulable");
	expect_error(exact("6-9,12"), T8,
		     "Exact contains CPU(s) 8-9,12 outside the topology's physical CPU set (max CPU index: 7); writing them to cpuset.cpus would fail with EINVAL");
	expect_error(exact("255"), TOPO(1, 14, 9, 2),
		     "Exact contains CPU(s) 255 outside the topology's physical CPU set (max CPU index: 251); writing them to cpuset.cpus would fail with EINVAL");
}

static void test_bad_topology_and_kind(void **state)
{
	struct cpuset_spec bad = { .kind = (enum cpuset_kind)99 };

	(void)state;
	expect_error(llc(0), TOPO(0, 2, 4, 1), "numa nodes must be > 0");
	expect_error(disjoint(0, 2), TOPO(1, 16, 16, 2),
		     "512 CPUs; at most 252 are supported");
	expect_error(bad, T8, "unknown cpuset kind 99");
}

static void test_describe(void **state)
{
	char buf[128];
	struct cpuset_spec s;

	(void)state;
	s = llc(1);
	cpuset_spec__describe(&s, buf, sizeof(buf));
	assert_string_equal(buf, "llc 1");
	s = numa(0);
	cpuset_spec__describe(&s, buf, sizeof(buf));
	assert_string_equal(buf, "numa 0");
	s = range(0.0, 0.5);
	cpuset_spec__describe(&s, buf, sizeof(buf));
	assert_string_equal(buf, "range [0, 0.5]");
	s = disjoint(1, 2);
	cpuset_spec__describe(&s, buf, sizeof(buf));
	assert_string_equal(buf, "disjoint 1/2");
	s = overlap(1, 3, 0.5);
	cpuset_spec__describe(&s, buf, sizeof(buf));
	assert_string_equal(buf, "overlap 1/3, frac 0.5");
	s = exact("0-3,6");
	cpuset_spec__describe(&s, buf, sizeof(buf));
	assert_string_equal(buf, "cpus 0-3,6");
	/* Truncated, terminated. */
	s = exact("0-3,6");
	cpuset_spec__describe(&s, buf, 5);
	assert_string_equal(buf, "cpus");
}

/* ---- overlapping_cpusets, over all CPUs ---- */

static void test_overlapping(void **state)
{
	struct cpuset sets[5];

	(void)state;
	/* 8 CPUs, n 2, f 0.5: base 4, overlap 2, stride 2 */
	cpuset__overlapping(&T8, 2, 0.5, sets);
	assert_list(&sets[0], "0-3");
	assert_list(&sets[1], "2-5");
	/* f 0.25: overlap ceil(1) = 1, stride 3 */
	cpuset__overlapping(&T8, 2, 0.25, sets);
	assert_list(&sets[0], "0-3");
	assert_list(&sets[1], "3-6");
	/* f 0: stride 4, the last CPU is used too */
	cpuset__overlapping(&T8, 2, 0.0, sets);
	assert_list(&sets[0], "0-3");
	assert_list(&sets[1], "4-7");
	/* n 3, f 0.5: base 2, overlap 1, stride 1 */
	cpuset__overlapping(&T8, 3, 0.5, sets);
	assert_list(&sets[0], "0-1");
	assert_list(&sets[1], "1-2");
	assert_list(&sets[2], "2-3");
	/* f 0.1: overlap ceil(0.2) = 1 */
	cpuset__overlapping(&T8, 3, 0.1, sets);
	assert_list(&sets[1], "1-2");
	/* 4 CPUs, n 5: base 0 -> one CPU each, stride 1, wrapping around */
	cpuset__overlapping(&(struct topology){ 1, 1, 4, 1 }, 5, 0.5, sets);
	assert_list(&sets[0], "0");
	assert_list(&sets[3], "3");
	assert_list(&sets[4], "0");
	/* 3 CPUs, n 2, f 0: base 1, stride 1 */
	cpuset__overlapping(&(struct topology){ 1, 1, 3, 1 }, 2, 0.0, sets);
	assert_list(&sets[0], "0");
	assert_list(&sets[1], "1");
	/* base not above overlap: stride 1 (5 CPUs, n 2, f 1.0 -> base 2, overlap 2) */
	cpuset__overlapping(&(struct topology){ 1, 5, 1, 1 }, 2, 1.0, sets);
	assert_list(&sets[0], "0-1");
	assert_list(&sets[1], "1-2");
	/* n 0 touches nothing */
	cpuset__zero(&sets[0]);
	cpuset__set(&sets[0], 9);
	cpuset__overlapping(&T8, 0, 0.5, sets);
	assert_list(&sets[0], "9");
}

/* ---- partitions ---- */

static void test_partition_none(void **state)
{
	struct cpuset sets[2];

	(void)state;
	memset(sets, 0xff, sizeof(sets));
	assert_int_equal(cpuset_partition__resolve(PARTITION_NONE, 0, &T8, 2, sets), 0);
	assert_list(&sets[0], "");
	assert_list(&sets[1], "");
}

static void test_partition_llc_aligned(void **state)
{
	struct cpuset sets[3];

	(void)state;
	/* One LLC each; the last CPU overall leaves the last set. */
	assert_int_equal(cpuset_partition__resolve(PARTITION_LLC_ALIGNED, 0, &T8, 2, sets), 0);
	assert_list(&sets[0], "0-3");
	assert_list(&sets[1], "4-6");
	/* First n LLCs only: CPU 7 is not in them. */
	assert_int_equal(cpuset_partition__resolve(PARTITION_LLC_ALIGNED, 0,
						   &(struct topology){ 1, 4, 2, 1 }, 2, sets), 0);
	assert_list(&sets[0], "0-1");
	assert_list(&sets[1], "2-3");
	assert_int_equal(cpuset_partition__resolve(PARTITION_LLC_ALIGNED, 0,
						   &(struct topology){ 1, 3, 2, 2 }, 3, sets), 0);
	assert_list(&sets[0], "0-3");
	assert_list(&sets[1], "4-7");
	assert_list(&sets[2], "8-10");
	/* A one-CPU last LLC keeps its CPU. */
	assert_int_equal(cpuset_partition__resolve(PARTITION_LLC_ALIGNED, 0,
						   &(struct topology){ 1, 3, 1, 1 }, 3, sets), 0);
	assert_list(&sets[2], "2");
}

static void test_partition_llc_aligned_skip(void **state)
{
	struct cpuset sets[3];

	(void)state;
	/* Fewer than 2 LLCs: skip ("not enough CPUs/LLCs"). */
	assert_int_equal(cpuset_partition__resolve(PARTITION_LLC_ALIGNED, 0,
						   &(struct topology){ 1, 1, 4, 1 }, 2, sets), 1);
	assert_list(&sets[0], "");
	assert_list(&sets[1], "");
	/* More cgroups than LLCs: the extra ones would get nothing. */
	assert_int_equal(cpuset_partition__resolve(PARTITION_LLC_ALIGNED, 0, &T8, 3, sets), 1);
	assert_list(&sets[0], "0-3");
	assert_list(&sets[1], "4-6");
	assert_list(&sets[2], "");
}

static void test_partition_split_half(void **state)
{
	struct cpuset sets[2];

	(void)state;
	assert_int_equal(cpuset_partition__resolve(PARTITION_SPLIT_HALF, 0, &T8, 2, sets), 0);
	assert_list(&sets[0], "0-2");	/* mid = 7/2 = 3 */
	assert_list(&sets[1], "3-6");
	assert_int_equal(cpuset_partition__resolve(PARTITION_SPLIT_HALF, 0,
						   &(struct topology){ 1, 2, 4, 2 }, 2, sets), 0);
	assert_list(&sets[0], "0-6");
	assert_list(&sets[1], "7-14");
	/* One CPU: the first half is empty -> skip. */
	assert_int_equal(cpuset_partition__resolve(PARTITION_SPLIT_HALF, 0,
						   &(struct topology){ 1, 1, 1, 1 }, 2, sets), 1);
	assert_list(&sets[0], "");
	assert_list(&sets[1], "0");
}

static void test_partition_split_misaligned(void **state)
{
	struct cpuset sets[2];

	(void)state;
	/* Two LLCs: split at |llc 0| / 2 = 2, inside the first LLC. */
	assert_int_equal(cpuset_partition__resolve(PARTITION_SPLIT_MISALIGNED, 0, &T8, 2, sets), 0);
	assert_list(&sets[0], "0-1");
	assert_list(&sets[1], "2-6");
	assert_int_equal(cpuset_partition__resolve(PARTITION_SPLIT_MISALIGNED, 0,
						   &(struct topology){ 1, 2, 4, 2 }, 2, sets), 0);
	assert_list(&sets[0], "0-3");
	assert_list(&sets[1], "4-14");
	/* One LLC: len/2 of usable (0-2) = 1. */
	assert_int_equal(cpuset_partition__resolve(PARTITION_SPLIT_MISALIGNED, 0,
						   &(struct topology){ 1, 1, 4, 1 }, 2, sets), 0);
	assert_list(&sets[0], "0");
	assert_list(&sets[1], "1-2");
	/* LLCs of one CPU: split 0 -> skip. */
	assert_int_equal(cpuset_partition__resolve(PARTITION_SPLIT_MISALIGNED, 0,
						   &(struct topology){ 1, 4, 1, 1 }, 2, sets), 1);
	assert_list(&sets[0], "");
	assert_list(&sets[1], "0-2");
}

static void test_partition_overlap(void **state)
{
	struct cpuset sets[3];

	(void)state;
	assert_int_equal(cpuset_partition__resolve(PARTITION_OVERLAP, 0.5, &T8, 3, sets), 0);
	assert_list(&sets[0], "0-1");
	assert_list(&sets[1], "1-2");
	assert_list(&sets[2], "2-3");
	assert_int_equal(cpuset_partition__resolve(PARTITION_OVERLAP, 0.5, &T8, 2, sets), 0);
	assert_list(&sets[0], "0-3");
	assert_list(&sets[1], "2-5");
	assert_int_equal(cpuset_partition__resolve(PARTITION_OVERLAP, 1.5, &T8, 2, sets), -EINVAL);
	assert_int_equal(cpuset_partition__resolve(PARTITION_OVERLAP, NAN, &T8, 2, sets), -EINVAL);
	assert_int_equal(cpuset_partition__resolve(PARTITION_OVERLAP, 0.5, &T8, 0, sets), -EINVAL);
}

static void test_partition_uneven(void **state)
{
	struct cpuset sets[2];

	(void)state;
	/* split = max(floor(7 * 0.75), 1) = 5 */
	assert_int_equal(cpuset_partition__resolve(PARTITION_UNEVEN, 0.75, &T8, 2, sets), 0);
	assert_list(&sets[0], "0-4");
	assert_list(&sets[1], "5-6");
	assert_int_equal(cpuset_partition__resolve(PARTITION_UNEVEN, 0.25, &T8, 2, sets), 0);
	assert_list(&sets[0], "0");
	assert_list(&sets[1], "1-6");
	/* At least one CPU in the first set. */
	assert_int_equal(cpuset_partition__resolve(PARTITION_UNEVEN, 0.0, &T8, 2, sets), 0);
	assert_list(&sets[0], "0");
	assert_list(&sets[1], "1-6");
	/* Everything in the first: the second is empty -> skip. */
	assert_int_equal(cpuset_partition__resolve(PARTITION_UNEVEN, 1.0, &T8, 2, sets), 1);
	assert_list(&sets[0], "0-6");
	assert_list(&sets[1], "");
	assert_int_equal(cpuset_partition__resolve(PARTITION_UNEVEN, -0.5, &T8, 2, sets), -EINVAL);
}

static void test_partition_holdback(void **state)
{
	struct cpuset sets[2];

	(void)state;
	/* keep = 8 - floor(8 * 0.33) = 6, mid 3; from all CPUs */
	assert_int_equal(cpuset_partition__resolve(PARTITION_HOLDBACK, 0.33, &T8, 2, sets), 0);
	assert_list(&sets[0], "0-2");
	assert_list(&sets[1], "3-5");
	assert_int_equal(cpuset_partition__resolve(PARTITION_HOLDBACK, 0.5, &T8, 2, sets), 0);
	assert_list(&sets[0], "0-1");
	assert_list(&sets[1], "2-3");
	/* Nothing held back: all 8 CPUs, the last one included. */
	assert_int_equal(cpuset_partition__resolve(PARTITION_HOLDBACK, 0.0, &T8, 2, sets), 0);
	assert_list(&sets[0], "0-3");
	assert_list(&sets[1], "4-7");
	/* 2 CPUs, half held back: keep 1, mid max(0, 1) = 1 -> second empty, skip. */
	assert_int_equal(cpuset_partition__resolve(PARTITION_HOLDBACK, 0.5,
						   &(struct topology){ 1, 1, 2, 1 }, 2, sets), 1);
	assert_list(&sets[0], "0");
	assert_list(&sets[1], "");
	/* All held back. */
	assert_int_equal(cpuset_partition__resolve(PARTITION_HOLDBACK, 1.0, &T8, 2, sets), 1);
	assert_list(&sets[0], "");
	assert_list(&sets[1], "");
	assert_int_equal(cpuset_partition__resolve(PARTITION_HOLDBACK, 2.0, &T8, 2, sets), -EINVAL);
}

static void test_partition_errors(void **state)
{
	struct cpuset sets[3];

	(void)state;
	/* The two-way partitions make exactly two sets. */
	assert_int_equal(cpuset_partition__resolve(PARTITION_SPLIT_HALF, 0, &T8, 3, sets), -EINVAL);
	assert_int_equal(cpuset_partition__resolve(PARTITION_SPLIT_MISALIGNED, 0, &T8, 1, sets),
			 -EINVAL);
	assert_int_equal(cpuset_partition__resolve(PARTITION_UNEVEN, 0.5, &T8, 3, sets), -EINVAL);
	assert_int_equal(cpuset_partition__resolve(PARTITION_HOLDBACK, 0.5, &T8, 0, sets), -EINVAL);
	assert_int_equal(cpuset_partition__resolve(PARTITION_LLC_ALIGNED, 0, &T8, 0, sets), -EINVAL);
	assert_int_equal(cpuset_partition__resolve(PARTITION_SPLIT_HALF, 0, &T8, 2, NULL), -EINVAL);
	assert_int_equal(cpuset_partition__resolve(PARTITION_SPLIT_HALF, 0,
						   &(struct topology){ 2, 3, 1, 1 }, 2, sets), -EINVAL);
	assert_int_equal(cpuset_partition__resolve((enum cpuset_partition)42, 0, &T8, 2, sets),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_llc),
		cmocka_unit_test(test_numa),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_range_errors),
		cmocka_unit_test(test_disjoint),
		cmocka_unit_test(test_disjoint_errors),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_overlap_errors),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_bad_topology_and_kind),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_overlapping),
		cmocka_unit_test(test_partition_none),
		cmocka_unit_test(test_partition_llc_aligned),
		cmocka_unit_test(test_partition_llc_aligned_skip),
		cmocka_unit_test(test_partition_split_half),
		cmocka_unit_test(test_partition_split_misaligned),
		cmocka_unit_test(test_partition_overlap),
		cmocka_unit_test(test_partition_uneven),
		cmocka_unit_test(test_partition_holdback),
		cmocka_unit_test(test_partition_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for lib/topo/topology, topo_presets and topo_host: the
 * topology model, the preset table and the constraint/host filters
 * (ktstr-scenario(5), PRESETS and TOP-LEVEL KEYS; ktstr(1), OPTIONS).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "topo/topology.h"

#define TOPO(n, l, c, t) ((struct topology){ n, l, c, t })

static void assert_list(const struct cpuset *s, const char *expected)
{
	char buf[1024];

	cpuset__format(s, buf, sizeof(buf));
	assert_string_equal(buf, expected);
}

/* ---- parse / validate / format ---- */

static void test_parse_ok(void **state)
{
	struct topology t;
	char err[128] = "";

	(void)state;
	assert_int_equal(topology__parse("1n2l4c2t", &t, err, sizeof(err)), 0);
	assert_int_equal(t.numa_nodes, 1);
	assert_int_equal(t.llcs, 2);
	assert_int_equal(t.cores_per_llc, 4);
	assert_int_equal(t.threads_per_core, 2);

	assert_int_equal(topology__parse("4n12l8c2t", &t, err, sizeof(err)), 0);
	assert_int_equal(t.numa_nodes, 4);
	assert_int_equal(t.llcs, 12);
	assert_int_equal(t.cores_per_llc, 8);
	assert_int_equal(t.threads_per_core, 2);

	/* Parse does not validate: zeros and huge values are still numbers. */
	assert_int_equal(topology__parse("0n0l0c0t", &t, NULL, 0), 0);
	assert_int_equal(t.numa_nodes, 0);
	assert_int_equal(topology__parse("64n252l252c252t", &t, NULL, 0), 0);
	assert_int_equal(t.llcs, 252);
	assert_int_equal(topology__parse("1n1l4294967295c1t", &t, NULL, 0), 0);
	assert_int_equal(t.cores_per_llc, 4294967295u);
}

static void expect_parse_error(const char *s, const char *msg)
{
	struct topology t = TOPO(7, 7, 7, 7);
	char err[256] = "";

	assert_int_equal(topology__parse(s, &t, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, msg);
	/* The output is left alone on error. */
	assert_int_equal(t.numa_nodes, 7);
	assert_int_equal(t.llcs, 7);
	assert_int_equal(t.cores_per_llc, 7);
	assert_int_equal(t.threads_per_core, 7);
	assert_int_equal(topology__parse(s, &t, NULL, 0), -EINVAL);
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_parse_error("1n2l", "bad topology '1n2l': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("", "bad topology '': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("1n2l4c2tx", "bad topology '1n2l4c2tx': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("+1n2l4c2t", "bad topology '+1n2l4c2t': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("-1n2l4c2t", "bad topology '-1n2l4c2t': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("1n-2l4c2t", "bad topology '1n-2l4c2t': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error(" 1n2l4c2t", "bad topology ' 1n2l4c2t': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("1n2l4c2t ", "bad topology '1n2l4c2t ': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("1n 2l4c2t", "bad topology '1n 2l4c2t': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("1N2L4C2T", "bad topology '1N2L4C2T': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("2l1n4c2t", "bad topology '2l1n4c2t': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("n2l4c2t", "bad topology 'n2l4c2t': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("1n2l4c2", "bad topology '1n2l4c2': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("1,2,4,2", "bad topology '1,2,4,2': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("0x1n2l4c2t", "bad topology '0x1n2l4c2t': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("tiny-2llc", "bad topology 'tiny-2llc': expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("4294967296n1l1c1t",
			   "bad topology '4294967296n1l1c1t': a number is too large; expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error("1n1l1c99999999999999999999t",
			   "bad topology '1n1l1c99999999999999999999t': a number is too large; expected NnNlNcNt, e.g. 1n2l4c2t");
	expect_parse_error(NULL, "missing topology: expected NnNlNcNt, e.g. 1n2l4c2t");
}

static void expect_invalid(struct topology t, const char *msg)
{
	char err[256] = "";

	assert_int_equal(topology__validate(&t, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, msg);
	assert_int_equal(topology__validate(&t, NULL, 0), -EINVAL);
}

static void test_validate(void **state)
{
	struct topology t;
	char err[128] = "untouched";

	(void)state;
	t = TOPO(1, 2, 4, 2);
	assert_int_equal(topology__validate(&t, err, sizeof(err)), 0);
	t = TOPO(1, 14, 9, 2);	/* 252 CPUs: the maximum */
	assert_int_equal(topology__validate(&t, err, sizeof(err)), 0);
	t = TOPO(64, 64, 1, 1);
	assert_int_equal(topology__validate(&t, err, sizeof(err)), 0);
	t = TOPO(1, 1, 1, 1);
	assert_int_equal(topology__validate(&t, NULL, 0), 0);

	expect_invalid(TOPO(0, 2, 4, 2), "numa nodes must be > 0");
	expect_invalid(TOPO(1, 0, 4, 2), "llcs must be > 0");
	expect_invalid(TOPO(1, 2, 0, 2), "cores per llc must be > 0");
	expect_invalid(TOPO(1, 2, 4, 0), "threads per core must be > 0");
	expect_invalid(TOPO(2, 3, 4, 1), "llcs (3) must be a multiple of numa nodes (2)");
	expect_invalid(TOPO(4, 2, 4, 1), "llcs (2) must be a multiple of numa nodes (4)");
	expect_invalid(TOPO(65, 65, 1, 1), "numa nodes (65) must be at most 64");
	expect_invalid(TOPO(1, 16, 16, 2),
		       "512 CPUs; at most 252 are supported");
	expect_invalid(TOPO(1, 1, 253, 1),
		       "253 CPUs; at most 252 are supported");
	expect_invalid(TOPO(1, 65536, 65536, 1),
		       "4294967296 CPUs; at most 252 are supported");
	expect_invalid(TOPO(1, 4294967295u, 4294967295u, 4294967295u),
		       "too many CPUs; at most 252 are supported");
}

static void test_default(void **state)
{
	struct topology t = TOPOLOGY_DEFAULT;
	char name[TOPOLOGY_NAME_MAX];

	(void)state;
	topology__format(&t, name);
	assert_string_equal(name, "1n1l2c1t");
	assert_int_equal(topology__total_cpus(&t), 2);
	assert_int_equal(topology__validate(&t, NULL, 0), 0);
}

static void test_format(void **state)
{
	char name[TOPOLOGY_NAME_MAX];
	struct topology t = TOPO(1, 2, 4, 2), back;

	(void)state;
	topology__format(&t, name);
	assert_string_equal(name, "1n2l4c2t");
	t = TOPO(64, 252, 252, 252);
	topology__format(&t, name);
	assert_string_equal(name, "64n252l252c252t");
	assert_int_equal(topology__parse(name, &back, NULL, 0), 0);
	assert_memory_equal(&back, &t, sizeof(t));

	/* Values far past the limits are cut, never overflow the buffer. */
	memset(name, 'x', sizeof(name));
	t = TOPO(4294967295u, 4294967295u, 4294967295u, 4294967295u);
	topology__format(&t, name);
	assert_int_equal(strlen(name), TOPOLOGY_NAME_MAX - 1);
	assert_string_equal(name, "4294967295n4294967295l4");
}

/* ---- counts, decompose, node of an LLC ---- */

static void test_total_cpus(void **state)
{
	struct topology t;

	(void)state;
	t = TOPO(1, 2, 4, 2);
	assert_int_equal(topology__total_cpus(&t), 16);
	assert_int_equal(topology__cpus_per_llc(&t), 8);
	assert_true(topology__has_smt(&t));
	/* The l count is total LLCs, not per node. */
	t = TOPO(2, 4, 4, 2);
	assert_int_equal(topology__total_cpus(&t), 32);
	assert_int_equal(topology__cpus_per_llc(&t), 8);
	t = TOPO(1, 14, 9, 2);
	assert_int_equal(topology__total_cpus(&t), 252);
	t = TOPO(1, 3, 3, 1);
	assert_int_equal(topology__total_cpus(&t), 9);
	assert_int_equal(topology__cpus_per_llc(&t), 3);
	assert_false(topology__has_smt(&t));
	t = TOPO(1, 1, 1, 3);
	assert_true(topology__has_smt(&t));
	/* Products that do not fit saturate instead of wrapping. */
	t = TOPO(1, 65536, 65536, 1);
	assert_int_equal(topology__total_cpus(&t), UINT32_MAX);
	t = TOPO(1, 4294967295u, 4294967295u, 4294967295u);
	assert_int_equal(topology__total_cpus(&t), UINT32_MAX);
	assert_int_equal(topology__cpus_per_llc(&t), UINT32_MAX);
}

static void assert_pos(const struct topology *t, uint32_t cpu,
		       uint32_t node, uint32_t llc, uint32_t core, uint32_t thread)
{
	struct cpu_pos p = topology__decompose(t, cpu);

	assert_int_equal(p.node, node);
	assert_int_equal(p.llc, llc);
	assert_int_equal(p.core, core);
	assert_int_equal(p.thread, thread);
}

static void test_decompose(void **state)
{
	struct topology t = TOPO(1, 2, 4, 2);

	(void)state;
	/* llc = cpu/(T*C), core = (cpu/T)%C, thread = cpu%T */
	assert_pos(&t, 0, 0, 0, 0, 0);
	assert_pos(&t, 1, 0, 0, 0, 1);
	assert_pos(&t, 2, 0, 0, 1, 0);
	assert_pos(&t, 7, 0, 0, 3, 1);
	assert_pos(&t, 8, 0, 1, 0, 0);
	assert_pos(&t, 13, 0, 1, 2, 1);
	assert_pos(&t, 15, 0, 1, 3, 1);

	t = TOPO(2, 4, 4, 2);
	assert_pos(&t, 15, 0, 1, 3, 1);
	assert_pos(&t, 16, 1, 2, 0, 0);
	assert_pos(&t, 31, 1, 3, 3, 1);

	t = TOPO(1, 3, 3, 1);
	assert_pos(&t, 5, 0, 1, 2, 0);
	assert_pos(&t, 8, 0, 2, 2, 0);

	t = TOPO(4, 12, 8, 2);
	assert_pos(&t, 47, 0, 2, 7, 1);
	assert_pos(&t, 48, 1, 3, 0, 0);
	assert_pos(&t, 191, 3, 11, 7, 1);
}

/* cpu = (llc * C + core) * T + thread holds for every CPU of every preset. */
static void test_decompose_roundtrip(void **state)
{
	size_t n;
	const struct topo_preset *p = topo_presets(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		const struct topology *t = &p[i].topo;

		for (uint32_t cpu = 0; cpu < topology__total_cpus(t); cpu++) {
			struct cpu_pos pos = topology__decompose(t, cpu);

			assert_int_equal((pos.llc * t->cores_per_llc + pos.core) *
					 t->threads_per_core + pos.thread, cpu);
			assert_true(pos.llc < t->llcs);
			assert_int_equal(pos.node, topology__llc_node(t, pos.llc));
		}
	}
}

static void test_llc_node(void **state)
{
	struct topology t;

	(void)state;
	t = TOPO(1, 8, 4, 2);
	for (uint32_t llc = 0; llc < 8; llc++)
		assert_int_equal(topology__llc_node(&t, llc), 0);
	t = TOPO(2, 4, 4, 2);
	assert_int_equal(topology__llc_node(&t, 0), 0);
	assert_int_equal(topology__llc_node(&t, 1), 0);
	assert_int_equal(topology__llc_node(&t, 2), 1);
	assert_int_equal(topology__llc_node(&t, 3), 1);
	t = TOPO(4, 12, 8, 2);	/* 3 LLCs per node */
	assert_int_equal(topology__llc_node(&t, 2), 0);
	assert_int_equal(topology__llc_node(&t, 3), 1);
	assert_int_equal(topology__llc_node(&t, 8), 2);
	assert_int_equal(topology__llc_node(&t, 9), 3);
	assert_int_equal(topology__llc_node(&t, 11), 3);
	t = TOPO(4, 8, 4, 1);
	assert_int_equal(topology__llc_node(&t, 5), 2);
	/* An invalid topology does not divide by zero. */
	t = TOPO(0, 2, 1, 1);
	assert_int_equal(topology__llc_node(&t, 1), 0);
	t = TOPO(4, 2, 1, 1);
	assert_int_equal(topology__llc_node(&t, 1), 0);
	t = TOPO(1, 1, 0, 1);
	assert_pos(&t, 3, 0, 0, 0, 0);
}

/* ---- CPU sets of a topology ---- */

static void test_all_and_usable(void **state)
{
	struct cpuset s;
	struct topology t;

	(void)state;
	t = TOPO(1, 2, 4, 2);
	topology__all_cpus(&t, &s);
	assert_list(&s, "0-15");
	topology__usable_cpus(&t, &s);
	assert_list(&s, "0-14");

	t = TOPO(1, 14, 9, 2);
	topology__all_cpus(&t, &s);
	assert_list(&s, "0-251");
	topology__usable_cpus(&t, &s);
	assert_list(&s, "0-250");

	/* The last CPU is held back only when there are more than two. */
	t = TOPO(1, 1, 3, 1);
	topology__usable_cpus(&t, &s);
	assert_list(&s, "0-1");
	t = TOPO(1, 1, 2, 1);
	topology__usable_cpus(&t, &s);
	assert_list(&s, "0-1");
	t = TOPO(1, 1, 1, 1);
	topology__usable_cpus(&t, &s);
	assert_list(&s, "0");
	t = TOPO(1, 2, 1, 1);
	topology__usable_cpus(&t, &s);
	assert_list(&s, "0-1");
}

static void test_llc_cpus(void **state)
{
	struct cpuset s;
	struct topology t;

	(void)state;
	t = TOPO(1, 2, 4, 2);
	topology__llc_cpus(&t, 0, &s);
	assert_list(&s, "0-7");
	topology__llc_cpus(&t, 1, &s);
	assert_list(&s, "8-15");	/* includes the held-back CPU */
	topology__llc_cpus(&t, 2, &s);
	assert_list(&s, "");

	t = TOPO(1, 5, 3, 1);
	topology__llc_cpus(&t, 4, &s);
	assert_list(&s, "12-14");
	t = TOPO(1, 14, 9, 2);
	topology__llc_cpus(&t, 13, &s);
	assert_list(&s, "234-251");
}

static void test_node_cpus(void **state)
{
	struct cpuset s;
	struct topology t;

	(void)state;
	t = TOPO(2, 4, 4, 2);
	topology__node_cpus(&t, 0, &s);
	assert_list(&s, "0-15");
	topology__node_cpus(&t, 1, &s);
	assert_list(&s, "16-31");
	topology__node_cpus(&t, 2, &s);
	assert_list(&s, "");

	t = TOPO(4, 12, 8, 2);	/* 3 LLCs x 16 CPUs per node */
	topology__node_cpus(&t, 0, &s);
	assert_list(&s, "0-47");
	topology__node_cpus(&t, 3, &s);
	assert_list(&s, "144-191");

	t = TOPO(1, 2, 4, 2);
	topology__node_cpus(&t, 0, &s);
	assert_list(&s, "0-15");
	topology__node_cpus(&t, 1, &s);
	assert_list(&s, "");
}

/* ---- presets ---- */

struct want_preset {
	const char *name, *topo;
	uint32_t cpus, llcs, numa, memory_mb;
	const char *description;
};

static const struct want_preset want_presets[] = {
	{ "tiny-1llc", "1n1l4c1t", 4, 1, 1, 2048, "Single LLC" },
	{ "tiny-2llc", "1n2l2c1t", 4, 2, 1, 2048, "Minimal multi-LLC" },
	{ "odd-3llc", "1n3l3c1t", 9, 3, 1, 2048, "Odd CPU count" },
	{ "odd-5llc", "1n5l3c1t", 15, 5, 1, 2048, "Prime LLC count" },
	{ "odd-7llc", "1n7l2c1t", 14, 7, 1, 2048, "Prime LLC count" },
	{ "smt-2llc", "1n2l2c2t", 8, 2, 1, 2048, "SMT enabled" },
	{ "smt-3llc", "1n3l2c2t", 12, 3, 1, 2048, "SMT, 3 LLCs" },
	{ "medium-4llc", "1n4l4c2t", 32, 4, 1, 2048, "Medium" },
	{ "medium-8llc", "1n8l4c2t", 64, 8, 1, 2048, "Medium, many LLCs" },
	{ "large-4llc", "1n4l16c2t", 128, 4, 1, 2048, "Large, few LLCs" },
	{ "large-8llc", "1n8l8c2t", 128, 8, 1, 2048, "Large, many LLCs" },
	{ "near-max-llc", "1n15l8c2t", 240, 15, 1, 2048, "Near maximum" },
	{ "max-cpu", "1n14l9c2t", 252, 14, 1, 4096, "Near KVM vCPU limit" },
	{ "medium-4llc-nosmt", "1n4l8c1t", 32, 4, 1, 2048, "Medium, no SMT" },
	{ "medium-8llc-nosmt", "1n8l8c1t", 64, 8, 1, 2048, "Medium, many LLCs, no SMT" },
	{ "large-4llc-nosmt", "1n4l32c1t", 128, 4, 1, 2048, "Large, no SMT" },
	{ "large-8llc-nosmt", "1n8l16c1t", 128, 8, 1, 2048, "Large, many LLCs, no SMT" },
	{ "near-max-llc-nosmt", "1n15l16c1t", 240, 15, 1, 2048, "Near maximum, no SMT" },
	{ "max-cpu-nosmt", "1n14l18c1t", 252, 14, 1, 4096, "Near KVM vCPU limit, no SMT" },
	{ "numa2-4llc", "2n4l4c1t", 16, 4, 2, 2048, "Multi-NUMA, 2 nodes" },
	{ "numa2-8llc", "2n8l8c2t", 128, 8, 2, 2048, "Multi-NUMA, 2 nodes, SMT" },
	{ "numa2-8llc-nosmt", "2n8l16c1t", 128, 8, 2, 2048, "Multi-NUMA, 2 nodes, no SMT" },
	{ "numa4-8llc", "4n8l4c1t", 32, 8, 4, 2048, "Multi-NUMA, 4 nodes" },
	{ "numa4-12llc", "4n12l8c2t", 192, 12, 4, 4096, "Multi-NUMA, 4 nodes, SMT" },
};

#define N_WANT (sizeof(want_presets) / sizeof(want_presets[0]))

static void test_presets_table(void **state)
{
	size_t n = 0;
	const struct topo_preset *p = topo_presets(&n);

	(void)state;
	assert_int_equal(N_WANT, 24);
	assert_int_equal(n, 24);
	for (size_t i = 0; i < n; i++) {
		const struct want_preset *w = &want_presets[i];
		char name[TOPOLOGY_NAME_MAX];

		topology__format(&p[i].topo, name);
		assert_string_equal(p[i].name, w->name);
		assert_string_equal(name, w->topo);
		assert_int_equal(topology__total_cpus(&p[i].topo), w->cpus);
		assert_int_equal(p[i].topo.llcs, w->llcs);
		assert_int_equal(p[i].topo.numa_nodes, w->numa);
		assert_int_equal(p[i].memory_mb, w->memory_mb);
		assert_string_equal(p[i].description, w->description);
		assert_int_equal(topology__validate(&p[i].topo, NULL, 0), 0);
		assert_int_equal(topology__has_smt(&p[i].topo), strstr(w->topo, "2t") != NULL);
		if (strstr(w->name, "nosmt"))
			assert_false(topology__has_smt(&p[i].topo));
	}
	/* The count argument is optional. */
	assert_ptr_equal(topo_presets(NULL), p);
}

static void test_preset_find(void **state)
{
	size_t n;
	const struct topo_preset *p = topo_presets(&n);
	const struct topo_preset *f;

	(void)state;
	for (size_t i = 0; i < n; i++)
		assert_ptr_equal(topo_preset__find(p[i].name), &p[i]);
	f = topo_preset__find("medium-4llc-nosmt");
	assert_non_null(f);
	assert_int_equal(topology__total_cpus(&f->topo), 32);
	assert_null(topo_preset__find("medium-4llc-"));
	assert_null(topo_preset__find("Tiny-1llc"));
	assert_null(topo_preset__find("1n1l4c1t"));
	assert_null(topo_preset__find(""));
	assert_null(topo_preset__find(NULL));
}

/* ---- constraints and host capacity ---- */

/* Names of the presets @c accepts that fit @h, joined by spaces; returns how many. */
static size_t accepted(const struct topo_constraints *c, const struct host_capacity *h,
		       char *buf, size_t len)
{
	size_t n, pos = 0, count = 0;
	const struct topo_preset *p = topo_presets(&n);

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!topo_constraints__accept(c, &p[i].topo) || !host_capacity__fits(h, &p[i].topo))
			continue;
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", pos ? " " : "", p[i].name);
		assert_true(pos < len);
		count++;
	}
	return count;
}

static const struct host_capacity unlimited = { .unlimited = true };

static void test_default_constraints(void **state)
{
	struct topo_constraints c = TOPO_CONSTRAINTS_DEFAULT;
	char names[1024];

	(void)state;
	assert_int_equal(c.min_numa_nodes, 1);
	assert_int_equal(c.max_numa_nodes, 1);
	assert_int_equal(c.min_llcs, 1);
	assert_int_equal(c.max_llcs, 12);
	assert_int_equal(c.min_cpus, 1);
	assert_int_equal(c.max_cpus, 192);
	assert_false(c.requires_smt);
	/*
	 * ktstr-scenario(5), PRESETS: 15 survive, every single-node preset but
	 * near-max-llc*, max-cpu*.
	 */
	assert_int_equal(accepted(&c, &unlimited, names, sizeof(names)), 15);
	assert_string_equal(names,
			    "tiny-1llc tiny-2llc odd-3llc odd-5llc odd-7llc smt-2llc smt-3llc "
			    "medium-4llc medium-8llc large-4llc large-8llc medium-4llc-nosmt "
			    "medium-8llc-nosmt large-4llc-nosmt large-8llc-nosmt");
}

static void test_constraints_worked_example(void **state)
{
	struct topo_constraints c = TOPO_CONSTRAINTS_DEFAULT;
	char names[1024];

	(void)state;
	c.min_llcs = 2;
	c.requires_smt = true;
	assert_int_equal(accepted(&c, &unlimited, names, sizeof(names)), 6);
	assert_string_equal(names,
			    "smt-2llc smt-3llc medium-4llc medium-8llc large-4llc large-8llc");
}

static void test_constraints_limits(void **state)
{
	struct topo_constraints c = TOPO_CONSTRAINTS_DEFAULT;
	struct topology t;
	char names[1024];

	(void)state;
	/* NUMA presets opt in by raising max_numa_nodes. */
	c.min_numa_nodes = 2;
	c.max_numa_nodes = 4;
	accepted(&c, &unlimited, names, sizeof(names));
	assert_string_equal(names, "numa2-4llc numa2-8llc numa2-8llc-nosmt numa4-8llc numa4-12llc");

	/* Zero maxima mean "no limit": everything passes. */
	c = (struct topo_constraints){ .min_numa_nodes = 1, .min_llcs = 1, .min_cpus = 1 };
	assert_int_equal(accepted(&c, &unlimited, names, sizeof(names)), 24);

	/* Bounds are inclusive. */
	c = TOPO_CONSTRAINTS_DEFAULT;
	c.min_cpus = 128;
	c.max_cpus = 128;
	accepted(&c, &unlimited, names, sizeof(names));
	assert_string_equal(names, "large-4llc large-8llc large-4llc-nosmt large-8llc-nosmt");
	c = TOPO_CONSTRAINTS_DEFAULT;
	c.min_llcs = 7;
	c.max_llcs = 7;
	accepted(&c, &unlimited, names, sizeof(names));
	assert_string_equal(names, "odd-7llc");

	t = TOPO(1, 12, 16, 1);	/* 192 CPUs, 12 LLCs: on both upper edges */
	c = TOPO_CONSTRAINTS_DEFAULT;
	assert_true(topo_constraints__accept(&c, &t));
	t = TOPO(1, 13, 1, 1);
	assert_false(topo_constraints__accept(&c, &t));
	t = TOPO(1, 1, 193, 1);
	assert_false(topo_constraints__accept(&c, &t));
	t = TOPO(2, 2, 1, 1);
	assert_false(topo_constraints__accept(&c, &t));
	c.requires_smt = true;
	t = TOPO(1, 1, 2, 1);
	assert_false(topo_constraints__accept(&c, &t));
	t = TOPO(1, 1, 1, 2);
	assert_true(topo_constraints__accept(&c, &t));
}

static void test_host_capacity_cpus(void **state)
{
	struct host_capacity h = host_capacity__cpus(8);
	struct topo_constraints c = TOPO_CONSTRAINTS_DEFAULT;
	struct topology t;
	char names[1024];

	(void)state;
	assert_false(h.unlimited);
	assert_int_equal(h.cpus, 8);
	assert_int_equal(h.llc_groups, 8);
	assert_int_equal(h.max_cpus_per_llc, 8);

	t = TOPO(1, 2, 2, 2);
	assert_true(host_capacity__fits(&h, &t));	/* 8 CPUs: the edge */
	t = TOPO(1, 3, 3, 1);
	assert_false(host_capacity__fits(&h, &t));	/* 9 CPUs */
	accepted(&c, &h, names, sizeof(names));
	assert_string_equal(names, "tiny-1llc tiny-2llc smt-2llc");

	h = host_capacity__cpus(16);
	accepted(&c, &h, names, sizeof(names));
	assert_string_equal(names, "tiny-1llc tiny-2llc odd-3llc odd-5llc odd-7llc smt-2llc smt-3llc");
}

static void test_host_capacity_llcs(void **state)
{
	struct topo_constraints c = TOPO_CONSTRAINTS_DEFAULT;
	struct host_capacity h = { .cpus = 16, .llc_groups = 2, .max_cpus_per_llc = 8 };
	struct topology t;
	char names[1024];

	(void)state;
	/* More LLCs than the host has groups are filtered out. */
	accepted(&c, &h, names, sizeof(names));
	assert_string_equal(names, "tiny-1llc tiny-2llc smt-2llc");
	t = TOPO(1, 2, 4, 2);
	assert_true(host_capacity__fits(&h, &t));
	t = TOPO(1, 3, 1, 1);
	assert_false(host_capacity__fits(&h, &t));

	/* So are LLCs wider than the host's largest. */
	h = (struct host_capacity){ .cpus = 16, .llc_groups = 4, .max_cpus_per_llc = 2 };
	accepted(&c, &h, names, sizeof(names));
	assert_string_equal(names, "tiny-2llc");
	t = TOPO(1, 1, 1, 3);
	assert_false(host_capacity__fits(&h, &t));
	t = TOPO(1, 4, 2, 1);
	assert_true(host_capacity__fits(&h, &t));

	/* Unlimited fits everything, whatever the numbers say. */
	h = (struct host_capacity){ .unlimited = true };
	t = TOPO(1, 14, 9, 2);
	assert_true(host_capacity__fits(&h, &t));
}

static void test_host_detect(void **state)
{
	struct topology one = TOPO(1, 1, 1, 1);
	struct host_capacity h;
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	(void)state;
	memset(&h, 0xa5, sizeof(h));
	assert_int_equal(host_capacity__detect(&h), 0);
	assert_false(h.unlimited);
	assert_true(online > 0);
	assert_int_equal(h.cpus, (uint32_t)online);
	assert_true(h.llc_groups >= 1);
	assert_true(h.llc_groups <= h.cpus);
	assert_true(h.max_cpus_per_llc >= 1);
	assert_true(h.max_cpus_per_llc <= h.cpus);
	/* Groups of at most max CPUs must cover every online CPU. */
	assert_true((uint64_t)h.llc_groups * h.max_cpus_per_llc >= h.cpus);
	/* The host always fits a 1-CPU VM. */
	assert_true(host_capacity__fits(&h, &one));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_total_cpus),
		cmocka_unit_test(test_decompose),
		cmocka_unit_test(test_decompose_roundtrip),
		cmocka_unit_test(test_llc_node),
		cmocka_unit_test(test_all_and_usable),
		cmocka_unit_test(test_llc_cpus),
		cmocka_unit_test(test_node_cpus),
		cmocka_unit_test(test_presets_table),
		cmocka_unit_test(test_preset_find),
		cmocka_unit_test(test_default_constraints),
		cmocka_unit_test(test_constraints_worked_example),
		cmocka_unit_test(test_constraints_limits),
		cmocka_unit_test(test_host_capacity_cpus),
		cmocka_unit_test(test_host_capacity_llcs),
		cmocka_unit_test(test_host_detect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * cmd/run/run_allowed.c: the CPUs each cgroup's workers were allowed over the
 * whole run (the isolation check's input), as steps add, set, move, swap and
 * clear cpusets. Every expected set is worked out by hand in the comments,
 * on 1n2l2c1t: CPUs 0-1 in LLC 0, 2-3 in LLC 1.
 */
#include "scenario_load_fx.h"

#include "run/run_allowed.h"
#include "topo/cpuset.h"

#define HEAD "name: t\ntopology: 1n2l2c1t\nduration: 4s\n"

/* Build @yaml's allowed sets into @a, on the variant's topology (as run does). */
static void build(struct fx *f, const char *yaml, struct run_allowed *a)
{
	const struct scenario *sc = load_ok(f, yaml);
	const struct topology t = { 1, 2, 2, 1 };	/* 1n2l2c1t */

	memset(a, 0, sizeof(*a));
	run_allowed__build(sc, &t, a);
}

static const struct cgroup_allowed *find(const struct run_allowed *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->items[i].cgroup, name))
			return &a->items[i];
	return NULL;
}

/* @name is listed once, constrained to exactly @cpus ("0-2"), or unconstrained (NULL). */
static void expect(const struct run_allowed *a, const char *name, const char *cpus)
{
	const struct cgroup_allowed *ca = find(a, name);
	char buf[64];
	size_t seen = 0;

	assert_non_null(ca);
	for (size_t i = 0; i < a->n; i++)
		seen += !strcmp(a->items[i].cgroup, name);
	assert_int_equal(seen, 1);
	if (!cpus) {
		assert_false(ca->constrained);
		return;
	}
	assert_true(ca->constrained);
	cpuset__format(&ca->cpus, buf, sizeof(buf));
	assert_string_equal(buf, cpus);
}

/* The backdrop alone: each cgroup its own cpuset; none means unconstrained. */
static void test_backdrop(void **state)
{
	struct run_allowed a;

	build(*state, HEAD
	      "cgroups:\n"
	      "  - {name: cg0, cpuset: {llc: 0}}\n"	/* LLC 0: 0-1 */
	      "  - {name: cg1, cpuset: {cpus: \"2\"}}\n"
	      "  - {name: free}\n",
	      &a);
	assert_int_equal(a.n, 3);
	expect(&a, "cg0", "0-1");
	expect(&a, "cg1", "2");
	expect(&a, "free", NULL);
	run_allowed__free(&a);
	assert_null(a.items);
	assert_int_equal(a.n, 0);
}

/* set_cpuset widens the run's set: {0} then {2} allowed 0 and 2. */
static void test_set_cpuset(void **state)
{
	struct run_allowed a;

	build(*state, HEAD
	      "cgroups:\n"
	      "  - {name: cg0, cpuset: {cpus: \"0\"}}\n"
	      "  - {name: cg1, cpuset: {cpus: \"1\"}}\n"
	      "steps:\n"
	      "  - ops:\n"
	      "      - set_cpuset: {cgroup: cg0, cpuset: {cpus: \"2\"}}\n"
	      "    hold: 1/2\n"
	      "  - ops:\n"
	      "      - set_cpuset: {cgroup: cg0, cpuset: {cpus: \"1\"}}\n"
	      "    hold: 1/2\n",
	      &a);
	expect(&a, "cg0", "0-2");	/* 0, then 2, then 1 */
	expect(&a, "cg1", "1");		/* untouched */
	run_allowed__free(&a);
}

/*
 * move_all_tasks: the tasks of cg0 (allowed 0) land in moved (allowed 2), so
 * moved's workers may have run on 0 too: {0,2}. cg0 keeps {0}; an
 * unconstrained source lifts the target's constraint.
 */
static void test_move_all_tasks(void **state)
{
	struct run_allowed a;

	build(*state, HEAD
	      "cgroups:\n"
	      "  - {name: cg0, cpuset: {cpus: \"0\"}}\n"
	      "  - {name: loose}\n"
	      "steps:\n"
	      "  - ops:\n"
	      "      - add_cgroup: {name: moved, cpuset: {cpus: \"2\"}}\n"
	      "      - move_all_tasks: {from: cg0, to: moved}\n"
	      "      - add_cgroup: {name: tight, cpuset: {cpus: \"1\"}}\n"
	      "      - move_all_tasks: {from: loose, to: tight}\n",
	      &a);
	expect(&a, "cg0", "0");
	expect(&a, "moved", "0,2");
	expect(&a, "loose", NULL);
	expect(&a, "tight", NULL);
	run_allowed__free(&a);
}

/*
 * move_tasks: as move_all_tasks, the target may hold tasks of the source:
 * b gets a's {0}; a keeps {0}, and back in a loop a gets b's {0,3}.
 * A third cgroup is untouched.
 */
static void test_move_tasks(void **state)
{
	struct run_allowed a;

	build(*state, HEAD
	      "cgroups:\n"
	      "  - {name: a, cpuset: {cpus: \"0\"}}\n"
	      "  - {name: b, cpuset: {cpus: \"3\"}}\n"
	      "  - {name: c, cpuset: {cpus: \"1\"}}\n"
	      "steps:\n"
	      "  - ops:\n"
	      "      - move_tasks: {from: a, to: b, count: 2}\n"
	      "    hold: 1/2\n"
	      "  - ops:\n"
	      "      - move_tasks: {from: b, to: a}\n"
	      "    hold: {loop: 100ms}\n",
	      &a);
	expect(&a, "b", "0,3");
	expect(&a, "a", "0,3");
	expect(&a, "c", "1");
	run_allowed__free(&a);
}

/*
 * swap_cpusets: cg0 {0} and cg1 {1-2} trade cpusets, so each was allowed
 * both: {0-2} for each; a third cgroup is untouched. A second swap in a loop
 * step changes nothing more.
 */
static void test_swap_cpusets(void **state)
{
	struct run_allowed a;

	build(*state, HEAD
	      "cgroups:\n"
	      "  - {name: cg0, cpuset: {cpus: \"0\"}}\n"
	      "  - {name: cg1, cpuset: {cpus: \"1-2\"}}\n"
	      "  - {name: cg2, cpuset: {cpus: \"3\"}}\n"
	      "steps:\n"
	      "  - ops:\n"
	      "      - swap_cpusets: [cg0, cg1]\n"
	      "    hold: {loop: 250ms}\n",
	      &a);
	expect(&a, "cg0", "0-2");
	expect(&a, "cg1", "0-2");
	expect(&a, "cg2", "3");
	run_allowed__free(&a);
}

/*
 * clear_cpuset: a moment without a cpuset lifts the constraint for the whole
 * run, even when a cpuset is set again later; a swap with a cleared cgroup
 * lifts the partner's too.
 */
static void test_clear_cpuset(void **state)
{
	struct run_allowed a;

	build(*state, HEAD
	      "cgroups:\n"
	      "  - {name: cg0, cpuset: {cpus: \"0\"}}\n"
	      "  - {name: cg1, cpuset: {cpus: \"1\"}}\n"
	      "  - {name: cg2, cpuset: {cpus: \"2\"}}\n"
	      "steps:\n"
	      "  - ops:\n"
	      "      - clear_cpuset: cg0\n"
	      "      - clear_cpuset: cg1\n"
	      "    hold: 1/2\n"
	      "  - ops:\n"
	      "      - set_cpuset: {cgroup: cg0, cpuset: {cpus: \"1\"}}\n"
	      "      - swap_cpusets: [cg1, cg2]\n"
	      "    hold: 1/2\n",
	      &a);
	expect(&a, "cg0", NULL);
	expect(&a, "cg1", NULL);
	expect(&a, "cg2", NULL);
	/* the CPUs seen while constrained are still kept: cg0 had 0, then 1 */
	char buf[16];

	cpuset__format(&find(&a, "cg0")->cpus, buf, sizeof(buf));
	assert_string_equal(buf, "0-1");
	run_allowed__free(&a);
}

/*
 * Step-local cgroups: each step's own cgroups count with their cpusets; one
 * name reused in two steps (alive in each in turn) gets the union {0,2}; a
 * step-local one without a cpuset is unconstrained, and an add_cgroup
 * without one too.
 */
static void test_step_local(void **state)
{
	struct run_allowed a;

	build(*state, HEAD
	      "cgroups:\n"
	      "  - {name: cg0, cpuset: {cpus: \"1\"}}\n"
	      "steps:\n"
	      "  - cgroups:\n"
	      "      - {name: tmp, cpuset: {cpus: \"0\"}}\n"
	      "      - {name: open}\n"
	      "    ops:\n"
	      "      - add_cgroup: bare\n"
	      "    hold: 1/2\n"
	      "  - cgroups:\n"
	      "      - {name: tmp, cpuset: {llc: 1}}\n"	/* LLC 1: 2-3 */
	      "    hold: 1/2\n",
	      &a);
	assert_int_equal(a.n, 4);
	expect(&a, "cg0", "1");
	expect(&a, "tmp", "0,2-3");
	expect(&a, "open", NULL);
	expect(&a, "bare", NULL);
	run_allowed__free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backdrop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_cpuset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_all_tasks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_tasks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_swap_cpusets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clear_cpuset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_step_local, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

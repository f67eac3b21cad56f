// SPDX-License-Identifier: GPL-2.0
/*
 * Semantic validation, the walk over the steps: cpusets, memory policies,
 * worker groups, cgroup and program lifetimes, and the fits-a-preset check
 * of the gauntlet. Every error is checked with its exact text and
 * FILE:LINE:COLUMN.
 */
#include "validate_fx.h"

#include <errno.h>

#include "topo/cpuset_spec.h"
#include "topo/topology.h"

/* ---- cpusets, affinities, memory policies ---- */

static void resolver_msg(const char *yaml_spec, struct cpuset_spec spec, const struct topology *t,
			 char *buf, size_t len)
{
	struct cpuset out;

	(void)yaml_spec;
	buf[0] = '\0';
	assert_int_not_equal(cpuset_spec__resolve(&spec, t, &out, buf, len), 0);
}

static void test_cpuset_errors(void **state)
{
	struct fx *f = *state;
	struct topology t = { 1, 1, 4, 1 };
	char e1[256], e2[256], e3[256], e4[256], want[512];

	resolver_msg("{llc: 1}", (struct cpuset_spec){ .kind = CPUSET_LLC, .index = 1 }, &t, e1,
		     sizeof(e1));
	resolver_msg("{disjoint: 0/4}",
		     (struct cpuset_spec){ .kind = CPUSET_DISJOINT, .index = 0, .of = 4 }, &t, e2,
		     sizeof(e2));
	resolver_msg("{numa: 1}", (struct cpuset_spec){ .kind = CPUSET_NUMA, .index = 1 }, &t, e3,
		     sizeof(e3));
	resolver_msg("{llc: 3}", (struct cpuset_spec){ .kind = CPUSET_LLC, .index = 3 }, &t, e4,
		     sizeof(e4));
	load(f, "c.yaml",
	     "name: c\n"
	     "topology: 1n1l4c1t\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "    cpuset: {llc: 1}\n"
	     "steps:\n"
	     "  - cgroups:\n"
	     "      - {name: cg1, cpuset: {disjoint: 0/4}}\n"
	     "    ops:\n"
	     "      - {add_cgroup: {name: cg2, cpuset: {numa: 1}}}\n"
	     "      - {set_cpuset: {cgroup: cg0, cpuset: {llc: 3}}}\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 4);
	snprintf(want, sizeof(want), "c.yaml:5:13: cgroup 'cg0': %s", e1);
	assert_diag(f, want);
	snprintf(want, sizeof(want), "c.yaml:8:29: cgroup 'cg1': %s", e2);
	assert_diag(f, want);
	snprintf(want, sizeof(want), "c.yaml:10:10: cgroup 'cg2': %s", e3);
	assert_diag(f, want);
	snprintf(want, sizeof(want), "c.yaml:11:10: cgroup 'cg0': %s", e4);
	assert_diag(f, want);
}

static void test_affinity_outside(void **state)
{
	struct fx *f = *state;

	load(f, "a.yaml",
	     "name: a\n"
	     "topology: 1n1l4c1t\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "    work: {type: cpu-spin, affinity: \"2-5\"}\n"
	     "steps:\n"
	     "  - ops: [{set_affinity: {cgroup: cg0, affinity: \"7\"}}]\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 2);
	assert_diag(f, "a.yaml:5:11: cgroup 'cg0': affinity CPUs 4-5 are outside the topology's "
		       "CPUs 0-3");
	assert_diag(f, "a.yaml:7:12: cgroup 'cg0': affinity CPUs 7 are outside the topology's "
		       "CPUs 0-3");
}

static void test_exact_cpuset_outside(void **state)
{
	struct fx *f = *state;
	struct topology t = { 1, 1, 4, 1 };
	struct cpuset_spec spec = { .kind = CPUSET_EXACT };
	struct cpuset out;
	char err[256], want[512];

	cpuset__set(&spec.cpus, 3);
	cpuset__set(&spec.cpus, 4);
	err[0] = '\0';
	if (cpuset_spec__resolve(&spec, &t, &out, err, sizeof(err)))
		snprintf(want, sizeof(want), "x.yaml:4:41: cgroup 'cg0': %s", err);
	else
		snprintf(want, sizeof(want), "x.yaml:4:41: cgroup 'cg0': cpuset CPUs 4 are outside "
			 "the topology's CPUs 0-3");
	load(f, "x.yaml",
	     "name: x\n"
	     "topology: 1n1l4c1t\n"
	     "cgroups:\n"
	     "  - {name: cg0, work: cpu-spin, cpuset: {cpus: \"3-4\"}}\n");
	assert_only_diag(f, want);
}

static void test_mem_policy_nodes(void **state)
{
	struct fx *f = *state;

	load(f, "m.yaml",
	     "name: m\n"
	     "topology: 1n2l2c1t\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "    work: {type: cpu-spin, mem_policy: {bind: [0, 1]}}\n");
	assert_only_diag(f, "m.yaml:5:11: cgroup 'cg0': mem_policy bind uses NUMA node 1, but the "
			    "topology has 1 node");
}

static void test_mem_policy_cpuset_cover(void **state)
{
	struct fx *f = *state;

	load(f, "m.yaml",
	     "name: m\n"
	     "topology: 2n2l2c1t\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "    cpuset: {numa: 0}\n"
	     "    work: {type: cpu-spin, mem_policy: {interleave: [0, 1]}}\n"
	     "  - name: cg1\n"
	     "    cpuset: {numa: 1}\n"
	     "    work: {type: cpu-spin, mem_policy: {bind: [1]}}\n"
	     "  - name: cg2\n"
	     "    work: {type: cpu-spin, mem_policy: {preferred: 1}}\n"
	     "steps:\n"
	     "  - ops:\n"
	     "      - {spawn: {cgroup: cg1, work: {type: cpu-spin, mem_policy: {bind: [1]}}}}\n"
	     "      - {swap_cpusets: [cg0, cg1]}\n"
	     "      - {spawn: {cgroup: cg1, work: {type: cpu-spin, mem_policy: {bind: [1]}}}}\n"
	     "      - {clear_cpuset: cg1}\n"
	     "      - {spawn: {cgroup: cg1, work: {type: cpu-spin, mem_policy: {bind: [1]}}}}\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 2);
	assert_diag(f, "m.yaml:6:11: cgroup 'cg0': mem_policy interleave uses NUMA node 1, which "
		       "its cpuset (CPUs 0-1) does not cover");
	/* After the swap, cg1 has node 0's CPUs. */
	assert_diag(f, "m.yaml:16:37: cgroup 'cg1': mem_policy bind uses NUMA node 1, which its "
		       "cpuset (CPUs 0-1) does not cover");
}

/* ---- worker groups ---- */

static void test_worker_groups(void **state)
{
	struct fx *f = *state;

	load(f, "w.yaml",
	     "name: w\n"
	     "workers: 3\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "    work: pipe-io\n"
	     "  - name: cg1\n"
	     "    works:\n"
	     "      - {type: futex-fan-out, fan_out: 3, workers: 6}\n"
	     "      - {type: futex-ping-pong, workers: 4}\n"
	     "      - {type: mutex-contention, workers: 6}\n"
	     "steps:\n"
	     "  - ops: [{spawn_host: {work: cache-pipe, workers: 1}}]\n"
	     "    hold: 1/2\n");
	if (validate(f) != 4)
		print_diags(f);
	assert_int_equal(f->nerr, 4);
	assert_diag(f, "w.yaml:5:11: work 'pipe-io' needs workers in groups of 2, got 3");
	assert_diag(f, "w.yaml:8:9: work 'futex-fan-out' needs workers in groups of 4, got 6");
	assert_diag(f, "w.yaml:10:9: work 'mutex-contention' needs workers in groups of 4, got 6");
	assert_diag(f, "w.yaml:12:31: work 'cache-pipe' needs workers in groups of 2, got 1");
}

/* ---- cgroup and program lifetimes ---- */

static void test_duplicate_cgroups(void **state)
{
	struct fx *f = *state;

	load(f, "d.yaml",
	     "name: d\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "  - name: cg0\n"
	     "steps:\n"
	     "  - cgroups: [{name: cg0}]\n"
	     "    ops: [{add_cgroup: cg0}]\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 3);
	assert_diag(f, "d.yaml:4:5: cgroup 'cg0' already exists (defined at d.yaml:3:5)");
	assert_diag(f, "d.yaml:6:15: cgroup 'cg0' already exists (defined at d.yaml:3:5)");
	assert_diag(f, "d.yaml:7:12: cgroup 'cg0' already exists (defined at d.yaml:3:5)");
}

static void test_nested_parent(void **state)
{
	struct fx *f = *state;

	load(f, "n.yaml",
	     "name: n\n"
	     "cgroups:\n"
	     "  - name: a/b\n"
	     "  - name: a\n"
	     "steps:\n"
	     "  - ops: [{add_cgroup: x/y}]\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 2);
	assert_diag(f, "n.yaml:3:5: cgroup 'a/b' needs its parent 'a', which is not defined "
		       "before it");
	assert_diag(f, "n.yaml:6:12: cgroup 'x/y' needs its parent 'x', which does not exist at "
		       "step 1; live cgroups: a/b, a");
}

static void test_op_unknown_cgroup(void **state)
{
	struct fx *f = *state;

	load(f, "o.yaml",
	     "name: o\n"
	     "cgroups: [{name: cg0}, {name: cg1}]\n"
	     "steps:\n"
	     "  - cgroups: [{name: tmp}]\n"
	     "    hold: 1/2\n"
	     "  - ops:\n"
	     "      - {set_cpuset: {cgroup: cg9, cpuset: {llc: 0}}}\n"
	     "      - {spawn: {cgroup: tmp, work: cpu-spin}}\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 2);
	assert_diag(f, "o.yaml:7:10: op 'set_cpuset' names cgroup 'cg9', which does not exist at "
		       "step 2; live cgroups: cg0, cg1");
	/* A step's own cgroups end with it. */
	assert_diag(f, "o.yaml:8:10: op 'spawn' names cgroup 'tmp', which does not exist at step 2; "
		       "live cgroups: cg0, cg1");
}

/* The loader rejects these too; models built in code get the same checks. */
static void test_same_cgroup_twice(void **state)
{
	struct fx *f = *state;
	struct op *ops;

	load(f, "s.yaml",
	     "name: s\n"
	     "cgroups: [{name: cg0}, {name: cg1}]\n"
	     "steps:\n"
	     "  - ops:\n"
	     "      - {move_all_tasks: {from: cg0, to: cg1}}\n"
	     "      - {swap_cpusets: [cg1, cg0]}\n"
	     "    hold: 1/2\n");
	ops = f->set.items[0]->steps[0].ops;
	ops[0].cgroup2 = ops[0].cgroup;
	ops[1].cgroup2 = ops[1].cgroup;
	assert_int_equal(validate(f), 2);
	assert_diag(f, "s.yaml:5:10: op 'move_all_tasks' moves cgroup 'cg0' into itself");
	assert_diag(f, "s.yaml:6:10: op 'swap_cpusets' swaps cgroup 'cg1' with itself");
}

static void test_remove_cgroup(void **state)
{
	struct fx *f = *state;

	load(f, "r.yaml",
	     "name: r\n"
	     "cgroups: [{name: base}]\n"
	     "steps:\n"
	     "  - ops:\n"
	     "      - {add_cgroup: a}\n"
	     "      - {add_cgroup: a/b}\n"
	     "      - {remove_cgroup: a}\n"
	     "      - {remove_cgroup: base}\n"
	     "      - {remove_cgroup: a/b}\n"
	     "      - {remove_cgroup: a}\n"
	     "      - {clear_cpuset: a}\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 3);
	assert_diag(f, "r.yaml:7:10: op 'remove_cgroup' removes cgroup 'a', which still has child "
		       "'a/b'; remove the child first");
	assert_diag(f, "r.yaml:8:10: op 'remove_cgroup' cannot remove backdrop cgroup 'base', which "
		       "lives for the whole run; create it with add_cgroup instead");
	assert_diag(f, "r.yaml:11:10: op 'clear_cpuset' names cgroup 'a', which does not exist at "
		       "step 1; live cgroups: base");
}

static void test_child_outlives_step_cgroup(void **state)
{
	struct fx *f = *state;

	load(f, "c.yaml",
	     "name: c\n"
	     "steps:\n"
	     "  - cgroups: [{name: s}]\n"
	     "    ops: [{add_cgroup: s/kid}]\n"
	     "    hold: 1/2\n"
	     "  - ops: [{stop_cgroup: s/kid}]\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 2);
	assert_diag(f, "c.yaml:4:12: cgroup 's/kid' outlives its parent 's', which ends with step "
		       "1; remove 's/kid' in that step or define 's' in the backdrop");
	assert_diag(f, "c.yaml:6:12: op 'stop_cgroup' names cgroup 's/kid', which does not exist "
		       "at step 2; live cgroups: none");
}

static void test_programs(void **state)
{
	struct fx *f = *state;

	load(f, "p.yaml",
	     "name: p\n"
	     "cgroups: [{name: cg0}]\n"
	     "steps:\n"
	     "  - ops:\n"
	     "      - {wait: {name: bench}}\n"
	     "      - {run: {name: bench, argv: [schbench]}}\n"
	     "      - {run: {name: bench, argv: [schbench]}}\n"
	     "      - {run: {name: other, argv: [stress], cgroup: tmp}}\n"
	     "    cgroups: [{name: tmp}]\n"
	     "    hold: 1/2\n"
	     "  - ops:\n"
	     "      - {kill: {name: other}}\n"
	     "      - {kill: {name: bench}}\n"
	     "      - {wait: {name: bench}}\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 4);
	assert_diag(f, "p.yaml:5:10: op 'wait' names program 'bench', which is not running at step "
		       "1; running programs: none");
	assert_diag(f, "p.yaml:7:10: op 'run' starts program 'bench', which is already running "
		       "(started at p.yaml:6:10)");
	/* 'other' ended with its step-local cgroup. */
	assert_diag(f, "p.yaml:12:10: op 'kill' names program 'other', which is not running at "
		       "step 2; running programs: bench");
	assert_diag(f, "p.yaml:14:10: op 'wait' names program 'bench', which is not running at "
		       "step 2; running programs: none");
}

/* Programs end with their cgroup (stopped or removed) and follow move_all_tasks. */
static void test_program_lifetimes(void **state)
{
	struct fx *f = *state;

	load(f, "p.yaml",
	     "name: p\n"
	     "cgroups: [{name: cg0}]\n"
	     "steps:\n"
	     "  - ops:\n"
	     "      - {run: {name: p1, argv: [a], cgroup: cg0}}\n"
	     "      - {stop_cgroup: cg0}\n"
	     "      - {wait: {name: p1}}\n"
	     "      - {add_cgroup: a}\n"
	     "      - {add_cgroup: b}\n"
	     "      - {run: {name: p2, argv: [a], cgroup: a}}\n"
	     "      - {move_all_tasks: {from: a, to: b}}\n"
	     "      - {remove_cgroup: a}\n"
	     "    hold: 1/2\n"
	     "  - ops:\n"
	     "      - {wait: {name: p2}}\n"
	     "      - {run: {name: p3, argv: [a], cgroup: b}}\n"
	     "      - {remove_cgroup: b}\n"
	     "      - {kill: {name: p3}}\n"
	     "      - {run: {name: p3, argv: [a]}}\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 2);
	assert_diag(f, "p.yaml:7:10: op 'wait' names program 'p1', which is not running at step 1; "
		       "running programs: none");
	assert_diag(f, "p.yaml:18:10: op 'kill' names program 'p3', which is not running at step "
		       "2; running programs: none");
}

/*
 * move_tasks: both cgroups alive; it moves workers only, so a program stays
 * in (and ends with) its cgroup, unlike move_all_tasks.
 */
static void test_move_tasks(void **state)
{
	struct fx *f = *state;

	load(f, "m.yaml",
	     "name: m\n"
	     "cgroups: [{name: cg0}]\n"
	     "steps:\n"
	     "  - ops:\n"
	     "      - {add_cgroup: a}\n"
	     "      - {add_cgroup: b}\n"
	     "      - {run: {name: p, argv: [x], cgroup: a}}\n"
	     "      - {move_tasks: {from: a, to: b, count: 2}}\n"
	     "      - {remove_cgroup: a}\n"
	     "      - {wait: {name: p}}\n"
	     "      - {move_tasks: {from: a, to: b}}\n"
	     "      - {move_tasks: {from: cg0, to: gone}}\n"
	     "      - {move_tasks: {from: b, to: cg0}}\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 3);
	assert_diag(f, "m.yaml:10:10: op 'wait' names program 'p', which is not running at step 1; "
		       "running programs: none");
	assert_diag(f, "m.yaml:11:10: op 'move_tasks' names cgroup 'a', which does not exist at "
		       "step 1; live cgroups: cg0, b");
	assert_diag(f, "m.yaml:12:10: op 'move_tasks' names cgroup 'gone', which does not exist at "
		       "step 1; live cgroups: cg0, b");
}

/* The same scenario with move_all_tasks: the program follows its tasks to b. */
static void test_move_tasks_vs_all(void **state)
{
	struct fx *f = *state;

	load(f, "m.yaml",
	     "name: m\n"
	     "cgroups: [{name: cg0}]\n"
	     "steps:\n"
	     "  - ops:\n"
	     "      - {add_cgroup: a}\n"
	     "      - {add_cgroup: b}\n"
	     "      - {run: {name: p, argv: [x], cgroup: a}}\n"
	     "      - {move_all_tasks: {from: a, to: b}}\n"
	     "      - {remove_cgroup: a}\n"
	     "      - {wait: {name: p}}\n"
	     "    hold: 1/2\n");
	assert_valid(f);
}

/*
 * restart_scheduler: under eevdf it needs `requires: {sched_ext: true}`
 * (the scenario is then skipped there); its down time fits in the duration.
 */
static void test_restart_scheduler(void **state)
{
	struct fx *f = *state;

	load(f, "r.yaml",
	     "name: r\n"
	     "duration: 2s\n"
	     CG
	     "steps:\n"
	     "  - ops:\n"
	     "      - {restart_scheduler: {down: 300ms}}\n"
	     "      - {restart_scheduler: {down: 3s}}\n"
	     "---\n"
	     "name: r2\n"
	     "requires: {sched_ext: true}\n"
	     CG
	     "steps: [{ops: [{restart_scheduler: {}}]}]\n"
	     "---\n"
	     "name: r3\n"
	     "scheduler: scx-ktstr\n"
	     CG
	     "steps: [{ops: [{restart_scheduler: {down: 2s}}]}]\n");
	load_scheds(f, "s.yaml", "name: scx-ktstr\nbinary: scx_ktstr\n");
	assert_int_equal(validate(f), 3);
	assert_diag(f, "r.yaml:6:10: op 'restart_scheduler' restarts a sched_ext scheduler, but this "
		       "scenario runs the kernel's own (eevdf); add 'requires: {sched_ext: true}' "
		       "(the scenario is then skipped under eevdf) or name a sched_ext scheduler");
	assert_diag(f, "r.yaml:7:10: op 'restart_scheduler' restarts a sched_ext scheduler, but this "
		       "scenario runs the kernel's own (eevdf); add 'requires: {sched_ext: true}' "
		       "(the scenario is then skipped under eevdf) or name a sched_ext scheduler");
	assert_diag(f, "r.yaml:7:10: op 'restart_scheduler': down 3s is longer than the duration 2s");
}

/* Checks the loader makes too, kept for models built in code. */
static void test_model_only_checks(void **state)
{
	struct fx *f = *state;
	struct scenario *sc;

	load(f, "m.yaml",
	     "name: m\n"
	     "cgroups: [{name: cg0}, {name: cg1}]\n"
	     "steps:\n"
	     "  - hold: 1/4\n"
	     "  - hold: 100ms\n");
	load_scheds(f, "s.yaml", "name: many\nbinary: many\nflags: [llc]\n");
	sc = f->set.items[0];
	sc->cgroups[1].name = "a//b";
	sc->steps[0].hold.frac = 0;
	sc->steps[1].hold.ns = 0;
	f->set.scheds[0]->nflags = SCHED_MAX_FLAGS + 1;
	assert_int_equal(validate(f), 4);
	assert_diag(f, "m.yaml:2:24: cgroup name 'a//b' is not a relative path of non-empty "
		       "components ('a' or 'a/b')");
	assert_diag(f, "m.yaml:4:5: step 1: hold must be > 0");
	assert_diag(f, "m.yaml:5:5: step 2: hold must be > 0");
	assert_diag(f, "s.yaml:1:1: scheduler 'many' declares 17 flags; at most 16");
}

/* ---- fits a preset ---- */

static void test_fits_topology(void **state)
{
	struct fx *f = *state;
	const struct topo_preset *tiny1 = topo_preset__find("tiny-1llc");
	const struct topo_preset *tiny2 = topo_preset__find("tiny-2llc");
	const struct topo_preset *numa2 = topo_preset__find("numa2-4llc");
	char why[512], e1[256];

	assert_non_null(tiny1);
	assert_non_null(tiny2);
	assert_non_null(numa2);
	load(f, "f.yaml",
	     "name: f\n"
	     "topology: 2n2l2c1t\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "    cpuset: {llc: 1}\n"
	     "  - name: cg1\n"
	     "    work: {type: cpu-spin, mem_policy: {bind: [1]}}\n");
	assert_valid(f);
	const struct scenario *sc = f->set.items[0];

	resolver_msg("{llc: 1}", (struct cpuset_spec){ .kind = CPUSET_LLC, .index = 1 },
		     &tiny1->topo, e1, sizeof(e1));
	snprintf(why, sizeof(why), "cgroup 'cg0': %s", e1);
	strcpy(e1, why);
	assert_int_equal(scenario__fits_topology(sc, &tiny1->topo, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, e1);	/* the first problem only */
	assert_int_equal(scenario__fits_topology(sc, &tiny2->topo, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "cgroup 'cg1': mem_policy bind uses NUMA node 1, but the "
				 "topology has 1 node");
	assert_int_equal(scenario__fits_topology(sc, &numa2->topo, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_int_equal(scenario__fits_topology(sc, &tiny2->topo, NULL, 0), -EINVAL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_cpuset_errors),
		T(test_affinity_outside),
		T(test_exact_cpuset_outside),
		T(test_mem_policy_nodes),
		T(test_mem_policy_cpuset_cover),
		T(test_worker_groups),
		T(test_duplicate_cgroups),
		T(test_nested_parent),
		T(test_op_unknown_cgroup),
		T(test_same_cgroup_twice),
		T(test_remove_cgroup),
		T(test_child_outlives_step_cgroup),
		T(test_programs),
		T(test_program_lifetimes),
		T(test_move_tasks),
		T(test_move_tasks_vs_all),
		T(test_restart_scheduler),
		T(test_model_only_checks),
		T(test_fits_topology),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The YAML loader: the examples of ktstr-scenario(5) load into exact model
 * values, files and multi-document streams, and the shipped scenarios.
 * The values of every key are in test_scenario_load_values.c, the errors
 * and hostile input in test_scenario_load_errors.c.
 */
#include "scenario_load_fx.h"

#include <math.h>
#include <unistd.h>

#include "scenario/scenario_validate.h"

/* ---- examples like those of ktstr-scenario(5) (SYNOPSIS, EXAMPLES) ---- */

static const char schema_simple[] =
	"name: two_cgroups\n"
	"description: Two cgroups share the CPUs under equal CPU-bound load.\n"
	"topology: 1n2l4c1t          # numa nodes, LLCs (total), cores per LLC, threads per core\n"
	"duration: 5s                # default 2s\n"
	"workers: 2                  # default workers per cgroup\n"
	"cgroups:\n"
	"  - name: cg0\n"
	"    cpuset: {disjoint: 0/2}   # first of two disjoint halves of the usable CPUs\n"
	"  - name: cg1\n"
	"    cpuset: {disjoint: 1/2}\n"
	"    work: {type: bursty, burst: 50ms, sleep: 100ms}\n"
	"    workers: 4\n"
	"checks:\n"
	"  isolation: true\n"
	"  max_gap: 2000ms\n"
	"  max_spread: 15%\n";

static void test_schema_simple(void **state)
{
	struct fx *f = *state;
	struct scenario *sc = load_ok(f, schema_simple);
	const struct cgroup_def *cg;

	assert_string_equal(sc->name, "two_cgroups");
	assert_string_equal(sc->description,
			    "Two cgroups share the CPUs under equal CPU-bound load.");
	assert_string_equal(sc->file, "t.yaml");
	assert_loc(sc->loc, "t.yaml", 1, 1);
	assert_int_equal(sc->topo_given.numa_nodes, 1);
	assert_int_equal(sc->topo_given.llcs, 2);
	assert_int_equal(sc->topo_given.cores_per_llc, 4);
	assert_int_equal(sc->topo_given.threads_per_core, 1);
	assert_null(sc->topo_given.preset);
	assert_null(sc->topology_preset);
	assert_loc(sc->topology_loc, "t.yaml", 3, 11);
	assert_int_equal(sc->duration_ns, 5 * SEC);
	assert_int_equal(sc->workers, 2);
	assert_int_equal(sc->memory_mb, SCENARIO_DEFAULT_MEMORY_MB);
	assert_int_equal(sc->nsteps, 0);
	assert_false(sc->expect_fail);
	assert_string_equal(sc->sched_name, "eevdf");
	assert_null(sc->sched_inline);
	assert_true(sc->gauntlet.all_presets);
	assert_int_equal(sc->gauntlet.npresets, 0);
	assert_int_equal(sc->gauntlet.constraints.max_llcs, 12);
	assert_int_equal(sc->gauntlet.constraints.max_cpus, 192);

	assert_int_equal(sc->ncgroups, 2);
	cg = &sc->cgroups[0];
	assert_string_equal(cg->name, "cg0");
	assert_loc(cg->loc, "t.yaml", 7, 5);
	assert_true(cg->has_cpuset);
	assert_int_equal(cg->cpuset.kind, CPUSET_DISJOINT);
	assert_int_equal(cg->cpuset.index, 0);
	assert_int_equal(cg->cpuset.of, 2);
	assert_loc(cg->cpuset_loc, "t.yaml", 8, 13);
	assert_int_equal(cg->nworks, 1);
	assert_int_equal(cg->works[0].type, WORK_CPU_SPIN);
	assert_int_equal(cg->works[0].workers, 0);	/* the scenario default */
	assert_int_equal(cgroup_def__workers(cg, sc->workers), 2);

	cg = &sc->cgroups[1];
	assert_string_equal(cg->name, "cg1");
	assert_int_equal(cg->cpuset.kind, CPUSET_DISJOINT);
	assert_int_equal(cg->cpuset.index, 1);
	assert_int_equal(cg->cpuset.of, 2);
	assert_int_equal(cg->nworks, 1);
	assert_int_equal(cg->works[0].type, WORK_BURSTY);
	assert_int_equal(cg->works[0].params[0], 50 * MS);
	assert_int_equal(cg->works[0].params[1], 100 * MS);
	assert_int_equal(cg->works[0].workers, 4);
	assert_loc(cg->works[0].loc, "t.yaml", 11, 11);
	assert_int_equal(cg->works[0].policy.kind, POLICY_NORMAL);
	assert_int_equal(cg->works[0].affinity.kind, AFFINITY_INHERIT);
	assert_int_equal(cg->works[0].mem_policy.kind, MEMPOL_DEFAULT);

	assert_int_equal(sc->checks.t[CHECK_ISOLATION].state, TH_SET);
	assert_true(sc->checks.t[CHECK_ISOLATION].value == 1.0);
	assert_int_equal(sc->checks.t[CHECK_MAX_GAP].state, TH_SET);
	assert_true(sc->checks.t[CHECK_MAX_GAP].value == 2000.0);
	assert_int_equal(sc->checks.t[CHECK_MAX_SPREAD].state, TH_SET);
	assert_true(sc->checks.t[CHECK_MAX_SPREAD].value == 15.0);
	assert_int_equal(sc->checks.t[CHECK_NOT_STARVED].state, TH_UNSET);

	assert_int_equal(f->set.nfiles, 1);
	assert_ptr_equal(f->set.files[0], sc->file);
}

static const char schema_steps[] =
	"name: cpuset_resize\n"
	"duration: 6s\n"
	"cgroups:\n"
	"  - {name: cg0, work: cpu-spin}\n"
	"steps:\n"
	"  - ops: [{set_cpuset: {cgroup: cg0, cpuset: {llc: 0}}}]\n"
	"    hold: 1/3                        # fraction of duration, or 2s, or {loop: 200ms}\n"
	"  - ops: [{set_cpuset: {cgroup: cg0, cpuset: {range: [0.0, 0.5]}}}]\n"
	"    hold: 1/3\n"
	"  - ops: [{clear_cpuset: cg0}]\n"
	"    cgroups: [{name: cg1, work: yield-heavy}]   # lives for this step only\n"
	"    hold: 1/3\n";

static void test_schema_steps(void **state)
{
	struct fx *f = *state;
	struct scenario *sc = load_ok(f, schema_steps);
	const struct step *st;

	assert_int_equal(sc->duration_ns, 6 * SEC);
	assert_int_equal(sc->ncgroups, 1);
	assert_int_equal(sc->cgroups[0].works[0].type, WORK_CPU_SPIN);
	assert_int_equal(sc->nsteps, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(sc->steps[i].hold.kind, HOLD_FRAC);
		assert_true(fabs(sc->steps[i].hold.frac - 1.0 / 3.0) < 1e-12);
		assert_int_equal(sc->steps[i].nops, 1);
	}
	st = &sc->steps[0];
	assert_loc(st->loc, "t.yaml", 6, 5);
	assert_int_equal(st->ops[0].kind, OP_SET_CPUSET);
	assert_string_equal(st->ops[0].cgroup, "cg0");
	assert_true(st->ops[0].has_cpuset);
	assert_int_equal(st->ops[0].cpuset.kind, CPUSET_LLC);
	assert_int_equal(st->ops[0].cpuset.index, 0);
	assert_loc(st->ops[0].loc, "t.yaml", 6, 12);
	st = &sc->steps[1];
	assert_int_equal(st->ops[0].cpuset.kind, CPUSET_RANGE);
	assert_true(st->ops[0].cpuset.start == 0.0);
	assert_true(st->ops[0].cpuset.end == 0.5);
	st = &sc->steps[2];
	assert_int_equal(st->ops[0].kind, OP_CLEAR_CPUSET);
	assert_string_equal(st->ops[0].cgroup, "cg0");
	assert_int_equal(st->ncgroups, 1);
	assert_string_equal(st->cgroups[0].name, "cg1");
	assert_int_equal(st->cgroups[0].works[0].type, WORK_YIELD_HEAVY);
}

static const char schema_ops[] =
	"name: ops\n"
	"cgroups: [{name: cg0}, {name: cg1}]\n"
	"steps:\n"
	"  - ops:\n"
	"    - add_cgroup: extra                     # or {name: extra, cpuset: {...}}\n"
	"    - remove_cgroup: extra\n"
	"    - set_cpuset: {cgroup: cg0, cpuset: {llc: 0}}\n"
	"    - clear_cpuset: cg0\n"
	"    - swap_cpusets: [cg0, cg1]\n"
	"    - spawn: {cgroup: extra, work: pipe-io, workers: 2}    # work as anywhere else\n"
	"    - stop_cgroup: cg0\n"
	"    - set_affinity: {cgroup: cg0, affinity: single-cpu}\n"
	"    - spawn_host: {work: cpu-spin, workers: 1}\n"
	"    - move_all_tasks: {from: extra, to: cg0}\n"
	"    - run: {name: bench, argv: [schbench, -m, 2], cgroup: cg0}   # wait / kill take {name: bench}\n"
	"    - wait: {name: bench}\n"
	"    - kill: bench\n"
	"    - add_cgroup: {name: extra2, cpuset: {cpus: \"0-3,6\"}}\n";

static void test_schema_ops(void **state)
{
	struct fx *f = *state;
	struct scenario *sc = load_ok(f, schema_ops);
	const struct op *op;

	assert_int_equal(sc->nsteps, 1);
	assert_int_equal(sc->steps[0].hold.kind, HOLD_FRAC);
	assert_true(sc->steps[0].hold.frac == 1.0);
	assert_int_equal(sc->steps[0].nops, 14);
	op = sc->steps[0].ops;
	assert_int_equal(op[0].kind, OP_ADD_CGROUP);
	assert_string_equal(op[0].cgroup, "extra");
	assert_false(op[0].has_cpuset);
	assert_loc(op[0].loc, "t.yaml", 5, 7);
	assert_int_equal(op[1].kind, OP_REMOVE_CGROUP);
	assert_string_equal(op[1].cgroup, "extra");
	assert_int_equal(op[2].kind, OP_SET_CPUSET);
	assert_int_equal(op[3].kind, OP_CLEAR_CPUSET);
	assert_int_equal(op[4].kind, OP_SWAP_CPUSETS);
	assert_string_equal(op[4].cgroup, "cg0");
	assert_string_equal(op[4].cgroup2, "cg1");
	assert_int_equal(op[5].kind, OP_SPAWN);
	assert_string_equal(op[5].cgroup, "extra");
	assert_int_equal(op[5].work.type, WORK_PIPE_IO);
	assert_int_equal(op[5].work.workers, 2);
	assert_int_equal(op[5].work.params[0], 1024);
	assert_int_equal(op[6].kind, OP_STOP_CGROUP);
	assert_string_equal(op[6].cgroup, "cg0");
	assert_int_equal(op[7].kind, OP_SET_AFFINITY);
	assert_string_equal(op[7].cgroup, "cg0");
	assert_int_equal(op[7].affinity.kind, AFFINITY_SINGLE_CPU);
	assert_int_equal(op[8].kind, OP_SPAWN_HOST);
	assert_null(op[8].cgroup);
	assert_int_equal(op[8].work.type, WORK_CPU_SPIN);
	assert_int_equal(op[8].work.workers, 1);
	assert_int_equal(op[9].kind, OP_MOVE_ALL_TASKS);
	assert_string_equal(op[9].cgroup, "extra");
	assert_string_equal(op[9].cgroup2, "cg0");
	assert_int_equal(op[10].kind, OP_RUN);
	assert_string_equal(op[10].name, "bench");
	assert_string_equal(op[10].cgroup, "cg0");
	assert_int_equal(op[10].argc, 3);
	assert_string_equal(op[10].argv[0], "schbench");
	assert_string_equal(op[10].argv[1], "-m");
	assert_string_equal(op[10].argv[2], "2");
	assert_null(op[10].argv[3]);
	assert_int_equal(op[11].kind, OP_WAIT);
	assert_string_equal(op[11].name, "bench");
	assert_int_equal(op[12].kind, OP_KILL);
	assert_string_equal(op[12].name, "bench");
	assert_int_equal(op[13].kind, OP_ADD_CGROUP);
	assert_true(op[13].has_cpuset);
	assert_int_equal(op[13].cpuset.kind, CPUSET_EXACT);
	assert_int_equal(cpuset__count(&op[13].cpuset.cpus), 5);
	assert_true(cpuset__test(&op[13].cpuset.cpus, 6));
	assert_false(cpuset__test(&op[13].cpuset.cpus, 4));
}

/* move_tasks (count defaults to 1) and restart_scheduler ({down: D}, {} or no value). */
static const char schema_ops_new[] =
	"name: ops_new\n"
	"cgroups: [{name: a}, {name: b}]\n"
	"requires: {sched_ext: true}\n"
	"steps:\n"
	"  - ops:\n"
	"    - move_tasks: {from: a, to: b, count: 3}\n"
	"    - move_tasks: {from: b, to: a}\n"
	"    - restart_scheduler: {down: 300ms}\n"
	"    - restart_scheduler: {}\n"
	"    - restart_scheduler:\n";

static void test_schema_ops_new(void **state)
{
	struct fx *f = *state;
	struct scenario *sc = load_ok(f, schema_ops_new);
	const struct op *op;

	assert_int_equal(sc->steps[0].nops, 5);
	op = sc->steps[0].ops;
	assert_int_equal(op[0].kind, OP_MOVE_TASKS);
	assert_string_equal(op[0].cgroup, "a");
	assert_string_equal(op[0].cgroup2, "b");
	assert_int_equal(op[0].count, 3);
	assert_loc(op[0].loc, "t.yaml", 6, 7);
	assert_int_equal(op[1].kind, OP_MOVE_TASKS);
	assert_string_equal(op[1].cgroup, "b");
	assert_string_equal(op[1].cgroup2, "a");
	assert_int_equal(op[1].count, 1);
	assert_int_equal(op[2].kind, OP_RESTART_SCHEDULER);
	assert_int_equal(op[2].down_ns, 300 * MS);
	assert_null(op[2].cgroup);
	assert_int_equal(op[3].kind, OP_RESTART_SCHEDULER);
	assert_int_equal(op[3].down_ns, 0);
	assert_int_equal(op[4].kind, OP_RESTART_SCHEDULER);
	assert_int_equal(op[4].down_ns, 0);
	assert_loc(op[4].loc, "t.yaml", 10, 7);
}

static const char schema_sched[] =
	"name: inline\n"
	"cgroups: [{name: cg0}]\n"
	"scheduler:\n"
	"  name: scx-ktstr\n"
	"  binary: scx_ktstr            # a path, or a name found next to ktstr, in the build dir, on PATH\n"
	"  args: [--slice-us, \"5000\"]\n"
	"  topology: 1n2l4c1t           # default for scenarios that do not say\n"
	"  flags:\n"
	"    - {name: llc, args: [--llc]}\n"
	"    - {name: steal, args: [--steal], requires: [llc]}\n"
	"  sysctls: {kernel.sched_cfs_bandwidth_slice_us: 1000}\n"
	"  kernel_args: [nohz_full=1-3]\n"
	"  checks: {max_gap: 3000ms}\n"
	"flags: {required: [llc], excluded: [borrow]}\n";

static void test_schema_scheduler(void **state)
{
	struct fx *f = *state;
	struct scenario *sc = load_ok(f, schema_sched);
	const struct sched_def *d = sc->sched_inline;

	assert_null(sc->sched_name);
	assert_non_null(d);
	assert_loc(sc->sched_loc, "t.yaml", 4, 3);
	assert_loc(d->loc, "t.yaml", 4, 3);
	assert_string_equal(d->name, "scx-ktstr");
	assert_false(d->eevdf);
	assert_string_equal(d->binary, "scx_ktstr");
	assert_int_equal(d->nargs, 2);
	assert_string_equal(d->args[0], "--slice-us");
	assert_string_equal(d->args[1], "5000");
	assert_int_equal(d->topology.llcs, 2);
	assert_int_equal(d->topology.cores_per_llc, 4);
	assert_int_equal(d->nflags, 2);
	assert_string_equal(d->flags[0].name, "llc");
	assert_int_equal(d->flags[0].nargs, 1);
	assert_string_equal(d->flags[0].args[0], "--llc");
	assert_int_equal(d->flags[0].nrequires, 0);
	assert_loc(d->flags[0].loc, "t.yaml", 9, 7);
	assert_string_equal(d->flags[1].name, "steal");
	assert_int_equal(d->flags[1].nrequires, 1);
	assert_string_equal(d->flags[1].requires[0], "llc");
	assert_int_equal(d->nsysctls, 1);
	assert_string_equal(d->sysctls[0].key, "kernel.sched_cfs_bandwidth_slice_us");
	assert_string_equal(d->sysctls[0].value, "1000");
	assert_int_equal(d->nkernel_args, 1);
	assert_string_equal(d->kernel_args[0], "nohz_full=1-3");
	assert_int_equal(d->checks.t[CHECK_MAX_GAP].state, TH_SET);
	assert_true(d->checks.t[CHECK_MAX_GAP].value == 3000.0);

	assert_int_equal(sc->nflags_required, 1);
	assert_string_equal(sc->flags_required[0], "llc");
	assert_int_equal(sc->nflags_excluded, 1);
	assert_string_equal(sc->flags_excluded[0], "borrow");
	assert_loc(sc->flags_loc, "t.yaml", 14, 8);
}

static const char schema_gauntlet[] =
	"name: g\n"
	"cgroups: [{name: cg0}]\n"
	"gauntlet:\n"
	"  presets: all                 # or a list of preset names\n"
	"  constraints: {min_llcs: 2, max_cpus: 64, requires_smt: false, max_numa: 1}\n";

static void test_schema_gauntlet(void **state)
{
	struct fx *f = *state;
	struct scenario *sc = load_ok(f, schema_gauntlet);
	const struct topo_constraints *c = &sc->gauntlet.constraints;

	assert_true(sc->gauntlet.all_presets);
	assert_loc(sc->gauntlet.loc, "t.yaml", 4, 3);
	assert_int_equal(c->min_llcs, 2);
	assert_int_equal(c->max_cpus, 64);
	assert_false(c->requires_smt);
	assert_int_equal(c->max_numa_nodes, 1);
	/* Unset fields keep TOPO_CONSTRAINTS_DEFAULT. */
	assert_int_equal(c->min_numa_nodes, 1);
	assert_int_equal(c->max_llcs, 12);
	assert_int_equal(c->min_cpus, 1);

	sc = load_ok(f, "name: g2\ncgroups: [{name: a}]\n"
			"gauntlet: {presets: [tiny-2llc, smt-2llc], constraints: {requires_smt: true}}\n");
	assert_false(sc->gauntlet.all_presets);
	assert_int_equal(sc->gauntlet.npresets, 2);
	assert_string_equal(sc->gauntlet.presets[0], "tiny-2llc");
	assert_string_equal(sc->gauntlet.presets[1], "smt-2llc");
	assert_true(sc->gauntlet.constraints.requires_smt);
}

static void test_multi_document(void **state)
{
	struct fx *f = *state;
	int n = load(f,
		"---\n"
		"name: one\n"
		"cgroups: [{name: cg0}]\n"
		"---\n"
		"name: two\n"
		"workers: -1\n"
		"cgroups: [{name: cg0}]\n"
		"---\n"
		"# comment only: an empty document is skipped\n"
		"---\n"
		"name: three\n"
		"steps: [{ops: [{add_cgroup: x}]}]\n"
		"...\n");

	assert_int_equal(n, 1);
	assert_string_equal(render(f), "t.yaml:6:10: 'workers' must be between 1 and 4096, got '-1'\n");
	assert_int_equal(f->set.n, 2);
	assert_string_equal(f->set.items[0]->name, "one");
	assert_string_equal(f->set.items[1]->name, "three");
	assert_int_equal(f->set.items[1]->loc.line, 11);
	diag__free(&f->d);

	/* A syntax error in a later document: the earlier ones still load. */
	n = load(f, "name: four\ncgroups: [{name: a}]\n---\nname: five\ncgroups: [\n");
	assert_int_equal(n, 1);
	assert_int_equal(f->set.n, 3);
	assert_string_equal(f->set.items[2]->name, "four");
	assert_string_equal(render(f),
		"t.yaml:6:1: YAML syntax error: did not find expected node content (while parsing a flow node at line 6, column 1)\n");
	/* One copy of the file name however many loads. */
	assert_int_equal(f->set.nfiles, 1);
	diag__free(&f->d);

	/* A large catalog in one file is well within the limits. */
	size_t per = strlen(schema_simple) + 32, cap = 500 * per, o = 0;
	char *cat = malloc(cap);

	assert_non_null(cat);
	for (int i = 0; i < 500; i++)
		o += (size_t)snprintf(cat + o, cap - o, "---\nname: s%d\n%s", i,
				      strchr(schema_simple, '\n') + 1);
	assert_int_equal(load(f, cat), 0);
	assert_int_equal(f->set.n, 503);
	assert_string_equal(f->set.items[502]->name, "s499");
	assert_int_equal(f->set.items[502]->cgroups[1].works[0].params[1], 100 * MS);
	free(cat);
}

static void test_sched_files(void **state)
{
	struct fx *f = *state;
	int n = load_sched(f,
		"name: scx-a\n"
		"binary: /usr/bin/scx_a\n"
		"flags: [llc, {name: big-slice, args: [--slice-us, 20000]}]\n"
		"topology: {numa: 1, llcs: 2}\n"
		"checks: {max_imbalance_ratio: 3.5, fail_on_stall: false}\n"
		"---\n"
		"name: scx-b\n"
		"binray: x\n"
		"---\n"
		"name: scx-c\n");

	assert_int_equal(n, 1);
	assert_string_equal(render(f), "s.yaml:8:1: unknown key 'binray' in scheduler; did you mean 'binary'?\n");
	assert_int_equal(f->set.nscheds, 2);
	assert_int_equal(f->set.n, 0);
	const struct sched_def *a = f->set.scheds[0];

	assert_string_equal(a->name, "scx-a");
	assert_string_equal(a->binary, "/usr/bin/scx_a");
	assert_int_equal(a->nflags, 2);
	assert_string_equal(a->flags[1].name, "big-slice");
	assert_int_equal(a->flags[1].nargs, 2);
	assert_string_equal(a->flags[1].args[1], "20000");
	assert_int_equal(a->topology.numa_nodes, 1);
	assert_int_equal(a->topology.llcs, 2);
	assert_int_equal(a->topology.cores_per_llc, 0);
	assert_true(a->checks.t[CHECK_MAX_IMBALANCE_RATIO].value == 3.5);
	assert_int_equal(a->checks.t[CHECK_FAIL_ON_STALL].state, TH_DISABLED);
	assert_loc(a->loc, "s.yaml", 1, 1);
	assert_string_equal(f->set.scheds[1]->name, "scx-c");
	assert_string_equal(f->set.scheds[1]->binary, "scx-c");
	diag__free(&f->d);

	n = load_sched(f, "- name: x\n");
	assert_int_equal(n, 1);
	assert_string_equal(render(f),
		"s.yaml:1:1: a scheduler definition must be a map with 'name', 'binary', ...; got a list\n");
}

static void test_files(void **state)
{
	struct fx *f = *state;
	char path[] = "/tmp/ktstr-test-XXXXXX.yaml";
	int fd = mkstemps(path, 5);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, schema_simple, strlen(schema_simple)), (ssize_t)strlen(schema_simple));
	close(fd);
	assert_int_equal(scenario__load_file(&f->set, path, &f->d), 0);
	assert_int_equal(f->set.n, 1);
	assert_string_equal(f->set.items[0]->file, path);
	unlink(path);

	assert_int_equal(scenario__load_file(&f->set, "/nonexistent/x.yaml", &f->d), 1);
	assert_string_equal(render(f),
		"/nonexistent/x.yaml: cannot read scenario file: No such file or directory\n");
	diag__free(&f->d);
	assert_int_equal(sched_defs__load_file(&f->set, "/tmp", &f->d), 1);
	assert_string_equal(render(f), "/tmp: cannot read scheduler file: Is a directory\n");
	diag__free(&f->d);

	assert_int_equal(load(f, ""), 1);
	assert_string_equal(render(f), "t.yaml: no scenario in this file\n");
	diag__free(&f->d);
	assert_int_equal(load(f, "# nothing\n---\n...\n"), 1);
	diag__free(&f->d);
	assert_int_equal(load_sched(f, ""), 1);
	assert_string_equal(render(f), "s.yaml: no scheduler definition in this file\n");
}

/* ---- the shipped scenarios ---- */

static void test_shipped_scenarios(void **state)
{
	struct fx *f = *state;
	static const char *const names[] = {
		"two_cgroups.yaml", "resize_and_churn.yaml", "gauntlet_steady.yaml",
	};
	const char *src = getenv("KTSTR_SRCDIR");
	char path[4096];

	if (!src)
		src = ".";
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/scenarios/examples/%s", src, names[i]);
		if (scenario__load_file(&f->set, path, &f->d))
			fprintf(stderr, "%s", render(f));
		assert_int_equal(f->d.n, 0);
	}
	assert_int_equal(f->set.n, 3);
	assert_string_equal(f->set.items[0]->name, "two_cgroups");
	assert_int_equal(f->set.items[0]->topo_given.llcs, 2);
	assert_int_equal(f->set.items[0]->topo_given.cores_per_llc, 4);

	const struct scenario *sc = f->set.items[1];
	unsigned kinds = 0;

	assert_string_equal(sc->name, "resize_and_churn");
	assert_int_equal(sc->steps[sc->nsteps - 1].hold.kind, HOLD_LOOP);
	for (size_t s = 0; s < sc->nsteps; s++)
		for (size_t o = 0; o < sc->steps[s].nops; o++)
			kinds |= 1u << sc->steps[s].ops[o].kind;
	assert_true(kinds & (1u << OP_SET_CPUSET));
	assert_true(kinds & (1u << OP_SPAWN));
	assert_true(kinds & (1u << OP_STOP_CGROUP));
	assert_true(kinds & (1u << OP_MOVE_ALL_TASKS));
	assert_true(kinds & (1u << OP_ADD_CGROUP));
	assert_true(kinds & (1u << OP_REMOVE_CGROUP));

	sc = f->set.items[2];
	assert_string_equal(sc->name, "gauntlet_steady");
	assert_int_equal(sc->nsteps, 0);
	assert_true(sc->gauntlet.all_presets);
	assert_int_equal(sc->gauntlet.constraints.min_llcs, 2);
	assert_int_equal(sc->gauntlet.constraints.max_cpus, 64);

	assert_int_equal(scenario_set__validate(&f->set, &f->d), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema_simple, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_ops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_ops_new, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_scheduler, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_gauntlet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multi_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sched_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shipped_scenarios, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

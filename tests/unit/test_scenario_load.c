// SPDX-License-Identifier: GPL-2.0
/*
 * The YAML loader: every major key loads into exact model values, every
 * error class is reported as FILE:LINE:COLUMN with its message, all errors
 * of a file are reported, and hostile input is rejected quickly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scenario/scenario.h"
#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"
#include "base/units.h"

#define MS 1000000ULL
#define SEC 1000000000ULL

struct fx {
	struct scenario_set set;
	struct diag_list d;
	char *out;		/* rendered diagnostics */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	scenario_set__init(&f->set);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	diag__free(&f->d);
	scenario_set__free(&f->set);
	free(f->out);
	free(f);
	return 0;
}

static const char *render(struct fx *f)
{
	size_t len = 0;
	FILE *m;

	free(f->out);
	f->out = NULL;
	m = open_memstream(&f->out, &len);
	assert_non_null(m);
	diag__print(&f->d, m);
	fclose(m);
	return f->out;
}

static int load(struct fx *f, const char *yaml)
{
	return scenario__load_buffer(&f->set, "t.yaml", yaml, strlen(yaml), &f->d);
}

static int load_sched(struct fx *f, const char *yaml)
{
	return sched_defs__load_buffer(&f->set, "s.yaml", yaml, strlen(yaml), &f->d);
}

/* Load @yaml as the only scenario; it must load without errors. */
static struct scenario *load_ok(struct fx *f, const char *yaml)
{
	size_t before = f->set.n;
	int n = load(f, yaml);

	if (n)
		fprintf(stderr, "unexpected errors:\n%s", render(f));
	assert_int_equal(n, 0);
	assert_int_equal(f->set.n, before + 1);
	return f->set.items[f->set.n - 1];
}

/* Load @yaml; the rendered diagnostics must be exactly @want. */
static void load_err(struct fx *f, const char *yaml, const char *want)
{
	size_t before = f->set.n;
	int n = load(f, yaml);

	assert_true(n > 0);
	assert_string_equal(render(f), want);
	assert_int_equal(f->set.n, before);	/* nothing appended */
	diag__free(&f->d);
}

static void assert_loc(struct src_loc loc, const char *file, unsigned line, unsigned col)
{
	assert_non_null(loc.file);
	assert_string_equal(loc.file, file);
	assert_int_equal(loc.line, line);
	assert_int_equal(loc.col, col);
}

/* ---- the examples of SCENARIO-SCHEMA.md ---- */

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

/* ---- values of every major key ---- */

static void test_defaults(void **state)
{
	struct fx *f = *state;
	struct scenario *sc = load_ok(f, "name: min\ncgroups:\n  - name: cg0\n");

	assert_null(sc->description);
	assert_int_equal(sc->duration_ns, SCENARIO_DEFAULT_DURATION_NS);
	assert_int_equal(sc->workers, SCENARIO_DEFAULT_WORKERS);
	assert_int_equal(sc->memory_mb, SCENARIO_DEFAULT_MEMORY_MB);
	assert_int_equal(sc->topo_given.numa_nodes, 0);
	assert_int_equal(sc->topo_given.llcs, 0);
	assert_int_equal(sc->topo_given.cores_per_llc, 0);
	assert_int_equal(sc->topo_given.threads_per_core, 0);
	assert_int_equal(sc->topology_loc.line, 0);
	assert_string_equal(sc->sched_name, "eevdf");
	assert_int_equal(sc->sched_loc.line, 0);
	assert_false(sc->cgroups[0].has_cpuset);
	assert_int_equal(sc->cgroups[0].nworks, 1);
	assert_int_equal(sc->cgroups[0].works[0].type, WORK_CPU_SPIN);
	assert_false(sc->cgroups[0].works[0].swappable);
	assert_false(sc->cgroups[0].works[0].has_nice);
	assert_loc(sc->cgroups[0].works[0].loc, "t.yaml", 3, 5);
	for (int i = 0; i < CHECK_COUNT; i++)
		assert_int_equal(sc->checks.t[i].state, TH_UNSET);
	assert_int_equal(sc->nflags_required, 0);
	assert_int_equal(sc->nflags_excluded, 0);

	sc = load_ok(f, "name: steps4\nsteps: [{}, {}, {hold: 2s}, {hold: {loop: 200ms}}]\n");
	assert_int_equal(sc->ncgroups, 0);
	assert_int_equal(sc->nsteps, 4);
	assert_int_equal(sc->steps[0].hold.kind, HOLD_FRAC);
	assert_true(sc->steps[0].hold.frac == 0.25);
	assert_true(sc->steps[1].hold.frac == 0.25);
	assert_int_equal(sc->steps[2].hold.kind, HOLD_FIXED);
	assert_int_equal(sc->steps[2].hold.ns, 2 * SEC);
	assert_int_equal(sc->steps[3].hold.kind, HOLD_LOOP);
	assert_int_equal(sc->steps[3].hold.ns, 200 * MS);
}

static void test_scalars(void **state)
{
	struct fx *f = *state;
	struct scenario *sc = load_ok(f,
		"name: a.b-c_9\n"
		"duration: 1.5s\n"
		"workers: 3\n"
		"memory: 4GiB\n"
		"expect: fail\n"
		"scheduler: scx_simple\n"
		"cgroups: [{name: cg0}]\n");

	assert_string_equal(sc->name, "a.b-c_9");
	assert_int_equal(sc->duration_ns, 1500 * MS);
	assert_int_equal(sc->workers, 3);
	assert_int_equal(sc->memory_mb, 4096);
	assert_true(sc->expect_fail);
	assert_string_equal(sc->sched_name, "scx_simple");
	assert_null(sc->sched_inline);
	assert_loc(sc->sched_loc, "t.yaml", 6, 12);

	sc = load_ok(f, "name: p\nexpect: pass\nmemory: 512MiB\ncgroups: [{name: cg0}]\n");
	assert_false(sc->expect_fail);
	assert_int_equal(sc->memory_mb, 512);
}

static void test_topology_forms(void **state)
{
	struct fx *f = *state;
	struct scenario *sc;

	sc = load_ok(f, "name: a\ntopology: tiny-2llc\ncgroups: [{name: cg0}]\n");
	assert_string_equal(sc->topology_preset, "tiny-2llc");
	assert_string_equal(sc->topo_given.preset, "tiny-2llc");
	assert_int_equal(sc->topo_given.numa_nodes, 1);
	assert_int_equal(sc->topo_given.llcs, 2);
	assert_int_equal(sc->topo_given.cores_per_llc, 2);
	assert_int_equal(sc->topo_given.threads_per_core, 1);

	sc = load_ok(f, "name: b\ntopology: {llcs: 4, threads: 2}\ncgroups: [{name: cg0}]\n");
	assert_null(sc->topology_preset);
	assert_int_equal(sc->topo_given.numa_nodes, 0);
	assert_int_equal(sc->topo_given.llcs, 4);
	assert_int_equal(sc->topo_given.cores_per_llc, 0);
	assert_int_equal(sc->topo_given.threads_per_core, 2);
	assert_loc(sc->topology_loc, "t.yaml", 2, 11);

	sc = load_ok(f, "name: c\ntopology: {numa: 2, llcs: 4, cores: 4, threads: 1}\n"
			"cgroups: [{name: cg0}]\n");
	assert_int_equal(sc->topo_given.numa_nodes, 2);
	assert_int_equal(sc->topo_given.cores_per_llc, 4);
	assert_int_equal(sc->topo_given.threads_per_core, 1);

	sc = load_ok(f, "name: d\ntopology: 2n4l2c2t\ncgroups: [{name: cg0}]\n");
	assert_int_equal(sc->topo_given.numa_nodes, 2);
	assert_int_equal(sc->topo_given.llcs, 4);
	assert_int_equal(sc->topo_given.cores_per_llc, 2);
	assert_int_equal(sc->topo_given.threads_per_core, 2);
}

static void test_work_forms(void **state)
{
	struct fx *f = *state;
	struct scenario *sc = load_ok(f,
		"name: works\n"
		"cgroups:\n"
		"  - name: mix\n"
		"    works:\n"
		"      - futex-fan-out\n"
		"      - {type: fan-out-compute, fan_out: 2, cache_footprint: 1MiB, operations: 3, sleep: 0}\n"
		"      - {type: sequence, phases: [{spin: 10ms}, {sleep: 5ms}, {yield: 1ms}, {io: 2ms}]}\n"
		"      - {type: exec, argv: [schbench, -m, 2], workers: 1}\n"
		"      - {type: page-fault-churn, region: 8MiB, touches_per_cycle: 16, spin_iters: 8}\n"
		"      - {type: mutex-contention, contenders: 3, hold_iters: 1, work_iters: 2, workers: 3}\n"
		"      - {type: cache-yield, size: 64KiB, stride: 128, swappable: true}\n"
		"  - name: one\n"
		"    work: {type: cache-pipe, size: 1MiB, policy: rr:10, nice: -5}\n"
		"    workers: 4\n"
		"    affinity: 0-3,6\n"
		"    mem_policy: {bind: [0, 1]}\n"
		"    mpol_flags: [static-nodes, numa-balancing]\n"
		"    swappable: true\n");
	const struct work *w = sc->cgroups[0].works;
	const struct work_type_desc *d;

	(void)d;
	assert_int_equal(sc->cgroups[0].nworks, 7);
	assert_int_equal(w[0].type, WORK_FUTEX_FAN_OUT);
	assert_int_equal(w[0].params[0], 4);
	assert_int_equal(w[0].params[1], 1024);
	assert_int_equal(workload__group_size(workload__desc(w[0].type), w[0].params), 5);
	assert_int_equal(w[1].type, WORK_FAN_OUT_COMPUTE);
	assert_int_equal(w[1].params[0], 2);
	assert_int_equal(w[1].params[1], 1 << 20);
	assert_int_equal(w[1].params[2], 3);
	assert_int_equal(w[1].params[3], 0);
	assert_int_equal(workload__group_size(workload__desc(w[1].type), w[1].params), 3);
	assert_int_equal(w[2].type, WORK_SEQUENCE);
	assert_int_equal(w[2].nphases, 4);
	assert_int_equal(w[2].phases[0].kind, PHASE_SPIN);
	assert_int_equal(w[2].phases[0].duration_ns, 10 * MS);
	assert_int_equal(w[2].phases[1].kind, PHASE_SLEEP);
	assert_int_equal(w[2].phases[1].duration_ns, 5 * MS);
	assert_int_equal(w[2].phases[2].kind, PHASE_YIELD);
	assert_int_equal(w[2].phases[3].kind, PHASE_IO);
	assert_int_equal(w[2].phases[3].duration_ns, 2 * MS);
	assert_int_equal(w[3].type, WORK_EXEC);
	assert_int_equal(w[3].argc, 3);
	assert_string_equal(w[3].argv[0], "schbench");
	assert_null(w[3].argv[3]);
	assert_int_equal(w[3].workers, 1);
	assert_int_equal(w[4].type, WORK_PAGE_FAULT_CHURN);
	assert_int_equal(w[4].params[0], 8 << 20);
	assert_int_equal(w[4].params[1], 16);
	assert_int_equal(w[4].params[2], 8);
	assert_int_equal(w[5].type, WORK_MUTEX_CONTENTION);
	assert_int_equal(w[5].params[0], 3);
	assert_int_equal(workload__group_size(workload__desc(w[5].type), w[5].params), 3);
	assert_int_equal(w[6].type, WORK_CACHE_YIELD);
	assert_int_equal(w[6].params[0], 64 << 10);
	assert_int_equal(w[6].params[1], 128);
	assert_true(w[6].swappable);
	assert_int_equal(cgroup_def__workers(&sc->cgroups[0], 2), 2 + 2 + 2 + 1 + 2 + 3 + 2);

	w = sc->cgroups[1].works;
	assert_int_equal(sc->cgroups[1].nworks, 1);
	assert_int_equal(w->type, WORK_CACHE_PIPE);
	assert_int_equal(w->params[0], 1 << 20);
	assert_int_equal(w->params[1], 1024);
	assert_int_equal(w->workers, 4);
	assert_int_equal(w->policy.kind, POLICY_RR);
	assert_int_equal(w->policy.priority, 10);
	assert_int_equal(w->nice, -5);
	assert_true(w->has_nice);
	assert_true(w->swappable);
	assert_int_equal(w->affinity.kind, AFFINITY_CPUS);
	assert_int_equal(cpuset__count(&w->affinity.cpus), 5);
	assert_int_equal(w->mem_policy.kind, MEMPOL_BIND);
	assert_int_equal(w->mem_policy.nodes, 3);
	assert_int_equal(w->mem_policy.flags, MPOL_FLAG_STATIC_NODES | MPOL_FLAG_NUMA_BALANCING);
}

static void test_work_conflicting_keys(void **state)
{
	struct fx *f = *state;

	/* A key given on both levels is an error, pointing at the cgroup's. */
	load_err(f,
		 "name: x\n"
		 "cgroups:\n"
		 "  - name: one\n"
		 "    work: {type: cache-pipe, nice: -5}\n"
		 "    nice: 19\n",
		 "t.yaml:5:5: 'nice' is given both here and in the work (line 4, column 30); keep one\n");
}

static void test_policy_affinity_mempol(void **state)
{
	struct fx *f = *state;
	struct scenario *sc = load_ok(f,
		"name: p\n"
		"cgroups:\n"
		"  - {name: a, policy: batch, affinity: random-subset, mem_policy: local}\n"
		"  - {name: b, policy: idle, affinity: llc-aligned, mem_policy: {preferred: 3}}\n"
		"  - {name: c, policy: normal, affinity: cross-cgroup, mem_policy: {interleave: [0, 63]}}\n"
		"  - {name: d, policy: fifo:1, affinity: [1, 3, 5], mem_policy: {preferred_many: [2]}}\n"
		"  - {name: e, affinity: inherit, mem_policy: {weighted_interleave: [1]}}\n"
		"  - {name: f, affinity: 7, mem_policy: default}\n");
	const struct cgroup_def *cg = sc->cgroups;

	assert_int_equal(cg[0].works[0].policy.kind, POLICY_BATCH);
	assert_int_equal(cg[0].works[0].affinity.kind, AFFINITY_RANDOM_SUBSET);
	assert_int_equal(cg[0].works[0].mem_policy.kind, MEMPOL_LOCAL);
	assert_int_equal(cg[1].works[0].policy.kind, POLICY_IDLE);
	assert_int_equal(cg[1].works[0].affinity.kind, AFFINITY_LLC_ALIGNED);
	assert_int_equal(cg[1].works[0].mem_policy.kind, MEMPOL_PREFERRED);
	assert_int_equal(cg[1].works[0].mem_policy.nodes, 1 << 3);
	assert_int_equal(cg[2].works[0].affinity.kind, AFFINITY_CROSS_CGROUP);
	assert_int_equal(cg[2].works[0].mem_policy.kind, MEMPOL_INTERLEAVE);
	assert_true(cg[2].works[0].mem_policy.nodes == (1ULL | (1ULL << 63)));
	assert_int_equal(cg[3].works[0].policy.kind, POLICY_FIFO);
	assert_int_equal(cg[3].works[0].policy.priority, 1);
	assert_int_equal(cg[3].works[0].affinity.kind, AFFINITY_CPUS);
	assert_int_equal(cpuset__count(&cg[3].works[0].affinity.cpus), 3);
	assert_true(cpuset__test(&cg[3].works[0].affinity.cpus, 5));
	assert_int_equal(cg[3].works[0].mem_policy.kind, MEMPOL_PREFERRED_MANY);
	assert_int_equal(cg[4].works[0].affinity.kind, AFFINITY_INHERIT);
	assert_int_equal(cg[4].works[0].mem_policy.kind, MEMPOL_WEIGHTED_INTERLEAVE);
	assert_int_equal(cg[5].works[0].affinity.kind, AFFINITY_CPUS);
	assert_true(cpuset__test(&cg[5].works[0].affinity.cpus, 7));
	assert_int_equal(cg[5].works[0].mem_policy.kind, MEMPOL_DEFAULT);
}

static void test_cpuset_forms(void **state)
{
	struct fx *f = *state;
	struct scenario *sc = load_ok(f,
		"name: c\n"
		"cgroups:\n"
		"  - {name: a, cpuset: {llc: 1}}\n"
		"  - {name: b, cpuset: {numa: 1}}\n"
		"  - {name: c, cpuset: {range: [0.25, 1/2]}}\n"
		"  - {name: d, cpuset: {overlap: 1/3, frac: 0.5}}\n"
		"  - {name: e, cpuset: {frac: 1/4, overlap: 2/3}}\n"
		"  - {name: f, cpuset: {cpus: 5}}\n");
	const struct cgroup_def *cg = sc->cgroups;

	assert_int_equal(cg[0].cpuset.kind, CPUSET_LLC);
	assert_int_equal(cg[0].cpuset.index, 1);
	assert_int_equal(cg[1].cpuset.kind, CPUSET_NUMA);
	assert_int_equal(cg[1].cpuset.index, 1);
	assert_int_equal(cg[2].cpuset.kind, CPUSET_RANGE);
	assert_true(cg[2].cpuset.start == 0.25);
	assert_true(cg[2].cpuset.end == 0.5);
	assert_int_equal(cg[3].cpuset.kind, CPUSET_OVERLAP);
	assert_int_equal(cg[3].cpuset.index, 1);
	assert_int_equal(cg[3].cpuset.of, 3);
	assert_true(cg[3].cpuset.frac == 0.5);
	assert_int_equal(cg[4].cpuset.index, 2);
	assert_true(cg[4].cpuset.frac == 0.25);
	assert_int_equal(cg[5].cpuset.kind, CPUSET_EXACT);
	assert_int_equal(cpuset__count(&cg[5].cpuset.cpus), 1);
}

static void test_work_param_defaults(void **state)
{
	struct fx *f = *state;
	size_t n;
	const char *const *names = workload__names(&n);
	char yaml[4096];
	size_t o;

	assert_int_equal(n, WORK_TYPE_COUNT);
	assert_null(names[n]);
	o = (size_t)snprintf(yaml, sizeof(yaml), "name: all\ncgroups:\n");
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(names[i], "sequence"))
			o += (size_t)snprintf(yaml + o, sizeof(yaml) - o,
				"  - {name: g%zu, work: {type: sequence, phases: [{spin: 1ms}]}}\n", i);
		else if (!strcmp(names[i], "exec"))
			o += (size_t)snprintf(yaml + o, sizeof(yaml) - o,
				"  - {name: g%zu, work: {type: exec, argv: [true]}}\n", i);
		else
			o += (size_t)snprintf(yaml + o, sizeof(yaml) - o,
					      "  - {name: g%zu, work: %s}\n", i, names[i]);
	}
	struct scenario *sc = load_ok(f, yaml);

	assert_int_equal(sc->ncgroups, WORK_TYPE_COUNT);
	for (size_t i = 0; i < n; i++) {
		const struct work *w = &sc->cgroups[i].works[0];
		const struct work_type_desc *d = workload__desc(w->type);

		assert_string_equal(d->name, names[i]);
		assert_ptr_equal(workload__find(names[i]), d);
		for (size_t p = 0; p < d->nparams; p++) {
			assert_int_equal(w->params[p], d->params[p].def);
			assert_true(d->params[p].def >= d->params[p].min);
			assert_true(d->params[p].def <= d->params[p].max);
		}
	}
	/* The catalog's defaults, spot-checked. */
	assert_int_equal(workload__desc(WORK_BURSTY)->params[0].def, 50 * MS);
	assert_int_equal(workload__desc(WORK_BURSTY)->params[1].def, 100 * MS);
	assert_int_equal(workload__desc(WORK_CACHE_PRESSURE)->params[0].def, 32 << 10);
	assert_int_equal(workload__desc(WORK_CACHE_PRESSURE)->params[1].def, 64);
	assert_int_equal(workload__desc(WORK_FAN_OUT_COMPUTE)->params[1].def, 256 << 10);
	assert_int_equal(workload__desc(WORK_FAN_OUT_COMPUTE)->params[3].def, 100000);
	assert_int_equal(workload__desc(WORK_PAGE_FAULT_CHURN)->params[0].def, 4096 << 10);
	assert_int_equal(workload__desc(WORK_PIPE_IO)->group_size, 2);
	assert_int_equal(workload__group_size(workload__desc(WORK_FUTEX_PING_PONG), NULL), 2);
	assert_int_equal(workload__group_size(workload__desc(WORK_CACHE_PIPE), NULL), 2);
	assert_int_equal(workload__group_size(workload__desc(WORK_FUTEX_FAN_OUT), NULL), 5);
	assert_int_equal(workload__group_size(workload__desc(WORK_MUTEX_CONTENTION), NULL), 4);
	assert_int_equal(workload__group_size(workload__desc(WORK_CPU_SPIN), NULL), 1);
	assert_false(workload__desc(WORK_SEQUENCE)->overridable);
	assert_false(workload__desc(WORK_EXEC)->overridable);
	assert_true(workload__desc(WORK_CPU_SPIN)->overridable);
	assert_null(workload__find("CpuSpin"));
	assert_int_equal(workload__param_index(workload__desc(WORK_MUTEX_CONTENTION), "work_iters"), 2);
	assert_int_equal(workload__param_index(workload__desc(WORK_CPU_SPIN), "spin_iters"), -1);
}

static void test_checks_values(void **state)
{
	struct fx *f = *state;
	struct scenario *sc = load_ok(f,
		"name: checks\n"
		"cgroups: [{name: cg0}]\n"
		"checks:\n"
		"  not_starved: false\n"
		"  isolation: true\n"
		"  max_gap: 1.5s\n"
		"  max_spread: 2.5%\n"
		"  max_throughput_cv: 0.25\n"
		"  min_work_rate: 1000\n"
		"  max_p99_wake_latency: 20ms\n"
		"  max_wake_latency_cv: false\n"
		"  min_iteration_rate: 12.5\n"
		"  max_migration_ratio: 0.1\n"
		"  min_page_locality: 90%\n"
		"  max_cross_node_migration_ratio: 0\n"
		"  max_imbalance_ratio: 4\n"
		"  max_local_dsq_depth: 32\n"
		"  fail_on_stall: true\n");
	const struct threshold *t = sc->checks.t;

	assert_int_equal(t[CHECK_NOT_STARVED].state, TH_DISABLED);
	assert_int_equal(t[CHECK_ISOLATION].state, TH_SET);
	assert_true(t[CHECK_MAX_GAP].value == 1500.0);
	assert_true(t[CHECK_MAX_SPREAD].value == 2.5);
	assert_true(t[CHECK_MAX_THROUGHPUT_CV].value == 0.25);
	assert_true(t[CHECK_MIN_WORK_RATE].value == 1000.0);
	assert_true(t[CHECK_MAX_P99_WAKE_LATENCY].value == 20e6);
	assert_int_equal(t[CHECK_MAX_WAKE_LATENCY_CV].state, TH_DISABLED);
	assert_true(t[CHECK_MIN_ITERATION_RATE].value == 12.5);
	assert_true(t[CHECK_MAX_MIGRATION_RATIO].value == 0.1);
	assert_true(fabs(t[CHECK_MIN_PAGE_LOCALITY].value - 0.9) < 1e-12);
	assert_int_equal(t[CHECK_MAX_CROSS_NODE_MIGRATION_RATIO].state, TH_SET);
	assert_true(t[CHECK_MAX_CROSS_NODE_MIGRATION_RATIO].value == 0.0);
	assert_true(t[CHECK_MAX_IMBALANCE_RATIO].value == 4.0);
	assert_true(t[CHECK_MAX_LOCAL_DSQ_DEPTH].value == 32.0);
	assert_int_equal(t[CHECK_FAIL_ON_STALL].state, TH_SET);
	for (int i = 0; i < CHECK_COUNT; i++)
		if (i != CHECK_NOT_STARVED && i != CHECK_MAX_WAKE_LATENCY_CV)
			assert_int_equal(t[i].state, TH_SET);

	sc = load_ok(f, "name: c2\ncgroups: [{name: cg0}]\ncheck" "s: {min_page_locality: 1/2}\n");
	assert_true(sc->checks.t[CHECK_MIN_PAGE_LOCALITY].value == 0.5);

	/* The table behind it. */
	size_t n;
	const char *const *keys = checks__keys(&n);

	assert_int_equal(n, CHECK_COUNT);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(checks__find(keys[i])->id, (int)i);
		assert_ptr_equal(checks__desc((enum check_id)i), checks__find(keys[i]));
	}
	assert_int_equal(checks__find("max_gap")->kind, CHECKV_DURATION_MS);
	assert_int_equal(checks__find("max_p99_wake_latency")->kind, CHECKV_DURATION_NS);
	assert_null(checks__find("max_gap_ms"));
}

static void test_checks_merge(void **state)
{
	struct checks base = { 0 }, top = { 0 };

	base.t[CHECK_MAX_GAP] = (struct threshold){ TH_SET, 2000 };
	base.t[CHECK_NOT_STARVED] = (struct threshold){ TH_SET, 1 };
	base.t[CHECK_MAX_SPREAD] = (struct threshold){ TH_SET, 10 };
	top.t[CHECK_MAX_GAP] = (struct threshold){ TH_SET, 3000 };
	top.t[CHECK_NOT_STARVED] = (struct threshold){ TH_DISABLED, 0 };
	checks__merge(&base, &top);
	assert_true(base.t[CHECK_MAX_GAP].value == 3000);
	assert_int_equal(base.t[CHECK_NOT_STARVED].state, TH_DISABLED);
	assert_int_equal(base.t[CHECK_MAX_SPREAD].state, TH_SET);	/* unset on top: kept */
	assert_true(base.t[CHECK_MAX_SPREAD].value == 10);
}

static void test_names(void **state)
{
	assert_string_equal(op_kind__name(OP_MOVE_ALL_TASKS), "move_all_tasks");
	assert_string_equal(op_kind__name(OP_KILL), "kill");
	assert_string_equal(affinity_kind__name(AFFINITY_RANDOM_SUBSET), "random-subset");
	assert_string_equal(mem_policy_kind__name(MEMPOL_WEIGHTED_INTERLEAVE),
			    "weighted_interleave");
	assert_string_equal(sched_policy_kind__name(POLICY_RR), "rr");
	assert_string_equal(seq_phase_kind__name(PHASE_IO), "io");
}

/* ---- error classes: exact FILE:LINE:COLUMN and message ---- */

static void test_err_unknown_keys(void **state)
{
	struct fx *f = *state;

	load_err(f, "name: a\nduraton: 5s\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:1: unknown key 'duraton' in scenario; did you mean 'duration'?\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, wokers: 2}]\n",
		 "t.yaml:2:23: unknown key 'wokers' in cgroup; did you mean 'workers'?\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: bursty, burts: 5ms}}]\n",
		 "t.yaml:2:44: unknown key 'burts' in work type 'bursty'; did you mean 'burst'?\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: cpu-spin, spin_iters: 5}}]\n",
		 "t.yaml:2:46: unknown key 'spin_iters' in work type 'cpu-spin' (expected type, workers, policy, nice, affinity, mem_policy, mpol_flags, swappable)\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\nchecks: {max_gapp: 1s}\n",
		 "t.yaml:3:10: unknown key 'max_gapp' in checks; did you mean 'max_gap'?\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: cpu-spinn}]\n",
		 "t.yaml:2:29: unknown work type 'cpu-spinn'; did you mean 'cpu-spin'?\n");
	load_err(f, "name: a\nsteps: [{ops: [{stop_cgroupp: cg0}]}]\n",
		 "t.yaml:2:17: unknown key 'stop_cgroupp' in op; did you mean 'stop_cgroup'?\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\nbase: &b {x: 1}\n<<: *b\n",
		 "t.yaml:3:1: unknown key 'base' in scenario (expected name, description, topology, duration, workers, memory, cgroups, steps, checks, scheduler, flags, gauntlet, expect, watchdog_timeout)\n"
		 "t.yaml:4:1: merge keys ('<<') are not supported; repeat the keys, or anchor the whole value\n");
}

static void test_err_types(void **state)
{
	struct fx *f = *state;

	load_err(f, "name: a\nworkers: two\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:10: 'workers' must be an integer, got 'two'\n");
	load_err(f, "name: a\nworkers: 0\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:10: 'workers' must be between 1 and 4096, got '0'\n");
	load_err(f, "name: a\nworkers:\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:9: 'workers' must be an integer, got nothing\n");
	load_err(f, "name: a\ncgroups: {name: cg0}\n",
		 "t.yaml:2:10: 'cgroups' must be a list, got a map\n");
	load_err(f, "name: [a]\ncgroups: [{name: cg0}]\n",
		 "t.yaml:1:7: 'scenario name' must be a string, got a list\n");
	load_err(f, "name: a\nduration: 5\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:11: bad duration '5': add a unit (ns, us, ms, s, m), e.g. 5s\n");
	load_err(f, "name: a\nduration: 0s\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:11: 'duration' must be greater than 0\n");
	load_err(f, "name: a\nmemory: 2GB\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:9: bad size '2GB': unknown unit 'GB'; did you mean 'GiB'? (sizes use B, KiB, MiB, GiB, TiB)\n");
	load_err(f, "name: a\nmemory: 64MiB\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:9: 'memory' must be a whole number of MiB from 128MiB to 1TiB, got '64MiB'\n");
	load_err(f, "name: a\nexpect: maybe\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:9: 'expect' must be pass, fail or {fail: REASON TEXT}, got 'maybe'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, swappable: yes}]\n",
		 "t.yaml:2:34: 'swappable' must be true or false, got 'yes'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: pipe-io, burst_iters: 5ms}}]\n",
		 "t.yaml:2:58: 'burst_iters' must be an integer, got '5ms'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: bursty, burst: 0s}}]\n",
		 "t.yaml:2:51: 'burst' must be between 1us and 1m, got 0ns\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: cache-pressure, size: 2GiB}}]\n",
		 "t.yaml:2:58: 'size' must be between 1KiB and 1GiB, got 2GiB\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: mutex-contention, contenders: 1}}]\n",
		 "t.yaml:2:66: 'contenders' must be between 2 and 64, got '1'\n");
}

static void test_err_duplicates_and_missing(void **state)
{
	struct fx *f = *state;

	load_err(f, "name: a\ncgroups: [{name: cg0}]\nname: b\n",
		 "t.yaml:3:1: duplicate key 'name' in scenario (first at line 1)\n");
	load_err(f, "description: no name\ncgroups: [{name: cg0}]\n",
		 "t.yaml:1:1: scenario has no 'name'\n");
	load_err(f, "name: a\n",
		 "t.yaml:1:1: scenario runs nothing: give it 'cgroups' or 'steps'\n");
	load_err(f, "name: a\ncgroups: []\nsteps: []\n",
		 "t.yaml:1:1: scenario runs nothing: give it 'cgroups' or 'steps'\n");
	load_err(f, "name: *x\ncgroups: [{name: cg0}]\n",
		 "t.yaml:1:7: YAML syntax error: found undefined alias\n");
	load_err(f, "name: &x a\ncgroups: [{name: &x cg0}]\n",
		 "t.yaml:2:18: YAML syntax error: second occurrence (found duplicate anchor; first occurrence at line 1, column 7)\n");
	load_err(f, "name: a/b\ncgroups: [{name: cg0}]\n",
		 "t.yaml:1:7: bad scenario name 'a/b': use letters, digits, '_', '.' and '-' only\n");
	load_err(f, "name: a\ncgroups: [{work: cpu-spin}]\n",
		 "t.yaml:2:11: cgroup has no 'name'\n");
	load_err(f, "name: a\ncgroups: [{name: ../x}]\n",
		 "t.yaml:2:18: bad cgroup name '../x': use letters, digits, '_', '.' and '-', nested with '/' (e.g. cg0/sub)\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {workers: 2}}]\n",
		 "t.yaml:2:29: work has no 'type' (e.g. {type: bursty, burst: 50ms})\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: sequence}}]\n",
		 "t.yaml:2:29: work type 'sequence' needs 'phases', e.g. phases: [{spin: 10ms}, {sleep: 5ms}]\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: exec, argv: []}}]\n",
		 "t.yaml:2:48: 'argv' must not be empty\n");
	load_err(f, "name: a\n- b\n",
		 "t.yaml:2:1: YAML syntax error: did not find expected key (while parsing a block mapping at line 1, column 1)\n");
	load_err(f, "- name: a\n",
		 "t.yaml:1:1: a scenario must be a map with 'name', 'cgroups', ...; got a list\n");
}

static void test_err_work_groups(void **state)
{
	struct fx *f = *state;

	load_err(f,
		 "name: a\n"
		 "cgroups:\n"
		 "  - name: cg0\n"
		 "    work: cpu-spin\n"
		 "    works: [mixed]\n"
		 "    nice: 3\n",
		 "t.yaml:5:5: 'work' and 'works' cannot both be given; use 'works' for several groups\n"
		 "t.yaml:6:5: 'nice' on a cgroup applies to its single 'work'; with 'works', put it inside each work\n");
	load_err(f,
		 "name: a\n"
		 "cgroups:\n"
		 "  - name: cg0\n"
		 "    policy: fifo\n"
		 "    nice: -21\n"
		 "    affinity: randm-subset\n"
		 "    mem_policy: {bind: [0, 64]}\n"
		 "    mpol_flags: [static-nodes, relative-nodes, numa-balanced]\n",
		 "t.yaml:4:13: bad policy 'fifo': write fifo:N with a priority from 1 to 99, e.g. fifo:50\n"
		 "t.yaml:5:11: 'nice' must be between -20 and 19, got '-21'\n"
		 "t.yaml:6:15: unknown affinity 'randm-subset'; did you mean 'random-subset'?\n"
		 "t.yaml:7:28: 'bind' must be between 0 and 63, got '64'\n"
		 "t.yaml:8:48: unknown mpol flag 'numa-balanced'; did you mean 'numa-balancing'?\n"
		 "t.yaml:8:17: mpol_flags static-nodes and relative-nodes cannot be combined\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: nope}, nice: 20}]\n",
		 "t.yaml:2:36: unknown work type 'nope' (expected cpu-spin, yield-heavy, mixed, io-sync, bursty, pipe-io, futex-ping-pong, cache-pressure, cache-yield, cache-pipe, futex-fan-out, fan-out-compute, sequence, fork-exit, nice-sweep, affinity-churn, policy-churn, page-fault-churn, mutex-contention, exec)\n"
		 "t.yaml:2:49: 'nice' must be between -20 and 19, got '20'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, policy: rr:100}]\n",
		 "t.yaml:2:31: bad policy 'rr:100': write rr:N with a priority from 1 to 99, e.g. rr:50\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, policy: batch:3}]\n",
		 "t.yaml:2:31: policy 'batch' takes no priority, got 'batch:3'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, mpol_flags: [numa-balancing], mem_policy: {interleave: [0]}}]\n",
		 "t.yaml:2:35: mpol flag numa-balancing works only with bind or preferred_many, not 'interleave'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, mpol_flags: [static-nodes]}]\n",
		 "t.yaml:2:35: mpol_flags need a mem_policy with nodes (bind, preferred, interleave, ...), not 'default'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, mem_policy: {bind: [0], local: x}}]\n",
		 "t.yaml:2:35: 'mem_policy' map must have exactly one key, e.g. {bind: [0, 1]}; got 2\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, affinity: 4-2}]\n",
		 "t.yaml:2:33: 'affinity': '4-2' is a reversed range\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, works: [{type: sequence, phases: [{spin: 1ms, io: 1ms}, {nap: 1ms}, {io: 0s}]}]}]\n",
		 "t.yaml:2:57: a phase is a map with one key, e.g. {spin: 10ms}; got 2 keys\n"
		 "t.yaml:2:80: unknown key 'nap' in sequence phase (expected spin, sleep, yield, io)\n"
		 "t.yaml:2:96: phase 'io' must last longer than 0\n");
}

static void test_err_cpusets(void **state)
{
	struct fx *f = *state;

	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {disjoint: 2/2}}]\n",
		 "t.yaml:2:42: 'disjoint': index 2 >= partition count 2 (indexes start at 0)\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {disjoint: 0/0}}]\n",
		 "t.yaml:2:42: 'disjoint': partition count must be > 0, got '0/0'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {disjoint: 1}}]\n",
		 "t.yaml:2:42: bad 'disjoint' value '1': write INDEX/COUNT, e.g. 0/2 for the first of two parts\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {range: [0.5, 0.5]}}]\n",
		 "t.yaml:2:39: 'range' start 0.5 must be less than its end 0.5\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {range: [0.5, 1.5]}}]\n",
		 "t.yaml:2:45: fraction '1.5' must be between 0 and 1\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {range: 0.5}}]\n",
		 "t.yaml:2:39: 'range' must be a list of two fractions [start, end], e.g. [0.0, 0.5], got '0.5'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {llc: 0, numa: 1}}]\n",
		 "t.yaml:2:40: a cpuset is one of llc, numa, range, disjoint, overlap or cpus; got both 'llc' and 'numa'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {overlap: 1/3}}]\n",
		 "t.yaml:2:32: 'overlap' needs 'frac', e.g. {overlap: 1/3, frac: 0.5}\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {llc: 0, frac: 0.5}}]\n",
		 "t.yaml:2:40: 'frac' only goes with 'overlap'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {}}]\n",
		 "t.yaml:2:31: empty cpuset: write one of {llc: 0}, {numa: 0}, {range: [0.0, 0.5]}, {disjoint: 0/2}, {overlap: 0/2, frac: 0.5}, {cpus: \"0-3\"}\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {numa: 64}}]\n",
		 "t.yaml:2:38: 'numa' must be between 0 and 63, got '64'\n");
}

static void test_err_steps(void **state)
{
	struct fx *f = *state;

	load_err(f,
		 "name: a\n"
		 "steps:\n"
		 "  - ops: [{set_cpuset: {cgroup: cg0}}, {run: {name: b}}, {stop_cgroup: a, clear_cpuset: b}]\n"
		 "    hold: 2\n"
		 "  - ops: [stop_cgroup, {swap_cpusets: [a, a]}, {move_all_tasks: {from: a, to: a}}]\n"
		 "    hold: {loop: 0}\n"
		 "  - hold: 0\n"
		 "  - hold: {lop: 1s}\n"
		 "    opts: []\n",
		 "t.yaml:3:24: 'set_cpuset' needs 'cpuset'\n"
		 "t.yaml:3:46: 'run' needs 'argv'\n"
		 "t.yaml:3:58: an op is a map with one key, e.g. {stop_cgroup: cg0}; this one has 2\n"
		 "t.yaml:4:11: 'hold': fraction '2' must be between 0 and 1; for a time add a unit, e.g. 2s\n"
		 "t.yaml:5:11: an op is a map with one key, e.g. {stop_cgroup: cg0}, got 'stop_cgroup'\n"
		 "t.yaml:5:39: 'swap_cpusets' needs two different cgroups, got 'a' twice\n"
		 "t.yaml:5:79: 'move_all_tasks' needs two different cgroups, got 'a' twice\n"
		 "t.yaml:6:18: 'loop' interval must be greater than 0\n"
		 "t.yaml:7:11: 'hold' must be greater than 0\n"
		 "t.yaml:8:12: unknown key 'lop' in hold; did you mean 'loop'?\n"
		 "t.yaml:8:11: a hold map needs 'loop', e.g. {loop: 200ms}\n"
		 "t.yaml:9:5: unknown key 'opts' in step; did you mean 'ops'?\n");
	load_err(f, "name: a\nsteps: [{ops: [{spawn: {work: cpu-spin}}, {wait: {name: x, cgroup: y}}]}]\n",
		 "t.yaml:2:24: 'spawn' needs 'cgroup'\n"
		 "t.yaml:2:60: unknown key 'cgroup' in 'wait' (expected name)\n");
	load_err(f, "name: a\nsteps: [{ops: [{spawn: {cgroup: x, work: {type: pipe-io, workers: 2}, workers: 2}}]}]\n",
		 "t.yaml:2:71: 'workers' is given both here and in the work (line 2, column 58); keep one\n");
}

static void test_err_checks(void **state)
{
	struct fx *f = *state;

	load_err(f,
		 "name: a\n"
		 "cgroups: [{name: cg0}]\n"
		 "checks:\n"
		 "  max_gap: 5\n"
		 "  max_spread: 15\n"
		 "  isolation: yes\n"
		 "  max_p99_wake_latency: true\n"
		 "  max_throughput_cv: -1\n"
		 "  min_page_locality: 120%\n"
		 "  max_local_dsq_depth: 1.5\n",
		 "t.yaml:4:12: bad duration '5': add a unit (ns, us, ms, s, m), e.g. 5s\n"
		 "t.yaml:5:15: bad percentage '15': add '%', e.g. 15%\n"
		 "t.yaml:6:14: 'isolation' must be true or false, got 'yes'\n"
		 "t.yaml:7:25: 'max_p99_wake_latency' takes a duration such as 2000ms, or false to turn it off; got 'true'\n"
		 "t.yaml:8:22: 'max_throughput_cv' must be a number >= 0, got '-1'\n"
		 "t.yaml:9:22: 'min_page_locality' must be at most 100%, got '120%'\n"
		 "t.yaml:10:24: 'max_local_dsq_depth' must be an integer, got '1.5'\n");
}

static void test_err_topology_gauntlet(void **state)
{
	struct fx *f = *state;

	load_err(f, "name: a\ntopology: tiny2llc\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:11: unknown topology preset 'tiny2llc'; did you mean 'tiny-2llc'?\n");
	load_err(f, "name: a\ntopology: 1n2l4c\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:11: bad topology '1n2l4c': expected NnNlNcNt, e.g. 1n2l4c2t\n");
	load_err(f, "name: a\ntopology: 2n3l4c1t\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:11: bad topology '2n3l4c1t': llcs (3) must be a multiple of numa nodes (2)\n");
	load_err(f, "name: a\ntopology: {numa: 0, llc: 2}\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:18: 'numa' must be between 1 and 64, got '0'\n"
		 "t.yaml:2:21: unknown key 'llc' in topology; did you mean 'llcs'?\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\ngauntlet: {presets: [tiny-2llc, smt2llc]}\n",
		 "t.yaml:3:33: unknown topology preset 'smt2llc'; did you mean 'smt-2llc'?\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\ngauntlet: {presets: [tiny-2llc, tiny-1llc, tiny-2llc]}\n",
		 "t.yaml:3:21: preset 'tiny-2llc' is listed twice\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\ngauntlet: {presets: some}\n",
		 "t.yaml:3:21: 'presets' must be 'all' or a list of preset names, got 'some'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\ngauntlet: {constraints: {min_numa: 2}}\n",
		 "t.yaml:3:26: min_numa 2 is greater than max_numa 1 (the default); set it too, or 0 for no limit\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\ngauntlet: {constraints: {min_cpus: 8, max_cpus: 4, smt: true}}\n",
		 "t.yaml:3:52: unknown key 'smt' in constraints (expected min_numa, max_numa, min_llcs, max_llcs, min_cpus, max_cpus, requires_smt)\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\ngauntlet: {constraints: {min_cpus: 8, max_cpus: 4}}\n",
		 "t.yaml:3:26: min_cpus 8 is greater than max_cpus 4\n");
	/* max 0 is "no limit" */
	struct scenario *sc = load_ok(f, "name: a\ncgroups: [{name: cg0}]\n"
				      "gauntlet: {constraints: {min_numa: 2, max_numa: 0}}\n");
	assert_int_equal(sc->gauntlet.constraints.min_numa_nodes, 2);
	assert_int_equal(sc->gauntlet.constraints.max_numa_nodes, 0);
}

static void test_err_scheduler(void **state)
{
	struct fx *f = *state;

	load_err(f,
		 "name: a\n"
		 "cgroups: [{name: cg0}]\n"
		 "scheduler:\n"
		 "  name: eevdf\n"
		 "  binary: foo\n"
		 "  flags: [llc]\n",
		 "t.yaml:5:3: 'eevdf' is the kernel's own scheduler and takes no 'binary'; give this definition another name\n"
		 "t.yaml:6:3: 'eevdf' is the kernel's own scheduler and takes no 'flags'; give this definition another name\n");
	load_err(f,
		 "name: a\n"
		 "cgroups: [{name: cg0}]\n"
		 "scheduler:\n"
		 "  name: x\n"
		 "  flags: [llcc, Steal, {name: mine, requires: [other]}, {args: []}, steal, llc, llc]\n"
		 "  kernel_args: [console=ttyS1, \"a b\"]\n"
		 "  sysctls: {a.b: 1, a.b: 2, c: \"x y\"}\n",
		 "t.yaml:5:11: unknown built-in flag 'llcc'; did you mean 'llc'? (to define your own, write {name: llcc, args: [...]})\n"
		 "t.yaml:5:17: bad flag name 'Steal': use kebab-case (lower-case letters, digits, single '-' between words), e.g. reject-pin\n"
		 "t.yaml:5:57: flag has no 'name' (e.g. {name: llc, args: [--llc]})\n"
		 "t.yaml:5:24: flag 'mine' requires 'other', which this scheduler does not declare\n"
		 "t.yaml:5:81: flag 'llc' is declared twice (first at line 5)\n"
		 "t.yaml:6:17: kernel argument 'console=ttyS1' would override ktstr's own 'console'\n"
		 "t.yaml:6:32: kernel argument 'a b' must be one word without spaces; write each as its own item\n"
		 "t.yaml:7:32: sysctl value 'x y' must not contain spaces: it goes on the kernel command line\n"
		 "t.yaml:7:21: duplicate sysctl 'a.b' (first at line 7)\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\nscheduler: {binary: x}\n",
		 "t.yaml:3:12: scheduler has no 'name'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\nscheduler: {name: x, flags: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q]}\n",
		 "t.yaml:3:29: too many flags (17, at most 16)\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\nflags: {required: [LLC], exclude: [x]}\n",
		 "t.yaml:3:20: bad flag name 'LLC': use kebab-case (lower-case letters, digits, single '-' between words), e.g. reject-pin\n"
		 "t.yaml:3:26: unknown key 'exclude' in flags; did you mean 'excluded'?\n");

	/* A bare name of a non-built-in flag, and built-in steal's requirement. */
	struct scenario *sc = load_ok(f,
		"name: b\ncgroups: [{name: cg0}]\nscheduler: {name: s, flags: [llc, steal, reject-pin]}\n");
	assert_string_equal(sc->sched_inline->binary, "s");	/* discovered by name */
	assert_int_equal(sc->sched_inline->nflags, 3);
	assert_int_equal(sc->sched_inline->flags[1].nrequires, 1);
	assert_string_equal(sc->sched_inline->flags[1].requires[0], "llc");
	load_err(f, "name: c\ncgroups: [{name: cg0}]\nscheduler: {name: s, flags: [steal]}\n",
		 "t.yaml:3:30: flag 'steal' requires 'llc', which this scheduler does not declare\n");
	/* eevdf may be tuned, not replaced. */
	sc = load_ok(f, "name: d\ncgroups: [{name: cg0}]\n"
			"scheduler: {name: eevdf, sysctls: {kernel.x: 1}, checks: {max_gap: 1s}}\n");
	assert_true(sc->sched_inline->eevdf);
	assert_null(sc->sched_inline->binary);
}

static void test_multiple_errors(void **state)
{
	struct fx *f = *state;
	int n = load(f,
		"name: bad\n"
		"duraton: 5s\n"
		"workers: two\n"
		"cgroups:\n"
		"  - name: cg0\n"
		"    cpuset: {disjoint: 3/2}\n"
		"    work: {type: bursty, burst: 5}\n"
		"  - name: cg1\n"
		"    work: nope\n"
		"checks: {max_spread: 15}\n");

	assert_int_equal(n, 6);
	assert_int_equal(f->d.n, 6);
	assert_int_equal(f->set.n, 0);
	assert_string_equal(render(f),
		"t.yaml:2:1: unknown key 'duraton' in scenario; did you mean 'duration'?\n"
		"t.yaml:3:10: 'workers' must be an integer, got 'two'\n"
		"t.yaml:6:24: 'disjoint': index 3 >= partition count 2 (indexes start at 0)\n"
		"t.yaml:7:33: bad duration '5': add a unit (ns, us, ms, s, m), e.g. 5s\n"
		"t.yaml:9:11: unknown work type 'nope' (expected cpu-spin, yield-heavy, mixed, io-sync, bursty, pipe-io, futex-ping-pong, cache-pressure, cache-yield, cache-pipe, futex-fan-out, fan-out-compute, sequence, fork-exit, nice-sweep, affinity-churn, policy-churn, page-fault-churn, mutex-contention, exec)\n"
		"t.yaml:10:22: bad percentage '15': add '%', e.g. 15%\n");
	assert_int_equal(f->d.items[0].loc.line, 2);
	assert_int_equal(f->d.items[0].loc.col, 1);
	assert_string_equal(f->d.items[0].loc.file, "t.yaml");
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

/* ---- hostile input ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_alias_bomb(void **state)
{
	struct fx *f = *state;
	/* Nine levels of ten: 10^9 phases if expanded. */
	static const char bomb[] =
		"a: &a {spin: 1ms}\n"
		"name: bomb\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"cgroups:\n"
		"  - &g {name: x, works: [&w {type: sequence, phases: *b}, *w, *w, *w, *w, *w, *w, *w, *w, *w]}\n"
		"  - *g\n";
	double t0 = now();

	assert_true(load(f, bomb) > 0);
	assert_int_equal(f->set.n, 0);
	diag__free(&f->d);

	/* The real thing: one step aliased 4,000 times: 1,024,000 works. */
	char *big = malloc(65536);
	size_t o;

	assert_non_null(big);
	o = (size_t)snprintf(big, 65536,
		"name: bomb\n"
		"steps: [");
	for (int i = 0; i < 4000; i++)
		o += (size_t)snprintf(big + o, 65536 - o, "%s*l1", i ? ", " : "");
	snprintf(big + o, 65536 - o, "]\n");
	/* Anchors must come first: put them in a leading document key. */
	char *full = malloc(70000);

	assert_non_null(full);
	o = (size_t)snprintf(full, 70000, "l1: &l1 {cgroups: [{name: x, works: &w [mixed");
	for (int i = 1; i < 16; i++)
		o += (size_t)snprintf(full + o, 70000 - o, ", mixed");
	o += (size_t)snprintf(full + o, 70000 - o, "]}");
	for (int i = 1; i < 16; i++)
		o += (size_t)snprintf(full + o, 70000 - o, ", {name: x, works: *w}");
	snprintf(full + o, 70000 - o, "]}\n%s", big);
	free(big);
	assert_true(load(f, full) > 0);
	free(full);
	assert_int_equal(f->set.n, 0);
	assert_non_null(strstr(render(f), "document too complex"));
	diag__free(&f->d);

	/* A self-referencing alias (libyaml allows it) must not loop. */
	assert_true(load(f, "name: &n x\ncgroups: &c [{name: x, works: *c}]\n") > 0);
	diag__free(&f->d);
	assert_true(load(f, "&r {name: x, cgroups: [*r]}\n") > 0);
	diag__free(&f->d);
	assert_true(now() - t0 < 5.0);
}

static void test_deep_nesting(void **state)
{
	struct fx *f = *state;
	char buf[1024];
	size_t o;

	o = (size_t)snprintf(buf, sizeof(buf), "name: deep\ncgroups: ");
	for (int i = 0; i < 100; i++)
		buf[o++] = '[';
	buf[o] = '\0';
	assert_int_equal(load(f, buf), 1);
	assert_string_equal(render(f), "t.yaml:2:73: nesting deeper than 64 levels\n");
	assert_int_equal(f->set.n, 0);
	diag__free(&f->d);

	/* 64 levels is fine as YAML (and wrong as a scenario). */
	o = (size_t)snprintf(buf, sizeof(buf), "name: deep\ncgroups: ");
	for (int i = 0; i < 63; i++)
		buf[o++] = '[';
	for (int i = 0; i < 63; i++)
		buf[o++] = ']';
	buf[o] = '\0';
	assert_int_equal(load(f, buf), 1);
	assert_string_equal(render(f), "t.yaml:2:11: each cgroup must be a map with a 'name', got a list\n");
}

static void test_bad_bytes(void **state)
{
	struct fx *f = *state;
	static const char nul[] = "name: a\ncgroups: [{name: cg0}]\ndescription: \"x\\0y\"\n";
	static const char raw_nul[] = "name: a\0b\ncgroups: [{name: cg0}]\n";
	static const char latin1[] = "name: caf\xff\ncgroups: [{name: cg0}]\n";

	load_err(f, nul, "t.yaml:3:14: 'description' contains a NUL byte\n");
	assert_true(scenario__load_buffer(&f->set, "t.yaml", raw_nul, sizeof(raw_nul) - 1, &f->d) > 0);
	assert_string_equal(render(f),
		"t.yaml:1:8: not valid YAML text: control characters are not allowed (byte 0x00)\n");
	diag__free(&f->d);
	load_err(f, latin1, "t.yaml:1:10: not valid YAML text: invalid leading UTF-8 octet (byte 0xff)\n");
	/* UTF-8 is fine in strings, but not in names. */
	struct scenario *sc = load_ok(f, "name: a\ndescription: caf\xc3\xa9\ncgroups: [{name: cg0}]\n");

	assert_string_equal(sc->description, "caf\xc3\xa9");
	load_err(f, "name: caf\xc3\xa9\ncgroups: [{name: cg0}]\n",
		 "t.yaml:1:7: bad scenario name 'caf?" "?': use letters, digits, '_', '.' and '-' only\n");
}

static void test_huge_values(void **state)
{
	struct fx *f = *state;
	size_t len = 70000;
	char *buf = malloc(len + 64);
	int o;

	assert_non_null(buf);
	load_err(f, "name: a\nworkers: 99999999999999999999999999\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:10: 'workers' must be between 1 and 4096, got '99999999999999999999999999'\n");
	load_err(f, "name: a\nduration: 99999999999999999999m\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:11: duration '99999999999999999999m' is too large\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {disjoint: 1/99999999}}]\n",
		 "t.yaml:2:42: bad 'disjoint' value '1/99999999': write INDEX/COUNT, e.g. 0/2 for the first of two parts\n");
	/* A long name is cut in the message, and a too-long value rejected. */
	o = snprintf(buf, len, "name: ");
	memset(buf + o, 'n', 100);
	strcpy(buf + o + 100, "\ncgroups: [{name: cg0}]\n");
	load_err(f, buf,
		 "t.yaml:1:7: scenario name 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...' is too long (100 characters, at most 64)\n");
	o = snprintf(buf, len, "name: a\ncgroups: [{name: cg0}]\ndescription: ");
	memset(buf + o, 'd', len - (size_t)o);
	strcpy(buf + len, "\n");
	load_err(f, buf, "t.yaml:3:14: 'description' is too long (69956 bytes, at most 65536)\n");
	free(buf);

	/* A buffer over the file limit is refused before parsing. */
	buf = calloc(1, (1u << 20) + 2);
	assert_non_null(buf);
	memset(buf, '#', (1u << 20) + 1);
	assert_int_equal(load(f, buf), 1);
	assert_string_equal(render(f), "t.yaml: file is too large (1048577 bytes, at most 1048576)\n");
	free(buf);
}

static void test_many_keys(void **state)
{
	struct fx *f = *state;
	/* Thousands of distinct sysctls: duplicates found without n^2 work. */
	size_t cap = 200000, o;
	char *buf = malloc(cap);
	double t0 = now();

	assert_non_null(buf);
	o = (size_t)snprintf(buf, cap, "name: s\nflags: []\nsysctls:\n");
	for (int i = 0; i < 4000; i++)
		o += (size_t)snprintf(buf + o, cap - o, "  k%d: %d\n", i, i);
	o += (size_t)snprintf(buf + o, cap - o, "  k17: dup\n");
	assert_int_equal(load_sched(f, buf), 1);
	assert_string_equal(render(f), "s.yaml:4004:3: duplicate sysctl 'k17' (first at line 21)\n");
	diag__free(&f->d);

	/* Thousands of unknown keys: reported, capped by the diag limit, fast. */
	o = (size_t)snprintf(buf, cap, "name: s\ncgroups: [{name: a}]\n");
	for (int i = 0; i < 5000; i++)
		o += (size_t)snprintf(buf + o, cap - o, "unknown_key_number_%d: 1\n", i);
	f->d.max = 100;
	assert_int_equal(load(f, buf), 5000);
	assert_int_equal(f->d.n, 100);
	assert_int_equal(f->d.dropped, 4900);
	free(buf);
	assert_true(now() - t0 < 5.0);
}

/* ---- the shipped scenarios ---- */

static void test_shipped_scenarios(void **state)
{
	struct fx *f = *state;
	static const char *const names[] = {
		"two_cgroups.yaml", "cpuset_resize.yaml", "gauntlet_steady.yaml",
	};
	const char *src = getenv("KTSTR_SRCDIR");
	char path[4096];

	if (!src)
		src = ".";
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/scenarios/%s", src, names[i]);
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

	assert_string_equal(sc->name, "cpuset_resize");
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
		cmocka_unit_test_setup_teardown(test_schema_scheduler, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_gauntlet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scalars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_topology_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_work_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_work_conflicting_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_affinity_mempol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpuset_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_work_param_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checks_values, setup, teardown),
		cmocka_unit_test(test_checks_merge),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_err_unknown_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_duplicates_and_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_work_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_cpusets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_topology_gauntlet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_scheduler, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiple_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multi_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sched_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_bomb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep_nesting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_huge_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shipped_scenarios, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

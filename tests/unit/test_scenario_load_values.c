// SPDX-License-Identifier: GPL-2.0
/*
 * The YAML loader: every major key loads into exact model values, in all the
 * forms it takes, with its defaults.
 */
#include "scenario_load_fx.h"

#include <math.h>

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
	/* The work-type catalog's defaults (ktstr-scenario(5), WORK TYPES), spot-checked. */
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
		"  fail_on_stall: true\n"
		"  hardware_only: [max_p99_wake_latency, min_work_rate]\n");
	const struct threshold *t = sc->checks.t;

	for (int id = 0; id < CHECK_COUNT; id++)
		assert_int_equal(t[id].hardware_only,
				 id == CHECK_MAX_P99_WAKE_LATENCY || id == CHECK_MIN_WORK_RATE);

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

	base.t[CHECK_MAX_GAP] = (struct threshold){ .state = TH_SET, .value = 2000 };
	base.t[CHECK_NOT_STARVED] = (struct threshold){ .state = TH_SET, .value = 1 };
	base.t[CHECK_MAX_SPREAD] = (struct threshold){ .state = TH_SET, .value = 10 };
	base.t[CHECK_MAX_P99_WAKE_LATENCY] = (struct threshold){ .state = TH_SET, .value = 5e6,
								 .hardware_only = true };
	top.t[CHECK_MAX_GAP] = (struct threshold){ .state = TH_SET, .value = 3000 };
	top.t[CHECK_NOT_STARVED] = (struct threshold){ .state = TH_DISABLED, .value = 0 };
	top.t[CHECK_MAX_P99_WAKE_LATENCY] = (struct threshold){ .state = TH_SET, .value = 2e7 };
	top.t[CHECK_MIN_WORK_RATE].hardware_only = true;	/* marked, value from below */
	checks__merge(&base, &top);
	/* hardware_only sticks from either layer, whoever sets the value. */
	assert_true(base.t[CHECK_MAX_P99_WAKE_LATENCY].hardware_only);
	assert_true(base.t[CHECK_MAX_P99_WAKE_LATENCY].value == 2e7);
	assert_true(base.t[CHECK_MIN_WORK_RATE].hardware_only);
	assert_int_equal(base.t[CHECK_MIN_WORK_RATE].state, TH_UNSET);
	assert_false(base.t[CHECK_MAX_GAP].hardware_only);
	assert_true(base.t[CHECK_MAX_GAP].value == 3000);
	assert_int_equal(base.t[CHECK_NOT_STARVED].state, TH_DISABLED);
	assert_int_equal(base.t[CHECK_MAX_SPREAD].state, TH_SET);	/* unset on top: kept */
	assert_true(base.t[CHECK_MAX_SPREAD].value == 10);
}

static void test_names(void **state)
{
	assert_string_equal(op_kind__name(OP_MOVE_ALL_TASKS), "move_all_tasks");
	assert_string_equal(op_kind__name(OP_KILL), "kill");
	assert_string_equal(op_kind__name(OP_MOVE_TASKS), "move_tasks");
	assert_string_equal(op_kind__name(OP_RESTART_SCHEDULER), "restart_scheduler");
	assert_string_equal(op_kind__name(OP_KIND_COUNT), "?");
	assert_string_equal(affinity_kind__name(AFFINITY_RANDOM_SUBSET), "random-subset");
	assert_string_equal(mem_policy_kind__name(MEMPOL_WEIGHTED_INTERLEAVE),
			    "weighted_interleave");
	assert_string_equal(sched_policy_kind__name(POLICY_RR), "rr");
	assert_string_equal(seq_phase_kind__name(PHASE_IO), "io");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

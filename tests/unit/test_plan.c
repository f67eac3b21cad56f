// SPDX-License-Identifier: GPL-2.0
/*
 * The plan: scenario (YAML) -> host plan__write -> text -> agent
 * plan__parse, compared field by field; the overrides; and the parser's
 * rejection of every kind of malformed input (it must never crash: every
 * prefix of a valid plan is parsed too).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/plan_write.h"	/* the writer */
#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"
#include "agent/plan_read.h"	/* the agent's parser */

static const char full_yaml[] =
	"name: full\n"
	"topology: 1n2l4c1t\n"
	"duration: 6s\n"
	"workers: 2\n"
	"cgroups:\n"
	"  - name: cg0\n"
	"    cpuset: {disjoint: 0/2}\n"
	"  - name: cg1\n"
	"    cpuset: {llc: 1}\n"
	"    works:\n"
	"      - {type: bursty, burst: 20ms, sleep: 30ms, workers: 3, nice: -5}\n"
	"      - {type: sequence, phases: [{spin: 10ms}, {sleep: 5ms}, {yield: 1ms}, {io: 2ms}]}\n"
	"      - {type: exec, argv: [\"/bin/echo\", \"a b\", \"100%\", \"=x\", \"\", \"-\"], workers: 1}\n"
	"  - name: cg1/sub\n"
	"    work: {type: pipe-io, burst_iters: 64, policy: fifo:7}\n"
	"    affinity: [0, 2]\n"
	"    mem_policy: {bind: [0]}\n"
	"    mpol_flags: [static-nodes]\n"
	"steps:\n"
	"  - ops:\n"
	"      - add_cgroup: {name: extra, cpuset: {cpus: \"1-2\"}}\n"
	"      - set_cpuset: {cgroup: cg0, cpuset: {range: [0, 0.5]}}\n"
	"      - spawn: {cgroup: extra, work: mixed, workers: 4}\n"
	"      - set_affinity: {cgroup: cg0, affinity: random-subset}\n"
	"      - spawn_host: {work: yield-heavy, workers: 1}\n"
	"      - run: {name: bench, argv: [schbench, -m, 2], cgroup: extra}\n"
	"    hold: 1/3\n"
	"  - cgroups: [{name: s, affinity: llc-aligned}]\n"
	"    ops:\n"
	"      - kill: bench\n"
	"      - swap_cpusets: [cg0, extra]\n"
	"      - clear_cpuset: cg0\n"
	"      - move_all_tasks: {from: extra, to: cg0}\n"
	"      - stop_cgroup: cg0\n"
	"      - remove_cgroup: extra\n"
	"    hold: 500ms\n"
	"  - ops:\n"
	"      - add_cgroup: l\n"
	"      - remove_cgroup: l\n"
	"    hold: {loop: 200ms}\n";

struct fx {
	struct scenario_set set;
	struct diag_list d;
	char *text;
	size_t len;
	struct plan p;
	char err[512];
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

	plan__free(&f->p);
	free(f->text);
	diag__free(&f->d);
	scenario_set__free(&f->set);
	free(f);
	return 0;
}

static const struct scenario *load(struct fx *f, const char *yaml)
{
	if (scenario__load_buffer(&f->set, "t.yaml", yaml, strlen(yaml), &f->d) ||
	    scenario_set__validate(&f->set, &f->d)) {
		diag__print(&f->d, stderr);
		fail_msg("the scenario did not load");
	}
	assert_int_equal(f->set.n, 1);
	return f->set.items[0];
}

static int write_plan(struct fx *f, const struct scenario *sc, const struct plan_opts *o)
{
	FILE *m;
	int ret;

	free(f->text);
	f->text = NULL;
	m = open_memstream(&f->text, &f->len);
	assert_non_null(m);
	ret = plan__write(sc, &sc->topology, o, m, f->err, sizeof(f->err));
	fclose(m);
	return ret;
}

static void round_trip(struct fx *f, const char *yaml, const struct plan_opts *o)
{
	const struct scenario *sc = load(f, yaml);

	if (write_plan(f, sc, o))
		fail_msg("plan__write: %s", f->err);
	if (plan__parse(f->text, f->len, &f->p, f->err, sizeof(f->err))) {
		fprintf(stderr, "%s", f->text);
		fail_msg("plan__parse: %s", f->err);
	}
}

static void assert_cpus(const struct cpumask *m, const char *want)
{
	char buf[256];

	cpumask__format(m, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_round_trip_header(void **state)
{
	struct fx *f = *state;
	struct plan_opts o = PLAN_OPTS_DEFAULT;
	const char *args[] = { "--slice-us", "5000 us" };

	o.sched_path = "/scheduler";
	o.sched_args = args;
	o.nsched_args = 2;
	o.sched_gap_kill_ns = 5000000000ULL;
	round_trip(f, full_yaml, &o);
	assert_string_equal(f->p.name, "full");
	assert_int_equal(f->p.sched_gap_kill_ns, 5000000000ULL);
	assert_int_equal(f->p.duration_ns, 6000000000ULL);
	assert_int_equal(f->p.workers, 2);
	assert_int_equal(f->p.ncpus, 8);
	for (unsigned c = 0; c < 8; c++) {
		assert_int_equal(f->p.cpu_llc[c], c / 4);
		assert_int_equal(f->p.cpu_node[c], 0);
	}
	assert_string_equal(f->p.sched_path, "/scheduler");
	assert_int_equal(f->p.nsched_args, 2);
	assert_string_equal(f->p.sched_args[1], "5000 us");
	assert_null(f->p.sched_args[2]);
	assert_int_equal(f->p.nsteps, 3);
}

static void test_round_trip_backdrop(void **state)
{
	struct fx *f = *state;
	const struct plan_cgroup *cg;
	const struct plan_work *w;

	round_trip(f, full_yaml, NULL);
	assert_null(f->p.sched_path);
	assert_int_equal(f->p.backdrop.ncgroups, 3);
	assert_int_equal(f->p.backdrop.nops, 0);

	cg = &f->p.backdrop.cgroups[0];
	assert_string_equal(cg->name, "cg0");
	assert_true(cg->has_cpus);
	assert_cpus(&cg->cpus, "0-2");			/* usable 0-6, half of 7 */
	assert_int_equal(cg->nworks, 1);
	assert_int_equal(cg->works[0].type, WORK_CPU_SPIN);
	assert_int_equal(cg->works[0].workers, 2);	/* the default filled in */

	cg = &f->p.backdrop.cgroups[1];
	assert_cpus(&cg->cpus, "4-7");
	assert_int_equal(cg->nworks, 3);
	w = &cg->works[0];
	assert_int_equal(w->type, WORK_BURSTY);
	assert_int_equal(w->workers, 3);
	assert_int_equal(w->params[0], 20000000);
	assert_int_equal(w->params[1], 30000000);
	assert_true(w->has_nice);
	assert_int_equal(w->nice, -5);
	w = &cg->works[1];
	assert_int_equal(w->type, WORK_SEQUENCE);
	assert_int_equal(w->nphases, 4);
	assert_int_equal(w->phases[0].kind, PLAN_PHASE_SPIN);
	assert_int_equal(w->phases[0].ns, 10000000);
	assert_int_equal(w->phases[3].kind, PLAN_PHASE_IO);
	assert_int_equal(w->phases[3].ns, 2000000);
	w = &cg->works[2];
	assert_int_equal(w->type, WORK_EXEC);
	assert_int_equal(w->argc, 6);
	assert_string_equal(w->argv[0], "/bin/echo");
	assert_string_equal(w->argv[1], "a b");
	assert_string_equal(w->argv[2], "100%");
	assert_string_equal(w->argv[3], "=x");
	assert_string_equal(w->argv[4], "");
	assert_string_equal(w->argv[5], "-");
	assert_null(w->argv[6]);

	cg = &f->p.backdrop.cgroups[2];
	assert_string_equal(cg->name, "cg1/sub");
	assert_false(cg->has_cpus);
	w = &cg->works[0];
	assert_int_equal(w->type, WORK_PIPE_IO);
	assert_int_equal(w->params[0], 64);
	assert_int_equal(w->policy, PLAN_POLICY_FIFO);
	assert_int_equal(w->prio, 7);
	assert_false(w->has_nice);
	assert_int_equal(w->affinity, PLAN_AFF_CPUS);
	assert_cpus(&w->aff_cpus, "0,2");
	assert_int_equal(w->mempol, PLAN_MPOL_BIND);
	assert_int_equal(w->nodes, 1);
	assert_int_equal(w->mpol_flags, 1u << 15);
}

static void test_round_trip_steps(void **state)
{
	struct fx *f = *state;
	const struct plan_section *s;
	const struct plan_op *op;

	round_trip(f, full_yaml, NULL);
	s = &f->p.steps[0];
	assert_false(s->loop);
	assert_int_equal(s->ns, 2000000000ULL);		/* 1/3 of 6 s */
	assert_int_equal(s->ncgroups, 0);
	assert_int_equal(s->nops, 6);
	op = &s->ops[0];
	assert_int_equal(op->kind, PLAN_OP_ADD_CGROUP);
	assert_string_equal(op->cgroup, "extra");
	assert_true(op->has_cpus);
	assert_cpus(&op->cpus, "1-2");
	op = &s->ops[1];
	assert_int_equal(op->kind, PLAN_OP_SET_CPUSET);
	assert_cpus(&op->cpus, "0-2");
	op = &s->ops[2];
	assert_int_equal(op->kind, PLAN_OP_SPAWN);
	assert_true(op->has_work);
	assert_int_equal(op->work.type, WORK_MIXED);
	assert_int_equal(op->work.workers, 4);
	op = &s->ops[3];
	assert_int_equal(op->kind, PLAN_OP_SET_AFFINITY);
	assert_int_equal(op->affinity, PLAN_AFF_RANDOM_SUBSET);
	op = &s->ops[4];
	assert_int_equal(op->kind, PLAN_OP_SPAWN_HOST);
	assert_null(op->cgroup);
	assert_int_equal(op->work.type, WORK_YIELD_HEAVY);
	op = &s->ops[5];
	assert_int_equal(op->kind, PLAN_OP_RUN);
	assert_string_equal(op->name, "bench");
	assert_string_equal(op->cgroup, "extra");
	assert_int_equal(op->argc, 3);
	assert_string_equal(op->argv[1], "-m");

	s = &f->p.steps[1];
	assert_int_equal(s->ns, 500000000ULL);
	assert_int_equal(s->ncgroups, 1);
	assert_string_equal(s->cgroups[0].name, "s");
	assert_int_equal(s->cgroups[0].works[0].affinity, PLAN_AFF_LLC_ALIGNED);
	assert_int_equal(s->nops, 6);
	assert_int_equal(s->ops[0].kind, PLAN_OP_KILL);
	assert_string_equal(s->ops[0].name, "bench");
	assert_int_equal(s->ops[1].kind, PLAN_OP_SWAP_CPUSETS);
	assert_string_equal(s->ops[1].cgroup2, "extra");
	assert_int_equal(s->ops[2].kind, PLAN_OP_CLEAR_CPUSET);
	assert_int_equal(s->ops[3].kind, PLAN_OP_MOVE_ALL_TASKS);
	assert_string_equal(s->ops[3].cgroup, "extra");
	assert_string_equal(s->ops[3].cgroup2, "cg0");
	assert_int_equal(s->ops[4].kind, PLAN_OP_STOP_CGROUP);
	assert_int_equal(s->ops[5].kind, PLAN_OP_REMOVE_CGROUP);

	s = &f->p.steps[2];
	assert_true(s->loop);
	assert_int_equal(s->ns, 200000000ULL);
	assert_int_equal(s->nops, 2);
}

/* move_tasks and restart_scheduler (plan version 2) through the writer and the agent's reader. */
static void test_round_trip_new_ops(void **state)
{
	struct fx *f = *state;
	const struct plan_section *s;

	round_trip(f,
		   "name: n\nduration: 3s\nrequires: {sched_ext: true}\n"
		   "cgroups: [{name: a, workers: 3}, {name: b}]\n"
		   "steps:\n"
		   "  - ops:\n"
		   "      - move_tasks: {from: a, to: b, count: 2}\n"
		   "      - restart_scheduler: {down: 300ms}\n"
		   "    hold: 1/2\n"
		   "  - ops:\n"
		   "      - move_tasks: {from: b, to: a}\n"
		   "      - restart_scheduler: {}\n"
		   "    hold: {loop: 500ms}\n",
		   NULL);
	assert_int_equal(strncmp(f->text, "ktstr-plan 2\n", 13), 0);
	assert_non_null(strstr(f->text, "\nop move_tasks =a =b 2\nop restart_scheduler 300000000\n"));
	assert_non_null(strstr(f->text, "\nop move_tasks =b =a 1\nop restart_scheduler 0\n"));
	s = &f->p.steps[0];
	assert_int_equal(s->nops, 2);
	assert_int_equal(s->ops[0].kind, PLAN_OP_MOVE_TASKS);
	assert_string_equal(s->ops[0].cgroup, "a");
	assert_string_equal(s->ops[0].cgroup2, "b");
	assert_int_equal(s->ops[0].count, 2);
	assert_int_equal(s->ops[1].kind, PLAN_OP_RESTART_SCHEDULER);
	assert_int_equal(s->ops[1].down_ns, 300000000ULL);
	assert_string_equal(plan_op__name(s->ops[1].kind), "restart_scheduler");
	s = &f->p.steps[1];
	assert_true(s->loop);
	assert_int_equal(s->ops[0].count, 1);
	assert_string_equal(s->ops[0].cgroup, "b");
	assert_int_equal(s->ops[1].kind, PLAN_OP_RESTART_SCHEDULER);
	assert_int_equal(s->ops[1].down_ns, 0);
}

static void test_overrides(void **state)
{
	struct fx *f = *state;
	struct plan_opts o = PLAN_OPTS_DEFAULT;

	o.workers = 4;
	o.duration_ns = 900000000ULL;
	o.work_type_override = WORK_PIPE_IO;
	round_trip(f,
		   "name: o\nduration: 3s\nworkers: 1\n"
		   "cgroups:\n"
		   "  - {name: a, work: {type: cpu-spin, swappable: true}}\n"
		   "  - {name: b, work: cpu-spin}\n"
		   "  - {name: c, work: {type: yield-heavy, swappable: true}, workers: 3}\n"
		   "steps:\n"
		   "  - {hold: 1/3}\n"
		   "  - ops: [{spawn: {cgroup: a, work: {type: mixed, swappable: true}}}]\n"
		   "    hold: 1/3\n",
		   &o);
	assert_int_equal(f->p.duration_ns, 900000000ULL);
	assert_int_equal(f->p.steps[0].ns, 300000000ULL);
	/* swappable and divisible: replaced, with the new type's defaults */
	assert_int_equal(f->p.backdrop.cgroups[0].works[0].type, WORK_PIPE_IO);
	assert_int_equal(f->p.backdrop.cgroups[0].works[0].workers, 4);
	assert_int_equal(f->p.backdrop.cgroups[0].works[0].params[0], 1024);
	/* not swappable */
	assert_int_equal(f->p.backdrop.cgroups[1].works[0].type, WORK_CPU_SPIN);
	/* 3 workers do not pair up: kept */
	assert_int_equal(f->p.backdrop.cgroups[2].works[0].type, WORK_YIELD_HEAVY);
	assert_int_equal(f->p.backdrop.cgroups[2].works[0].workers, 3);
	/* spawn ops never take the override */
	assert_int_equal(f->p.steps[1].ops[0].work.type, WORK_MIXED);
	assert_int_equal(f->p.steps[1].ops[0].work.workers, 4);
}

/* plan__swaps counts what plan__write does with the override. */
static void test_swaps(void **state)
{
	struct fx *f = *state;
	struct plan_opts o = PLAN_OPTS_DEFAULT;
	struct plan_swaps s = { 1, 1 };
	const struct scenario *sc;
	char line[64];

	sc = load(f, "name: s\nworkers: 2\n"
		     "cgroups:\n"
		     "  - {name: a, work: {type: cpu-spin, swappable: true}}\n"
		     "  - {name: b, work: cpu-spin}\n"
		     "  - {name: c, work: {type: mixed, swappable: true}, workers: 3}\n"
		     "steps:\n"
		     "  - cgroups: [{name: d, work: {type: bursty, swappable: true}}]\n"
		     "    ops: [{spawn: {cgroup: b, work: {type: mixed, swappable: true}}}]\n"
		     "    hold: 1s\n");
	/* no override: nothing either way */
	assert_int_equal(plan__swaps(sc, &sc->topology, &o, &s), 0);
	assert_int_equal(s.swapped + s.kept, 0);
	/* pairs: a and d swapped, c (3 workers) kept, b and the spawn not counted */
	o.work_type_override = WORK_PIPE_IO;
	assert_int_equal(plan__swaps(sc, &sc->topology, &o, &s), 0);
	assert_int_equal(s.swapped, 2);
	assert_int_equal(s.kept, 1);
	/* the plan agrees: a and d run pipe-io, c keeps mixed */
	assert_int_equal(write_plan(f, sc, &o), 0);
	snprintf(line, sizeof(line), "\nwork %d 2 normal", WORK_PIPE_IO);
	assert_non_null(strstr(f->text, line));
	assert_non_null(strstr(strstr(f->text, line) + 1, line));
	snprintf(line, sizeof(line), "\nwork %d 3 normal", WORK_MIXED);
	assert_non_null(strstr(f->text, line));
	/* --workers 3: no group with the default count pairs up either */
	o.workers = 3;
	assert_int_equal(plan__swaps(sc, &sc->topology, &o, &s), 0);
	assert_int_equal(s.swapped, 0);
	assert_int_equal(s.kept, 3);
	/* ungrouped: all three */
	o.workers = 0;
	o.work_type_override = WORK_CPU_SPIN;
	assert_int_equal(plan__swaps(sc, &sc->topology, &o, &s), 0);
	assert_int_equal(s.swapped, 3);
	assert_int_equal(s.kept, 0);
}

static void test_workers_override_group_error(void **state)
{
	struct fx *f = *state;
	struct plan_opts o = PLAN_OPTS_DEFAULT;
	const struct scenario *sc;

	o.workers = 3;
	sc = load(f, "name: g\ncgroups: [{name: a, work: pipe-io}]\n");
	assert_int_equal(write_plan(f, sc, &o), -EINVAL);
	assert_string_equal(f->err, "cgroup 'a': pipe-io requires workers divisible by 2, got 3");
}

static void test_cpuset_error(void **state)
{
	struct fx *f = *state;
	const struct scenario *sc;
	struct topology small = { 1, 1, 2, 1 };

	sc = load(f, "name: e\ntopology: 1n2l2c1t\ncgroups: [{name: a, cpuset: {llc: 1}}]\n");
	assert_int_equal(plan__write(sc, &small, NULL, stdout, f->err, sizeof(f->err)), -EINVAL);
	assert_string_equal(f->err,
			    "cgroup 'a': CpusetSpec validation failed: Llc(1) out of range: "
			    "topology has 1 LLCs");
}

/* Counts: the plan holds the numbers and the names of the topology it is written for. */
static const char counts_yaml[] =
	"name: n\n"
	"topology: 1n2l4c1t\n"
	"workers: \"llcs\"\n"
	"cgroups:\n"
	"  - {name: \"cg_{i}\", repeat: \"min(usable, 3)\", cpuset: {cpus: \"{i}\"}, workers: 1}\n"
	"  - {name: \"l{i}\", repeat: llcs, cpuset: {llc: \"{i}\"},\n"
	"     works: [{type: pipe-io, workers: \"2*llc_cpus\"}, cpu-spin]}\n"
	"steps:\n"
	"  - cgroups: [{name: \"s{i}\", repeat: nodes, cpuset: {disjoint: \"{i}/{n}\"}}]\n"
	"    ops:\n"
	"      - spawn: {cgroup: cg_2, workers: \"usable-1\"}\n"
	"      - spawn_host: {workers: \"cores/2\"}\n";

static void test_counts(void **state)
{
	struct fx *f = *state;
	const struct plan_section *b = &f->p.backdrop, *s;
	const struct scenario *sc;
	FILE *m;

	/* 1n2l4c1t: cpus 8, usable 7, llcs 2, nodes 1, cores 8, llc_cpus 4. */
	round_trip(f, counts_yaml, NULL);
	assert_int_equal(f->p.workers, 2);
	assert_int_equal(b->ncgroups, 5);
	assert_string_equal(b->cgroups[0].name, "cg_0");
	assert_cpus(&b->cgroups[0].cpus, "0");
	assert_string_equal(b->cgroups[2].name, "cg_2");
	assert_cpus(&b->cgroups[2].cpus, "2");
	assert_int_equal(b->cgroups[2].works[0].workers, 1);
	assert_string_equal(b->cgroups[3].name, "l0");
	assert_cpus(&b->cgroups[3].cpus, "0-3");
	assert_string_equal(b->cgroups[4].name, "l1");
	assert_cpus(&b->cgroups[4].cpus, "4-7");
	assert_int_equal(b->cgroups[4].works[0].type, WORK_PIPE_IO);
	assert_int_equal(b->cgroups[4].works[0].workers, 8);
	assert_int_equal(b->cgroups[4].works[1].workers, 2);	/* the default, llcs */
	s = &f->p.steps[0];
	assert_int_equal(s->ncgroups, 1);
	assert_string_equal(s->cgroups[0].name, "s0");
	assert_cpus(&s->cgroups[0].cpus, "0-6");
	assert_string_equal(s->ops[0].cgroup, "cg_2");
	assert_int_equal(s->ops[0].work.workers, 6);
	assert_int_equal(s->ops[1].work.workers, 4);
	assert_non_null(strstr(f->text, "\ncgroup =cg_1 1\nwork 0 1 "));

	/* The same scenario written for tiny-1llc (1n1l4c1t: usable 3, one LLC). */
	plan__free(&f->p);
	sc = f->set.items[0];
	free(f->text);
	f->text = NULL;
	m = open_memstream(&f->text, &f->len);
	assert_non_null(m);
	assert_int_equal(plan__write(sc, &(struct topology){ 1, 1, 4, 1 }, NULL, m, f->err,
				     sizeof(f->err)), 0);
	fclose(m);
	assert_int_equal(plan__parse(f->text, f->len, &f->p, f->err, sizeof(f->err)), 0);
	assert_int_equal(f->p.workers, 1);
	assert_int_equal(b->ncgroups, 4);
	assert_string_equal(b->cgroups[3].name, "l0");
	assert_int_equal(b->cgroups[3].works[1].workers, 1);
	assert_int_equal(f->p.steps[0].ops[0].work.workers, 2);

	/* A count below 1 on the given topology: the writer says where. */
	assert_int_equal(plan__write(sc, &(struct topology){ 1, 1, 1, 1 }, NULL, stdout, f->err,
				     sizeof(f->err)), -EINVAL);
	assert_string_equal(f->err, "t.yaml:11:40: 'workers': count expression 'usable-1' is 0 on "
				    "1n1l1c1t; a count must be at least 1");
}

/* Every prefix of a valid plan is rejected (no 'end'), none crashes. */
static void test_every_prefix(void **state)
{
	struct fx *f = *state;
	struct plan p;

	round_trip(f, full_yaml, NULL);
	for (size_t n = 0; n < f->len; n++) {
		int ret = plan__parse(f->text, n, &p, f->err, sizeof(f->err));

		if (!ret)
			fail_msg("a plan cut at byte %zu of %zu parsed", n, f->len);
	}
}

static const char hdr[] =
	"ktstr-plan 1\nname =t\nduration 1000\nworkers 1\nncpus 4\nscheduler -\nbackdrop\n";
static const char spin[] = "work 0 1 normal 0 - inherit - default 0x0 0 0 0 0 0\n";

static void expect_bad(const char *body, const char *want)
{
	char text[4096], err[512];
	struct plan p;

	snprintf(text, sizeof(text), "%s", body);
	if (!plan__parse(text, strlen(text), &p, err, sizeof(err))) {
		plan__free(&p);
		fail_msg("accepted: %s", body);
	}
	if (!strstr(err, want))
		fail_msg("for %.200s: got '%s', want '%s'", body, err, want);
}

static void expect_bad_body(const char *body, const char *want)
{
	char text[4096];

	snprintf(text, sizeof(text), "%s%s", hdr, body);
	expect_bad(text, want);
}

static void test_minimal_ok(void **state)
{
	struct fx *f = *state;
	char text[1024];

	snprintf(text, sizeof(text), "%scgroup =a 0-3\n%send\n", hdr, spin);
	if (plan__parse(text, strlen(text), &f->p, f->err, sizeof(f->err)))
		fail_msg("%s", f->err);
	assert_int_equal(f->p.backdrop.ncgroups, 1);
	assert_cpus(&f->p.backdrop.cgroups[0].cpus, "0-3");
}

static void test_rejects(void **state)
{
	char big[PLAN_MAX_LINE + 64];

	(void)state;
	expect_bad("", "no 'end' line");
	expect_bad("ktstr-plan 3\nend\n", "plan version 3; this agent reads versions 1 to 2");
	expect_bad("ktstr-plan 0\nend\n", "plan version 0; this agent reads versions 1 to 2");
	expect_bad("ktstr-plan 02\nend\n", "plan version 02;");
	expect_bad("hello\n", "not a ktstr plan");
	expect_bad("ktstr-plan 1\nend", "the last line has no newline");
	expect_bad("ktstr-plan 1\nname =a\x01\n", "line 2: a control character");
	expect_bad("ktstr-plan 1\nname  =a\n", "an empty field");
	expect_bad("ktstr-plan 1\nname =a \n", "an empty field");
	expect_bad("ktstr-plan 1\nnope 1\n", "unknown record 'nope'");
	expect_bad("ktstr-plan 1\nduration 99999999999999999999999\n", "bad number");
	expect_bad("ktstr-plan 1\nduration -1\n", "bad number");
	expect_bad("ktstr-plan 1\nduration 0\n", "a duration of 0");
	expect_bad("ktstr-plan 1\nncpus 257\n", "out of range");
	expect_bad("ktstr-plan 1\nname a\n", "expected a string");
	expect_bad("ktstr-plan 1\nname =%4\n", "bad percent escape");
	expect_bad("ktstr-plan 1\nname =%zz\n", "bad percent escape");
	expect_bad("ktstr-plan 1\nname =%00\n", "bad percent escape");
	expect_bad("ktstr-plan 1\nbackdrop\n", "'backdrop' before 'duration' and 'ncpus'");
	expect_bad("ktstr-plan 1\ncpu 0 0 0\n", "'cpu' before 'ncpus'");
	expect_bad("ktstr-plan 1\nncpus 2\ncpu 2 0 0\n", "out of range");
	expect_bad_body("cgroup =a -\nend\n", "cgroup 'a' without a work");
	expect_bad_body("cgroup =../x -\n", "bad cgroup name");
	expect_bad_body("cgroup =a//b -\n", "bad cgroup name");
	expect_bad_body("cgroup =/a -\n", "bad cgroup name");
	expect_bad_body("cgroup =a%0Ab -\n", "bad cgroup name");
	expect_bad_body("cgroup =a 0-4\n", "bad CPU list '0-4' (4 CPUs)");
	expect_bad_body("cgroup =a 3-1\n", "bad CPU list");
	expect_bad_body("cgroup =a 1,\n", "bad CPU list");
	expect_bad_body(spin, "'work' without a cgroup or spawn op");
	expect_bad_body("cgroup =a -\nwork 20 1 normal 0 - inherit - default 0x0 0 0 0 0 0\n",
			"out of range");
	expect_bad_body("cgroup =a -\nwork 0 0 normal 0 - inherit - default 0x0 0 0 0 0 0\n",
			"at least 1 worker");
	expect_bad_body("cgroup =a -\nwork 0 1 weird 0 - inherit - default 0x0 0 0 0 0 0\n",
			"unknown policy 'weird'");
	expect_bad_body("cgroup =a -\nwork 0 1 normal 0 -21 inherit - default 0x0 0 0 0 0 0\n",
			"out of range");
	expect_bad_body("cgroup =a -\nwork 0 1 normal 0 - cpus - default 0x0 0 0 0 0 0\n",
			"a CPU list is required");
	expect_bad_body("cgroup =a -\nwork 0 1 normal 0 - inherit - default 3 0 0 0 0 0\n",
			"expected a hex mask");
	expect_bad_body("cgroup =a -\nwork 0 1 normal 0 - inherit - default 0x0 0 0 0 0\n",
			"'work' takes 14 arguments, got 13");
	expect_bad_body("cgroup =a -\nwork 12 1 normal 0 - inherit - default 0x0 0 0 0 0 0\nend\n",
			"sequence work without phases");
	expect_bad_body("cgroup =a -\nwork 19 1 normal 0 - inherit - default 0x0 0 0 0 0 0\nend\n",
			"exec work without its argv");
	expect_bad_body("cgroup =a -\n" "work 0 1 normal 0 - inherit - default 0x0 0 0 0 0 0\n"
			"phase spin 1\n", "'phase' not after a sequence work");
	expect_bad_body("op spawn =a\nend\n", "op spawn without its work");
	expect_bad_body("op run =p -\nend\n", "op run without its argv");
	expect_bad_body("op run =p - x\n", "op run takes 2 arguments, got 3");
	expect_bad_body("op frob\n", "unknown op 'frob'");
	expect_bad_body("op set_cpuset =a -\n", "a CPU list is required");
	expect_bad_body("op wait =\n", "bad program name");
	expect_bad_body("op move_tasks =a =b 0\n", "op move_tasks moves at least 1 task");
	expect_bad_body("op move_tasks =a =b 1000001\n", "out of range");
	expect_bad_body("op move_tasks =a =b\n", "op move_tasks takes 3 arguments, got 2");
	expect_bad_body("op move_tasks =a =../b 1\n", "bad cgroup name");
	expect_bad_body("op restart_scheduler\n", "op restart_scheduler takes 1 arguments, got 0");
	expect_bad_body("op restart_scheduler =1\n", "bad number");
	expect_bad_body("op restart_scheduler 86400000000001\n", "out of range");
	expect_bad_body("step loop 0\n", "a loop interval of 0");
	expect_bad_body("step loop 5\nstep hold 5\n", "a step after a loop step");
	expect_bad_body("step pause 5\n", "a step holds 'hold' or 'loop'");
	expect_bad_body("end\nend\n", "a record after 'end'");
	expect_bad_body("backdrop\n", "a second 'backdrop'");
	expect_bad_body("name =x\n", "'name' after 'backdrop'");

	memset(big, 'a', sizeof(big));
	memcpy(big, "ktstr-plan 1\nname =", 19);
	big[sizeof(big) - 1] = '\n';
	{
		char err[256];
		struct plan p;

		assert_int_equal(plan__parse(big, sizeof(big), &p, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, "plan line 2: line longer than 65536 bytes");
	}
}

static void test_limits(void **state)
{
	size_t cap = 1 << 20, n;
	char *text = malloc(cap), err[256];
	struct plan p;
	int ret;

	(void)state;
	assert_non_null(text);
	n = (size_t)snprintf(text, cap, "%s", hdr);
	for (int i = 0; i <= PLAN_MAX_CGROUPS; i++)
		n += (size_t)snprintf(text + n, cap - n, "cgroup =c%d -\n%s", i, spin);
	n += (size_t)snprintf(text + n, cap - n, "end\n");
	ret = plan__parse(text, n, &p, err, sizeof(err));
	assert_int_equal(ret, -EINVAL);
	assert_non_null(strstr(err, "too many cgroups in a section (at most 256)"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_backdrop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_new_ops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overrides, setup, teardown),
		cmocka_unit_test_setup_teardown(test_swaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workers_override_group_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpuset_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_minimal_ok, setup, teardown),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

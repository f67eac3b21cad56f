// SPDX-License-Identifier: GPL-2.0
/*
 * Counts relative to the topology (ktstr-scenario(5), COUNTS): worker
 * counts and `repeat` as integers or count expressions, from the loader's
 * model and its errors (FILE:LINE:COLUMN), through the instance on a
 * topology (scenario_inst.h), to validation on the scenario's own topology,
 * the gauntlet's fits check, its expansion and its budget bits.
 */
#include "validate_fx.h"

#include <errno.h>

#include "gauntlet/budget.h"
#include "gauntlet/gauntlet.h"
#include "scenario/count_expr.h"
#include "scenario/scenario_inst.h"
#include "topo/cpuset_spec.h"

/* Load @yaml as t.yaml: the rendered diagnostics must be exactly @want. */
static void load_errs(struct fx *f, const char *yaml, const char *want)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m;

	assert_true(scenario__load_buffer(&f->set, "t.yaml", yaml, strlen(yaml), &f->d) > 0);
	m = open_memstream(&out, &len);
	assert_non_null(m);
	diag__print(&f->d, m);
	fclose(m);
	if (strcmp(out, want))
		fprintf(stderr, "got:\n%s", out);
	assert_string_equal(out, want);
	free(out);
	diag__free(&f->d);
}

/* ---- the model ---- */

static const char forms_yaml[] =
	"name: c\n"
	"topology: 1n2l4c1t\n"
	"workers: \"usable/2\"\n"
	"cgroups:\n"
	"  - {name: a, workers: 3}\n"
	"  - {name: b, workers: \"4\"}\n"
	"  - {name: c, workers: \"2*3\"}\n"
	"  - name: \"cg_{i}\"\n"
	"    repeat: \"min(usable, 64)\"\n"
	"    cpuset: {cpus: \"{i}\"}\n"
	"    works:\n"
	"      - {type: cpu-spin, workers: llc_cpus}\n"
	"      - {type: bursty}\n"
	"  - {name: \"d{i}\", repeat: 2, cpuset: {disjoint: \"{i}/{n}\"}}\n"
	"steps:\n"
	"  - ops:\n"
	"      - spawn: {cgroup: a, workers: \"cores\"}\n"
	"      - spawn_host: {workers: \"nodes+1\"}\n"
	"      - stop_cgroup: cg_6\n"
	"      - stop_cgroup: d1\n";

static void test_model(void **state)
{
	struct fx *f = *state;
	const struct scenario *sc;
	const struct cgroup_def *cg;

	load(f, "t.yaml", forms_yaml);
	sc = f->set.items[0];
	assert_non_null(sc->workers_expr);
	assert_string_equal(sc->workers_expr->text, "usable/2");
	assert_int_equal(sc->workers_loc.line, 3);
	assert_int_equal(sc->workers_loc.col, 10);
	/* Integers, quoted or not, and constant expressions are plain numbers. */
	assert_int_equal(sc->cgroups[0].works[0].workers, 3);
	assert_null(sc->cgroups[0].works[0].workers_expr);
	assert_int_equal(sc->cgroups[1].works[0].workers, 4);
	assert_null(sc->cgroups[1].works[0].workers_expr);
	assert_int_equal(sc->cgroups[2].works[0].workers, 6);
	assert_null(sc->cgroups[2].works[0].workers_expr);
	assert_null(sc->cgroups[2].repeat);
	cg = &sc->cgroups[3];
	assert_string_equal(cg->name, "cg_{i}");
	assert_non_null(cg->repeat);
	assert_string_equal(cg->repeat->text, "min(usable, 64)");
	assert_int_equal(cg->repeat_loc.line, 9);
	assert_int_equal(cg->repeat_loc.col, 13);
	assert_true(cg->has_cpuset);
	assert_int_equal(cg->cpuset.kind, CPUSET_EXACT);
	assert_string_equal(cg->cpuset_tmpl, "{i}");
	assert_string_equal(cg->works[0].workers_expr->text, "llc_cpus");
	assert_int_equal(cg->works[0].workers, 0);
	assert_null(cg->works[1].workers_expr);
	cg = &sc->cgroups[4];
	assert_int_equal(cg->repeat->vars, 0);		/* repeat: 2 */
	assert_string_equal(cg->repeat->text, "2");
	assert_int_equal(cg->cpuset.kind, CPUSET_DISJOINT);
	assert_string_equal(cg->cpuset_tmpl, "{i}/{n}");
	assert_string_equal(sc->steps[0].ops[0].work.workers_expr->text, "cores");
	assert_string_equal(sc->steps[0].ops[1].work.workers_expr->text, "nodes+1");
	assert_true(scenario__has_counts(sc));
}

/* ---- the instance ---- */

static void test_instance(void **state)
{
	struct fx *f = *state;
	const struct scenario *sc, *in_sc;
	struct scenario_inst in;
	char name[16];

	load(f, "t.yaml", forms_yaml);
	assert_valid(f);
	sc = f->set.items[0];
	/* 1n2l4c1t: cpus 8, usable 7, llcs 2, nodes 1, cores 8, llc_cpus 4. */
	assert_int_equal(scenario_inst__init(&in, sc, &sc->topology), 0);
	in_sc = in.sc;
	assert_ptr_not_equal(in_sc, sc);
	assert_false(scenario__has_counts(in_sc));
	assert_int_equal(in_sc->workers, 3);		/* usable/2 = 7/2 */
	assert_int_equal(in_sc->ncgroups, 3 + 7 + 2);
	for (uint32_t i = 0; i < 7; i++) {
		const struct cgroup_def *cg = &in_sc->cgroups[3 + i];

		snprintf(name, sizeof(name), "cg_%u", i);
		assert_string_equal(cg->name, name);
		assert_int_equal(cpuset__count(&cg->cpuset.cpus), 1);
		assert_true(cpuset__test(&cg->cpuset.cpus, i));
		assert_int_equal(cg->works[0].workers, 4);	/* llc_cpus */
		assert_int_equal(cg->works[1].workers, 0);	/* the default */
		assert_null(cg->repeat);
		assert_null(cg->cpuset_tmpl);
	}
	assert_string_equal(in_sc->cgroups[10].name, "d0");
	assert_int_equal(in_sc->cgroups[10].cpuset.index, 0);
	assert_int_equal(in_sc->cgroups[10].cpuset.of, 2);
	assert_string_equal(in_sc->cgroups[11].name, "d1");
	assert_int_equal(in_sc->cgroups[11].cpuset.index, 1);
	assert_int_equal(in_sc->cgroups[11].cpuset.of, 2);
	assert_int_equal(in_sc->steps[0].ops[0].work.workers, 8);	/* cores */
	assert_int_equal(in_sc->steps[0].ops[1].work.workers, 2);	/* nodes+1 */
	/* The template is untouched. */
	assert_int_equal(sc->ncgroups, 5);
	assert_string_equal(sc->cgroups[3].name, "cg_{i}");
	assert_int_equal(sc->steps[0].ops[0].work.workers, 0);
	scenario_inst__free(&in);

	/* Another topology, other numbers: 2n4l3c2t has 24 CPUs, 23 usable. */
	assert_int_equal(scenario_inst__init(&in, sc, &(struct topology){ 2, 4, 3, 2 }), 0);
	assert_int_equal(in.sc->workers, 11);
	assert_int_equal(in.sc->ncgroups, 3 + 23 + 2);
	assert_string_equal(in.sc->cgroups[3 + 22].name, "cg_22");
	assert_int_equal(in.sc->cgroups[3].works[0].workers, 6);
	scenario_inst__free(&in);
}

static void test_instance_of_plain_scenario(void **state)
{
	struct fx *f = *state;
	struct scenario_inst in;

	load(f, "p.yaml", "name: p\ncgroups: [{name: a, workers: 3}]\n");
	assert_valid(f);
	assert_false(scenario__has_counts(f->set.items[0]));
	assert_int_equal(scenario_inst__init(&in, f->set.items[0], &f->set.items[0]->topology), 0);
	assert_ptr_equal(in.sc, f->set.items[0]);	/* nothing copied */
	scenario_inst__free(&in);
}

static void test_template_subst(void **state)
{
	struct cpuset_spec spec = { .kind = CPUSET_OVERLAP, .frac = 0.5 };
	char out[32], err[160];

	(void)state;
	assert_int_equal(scenario_tmpl__subst("cg_{i}_of_{n}", 7, 12, out, sizeof(out), err,
					      sizeof(err)), 0);
	assert_string_equal(out, "cg_7_of_12");
	assert_int_equal(scenario_tmpl__subst("a{x}", 0, 1, out, sizeof(out), err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "unknown placeholder '{x}' (use {i} or {n})");
	assert_int_equal(scenario_tmpl__subst("a{i", 0, 1, out, sizeof(out), err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(scenario_tmpl__subst("abcdef{i}", 123, 1, out, 8, err, sizeof(err)),
			 -ENAMETOOLONG);
	assert_int_equal(scenario_tmpl__cpuset(&spec, "{i}/{n}", 3, 4, err, sizeof(err)), 0);
	assert_int_equal(spec.index, 3);
	assert_int_equal(spec.of, 4);
	assert_true(spec.frac == 0.5);	/* kept */
	spec.kind = CPUSET_EXACT;
	assert_int_equal(scenario_tmpl__cpuset(&spec, "{i},{n}", 1, 5, err, sizeof(err)), 0);
	assert_int_equal(cpuset__count(&spec.cpus), 2);
	assert_true(cpuset__test(&spec.cpus, 1) && cpuset__test(&spec.cpus, 5));
	spec.kind = CPUSET_NUMA;
	assert_int_equal(scenario_tmpl__cpuset(&spec, "{i}", 64, 65, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "'numa': '64' (from '{i}') is not an index from 0 to 63");
}

/* ---- the loader's errors ---- */

static void test_load_errors(void **state)
{
	struct fx *f = *state;
	char cpus_err[128], want[4096];
	struct cpuset junk;

	cpus_err[0] = '\0';
	assert_int_not_equal(cpuset__parse("0-x", &junk, cpus_err, sizeof(cpus_err)), 0);
	snprintf(want, sizeof(want),
		 "t.yaml:2:13: 'workers': expected a number, a variable or '(', found the end in count expression '2*'\n"
		 "t.yaml:4:25: 'workers': unknown variable 'cpu' in count expression 'cpu/2'; did you mean 'cpus'?\n"
		 "t.yaml:5:58: 'workers': expected a number, a variable or '(', found '*' in count expression 'usable +* 2'\n"
		 "t.yaml:6:24: 'workers': count expression '0*5' is 0; it must be from 1 to 4096\n"
		 "t.yaml:7:24: 'workers' must be between 1 and 4096, got '5000'\n"
		 "t.yaml:8:24: 'workers': count expression '4096+1' is 4097; it must be from 1 to 4096\n"
		 "t.yaml:9:28: 'repeat' must be between 1 and 256, got '300'\n"
		 "t.yaml:10:28: 'repeat': count expression '1/0' divides by zero\n"
		 "t.yaml:11:45: 'llc': unknown placeholder '{j}' (use {i} or {n})\n"
		 "t.yaml:12:45: 'llc': write \"{i}\" in quotes; YAML reads a bare {i} as a map\n"
		 "t.yaml:13:50: 'disjoint': '0' (from '{i}') is not INDEX/COUNT with a COUNT above 0, e.g. \"{i}/{n}\"\n"
		 "t.yaml:14:46: 'cpus': '0-x' (from '{i}-x'): %s\n"
		 "t.yaml:15:12: bad cgroup name 'o{i}/..': use letters, digits, '_', '.', '-' and {i}, nested with '/' (e.g. cg_{i} or parent/cg_{i})\n"
		 "t.yaml:16:23: {i} and {n} in a cpuset need 'repeat' on the cgroup, e.g. repeat: \"usable\"\n"
		 "t.yaml:17:12: a cgroup with 'repeat' needs {i} in its name, e.g. \"cg_{i}\", got 'r'\n"
		 "t.yaml:18:12: {i} and {n} in a cgroup name need 'repeat' on the cgroup, e.g. repeat: \"usable\"\n"
		 "t.yaml:21:46: 'workers': expected ',' between the two arguments of min(a, b), found ')' in count expression 'min(cpus)'\n",
		 cpus_err);
	load_errs(f,
		  "name: e\n"
		  "workers: \"2*\"\n"
		  "cgroups:\n"
		  "  - {name: a, workers: \"cpu/2\"}\n"
		  "  - {name: b, works: [{type: cpu-spin, workers: \"usable +* 2\"}]}\n"
		  "  - {name: c, workers: 0*5}\n"
		  "  - {name: d, workers: \"5000\"}\n"
		  "  - {name: e, workers: \"4096+1\"}\n"
		  "  - {name: \"f{i}\", repeat: \"300\"}\n"
		  "  - {name: \"g{i}\", repeat: \"1/0\"}\n"
		  "  - {name: \"h{i}\", repeat: 2, cpuset: {llc: \"{j}\"}}\n"
		  "  - {name: \"q{i}\", repeat: 2, cpuset: {llc: {i}}}\n"
		  "  - {name: \"m{i}\", repeat: 2, cpuset: {disjoint: \"{i}\"}}\n"
		  "  - {name: \"n{i}\", repeat: 2, cpuset: {cpus: \"{i}-x\"}}\n"
		  "  - {name: \"o{i}/..\", repeat: 2}\n"
		  "  - {name: p, cpuset: {numa: \"{i}\"}}\n"
		  "  - {name: r, repeat: 2}\n"
		  "  - {name: \"s{i}\"}\n"
		  "steps:\n"
		  "  - ops:\n"
		  "      - spawn: {cgroup: a, workers: \"min(cpus)\"}\n",
		  want);
}

/* ---- validation on the scenario's own topology ---- */

static void test_validate_own_topology(void **state)
{
	struct fx *f = *state;
	struct cpuset_spec llc2 = { .kind = CPUSET_LLC, .index = 2 };
	struct cpuset junk;
	char rerr[256], want[512];

	load(f, "v.yaml",
	     "name: v1\ntopology: 1n1l2c1t\ncgroups:\n"
	     "  - {name: \"cg_{i}\", repeat: \"usable-2\"}\n");
	load(f, "v.yaml",
	     "name: v2\ntopology: 1n1l2c1t\ncgroups:\n"
	     "  - {name: a, workers: \"cpus/(llcs-1)\"}\n");
	load(f, "v.yaml",
	     "name: v3\ntopology: 1n1l2c1t\nworkers: \"cpus*3000\"\ncgroups: [{name: a}]\n");
	load(f, "v.yaml",
	     "name: v4\ntopology: 1n1l2c1t\ncgroups:\n"
	     "  - {name: p, work: pipe-io, workers: \"usable+1\"}\n"
	     "  - {name: q, work: pipe-io, workers: \"usable\"}\n");
	load(f, "v.yaml",
	     "name: v5\ntopology: 1n2l2c1t\ncgroups:\n"
	     "  - {name: \"cg_{i}\", repeat: llcs}\n"
	     "steps:\n"
	     "  - ops:\n"
	     "      - stop_cgroup: cg_1\n"
	     "      - stop_cgroup: cg_2\n");
	load(f, "v.yaml",
	     "name: v6\ntopology: 1n2l2c1t\ncgroups:\n"
	     "  - {name: \"x{i}\", repeat: 2}\n"
	     "  - {name: x1}\n"
	     "  - {name: \"l{i}\", repeat: \"llcs+1\", cpuset: {llc: \"{i}\"}}\n");
	load(f, "v.yaml",
	     "name: v7\ntopology: 1n1l2c1t\ncgroups:\n"
	     "  - {name: \"a{i}\", repeat: \"cpus*200\"}\n");
	load(f, "v.yaml",
	     "name: v8\ntopology: 1n1l2c1t\nsteps:\n"
	     "  - cgroups:\n"
	     "      - {name: \"a{i}\", repeat: \"cpus*100\"}\n"
	     "      - {name: \"b{i}\", repeat: \"cpus*100\"}\n");
	assert_int_equal(validate(f), 9);	/* v6 has two */
	assert_diag(f, "v.yaml:4:30: 'repeat': count expression 'usable-2' is 0 on 1n1l2c1t; a "
		       "count must be at least 1");
	assert_diag(f, "v.yaml:4:24: 'workers': count expression 'cpus/(llcs-1)' divides by zero "
		       "on 1n1l2c1t");
	assert_diag(f, "v.yaml:3:10: 'workers': count expression 'cpus*3000' is 6000 on 1n1l2c1t; "
		       "at most 4096 workers in a work group");
	/* The group-size check sees the evaluated count (3, not the text). */
	assert_diag(f, "v.yaml:4:21: work 'pipe-io' needs workers in groups of 2, got 3");
	/* Ops name the expanded cgroups. */
	assert_diag(f, "v.yaml:8:9: op 'stop_cgroup' names cgroup 'cg_2', which does not exist at "
		       "step 1; live cgroups: cg_0, cg_1");
	assert_diag(f, "v.yaml:5:5: cgroup 'x1' already exists (defined at v.yaml:4:5)");
	rerr[0] = '\0';
	assert_int_not_equal(cpuset_spec__resolve(&llc2, &(struct topology){ 1, 2, 2, 1 }, &junk,
						  rerr, sizeof(rerr)), 0);
	snprintf(want, sizeof(want), "v.yaml:6:46: cgroup 'l2': %s", rerr);
	assert_diag(f, want);
	assert_diag(f, "v.yaml:4:28: 'repeat': count expression 'cpus*200' is 400 on 1n1l2c1t; at "
		       "most 256 cgroups in a step or the backdrop");
	assert_diag(f, "v.yaml:6:32: step 1 has more than 256 cgroups on 1n1l2c1t (the plan's "
		       "limit)");
}

/* ---- another topology: the gauntlet ---- */

static const char fits_yaml[] =
	"name: f\n"
	"topology: 1n2l2c1t\n"
	"cgroups:\n"
	"  - {name: \"s_{i}\", repeat: llcs, cpuset: {llc: \"{i}\"}, workers: llc_cpus}\n"
	"  - {name: w, workers: \"usable-2\"}\n"
	"steps:\n"
	"  - ops:\n"
	"      - stop_cgroup: s_1\n"
	"gauntlet: {presets: [tiny-1llc, tiny-2llc, odd-3llc, smt-2llc]}\n";

static void test_fits_topology(void **state)
{
	struct fx *f = *state;
	const struct topo_preset *tiny1 = topo_preset__find("tiny-1llc");
	const struct topo_preset *odd3 = topo_preset__find("odd-3llc");
	const struct scenario *sc;
	char why[512];

	load(f, "f.yaml", fits_yaml);
	assert_valid(f);
	sc = f->set.items[0];
	/* One LLC: no s_1 for the op to stop, a problem of that topology. */
	assert_int_equal(scenario__fits_topology(sc, &tiny1->topo, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "op 'stop_cgroup' names cgroup 's_1', which does not exist at "
				 "step 1; live cgroups: s_0, w");
	assert_int_equal(scenario__fits_topology(sc, &odd3->topo, why, sizeof(why)), 0);
	assert_int_equal(scenario__fits_topology(sc, &(struct topology){ 1, 2, 1, 1 }, why,
						 sizeof(why)), -EINVAL);
	assert_string_equal(why, "'workers': count expression 'usable-2' is 0 on 1n2l1c1t; a "
				 "count must be at least 1");
}

static void test_gauntlet(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = { .host = { .unlimited = true } };
	struct variant_list vl = { 0 };
	char err[256];

	load(f, "f.yaml", fits_yaml);
	assert_valid(f);
	assert_int_equal(gauntlet__expand(&f->set, &o, &vl, err, sizeof(err)), 0);
	/* tiny-1llc dropped (one LLC); the others make s_0..s_(llcs-1). */
	assert_int_equal(vl.n, 3);
	assert_string_equal(vl.items[0].name, "f/tiny-2llc/default");
	assert_string_equal(vl.items[1].name, "f/odd-3llc/default");
	assert_string_equal(vl.items[2].name, "f/smt-2llc/default");
	variant_list__free(&vl);
}

static void test_budget_sees_counts(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = { .host = { .unlimited = true } };
	struct variant_list vl = { 0 };
	const unsigned b_workers = 37;	/* B_WORKERS of budget.c: some group has > 2 */
	char err[256];

	load(f, "b.yaml",
	     "name: b\ncgroups: [{name: a, workers: \"max(1, usable/4)\"}]\n"
	     "gauntlet: {presets: [tiny-1llc, medium-4llc-nosmt]}\n");
	assert_valid(f);
	assert_int_equal(gauntlet__expand(&f->set, &o, &vl, err, sizeof(err)), 0);
	assert_int_equal(vl.n, 2);
	/* 3 usable CPUs: 1 worker; 31: 7 workers. */
	assert_false((budget__variant_bits(&vl.items[0], NULL) >> b_workers) & 1);
	assert_true((budget__variant_bits(&vl.items[1], NULL) >> b_workers) & 1);
	variant_list__free(&vl);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_model),
		T(test_instance),
		T(test_instance_of_plain_scenario),
		T(test_template_subst),
		T(test_load_errors),
		T(test_validate_own_topology),
		T(test_fits_topology),
		T(test_gauntlet),
		T(test_budget_sees_counts),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}

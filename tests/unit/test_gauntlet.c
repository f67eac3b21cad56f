// SPDX-License-Identifier: GPL-2.0
/*
 * Gauntlet expansion: counts, order, names, the preset, constraint, host
 * and fit filters, --flags, and sharding.
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

#include "gauntlet/gauntlet.h"
#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"

struct fx {
	struct scenario_set set;
	struct diag_list d;
	struct variant_list vl;
	char err[1024];
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

	variant_list__free(&f->vl);
	diag__free(&f->d);
	scenario_set__free(&f->set);
	free(f);
	return 0;
}

/* The loader wants every scenario to run something. */
#define CG "cgroups: [{name: cg0}]\n"

static const char scx_ktstr[] =
	"name: scx-ktstr\n"
	"binary: scx_ktstr\n"
	"flags: [llc, borrow, steal, rebal, reject-pin, no-ctrl]\n";

static void load_scheds(struct fx *f)
{
	if (sched_defs__load_buffer(&f->set, "scheds.yaml", scx_ktstr, strlen(scx_ktstr), &f->d)) {
		diag__print(&f->d, stderr);
		fail_msg("scheds.yaml did not load");
	}
}

/* Load and validate; every test set is valid. */
static void load(struct fx *f, const char *name, const char *yaml)
{
	if (scenario__load_buffer(&f->set, name, yaml, strlen(yaml), &f->d)) {
		diag__print(&f->d, stderr);
		fail_msg("%s did not load", name);
	}
}

static void validate(struct fx *f)
{
	if (scenario_set__validate(&f->set, &f->d)) {
		diag__print(&f->d, stderr);
		fail_msg("the set is not valid");
	}
}

static struct gauntlet_opts unlimited(void)
{
	return (struct gauntlet_opts){
				       .host = { .unlimited = true } };
}

static int expand(struct fx *f, const struct gauntlet_opts *o)
{
	return gauntlet__expand(&f->set, o, &f->vl, f->err, sizeof(f->err));
}

static size_t default_presets(void)
{
	size_t n, count = 0;
	const struct topo_preset *p = topo_presets(&n);
	struct topo_constraints c = TOPO_CONSTRAINTS_DEFAULT;

	for (size_t i = 0; i < n; i++)
		count += topo_constraints__accept(&c, &p[i].topo);
	return count;
}

static void test_eevdf_default(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();
	size_t n;
	const struct topo_preset *tab = topo_presets(&n);

	load(f, "a.yaml", "name: steady\n" CG);
	validate(f);
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(default_presets(), 15);
	assert_int_equal(f->vl.n, 15);
	assert_int_equal(f->vl.filtered_host, 0);
	assert_string_equal(f->vl.items[0].name, "steady/tiny-1llc/default");
	assert_string_equal(f->vl.items[1].name, "steady/tiny-2llc/default");
	/* Table order, and only single-node presets of at most 12 LLCs and 192 CPUs. */
	for (size_t i = 0, k = 0; i < f->vl.n; i++) {
		while (f->vl.items[i].preset != &tab[k])
			k++;
		assert_ptr_equal(f->vl.items[i].scenario, f->set.items[0]);
		assert_int_equal(f->vl.items[i].profile, 0);
		assert_int_equal(f->vl.items[i].preset->topo.numa_nodes, 1);
		assert_true(f->vl.items[i].preset->topo.llcs <= 12);
		assert_true(topology__total_cpus(&f->vl.items[i].preset->topo) <= 192);
	}
}

/*
 * requires: presets that lack it are dropped from a full gauntlet, but a
 * preset named with --presets comes back as a skipped variant with the
 * reason; its max_numa default is lifted so multi-node presets qualify.
 */
static void test_requires_skip_named_presets(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();
	const char *const presets[] = { "tiny-1llc", "tiny-2llc", "numa2-4llc" };

	load(f, "a.yaml", "name: numa\ntopology: 2n2l2c1t\nrequires: {min_numa: 2}\n" CG);
	validate(f);
	assert_int_equal(expand(f, &o), 0);
	assert_true(f->vl.n >= 2);
	for (size_t i = 0; i < f->vl.n; i++) {
		assert_true(f->vl.items[i].preset->topo.numa_nodes >= 2);
		assert_string_equal(f->vl.items[i].skip, "");
	}
	o.presets = presets;
	o.npresets = 3;
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 3);
	assert_string_equal(f->vl.items[0].name, "numa/tiny-1llc/default");
	assert_string_equal(f->vl.items[0].skip, "needs >= 2 NUMA nodes (1n1l4c1t has 1)");
	assert_string_equal(f->vl.items[1].skip, "needs >= 2 NUMA nodes (1n2l2c1t has 1)");
	assert_string_equal(f->vl.items[2].name, "numa/numa2-4llc/default");
	assert_string_equal(f->vl.items[2].skip, "");
}

/* eevdf lacks the required built-in flags: one skipped variant per preset, named by them. */
static void test_builtin_flag_skip(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();
	const char *const presets[] = { "tiny-2llc" };
	const char *const flags[] = { "default" };

	load(f, "a.yaml", "name: b\nflags: {required: [borrow, rebal]}\n" CG);
	validate(f);
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, default_presets());
	assert_string_equal(f->vl.items[0].name, "b/tiny-1llc/borrow+rebal");
	assert_string_equal(f->vl.items[0].skip, "scheduler eevdf has no flag 'borrow'");
	/* --flags default still reports it, as a skip. */
	o.presets = presets;
	o.npresets = 1;
	o.flags = flags;
	o.nflags = 1;
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 1);
	assert_string_equal(f->vl.items[0].skip, "scheduler eevdf has no flag 'borrow'");
}

/* A scheduler that offers the flags runs the scenario: no skip. */
static void test_builtin_flag_offered(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();

	load_scheds(f);
	load(f, "a.yaml", "name: b\nscheduler: scx-ktstr\nflags: {required: [borrow, rebal]}\n" CG);
	validate(f);
	assert_int_equal(expand(f, &o), 0);
	assert_true(f->vl.n > 0);
	for (size_t i = 0; i < f->vl.n; i++)
		assert_string_equal(f->vl.items[i].skip, "");
}

static void test_builtin_flags_48(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();

	load_scheds(f);
	load(f, "a.yaml", "name: steady\n" CG "scheduler: scx-ktstr\n");
	validate(f);
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 15 * 48);
	assert_string_equal(f->vl.items[0].name, "steady/tiny-1llc/default");
	assert_string_equal(f->vl.items[1].name, "steady/tiny-1llc/llc");
	assert_string_equal(f->vl.items[4].name, "steady/tiny-1llc/llc+steal");
	assert_string_equal(f->vl.items[47].name,
			    "steady/tiny-1llc/llc+borrow+steal+rebal+reject-pin+no-ctrl");
	assert_string_equal(f->vl.items[48].name, "steady/tiny-2llc/default");
	for (size_t i = 1; i < f->vl.n; i++)
		assert_true(strcmp(f->vl.items[i - 1].name, f->vl.items[i].name) != 0);
}

static void test_required_excluded(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();

	load_scheds(f);
	load(f, "a.yaml",
	     "name: a\n" CG "scheduler: scx-ktstr\nflags: {required: [llc]}\n---\n"
	     "name: b\n" CG "scheduler: scx-ktstr\nflags: {required: [steal], excluded: [rebal]}\n---\n"
	     "name: c\n" CG "scheduler: scx-ktstr\nflags: {excluded: [llc]}\n");
	validate(f);
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 15 * (32 + 8 + 16));
	assert_string_equal(f->vl.items[0].name, "a/tiny-1llc/llc");
	assert_string_equal(f->vl.items[15 * 32].name, "b/tiny-1llc/llc+steal");
	assert_string_equal(f->vl.items[15 * 40].name, "c/tiny-1llc/default");
}

/* Sorted by scenario name, whatever the order of files and documents. */
static void test_sorted_by_name(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();
	struct fx g = { 0 };
	struct variant_list vl2 = { 0 };

	o.presets = (const char *const[]){ "tiny-2llc" };
	o.npresets = 1;
	load(f, "z.yaml", "name: zeta\n" CG "---\nname: alpha\n" CG);
	load(f, "m.yaml", "name: mid\n" CG);
	validate(f);
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 3);
	assert_string_equal(f->vl.items[0].name, "alpha/tiny-2llc/default");
	assert_string_equal(f->vl.items[1].name, "mid/tiny-2llc/default");
	assert_string_equal(f->vl.items[2].name, "zeta/tiny-2llc/default");

	scenario_set__init(&g.set);
	load(&g, "m.yaml", "name: mid\n" CG);
	load(&g, "z.yaml", "name: alpha\n" CG "---\nname: zeta\n" CG);
	validate(&g);
	assert_int_equal(gauntlet__expand(&g.set, &o, &vl2, g.err, sizeof(g.err)), 0);
	assert_int_equal(vl2.n, f->vl.n);
	for (size_t i = 0; i < vl2.n; i++)
		assert_string_equal(vl2.items[i].name, f->vl.items[i].name);
	variant_list__free(&vl2);
	diag__free(&g.d);
	scenario_set__free(&g.set);
}

static void test_duplicate_scenarios(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();

	load(f, "a.yaml", "name: x\n" CG);
	load(f, "b.yaml", "# the same again\nname: x\n" CG);
	/* Validation (and so `ktstr check`) refuses what the gauntlet would. */
	assert_int_equal(scenario_set__validate(&f->set, &f->d), 1);
	assert_string_equal(f->d.items[0].msg, "scenario name 'x' is already used at a.yaml:1; "
			    "names must be unique among the files given");
	/* And the expansion still does, should a caller skip validation. */
	assert_int_equal(expand(f, &o), -EINVAL);
	assert_string_equal(f->err, "scenario 'x' is defined twice: a.yaml:1 and b.yaml:2");
	assert_int_equal(f->vl.n, 0);
}

static void test_presets_option(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();

	load(f, "a.yaml", "name: a\n" CG);
	validate(f);
	/* Table order, not the order given; presets the constraints reject stay out. */
	o.presets = (const char *const[]){ "odd-3llc", "tiny-2llc", "numa2-4llc" };
	o.npresets = 3;
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 2);
	assert_string_equal(f->vl.items[0].name, "a/tiny-2llc/default");
	assert_string_equal(f->vl.items[1].name, "a/odd-3llc/default");

	o.presets = (const char *const[]){ "tiny-2llc", "tiny-3llc" };
	o.npresets = 2;
	assert_int_equal(expand(f, &o), -EINVAL);
	assert_string_equal(f->err, "unknown preset 'tiny-3llc'; did you mean 'tiny-1llc'?");
	assert_int_equal(f->vl.n, 0);

	o.presets = (const char *const[]){ "huge" };
	o.npresets = 1;
	assert_int_equal(expand(f, &o), -EINVAL);
	assert_non_null(strstr(f->err, "unknown preset 'huge' (known presets: tiny-1llc, "));
}

static void test_scenario_presets(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();

	load(f, "a.yaml",
	     "name: a\n"
	     CG
	     "gauntlet:\n"
	     "  presets: [smt-3llc, tiny-1llc, numa2-4llc]\n"
	     "  constraints: {max_numa: 2}\n");
	validate(f);
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 3);
	assert_string_equal(f->vl.items[0].name, "a/tiny-1llc/default");
	assert_string_equal(f->vl.items[1].name, "a/smt-3llc/default");
	assert_string_equal(f->vl.items[2].name, "a/numa2-4llc/default");

	/* Both lists: their intersection. */
	o.presets = (const char *const[]){ "smt-3llc", "odd-5llc" };
	o.npresets = 2;
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 1);
	assert_string_equal(f->vl.items[0].name, "a/smt-3llc/default");
}

/* A worked example: min_llcs 2 + requires_smt leaves 6. */
static void test_constraints(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();
	static const char *const want[] = { "smt-2llc", "smt-3llc", "medium-4llc", "medium-8llc",
					    "large-4llc", "large-8llc" };

	load(f, "a.yaml",
	     "name: a\n" CG "gauntlet:\n  presets: all\n  constraints: {min_llcs: 2, requires_smt: true}\n");
	validate(f);
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(f->vl.items[i].preset->name, want[i]);
}

static void test_host_filter(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = { .host = host_capacity__cpus(8) };

	load(f, "a.yaml", "name: a\n" CG "---\nname: b\n" CG);
	validate(f);
	assert_int_equal(expand(f, &o), 0);
	/* tiny-1llc (4), tiny-2llc (4), smt-2llc (8); the rest are larger. */
	assert_int_equal(f->vl.n, 6);
	assert_string_equal(f->vl.items[2].name, "a/smt-2llc/default");
	/* Distinct presets dropped, not scenario x preset pairs. */
	assert_int_equal(f->vl.filtered_host, 12);

	o.host = (struct host_capacity){ .cpus = 16, .llc_groups = 2, .max_cpus_per_llc = 8 };
	assert_int_equal(expand(f, &o), 0);
	/* 1n1l4c1t, 1n2l2c1t, 1n2l2c2t: the others need more LLC groups or CPUs. */
	assert_int_equal(f->vl.n, 6);
	assert_int_equal(f->vl.filtered_host, 12);
}

/* Presets a scenario's cpusets or memory policies cannot use are dropped. */
static void test_fit_filter(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();

	load(f, "a.yaml",
	     "name: a\n"
	     "topology: 1n2l2c1t\n"
	     "cgroups: [{name: cg0, cpuset: {llc: 1}}]\n"
	     "---\n"
	     "name: b\n"
	     "topology: 2n2l2c1t\n"
	     "cgroups: [{name: cg0, work: {type: cpu-spin, mem_policy: {bind: [1]}}}]\n"
	     "gauntlet: {presets: all, constraints: {max_numa: 2}}\n");
	validate(f);
	assert_int_equal(expand(f, &o), 0);
	/* a: every default preset but tiny-1llc; b: only the three 2-node presets. */
	assert_int_equal(f->vl.n, 14 + 3);
	assert_string_equal(f->vl.items[0].name, "a/tiny-2llc/default");
	assert_string_equal(f->vl.items[14].name, "b/numa2-4llc/default");
	assert_string_equal(f->vl.items[15].name, "b/numa2-8llc/default");
	assert_string_equal(f->vl.items[16].name, "b/numa2-8llc-nosmt/default");
}

static void test_flags_option(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();

	load_scheds(f);
	load(f, "a.yaml",
	     "name: a\n" CG "scheduler: scx-ktstr\n---\n"
	     "name: b\n" CG "---\n"
	     "name: c\n" CG "scheduler: scx-ktstr\nflags: {excluded: [steal]}\n---\n"
	     "name: d\n" CG "scheduler: scx-ktstr\nflags: {required: [borrow]}\n");
	validate(f);

	/* Only that profile; eevdf lacks the flags and c excludes steal. */
	o.flags = (const char *const[]){ "steal", "llc" };
	o.nflags = 2;
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 15);
	assert_string_equal(f->vl.items[0].name, "a/tiny-1llc/llc+steal");
	assert_int_equal(f->vl.items[0].profile, 5);

	/* "default" (or an empty list) is the profile without flags. */
	o.flags = (const char *const[]){ "default" };
	o.nflags = 1;
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 45);
	assert_string_equal(f->vl.items[0].name, "a/tiny-1llc/default");
	assert_string_equal(f->vl.items[15].name, "b/tiny-1llc/default");
	assert_string_equal(f->vl.items[30].name, "c/tiny-1llc/default");
	o.nflags = 0;
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 45);

	o.flags = (const char *const[]){ "borrow" };
	o.nflags = 1;
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 45);	/* a, c and d */

	o.flags = (const char *const[]){ "steal" };
	assert_int_equal(expand(f, &o), -EINVAL);
	assert_string_equal(f->err, "--flags: flag 'steal' of scheduler 'scx-ktstr' requires 'llc'; "
				    "add it");

	o.flags = (const char *const[]){ "lcc" };
	assert_int_equal(expand(f, &o), -EINVAL);
	assert_string_equal(f->err, "unknown flag 'lcc' in --flags: no scheduler of these scenarios "
				    "has it; did you mean 'llc'?");
	assert_int_equal(f->vl.n, 0);
}

static void test_flags_only_eevdf(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();

	load(f, "a.yaml", "name: a\n" CG);
	validate(f);
	o.flags = (const char *const[]){ "llc" };
	o.nflags = 1;
	assert_int_equal(expand(f, &o), -EINVAL);
	assert_string_equal(f->err, "unknown flag 'llc' in --flags: no scheduler of these "
				    "scenarios has it");
}

/* Load a mixed set: 3 scenarios, eevdf and scx-ktstr, 15 + 2*15*48 variants. */
static void load_mixed(struct fx *f)
{
	load_scheds(f);
	load(f, "m.yaml",
	     "name: m2\n" CG "scheduler: scx-ktstr\n---\n"
	     "name: m1\n" CG "---\n"
	     "name: m3\nscheduler: scx-ktstr\nflags: {required: [llc]}\n"
	     "cgroups: [{name: cg0, cpuset: {llc: 1}}]\ntopology: {llcs: 2}\n");
	validate(f);
}

static void test_sharding(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();
	struct variant_list full = { 0 };
	size_t total;

	load_mixed(f);
	assert_int_equal(gauntlet__expand(&f->set, &o, &full, f->err, sizeof(f->err)), 0);
	total = full.n;
	assert_int_equal(total, 15 + 15 * 48 + 14 * 32);

	for (unsigned n = 1; n <= 5; n++) {
		unsigned char *seen = calloc(total, 1);

		assert_non_null(seen);
		for (unsigned k = 1; k <= n; k++) {
			size_t j = 0;

			o.shard_index = k;
			o.shard_count = n;
			assert_int_equal(expand(f, &o), 0);
			assert_int_equal(f->vl.n, total / n + ((k - 1) < total % n));
			/* Each shard is the full list's items k-1, k-1+n, ... in order. */
			for (size_t i = k - 1; i < total; i += n, j++) {
				assert_string_equal(f->vl.items[j].name, full.items[i].name);
				assert_ptr_equal(f->vl.items[j].scenario, full.items[i].scenario);
				assert_int_equal(seen[i], 0);
				seen[i] = 1;
			}
			assert_int_equal(j, f->vl.n);
		}
		for (size_t i = 0; i < total; i++)
			assert_int_equal(seen[i], 1);
		free(seen);
	}
	variant_list__free(&full);
}

static void test_deterministic(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();
	struct variant_list a = { 0 };

	load_mixed(f);
	assert_int_equal(gauntlet__expand(&f->set, &o, &a, f->err, sizeof(f->err)), 0);
	assert_int_equal(expand(f, &o), 0);	/* again, reusing the list */
	assert_int_equal(a.n, f->vl.n);
	for (size_t i = 0; i < a.n; i++) {
		assert_string_equal(a.items[i].name, f->vl.items[i].name);
		assert_int_equal(a.items[i].profile, f->vl.items[i].profile);
		assert_ptr_equal(a.items[i].preset, f->vl.items[i].preset);
	}
	assert_string_equal(a.items[0].name, "m1/tiny-1llc/default");
	assert_string_equal(a.items[15].name, "m2/tiny-1llc/default");
	assert_string_equal(a.items[15 + 15 * 48].name, "m3/tiny-2llc/llc");
	variant_list__free(&a);
}

static void test_bad_shard_opts(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();

	load(f, "a.yaml", "name: a\n" CG);
	validate(f);
	o.shard_index = 3;
	o.shard_count = 2;
	assert_int_equal(expand(f, &o), -EINVAL);
	assert_string_equal(f->err, "bad shard 3/2: K must be in 1..N");
	o.shard_index = 0;
	assert_int_equal(expand(f, &o), -EINVAL);
	/* More shards than variants: the tail shards are empty. */
	o.shard_index = 20;
	o.shard_count = 20;
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 0);
	o.shard_index = 15;
	assert_int_equal(expand(f, &o), 0);
	assert_int_equal(f->vl.n, 1);
	assert_string_equal(f->vl.items[0].name, "a/large-8llc-nosmt/default");
}

static void test_long_name(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();
	char name[200];

	/* The loader caps names well below this; the variant name is checked anyway. */
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	load(f, "l.yaml", "name: l\n" CG);
	validate(f);
	f->set.items[0]->name = name;
	assert_int_equal(expand(f, &o), -ENAMETOOLONG);
	assert_non_null(strstr(f->err, "/tiny-1llc/default' is longer than 191 characters"));
	assert_int_equal(f->vl.n, 0);
}

static void test_not_validated(void **state)
{
	struct fx *f = *state;
	struct gauntlet_opts o = unlimited();

	load(f, "a.yaml", "name: a\n" CG);
	assert_int_equal(expand(f, &o), -EINVAL);
	assert_string_equal(f->err, "scenario 1 of the set was not validated");
}

static void test_parse_shard(void **state)
{
	static const char *const bad[] = { "0/4", "5/4", "1/0", "0/0", "a/b", "1/", "/4", "",
					   "1/4x", "-1/4", " 1/4", "1//4", "14", "1/4/2",
					   "99999999999999999999/1" };
	unsigned k = 0, n = 0;
	char err[256];

	assert_int_equal(gauntlet__parse_shard("1/1", &k, &n, err, sizeof(err)), 0);
	assert_int_equal(k, 1);
	assert_int_equal(n, 1);
	assert_int_equal(gauntlet__parse_shard("3/4", &k, &n, err, sizeof(err)), 0);
	assert_int_equal(k, 3);
	assert_int_equal(n, 4);
	assert_int_equal(gauntlet__parse_shard("10/10", &k, &n, err, sizeof(err)), 0);
	assert_int_equal(k, 10);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		k = n = 77;
		err[0] = '\0';
		assert_int_equal(gauntlet__parse_shard(bad[i], &k, &n, err, sizeof(err)), -EINVAL);
		assert_int_equal(k, 77);
		assert_true(strlen(err) > 0);
	}
	gauntlet__parse_shard("0/4", &k, &n, err, sizeof(err));
	assert_string_equal(err, "bad shard '0/4': need K/N with 1 <= K <= N (e.g. 2/4)");
	gauntlet__parse_shard("5/4", &k, &n, err, sizeof(err));
	assert_string_equal(err, "bad shard '5/4': need K/N with 1 <= K <= N (e.g. 2/4)");
	gauntlet__parse_shard("x", &k, &n, err, sizeof(err));
	assert_string_equal(err, "bad shard 'x': expected K/N, e.g. 2/4 for the second of four");
	assert_int_equal(gauntlet__parse_shard(NULL, &k, &n, err, sizeof(err)), -EINVAL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_eevdf_default),
		T(test_builtin_flags_48),
		T(test_required_excluded),
		T(test_sorted_by_name),
		T(test_duplicate_scenarios),
		T(test_presets_option),
		T(test_scenario_presets),
		T(test_constraints),
		T(test_host_filter),
		T(test_fit_filter),
		T(test_flags_option),
		T(test_flags_only_eevdf),
		T(test_sharding),
		T(test_deterministic),
		T(test_bad_shard_opts),
		T(test_long_name),
		T(test_not_validated),
		T(test_parse_shard),
		T(test_requires_skip_named_presets),
		T(test_builtin_flag_skip),
		T(test_builtin_flag_offered),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}

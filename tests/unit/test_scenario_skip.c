// SPDX-License-Identifier: GPL-2.0
/*
 * Skips (lib/scenario/scenario_skip.h): `requires:` against the topology and
 * the scheduler, and required built-in flags a scheduler does not offer. A
 * skipped scenario validates; its variants are reported SKIP with a reason.
 */
#include "validate_fx.h"

#include "scenario/scenario_skip.h"
#include "topo/topology.h"

static const char flagged[] =
	"name: flagged\n"
	"binary: flagged\n"
	"flags: [llc, steal, {name: turbo, args: [--turbo]}]\n";

static const struct scenario *only(struct fx *f)
{
	assert_valid(f);
	assert_int_equal(f->set.n, 1);
	return f->set.items[0];
}

static void assert_skip(const struct scenario *sc, const char *topo, const char *want)
{
	struct topology t;
	char why[160] = "", err[128];

	assert_int_equal(topology__parse(topo, &t, err, sizeof(err)), 0);
	if (!want) {
		if (scenario__skip_reason(sc, &t, why, sizeof(why)))
			fail_msg("unexpected skip on %s: %s", topo, why);
		return;
	}
	assert_true(scenario__skip_reason(sc, &t, why, sizeof(why)));
	assert_string_equal(why, want);
}

static void test_requires_topology(void **state)
{
	struct fx *f = *state;
	const struct scenario *sc;

	load(f, "r.yaml",
	     "name: r\ntopology: 1n2l4c1t\n"
	     "requires: {min_cpus: 8, min_llcs: 2, min_numa: 1}\n" CG);
	sc = only(f);
	assert_int_equal(sc->requires.min_cpus, 8);
	assert_skip(sc, "1n2l4c1t", NULL);
	assert_skip(sc, "1n2l2c1t", "needs >= 8 CPUs (1n2l2c1t has 4)");
	assert_skip(sc, "1n1l8c1t", "needs >= 2 LLCs (1n1l8c1t has 1)");
	assert_skip(sc, "2n4l4c1t", NULL);
}

static void test_requires_numa_smt(void **state)
{
	struct fx *f = *state;
	const struct scenario *sc;

	load(f, "r.yaml", "name: r\ntopology: 2n2l2c2t\nrequires: {min_numa: 2, smt: true}\n" CG);
	sc = only(f);
	assert_skip(sc, "2n2l2c2t", NULL);
	assert_skip(sc, "1n2l2c2t", "needs >= 2 NUMA nodes (1n2l2c2t has 1)");
	assert_skip(sc, "2n2l2c1t", "needs SMT (2n2l2c1t has 1 thread per core)");
}

static void test_requires_sched_ext(void **state)
{
	struct fx *f = *state;

	load(f, "r.yaml", "name: r\nrequires: {sched_ext: true}\n" CG);
	assert_skip(only(f), "1n1l2c1t", "needs a sched_ext scheduler (eevdf is the kernel's own)");
}

static void test_requires_sched_ext_met(void **state)
{
	struct fx *f = *state;

	load_scheds(f, "s.yaml", flagged);
	load(f, "r.yaml", "name: r\nscheduler: flagged\nrequires: {sched_ext: true}\n" CG);
	assert_skip(only(f), "1n1l2c1t", NULL);
}

/* eevdf offers no flags: a built-in required flag skips, it is not an error. */
static void test_builtin_flag_eevdf_skips(void **state)
{
	struct fx *f = *state;

	load(f, "e.yaml", "name: e\nflags: {required: [borrow], excluded: [no-ctrl]}\n" CG);
	assert_skip(only(f), "1n1l2c1t", "scheduler eevdf has no flag 'borrow'");
}

/* Excluding a flag the scheduler lacks is no reason to skip. */
static void test_builtin_flag_excluded_missing(void **state)
{
	struct fx *f = *state;
	flag_mask req, exc;
	const char *missing;
	const struct scenario *sc;

	load_scheds(f, "s.yaml", flagged);
	load(f, "e.yaml",
	     "name: e\nscheduler: flagged\nflags: {required: [steal], excluded: [reject-pin, turbo]}\n"
	     CG);
	sc = only(f);
	assert_skip(sc, "1n1l2c1t", NULL);
	assert_int_equal(scenario__flag_masks(sc, sc->sched, &req, &exc, &missing), 0);
	assert_null(missing);
	assert_int_equal(req, 1u << 1);
	assert_int_equal(exc, 1u << 2);
}

static void test_builtin_flag_missing_in_declared(void **state)
{
	struct fx *f = *state;

	load_scheds(f, "s.yaml", flagged);
	load(f, "e.yaml", "name: e\nscheduler: flagged\nflags: {required: [llc, rebal]}\n" CG);
	assert_skip(only(f), "1n1l2c1t", "scheduler flagged has no flag 'rebal'");
}

/* A name that is neither the scheduler's nor built in stays an error. */
static void test_unknown_flag_still_error(void **state)
{
	struct fx *f = *state;

	load_scheds(f, "s.yaml", flagged);
	load(f, "e.yaml", "name: e\nscheduler: flagged\nflags: {required: [turob]}\n" CG);
	assert_only_diag(f, "e.yaml:3:8: unknown flag 'turob' for scheduler 'flagged'; did you mean 'turbo'?");
}

static void test_requires_bad_keys(void **state)
{
	struct fx *f = *state;

	assert_int_equal(scenario__load_buffer(&f->set, "b.yaml",
					       "name: b\nrequires: {min_cpu: 2}\n" CG,
					       strlen("name: b\nrequires: {min_cpu: 2}\n" CG), &f->d),
			 1);
	assert_true(f->d.n >= 1);
	assert_non_null(strstr(f->d.items[0].msg, "min_cpu"));
	assert_non_null(strstr(f->d.items[0].msg, "min_cpus"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_requires_topology),
		T(test_requires_numa_smt),
		T(test_requires_sched_ext),
		T(test_requires_sched_ext_met),
		T(test_builtin_flag_eevdf_skips),
		T(test_builtin_flag_excluded_missing),
		T(test_builtin_flag_missing_in_declared),
		T(test_unknown_flag_still_error),
		T(test_requires_bad_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

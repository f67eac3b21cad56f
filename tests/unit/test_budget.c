// SPDX-License-Identifier: GPL-2.0
/*
 * Budget selection (ktstr gauntlet --budget): deterministic, within the
 * budget, diverse first, everything when the budget is large; and the
 * feature bits of real variants.
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

#include "gauntlet/budget.h"
#include "gauntlet/gauntlet.h"
#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"

#define NITEMS 64

/* A pseudo-random but fixed item list: varied bits and estimates. */
static void make_items(struct budget_item *it, size_t n, uint64_t seed)
{
	uint64_t x = seed;

	for (size_t i = 0; i < n; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		it[i].bits = (x >> 7) & ((x >> 29) | 0x10101ULL) & 0x3ffffffffffffULL;
		it[i].est_s = 8.0 + (double)((x >> 50) % 20);
	}
}

static unsigned popcount(budget_bits b)
{
	return (unsigned)__builtin_popcountll(b);
}

static void test_deterministic_and_within_budget(void **state)
{
	struct budget_item it[NITEMS];
	bool a[NITEMS], b[NITEMS];
	struct budget_result ra, rb;
	double budgets[] = { 0, 7.9, 10, 60, 200, 500 };

	(void)state;
	make_items(it, NITEMS, 42);
	for (size_t k = 0; k < sizeof(budgets) / sizeof(budgets[0]); k++) {
		double used = 0;
		size_t count = 0;
		budget_bits cov = 0;

		assert_int_equal(budget__select(it, NITEMS, budgets[k], a, &ra), 0);
		assert_int_equal(budget__select(it, NITEMS, budgets[k], b, &rb), 0);
		assert_memory_equal(a, b, sizeof(a));
		assert_int_equal(ra.selected, rb.selected);
		for (size_t i = 0; i < NITEMS; i++) {
			if (!a[i])
				continue;
			used += it[i].est_s;
			count++;
			cov |= it[i].bits;
		}
		assert_int_equal(count, ra.selected);
		assert_true(used <= budgets[k] + 1e-9);
		assert_true(ra.used_s > used - 1e-9 && ra.used_s < used + 1e-9);
		assert_int_equal(ra.covered, popcount(cov));
		/* Greedy stops only when nothing else fits. */
		for (size_t i = 0; i < NITEMS; i++)
			if (!a[i])
				assert_true(it[i].est_s > budgets[k] - used + 1e-9);
	}
	/* Nothing fits in 7.9 s: every estimate is at least 8 s. */
	assert_int_equal(budget__select(it, NITEMS, 7.9, a, &ra), 0);
	assert_int_equal(ra.selected, 0);
	assert_int_equal(ra.covered, 0);
}

static void test_prefers_diversity(void **state)
{
	/* Two copies of one configuration and one different one, all equally long. */
	struct budget_item it[] = {
		{ .bits = 0x0f, .est_s = 10 },
		{ .bits = 0x0f, .est_s = 10 },
		{ .bits = 0xf0, .est_s = 10 },
	};
	bool sel[3];
	struct budget_result r;

	(void)state;
	assert_int_equal(budget__select(it, 3, 25, sel, &r), 0);
	assert_int_equal(r.selected, 2);
	assert_true(sel[0]);
	assert_false(sel[1]);
	assert_true(sel[2]);
	assert_int_equal(r.covered, 8);
	assert_int_equal(r.possible, 8);
}

static void test_new_bits_per_second(void **state)
{
	/* Item 0 covers more bits but costs 4x the time of item 1 for 2x the bits. */
	struct budget_item it[] = {
		{ .bits = 0xff, .est_s = 40 },
		{ .bits = 0xf00, .est_s = 10 },
	};
	bool sel[2];
	struct budget_result r;

	(void)state;
	assert_int_equal(budget__select(it, 2, 40, sel, &r), 0);
	assert_false(sel[0]);	/* 8 bits / 40 s < 4 bits / 10 s, and then 0 does not fit */
	assert_true(sel[1]);
	assert_int_equal(budget__select(it, 2, 50, sel, &r), 0);
	assert_true(sel[0] && sel[1]);
}

static void test_large_budget_covers_all(void **state)
{
	struct budget_item it[NITEMS];
	bool sel[NITEMS];
	struct budget_result r;
	double total = 0;

	(void)state;
	make_items(it, NITEMS, 7);
	for (size_t i = 0; i < NITEMS; i++)
		total += it[i].est_s;
	assert_int_equal(budget__select(it, NITEMS, total, sel, &r), 0);
	assert_int_equal(r.selected, NITEMS);
	assert_int_equal(r.covered, r.possible);
	assert_true(r.used_s > total - 1e-6);
	/* One second short: one item is left out, coverage may stay complete. */
	assert_int_equal(budget__select(it, NITEMS, total - 1, sel, &r), 0);
	assert_int_equal(r.selected, NITEMS - 1);
}

static void test_rejects_bad_input(void **state)
{
	struct budget_item it[] = { { .bits = 1, .est_s = 0 } };
	bool sel[1];
	struct budget_result r;

	(void)state;
	assert_int_equal(budget__select(it, 1, 10, sel, &r), -EINVAL);
	it[0].est_s = 1;
	assert_int_equal(budget__select(it, 1, -1, sel, &r), -EINVAL);
	assert_int_equal(budget__select(it, 0, 10, sel, &r), 0);
	assert_int_equal(r.selected, 0);
	assert_int_equal(r.possible, 0);
}

static void test_estimate(void **state)
{
	(void)state;
	assert_true(budget__estimate_s(2, true) > budget__estimate_s(2, false));
	assert_true(budget__estimate_s(5, true) - budget__estimate_s(2, true) > 2.99);
	assert_true(budget__estimate_s(0, false) > 0);
}

/* Real variants: presets of unlike size, profiles and kernels give unlike bits. */
static void test_variant_bits(void **state)
{
	static const char sched[] = "name: scx-x\nbinary: scx_x\nflags: [llc, steal]\n";
	static const char yaml[] =
		"name: mixed\nscheduler: scx-x\ncgroups: [{name: cg0, workers: 4}]\n"
		"gauntlet: {presets: [tiny-1llc, tiny-2llc, medium-8llc, numa4-8llc],\n"
		"           constraints: {max_numa: 4}}\n";
	struct scenario_set set;
	struct diag_list d = { 0 };
	struct variant_list vl = { 0 };
	struct gauntlet_opts o = { .host = { .unlimited = true } };
	char err[512];
	budget_bits all = 0, seen[64];

	(void)state;
	scenario_set__init(&set);
	assert_int_equal(sched_defs__load_buffer(&set, "s.yaml", sched, strlen(sched), &d), 0);
	if (scenario__load_buffer(&set, "m.yaml", yaml, strlen(yaml), &d)) {
		diag__print(&d, stderr);
		fail_msg("m.yaml did not load");
	}
	if (scenario_set__validate(&set, &d)) {
		diag__print(&d, stderr);
		fail_msg("invalid");
	}
	if (gauntlet__expand(&set, &o, &vl, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(vl.n >= 8 && vl.n <= 64);
	for (size_t i = 0; i < vl.n; i++) {
		seen[i] = budget__variant_bits(&vl.items[i], NULL);
		/* No two variants of one scenario share every bit here. */
		for (size_t j = 0; j < i; j++)
			assert_true(seen[i] != seen[j]);
		assert_true(budget__variant_bits(&vl.items[i], "6.12.117") != seen[i]);
		all |= seen[i];
	}
	/* The profile with flags has active-flag bits the default lacks. */
	for (size_t i = 1; i < vl.n; i++)
		if (vl.items[i].preset == vl.items[0].preset && vl.items[i].profile)
			assert_true(popcount(seen[i]) > popcount(seen[0]));
	assert_true(popcount(all) > popcount(seen[0]));
	variant_list__free(&vl);
	diag__free(&d);
	scenario_set__free(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic_and_within_budget),
		cmocka_unit_test(test_prefers_diversity),
		cmocka_unit_test(test_new_bits_per_second),
		cmocka_unit_test(test_large_budget_covers_all),
		cmocka_unit_test(test_rejects_bad_input),
		cmocka_unit_test(test_estimate),
		cmocka_unit_test(test_variant_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

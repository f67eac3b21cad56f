// SPDX-License-Identifier: GPL-2.0
/* Threshold profiles, the layer merge (defaults -> scheduler -> scenario) and formatting. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "verdict/checks.h"

static void set(struct checks *c, enum check_id id, double v)
{
	c->t[id] = (struct threshold){ .state = TH_SET, .value = v };
}

static void off(struct checks *c, enum check_id id)
{
	c->t[id] = (struct threshold){ .state = TH_DISABLED, .value = 0 };
}

static void test_profiles(void **state)
{
	enum threshold_profile p;

	(void)state;
	assert_int_equal(threshold_profile__parse("tcg", &p), 0);
	assert_int_equal(p, THRESHOLDS_TCG);
	assert_string_equal(threshold_profile__name(p), "tcg");
	assert_int_equal(threshold_profile__parse("default", &p), 0);
	assert_int_equal(p, THRESHOLDS_DEFAULT);
	assert_string_equal(threshold_profile__name(p), "default");
	assert_int_not_equal(threshold_profile__parse("fast", &p), 0);
	assert_int_not_equal(threshold_profile__parse("", &p), 0);
}

static void test_defaults(void **state)
{
	struct checks d, t;

	(void)state;
	checks__defaults(THRESHOLDS_DEFAULT, &d);
	checks__defaults(THRESHOLDS_TCG, &t);
	assert_int_equal(d.t[CHECK_NOT_STARVED].state, TH_SET);
	assert_true(d.t[CHECK_MAX_GAP].value == 2000 && t.t[CHECK_MAX_GAP].value == 750);
	assert_true(d.t[CHECK_MAX_SPREAD].value == 15 && t.t[CHECK_MAX_SPREAD].value == 50);
	/* Off until a layer sets them, in both profiles. */
	for (int id = CHECK_ISOLATION; id <= CHECK_MAX_CROSS_NODE_MIGRATION_RATIO; id++) {
		if (id == CHECK_MAX_GAP || id == CHECK_MAX_SPREAD)
			continue;
		assert_int_equal(d.t[id].state, TH_UNSET);
		assert_int_equal(t.t[id].state, TH_UNSET);
	}
	assert_true(d.t[CHECK_MAX_IMBALANCE_RATIO].value == 4.0);
	assert_true(d.t[CHECK_MAX_LOCAL_DSQ_DEPTH].value == 50);
	assert_int_equal(d.t[CHECK_FAIL_ON_STALL].state, TH_SET);
}

static void test_resolve_layers(void **state)
{
	struct checks sched, scen, out;

	(void)state;
	memset(&sched, 0, sizeof(sched));
	memset(&scen, 0, sizeof(scen));
	set(&sched, CHECK_MAX_GAP, 3000);		/* overridden by the scenario */
	set(&sched, CHECK_MAX_SPREAD, 25);		/* kept: the scenario is silent */
	off(&sched, CHECK_NOT_STARVED);			/* re-enabled by the scenario */
	set(&sched, CHECK_MAX_P99_WAKE_LATENCY, 1e6);	/* disabled by the scenario */
	off(&sched, CHECK_FAIL_ON_STALL);		/* kept off */
	set(&scen, CHECK_MAX_GAP, 1000);
	set(&scen, CHECK_NOT_STARVED, 1);
	off(&scen, CHECK_MAX_P99_WAKE_LATENCY);
	set(&scen, CHECK_MAX_MIGRATION_RATIO, 0.5);	/* only the scenario sets it */

	checks__resolve(THRESHOLDS_TCG, &sched, &scen, &out);
	assert_int_equal(out.t[CHECK_MAX_GAP].state, TH_SET);
	assert_true(out.t[CHECK_MAX_GAP].value == 1000);
	assert_true(out.t[CHECK_MAX_SPREAD].value == 25);
	assert_int_equal(out.t[CHECK_NOT_STARVED].state, TH_SET);
	assert_int_equal(out.t[CHECK_MAX_P99_WAKE_LATENCY].state, TH_DISABLED);
	assert_int_equal(out.t[CHECK_FAIL_ON_STALL].state, TH_DISABLED);
	assert_true(out.t[CHECK_MAX_MIGRATION_RATIO].value == 0.5);
	assert_int_equal(out.t[CHECK_ISOLATION].state, TH_UNSET);
	assert_true(out.t[CHECK_MAX_IMBALANCE_RATIO].value == 4.0);	/* the profile's */

	/* No scheduler layer: the scenario lands on the profile's defaults. */
	checks__resolve(THRESHOLDS_DEFAULT, NULL, &scen, &out);
	assert_true(out.t[CHECK_MAX_GAP].value == 1000);
	assert_true(out.t[CHECK_MAX_SPREAD].value == 15);
	assert_int_equal(out.t[CHECK_FAIL_ON_STALL].state, TH_SET);
	/* A scenario that disables a default. */
	off(&scen, CHECK_MAX_SPREAD);
	checks__resolve(THRESHOLDS_DEFAULT, &sched, &scen, &out);
	assert_int_equal(out.t[CHECK_MAX_SPREAD].state, TH_DISABLED);
}

static void expect_fmt(enum check_id id, enum threshold_state st, double v, const char *want)
{
	struct threshold th = { .state = st, .value = v };
	char buf[64];

	checks__format(id, &th, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_format(void **state)
{
	(void)state;
	expect_fmt(CHECK_NOT_STARVED, TH_SET, 1, "true");
	expect_fmt(CHECK_ISOLATION, TH_DISABLED, 0, "off");
	expect_fmt(CHECK_ISOLATION, TH_UNSET, 0, "none");
	expect_fmt(CHECK_MAX_GAP, TH_SET, 2000, "2s");
	expect_fmt(CHECK_MAX_GAP, TH_SET, 750, "750ms");
	expect_fmt(CHECK_MAX_P99_WAKE_LATENCY, TH_SET, 250000, "250us");
	expect_fmt(CHECK_MAX_P99_WAKE_LATENCY, TH_SET, 1, "1ns");
	expect_fmt(CHECK_MAX_P99_WAKE_LATENCY, TH_SET, 0, "0ns");
	expect_fmt(CHECK_MAX_SPREAD, TH_SET, 12.5, "12.5%");
	expect_fmt(CHECK_MAX_THROUGHPUT_CV, TH_SET, 0.25, "0.25");
	expect_fmt(CHECK_MIN_PAGE_LOCALITY, TH_SET, 0.9, "0.9");
	expect_fmt(CHECK_MAX_LOCAL_DSQ_DEPTH, TH_SET, 50, "50");
	expect_fmt(CHECK_MIN_WORK_RATE, TH_SET, 1e12, "1e+12");
}

static void test_keys(void **state)
{
	size_t n;
	const char *const *keys = checks__keys(&n);

	(void)state;
	assert_int_equal(n, CHECK_COUNT);
	for (size_t i = 0; i < n; i++) {
		const struct check_desc *d = checks__find(keys[i]);

		assert_non_null(d);
		assert_int_equal(d->id, i);
		assert_ptr_equal(checks__desc(d->id), d);
	}
	assert_null(keys[n]);
	assert_null(checks__find("max_gap_ms"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profiles),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_resolve_layers),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

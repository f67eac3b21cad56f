// SPDX-License-Identifier: GPL-2.0
/* Flag profiles: the built-in flags, their power-set expansion and names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scenario/scheduler.h"

/* Bits of the built-in flags, in declaration order. */
enum { LLC = 1, BORROW = 2, STEAL = 4, REBAL = 8, REJECT_PIN = 16, NO_CTRL = 32 };

static struct sched_flag builtin_copy[16];

/* A definition with the six built-in flags, as a scheduler file would list them. */
static struct sched_def builtin_def(void)
{
	size_t n;
	const struct sched_flag *f = sched_flags__builtin(&n);

	memcpy(builtin_copy, f, n * sizeof(*f));
	return (struct sched_def){ .name = "scx-ktstr", .flags = builtin_copy, .nflags = n };
}

static long expand(const struct sched_def *d, flag_mask req, flag_mask exc, flag_mask *out,
		   size_t max)
{
	return sched_profiles__expand(d, req, exc, out, max);
}

static void test_builtin_flags(void **state)
{
	static const char *const names[] = { "llc", "borrow", "steal", "rebal", "reject-pin",
					     "no-ctrl" };
	size_t n;
	const struct sched_flag *f = sched_flags__builtin(&n);

	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(f[i].name, names[i]);
		assert_int_equal(f[i].nargs, 0);
		assert_int_equal(f[i].nrequires, i == 2 ? 1 : 0);
	}
	assert_string_equal(f[2].requires[0], "llc");
	assert_ptr_equal(sched_flags__builtin_find("steal"), &f[2]);
	assert_ptr_equal(sched_flags__builtin_find("no-ctrl"), &f[5]);
	assert_null(sched_flags__builtin_find("lcc"));
	assert_null(sched_flags__builtin_find(""));
}

static void test_eevdf(void **state)
{
	const struct sched_def *d = sched_def__eevdf();
	flag_mask out[4];
	char buf[32];

	assert_string_equal(d->name, "eevdf");
	assert_true(d->eevdf);
	assert_null(d->binary);
	assert_int_equal(d->nflags, 0);
	assert_ptr_equal(sched_def__eevdf(), d);
	assert_int_equal(expand(d, 0, 0, NULL, 0), 1);
	assert_int_equal(expand(d, 0, 0, out, 4), 1);
	assert_int_equal(out[0], 0);
	sched_profile__name(d, out[0], buf, sizeof(buf));
	assert_string_equal(buf, "default");
	assert_int_equal(sched_def__flag_index(d, "llc"), -1);
}

static void test_flag_index(void **state)
{
	struct sched_def d = builtin_def();

	assert_int_equal(sched_def__flag_index(&d, "llc"), 0);
	assert_int_equal(sched_def__flag_index(&d, "steal"), 2);
	assert_int_equal(sched_def__flag_index(&d, "no-ctrl"), 5);
	assert_int_equal(sched_def__flag_index(&d, "no_ctrl"), -1);
	assert_int_equal(sched_def__flag_index(&d, "LLC"), -1);
}

static void test_48_profiles(void **state)
{
	struct sched_def d = builtin_def();
	flag_mask out[64];
	size_t with_steal = 0;

	assert_int_equal(expand(&d, 0, 0, NULL, 0), 48);
	assert_int_equal(expand(&d, 0, 0, out, 64), 48);
	for (size_t i = 0; i < 48; i++) {
		if (i)
			assert_true(out[i] > out[i - 1]);	/* ascending, so unique */
		assert_true(out[i] < 64);
		if (out[i] & STEAL) {
			assert_true(out[i] & LLC);
			with_steal++;
		}
	}
	assert_int_equal(with_steal, 16);
	/* Every mask that is not listed has steal without llc. */
	for (flag_mask m = 0, k = 0; m < 64; m++) {
		if (k < 48 && out[k] == m) {
			k++;
			continue;
		}
		assert_int_equal(m & (STEAL | LLC), STEAL);
	}
}

static void test_profile_order_and_names(void **state)
{
	static const char *const first[] = {
		"default", "llc", "borrow", "llc+borrow", "llc+steal", "llc+borrow+steal",
		"rebal", "llc+rebal", "borrow+rebal", "llc+borrow+rebal", "llc+steal+rebal",
	};
	struct sched_def d = builtin_def();
	flag_mask out[64];
	char buf[128];

	assert_int_equal(expand(&d, 0, 0, out, 64), 48);
	for (size_t i = 0; i < sizeof(first) / sizeof(first[0]); i++) {
		sched_profile__name(&d, out[i], buf, sizeof(buf));
		assert_string_equal(buf, first[i]);
	}
	assert_int_equal(out[4], LLC | STEAL);
	assert_int_equal(out[47], 63);
	sched_profile__name(&d, out[47], buf, sizeof(buf));
	assert_string_equal(buf, "llc+borrow+steal+rebal+reject-pin+no-ctrl");
	sched_profile__name(&d, out[46], buf, sizeof(buf));
	assert_string_equal(buf, "llc+steal+rebal+reject-pin+no-ctrl");	/* 62 lacks llc */
	sched_profile__name(&d, NO_CTRL | REJECT_PIN, buf, sizeof(buf));
	assert_string_equal(buf, "reject-pin+no-ctrl");
}

static void test_required(void **state)
{
	struct sched_def d = builtin_def();
	flag_mask out[64];
	long n;

	n = expand(&d, LLC, 0, out, 64);
	assert_int_equal(n, 32);
	for (long i = 0; i < n; i++)
		assert_true(out[i] & LLC);
	assert_int_equal(out[0], LLC);

	/* steal pulls in nothing by itself: llc must be in every kept profile. */
	n = expand(&d, STEAL, 0, out, 64);
	assert_int_equal(n, 16);
	for (long i = 0; i < n; i++)
		assert_int_equal(out[i] & (LLC | STEAL), LLC | STEAL);
	assert_int_equal(out[0], LLC | STEAL);

	assert_int_equal(expand(&d, 63, 0, out, 64), 1);
	assert_int_equal(out[0], 63);
	assert_int_equal(expand(&d, LLC | BORROW | REBAL, 0, NULL, 0), 8);
}

static void test_excluded(void **state)
{
	struct sched_def d = builtin_def();
	flag_mask out[64];
	long n;

	/* Without llc, steal can never be valid: 2^4 profiles remain. */
	n = expand(&d, 0, LLC, out, 64);
	assert_int_equal(n, 16);
	for (long i = 0; i < n; i++)
		assert_false(out[i] & (LLC | STEAL));

	assert_int_equal(expand(&d, 0, STEAL, NULL, 0), 32);
	assert_int_equal(expand(&d, 0, 63, out, 64), 1);
	assert_int_equal(out[0], 0);
	assert_int_equal(expand(&d, 0, BORROW | NO_CTRL, NULL, 0), 12);
}

static void test_required_and_excluded(void **state)
{
	struct sched_def d = builtin_def();
	flag_mask out[64];

	/* A required flag whose requirement is excluded: no profile at all. */
	assert_int_equal(expand(&d, STEAL, LLC, NULL, 0), 0);
	assert_int_equal(expand(&d, STEAL, LLC, out, 64), 0);
	/* Overlap is a caller error. */
	assert_int_equal(expand(&d, LLC, LLC, NULL, 0), -EINVAL);
	assert_int_equal(expand(&d, LLC | BORROW, BORROW | REBAL, out, 64), -EINVAL);
	/* Bits beyond the definition's flags are a caller error too. */
	assert_int_equal(expand(&d, 64, 0, NULL, 0), -EINVAL);
	assert_int_equal(expand(&d, LLC | STEAL, REBAL, out, 64), 8);
	assert_int_equal(out[0], LLC | STEAL);
}

static void test_max_truncates(void **state)
{
	struct sched_def d = builtin_def();
	flag_mask out[5] = { 0 };

	assert_int_equal(expand(&d, 0, 0, out, 5), 5);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], LLC);
	assert_int_equal(out[2], BORROW);
	assert_int_equal(out[3], LLC | BORROW);
	assert_int_equal(out[4], LLC | STEAL);
	assert_int_equal(expand(&d, 0, 0, out, 0), 0);
}

static void test_transitive_requirements(void **state)
{
	static const char *a_req[] = { "b" }, *b_req[] = { "c" };
	struct sched_flag f[] = {
		{ .name = "a", .requires = a_req, .nrequires = 1 },
		{ .name = "b", .requires = b_req, .nrequires = 1 },
		{ .name = "c" },
	};
	struct sched_def d = { .name = "t", .flags = f, .nflags = 3 };
	flag_mask out[8];
	char buf[32];

	assert_int_equal(expand(&d, 0, 0, out, 8), 4);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 4);
	assert_int_equal(out[2], 6);
	assert_int_equal(out[3], 7);
	sched_profile__name(&d, out[3], buf, sizeof(buf));
	assert_string_equal(buf, "a+b+c");
	/* a required, c excluded: b can never be satisfied, so neither can a. */
	assert_int_equal(expand(&d, 1, 4, NULL, 0), 0);
}

static void test_unknown_requirement(void **state)
{
	static const char *x_req[] = { "nope" };
	struct sched_flag f[] = {
		{ .name = "x", .requires = x_req, .nrequires = 1 },
		{ .name = "y" },
	};
	struct sched_def d = { .name = "t", .flags = f, .nflags = 2 };
	flag_mask out[4];

	assert_int_equal(expand(&d, 0, 0, out, 4), 2);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 2);
	assert_int_equal(expand(&d, 1, 0, NULL, 0), 0);
}

static void test_flag_limit(void **state)
{
	static char names[SCHED_MAX_FLAGS + 1][8];
	struct sched_flag f[SCHED_MAX_FLAGS + 1];
	struct sched_def d = { .name = "many", .flags = f, .nflags = SCHED_MAX_FLAGS };

	memset(f, 0, sizeof(f));
	for (int i = 0; i <= SCHED_MAX_FLAGS; i++) {
		snprintf(names[i], sizeof(names[i]), "f%d", i);
		f[i].name = names[i];
	}
	assert_int_equal(expand(&d, 0, 0, NULL, 0), 1L << SCHED_MAX_FLAGS);
	assert_int_equal(sched_def__flag_index(&d, "f15"), 15);
	d.nflags = SCHED_MAX_FLAGS + 1;
	assert_int_equal(expand(&d, 0, 0, NULL, 0), -EINVAL);
}

static void test_name_truncation(void **state)
{
	struct sched_def d = builtin_def();
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	sched_profile__name(&d, LLC | BORROW | STEAL, buf, sizeof(buf));
	assert_true(strlen(buf) < sizeof(buf));
	assert_string_equal(buf, "llc");	/* whole names only */
	sched_profile__name(&d, 0, buf, 4);
	assert_string_equal(buf, "def");
	buf[0] = 'x';
	sched_profile__name(&d, LLC, buf, 0);	/* no room: untouched */
	assert_int_equal(buf[0], 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_flags),
		cmocka_unit_test(test_eevdf),
		cmocka_unit_test(test_flag_index),
		cmocka_unit_test(test_48_profiles),
		cmocka_unit_test(test_profile_order_and_names),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_excluded),
		cmocka_unit_test(test_required_and_excluded),
		cmocka_unit_test(test_max_truncates),
		cmocka_unit_test(test_transitive_requirements),
		cmocka_unit_test(test_unknown_requirement),
		cmocka_unit_test(test_flag_limit),
		cmocka_unit_test(test_name_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

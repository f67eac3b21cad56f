/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helper for the scenario loader's tests: a scenario set and its
 * diagnostics per test, loading YAML from a string, and the rendered
 * diagnostics compared exactly.
 */
#ifndef KTSTR_TEST_SCENARIO_LOAD_FX_H
#define KTSTR_TEST_SCENARIO_LOAD_FX_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scenario_load.h"

#define MS 1000000ULL
#define SEC 1000000000ULL

struct fx {
	struct scenario_set set;
	struct diag_list d;
	char *out;		/* rendered diagnostics */
};

static inline int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	scenario_set__init(&f->set);
	*state = f;
	return 0;
}

static inline int teardown(void **state)
{
	struct fx *f = *state;

	diag__free(&f->d);
	scenario_set__free(&f->set);
	free(f->out);
	free(f);
	return 0;
}

static inline const char *render(struct fx *f)
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

static inline int load(struct fx *f, const char *yaml)
{
	return scenario__load_buffer(&f->set, "t.yaml", yaml, strlen(yaml), &f->d);
}

static inline int load_sched(struct fx *f, const char *yaml)
{
	return sched_defs__load_buffer(&f->set, "s.yaml", yaml, strlen(yaml), &f->d);
}

/* Load @yaml as the only scenario; it must load without errors. */
static inline struct scenario *load_ok(struct fx *f, const char *yaml)
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
static inline void load_err(struct fx *f, const char *yaml, const char *want)
{
	size_t before = f->set.n;
	int n = load(f, yaml);

	assert_true(n > 0);
	assert_string_equal(render(f), want);
	assert_int_equal(f->set.n, before);	/* nothing appended */
	diag__free(&f->d);
}

static inline void assert_loc(struct src_loc loc, const char *file, unsigned line, unsigned col)
{
	assert_non_null(loc.file);
	assert_string_equal(loc.file, file);
	assert_int_equal(loc.line, line);
	assert_int_equal(loc.col, col);
}

#endif

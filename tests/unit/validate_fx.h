/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helper for the validator's tests: a scenario set loaded from strings
 * (and files in a temporary directory, removed by teardown), validated, and
 * its diagnostics looked up as "FILE:LINE:COL: message".
 */
#ifndef KTSTR_TEST_VALIDATE_FX_H
#define KTSTR_TEST_VALIDATE_FX_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"

struct fx {
	struct scenario_set set;
	struct diag_list d;
	int nerr;
	char dir[32];			/* a temporary directory, when a test made one */
	char *files[8];			/* files written in it, removed by teardown */
	size_t nfiles;
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
	char path[512];

	for (size_t i = 0; i < f->nfiles; i++) {
		unlink(f->files[i]);
		free(f->files[i]);
	}
	if (f->dir[0]) {
		snprintf(path, sizeof(path), "%s/schedulers", f->dir);
		rmdir(path);
		rmdir(f->dir);
	}
	diag__free(&f->d);
	scenario_set__free(&f->set);
	free(f);
	return 0;
}

static inline void load(struct fx *f, const char *name, const char *yaml)
{
	if (scenario__load_buffer(&f->set, name, yaml, strlen(yaml), &f->d)) {
		diag__print(&f->d, stderr);
		fail_msg("%s did not load", name);
	}
}

static inline void load_scheds(struct fx *f, const char *name, const char *yaml)
{
	if (sched_defs__load_buffer(&f->set, name, yaml, strlen(yaml), &f->d)) {
		diag__print(&f->d, stderr);
		fail_msg("%s did not load", name);
	}
}

static inline int validate(struct fx *f)
{
	f->nerr = scenario_set__validate(&f->set, &f->d);
	assert_int_equal((size_t)f->nerr, f->d.n);
	return f->nerr;
}

static inline void print_diags(const struct fx *f)
{
	fprintf(stderr, "diagnostics (%zu):\n", f->d.n);
	diag__print(&f->d, stderr);
}

/* Is "FILE:LINE:COL: message" among the diagnostics? */
static inline bool has_diag(const struct fx *f, const char *want)
{
	char buf[1024];

	for (size_t i = 0; i < f->d.n; i++) {
		const struct diag *e = &f->d.items[i];

		snprintf(buf, sizeof(buf), "%s:%u:%u: %s", e->loc.file ? e->loc.file : "<input>",
			 e->loc.line, e->loc.col, e->msg);
		if (!strcmp(buf, want))
			return true;
	}
	return false;
}

#define assert_diag(f, want)                                             \
	do {                                                             \
		if (!has_diag((f), (want))) {                            \
			print_diags(f);                                  \
			fail_msg("missing diagnostic: %s", (want));      \
		}                                                        \
	} while (0)

/* Exactly one error, this one. */
#define assert_only_diag(f, want)                                        \
	do {                                                             \
		if (validate(f) != 1 || !has_diag((f), (want))) {        \
			print_diags(f);                                  \
			fail_msg("expected only: %s", (want));           \
		}                                                        \
	} while (0)

#define assert_valid(f)                                                  \
	do {                                                             \
		if (validate(f)) {                                       \
			print_diags(f);                                  \
			fail_msg("expected no errors");                  \
		}                                                        \
	} while (0)

/* The loader wants every scenario to run something. */
#define CG "cgroups: [{name: cg0}]\n"

#endif

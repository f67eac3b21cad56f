/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JUnit XML for CI (GitHub Actions test reporters, GitLab's junit report,
 * Jenkins' junit step): one <testsuite> holding one <testcase> per variant,
 * classname = the scenario, name = the variant name, time in seconds.
 * A failed variant has <failure message="first reason" type="check|harness">
 * with the report as its text; a skipped one <skipped message=.../>;
 * <system-out> names the console and scheduler logs under --results-dir.
 * Text is escaped, invalid UTF-8 and the control characters XML 1.0 cannot
 * carry (even as references) become '?'. tests/data/junit.xsd is the schema.
 */
#ifndef KTSTR_OUT_JUNIT_H
#define KTSTR_OUT_JUNIT_H

#include <stddef.h>
#include <stdio.h>

#include "outcome.h"

/*
 * Write the whole document for @n outcomes; @suite names the testsuite
 * ("ktstr run"), @timestamp is its start (time(NULL) format, 0: now).
 * Returns 0 or -EIO when writing failed.
 */
int out_junit__write(FILE *f, const char *suite, long long timestamp,
		     const struct outcome *o, size_t n);

/* @s escaped for XML text and attributes (&<>"' and invalid bytes), to @f. */
void out_junit__escape(FILE *f, const char *s);

#endif

// SPDX-License-Identifier: GPL-2.0
/* A verdict's reasons: record a failure, and turn `expect: fail` around. */
#include "verdict_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void add_reason(struct verdict *v, const char *fmt, va_list ap)
{
	char *msg = NULL;

	v->passed = false;
	if (v->nreasons >= VERDICT_MAX_REASONS) {
		v->dropped_reasons++;
		return;
	}
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	if (msg)
		v->reasons[v->nreasons++] = msg;
	else
		v->dropped_reasons++;
}

void verdict__fail(struct verdict *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_reason(v, fmt, ap);
	va_end(ap);
}

void verdict__check_fail(struct verdict *v, const struct checks *c, enum check_id id,
			 const char *fmt, ...)
{
	va_list ap;

	if (c->waive_hardware_only && c->t[id].hardware_only) {
		char *msg = NULL;

		va_start(ap, fmt);
		if (v->nwaived < VERDICT_MAX_REASONS && vasprintf(&msg, fmt, ap) >= 0)
			v->waived[v->nwaived++] = msg;
		va_end(ap);
		return;
	}
	v->check_failures++;
	va_start(ap, fmt);
	add_reason(v, fmt, ap);
	va_end(ap);
}

void verdict__expect_fail(struct verdict *v)
{
	if (v->passed) {
		verdict__fail(v, "expected failure but passed");
		return;
	}
	/* Failed as it should: on checks, and on nothing else. */
	if (v->check_failures && v->check_failures == v->nreasons + v->dropped_reasons) {
		v->passed = true;
		return;
	}
	/* Say why the expectation was not met, and how to expect what happened. */
	verdict__fail(v, "expect: fail was not met: it accepts failed checks only, and %s; to "
		      "expect this failure, write expect: {fail: TEXT} with TEXT from its reason",
		      v->check_failures ? "the run failed for other reasons too (above)" :
		      "no check failed, the run failed for the reason above");
}

// SPDX-License-Identifier: GPL-2.0
/* Reporting a validation problem: to the diag list, or the first one in fits mode. */
#include "scenario_validate_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void vctx__report(struct vctx *c, enum problem kind, struct src_loc loc, const char *fmt, ...)
{
	va_list ap;

	if (!c->d) {
		/* Fits mode: only what depends on the topology, first one only. */
		if ((kind != TOPOLOGICAL && !c->counted) || c->nerr++)
			return;
		if (c->why && c->whylen) {
			va_start(ap, fmt);
			vsnprintf(c->why, c->whylen, fmt, ap);
			va_end(ap);
		}
		return;
	}
	char *msg = NULL;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	diag__add(c->d, loc, "%s", msg ? msg : "out of memory formatting a message");
	free(msg);
	c->nerr++;
}

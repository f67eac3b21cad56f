// SPDX-License-Identifier: GPL-2.0
/* The agent's log: stderr, and LOG frames once the results port is up; see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static struct proto_out *g_log_out;

void agent__log_to(struct proto_out *out)
{
	g_log_out = out;
}

void agent__log(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "ktstr-agent: %s\n", buf);
	if (g_log_out)
		proto_out__text(g_log_out, KTSTR_MSG_LOG, "%s", buf);
}

// SPDX-License-Identifier: GPL-2.0
/* The agent's COM2 fallback lines (com2_lines.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "com2_lines.h"
#include "wire/ktstr_proto.h"

static void com2_line(struct com2_lines *c, const char *line)
{
	char *end;
	long code;

	if (!strcmp(line, KTSTR_COM2_STARTED)) {
		c->started = true;
		return;
	}
	/* The guest is untrusted: an exit code is a whole int, or not one. */
	if (strncmp(line, KTSTR_COM2_EXIT_PREFIX, strlen(KTSTR_COM2_EXIT_PREFIX)))
		return;
	errno = 0;
	code = strtol(line + strlen(KTSTR_COM2_EXIT_PREFIX), &end, 10);
	if (errno || end == line + strlen(KTSTR_COM2_EXIT_PREFIX) || *end ||
	    code < INT_MIN || code > INT_MAX)
		return;
	c->exited = true;
	c->exit = (int)code;
}

void com2_lines__feed(struct com2_lines *c, const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\n' || p[i] == '\r') {
			c->line[c->len] = '\0';
			if (c->len)
				com2_line(c, c->line);
			c->len = 0;
		} else if (c->len < sizeof(c->line) - 1) {
			c->line[c->len++] = p[i];
		}
	}
}

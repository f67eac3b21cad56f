/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's COM2 fallback (ktstr_proto.h): bytes from the guest's second
 * UART cut into lines ('\n' or '\r' ends one; a line longer than the buffer
 * is cut short), and the two lines the host acts on, KTSTR_AGENT_STARTED and
 * KTSTR_EXIT=N. The guest is untrusted: anything else is ignored.
 */
#ifndef KTSTR_COM2_LINES_H
#define KTSTR_COM2_LINES_H

#include <stdbool.h>
#include <stddef.h>

struct com2_lines {
	char line[256];
	size_t len;
	bool started;		/* KTSTR_AGENT_STARTED seen */
	bool exited;		/* KTSTR_EXIT=N seen; @exit is the last N */
	int exit;
};

void com2_lines__feed(struct com2_lines *c, const char *p, size_t len);

#endif

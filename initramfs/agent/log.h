/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's log: one line to stderr (the console, or COM2 as PID 1) and,
 * once main has set up the results port, the same line as a LOG frame.
 */
#ifndef KTSTR_AGENT_LOG_H
#define KTSTR_AGENT_LOG_H

#include "proto_out.h"

/* Log a line to stderr (the console or COM2) and, when set up, as a LOG frame. */
__attribute__((format(printf, 1, 2)))
void agent__log(const char *fmt, ...);

/* Send the log's lines as LOG frames on @out too; NULL: stderr only (the default). */
void agent__log_to(struct proto_out *out);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How far the guest's kernel got, read from its console as it streams: the
 * last boot milestone it printed and the last kernel timestamp. A VM that
 * never reaches the agent is reported with this line, so that "stopped
 * before init" and "printed nothing" read differently without the whole log.
 * The console is the guest's and untrusted: lines are cut at
 * BOOT_PROGRESS_LINE bytes and only the known milestones are matched.
 */
#ifndef KTSTR_BOOT_PROGRESS_H
#define KTSTR_BOOT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOT_PROGRESS_LINE 200

enum boot_milestone {
	BOOT_NOTHING,		/* no console line at all */
	BOOT_OUTPUT,		/* some output, no kernel banner */
	BOOT_KERNEL,		/* "Linux version": the kernel started */
	BOOT_CPUS,		/* "smp: Brought up": its CPUs are up */
	BOOT_FREEING,		/* "Freeing unused kernel image": init is next */
	BOOT_INIT,		/* "Run /init as init process" */
};

struct boot_progress {
	bool quiet;		/* loglevel=1: only panics reach the console */
	enum boot_milestone reached;
	char milestone_line[BOOT_PROGRESS_LINE];	/* the line that reached it */
	uint64_t last_ts_us;	/* the last "[ s.us]" timestamp seen */
	bool has_ts;
	char line[BOOT_PROGRESS_LINE];			/* the line being assembled */
	size_t len;
};

/* @quiet: the kernel boots with loglevel=1 (ktstr run without -v). */
void boot_progress__init(struct boot_progress *b, bool quiet);
/* Feed console bytes, in any chunks. */
void boot_progress__feed(struct boot_progress *b, const void *data, size_t len);
/*
 * One line for the report, e.g. "the kernel got to: its CPUs are up
 * (smp: Brought up 1 node, 4 CPUs); its log stops at 4.812 s guest time".
 * Returns snprintf's length.
 */
int boot_progress__format(const struct boot_progress *b, char *buf, size_t len);

#endif

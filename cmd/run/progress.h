/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gauntlet's progress line on a terminal:
 *
 *   [  7/24] 1 failed, 0 skipped, 2 running, 0:48 elapsed, ~1:55 left
 *
 * redrawn in place ("\r", erase to the end of the line), cut to the
 * terminal's width. Anything printed above it (a FAIL line and its report)
 * goes through progress__clear() first. Off a terminal it prints nothing.
 */
#ifndef KTSTR_PROGRESS_H
#define KTSTR_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct progress {
	FILE *out;
	bool tty;		/* draw at all */
	bool shown;		/* a line is on the screen now */
	size_t total, done, failed, skipped, running;
	unsigned jobs;
	double sum_s;		/* wall seconds of the finished variants */
	double est_each_s;	/* estimate per variant before any finished */
	uint64_t t0_ms;
};

/* Monotonic milliseconds. */
uint64_t progress__now_ms(void);

void progress__init(struct progress *p, FILE *out, bool tty, size_t total, unsigned jobs,
		    double est_each_s);
/* One variant finished after @secs: counts it (failed/skipped when so). */
void progress__finish(struct progress *p, bool failed, bool skipped, double secs);
/* Estimated seconds left at @now_ms: mean time per variant x left / jobs. */
double progress__eta_s(const struct progress *p);
/* The line (no "\r", no newline) at @now_ms, in @buf. */
void progress__format(const struct progress *p, uint64_t now_ms, char *buf, size_t len);
/* Redraw the line (when a terminal). */
void progress__draw(struct progress *p);
/* Erase the line so that the next output starts at column 0 (when a terminal). */
void progress__clear(struct progress *p);

#endif

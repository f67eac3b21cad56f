// SPDX-License-Identifier: GPL-2.0
/*
 * How much of the console a failure report shows. A kernel crash report
 * (an oops, a BUG, a panic) is 30-60 lines with its call trace and
 * registers, and the guest goes on printing until the reset cuts it off: a
 * fixed tail of the last lines can end up holding the registers but not
 * the line that says what happened. So the window grows back to the
 * report's first line (vm__console_lines() in vm_lifecycle.c applies it).
 */
#include <string.h>

#include "vm_console.h"

/* What the first line of a kernel crash report contains. */
static const char *const crash_marks[] = {
	"Kernel panic - not syncing",
	"BUG: ",
	"Oops: ",
	"general protection fault",
};

/* The lines from the one holding @p to the end of @text (a partial last line counts). */
static unsigned int lines_from(const char *p)
{
	size_t len = strlen(p);
	unsigned int n = 1;

	for (size_t i = 0; i < len; i++)
		if (p[i] == '\n' && i + 1 < len)
			n++;
	return n;
}

unsigned int vm_console__crash_lines(const char *text, unsigned int nlines)
{
	const char *first = NULL;
	unsigned int want;

	for (size_t i = 0; i < sizeof(crash_marks) / sizeof(crash_marks[0]); i++) {
		const char *p = strstr(text, crash_marks[i]);

		if (p && (!first || p < first))
			first = p;
	}
	if (!first)
		return nlines;
	/* One line of context before it: what triggered it ("sysrq: ..."). */
	want = lines_from(first) + 1;
	return want > nlines ? want : nlines;
}

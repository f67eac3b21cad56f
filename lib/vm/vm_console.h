/* SPDX-License-Identifier: GPL-2.0 */
/* The console window of a failure report (vm_console.c); vm.h has the API. */
#ifndef KTSTR_VM_CONSOLE_H
#define KTSTR_VM_CONSOLE_H

/* How far back a report looks for a crash report's first line. */
#define VM_CRASH_LINES_MAX	120
#define VM_CRASH_WINDOW_BYTES	(VM_CRASH_LINES_MAX * 256)

/*
 * @nlines, or more when @text (the console's last lines) holds a kernel
 * crash report that began earlier: enough to start one line before it.
 */
unsigned int vm_console__crash_lines(const char *text, unsigned int nlines);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Host programs ktstr uses (qemu, busybox, iasl): where they are, which version. */
#ifndef KTSTR_HOST_TOOL_H
#define KTSTR_HOST_TOOL_H

#include <stddef.h>

/* Where a program is: fsutil__which() (lib/base/fsutil.h). */

/*
 * Run `@path @arg` (stdin from /dev/null, at most 5 s) and keep the first
 * output line that says "version", else the first non-empty one. Returns 0,
 * or -errno when it could not run or said nothing.
 */
int host_tool__version(const char *path, const char *arg, char *buf, size_t cap);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Reading a small sysfs, procfs or tracefs file whole, for the agent's files. */
#ifndef KTSTR_AGENT_SYSFS_READ_H
#define KTSTR_AGENT_SYSFS_READ_H

#include <stddef.h>

/*
 * Read @path into @buf (@len bytes, @len > 0; always NUL-terminated, cut at
 * len - 1) and strip trailing blanks and newlines. Returns the length left,
 * or -errno when it cannot be opened or read (@buf is then "").
 */
int sysfs__read(const char *path, char *buf, size_t len);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room lib/base, the bottom of lib/: small utilities every other room uses:
 * the error helper (this header), the arena, diagnostics with source
 * positions, files, JSON output, child processes and signals, a ring
 * buffer, units and the YAML tree. It includes no other room.
 */

/*
 * The one error helper: library functions report failure as a negative errno
 * plus a message written into a caller's buffer (char *err, size_t errlen).
 */
#ifndef KTSTR_ERR_H
#define KTSTR_ERR_H

#include <stddef.h>

/*
 * Format a message into @err (at most @errlen bytes, always terminated; with
 * @err NULL or @errlen 0 it is dropped) and return @ret, so that a failure
 * path reads `return err__set(-EINVAL, err, errlen, "...", ...);`.
 */
int err__set(int ret, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif

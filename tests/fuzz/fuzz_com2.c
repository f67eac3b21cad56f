// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the host's reader of the guest's COM2 lines (cmd/run/com2_lines.h):
 * byte 0 picks a chunk size (the UART's bytes arrive in pieces), the rest is
 * the stream. The line buffer must stay NUL-terminated within its bounds, and
 * feeding the same stream in one piece must give the same result.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run/com2_lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct com2_lines a = { 0 }, b = { 0 };
	const char *p = (const char *)data + 1;
	size_t chunk, n;

	if (!size)
		return 0;
	chunk = (size_t)data[0] % 32 + 1;
	n = size - 1;
	for (size_t off = 0; off < n; off += chunk)
		com2_lines__feed(&a, p + off, n - off < chunk ? n - off : chunk);
	com2_lines__feed(&b, p, n);
	if (a.len >= sizeof(a.line) || a.started != b.started || a.exited != b.exited ||
	    (a.exited && a.exit != b.exit) || a.len != b.len || memcmp(a.line, b.line, a.len))
		abort();
	/* An end of line completes whatever is pending. */
	com2_lines__feed(&a, "\n", 1);
	if (a.len)
		abort();
	return 0;
}

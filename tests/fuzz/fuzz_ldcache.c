// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the ld.so.cache parser: any bytes are parsed or rejected, never read
 * out of bounds; every kept entry's strings are readable and findable.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ldcache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ldcache c;
	char err[256];
	size_t total = 0;

	if (ldcache__parse(&c, data, size, err, sizeof(err))) {
		if (!memchr(err, '\0', sizeof(err)) || !err[0])
			__builtin_trap();	/* a rejection always says why */
		return 0;
	}
	for (size_t i = 0; i < c.n; i++) {
		total += strlen(c.v[i].name) + strlen(c.v[i].path);
		if (!ldcache__lookup(&c, c.v[i].name) || c.v[i].path[0] != '/')
			__builtin_trap();
	}
	(void)ldcache__lookup(&c, "libc.so.6");
	ldcache__free(&c);
	return total == (size_t)-1;
}

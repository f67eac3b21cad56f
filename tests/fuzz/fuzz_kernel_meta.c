// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the kernel cache's metadata.json reader (kernel_meta__parse,
 * lib/kernel/kernel_cache.h): the input is the file's text. A rejected text
 * must say why; an accepted one is written back (kernel_meta__write) and
 * must parse again to exactly the same entry.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kernel_meta a, b;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[256], *text = NULL;
	size_t len = 0;
	enum kmeta_status st;
	FILE *f;

	why[0] = '\0';
	st = kernel_meta__parse((const char *)data, size, &a, why, sizeof(why));
	if (st != KMETA_OK) {
		if (!why[0] || !strcmp(kmeta_status__name(st), "unknown"))
			abort();
		return 0;
	}
	f = open_memstream(&text, &len);
	if (!f)
		return 0;
	kernel_meta__write(f, &a);
	if (fclose(f))
		return 0;
	st = kernel_meta__parse(text, len, &b, why, sizeof(why));
	if (st != KMETA_OK || memcmp(&a, &b, sizeof(a)))
		abort();	/* written back, it does not read the same */
	free(text);
	return 0;
}

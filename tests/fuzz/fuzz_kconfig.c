// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the .config and Kconfig fragment parser (lib/kernel/kernel_config.h).
 * Input: a user's fragment, a NUL byte, then a .config text (no NUL: the
 * same bytes are both). The fragment is checked and verified against the
 * .config, and its overrides of ktstr's own fragment listed (verifying
 * ktstr's 150 options too made every input four times slower for the same
 * constant lines). Then the fragment is merged into the .config, and the
 * merge must satisfy it: verifying it against the merged text finds nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	const char *text = (const char *)data, *nul = memchr(data, '\0', size);
	size_t flen = nul ? (size_t)(nul - text) : size;
	const char *config = nul ? nul + 1 : text;
	size_t clen = nul ? size - flen - 1 : size;
	struct kconfig_frag f[2] = { kernel_config__ktstr(), { "user.config", text, flen } };
	struct kconfig_check c;
	char err[256], *merged;
	size_t mlen;
	int n;

	if (!sink)
		sink = fopen("/dev/null", "w");
	err[0] = '\0';
	if (kernel_config__check_fragment(&f[1], err, sizeof(err)) &&
	    strncmp(err, "user.config:", 12))
		abort();	/* every complaint names the fragment */
	n = kernel_config__verify(&f[1], 1, config, clen, &c);
	if (n >= 0) {
		if ((size_t)n != c.n || c.n > c.checked)
			abort();
		if (sink)
			kconfig_check__print(&c, sink);
		kconfig_check__free(&c);
	}
	if (sink)
		kernel_config__overrides(f, 2, sink);
	(void)kernel_config__crc(data, size);

	merged = kernel_config__merge(config, clen, &f[1], &mlen);
	if (!merged)
		return 0;
	if (merged[mlen])
		abort();
	n = kernel_config__verify(&f[1], 1, merged, mlen, &c);
	if (n > 0)
		abort();	/* the merge lost or changed one of the fragment's options */
	if (n == 0)
		kconfig_check__free(&c);
	free(merged);
	return 0;
}

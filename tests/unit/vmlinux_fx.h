/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helper: the cached kernel's vmlinux, for the monitor's tests that read
 * a real kernel's symbols and BTF: $KTSTR_TEST_VMLINUX, else kernel_find()'s.
 * When there is none it says so on stderr (the caller skips).
 */
#ifndef KTSTR_TEST_VMLINUX_FX_H
#define KTSTR_TEST_VMLINUX_FX_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/kernel_find.h"

static inline bool fx__find_vmlinux(char *out, size_t cap)
{
	struct kfind_opts o = { 0 };
	struct kfind_result *r = calloc(1, sizeof(*r));
	const char *env = getenv("KTSTR_TEST_VMLINUX");
	char err[1024];
	bool ok = false;

	if (!r)
		return false;
	if (env && *env) {
		snprintf(out, cap, "%s", env);
		ok = true;
	} else if (!kernel_find(&o, r, err, sizeof(err)) && r->vmlinux[0]) {
		snprintf(out, cap, "%s", r->vmlinux);
		ok = true;
	}
	free(r);
	if (!ok)
		fprintf(stderr, "skip: no cached kernel with a vmlinux (ktstr kernel build, "
			"or KTSTR_TEST_VMLINUX)\n");
	return ok;
}

#endif

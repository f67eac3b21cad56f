// SPDX-License-Identifier: GPL-2.0
/* What run_opts decide beyond their fields: TCG's threads, and how to say so. */
#include "run_opts.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

enum vm_tcg_threads tcg_threads__pick(enum vm_tcg_threads asked, int static_keys)
{
	if (asked == VM_TCG_MULTI || asked == VM_TCG_SINGLE)
		return asked;
	return static_keys == 0 ? VM_TCG_MULTI : VM_TCG_SINGLE;
}

const char *tcg_threads__why(enum vm_tcg_threads asked, int static_keys)
{
	if (asked == VM_TCG_MULTI)
		return "--tcg-threads multi";
	if (asked == VM_TCG_SINGLE)
		return "--tcg-threads single";
	if (static_keys == 0)
		return "the kernel patches no static keys";
	if (static_keys > 0)
		return "the kernel patches static keys: CONFIG_JUMP_LABEL";
	if (static_keys == -ENOENT)
		return "no vmlinux to tell whether the kernel patches static keys";
	return "the vmlinux's symbol table does not tell whether the kernel patches static keys";
}

const char *tcg_threads__name(enum vm_tcg_threads t)
{
	switch (t) {
	case VM_TCG_AUTO: return "auto";
	case VM_TCG_MULTI: return "multi";
	case VM_TCG_SINGLE: return "single";
	}
	return "?";
}

int tcg_threads__parse(const char *s, enum vm_tcg_threads *t)
{
	if (!strcmp(s, "single"))
		*t = VM_TCG_SINGLE;
	else if (!strcmp(s, "multi"))
		*t = VM_TCG_MULTI;
	else if (!strcmp(s, "auto"))
		*t = VM_TCG_AUTO;
	else
		return -1;
	return 0;
}

enum vm_tcg_threads run_opts__tcg_threads(const struct run_opts *o)
{
	return tcg_threads__pick(o->tcg_threads, o->kernel_static_keys);
}

void run_opts__describe_vm(const struct run_opts *o, char *buf, size_t len)
{
	if (!len)
		return;
	if (o->backend == VM_BACKEND_VMM)
		snprintf(buf, len, "the in-process VMM");
	else if (o->accel == VM_ACCEL_KVM)
		snprintf(buf, len, "qemu with KVM");
	else
		/* VM_ACCEL_AUTO is not left after run_setup__resolve(). */
		snprintf(buf, len, "qemu with %s-threaded TCG (%s)",
			 run_opts__tcg_threads(o) == VM_TCG_MULTI ? "multi" : "single",
			 tcg_threads__why(o->tcg_threads, o->kernel_static_keys));
}

uint32_t run_opts__timeout_s(const struct run_opts *o, const struct topology *t,
			     uint64_t duration_ns)
{
	uint64_t s = 60 + duration_ns / 1000000000ull;

	if (o->timeout_s)
		return o->timeout_s;
	if (o->backend == VM_BACKEND_QEMU && o->accel != VM_ACCEL_KVM)
		s += 2 * (uint64_t)topology__total_cpus(t);
	return s > UINT32_MAX / 1000u ? UINT32_MAX / 1000u : (uint32_t)s;
}

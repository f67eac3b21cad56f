/* SPDX-License-Identifier: GPL-2.0 */
/* What a caller of run__variant decides for one VM: kernel, backend, overrides. */
#ifndef KTSTR_RUN_OPTS_H
#define KTSTR_RUN_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "scenario/scheduler.h"
#include "verdict/checks.h"
#include "vm/vm.h"

struct run_opts {
	const char *kernel;		/* bzImage to boot */
	/*
	 * The same kernel as an ELF vmlinux with a PVH entry (CONFIG_PVH), or
	 * NULL. The qemu backend boots it instead: no decompression, and with
	 * qboot no BIOS either; about 0.4 s of every boot under TCG here.
	 */
	const char *kernel_elf;
	const char *agent;		/* the static ktstr-agent binary */
	enum vm_accel accel;
	enum threshold_profile thresholds;
	uint64_t duration_ns;		/* 0: the scenario's */
	uint32_t workers;		/* 0: the scenario's */
	uint32_t timeout_s;		/* 0: 60 s + the duration */
	bool verbose;			/* kernel loglevel 7, agent log lines printed */
	const char *results_dir;	/* non-NULL: keep the whole console in res->console_log */
	enum vm_backend backend;	/* qemu (with @accel) or the in-process VMM */
	flag_mask profile;		/* the scheduler's active flags (gauntlet); 0 = none */
	const char *kernel_label;	/* for reports and JSON: version or cache key */
	const char *modules_dir;	/* a modular kernel's modules; NULL: find them */
};

#endif

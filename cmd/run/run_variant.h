/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room cmd/run, the run engine: one scenario variant end to end (plan,
 * initramfs, VM, the agent's result stream, the verdict), shared by `ktstr
 * run` and the gauntlet's job processes (gauntlet_run.c). It owns the
 * choice of backend (vmm_select), the scheduler's host side (sched_find,
 * sched_host), the programs and modules packed for the guest (run_bins,
 * run_modules, initrd_base), the result and its report (run_result,
 * run_report), the adapter to an outcome (outcome_run) and the gauntlet's
 * runner (gauntlet_run, progress). It may include lib/ (base, topo, wire,
 * verdict, scenario, gauntlet, kernel, vm), initramfs, vmm and cmd/out;
 * never a subcommand (cmd/).
 */
#ifndef KTSTR_RUN_VARIANT_H
#define KTSTR_RUN_VARIANT_H

#include <stddef.h>

#include "run_opts.h"
#include "run_result.h"
#include "scenario/scenario.h"
#include "topo/topology.h"

/*
 * Run @sc on @t. Returns 0 with @res filled (res->verdict.passed is the
 * verdict), or a negative errno with @err for setup errors (no qemu, the
 * initramfs could not be built, ...).
 */
int run__variant(const struct scenario *sc, const struct topology *t, const struct run_opts *o,
		 struct run_result *res, char *err, size_t errlen);

/* The agent binary: $KTSTR_AGENT, next to the build tree's ktstr, or installed. */
int run__find_agent(char *buf, size_t len, char *err, size_t errlen);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* A run's report as text, for the FAIL lines, -v and the outcome's "report". */
#ifndef KTSTR_RUN_REPORT_H
#define KTSTR_RUN_REPORT_H

#include <stdio.h>

#include "run_result.h"
#include "scenario/scenario.h"
#include "topo/topology.h"

/*
 * The failure report: header, reason lines, --- stats ---, --- diagnostics ---
 * (how far the guest got, how the VM ended, the console tail), --- timeline ---
 * (run__print_timeline).
 */
void run__print_report(const struct scenario *sc, const struct topology *t,
		       const struct run_result *res, FILE *out);

/*
 * One line per step: index, elapsed ms at its start, its ops (from @sc),
 * cgroups and workers live, status; then the scenario's end.
 */
void run__print_timeline(const struct scenario *sc, const struct run_result *res, FILE *out);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The adapter from the run engine to the output writers: a run result as cmd/out takes it. */
#ifndef KTSTR_OUTCOME_RUN_H
#define KTSTR_OUTCOME_RUN_H

#include "out/outcome.h"
#include "out/results_dir.h"
#include "run_opts.h"
#include "run_result.h"
#include "scenario/scenario.h"
#include "topo/topology.h"

/*
 * Flatten one `run__variant` result: names, verdict, reasons, metrics
 * (verdict__metrics), the --- stats --- block and the full report
 * (run__print_report), durations. @preset NULL: the scenario's own
 * topology; @profile NULL: "default". The name is the scenario's when both
 * are NULL (ktstr run), else "scenario/preset/profile" (the topology string
 * standing in for a NULL preset); a caller may replace it. Strings are made
 * valid UTF-8. Returns 0 or -ENOMEM (@o freed).
 */
int outcome__from_run(struct outcome *o, const struct scenario *sc, const struct topology *t,
		      const char *preset, const char *profile, const struct run_opts *ro,
		      const struct run_result *res);

/*
 * A variant that did not run: verdict SKIP with @why. @name NULL: the
 * scenario's; @preset NULL: its own topology; @profile NULL: "default".
 * Returns 0 or -ENOMEM (@o freed).
 */
int outcome__skipped(struct outcome *o, const struct scenario *sc, const struct topology *t,
		     const char *name, const char *preset, const char *profile, const char *kernel,
		     const char *why);

/* The logs of @res for results_dir__write() and outputs__variant(); they point into @res. */
struct results_logs outcome__logs_from_run(const struct run_result *res);

#endif

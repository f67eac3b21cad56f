/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room cmd/out, the output writers: what a run leaves for machines and
 * people, from a struct outcome and its logs (results_dir.h): the JSON line
 * (outcome), JUnit XML (out_junit), the results directory (results_dir),
 * --json/--junit/--results-dir together (outputs), and the UTF-8 clean-up
 * they share (utf8). It knows nothing of how a variant ran: it may include
 * lib/base, lib/topo, lib/wire and lib/verdict only, and cmd/run fills its
 * structs (cmd/run/outcome_run.c).
 *
 * One variant's outcome, flattened for output: the PASS/FAIL/SKIP line, the
 * JSON line (--json), the JUnit testcase (--junit), `ktstr compare`, and the
 * hand-over from a gauntlet job process to the parent (as its JSON line).
 *
 * Strings are owned by the outcome (outcome__free releases them).
 */
#ifndef KTSTR_OUTCOME_H
#define KTSTR_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "verdict/metrics.h"

enum outcome_verdict { OUTCOME_PASS, OUTCOME_FAIL, OUTCOME_SKIP };

struct outcome {
	char *name;			/* "two_cgroups/tiny-2llc/default"; for run: the scenario */
	char *scenario;
	char *preset;			/* preset name, or NULL when the scenario's own topology */
	char *topology;			/* "1n2l4c1t" */
	char *scheduler;		/* "eevdf", "scx-ktstr" */
	char *profile;			/* "default", "llc+steal" */
	char *kernel;			/* label: version or cache key */
	char *checks_profile;		/* "default" / "tcg" threshold profile */
	enum outcome_verdict verdict;
	bool expect_fail;		/* the scenario expected a check failure */
	bool harness_failure;		/* failed for a reason other than a check */
	char **reasons;			/* reason lines, without indentation */
	size_t nreasons;
	char **waived;			/* hardware_only limits missed under tcg: not failed */
	size_t nwaived;
	char *skip_reason;		/* OUTCOME_SKIP only */
	struct metric_value metrics[METRICS_MAX];	/* names owned (strdup'd) */
	size_t nmetrics;
	char *stats;			/* the --- stats --- block text */
	char *report;			/* the full report text (header .. diagnostics) */
	uint64_t ms_initramfs, ms_boot, ms_scenario, ms_teardown, ms_total;
	char *console_log;		/* file under --results-dir, or NULL */
	char *sched_log;		/* file under --results-dir, or NULL */
	/* Extensions (zero them with the rest): */
	char *ktstr_version;		/* parsed: the writer's; written: always this ktstr's */
	char *topology_check;		/* the guest's topology against the variant's:
					 * "match", "mismatch", "unreadable", "not_reported";
					 * NULL when the variant did not run */
	char *monitor;			/* the host-side monitor: "passed", "failed",
					 * "not run: <why>"; NULL when off */
	char *monitor_csv;		/* its samples under --results-dir, or NULL */
	char *work_type;		/* --work-type when it replaced a work group of
					 * this variant ("futex-ping-pong"), else NULL */
};

const char *outcome_verdict__str(enum outcome_verdict v);	/* "pass" "fail" "skip" */

/* Write @o as one JSON object on one line, '\n'-terminated. Returns 0 or -errno. */
int outcome__write_json(const struct outcome *o, FILE *out);
/*
 * Parse one JSON line (as written above) into @o. Unknown keys are ignored
 * (newer writers); missing required ones (name, verdict) are an error in @err.
 */
int outcome__parse_json(const char *line, size_t len, struct outcome *o, char *err, size_t errlen);
void outcome__free(struct outcome *o);
/* A deep copy of @src into @dst. Returns 0 or -ENOMEM (then @dst is empty). */
int outcome__dup(struct outcome *dst, const struct outcome *src);

#endif

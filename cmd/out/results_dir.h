/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --results-dir DIR: one directory per variant, for CI artefact upload.
 *
 *   DIR/<variant>/console.log   the guest console (COM1), whole up to 8 MiB
 *   DIR/<variant>/sched.log     the scheduler's output (only when it had one)
 *   DIR/<variant>/report.txt    the report: reasons, stats, diagnostics, timeline
 *   DIR/<variant>/monitor.csv   the host-side monitor's samples (only when it ran)
 *   DIR/<variant>/result.json   the variant's JSON line (as --json writes it)
 *
 * <variant> is the variant's name with '/' turned into '.' and every byte
 * outside [A-Za-z0-9._+-] into '_' ("two_cgroups/tiny-2llc/default" ->
 * "two_cgroups.tiny-2llc.default"). A directory left from an earlier run
 * is reused: its files are replaced (or removed when this run has none).
 */
#ifndef KTSTR_RESULTS_DIR_H
#define KTSTR_RESULTS_DIR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "outcome.h"

/*
 * What a variant's run left besides its outcome: the guest console and the
 * scheduler's output (cmd/run fills it from its run result).
 */
struct results_logs {
	const char *console;		/* the whole console (COM1), or NULL */
	size_t console_len;
	uint64_t console_dropped;	/* bytes past the cap, not kept */
	const char *sched;		/* the scheduler's output (its port), or NULL */
	size_t sched_len;
	/* Writes monitor.csv (0 or -errno), or NULL: no monitor samples. */
	int (*monitor_csv)(FILE *f, const void *arg);
	const void *monitor_arg;
};

/* The directory name for a variant name (see above), NUL-terminated in @buf. */
void results_dir__name(const char *variant, char *buf, size_t len);

/* mkdir -p @dir. Returns 0 or -errno with a message in @err. */
int results_dir__create(const char *dir, char *err, size_t errlen);

/*
 * Write @o's directory under @dir from @logs (console and scheduler log; may
 * be NULL: only report.txt and result.json), and set o->console_log and
 * o->sched_log to the files written (before result.json is written, so it
 * names them). Returns 0 or -errno with a message in @err.
 */
int results_dir__write(const char *dir, struct outcome *o, const struct results_logs *logs,
		       char *err, size_t errlen);

#endif

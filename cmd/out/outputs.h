/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine outputs `ktstr run` and `ktstr gauntlet` share:
 *
 *   --json FILE         one JSON object per variant (struct outcome), JSON lines;
 *                       "-" is stdout, and then the human lines go to stderr
 *   --junit FILE        JUnit XML, one testcase per variant, written at the end
 *   --results-dir DIR   DIR/<variant>/{console.log,sched.log,report.txt,result.json}
 *
 * Use:
 *	struct outputs_opts oo = { 0 };
 *	... getopt_long with OUTPUTS_LONGOPTS; in the default case:
 *	    r = outputs__option(&oo, c, optarg, "run"); 1 = taken, -1 = usage error
 *	struct outputs *outs;
 *	if (outputs__open(&oo, "run", &outs)) -> EXIT_USAGE (message printed)
 *	FILE *human = outputs__human(outs);      PASS/FAIL lines and reports go here
 *	ro.results_dir = outputs__results_dir(outs);   keep the whole console
 *	per variant: outputs__variant(outs, &o, &logs);   its outcome and logs
 *	outputs__close(outs);                    writes the JUnit file, renames the
 *	                                         outputs into place; frees
 *	(or outputs__abort(outs) when setup failed before any variant ran)
 */
#ifndef KTSTR_OUTPUTS_H
#define KTSTR_OUTPUTS_H

#include <stdio.h>

#include "outcome.h"
#include "results_dir.h"

/* getopt_long values: above cli.h's CLI_OPT_* and any command's own (CLI_OPT_OWN + n). */
enum { OUTPUTS_OPT_JSON = 512, OUTPUTS_OPT_JUNIT, OUTPUTS_OPT_RESULTS_DIR };

#define OUTPUTS_LONGOPTS \
	{ "json", required_argument, NULL, OUTPUTS_OPT_JSON }, \
	{ "junit", required_argument, NULL, OUTPUTS_OPT_JUNIT }, \
	{ "results-dir", required_argument, NULL, OUTPUTS_OPT_RESULTS_DIR }

/* The lines for a command's --help (each starts with two spaces, ends with '\n'). */
#define OUTPUTS_USAGE \
	"  --json FILE        write one JSON object per variant to FILE (JSON lines);\n" \
	"                     '-' is stdout, and the human lines then go to stderr\n" \
	"  --junit FILE       write JUnit XML to FILE: one testcase per variant\n" \
	"  --results-dir DIR  keep DIR/<variant>/ console.log, sched.log, report.txt and\n" \
	"                     result.json for every variant (see man ktstr)\n"

struct outputs_opts {
	const char *json;		/* FILE or "-"; NULL: none */
	const char *junit;		/* NULL: none */
	const char *results_dir;	/* NULL: none */
};

struct outputs;

/*
 * Take option @c (with @arg) when it is one of OUTPUTS_LONGOPTS: returns 1,
 * or -1 after printing "ktstr CMD: ..." for a bad value; 0 when @c is not one.
 */
int outputs__option(struct outputs_opts *oo, int c, const char *arg, const char *cmd);

/*
 * Open the files and create DIR up front, so that a bad path fails before
 * any VM boots. Returns 0, or EXIT_USAGE (2) after printing why.
 */
int outputs__open(const struct outputs_opts *oo, const char *cmd, struct outputs **out);

/* Where PASS/FAIL lines and reports go: stdout, or stderr when --json is stdout. */
FILE *outputs__human(const struct outputs *outs);

/* DIR of --results-dir, or NULL (for run_opts.results_dir and job processes). */
const char *outputs__results_dir(const struct outputs *outs);

/*
 * One variant is done. With --results-dir and @logs non-NULL, writes its
 * directory first and sets o->console_log and o->sched_log (pass @logs NULL
 * when a job process already did with results_dir__write()). Then writes
 * the JSON line (flushed) and keeps a copy for the JUnit file. Returns 0,
 * or -errno after printing a warning (the run goes on).
 */
int outputs__variant(struct outputs *outs, struct outcome *o, const struct results_logs *logs);

/*
 * Write the JUnit file (also after an interrupted run: what finished),
 * close everything, free @outs. Returns 0, or -errno after printing why,
 * also when an earlier outputs__variant() could not write something: a
 * result that was not kept must not look like a green run. NULL is fine.
 */
int outputs__close(struct outputs *outs);
/*
 * Nothing ran (setup failed): remove the temporary files, leave the named
 * outputs as they were, free @outs. NULL is fine.
 */
void outputs__abort(struct outputs *outs);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktstr verifier's runs and their output (cmd_verifier.c runs them,
 * verifier_print.c prints them: tables, A/B comparisons, the cut verifier
 * log, JSON lines).
 */
#ifndef KTSTR_CMD_VERIFIER_H
#define KTSTR_CMD_VERIFIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "run/run_bpf.h"
#include "run/verifier_log.h"

/* verified_insns this close to the verifier's limit gets a note (per mille). */
#define VERIFIER_NEAR_LIMIT_PERMILLE 900

enum vrun_state {
	VRUN_LOADED,			/* the guest reported its programs */
	VRUN_REJECTED,			/* libbpf printed a program's load log */
	VRUN_FAILED,			/* neither: it did not load for another reason */
};

/* One VM: the scheduler on one kernel under one flag profile. */
struct vrun {
	char kernel[160];		/* the kernel's label (run_setup__kernel_label) */
	char profile[256];		/* "default", "short-slice+local-first" */
	enum vrun_state state;
	double secs;
	struct run_bpf bpf;		/* LOADED: the guest's programs */
	struct verifier_cut cut;	/* REJECTED: the verifier's log, cut */
	char reason[1024];		/* FAILED: the run's reasons; LOADED: a problem after it */
	char *sched_log;		/* FAILED: the scheduler's output (malloc'd) */
	size_t sched_log_len;
	char *sched_exit;		/* FAILED: the agent's SCHED_EXIT text (malloc'd) */
};

void vrun__free(struct vrun *v);
const char *vrun_state__name(enum vrun_state s);	/* "loaded", "rejected", "failed" */

/* One run: its program table, or why it did not load (the cut log). */
void verifier__print_run(FILE *out, const char *sched, const struct vrun *r);
/*
 * What else a loaded run says: a program near the verifier's limit, a walk
 * cut short, a problem after loading; with @label, each line names the run.
 */
void verifier__print_notes(FILE *out, const struct vrun *r, bool label);
/* Runs @a and @b side by side on verified_insns, programs matched by name. */
void verifier__print_ab(FILE *out, const struct vrun *a, const struct vrun *b);
/* A run that did not load: the verifier's cut log, or the run's reasons and the scheduler's log. */
void verifier__print_failure(FILE *out, const char *sched, const struct vrun *r);
/* One JSON line for @r. */
void verifier__print_json(FILE *out, const char *sched, const struct vrun *r);

#endif

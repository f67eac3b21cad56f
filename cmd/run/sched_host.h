/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's side of the scheduler under test, for run__variant: find and
 * pack its binary, its arguments for the plan, its output from the
 * scheduler port, its SCHED_EXIT report (initramfs/agent/sched_proc.h) turned
 * into verdict reasons, and the report sections "--- scheduler log ---" and
 * "--- sched_ext dump ---".
 */
#ifndef KTSTR_SCHED_HOST_H
#define KTSTR_SCHED_HOST_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wire/ktstr_proto.h"
#include "wire/proto_reader.h"
#include "run_result.h"
#include "scenario/scenario.h"
#include "verdict/verdict.h"
#include "vm/vm.h"

#define SCHED_HOST_GUEST_DIR "/ktstr/sched"	/* the binary goes to DIR/<its name> */
#define SCHED_HOST_LOG_MAX (8u << 20)		/* scheduler output kept; the rest is counted */
#define SCHED_HOST_LOG_LINES 40			/* lines in the report's section */

/* What the plan and the initramfs need. */
struct sched_host_setup {
	bool active;			/* a scheduler binary runs (not EEVDF) */
	char host[PATH_MAX];
	char guest[PATH_MAX + 32];
	char **args;			/* malloc'd strings */
	size_t nargs;
};

/*
 * Resolve @sc's scheduler: find the binary (sched_find.h) and build its
 * arguments: the definition's args, watchdog_arg with its timeout, then the
 * args of every flag in @profile | the scenario's required flags, in
 * declaration order. EEVDF: active = false. Returns 0 or -errno with @err.
 */
int sched_host__setup(const struct scenario *sc, flag_mask profile, struct sched_host_setup *s,
		      char *err, size_t errlen);
void sched_host__setup_free(struct sched_host_setup *s);

/* What the run collects. */
struct sched_host {
	char *log;			/* the scheduler port's bytes */
	size_t log_len, log_cap;
	uint64_t log_dropped;
	bool exited;			/* a SCHED_EXIT arrived */
	struct ktstr_msg_sched_exit m;
	char *text;			/* its text, NUL-terminated */
	uint32_t nsteps;		/* from SCENARIO_START */
	uint32_t last_step;		/* the last STEP index seen; UINT32_MAX none */
	bool step_seen;
	bool soft_timeout;		/* sched_host__soft_timeout() asked the guest to stop */
	struct run_restart restarts[RUN_RESTARTS_MAX];	/* restart_scheduler, for the timeline */
	size_t nrestarts;
};

void sched_host__init(struct sched_host *sh);
/* Bytes from the scheduler port. */
void sched_host__data(struct sched_host *sh, const void *data, size_t len);
/*
 * Every frame: it keeps SCENARIO_START's step count, STEPs, SCHED_EXIT and
 * the LOG lines of restarts (KTSTR_LOG_SCHED_RESTARTED).
 */
void sched_host__frame(struct sched_host *sh, const struct proto_frame *f);
/*
 * Verdict reasons from SCHED_EXIT: "scheduler process died ..." or
 * "scheduler not attached: ...", or after restart_scheduler "scheduler did
 * not re-attach within 10 s after restart_scheduler at step 2 ...". Returns
 * true when it added any (not for event "running": a report that only
 * carries a dump the host asked for).
 */
bool sched_host__reasons(const struct sched_host *sh, struct verdict *v);
/* Move the log and the report into the result (run_result.h) and free the rest. */
void sched_host__finish(struct sched_host *sh, char **log, size_t *log_len, char **exit_text);

/*
 * `expect: {fail: TEXT}`: passes when the verdict failed and a reason
 * contains TEXT; fails with why otherwise.
 */
void sched_host__expect_reason(struct verdict *v, const char *text);

/*
 * The soft deadline (vm_opts.on_soft_timeout) of a run with a scheduler:
 * ask the agent for the sched_ext dump (KTSTR_MSG_DUMP: SysRq-D while the
 * scheduler is enabled) and to wrap up (KTSTR_MSG_SHUTDOWN); the verdict
 * then says it timed out.
 */
void sched_host__soft_timeout(struct sched_host *sh, struct vm *vm);

/* "--- scheduler log ---" (its last lines) and "--- sched_ext dump ---". */
void sched_host__print(const char *log, size_t log_len, const char *exit_text, FILE *out);

/* The value of "KEY: value" in a SCHED_EXIT text, into @buf ("" when absent). */
void sched_host__field(const char *text, const char *key, char *buf, size_t len);
/* The body of section "--- NAME ---" (up to the next one), or NULL; *len its length. */
const char *sched_host__section(const char *text, const char *name, size_t *len);

#endif

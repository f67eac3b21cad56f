/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running one scenario variant end to end: plan, initramfs, VM, the agent's
 * result stream, and the verdict. Shared by `ktstr run` and the gauntlet's
 * job processes (gauntlet_run.c).
 */
#ifndef KTSTR_RUN_VARIANT_H
#define KTSTR_RUN_VARIANT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario/scenario.h"
#include "verdict/verdict.h"
#include "vm/vm.h"

struct run_opts {
	const char *kernel;		/* bzImage to boot */
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

/* How far the guest got, for the diagnostics section. */
enum run_stage {
	STAGE_NOT_BOOTED,		/* no word from the agent */
	STAGE_AGENT_STARTED,		/* HELLO, no scenario start */
	STAGE_SCENARIO_STARTED,		/* started, no end */
	STAGE_SCENARIO_ENDED,		/* ended, no EXIT */
	STAGE_EXITED,			/* the agent's EXIT arrived */
};

/* One STEP frame (struct ktstr_msg_step): a step's setup and ops are done. */
struct run_step {
	uint32_t index;			/* 0-based step, or UINT32_MAX for the backdrop */
	uint32_t elapsed_ms;		/* since the scenario's start */
	uint32_t nops, ncgroups, nworkers;	/* cgroups and workers live after it */
	uint32_t status;		/* 0 ok, else an errno */
};

#define RUN_STEPS_MAX		4096
#define RUN_CONSOLE_LOG_MAX	(8u << 20)

struct run_result {
	struct verdict verdict;
	bool harness_failure;		/* failed for a reason other than a check */
	struct vm_result vm;
	enum run_stage stage;
	int agent_exit;			/* valid at STAGE_EXITED */
	uint64_t ms_initramfs, ms_boot, ms_scenario, ms_teardown, ms_total;
	char console_tail[16384];	/* last console lines when the guest failed */
	char checks_profile[16];	/* the threshold profile in use */
	char *sched_log;		/* malloc'd: the scheduler's whole output (its port), or NULL */
	size_t sched_log_len;
	char *sched_exit;		/* malloc'd: the agent's SCHED_EXIT text (run_sched.h), or NULL */
	/* The timeline: the agent's STEP frames in arrival order, and SCENARIO_END. */
	struct run_step *steps;		/* malloc'd, at most RUN_STEPS_MAX */
	size_t nsteps;
	bool scenario_ended;
	uint32_t end_elapsed_ms;	/* valid with scenario_ended */
	int32_t end_status;		/* 0 ran to the end, else an errno */
	/* With run_opts.results_dir: the whole console (COM1), the first RUN_CONSOLE_LOG_MAX bytes. */
	char *console_log;		/* malloc'd, or NULL */
	size_t console_log_len;
	uint64_t console_log_dropped;	/* bytes past the cap, not kept */
};

/*
 * Run @sc on @t. Returns 0 with @res filled (res->verdict.passed is the
 * verdict), or a negative errno with @err for setup errors (no qemu, the
 * initramfs could not be built, ...).
 */
int run__variant(const struct scenario *sc, const struct topology *t, const struct run_opts *o,
		 struct run_result *res, char *err, size_t errlen);
void run_result__free(struct run_result *res);

/* "init never started ...": what the stage means. */
const char *run_stage__str(enum run_stage s);

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

/* The agent binary: $KTSTR_AGENT, next to the build tree's ktstr, or installed. */
int run__find_agent(char *buf, size_t len, char *err, size_t errlen);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* What run__variant hands back for one variant: verdict, VM, stage, timeline, logs. */
#ifndef KTSTR_RUN_RESULT_H
#define KTSTR_RUN_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "monitor/monitor_eval.h"
#include "run_bpf.h"
#include "topo/topo_guest.h"
#include "verdict/verdict.h"
#include "vm/vm.h"

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
#define RUN_RESTARTS_MAX	64

/* The scheduler back after restart_scheduler (the agent's KTSTR_LOG_SCHED_RESTARTED). */
struct run_restart {
	uint32_t step;			/* 0-based, as run_step.index */
	uint32_t down_ms;		/* from sched_ext disabled to attached again */
};
#define RUN_CONSOLE_LOG_MAX	(8u << 20)

/*
 * The host CPU the VM's threads (qemu's all, the VMM's vCPUs) used and waited
 * for between SCENARIO_START and SCENARIO_END (vm__host_cpu): how well the
 * guest could keep up, for judging a verdict under TCG.
 */
struct run_host_cpu {
	bool valid;
	uint64_t window_ms;		/* host time between the two samples */
	uint64_t run_ns, wait_ns;	/* summed over the threads */
	unsigned threads, vcpus;
};

/*
 * The host-side monitor's part of a run (run_monitor.h): off (EEVDF, or no
 * monitor check on), wanted but not run (why), or run: its series, verdict
 * and summary.
 */
enum run_monitor_state { RUN_MON_OFF, RUN_MON_NOT_RUN, RUN_MON_RAN };

struct mon_series;

struct run_monitor_result {
	enum run_monitor_state state;
	char why[320];			/* NOT_RUN: why not */
	struct mon_limits limits;	/* from the merged checks */
	bool imbalance_waived;		/* hardware_only under the tcg thresholds */
	char hz_how[320];		/* where the guest's CONFIG_HZ came from */
	uint32_t ncpus;			/* the guest's vCPUs */
	bool scenario_passed;		/* the verdict passed before the monitor's reasons */
	struct mon_series *series;	/* RAN: malloc'd (monitor_run.h), for monitor.csv */
	struct mon_verdict *verdict;	/* RAN: malloc'd */
	struct mon_summary *summary;	/* RAN: malloc'd */
};

struct run_result {
	struct verdict verdict;
	bool harness_failure;		/* failed for a reason other than a check */
	struct vm_result vm;
	enum run_stage stage;
	int agent_exit;			/* valid at STAGE_EXITED */
	uint64_t ms_initramfs, ms_boot, ms_scenario, ms_teardown, ms_total;
	char console_tail[32768];	/* last console lines (from a crash report's start) */
	char kernel_progress[320];	/* how far the kernel got (boot_progress.h) */
	char checks_profile[16];	/* the threshold profile in use */
	char backend[160];		/* run_opts__describe_vm(): what booted it */
	struct run_host_cpu host_cpu;
	char *sched_log;		/* malloc'd: the scheduler's whole output (its port), or NULL */
	size_t sched_log_len;
	char *sched_exit;		/* malloc'd: the agent's SCHED_EXIT text (sched_host.h), or NULL */
	/* The timeline: the agent's STEP frames in arrival order, and SCENARIO_END. */
	struct run_step *steps;		/* malloc'd, at most RUN_STEPS_MAX */
	size_t nsteps;
	bool scenario_ended;
	uint32_t end_elapsed_ms;	/* valid with scenario_ended */
	int32_t end_status;		/* 0 ran to the end, else an errno */
	struct run_restart restarts[RUN_RESTARTS_MAX];	/* in arrival order */
	size_t nrestarts;
	/* With run_opts.results_dir: the whole console (COM1), the first RUN_CONSOLE_LOG_MAX bytes. */
	char *console_log;		/* malloc'd, or NULL */
	size_t console_log_len;
	uint64_t console_log_dropped;	/* bytes past the cap, not kept */
	/* The guest's topology against the variant's (run_topo.h). */
	enum topo_guest_status topo_status;
	char topo_diag[2560];		/* the diagnostics' "topology: ..." lines */
	struct run_monitor_result monitor;
	/* With run_opts.bpf_progs: the guest's BPF programs (run_bpf.h), for ktstr verifier. */
	struct run_bpf bpf;
};

void run_result__free(struct run_result *res);

/* "init never started ...": what the stage means. */
const char *run_stage__str(enum run_stage s);

#endif

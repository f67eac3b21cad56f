/* SPDX-License-Identifier: GPL-2.0 */
/*
 * initramfs/agent: the guest agent, PID 1 in the VM (main.c). It reads the
 * plan (plan_read.h), starts and watches the scheduler (sched_proc.h), builds
 * the cgroup tree (cgroup.h), forks the workers (work.h), runs the backdrop
 * and steps (this header, its entry point) and streams frames back to the
 * host (proto_out.h, log.h). A static program that links nothing of the
 * host's, it may include only its own headers and lib/wire (the frame
 * protocol, the work-type catalog, the plan format).
 */

/*
 * The step executor: runs a plan's backdrop and steps (ktstr-scenario(5),
 * CGROUPS and STEPS) and streams STEP, WORKER_REPORT, LOG and ERROR frames.
 *
 * Lifetimes: backdrop cgroups and everything an op creates live until an op
 * ends them or the run ends; a step's own cgroups live until the step ends,
 * when their workers are stopped (reports sent) and they are removed. A step
 * creates its cgroups, runs its ops, then holds; a loop step repeats its ops
 * every interval until the scenario's end.
 */
#ifndef KTSTR_AGENT_EXEC_H
#define KTSTR_AGENT_EXEC_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"
#include "plan_read.h"
#include "proto_out.h"

struct sched;

struct exec_env {
	const struct plan *plan;
	struct cgroups *cg;
	struct proto_out *out;
	pid_t sched_pid;			/* 0: none */
	struct sched *sched;			/* NULL: none (sched_proc.h) */
	volatile sig_atomic_t *sched_gone;	/* non-zero: it died or was disabled; may be NULL */
	const char *tmpdir;			/* for io work; NULL = /tmp */
	int control_fd;				/* host -> guest frames; -1 = none */
	volatile sig_atomic_t *stop;		/* non-zero: end the run now; may be NULL */
	uint64_t stop_timeout_ns;		/* per work group; 0 = the workers' default */
};

/*
 * Send SCENARIO_START, run everything, tear it all down (every worker
 * stopped and reported, every program killed, every cgroup removed) and send
 * SCENARIO_END. Returns 0 when the scenario ran to its end, or a negative
 * errno (the reason went out as an ERROR frame).
 */
int exec__run(const struct exec_env *e);

#endif

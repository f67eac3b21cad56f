/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scheduler process in the guest: start it, watch it, report its end
 * (what a scenario may expect of it: ktstr-scenario(5), SCHEDULERS).
 *
 * sched__start() runs the plan's scheduler with its arguments, its stdout
 * and stderr through one pipe that a pump thread copies to the scheduler
 * port (KTSTR_PORT_SCHED) and into a tail kept for reports. It then waits,
 * up to a deadline, until the process is still alive and
 * /sys/kernel/sched_ext/root/ops names a scheduler. Under TCG loading and
 * verifying a BPF scheduler takes seconds, so the deadline is a generous
 * SCHED_ATTACH_TIMEOUT_NS.
 *
 * Once attached a watcher thread polls every SCHED_WATCH_NS: the process
 * (waitpid), sched_ext's state (root/ops gone, state not "enabled") and the
 * kernel log (/dev/kmsg, the "sched_ext: BPF scheduler ... disabled (...)"
 * lines and what follows them). When the scheduler dies or sched_ext
 * disables it, the watcher sends one KTSTR_MSG_SCHED_EXIT (its text's format:
 * lib/wire/ktstr_proto.h, next to the message type; the host parses it) and
 * raises the stop flag so the scenario ends early. What the kernel says
 * (sysfs, the kernel log, the dump) is read by sched_kernel.h.
 *
 * The dump: the sched_ext_dump tracepoint is enabled when the scheduler
 * starts, so the kernel's own dump on an error exit lands in the trace
 * buffer; sched__dump() (the host's KTSTR_MSG_DUMP) triggers SysRq-D while
 * the scheduler is enabled. Both are read back from /sys/kernel/tracing/trace.
 *
 * restart_scheduler: sched__halt() stops it on purpose (no report: a stop
 * asked for is not a death) and waits until sched_ext is disabled;
 * sched__resume() starts the same argv in the same place again and waits
 * for its attach as sched__start() does, then watches the new process. A
 * failure to come back is reported as the first start's would be, with a
 * "restart:" field naming the op.
 */
#ifndef KTSTR_AGENT_SCHED_PROC_H
#define KTSTR_AGENT_SCHED_PROC_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "proto_out.h"

#define SCHED_ATTACH_TIMEOUT_NS (10ULL * 1000000000ULL)	/* TCG: loading takes seconds */
#define SCHED_WATCH_NS (100ULL * 1000000ULL)
#define SCHED_EXIT_GRACE_NS (3ULL * 1000000000ULL)	/* after a disable, for the exit code */
#define SCHED_STOP_GRACE_NS (2ULL * 1000000000ULL)	/* SIGINT, then SIGKILL */
#define SCHED_DISABLE_TIMEOUT_NS (10ULL * 1000000000ULL)	/* restart: sched_ext lets go */
#define SCHED_TAIL_BYTES 16384
#define SCHED_TAIL_LINES 40

struct sched;

struct sched_opts {
	const char *path;
	char *const *args;		/* NULL-terminated, without argv[0]; may be NULL */
	struct proto_out *out;		/* SCHED_EXIT and LOG frames */
	int port_fd;			/* where its output goes; -1: only the tail */
	bool check_attach;		/* false: liveness only (test mode on a host) */
	uint64_t attach_timeout_ns;	/* 0: SCHED_ATTACH_TIMEOUT_NS */
	volatile sig_atomic_t *stop;	/* raised when it dies or is disabled; may be NULL */
	const char *sysfs;		/* sched_ext's sysfs dir; NULL: /sys/kernel/sched_ext */
	/*
	 * The cgroup.procs it is moved into before it runs (the guest: the
	 * root cgroup's); NULL: it stays in the agent's (test mode).
	 */
	const char *cgroup_procs;
};

/*
 * Start it and wait until it is attached. Returns 0 with *@out watching, or
 * a negative errno once the report (SCHED_EXIT, event died-before-attach or
 * not-attached) went out; *@out is then NULL and nothing is left running.
 */
int sched__start(const struct sched_opts *o, struct sched **out);
pid_t sched__pid(const struct sched *s);
/* The scenario starts now: SCHED_EXIT's elapsed_ms counts from here. */
void sched__mark_start(struct sched *s);
/* Has it died or been disabled (its report sent)? */
bool sched__gone(struct sched *s);
/* SysRq-D: the sched_ext debug dump into the trace buffer, while it is enabled. */
void sched__dump(struct sched *s);
/* The end of the run: a last check, then SIGINT (SIGKILL after a grace), drain, free. */
void sched__stop(struct sched *s);

/*
 * restart_scheduler, first half: a last check (a death found now is
 * reported as one), then SIGINT as a user's Ctrl-C (SIGKILL after
 * SCHED_STOP_GRACE_NS), and a wait until sched_ext says disabled. 0, or
 * -errno with @err.
 */
int sched__halt(struct sched *s, char *err, size_t errlen);
/*
 * The second half: start it again with the same arguments and placement and
 * wait for its attach (the first start's deadline). @what names the op for
 * the report ("restart_scheduler at step 2"); *@down_ns gets the time from
 * sched_ext disabled to attached again. 0, or -errno with @err once the
 * report went out (the stop flag is raised as for a death).
 */
int sched__resume(struct sched *s, const char *what, uint64_t *down_ns, char *err,
		  size_t errlen);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scheduler's lifecycle in the guest (catalog 6.2, steps 7, 8 and 10).
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
 * disables it, the watcher sends one KTSTR_MSG_SCHED_EXIT (format below) and
 * raises the stop flag so the scenario ends early.
 *
 * SCHED_EXIT's text, after struct ktstr_msg_sched_exit, is "key: value"
 * lines, then sections each opened by a "--- NAME ---" line:
 *
 *   event: died | disabled | not-attached | died-before-attach | running
 *          (running: still attached at the end; sent only after a
 *          KTSTR_MSG_DUMP, to carry the dump)
 *   reason: runnable task stall            (the kernel's exit reason, or empty)
 *   message: kworker/1:2[45] failed to run for 3.120s   (the kernel's message)
 *   exit: exited with code 1 | killed by signal 12 (SIGUSR2) | still running
 *   state: disabled                        (/sys/kernel/sched_ext/state)
 *   --- kernel log ---                     (sched_ext lines of /dev/kmsg)
 *   --- sched_ext dump ---                 (the sched_ext_dump tracepoint)
 *   --- scheduler log ---                  (the last lines of its output)
 *
 * The dump: the sched_ext_dump tracepoint is enabled when the scheduler
 * starts, so the kernel's own dump on an error exit lands in the trace
 * buffer; sched__dump() (the host's KTSTR_MSG_DUMP) triggers SysRq-D while
 * the scheduler is enabled. Both are read back from /sys/kernel/tracing/trace.
 */
#ifndef KTSTR_AGENT_SCHED_RUN_H
#define KTSTR_AGENT_SCHED_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proto_out.h"

#define SCHED_ATTACH_TIMEOUT_NS (10ULL * 1000000000ULL)	/* TCG: loading takes seconds */
#define SCHED_WATCH_NS (100ULL * 1000000ULL)
#define SCHED_EXIT_GRACE_NS (3ULL * 1000000000ULL)	/* after a disable, for the exit code */
#define SCHED_STOP_GRACE_NS (2ULL * 1000000000ULL)	/* SIGINT, then SIGKILL */
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

/* ---- sched_kernel.c: what the kernel says */

/* Read @path into @buf (NUL-terminated, trailing newline dropped). -errno on failure. */
int sched_k__read(const char *path, char *buf, size_t len);
/* Enable (or disable) the sched_ext_dump tracepoint; 0 or -errno. */
int sched_k__dump_tracepoint(bool on);
/* Append the sched_ext_dump lines of the trace buffer to @buf (at most @cap bytes). */
size_t sched_k__dump_read(char *buf, size_t cap);
/* SysRq-D. */
void sched_k__sysrq_dump(void);

/* The kernel log: open at its end; sched_ext records are collected as they come. */
struct sched_kmsg {
	int fd;
	char lines[4096];		/* the kept records, one per line */
	size_t len;
	int follow;			/* records still kept after an error line */
	char reason[128];		/* from "BPF scheduler "X" disabled (REASON)" */
	char message[512];		/* from "sched_ext: X: MESSAGE" after it */
	char ops[64];			/* X */
};

void sched_kmsg__open(struct sched_kmsg *k);
/* Read every pending record; returns true when a "disabled (" line arrived. */
bool sched_kmsg__poll(struct sched_kmsg *k);
/*
 * Did the kernel end it (an error, a stall, SysRq-S, BPF or the kernel
 * unregistering it), rather than its process exiting ("unregistered from
 * user space")?
 */
bool sched_kmsg__kernel_exit(const struct sched_kmsg *k);
/* Parse one record's text (exposed for tests). */
void sched_kmsg__line(struct sched_kmsg *k, const char *text, bool error_level);
void sched_kmsg__close(struct sched_kmsg *k);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plan format: what the host's writer (lib/scenario/plan_write.c) and the
 * agent's reader (initramfs/agent/plan_read.c) agree on: the records, the
 * version and the limits the reader enforces, which the writer must respect.
 *
 * Format (version 2; version 1 lacked the ops move_tasks and
 * restart_scheduler, and the agent still reads it): text, one record per line, tokens separated by one
 * space. A string token is '=' followed by the string percent-encoded (every
 * byte outside [A-Za-z0-9_.,/+:@-] as %XX), so "=" is the empty string; an
 * absent value is "-". CPU lists are "0-3,6" or "-". Numbers are decimal,
 * node masks hex ("0x3").
 *
 *   ktstr-plan 2
 *   name =two_cgroups
 *   duration NS
 *   workers N                     default workers per group (informational)
 *   ncpus N
 *   cpu CPU LLC NODE              one line per CPU, in order 0..ncpus-1
 *   scheduler PATH|-              "-" = the kernel's own (eevdf)
 *   sched-arg STR                 repeated, in order
 *   sched-gap-kill NS             optional: a worker gap this long sends the
 *                                 scheduler SIGUSR2 (absent: never)
 *   bpf-progs                     optional: send the loaded BPF programs
 *                                 (KTSTR_MSG_BPF_PROGS) once the scheduler
 *                                 attached and at the end (ktstr verifier)
 *   shell tty|cmd|script          optional: ktstr shell (below) instead of
 *                                 the steps: an interactive shell, a command,
 *                                 or a script typed into the console
 *   shell-cmd STR                 the command (shell cmd): busybox sh -c STR
 *   shell-env STR                 "NAME=VALUE" of the shell's environment, repeated
 *   shell-size ROWS COLS          the console's window size (shell tty)
 *   backdrop                      the cgroups and ops alive for the whole run
 *   step hold|loop NS             a step: hold time, or loop interval
 *   cgroup NAME CPUS              a cgroup of the current section
 *   work TYPE WORKERS POLICY PRIO NICE AFF AFFCPUS MEMPOL NODES MPOLFLAGS P0 P1 P2 P3
 *                                 a work group of the last cgroup or spawn op
 *   phase spin|sleep|yield|io NS  a sequence phase of the last work
 *   arg STR                       an argv element of the last work or run op
 *   op KIND ARGS...               an op of the current section, by kind:
 *     add_cgroup NAME CPUS | remove_cgroup NAME | set_cpuset NAME CPUS |
 *     clear_cpuset NAME | swap_cpusets A B | spawn NAME (+ work) |
 *     stop_cgroup NAME | set_affinity NAME AFF AFFCPUS | spawn_host (+ work) |
 *     move_all_tasks FROM TO | run NAME CGROUP|- (+ args) | wait NAME | kill NAME |
 *     move_tasks FROM TO COUNT | restart_scheduler DOWN_NS
 *   end
 *
 * TYPE is the enum work_type number (lib/wire/workload.h); POLICY, AFF, MEMPOL
 * and the op kinds are the names of lib/scenario/scenario.c (normal, random-subset,
 * preferred_many, set_cpuset).
 */
#ifndef KTSTR_PLAN_FORMAT_H
#define KTSTR_PLAN_FORMAT_H

/*
 * Shell mode (ktstr shell): the agent starts the scheduler as for a
 * scenario, sends SCENARIO_START (nsteps 0), writes KTSTR_SHELL_MARK to the
 * console (COM1) and runs busybox there instead of the steps: "shell tty" an
 * interactive sh on the console as its controlling terminal, "shell cmd"
 * sh -c CMD with its output (stdout and stderr) copied to the raw console,
 * "shell script" sh reading its script from the console (canonical, no
 * echo: a Ctrl-D ends it) with its output copied as for "cmd".
 * The shell's exit status (128 + N for signal N) is the EXIT frame's code.
 * The host shows the console only after the mark: what the agent and the
 * kernel printed before it is the boot, not the shell's.
 */
#define KTSTR_SHELL_MARK "\036ktstr-shell\036"
#define PLAN_MAX_SHELL_ENV 64

#include <stdbool.h>
#include <string.h>

#define KTSTR_PLAN_VERSION 2		/* the "ktstr-plan N" line the writer puts */
#define KTSTR_PLAN_VERSION_MIN 1	/* the oldest the reader takes (a subset of 2) */

/* The reader's limits: a plan beyond any of them is rejected, naming the line. */
#define PLAN_MAX_BYTES (4u << 20)
#define PLAN_MAX_LINE 65536
#define PLAN_MAX_TOKENS 24
#define PLAN_MAX_STR 4096		/* decoded string bytes */
#define PLAN_MAX_NAME 127		/* cgroup and program names (KTSTR_NAME_MAX - 1) */
#define PLAN_MAX_STEPS 1024
#define PLAN_MAX_CGROUPS 256		/* per section */
#define PLAN_MAX_WORKS 64		/* per cgroup */
#define PLAN_MAX_OPS 1024		/* per section */
#define PLAN_MAX_ARGS 256
#define PLAN_MAX_PHASES 64
#define PLAN_MAX_WORKERS 4096		/* per work group */
#define PLAN_MAX_SCHED_ARGS 256
#define PLAN_MAX_NS (86400ULL * 1000000000ULL)	/* durations and holds: a day */
#define PLAN_MAX_CPUS 256		/* ncpus; CPU and LLC numbers are below it */
#define PLAN_MAX_NODE 63		/* NUMA node numbers; node masks are 64 bits */
#define PLAN_MAX_MOVE_TASKS 1000000	/* move_tasks' COUNT (1..this) */

/*
 * A cgroup path as both sides accept it: relative ("a/b", not "/a" or "a/"),
 * no empty, "." or ".." component. The scenario's validation and the agent's
 * plan reader both call this one rule; the agent also bounds the length and
 * the characters.
 */
static inline bool plan__cgroup_path_ok(const char *name)
{
	const char *p = name;

	if (!*name || *name == '/')
		return false;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (!n || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!end)
			break;
		p = end + 1;
		if (!*p)
			return false;	/* trailing '/' */
	}
	return true;
}

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plan: one scenario variant serialized for the guest agent, with every
 * host-side resolution done (cpusets to CPU lists, holds to nanoseconds,
 * worker counts and work parameters complete). The agent knows no topology
 * maths and no YAML; it reads the plan from /ktstr/plan in the initramfs
 * (initramfs/agent/plan_read.c is the reader).
 *
 * Format (version 1): text, one record per line, tokens separated by one
 * space. A string token is '=' followed by the string percent-encoded (every
 * byte outside [A-Za-z0-9_.,/+:@-] as %XX), so "=" is the empty string; an
 * absent value is "-". CPU lists are "0-3,6" or "-". Numbers are decimal,
 * node masks hex ("0x3").
 *
 *   ktstr-plan 1
 *   name =two_cgroups
 *   duration NS
 *   workers N                     default workers per group (informational)
 *   ncpus N
 *   cpu CPU LLC NODE              one line per CPU, in order 0..ncpus-1
 *   scheduler PATH|-              "-" = the kernel's own (eevdf)
 *   sched-arg STR                 repeated, in order
 *   sched-gap-kill NS             optional: a worker gap this long sends the
 *                                 scheduler SIGUSR2 (absent: never)
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
 *     move_all_tasks FROM TO | run NAME CGROUP|- (+ args) | wait NAME | kill NAME
 *   end
 *
 * TYPE is the enum work_type number (lib/wire/workload.h); POLICY, AFF, MEMPOL
 * and the op kinds are the names of lib/scenario/scenario.c (normal, random-subset,
 * preferred_many, set_cpuset).
 */
#ifndef KTSTR_PLAN_H
#define KTSTR_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"
#include "topo/topology.h"

#define KTSTR_PLAN_VERSION 1

struct plan_opts {
	uint64_t duration_ns;		/* 0 = the scenario's */
	uint32_t workers;		/* 0 = the scenario's default per group */
	int work_type_override;		/* enum work_type for swappable groups, -1 = none */
	const char *sched_path;		/* the scheduler binary in the guest; NULL = none */
	const char *const *sched_args;	/* the definition's and the profile's arguments */
	size_t nsched_args;
	/* A worker that sees a scheduling gap this long sends the scheduler
	 * SIGUSR2 (the work-conservation watchdog); 0 = never. */
	uint64_t sched_gap_kill_ns;
};

#define PLAN_OPTS_DEFAULT ((struct plan_opts){ .work_type_override = -1 })

/*
 * Write the plan of @sc on topology @t to @out. Returns 0, or a negative
 * errno with a message in @err (a cpuset that does not resolve on @t, a
 * worker count that is not a multiple of its group size, a write error).
 */
int plan__write(const struct scenario *sc, const struct topology *t, const struct plan_opts *o,
		FILE *out, char *err, size_t errlen);

/* Percent-encode @s as a plan string token ("=..."). */
void plan__put_str(FILE *out, const char *s);

#endif
